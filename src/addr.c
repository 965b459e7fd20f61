/* SPDX-License-Identifier: ISC */
/*
 * addr.c: address and prefix parsing and printing, and RFC 6052 section 2.2
 * address translation at every prefix length it allows.  Pure functions.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

/* Split "a/len"; the address part goes to buf.  -1 with *why on error. */
static int
addr_split(const char *s, char *buf, size_t size, int max, int *len,
    const char **why)
{
	const char	*slash;
	char		*end;
	long		 l;
	size_t		 n;

	slash = strchr(s, '/');
	n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= size) {
		*why = "not an address";
		return (-1);
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	*len = max;
	if (slash == NULL)
		return (0);
	if (slash[1] < '0' || slash[1] > '9') {
		*why = "bad prefix length";
		return (-1);
	}
	l = strtol(slash + 1, &end, 10);
	if (*end != '\0' || l < 0 || l > max) {
		*why = "bad prefix length";
		return (-1);
	}
	*len = (int)l;
	return (0);
}

/* Parse "192.0.2.1" or "192.0.2.0/24"; host bits must be zero. */
int
addr_parse4(const char *s, struct prefix4 *p, const char **why)
{
	char		 buf[INET_ADDRSTRLEN];
	struct in_addr	 a;
	int		 len;

	if (addr_split(s, buf, sizeof buf, 32, &len, why) == -1)
		return (-1);
	if (inet_pton(AF_INET, buf, &a) != 1) {
		*why = "not an IPv4 address";
		return (-1);
	}
	if ((a.s_addr & ~addr_mask4(len)) != 0) {
		*why = "host bits set after the prefix length";
		return (-1);
	}
	p->addr = a.s_addr;
	p->len = len;
	return (0);
}

/* Parse "2001:db8::1" or "2001:db8::/32"; host bits must be zero. */
int
addr_parse6(const char *s, struct prefix6 *p, const char **why)
{
	char		 buf[INET6_ADDRSTRLEN];
	struct in6_addr	 a, m;
	int		 len;

	if (addr_split(s, buf, sizeof buf, 128, &len, why) == -1)
		return (-1);
	if (inet_pton(AF_INET6, buf, &a) != 1) {
		*why = "not an IPv6 address";
		return (-1);
	}
	m = a;
	addr_mask6(&m, len);
	if (memcmp(&m, &a, sizeof a) != 0) {
		*why = "host bits set after the prefix length";
		return (-1);
	}
	p->addr = a;
	p->len = len;
	return (0);
}

/* Print a prefix; the length is left out for a host (/32). */
const char *
addr_str4(const struct prefix4 *p, char *buf, size_t size)
{
	char	a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &p->addr, a, sizeof a);
	if (p->len == 32)
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s/%u", a, p->len);
	return (buf);
}

/* Print a prefix; the length is left out for a host (/128). */
const char *
addr_str6(const struct prefix6 *p, char *buf, size_t size)
{
	char	a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &p->addr, a, sizeof a);
	if (p->len == 128)
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s/%u", a, p->len);
	return (buf);
}

/* Clear every bit of a past the first len. */
void
addr_mask6(struct in6_addr *a, uint8_t len)
{
	int	i;

	for (i = 0; i < 16; i++) {
		if (len >= 8)
			len -= 8;
		else {
			a->s6_addr[i] &= (uint8_t)(0xff00 >> len);
			len = 0;
		}
	}
}

/* Whether a lies inside p. */
bool
addr_in6(const struct prefix6 *p, const struct in6_addr *a)
{
	struct in6_addr	m = *a;

	addr_mask6(&m, p->len);
	return (memcmp(&m, &p->addr, sizeof m) == 0);
}

/* RFC 6052 2.2 allows exactly these prefix lengths. */
bool
addr_valid6052_len(uint8_t len)
{
	return (len == 32 || len == 40 || len == 48 || len == 56 ||
	    len == 64 || len == 96);
}

/*
 * Byte positions of the four IPv4 octets for each prefix length: bits
 * 64-71 (byte 8, the "u" octet) are always skipped and left zero.
 */
static const uint8_t *
addr_6052_pos(uint8_t len)
{
	static const uint8_t pos[6][4] = {
		{ 4, 5, 6, 7 },		/* /32 */
		{ 5, 6, 7, 9 },		/* /40 */
		{ 6, 7, 9, 10 },	/* /48 */
		{ 7, 9, 10, 11 },	/* /56 */
		{ 9, 10, 11, 12 },	/* /64 */
		{ 12, 13, 14, 15 },	/* /96 */
	};

	switch (len) {
	case 32:
		return (pos[0]);
	case 40:
		return (pos[1]);
	case 48:
		return (pos[2]);
	case 56:
		return (pos[3]);
	case 64:
		return (pos[4]);
	default:
		return (pos[5]);
	}
}

/* addr_embed6052() at any prefix length. */
void
addr_embed6052_any(const struct prefix6 *p, uint32_t v4, struct in6_addr *out)
{
	const uint8_t	*pos = addr_6052_pos(p->len);
	uint8_t		 b[4];
	int		 i;

	memcpy(b, &v4, 4);
	*out = p->addr;
	for (i = 0; i < 4; i++)
		out->s6_addr[pos[i]] = b[i];
}

/* addr_extract6052() at any prefix length. */
bool
addr_extract6052_any(const struct prefix6 *p, const struct in6_addr *a,
    uint32_t *v4)
{
	const uint8_t	*pos = addr_6052_pos(p->len);
	uint8_t		 b[4];
	int		 i, next;

	if (!addr_in6(p, a))
		return (false);
	next = p->len / 8;
	for (i = 0; i < 4; i++)
		b[i] = a->s6_addr[pos[i]];
	/* Every byte after the prefix that does not carry IPv4 must be 0. */
	for (i = next; i < 16; i++) {
		if (i == pos[0] || i == pos[1] || i == pos[2] || i == pos[3])
			continue;
		if (a->s6_addr[i] != 0)
			return (false);
	}
	memcpy(v4, b, 4);
	return (true);
}
