/* SPDX-License-Identifier: ISC */
/*
 * control.h: the protocol of the control socket, shared by tunmapd and
 * tunmapctl(8).  A client connects, writes one request line, words
 * separated by blanks, and reads the reply to its end: a first line "ok"
 * or "error: <message>", then the body.  The daemon closes the
 * connection when the reply is complete.
 */
#ifndef TUNMAPD_CONTROL_H
#define TUNMAPD_CONTROL_H

#define CTL_LINE_MAX	1024	/* bytes of a request, newline excluded */
#define CTL_PAGE_MAX	10000	/* "show mappings": rows per request */
/* "show bindings": a row lists the ports, up to BINDINGS_LINE_MAX bytes */
#define CTL_BINDINGS_PAGE_MAX	1000

#endif
