/* SPDX-License-Identifier: ISC */
/*
 * control.c: the UNIX control socket that tunmapctl(8) talks to.
 */
#include "daemon.h"

int
control_start(struct tunmapd *d)
{
	(void)d;
	return (0);
}

void
control_stop(struct tunmapd *d)
{
	(void)d;
}
