/* SPDX-License-Identifier: ISC */
/*
 * checksum.c: one's-complement sums.  Translation never re-sums a payload:
 * it sums only the header fields that change and applies the difference
 * with csum_replace().  No I/O, no allocation.
 */
#include <string.h>

#include "checksum.h"

/*
 * Add len bytes at buf to sum; an odd trailing byte is padded with zero.
 * The result is folded to 16 bits, so that callers may add a few sums
 * with plain + and lose no end-around carry.
 */
uint32_t
csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t	*p = buf;
	uint64_t	 acc = sum;
	uint32_t	 w32;
	uint16_t	 w16;

	while (len >= 4) {
		memcpy(&w32, p, 4);
		acc += w32;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&w16, p, 2);
		acc += w16;
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		w16 = 0;
		memcpy(&w16, p, 1);
		acc += w16;
	}
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	return (csum_fold((uint32_t)acc));
}
