/* SPDX-License-Identifier: ISC */
/*
 * metrics.c: the counters and the state of the daemon in the Prometheus
 * text exposition format, version 0.0.4, served as GET /metrics by
 * libevent's evhttp.  Off unless metrics.listen is set.  There is no
 * authentication: the endpoint is meant for a loopback address.  Each
 * scrape is made on the loop from the live counters; its size does not
 * depend on the size of the tables.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "autoconf.h"
#include "daemon.h"
#include "log.h"

#define METRICS_TIMEOUT	10	/* seconds for a request */
#define METRICS_HEADERS	8192	/* bytes of request headers */
#define METRICS_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct metrics {
	struct evhttp		*http;
	struct evconnlistener	*lev;
	struct event		*retry;		/* accept again after EMFILE */
	char			*listen;
};

/* A label value, escaped as the format asks. */
static void
metrics_escape(struct evbuffer *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			evbuffer_add_printf(b, "\\%c", *s);
		else if (*s == '\n')
			evbuffer_add(b, "\\n", 2);
		else
			evbuffer_add(b, s, 1);
	}
}

static void
metrics_head(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(b, "# HELP tunmapd_%s %s\n# TYPE tunmapd_%s %s\n",
	    name, help, name, type);
}

/* name{instance="<tun>"[,labels]} */
static void
metrics_series(struct evbuffer *b, const char *name, const char *tun,
    const char *labels)
{
	evbuffer_add_printf(b, "tunmapd_%s{instance=\"", name);
	metrics_escape(b, tun);
	evbuffer_add_printf(b, "\"%s%s}", labels[0] != '\0' ? "," : "",
	    labels);
}

/* The state of the daemon, as gauges. */
static void
metrics_gauges(struct tunmapd *d, struct evbuffer *b)
{
	time_t	now = time(NULL);
	size_t	i;

	metrics_head(b, "info", "gauge", "The version of tunmapd; always 1.");
	evbuffer_add_printf(b, "tunmapd_info{version=\"");
	metrics_escape(b, PACKAGE_VERSION);
	evbuffer_add_printf(b, "\"} 1\n");
	metrics_head(b, "start_time_seconds", "gauge",
	    "When tunmapd started, in seconds since the epoch.");
	evbuffer_add_printf(b, "tunmapd_start_time_seconds %lld\n",
	    (long long)d->started);
	metrics_head(b, "uptime_seconds", "gauge",
	    "Seconds since tunmapd started.");
	evbuffer_add_printf(b, "tunmapd_uptime_seconds %lld\n",
	    now > d->started ? (long long)(now - d->started) : 0LL);
	metrics_head(b, "eam_entries", "gauge",
	    "Explicit address mappings (EAM entries) in use.");
	for (i = 0; i < d->ninst; i++) {
		metrics_series(b, "eam_entries", d->inst[i].tun.name, "");
		evbuffer_add_printf(b, " %zu\n", d->conf->inst[i].neam);
	}
	metrics_head(b, "bindings", "gauge",
	    "Softwire bindings (lwB4s) in use.");
	for (i = 0; i < d->ninst; i++) {
		metrics_series(b, "bindings", d->inst[i].tun.name, "");
		evbuffer_add_printf(b, " %zu\n", d->conf->inst[i].bind.n);
	}
	metrics_head(b, "tun_mtu", "gauge", "MTU of the tun device.");
	for (i = 0; i < d->ninst; i++) {
		metrics_series(b, "tun_mtu", d->inst[i].tun.name, "");
		evbuffer_add_printf(b, " %d\n", d->inst[i].tun.mtu);
	}
	metrics_head(b, "last_reload_timestamp_seconds", "gauge",
	    "When the last reload ended, in seconds since the epoch; 0 if "
	    "none.");
	evbuffer_add_printf(b, "tunmapd_last_reload_timestamp_seconds %lld\n",
	    (long long)d->reload_time);
	metrics_head(b, "last_reload_success", "gauge",
	    "1 if the last reload succeeded or there was none, 0 if it "
	    "failed.");
	evbuffer_add_printf(b, "tunmapd_last_reload_success %d\n",
	    d->reload_time == 0 || d->reload_ok);
	metrics_head(b, "reloading", "gauge", "1 while a reload is under way.");
	evbuffer_add_printf(b, "tunmapd_reloading %d\n", d->reload != NULL);
}

/* Every counter of STATS_COUNTERS, a family at a time, as the format asks. */
static void
metrics_counters(struct tunmapd *d, struct evbuffer *b)
{
	struct stats	*st;
	const char	*family, *help;
	char		 name[64];
	size_t		 k;
	int		 f, i;

	if ((st = calloc(d->ninst, sizeof *st)) == NULL)
		return;
	for (k = 0; k < d->ninst; k++)
		instance_stats(&d->inst[k], &st[k]);
	for (f = 0; (family = stats_family(f, &help)) != NULL; f++) {
		snprintf(name, sizeof name, "%s_total", family);
		metrics_head(b, name, "counter", help);
		for (i = 0; i < STAT_MAX; i++) {
			if (strcmp(stats_metric(i), family) != 0)
				continue;
			for (k = 0; k < d->ninst; k++) {
				metrics_series(b, name, d->inst[k].tun.name,
				    stats_labels(i));
				evbuffer_add_printf(b, " %" PRIu64 "\n",
				    st[k].n[i]);
			}
		}
	}
	free(st);
}

static void
metrics_request(struct evhttp_request *req, void *arg)
{
	struct tunmapd		*d = arg;
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(req);
	const char		*path = uri != NULL ?
				    evhttp_uri_get_path(uri) : NULL;
	struct evbuffer		*b;

	if (path == NULL || strcmp(path, "/metrics") != 0) {
		evhttp_send_error(req, HTTP_NOTFOUND, NULL);
		return;
	}
	if ((b = evbuffer_new()) == NULL) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	metrics_gauges(d, b);
	metrics_counters(d, b);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", METRICS_TYPE);
	evhttp_send_reply(req, HTTP_OK, "OK", b);
	evbuffer_free(b);
}

/* accept() failed, for want of file descriptors most likely: pause. */
static void
metrics_accept_error(struct evconnlistener *lev, void *arg)
{
	struct metrics	*m = arg;
	struct timeval	 tv = { 1, 0 };

	log_warn("metrics %s: accept", m->listen);
	evconnlistener_disable(lev);
	evtimer_add(m->retry, &tv);
}

static void
metrics_retry(evutil_socket_t fd, short what, void *arg)
{
	struct metrics	*m = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(m->lev);
}

/*
 * "[IPV6]:PORT" or "IPV4:PORT", as config.c has checked its shape.
 * Numeric only: no resolver on the way, and no AI_ADDRCONFIG surprise
 * on a node whose only address is the loopback one.
 */
static int
metrics_addr(const char *listen, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	const char		*colon = strrchr(listen, ':');
	char			 host[INET6_ADDRSTRLEN];
	size_t			 hlen;
	uint16_t		 port;

	if (colon == NULL)
		return (-1);
	port = htons((uint16_t)strtoul(colon + 1, NULL, 10));
	if (listen[0] == '[') {
		listen++;
		colon--;		/* on the ']' */
	}
	if ((hlen = (size_t)(colon - listen)) >= sizeof host)
		return (-1);
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = port;
		*len = sizeof *sin;
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
		*len = sizeof *sin6;
	} else
		return (-1);
	return (0);
}

static int
metrics_bind(struct metrics *m)
{
	struct evhttp_bound_socket	*bs;
	struct sockaddr_storage		 ss;
	socklen_t			 len;
	int				 fd, on = 1;

	if (metrics_addr(m->listen, &ss, &len) == -1) {
		log_warnx("metrics %s: not a numeric ADDRESS:PORT", m->listen);
		return (-1);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_warn("metrics %s: socket", m->listen);
		return (-1);
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
	    (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof on) == -1) ||
	    bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, 16) == -1) {
		log_warn("metrics %s: bind", m->listen);
		close(fd);
		return (-1);
	}
	if ((bs = evhttp_accept_socket_with_handle(m->http, fd)) == NULL) {
		log_warnx("metrics %s: cannot accept", m->listen);
		close(fd);
		return (-1);
	}
	m->lev = evhttp_bound_socket_get_listener(bs);
	evconnlistener_set_error_cb(m->lev, metrics_accept_error);
	return (0);
}

int
metrics_start(struct tunmapd *d)
{
	struct metrics	*m;

	if (d->conf->metrics_listen == NULL)
		return (0);
	if ((m = calloc(1, sizeof *m)) == NULL ||
	    (m->listen = strdup(d->conf->metrics_listen)) == NULL ||
	    (m->http = evhttp_new(d->base)) == NULL ||
	    (m->retry = evtimer_new(d->base, metrics_retry, m)) == NULL) {
		log_warn("metrics %s", d->conf->metrics_listen);
		goto fail;
	}
	evhttp_set_timeout(m->http, METRICS_TIMEOUT);
	evhttp_set_max_headers_size(m->http, METRICS_HEADERS);
	evhttp_set_max_body_size(m->http, 0);
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_gencb(m->http, metrics_request, d);
	if (metrics_bind(m) == -1)
		goto fail;
	d->metrics = m;
	log_info("metrics: serving http://%s/metrics", m->listen);
	return (0);
fail:
	if (m != NULL) {
		if (m->http != NULL)
			evhttp_free(m->http);
		if (m->retry != NULL)
			event_free(m->retry);
		free(m->listen);
		free(m);
	}
	return (-1);
}

void
metrics_stop(struct tunmapd *d)
{
	struct metrics	*m = d->metrics;

	if (m == NULL)
		return;
	evhttp_free(m->http);
	event_free(m->retry);
	free(m->listen);
	free(m);
	d->metrics = NULL;
}
