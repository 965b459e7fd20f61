/* SPDX-License-Identifier: ISC */
/*
 * check_vnet.c: tun offloads (vnet.c) and the unfinished packets they
 * bring through siit.c.  Every packet is checked byte for byte against
 * one built whole by pktbuild.c, whose checksums are summed from scratch:
 * a completed partial checksum, each segment cut from a super-packet,
 * and a partial checksum carried through a translation.
 */
#include <arpa/inet.h>
#include <check.h>
#include <linux/virtio_net.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "pktbuild.h"
#include "siit.h"
#include "tables.h"
#include "vnet.h"

#define CLIENT4		"203.0.113.5"
#define CLIENT6		"2001:db8:64::cb00:7105"	/* in pool6 */
#define SERVER4		"198.51.100.10"
#define SERVER6		"2001:db8:6::a"			/* EAM */
#define MSS		1440	/* 1500 once translated to IPv6 */

static struct tables	*t;
static struct pb_buf	 buf;
static uint8_t		 raw[PB_BUFSIZE], want[PB_BUFSIZE], seg[PB_BUFSIZE];
static uint8_t		 payload[PKT_MAXLEN];

static void
setup(void)
{
	struct config_instance	c;
	struct config_eam	e;
	const char		*why;
	size_t			i;

	memset(&c, 0, sizeof c);
	memset(&e, 0, sizeof e);
	config_defaults(&c);
	c.mtu = 1500;
	c.one_hop = false;
	c.has_pool6 = true;
	ck_assert_int_eq(addr_parse6("2001:db8:64::/96", &c.pool6, &why), 0);
	ck_assert_int_eq(addr_parse4("198.51.100.0/24", &e.p4, &why), 0);
	ck_assert_int_eq(addr_parse6("2001:db8:6::/120", &e.p6, &why), 0);
	e.line = 1;
	c.eam = &e;
	c.neam = 1;
	t = tables_build(&c);
	ck_assert_ptr_nonnull(t);
	for (i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 7 + i / 251);
}

static void
teardown(void)
{
	tables_free(t);
}

static struct pb_ip4
ip4(const char *src, const char *dst)
{
	struct pb_ip4	ip = { .src = src, .dst = dst, .ttl = 64,
			    .id = 7, .frag = 0x4000 };

	return (ip);
}

static struct pb_ip6
ip6(const char *src, const char *dst)
{
	struct pb_ip6	ip = { .src = src, .dst = dst, .hlim = 64 };

	return (ip);
}

static struct pb_l4
l4(uint8_t proto, size_t paylen, size_t from)
{
	struct pb_l4	l = { .proto = proto, .sport = 40000, .dport = 80,
			    .tcpseq = 1000, .tcpack = 1, .tcpflags = 0x10,
			    .payload = payload + from, .paylen = paylen };

	return (l);
}

/*
 * Make the transport checksum of the packet at p (l4 at off) partial, as
 * the kernel leaves it: the folded sum of the pseudo-header, uncomplemented.
 */
static void
make_partial(uint8_t *p, size_t len, size_t off, uint8_t proto)
{
	uint8_t		ph[40];
	size_t		n, l4len = len - off;
	uint16_t	s;

	memset(ph, 0, sizeof ph);
	if (p[0] >> 4 == 4) {
		memcpy(ph, p + 12, 8);
		ph[9] = proto;
		ph[10] = (uint8_t)(l4len >> 8);
		ph[11] = (uint8_t)l4len;
		n = 12;
	} else {
		memcpy(ph, p + 8, 32);
		ph[34] = (uint8_t)(l4len >> 8);
		ph[35] = (uint8_t)l4len;
		ph[39] = proto;
		n = 40;
	}
	s = pb_sum(ph, n, 0);
	p[off + (proto == IPPROTO_TCP ? 16 : 6)] = (uint8_t)(s >> 8);
	p[off + (proto == IPPROTO_TCP ? 16 : 6) + 1] = (uint8_t)s;
}

/* A virtio_net_hdr as the kernel writes it. */
static void
mk_hdr(uint8_t *h, uint8_t flags, uint8_t gso_type, uint16_t gso_size,
    uint16_t hdr_len, uint16_t start, uint16_t off)
{
	struct virtio_net_hdr	v = { flags, gso_type, hdr_len, gso_size,
				    start, off };

	memcpy(h, &v, sizeof v);
}

/* Load raw (n bytes) with header h and parse it. */
static enum verdict
load(struct pkt *p, size_t n, const uint8_t *h, enum drop_reason *why)
{
	pb_load(&buf, p, raw, n);
	return (vnet_parse(h, p, why));
}

/* ---- parsing ------------------------------------------------------------ */

START_TEST(test_parse_tcp4_super_packet)
{
	struct pb_ip4		ip = ip4(CLIENT4, SERVER4);
	struct pb_l4		l = l4(IPPROTO_TCP, 20000, 0);
	struct pkt		p;
	enum drop_reason	why;
	uint8_t			h[VNET_HLEN];
	size_t			n = pb_build4(raw, &ip, &l);

	make_partial(raw, n, 20, IPPROTO_TCP);
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, PKT_GSO_TCPV4, MSS,
	    1500, 20, 16);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	ck_assert(pkt_is_gso(&p) && pkt_csum_partial(&p));
	ck_assert_uint_eq(p.off.gso_type, PKT_GSO_TCPV4);
	ck_assert_uint_eq(p.off.gso_size, MSS);
	ck_assert_uint_eq(p.off.hdr_len, 1500);
	ck_assert_uint_eq(p.off.csum_start, 20);
	ck_assert_uint_eq(p.off.csum_offset, 16);
	ck_assert_mem_eq(p.data, raw, n);
	/* The same header written back. */
	vnet_write(&p, raw);
	ck_assert_mem_eq(raw, h, VNET_HLEN);
}
END_TEST

/* Headers that do not describe their packet: dropped, never trusted. */
START_TEST(test_parse_bad_headers_are_dropped)
{
	struct pb_ip4		ip = ip4(CLIENT4, SERVER4);
	struct pb_ip6		ip6x = ip6(SERVER6, CLIENT6);
	struct pb_l4		l = l4(IPPROTO_TCP, 3000, 0);
	struct pb_l4		u = l4(IPPROTO_UDP, 3000, 0);
	struct pkt		p;
	enum drop_reason	why = DROP_MAX;
	uint8_t			h[VNET_HLEN];
	size_t			n4, n6, nu, nf;
	const uint8_t		F = VIRTIO_NET_HDR_F_NEEDS_CSUM;

	n4 = pb_build4(raw, &ip, &l);
	/* The checksum field past the end. */
	mk_hdr(h, F, 0, 0, 0, (uint16_t)(n4 - 1), 0);
	ck_assert_int_eq(load(&p, n4, h, &why), VERDICT_DROP);
	ck_assert_int_eq(why, DROP_BAD_HEADER);
	mk_hdr(h, F, 0, 0, 0, 20, (uint16_t)(n4 - 21));
	ck_assert_int_eq(load(&p, n4, h, &why), VERDICT_DROP);
	/* TCPV6 on IPv4; no NEEDS_CSUM; no segment size; a wrong start. */
	mk_hdr(h, F, PKT_GSO_TCPV6, MSS, 54, 20, 16);
	ck_assert_int_eq(load(&p, n4, h, &why), VERDICT_DROP);
	mk_hdr(h, 0, PKT_GSO_TCPV4, MSS, 54, 20, 16);
	ck_assert_int_eq(load(&p, n4, h, &why), VERDICT_DROP);
	mk_hdr(h, F, PKT_GSO_TCPV4, 0, 54, 20, 16);
	ck_assert_int_eq(load(&p, n4, h, &why), VERDICT_DROP);
	mk_hdr(h, F, PKT_GSO_TCPV4, MSS, 54, 24, 16);
	ck_assert_int_eq(load(&p, n4, h, &why), VERDICT_DROP);
	/* UDP segmentation on TCP; legacy UFO; ECN on UDP. */
	mk_hdr(h, F, PKT_GSO_UDP_L4, MSS, 54, 20, 16);
	ck_assert_int_eq(load(&p, n4, h, &why), VERDICT_DROP);
	nu = pb_build4(raw, &ip, &u);
	mk_hdr(h, F, PKT_GSO_UDP, MSS, 28, 20, 6);
	ck_assert_int_eq(load(&p, nu, h, &why), VERDICT_DROP);
	mk_hdr(h, F, PKT_GSO_UDP_L4 | PKT_GSO_ECN, MSS,
	    28, 20, 6);
	ck_assert_int_eq(load(&p, nu, h, &why), VERDICT_DROP);
	mk_hdr(h, F, PKT_GSO_UDP_L4, MSS, 28, 20, 6);
	ck_assert_int_eq(load(&p, nu, h, &why), VERDICT_FORWARD);
	/* TCPV4 on IPv6. */
	n6 = pb_build6(raw, &ip6x, &l);
	mk_hdr(h, F, PKT_GSO_TCPV4, MSS, 74, 40, 16);
	ck_assert_int_eq(load(&p, n6, h, &why), VERDICT_DROP);
	mk_hdr(h, F, PKT_GSO_TCPV6, MSS, 74, 40, 16);
	ck_assert_int_eq(load(&p, n6, h, &why), VERDICT_FORWARD);
	/* A fragment cannot be a super-packet. */
	ip.frag = 0x2000;
	nf = pb_build4(raw, &ip, &l);
	mk_hdr(h, F, PKT_GSO_TCPV4, MSS, 54, 20, 16);
	ck_assert_int_eq(load(&p, nf, h, &why), VERDICT_DROP);
	/* Headers alone, no payload to cut. */
	ip.frag = 0x4000;
	l.paylen = 0;
	n4 = pb_build4(raw, &ip, &l);
	ck_assert_int_eq(load(&p, n4, h, &why), VERDICT_DROP);
}
END_TEST

/*
 * A partial checksum the translation does not carry (here ICMP, which
 * the kernel does not leave partial, but a header may say so) is
 * finished at once, and the packet is as if it came whole.
 */
START_TEST(test_parse_untracked_partial_is_completed)
{
	struct pb_ip4		ip = ip4(CLIENT4, SERVER4);
	struct pb_l4		l = l4(IPPROTO_ICMP, 101, 0);
	struct pkt		p;
	enum drop_reason	why;
	uint8_t			h[VNET_HLEN];
	size_t			n;

	l.type = 8;
	n = pb_build4(want, &ip, &l);
	memcpy(raw, want, n);
	raw[22] = raw[23] = 0;		/* ICMP: no pseudo-header */
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 20, 2);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	ck_assert(!pkt_csum_partial(&p) && !pkt_is_gso(&p));
	ck_assert_mem_eq(p.data, want, n);
}
END_TEST

/* ---- completion ---------------------------------------------------------- */

/* TCP and UDP, IPv4 and IPv6, odd and even lengths: as if summed whole. */
START_TEST(test_complete_equals_full_checksum)
{
	static const size_t	lens[] = { 0, 1, 2, 3, 511, 1448, 9001 };
	struct pb_ip4		a = ip4(CLIENT4, SERVER4);
	struct pb_ip6		b = ip6(SERVER6, CLIENT6);
	struct pb_l4		l;
	struct pkt		p;
	uint8_t			proto = _i & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	size_t			n, i, hl = _i & 2 ? 40 : 20;
	enum drop_reason	why;
	uint8_t			h[VNET_HLEN];

	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		l = l4(proto, lens[i], i);
		n = _i & 2 ? pb_build6(want, &b, &l) : pb_build4(want, &a, &l);
		memcpy(raw, want, n);
		make_partial(raw, n, hl, proto);
		mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, (uint16_t)hl,
		    proto == IPPROTO_TCP ? 16 : 6);
		ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
		ck_assert(pkt_csum_partial(&p));
		vnet_complete(&p);
		ck_assert(!pkt_csum_partial(&p));
		ck_assert_mem_eq(p.data, want, n);
	}
}
END_TEST

/* ---- translation --------------------------------------------------------- */

/*
 * _i bit 0: UDP, not TCP; bit 1: a super-packet.  A partial checksum
 * through siit_4to6, then completed, is the checksum of the IPv6 packet
 * built whole; the header follows the transport header.
 */
START_TEST(test_partial_through_4to6)
{
	struct pb_ip4		a = ip4(CLIENT4, SERVER4);
	struct pb_ip6		b = ip6(CLIENT6, SERVER6);
	uint8_t			proto = _i & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	struct pb_l4		l = l4(proto, _i & 2 ? 30001 : 1001, 3);
	static const uint8_t	opt[4] = { 1, 1, 1, 0 };	/* NOP, EOL */
	struct pkt		p;
	enum drop_reason	why;
	uint8_t			h[VNET_HLEN], gso = 0, *old;
	size_t			n, wn;

	a.opt = opt;			/* 24-byte header: moves by 16 */
	a.optlen = sizeof opt;
	n = pb_build4(raw, &a, &l);
	wn = pb_build6(want, &b, &l);
	make_partial(raw, n, 24, proto);
	if (_i & 2)
		gso = proto == IPPROTO_TCP ? PKT_GSO_TCPV4 :
		    PKT_GSO_UDP_L4;
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, gso, _i & 2 ? MSS : 0, 1000,
	    24, proto == IPPROTO_TCP ? 16 : 6);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	old = p.data;
	ck_assert_int_eq(siit_4to6(t, &p, &why), VERDICT_FORWARD);
	vnet_moved(&p, old);
	ck_assert_uint_eq(p.len, wn);
	ck_assert_uint_eq(p.off.csum_start, 40);
	ck_assert_uint_eq(p.off.csum_offset, proto == IPPROTO_TCP ? 16 : 6);
	ck_assert_uint_eq(p.off.hdr_len, 1016);
	if (_i & 2)
		ck_assert_uint_eq(p.off.gso_type, proto == IPPROTO_TCP ?
		    PKT_GSO_TCPV6 : PKT_GSO_UDP_L4);
	vnet_write(&p, h);
	ck_assert_uint_eq(h[0], VIRTIO_NET_HDR_F_NEEDS_CSUM);
	vnet_complete(&p);
	ck_assert_mem_eq(p.data, want, wn);
}
END_TEST

/* The same, IPv6 to IPv4. */
START_TEST(test_partial_through_6to4)
{
	struct pb_ip6		b = ip6(SERVER6, CLIENT6);
	struct pb_ip4		a = ip4(SERVER4, CLIENT4);
	uint8_t			proto = _i & 1 ? IPPROTO_UDP : IPPROTO_TCP;
	struct pb_l4		l = l4(proto, _i & 2 ? 30001 : 1001, 5);
	struct pkt		p;
	enum drop_reason	why;
	uint8_t			h[VNET_HLEN], gso = 0, *old;
	size_t			n, wn;

	n = pb_build6(raw, &b, &l);
	wn = pb_build4(want, &a, &l);
	make_partial(raw, n, 40, proto);
	if (_i & 2)
		gso = proto == IPPROTO_TCP ? PKT_GSO_TCPV6 :
		    PKT_GSO_UDP_L4;
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, gso, _i & 2 ? MSS : 0, 1000,
	    40, proto == IPPROTO_TCP ? 16 : 6);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	old = p.data;
	ck_assert_int_eq(siit_6to4(t, &p, &why), VERDICT_FORWARD);
	vnet_moved(&p, old);
	ck_assert_uint_eq(p.len, wn);
	ck_assert_uint_eq(p.off.csum_start, 20);
	ck_assert_uint_eq(p.off.hdr_len, 980);
	if (_i & 2)
		ck_assert_uint_eq(p.off.gso_type, proto == IPPROTO_TCP ?
		    PKT_GSO_TCPV4 : PKT_GSO_UDP_L4);
	/* DF: the segments are over 1260 bytes, the lone packet is not. */
	ck_assert_uint_eq(p.data[6] & 0x40, _i & 2 ? 0x40 : 0);
	vnet_complete(&p);
	/* The Identification is the translator's: the rest is exact. */
	ck_assert(pb_check4(p.data));
	ck_assert_mem_eq(p.data + 20, want + 20, wn - 20);
	ck_assert_mem_eq(p.data + 12, want + 12, 8);
	ck_assert_mem_eq(p.data + 2, want + 2, 2);
	ck_assert_mem_eq(p.data + 8, want + 8, 2);
}
END_TEST

/*
 * A super-packet whose segments will not fit once translated: it must be
 * answered about segment by segment, so it comes back untouched.
 */
START_TEST(test_too_big_super_packet_is_returned_untouched)
{
	struct pb_ip4		a = ip4(CLIENT4, SERVER4);
	struct pb_ip6		b = ip6(SERVER6, CLIENT6);
	struct pb_l4		l = l4(IPPROTO_TCP, 20000, 0);
	struct pkt		p, s;
	enum drop_reason	why;
	uint8_t			h[VNET_HLEN];
	size_t			n, done = 0;

	n = pb_build4(raw, &a, &l);
	make_partial(raw, n, 20, IPPROTO_TCP);
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, PKT_GSO_TCPV4, 1460,
	    54, 20, 16);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	ck_assert_int_eq(siit_4to6(t, &p, &why), VERDICT_SEGMENT);
	ck_assert_mem_eq(p.data, raw, n);
	/* Its first segment draws the ICMP error, quoting a whole packet. */
	memset(&s, 0, sizeof s);
	s.data = seg + PKT_HEADROOM;
	s.len = vnet_segment(&p, &done, s.data, sizeof seg - PKT_HEADROOM);
	s.head = PKT_HEADROOM;
	s.tail = sizeof seg - PKT_HEADROOM - s.len;
	ck_assert_uint_eq(s.len, 1500);
	ck_assert_int_eq(siit_4to6(t, &s, &why), VERDICT_REPLY);
	ck_assert_int_eq(why, DROP_TOO_BIG);

	n = pb_build6(raw, &b, &l);
	make_partial(raw, n, 40, IPPROTO_TCP);
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, PKT_GSO_TCPV6, 1460,
	    74, 40, 16);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	ck_assert_int_eq(siit_6to4(t, &p, &why), VERDICT_FORWARD);
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, PKT_GSO_TCPV6, 1461,
	    74, 40, 16);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	ck_assert_int_eq(siit_6to4(t, &p, &why), VERDICT_SEGMENT);
	ck_assert_mem_eq(p.data, raw, n);
}
END_TEST

/* A partial checksum quoted in an ICMP error is completed first. */
START_TEST(test_partial_is_completed_before_quoting)
{
	struct pb_ip4		a = ip4(CLIENT4, SERVER4);
	struct pb_l4		l = l4(IPPROTO_TCP, 1461, 0);
	struct pkt		p;
	enum drop_reason	why;
	uint8_t			h[VNET_HLEN];
	size_t			n;

	n = pb_build4(want, &a, &l);
	memcpy(raw, want, n);
	make_partial(raw, n, 20, IPPROTO_TCP);
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 20, 16);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	ck_assert_int_eq(siit_4to6(t, &p, &why), VERDICT_REPLY);
	ck_assert(!pkt_csum_partial(&p));
	/* The quote starts after the new IPv4 and ICMP headers. */
	ck_assert_mem_eq(p.data + 28, want, p.len - 28);
}
END_TEST

/* ---- segmentation -------------------------------------------------------- */

/*
 * Cut a 64 KB super-packet and compare each segment with the packet
 * built whole from the same fields: lengths, Identification, sequence
 * number, flags (FIN and PSH on the last, CWR on the first) and
 * checksums.  _i: 0 TCPv4, 1 TCPv6 with a Destination Options header,
 * 2 UDP over IPv6 (UDP segmentation).
 */
START_TEST(test_segment_super_packet)
{
	static const uint8_t	dopt[8] = { IPPROTO_TCP, 0, 1, 4, 0, 0, 0, 0 };
	struct pb_ip4		a = ip4(CLIENT4, SERVER4);
	struct pb_ip6		b = ip6(SERVER6, CLIENT6);
	uint8_t			proto = _i == 2 ? IPPROTO_UDP : IPPROTO_TCP;
	struct pb_l4		l, sl;
	struct pkt		p;
	enum drop_reason	why;
	uint8_t			h[VNET_HLEN], gso;
	size_t			n, sn, wn, hl, done = 0, prev, nseg = 0;
	size_t			l4h = proto == IPPROTO_TCP ? 20 : 8;

	if (_i == 1) {
		b.ext = dopt;
		b.extlen = sizeof dopt;
		b.ext_nh = IPPROTO_DSTOPTS;
	}
	hl = _i == 0 ? 20 : _i == 1 ? 48 : 40;
	l = l4(proto, 65535 - 48 - l4h, 0);
	l.tcpflags = 0x80 | 0x10 | 0x08 | 0x01;	/* CWR ACK PSH FIN */
	n = _i == 0 ? pb_build4(raw, &a, &l) : pb_build6(raw, &b, &l);
	make_partial(raw, n, hl, proto);
	gso = _i == 0 ? PKT_GSO_TCPV4 : _i == 1 ?
	    PKT_GSO_TCPV6 : PKT_GSO_UDP_L4;
	mk_hdr(h, VIRTIO_NET_HDR_F_NEEDS_CSUM, gso, MSS, (uint16_t)(hl + l4h),
	    (uint16_t)hl, proto == IPPROTO_TCP ? 16 : 6);
	ck_assert_int_eq(load(&p, n, h, &why), VERDICT_FORWARD);
	ck_assert_uint_eq(vnet_l4seg(&p, n - hl), l4h + MSS);
	for (;;) {
		prev = done;
		sn = vnet_segment(&p, &done, seg, sizeof seg);
		if (sn == 0)
			break;
		sl = l4(proto, done - prev, prev);
		sl.tcpseq = 1000 + (uint32_t)prev;
		sl.tcpflags = (uint8_t)(0x10 | (prev == 0 ? 0x80 : 0) |
		    (done == l.paylen ? 0x09 : 0));
		a.id = (uint16_t)(7 + nseg);
		wn = _i == 0 ? pb_build4(want, &a, &sl) :
		    pb_build6(want, &b, &sl);
		ck_assert_uint_eq(sn, wn);
		ck_assert_uint_le(sn, hl + l4h + MSS);
		ck_assert_mem_eq(seg, want, wn);
		/* The payloads, end to end, are the original's. */
		ck_assert_mem_eq(seg + hl + l4h, payload + prev, done - prev);
		nseg++;
	}
	ck_assert_uint_eq(done, l.paylen);
	ck_assert_uint_eq(nseg, (l.paylen + MSS - 1) / MSS);
}
END_TEST

static Suite *
vnet_suite(void)
{
	Suite	*s = suite_create("vnet");
	TCase	*tc;

#define TC(name)							\
	do {								\
		tc = tcase_create(name);				\
		tcase_add_checked_fixture(tc, setup, teardown);		\
		suite_add_tcase(s, tc);					\
	} while (0)
	TC("parse");
	tcase_add_test(tc, test_parse_tcp4_super_packet);
	tcase_add_test(tc, test_parse_bad_headers_are_dropped);
	tcase_add_test(tc, test_parse_untracked_partial_is_completed);

	TC("complete");
	tcase_add_loop_test(tc, test_complete_equals_full_checksum, 0, 4);

	TC("translate");
	tcase_add_loop_test(tc, test_partial_through_4to6, 0, 4);
	tcase_add_loop_test(tc, test_partial_through_6to4, 0, 4);
	tcase_add_test(tc, test_too_big_super_packet_is_returned_untouched);
	tcase_add_test(tc, test_partial_is_completed_before_quoting);

	TC("segment");
	tcase_add_loop_test(tc, test_segment_super_packet, 0, 3);
#undef TC
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(vnet_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
