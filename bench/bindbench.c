/* SPDX-License-Identifier: ISC */
/*
 * bindbench.c: prints what a softwire binding table costs.  For files of
 * 10,000 to 1,000,000 bindings (10,000,000 with -l), written in random
 * order: the CPU time to load, validate (sort included) and build the
 * tables, the bytes each binding holds (list and both hash tables), the
 * growth of the peak RSS, and the ns of a lookup that hits.  Numbers,
 * never a verdict.
 */
#include <sys/resource.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bindings.h"
#include "config.h"
#include "psid.h"

#define LOOKUPS		10000000

static uint64_t	rng = 88172645463325252ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((uint32_t)rng);
}

/* CPU time: on a shared machine, less noisy than the clock on the wall. */
static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static long
maxrss_kb(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

/*
 * n lines in random order: 64 port sets (psid x/6) of each address from
 * 100.64.0.0 up, one address in 16 bound whole instead (and 63 comment
 * lines in place of its sets), every 1000th binding through a second BR.
 */
static int
write_file(const char *path, size_t n)
{
	FILE		*f;
	uint32_t	*perm, t, addr;
	size_t		 i, j;

	if ((perm = malloc(n * sizeof *perm)) == NULL)
		return (-1);
	for (i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	for (i = n - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		t = perm[i], perm[i] = perm[j], perm[j] = t;
	}
	if ((f = fopen(path, "w")) == NULL) {
		free(perm);
		return (-1);
	}
	fprintf(f, "# %zu bindings\n", n);
	for (i = 0; i < n; i++) {
		addr = 0x64400000u + (perm[i] >> 6);
		if ((perm[i] >> 6) % 16 == 0 && (perm[i] & 63) != 0) {
			fprintf(f, "# %u.%u.%u.%u is bound whole\n",
			    addr >> 24, addr >> 16 & 0xff, addr >> 8 & 0xff,
			    addr & 0xff);
			continue;
		}
		fprintf(f, "2001:db8:b4:%x::%x %u.%u.%u.%u", perm[i] >> 16,
		    perm[i] & 0xffff, addr >> 24, addr >> 16 & 0xff,
		    addr >> 8 & 0xff, addr & 0xff);
		if ((perm[i] >> 6) % 16 == 0)
			fprintf(f, "\n");
		else
			fprintf(f, " %u/6%s\n", perm[i] & 63,
			    i % 1000 == 999 ? " br 2001:db8:ffff::2" : "");
	}
	free(perm);
	return (fclose(f));
}

/* A port of b's set, at random. */
static uint16_t
port_of(const struct binding *b)
{
	unsigned int	k = b->psid_len, a = b->psid_offset, m = 16 - a - k;
	unsigned int	A = 1 + rnd() % ((1u << a) - 1);

	if (k == 0)
		return ((uint16_t)rnd());
	return ((uint16_t)(A << (16 - a) | (unsigned int)b->psid << m |
	    (rnd() & ((1u << m) - 1))));
}

static double
lookups(const struct bindings *t)
{
	uint32_t	*addr;
	uint16_t	*port;
	size_t		 i, found = 0, q = LOOKUPS / 16;
	double		 t0, secs;

	addr = malloc(q * sizeof *addr);
	port = malloc(q * sizeof *port);
	if (addr == NULL || port == NULL) {
		free(addr);
		free(port);
		return (-1);
	}
	for (i = 0; i < q; i++) {
		const struct binding *b = &t->b[rnd() % t->n];

		addr[i] = b->ipv4;
		port[i] = port_of(b);
	}
	t0 = now();
	for (i = 0; i < LOOKUPS; i++)
		found += bindings_find(t, addr[i % q], port[i % q]) != NULL;
	secs = now() - t0;
	free(addr);
	free(port);
	return (found == LOOKUPS ? secs * 1e9 / LOOKUPS : -1);
}

static void
run(size_t n)
{
	struct config_errors	 errs = { NULL, 0 };
	struct binding_list	 l;
	struct bindings		 t;
	struct in6_addr		 br;
	char			 path[64];
	double			 t0, tload, tval, tbuild;
	size_t			 bytes, i;
	long			 rss;

	snprintf(path, sizeof path, "/tmp/bindbench-%d-%zu.txt",
	    (int)getpid(), n);
	if (write_file(path, n) == -1) {
		printf("%-10zu cannot write %s\n", n, path);
		return;
	}
	rss = maxrss_kb();
	memset(&l, 0, sizeof l);
	inet_pton(AF_INET6, "2001:db8:ffff::1", &br);
	bindings_br(&l, &br);
	t0 = now();
	if (bindings_file_load(&l, path, &errs) == -1)
		goto fail;
	tload = now() - t0;
	t0 = now();
	if (bindings_validate(&l, path, "bench.conf", &errs) == -1)
		goto fail;
	tval = now() - t0;
	t0 = now();
	if (bindings_build(&t, &l) == -1)
		goto fail;
	tbuild = now() - t0;
	bytes = l.cap * sizeof *l.b + l.nbr * sizeof *l.br +
	    hashmap_memory(&t.by_addr) + hashmap_memory(&t.by_psid);
	printf("%-10zu %9.3f %9.3f %9.3f %9.3f %9.1f %9.1f %9.1f\n", l.n,
	    tload, tval, tbuild, tload + tval + tbuild,
	    (double)bytes / (double)l.n,
	    (double)(maxrss_kb() - rss) * 1024 / (double)l.n, lookups(&t));
	bindings_free(&t);
	bindings_list_free(&l);
	unlink(path);
	return;
fail:
	for (i = 0; i < errs.n && i < 5; i++)
		printf("%s\n", errs.msg[i]);
	config_errors_clear(&errs);
	bindings_list_free(&l);
	unlink(path);
}

int
main(int argc, char *argv[])
{
	static const size_t	 sizes[] = { 10000, 100000, 1000000, 10000000 };
	size_t			 s, nsizes = 3;

	if (argc > 1 && strcmp(argv[1], "-l") == 0)
		nsizes = 4;
	printf("tunmapd binding table: files in random order, psid x/6, "
	    "one address in 16 whole; CPU seconds\n");
	printf("%-10s %9s %9s %9s %9s %9s %9s %9s\n", "bindings", "load s",
	    "valid. s", "build s", "total s", "B/bind", "peakB/b", "find ns");
	for (s = 0; s < nsizes; s++)
		run(sizes[s]);
	return (0);
}
