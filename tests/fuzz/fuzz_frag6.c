/* SPDX-License-Identifier: ISC */
/*
 * fuzz_frag6.c: frag6_next alone.  Input: the MTU in two bytes (big
 * endian, any value, even those below the minimum frag6_next accepts),
 * then the packet from its Fragment header on; the harness puts an IPv6
 * header with the right payload length in front, as siit_4to6 does.
 * Each fragment goes to a buffer of exactly MTU bytes (xlate.c).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t	 ip6[40] = {
		0x60, 0x01, 0x23, 0x45, 0, 0, 44, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0, 0, 0, 0, 0, 0,
		0xcb, 0, 0x71, 0x05,
		0x20, 0x01, 0x0d, 0xb8, 0, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x0a,
	};
	uint8_t			*pk;
	size_t			 mtu, len;

	if (size < 2 || size - 2 > 65535 - 40)
		return (0);
	mtu = (size_t)data[0] << 8 | data[1];
	len = 40 + size - 2;
	if ((pk = malloc(len)) == NULL)
		return (0);
	memcpy(pk, ip6, 40);
	pk[4] = (uint8_t)((len - 40) >> 8);
	pk[5] = (uint8_t)(len - 40);
	memcpy(pk + 40, data + 2, size - 2);
	fz_frag6_check(pk, len, mtu, 0);
	free(pk);
	return (0);
}
