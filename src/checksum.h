/* SPDX-License-Identifier: ISC */
/*
 * checksum.h: Internet one's-complement checksums (RFC 1071) and their
 * incremental update (RFC 1624).  csum_partial() returns a sum folded to
 * 16 bits, so a handful may be added in 32 bits without overflow.  Words
 * are read in host order: the one's-complement sum is independent
 * of byte order, so a result stored with memcpy is right on the wire.
 */
#ifndef TUNMAPD_CHECKSUM_H
#define TUNMAPD_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

uint32_t	csum_partial(const void *, size_t, uint32_t);
uint16_t	csum_fold(uint32_t);
uint16_t	csum_finish(uint32_t);
uint16_t	csum_replace(uint16_t, uint32_t, uint32_t);

#endif
