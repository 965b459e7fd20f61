/* SPDX-License-Identifier: ISC */
/*
 * tun.c: opens a tun device (IFF_TUN, no packet information: each read
 * is one IP packet) with one or more queues, sets its MTU and brings it
 * up.  The device is not persistent, so it goes away with the process.  With offloads, each
 * packet comes and goes behind a struct virtio_net_hdr (IFF_VNET_HDR),
 * and the kernel may hand over TCP and UDP super-packets and packets
 * with their checksum left to do (vnet.c).
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
#include "vnet.h"

/* Newer than some <linux/if_tun.h>: UDP segmentation (Linux 6.2). */
#ifndef TUN_F_USO4
#define TUN_F_USO4	0x20
#define TUN_F_USO6	0x40
#endif

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

/*
 * Ask for the most the kernel gives: checksums, TCP and UDP segmentation.
 * A kernel refuses the whole set if it does not know one flag, so fall
 * back a step at a time, and say once what is on.
 */
static void
tun_offload(struct tun *t)
{
	static const unsigned	 try[] = {
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN |
		    TUN_F_USO4 | TUN_F_USO6,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN,
		TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
		TUN_F_CSUM,
	};
	size_t			 i;

	t->offloads = 0;
	for (i = 0; i < sizeof try / sizeof try[0]; i++)
		if (ioctl(t->fd, TUNSETOFFLOAD, try[i]) == 0) {
			t->offloads = try[i];
			break;
		}
	if (t->offloads == 0) {
		log_warn("tun %s: TUNSETOFFLOAD: offloads off", t->name);
		return;
	}
	log_info("tun %s: offloads: checksum%s%s%s", t->name,
	    (t->offloads & TUN_F_TSO4) ? ", TCP segmentation" : "",
	    (t->offloads & TUN_F_TSO_ECN) ? " with ECN" : "",
	    (t->offloads & TUN_F_USO4) ? ", UDP segmentation" : "");
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
 * No IPv6 link-local address on the tun: the kernel would send its own
 * router solicitations and MLD reports into it, packets nobody should
 * translate, and they would show up as drops.  The device works without
 * one; a kernel without IPv6 has nothing to turn off.
 */
static void
tun_no_linklocal(const struct tun *t)
{
	char	path[96];
	int	fd;

	snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/addr_gen_mode",
	    t->name);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
		log_debug("tun %s: %s: %s", t->name, path, strerror(errno));
		return;
	}
	if (write(fd, "1", 1) != 1)
		log_debug("tun %s: addr_gen_mode: %s", t->name,
		    strerror(errno));
	close(fd);
}

/* The header size and offloads belong to the device: set them once. */
static int
tun_vnet(struct tun *t)
{
	int	hlen = VNET_HLEN;

	if (ioctl(t->fd, TUNSETVNETHDRSZ, &hlen) == -1) {
		log_warn("tun %s: TUNSETVNETHDRSZ", t->name);
		return (-1);
	}
	t->vnet = true;
	tun_offload(t);
	return (0);
}

/*
 * Open tun device name with the given MTU, up and non-blocking, with
 * offloads if asked and if the kernel has them, and queues queues
 * (IFF_MULTI_QUEUE when more than one: the kernel spreads the flows over
 * them by hash).
 */
int
tun_open(struct tun *t, const char *name, int mtu, int queues, bool offload)
{
	short	flags = IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0);
	int	i;

	t->vnet = false;
	t->offloads = 0;
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
	if (offload && tun_vnet(t) == -1)
		goto fail;
	tun_no_linklocal(t);
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
