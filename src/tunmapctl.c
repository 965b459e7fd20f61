/* SPDX-License-Identifier: ISC */
/* tunmapctl.c: the operator's command line over the control socket. */
#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "tunmapctl: not built yet\n");
	return (1);
}
