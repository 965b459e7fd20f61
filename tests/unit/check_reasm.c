/* SPDX-License-Identifier: ISC */
/*
 * check_reasm.c: reassembly of IPv4 (RFC 791) and IPv6 (RFC 8200 4.5)
 * fragments, byte for byte.  Each test builds a whole packet with
 * pktbuild.c (checksums from full sums), cuts it here into fragments the
 * way a sender would, feeds them in some order and compares what comes
 * out with the packet it started from.
 *
 * Addresses: an IPv4 host of the Internet (192.0.2.1) sends to a shared
 * public address (198.51.100.7); a lwB4 (2001:db8:b4::1) tunnels to the
 * BR address (2001:db8:ffff::1), and so does a second one
 * (2001:db8:b4::2), which tunnels IPv4 fragments of its own.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"
#include "reasm.h"

#define SRC4		"192.0.2.1"
#define DST4		"198.51.100.7"
#define SRC6		"2001:db8:b4::1"
#define DST6		"2001:db8:ffff::1"
#define SRC6B		"2001:db8:b4::2"
#define MF		0x2000
#define T0		1000000		/* a time well past zero, in ms */

static const struct reasm_limits	 lim_test = {
	.packets = 16, .fragments = 64, .timeout_ms = 2000,
};

static struct reasm	*r;
static struct pb_buf	 buf;
static struct pkt	 p;
static enum reasm_why	 why;
static uint8_t		 orig[PB_BUFSIZE], orig2[PB_BUFSIZE];
static uint8_t		 frag[PB_BUFSIZE], frag4[PB_BUFSIZE];
static uint64_t		 now;

/* A piece of the fragmentable part: [off, off + len). */
struct piece {
	size_t		 off, len;
};

static void
setup(void)
{
	r = reasm_new(&lim_test);
	ck_assert_ptr_nonnull(r);
	now = T0;
}

static void
teardown(void)
{
	reasm_free(r);
}

static const struct reasm_stats *
st(void)
{
	return (reasm_stats(r));
}

/* UDP with n bytes of payload from src to DST4, Identification id. */
static size_t
udp4s(uint8_t *out, const char *src, uint16_t id, size_t n, uint8_t fill)
{
	struct pb_ip4	ip = { .src = src, .dst = DST4, .ttl = 64,
	    .id = id };
	struct pb_l4	l = { .proto = IPPROTO_UDP, .sport = 53,
	    .dport = 4000, .paylen = n, .fill = fill };

	return (pb_build4(out, &ip, &l));
}

static size_t
udp4(uint8_t *out, uint16_t id, size_t n, uint8_t fill)
{
	return (udp4s(out, SRC4, id, n, fill));
}

/* UDP from the lwB4 to the BR, behind extlen bytes of ext headers. */
static size_t
udp6(uint8_t *out, size_t n, uint8_t fill, const uint8_t *ext,
    size_t extlen, uint8_t ext_nh)
{
	struct pb_ip6	ip = { .src = SRC6, .dst = DST6, .hlim = 64,
	    .flow = 0x12345, .ext = ext, .extlen = extlen,
	    .ext_nh = ext_nh };
	struct pb_l4	l = { .proto = IPPROTO_UDP, .sport = 4000,
	    .dport = 53, .paylen = n, .fill = fill };

	return (pb_build6(out, &ip, &l));
}

/* Data bytes [off, off + len) of IPv4 packet o, as a fragment. */
static size_t
cut4m(uint8_t *out, const uint8_t *o, size_t off, size_t len, bool more)
{
	size_t	hl = (size_t)(o[0] & 0x0f) * 4;

	memcpy(out, o, hl);
	memmove(out + hl, o + hl + off, len);
	put16(out + 2, hl + len);
	put16(out + 6, (get16(o + 6) & 0xe000) | off / 8 | (more ? MF : 0));
	pb_fix4(out);
	return (hl + len);
}

/* The same, M set unless the piece reaches the end. */
static size_t
cut4(uint8_t *out, const uint8_t *o, size_t off, size_t len)
{
	return (cut4m(out, o, off, len, off + len < get16(o + 2) -
	    (size_t)(o[0] & 0x0f) * 4));
}

/*
 * Bytes [off, off + len) of the fragmentable part of IPv6 packet o, as a
 * fragment: o's first unfrag bytes, with the Next Header at prevnh
 * naming a Fragment header, then the Fragment header and the piece.
 */
static size_t
cut6x(uint8_t *out, const uint8_t *o, size_t unfrag, size_t prevnh,
    size_t off, size_t len, bool more, uint32_t id)
{
	uint8_t	nh = o[prevnh];

	memcpy(out, o, unfrag);
	memmove(out + unfrag + 8, o + unfrag + off, len);
	out[prevnh] = 44;
	pb_frag6(out + unfrag, nh, (uint16_t)(off / 8), more, id);
	put16(out + 4, unfrag - 40 + 8 + len);
	return (unfrag + 8 + len);
}

/* A packet without extension headers, M set unless at the end. */
static size_t
cut6(uint8_t *out, const uint8_t *o, size_t off, size_t len)
{
	size_t	data = get16(o + 4);

	return (cut6x(out, o, 40, 6, off, len, off + len < data,
	    0xcafe0001));
}

static enum reasm_result
feed(const uint8_t *pk, size_t len)
{
	pb_load(&buf, &p, pk, len);
	return (reasm_input(r, &p, now, &why));
}

static void
expect(enum reasm_result res, enum reasm_result want, enum reasm_why wwhy)
{
	ck_assert_msg(res == want && why == wwhy,
	    "got result %d (%s), want %d (%s)", res, reasm_why_name(why),
	    want, reasm_why_name(wwhy));
}

/* A fragment the table keeps, or drops, leaves the caller's bytes alone. */
static void
feed_expect(const uint8_t *pk, size_t len, enum reasm_result want,
    enum reasm_why wwhy)
{
	enum reasm_result	res = feed(pk, len);

	expect(res, want, wwhy);
	if (res != REASM_DONE) {
		ck_assert_ptr_eq(p.data, buf.mem + PKT_HEADROOM);
		ck_assert_uint_eq(p.len, len);
		ck_assert_mem_eq(p.data, pk, len);
	}
}

/* What came out is exactly the packet o, in the caller's buffer. */
static void
expect_whole(const uint8_t *o, size_t len)
{
	ck_assert(p.head <= sizeof buf.mem);
	ck_assert_uint_eq(p.head + p.len + p.tail, sizeof buf.mem);
	ck_assert_ptr_eq(p.data, buf.mem + p.head);
	ck_assert_uint_eq(p.len, len);
	ck_assert_mem_eq(p.data, o, len);
	if (o[0] >> 4 == 4)
		ck_assert(pb_check4(p.data));
}

/* Feed the pieces of o in the order given: held, held, ..., whole. */
static void
run(const uint8_t *o, size_t olen, const struct piece *pc, size_t n)
{
	size_t	i, len;

	for (i = 0; i < n; i++) {
		if (o[0] >> 4 == 4)
			len = cut4(frag, o, pc[i].off, pc[i].len);
		else
			len = cut6(frag, o, pc[i].off, pc[i].len);
		if (i + 1 < n)
			feed_expect(frag, len, REASM_HELD, REASM_WHY_HELD);
		else
			expect(feed(frag, len), REASM_DONE, REASM_WHY_DONE);
	}
	expect_whole(o, olen);
}

/* Cut len data bytes into pieces of step bytes; returns how many. */
static size_t
pieces(size_t len, size_t step, struct piece *pc)
{
	size_t	n = 0, off;

	for (off = 0; off < len; off += step) {
		pc[n].off = off;
		pc[n].len = len - off < step ? len - off : step;
		n++;
	}
	return (n);
}

static void
reverse(struct piece *pc, size_t n)
{
	struct piece	t;
	size_t		i;

	for (i = 0; i < n / 2; i++) {
		t = pc[i];
		pc[i] = pc[n - 1 - i];
		pc[n - 1 - i] = t;
	}
}

/* Nothing held, and every fragment held is accounted for. */
static void
expect_empty(void)
{
	ck_assert_uint_eq(st()->packets, 0);
	ck_assert_uint_eq(st()->fragments, 0);
	ck_assert_uint_eq(st()->n[REASM_WHY_HELD],
	    st()->discarded + st()->used);
}

/* RFC 791: fragments in the order sent. */
START_TEST(test_ipv4_in_order)
{
	struct piece	pc[8];
	size_t		olen = udp4(orig, 0x4242, 3000, 1);

	run(orig, olen, pc, pieces(olen - 20, 1480, pc));
	ck_assert_uint_eq(st()->n[REASM_WHY_DONE], 1);
	ck_assert_uint_eq(st()->used, 2);
	expect_empty();
}
END_TEST

START_TEST(test_ipv4_out_of_order)
{
	struct piece	pc[8], o[8];
	size_t		olen = udp4(orig, 0x4242, 4000, 2), n;

	n = pieces(olen - 20, 1000, pc);
	ck_assert_uint_eq(n, 5);
	o[0] = pc[2], o[1] = pc[0], o[2] = pc[4], o[3] = pc[1], o[4] = pc[3];
	run(orig, olen, o, n);
	expect_empty();
}
END_TEST

START_TEST(test_ipv4_reverse)
{
	struct piece	pc[8];
	size_t		olen = udp4(orig, 7, 4000, 3), n;

	n = pieces(olen - 20, 1000, pc);
	reverse(pc, n);
	run(orig, olen, pc, n);
	expect_empty();
}
END_TEST

/* The last fragment gives the length before the others arrive. */
START_TEST(test_ipv4_last_fragment_first)
{
	struct piece	pc[8], o[8];
	size_t		olen = udp4(orig, 8, 2000, 4), n;

	n = pieces(olen - 20, 800, pc);
	ck_assert_uint_eq(n, 3);
	o[0] = pc[2], o[1] = pc[0], o[2] = pc[1];
	run(orig, olen, o, n);
}
END_TEST

/* 8 bytes each, the UDP header alone in the first (RFC 1858 aside). */
START_TEST(test_ipv4_tiny_fragments)
{
	struct piece	pc[64];
	size_t		olen = udp4(orig, 9, 100, 5), n;

	n = pieces(olen - 20, 8, pc);
	ck_assert_uint_eq(n, 14);
	reverse(pc, n);
	run(orig, olen, pc, n);
}
END_TEST

/*
 * RFC 791: the key is (source, destination, protocol, identification):
 * the same Identification from another source or for another protocol
 * is another packet.
 */
START_TEST(test_ipv4_interleaved_packets)
{
	uint8_t		o3[2048], f2[2048];
	size_t		l1, l2, l3, n1, n2, n3;

	l1 = udp4(orig, 100, 1500, 6);
	l2 = udp4s(orig2, "203.0.113.9", 100, 1500, 7);
	/* Same addresses and id as the first, protocol 253 (RFC 3692). */
	memcpy(o3, orig, l1);
	o3[9] = 253;
	pb_fix4(o3);
	l3 = l1;

	n1 = cut4(frag, orig, 0, 1000);
	feed_expect(frag, n1, REASM_HELD, REASM_WHY_HELD);
	n2 = cut4(f2, orig2, 1000, l2 - 20 - 1000);
	feed_expect(f2, n2, REASM_HELD, REASM_WHY_HELD);
	n3 = cut4(frag, o3, 1000, l3 - 20 - 1000);
	feed_expect(frag, n3, REASM_HELD, REASM_WHY_HELD);
	ck_assert_uint_eq(st()->packets, 3);

	n1 = cut4(frag, orig, 1000, l1 - 20 - 1000);
	expect(feed(frag, n1), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, l1);
	n2 = cut4(frag, orig2, 0, 1000);
	expect(feed(frag, n2), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig2, l2);
	n3 = cut4(frag, o3, 0, 1000);
	expect(feed(frag, n3), REASM_DONE, REASM_WHY_DONE);
	expect_whole(o3, l3);
	expect_empty();
}
END_TEST

/*
 * The header is the first fragment's, options and all (RFC 791: options
 * not copied are in the first fragment only); a later fragment's TTL is
 * not used.
 */
START_TEST(test_ipv4_header_from_first_fragment)
{
	static const uint8_t	opt[8] = { 0x07, 7, 4, 0, 0, 0, 0, 0 };
	struct pb_ip4		ip = { .src = SRC4, .dst = DST4, .ttl = 64,
	    .id = 55, .opt = opt, .optlen = sizeof opt };
	struct pb_l4		l = { .proto = IPPROTO_UDP, .sport = 1,
	    .dport = 2, .paylen = 1200, .fill = 9 };
	size_t			olen, len;

	olen = pb_build4(orig, &ip, &l);
	/* The second fragment: a 20-byte header, another TTL. */
	ip.optlen = 0;
	ip.ttl = 3;
	ip.frag = (uint16_t)(608 / 8);
	len = pb_raw4(frag, &ip, IPPROTO_UDP, orig + 28 + 608, olen - 28 -
	    608);
	feed_expect(frag, len, REASM_HELD, REASM_WHY_HELD);
	len = cut4(frag, orig, 0, 608);
	ck_assert_uint_eq(len, 28 + 608);
	expect(feed(frag, len), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
}
END_TEST

/* DF (and the reserved bit) of the first fragment stay; MF goes. */
START_TEST(test_ipv4_flags_cleared)
{
	size_t	olen = udp4(orig, 11, 600, 1), len;

	put16(orig + 6, 0x4000);
	pb_fix4(orig);
	len = cut4(frag, orig, 304, olen - 20 - 304);
	feed_expect(frag, len, REASM_HELD, REASM_WHY_HELD);
	len = cut4(frag, orig, 0, 304);
	ck_assert_uint_eq(get16(frag + 6), 0x4000 | MF);
	expect(feed(frag, len), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
}
END_TEST

/*
 * RFC 3168 5.3: a CE mark on any fragment marks the packet, unless it
 * was sent Not-ECT.
 */
START_TEST(test_ecn_ce_carried)
{
	size_t	olen, n;

	olen = udp4(orig, 14, 600, 1);
	orig[1] = 0x02;				/* ECT(0) */
	pb_fix4(orig);
	n = cut4(frag, orig, 0, 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4(frag, orig, 304, olen - 20 - 304);
	frag[1] = 0x03;				/* CE on the way */
	pb_fix4(frag);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	orig[1] = 0x03;
	pb_fix4(orig);
	expect_whole(orig, olen);

	olen = udp6(orig, 600, 3, NULL, 0, 0);
	orig[1] = 0x10;				/* ECT(1) */
	n = cut6(frag, orig, 304, olen - 40 - 304);
	frag[1] = 0x30;
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut6(frag, orig, 0, 304);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	orig[1] = 0x30;
	expect_whole(orig, olen);

	/* Not-ECT stays so. */
	olen = udp6(orig, 600, 3, NULL, 0, 0);
	n = cut6(frag, orig, 304, olen - 40 - 304);
	frag[1] = 0x30;
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut6(frag, orig, 0, 304);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
}
END_TEST

/* The largest IPv4 packet there is, in 45 fragments. */
START_TEST(test_ipv4_largest_packet)
{
	struct piece	pc[64];
	size_t		olen = udp4(orig, 12, 65535 - 28, 1), n;

	ck_assert_uint_eq(olen, 65535);
	n = pieces(olen - 20, 1480, pc);
	reverse(pc, n);
	run(orig, olen, pc, n);
}
END_TEST

/* A whole packet, or one too short to tell, is none of our business. */
START_TEST(test_not_fragment_untouched)
{
	static const uint8_t	ext[8] = { 17, 0, 1, 4, 0, 0, 0, 0 };
	static const uint8_t	junk[3] = { 0x45, 0x20, 0x00 };
	size_t			len;

	len = udp4(orig, 1, 100, 1);
	feed_expect(orig, len, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	len = udp6(orig, 100, 1, NULL, 0, 0);
	feed_expect(orig, len, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	len = udp6(orig, 100, 1, ext, sizeof ext, 60);
	feed_expect(orig, len, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	feed_expect(junk, sizeof junk, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	orig[0] = 0x50;
	feed_expect(orig, 40, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	/* Extension headers that go on past the packet: cannot tell. */
	len = udp6(orig, 100, 1, ext, sizeof ext, 60);
	orig[40] = 60;
	orig[41] = 50;
	feed_expect(orig, len, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	/* But a Fragment header cut short is a fragment gone bad. */
	orig[40] = 44;
	feed_expect(orig, len, REASM_DROP, REASM_WHY_BAD_HEADER);
	ck_assert_uint_eq(st()->packets, 0);
	ck_assert_uint_eq(st()->n[REASM_WHY_BAD_HEADER], 1);
}
END_TEST

/* The header is written anew: a wrong one is never passed on. */
START_TEST(test_ipv4_bad_header)
{
	size_t	olen = udp4(orig, 13, 600, 1), len;

	len = cut4(frag, orig, 0, 304);
	frag[10] ^= 1;
	feed_expect(frag, len, REASM_DROP, REASM_WHY_BAD_HEADER);
	len = cut4(frag, orig, 0, 304);
	frag[0] = 0x44;
	pb_fix4(frag);
	feed_expect(frag, len, REASM_DROP, REASM_WHY_BAD_HEADER);
	len = cut4(frag, orig, 0, 304);
	feed_expect(frag, len - 1, REASM_DROP, REASM_WHY_BAD_HEADER);
	ck_assert_uint_eq(st()->n[REASM_WHY_BAD_HEADER], 3);
	ck_assert_uint_eq(st()->packets, 0);
	(void)olen;
}
END_TEST

/* RFC 8200 4.5: in order, reverse, and out of order. */
START_TEST(test_ipv6_orders)
{
	struct piece	pc[8], o[8];
	size_t		olen = udp6(orig, 3000, 1, NULL, 0, 0), n;

	n = pieces(olen - 40, 1232, pc);
	ck_assert_uint_eq(n, 3);
	run(orig, olen, pc, n);
	reverse(pc, n);
	run(orig, olen, pc, n);
	o[0] = pc[1], o[1] = pc[0], o[2] = pc[2];
	run(orig, olen, o, n);
	ck_assert_uint_eq(st()->n[REASM_WHY_DONE], 3);
	expect_empty();
}
END_TEST

/* RFC 8200 4.5: (source, destination, identification), no protocol. */
START_TEST(test_ipv6_interleaved_packets)
{
	size_t	l1 = udp6(orig, 2000, 1, NULL, 0, 0);
	size_t	l2 = udp6(orig2, 2000, 2, NULL, 0, 0), n;

	n = cut6x(frag, orig, 40, 6, 0, 1000, true, 1);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut6x(frag, orig2, 40, 6, 0, 1000, true, 2);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut6x(frag, orig2, 40, 6, 1000, l2 - 40 - 1000, false, 2);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig2, l2);
	n = cut6x(frag, orig, 40, 6, 1000, l1 - 40 - 1000, false, 1);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, l1);
	expect_empty();
}
END_TEST

/*
 * The unfragmentable part (Hop-by-Hop and Destination Options here) is
 * the first fragment's; the Next Header of the last of them gets back
 * the Fragment header's.
 */
START_TEST(test_ipv6_extension_headers)
{
	static const uint8_t	ext[16] = {
		60, 0, 1, 4, 0, 0, 0, 0,	/* Hop-by-Hop, PadN */
		17, 0, 1, 4, 0, 0, 0, 0,	/* Destination Options */
	};
	size_t	olen = udp6(orig, 1800, 3, ext, sizeof ext, 0), n;
	size_t	data = olen - 56;

	n = cut6x(frag, orig, 56, 48, 1200, data - 1200, false, 77);
	ck_assert_uint_eq(frag[48], 44);
	ck_assert_uint_eq(frag[56], 17);
	/* A later fragment's Next Header is not used (RFC 8200 4.5). */
	frag[56] = 6;
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut6x(frag, orig, 56, 48, 0, 1200, true, 77);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
}
END_TEST

/* No extension header: the IPv6 header's Next Header is restored. */
START_TEST(test_ipv6_next_header_restored)
{
	size_t	olen = udp6(orig, 600, 3, NULL, 0, 0), n;

	n = cut6(frag, orig, 0, 304);
	ck_assert_uint_eq(frag[6], 44);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut6(frag, orig, 304, olen - 40 - 304);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	ck_assert_uint_eq(p.data[6], 17);
	expect_whole(orig, olen);
}
END_TEST

/* RFC 6946: offset 0 and M clear is a whole packet; no state is made. */
START_TEST(test_ipv6_atomic_fragment)
{
	static const uint8_t	ext[8] = { 17, 0, 1, 4, 0, 0, 0, 0 };
	size_t			olen, n;

	olen = udp6(orig, 100, 1, NULL, 0, 0);
	n = cut6x(frag, orig, 40, 6, 0, olen - 40, false, 0x10);
	ck_assert_uint_eq(n, olen + 8);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_ATOMIC);
	expect_whole(orig, olen);
	ck_assert_ptr_eq(p.data, buf.mem + PKT_HEADROOM + 8);

	/* Behind a Destination Options header; a packet of the same id
	 * being reassembled is left alone. */
	olen = udp6(orig, 1000, 2, ext, sizeof ext, 60);
	n = cut6x(frag, orig, 48, 40, 0, 504, true, 0x11);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut6x(frag, orig, 48, 40, 0, olen - 48, false, 0x11);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_ATOMIC);
	expect_whole(orig, olen);
	ck_assert_uint_eq(st()->packets, 1);
	n = cut6x(frag, orig, 48, 40, 504, olen - 48 - 504, false, 0x11);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
	expect_empty();
}
END_TEST

/* RFC 8200 4.5: all but the last carry a multiple of 8 bytes. */
START_TEST(test_ipv6_length_not_multiple_of_8)
{
	size_t	n;

	udp6(orig, 600, 3, NULL, 0, 0);
	n = cut6(frag, orig, 0, 300);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_LENGTH);
	udp4(orig2, 5, 600, 1);
	n = cut4m(frag, orig2, 0, 300, true);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_LENGTH);
	/* An empty fragment adds nothing but a slot taken. */
	n = cut4m(frag, orig2, 8, 0, true);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_LENGTH);
	ck_assert_uint_eq(st()->packets, 0);
}
END_TEST

/* RFC 8200 4.5 and RFC 791: nothing longer than 65535 bytes. */
START_TEST(test_oversize)
{
	uint8_t	small[64];
	size_t	n;

	udp6(orig, 100, 3, NULL, 0, 0);
	memset(small, 0xab, sizeof small);
	/* Offset 65528, 16 bytes: payload 65544. */
	n = cut6x(frag, orig, 40, 6, 0, 16, false, 9);
	frag[42] = 0xff, frag[43] = 0xf8;
	feed_expect(frag, n, REASM_DROP, REASM_WHY_LENGTH);
	/* IPv4: 20 + 65528 + 8 > 65535. */
	udp4(orig, 1, 100, 1);
	n = cut4m(frag, orig, 0, 8, true);
	put16(frag + 6, MF | 8191);
	pb_fix4(frag);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_LENGTH);
	/* But 65535 exactly is allowed: 20 + 65512 + 3. */
	n = cut4m(frag, orig, 0, 3, false);
	put16(frag + 6, 8189);
	pb_fix4(frag);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	ck_assert_uint_eq(st()->n[REASM_WHY_LENGTH], 2);
}
END_TEST

/*
 * The first fragment's header may be longer than a later one's: a
 * packet that would exceed 65535 with it is dropped when it completes.
 */
START_TEST(test_ipv4_oversize_with_first_header)
{
	static const uint8_t	opt[40] = { 1 };
	struct pb_ip4		ip = { .src = SRC4, .dst = DST4, .ttl = 64,
	    .id = 77, .opt = opt, .optlen = sizeof opt,
	    .frag = MF };
	uint8_t			data[1024];
	size_t			n;

	memset(data, 0x5a, sizeof data);
	/* Last: offset 64512, 1000 bytes, 20-byte header: 65532. */
	ip.optlen = 0;
	ip.frag = 64512 / 8;
	n = pb_raw4(frag, &ip, 17, data, 1000);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	/* Then 63 fragments of 1024 bytes, the first with 60 bytes of
	 * header: would be 65572. */
	ip.optlen = 0;
	ip.frag = MF;
	for (n = 1; n < 63; n++) {
		ip.frag = (uint16_t)(MF | n * 128);
		feed_expect(frag, pb_raw4(frag, &ip, 17, data, 1024),
		    REASM_HELD, REASM_WHY_HELD);
	}
	ip.optlen = sizeof opt;
	ip.frag = MF;
	n = pb_raw4(frag, &ip, 17, data, 1024);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_LENGTH);
	ck_assert_uint_eq(st()->discarded, 63);
	expect_empty();
}
END_TEST

/* The whole packet must fit in the caller's buffer. */
START_TEST(test_larger_than_buffer)
{
	size_t	olen = udp4(orig, 3, 2000, 1), n;

	n = cut4(frag, orig, 1000, olen - 20 - 1000);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4(frag, orig, 0, 1000);
	pb_load(&buf, &p, frag, n);
	p.tail = olen - n - 1;
	expect(reasm_input(r, &p, now, &why), REASM_DROP, REASM_WHY_LENGTH);
	ck_assert_uint_eq(p.len, n);
	expect_empty();
}
END_TEST

/* RFC 5722: an overlap drops the whole packet, IPv4 as well. */
START_TEST(test_overlap_partial)
{
	size_t	olen = udp6(orig, 600, 3, NULL, 0, 0), n;

	n = cut6(frag, orig, 0, 256);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut6(frag, orig, 248, olen - 40 - 248);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_OVERLAP);
	ck_assert_uint_eq(st()->discarded, 1);
	expect_empty();
	/* What comes after starts a new packet. */
	n = cut6(frag, orig, 256, olen - 40 - 256);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);

	olen = udp4(orig, 3, 600, 1);
	n = cut4(frag, orig, 200, olen - 20 - 200);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4(frag, orig, 0, 208);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_OVERLAP);
	ck_assert_uint_eq(st()->packets, 1);
}
END_TEST

/* One fragment inside another, either way round. */
START_TEST(test_overlap_full)
{
	size_t	n;

	udp4(orig, 3, 600, 1);
	n = cut4(frag, orig, 0, 400);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4(frag, orig, 128, 64);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_OVERLAP);
	n = cut4(frag, orig, 128, 64);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4(frag, orig, 0, 400);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_OVERLAP);
	ck_assert_uint_eq(st()->n[REASM_WHY_OVERLAP], 2);
	expect_empty();
}
END_TEST

/*
 * An exact duplicate (same place, bytes and M flag) is dropped alone and
 * the packet completes; the same place with other bytes is an overlap.
 */
START_TEST(test_duplicate)
{
	size_t	olen = udp4(orig, 3, 600, 1), n;

	n = cut4(frag, orig, 0, 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	frag[8] = 1;		/* TTL: not compared */
	pb_fix4(frag);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_DUPLICATE);
	n = cut4(frag, orig, 304, olen - 20 - 304);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
	ck_assert_uint_eq(st()->n[REASM_WHY_DUPLICATE], 1);

	olen = udp6(orig, 600, 3, NULL, 0, 0);
	n = cut6(frag, orig, 304, olen - 40 - 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	frag[n - 1] ^= 0xff;
	feed_expect(frag, n, REASM_DROP, REASM_WHY_OVERLAP);
	expect_empty();
}
END_TEST

/* Two last fragments that end in different places, or data past the end. */
START_TEST(test_inconsistent_end)
{
	size_t	n;

	udp4(orig, 3, 600, 1);
	n = cut4m(frag, orig, 0, 304, true);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4m(frag, orig, 400, 8, false);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4m(frag, orig, 304, 8, false);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_INCONSISTENT);
	expect_empty();
	n = cut4m(frag, orig, 304, 8, false);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4m(frag, orig, 400, 8, true);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_INCONSISTENT);
	expect_empty();
}
END_TEST

/* More fragments than the limit drop the packet. */
START_TEST(test_too_many_fragments)
{
	struct reasm_limits	l = lim_test;
	struct piece		pc[8];
	size_t			olen = udp4(orig, 3, 64, 1), i, n, len;

	l.fragments = 4;
	ck_assert_int_eq(reasm_set_limits(r, &l), 0);
	n = pieces(olen - 20, 16, pc);
	ck_assert_uint_eq(n, 5);
	for (i = 0; i < 4; i++) {
		len = cut4(frag, orig, pc[i].off, pc[i].len);
		feed_expect(frag, len, REASM_HELD, REASM_WHY_HELD);
	}
	len = cut4(frag, orig, pc[4].off, pc[4].len);
	feed_expect(frag, len, REASM_DROP, REASM_WHY_TOO_MANY_FRAGMENTS);
	ck_assert_uint_eq(st()->discarded, 4);
	expect_empty();
	/* Four are enough. */
	run(orig, olen, pc, pieces(olen - 20, 24, pc));
}
END_TEST

/*
 * With the table full a new packet's fragment is dropped, and the ones
 * held complete; a slot freed by time serves a new packet again.
 */
START_TEST(test_too_many_packets)
{
	struct reasm_limits	l = lim_test;
	size_t			olen, n;
	uint16_t		id;

	l.packets = 2;
	ck_assert_int_eq(reasm_set_limits(r, &l), 0);
	for (id = 1; id <= 3; id++) {
		udp4(orig, id, 600, 1);
		n = cut4(frag, orig, 0, 304);
		feed_expect(frag, n, id <= 2 ? REASM_HELD : REASM_DROP,
		    id <= 2 ? REASM_WHY_HELD : REASM_WHY_TOO_MANY_PACKETS);
		now += 100;
	}
	ck_assert_uint_eq(st()->packets, 2);
	olen = udp4(orig, 2, 600, 1);
	n = cut4(frag, orig, 304, olen - 20 - 304);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
	udp4(orig, 3, 600, 1);
	n = cut4(frag, orig, 0, 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	/* Full again: id 1 times out as the next fragment comes. */
	udp4(orig, 4, 600, 1);
	n = cut4(frag, orig, 0, 304);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_TOO_MANY_PACKETS);
	now = T0 + lim_test.timeout_ms;
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	ck_assert_uint_eq(st()->n[REASM_WHY_TIMEOUT], 1);
	ck_assert_uint_eq(st()->n[REASM_WHY_TOO_MANY_PACKETS], 2);
}
END_TEST

/* A packet not whole timeout_ms after its first fragment goes. */
START_TEST(test_timeout)
{
	size_t	olen = udp6(orig, 600, 3, NULL, 0, 0), n;

	n = cut6(frag, orig, 0, 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	now += 500;
	udp4(orig2, 1, 600, 1);
	n = cut4(frag, orig2, 0, 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	reasm_expire(r, T0 + lim_test.timeout_ms - 1);
	ck_assert_uint_eq(st()->packets, 2);
	reasm_expire(r, T0 + lim_test.timeout_ms);
	ck_assert_uint_eq(st()->packets, 1);
	ck_assert_uint_eq(st()->n[REASM_WHY_TIMEOUT], 1);
	ck_assert_uint_eq(st()->discarded, 1);
	/* The rest of it, late, starts again. */
	now = T0 + lim_test.timeout_ms;
	n = cut6(frag, orig, 304, olen - 40 - 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	/* Expired by the next fragment too, with no timer. */
	now = T0 + 500 + lim_test.timeout_ms;
	n = cut6(frag, orig, 0, 304);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
	ck_assert_uint_eq(st()->n[REASM_WHY_TIMEOUT], 2);
	expect_empty();
}
END_TEST

/* A new timeout keeps what is held; new sizes drop it. */
START_TEST(test_set_limits)
{
	struct reasm_limits	l = lim_test;
	size_t			olen = udp4(orig, 1, 600, 1), n;

	n = cut4(frag, orig, 0, 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	l.timeout_ms = 10;
	ck_assert_int_eq(reasm_set_limits(r, &l), 0);
	ck_assert_uint_eq(st()->packets, 1);
	reasm_expire(r, T0 + 10);
	ck_assert_uint_eq(st()->n[REASM_WHY_TIMEOUT], 1);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	l.packets = 1000;
	ck_assert_int_eq(reasm_set_limits(r, &l), 0);
	ck_assert_uint_eq(st()->n[REASM_WHY_FLUSHED], 1);
	expect_empty();
	run(orig, olen, (struct piece[]){ { 304, olen - 20 - 304 },
	    { 0, 304 } }, 2);
	l.fragments = 0;
	ck_assert_int_eq(reasm_set_limits(r, &l), -1);
	l.fragments = 1;
	l.timeout_ms = 0;
	ck_assert_int_eq(reasm_set_limits(r, &l), -1);
	ck_assert_ptr_null(reasm_new(&l));
	l.timeout_ms = 1;
	l.packets = REASM_PACKETS_MAX + 1;
	ck_assert_ptr_null(reasm_new(&l));
	/* No packet at all: every fragment is dropped. */
	l.packets = 0;
	ck_assert_int_eq(reasm_set_limits(r, &l), 0);
	feed_expect(frag, n, REASM_DROP, REASM_WHY_TOO_MANY_PACKETS);
}
END_TEST

/*
 * Memory: a full table of 64 KB packets stays within the bound, and
 * once buffers have grown, new packets allocate nothing.
 */
START_TEST(test_memory_bounded)
{
	struct reasm_limits	l = { .packets = 4, .fragments = 4,
	    .timeout_ms = 1000 };
	size_t			olen = udp4(orig, 1, 65535 - 28, 1), n, m;
	uint16_t		id;

	ck_assert_int_eq(reasm_set_limits(r, &l), 0);
	m = st()->memory;
	ck_assert_uint_lt(m, reasm_memory_bound(&l));
	for (id = 0; id < 5; id++) {
		udp4(orig, id, 65535 - 28, 1);
		n = cut4(frag, orig, 65000, olen - 20 - 65000);
		feed(frag, n);
		ck_assert_uint_le(st()->memory, reasm_memory_bound(&l));
	}
	ck_assert_uint_eq(st()->packets, 4);
	ck_assert_uint_eq(st()->memory, m + 4 * 65536);
	now += 1000;
	reasm_expire(r, now);
	for (id = 10; id < 14; id++) {
		udp4(orig, id, 65535 - 28, 1);
		n = cut4(frag, orig, 65000, olen - 20 - 65000);
		feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	}
	ck_assert_uint_eq(st()->memory, m + 4 * 65536);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(reasm_why_name(REASM_WHY_OVERLAP), "overlap");
	ck_assert_str_eq(reasm_why_name(REASM_WHY_DONE), "reassembled");
	ck_assert_str_eq(reasm_why_name(REASM_WHY_NO_MEMORY), "no-memory");
	ck_assert_str_eq(reasm_why_name(REASM_WHY_MAX), "?");
	ck_assert_ptr_nonnull(strstr(reasm_why_desc(REASM_WHY_OVERLAP),
	    "5722"));
}
END_TEST

/* A piece of o; the IPv6 ones of a round differ by identification. */
static size_t
cutk(const uint8_t *o, size_t k, const struct piece *pc)
{
	size_t	end = pc->off + pc->len;

	if (o[0] >> 4 == 4)
		return (cut4(frag, o, pc->off, pc->len));
	return (cut6x(frag, o, 40, 6, pc->off, pc->len,
	    end < get16(o + 4), (uint32_t)k));
}

/*
 * Random packets of both families cut at random multiples of 8, fed
 * three at a time in random order with random exact duplicates: every
 * one comes out as it went in.
 */
START_TEST(test_random_matches_original)
{
	static uint8_t	o[3][PB_BUFSIZE];
	struct piece	pc[3][64];
	size_t		olen[3], n[3], next[3], i, k, len, done, cut;
	int		round;

	srandom(12345);
	for (round = 0; round < 300; round++) {
		for (k = 0; k < 3; k++) {
			len = 16 + (size_t)random() % 6000;
			if (random() % 2)
				olen[k] = udp4(o[k], (uint16_t)(round * 3 +
				    k), len, (uint8_t)random());
			else {
				olen[k] = udp6(o[k], len, (uint8_t)random(),
				    NULL, 0, 0);
			}
			len = olen[k] - (o[k][0] >> 4 == 4 ? 20 : 40);
			for (n[k] = 0, i = 0; i < len; i += cut) {
				cut = 8 * (1 + (size_t)random() % 200);
				if (i == 0 && cut >= len)
					cut = 8;	/* two at least */
				if (n[k] == 63)
					cut = len - i;
				pc[k][n[k]].off = i;
				pc[k][n[k]].len = len - i < cut ? len - i :
				    cut;
				n[k]++;
			}
			/* Shuffle. */
			for (i = n[k] - 1; i > 0; i--) {
				struct piece	t = pc[k][i];
				size_t		j = (size_t)random() % (i + 1);

				pc[k][i] = pc[k][j];
				pc[k][j] = t;
			}
			next[k] = 0;
		}
		for (done = 0; done < 3; ) {
			k = (size_t)random() % 3;
			if (next[k] == n[k])
				continue;
			i = next[k];
			if (i > 0 && random() % 8 == 0) {
				/* Again, a fragment already held. */
				len = cutk(o[k], k, &pc[k][random() % i]);
				feed_expect(frag, len, REASM_DROP,
				    REASM_WHY_DUPLICATE);
				continue;
			}
			len = cutk(o[k], k, &pc[k][i]);
			next[k]++;
			if (next[k] < n[k]) {
				feed_expect(frag, len, REASM_HELD,
				    REASM_WHY_HELD);
				continue;
			}
			expect(feed(frag, len), REASM_DONE, REASM_WHY_DONE);
			expect_whole(o[k], olen[k]);
			done++;
		}
		expect_empty();
	}
	ck_assert_uint_eq(st()->n[REASM_WHY_DONE], 900);
}
END_TEST

/* ---- IPv4 fragments tunnelled in IPv6 (RFC 7597 8.3.3) ------------------ */

/* The Tunnel Encapsulation Limit (RFC 2473 5.1) ahead of IPv4. */
static const uint8_t	tel[8] = { 4, 0, 4, 1, 4, 1, 1, 0 };

/* The n bytes at in, in IPv6 from src to DST6 (RFC 2473), with ext. */
static size_t
in6(uint8_t *out, const char *src, uint8_t tclass, const uint8_t *ext,
    size_t extlen, const uint8_t *in, size_t n)
{
	struct pb_ip6	ip = { .src = src, .dst = DST6, .hlim = 64,
	    .tclass = tclass, .ext = ext, .extlen = extlen, .ext_nh = 60 };

	return (pb_raw6(out, &ip, 4, in, n));
}

/* Data bytes [off, off + len) of IPv4 packet o, a fragment in IPv6. */
static size_t
cut4in6(uint8_t *out, const uint8_t *o, const char *src, size_t off,
    size_t len)
{
	return (in6(out, src, 0, NULL, 0, frag4, cut4(frag4, o, off, len)));
}

static enum reasm_result
feed4in6(const uint8_t *pk, size_t len)
{
	pb_load(&buf, &p, pk, len);
	return (reasm_input_4in6(r, &p, now, &why));
}

/* What feed_expect() checks, for a fragment in IPv6. */
static void
feed4in6_expect(const uint8_t *pk, size_t len, enum reasm_result want,
    enum reasm_why wwhy)
{
	enum reasm_result	res = feed4in6(pk, len);

	expect(res, want, wwhy);
	if (res != REASM_DONE) {
		ck_assert_ptr_eq(p.data, buf.mem + PKT_HEADROOM);
		ck_assert_uint_eq(p.len, len);
		ck_assert_mem_eq(p.data, pk, len);
	}
}

/* The pieces of o from src, in the order given; whole: w, wlen bytes. */
static void
run4in6(const uint8_t *o, const char *src, const struct piece *pc,
    size_t n, const uint8_t *w, size_t wlen)
{
	size_t	i, len;

	for (i = 0; i < n; i++) {
		len = cut4in6(frag, o, src, pc[i].off, pc[i].len);
		if (i + 1 < n)
			feed4in6_expect(frag, len, REASM_HELD,
			    REASM_WHY_HELD);
		else
			expect(feed4in6(frag, len), REASM_DONE,
			    REASM_WHY_DONE);
	}
	expect_whole(w, wlen);
	ck_assert(pb_check4(p.data + 40));
}

/*
 * A 3000-byte UDP datagram cut by the lwB4's NAT, each fragment in an
 * IPv6 packet of its own: in order, reversed, out of order.  What comes
 * out is the whole datagram in the IPv6 header.
 */
START_TEST(test_4in6_orders)
{
	static uint8_t	w[PB_BUFSIZE];
	struct piece	pc[8], o[8];
	size_t		olen = udp4(orig, 0x5151, 3000, 1), wlen, n;

	wlen = in6(w, SRC6, 0, NULL, 0, orig, olen);
	n = pieces(olen - 20, 1232, pc);
	ck_assert_uint_eq(n, 3);
	run4in6(orig, SRC6, pc, n, w, wlen);
	reverse(pc, n);
	run4in6(orig, SRC6, pc, n, w, wlen);
	o[0] = pc[1], o[1] = pc[0], o[2] = pc[2];
	run4in6(orig, SRC6, o, n, w, wlen);
	ck_assert_uint_eq(st()->n[REASM_WHY_DONE], 3);
	ck_assert_uint_eq(st()->used, 6);
	expect_empty();
}
END_TEST

/*
 * Two lwB4s behind one shared address send the same IPv4 key (source,
 * destination, protocol, Identification): two packets, each whole in
 * the IPv6 header of its own lwB4.
 */
START_TEST(test_4in6_two_lwb4s_same_id)
{
	static uint8_t	w[PB_BUFSIZE], w2[PB_BUFSIZE];
	size_t		l1, l2, wl1, wl2, n;

	l1 = udp4(orig, 0x7777, 1500, 1);
	l2 = udp4(orig2, 0x7777, 1500, 2);
	wl1 = in6(w, SRC6, 0, NULL, 0, orig, l1);
	wl2 = in6(w2, SRC6B, 0, NULL, 0, orig2, l2);
	n = cut4in6(frag, orig, SRC6, 0, 1000);
	feed4in6_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4in6(frag, orig2, SRC6B, 0, 1000);
	feed4in6_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	ck_assert_uint_eq(st()->packets, 2);
	n = cut4in6(frag, orig2, SRC6B, 1000, l2 - 20 - 1000);
	expect(feed4in6(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(w2, wl2);
	n = cut4in6(frag, orig, SRC6, 1000, l1 - 20 - 1000);
	expect(feed4in6(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(w, wl1);
	expect_empty();
}
END_TEST

/*
 * The same IPv4 fragment bare and tunnelled: two packets.  The tunnelled
 * ones are none of reasm_input()'s business, as before.
 */
START_TEST(test_4in6_apart_from_ipv4)
{
	static uint8_t	w[PB_BUFSIZE];
	size_t		olen = udp4(orig, 0x4343, 1500, 3), wlen, n;

	wlen = in6(w, SRC6, 0, NULL, 0, orig, olen);
	n = cut4in6(frag, orig, SRC6, 0, 1000);
	feed_expect(frag, n, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	feed4in6_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4(frag, orig, 1000, olen - 20 - 1000);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	ck_assert_uint_eq(st()->packets, 2);
	n = cut4in6(frag, orig, SRC6, 1000, olen - 20 - 1000);
	expect(feed4in6(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(w, wlen);
	n = cut4(frag, orig, 0, 1000);
	expect(feed(frag, n), REASM_DONE, REASM_WHY_DONE);
	expect_whole(orig, olen);
	expect_empty();
}
END_TEST

/*
 * The IPv6 headers are the first fragment's, extension headers and all;
 * a CE mark on the IPv6 header of another goes on them (RFC 6040 4.2 is
 * the tunnel end point's to apply), and a CE mark inside marks the IPv4
 * packet (RFC 3168 5.3).
 */
START_TEST(test_4in6_headers_of_first)
{
	static uint8_t	w[PB_BUFSIZE];
	size_t		olen, wlen, n;

	olen = udp4(orig, 0x4444, 600, 4);
	orig[1] = 0x02;				/* ECT(0) */
	pb_fix4(orig);
	n = cut4(frag4, orig, 304, olen - 20 - 304);
	frag4[1] = 0x03;
	pb_fix4(frag4);
	n = in6(frag, SRC6, 0x03, NULL, 0, frag4, n);
	frag[7] = 9;				/* another hop limit */
	feed4in6_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4(frag4, orig, 0, 304);
	n = in6(frag, SRC6, 0x02, tel, sizeof tel, frag4, n);
	expect(feed4in6(frag, n), REASM_DONE, REASM_WHY_DONE);
	orig[1] = 0x03;
	pb_fix4(orig);
	wlen = in6(w, SRC6, 0x03, tel, sizeof tel, orig, olen);
	expect_whole(w, wlen);
	ck_assert(pb_check4(p.data + 48));

	/* Not-ECT inside stays so; CE outside is still passed on. */
	olen = udp4(orig, 0x4445, 600, 4);
	n = cut4in6(frag, orig, SRC6, 0, 304);
	feed4in6_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	n = cut4(frag4, orig, 304, olen - 20 - 304);
	n = in6(frag, SRC6, 0x03, NULL, 0, frag4, n);
	expect(feed4in6(frag, n), REASM_DONE, REASM_WHY_DONE);
	wlen = in6(w, SRC6, 0x03, NULL, 0, orig, olen);
	expect_whole(w, wlen);
}
END_TEST

/* What is not an IPv4 fragment in IPv6 is left alone; a bad one not. */
START_TEST(test_4in6_not_fragment)
{
	size_t	olen = udp4(orig, 0x4646, 600, 5), n;

	n = in6(frag, SRC6, 0, NULL, 0, orig, olen);
	feed4in6_expect(frag, n, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	n = in6(frag, SRC6, 0, tel, sizeof tel, orig, olen);
	feed4in6_expect(frag, n, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	n = udp6(frag, 100, 1, NULL, 0, 0);
	feed4in6_expect(frag, n, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	n = cut4(frag, orig, 0, 304);
	feed4in6_expect(frag, n, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	/* Cut short: the IPv6 Payload Length past the end. */
	n = cut4in6(frag, orig, SRC6, 0, 304);
	feed4in6_expect(frag, n - 1, REASM_NOT_FRAGMENT, REASM_WHY_NONE);
	/* The IPv4 Total Length past the IPv6 payload. */
	put16(frag + 4, get16(frag + 4) - 8);
	feed4in6_expect(frag, n - 8, REASM_DROP, REASM_WHY_BAD_HEADER);
	/* A wrong IPv4 header checksum. */
	n = cut4in6(frag, orig, SRC6, 0, 304);
	frag[50] ^= 1;
	feed4in6_expect(frag, n, REASM_DROP, REASM_WHY_BAD_HEADER);
	ck_assert_uint_eq(st()->n[REASM_WHY_BAD_HEADER], 2);
	ck_assert_uint_eq(st()->packets, 0);
}
END_TEST

/*
 * The largest IPv4 packet fits in IPv6 without extension headers; with
 * them, the IPv6 Payload Length would pass 65535, and the fragment that
 * reaches so far is dropped.
 */
START_TEST(test_4in6_largest)
{
	static uint8_t	w[PB_BUFSIZE];
	struct piece	pc[64];
	size_t		olen = udp4(orig, 0x4747, 65535 - 28, 6), n, len;

	n = pieces(olen - 20, 1232, pc);
	ck_assert_uint_eq(n, 54);
	run4in6(orig, SRC6, pc, n, w, in6(w, SRC6, 0, NULL, 0, orig, olen));
	len = cut4(frag4, orig, pc[53].off, pc[53].len);
	len = in6(frag, SRC6, 0, tel, sizeof tel, frag4, len);
	feed4in6_expect(frag, len, REASM_DROP, REASM_WHY_LENGTH);
	expect_empty();
}
END_TEST

/* The one table: its packet limit holds for fragments in IPv6 too. */
START_TEST(test_4in6_too_many_packets)
{
	struct reasm_limits	l = lim_test;
	size_t			n;
	uint16_t		id;

	l.packets = 2;
	ck_assert_int_eq(reasm_set_limits(r, &l), 0);
	udp4(orig, 1, 600, 1);
	n = cut4(frag, orig, 0, 304);
	feed_expect(frag, n, REASM_HELD, REASM_WHY_HELD);
	for (id = 2; id <= 3; id++) {
		udp4(orig, id, 600, 1);
		n = cut4in6(frag, orig, SRC6, 0, 304);
		feed4in6_expect(frag, n, id == 2 ? REASM_HELD : REASM_DROP,
		    id == 2 ? REASM_WHY_HELD : REASM_WHY_TOO_MANY_PACKETS);
	}
	now += lim_test.timeout_ms;
	reasm_expire(r, now);
	ck_assert_uint_eq(st()->n[REASM_WHY_TIMEOUT], 2);
	expect_empty();
}
END_TEST

static Suite *
reasm_suite(void)
{
	Suite	*s = suite_create("reasm");
	TCase	*tc;

#define TC(name)	do {						\
	tc = tcase_create(name);					\
	tcase_add_checked_fixture(tc, setup, teardown);			\
	suite_add_tcase(s, tc);						\
} while (0)

	TC("rfc791");
	tcase_add_test(tc, test_ipv4_in_order);
	tcase_add_test(tc, test_ipv4_out_of_order);
	tcase_add_test(tc, test_ipv4_reverse);
	tcase_add_test(tc, test_ipv4_last_fragment_first);
	tcase_add_test(tc, test_ipv4_tiny_fragments);
	tcase_add_test(tc, test_ipv4_interleaved_packets);
	tcase_add_test(tc, test_ipv4_header_from_first_fragment);
	tcase_add_test(tc, test_ipv4_flags_cleared);
	tcase_add_test(tc, test_ecn_ce_carried);
	tcase_add_test(tc, test_ipv4_largest_packet);
	tcase_add_test(tc, test_ipv4_bad_header);
	tcase_add_test(tc, test_not_fragment_untouched);

	TC("rfc8200-4.5");
	tcase_add_test(tc, test_ipv6_orders);
	tcase_add_test(tc, test_ipv6_interleaved_packets);
	tcase_add_test(tc, test_ipv6_extension_headers);
	tcase_add_test(tc, test_ipv6_next_header_restored);
	tcase_add_test(tc, test_ipv6_length_not_multiple_of_8);
	tcase_add_test(tc, test_oversize);
	tcase_add_test(tc, test_ipv4_oversize_with_first_header);
	tcase_add_test(tc, test_larger_than_buffer);

	TC("rfc6946");
	tcase_add_test(tc, test_ipv6_atomic_fragment);

	TC("rfc5722");
	tcase_add_test(tc, test_overlap_partial);
	tcase_add_test(tc, test_overlap_full);
	tcase_add_test(tc, test_duplicate);
	tcase_add_test(tc, test_inconsistent_end);

	TC("limits");
	tcase_add_test(tc, test_too_many_fragments);
	tcase_add_test(tc, test_too_many_packets);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_set_limits);
	tcase_add_test(tc, test_memory_bounded);
	tcase_add_test(tc, test_names);

	TC("rfc7597-8.3.3-tunnelled");
	tcase_add_test(tc, test_4in6_orders);
	tcase_add_test(tc, test_4in6_two_lwb4s_same_id);
	tcase_add_test(tc, test_4in6_apart_from_ipv4);
	tcase_add_test(tc, test_4in6_headers_of_first);
	tcase_add_test(tc, test_4in6_not_fragment);
	tcase_add_test(tc, test_4in6_largest);
	tcase_add_test(tc, test_4in6_too_many_packets);

	TC("oracle");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random_matches_original);
#undef TC
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(reasm_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
