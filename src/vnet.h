/* SPDX-License-Identifier: ISC */
/*
 * vnet.h: the virtio_net_hdr in front of each packet of a tun with
 * offloads: read into struct pkt, moved with a translation, written
 * back; and the work the kernel would have done, done here when a
 * packet cannot stay unfinished.
 */
#ifndef TUNMAPD_VNET_H
#define TUNMAPD_VNET_H

#include <stddef.h>
#include <stdint.h>

#include "pkt.h"
#include "stats.h"

#define VNET_HLEN	10	/* struct virtio_net_hdr */

enum verdict	vnet_parse(const uint8_t *, struct pkt *, enum drop_reason *);
void		vnet_moved(struct pkt *, const uint8_t *);
void		vnet_write(const struct pkt *, uint8_t *);
void		vnet_complete(struct pkt *);
size_t		vnet_l4seg(const struct pkt *, size_t);
size_t		vnet_segment(const struct pkt *, size_t *, uint8_t *, size_t);

#endif
