/* SPDX-License-Identifier: ISC */
/*
 * pkt.h: a packet in a buffer with room before and after it, so that a
 * translation can grow the headers in place, what the kernel left for
 * later (tun offloads), and the verdict a packet function returns
 * instead of doing I/O.
 */
#ifndef TUNMAPD_PKT_H
#define TUNMAPD_PKT_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Sizes and flags of the headers on the wire. */
#define IP4_HLEN	20		/* without options */
#define IP6_HLEN	40
#define FRAG_HLEN	8		/* the IPv6 Fragment header */
#define ICMP_HLEN	8
#define IP4_DF		0x4000
#define IP4_MF		0x2000
#define IP4_OFFMASK	0x1fff

/* Room kept before a packet: IPv4->IPv6 adds 20 bytes, a fragment header 8. */
#define PKT_HEADROOM	128
#define PKT_MAXLEN	65535

/*
 * The fields of the virtio_net_hdr in front of a packet read from a tun
 * with offloads (vnet.c).  All zero: a plain, finished packet.
 */
#define PKT_CSUM_PARTIAL	0x01	/* transport checksum still to do */
#define PKT_GSO_NONE		0	/* the virtio numbers */
#define PKT_GSO_TCPV4		1
#define PKT_GSO_UDP		3	/* IPv4 UFO: refused */
#define PKT_GSO_TCPV6		4
#define PKT_GSO_UDP_L4		5	/* UDP segmentation, either family */
#define PKT_GSO_ECN		0x80	/* TCP: CWR is set, on the first only */

struct pkt_offload {
	uint8_t		flags;		/* PKT_CSUM_PARTIAL */
	uint8_t		gso_type;	/* PKT_GSO_*, with PKT_GSO_ECN */
	uint16_t	hdr_len;	/* bytes of headers, a hint */
	uint16_t	gso_size;	/* payload bytes per segment */
	uint16_t	csum_start;	/* from data: the transport header */
	uint16_t	csum_offset;	/* of the checksum field in it */
};

struct pkt {
	uint8_t		*data;		/* first byte of the IP header */
	size_t		 len;
	size_t		 head;		/* free bytes before data */
	size_t		 tail;		/* free bytes after data + len */
	struct pkt_offload off;		/* all zero unless read with them */
};

enum verdict {
	VERDICT_FORWARD,		/* write pkt back to the tun */
	VERDICT_DROP,			/* count the drop reason */
	VERDICT_REPLY,			/* pkt is now an ICMP error to the
					   sender: count the reason, and
					   send it if the rate allows */
	VERDICT_FRAGMENT,		/* an IPv6 packet with a Fragment
					   header, to be cut to the MTU */
	VERDICT_SEGMENT,		/* a TCP or UDP super-packet that
					   cannot stay one, untouched: cut
					   it (vnet_segment) and translate
					   each segment */
	VERDICT_HELD,			/* taken by the reassembly, which
					   counts it: kept for its other
					   fragments, or dropped */
};

/* Whether the transport checksum field holds only the pseudo-header. */
static inline int
pkt_csum_partial(const struct pkt *p)
{
	return ((p->off.flags & PKT_CSUM_PARTIAL) != 0);
}

static inline int
pkt_is_gso(const struct pkt *p)
{
	return (p->off.gso_type != PKT_GSO_NONE);
}

/* Big-endian fields of a header, at any alignment. */
static inline uint16_t
get16(const uint8_t *p)
{
	uint16_t	v;

	memcpy(&v, p, 2);
	return (ntohs(v));
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	v = htons(v);
	memcpy(p, &v, 2);
}

static inline uint32_t
get32(const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, 4);
	return (ntohl(v));
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

/* Grow the packet by n bytes at the front; the caller checks head. */
static inline void
pkt_push(struct pkt *p, size_t n)
{
	p->data -= n;
	p->head -= n;
	p->len += n;
}

/* Cut the packet to len bytes (len <= p->len): the rest is tail room. */
static inline void
pkt_trim(struct pkt *p, size_t len)
{
	p->tail += p->len - len;
	p->len = len;
}

/* Make the packet start at start, before or after where it starts now. */
static inline void
pkt_start_at(struct pkt *p, uint8_t *start)
{
	if (start < p->data) {
		p->head -= (size_t)(p->data - start);
		p->len += (size_t)(p->data - start);
	} else {
		p->head += (size_t)(start - p->data);
		p->len -= (size_t)(start - p->data);
	}
	p->data = start;
}

/* Remove n bytes from the front. */
static inline void
pkt_pull(struct pkt *p, size_t n)
{
	p->data += n;
	p->head += n;
	p->len -= n;
}

#endif
