/* SPDX-License-Identifier: ISC */
/*
 * fuzz_icmp_errors.c: the packet in error inside an ICMP error, both ways.
 * The harness wraps the fuzzed bytes in a valid outer IPv4 + ICMPv4 or
 * IPv6 + ICMPv6 error, checksums right, so every input reaches the code
 * that translates the quoted packet.  Input:
 *
 *  0-3	options (xlate.c); FZ_FIX_INNER makes the quoted packet's
 *	checksums right
 *  4	bit 0: outer IPv6 (siit_6to4), else IPv4; bits 1-2: outer source,
 *	bits 3-4: outer destination (0: those of the quoted packet)
 *  5	type and code, an index into the list for the direction
 *  6-9	the fourth word of the ICMP header (MTU, pointer, RFC 4884 length)
 *  10-	the packet in error
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pkt.h"
#include "tables.h"

#define HDRBYTES	6	/* after the table options */

static const uint8_t types4[][2] = {
	{ 3, 0 }, { 3, 1 }, { 3, 2 }, { 3, 3 }, { 3, 4 }, { 3, 5 }, { 3, 6 },
	{ 3, 7 }, { 3, 8 }, { 3, 9 }, { 3, 10 }, { 3, 11 }, { 3, 12 },
	{ 3, 13 }, { 3, 14 }, { 3, 15 }, { 11, 0 }, { 11, 1 }, { 12, 0 },
	{ 12, 1 }, { 12, 2 }, { 4, 0 }, { 5, 1 },
};
static const uint8_t types6[][2] = {
	{ 1, 0 }, { 1, 1 }, { 1, 2 }, { 1, 3 }, { 1, 4 }, { 1, 5 }, { 1, 6 },
	{ 2, 0 }, { 3, 0 }, { 3, 1 }, { 4, 0 }, { 4, 1 }, { 4, 2 }, { 4, 3 },
};

static void
addr4(const char *s, uint8_t *out)
{
	if (inet_pton(AF_INET, s, out) != 1)
		abort();
}

static void
addr6(const char *s, uint8_t *out)
{
	if (inet_pton(AF_INET6, s, out) != 1)
		abort();
}

/* An IPv4 address in pool6, or an EAM address when there is no pool6. */
static void
pool_addr(const struct tables *t, const char *v4, const char *eam6,
    uint8_t *out)
{
	struct in6_addr	a;
	uint32_t	v;

	if (!t->has_pool6) {
		addr6(eam6, out);
		return;
	}
	addr4(v4, (uint8_t *)&v);
	addr_embed6052(&t->pool6, v, &a);
	memcpy(out, &a, 16);
}

/* Outer IPv4 + ICMPv4 error around in; returns the length. */
static size_t
wrap4(const uint8_t *h, const uint8_t *in, size_t n, uint8_t fix,
    uint8_t *pk)
{
	static const char *const src[] = { NULL, "203.0.113.254",
	    "198.51.100.1", "192.0.0.8" };
	static const char *const dst[] = { NULL, "198.51.100.10",
	    "192.0.2.1", "203.0.113.5" };
	const uint8_t	*ty = types4[h[1] % (sizeof types4 / 2)];
	int		 s = (h[0] >> 1) & 3, d = (h[0] >> 3) & 3;

	memset(pk, 0, 28);
	pk[0] = 0x45;
	put16(pk + 2, 28 + n);
	put16(pk + 4, 0x4242);
	pk[8] = 64;
	pk[9] = IPPROTO_ICMP;
	/* The error goes back to the quoted packet's source. */
	if (s == 0 && n >= 20)
		memcpy(pk + 12, in + 16, 4);
	else
		addr4(src[s == 0 ? 1 : s], pk + 12);
	if (d == 0 && n >= 20)
		memcpy(pk + 16, in + 12, 4);
	else
		addr4(dst[d == 0 ? 1 : d], pk + 16);
	put16(pk + 10, (uint16_t)~fz_sum(pk, 20, 0));
	pk[20] = ty[0];
	pk[21] = ty[1];
	memcpy(pk + 24, h + 2, 4);
	memcpy(pk + 28, in, n);
	if (fix & FZ_FIX_INNER)
		fz_fix(0, pk + 28, n, FZ_FIX_IP4 | FZ_FIX_L4);
	put16(pk + 22, (uint16_t)~fz_sum(pk + 20, 8 + n, 0));
	return (28 + n);
}

/* Outer IPv6 + ICMPv6 error around in; returns the length. */
static size_t
wrap6(const struct tables *t, const uint8_t *h, const uint8_t *in,
    size_t n, uint8_t fix, uint8_t *pk)
{
	const uint8_t	*ty = types6[h[1] % (sizeof types6 / 2)];
	int		 s = (h[0] >> 1) & 3, d = (h[0] >> 3) & 3;
	uint8_t		 ph[40];

	memset(pk, 0, 48);
	pk[0] = 0x60;
	put16(pk + 4, 8 + n);
	pk[6] = IPPROTO_ICMPV6;
	pk[7] = 64;
	if (s == 0 && n >= 40)
		memcpy(pk + 8, in + 24, 16);
	else if (s == 2)
		addr6("2001:db8:dead::1", pk + 8);	/* only RFC 6791 */
	else if (s == 3)
		addr6("2001:db8:6::fe", pk + 8);
	else
		pool_addr(t, "203.0.113.254", "2001:db8:ea::1", pk + 8);
	if (d == 0 && n >= 40)
		memcpy(pk + 24, in + 8, 16);
	else if (d == 2)
		addr6("2001:db8:6::a", pk + 24);
	else if (d == 3)
		addr6("2001:db8:ea::1", pk + 24);
	else
		pool_addr(t, "203.0.113.5", "2001:db8:6::a", pk + 24);
	pk[40] = ty[0];
	pk[41] = ty[1];
	memcpy(pk + 44, h + 2, 4);
	memcpy(pk + 48, in, n);
	if (fix & FZ_FIX_INNER)
		fz_fix(1, pk + 48, n, FZ_FIX_L4);
	memcpy(ph, pk + 8, 32);
	put16(ph + 32, 0);
	put16(ph + 34, 8 + n);
	memset(ph + 36, 0, 3);
	ph[39] = IPPROTO_ICMPV6;
	put16(pk + 42, (uint16_t)~fz_sum(pk + 40, 8 + n, fz_sum(ph, 40,
	    0)));
	return (48 + n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_opts	 o;
	const uint8_t	*h = data + FZ_OPTBYTES, *in;
	uint8_t		*pk;
	size_t		 n, len;
	int		 v6;

	if (size < FZ_OPTBYTES + HDRBYTES || size > 65000)
		return (0);
	in = h + HDRBYTES;
	n = size - FZ_OPTBYTES - HDRBYTES;
	v6 = h[0] & 1;
	if ((pk = malloc(48 + n)) == NULL)
		return (0);
	if (!fz_opts(data, &o)) {
		free(pk);
		return (0);
	}
	len = v6 ? wrap6(o.t, h, in, n, o.fix, pk) :
	    wrap4(h, in, n, o.fix, pk);
	fz_xlate(&o, v6, pk, len);
	tables_free(o.t);
	free(pk);
	return (0);
}
