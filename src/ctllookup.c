/* SPDX-License-Identifier: ISC */
/*
 * ctllookup.c: the "lookup" command of the control socket, which says
 * what the instance does with an address, and a port for a softwire.
 * For SIIT it asks the translator itself, with a probe packet; for a
 * softwire it follows the order of the packet path through the tables
 * of the running snapshot, and for a lwB4's IPv6 address scans the
 * binding list.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "ctlcmd.h"
#include "ctlout.h"
#include "daemon.h"
#include "psid.h"
#include "siit.h"
#include "softwire.h"

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
int
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
