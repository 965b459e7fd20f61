/* SPDX-License-Identifier: ISC */
/*
 * fuzz_reasm.c: reassembly over sequences of fragments.  Input: three
 * bytes of limits (packets 1-8, fragments 1-16, timeout 10-2560 ms),
 * then records, each an op byte and its arguments:
 *
 *   op & 3 == 0  raw packet: length (2 bytes; bit 15 asks for a right
 *                IPv4 header checksum), then the bytes.  Its source
 *                address is overwritten, so that it never joins a packet
 *                made of generated fragments.  An IPv6 one that is no
 *                fragment goes on to reasm_input_4in6.
 *   op & 3 == 1  generated IPv4 fragment, op & 3 == 2 IPv6: 4 bytes.
 *                b0: bits 0-1 identification, 2 protocol (IPv4) or the
 *                Fragment header's Next Header (IPv6), 3-4 the number
 *                of option words or Destination Options headers, 5 a
 *                buffer with 0-63 bytes of tail room only, 6 a wrong IPv4
 *                checksum, 7 three bytes shorter; b1-b2 offset (8-byte
 *                units, bits 0-12) and M (bit 15); b3 length in 8-byte
 *                units.  Byte i of the fragmentable part of packet id
 *                is pattern(id, i), so a reassembled packet can be
 *                checked byte by byte.
 *   op & 3 == 3  bit 2 set: new limits from the next 3 bytes; clear:
 *                reasm_expire().
 *
 * Every op but the limits advances the clock by (op >> 3) x 32 ms.
 * FZ_TRACE=1 prints the outcome of each fragment.
 * Checked after each: the outcome and the buffer agree (untouched but
 * for DONE), a whole packet is well formed and within its buffer, the
 * counts held never exceed the limits nor memory its bound, and every
 * fragment held is accounted for.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksum.h"
#include "fuzz.h"
#include "pkt.h"
#include "reasm.h"

#define BUFMAX		(PKT_HEADROOM + PKT_MAXLEN + 64)
#define GEN_SRC4	0xc0, 0x00, 0x02, 0x01		/* 192.0.2.1 */
#define RAW_SRC4	0xc0, 0x00, 0x02, 0xc8		/* 192.0.2.200 */

static const uint8_t	gen_src6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xb4,
			    [15] = 1 };
static const uint8_t	raw_src6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0xba,
			    [15] = 0xd };
static const uint8_t	dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff,
			    [15] = 1 };

struct input {
	const uint8_t	*p;
	size_t		 left;
};

static bool
take(struct input *in, size_t n, const uint8_t **out)
{
	if (in->left < n)
		return (false);
	*out = in->p;
	in->p += n;
	in->left -= n;
	return (true);
}

static uint8_t
pattern(unsigned id, size_t i)
{
	return ((uint8_t)(i * 131 + (i >> 8) + id * 7));
}

static void
limits(const uint8_t *b, struct reasm_limits *l)
{
	l->packets = 1 + b[0] % 8;
	l->fragments = 1 + b[1] % 16;
	l->timeout_ms = 10 * (1 + (uint32_t)b[2]);
}

static void
fix4(uint8_t *h)
{
	uint16_t	ck;

	memset(h + 10, 0, 2);
	ck = csum_finish(csum_partial(h, (size_t)(h[0] & 0x0f) * 4, 0));
	memcpy(h + 10, &ck, 2);
}

/* A generated fragment, built in out; returns its length. */
static size_t
gen(uint8_t *out, int v, const uint8_t *a)
{
	size_t		 hl, off = (get16(a + 1) & 0x1fff) * 8, len, i;
	unsigned	 id = a[0] & 3, words = a[0] >> 3 & 3;
	bool		 more = (a[1] & 0x80) != 0;
	static const uint8_t	src4[4] = { GEN_SRC4 };

	len = (size_t)a[3] * 8;
	if ((a[0] & 0x80) && len >= 3)
		len -= 3;
	if (v == 4) {
		hl = 20 + 4 * words;
		memset(out, 0, hl);
		out[0] = (uint8_t)(0x40 | hl / 4);
		put16(out + 2, hl + len);
		put16(out + 4, id);
		put16(out + 6, off / 8 | (more ? 0x2000 : 0));
		out[8] = 64;
		out[9] = (a[0] & 4) ? 6 : 17;
		memcpy(out + 12, src4, 4);
		out[16] = 198, out[17] = 51, out[18] = 100, out[19] = 7;
		memset(out + 20, 1, hl - 20);	/* NOPs */
		fix4(out);
		if (a[0] & 0x40)
			out[10] ^= 0x55;
	} else {
		hl = 40 + 8 * words + 8;
		memset(out, 0, hl);
		out[0] = 0x60;
		put16(out + 4, hl - 40 + len);
		out[6] = words > 0 ? 60 : 44;
		out[7] = 64;
		memcpy(out + 8, gen_src6, 16);
		memcpy(out + 24, dst6, 16);
		for (i = 0; i < words; i++)
			out[40 + 8 * i] = i + 1 < words ? 60 : 44;
		out[hl - 8] = (a[0] & 4) ? 6 : 17;
		put16(out + hl - 6, off | more);
		out[hl - 1] = (uint8_t)id;
	}
	for (i = 0; i < len; i++)
		out[hl + i] = pattern(id, off + i);
	return (hl + len);
}

/* A whole packet made of generated fragments: its data is the pattern. */
static void
check_generated(const uint8_t *h, size_t len)
{
	size_t		 at, i;
	unsigned	 id;
	uint8_t		 nh;

	if (h[0] >> 4 == 4) {
		at = (size_t)(h[0] & 0x0f) * 4;
		id = get16(h + 4);
	} else {
		for (at = 40, nh = h[6]; nh == 60; at += 8)
			nh = h[at];
		FZ_ASSERT(nh == 17 || nh == 6, "next header %u", nh);
		id = 0;
		/* The id is gone with the Fragment header: try each. */
		while (id < 4 && len > at && h[at] != pattern(id, 0))
			id++;
	}
	FZ_ASSERT(at <= len, "headers %zu > %zu", at, len);
	for (i = at; i < len; i++)
		if (h[i] != pattern(id, i - at)) {
			fz_hexdump("packet", h, len);
			FZ_ASSERT(0, "byte %zu of the data is wrong", i - at);
		}
}

/* A packet that comes out whole is a well-formed unfragmented one. */
static void
check_whole(const struct pkt *p, const uint8_t *buf, size_t bufsize,
    bool generated)
{
	const uint8_t	*h = p->data;

	FZ_ASSERT(p->data >= buf && p->head == (size_t)(p->data - buf) &&
	    p->head + p->len + p->tail == bufsize, "bounds");
	FZ_ASSERT(p->len >= 20, "length %zu", p->len);
	if (h[0] >> 4 == 4) {
		FZ_ASSERT(get16(h + 2) == p->len, "total length");
		FZ_ASSERT((get16(h + 6) & 0x3fff) == 0, "still a fragment");
		FZ_ASSERT(csum_fold(csum_partial(h, (size_t)(h[0] & 15) * 4,
		    0)) == 0xffff, "header checksum");
	} else {
		FZ_ASSERT(h[0] >> 4 == 6 && p->len >= 40, "version");
		FZ_ASSERT(get16(h + 4) + 40U == p->len, "payload length");
	}
	if (generated)
		check_generated(h, p->len);
}

static void
check_stats(const struct reasm *r, const struct reasm_limits *l)
{
	const struct reasm_stats	*s = reasm_stats(r);

	FZ_ASSERT(s->packets <= l->packets, "%u packets held",
	    s->packets);
	FZ_ASSERT(s->fragments <= s->packets * l->fragments,
	    "%u fragments held", s->fragments);
	FZ_ASSERT(s->memory <= reasm_memory_bound(l), "memory %zu",
	    s->memory);
	FZ_ASSERT(s->n[REASM_WHY_HELD] == s->discarded + s->used +
	    s->fragments, "fragments unaccounted for");
}

/*
 * One fragment or packet through reasm_input (or, tunnelled, through
 * reasm_input_4in6), and the checks.  Returns its outcome.
 */
static enum reasm_result
feed1(struct reasm *r, const uint8_t *pk, size_t len, size_t tail,
    uint64_t now, bool generated, bool tunnelled)
{
	uint8_t			*buf;
	size_t			 size = PKT_HEADROOM + len + tail;
	struct pkt		 p;
	enum reasm_result	 res;
	enum reasm_why		 why;

	if ((buf = malloc(size)) == NULL)
		return (REASM_DROP);
	memcpy(buf + PKT_HEADROOM, pk, len);
	p.data = buf + PKT_HEADROOM;
	p.len = len;
	p.head = PKT_HEADROOM;
	p.tail = tail;
	if (tunnelled)
		res = reasm_input_4in6(r, &p, now, &why);
	else
		res = reasm_input(r, &p, now, &why);
	if (getenv("FZ_TRACE") != NULL)
		fprintf(stderr, "t=%llu len %zu: %s\n",
		    (unsigned long long)now, len, reasm_why_name(why));
	switch (res) {
	case REASM_NOT_FRAGMENT:
		FZ_ASSERT(why == REASM_WHY_NONE, "why %d", why);
		break;
	case REASM_HELD:
		FZ_ASSERT(why == REASM_WHY_HELD, "why %d", why);
		break;
	case REASM_DONE:
		FZ_ASSERT(why == REASM_WHY_DONE || why == REASM_WHY_ATOMIC,
		    "why %d", why);
		if (why == REASM_WHY_ATOMIC)
			FZ_ASSERT(p.len <= len - 8, "atomic length");
		check_whole(&p, buf, size, generated);
		break;
	case REASM_DROP:
		FZ_ASSERT(why > REASM_WHY_ATOMIC && why < REASM_WHY_MAX,
		    "why %d", why);
		break;
	}
	if (res != REASM_DONE)
		FZ_ASSERT(p.data == buf + PKT_HEADROOM && p.len == len &&
		    p.tail == tail && memcmp(p.data, pk, len) == 0,
		    "packet changed (%s)", reasm_why_name(why));
	if (res == REASM_DONE && tunnelled)
		FZ_ASSERT(why == REASM_WHY_DONE, "why %d", why);
	free(buf);
	return (res);
}

static void
feed(struct reasm *r, const uint8_t *pk, size_t len, size_t tail,
    uint64_t now, bool generated)
{
	if (feed1(r, pk, len, tail, now, generated, false) ==
	    REASM_NOT_FRAGMENT && !generated && len > 0 && pk[0] >> 4 == 6)
		feed1(r, pk, len, tail, now, false, true);
}

static void
raw(uint8_t *pk, size_t len, bool fix)
{
	static const uint8_t	src4[4] = { RAW_SRC4 };

	if (len >= 20 && pk[0] >> 4 == 4) {
		memcpy(pk + 12, src4, 4);
		if (fix && (size_t)(pk[0] & 0x0f) * 4 <= len &&
		    (pk[0] & 0x0f) >= 5)
			fix4(pk);
	} else if (len >= 40 && pk[0] >> 4 == 6)
		memcpy(pk + 8, raw_src6, 16);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input		 in = { data, size };
	struct reasm_limits	 l;
	struct reasm		*r;
	static uint8_t		 pk[PKT_MAXLEN + 64];
	const uint8_t		*b;
	uint64_t		 now = 1000;
	size_t			 len;
	uint8_t			 op;

	if (!take(&in, 3, &b))
		return (0);
	limits(b, &l);
	if ((r = reasm_new(&l)) == NULL)
		abort();
	while (take(&in, 1, &b)) {
		op = b[0];
		if ((op & 3) != 3 || !(op & 4))
			now += (uint64_t)(op >> 3) * 32;
		switch (op & 3) {
		case 0:
			if (!take(&in, 2, &b))
				break;
			len = get16(b) & 0x7fff;
			if (len > in.left)
				len = in.left;
			memcpy(pk, in.p, len);
			in.p += len;
			in.left -= len;
			raw(pk, len, (b[0] & 0x80) != 0);
			feed(r, pk, len, PKT_MAXLEN + 64 - len, now, false);
			break;
		case 1:
		case 2:
			if (!take(&in, 4, &b))
				break;
			len = gen(pk, (op & 3) == 1 ? 4 : 6, b);
			feed(r, pk, len, (b[0] & 0x20) ? b[3] % 64 :
			    PKT_MAXLEN + 64 - len, now, true);
			break;
		default:
			if (!(op & 4))
				reasm_expire(r, now);
			else if (take(&in, 3, &b)) {
				limits(b, &l);
				FZ_ASSERT(reasm_set_limits(r, &l) == 0,
				    "set_limits");
			}
			break;
		}
		check_stats(r, &l);
	}
	reasm_free(r);
	return (0);
}
