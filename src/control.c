/* SPDX-License-Identifier: ISC */
/*
 * control.c: the UNIX control socket that tunmapctl(8) talks to.  One
 * request line per connection, answered from the loop; the reply of a
 * reload waits for its end.  Everything is bounded: the request's length,
 * the time a client may take, the number of clients, and the rows of
 * one page of "show mappings" or "show bindings", so a client cannot
 * hold the loop or the memory.  Only root, the daemon's own user and the
 * members of the socket's group are served.  A request concerns the
 * first instance, or the one whose tun "--instance" names.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autoconf.h"
#include "checksum.h"
#include "control.h"
#include "daemon.h"
#include "log.h"
#include "psid.h"
#include "siit.h"
#include "softwire.h"

#define CTL_CLIENTS	16	/* served at once */
#define CTL_BACKLOG	16
#define CTL_REQ_SECS	5	/* to send the request */
#define CTL_OUT_SECS	30	/* without reading any of the reply */
#define CTL_LINGER_SECS	2	/* for the client to close, after the reply */
#define CTL_WORDS	8	/* of a request */
#define CTL_ERRLEN	256

#ifndef TUN_F_USO4
#define TUN_F_USO4	0x20
#define TUN_F_USO6	0x40
#endif

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct control		*ctl;
	struct bufferevent	*bev;
	bool			 replied;	/* close once it is sent */
	bool			 lingering;	/* it is: wait for the EOF */
};

struct control {
	struct tunmapd		*d;
	struct evconnlistener	*lev;
	struct event		*retry;		/* accept again after EMFILE */
	char			*path;
	dev_t			 dev;		/* of the socket file made */
	ino_t			 ino;
	gid_t			 gid;		/* its group */
	TAILQ_HEAD(, ctl_conn)	 conns;
	int			 nconns;
	struct ctl_conn		*reloading;	/* waits for the reload */
};

/* A request, split into words and options. */
struct ctl_req {
	int		 argc;
	char		*argv[CTL_WORDS];
	bool		 json;
	bool		 all;			/* --all */
	const char	*tun;			/* --instance, or NULL */
	long long	 offset, limit;		/* -1: not given */
	size_t		 inst;			/* the instance it concerns */
	char		 err[CTL_ERRLEN];
};

/*
 * A reply body: "key value" lines, or one JSON object.  Either may hold
 * a list of objects (ctl_out_list()): in text, each is a "key value"
 * line followed by its members indented by a tab.
 */
struct ctl_out {
	struct evbuffer	*b;
	bool		 json;
	int		 n;		/* members of the object being made */
	int		 depth;		/* 1: inside an object of a list */
	int		 outer;		/* n of the reply's object meanwhile */
	int		 items;		/* objects of the list so far */
};

#define OPT_JSON	0x1
#define OPT_PAGE	0x2
#define OPT_INST	0x4		/* --instance TUN */
#define OPT_ALL		0x8		/* --all */

enum { CTL_FAIL = -1, CTL_DONE, CTL_LATER };

struct ctl_cmd {
	const char	*name;		/* one or two words */
	int		 nargs;
	int		 optargs;	/* more words it may take */
	int		 opts;
	const char	*usage;
	int		(*fn)(struct ctl_conn *, struct ctl_req *,
			    struct ctl_out *);
};

static int	ctl_status(struct ctl_conn *, struct ctl_req *,
		    struct ctl_out *);
static int	ctl_stats(struct ctl_conn *, struct ctl_req *,
		    struct ctl_out *);
static int	ctl_mappings(struct ctl_conn *, struct ctl_req *,
		    struct ctl_out *);
static int	ctl_bindings(struct ctl_conn *, struct ctl_req *,
		    struct ctl_out *);
static int	ctl_lookup(struct ctl_conn *, struct ctl_req *,
		    struct ctl_out *);
static int	ctl_reload(struct ctl_conn *, struct ctl_req *,
		    struct ctl_out *);

static const struct ctl_cmd ctl_cmds[] = {
	{ "status", 0, 0, OPT_JSON | OPT_INST,
	    "status [--json] [--instance TUN]", ctl_status },
	{ "stats", 0, 0, OPT_JSON | OPT_INST | OPT_ALL,
	    "stats [--json] [--instance TUN | --all]", ctl_stats },
	{ "show mappings", 0, 0, OPT_JSON | OPT_PAGE | OPT_INST,
	    "show mappings [--json] [--offset N] [--limit N] "
	    "[--instance TUN]", ctl_mappings },
	{ "show bindings", 0, 0, OPT_JSON | OPT_PAGE | OPT_INST,
	    "show bindings [--json] [--offset N] [--limit N] "
	    "[--instance TUN]", ctl_bindings },
	{ "lookup", 1, 1, OPT_JSON | OPT_INST,
	    "lookup ADDRESS[:PORT] [PORT] [--json] [--instance TUN]",
	    ctl_lookup },
	{ "reload", 0, 0, 0, "reload", ctl_reload },
};

/* ---- reply bodies ------------------------------------------------------ */

static void
ctl_json_str(struct evbuffer *b, const char *s)
{
	evbuffer_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			evbuffer_add_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			evbuffer_add_printf(b, "\\u%04x", (unsigned char)*s);
		else
			evbuffer_add(b, s, 1);
	}
	evbuffer_add(b, "\"", 1);
}

static void
ctl_out_open(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, "{", 1);
}

static void
ctl_out_key(struct ctl_out *o, const char *key)
{
	if (o->json) {
		evbuffer_add_printf(o->b, "%s\n%s", o->n > 0 ? "," : "",
		    o->depth > 0 ? "\t\t\t" : "\t");
		ctl_json_str(o->b, key);
		evbuffer_add(o->b, ": ", 2);
	} else
		evbuffer_add_printf(o->b, "%s%s ", o->depth > 0 ? "\t" : "",
		    key);
	o->n++;
}

/* A string value; NULL is JSON null, "none" in text. */
static void
ctl_out_str(struct ctl_out *o, const char *key, const char *v)
{
	ctl_out_key(o, key);
	if (!o->json)
		evbuffer_add_printf(o->b, "%s\n", v != NULL ? v : "none");
	else if (v == NULL)
		evbuffer_add(o->b, "null", 4);
	else
		ctl_json_str(o->b, v);
}

static void
ctl_out_num(struct ctl_out *o, const char *key, uint64_t v)
{
	ctl_out_key(o, key);
	evbuffer_add_printf(o->b, "%" PRIu64 "%s", v, o->json ? "" : "\n");
}

static void
ctl_out_bool(struct ctl_out *o, const char *key, bool v)
{
	ctl_out_key(o, key);
	if (o->json)
		evbuffer_add_printf(o->b, "%s", v ? "true" : "false");
	else
		evbuffer_add_printf(o->b, "%s\n", v ? "yes" : "no");
}

static void
ctl_out_close(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, "\n}\n", 3);
}

/* A list of objects as member key: a JSON array; nothing in text. */
static void
ctl_out_list(struct ctl_out *o, const char *key)
{
	o->items = 0;
	if (!o->json)
		return;
	ctl_out_key(o, key);
	evbuffer_add(o->b, "[", 1);
}

/* Its next object, whose first member is key; textkey heads it in text. */
static void
ctl_out_item(struct ctl_out *o, const char *textkey, const char *key,
    const char *value)
{
	if (o->json)
		evbuffer_add_printf(o->b, "%s\n\t\t{", o->items > 0 ?
		    "," : "");
	else
		evbuffer_add_printf(o->b, "%s %s\n", textkey, value);
	o->items++;
	o->outer = o->n;
	o->n = 0;
	o->depth = 1;
	if (o->json)
		ctl_out_str(o, key, value);
}

static void
ctl_out_item_end(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, "\n\t\t}", 4);
	o->n = o->outer;
	o->depth = 0;
}

static void
ctl_out_list_end(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, o->items > 0 ? "\n\t]" : "]",
		    o->items > 0 ? 3 : 1);
}

/* ---- status and stats -------------------------------------------------- */

static const char *
ctl_time(time_t t, char *buf, size_t size)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t);
	return (buf);
}

/* The offloads the kernel accepted, as "csum,tso4,...", or "none". */
static const char *
ctl_offloads(const struct tun *t, char *buf, size_t size)
{
	static const struct {
		unsigned	 flag;
		const char	*name;
	} f[] = {
		{ TUN_F_CSUM, "csum" }, { TUN_F_TSO4, "tso4" },
		{ TUN_F_TSO6, "tso6" }, { TUN_F_TSO_ECN, "tso-ecn" },
		{ TUN_F_USO4, "uso4" }, { TUN_F_USO6, "uso6" },
	};
	size_t	i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if ((t->offloads & f[i].flag) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
			    len > 0 ? "," : "", f[i].name);
	return (len > 0 ? buf : "none");
}

/* The members of one instance in "status", after its tun. */
static void
ctl_instance(const struct instance *in, const struct config_instance *ci,
    struct ctl_out *o)
{
	const struct sw_settings	*sw = &ci->sw;
	char				 a[ADDR_STRLEN], ol[64];

	ctl_out_str(o, "mode", ci->mode == MODE_SOFTWIRE ? "softwire" :
	    "siit");
	ctl_out_num(o, "mtu", (uint64_t)in->tun.mtu);
	ctl_out_num(o, "queues", (uint64_t)in->nq);
	ctl_out_bool(o, "offload", in->tun.vnet);
	ctl_out_str(o, "offloads", in->tun.vnet ?
	    ctl_offloads(&in->tun, ol, sizeof ol) : NULL);
	if (ci->mode == MODE_SIIT) {
		ctl_out_num(o, "eam-entries", ci->neam);
		ctl_out_str(o, "pool6", ci->has_pool6 ?
		    addr_str6(&ci->pool6, a, sizeof a) : NULL);
		return;
	}
	ctl_out_num(o, "bindings", ci->bind.n);
	ctl_out_num(o, "routes", ci->nswroutes);
	ctl_out_str(o, "br-address", inet_ntop(AF_INET6, &sw->br, a,
	    sizeof a));
	ctl_out_str(o, "ipv4-address", sw->has_ipv4 ? inet_ntop(AF_INET,
	    &sw->ipv4, a, sizeof a) : NULL);
}

/*
 * The daemon, then the selected instance as the one tun of old (the
 * first unless --instance names another), then every instance.
 */
static int
ctl_status(struct ctl_conn *c, struct ctl_req *r, struct ctl_out *o)
{
	struct tunmapd			*d = c->ctl->d;
	const struct config_instance	*ci = &d->conf->inst[r->inst];
	char				 p6[ADDR_STRLEN], t1[32], t2[32];
	time_t				 now = time(NULL);
	bool				 never = d->reload_time == 0;
	size_t				 i;

	ctl_out_open(o);
	ctl_out_str(o, "version", PACKAGE_VERSION);
	ctl_out_num(o, "pid", (uint64_t)getpid());
	ctl_out_str(o, "started", ctl_time(d->started, t1, sizeof t1));
	ctl_out_num(o, "uptime", now > d->started ?
	    (uint64_t)(now - d->started) : 0);
	ctl_out_str(o, "config", d->config_file);
	ctl_out_str(o, "tun", d->inst[r->inst].tun.name);
	ctl_out_num(o, "mtu", (uint64_t)d->inst[r->inst].tun.mtu);
	ctl_out_num(o, "eam-entries", ci->neam);
	ctl_out_str(o, "pool6", ci->has_pool6 ?
	    addr_str6(&ci->pool6, p6, sizeof p6) : NULL);
	ctl_out_str(o, "last-reload", never ? NULL :
	    ctl_time(d->reload_time, t2, sizeof t2));
	if (never)
		ctl_out_str(o, "last-reload-ok", NULL);
	else
		ctl_out_bool(o, "last-reload-ok", d->reload_ok);
	ctl_out_str(o, "last-reload-result", never ? NULL : d->reload_msg);
	ctl_out_bool(o, "reloading", d->reload != NULL);
	ctl_out_list(o, "instances");
	for (i = 0; i < d->ninst; i++) {
		ctl_out_item(o, "instance", "tun", d->inst[i].tun.name);
		ctl_instance(&d->inst[i], &d->conf->inst[i], o);
		ctl_out_item_end(o);
	}
	ctl_out_list_end(o);
	ctl_out_close(o);
	return (CTL_DONE);
}

static void
ctl_counters(const struct instance *in, struct ctl_out *o)
{
	struct stats	s;
	int		i;

	instance_stats(in, &s);
	for (i = 0; i < STAT_MAX; i++)
		ctl_out_num(o, stats_name(i), s.n[i]);
}

/* The counters of one instance; with --all, of each, in a list. */
static int
ctl_stats(struct ctl_conn *c, struct ctl_req *r, struct ctl_out *o)
{
	struct tunmapd	*d = c->ctl->d;
	size_t		 i;

	ctl_out_open(o);
	if (!r->all)
		ctl_counters(&d->inst[r->inst], o);
	else {
		ctl_out_list(o, "instances");
		for (i = 0; i < d->ninst; i++) {
			ctl_out_item(o, "instance", "tun",
			    d->inst[i].tun.name);
			ctl_counters(&d->inst[i], o);
			ctl_out_item_end(o);
		}
		ctl_out_list_end(o);
	}
	ctl_out_close(o);
	return (CTL_DONE);
}

/* ---- show mappings ----------------------------------------------------- */

/* Row i: the EAM entries in the order of the file, then pool6. */
static void
ctl_mapping_row(const struct config_instance *conf, size_t i,
    struct ctl_out *o)
{
	char	a4[ADDR_STRLEN], a6[ADDR_STRLEN];

	if (i < conf->neam) {
		addr_str4(&conf->eam[i].p4, a4, sizeof a4);
		addr_str6(&conf->eam[i].p6, a6, sizeof a6);
	} else
		addr_str6(&conf->pool6, a6, sizeof a6);
	if (!o->json) {
		if (i < conf->neam)
			evbuffer_add_printf(o->b, "eam %s %s\n", a4, a6);
		else
			evbuffer_add_printf(o->b, "pool6 %s\n", a6);
		return;
	}
	/* One element a line: tunmapctl joins pages by lines. */
	evbuffer_add_printf(o->b, "%s{\"type\": \"%s\", ", o->n++ > 0 ?
	    ",\n" : "", i < conf->neam ? "eam" : "pool6");
	if (i < conf->neam)
		evbuffer_add_printf(o->b, "\"ipv4\": \"%s\", ", a4);
	evbuffer_add_printf(o->b, "\"ipv6\": \"%s\"}", a6);
}

/*
 * The rows [*i, *end) that a page asks for, at most max; or -1 for too
 * many, or for an instance of the other mode (which has its own "show").
 */
static int
ctl_page(struct ctl_conn *c, struct ctl_req *r, enum config_mode mode,
    int max, size_t *i, size_t *end)
{
	const struct config_instance	*ci = &c->ctl->d->conf->inst[r->inst];

	if (ci->mode != mode) {
		snprintf(r->err, sizeof r->err, "tun %s is a %s instance: see "
		    "\"show %s\"", c->ctl->d->inst[r->inst].tun.name,
		    ci->mode == MODE_SOFTWIRE ? "softwire" : "SIIT",
		    ci->mode == MODE_SOFTWIRE ? "bindings" : "mappings");
		return (-1);
	}
	if (r->limit > max) {
		snprintf(r->err, sizeof r->err, "--limit: at most %d rows "
		    "a request", max);
		return (-1);
	}
	*i = r->offset > 0 ? (size_t)r->offset : 0;
	*end = *i + (size_t)(r->limit >= 0 ? r->limit : max);
	return (0);
}

static void
ctl_page_end(struct ctl_out *o)
{
	if (o->json)
		evbuffer_add(o->b, o->n > 0 ? "\n]\n" : "]\n",
		    o->n > 0 ? 3 : 2);
}

static int
ctl_mappings(struct ctl_conn *c, struct ctl_req *r, struct ctl_out *o)
{
	const struct config_instance	*conf = &c->ctl->d->conf->inst[r->inst];
	size_t				 i, end, total;

	if (ctl_page(c, r, MODE_SIIT, CTL_PAGE_MAX, &i, &end) == -1)
		return (CTL_FAIL);
	total = conf->neam + (conf->has_pool6 ? 1 : 0);
	if (o->json)
		evbuffer_add(o->b, "[\n", 2);
	for (; i < end && i < total; i++)
		ctl_mapping_row(conf, i, o);
	ctl_page_end(o);
	return (CTL_DONE);
}

/* ---- show bindings ----------------------------------------------------- */

/*
 * One binding: in text the line of bindings_str(); in JSON an object on
 * one line (tunmapctl joins pages by lines), after a comma unless it is
 * the first.
 */
static void
ctl_binding_row(const struct binding_list *l, const struct binding *b,
    bool first, struct ctl_out *o)
{
	char	line[BINDINGS_LINE_MAX], b4[ADDR_STRLEN], v4[ADDR_STRLEN];
	char	br[ADDR_STRLEN];

	if (!o->json) {
		if (bindings_str(b, &l->br[b->br], line, sizeof line) == -1)
			snprintf(line, sizeof line, "(too long)");
		evbuffer_add_printf(o->b, "%s\n", line);
		return;
	}
	if (bindings_ports_str(b, line, sizeof line) == -1)
		line[0] = '\0';
	evbuffer_add_printf(o->b, "%s{\"b4\": \"%s\", \"ipv4\": \"%s\", "
	    "\"psid\": %u, \"psid-length\": %u, \"psid-offset\": %u, "
	    "\"ports\": \"%s\", \"br\": \"%s\"}", first ? "" : ",\n",
	    inet_ntop(AF_INET6, &b->b4, b4, sizeof b4),
	    inet_ntop(AF_INET, &b->ipv4, v4, sizeof v4), b->psid,
	    b->psid_len, b->psid_offset, line,
	    inet_ntop(AF_INET6, &l->br[b->br], br, sizeof br));
}

/* The bindings of a softwire instance, in the order of the list. */
static int
ctl_bindings(struct ctl_conn *c, struct ctl_req *r, struct ctl_out *o)
{
	const struct binding_list	*l;
	size_t				 i, end;

	if (ctl_page(c, r, MODE_SOFTWIRE, CTL_BINDINGS_PAGE_MAX, &i, &end)
	    == -1)
		return (CTL_FAIL);
	l = &c->ctl->d->conf->inst[r->inst].bind;
	if (o->json)
		evbuffer_add(o->b, "[\n", 2);
	for (; i < end && i < l->n; i++)
		ctl_binding_row(l, &l->b[i], o->n++ == 0, o);
	ctl_page_end(o);
	return (CTL_DONE);
}

/* ---- lookup ------------------------------------------------------------ */

/*
 * Ask the translator itself: an ICMP echo from a to a, through the very
 * code that packets go through, says whether a is translated and into
 * what, with every rule (untranslatable space, denylist4, the
 * Well-Known Prefix) applied exactly as for traffic.
 */
static enum verdict
ctl_probe(const struct tables *t, int af, const void *a, struct pkt *p,
    uint8_t *buf, size_t size, enum drop_reason *why)
{
	uint8_t		*h = buf + PKT_HEADROOM;
	size_t		 hl = af == AF_INET ? 20 : 40, alen = hl == 20 ? 4 : 16;
	uint16_t	 ck;

	memset(buf, 0, size);
	if (af == AF_INET) {
		h[0] = 0x45;
		h[3] = 28;		/* total length */
		h[8] = 64;		/* TTL */
		h[9] = IPPROTO_ICMP;
	} else {
		h[0] = 0x60;
		h[5] = 8;		/* payload length */
		h[6] = IPPROTO_ICMPV6;
		h[7] = 64;		/* hop limit */
	}
	memcpy(h + hl - 2 * alen, a, alen);
	memcpy(h + hl - alen, a, alen);
	if (af == AF_INET) {
		ck = csum_finish(csum_partial(h, hl, 0));
		memcpy(h + 10, &ck, 2);
	}
	h[hl] = af == AF_INET ? 8 : 128;	/* echo request */
	p->data = h;
	p->len = hl + 8;
	p->head = PKT_HEADROOM;
	p->tail = size - PKT_HEADROOM - p->len;
	memset(&p->off, 0, sizeof p->off);
	return (af == AF_INET ? siit_4to6(t, p, why) : siit_6to4(t, p, why));
}

/* "ADDRESS", "IPV4:PORT" or "[IPV6]:PORT"; the port is checked only. */
static int
ctl_parse_target(char *s, int *af, void *a, long *port)
{
	char	*colon, *end, *host = s;

	*port = -1;
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return (-1);
		*end++ = '\0';
		host = s + 1;
		colon = *end == ':' ? end : NULL;
		if (*end != '\0' && colon == NULL)
			return (-1);
	} else if ((colon = strchr(s, ':')) != NULL &&
	    strchr(colon + 1, ':') != NULL)
		colon = NULL;		/* an IPv6 address without port */
	if (colon != NULL) {
		*colon++ = '\0';
		errno = 0;
		*port = strtol(colon, &end, 10);
		if (*colon < '0' || *colon > '9' || *end != '\0' ||
		    errno != 0 || *port > 65535)
			return (-1);
	}
	if (s[0] != '[' && inet_pton(AF_INET, host, a) == 1)
		*af = AF_INET;
	else if (inet_pton(AF_INET6, host, a) == 1 &&
	    (s[0] == '[' || colon == NULL))
		*af = AF_INET6;
	else
		return (-1);
	return (0);
}

/* Why address a has no translation, in words. */
static const char *
ctl_unmapped_why(const struct tables *t, enum drop_reason why)
{
	if (why == DROP_UNTRANSLATABLE)
		return ("never translated: a special-purpose address, or in "
		    "denylist4");
	if (why != DROP_SRC_UNMAPPED && why != DROP_DST_UNMAPPED)
		return (stats_drop_desc(why));
	if (!t->has_pool6)
		return ("no eam entry covers it, and there is no pool6");
	if (t->pool6_wkp && !t->wkp_nonglobal)
		return ("no eam entry covers it, and it is not a global "
		    "address of pool6 (the Well-Known Prefix)");
	return ("no eam entry covers it, and it is not an address of "
	    "pool6");
}

/* The result of a probe that went through: the address, and from where. */
static void
ctl_lookup_found(const struct tables *t, int af, const void *a,
    const struct pkt *p, struct ctl_out *o)
{
	struct eam		 e;
	struct in6_addr		 hair;
	uint32_t		 a4 = 0;
	char			 s1[ADDR_STRLEN], s2[ADDR_STRLEN];
	bool			 hairpin, via_eam;

	hairpin = af == AF_INET6 && p->data[0] >> 4 == 6;
	if (hairpin) {
		/* RFC 7757 4.2: it stays IPv6 and reaches the EAM host. */
		memcpy(&hair, p->data + 24, 16);
		addr_extract6052(&t->pool6, a, &a4);
		inet_ntop(AF_INET, &a4, s1, sizeof s1);
	} else if (af == AF_INET)
		inet_ntop(AF_INET6, p->data + 24, s1, sizeof s1);
	else
		inet_ntop(AF_INET, p->data + 16, s1, sizeof s1);
	ctl_out_str(o, "result", "translated");
	ctl_out_str(o, "translation", s1);
	via_eam = af == AF_INET ? tables_eam_entry4(t, *(const uint32_t *)a,
	    &e) : tables_eam_entry6(t, a, &e);
	ctl_out_str(o, "via", via_eam ? "eam" : "pool6");
	if (via_eam) {
		ctl_out_str(o, "eam-ipv4", addr_str4(&e.p4, s1, sizeof s1));
		ctl_out_str(o, "eam-ipv6", addr_str6(&e.p6, s2, sizeof s2));
	} else
		ctl_out_str(o, "pool6", addr_str6(&t->pool6, s2, sizeof s2));
	if (hairpin)
		ctl_out_str(o, "hairpin", inet_ntop(AF_INET6, &hair, s2,
		    sizeof s2));
}

/* A port: decimal, 0 to 65535. */
static int
ctl_port(const char *s, long *port)
{
	char	*end;

	if (*s < '0' || *s > '9')
		return (-1);
	errno = 0;
	*port = strtol(s, &end, 10);
	return (*end != '\0' || errno != 0 || *port > 65535 ? -1 : 0);
}

static void
ctl_lookup_siit(const struct tables *t, int af, const void *a, long port,
    struct ctl_out *o)
{
	uint8_t			 buf[PKT_HEADROOM + 128];
	struct pkt		 p;
	enum drop_reason	 why = DROP_MAX;
	enum verdict		 v;

	v = ctl_probe(t, af, a, &p, buf, sizeof buf, &why);
	if (port >= 0)
		ctl_out_str(o, "note", "port ignored: SIIT translates "
		    "addresses only");
	if (v == VERDICT_FORWARD)
		ctl_lookup_found(t, af, a, &p, o);
	else {
		ctl_out_str(o, "result", why == DROP_UNTRANSLATABLE ?
		    "untranslatable" : why == DROP_SRC_UNMAPPED ||
		    why == DROP_DST_UNMAPPED ? "unmapped" : "dropped");
		ctl_out_str(o, "translation", NULL);
		ctl_out_str(o, "reason", ctl_unmapped_why(t, why));
	}
}

/* The members that say what binding b is. */
static void
ctl_binding_members(const struct binding_list *l, const struct binding *b,
    struct ctl_out *o)
{
	char	s[BINDINGS_LINE_MAX];

	ctl_out_str(o, "b4", inet_ntop(AF_INET6, &b->b4, s, sizeof s));
	ctl_out_str(o, "ipv4", inet_ntop(AF_INET, &b->ipv4, s, sizeof s));
	ctl_out_num(o, "psid", b->psid);
	ctl_out_num(o, "psid-length", b->psid_len);
	ctl_out_num(o, "psid-offset", b->psid_offset);
	ctl_out_str(o, "ports", bindings_ports_str(b, s, sizeof s) == -1 ?
	    NULL : s);
	ctl_out_str(o, "br", inet_ntop(AF_INET6, &l->br[b->br], s, sizeof s));
}

/* How many bindings of the sorted list l share IPv4 address a. */
static size_t
ctl_bindings_of(const struct binding_list *l, uint32_t a)
{
	size_t	lo = 0, hi = l->n, n = 0;

	while (lo < hi) {
		if (ntohl(l->b[lo + (hi - lo) / 2].ipv4) < ntohl(a))
			lo += (hi - lo) / 2 + 1;
		else
			hi = lo + (hi - lo) / 2;
	}
	while (lo + n < l->n && l->b[lo + n].ipv4 == a)
		n++;
	return (n);
}

/* An IPv4 address bound by port sets (k > 0) whose port finds nothing. */
static void
ctl_lookup_shared(const struct binding_list *l, uint32_t a, long port,
    uint8_t k, uint8_t off, struct ctl_out *o)
{
	char	why[160];

	ctl_out_str(o, "result", port < 0 ? "shared" : "unbound-port");
	ctl_out_num(o, "psid-length", k);
	ctl_out_num(o, "psid-offset", off);
	ctl_out_num(o, "bindings", ctl_bindings_of(l, a));
	if (port < 0)
		snprintf(why, sizeof why, "the address is shared by port "
		    "sets: give a port to find its binding");
	else if (!psid_port_in_sets((uint16_t)port, k, off))
		snprintf(why, sizeof why, "port %ld is in no port set (the "
		    "ports below %u are not shared out)", port,
		    1u << (16 - off));
	else
		snprintf(why, sizeof why, "no binding holds psid %u of the "
		    "address, the port set of port %ld",
		    psid_of_port((uint16_t)port, k, off), port);
	ctl_out_str(o, "reason", why);
}

/*
 * What the lwAFTR does with a packet to IPv4 address a (and port): in
 * the order of sw_4to6(), the node's own address, a binding, a mesh
 * route.  A bound address never falls back to a mesh route.
 */
static void
ctl_lookup_sw4(const struct sw_tables *t, const struct binding_list *l,
    uint32_t a, long port, struct ctl_out *o)
{
	const struct sw_settings	*s = sw_tables_settings(t);
	const struct bindings		*bt = sw_tables_bindings(t);
	const struct binding		*b;
	const struct sw_route		*rt;
	char				 p4[ADDR_STRLEN], r6[ADDR_STRLEN];
	uint8_t				 k, off;

	if (s->has_ipv4 && a == s->ipv4) {
		ctl_out_str(o, "result", "local");
		ctl_out_str(o, "reason", "the softwire's own ipv4-address");
	} else if (bindings_addr(bt, a, &k, &off)) {
		if ((k == 0 || port >= 0) && (b = bindings_find(bt, a,
		    (uint16_t)(port >= 0 ? port : 0))) != NULL) {
			ctl_out_str(o, "result", "bound");
			ctl_binding_members(l, b, o);
		} else
			ctl_lookup_shared(l, a, port, k, off, o);
	} else if ((rt = sw_tables_route(t, a)) != NULL) {
		ctl_out_str(o, "result", "routed");
		ctl_out_str(o, "route", addr_str4(&rt->p4, p4, sizeof p4));
		ctl_out_str(o, "remote", inet_ntop(AF_INET6, &rt->remote, r6,
		    sizeof r6));
	} else {
		ctl_out_str(o, "result", "unbound");
		ctl_out_str(o, "reason", "no binding holds the address, and "
		    "no mesh route covers it");
	}
}

/*
 * The binding of the lwB4 at IPv6 address a (a lwB4 has one at most),
 * or what else a is to the instance.  The tables are keyed by IPv4 only:
 * this scans the list, a pass over every binding, which is fine for a
 * command an operator types, and no lookup for the packet path.
 */
static void
ctl_lookup_sw6(const struct sw_tables *t, const struct config_instance *ci,
    const struct in6_addr *a, struct ctl_out *o)
{
	const struct binding_list	*l = &ci->bind;
	size_t				 i;
	bool				 br;

	for (i = 0; i < l->n; i++)
		if (memcmp(&l->b[i].b4, a, sizeof *a) == 0) {
			ctl_out_str(o, "result", "b4");
			ctl_binding_members(l, &l->b[i], o);
			return;
		}
	br = memcmp(&sw_tables_settings(t)->br, a, sizeof *a) == 0;
	for (i = 0; !br && i < l->nbr; i++)
		br = memcmp(&l->br[i], a, sizeof *a) == 0;
	if (br) {
		ctl_out_str(o, "result", "br-address");
		ctl_out_str(o, "reason", "a BR address of the instance: "
		    "softwires end here");
		return;
	}
	for (i = 0; i < ci->nswroutes; i++)
		if (memcmp(&ci->swroutes[i].remote, a, sizeof *a) == 0) {
			ctl_out_str(o, "result", "mesh-peer");
			ctl_out_str(o, "reason", "the remote end of a mesh "
			    "route");
			return;
		}
	ctl_out_str(o, "result", "unbound");
	ctl_out_str(o, "reason", "no binding has this lwB4 address");
}

/* "lookup ADDRESS", "lookup ADDRESS:PORT" or "lookup ADDRESS PORT". */
static int
ctl_lookup(struct ctl_conn *c, struct ctl_req *r, struct ctl_out *o)
{
	struct tunmapd		*d = c->ctl->d;
	const struct snapshot	*snap = atomic_load(&d->inst[r->inst].snap);
	struct in6_addr		 a;
	char			 s[ADDR_STRLEN];
	long			 port;
	int			 af;
	uint32_t		 a4;

	if (ctl_parse_target(r->argv[1], &af, &a, &port) == -1 ||
	    (r->argc == 3 && (port >= 0 || ctl_port(r->argv[2], &port) ==
	    -1))) {
		snprintf(r->err, sizeof r->err, "lookup: not an IPv4 or "
		    "IPv6 address, with or without a port");
		return (CTL_FAIL);
	}
	ctl_out_open(o);
	ctl_out_str(o, "address", inet_ntop(af, &a, s, sizeof s));
	if (port >= 0)
		ctl_out_num(o, "port", (uint64_t)port);
	if (snap->mode == MODE_SIIT)
		ctl_lookup_siit(snap->siit, af, &a, port, o);
	else if (af == AF_INET) {
		memcpy(&a4, &a, sizeof a4);
		ctl_lookup_sw4(snap->sw, &d->conf->inst[r->inst].bind, a4,
		    port, o);
	} else {
		if (port >= 0)
			ctl_out_str(o, "note", "port ignored: the lwB4 is "
			    "found by its address");
		ctl_lookup_sw6(snap->sw, &d->conf->inst[r->inst], &a, o);
	}
	ctl_out_close(o);
	return (CTL_DONE);
}

/* ---- reload ------------------------------------------------------------ */

/* On the loop, when the reload ends: answer its client, if still there. */
static void
ctl_reload_done(struct tunmapd *d, bool ok, const struct config_errors *e,
    void *arg)
{
	struct control	*ctl = arg;
	struct ctl_conn	*c = ctl->reloading;
	struct evbuffer	*b;
	size_t		 i;

	ctl->reloading = NULL;
	if (c == NULL)
		return;
	b = bufferevent_get_output(c->bev);
	if (ok)
		evbuffer_add_printf(b, "ok\n");
	else {
		evbuffer_add_printf(b, "error: %s has errors, keeping the "
		    "running configuration\n", d->config_file);
		for (i = 0; i < e->n; i++)
			evbuffer_add_printf(b, "%s\n", e->msg[i]);
	}
	c->replied = true;
	bufferevent_enable(c->bev, EV_WRITE);
}

static int
ctl_reload(struct ctl_conn *c, struct ctl_req *r, struct ctl_out *o)
{
	struct control	*ctl = c->ctl;

	(void)o;
	if (reload_start(ctl->d, ctl_reload_done, ctl) == -1) {
		if (errno == EBUSY)
			snprintf(r->err, sizeof r->err, "a reload is under "
			    "way");
		else
			snprintf(r->err, sizeof r->err, "reload: cannot "
			    "start: %s", strerror(errno));
		return (CTL_FAIL);
	}
	ctl->reloading = c;
	return (CTL_LATER);
}

/* ---- requests ---------------------------------------------------------- */

/* A number for --offset or --limit: decimal, 0 to 2^31-1. */
static int
ctl_number(const char *s, long long *n)
{
	char	*end;

	if (s == NULL || *s < '0' || *s > '9')
		return (-1);
	errno = 0;
	*n = strtoll(s, &end, 10);
	return (*end != '\0' || errno != 0 || *n > 0x7fffffff ? -1 : 0);
}

/* Split line into words, the options apart. */
static int
ctl_split(char *line, struct ctl_req *r)
{
	char	*w, *last;

	r->offset = r->limit = -1;
	for (w = strtok_r(line, " \t", &last); w != NULL;
	    w = strtok_r(NULL, " \t", &last)) {
		if (strcmp(w, "--json") == 0)
			r->json = true;
		else if (strcmp(w, "--all") == 0)
			r->all = true;
		else if (strcmp(w, "--instance") == 0) {
			if ((r->tun = strtok_r(NULL, " \t", &last)) == NULL)
				return (-1);
		}
		else if (strcmp(w, "--offset") == 0 || strcmp(w, "--limit") ==
		    0) {
			if (ctl_number(strtok_r(NULL, " \t", &last), w[2] ==
			    'o' ? &r->offset : &r->limit) == -1)
				return (-1);
		} else if (w[0] == '-' && w[1] == '-')
			return (-1);
		else if (r->argc == CTL_WORDS)
			return (-1);
		else
			r->argv[r->argc++] = w;
	}
	return (0);
}

/* The command whose words begin the request, or NULL. */
static const struct ctl_cmd *
ctl_find(const struct ctl_req *r, int *nwords)
{
	const char	*name, *sp;
	size_t		 i, len;

	for (i = 0; i < sizeof ctl_cmds / sizeof ctl_cmds[0]; i++) {
		name = ctl_cmds[i].name;
		sp = strchr(name, ' ');
		len = sp != NULL ? (size_t)(sp - name) : strlen(name);
		*nwords = sp != NULL ? 2 : 1;
		if (r->argc >= *nwords && strncmp(r->argv[0], name, len) == 0 &&
		    r->argv[0][len] == '\0' && (sp == NULL ||
		    strcmp(r->argv[1], sp + 1) == 0))
			return (&ctl_cmds[i]);
	}
	return (NULL);
}

/* The instance whose tun --instance names; the first one without it. */
static int
ctl_instance_of(const struct tunmapd *d, struct ctl_req *r)
{
	size_t	i, len;

	r->inst = 0;
	if (r->tun == NULL)
		return (0);
	for (i = 0; i < d->ninst; i++)
		if (strcmp(d->inst[i].tun.name, r->tun) == 0) {
			r->inst = i;
			return (0);
		}
	len = (size_t)snprintf(r->err, sizeof r->err, "no instance on tun "
	    "\"%.*s\"; the tuns are", IFNAMSIZ, r->tun);
	for (i = 0; i < d->ninst && len < sizeof r->err; i++)
		len += (size_t)snprintf(r->err + len, sizeof r->err - len,
		    "%s %s", i > 0 ? "," : "", d->inst[i].tun.name);
	return (-1);
}

/* Run the request in line; CTL_LATER if the reply comes later. */
static int
ctl_run(struct ctl_conn *c, char *line, struct ctl_req *r, struct ctl_out *o)
{
	const struct ctl_cmd	*cmd;
	int			 nwords;

	if (ctl_split(line, r) == -1) {
		snprintf(r->err, sizeof r->err, "bad option or too many "
		    "words");
		return (CTL_FAIL);
	}
	if (r->argc == 0) {
		snprintf(r->err, sizeof r->err, "empty request");
		return (CTL_FAIL);
	}
	if ((cmd = ctl_find(r, &nwords)) == NULL) {
		snprintf(r->err, sizeof r->err, "unknown command \"%s\"",
		    r->argv[0]);
		return (CTL_FAIL);
	}
	if (r->argc < nwords + cmd->nargs ||
	    r->argc > nwords + cmd->nargs + cmd->optargs ||
	    (r->json && !(cmd->opts & OPT_JSON)) ||
	    ((r->offset >= 0 || r->limit >= 0) && !(cmd->opts & OPT_PAGE)) ||
	    (r->tun != NULL && !(cmd->opts & OPT_INST)) ||
	    (r->all && (!(cmd->opts & OPT_ALL) || r->tun != NULL))) {
		snprintf(r->err, sizeof r->err, "usage: %s", cmd->usage);
		return (CTL_FAIL);
	}
	if (ctl_instance_of(c->ctl->d, r) == -1)
		return (CTL_FAIL);
	o->json = r->json;
	return (cmd->fn(c, r, o));
}

/* Answer the request line of connection c. */
static void
ctl_request(struct ctl_conn *c, char *line)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);
	struct ctl_req	 r;
	struct ctl_out	 o;
	int		 rc;

	memset(&r, 0, sizeof r);
	memset(&o, 0, sizeof o);
	if ((o.b = evbuffer_new()) == NULL) {
		evbuffer_add_printf(out, "error: out of memory\n");
		c->replied = true;
		return;
	}
	log_debug("control: request \"%s\"", line);
	rc = ctl_run(c, line, &r, &o);
	if (rc == CTL_DONE) {
		evbuffer_add(out, "ok\n", 3);
		evbuffer_add_buffer(out, o.b);
	} else if (rc == CTL_FAIL)
		evbuffer_add_printf(out, "error: %s\n", r.err);
	c->replied = rc != CTL_LATER;
	evbuffer_free(o.b);
}

/* ---- connections ------------------------------------------------------- */

static void
ctl_close(struct ctl_conn *c)
{
	struct control	*ctl = c->ctl;

	if (ctl->reloading == c)
		ctl->reloading = NULL;
	TAILQ_REMOVE(&ctl->conns, c, entry);
	ctl->nconns--;
	bufferevent_free(c->bev);
	free(c);
}

/* The request is in, whole or up to EOF; or it is too long. */
static void
ctl_read(struct bufferevent *bev, void *arg)
{
	struct ctl_conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	char		*line;
	size_t		 len;

	if (c->lingering) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_CRLF)) == NULL) {
		if (evbuffer_get_length(in) <= CTL_LINE_MAX)
			return;
		evbuffer_add_printf(bufferevent_get_output(bev), "error: "
		    "request longer than %d bytes\n", CTL_LINE_MAX);
		c->replied = true;
	} else if (len > CTL_LINE_MAX) {
		evbuffer_add_printf(bufferevent_get_output(bev), "error: "
		    "request longer than %d bytes\n", CTL_LINE_MAX);
		c->replied = true;
	} else
		ctl_request(c, line);
	free(line);
	/* One request a connection: the rest is not read. */
	bufferevent_disable(bev, EV_READ);
}

/*
 * All of the reply is out: say so with a FIN, and close once the client
 * has closed too, or after a while.  Closing at once would make the
 * kernel reset the connection if the client had sent more than was read
 * (a refused request, one too long), and the client could lose the reply.
 */
static void
ctl_write(struct bufferevent *bev, void *arg)
{
	struct ctl_conn	*c = arg;
	struct timeval	 tv = { CTL_LINGER_SECS, 0 };

	if (!c->replied || c->lingering ||
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0)
		return;
	c->lingering = true;
	if (shutdown(bufferevent_getfd(bev), SHUT_WR) == -1) {
		ctl_close(c);
		return;
	}
	bufferevent_setwatermark(bev, EV_READ, 0, 0);
	bufferevent_set_timeouts(bev, &tv, NULL);
	bufferevent_enable(bev, EV_READ);
	ctl_read(bev, c);
}

static void
ctl_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	char		*line;
	size_t		 len;

	/* A last request line without its newline counts. */
	if (!c->replied && (what & BEV_EVENT_EOF) &&
	    (what & BEV_EVENT_READING) &&
	    (len = evbuffer_get_length(in)) > 0 && len <= CTL_LINE_MAX &&
	    (line = calloc(1, len + 1)) != NULL) {
		evbuffer_remove(in, line, len);
		bufferevent_disable(bev, EV_READ);
		ctl_request(c, line);
		free(line);
		return;		/* the peer may still read the reply */
	}
	if ((what & BEV_EVENT_TIMEOUT) && !c->lingering)
		log_debug("control: client timed out");
	else if (what & BEV_EVENT_ERROR)
		log_debug("control: client: %s", strerror(errno));
	ctl_close(c);
}

/*
 * Root, the daemon's own user and the members of the socket's group
 * may talk to the daemon.  The mode of the socket already says so to
 * the kernel; this check also holds for a client that can ignore the
 * mode (CAP_DAC_OVERRIDE without being root).
 */
static bool
ctl_allowed(const struct control *ctl, int fd, struct ucred *uc)
{
	socklen_t	 len = sizeof *uc;
	gid_t		 groups[64], *g = groups;
	size_t		 i, n;
	bool		 ok = false;

	memset(uc, 0, sizeof *uc);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, uc, &len) == -1) {
		log_warn("control: SO_PEERCRED");
		return (false);
	}
	if (uc->uid == 0 || uc->uid == geteuid() || uc->gid == ctl->gid)
		return (true);
	len = sizeof groups;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == -1) {
		if (errno != ERANGE || (g = malloc(len)) == NULL ||
		    getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == -1) {
			log_warn("control: SO_PEERGROUPS");
			len = 0;
		}
	}
	n = len / sizeof *g;
	for (i = 0; i < n && !ok; i++)
		ok = g[i] == ctl->gid;
	if (g != groups)
		free(g);
	return (ok);
}

/* Refuse politely: the reply is written, then the connection closed. */
static void
ctl_refuse(struct ctl_conn *c, const char *why)
{
	evbuffer_add_printf(bufferevent_get_output(c->bev), "error: %s\n",
	    why);
	c->replied = true;
	bufferevent_disable(c->bev, EV_READ);
}

static void
ctl_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct control	*ctl = arg;
	struct ctl_conn	*c;
	struct ucred	 uc;
	struct timeval	 rtv = { CTL_REQ_SECS, 0 }, wtv = { CTL_OUT_SECS, 0 };

	(void)lev;
	(void)sa;
	(void)salen;
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->bev = bufferevent_socket_new(ctl->d->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		log_warn("control: accept");
		free(c);
		close(fd);
		return;
	}
	c->ctl = ctl;
	TAILQ_INSERT_TAIL(&ctl->conns, c, entry);
	ctl->nconns++;
	bufferevent_setcb(c->bev, ctl_read, ctl_write, ctl_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, CTL_LINE_MAX + 2);
	bufferevent_set_timeouts(c->bev, &rtv, &wtv);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	if (!ctl_allowed(ctl, fd, &uc)) {
		log_warnx("control: refused pid %ld uid %lu gid %lu: not "
		    "root, uid %lu or in group %lu", (long)uc.pid,
		    (unsigned long)uc.uid, (unsigned long)uc.gid,
		    (unsigned long)geteuid(), (unsigned long)ctl->gid);
		ctl_refuse(c, "permission denied");
	} else if (ctl->nconns > CTL_CLIENTS) {
		log_debug("control: more than %d clients", CTL_CLIENTS);
		ctl_refuse(c, "too many clients, try again");
	}
}

/* accept() failed, for want of file descriptors most likely: pause. */
static void
ctl_accept_error(struct evconnlistener *lev, void *arg)
{
	struct control	*ctl = arg;
	struct timeval	 tv = { 1, 0 };

	log_warn("control socket %s: accept", ctl->path);
	evconnlistener_disable(lev);
	evtimer_add(ctl->retry, &tv);
}

static void
ctl_retry(evutil_socket_t fd, short what, void *arg)
{
	struct control	*ctl = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(ctl->lev);
}

/* ---- the socket -------------------------------------------------------- */

/* A socket file already at the path: in use, or left by a crash. */
static int
ctl_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat	st;
	int		fd, rc, saved;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return (0);
		log_warn("control socket %s", path);
		return (-1);
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("control socket %s: exists and is not a socket",
		    path);
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket %s: socket", path);
		return (-1);
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	saved = errno;
	close(fd);
	if (rc == 0 || saved == EAGAIN) {
		log_warnx("control socket %s: in use by another running "
		    "daemon", path);
		return (-1);
	}
	if (saved != ECONNREFUSED) {
		log_warnx("control socket %s: connect: %s", path,
		    strerror(saved));
		return (-1);
	}
	if (unlink(path) == -1) {
		log_warn("control socket %s: stale, but cannot remove it",
		    path);
		return (-1);
	}
	log_info("control socket %s: replaced a stale one", path);
	return (0);
}

/* The group of the socket: the configured one, or the daemon's. */
static int
ctl_group(const char *name, const char *path, gid_t *gid)
{
	struct group	*gr;

	*gid = getegid();
	if (name == NULL)
		return (0);
	errno = 0;
	if ((gr = getgrnam(name)) == NULL) {
		if (errno != 0)
			log_warn("control socket %s: group %s", path, name);
		else
			log_warnx("control socket %s: group %s: no such group",
			    path, name);
		return (-1);
	}
	*gid = gr->gr_gid;
	return (0);
}

/*
 * Make the socket's directory if it is missing (/run/tunmapd outside
 * systemd, which makes it for the unit): mode 0755, one level only.
 */
static int
ctl_mkdir(const char *path)
{
	char	*dir, *slash;
	int	 rc = 0;

	if ((dir = strdup(path)) == NULL) {
		log_warn("control socket %s", path);
		return (-1);
	}
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			log_warn("control socket %s: mkdir %s", path, dir);
			rc = -1;
		}
	}
	free(dir);
	return (rc);
}

/* Make the listening socket: mode 0660, the group of ctl->gid. */
static int
ctl_bind(struct control *ctl)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	mode_t			 old;
	int			 fd, rc;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(ctl->path) >= sizeof sun.sun_path) {
		log_warnx("control socket %s: path too long", ctl->path);
		return (-1);
	}
	strncpy(sun.sun_path, ctl->path, sizeof sun.sun_path - 1);
	if (ctl_mkdir(ctl->path) == -1 || ctl_stale(ctl->path, &sun) == -1)
		return (-1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket %s: socket", ctl->path);
		return (-1);
	}
	/* Never, not even for a moment, more open than 0660. */
	old = umask(S_IXUSR | S_IXGRP | S_IRWXO);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (rc == -1) {
		log_warn("control socket %s: bind", ctl->path);
		close(fd);
		return (-1);
	}
	if (chown(ctl->path, (uid_t)-1, ctl->gid) == -1 ||
	    chmod(ctl->path, 0660) == -1 || stat(ctl->path, &st) == -1) {
		log_warn("control socket %s: group %lu, mode 0660", ctl->path,
		    (unsigned long)ctl->gid);
		unlink(ctl->path);
		close(fd);
		return (-1);
	}
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	return (fd);
}

int
control_start(struct tunmapd *d)
{
	struct control	*ctl;
	int		 fd;

	if ((ctl = calloc(1, sizeof *ctl)) == NULL ||
	    (ctl->path = strdup(d->conf->ctl_socket)) == NULL) {
		log_warn("control socket");
		free(ctl);
		return (-1);
	}
	ctl->d = d;
	TAILQ_INIT(&ctl->conns);
	if (ctl_group(d->conf->ctl_group, ctl->path, &ctl->gid) == -1 ||
	    (fd = ctl_bind(ctl)) == -1)
		goto fail;
	ctl->lev = evconnlistener_new(d->base, ctl_accept, ctl,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, CTL_BACKLOG, fd);
	if (ctl->lev == NULL) {
		log_warn("control socket %s: listen", ctl->path);
		unlink(ctl->path);
		close(fd);
		goto fail;
	}
	evconnlistener_set_error_cb(ctl->lev, ctl_accept_error);
	if ((ctl->retry = evtimer_new(d->base, ctl_retry, ctl)) == NULL) {
		log_warnx("control socket %s: cannot add a timer", ctl->path);
		evconnlistener_free(ctl->lev);
		unlink(ctl->path);
		goto fail;
	}
	d->ctl = ctl;
	log_debug("control socket %s: listening", ctl->path);
	return (0);
fail:
	free(ctl->path);
	free(ctl);
	return (-1);
}

void
control_stop(struct tunmapd *d)
{
	struct control	*ctl = d->ctl;
	struct ctl_conn	*c;
	struct stat	 st;

	if (ctl == NULL)
		return;
	while ((c = TAILQ_FIRST(&ctl->conns)) != NULL)
		ctl_close(c);
	evconnlistener_free(ctl->lev);
	event_free(ctl->retry);
	/* Only the file made here: another daemon's may have replaced it. */
	if (stat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
	    st.st_ino == ctl->ino && unlink(ctl->path) == -1)
		log_warn("control socket %s: unlink", ctl->path);
	free(ctl->path);
	free(ctl);
	d->ctl = NULL;
}
