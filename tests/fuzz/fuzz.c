/* SPDX-License-Identifier: ISC */
/*
 * fuzz.c: failure reports and the reference checksum of the harnesses.
 * The checksum is a plain RFC 1071 sum of big-endian words read byte by
 * byte, sharing nothing with src/checksum.c, so it is an oracle for the
 * incremental updates the translator makes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

/* Print a failed invariant and abort, so libFuzzer saves the input. */
void
fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "\n==INVARIANT== %s:%d: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

void
fz_hexdump(const char *what, const uint8_t *p, size_t len)
{
	size_t	i;

	fprintf(stderr, "%s (%zu bytes):", what, len);
	for (i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 32 == 0 ? "\n  " : "", p[i]);
	fputc('\n', stderr);
}

/* RFC 1071: the folded one's-complement sum of len bytes, plus acc. */
uint16_t
fz_sum(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		acc += i % 2 == 0 ? (uint32_t)p[i] << 8 : p[i];
		acc = (acc & 0xffff) + (acc >> 16);
	}
	while (acc > 0xffff)
		acc = (acc & 0xffff) + (acc >> 16);
	return ((uint16_t)acc);
}
