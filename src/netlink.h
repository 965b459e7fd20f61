/* SPDX-License-Identifier: ISC */
/*
 * netlink.h: the routes that send tunmapd's prefixes into its tun device,
 * installed, diffed and removed through rtnetlink (libmnl).
 */
#ifndef TUNMAPD_NETLINK_H
#define TUNMAPD_NETLINK_H

#include "tun.h"

struct config;

int	nl_routes_sync(const struct tun *, const struct config *,
	    const struct config *);

#endif
