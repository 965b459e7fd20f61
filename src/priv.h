/* SPDX-License-Identifier: ISC */
/*
 * priv.h: running as an unprivileged user with CAP_NET_ADMIN only (-u).
 */
#ifndef TUNMAPD_PRIV_H
#define TUNMAPD_PRIV_H

#include <sys/types.h>

struct priv_user {
	const char	*name;		/* as given; not copied */
	uid_t		 uid;
	gid_t		 gid;
};

int	priv_lookup(const char *, struct priv_user *);
int	priv_drop(const struct priv_user *);

#endif
