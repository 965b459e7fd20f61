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
#include "tables.h"

struct reload {
	struct tunmapd		*d;
	char			*path;
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
	bool		 ok = r->conf != NULL;
	size_t		 i;

	(void)fd;
	(void)what;
	pthread_join(r->thread, NULL);
	if (ok) {
		config_keep_restart(d->conf, r->conf);
		instance_swap(&d->inst, d->conf, r->conf, r->tables);
		config_free(d->conf);
		d->conf = r->conf;
		log_info("reload: %s loaded, %zu eam entries", r->path,
		    d->conf->neam);
	} else {
		for (i = 0; i < r->errs.n; i++)
			log_warnx("%s", r->errs.msg[i]);
		log_warnx("reload: %s has errors, keeping the running "
		    "configuration", r->path);
	}
	reload_record(d, ok, &r->errs);
	d->reload = NULL;
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
