/* SPDX-License-Identifier: ISC */
/*
 * main.c: command line, start-up, signal events and the event loop.
 * Signals are libevent events, so their callbacks run in the loop and
 * may do anything, reloading included.
 */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autoconf.h"
#include "config.h"
#include "instance.h"
#include "log.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/etc"
#endif
#define CONFIG_FILE	SYSCONFDIR "/tunmapd/tunmapd.conf"

struct tunmapd {
	const char		*config_file;
	struct event_base	*base;
	struct instance		 inst;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: tunmapd [-dhnvV] [-f file]\n");
	exit(1);
}

/* Load the configuration or report every error; NULL on errors. */
static struct config *
load(const char *path, int quiet)
{
	struct config_errors	 errs = { NULL, 0 };
	struct config		*c;
	size_t			 i;

	c = config_load(path, &errs);
	for (i = 0; i < errs.n; i++) {
		if (quiet)
			fprintf(stderr, "%s\n", errs.msg[i]);
		else
			log_warnx("%s", errs.msg[i]);
	}
	config_errors_clear(&errs);
	return (c);
}

/* A bad file is reported and changes nothing: the old tables stay. */
static void
reload(struct tunmapd *d)
{
	struct config	*c;

	log_info("reload: reading %s", d->config_file);
	if ((c = load(d->config_file, 0)) == NULL) {
		log_warnx("reload: %s has errors, keeping the running "
		    "configuration", d->config_file);
		return;
	}
	if (instance_reconfigure(&d->inst, c) == 0)
		log_info("reload: done, %zu eam entries", c->neam);
	config_free(c);
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct tunmapd	*d = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		reload(d);
		break;
	case SIGUSR1:
		instance_log_stats(&d->inst);
		break;
	case SIGTERM:
	case SIGINT:
		log_info("exiting on signal %d", (int)sig);
		event_base_loopexit(d->base, NULL);
		break;
	}
}

static void
signals_add(struct tunmapd *d, struct event **evs)
{
	static const int sigs[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
	size_t		 i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		evs[i] = evsignal_new(d->base, sigs[i], signal_cb, d);
		if (evs[i] == NULL || event_add(evs[i], NULL) == -1)
			fatalx("signal %d: cannot add the event", sigs[i]);
	}
}

int
main(int argc, char *argv[])
{
	struct tunmapd	 d;
	struct config	*c;
	struct event	*sigevs[4];
	char		*abspath = NULL;
	int		 ch, debug = 0, check = 0, verbose = 0;
	size_t		 i;

	memset(&d, 0, sizeof d);
	d.config_file = CONFIG_FILE;
	while ((ch = getopt(argc, argv, "df:hnvV")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			d.config_file = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'V':
			printf("tunmapd %s\n", PACKAGE_VERSION);
			return (0);
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	/* daemon() moves to /: reloads need the file's absolute path. */
	if (d.config_file[0] != '/' && !check) {
		if ((abspath = realpath(d.config_file, NULL)) == NULL)
			fatal("%s", d.config_file);
		d.config_file = abspath;
	}

	if (check) {
		if ((c = load(d.config_file, 1)) == NULL)
			return (1);
		if (verbose)
			config_print(c, stdout);
		else
			printf("configuration OK\n");
		config_free(c);
		return (0);
	}

	log_init(1, verbose);
	if ((c = load(d.config_file, 0)) == NULL)
		fatalx("%s has errors, not starting", d.config_file);
	if ((d.base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	if (instance_start(&d.inst, d.base, c) == -1)
		fatalx("tun %s: cannot start", c->tun_name);
	log_info("tunmapd %s started: tun %s mtu %d, %zu eam entries%s",
	    PACKAGE_VERSION, d.inst.tun.name, d.inst.tun.mtu, c->neam,
	    c->has_pool6 ? ", pool6" : "");
	config_free(c);

	if (!debug) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		log_init(0, verbose);
		if (event_reinit(d.base) == -1)
			fatalx("cannot reinitialize the event loop");
	}
	signals_add(&d, sigevs);
	event_base_dispatch(d.base);

	instance_log_stats(&d.inst);
	instance_stop(&d.inst);
	for (i = 0; i < sizeof sigevs / sizeof sigevs[0]; i++)
		event_free(sigevs[i]);
	event_base_free(d.base);
	free(abspath);
	return (0);
}
