/* SPDX-License-Identifier: ISC */
/*
 * tun.h: the tun device tunmapd reads from and writes to.
 */
#ifndef TUNMAPD_TUN_H
#define TUNMAPD_TUN_H

#include <net/if.h>

#define TUN_QUEUES_MAX	64

struct tun {
	int	fd;			/* queue 0 */
	int	qfd[TUN_QUEUES_MAX];
	int	nq;
	char	name[IFNAMSIZ];
	int	mtu;
};

int	tun_open(struct tun *, const char *, int, int);
int	tun_set_mtu(struct tun *, int);
void	tun_close(struct tun *);

#endif
