/* SPDX-License-Identifier: ISC */
/*
 * notify.c: the sd_notify(3) protocol of a Type=notify service: READY=1
 * once the tun is up and the loop is about to run, RELOADING=1 when a
 * reload starts and READY=1 again when it ends, STOPPING=1 on the way
 * out, each with a one-line STATUS= for "systemctl status".  Outside
 * systemd (NOTIFY_SOCKET unset) every call does nothing.  A message that
 * cannot be sent is only logged at debug level: the daemon works the
 * same without a supervisor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "daemon.h"
#include "log.h"
#include "notify.h"

static void
notify_send(const char *state)
{
	int	rv;

	if ((rv = sd_notify(0, state)) < 0)
		log_debug("sd_notify: %s", strerror(-rv));
}

/* Started by a service manager that waits for READY=1. */
bool
notify_supervised(void)
{
	const char	*s = getenv("NOTIFY_SOCKET");

	return (s != NULL && *s != '\0');
}

/*
 * Up and serving, at start or after a reload.  The status says what is
 * running and how the last reload went: a refused file is seen in
 * "systemctl status" with its first error.
 */
void
notify_ready(const struct tunmapd *d)
{
	const char	*last = "", *why = "";
	char		*msg;

	if (!notify_supervised())
		return;
	if (d->reload_time != 0 && d->reload_ok)
		last = "; last reload ok";
	else if (d->reload_time != 0) {
		last = "; last reload refused, running configuration kept: ";
		why = d->reload_msg != NULL ? d->reload_msg : "errors";
	}
	/* The first instance, as the log's start line; the others in
	 * "tunmapctl status". */
	if (asprintf(&msg, "READY=1\nSTATUS=tun %s mtu %d, %s%s%s%s",
	    d->inst[0].tun.name, d->inst[0].tun.mtu,
	    instance_describe(&d->conf->inst[0]), d->ninst > 1 ? ", more "
	    "instances" : "", last, why) == -1) {
		notify_send("READY=1");
		return;
	}
	notify_send(msg);
	free(msg);
}

/*
 * A reload has started.  systemd 253 and later want the time it started
 * with it (sd_notify(3)); older ones ignore MONOTONIC_USEC.
 */
void
notify_reloading(void)
{
	struct timespec	 ts;
	char		 msg[96];

	if (!notify_supervised())
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof msg,
	    "RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
	notify_send(msg);
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1\nSTATUS=stopping");
}
