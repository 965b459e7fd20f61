/* SPDX-License-Identifier: ISC */
/*
 * frag.h: cutting an IPv6 packet into fragments (RFC 8200 4.5).
 */
#ifndef TUNMAPD_FRAG_H
#define TUNMAPD_FRAG_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

size_t	frag6_next(const struct pkt *, size_t, size_t *, uint8_t *);

#endif
