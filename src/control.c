/* SPDX-License-Identifier: ISC */
/*
 * control.c: the UNIX control socket that tunmapctl(8) talks to: the
 * listening socket, who may connect, the connections, and each request
 * line split and handed to its command (ctlcmd.c, ctllookup.c).  One
 * request line per connection, answered from the loop; the reply of a
 * reload waits for its end.  Everything is bounded: the request's length,
 * the time a client may take, the number of clients, and the rows of
 * one page of "show mappings" or "show bindings", so a client cannot
 * hold the loop or the memory.  Only root, the daemon's own user and the
 * members of the socket's group are served.  A request concerns the
 * first instance, or the one whose tun "--instance" names.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <grp.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "ctlcmd.h"
#include "ctlout.h"
#include "daemon.h"
#include "log.h"

#define CTL_CLIENTS	16	/* served at once */
#define CTL_BACKLOG	16
#define CTL_REQ_SECS	5	/* to send the request */
#define CTL_OUT_SECS	30	/* without reading any of the reply */
#define CTL_LINGER_SECS	2	/* for the client to close, after the reply */

#define OPT_JSON	0x1
#define OPT_PAGE	0x2
#define OPT_INST	0x4		/* --instance TUN */
#define OPT_ALL		0x8		/* --all */

/* A command: its words, its arguments and options, and what runs it. */
struct ctl_cmd {
	const char	*name;		/* one or two words */
	int		 nargs;
	int		 optargs;	/* more words it may take */
	int		 opts;
	const char	*usage;
	int		(*fn)(struct ctl_conn *, struct ctl_req *,
			    struct ctl_out *);
};

static const struct ctl_cmd ctl_cmds[] = {
	{ "status", 0, 0, OPT_JSON | OPT_INST,
	    "status [--json] [--instance TUN]", ctl_status },
	{ "stats", 0, 0, OPT_JSON | OPT_INST | OPT_ALL,
	    "stats [--json] [--instance TUN | --all]", ctl_stats },
	{ "show mappings", 0, 0, OPT_JSON | OPT_PAGE | OPT_INST,
	    "show mappings [--json] [--offset N] [--limit N] "
	    "[--instance TUN]", ctl_mappings },
	{ "show bindings", 0, 0, OPT_JSON | OPT_PAGE | OPT_INST,
	    "show bindings [--json] [--offset N] [--limit N] "
	    "[--instance TUN]", ctl_bindings },
	{ "lookup", 1, 1, OPT_JSON | OPT_INST,
	    "lookup ADDRESS[:PORT] [PORT] [--json] [--instance TUN]",
	    ctl_lookup },
	{ "reload", 0, 0, 0, "reload", ctl_reload },
};

/* ---- requests ---------------------------------------------------------- */

/* A number for --offset or --limit: decimal, 0 to 2^31-1. */
static int
ctl_number(const char *s, long long *n)
{
	char	*end;

	if (s == NULL || *s < '0' || *s > '9')
		return (-1);
	errno = 0;
	*n = strtoll(s, &end, 10);
	return (*end != '\0' || errno != 0 || *n > 0x7fffffff ? -1 : 0);
}

/* Split line into words, the options apart. */
static int
ctl_split(char *line, struct ctl_req *r)
{
	char	*w, *last;

	r->offset = r->limit = -1;
	for (w = strtok_r(line, " \t", &last); w != NULL;
	    w = strtok_r(NULL, " \t", &last)) {
		if (strcmp(w, "--json") == 0)
			r->json = true;
		else if (strcmp(w, "--all") == 0)
			r->all = true;
		else if (strcmp(w, "--instance") == 0) {
			if ((r->tun = strtok_r(NULL, " \t", &last)) == NULL)
				return (-1);
		}
		else if (strcmp(w, "--offset") == 0 || strcmp(w, "--limit") ==
		    0) {
			if (ctl_number(strtok_r(NULL, " \t", &last), w[2] ==
			    'o' ? &r->offset : &r->limit) == -1)
				return (-1);
		} else if (w[0] == '-' && w[1] == '-')
			return (-1);
		else if (r->argc == CTL_WORDS)
			return (-1);
		else
			r->argv[r->argc++] = w;
	}
	return (0);
}

/* The command whose words begin the request, or NULL. */
static const struct ctl_cmd *
ctl_find(const struct ctl_req *r, int *nwords)
{
	const char	*name, *sp;
	size_t		 i, len;

	for (i = 0; i < sizeof ctl_cmds / sizeof ctl_cmds[0]; i++) {
		name = ctl_cmds[i].name;
		sp = strchr(name, ' ');
		len = sp != NULL ? (size_t)(sp - name) : strlen(name);
		*nwords = sp != NULL ? 2 : 1;
		if (r->argc >= *nwords && strncmp(r->argv[0], name, len) == 0 &&
		    r->argv[0][len] == '\0' && (sp == NULL ||
		    strcmp(r->argv[1], sp + 1) == 0))
			return (&ctl_cmds[i]);
	}
	return (NULL);
}

/* The instance whose tun --instance names; the first one without it. */
static int
ctl_instance_of(const struct tunmapd *d, struct ctl_req *r)
{
	size_t	i, len;

	r->inst = 0;
	if (r->tun == NULL)
		return (0);
	for (i = 0; i < d->ninst; i++)
		if (strcmp(d->inst[i].tun.name, r->tun) == 0) {
			r->inst = i;
			return (0);
		}
	len = (size_t)snprintf(r->err, sizeof r->err, "no instance on tun "
	    "\"%.*s\"; the tuns are", IFNAMSIZ, r->tun);
	for (i = 0; i < d->ninst && len < sizeof r->err; i++)
		len += (size_t)snprintf(r->err + len, sizeof r->err - len,
		    "%s %s", i > 0 ? "," : "", d->inst[i].tun.name);
	return (-1);
}

/* Run the request in line; CTL_LATER if the reply comes later. */
static int
ctl_run(struct ctl_conn *c, char *line, struct ctl_req *r, struct ctl_out *o)
{
	const struct ctl_cmd	*cmd;
	int			 nwords;

	if (ctl_split(line, r) == -1) {
		snprintf(r->err, sizeof r->err, "bad option or too many "
		    "words");
		return (CTL_FAIL);
	}
	if (r->argc == 0) {
		snprintf(r->err, sizeof r->err, "empty request");
		return (CTL_FAIL);
	}
	if ((cmd = ctl_find(r, &nwords)) == NULL) {
		snprintf(r->err, sizeof r->err, "unknown command \"%s\"",
		    r->argv[0]);
		return (CTL_FAIL);
	}
	if (r->argc < nwords + cmd->nargs ||
	    r->argc > nwords + cmd->nargs + cmd->optargs ||
	    (r->json && !(cmd->opts & OPT_JSON)) ||
	    ((r->offset >= 0 || r->limit >= 0) && !(cmd->opts & OPT_PAGE)) ||
	    (r->tun != NULL && !(cmd->opts & OPT_INST)) ||
	    (r->all && (!(cmd->opts & OPT_ALL) || r->tun != NULL))) {
		snprintf(r->err, sizeof r->err, "usage: %s", cmd->usage);
		return (CTL_FAIL);
	}
	if (ctl_instance_of(c->ctl->d, r) == -1)
		return (CTL_FAIL);
	o->json = r->json;
	return (cmd->fn(c, r, o));
}

/* Answer the request line of connection c. */
static void
ctl_request(struct ctl_conn *c, char *line)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);
	struct ctl_req	 r;
	struct ctl_out	 o;
	int		 rc;

	memset(&r, 0, sizeof r);
	memset(&o, 0, sizeof o);
	if ((o.b = evbuffer_new()) == NULL) {
		evbuffer_add_printf(out, "error: out of memory\n");
		c->replied = true;
		return;
	}
	log_debug("control: request \"%s\"", line);
	rc = ctl_run(c, line, &r, &o);
	if (rc == CTL_DONE) {
		evbuffer_add(out, "ok\n", 3);
		evbuffer_add_buffer(out, o.b);
	} else if (rc == CTL_FAIL)
		evbuffer_add_printf(out, "error: %s\n", r.err);
	c->replied = rc != CTL_LATER;
	evbuffer_free(o.b);
}

/* ---- connections ------------------------------------------------------- */

static void
ctl_close(struct ctl_conn *c)
{
	struct control	*ctl = c->ctl;

	if (ctl->reloading == c)
		ctl->reloading = NULL;
	TAILQ_REMOVE(&ctl->conns, c, entry);
	ctl->nconns--;
	bufferevent_free(c->bev);
	free(c);
}

/* The request is in, whole or up to EOF; or it is too long. */
static void
ctl_read(struct bufferevent *bev, void *arg)
{
	struct ctl_conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	char		*line;
	size_t		 len;

	if (c->lingering) {
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	if ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_CRLF)) == NULL) {
		if (evbuffer_get_length(in) <= CTL_LINE_MAX)
			return;
		evbuffer_add_printf(bufferevent_get_output(bev), "error: "
		    "request longer than %d bytes\n", CTL_LINE_MAX);
		c->replied = true;
	} else if (len > CTL_LINE_MAX) {
		evbuffer_add_printf(bufferevent_get_output(bev), "error: "
		    "request longer than %d bytes\n", CTL_LINE_MAX);
		c->replied = true;
	} else
		ctl_request(c, line);
	free(line);
	/* One request a connection: the rest is not read. */
	bufferevent_disable(bev, EV_READ);
}

/*
 * All of the reply is out: say so with a FIN, and close once the client
 * has closed too, or after a while.  Closing at once would make the
 * kernel reset the connection if the client had sent more than was read
 * (a refused request, one too long), and the client could lose the reply.
 */
static void
ctl_write(struct bufferevent *bev, void *arg)
{
	struct ctl_conn	*c = arg;
	struct timeval	 tv = { CTL_LINGER_SECS, 0 };

	if (!c->replied || c->lingering ||
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0)
		return;
	c->lingering = true;
	if (shutdown(bufferevent_getfd(bev), SHUT_WR) == -1) {
		ctl_close(c);
		return;
	}
	bufferevent_setwatermark(bev, EV_READ, 0, 0);
	bufferevent_set_timeouts(bev, &tv, NULL);
	bufferevent_enable(bev, EV_READ);
	ctl_read(bev, c);
}

static void
ctl_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	char		*line;
	size_t		 len;

	/* A last request line without its newline counts. */
	if (!c->replied && (what & BEV_EVENT_EOF) &&
	    (what & BEV_EVENT_READING) &&
	    (len = evbuffer_get_length(in)) > 0 && len <= CTL_LINE_MAX &&
	    (line = calloc(1, len + 1)) != NULL) {
		evbuffer_remove(in, line, len);
		bufferevent_disable(bev, EV_READ);
		ctl_request(c, line);
		free(line);
		return;		/* the peer may still read the reply */
	}
	if ((what & BEV_EVENT_TIMEOUT) && !c->lingering)
		log_debug("control: client timed out");
	else if (what & BEV_EVENT_ERROR)
		log_debug("control: client: %s", strerror(errno));
	ctl_close(c);
}

/*
 * Root, the daemon's own user and the members of the socket's group
 * may talk to the daemon.  The mode of the socket already says so to
 * the kernel; this check also holds for a client that can ignore the
 * mode (CAP_DAC_OVERRIDE without being root).
 */
static bool
ctl_allowed(const struct control *ctl, int fd, struct ucred *uc)
{
	socklen_t	 len = sizeof *uc;
	gid_t		 groups[64], *g = groups;
	size_t		 i, n;
	bool		 ok = false;

	memset(uc, 0, sizeof *uc);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, uc, &len) == -1) {
		log_warn("control: SO_PEERCRED");
		return (false);
	}
	if (uc->uid == 0 || uc->uid == geteuid() || uc->gid == ctl->gid)
		return (true);
	len = sizeof groups;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == -1) {
		if (errno != ERANGE || (g = malloc(len)) == NULL ||
		    getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == -1) {
			log_warn("control: SO_PEERGROUPS");
			len = 0;
		}
	}
	n = len / sizeof *g;
	for (i = 0; i < n && !ok; i++)
		ok = g[i] == ctl->gid;
	if (g != groups)
		free(g);
	return (ok);
}

/* Refuse politely: the reply is written, then the connection closed. */
static void
ctl_refuse(struct ctl_conn *c, const char *why)
{
	evbuffer_add_printf(bufferevent_get_output(c->bev), "error: %s\n",
	    why);
	c->replied = true;
	bufferevent_disable(c->bev, EV_READ);
}

static void
ctl_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct control	*ctl = arg;
	struct ctl_conn	*c;
	struct ucred	 uc;
	struct timeval	 rtv = { CTL_REQ_SECS, 0 }, wtv = { CTL_OUT_SECS, 0 };

	(void)lev;
	(void)sa;
	(void)salen;
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->bev = bufferevent_socket_new(ctl->d->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		log_warn("control: accept");
		free(c);
		close(fd);
		return;
	}
	c->ctl = ctl;
	TAILQ_INSERT_TAIL(&ctl->conns, c, entry);
	ctl->nconns++;
	bufferevent_setcb(c->bev, ctl_read, ctl_write, ctl_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, CTL_LINE_MAX + 2);
	bufferevent_set_timeouts(c->bev, &rtv, &wtv);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	if (!ctl_allowed(ctl, fd, &uc)) {
		log_warnx("control: refused pid %ld uid %lu gid %lu: not "
		    "root, uid %lu or in group %lu", (long)uc.pid,
		    (unsigned long)uc.uid, (unsigned long)uc.gid,
		    (unsigned long)geteuid(), (unsigned long)ctl->gid);
		ctl_refuse(c, "permission denied");
	} else if (ctl->nconns > CTL_CLIENTS) {
		log_debug("control: more than %d clients", CTL_CLIENTS);
		ctl_refuse(c, "too many clients, try again");
	}
}

/* accept() failed, for want of file descriptors most likely: pause. */
static void
ctl_accept_error(struct evconnlistener *lev, void *arg)
{
	struct control	*ctl = arg;
	struct timeval	 tv = { 1, 0 };

	log_warn("control socket %s: accept", ctl->path);
	evconnlistener_disable(lev);
	evtimer_add(ctl->retry, &tv);
}

static void
ctl_retry(evutil_socket_t fd, short what, void *arg)
{
	struct control	*ctl = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(ctl->lev);
}

/* ---- the socket -------------------------------------------------------- */

/* A socket file already at the path: in use, or left by a crash. */
static int
ctl_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat	st;
	int		fd, rc, saved;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return (0);
		log_warn("control socket %s", path);
		return (-1);
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("control socket %s: exists and is not a socket",
		    path);
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket %s: socket", path);
		return (-1);
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	saved = errno;
	close(fd);
	if (rc == 0 || saved == EAGAIN) {
		log_warnx("control socket %s: in use by another running "
		    "daemon", path);
		return (-1);
	}
	if (saved != ECONNREFUSED) {
		log_warnx("control socket %s: connect: %s", path,
		    strerror(saved));
		return (-1);
	}
	if (unlink(path) == -1) {
		log_warn("control socket %s: stale, but cannot remove it",
		    path);
		return (-1);
	}
	log_info("control socket %s: replaced a stale one", path);
	return (0);
}

/* The group of the socket: the configured one, or the daemon's. */
static int
ctl_group(const char *name, const char *path, gid_t *gid)
{
	struct group	*gr;

	*gid = getegid();
	if (name == NULL)
		return (0);
	errno = 0;
	if ((gr = getgrnam(name)) == NULL) {
		if (errno != 0)
			log_warn("control socket %s: group %s", path, name);
		else
			log_warnx("control socket %s: group %s: no such group",
			    path, name);
		return (-1);
	}
	*gid = gr->gr_gid;
	return (0);
}

/*
 * Make the socket's directory if it is missing (/run/tunmapd outside
 * systemd, which makes it for the unit): mode 0755, one level only.
 */
static int
ctl_mkdir(const char *path)
{
	char	*dir, *slash;
	int	 rc = 0;

	if ((dir = strdup(path)) == NULL) {
		log_warn("control socket %s", path);
		return (-1);
	}
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			log_warn("control socket %s: mkdir %s", path, dir);
			rc = -1;
		}
	}
	free(dir);
	return (rc);
}

/* Make the listening socket: mode 0660, the group of ctl->gid. */
static int
ctl_bind(struct control *ctl)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	mode_t			 old;
	int			 fd, rc;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(ctl->path) >= sizeof sun.sun_path) {
		log_warnx("control socket %s: path too long", ctl->path);
		return (-1);
	}
	strncpy(sun.sun_path, ctl->path, sizeof sun.sun_path - 1);
	if (ctl_mkdir(ctl->path) == -1 || ctl_stale(ctl->path, &sun) == -1)
		return (-1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("control socket %s: socket", ctl->path);
		return (-1);
	}
	/* Never, not even for a moment, more open than 0660. */
	old = umask(S_IXUSR | S_IXGRP | S_IRWXO);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (rc == -1) {
		log_warn("control socket %s: bind", ctl->path);
		close(fd);
		return (-1);
	}
	if (chown(ctl->path, (uid_t)-1, ctl->gid) == -1 ||
	    chmod(ctl->path, 0660) == -1 || stat(ctl->path, &st) == -1) {
		log_warn("control socket %s: group %lu, mode 0660", ctl->path,
		    (unsigned long)ctl->gid);
		unlink(ctl->path);
		close(fd);
		return (-1);
	}
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	return (fd);
}

int
control_start(struct tunmapd *d)
{
	struct control	*ctl;
	int		 fd;

	if ((ctl = calloc(1, sizeof *ctl)) == NULL ||
	    (ctl->path = strdup(d->conf->ctl_socket)) == NULL) {
		log_warn("control socket");
		free(ctl);
		return (-1);
	}
	ctl->d = d;
	TAILQ_INIT(&ctl->conns);
	if (ctl_group(d->conf->ctl_group, ctl->path, &ctl->gid) == -1 ||
	    (fd = ctl_bind(ctl)) == -1)
		goto fail;
	ctl->lev = evconnlistener_new(d->base, ctl_accept, ctl,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, CTL_BACKLOG, fd);
	if (ctl->lev == NULL) {
		log_warn("control socket %s: listen", ctl->path);
		unlink(ctl->path);
		close(fd);
		goto fail;
	}
	evconnlistener_set_error_cb(ctl->lev, ctl_accept_error);
	if ((ctl->retry = evtimer_new(d->base, ctl_retry, ctl)) == NULL) {
		log_warnx("control socket %s: cannot add a timer", ctl->path);
		evconnlistener_free(ctl->lev);
		unlink(ctl->path);
		goto fail;
	}
	d->ctl = ctl;
	log_debug("control socket %s: listening", ctl->path);
	return (0);
fail:
	free(ctl->path);
	free(ctl);
	return (-1);
}

void
control_stop(struct tunmapd *d)
{
	struct control	*ctl = d->ctl;
	struct ctl_conn	*c;
	struct stat	 st;

	if (ctl == NULL)
		return;
	while ((c = TAILQ_FIRST(&ctl->conns)) != NULL)
		ctl_close(c);
	evconnlistener_free(ctl->lev);
	event_free(ctl->retry);
	/* Only the file made here: another daemon's may have replaced it. */
	if (stat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
	    st.st_ino == ctl->ino && unlink(ctl->path) == -1)
		log_warn("control socket %s: unlink", ctl->path);
	free(ctl->path);
	free(ctl);
	d->ctl = NULL;
}
