/* SPDX-License-Identifier: ISC */
/*
 * instance.c: the packet loops of one tun device.  A readable queue is
 * drained in bounded batches; each packet is translated in place in the
 * queue's one buffer and written back once.  A failed write is counted,
 * never retried: the sender's transport recovers, a retry loop would
 * stall.  Queues beyond the first run on threads of their own; they share
 * the snapshot, which a reload replaces by one pointer store and frees
 * only once every queue has finished the batch that could still see it
 * (each queue's seq is odd while a batch runs).
 */
#include <sys/uio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "frag.h"
#include "instance.h"
#include "log.h"
#include "netlink.h"
#include "reasm.h"
#include "siit.h"
#include "softwire.h"
#include "vnet.h"

/*
 * Translate a packet, counting a drop; hint as for siit_4to6_hint().  A
 * segment of a super-packet comes here alone: the read was counted once,
 * as one packet.
 */
static enum verdict
translate(const struct tables *t, struct pkt *p,
    const struct tables_hint *hint, struct stats *st, enum drop_reason *whyp)
{
	enum drop_reason	why = DROP_BAD_VERSION;
	enum verdict		v = VERDICT_DROP;
	uint8_t			ver = p->len > 0 ? p->data[0] >> 4 : 0;

	if (ver == 4)
		v = siit_4to6_hint(t, p, hint, &why);
	else if (ver == 6)
		v = siit_6to4_hint(t, p, hint, &why);
	if (v == VERDICT_DROP || v == VERDICT_REPLY)
		st->n[STAT_DROP(why)]++;
	*whyp = why;
	return (v);
}

/*
 * Translate one packet read from the tun and count it.  Pure: the caller
 * does the I/O the verdict asks for and counts what it writes.
 */
enum verdict
instance_translate(const struct tables *t, struct pkt *p,
    const struct tables_hint *hint, struct stats *st, enum drop_reason *whyp)
{
	uint8_t	ver = p->len > 0 ? p->data[0] >> 4 : 0;

	if (ver == 4) {
		st->n[STAT_IN4_PACKETS]++;
		st->n[STAT_IN4_BYTES] += p->len;
	} else if (ver == 6) {
		st->n[STAT_IN6_PACKETS]++;
		st->n[STAT_IN6_BYTES] += p->len;
	}
	return (translate(t, p, hint, st, whyp));
}

/*
 * With -v, say why a packet was dropped: its family and addresses, which
 * a drop leaves as they came.  At most 10 lines a second, so that a
 * flood cannot fill the disk.
 */
static void
queue_log_drop(struct queue *q, const struct pkt *p, enum drop_reason why,
    uint64_t now)
{
	char	src[INET6_ADDRSTRLEN] = "?", dst[INET6_ADDRSTRLEN] = "?";

	if (!log_is_verbose() || !icmp_ratelimit(&q->droplog, now, 10, 10))
		return;
	if (p->len >= 20 && p->data[0] >> 4 == 4) {
		inet_ntop(AF_INET, p->data + 12, src, sizeof src);
		inet_ntop(AF_INET, p->data + 16, dst, sizeof dst);
	} else if (p->len >= 40 && p->data[0] >> 4 == 6) {
		inet_ntop(AF_INET6, p->data + 8, src, sizeof src);
		inet_ntop(AF_INET6, p->data + 24, dst, sizeof dst);
	}
	log_debug("tun %s: drop %s: %zu bytes %s -> %s", q->in->tun.name,
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
 * Write the len bytes at data to a queue with offloads, behind the header
 * that says what the kernel still has to do with them (off), or that
 * they are finished (off NULL).
 */
static ssize_t
queue_write_vnet(struct queue *q, const uint8_t *data, size_t len,
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
	return (writev(q->fd, iov, 2) - (ssize_t)sizeof hdr);
}

/* Write one packet to the queue and count it by family. */
static int
queue_write(struct queue *q, const uint8_t *data, size_t len,
    const struct pkt *off)
{
	struct stats	*s = &q->stats;
	ssize_t		 n;

	if (q->in->tun.vnet)
		n = queue_write_vnet(q, data, len, off);
	else
		n = write(q->fd, data, len);
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

/* The limits a verdict's output obeys, from the instance's mode. */
struct out_limits {
	uint32_t	mtu;		/* IPv6 fragments are cut to this */
	uint32_t	rate, burst;	/* of our own ICMP errors */
};

static struct out_limits
snapshot_limits(const struct snapshot *s, int nq)
{
	struct out_limits	l;

	if (s->mode == MODE_SOFTWIRE) {
		l.mtu = sw_tables_settings(s->sw)->ipv6_mtu;
		l.rate = sw_tables_settings(s->sw)->icmp_rate;
		l.burst = sw_tables_settings(s->sw)->icmp_burst;
	} else {
		l.mtu = s->siit->lowest_mtu;
		l.rate = s->siit->icmp_rate;
		l.burst = s->siit->icmp_burst;
	}
	/* Each queue has its own bucket: together they keep the rate. */
	l.rate = (l.rate + (uint32_t)nq - 1) / (uint32_t)nq;
	return (l);
}

/* Do what the verdict says with a translated packet. */
static void
queue_output(struct queue *q, const struct out_limits *l, struct pkt *p,
    enum verdict v)
{
	size_t	done = 0, n;

	switch (v) {
	case VERDICT_FORWARD:
		queue_write(q, p->data, p->len, p);
		break;
	case VERDICT_REPLY:
		if (!icmp_ratelimit(&q->rl, now_ms(), l->rate, l->burst)) {
			q->stats.n[STAT_DROP(DROP_ICMP_RATE)]++;
			break;
		}
		if (queue_write(q, p->data, p->len, NULL) == 0)
			q->stats.n[STAT_ICMP_SENT]++;
		break;
	case VERDICT_FRAGMENT:
		while ((n = frag6_next(p, l->mtu, &done, q->fragbuf)) > 0) {
			q->stats.n[STAT_FRAGMENTS_OUT]++;
			queue_write(q, q->fragbuf, n, NULL);
		}
		break;
	case VERDICT_SEGMENT:		/* queue_packet() cuts it first */
	case VERDICT_DROP:
	case VERDICT_HELD:
		break;
	}
}

/*
 * Fragments are put together first, since only the first one has the
 * ports the binding is looked up by: IPv4 and IPv6 ones, then the IPv4
 * fragments a lwB4 tunnelled from a shared address.  False: p was taken
 * by the reassembly, which counts it.
 */
static bool
queue_reasm(struct queue *q, const struct sw_tables *t, struct pkt *p,
    uint64_t now)
{
	enum reasm_why		why;
	enum reasm_result	res;

	res = reasm_input(q->reasm, p, now, &why);
	if (res == REASM_HELD || res == REASM_DROP)
		return (false);
	if (p->data[0] >> 4 != 6 || !sw_6to4_reassemble(t, p))
		return (true);
	res = reasm_input_4in6(q->reasm, p, now, &why);
	return (res != REASM_HELD && res != REASM_DROP);
}

/* The softwire path. */
static enum verdict
queue_softwire(struct queue *q, const struct sw_tables *t, struct pkt *p,
    uint64_t now, enum drop_reason *whyp)
{
	struct stats		*st = &q->stats;
	enum drop_reason	 why = DROP_BAD_VERSION;
	enum verdict		 v = VERDICT_DROP;
	uint8_t			 ver = p->len > 0 ? p->data[0] >> 4 : 0;

	if (ver == 4) {
		st->n[STAT_IN4_PACKETS]++;
		st->n[STAT_IN4_BYTES] += p->len;
	} else if (ver == 6) {
		st->n[STAT_IN6_PACKETS]++;
		st->n[STAT_IN6_BYTES] += p->len;
	}
	if (ver == 4 || ver == 6) {
		if (!queue_reasm(q, t, p, now))
			return (VERDICT_HELD);
		v = ver == 4 ? sw_4to6(t, p, &why) : sw_6to4(t, p, &why);
	}
	if (v == VERDICT_DROP || v == VERDICT_REPLY)
		st->n[STAT_DROP(why)]++;
	*whyp = why;
	return (v);
}

/*
 * A super-packet that cannot stay one: cut it into finished segments,
 * as the kernel would have, and translate each.
 */
static void
queue_segment(struct queue *q, const struct snapshot *s,
    const struct out_limits *l, const struct pkt *p)
{
	static const struct tables_hint	 none;	/* its bytes were not read */
	struct pkt		 seg;
	enum verdict		 v;
	enum drop_reason	 why;
	uint8_t			*b = q->segbuf + PKT_HEADROOM;
	size_t			 n, done = 0, size = q->bufsize - PKT_HEADROOM;

	while ((n = vnet_segment(p, &done, b, size)) > 0) {
		memset(&seg, 0, sizeof seg);
		seg.data = b;
		seg.len = n;
		seg.head = PKT_HEADROOM;
		seg.tail = size - n;
		v = translate(s->siit, &seg, &none, &q->stats, &why);
		if (v == VERDICT_DROP)
			queue_log_drop(q, &seg, why, now_ms());
		queue_output(q, l, &seg, v);
	}
}

/*
 * One packet of a batch, in the queue's buffer, with what its prefetch
 * learnt (h, made with s->siit).  With offloads, the kernel's header is
 * just before it: its offsets follow the transport header when the IP
 * header changes size.
 */
static void
queue_packet(struct queue *q, const struct snapshot *s,
    const struct out_limits *l, uint8_t *buf, size_t n,
    const struct tables_hint *h, uint64_t *now)
{
	struct pkt		 p;
	const uint8_t		*old;
	enum verdict		 v;
	enum drop_reason	 why;

	memset(&p, 0, sizeof p);
	p.data = buf + PKT_HEADROOM;
	p.len = n;
	p.head = PKT_HEADROOM;
	p.tail = q->bufsize - PKT_HEADROOM - n;
	old = p.data;
	if (q->in->tun.vnet && vnet_parse(p.data - VNET_HLEN, &p, &why) ==
	    VERDICT_DROP) {
		q->stats.n[STAT_DROP(why)]++;
		queue_log_drop(q, &p, why, now_ms());
		return;
	}
	if (s->mode == MODE_SOFTWIRE) {
		if (*now == 0)
			*now = now_ms();
		v = queue_softwire(q, s->sw, &p, *now, &why);
	} else
		v = instance_translate(s->siit, &p, h, &q->stats, &why);
	if (v == VERDICT_DROP)
		queue_log_drop(q, &p, why, now_ms());
	if (v == VERDICT_SEGMENT) {
		queue_segment(q, s, l, &p);
		return;
	}
	if (q->in->tun.vnet)
		vnet_moved(&p, old);
	queue_output(q, l, &p, v);
}

/*
 * Ask for the mapping slots of a packet's addresses as soon as it is
 * read: the loads then run while the next packets of the run are read,
 * a system call each, and the lookups find them in cache.  What was
 * learnt on the way goes to h, for the lookups to take (struct
 * tables_hint).
 */
static void
queue_prefetch(const struct tables *t, const uint8_t *d, size_t n,
    struct tables_hint *h)
{
	struct in6_addr	a6;
	uint32_t	a4;

	memset(h, 0, sizeof *h);
	if (n >= 20 && d[0] >> 4 == 4) {
		memcpy(&a4, d + 12, 4);
		h->eam[0] = tables_prefetch4_hint(t, a4, &h->hash[0]);
		memcpy(&a4, d + 16, 4);
		h->eam[1] = tables_prefetch4_hint(t, a4, &h->hash[1]);
	} else if (n >= 40 && d[0] >> 4 == 6) {
		memcpy(&a6, d + 8, 16);
		h->eam[0] = tables_prefetch6_hint(t, &a6, &h->hash[0]);
		memcpy(&a6, d + 24, 16);
		h->eam[1] = tables_prefetch6_hint(t, &a6, &h->hash[1]);
	}
}

/*
 * Read a run of up to QUEUE_RUN packets into the run's buffers, their
 * lengths in len, each prefetched for t (when not NULL) as it arrives,
 * with its hint in hint.  How many, and *more false once the queue is
 * empty.
 */
static int
queue_read_run(struct queue *q, const struct tables *t, int fd, size_t *len,
    struct tables_hint *hint, bool *more)
{
	size_t		 hl = q->in->tun.vnet ? VNET_HLEN : 0;
	uint8_t		*b;
	ssize_t		 n;
	int		 k;

	for (k = 0; k < QUEUE_RUN; k++) {
		/* The kernel's header, if any, lands just before the packet. */
		b = q->buf + (size_t)k * q->bufsize;
		n = read(fd, b + PKT_HEADROOM - hl,
		    q->bufsize - PKT_HEADROOM + hl);
		if (n <= (ssize_t)hl) {
			if (n == -1 && errno != EAGAIN && errno != EINTR) {
				q->stats.n[STAT_READ_ERRORS]++;
				log_debug("tun %s: read: %s", q->in->tun.name,
				    strerror(errno));
			}
			*more = false;
			break;
		}
		len[k] = (size_t)n - hl;
		if (t != NULL)
			queue_prefetch(t, b + PKT_HEADROOM, len[k], &hint[k]);
		else
			memset(&hint[k], 0, sizeof hint[k]);
	}
	return (k);
}

static void
queue_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct queue		*q = arg;
	const struct snapshot	*s;
	struct out_limits	 l;
	uint64_t		 now = 0;
	size_t			 len[QUEUE_RUN];
	struct tables_hint	 hint[QUEUE_RUN];
	bool			 more = true;
	int			 i, k, done;

	(void)what;
	atomic_fetch_add(&q->seq, 1);
	s = atomic_load_explicit(&q->in->snap, memory_order_acquire);
	l = snapshot_limits(s, q->in->nq);
	for (done = 0; more && done < INSTANCE_BATCH; done += k) {
		k = queue_read_run(q, s->siit, fd, len, hint, &more);
		for (i = 0; i < k; i++)
			queue_packet(q, s, &l, q->buf + (size_t)i * q->bufsize,
			    len[i], &hint[i], &now);
	}
	atomic_fetch_add_explicit(&q->seq, 1, memory_order_release);
}

/* Fragments that never completed give their memory back. */
static void
queue_expire_cb(evutil_socket_t fd, short what, void *arg)
{
	struct queue	*q = arg;

	(void)fd;
	(void)what;
	reasm_expire(q->reasm, now_ms());
}

static void
queue_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct queue	*q = arg;

	(void)fd;
	(void)what;
	event_base_loopbreak(q->base);
}

static void *
queue_thread(void *arg)
{
	struct queue	*q = arg;

	event_base_dispatch(q->base);
	return (NULL);
}

static struct reasm_limits
reasm_limits_of(const struct config_instance *c)
{
	struct reasm_limits	l;

	l.packets = c->sw.reasm_packets;
	l.fragments = c->sw.reasm_fragments;
	l.timeout_ms = c->sw.reasm_timeout_ms;
	return (l);
}

/* The events of queue q on base; a thread's base has a stop pipe. */
static int
queue_events(struct queue *q, struct event_base *base)
{
	static const struct timeval	 tick = { 0, 250000 };

	q->base = base;
	q->ev = event_new(base, q->fd, EV_READ | EV_PERSIST, queue_read_cb, q);
	if (q->ev == NULL || event_add(q->ev, NULL) == -1)
		return (-1);
	if (q->reasm != NULL &&
	    ((q->timer = event_new(base, -1, EV_PERSIST, queue_expire_cb,
	    q)) == NULL || event_add(q->timer, &tick) == -1))
		return (-1);
	if (!q->threaded)
		return (0);
	if (pipe2(q->stop, O_CLOEXEC | O_NONBLOCK) == -1)
		return (-1);
	q->stopev = event_new(base, q->stop[0], EV_READ, queue_stop_cb, q);
	if (q->stopev == NULL || event_add(q->stopev, NULL) == -1)
		return (-1);
	return (0);
}

static int
queue_start(struct instance *in, int i, struct event_base *main,
    const struct config_instance *c)
{
	struct queue		*q = &in->q[i];
	struct reasm_limits	 rl;
	struct event_base	*base = main;

	q->in = in;
	q->index = i;
	q->fd = in->tun.qfd[i];
	q->stop[0] = q->stop[1] = -1;
	q->threaded = i > 0;
	q->bufsize = PKT_HEADROOM + PKT_MAXLEN + 64;
	if ((q->buf = calloc(QUEUE_RUN, q->bufsize)) == NULL ||
	    (q->fragbuf = malloc(CONFIG_MTU_MAX)) == NULL ||
	    (in->tun.vnet && (q->segbuf = malloc(q->bufsize)) == NULL))
		return (-1);
	if (c->mode == MODE_SOFTWIRE) {
		rl = reasm_limits_of(c);
		if ((q->reasm = reasm_new(&rl)) == NULL)
			return (-1);
	}
	if (q->threaded && (base = event_base_new()) == NULL)
		return (-1);
	if (queue_events(q, base) == -1) {
		if (q->threaded)
			event_base_free(base);
		q->base = NULL;
		return (-1);
	}
	return (0);
}

/*
 * Start the threads of the queues beyond the first.  After start-up's
 * fork and change of user, which a thread would not survive or follow.
 */
int
instance_threads_start(struct instance *in)
{
	struct queue	*q;
	int		 i;

	for (i = 1; i < in->nq; i++) {
		q = &in->q[i];
		if ((errno = pthread_create(&q->thread, NULL, queue_thread,
		    q)) != 0) {
			log_warn("tun %s: queue %d thread", in->tun.name, i);
			return (-1);
		}
		q->running = true;
	}
	return (0);
}

static void
queue_stop(struct queue *q)
{
	char	c = 0;

	if (q->running) {
		while (write(q->stop[1], &c, 1) == -1 && errno == EINTR)
			;
		pthread_join(q->thread, NULL);
	}
	if (q->ev != NULL)
		event_free(q->ev);
	if (q->timer != NULL)
		event_free(q->timer);
	if (q->stopev != NULL)
		event_free(q->stopev);
	if (q->threaded && q->base != NULL)
		event_base_free(q->base);
	if (q->stop[0] != -1) {
		close(q->stop[0]);
		close(q->stop[1]);
	}
	reasm_free(q->reasm);
	free(q->buf);
	free(q->fragbuf);
	free(q->segbuf);
	memset(q, 0, sizeof *q);
}

/* The snapshot of c: what its packets are looked up in. */
struct snapshot *
snapshot_build(const struct config_instance *c)
{
	struct snapshot	*s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return (NULL);
	s->mode = c->mode;
	if (c->mode == MODE_SOFTWIRE)
		s->sw = sw_tables_build(&c->sw, &c->bind, c->swroutes,
		    c->nswroutes);
	else
		s->siit = tables_build(c);
	if (s->sw == NULL && s->siit == NULL) {
		free(s);
		return (NULL);
	}
	return (s);
}

void
snapshot_free(struct snapshot *s)
{
	if (s == NULL)
		return;
	tables_free(s->siit);
	sw_tables_free(s->sw);
	free(s);
}

/* The device keeps its old MTU if the new one failed. */
static void
snapshot_mtu(struct snapshot *s, int mtu)
{
	if (s->siit == NULL)
		return;
	s->siit->mtu = (uint16_t)mtu;
	if (s->siit->lowest_mtu > s->siit->mtu)
		s->siit->lowest_mtu = s->siit->mtu;
}

/*
 * Open the tun of c and start serving it: queue 0 on base, the others on
 * threads.  The instance owns s from here on, even on failure.
 */
int
instance_start(struct instance *in, struct event_base *base,
    const struct config_instance *c, struct snapshot *s)
{
	int	i;

	memset(in, 0, sizeof *in);
	in->tun.fd = -1;
	in->mode = c->mode;
	atomic_store(&in->snap, s);
	/*
	 * The virtio header cannot describe segmentation inside a tunnel:
	 * a softwire tun takes finished packets, which the kernel makes.
	 */
	if (tun_open(&in->tun, c->tun_name, c->mtu, c->queues,
	    c->offload && c->mode == MODE_SIIT) == -1)
		goto fail;
	snapshot_mtu(s, in->tun.mtu);
	if (c->routes && nl_routes_sync(&in->tun, NULL, c) == -1)
		goto fail;
	if ((in->q = calloc((size_t)in->tun.nq, sizeof *in->q)) == NULL)
		goto fail;
	for (i = 0; i < in->tun.nq; i++) {
		in->nq = i + 1;
		if (queue_start(in, i, base, c) == -1) {
			log_warn("tun %s: queue %d", in->tun.name, i);
			goto fail;
		}
	}
	return (0);
fail:
	instance_stop(in);
	return (-1);
}

/*
 * Swap in the snapshot s, built from c, and return the old one, which
 * may only be freed after instance_quiesce().  (The reload thread has
 * moved the routes.)
 */
struct snapshot *
instance_swap(struct instance *in, const struct config_instance *c,
    struct snapshot *s)
{
	if (c->mtu != in->tun.mtu && tun_set_mtu(&in->tun, c->mtu) == -1)
		log_warnx("reload: keeping mtu %d", in->tun.mtu);
	snapshot_mtu(s, in->tun.mtu);
	return (atomic_exchange(&in->snap, s));
}

/*
 * Wait until no queue can still be reading a snapshot replaced before
 * the call: each queue is either outside a batch, or has finished the
 * batch it was in.  A batch lasts microseconds.
 */
void
instance_quiesce(const struct instance *in)
{
	struct timespec	 ts = { 0, 50000 };
	unsigned long	 seq;
	int		 i;

	for (i = 0; i < in->nq; i++) {
		seq = atomic_load(&in->q[i].seq);
		if ((seq & 1) == 0)
			continue;
		while (atomic_load(&in->q[i].seq) == seq)
			nanosleep(&ts, NULL);
	}
}

void
instance_stop(struct instance *in)
{
	int	i;

	for (i = 0; in->q != NULL && i < in->nq; i++)
		queue_stop(&in->q[i]);
	free(in->q);
	in->q = NULL;
	in->nq = 0;
	tun_close(&in->tun);
	snapshot_free(atomic_exchange(&in->snap, NULL));
}

struct binding_log {
	const char	*tun;
	char		 when[32];
};

static void
instance_log_binding(void *arg, const char *line)
{
	const struct binding_log	*bl = arg;

	log_info("tun %s: %s at %s", bl->tun, line, bl->when);
}

/*
 * Log every binding that appears in c or disappears with old (NULL at
 * start), one line each with its time: what an operator needs to tell
 * which subscriber held an address and port when (RFC 7596 6.1, the
 * lw4over6 practice).
 */
void
instance_log_bindings(const struct config_instance *old,
    const struct config_instance *c)
{
	static const struct binding_list	 none;
	struct binding_log			 bl;
	struct tm				 tm;
	time_t					 now = time(NULL);
	size_t					 n;

	if (c->mode != MODE_SOFTWIRE)
		return;
	bl.tun = c->tun_name;
	gmtime_r(&now, &tm);
	strftime(bl.when, sizeof bl.when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = bindings_diff(old != NULL ? &old->bind : &none, &c->bind,
	    instance_log_binding, &bl);
	if (n > 0)
		log_info("tun %s: %zu binding%s added or removed", c->tun_name,
		    n, n == 1 ? "" : "s");
}

/* What an instance does, in a few words, for the log and the status. */
const char *
instance_describe(const struct config_instance *c)
{
	static char	buf[128];

	if (c->mode == MODE_SOFTWIRE)
		snprintf(buf, sizeof buf, "softwire, %zu bindings, %zu routes",
		    c->bind.n, c->nswroutes);
	else
		snprintf(buf, sizeof buf, "%zu eam entries%s", c->neam,
		    c->has_pool6 ? ", pool6" : "");
	return (buf);
}

/* The counters of all queues added up. */
void
instance_stats(const struct instance *in, struct stats *out)
{
	const struct reasm_stats	*rs;
	int				 i, j, w;

	memset(out, 0, sizeof *out);
	for (i = 0; i < in->nq; i++) {
		for (j = 0; j < STAT_MAX; j++)
			out->n[j] += in->q[i].stats.n[j];
		if (in->q[i].reasm == NULL)
			continue;
		rs = reasm_stats(in->q[i].reasm);
		for (w = REASM_WHY_NONE + 1; w < REASM_WHY_MAX; w++)
			out->n[STAT_REASM_OF(w)] += rs->n[w];
	}
}

/*
 * Log "stats: tun <name>", every counter as "stats: <name> N", then each
 * drop reason that happened as "stats: drop <reason> N".
 */
void
instance_log_stats(const struct instance *in)
{
	struct stats	s;
	int		i;

	instance_stats(in, &s);
	log_info("stats: tun %s", in->tun.name);
	for (i = 0; i < STAT_DROPS; i++)
		log_info("stats: %s %" PRIu64, stats_name(i), s.n[i]);
	for (i = 0; i < DROP_MAX; i++)
		if (s.n[STAT_DROP(i)] != 0)
			log_info("stats: drop %s %" PRIu64,
			    stats_drop_name(i), s.n[STAT_DROP(i)]);
	for (i = STAT_REASM; i < STAT_MAX; i++)
		if (s.n[i] != 0)
			log_info("stats: %s %" PRIu64, stats_name(i), s.n[i]);
}
