/* SPDX-License-Identifier: ISC */
/*
 * config.h: the validated configuration.  config_load() builds a new one
 * from a file, or gives every error found as "file:line: message" and
 * touches nothing.
 */
#ifndef TUNMAPD_CONFIG_H
#define TUNMAPD_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>

#include "addr.h"
#include "bindings.h"
#include "softwire.h"

#define CONFIG_MTU_MIN		1280
#define CONFIG_MTU_MAX		65535
#define CONFIG_MTU_DEFAULT	1500
#define CONFIG_TUN_DEFAULT	"tunmap0"
#define CONFIG_LOWEST_MTU	1280
#define CONFIG_POOL6791_4	"192.0.0.8"	/* RFC 7600 dummy address */
#define CONFIG_ICMP_RATE	100		/* own errors a second */
#define CONFIG_ICMP_BURST	50
#define CONFIG_QUEUES_MAX	64
#define CONFIG_SW_HOP_LIMIT	64
#define CONFIG_REASM_PACKETS	1024
#define CONFIG_REASM_FRAGMENTS	64
#define CONFIG_REASM_TIMEOUT	2000		/* ms */
#ifndef RUNSTATEDIR
#define RUNSTATEDIR		"/run"
#endif
#define CONFIG_CTL_SOCKET	RUNSTATEDIR "/tunmapd/tunmapd.sock"

struct config_eam {
	struct prefix4	 p4;
	struct prefix6	 p6;
	int		 line;
	int		 index;		/* in siit.eam, or -1: eam-file */
};

/* What an instance does with the packets of its tun. */
enum config_mode {
	MODE_SIIT,
	MODE_SOFTWIRE,
};

/* One tun device and what it does: a tun group plus siit or softwire. */
struct config_instance {
	int			 line;		/* where it is defined */
	enum config_mode	 mode;
	char			 tun_name[IFNAMSIZ];
	int			 mtu;
	bool			 routes;	/* install routes by netlink */
	bool			 offload;	/* IFF_VNET_HDR, GSO/TSO */
	int			 queues;	/* tun queues, one loop each */

	/* siit */
	bool			 has_pool6;
	struct prefix6		 pool6;
	struct config_eam	*eam;
	size_t			 neam;
	char			*eam_file;	/* resolved path, or NULL */
	struct prefix4		*deny4;
	size_t			 ndeny4;
	bool			 allow_wkp_nonglobal;
	bool			 copy_tos;
	bool			 one_hop;
	bool			 udp0_compute;
	int			 lowest_mtu;
	struct prefix4		 pool6791_4;
	bool			 has_pool6791_6;
	struct prefix6		 pool6791_6;
	int			 icmp_rate;
	int			 icmp_burst;

	/* softwire */
	struct sw_settings	 sw;
	struct binding_list	 bind;
	char			*bindings_file;	/* resolved path, or NULL */
	struct sw_route		*swroutes;
	size_t			 nswroutes;
};

struct config {
	char			*path;
	char			*ctl_socket;
	char			*ctl_group;	/* NULL: the daemon's group */
	char			*metrics_listen;	/* NULL: off */
	struct config_instance	*inst;
	size_t			 ninst;
};

/* Messages found while loading; each is "file:line: message". */
struct config_errors {
	char		**msg;
	size_t		  n;
};

void		 config_defaults(struct config_instance *);
struct config	*config_load(const char *, struct config_errors *);
void		 config_free(struct config *);
void		 config_print(const struct config *, FILE *);
void		 config_errors_clear(struct config_errors *);
void		 config_errorf(struct config_errors *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 config_verrorf(struct config_errors *, const char *,
		    va_list) __attribute__((format(printf, 2, 0)));
void		 config_keep_restart(const struct config *, struct config *);

#endif
