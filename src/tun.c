/* SPDX-License-Identifier: ISC */
/*
 * tun.c: opens a tun device (IFF_TUN, no packet information: each read
 * is one IP packet) with one or more queues, sets its MTU and brings it
 * up.  The device is not
 * persistent, so it goes away with the process.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tun.h"

/* Run one SIOC* ioctl on the interface through a throwaway socket. */
static int
tun_ifioctl(unsigned long req, struct ifreq *ifr)
{
	int	s, rv, saved;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	rv = ioctl(s, req, ifr);
	saved = errno;
	close(s);
	errno = saved;
	return (rv);
}

int
tun_set_mtu(struct tun *t, int mtu)
{
	struct ifreq	ifr;

	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, t->name, IFNAMSIZ);
	ifr.ifr_mtu = mtu;
	if (tun_ifioctl(SIOCSIFMTU, &ifr) == -1) {
		log_warn("tun %s: set mtu %d", t->name, mtu);
		return (-1);
	}
	t->mtu = mtu;
	return (0);
}

static int
tun_up(struct tun *t)
{
	struct ifreq	ifr;

	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, t->name, IFNAMSIZ);
	if (tun_ifioctl(SIOCGIFFLAGS, &ifr) == -1) {
		log_warn("tun %s: get flags", t->name);
		return (-1);
	}
	ifr.ifr_flags |= IFF_UP;
	if (tun_ifioctl(SIOCSIFFLAGS, &ifr) == -1) {
		log_warn("tun %s: set up", t->name);
		return (-1);
	}
	return (0);
}

/* Open one queue of the device: the first creates it. */
static int
tun_open_fd(const char *name, short flags, char *got)
{
	struct ifreq	ifr;
	int		fd;

	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) ==
	    -1) {
		log_warn("tun %s: /dev/net/tun", name);
		return (-1);
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = flags;
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		log_warn("tun %s: TUNSETIFF", name);
		close(fd);
		return (-1);
	}
	memcpy(got, ifr.ifr_name, IFNAMSIZ);
	got[IFNAMSIZ - 1] = '\0';
	return (fd);
}

/*
 * Open tun device name with the given MTU, up and non-blocking, with
 * queues queues (IFF_MULTI_QUEUE when more than one: the kernel spreads
 * the flows over them by hash).
 */
int
tun_open(struct tun *t, const char *name, int mtu, int queues)
{
	short	flags = IFF_TUN | IFF_NO_PI;
	int	i;

	for (i = 0; i < TUN_QUEUES_MAX; i++)
		t->qfd[i] = -1;
	t->fd = -1;
	t->nq = 0;
	if (queues < 1 || queues > TUN_QUEUES_MAX) {
		log_warnx("tun %s: %d queues", name, queues);
		return (-1);
	}
	if (queues > 1)
		flags |= IFF_MULTI_QUEUE;
	for (i = 0; i < queues; i++) {
		if ((t->qfd[i] = tun_open_fd(i == 0 ? name : t->name, flags,
		    t->name)) == -1)
			goto fail;
		t->nq++;
	}
	t->fd = t->qfd[0];
	if (tun_set_mtu(t, mtu) == -1 || tun_up(t) == -1)
		goto fail;
	return (0);
fail:
	tun_close(t);
	return (-1);
}

void
tun_close(struct tun *t)
{
	int	i;

	for (i = 0; i < t->nq; i++)
		if (t->qfd[i] != -1)
			close(t->qfd[i]);
	t->nq = 0;
	t->fd = -1;
}
