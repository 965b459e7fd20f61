/* SPDX-License-Identifier: ISC */
/*
 * main.c: command line, start-up, signal events and the event loop.
 * Signals are libevent events, so their callbacks run in the loop and
 * may do anything, starting a reload included.  Started by systemd
 * (NOTIFY_SOCKET set), the daemon stays in the foreground, logs to
 * syslog (the journal) and reports READY=1 once the loop is about to run.
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
#include "daemon.h"
#include "log.h"
#include "netlink.h"
#include "notify.h"
#include "priv.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/etc"
#endif
#define CONFIG_FILE	SYSCONFDIR "/tunmapd/tunmapd.conf"

static const int	 signals[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
#define NSIGNALS	(sizeof signals / sizeof signals[0])

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: tunmapd [-dhnvV] [-f file] [-u user]\n");
	exit(1);
}

/* Load the configuration or report every error; NULL on errors. */
static struct config *
load(const char *path, int to_stderr)
{
	struct config_errors	 errs = { NULL, 0 };
	struct config		*c;
	size_t			 i;

	c = config_load(path, &errs);
	for (i = 0; i < errs.n; i++) {
		if (to_stderr)
			fprintf(stderr, "%s\n", errs.msg[i]);
		else
			log_warnx("%s", errs.msg[i]);
	}
	config_errors_clear(&errs);
	return (c);
}

/* tunmapd -n: check the file, print it with -v, touch nothing. */
static int
check_config(const char *path, int verbose)
{
	struct config	*c;

	if ((c = load(path, 1)) == NULL)
		return (1);
	if (verbose)
		config_print(c, stdout);
	else
		printf("configuration OK\n");
	config_free(c);
	return (0);
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct tunmapd	*d = arg;
	size_t		 i;

	(void)what;
	switch (sig) {
	case SIGHUP:
		/* One at a time; a SIGHUP meanwhile runs right after. */
		if (reload_start(d, NULL, NULL) == -1 && errno == EBUSY)
			d->reload_again = true;
		break;
	case SIGUSR1:
		for (i = 0; i < d->ninst; i++)
			instance_log_stats(&d->inst[i]);
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
	size_t	i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < NSIGNALS; i++) {
		evs[i] = evsignal_new(d->base, signals[i], signal_cb, d);
		if (evs[i] == NULL || event_add(evs[i], NULL) == -1)
			fatalx("signal %d: cannot add the event", signals[i]);
	}
}

/*
 * Leave the terminal unless -d.  Under systemd the daemon must stay the
 * process that was started (Type=notify), so it only turns to syslog.
 */
static void
detach(struct tunmapd *d, int debug, int verbose)
{
	if (debug)
		return;
	if (!notify_supervised()) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		if (event_reinit(d->base) == -1)
			fatalx("cannot reinitialize the event loop");
	}
	log_init(0, verbose);
}

/* Open every instance's tun and serve its first queue on the loop. */
static void
start_instances(struct tunmapd *d)
{
	const struct config_instance	*c;
	struct snapshot			*s;
	size_t				 i;

	if ((d->inst = calloc(d->conf->ninst, sizeof *d->inst)) == NULL)
		fatal("instances");
	for (i = 0; i < d->conf->ninst; i++) {
		c = &d->conf->inst[i];
		if ((s = snapshot_build(c)) == NULL)
			fatal("tun %s: tables", c->tun_name);
		if (instance_start(&d->inst[i], d->base, c, s) == -1)
			fatalx("tun %s: cannot start", c->tun_name);
		d->ninst = i + 1;
		instance_log_bindings(NULL, c);
		log_info("tun %s: %s, mtu %d, %d queue%s%s",
		    d->inst[i].tun.name, instance_describe(c),
		    d->inst[i].tun.mtu, d->inst[i].nq,
		    d->inst[i].nq == 1 ? "" : "s",
		    c->routes ? "" : ", routes left to the operator");
	}
}

/* Everything fatal happens here, before the loop runs. */
static void
start(struct tunmapd *d, int debug, int verbose, const struct priv_user *u)
{
	size_t	i;

	log_init(1, verbose);
	if ((d->conf = load(d->config_file, 0)) == NULL)
		fatalx("%s has errors, not starting", d->config_file);
	if ((d->base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	start_instances(d);
	if (control_start(d) == -1)
		fatalx("control socket %s: cannot start",
		    d->conf->ctl_socket);
	if (metrics_start(d) == -1)
		fatalx("metrics %s: cannot start", d->conf->metrics_listen);
	/* Last: nothing after this needs more than CAP_NET_ADMIN. */
	if (u->name != NULL && priv_drop(u) == -1)
		fatalx("cannot run as user %s", u->name);
	d->started = time(NULL);
	detach(d, debug, verbose);
	for (i = 0; i < d->ninst; i++)
		if (instance_threads_start(&d->inst[i]) == -1)
			fatalx("tun %s: cannot start its queues",
			    d->inst[i].tun.name);
	log_info("tunmapd %s started: %zu instance%s, tun %s", PACKAGE_VERSION,
	    d->ninst, d->ninst == 1 ? "" : "s", d->inst[0].tun.name);
}

static void
stop(struct tunmapd *d, struct event **sigevs)
{
	size_t	i;

	reload_wait(d);
	for (i = 0; i < d->ninst; i++)
		instance_log_stats(&d->inst[i]);
	metrics_stop(d);
	control_stop(d);
	for (i = 0; i < d->ninst; i++) {
		/* The kernel drops them with the tun, but not with a kept
		 * one. */
		if (d->conf->inst[i].routes)
			nl_routes_sync(&d->inst[i].tun, &d->conf->inst[i],
			    NULL);
		instance_stop(&d->inst[i]);
	}
	free(d->inst);
	for (i = 0; i < NSIGNALS; i++)
		event_free(sigevs[i]);
	event_base_free(d->base);
	config_free(d->conf);
	free(d->reload_msg);
}

int
main(int argc, char *argv[])
{
	struct tunmapd	 d;
	struct event	*sigevs[NSIGNALS];
	struct priv_user	 u = { NULL, 0, 0 };
	char		*abspath = NULL, *user = NULL;
	int		 ch, debug = 0, check = 0, verbose = 0;

	memset(&d, 0, sizeof d);
	d.config_file = CONFIG_FILE;
	while ((ch = getopt(argc, argv, "df:hnu:vV")) != -1) {
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
		case 'u':
			user = optarg;
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
	if (user != NULL && priv_lookup(user, &u) == -1)
		return (1);
	if (check)
		return (check_config(d.config_file, verbose));
	/* daemon() moves to /: reloads need the file's absolute path. */
	if (d.config_file[0] != '/') {
		if ((abspath = realpath(d.config_file, NULL)) == NULL)
			fatal("%s", d.config_file);
		d.config_file = abspath;
	}

	start(&d, debug, verbose, &u);
	signals_add(&d, sigevs);
	notify_ready(&d);
	event_base_dispatch(d.base);
	notify_stopping();
	stop(&d, sigevs);
	free(abspath);
	return (0);
}
