/* SPDX-License-Identifier: ISC */
/*
 * bindings.c: the lwAFTR binding table of RFC 7596.  The bindings file
 * parser, the validation that no two bindings share a port, the lookup
 * tables the packet path reads, and the one-line text of a binding that
 * lets an operator map an IPv4 address and port back to a subscriber.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindings.h"
#include "config.h"
#include "psid.h"

/* The by_psid key: both halves fixed-width so no padding is hashed. */
struct psid_key {
	uint32_t	ipv4;
	uint32_t	psid;
};

/* Whether k, a and psid make a port set (RFC 7597 5.1). */
static bool
binding_params_ok(const struct binding *b)
{
	if (b->psid_len > 16 || b->psid_offset + b->psid_len > 16)
		return (false);
	if (b->psid_len == 0)
		return (b->psid == 0 && b->psid_offset == 0);
	return (b->psid >> b->psid_len == 0);
}

/* Room for one more binding; doubling, so a million lines copy little. */
static struct binding *
list_append(struct binding_list *l)
{
	struct binding	*n;
	size_t		 ncap;

	if (l->n == l->cap) {
		ncap = l->cap < 4096 ? 4096 : l->cap * 2;
		if ((n = reallocarray(l->b, ncap, sizeof *n)) == NULL)
			return (NULL);
		l->b = n;
		l->cap = ncap;
	}
	return (&l->b[l->n]);
}

/*
 * The index of BR address a in the list, added if new.  A list holds a
 * handful (at most BINDINGS_BR_MAX), so a scan is enough.
 */
static int
br_index(struct binding_list *l, const struct in6_addr *a, uint32_t *idx)
{
	struct in6_addr	*n;
	size_t		 i;

	for (i = 0; i < l->nbr; i++)
		if (memcmp(&l->br[i], a, sizeof *a) == 0) {
			*idx = (uint32_t)i;
			return (0);
		}
	if (l->nbr >= BINDINGS_BR_MAX) {
		errno = E2BIG;
		return (-1);
	}
	if ((n = reallocarray(l->br, l->nbr + 1, sizeof *n)) == NULL)
		return (-1);
	l->br = n;
	l->br[l->nbr] = *a;
	*idx = (uint32_t)l->nbr++;
	return (0);
}

/*
 * Add BR address a (the first call: the default, br[0]) unless it is
 * there; its index, or -1 (E2BIG past BINDINGS_BR_MAX).
 */
int
bindings_br(struct binding_list *l, const struct in6_addr *a)
{
	uint32_t	idx;

	return (br_index(l, a, &idx) == -1 ? -1 : (int)idx);
}

/* Append a binding made elsewhere; EINVAL if its port set is not one. */
int
bindings_add(struct binding_list *l, const struct binding *b)
{
	struct binding	*n;

	if (!binding_params_ok(b) || b->br >= l->nbr) {
		errno = EINVAL;
		return (-1);
	}
	if ((n = list_append(l)) == NULL)
		return (-1);
	*n = *b;
	l->n++;
	return (0);
}

void
bindings_list_free(struct binding_list *l)
{
	free(l->b);
	free(l->br);
	memset(l, 0, sizeof *l);
}

/*
 * The two tables.  A list that slipped past validation with one port in
 * two sets fails here (EEXIST) rather than answering for one of them.
 */
int
bindings_build(struct bindings *t, const struct binding_list *l)
{
	const struct binding	*b;
	struct psid_key		 key;
	uint32_t		 ka, old;
	size_t			 i, naddr = 0;
	int			 rv;

	memset(t, 0, sizeof *t);
	for (i = 0; i < l->n; i++)
		if (i == 0 || l->b[i].ipv4 != l->b[i - 1].ipv4)
			naddr++;
	if (hashmap_init(&t->by_addr, sizeof key.ipv4, naddr) == -1)
		return (-1);
	if (hashmap_init(&t->by_psid, sizeof key, l->n) == -1) {
		hashmap_free(&t->by_addr);
		return (-1);
	}
	for (i = 0; i < l->n; i++) {
		b = &l->b[i];
		ka = b->psid_len | (uint32_t)b->psid_offset << 8;
		rv = hashmap_insert(&t->by_addr, &b->ipv4, ka, &old);
		if (rv == 1 && (old != ka || b->psid_len == 0))
			rv = -1, errno = EEXIST;
		if (rv != -1) {
			key.ipv4 = b->ipv4;
			key.psid = b->psid;
			rv = hashmap_insert(&t->by_psid, &key, (uint32_t)i,
			    &old);
			if (rv == 1)
				rv = -1, errno = EEXIST;
		}
		if (rv == -1) {
			bindings_free(t);
			return (-1);
		}
	}
	t->b = l->b;
	t->n = l->n;
	t->br = l->br;
	t->nbr = l->nbr;
	return (0);
}

void
bindings_free(struct bindings *t)
{
	hashmap_free(&t->by_addr);
	hashmap_free(&t->by_psid);
	t->b = NULL;
	t->n = 0;
}

bool
bindings_addr(const struct bindings *t, uint32_t ipv4, uint8_t *k,
    uint8_t *a)
{
	uint32_t	ka;

	if (!hashmap_find(&t->by_addr, &ipv4, &ka))
		return (false);
	*k = (uint8_t)(ka & 0xff);
	*a = (uint8_t)(ka >> 8);
	return (true);
}

const struct binding *
bindings_find(const struct bindings *t, uint32_t ipv4, uint16_t port)
{
	struct psid_key	key;
	uint32_t	idx;
	uint8_t		k, a;

	if (!bindings_addr(t, ipv4, &k, &a) || !psid_port_in_sets(port, k, a))
		return (NULL);
	key.ipv4 = ipv4;
	key.psid = psid_of_port(port, k, a);
	if (!hashmap_find(&t->by_psid, &key, &idx))
		return (NULL);
	return (&t->b[idx]);
}

/* Errors of one load or validation: the first 100 listed, then a count. */
struct errlist {
	struct config_errors	*errs;
	int			 n;
};

#define ERRORS_LISTED	100

static void __attribute__((format(printf, 2, 3)))
errorf(struct errlist *e, const char *fmt, ...)
{
	va_list	ap;

	if (e->n++ >= ERRORS_LISTED)
		return;
	va_start(ap, fmt);
	config_verrorf(e->errs, fmt, ap);
	va_end(ap);
}

static void
errors_end(struct errlist *e, const char *path)
{
	int	n = e->n;

	if (n > ERRORS_LISTED) {
		e->n = 0;
		errorf(e, "%s: %d more errors", path, n - ERRORS_LISTED);
	}
}

/* A decimal number of at most 5 digits, nothing else. */
static bool
parse_u16(const char *s, const char *end, unsigned int *v)
{
	*v = 0;
	if (s == end || end - s > 5)
		return (false);
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return (false);
		*v = *v * 10 + (unsigned int)(*s - '0');
	}
	return (*v <= 65535);
}

static bool
unicast6(const struct in6_addr *a)
{
	return (!IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	    !IN6_IS_ADDR_MULTICAST(a));
}

/* Not 0/8, 127/8, multicast or class E (the broadcast address with it). */
static bool
unicast4(uint32_t a)
{
	uint8_t	top = (uint8_t)(ntohl(a) >> 24);

	return (top != 0 && top != 127 && top < 224);
}

/* Split line into blank-separated fields up to a '#'; how many. */
static int
split_fields(char *line, char **f, int max)
{
	char	*p = line;
	int	 n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#' || n == max)
			return (*p == '\0' || *p == '#' ? n : n + 1);
		f[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\n' && *p != '#')
			p++;
		if (*p == '#') {
			*p = '\0';
			return (n);
		}
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* "PSID/K" into b; -1 with the reason in msg. */
static int
parse_psid(const char *s, struct binding *b, char *msg, size_t msglen)
{
	const char	*slash = strchr(s, '/');
	unsigned int	 psid, k;

	if (slash == NULL || !parse_u16(s, slash, &psid) ||
	    !parse_u16(slash + 1, slash + strlen(slash), &k))
		snprintf(msg, msglen, "bad PSID \"%s\": write PSID/LENGTH, "
		    "e.g. 1/6", s);
	else if (k > 16)
		snprintf(msg, msglen, "PSID length %u is more than 16", k);
	else if (k < 16 && psid >> k != 0)
		snprintf(msg, msglen, "PSID %u does not fit in %u bits (at "
		    "most %u)", psid, k, (1u << k) - 1);
	else {
		b->psid = (uint16_t)psid;
		b->psid_len = (uint8_t)k;
		return (0);
	}
	return (-1);
}

/*
 * One line: "B4 IPV4 [PSID/K] [offset A] [br IPV6]".  0 with *b filled,
 * 1 for nothing on the line, -1 with the reason in msg.
 */
static int
parse_line(struct binding_list *l, char *line, struct binding *b, char *msg,
    size_t msglen)
{
	struct in6_addr	 br;
	char		*f[8];
	unsigned int	 a = PSID_OFFSET_DEFAULT;
	bool		 has_a = false, has_br = false;
	int		 n, i;

	if ((n = split_fields(line, f, 8)) == 0)
		return (1);
#define FAIL(...)	do {						\
		snprintf(msg, msglen, __VA_ARGS__);			\
		return (-1);						\
	} while (0)
	if (n < 2)
		FAIL("needs a B4 IPv6 address and an IPv4 address");
	if (n > 7)
		FAIL("too many fields");
	memset(b, 0, sizeof *b);
	if (inet_pton(AF_INET6, f[0], &b->b4) != 1)
		FAIL("B4 address \"%s\" is not an IPv6 address", f[0]);
	if (!unicast6(&b->b4))
		FAIL("B4 address %s is not a unicast address", f[0]);
	if (inet_pton(AF_INET, f[1], &b->ipv4) != 1)
		FAIL("\"%s\" is not an IPv4 address", f[1]);
	if (!unicast4(b->ipv4))
		FAIL("IPv4 address %s is not a unicast address", f[1]);
	i = 2;
	if (i < n && f[i][0] >= '0' && f[i][0] <= '9') {
		if (parse_psid(f[i], b, msg, msglen) == -1)
			return (-1);
		i++;
	}
	for (; i < n; i += 2) {
		if (strcmp(f[i], "offset") == 0 && !has_a) {
			if (i + 1 == n || !parse_u16(f[i + 1],
			    f[i + 1] + strlen(f[i + 1]), &a) || a > 16)
				FAIL("offset needs a number from 0 to 16");
			has_a = true;
		} else if (strcmp(f[i], "br") == 0 && !has_br) {
			if (i + 1 == n)
				FAIL("br needs an IPv6 address");
			if (inet_pton(AF_INET6, f[i + 1], &br) != 1)
				FAIL("br \"%s\" is not an IPv6 address",
				    f[i + 1]);
			if (!unicast6(&br))
				FAIL("br %s is not a unicast address",
				    f[i + 1]);
			has_br = true;
		} else if (strcmp(f[i], "offset") == 0 ||
		    strcmp(f[i], "br") == 0)
			FAIL("%s given twice", f[i]);
		else
			FAIL("unknown word \"%s\"", f[i]);
	}
	if (b->psid_len == 0 && has_a)
		FAIL("offset without a PSID: the whole address is bound");
	if (b->psid_len == 0)
		a = 0;
	if (a + b->psid_len > 16 && !has_a)
		FAIL("PSID length %u with the default offset %u is more than "
		    "16 bits: give an offset of at most %u", b->psid_len, a,
		    16u - b->psid_len);
	if (a + b->psid_len > 16)
		FAIL("offset %u and PSID length %u are more than 16 bits", a,
		    b->psid_len);
	b->psid_offset = (uint8_t)a;
	if (has_br && br_index(l, &br, &b->br) == -1) {
		if (errno == E2BIG)
			FAIL("more than %d BR addresses", BINDINGS_BR_MAX);
		FAIL("out of memory");
	}
#undef FAIL
	return (0);
}

/*
 * Append the bindings read from f, each with its line number.  Every
 * error goes to errs as "path:line: message"; -1 if there was any.
 */
int
bindings_file_read(struct binding_list *l, FILE *f, const char *path,
    struct config_errors *errs)
{
	struct errlist	 e = { errs, 0 };
	struct binding	*b;
	char		*line = NULL, msg[256];
	size_t		 size = 0;
	uint32_t	 n = 0;
	int		 rv;

	while (getline(&line, &size, f) != -1) {
		if (++n == BINDING_INLINE) {
			errorf(&e, "%s:%u: too many lines", path, n);
			break;
		}
		if ((b = list_append(l)) == NULL) {
			errorf(&e, "%s:%u: out of memory", path, n);
			break;
		}
		rv = parse_line(l, line, b, msg, sizeof msg);
		if (rv == 0) {
			b->line = n;
			l->n++;
		} else if (rv == -1)
			errorf(&e, "%s:%u: %s", path, n, msg);
	}
	if (ferror(f))
		errorf(&e, "%s: %s", path, strerror(errno));
	errors_end(&e, path);
	free(line);
	return (e.n == 0 ? 0 : -1);
}

/* The same for the file at path (already resolved by the caller). */
int
bindings_file_load(struct binding_list *l, const char *path,
    struct config_errors *errs)
{
	struct errlist	 e = { errs, 0 };
	FILE		*f;
	int		 rv;

	if ((f = fopen(path, "r")) == NULL) {
		errorf(&e, "%s: %s", path, strerror(errno));
		return (-1);
	}
	rv = bindings_file_read(l, f, path, errs);
	fclose(f);
	return (rv);
}

/* The sort key: (IPv4 in host order, PSID), 48 bits. */
static inline uint64_t
sort_key(const struct binding *b)
{
	return ((uint64_t)ntohl(b->ipv4) << 16 | b->psid);
}

/*
 * Stable LSD radix sort by sort_key(), 16 bits a pass, a pass skipped
 * when every key has the same digit.  A million bindings sort in tens of
 * milliseconds; a sorted file costs one scan.  The array ends exactly
 * as large as the list.
 */
static int
sort_list(struct binding_list *l)
{
	struct binding	*src = l->b, *dst, *t;
	size_t		*count, i, sum, c;
	unsigned int	 shift, d;

	for (i = 1; i < l->n; i++)
		if (sort_key(&l->b[i - 1]) > sort_key(&l->b[i]))
			break;
	if (i >= l->n) {
		/* Give back what the doubling left over (mremap: no copy). */
		if (l->n > 0 && l->cap > l->n &&
		    (t = reallocarray(l->b, l->n, sizeof *t)) != NULL) {
			l->b = t;
			l->cap = l->n;
		}
		return (0);
	}
	if ((dst = reallocarray(NULL, l->n, sizeof *dst)) == NULL)
		return (-1);
	if ((count = calloc(1 << 16, sizeof *count)) == NULL) {
		free(dst);
		return (-1);
	}
	for (shift = 0; shift < 48; shift += 16) {
		memset(count, 0, (1 << 16) * sizeof *count);
		for (i = 0; i < l->n; i++)
			count[(sort_key(&src[i]) >> shift) & 0xffff]++;
		d = (sort_key(&src[0]) >> shift) & 0xffff;
		if (count[d] == l->n)
			continue;
		for (sum = 0, d = 0; d < 1 << 16; d++) {
			c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (i = 0; i < l->n; i++)
			dst[count[(sort_key(&src[i]) >> shift) & 0xffff]++] =
			    src[i];
		t = src, src = dst, dst = t;
	}
	free(count);
	free(dst);
	l->b = src;
	l->cap = l->n;
	return (0);
}

/* Which of two came first: inline bindings before the file's. */
static inline uint32_t
order(const struct binding *b)
{
	return (b->line ^ BINDING_INLINE);
}

struct vctx {
	struct errlist	 e;
	const char	*file, *conffile;
};

/* "file:line" of a binding. */
static const char *
where(const struct vctx *v, const struct binding *b, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%u", b->line & BINDING_INLINE ? v->conffile :
	    v->file, BINDING_LINE(b));
	return (buf);
}

/* "198.51.100.1 psid 3/6", with the offset if not the default. */
static const char *
ident(const struct binding *b, char *buf, size_t len)
{
	char	a[INET_ADDRSTRLEN];
	int	n;

	inet_ntop(AF_INET, &b->ipv4, a, sizeof a);
	if (b->psid_len == 0)
		n = snprintf(buf, len, "%s (all ports)", a);
	else
		n = snprintf(buf, len, "%s psid %u/%u", a, b->psid,
		    b->psid_len);
	if (b->psid_len != 0 && b->psid_offset != PSID_OFFSET_DEFAULT &&
	    n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " offset %u",
		    b->psid_offset);
	return (buf);
}

/*
 * Report b (the later) against o (the earlier): the B4 bound twice, or
 * else what is wrong with the port sets.
 */
static void
conflict(struct vctx *v, const struct binding *b, const struct binding *o,
    bool b4twice)
{
	char	w[4096], ow[4096], id[64], oid[64], b4[INET6_ADDRSTRLEN];

	where(v, b, w, sizeof w);
	where(v, o, ow, sizeof ow);
	ident(b, id, sizeof id);
	ident(o, oid, sizeof oid);
	if (b4twice) {
		inet_ntop(AF_INET6, &b->b4, b4, sizeof b4);
		errorf(&v->e, "%s: B4 %s is already bound to %s at %s", w,
		    b4, oid, ow);
	} else if (b->psid_len == o->psid_len &&
	    b->psid_offset == o->psid_offset && b->psid == o->psid)
		errorf(&v->e, "%s: %s is already bound at %s", w, id, ow);
	else if (b->psid_len == 0 || o->psid_len == 0)
		errorf(&v->e, "%s: %s overlaps %s bound at %s", w, id, oid,
		    ow);
	else
		errorf(&v->e, "%s: %s: mismatched PSID parameters with %s at "
		    "%s (an address has one PSID length and offset)", w, id,
		    oid, ow);
}

static bool
same_params(const struct binding *a, const struct binding *b)
{
	return (a->psid_len == b->psid_len &&
	    a->psid_offset == b->psid_offset);
}

/*
 * One address's bindings, b[0..n).  The earliest fixes the address's k
 * and a; any other k or a is an error against it; among those that
 * agree, a PSID twice is an error against its earliest.
 */
static void
check_address(struct vctx *v, const struct binding *b, size_t n)
{
	const struct binding	*ref = b, *first;
	size_t			 i, j, run;

	for (i = 1; i < n; i++)
		if (order(&b[i]) < order(ref))
			ref = &b[i];
	for (i = 0; i < n; i = run) {
		first = NULL;
		for (run = i; run < n && b[run].psid == b[i].psid; run++)
			if (same_params(&b[run], ref) && (first == NULL ||
			    order(&b[run]) < order(first)))
				first = &b[run];
		for (j = i; j < run; j++)
			if (!same_params(&b[j], ref))
				conflict(v, &b[j], ref, false);
			else if (&b[j] != first)
				conflict(v, &b[j], first, false);
	}
}

/* A 64-bit finaliser: every input bit moves every output bit. */
static inline uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return (x ^ x >> 33);
}

/* 64 bits of a B4 address, for the B4 set. */
static inline uint64_t
b4_hash(const struct in6_addr *a)
{
	uint64_t	hi, lo;

	memcpy(&hi, a->s6_addr, 8);
	memcpy(&lo, a->s6_addr + 8, 8);
	return (mix64(mix64(hi) ^ lo));
}

/*
 * RFC 7596 5.1: a B4 has one binding.  A set of the list's indexes, not
 * of the addresses: 8 bytes a slot (32 bits of hash to skip most
 * compares, the index + 1), half the size of a hashmap of the keys.
 * The same B4 for one address twice is reported once, by
 * check_address().
 */
static int
check_b4(struct vctx *v, const struct binding_list *l)
{
	const struct binding	*b, *o;
	uint64_t		*slot, h, s;
	size_t			 i, mask, nslots = 16;

	while (nslots / 2 < l->n)
		nslots *= 2;
	if ((slot = calloc(nslots, sizeof *slot)) == NULL)
		return (-1);
	mask = nslots - 1;
	for (i = 0; i < l->n; i++) {
		b = &l->b[i];
		h = b4_hash(&b->b4);
		for (s = h & mask; slot[s] != 0; s = (s + 1) & mask)
			if (slot[s] >> 32 == h >> 32 && memcmp(
			    &l->b[(uint32_t)slot[s] - 1].b4, &b->b4,
			    sizeof b->b4) == 0)
				break;
		if (slot[s] == 0) {
			slot[s] = (h >> 32) << 32 | (i + 1);
			continue;
		}
		o = &l->b[(uint32_t)slot[s] - 1];
		if (o->ipv4 == b->ipv4 && (o->psid == b->psid ||
		    !same_params(o, b)))
			continue;
		if (order(o) < order(b))
			conflict(v, b, o, true);
		else
			conflict(v, o, b, true);
	}
	free(slot);
	return (0);
}

/*
 * Sort the list by (IPv4, PSID) and report, as "file:line: message"
 * naming both places, every binding that shares a port with another or
 * gives its address another PSID length or offset, and every B4 bound
 * twice.  file names the bindings file, conffile the configuration that
 * holds the inline ones.  -1 if there was any error.
 */
int
bindings_validate(struct binding_list *l, const char *file,
    const char *conffile, struct config_errors *errs)
{
	struct vctx	v = { { errs, 0 }, file, conffile };
	size_t		i, j;

	if (v.file == NULL)
		v.file = conffile;
	if (sort_list(l) == -1) {
		errorf(&v.e, "%s: out of memory", v.file);
		return (-1);
	}
	for (i = 0; i < l->n; i = j) {
		for (j = i + 1; j < l->n && l->b[j].ipv4 == l->b[i].ipv4; j++)
			;
		if (j - i > 1)
			check_address(&v, &l->b[i], j - i);
	}
	if (check_b4(&v, l) == -1)
		errorf(&v.e, "%s: out of memory", v.file);
	errors_end(&v.e, v.file);
	return (v.e.n == 0 ? 0 : -1);
}

/* Range i of a binding's port set (RFC 7597 5.1); how many there are. */
static unsigned int
port_range(const struct binding *b, unsigned int i, unsigned int *lo,
    unsigned int *hi)
{
	unsigned int	k = b->psid_len, a = b->psid_offset, m = 16 - a - k;

	if (k == 0) {
		*lo = 0;
		*hi = 65535;
		return (1);
	}
	/* With an offset, A runs from 1: A = 0 is the excluded ports. */
	if (a > 0)
		i++;
	*lo = i << (16 - a) | (unsigned int)b->psid << m;
	*hi = *lo + (1u << m) - 1;
	return (a > 0 ? (1u << a) - 1 : 1);
}

static int
range_str(char *buf, size_t len, const char *sep, unsigned int lo,
    unsigned int hi)
{
	if (lo == hi)
		return (snprintf(buf, len, "%s%u", sep, lo));
	return (snprintf(buf, len, "%s%u-%u", sep, lo, hi));
}

/*
 * A binding's ports as ranges, "1088-1103,2112-2127,...": all of them
 * when they fit in buf, else as many first ones as leave room for "..."
 * and the last.  One pass: keep is where the shortened text would cut,
 * the end of the longest run of whole ranges that leaves that room.  The
 * ranges of one set are never adjacent (k > 0 leaves a gap between
 * them), so there is nothing to merge.  The length written, or -1 if
 * buf has no room for even the first and last range.
 */
int
bindings_ports_str(const struct binding *b, char *buf, size_t len)
{
	char		 last[32];
	unsigned int	 i, n, lo, hi;
	size_t		 pos = 0, keep = 0, lastlen;
	int		 w;

	n = port_range(b, 0, &lo, &hi);
	port_range(b, n - 1, &lo, &hi);
	w = range_str(last, sizeof last, n > 1 ? ",...," : "", lo, hi);
	lastlen = (size_t)w;
	for (i = 0; i < n; i++) {
		port_range(b, i, &lo, &hi);
		w = range_str(buf + pos, len - pos, i > 0 ? "," : "", lo, hi);
		if (w < 0 || pos + (size_t)w >= len)
			break;
		pos += (size_t)w;
		if (pos + lastlen < len)
			keep = pos;
	}
	if (i == n)
		return ((int)pos);
	if (keep == 0)
		return (-1);
	memcpy(buf + keep, last, lastlen + 1);
	return ((int)(keep + lastlen));
}

/*
 * One binding as a line of its own: "b4 2001:db8:b4::1 ipv4
 * 198.51.100.1 psid 1/6 ports 1088-1103,... br 2001:db8:ffff::1"; the
 * offset follows the PSID when not the default, the PSID is left out for
 * an address bound whole.  br is the binding's BR address.  The length
 * written, or -1 if it did not fit.
 */
int
bindings_str(const struct binding *b, const struct in6_addr *br, char *buf,
    size_t len)
{
	char	b4[INET6_ADDRSTRLEN], v4[INET_ADDRSTRLEN];
	char	brs[INET6_ADDRSTRLEN], end[64];
	int	n, p, e;

	inet_ntop(AF_INET6, &b->b4, b4, sizeof b4);
	inet_ntop(AF_INET, &b->ipv4, v4, sizeof v4);
	inet_ntop(AF_INET6, br, brs, sizeof brs);
	n = snprintf(buf, len, "b4 %s ipv4 %s", b4, v4);
	if (n >= 0 && b->psid_len != 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " psid %u/%u",
		    b->psid, b->psid_len);
	if (n >= 0 && b->psid_len != 0 &&
	    b->psid_offset != PSID_OFFSET_DEFAULT && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " offset %u",
		    b->psid_offset);
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " ports ");
	e = snprintf(end, sizeof end, " br %s", brs);
	if (n < 0 || (size_t)(n + e) >= len)
		return (-1);
	if ((p = bindings_ports_str(b, buf + n, len - (size_t)(n + e))) < 0)
		return (-1);
	memcpy(buf + n + p, end, (size_t)e + 1);
	return (n + p + e);
}

static void
diff_line(const struct binding *b, const struct binding_list *l,
    const char *what, void (*cb)(void *, const char *), void *arg)
{
	char	line[BINDINGS_LINE_MAX];
	int	n;

	n = snprintf(line, sizeof line, "binding %s: ", what);
	if (bindings_str(b, &l->br[b->br], line + n, sizeof line - (size_t)n)
	    == -1)
		snprintf(line + n, sizeof line - (size_t)n, "(too long)");
	cb(arg, line);
}

/* The same binding in two lists: their BR indexes may differ. */
static bool
same_binding(const struct binding *a, const struct binding_list *al,
    const struct binding *b, const struct binding_list *bl)
{
	return (memcmp(&a->b4, &b->b4, sizeof a->b4) == 0 &&
	    same_params(a, b) &&
	    memcmp(&al->br[a->br], &bl->br[b->br], sizeof *al->br) == 0);
}

size_t
bindings_diff(const struct binding_list *old, const struct binding_list *new,
    void (*cb)(void *, const char *), void *arg)
{
	size_t		i = 0, j = 0, lines = 0;
	uint64_t	ko, kn;

	while (i < old->n || j < new->n) {
		ko = i < old->n ? sort_key(&old->b[i]) : UINT64_MAX;
		kn = j < new->n ? sort_key(&new->b[j]) : UINT64_MAX;
		if (ko == kn && same_binding(&old->b[i], old, &new->b[j],
		    new)) {
			i++, j++;
			continue;
		}
		if (ko <= kn) {
			diff_line(&old->b[i++], old, "removed", cb, arg);
			lines++;
		}
		if (kn <= ko) {
			diff_line(&new->b[j++], new, "added", cb, arg);
			lines++;
		}
	}
	return (lines);
}
