/* SPDX-License-Identifier: ISC */
/*
 * frag.c: IPv6 fragmentation for the translator.  The packet to cut
 * already carries a Fragment header right after its IPv6 header (siit.c
 * put it there), with the offset and M flag of the data it holds, so a
 * fragment of an IPv4 fragment is cut the same way as a whole packet.
 * Pure: the caller gives the output buffer and writes each fragment.
 */
#include <arpa/inet.h>
#include <string.h>

#include "frag.h"

#define FRAG_HDRS	48		/* IPv6 header + Fragment header */

/*
 * Cut the next fragment of p, of at most mtu bytes, into out; *done
 * counts the payload bytes already cut and starts at 0.  Returns the
 * fragment's length, or 0 when all of p has been cut.
 */
size_t
frag6_next(const struct pkt *p, size_t mtu, size_t *done, uint8_t *out)
{
	size_t		 data = p->len - FRAG_HDRS, n, max;
	uint16_t	 field, off;
	int		 more;

	if (p->len <= FRAG_HDRS || *done >= data || mtu < FRAG_HDRS + 8)
		return (0);
	/* Every fragment but the last carries a multiple of 8 bytes. */
	max = (mtu - FRAG_HDRS) & ~(size_t)7;
	n = data - *done;
	if (n > max)
		n = max;
	memcpy(&field, p->data + 42, 2);
	field = ntohs(field);
	off = (uint16_t)((field & 0xfff8) + *done);
	more = (*done + n < data) || (field & 1);
	memcpy(out, p->data, FRAG_HDRS);
	memcpy(out + FRAG_HDRS, p->data + FRAG_HDRS + *done, n);
	field = htons((uint16_t)(8 + n));
	memcpy(out + 4, &field, 2);
	field = htons((uint16_t)(off | more));
	memcpy(out + 42, &field, 2);
	*done += n;
	return (FRAG_HDRS + n);
}
