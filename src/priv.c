/* SPDX-License-Identifier: ISC */
/*
 * priv.c: -u user.  Once everything that needs root is done (tun open,
 * routes set, sockets bound), switch to the user and its primary group,
 * with no supplementary groups and CAP_NET_ADMIN as the only capability
 * left: a reload needs it to change the tun MTU and the routes.  This is
 * chrony's model, through libcap-ng.  Under systemd the unit's User= and
 * AmbientCapabilities= give the same result before the daemon starts,
 * and -u is not needed.
 *
 * Capabilities belong to threads: the switch must come before any
 * thread is started, and is checked afterwards in /proc/self/status.
 */
#include <cap-ng.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "priv.h"

/* What the kernel says about this process, from /proc/self/status. */
struct priv_status {
	unsigned int		uid[4], gid[4];	/* real, effective, saved, fs */
	int			ngroups;
	int			threads;
	unsigned long long	capinh, capprm, capeff, capbnd, capamb;
};

#define PRIV_CAPS	(1ULL << CAP_NET_ADMIN)

/* Look the user up now, so an unknown one stops the start-up early. */
int
priv_lookup(const char *name, struct priv_user *u)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		if (errno != 0 && errno != ENOENT && errno != ESRCH)
			log_warn("user %s", name);
		else
			log_warnx("user %s: no such user", name);
		return (-1);
	}
	u->name = name;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	return (0);
}

static int
priv_count_groups(const char *list)
{
	int	n = 0;

	while (*list != '\0') {
		list += strspn(list, " \t\n");
		if (*list == '\0')
			break;
		n++;
		list += strcspn(list, " \t\n");
	}
	return (n);
}

static void
priv_parse_line(const char *l, struct priv_status *st)
{
	unsigned int	*u = st->uid, *g = st->gid;

	if (sscanf(l, "Uid: %u %u %u %u", &u[0], &u[1], &u[2], &u[3]) == 4 ||
	    sscanf(l, "Gid: %u %u %u %u", &g[0], &g[1], &g[2], &g[3]) == 4 ||
	    sscanf(l, "Threads: %d", &st->threads) == 1 ||
	    sscanf(l, "CapInh: %llx", &st->capinh) == 1 ||
	    sscanf(l, "CapPrm: %llx", &st->capprm) == 1 ||
	    sscanf(l, "CapEff: %llx", &st->capeff) == 1 ||
	    sscanf(l, "CapBnd: %llx", &st->capbnd) == 1 ||
	    sscanf(l, "CapAmb: %llx", &st->capamb) == 1)
		return;
	if (strncmp(l, "Groups:", 7) == 0)
		st->ngroups = priv_count_groups(l + 7);
}

static int
priv_status(struct priv_status *st)
{
	FILE	*f;
	char	 line[512];

	memset(st, 0, sizeof *st);
	st->threads = -1;
	st->ngroups = -1;
	if ((f = fopen("/proc/self/status", "re")) == NULL) {
		log_warn("/proc/self/status");
		return (-1);
	}
	while (fgets(line, sizeof line, f) != NULL)
		priv_parse_line(line, st);
	fclose(f);
	return (0);
}

/* After the switch: every id is the user's and the capabilities exact. */
static int
priv_check(const struct priv_user *u)
{
	struct priv_status	st;
	char			what[256];
	int			i, ok = 1;

	if (priv_status(&st) == -1)
		return (-1);
	for (i = 0; i < 4; i++)
		if (st.uid[i] != u->uid || st.gid[i] != u->gid)
			ok = 0;
	if (st.ngroups != 0 || st.capeff != PRIV_CAPS ||
	    st.capprm != PRIV_CAPS || st.capinh != 0 || st.capamb != 0 ||
	    (st.capbnd & ~PRIV_CAPS) != 0)
		ok = 0;
	snprintf(what, sizeof what, "uid %u gid %u, %d supplementary groups, "
	    "CapEff %016llx CapPrm %016llx CapInh %016llx CapBnd %016llx "
	    "CapAmb %016llx", st.uid[1], st.gid[1], st.ngroups, st.capeff,
	    st.capprm, st.capinh, st.capbnd, st.capamb);
	if (!ok) {
		log_warnx("user %s: not as expected after the switch: %s",
		    u->name, what);
		return (-1);
	}
	log_debug("user %s: %s", u->name, what);
	return (0);
}

/*
 * Become u, keeping CAP_NET_ADMIN (effective and permitted) and nothing
 * else: no supplementary groups, an empty bounding set (the daemon never
 * executes anything), no ambient capabilities.
 */
int
priv_drop(const struct priv_user *u)
{
	struct priv_status	st;
	int			rv;

	if (priv_status(&st) == -1)
		return (-1);
	if (st.threads != 1) {
		log_warnx("user %s: %d threads are running, and the others "
		    "would keep their capabilities", u->name, st.threads);
		return (-1);
	}
	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
	    CAP_NET_ADMIN) == -1) {
		log_warnx("user %s: cannot keep cap_net_admin", u->name);
		return (-1);
	}
	rv = capng_change_id((int)u->uid, (int)u->gid, CAPNG_DROP_SUPP_GRP |
	    CAPNG_CLEAR_BOUNDING | CAPNG_CLEAR_AMBIENT);
	if (rv != 0) {
		log_warn("user %s: cannot switch to uid %u gid %u "
		    "(capng_change_id %d)", u->name, (unsigned int)u->uid,
		    (unsigned int)u->gid, rv);
		return (-1);
	}
	if (priv_check(u) == -1)
		return (-1);
	log_info("running as user %s (uid %u, gid %u) with cap_net_admin",
	    u->name, (unsigned int)u->uid, (unsigned int)u->gid);
	return (0);
}
