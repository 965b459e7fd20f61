/* SPDX-License-Identifier: ISC */
/*
 * netlink.c: the routes into the tun device, through rtnetlink.  Every
 * route tunmapd installs carries its own protocol number, and a delete
 * names that protocol and the tun, so tunmapd never removes a route it
 * did not install.  Messages go in batches, and every reply is read, so a
 * million routes take seconds.  No state is kept between calls, and
 * nothing here is on the packet path.
 */
#include <sys/socket.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "log.h"
#include "netlink.h"

#define NL_BATCH	1024		/* route messages a send */
#define NL_MSG_MAX	64		/* an IPv6 route message takes 56 bytes */
#define NL_BUFSIZE	(NL_BATCH * NL_MSG_MAX)
#define NL_RCVBUF	(4 << 20)	/* the error replies to a whole batch */
#define NL_LOG_MAX	20		/* refusals logged one by one, a sync */

enum nl_op {
	NL_ADD,
	NL_DEL
};

struct nl {
	struct mnl_socket	*sock;
	unsigned int		 portid;
	unsigned int		 ifindex;
	const char		*ifname;
	uint32_t		 seq;
	char			*buf;	/* NL_BUFSIZE */
	size_t			 refused[2];	/* messages, by enum nl_op */
	size_t			 failed;	/* refusals that are errors */
	size_t			 logged;	/* refusals logged */
};

/* The routes of one dump that tunmapd installed through the tun. */
struct nl_dump {
	unsigned int		 ifindex;
	struct nl_route		*r;
	size_t			 n;
	size_t			 size;
};

static void
route4(struct nl_route *r, const struct prefix4 *p)
{
	memset(r, 0, sizeof *r);
	r->family = AF_INET;
	r->len = p->len;
	memcpy(r->addr, &p->addr, sizeof p->addr);
}

static void
route6(struct nl_route *r, const struct prefix6 *p)
{
	memset(r, 0, sizeof *r);
	r->family = AF_INET6;
	r->len = p->len;
	memcpy(r->addr, &p->addr, sizeof p->addr);
}

/* Order by family, address, then length: nested prefixes stay apart. */
int
nl_route_cmp(const void *va, const void *vb)
{
	const struct nl_route	*a = va, *b = vb;
	int			 d;

	if (a->family != b->family)
		return (a->family < b->family ? -1 : 1);
	if ((d = memcmp(a->addr, b->addr, sizeof a->addr)) != 0)
		return (d);
	return (a->len - b->len);
}

/* Sort r and drop the duplicates; the new count. */
static size_t
route_uniq(struct nl_route *r, size_t n)
{
	size_t	i, k = 0;

	qsort(r, n, sizeof *r, nl_route_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || nl_route_cmp(&r[k - 1], &r[i]) != 0)
			r[k++] = r[i];
	return (k);
}

/* A host route to one IPv6 address. */
static void
route6host(struct nl_route *r, const struct in6_addr *a)
{
	struct prefix6	p = { *a, 128 };

	route6(r, &p);
}

/*
 * A softwire instance routes into its tun: each bound IPv4 address, the
 * BR addresses its lwB4s send to, its own IPv4 address and the IPv4
 * islands of its mesh routes.
 */
static size_t
route_set_softwire(const struct config_instance *c, struct nl_route *r)
{
	struct prefix4	p4 = { 0, 32 };
	size_t		i, n = 0;

	for (i = 0; i < c->bind.n; i++) {
		if (i > 0 && c->bind.b[i].ipv4 == c->bind.b[i - 1].ipv4)
			continue;
		p4.addr = c->bind.b[i].ipv4;
		route4(&r[n++], &p4);
	}
	for (i = 0; i < c->bind.nbr; i++)
		route6host(&r[n++], &c->bind.br[i]);
	if (c->sw.has_ipv4) {
		p4.addr = c->sw.ipv4;
		route4(&r[n++], &p4);
	}
	for (i = 0; i < c->nswroutes; i++)
		route4(&r[n++], &c->swroutes[i].p4);
	return (n);
}

/*
 * The prefixes of c that belong in the tun, sorted, each once.  An EAM
 * entry is routed by its IPv4 side, the addresses IPv4 hosts reach: which
 * side of the translator the hosts of an entry are on is not known here.
 */
struct nl_route *
nl_route_set(const struct config_instance *c, size_t *np)
{
	struct nl_route	*r;
	size_t		 i, n = 0;

	if (c->mode == MODE_SOFTWIRE) {
		if ((r = calloc(c->bind.n + c->bind.nbr + c->nswroutes + 1,
		    sizeof *r)) == NULL)
			return (NULL);
		*np = route_uniq(r, route_set_softwire(c, r));
		return (r);
	}
	if ((r = calloc(c->neam + 1, sizeof *r)) == NULL)
		return (NULL);
	for (i = 0; i < c->neam; i++)
		route4(&r[n++], &c->eam[i].p4);
	if (c->has_pool6)
		route6(&r[n++], &c->pool6);
	*np = route_uniq(r, n);
	return (r);
}

/*
 * Put in out, which has room for na, the routes of a that are not in b;
 * both sorted and without duplicates.  The count put.
 */
size_t
nl_route_minus(const struct nl_route *a, size_t na, const struct nl_route *b,
    size_t nb, struct nl_route *out)
{
	size_t	i = 0, j = 0, n = 0;
	int	d;

	while (i < na) {
		d = j < nb ? nl_route_cmp(&a[i], &b[j]) : -1;
		if (d < 0)
			out[n++] = a[i++];
		else if (d > 0)
			j++;
		else {
			i++;
			j++;
		}
	}
	return (n);
}

const char *
nl_route_str(const struct nl_route *r, char *buf, size_t size)
{
	struct prefix4	p4;
	struct prefix6	p6;

	if (r->family == AF_INET) {
		memcpy(&p4.addr, r->addr, sizeof p4.addr);
		p4.len = r->len;
		return (addr_str4(&p4, buf, size));
	}
	memcpy(&p6.addr, r->addr, sizeof p6.addr);
	p6.len = r->len;
	return (addr_str6(&p6, buf, size));
}

static void
nl_close(struct nl *nl)
{
	if (nl->sock != NULL)
		mnl_socket_close(nl->sock);
	free(nl->buf);
}

static int
nl_open(struct nl *nl, const struct tun *t)
{
	int	one = 1, size = NL_RCVBUF, fd;

	memset(nl, 0, sizeof *nl);
	nl->ifname = t->name;
	if ((nl->ifindex = if_nametoindex(t->name)) == 0) {
		log_warn("tun %s: if_nametoindex", t->name);
		return (-1);
	}
	if ((nl->buf = malloc(NL_BUFSIZE)) == NULL ||
	    (nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) == -1) {
		log_warn("tun %s: netlink socket", t->name);
		nl_close(nl);
		return (-1);
	}
	/* Room for the replies to a batch; beyond it they would be lost. */
	fd = mnl_socket_get_fd(nl->sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) ==
	    -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	/* Error replies without a copy of the request: smaller. */
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof one);
	/* Dumps filtered by the kernel, where it can. */
	mnl_socket_setsockopt(nl->sock, NETLINK_GET_STRICT_CHK, &one,
	    sizeof one);
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return (0);
}

static int
dump_attr(const struct nlattr *a, void *arg)
{
	const struct nlattr	**tb = arg;

	if (mnl_attr_type_valid(a, RTA_MAX) > 0)
		tb[mnl_attr_get_type(a)] = a;
	return (MNL_CB_OK);
}

/* Keep a dumped route if tunmapd installed it through the tun. */
static int
dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_dump		*d = arg;
	const struct rtmsg	*rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr	*tb[RTA_MAX + 1] = { NULL };
	struct nl_route		*r;
	uint32_t		 table;
	size_t			 alen = rtm->rtm_family == AF_INET ? 4 : 16;

	if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    rtm->rtm_protocol != NL_RTPROT_TUNMAPD ||
	    rtm->rtm_type != RTN_UNICAST ||
	    mnl_attr_parse(nlh, sizeof *rtm, dump_attr, tb) < 0)
		return (MNL_CB_OK);
	table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	if (table != RT_TABLE_MAIN || tb[RTA_OIF] == NULL ||
	    mnl_attr_get_u32(tb[RTA_OIF]) != d->ifindex ||
	    (tb[RTA_DST] && mnl_attr_get_payload_len(tb[RTA_DST]) != alen))
		return (MNL_CB_OK);
	if (d->n == d->size) {
		d->size = d->size ? d->size * 2 : 64;
		if ((r = reallocarray(d->r, d->size, sizeof *r)) == NULL)
			return (MNL_CB_ERROR);
		d->r = r;
	}
	r = &d->r[d->n++];
	memset(r, 0, sizeof *r);
	r->family = rtm->rtm_family;
	r->len = rtm->rtm_dst_len;
	if (tb[RTA_DST])
		memcpy(r->addr, mnl_attr_get_payload(tb[RTA_DST]), alen);
	return (MNL_CB_OK);
}

/* Add to d the routes of one family that tunmapd has in the tun. */
static int
nl_dump(struct nl *nl, int family, struct nl_dump *d)
{
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	uint32_t	 seq = nl->seq++;
	ssize_t		 n;
	int		 rv = MNL_CB_OK;

	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	rtm->rtm_family = family;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = NL_RTPROT_TUNMAPD;
	mnl_attr_put_u32(nlh, RTA_OIF, nl->ifindex);
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) == -1)
		return (-1);
	while (rv > MNL_CB_STOP) {
		if ((n = mnl_socket_recvfrom(nl->sock, nl->buf,
		    NL_BUFSIZE)) == -1)
			return (-1);
		rv = mnl_cb_run(nl->buf, n, seq, nl->portid, dump_cb, d);
	}
	return (rv == MNL_CB_ERROR ? -1 : 0);
}

/*
 * The routes that tunmapd installed through the tun and that are there
 * now, sorted: those a run that ended without cleaning up left behind.
 */
static struct nl_route *
nl_owned(struct nl *nl, size_t *np)
{
	struct nl_dump	d = { nl->ifindex, NULL, 0, 0 };

	if (nl_dump(nl, AF_INET, &d) == -1 ||
	    nl_dump(nl, AF_INET6, &d) == -1 ||
	    (d.r == NULL && (d.r = calloc(1, sizeof *d.r)) == NULL)) {
		log_warn("tun %s: netlink route dump", nl->ifname);
		free(d.r);
		return (NULL);
	}
	*np = route_uniq(d.r, d.n);
	return (d.r);
}

/* Put the message that adds or deletes r at buf. */
static struct nlmsghdr *
nl_route_msg(struct nl *nl, void *buf, enum nl_op op,
    const struct nl_route *r)
{
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;

	nlh = mnl_nlmsg_put_header(buf);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
	rtm->rtm_family = r->family;
	rtm->rtm_dst_len = r->len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = NL_RTPROT_TUNMAPD;
	rtm->rtm_type = RTN_UNICAST;
	if (op == NL_ADD) {
		/* EXCL: a route of the same prefix and metric stays. */
		nlh->nlmsg_type = RTM_NEWROUTE;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
		/* IPv6 routes have no scope; ip(8) says universe. */
		rtm->rtm_scope = r->family == AF_INET ? RT_SCOPE_LINK :
		    RT_SCOPE_UNIVERSE;
	} else {
		/* Deletes only what matches protocol, tun and prefix. */
		nlh->nlmsg_type = RTM_DELROUTE;
		nlh->nlmsg_flags = NLM_F_REQUEST;
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	}
	mnl_attr_put(nlh, RTA_DST, r->family == AF_INET ? 4 : 16, r->addr);
	mnl_attr_put_u32(nlh, RTA_OIF, nl->ifindex);
	return (nlh);
}

/* Report a message the kernel refused; count it unless harmless. */
static void
nl_refused(struct nl *nl, enum nl_op op, const struct nl_route *r, int err)
{
	char	s[ADDR_STRLEN];

	nl->refused[op]++;
	/* EEXIST: someone else's route stays; ESRCH: nothing to remove. */
	if (op == NL_ADD ? err != EEXIST : err != ESRCH)
		nl->failed++;
	/* A million refusals (a device down) would flood the log. */
	if (nl->logged++ >= NL_LOG_MAX)
		return;
	nl_route_str(r, s, sizeof s);
	if (op == NL_DEL && err == ESRCH)
		log_debug("route %s dev %s: delete: %s", s, nl->ifname,
		    strerror(err));
	else if (op == NL_ADD && err == EEXIST)
		log_warnx("route %s dev %s: add: %s: keeping the route "
		    "that is there", s, nl->ifname, strerror(err));
	else
		log_warnx("route %s dev %s: %s: %s", s, nl->ifname,
		    op == NL_ADD ? "add" : "delete", strerror(err));
}

/* Handle the replies in buf; true when the last message is answered. */
static bool
nl_reply(struct nl *nl, enum nl_op op, const struct nl_route *r, size_t n,
    uint32_t seq0, const void *buf, int len)
{
	const struct nlmsghdr	*nlh;
	const struct nlmsgerr	*e;
	size_t			 i;

	for (nlh = buf; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh,
	    &len)) {
		i = nlh->nlmsg_seq - seq0;
		if (nlh->nlmsg_type != NLMSG_ERROR || i >= n ||
		    mnl_nlmsg_get_payload_len(nlh) < sizeof *e)
			continue;
		e = mnl_nlmsg_get_payload(nlh);
		if (e->error != 0)
			nl_refused(nl, op, &r[i], -e->error);
		if (i == n - 1)
			return (true);
	}
	return (false);
}

/*
 * Read the replies to a batch of n messages from seq0 on.  The kernel
 * handles a batch inside the send, so every reply is queued by now: an
 * error for each message refused, then the ack of the last one.
 */
static int
nl_replies(struct nl *nl, enum nl_op op, const struct nl_route *r,
    size_t n, uint32_t seq0)
{
	char	buf[4096];
	ssize_t	got;
	bool	lost = false;

	for (;;) {
		got = recv(mnl_socket_get_fd(nl->sock), buf, sizeof buf,
		    MSG_DONTWAIT);
		if (got == -1 && errno == EINTR)
			continue;
		/* The receive buffer overflowed: replies were dropped. */
		if (got == -1 && errno == ENOBUFS) {
			lost = true;
			continue;
		}
		if (got == -1 || nl_reply(nl, op, r, n, seq0, buf, (int)got))
			break;
	}
	if (got != -1 && !lost)
		return (0);
	log_warnx("tun %s: netlink: replies to %zu routes lost, some may "
	    "be missing", nl->ifname, n);
	nl->failed++;
	return (-1);
}

/* Send one batch of n messages, the last asking for an ack. */
static int
nl_batch(struct nl *nl, enum nl_op op, const struct nl_route *r, size_t n)
{
	struct mnl_nlmsg_batch	*b;
	struct nlmsghdr		*nlh = NULL;
	uint32_t		 seq0 = nl->seq;
	size_t			 i;
	ssize_t			 sent;

	if ((b = mnl_nlmsg_batch_start(nl->buf, NL_BUFSIZE)) == NULL) {
		log_warn("tun %s: netlink batch", nl->ifname);
		nl->failed++;
		return (-1);
	}
	for (i = 0; i < n; i++) {
		nlh = nl_route_msg(nl, mnl_nlmsg_batch_current(b), op, &r[i]);
		nlh->nlmsg_seq = seq0 + (uint32_t)i;
		mnl_nlmsg_batch_next(b);
	}
	nlh->nlmsg_flags |= NLM_F_ACK;
	nl->seq = seq0 + (uint32_t)n;
	sent = mnl_socket_sendto(nl->sock, mnl_nlmsg_batch_head(b),
	    mnl_nlmsg_batch_size(b));
	mnl_nlmsg_batch_stop(b);
	if (sent == -1) {
		log_warn("tun %s: netlink send", nl->ifname);
		nl->refused[op] += n;
		nl->failed++;
		return (-1);
	}
	return (nl_replies(nl, op, r, n, seq0));
}

static void
nl_send(struct nl *nl, enum nl_op op, const struct nl_route *r, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < NL_BATCH ? n - i : NL_BATCH;
		nl_batch(nl, op, r + i, k);
	}
}

static double
since(const struct timespec *t0)
{
	struct timespec	t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ((double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9);
}

/* Remove the routes of was not in now, add those of now not in was. */
static int
nl_apply(struct nl *nl, const struct nl_route *was, size_t nwas,
    const struct nl_route *now, size_t nnow)
{
	struct nl_route	*gone, *came;
	struct timespec	 t0;
	size_t		 ngone, ncame;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	gone = calloc(nwas + 1, sizeof *gone);
	came = calloc(nnow + 1, sizeof *came);
	if (gone == NULL || came == NULL) {
		log_warn("tun %s: routes", nl->ifname);
		free(gone);
		free(came);
		return (-1);
	}
	ngone = nl_route_minus(was, nwas, now, nnow, gone);
	ncame = nl_route_minus(now, nnow, was, nwas, came);
	nl_send(nl, NL_DEL, gone, ngone);
	nl_send(nl, NL_ADD, came, ncame);
	if (nl->logged > NL_LOG_MAX)
		log_warnx("tun %s: routes: %zu more refused, not logged",
		    nl->ifname, nl->logged - NL_LOG_MAX);
	if (ngone != 0 || ncame != 0)
		log_info("tun %s: routes: %zu added, %zu removed, %zu failed "
		    "in %.3f s", nl->ifname, ncame - nl->refused[NL_ADD],
		    ngone - nl->refused[NL_DEL], nl->failed, since(&t0));
	free(gone);
	free(came);
	return (nl->failed != 0 ? -1 : 0);
}

/*
 * Make the routes into the tun follow the configuration.  old NULL: c is
 * starting, and the routes tunmapd left in the tun before stand for old.
 * c NULL: remove the routes of old.  -1 if a route could not be added or
 * removed; each is logged.
 */
int
nl_routes_sync(const struct tun *t, const struct config_instance *old,
    const struct config_instance *c)
{
	struct nl	 nl;
	struct nl_route	*was = NULL, *now = NULL;
	size_t		 nwas = 0, nnow = 0;
	int		 rv = -1;

	if (nl_open(&nl, t) == -1)
		return (-1);
	if (old == NULL)
		was = nl_owned(&nl, &nwas);
	else if ((was = nl_route_set(old, &nwas)) == NULL)
		log_warn("tun %s: routes", t->name);
	if (was != NULL && c != NULL &&
	    (now = nl_route_set(c, &nnow)) == NULL)
		log_warn("tun %s: routes", t->name);
	if (was != NULL && (c == NULL || now != NULL))
		rv = nl_apply(&nl, was, nwas, now, nnow);
	free(was);
	free(now);
	nl_close(&nl);
	return (rv);
}
