/* SPDX-License-Identifier: ISC */
/*
 * vnet.c: tun offloads.  With IFF_VNET_HDR the kernel hands over TCP
 * super-packets of up to 64 KB (GSO) and packets whose transport
 * checksum holds only the pseudo-header sum (NEEDS_CSUM), each behind a
 * struct virtio_net_hdr.  The translator rewrites such a packet's
 * headers once and leaves the segmentation and the checksum to the
 * kernel on the way out; only the header describing them moves with the
 * transport header.  A packet that cannot stay unfinished (quoted in an
 * ICMP error, fragmented) is finished here the way the kernel would.
 * The header is in host byte order, the tun's default.  Pure functions.
 */
#include <arpa/inet.h>
#include <linux/virtio_net.h>
#include <netinet/in.h>
#include <string.h>

#include "checksum.h"
#include "vnet.h"

#define IP6_MAX_EXT	8
#define TCP_FIN		0x01
#define TCP_PSH		0x08
#define TCP_CWR		0x80

/*
 * The transport protocol of the packet at d and the offset of its
 * header, or -1: not a first fragment, or a header chain we do not walk.
 */
static int
transport(const uint8_t *d, size_t len, size_t *off)
{
	size_t	hl;
	uint8_t	nh;
	int	n;

	if (len >= 20 && d[0] >> 4 == 4) {
		hl = (size_t)(d[0] & 0x0f) * 4;
		if (hl < 20 || hl > len || (get16(d + 6) & 0x3fff) != 0)
			return (-1);
		*off = hl;
		return (d[9]);
	}
	if (len < 40 || d[0] >> 4 != 6)
		return (-1);
	nh = d[6];
	hl = 40;
	for (n = 0; n < IP6_MAX_EXT; n++) {
		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_DSTOPTS &&
		    nh != IPPROTO_ROUTING) {
			*off = hl;
			return (nh);
		}
		if (hl + 8 > len || hl + ((size_t)d[hl + 1] + 1) * 8 > len)
			return (-1);
		nh = d[hl];
		hl += ((size_t)d[hl + 1] + 1) * 8;
	}
	return (-1);
}

/* The length of the transport header at l4, of which avail bytes exist. */
static size_t
l4_hlen(int proto, const uint8_t *l4, size_t avail)
{
	size_t	n;

	if (proto == IPPROTO_UDP)
		return (avail >= 8 ? 8 : 0);
	if (proto != IPPROTO_TCP || avail < 20)
		return (0);
	n = (size_t)(l4[12] >> 4) * 4;
	return (n >= 20 && n <= avail ? n : 0);
}

/*
 * Whether the partial checksum is the TCP or UDP checksum of the packet
 * itself, which the translation knows how to carry; its protocol, or -1.
 */
static int
tracked(const struct pkt *p)
{
	size_t	off = 0;
	int	proto = transport(p->data, p->len, &off);

	if (proto == -1 || off != p->off.csum_start || l4_hlen(proto, p->data + off,
	    p->len - off) == 0)
		return (-1);
	if ((proto == IPPROTO_TCP && p->off.csum_offset == 16) ||
	    (proto == IPPROTO_UDP && p->off.csum_offset == 6))
		return (proto);
	return (-1);
}

/* Whether a super-packet's type is the one its headers say it is. */
static int
gso_consistent(const struct pkt *p, int proto)
{
	int	v = p->data[0] >> 4;

	if (p->off.gso_size == 0 || !(p->off.flags & PKT_CSUM_PARTIAL))
		return (0);
	switch (p->off.gso_type & ~PKT_GSO_ECN) {
	case PKT_GSO_TCPV4:
		return (v == 4 && proto == IPPROTO_TCP);
	case PKT_GSO_TCPV6:
		return (v == 6 && proto == IPPROTO_TCP);
	case PKT_GSO_UDP_L4:
		return (proto == IPPROTO_UDP &&
		    !(p->off.gso_type & PKT_GSO_ECN));
	default:
		return (0);
	}
}

/*
 * Read the virtio_net_hdr at hdr into p->off and check it against the
 * packet.  A partial checksum the translation cannot carry is finished
 * here; a super-packet that is not what its header says is dropped.
 */
enum verdict
vnet_parse(const uint8_t *hdr, struct pkt *p, enum drop_reason *why)
{
	struct virtio_net_hdr	h;
	int			proto;

	memcpy(&h, hdr, sizeof h);
	memset(&p->off, 0, sizeof p->off);
	if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if ((size_t)h.csum_start + h.csum_offset + 2 > p->len) {
			*why = DROP_BAD_HEADER;
			return (VERDICT_DROP);
		}
		p->off.flags = PKT_CSUM_PARTIAL;
		p->off.csum_start = h.csum_start;
		p->off.csum_offset = h.csum_offset;
	}
	p->off.gso_type = h.gso_type;
	p->off.gso_size = h.gso_size;
	p->off.hdr_len = h.hdr_len;
	proto = pkt_csum_partial(p) ? tracked(p) : -1;
	if (pkt_is_gso(p)) {
		if (!gso_consistent(p, proto) || p->off.csum_start +
		    l4_hlen(proto, p->data + p->off.csum_start, p->len -
		    p->off.csum_start) >= p->len) {
			*why = DROP_BAD_HEADER;
			return (VERDICT_DROP);
		}
	} else if (pkt_csum_partial(p) && proto == -1)
		vnet_complete(p);
	if (p->off.hdr_len > p->len)
		p->off.hdr_len = (uint16_t)p->len;
	return (VERDICT_FORWARD);
}

/*
 * After a translation that moved the start of the packet from old to
 * p->data: the transport header stayed where it was, so the offsets to
 * it change by as much, and a TCP super-packet changes family.
 */
void
vnet_moved(struct pkt *p, const uint8_t *old)
{
	ptrdiff_t	d = old - p->data;
	uint8_t		type = p->off.gso_type & ~PKT_GSO_ECN;

	if (pkt_csum_partial(p))
		p->off.csum_start = (uint16_t)(p->off.csum_start + d);
	if (p->off.hdr_len != 0) {
		if ((ptrdiff_t)p->off.hdr_len + d <= 0)
			p->off.hdr_len = 0;
		else
			p->off.hdr_len = (uint16_t)(p->off.hdr_len + d);
		if (p->off.hdr_len > p->len)
			p->off.hdr_len = (uint16_t)p->len;
	}
	if (type == PKT_GSO_TCPV4 || type == PKT_GSO_TCPV6)
		p->off.gso_type = (uint8_t)((p->off.gso_type & PKT_GSO_ECN) |
		    (p->data[0] >> 4 == 6 ? PKT_GSO_TCPV6 : PKT_GSO_TCPV4));
}

/* The virtio_net_hdr for p, into the VNET_HLEN bytes at hdr. */
void
vnet_write(const struct pkt *p, uint8_t *hdr)
{
	struct virtio_net_hdr	h;

	memset(&h, 0, sizeof h);
	if (pkt_csum_partial(p)) {
		h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h.csum_start = p->off.csum_start;
		h.csum_offset = p->off.csum_offset;
	}
	if (pkt_is_gso(p)) {
		h.gso_type = p->off.gso_type;
		h.gso_size = p->off.gso_size;
	}
	h.hdr_len = p->off.hdr_len;
	memcpy(hdr, &h, sizeof h);
}

/*
 * Do what the kernel would: sum from the transport header to the end
 * (the field holds the pseudo-header's sum) and store the complement.
 */
void
vnet_complete(struct pkt *p)
{
	uint16_t	ck;
	size_t		start = p->off.csum_start;

	if (!pkt_csum_partial(p))
		return;
	ck = csum_finish(csum_partial(p->data + start, p->len - start, 0));
	if (ck == 0)
		ck = 0xffff;	/* 0 would say "no checksum" to UDP */
	memcpy(p->data + start + p->off.csum_offset, &ck, 2);
	p->off.flags &= (uint8_t)~PKT_CSUM_PARTIAL;
	p->off.csum_start = p->off.csum_offset = 0;
}

/*
 * The transport length of the largest packet p stands for, out of
 * l4len: one segment's worth for a super-packet.
 */
size_t
vnet_l4seg(const struct pkt *p, size_t l4len)
{
	size_t	start = p->off.csum_start, n;
	int	proto;

	if (!pkt_is_gso(p) || start >= p->len)
		return (l4len);
	proto = (p->off.gso_type & ~PKT_GSO_ECN) == PKT_GSO_UDP_L4 ?
	    IPPROTO_UDP : IPPROTO_TCP;
	n = l4_hlen(proto, p->data + start, p->len - start) + p->off.gso_size;
	return (n < l4len ? n : l4len);
}

/* The sum of the pseudo-header of a segment of l4len transport bytes. */
static uint32_t
pseudo(const uint8_t *d, uint8_t proto, size_t l4len)
{
	uint32_t	w[2];

	w[0] = htonl((uint32_t)l4len);
	w[1] = htonl(proto);
	if (d[0] >> 4 == 4)
		return (csum_partial(d + 12, 8, csum_partial(w, sizeof w, 0)));
	return (csum_partial(d + 8, 32, csum_partial(w, sizeof w, 0)));
}

/* Fix the IP and transport headers of segment out (first, last). */
static void
seg_headers(uint8_t *out, size_t len, size_t l4, int proto, size_t done,
    unsigned idx, int first, int last)
{
	uint8_t		*th = out + l4;
	uint32_t	 seq;
	uint16_t	 ck;

	if (out[0] >> 4 == 4) {
		put16(out + 2, (uint16_t)len);
		put16(out + 4, (uint16_t)(get16(out + 4) + idx));
		memset(out + 10, 0, 2);
		ck = csum_finish(csum_partial(out, l4, 0));
		memcpy(out + 10, &ck, 2);
	} else
		put16(out + 4, (uint16_t)(len - 40));
	if (proto == IPPROTO_TCP) {
		memcpy(&seq, th + 4, 4);
		seq = htonl(ntohl(seq) + (uint32_t)done);
		memcpy(th + 4, &seq, 4);
		if (!last)
			th[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
		if (!first)
			th[13] &= (uint8_t)~TCP_CWR;
		memset(th + 16, 0, 2);
		ck = csum_finish(csum_partial(th, len - l4,
		    pseudo(out, IPPROTO_TCP, len - l4)));
		memcpy(th + 16, &ck, 2);
	} else {
		put16(th + 4, (uint16_t)(len - l4));
		memset(th + 6, 0, 2);
		ck = csum_finish(csum_partial(th, len - l4,
		    pseudo(out, IPPROTO_UDP, len - l4)));
		if (ck == 0)
			ck = 0xffff;
		memcpy(th + 6, &ck, 2);
	}
}

/*
 * Cut the next segment of super-packet p into out (size bytes), finished:
 * its own lengths, IPv4 Identification, TCP sequence number and flags
 * (FIN and PSH on the last only, CWR on the first only) and checksums.
 * *done counts the payload bytes already cut and starts at 0.  Returns
 * the segment's length, or 0 when all of p has been cut (or out is too
 * small).  p is as vnet_parse() left it.
 */
size_t
vnet_segment(const struct pkt *p, size_t *done, uint8_t *out, size_t size)
{
	size_t	l4 = p->off.csum_start, l4h, hl, payload, n;
	int	proto;

	if (!pkt_is_gso(p) || (proto = tracked(p)) == -1)
		return (0);
	l4h = l4_hlen(proto, p->data + l4, p->len - l4);
	hl = l4 + l4h;
	payload = p->len - hl;
	if (*done >= payload)
		return (0);
	n = payload - *done;
	if (n > p->off.gso_size)
		n = p->off.gso_size;
	if (hl + n > size)
		return (0);
	memcpy(out, p->data, hl);
	memcpy(out + hl, p->data + hl + *done, n);
	seg_headers(out, hl + n, l4, proto, *done,
	    (unsigned)(*done / p->off.gso_size), *done == 0,
	    *done + n == payload);
	*done += n;
	return (hl + n);
}
