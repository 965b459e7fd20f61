/* SPDX-License-Identifier: ISC */
/*
 * checksum.h: Internet one's-complement checksums (RFC 1071) and their
 * incremental update (RFC 1624).  csum_partial() returns a sum folded to
 * 16 bits, so a handful may be added in 32 bits without overflow.  Words
 * are read in host order: the one's-complement sum is independent
 * of byte order, so a result stored with memcpy is right on the wire.
 *
 * The small helpers are inline: the translation calls them a few times a
 * packet, on a handful of bytes, and a call would cost more than the sum.
 * Whatever the order of the additions, a folded sum is the same: it is 0
 * only when every word is 0, else the one value of 1 to 0xffff congruent
 * to the total modulo 0xffff.
 */
#ifndef TUNMAPD_CHECKSUM_H
#define TUNMAPD_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

uint32_t	csum_partial(const void *, size_t, uint32_t);

/* Fold a 32-bit sum to 16 bits, without complementing it. */
static inline uint16_t
csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The checksum field value for a sum over the whole covered data. */
static inline uint16_t
csum_finish(uint32_t sum)
{
	return (uint16_t)~csum_fold(sum);
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), where m and m' are the sums of
 * the old and new contents of the fields that changed.
 */
static inline uint16_t
csum_replace(uint16_t check, uint32_t old_sum, uint32_t new_sum)
{
	uint32_t	 s;

	s = (uint16_t)~check;
	s += (uint16_t)~csum_fold(old_sum);
	s += csum_fold(new_sum);
	return (uint16_t)~csum_fold(s);
}

/*
 * csum_partial() of len bytes, len a multiple of 4 up to 32 known when
 * compiling (an address, an option-less header): a few adds.  Left to
 * itself GCC keeps even five iterations a loop.
 */
static inline __attribute__((__always_inline__)) uint32_t
csum_words(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t	*p = buf;
	uint64_t	 acc = sum;
	uint32_t	 w;
	size_t		 i;

#pragma GCC unroll 8
	for (i = 0; i + 4 <= len; i += 4) {
		memcpy(&w, p + i, 4);
		acc += w;
	}
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	return (csum_fold((uint32_t)acc));
}

/*
 * csum_replace() for fields of whole 32-bit words (the addresses of a
 * pseudo-header), old and new, summed in one go: ~w is -w in the sum of
 * 32-bit words too, since 0xffff divides 0xffffffff.  Either may give 0
 * where the other gives 0xffff, the same sum; otherwise they agree.
 * Lengths as for csum_words().
 */
static inline __attribute__((__always_inline__)) uint16_t
csum_replace_words(uint16_t check, const void *old, size_t oldlen,
    const void *new, size_t newlen)
{
	const uint8_t	*o = old, *n = new;
	uint64_t	 acc;
	uint32_t	 w;
	size_t		 i;

	/* The sum of the ~w is that of 0xffffffff - w: one constant. */
	acc = (uint16_t)~check + (uint64_t)(oldlen / 4) * 0xffffffffU;
#pragma GCC unroll 8
	for (i = 0; i + 4 <= oldlen; i += 4) {
		memcpy(&w, o + i, 4);
		acc -= w;
	}
#pragma GCC unroll 8
	for (i = 0; i + 4 <= newlen; i += 4) {
		memcpy(&w, n + i, 4);
		acc += w;
	}
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	return (uint16_t)~csum_fold((uint32_t)acc);
}

#endif
