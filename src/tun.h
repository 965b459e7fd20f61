/* SPDX-License-Identifier: ISC */
/*
 * tun.h: the tun device tunmapd reads from and writes to.
 */
#ifndef TUNMAPD_TUN_H
#define TUNMAPD_TUN_H

#include <net/if.h>

struct tun {
	int	fd;
	char	name[IFNAMSIZ];
	int	mtu;
};

int	tun_open(struct tun *, const char *, int);
int	tun_set_mtu(struct tun *, int);
void	tun_close(struct tun *);

#endif
