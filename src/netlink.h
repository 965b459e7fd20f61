/* SPDX-License-Identifier: ISC */
/*
 * netlink.h: the routes that send tunmapd's prefixes into its tun device,
 * installed, diffed and removed through rtnetlink (libmnl).  The route
 * set of a configuration and the difference of two sets are pure, so
 * tests can check them without a kernel.
 */
#ifndef TUNMAPD_NETLINK_H
#define TUNMAPD_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "tun.h"

/*
 * The rtm_protocol of every route tunmapd installs: "ip route show proto
 * 109" lists them.  Free in the kernel's and iproute2's lists of
 * protocols (0x6d, "m" for map).
 */
#define NL_RTPROT_TUNMAPD	109

struct config_instance;

/* One prefix routed into the tun. */
struct nl_route {
	uint8_t	family;		/* AF_INET or AF_INET6 */
	uint8_t	len;
	uint8_t	addr[16];	/* network byte order; AF_INET uses 4 */
};

struct nl_route	*nl_route_set(const struct config_instance *, size_t *);
int		 nl_route_cmp(const void *, const void *);
size_t		 nl_route_minus(const struct nl_route *, size_t,
		    const struct nl_route *, size_t, struct nl_route *);
const char	*nl_route_str(const struct nl_route *, char *, size_t);

int	nl_routes_sync(const struct tun *, const struct config_instance *,
	    const struct config_instance *);

#endif
