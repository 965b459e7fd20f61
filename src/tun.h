/* SPDX-License-Identifier: ISC */
/*
 * tun.h: the tun device tunmapd reads from and writes to.
 */
#ifndef TUNMAPD_TUN_H
#define TUNMAPD_TUN_H

#include <net/if.h>
#include <stdbool.h>

#define TUN_QUEUES_MAX	64

struct tun {
	int		fd;		/* queue 0 */
	int		qfd[TUN_QUEUES_MAX];
	int		nq;
	char		name[IFNAMSIZ];
	int		mtu;
	bool		vnet;		/* a virtio_net_hdr before each packet */
	unsigned	offloads;	/* TUN_F_* the kernel accepted */
};

int	tun_open(struct tun *, const char *, int, int, bool);
int	tun_set_mtu(struct tun *, int);
void	tun_close(struct tun *);

#endif
