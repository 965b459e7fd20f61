/* SPDX-License-Identifier: ISC */
/*
 * tunloop.c: a tun device that writes every packet straight back, the
 * floor under any translator on a tun.  It does tunmapd's I/O and
 * nothing else: a libevent loop, a nonblocking fd drained in batches of
 * INSTANCE_BATCH reads, one write per packet.  With -o the device
 * carries a virtio_net_hdr and takes checksum and segmentation offloads
 * (TSO, and USO where the kernel has it); the header goes back unchanged
 * with its packet, so a 64 KB TCP segment crosses the loop in one read
 * and one write.  bench/netbench.sh routes traffic through it.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "instance.h"

#ifndef TUN_F_USO4
#define TUN_F_USO4	0x20
#define TUN_F_USO6	0x40
#endif

/* A 64 KB segment and its virtio_net_hdr. */
#define LOOP_BUFSIZE	(65536 + 64)

struct loop {
	int		fd;
	uint8_t		buf[LOOP_BUFSIZE];
	unsigned long	packets;
	unsigned long	errors;
};

static void
usage(void)
{
	fprintf(stderr, "usage: tunloop [-o] [-m mtu] name\n");
	exit(2);
}

static void
ifioctl(unsigned long req, struct ifreq *ifr, const char *what)
{
	int	s;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (ioctl(s, req, ifr) == -1)
		err(1, "%s %s", what, ifr->ifr_name);
	close(s);
}

/*
 * Offer what tunmapd offers: checksums and TSO, and USO if this kernel
 * knows it (before 6.2 it refuses the whole set).  Returns the flags set.
 */
static unsigned int
set_offload(int fd)
{
	unsigned int	base = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
	unsigned int	uso = base | TUN_F_USO4 | TUN_F_USO6;

	if (ioctl(fd, TUNSETOFFLOAD, uso) == 0)
		return (uso);
	if (ioctl(fd, TUNSETOFFLOAD, base) == -1)
		err(1, "TUNSETOFFLOAD");
	return (base);
}

static int
open_tun(const char *name, int offload, int mtu)
{
	struct ifreq	ifr;
	unsigned int	flags;
	int		fd;

	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		err(1, "/dev/net/tun");
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1)
		err(1, "TUNSETIFF %s", name);
	if (offload) {
		flags = set_offload(fd);
		printf("tunloop: offload%s%s%s\n",
		    flags & TUN_F_CSUM ? " csum" : "",
		    flags & TUN_F_TSO4 ? " tso4 tso6" : "",
		    flags & TUN_F_USO4 ? " uso4 uso6" : "");
	}
	ifr.ifr_mtu = mtu;
	ifioctl(SIOCSIFMTU, &ifr, "set mtu");
	ifioctl(SIOCGIFFLAGS, &ifr, "get flags");
	ifr.ifr_flags |= IFF_UP;
	ifioctl(SIOCSIFFLAGS, &ifr, "set up");
	return (fd);
}

/* tunmapd's read callback with the translation taken out. */
static void
loop_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct loop	*l = arg;
	ssize_t		 n;
	int		 i;

	(void)what;
	for (i = 0; i < INSTANCE_BATCH; i++) {
		n = read(fd, l->buf, sizeof l->buf);
		if (n <= 0) {
			if (n == -1 && errno != EAGAIN && errno != EINTR)
				l->errors++;
			return;
		}
		l->packets++;
		if (write(fd, l->buf, (size_t)n) != n)
			l->errors++;
	}
}

static void
loop_signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

int
main(int argc, char *argv[])
{
	struct event_base	*base;
	struct event		*ev, *term, *intr;
	struct loop		*l;
	int			 ch, offload = 0, mtu = 1500;

	while ((ch = getopt(argc, argv, "m:o")) != -1) {
		switch (ch) {
		case 'm':
			mtu = atoi(optarg);
			if (mtu < 68 || mtu > 65535)
				errx(2, "mtu %s: out of range", optarg);
			break;
		case 'o':
			offload = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	if ((l = calloc(1, sizeof *l)) == NULL)
		err(1, "calloc");
	l->fd = open_tun(argv[optind], offload, mtu);
	if ((base = event_base_new()) == NULL)
		errx(1, "event_base_new");
	ev = event_new(base, l->fd, EV_READ | EV_PERSIST, loop_read_cb, l);
	term = evsignal_new(base, SIGTERM, loop_signal_cb, base);
	intr = evsignal_new(base, SIGINT, loop_signal_cb, base);
	if (ev == NULL || term == NULL || intr == NULL ||
	    event_add(ev, NULL) == -1 || event_add(term, NULL) == -1 ||
	    event_add(intr, NULL) == -1)
		errx(1, "cannot add the events");
	printf("tunloop: %s up\n", argv[optind]);
	fflush(stdout);
	event_base_dispatch(base);
	printf("tunloop: %lu packets, %lu errors\n", l->packets, l->errors);
	event_free(ev);
	event_free(term);
	event_free(intr);
	event_base_free(base);
	close(l->fd);
	free(l);
	return (0);
}
