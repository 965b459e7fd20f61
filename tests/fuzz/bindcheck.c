/* SPDX-License-Identifier: ISC */
/*
 * bindcheck.c: what a validated lwAFTR binding list promises
 * (bindings.h), checked against plain oracles: the order, one PSID
 * length and offset per address, port sets that share no port, each B4
 * once, the lookup tables port by port, the text of a binding and of its
 * ports, and bindings_diff.  The port set oracle is RFC 7597 5.1
 * written out again, sharing nothing with src/psid.h.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindings.h"
#include "fuzz.h"

#define BRUTE_BINDINGS	4	/* a list this small: all 65536 ports */
#define PROBED_MAX	16	/* bindings, addresses probed at all */
#define PORTS_ALL	1024	/* a set this small: every port */
#define EDGE_RANGES	4	/* of a larger one: the first and last */
#define PORT_STRIDE	61	/* and of each address every 61st port */
#define TEXT_MAX	4	/* bindings whose text is checked in full */
#define PORTS_TEXT	(256 * 1024)	/* any port set in full */
#define OFFSET_DEFAULT	6	/* the offset the text leaves out */

/*
 * Whether port is in b's set: RFC 7597 5.1, port = A (a bits), PSID (k
 * bits), j (m bits), with A = 0 in no set when a > 0.  The oracle loops
 * run at every port: no coverage for them, which would only slow them.
 */
static bool FZ_NOCOV
in_set(const struct binding *b, unsigned int port)
{
	unsigned int	k = b->psid_len, a = b->psid_offset, m = 16 - a - k;

	if (k == 0)
		return (true);
	if (a > 0 && port >> (16 - a) == 0)
		return (false);
	return ((port >> m) % (1u << k) == b->psid);
}

static uint64_t
key(const struct binding *b)
{
	return ((uint64_t)ntohl(b->ipv4) << 16 | b->psid);
}

static const char *
str4(uint32_t a, char *buf)
{
	return (inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN));
}

/* Each binding alone: a port set, a BR, a line of its file. */
static void
check_each(const struct binding_list *l, const char *file,
    const char *conffile)
{
	const struct binding	*b;
	size_t			 i, lines;

	for (i = 0; i < l->n; i++) {
		b = &l->b[i];
		FZ_ASSERT(b->psid_len <= 16 && b->psid_offset +
		    b->psid_len <= 16, "binding %zu: k %u a %u", i,
		    b->psid_len, b->psid_offset);
		FZ_ASSERT(b->psid_len == 16 || b->psid >> b->psid_len == 0,
		    "binding %zu: psid %u of %u bits", i, b->psid,
		    b->psid_len);
		FZ_ASSERT(b->psid_len > 0 || b->psid_offset == 0,
		    "binding %zu: whole address with offset %u", i,
		    b->psid_offset);
		FZ_ASSERT(b->br < l->nbr, "binding %zu: BR %u of %zu", i,
		    b->br, l->nbr);
		lines = fz_file_lines(b->line & BINDING_INLINE ? conffile :
		    file);
		FZ_ASSERT(BINDING_LINE(b) >= 1 && BINDING_LINE(b) <= lines,
		    "binding %zu: line %u of %s, of %zu lines", i,
		    BINDING_LINE(b), b->line & BINDING_INLINE ? "conf" :
		    "file", lines);
	}
}

/*
 * Sorted by (IPv4, PSID) with no key twice; one k and a per address;
 * an address bound whole has one binding.  With those, two sets of one
 * address share a port only if they are the same set.
 */
static void
check_order(const struct binding_list *l)
{
	const struct binding	*b, *p;
	char			 a[INET_ADDRSTRLEN];
	size_t			 i;

	for (i = 1; i < l->n; i++) {
		b = &l->b[i];
		p = &l->b[i - 1];
		FZ_ASSERT(key(p) < key(b), "bindings %zu and %zu out of order",
		    i - 1, i);
		if (p->ipv4 != b->ipv4)
			continue;
		FZ_ASSERT(p->psid_len == b->psid_len &&
		    p->psid_offset == b->psid_offset, "%s: k/a %u/%u and "
		    "%u/%u", str4(b->ipv4, a), p->psid_len, p->psid_offset,
		    b->psid_len, b->psid_offset);
		FZ_ASSERT(b->psid_len > 0, "%s bound whole and again",
		    str4(b->ipv4, a));
	}
}

static int
cmp6(const void *x, const void *y)
{
	return (memcmp(x, y, sizeof (struct in6_addr)));
}

/* RFC 7596 5.1: a B4 has one binding. */
static void
check_b4(const struct binding_list *l)
{
	struct in6_addr	*v;
	char		 a[INET6_ADDRSTRLEN];
	size_t		 i;

	if (l->n < 2)
		return;
	if ((v = calloc(l->n, sizeof *v)) == NULL)
		abort();
	for (i = 0; i < l->n; i++)
		v[i] = l->b[i].b4;
	qsort(v, l->n, sizeof *v, cmp6);
	for (i = 1; i < l->n; i++)
		FZ_ASSERT(memcmp(&v[i - 1], &v[i], sizeof *v) != 0,
		    "B4 %s bound twice", inet_ntop(AF_INET6, &v[i], a,
		    sizeof a));
	free(v);
}

/* The one binding of run b[0..n) (one address) holding port, or NULL. */
static const struct binding * FZ_NOCOV
owner(const struct binding *b, size_t n, unsigned int port)
{
	const struct binding	*o = NULL;
	size_t			 i;

	for (i = 0; i < n; i++)
		if (in_set(&b[i], port)) {
			FZ_ASSERT(o == NULL, "port %u in the sets of psid %u "
			    "and %u", port, o->psid, b[i].psid);
			o = &b[i];
		}
	return (o);
}

static void FZ_NOCOV
probe(const struct bindings *t, const struct binding *run, size_t n,
    unsigned int port)
{
	const struct binding	*want, *got;
	char			 a[INET_ADDRSTRLEN];

	if (port > 65535)
		return;
	want = owner(run, n, port);
	got = bindings_find(t, run->ipv4, (uint16_t)port);
	FZ_ASSERT(want == got, "%s port %u: found psid %d, owner psid %d",
	    str4(run->ipv4, a), port, got ? got->psid : -1,
	    want ? want->psid : -1);
}

/*
 * Every port of a set of at most PORTS_ALL ports; of a larger one the
 * ends of its first and last EDGE_RANGES ranges and the ports around
 * them.  The ranges are computed from RFC 7597 5.1 directly: A from 1
 * (from 0 without an offset), PSID, j from 0 to 2^m - 1.
 */
static void
probe_set(const struct bindings *t, const struct binding *run, size_t n,
    const struct binding *b)
{
	unsigned int	k = b->psid_len, a = b->psid_offset, m = 16 - a - k;
	unsigned int	nr, r, lo, j;

	if (k == 0) {
		probe(t, run, n, 0);
		probe(t, run, n, 65535);
		return;
	}
	nr = a > 0 ? (1u << a) - 1 : 1;
	for (r = 0; r < nr; r++) {
		if (r == EDGE_RANGES && nr > 2 * EDGE_RANGES &&
		    nr << m > PORTS_ALL)
			r = nr - EDGE_RANGES;
		lo = (a > 0 ? (r + 1) << (16 - a) : 0) |
		    (unsigned int)b->psid << m;
		if (nr << m <= PORTS_ALL)
			for (j = 0; j < 1u << m; j++)
				probe(t, run, n, lo + j);
		else {
			probe(t, run, n, lo - (lo > 0));
			probe(t, run, n, lo);
			probe(t, run, n, lo + (1u << m) - 1);
			probe(t, run, n, lo + (1u << m));
		}
	}
}

/*
 * The tables against the list: every address's k and a, and
 * bindings_find against the owner by the oracle (probe(): which also
 * finds any port in two sets) at the ports of each set (probe_set())
 * and at every PORT_STRIDE-th port.  For a small list every port of
 * each address has at most one owner.  An address next to a bound one,
 * if not bound itself, finds nothing.
 */
static void
check_tables(const struct binding_list *l)
{
	struct bindings		 t;
	const struct binding	*run;
	uint32_t		 next;
	size_t			 i, j, n;
	unsigned int		 port;
	uint8_t			 k, a;

	FZ_ASSERT(bindings_build(&t, l) == 0, "a validated list does not "
	    "build");
	for (i = 0; i < l->n; i = j) {
		run = &l->b[i];
		for (j = i + 1; j < l->n && l->b[j].ipv4 == run->ipv4; j++)
			;
		n = j - i;
		FZ_ASSERT(bindings_addr(&t, run->ipv4, &k, &a) &&
		    k == run->psid_len && a == run->psid_offset,
		    "bindings_addr of binding %zu", i);
		if (l->n <= BRUTE_BINDINGS)
			for (port = 0; port < 65536; port++)
				(void)owner(run, n, port);
		for (port = ntohl(run->ipv4) % PORT_STRIDE; port < 65536 &&
		    i < PROBED_MAX; port += PORT_STRIDE)
			probe(&t, run, n, port);
		for (; i < j && i < PROBED_MAX; i++)
			probe_set(&t, run, n, &l->b[i]);
		next = htonl(ntohl(run->ipv4) + 1);
		if (j == l->n || l->b[j].ipv4 != next)
			FZ_ASSERT(!bindings_addr(&t, next, &k, &a) &&
			    bindings_find(&t, next, 4096) == NULL,
			    "an unbound address is bound");
	}
	bindings_free(&t);
}

/*
 * The ranges of b's set, by the oracle, as text: "lo-hi" or "lo",
 * comma separated.  The length.
 */
static size_t FZ_NOCOV
oracle_ranges(const struct binding *b, char *buf, size_t len)
{
	unsigned int	port, lo;
	size_t		pos = 0;
	int		w;

	for (port = 0; port < 65536; port++) {
		if (!in_set(b, port))
			continue;
		for (lo = port; port + 1 < 65536 && in_set(b, port + 1);
		    port++)
			;
		if (lo == port)
			w = snprintf(buf + pos, len - pos, "%s%u",
			    pos ? "," : "", lo);
		else
			w = snprintf(buf + pos, len - pos, "%s%u-%u",
			    pos ? "," : "", lo, port);
		FZ_ASSERT(w > 0 && (size_t)w < len - pos, "oracle overflow");
		pos += (size_t)w;
	}
	return (pos);
}

/*
 * text, written in len bytes, against the full ranges: all of them if
 * they fit, else a first run of whole ranges (as many as fit), "...",
 * and the last range; -1 (rv) only if not even the first and last fit.
 */
static void
check_ports_text(const char *full, size_t flen, const char *text, int rv,
    size_t len)
{
	const char	*last, *comma;
	size_t		 llen, plen, minlen, shown;

	last = strrchr(full, ',');
	last = last ? last + 1 : full;
	llen = strlen(last);
	comma = strchr(full, ',');
	minlen = comma == NULL ? flen : (size_t)(comma - full) + 5 + llen;
	if (flen < len) {
		FZ_ASSERT(rv >= 0 && (size_t)rv == flen &&
		    memcmp(text, full, flen) == 0, "ports: %zu bytes fit in "
		    "%zu, got %d: \"%.*s\"", flen, len, rv, rv > 0 ? rv : 0,
		    text);
		return;
	}
	if (minlen >= len) {
		FZ_ASSERT(rv == -1, "ports: %d bytes in %zu, shortest %zu",
		    rv, len, minlen);
		return;
	}
	FZ_ASSERT(rv >= 0 && (size_t)rv < len, "ports: %d in %zu, shortest "
	    "%zu", rv, len, minlen);
	FZ_ASSERT((size_t)rv > llen + 5 && strcmp(text + rv - llen, last) ==
	    0 && memcmp(text + rv - llen - 5, ",...,", 5) == 0,
	    "ports: no \",...,LAST\": \"%s\"", text);
	plen = (size_t)rv - llen - 5;
	FZ_ASSERT(memcmp(text, full, plen) == 0 && full[plen] == ',',
	    "ports: not a prefix of whole ranges: \"%s\"", text);
	/* The next range would not have fitted. */
	comma = strchr(full + plen + 1, ',');
	shown = comma != NULL ? (size_t)(comma - full) : flen;
	FZ_ASSERT(comma == NULL || shown + 5 + llen >= len, "ports: %zu "
	    "bytes shown of a room of %zu", plen, len);
}

/* bindings_ports_str() in a buffer of exactly len bytes. */
static void
ports_in(const struct binding *b, const char *full, size_t flen,
    size_t len)
{
	char	*buf;
	int	 rv;

	if ((buf = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	rv = bindings_ports_str(b, len > 0 ? buf : buf + 1, len);
	if (rv >= 0)
		FZ_ASSERT((size_t)rv < len && strlen(buf) == (size_t)rv,
		    "ports: returned %d, wrote %zu, in %zu", rv,
		    strnlen(buf, len), len);
	check_ports_text(full, flen, buf, rv, len);
	free(buf);
}

/*
 * bindings_str() in a buffer of exactly len bytes: "b4 B4 ipv4 V4
 * [psid P/K [offset A]] ports PORTS br BR".
 */
static void
line_in(const struct binding *b, const struct in6_addr *br, const char *full,
    size_t flen, size_t len)
{
	char	 head[160], tail[64];
	char	 a6[INET6_ADDRSTRLEN], a4[INET_ADDRSTRLEN];
	char	*buf;
	size_t	 hl, tl;
	int	 rv;

	hl = (size_t)snprintf(head, sizeof head, "b4 %s ipv4 %s",
	    inet_ntop(AF_INET6, &b->b4, a6, sizeof a6), str4(b->ipv4, a4));
	if (b->psid_len > 0)
		hl += (size_t)snprintf(head + hl, sizeof head - hl,
		    " psid %u/%u", b->psid, b->psid_len);
	if (b->psid_len > 0 && b->psid_offset != OFFSET_DEFAULT)
		hl += (size_t)snprintf(head + hl, sizeof head - hl,
		    " offset %u", b->psid_offset);
	hl += (size_t)snprintf(head + hl, sizeof head - hl, " ports ");
	tl = (size_t)snprintf(tail, sizeof tail, " br %s",
	    inet_ntop(AF_INET6, br, a6, sizeof a6));

	if ((buf = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	rv = bindings_str(b, br, len > 0 ? buf : buf + 1, len);
	if (rv < 0) {
		/* Only if head, tail and the shortest ports do not fit. */
		if (len > hl + tl)
			check_ports_text(full, flen, "", -1, len - hl - tl);
		free(buf);
		return;
	}
	FZ_ASSERT((size_t)rv < len && strlen(buf) == (size_t)rv,
	    "line: returned %d, wrote %zu, in %zu", rv, strnlen(buf, len),
	    len);
	FZ_ASSERT((size_t)rv > hl + tl && memcmp(buf, head, hl) == 0 &&
	    strcmp(buf + rv - tl, tail) == 0, "line: \"%s\", wanted \"%s "
	    "...%s\"", buf, head, tail);
	buf[rv - tl] = '\0';
	check_ports_text(full, flen, buf + hl, rv - (int)(hl + tl),
	    len - hl - tl);
	free(buf);
}

/* The text of b: its ports against the oracle's, in buffers of many sizes. */
static void
check_text(const struct binding_list *l, const struct binding *b)
{
	static char	*full, *got;
	size_t		 flen, len;
	int		 rv;

	if (full == NULL && ((full = malloc(PORTS_TEXT)) == NULL ||
	    (got = malloc(PORTS_TEXT)) == NULL))
		abort();
	flen = oracle_ranges(b, full, PORTS_TEXT);
	rv = bindings_ports_str(b, got, PORTS_TEXT);
	FZ_ASSERT(rv >= 0 && (size_t)rv == flen && strcmp(got, full) == 0,
	    "ports of psid %u/%u offset %u:\n  got  \"%.200s\"\n  want "
	    "\"%.200s\"", b->psid, b->psid_len, b->psid_offset, got, full);
	for (len = 0; len < 40; len++)
		ports_in(b, full, flen, len);
	/* Around the whole text, where it stops fitting, if not huge. */
	for (len = flen > 8 ? flen - 8 : 40; len < flen + 8 &&
	    flen < 2 * BINDINGS_LINE_MAX; len++)
		ports_in(b, full, flen, len);
	ports_in(b, full, flen, BINDINGS_LINE_MAX);
	for (len = 0; len < 200; len += 7)
		line_in(b, &l->br[b->br], full, flen, len);
	line_in(b, &l->br[b->br], full, flen, BINDINGS_LINE_MAX);
}

struct diffsink {
	const struct binding_list	*l;
	const struct binding		*b;	/* the next line's */
	const char			*what;
	size_t				 n;
};

/* Each line: "binding WHAT: " and bindings_str() of the next binding. */
static void
diff_cb(void *arg, const char *line)
{
	struct diffsink	*d = arg;
	char		 want[BINDINGS_LINE_MAX + 64];
	int		 n;

	FZ_ASSERT(d->b != NULL, "diff: a line too many: %s", line);
	n = snprintf(want, sizeof want, "binding %s: ", d->what);
	if (bindings_str(d->b, &d->l->br[d->b->br], want + n,
	    BINDINGS_LINE_MAX - (size_t)n) == -1)
		snprintf(want + n, sizeof want - (size_t)n, "(too long)");
	FZ_ASSERT(strcmp(line, want) == 0, "diff: \"%s\", wanted \"%s\"",
	    line, want);
	d->n++;
	d->b = d->b + 1 < d->l->b + d->l->n ? d->b + 1 : NULL;
}

/*
 * The list against itself: no line.  Against the empty list: every
 * binding, in order, added or removed.  Against itself less one
 * binding: that one removed.
 */
static void
check_diff(const struct binding_list *l)
{
	struct binding_list	 empty, less;
	struct diffsink		 d = { l, NULL, "", 0 };
	size_t			 i, n;

	memset(&empty, 0, sizeof empty);
	FZ_ASSERT(bindings_diff(l, l, diff_cb, &d) == 0 && d.n == 0,
	    "diff of a list with itself");
	d.b = l->n > 0 ? l->b : NULL;
	d.what = "added";
	n = bindings_diff(&empty, l, diff_cb, &d);
	FZ_ASSERT(n == l->n && d.n == l->n, "diff from empty: %zu lines "
	    "for %zu", n, l->n);
	d.b = l->n > 0 ? l->b : NULL;
	d.what = "removed";
	d.n = 0;
	n = bindings_diff(l, &empty, diff_cb, &d);
	FZ_ASSERT(n == l->n && d.n == l->n, "diff to empty: %zu lines "
	    "for %zu", n, l->n);
	if (l->n == 0)
		return;
	i = l->n / 2;
	less = *l;
	if ((less.b = calloc(l->n, sizeof *less.b)) == NULL)
		abort();
	memcpy(less.b, l->b, i * sizeof *less.b);
	memcpy(less.b + i, l->b + i + 1, (l->n - i - 1) * sizeof *less.b);
	less.n = l->n - 1;
	d.b = &l->b[i];
	d.n = 0;
	n = bindings_diff(l, &less, diff_cb, &d);
	FZ_ASSERT(n == 1 && d.n == 1, "diff less one: %zu lines", n);
	free(less.b);
}

/*
 * A list bindings_validate() accepted; file is the bindings file (or
 * NULL), conffile the configuration holding the inline bindings.
 */
void
fz_check_bindings(const struct binding_list *l, const char *file,
    const char *conffile)
{
	size_t	i;

	FZ_ASSERT(l->nbr >= 1 && l->nbr <= BINDINGS_BR_MAX, "%zu BR "
	    "addresses", l->nbr);
	for (i = 1; i < l->nbr; i++)
		FZ_ASSERT(memcmp(&l->br[i], &l->br[0], sizeof l->br[0]) != 0,
		    "BR %zu is the default BR", i);
	check_each(l, file, conffile);
	check_order(l);
	check_b4(l);
	check_tables(l);
	for (i = 0; i < l->n && i < TEXT_MAX; i++)
		check_text(l, &l->b[i]);
	check_diff(l);
}
