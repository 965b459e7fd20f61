/* SPDX-License-Identifier: ISC */
/*
 * fuzz.h: what the libFuzzer harnesses share.  xlate.c turns the first
 * bytes of an input into translation tables and checks everything a
 * translation must leave true; conffile.c gives the config harnesses their
 * files and keeps config_load() away from every other file on the machine.
 */
#ifndef TUNMAPD_FUZZ_H
#define TUNMAPD_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tables.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/* Stop with a message; libFuzzer keeps the input as a crash. */
#define FZ_ASSERT(cond, ...) do {					\
	if (!(cond))							\
		fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);	\
} while (0)

/* No coverage feedback for an oracle's loops: it would only slow them. */
#define FZ_NOCOV	__attribute__((no_sanitize("coverage")))

/* fuzz.c */
void	fz_fail(const char *, int, const char *, const char *, ...)
	    __attribute__((format(printf, 4, 5), noreturn));
void	fz_hexdump(const char *, const uint8_t *, size_t);

/* xlate.c */
#define FZ_OPTBYTES	4	/* options at the start of an input */

/*
 * A mutated header rarely keeps its checksum right, and a packet with a
 * wrong one goes no further than the check: these make it right first.
 */
#define FZ_FIX_IP4	0x01	/* the IPv4 header checksum */
#define FZ_FIX_L4	0x02	/* TCP, UDP (unless 0), ICMP, ICMPv6 */
#define FZ_FIX_INNER	0x04	/* those of the packet in an ICMP error */

struct fz_opts {
	struct tables	*t;
	size_t		 tail;	/* free bytes after the packet */
	uint8_t		 fix;	/* FZ_FIX_* */
};

bool	fz_opts(const uint8_t *, struct fz_opts *);
void	fz_fix(int, uint8_t *, size_t, uint8_t);
void	fz_xlate(const struct fz_opts *, int, const uint8_t *, size_t);
void	fz_frag6_check(const uint8_t *, size_t, size_t, int);

/* fuzz.c */
uint16_t fz_sum(const uint8_t *, size_t, uint32_t);

/* conffile.c */
struct config;
struct config_errors;

const char *fz_file_new(const char *);
void	fz_file_put(const char *, const void *, size_t);
size_t	fz_file_lines(const char *);
void	fz_guard(bool);
void	fz_check_errors(const struct config_errors *);
void	fz_check_config(const char *, const struct config *);

/* bindcheck.c */
struct binding_list;

void	fz_check_bindings(const struct binding_list *, const char *,
	    const char *);

#endif
