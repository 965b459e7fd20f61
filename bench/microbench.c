/* SPDX-License-Identifier: ISC */
/*
 * microbench.c: prints what the pure core costs.  Lookups in EAM tables
 * of 10 to 10,000,000 entries (ns per lookup, bytes per entry, build
 * time), and translation of 64, 576 and 1500-byte packets each way (ns
 * per packet), with a memcpy of the same packet as the baseline measured
 * in the same run.  Numbers, never a verdict: machines are noisy.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checksum.h"
#include "config.h"
#include "siit.h"
#include "tables.h"

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

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* n host entries 10.x.y.z <-> 2001:db8::/96 + the same 32 bits. */
static struct tables *
build(size_t n, double *secs, size_t *bytes)
{
	struct config_instance	 c;
	struct tables	*t;
	size_t		 i;
	double		 t0;
	int		 k;

	memset(&c, 0, sizeof c);
	config_defaults(&c);
	c.mtu = 9000;		/* 1500 bytes + 20 must go whole */
	c.has_pool6 = true;
	inet_pton(AF_INET6, "2001:db8:64::", &c.pool6.addr);
	c.pool6.len = 96;
	c.eam = calloc(n, sizeof *c.eam);
	if (c.eam == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		c.eam[i].p4.addr = htonl(0x0a000000U + (uint32_t)i * 3);
		c.eam[i].p4.len = 32;
		inet_pton(AF_INET6, "2001:db8::", &c.eam[i].p6.addr);
		memcpy(&c.eam[i].p6.addr.s6_addr[12], &c.eam[i].p4.addr, 4);
		c.eam[i].p6.len = 128;
	}
	c.neam = n;
	t0 = now();
	t = tables_build(&c);
	*secs = now() - t0;
	*bytes = n * sizeof(struct eam);
	for (k = 0; t != NULL && k < t->nby4; k++)
		*bytes += hashmap_memory(&t->by4[k].map);
	for (k = 0; t != NULL && k < t->nby6; k++)
		*bytes += hashmap_memory(&t->by6[k].map);
	free(c.eam);
	return (t);
}

static void
bench_lookups(void)
{
	static const size_t	 sizes[] = { 10, 1000, 100000, 1000000,
				     10000000 };
	struct tables		*t;
	struct in6_addr		 out;
	uint32_t		*keys, v4, sink = 0;
	size_t			 i, s, bytes, nq = 4000000;
	double			 secs, t0, ns;

	keys = malloc(nq * sizeof *keys);
	printf("%-10s %12s %12s %12s %12s\n", "entries", "build s",
	    "bytes/entry", "ns/lookup4", "ns/lookup6");
	for (s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		if ((t = build(sizes[s], &secs, &bytes)) == NULL) {
			printf("%-10zu out of memory\n", sizes[s]);
			continue;
		}
		for (i = 0; i < nq; i++)
			keys[i] = htonl(0x0a000000U + (rnd() % sizes[s]) * 3);
		t0 = now();
		for (i = 0; i < nq; i++) {
			tables_eam4(t, keys[i], &out);
			sink += out.s6_addr[15];
		}
		ns = (now() - t0) * 1e9 / nq;
		printf("%-10zu %12.3f %12.1f %12.1f", sizes[s], secs,
		    (double)bytes / sizes[s], ns);
		inet_pton(AF_INET6, "2001:db8::", &out);
		t0 = now();
		for (i = 0; i < nq; i++) {
			memcpy(&out.s6_addr[12], &keys[i], 4);
			tables_eam6(t, &out, &v4);
			sink += v4;
		}
		printf(" %12.1f\n", (now() - t0) * 1e9 / nq);
		tables_free(t);
	}
	free(keys);
	if (sink == 42)
		printf("\n");
}

/* An IPv4 UDP packet of len bytes from 198.51.100.2 to 10.0.0.0. */
static size_t
mk_udp4(uint8_t *b, size_t len)
{
	uint16_t	ck;

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
	return (len);
}

static void
bench_translate(void)
{
	static const size_t	 lens[] = { 64, 576, 1500 };
	static uint8_t		 orig[2048], buf[2048 + PKT_HEADROOM];
	struct tables		*t;
	struct pkt		 p;
	enum drop_reason	 why;
	double			 secs, t0, base, x46, x64;
	size_t			 bytes, i, l, n = 2000000;
	uint8_t			 v6[2048];
	size_t			 v6len = 0;

	t = build(1000000, &secs, &bytes);
	printf("\n%-8s %14s %14s %14s %10s\n", "bytes", "memcpy ns",
	    "4->6 ns", "6->4 ns", "4->6/copy");
	for (l = 0; l < sizeof lens / sizeof lens[0]; l++) {
		mk_udp4(orig, lens[l]);
		t0 = now();
		for (i = 0; i < n; i++) {
			memcpy(buf + PKT_HEADROOM, orig, lens[l]);
			__asm__ volatile("" ::: "memory");
		}
		base = (now() - t0) * 1e9 / n;
		t0 = now();
		for (i = 0; i < n; i++) {
			memcpy(buf + PKT_HEADROOM, orig, lens[l]);
			p = (struct pkt){ buf + PKT_HEADROOM, lens[l],
			    PKT_HEADROOM, 0, { 0 } };
			if (siit_4to6(t, &p, &why) != VERDICT_FORWARD)
				abort();
		}
		x46 = (now() - t0) * 1e9 / n;
		memcpy(v6, p.data, p.len);
		v6len = p.len;
		t0 = now();
		for (i = 0; i < n; i++) {
			memcpy(buf + PKT_HEADROOM, v6, v6len);
			p = (struct pkt){ buf + PKT_HEADROOM, v6len,
			    PKT_HEADROOM, 0, { 0 } };
			if (siit_6to4(t, &p, &why) != VERDICT_FORWARD)
				abort();
		}
		x64 = (now() - t0) * 1e9 / n;
		printf("%-8zu %14.1f %14.1f %14.1f %10.2f\n", lens[l], base,
		    x46, x64, x46 / base);
	}
	printf("(translation includes the memcpy; the table has 1M entries)\n");
	tables_free(t);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("tunmapd microbenchmark: lookups (EAM, hash per prefix "
	    "length)\n\n");
	bench_lookups();
	bench_translate();
	return (0);
}
