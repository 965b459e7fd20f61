/* SPDX-License-Identifier: ISC */
/*
 * instance.c: the packet loop of one tun device.  A readable tun is
 * drained in bounded batches; each packet is translated in place in the
 * one buffer and written back once.  A failed write is counted, never
 * retried: the sender's transport recovers, a retry loop would stall.
 */
#include <sys/uio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "frag.h"
#include "netlink.h"
#include "instance.h"
#include "log.h"
#include "siit.h"
#include "vnet.h"

/*
 * Translate one packet read from the tun and count it.  Pure: the caller
 * does the I/O the verdict asks for and counts what it writes.
 */
enum verdict
instance_translate(const struct tables *t, struct pkt *p, struct stats *st,
    enum drop_reason *whyp)
{
	enum drop_reason	why = DROP_BAD_VERSION;
	enum verdict		v = VERDICT_DROP;
	uint8_t			ver = p->len > 0 ? p->data[0] >> 4 : 0;

	if (ver == 4) {
		st->n[STAT_IN4_PACKETS]++;
		st->n[STAT_IN4_BYTES] += p->len;
		v = siit_4to6(t, p, &why);
	} else if (ver == 6) {
		st->n[STAT_IN6_PACKETS]++;
		st->n[STAT_IN6_BYTES] += p->len;
		v = siit_6to4(t, p, &why);
	}
	if (v == VERDICT_DROP || v == VERDICT_REPLY)
		st->n[STAT_DROP(why)]++;
	*whyp = why;
	return (v);
}

/*
 * With -v, say why a packet was dropped: its family and addresses, which
 * a drop leaves as they came.  At most 10 lines a second, so that a
 * flood cannot fill the disk.
 */
static void
instance_log_drop(struct instance *in, const struct pkt *p,
    enum drop_reason why, uint64_t now)
{
	char	src[INET6_ADDRSTRLEN] = "?", dst[INET6_ADDRSTRLEN] = "?";

	if (!log_is_verbose() || !icmp_ratelimit(&in->droplog, now, 10, 10))
		return;
	if (p->len >= 20 && p->data[0] >> 4 == 4) {
		inet_ntop(AF_INET, p->data + 12, src, sizeof src);
		inet_ntop(AF_INET, p->data + 16, dst, sizeof dst);
	} else if (p->len >= 40 && p->data[0] >> 4 == 6) {
		inet_ntop(AF_INET6, p->data + 8, src, sizeof src);
		inet_ntop(AF_INET6, p->data + 24, dst, sizeof dst);
	}
	log_debug("tun %s: drop %s: %zu bytes %s -> %s", in->tun.name,
	    stats_drop_name(why), p->len, src, dst);
}

static uint64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

/*
 * Write the len bytes at data to a tun with offloads, behind the header
 * that says what the kernel still has to do with them (off), or that
 * they are finished (off NULL).
 */
static ssize_t
instance_write_vnet(struct instance *in, const uint8_t *data, size_t len,
    const struct pkt *off)
{
	struct pkt	plain;
	uint8_t		hdr[VNET_HLEN];
	struct iovec	iov[2];

	if (off == NULL) {
		memset(&plain, 0, sizeof plain);
		off = &plain;
	}
	vnet_write(off, hdr);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof hdr;
	iov[1].iov_base = (void *)(uintptr_t)data;
	iov[1].iov_len = len;
	return (writev(in->tun.fd, iov, 2) - (ssize_t)sizeof hdr);
}

/* Write one packet to the tun and count it by family. */
static int
instance_write(struct instance *in, const uint8_t *data, size_t len,
    const struct pkt *off)
{
	struct stats	*s = &in->stats;
	ssize_t		 n;

	if (in->tun.vnet)
		n = instance_write_vnet(in, data, len, off);
	else
		n = write(in->tun.fd, data, len);
	if (n != (ssize_t)len) {
		s->n[STAT_WRITE_ERRORS]++;
		return (-1);
	}
	if (data[0] >> 4 == 4) {
		s->n[STAT_OUT4_PACKETS]++;
		s->n[STAT_OUT4_BYTES] += len;
	} else {
		s->n[STAT_OUT6_PACKETS]++;
		s->n[STAT_OUT6_BYTES] += len;
	}
	return (0);
}

/* Do what the verdict says with a translated packet. */
static void
instance_output(struct instance *in, struct pkt *p, enum verdict v)
{
	size_t	done = 0, n;

	switch (v) {
	case VERDICT_FORWARD:
		instance_write(in, p->data, p->len, p);
		break;
	case VERDICT_REPLY:
		if (!icmp_ratelimit(&in->rl, now_ms(), in->tables->icmp_rate,
		    in->tables->icmp_burst)) {
			in->stats.n[STAT_DROP(DROP_ICMP_RATE)]++;
			break;
		}
		if (instance_write(in, p->data, p->len, NULL) == 0)
			in->stats.n[STAT_ICMP_SENT]++;
		break;
	case VERDICT_FRAGMENT:
		while ((n = frag6_next(p, in->tables->lowest_mtu, &done,
		    in->fragbuf)) > 0) {
			in->stats.n[STAT_FRAGMENTS_OUT]++;
			instance_write(in, in->fragbuf, n, NULL);
		}
		break;
	case VERDICT_SEGMENT:		/* instance_packet() cuts it first */
	case VERDICT_DROP:
		break;
	}
}

/*
 * A super-packet that cannot stay one: cut it into finished segments,
 * as the kernel would have, and translate each.
 */
static void
instance_segment(struct instance *in, const struct pkt *p)
{
	struct pkt		 s;
	enum verdict		 v;
	enum drop_reason	 why;
	uint8_t			*b = in->segbuf + PKT_HEADROOM;
	size_t			 n, done = 0, size = in->bufsize - PKT_HEADROOM;

	while ((n = vnet_segment(p, &done, b, size)) > 0) {
		memset(&s, 0, sizeof s);
		s.data = b;
		s.len = n;
		s.head = PKT_HEADROOM;
		s.tail = size - n;
		v = instance_translate(in->tables, &s, &in->stats, &why);
		if (v == VERDICT_DROP)
			instance_log_drop(in, &s, why, now_ms());
		instance_output(in, &s, v);
	}
}

/*
 * Translate one packet read from the tun and send what comes of it.  With
 * offloads, the kernel's header is just before it: its offsets follow
 * the transport header when the IP header changes size.
 */
static void
instance_packet(struct instance *in, struct pkt *p)
{
	const uint8_t		*old = p->data;
	enum verdict		 v;
	enum drop_reason	 why;

	if (in->tun.vnet && vnet_parse(p->data - VNET_HLEN, p, &why) ==
	    VERDICT_DROP) {
		in->stats.n[STAT_DROP(why)]++;
		instance_log_drop(in, p, why, now_ms());
		return;
	}
	v = instance_translate(in->tables, p, &in->stats, &why);
	if (v == VERDICT_DROP)
		instance_log_drop(in, p, why, now_ms());
	if (v == VERDICT_SEGMENT)
		instance_segment(in, p);
	else {
		vnet_moved(p, old);
		instance_output(in, p, v);
	}
}

static void
instance_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct instance		*in = arg;
	struct pkt		 p;
	size_t			 hl = in->tun.vnet ? VNET_HLEN : 0;
	ssize_t			 n;
	int			 i;

	(void)what;
	for (i = 0; i < INSTANCE_BATCH; i++) {
		/* The kernel's header, if any, lands just before the packet. */
		n = read(fd, in->buf + PKT_HEADROOM - hl,
		    in->bufsize - PKT_HEADROOM + hl);
		if (n <= (ssize_t)hl) {
			if (n == -1 && errno != EAGAIN && errno != EINTR) {
				in->stats.n[STAT_READ_ERRORS]++;
				log_debug("tun %s: read: %s", in->tun.name,
				    strerror(errno));
			}
			return;
		}
		memset(&p, 0, sizeof p);
		p.data = in->buf + PKT_HEADROOM;
		p.len = (size_t)n - hl;
		p.head = PKT_HEADROOM;
		p.tail = in->bufsize - PKT_HEADROOM - p.len;
		instance_packet(in, &p);
	}
}

/* Open the tun of c and start serving it on base. */
int
instance_start(struct instance *in, struct event_base *base,
    const struct config *c)
{
	memset(in, 0, sizeof *in);
	in->tun.fd = -1;
	in->bufsize = PKT_HEADROOM + PKT_MAXLEN + 64;
	if ((in->buf = malloc(in->bufsize)) == NULL ||
	    (in->segbuf = malloc(in->bufsize)) == NULL ||
	    (in->fragbuf = malloc(CONFIG_MTU_MAX)) == NULL) {
		log_warn("instance: buffer");
		return (-1);
	}
	if ((in->tables = tables_build(c)) == NULL) {
		log_warn("instance: tables");
		goto fail;
	}
	if (tun_open(&in->tun, c->tun_name, c->mtu, c->offload) == -1)
		goto fail;
	if (c->routes && nl_routes_sync(&in->tun, NULL, c) == -1)
		goto fail;
	in->ev = event_new(base, in->tun.fd, EV_READ | EV_PERSIST,
	    instance_read_cb, in);
	if (in->ev == NULL || event_add(in->ev, NULL) == -1) {
		log_warnx("tun %s: cannot add the read event", in->tun.name);
		goto fail;
	}
	return (0);
fail:
	instance_stop(in);
	return (-1);
}

/*
 * Swap in the snapshot t, built from c, and return the old one.  The loop
 * is single-threaded, so no packet is between read and write here and
 * the old snapshot can go.  (The reload thread has moved the routes.)
 */
struct tables *
instance_swap(struct instance *in, const struct config *c, struct tables *t)
{
	struct tables	*old = in->tables;

	if (c->mtu != in->tun.mtu && tun_set_mtu(&in->tun, c->mtu) == -1)
		log_warnx("reload: keeping mtu %d", in->tun.mtu);
	/* The device keeps its old MTU if the new one failed. */
	t->mtu = (uint16_t)in->tun.mtu;
	if (t->lowest_mtu > t->mtu)
		t->lowest_mtu = t->mtu;
	in->tables = t;
	return (old);
}

void
instance_stop(struct instance *in)
{
	if (in->ev != NULL)
		event_free(in->ev);
	in->ev = NULL;
	tun_close(&in->tun);
	tables_free(in->tables);
	in->tables = NULL;
	free(in->buf);
	free(in->fragbuf);
	free(in->segbuf);
	in->buf = in->fragbuf = in->segbuf = NULL;
}

/*
 * Log every counter as "stats: <name> N", then each drop reason that
 * happened as "stats: drop <reason> N".
 */
void
instance_log_stats(const struct instance *in)
{
	const struct stats	*s = &in->stats;
	int			 i;

	for (i = 0; i < STAT_DROPS; i++)
		log_info("stats: %s %" PRIu64, stats_name(i), s->n[i]);
	for (i = 0; i < DROP_MAX; i++)
		if (s->n[STAT_DROP(i)] != 0)
			log_info("stats: drop %s %" PRIu64,
			    stats_drop_name(i), s->n[STAT_DROP(i)]);
}
