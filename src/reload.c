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
	const struct tun	*tun;
	pthread_t		 thread;
	int			 pipe[2];
	struct event		*ev;
	reload_cb		 cb;
	void			*arg;
	/* Written by the thread, read by the loop once it has joined. */
	struct config		*conf;
	struct tables		*tables;
	struct config_errors	 errs;
};

static void *
reload_thread(void *arg)
{
	struct reload	*r = arg;
	char		 c = 0;

	r->conf = config_load(r->path, &r->errs);
	if (r->conf != NULL && (r->tables = tables_build(r->conf)) == NULL) {
		config_free(r->conf);
		r->conf = NULL;
		r->errs.msg = calloc(1, sizeof *r->errs.msg);
		if (r->errs.msg != NULL &&
		    (r->errs.msg[0] = strdup("out of memory building the "
		    "tables")) != NULL)
			r->errs.n = 1;
	}
	/*
	 * Routes for a million prefixes keep the kernel busy for seconds:
	 * change them here, off the loop.  Nothing else touches the running
	 * configuration until the loop has joined this thread.
	 */
	if (r->conf != NULL && (r->run->routes || r->conf->routes))
		nl_routes_sync(r->tun, r->run->routes ? r->run : NULL,
		    r->conf->routes ? r->conf : NULL);
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
	struct config	*conf;
	struct tables	*tables;
};

static void *
reload_free_thread(void *arg)
{
	struct garbage	*g = arg;

	tables_free(g->tables);
	config_free(g->conf);
	free(g);
	return (NULL);
}

/*
 * Free the old configuration and snapshot.  A million entries take some
 * ten milliseconds to give back: a detached thread does it, and the loop
 * does it itself only if no thread can be had.
 */
static void
reload_dispose(struct config *c, struct tables *t)
{
	struct garbage	*g;
	pthread_t	 th;

	if ((g = malloc(sizeof *g)) != NULL) {
		g->conf = c;
		g->tables = t;
		if (pthread_create(&th, NULL, reload_free_thread, g) == 0) {
			pthread_detach(th);
			return;
		}
		free(g);
	}
	tables_free(t);
	config_free(c);
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
	struct tables	*old;
	bool		 ok = r->conf != NULL;
	size_t		 i;

	(void)fd;
	(void)what;
	pthread_join(r->thread, NULL);
	if (ok) {
		/* The packet path waits for this much only. */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		config_keep_restart(d->conf, r->conf);
		old = instance_swap(&d->inst, r->conf, r->tables);
		reload_dispose(d->conf, old);
		d->conf = r->conf;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		log_info("reload: %s loaded, %zu eam entries, packets held "
		    "for %.3f ms", r->path, d->conf->neam,
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
	r->tun = &d->inst.tun;
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
	config_free(r->conf);
	tables_free(r->tables);
	d->reload = NULL;
	reload_free(r);
}
