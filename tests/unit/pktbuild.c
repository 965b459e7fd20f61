/* SPDX-License-Identifier: ISC */
/*
 * pktbuild.c: packet construction for the tests.  Slow on purpose: every
 * checksum is a full sum of big-endian 16-bit words read byte by byte
 * (RFC 1071), over a pseudo-header laid out in memory as its RFC draws it.
 * Nothing here uses the code under test.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

static void
addr(int af, const char *s, uint8_t *out)
{
	if (inet_pton(af, s, out) != 1)
		abort();
}

/* RFC 1071: the folded one's-complement sum of len bytes, plus acc. */
uint16_t
pb_sum(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		acc += i % 2 == 0 ? (uint32_t)p[i] << 8 : p[i];
		if (acc > 0xffff)
			acc = (acc & 0xffff) + (acc >> 16);
	}
	while (acc > 0xffff)
		acc = (acc & 0xffff) + (acc >> 16);
	return ((uint16_t)acc);
}

/* The transport header and payload, checksum field left zero. */
static size_t
build_l4(uint8_t *out, const struct pb_l4 *l)
{
	size_t	hl, i;

	switch (l->proto) {
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		hl = 8;
		out[0] = l->type;
		out[1] = l->code;
		put16(out + 2, 0);
		put16(out + 4, l->id);
		put16(out + 6, l->seq);
		break;
	case IPPROTO_TCP:
		hl = 20;
		put16(out, l->sport);
		put16(out + 2, l->dport);
		put32(out + 4, l->tcpseq);
		put32(out + 8, l->tcpack);
		out[12] = 5 << 4;
		out[13] = l->tcpflags;
		put16(out + 14, 65535);
		put16(out + 16, 0);
		put16(out + 18, 0);
		break;
	case IPPROTO_UDP:
		hl = 8;
		put16(out, l->sport);
		put16(out + 2, l->dport);
		put16(out + 4, (uint16_t)(8 + l->paylen));
		put16(out + 6, 0);
		break;
	default:
		hl = 0;
		break;
	}
	for (i = 0; i < l->paylen; i++)
		out[hl + i] = l->payload != NULL ? l->payload[i] :
		    (uint8_t)(l->fill + i);
	return (hl + l->paylen);
}

/* Where the checksum of the transport header sits; -1: it has none. */
static int
csum_offset(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return (2);
	case IPPROTO_TCP:
		return (16);
	case IPPROTO_UDP:
		return (6);
	default:
		return (-1);
	}
}

/*
 * Sum pseudo-header ph (phlen bytes, or none) then the transport bytes,
 * and store the checksum.  UDP sends a computed 0 as ffff (RFC 768).
 */
static void
l4_checksum(uint8_t *l4, size_t len, uint8_t proto, const uint8_t *ph,
    size_t phlen)
{
	uint16_t	c;
	int		off = csum_offset(proto);

	if (off < 0)
		return;
	c = (uint16_t)~pb_sum(l4, len, pb_sum(ph, phlen, 0));
	if (proto == IPPROTO_UDP && c == 0)
		c = 0xffff;
	put16(l4 + off, c);
}

/* The transport part alone, its checksum made for IPv4 addresses. */
size_t
pb_l4_4(uint8_t *out, const struct pb_ip4 *ip, const struct pb_l4 *l)
{
	uint8_t	ph[12];
	size_t	len;

	len = build_l4(out, l);
	/* RFC 793 3.1, RFC 768: source, destination, 0, protocol, length. */
	addr(AF_INET, ip->src, ph);
	addr(AF_INET, ip->dst, ph + 4);
	ph[8] = 0;
	ph[9] = l->proto;
	put16(ph + 10, (uint16_t)len);
	if (l->proto == IPPROTO_ICMP)
		l4_checksum(out, len, l->proto, NULL, 0);
	else if (!(l->proto == IPPROTO_UDP && l->udp_nocsum))
		l4_checksum(out, len, l->proto, ph, sizeof ph);
	return (len);
}

/* The transport part alone, its checksum made for IPv6 addresses. */
size_t
pb_l4_6(uint8_t *out, const struct pb_ip6 *ip, const struct pb_l4 *l)
{
	uint8_t	ph[40];
	size_t	len;

	len = build_l4(out, l);
	/* RFC 8200 8.1: source, destination, length (32), zero, next. */
	addr(AF_INET6, ip->src, ph);
	addr(AF_INET6, ip->dst, ph + 16);
	put32(ph + 32, (uint32_t)len);
	memset(ph + 36, 0, 3);
	ph[39] = l->proto;
	if (!(l->proto == IPPROTO_UDP && l->udp_nocsum))
		l4_checksum(out, len, l->proto, ph, sizeof ph);
	return (len);
}

/* RFC 791 header in front of len bytes of data, with its checksum. */
size_t
pb_raw4(uint8_t *out, const struct pb_ip4 *ip, uint8_t proto,
    const uint8_t *data, size_t len)
{
	size_t	hl = 20 + ip->optlen;

	memmove(out + hl, data, len);
	out[0] = (uint8_t)(0x40 | hl / 4);
	out[1] = ip->tos;
	put16(out + 2, ip->tot != 0 ? ip->tot : (uint16_t)(hl + len));
	put16(out + 4, ip->id);
	put16(out + 6, ip->frag);
	out[8] = ip->ttl;
	out[9] = proto;
	addr(AF_INET, ip->src, out + 12);
	addr(AF_INET, ip->dst, out + 16);
	if (ip->optlen > 0)
		memcpy(out + 20, ip->opt, ip->optlen);
	pb_fix4(out);
	return (hl + len);
}

/* RFC 8200 header and extension headers in front of len bytes of data. */
size_t
pb_raw6(uint8_t *out, const struct pb_ip6 *ip, uint8_t nh,
    const uint8_t *data, size_t len)
{
	memmove(out + 40 + ip->extlen, data, len);
	put32(out, 6U << 28 | (uint32_t)ip->tclass << 20 |
	    (ip->flow & 0xfffff));
	put16(out + 4, ip->plen != 0 ? ip->plen :
	    (uint16_t)(ip->extlen + len));
	out[6] = ip->extlen > 0 ? ip->ext_nh : nh;
	out[7] = ip->hlim;
	addr(AF_INET6, ip->src, out + 8);
	addr(AF_INET6, ip->dst, out + 24);
	if (ip->extlen > 0)
		memcpy(out + 40, ip->ext, ip->extlen);
	return (40 + ip->extlen + len);
}

/* A whole IPv4 packet. */
size_t
pb_build4(uint8_t *out, const struct pb_ip4 *ip, const struct pb_l4 *l)
{
	size_t	len;

	len = pb_l4_4(out + 20 + ip->optlen, ip, l);
	return (pb_raw4(out, ip, l->proto, out + 20 + ip->optlen, len));
}

/* A whole IPv6 packet; extension headers come from ip. */
size_t
pb_build6(uint8_t *out, const struct pb_ip6 *ip, const struct pb_l4 *l)
{
	size_t	len;

	len = pb_l4_6(out + 40 + ip->extlen, ip, l);
	return (pb_raw6(out, ip, l->proto, out + 40 + ip->extlen, len));
}

/* RFC 8200 4.5: a Fragment header; off is in 8-byte units. */
void
pb_frag6(uint8_t *out, uint8_t nh, uint16_t off, bool more, uint32_t id)
{
	out[0] = nh;
	out[1] = 0;
	put16(out + 2, (uint16_t)(off << 3 | (more ? 1 : 0)));
	put32(out + 4, id);
}

/* Recompute the IPv4 header checksum, after a field was changed. */
void
pb_fix4(uint8_t *h)
{
	size_t	hl = (size_t)(h[0] & 0x0f) * 4;

	put16(h + 10, 0);
	put16(h + 10, (uint16_t)~pb_sum(h, hl, 0));
}

/* Whether the IPv4 header checksum is right. */
bool
pb_check4(const uint8_t *h)
{
	return (pb_sum(h, (size_t)(h[0] & 0x0f) * 4, 0) == 0xffff);
}

/* Put a packet in b behind PKT_HEADROOM bytes, and describe it in p. */
void
pb_load(struct pb_buf *b, struct pkt *p, const uint8_t *data, size_t len)
{
	memset(b->mem, 0xee, sizeof b->mem);
	memcpy(b->mem + PKT_HEADROOM, data, len);
	p->data = b->mem + PKT_HEADROOM;
	p->len = len;
	p->head = PKT_HEADROOM;
	p->tail = sizeof b->mem - PKT_HEADROOM - len;
	memset(&p->off, 0, sizeof p->off);
}
