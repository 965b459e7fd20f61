/* SPDX-License-Identifier: ISC */
/*
 * siit.h: RFC 7915 stateless IP/ICMP translation of one packet, in place.
 */
#ifndef TUNMAPD_SIIT_H
#define TUNMAPD_SIIT_H

#include "pkt.h"
#include "stats.h"
#include "tables.h"

/* RFC 7915 5.1: IPv4 packets up to this size leave with DF clear. */
#define SIIT_DF_THRESHOLD	1260

enum verdict	siit_4to6(const struct tables *, struct pkt *,
		    enum drop_reason *);
enum verdict	siit_6to4(const struct tables *, struct pkt *,
		    enum drop_reason *);
enum verdict	siit_4to6_hint(const struct tables *, struct pkt *,
		    const struct tables_hint *, enum drop_reason *);
enum verdict	siit_6to4_hint(const struct tables *, struct pkt *,
		    const struct tables_hint *, enum drop_reason *);

#endif
