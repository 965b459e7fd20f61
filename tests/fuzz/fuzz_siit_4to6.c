/* SPDX-License-Identifier: ISC */
/*
 * fuzz_siit_4to6.c: siit_4to6 on any bytes.  The first FZ_OPTBYTES bytes
 * choose the tables, the tail room and the checksums to make right
 * (xlate.c); the rest is the IPv4 packet as read from the tun.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tables.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_opts	 o;
	uint8_t		*pk;
	size_t		 n;

	if (size < FZ_OPTBYTES)
		return (0);
	n = size - FZ_OPTBYTES;
	if ((pk = malloc(n > 0 ? n : 1)) == NULL)
		return (0);
	if (fz_opts(data, &o)) {
		memcpy(pk, data + FZ_OPTBYTES, n);
		fz_fix(0, pk, n, o.fix);
		fz_xlate(&o, 0, pk, n);
		tables_free(o.t);
	}
	free(pk);
	return (0);
}
