/* SPDX-License-Identifier: ISC */
/*
 * ctlcmd.c: the commands of the control socket but lookup (ctllookup.c):
 * status, stats, show mappings, show bindings and reload.  Each reads the
 * running configuration and counters from the loop and writes its reply
 * through ctlout.c.  The two "show" commands answer one page at a time,
 * at most CTL_PAGE_MAX or CTL_BINDINGS_PAGE_MAX rows, so a request takes
 * the loop for a bounded time whatever the size of the table; reload
 * answers when the reload ends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"
#include "control.h"
#include "ctlcmd.h"
#include "ctlout.h"
#include "daemon.h"

#ifndef TUN_F_USO4
#define TUN_F_USO4	0x20
#define TUN_F_USO6	0x40
#endif

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
int
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
int
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

int
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
int
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

int
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
