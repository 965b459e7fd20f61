/* SPDX-License-Identifier: ISC */
/*
 * reload.c: re-reading the configuration without stopping the packets.
 * A thread parses and validates the file and builds the new lookup
 * tables, which for a million entries takes long enough to overflow the
 * tun queue if done on the loop; then it wakes the loop through a pipe,
 * and the loop swaps the snapshot in between two packets.  A file with
 * errors changes nothing.  One reload at a time: a second request while
 * one is under way is refused (or, for SIGHUP, run right after).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "netlink.h"
#include "notify.h"
#include "tables.h"

struct reload {
	struct tunmapd		*d;
	char			*path;
	const struct config	*run;		/* running, for the route diff */
	pthread_t		 thread;
	int			 pipe[2];
	struct event		*ev;
	reload_cb		 cb;
	void			*arg;
	/* Written by the thread, read by the loop once it has joined. */
	struct config		*conf;
	struct snapshot		**snap;		/* one per instance */
	struct config_errors	 errs;
};

/*
 * The instances, their tuns and their modes are the process's own: a
 * reload may change what each does, not which there are.
 */
static int
reload_same_instances(struct reload *r)
{
	const struct config	*a = r->run, *b = r->conf;
	size_t			 i;

	if (a->ninst != b->ninst) {
		config_errorf(&r->errs, "%s: %zu instances instead of %zu: "
		    "adding or removing an instance needs a restart", r->path,
		    b->ninst, a->ninst);
		return (-1);
	}
	for (i = 0; i < a->ninst; i++)
		if (a->inst[i].mode != b->inst[i].mode) {
			config_errorf(&r->errs, "%s:%d: instance %zu changes "
			    "between siit and softwire: that needs a restart",
			    r->path, b->inst[i].line, i + 1);
			return (-1);
		}
	return (0);
}

static void
reload_snapshots_free(struct snapshot **s, size_t n)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < n; i++)
		snapshot_free(s[i]);
	free(s);
}

/* The snapshot of every instance, or none. */
static int
reload_build(struct reload *r)
{
	size_t	i, n = r->conf->ninst;

	if ((r->snap = calloc(n, sizeof *r->snap)) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if ((r->snap[i] = snapshot_build(&r->conf->inst[i])) == NULL)
			goto fail;
	return (0);
fail:
	reload_snapshots_free(r->snap, n);
	r->snap = NULL;
	config_errorf(&r->errs, "out of memory building the tables");
	return (-1);
}

static void *
reload_thread(void *arg)
{
	struct reload			*r = arg;
	const struct config_instance	*was, *now;
	char				 c = 0;
	size_t				 i;

	r->conf = config_load(r->path, &r->errs);
	if (r->conf != NULL && (reload_same_instances(r) == -1 ||
	    reload_build(r) == -1)) {
		config_free(r->conf);
		r->conf = NULL;
	}
	/*
	 * Routes for a million prefixes keep the kernel busy for seconds:
	 * change them here, off the loop.  Nothing else touches the running
	 * configuration until the loop has joined this thread.
	 */
	for (i = 0; r->conf != NULL && i < r->conf->ninst; i++) {
		was = &r->run->inst[i];
		now = &r->conf->inst[i];
		if (was->routes || now->routes)
			nl_routes_sync(&r->d->inst[i].tun,
			    was->routes ? was : NULL, now->routes ? now : NULL);
		instance_log_bindings(was, now);
	}
	while (write(r->pipe[1], &c, 1) == -1 && errno == EINTR)
		;
	return (NULL);
}

static void
reload_free(struct reload *r)
{
	if (r->ev != NULL)
		event_free(r->ev);
	close(r->pipe[0]);
	close(r->pipe[1]);
	config_errors_clear(&r->errs);
	free(r->path);
	free(r);
}

struct garbage {
	struct tunmapd	*d;
	struct config	*conf;
	struct snapshot	**snap;
	size_t		 n;
};

static void
garbage_free(struct garbage *g)
{
	size_t	i;

	/* No queue thread may still be in a batch that saw the old ones. */
	for (i = 0; i < g->n; i++)
		instance_quiesce(&g->d->inst[i]);
	reload_snapshots_free(g->snap, g->n);
	config_free(g->conf);
	free(g);
}

static void *
reload_free_thread(void *arg)
{
	garbage_free(arg);
	return (NULL);
}

/*
 * Free the old configuration and snapshots.  A million entries take some
 * ten milliseconds to give back: a detached thread does it, and the loop
 * does it itself only if no thread can be had.
 */
static void
reload_dispose(struct tunmapd *d, struct config *c, struct snapshot **s)
{
	struct garbage	*g;
	pthread_t	 th;

	if ((g = malloc(sizeof *g)) == NULL) {
		/* Leaked rather than freed under a queue's feet. */
		log_warnx("reload: out of memory, old tables kept");
		return;
	}
	g->d = d;
	g->conf = c;
	g->snap = s;
	g->n = c->ninst;
	if (pthread_create(&th, NULL, reload_free_thread, g) == 0) {
		pthread_detach(th);
		return;
	}
	garbage_free(g);
}

/* Record the outcome for "tunmapctl status". */
static void
reload_record(struct tunmapd *d, bool ok, const struct config_errors *e)
{
	d->reload_time = time(NULL);
	d->reload_ok = ok;
	free(d->reload_msg);
	if (ok)
		d->reload_msg = strdup("ok");
	else if (asprintf(&d->reload_msg, "%zu error%s, first: %s", e->n,
	    e->n == 1 ? "" : "s", e->n > 0 ? e->msg[0] : "?") == -1)
		d->reload_msg = NULL;
}

/* On the loop: the thread is done; swap or report. */
static void
reload_done(evutil_socket_t fd, short what, void *arg)
{
	struct reload	*r = arg;
	struct tunmapd	*d = r->d;
	struct timespec	 t0, t1;
	bool		 ok = r->conf != NULL;
	size_t		 i;

	(void)fd;
	(void)what;
	pthread_join(r->thread, NULL);
	if (ok) {
		/* The packet path waits for this much only. */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		config_keep_restart(d->conf, r->conf);
		for (i = 0; i < d->ninst; i++)
			r->snap[i] = instance_swap(&d->inst[i],
			    &r->conf->inst[i], r->snap[i]);
		reload_dispose(d, d->conf, r->snap);
		r->snap = NULL;
		d->conf = r->conf;
		r->conf = NULL;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		log_info("reload: %s loaded, %s%s, packets held for %.3f ms",
		    r->path, instance_describe(&d->conf->inst[0]),
		    d->ninst > 1 ? ", more instances" : "",
		    (t1.tv_sec - t0.tv_sec) * 1e3 +
		    (t1.tv_nsec - t0.tv_nsec) / 1e6);
	} else {
		for (i = 0; i < r->errs.n; i++)
			log_warnx("%s", r->errs.msg[i]);
		log_warnx("reload: %s has errors, keeping the running "
		    "configuration", r->path);
	}
	reload_record(d, ok, &r->errs);
	d->reload = NULL;
	notify_ready(d);
	if (r->cb != NULL)
		r->cb(d, ok, &r->errs, r->arg);
	reload_free(r);
	if (d->reload_again) {
		d->reload_again = false;
		reload_start(d, NULL, NULL);
	}
}

/*
 * Start a reload of the configuration file; cb (if not NULL) is called
 * on the loop when it ends.  -1 with errno EBUSY while one is under way.
 */
int
reload_start(struct tunmapd *d, reload_cb cb, void *arg)
{
	struct reload	*r;

	if (d->reload != NULL) {
		errno = EBUSY;
		return (-1);
	}
	if ((r = calloc(1, sizeof *r)) == NULL)
		return (-1);
	r->d = d;
	r->run = d->conf;
	r->cb = cb;
	r->arg = arg;
	r->pipe[0] = r->pipe[1] = -1;
	if ((r->path = strdup(d->config_file)) == NULL ||
	    pipe2(r->pipe, O_CLOEXEC | O_NONBLOCK) == -1 ||
	    (r->ev = event_new(d->base, r->pipe[0], EV_READ, reload_done,
	    r)) == NULL || event_add(r->ev, NULL) == -1)
		goto fail;
	if ((errno = pthread_create(&r->thread, NULL, reload_thread, r)) != 0)
		goto fail;
	d->reload = r;
	notify_reloading();
	log_info("reload: reading %s", r->path);
	return (0);
fail:
	log_warn("reload");
	reload_free(r);
	return (-1);
}

/* At exit: let a reload under way finish, and drop its result. */
void
reload_wait(struct tunmapd *d)
{
	struct reload	*r = d->reload;

	if (r == NULL)
		return;
	pthread_join(r->thread, NULL);
	reload_snapshots_free(r->snap, r->conf != NULL ? r->conf->ninst : 0);
	config_free(r->conf);
	d->reload = NULL;
	reload_free(r);
}
