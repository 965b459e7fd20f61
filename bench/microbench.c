/* SPDX-License-Identifier: ISC */
/*
 * microbench.c: prints what the pure core costs.  EAM tables of 1,000 to
 * 10,000,000 host entries: build time, bytes per entry, the share of
 * entries in the first of their two buckets, ns per lookup each way (one
 * at a time, and batched with prefetch), and ns per packet for a lookup
 * plus the translation of a 64-byte packet to a random destination among
 * the entries: batched as the lookups are ('xl'), and as the daemon reads
 * its tun ('run', see run_pkt()).  Then ns per packet to translate 64,
 * 576 and 1500-byte packets each way.  Baselines measured in the same
 * run: a memcpy of the packet, the lookup in the 1,000-entry table, and
 * the ratio of 10M to 1k.  The lwAFTR's encapsulation and decapsulation
 * (with its binding lookup and ingress check) are measured the same way
 * over 1,000 bindings.  Times are the CPU time of the thread, and each is
 * the best of a few runs, since the machine is shared.  Numbers, never a
 * verdict.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bindings.h"
#include "checksum.h"
#include "config.h"
#include "siit.h"
#include "softwire.h"
#include "tables.h"

#define NQ	2000000		/* lookups or packets a run */
#define RUNS	3		/* the best of these counts */
#define BATCH	32		/* packets prefetched together */
#define RUN	16		/* QUEUE_RUN: packets the daemon reads in a run */
#define BUFSZ	(PKT_HEADROOM + 2048)	/* a packet buffer */

struct run {
	const struct tables	*t;
	uint8_t			*bufs;	/* 2 * RUN buffers of BUFSZ */
	struct tables_hint		 hints[2 * RUN];	/* one a buffer */
	const uint32_t		*keys;	/* IPv4 addresses, network order */
	const struct in6_addr	*keys6;	/* the same hosts' IPv6 addresses */
	uint8_t			*buf;	/* a packet buffer with headroom */
	uint32_t		 sink;	/* keeps results alive */
};

static uint64_t	rng = 88172645463325252ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((uint32_t)rng);
}

static double
now(void)
{
	struct timespec	ts;

	/* CPU time of this thread: others' load on a shared machine is not ours. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* ns per item of f over NQ items: the best of RUNS runs. */
static double
best(void (*f)(struct run *), struct run *r)
{
	double	t0, ns, min = 1e30;
	int	i;

	for (i = 0; i < RUNS; i++) {
		t0 = now();
		f(r);
		ns = (now() - t0) * 1e9 / NQ;
		if (ns < min)
			min = ns;
	}
	return (min);
}

/* Host i: 10.0.0.0 + 3i, or 2001:db8:: with the same 32 bits at the end. */
static uint32_t
host4(size_t i)
{
	return (htonl(0x0a000000U + (uint32_t)i * 3));
}

static void
host6(uint32_t a, struct in6_addr *out)
{
	static const uint8_t	pfx[12] = { 0x20, 0x01, 0x0d, 0xb8 };

	memcpy(out->s6_addr, pfx, 12);
	memcpy(&out->s6_addr[12], &a, 4);
}

/* A table of n host entries, and pool6 2001:db8:64::/96 for the rest. */
static struct tables *
build(size_t n, double *secs)
{
	struct config_instance	 c;
	struct tables		*t;
	size_t			 i;
	double			 t0;

	memset(&c, 0, sizeof c);
	config_defaults(&c);
	c.mtu = 9000;		/* 1500 bytes + 20 must go whole */
	c.has_pool6 = true;
	inet_pton(AF_INET6, "2001:db8:64::", &c.pool6.addr);
	c.pool6.len = 96;
	if ((c.eam = calloc(n, sizeof *c.eam)) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		c.eam[i].p4.addr = host4(i);
		c.eam[i].p4.len = 32;
		host6(c.eam[i].p4.addr, &c.eam[i].p6.addr);
		c.eam[i].p6.len = 128;
	}
	c.neam = n;
	t0 = now();
	t = tables_build(&c);
	*secs = now() - t0;
	free(c.eam);
	return (t);
}

static void
run_lookup4(struct run *r)
{
	struct in6_addr	out;
	size_t		i;

	for (i = 0; i < NQ; i++) {
		tables_eam4(r->t, r->keys[i], &out);
		r->sink += out.s6_addr[15];
	}
}

static void
run_lookup4_batch(struct run *r)
{
	struct in6_addr	out;
	size_t		i, j;

	for (i = 0; i < NQ; i += BATCH) {
		for (j = i; j < i + BATCH; j++)
			tables_prefetch4(r->t, r->keys[j]);
		for (j = i; j < i + BATCH; j++) {
			tables_eam4(r->t, r->keys[j], &out);
			r->sink += out.s6_addr[15];
		}
	}
}

static void
run_lookup6(struct run *r)
{
	uint32_t	out;
	size_t		i;

	for (i = 0; i < NQ; i++) {
		tables_eam6(r->t, &r->keys6[i], &out);
		r->sink += out;
	}
}

static void
run_lookup6_batch(struct run *r)
{
	uint32_t	out;
	size_t		i, j;

	for (i = 0; i < NQ; i += BATCH) {
		for (j = i; j < i + BATCH; j++)
			tables_prefetch6(r->t, &r->keys6[j]);
		for (j = i; j < i + BATCH; j++) {
			tables_eam6(r->t, &r->keys6[j], &out);
			r->sink += out;
		}
	}
}

/* An IPv4 UDP packet of len bytes from 198.51.100.2 to 10.0.0.0. */
static uint8_t	pkt4[2048], pkt6[2048];
static size_t	pkt4len, pkt6len;

static void
mk_udp4(size_t len)
{
	uint8_t		*b = pkt4;
	uint16_t	 ck;

	memset(b, 0, len);
	b[0] = 0x45;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[6] = 0x40;		/* DF: translated whole, not fragmented */
	b[8] = 64;
	b[9] = 17;
	inet_pton(AF_INET, "198.51.100.2", b + 12);
	inet_pton(AF_INET, "10.0.0.0", b + 16);
	ck = csum_finish(csum_partial(b, 20, 0));
	memcpy(b + 10, &ck, 2);
	b[20] = 0x30;
	b[23] = 53;
	b[24] = (uint8_t)((len - 20) >> 8);
	b[25] = (uint8_t)(len - 20);
	b[26] = 0x12;
	b[27] = 0x34;
	pkt4len = len;
}

/*
 * pkt4 with destination a, its header checksum updated: what a tun read
 * gives, in buffer buf.
 */
static struct pkt
recv4_in(uint8_t *buf, uint32_t a)
{
	uint8_t		*b = buf + PKT_HEADROOM;
	uint32_t	 old;
	uint16_t	 ck;

	memcpy(b, pkt4, pkt4len);
	memcpy(&old, b + 16, 4);
	memcpy(&ck, b + 10, 2);
	/* Inline: the kernel, not the daemon, makes what a read returns. */
	ck = csum_replace_words(ck, &old, 4, &a, 4);
	memcpy(b + 10, &ck, 2);
	memcpy(b + 16, &a, 4);
	return ((struct pkt){ b, pkt4len, PKT_HEADROOM, 0, { 0 } });
}

static struct pkt
recv4(struct run *r, uint32_t a)
{
	return (recv4_in(r->buf, a));
}

/* pkt6 with destination the host of a: its UDP checksum is not checked. */
static struct pkt
recv6_in(uint8_t *buf, uint32_t a)
{
	uint8_t	*b = buf + PKT_HEADROOM;

	memcpy(b, pkt6, pkt6len);
	memcpy(b + 36, &a, 4);
	return ((struct pkt){ b, pkt6len, PKT_HEADROOM, 0, { 0 } });
}

static struct pkt
recv6(struct run *r, uint32_t a)
{
	return (recv6_in(r->buf, a));
}

static void
forward(enum verdict v)
{
	if (v != VERDICT_FORWARD) {
		fprintf(stderr, "microbench: a packet was not translated\n");
		exit(1);
	}
}

/* The baseline: receiving the packet without translating it. */
static void
run_copy4(struct run *r)
{
	struct pkt	p;
	size_t		i;

	for (i = 0; i < NQ; i++) {
		p = recv4(r, r->keys[i]);
		r->sink += p.data[19];
		__asm__ volatile("" ::: "memory");
	}
}

static void
run_xlate4_batch(struct run *r)
{
	struct pkt		p;
	enum drop_reason	why;
	size_t			i, j;

	for (i = 0; i < NQ; i += BATCH) {
		for (j = i; j < i + BATCH; j++)
			tables_prefetch4(r->t, r->keys[j]);
		for (j = i; j < i + BATCH; j++) {
			p = recv4(r, r->keys[j]);
			forward(siit_4to6(r->t, &p, &why));
		}
	}
}

static void
run_xlate6_batch(struct run *r)
{
	struct pkt		p;
	enum drop_reason	why;
	size_t			i, j;

	for (i = 0; i < NQ; i += BATCH) {
		for (j = i; j < i + BATCH; j++)
			tables_prefetch6(r->t, &r->keys6[j]);
		for (j = i; j < i + BATCH; j++) {
			p = recv6(r, r->keys[j]);
			forward(siit_6to4(r->t, &p, &why));
		}
	}
}

/*
 * What instance.c does with a tun: it reads a run of RUN packets, each
 * into its own buffer, asks for the slots of each packet's two addresses
 * as soon as it is read, keeping what it learnt on the way for the
 * lookups (queue_read_run(), struct tables_hint), then translates the
 * run.
 * Between a packet's prefetch and its lookup the daemon makes the rest
 * of the run's read(2) calls, microseconds; here nothing stands for
 * them, so run k + 1 is received and prefetched before run k is
 * translated: each prefetch has the time of a run's translations, well
 * under a microsecond, to arrive.  The packets sit in their buffers a
 * run before being translated, as they do in the daemon, instead of being
 * written just before as in the 'xl' columns.  The prefetched addresses
 * are the packet's, taken from where they were made rather than read
 * back from the bytes just copied: a load that straddles stores still
 * in flight waits for them, which the daemon's, after a read(2) has
 * returned, do not.  For the same reason each packet's struct pkt is made
 * field by field, in place, when it is translated, as queue_packet()
 * does, neither kept from its receipt nor returned by value: a struct
 * copied out of stores just made is read back across them.  Not
 * modelled: the kernel's own use of the caches during the reads.
 */
static void
run_pkt(struct pkt *p, uint8_t *buf, size_t len)
{
	memset(p, 0, sizeof *p);
	p->data = buf + PKT_HEADROOM;
	p->len = len;
	p->head = PKT_HEADROOM;
	p->tail = BUFSZ - PKT_HEADROOM - len;
}

static void
recv4_run(struct run *r, size_t set, size_t i)
{
	struct tables_hint	*h;
	uint32_t	 src;
	size_t		 j;

	for (j = 0; j < RUN; j++) {
		/* Read each time: the daemon cannot keep a source's answer. */
		memcpy(&src, pkt4 + 12, 4);
		(void)recv4_in(r->bufs + (set + j) * BUFSZ, r->keys[i + j]);
		h = &r->hints[set + j];
		h->eam[0] = tables_prefetch4_hint(r->t, src, &h->hash[0]);
		h->eam[1] = tables_prefetch4_hint(r->t, r->keys[i + j],
		    &h->hash[1]);
	}
}

static void
run_xlate4_run(struct run *r)
{
	struct pkt		p;
	enum drop_reason	why;
	size_t			i, j, k;

	recv4_run(r, 0, 0);
	for (i = 0, k = 0; i < NQ; i += RUN, k ^= 1) {
		if (i + RUN < NQ)
			recv4_run(r, (k ^ 1) * RUN, i + RUN);
		for (j = 0; j < RUN; j++) {
			run_pkt(&p, r->bufs + (k * RUN + j) * BUFSZ, pkt4len);
			forward(siit_4to6_hint(r->t, &p, &r->hints[k * RUN + j],
			    &why));
		}
	}
}

static void
recv6_run(struct run *r, size_t set, size_t i)
{
	struct tables_hint	*h;
	struct in6_addr	 src;
	size_t		 j;

	for (j = 0; j < RUN; j++) {
		memcpy(&src, pkt6 + 8, 16);
		(void)recv6_in(r->bufs + (set + j) * BUFSZ, r->keys[i + j]);
		h = &r->hints[set + j];
		h->eam[0] = tables_prefetch6_hint(r->t, &src, &h->hash[0]);
		h->eam[1] = tables_prefetch6_hint(r->t, &r->keys6[i + j],
		    &h->hash[1]);
	}
}

static void
run_xlate6_run(struct run *r)
{
	struct pkt		p;
	enum drop_reason	why;
	size_t			i, j, k;

	recv6_run(r, 0, 0);
	for (i = 0, k = 0; i < NQ; i += RUN, k ^= 1) {
		if (i + RUN < NQ)
			recv6_run(r, (k ^ 1) * RUN, i + RUN);
		for (j = 0; j < RUN; j++) {
			run_pkt(&p, r->bufs + (k * RUN + j) * BUFSZ, pkt6len);
			forward(siit_6to4_hint(r->t, &p, &r->hints[k * RUN + j],
			    &why));
		}
	}
}

/* pkt6: pkt4 translated, the IPv6 packet the other way carries. */
static void
mk_udp6(struct run *r, size_t len)
{
	struct pkt		p;
	enum drop_reason	why;

	mk_udp4(len);
	p = recv4(r, r->keys[0]);
	forward(siit_4to6(r->t, &p, &why));
	memcpy(pkt6, p.data, p.len);
	pkt6len = p.len;
}

#define NSIZES	4
#define NCOLS	9

static void
bench_lookups(uint8_t *buf)
{
	static const size_t	 sizes[NSIZES] = { 1000, 100000, 1000000,
				     10000000 };
	static const char	*cols[NCOLS] = { "v4->v6", "batch", "v6->v4",
				     "batch", "xl 4->6", "xl 6->4", "run 4->6",
				     "run 6->4", "copy" };
	static void		(*fn[NCOLS])(struct run *) = { run_lookup4,
				     run_lookup4_batch, run_lookup6,
				     run_lookup6_batch, run_xlate4_batch,
				     run_xlate6_batch, run_xlate4_run,
				     run_xlate6_run, run_copy4 };
	struct run		 r = { .buf = buf };
	struct tables		*t;
	uint32_t		*keys;
	uint8_t			*bufs;
	struct in6_addr		*keys6;
	double			 ns[NSIZES][NCOLS], secs;
	size_t			 i, s, c;

	printf("Lookups in n EAM host entries (/32 <-> /128), random keys "
	    "that hit, ns each;\n'batch': %d prefetched before any is "
	    "looked up; 'xl': lookup + SIIT\ntranslation of a 64-byte UDP "
	    "packet to a random entry, batched, each packet\nwritten just "
	    "before it is translated; 'run': the same as the daemon reads "
	    "its\ntun, runs of %d packets each in its own buffer, its slots "
	    "prefetched as it\narrives, a run received while the one before "
	    "it is translated (the daemon's\nreads take longer); 'copy': "
	    "the packet copied and its destination set,\nuntranslated; '1st': "
	    "the entries found in the first of their two buckets,\nwhere a "
	    "lookup reads only one.\n\n",
	    BATCH, RUN);
	printf("%-9s %7s %6s %5s", "entries", "build s", "B/ent", "1st");
	for (c = 0; c < NCOLS; c++)
		printf(" %8s", cols[c]);
	printf("\n");
	keys = malloc(NQ * sizeof *keys);
	keys6 = malloc(NQ * sizeof *keys6);
	bufs = calloc(2 * RUN, BUFSZ);
	if (keys == NULL || keys6 == NULL || bufs == NULL)
		return;
	r.bufs = bufs;
	r.keys = keys;
	r.keys6 = keys6;
	for (s = 0; s < NSIZES; s++) {
		if ((t = build(sizes[s], &secs)) == NULL) {
			printf("%-9zu out of memory\n", sizes[s]);
			for (c = 0; c < NCOLS; c++)
				ns[s][c] = 0;
			continue;
		}
		for (i = 0; i < NQ; i++) {
			keys[i] = host4(rnd() % sizes[s]);
			host6(keys[i], &keys6[i]);
		}
		r.t = t;
		mk_udp6(&r, 64);
		printf("%-9zu %7.3f %6.1f %4.0f%%", sizes[s], secs,
		    (double)tables_eam_memory(t) / sizes[s],
		    50.0 * (hashmap_first(&t->by4[0].map) +
		    hashmap_first(&t->by6[0].map)) / sizes[s]);
		for (c = 0; c < NCOLS; c++) {
			ns[s][c] = best(fn[c], &r);
			printf(" %8.1f", ns[s][c]);
		}
		printf("\n");
		tables_free(t);
	}
	printf("%-9s %7s %6s %5s", "10M/1k", "", "", "");
	for (c = 0; c < NCOLS; c++)
		printf(" %8.2f", ns[0][c] > 0 ? ns[NSIZES - 1][c] / ns[0][c] :
		    0);
	printf("\n");
	free(keys);
	free(keys6);
	free(bufs);
	if (r.sink == 42)
		printf("\n");
}

static void
run_memcpy(struct run *r)
{
	size_t	i;

	for (i = 0; i < NQ; i++) {
		memcpy(r->buf + PKT_HEADROOM, pkt4, pkt4len);
		__asm__ volatile("" ::: "memory");
	}
}

static void
run_xlate4(struct run *r)
{
	struct pkt		p;
	enum drop_reason	why;
	size_t			i;

	for (i = 0; i < NQ; i++) {
		memcpy(r->buf + PKT_HEADROOM, pkt4, pkt4len);
		p = (struct pkt){ r->buf + PKT_HEADROOM, pkt4len,
		    PKT_HEADROOM, 0, { 0 } };
		forward(siit_4to6(r->t, &p, &why));
	}
}

static void
run_xlate6(struct run *r)
{
	struct pkt		p;
	enum drop_reason	why;
	size_t			i;

	for (i = 0; i < NQ; i++) {
		memcpy(r->buf + PKT_HEADROOM, pkt6, pkt6len);
		p = (struct pkt){ r->buf + PKT_HEADROOM, pkt6len,
		    PKT_HEADROOM, 0, { 0 } };
		forward(siit_6to4(r->t, &p, &why));
	}
}

/*
 * 1,000 bindings: 16 addresses of 198.51.100.0/28 shared by 63 lwB4s
 * each (PSID length 6, offset 6), BR 2001:db8:ffff::1.
 */
static struct sw_tables *
build_sw(struct binding_list *bl)
{
	struct config_errors	 errs = { NULL, 0 };
	struct sw_settings	 s;
	struct binding		 b;
	struct in6_addr		 br;
	uint32_t		 i;

	memset(&s, 0, sizeof s);
	memset(bl, 0, sizeof *bl);
	inet_pton(AF_INET6, "2001:db8:ffff::1", &br);
	s.br = br;
	s.hairpinning = true;
	s.ipv6_mtu = 9000;	/* 1500 bytes and more fit whole */
	s.hop_limit = 64;
	s.copy_tos = true;
	if (bindings_br(bl, &br) == -1)
		return (NULL);
	for (i = 0; i < 1000; i++) {
		memset(&b, 0, sizeof b);
		inet_pton(AF_INET6, "2001:db8:b4::", &b.b4);
		b.b4.s6_addr[14] = (uint8_t)(i >> 8);
		b.b4.s6_addr[15] = (uint8_t)i;
		b.ipv4 = htonl(0xc6336400 + i / 63);	/* 198.51.100.0 */
		b.psid = (uint16_t)(i % 63 + 1);
		b.psid_len = 6;
		b.psid_offset = 6;
		b.line = i + 1;
		if (bindings_add(bl, &b) == -1)
			return (NULL);
	}
	if (bindings_validate(bl, "bench", "bench", &errs) == -1) {
		config_errors_clear(&errs);
		return (NULL);
	}
	return (sw_tables_build(&s, bl, NULL, 0));
}

/*
 * From the Internet to the first binding (198.51.100.0, port 1040 of
 * PSID 1), and what its lwB4 sends back, encapsulated: len bytes of
 * IPv4.
 */
static uint8_t	swin4[2048], swin6[2048];
static size_t	swin4len, swin6len;

static void
mk_softwire(const struct sw_tables *sw, uint8_t *buf, size_t len)
{
	struct pkt		p;
	enum drop_reason	why;
	uint8_t			*b = buf + PKT_HEADROOM;
	uint16_t		ck;

	mk_udp4(len);
	memcpy(swin4, pkt4, len);
	inet_pton(AF_INET, "203.0.113.10", swin4 + 12);
	inet_pton(AF_INET, "198.51.100.0", swin4 + 16);
	swin4[22] = 1040 >> 8;
	swin4[23] = 1040 & 0xff;
	memset(swin4 + 10, 0, 2);
	ck = csum_finish(csum_partial(swin4, 20, 0));
	memcpy(swin4 + 10, &ck, 2);
	swin4len = len;
	/* Its encapsulation gives the header the lwB4 sends back, swapped. */
	memcpy(b, swin4, len);
	p = (struct pkt){ b, len, PKT_HEADROOM, 0, { 0 } };
	forward(sw_4to6(sw, &p, &why));
	memcpy(swin6, p.data, 40);
	memcpy(swin6 + 8, p.data + 24, 16);	/* from the lwB4 */
	memcpy(swin6 + 24, p.data + 8, 16);	/* to the BR */
	/* The reply inside: addresses and ports swapped. */
	memcpy(swin6 + 40, swin4, len);
	memcpy(swin6 + 40 + 12, swin4 + 16, 4);
	memcpy(swin6 + 40 + 16, swin4 + 12, 4);
	memcpy(swin6 + 40 + 20, swin4 + 22, 2);
	memcpy(swin6 + 40 + 22, swin4 + 20, 2);
	swin6len = len + 40;
}

static const struct sw_tables	*bench_sw;

static void
run_encap(struct run *r)
{
	struct pkt		p;
	enum drop_reason	why;
	size_t			i;

	for (i = 0; i < NQ; i++) {
		memcpy(r->buf + PKT_HEADROOM, swin4, swin4len);
		p = (struct pkt){ r->buf + PKT_HEADROOM, swin4len,
		    PKT_HEADROOM, 0, { 0 } };
		forward(sw_4to6(bench_sw, &p, &why));
	}
}

static void
run_decap(struct run *r)
{
	struct pkt		p;
	enum drop_reason	why;
	size_t			i;

	for (i = 0; i < NQ; i++) {
		memcpy(r->buf + PKT_HEADROOM, swin6, swin6len);
		p = (struct pkt){ r->buf + PKT_HEADROOM, swin6len,
		    PKT_HEADROOM, 0, { 0 } };
		forward(sw_6to4(bench_sw, &p, &why));
	}
}

/*
 * Translation alone: one destination, so the table is in cache.  Each
 * figure includes the memcpy of its first column; encapsulation and
 * decapsulation look up and check the binding of 1,000.
 */
static void
bench_translate(uint8_t *buf)
{
	static const size_t	 lens[] = { 64, 576, 1500 };
	struct run		 r = { .buf = buf };
	struct binding_list	 bl;
	struct sw_tables	*sw;
	struct tables		*t;
	uint32_t		 key = host4(0);
	double			 secs, base, x46, x64, enc, dec;
	size_t			 l;

	if ((t = build(1000, &secs)) == NULL ||
	    (sw = build_sw(&bl)) == NULL)
		return;
	r.t = t;
	r.keys = &key;
	bench_sw = sw;
	printf("\nTranslation, ns per packet (1,000 entries or bindings, one "
	    "destination; includes the memcpy)\n\n");
	printf("%-8s %9s %9s %9s %9s %9s %9s\n", "bytes", "memcpy",
	    "siit 4->6", "siit 6->4", "encap", "decap", "4->6/copy");
	for (l = 0; l < sizeof lens / sizeof lens[0]; l++) {
		mk_udp6(&r, lens[l]);
		mk_softwire(sw, buf, lens[l]);
		base = best(run_memcpy, &r);
		x46 = best(run_xlate4, &r);
		x64 = best(run_xlate6, &r);
		enc = best(run_encap, &r);
		dec = best(run_decap, &r);
		printf("%-8zu %9.1f %9.1f %9.1f %9.1f %9.1f %9.2f\n", lens[l],
		    base, x46, x64, enc, dec, x46 / base);
	}
	sw_tables_free(sw);
	bindings_list_free(&bl);
	tables_free(t);
}

int
main(void)
{
	static uint8_t	buf[PKT_HEADROOM + 2048];

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("tunmapd microbenchmark (best of %d runs of %d)\n\n", RUNS,
	    NQ);
	bench_lookups(buf);
	bench_translate(buf);
	return (0);
}
