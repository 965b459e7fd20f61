/* SPDX-License-Identifier: ISC */
/*
 * psid.h: RFC 7597 5.1 port sets.  A port is split, from the top, into
 * a bits of offset (A), k bits of PSID, and m bits (j).  With a > 0 the
 * ports whose A is 0 (0-1023 with the default a = 6) belong to no set.
 */
#ifndef TUNMAPD_PSID_H
#define TUNMAPD_PSID_H

#include <stdbool.h>
#include <stdint.h>

#define PSID_OFFSET_DEFAULT	6

/* The PSID of port in the sets of k bits after an offset of a bits. */
static inline uint16_t
psid_of_port(uint16_t port, uint8_t k, uint8_t a)
{
	if (k == 0)
		return (0);
	return ((uint16_t)((port >> (16 - a - k)) & ((1u << k) - 1)));
}

/* Whether port belongs to some port set of these parameters. */
static inline bool
psid_port_in_sets(uint16_t port, uint8_t k, uint8_t a)
{
	return (k == 0 || a == 0 || (port >> (16 - a)) != 0);
}

#endif
