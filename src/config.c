/* SPDX-License-Identifier: ISC */
/*
 * config.c: libconfig file -> a new, fully validated struct config.
 * libconfig accepts unknown keys, and reads a key of the wrong type as a
 * missing one, so every group is walked against a table of known keys and
 * every value's type is checked before it is read.  Nothing outside the
 * new structure is touched, so a bad file costs the running daemon nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <arpa/inet.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hashmap.h"
#include "log.h"

struct key {
	const char	*name;
	int		 type;		/* CONFIG_TYPE_* */
};

struct loader {
	const char		*path;
	struct config_errors	*errs;
	struct config		*conf;
};

static const struct key top_keys[] = {
	{ "tun", CONFIG_TYPE_GROUP },
	{ "siit", CONFIG_TYPE_GROUP },
	{ "control", CONFIG_TYPE_GROUP },
	{ "metrics", CONFIG_TYPE_GROUP },
	{ NULL, 0 }
};

static const struct key tun_keys[] = {
	{ "name", CONFIG_TYPE_STRING },
	{ "mtu", CONFIG_TYPE_INT },
	{ "routes", CONFIG_TYPE_BOOL },
	{ "offload", CONFIG_TYPE_BOOL },
	{ NULL, 0 }
};

static const struct key control_keys[] = {
	{ "socket", CONFIG_TYPE_STRING },
	{ "group", CONFIG_TYPE_STRING },
	{ NULL, 0 }
};

static const struct key metrics_keys[] = {
	{ "listen", CONFIG_TYPE_STRING },
	{ NULL, 0 }
};

static const struct key siit_keys[] = {
	{ "pool6", CONFIG_TYPE_STRING },
	{ "eam", CONFIG_TYPE_LIST },
	{ "eam-file", CONFIG_TYPE_STRING },
	{ "denylist4", CONFIG_TYPE_ARRAY },
	{ "allow-wkp-nonglobal", CONFIG_TYPE_BOOL },
	{ "copy-tos", CONFIG_TYPE_BOOL },
	{ "one-hop", CONFIG_TYPE_BOOL },
	{ "udp-zero-checksum", CONFIG_TYPE_STRING },
	{ "lowest-ipv6-mtu", CONFIG_TYPE_INT },
	{ "rfc6791-pool4", CONFIG_TYPE_STRING },
	{ "rfc6791-pool6", CONFIG_TYPE_STRING },
	{ "icmp-rate", CONFIG_TYPE_INT },
	{ "icmp-burst", CONFIG_TYPE_INT },
	{ NULL, 0 }
};

static const struct key eam_keys[] = {
	{ "ipv4", CONFIG_TYPE_STRING },
	{ "ipv6", CONFIG_TYPE_STRING },
	{ NULL, 0 }
};

/* Append one message to errs; out of memory loses the message only. */
static void __attribute__((format(printf, 2, 3)))
errorf(struct config_errors *errs, const char *fmt, ...)
{
	char		*msg, **n;
	va_list		 ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;
	n = reallocarray(errs->msg, errs->n + 1, sizeof *n);
	if (n == NULL) {
		free(msg);
		return;
	}
	errs->msg = n;
	errs->msg[errs->n++] = msg;
}

/* Report a problem at setting s, as "file:line: message". */
static void __attribute__((format(printf, 3, 4)))
conf_error(struct loader *l, const config_setting_t *s, const char *fmt, ...)
{
	const char	*file;
	char		*msg;
	va_list		 ap;
	int		 line;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return;
	file = config_setting_source_file(s);
	line = config_setting_source_line(s);
	errorf(l->errs, "%s:%d: %s", file != NULL ? file : l->path,
	    line, msg);
	free(msg);
}

static const char *
type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP:
		return ("a group { ... }");
	case CONFIG_TYPE_LIST:
		return ("a list ( ... )");
	case CONFIG_TYPE_STRING:
		return ("a string");
	case CONFIG_TYPE_INT:
		return ("an integer");
	case CONFIG_TYPE_BOOL:
		return ("true or false");
	case CONFIG_TYPE_ARRAY:
		return ("an array [ ... ] of strings");
	default:
		return ("another type");
	}
}

/* The full name of a setting for messages: "siit.eam[2].ipv4". */
static void
setting_path(const config_setting_t *s, char *buf, size_t size)
{
	size_t	n;

	if (s == NULL || config_setting_parent(s) == NULL) {
		buf[0] = '\0';
		return;
	}
	setting_path(config_setting_parent(s), buf, size);
	n = strlen(buf);
	if (config_setting_name(s) != NULL)
		snprintf(buf + n, size - n, "%s%s", n > 0 ? "." : "",
		    config_setting_name(s));
	else
		snprintf(buf + n, size - n, "[%d]",
		    config_setting_index(s) + 1);
}

/* Every member of group g must be in keys, with the right type. */
static int
check_keys(struct loader *l, const config_setting_t *g, const struct key *keys)
{
	config_setting_t	*s;
	const struct key	*k;
	char			 name[256];
	int			 i, bad = 0, type;

	for (i = 0; (s = config_setting_get_elem(g, i)) != NULL; i++) {
		setting_path(s, name, sizeof name);
		for (k = keys; k->name != NULL; k++)
			if (strcmp(k->name, config_setting_name(s)) == 0)
				break;
		if (k->name == NULL) {
			conf_error(l, s, "%s: unknown key", name);
			bad = 1;
			continue;
		}
		type = config_setting_type(s);
		/* An integer too large for 32 bits is read as INT64. */
		if (k->type == CONFIG_TYPE_INT && type == CONFIG_TYPE_INT64)
			continue;
		/* A list of groups may also be written as an array ([]). */
		if (k->type == CONFIG_TYPE_LIST && type == CONFIG_TYPE_ARRAY)
			continue;
		if (k->type == CONFIG_TYPE_ARRAY && type == CONFIG_TYPE_LIST)
			continue;
		if (type != k->type) {
			conf_error(l, s, "%s: must be %s", name,
			    type_name(k->type));
			bad = 1;
		}
	}
	return (bad ? -1 : 0);
}

/* Read an integer key in [min, max]; 0 when absent, -1 when bad. */
static int
get_int(struct loader *l, const config_setting_t *g, const char *key,
    long long min, long long max, int *out)
{
	config_setting_t	*s;
	long long		 v;
	char			 name[256];

	if ((s = config_setting_get_member(g, key)) == NULL)
		return (0);
	/* A wrong type was reported by check_keys(). */
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return (-1);
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		setting_path(s, name, sizeof name);
		conf_error(l, s, "%s: %lld is out of range (%lld-%lld)",
		    name, v, min, max);
		return (-1);
	}
	*out = (int)v;
	return (1);
}

static const char *
get_string(const config_setting_t *g, const char *key,
    config_setting_t **sp)
{
	*sp = config_setting_get_member(g, key);
	if (*sp == NULL || config_setting_type(*sp) != CONFIG_TYPE_STRING)
		return (NULL);
	return (config_setting_get_string(*sp));
}

/* What the kernel accepts, less '%', which would make it pick a name. */
static bool
valid_ifname(const char *name)
{
	const char	*p;

	if (name[0] == '\0' || strlen(name) >= IFNAMSIZ ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return (false);
	for (p = name; *p != '\0'; p++)
		if (*p == '/' || *p == ':' || *p == '%' ||
		    isspace((unsigned char)*p))
			return (false);
	return (true);
}

static void
get_bool(const config_setting_t *g, const char *key, bool *out)
{
	config_setting_t	*s = config_setting_get_member(g, key);

	if (s != NULL && config_setting_type(s) == CONFIG_TYPE_BOOL)
		*out = config_setting_get_bool(s) != 0;
}

static void
load_tun(struct loader *l, const config_setting_t *g)
{
	config_setting_t	*s;
	const char		*name;

	check_keys(l, g, tun_keys);
	if ((name = get_string(g, "name", &s)) != NULL) {
		if (!valid_ifname(name))
			conf_error(l, s, "tun.name: \"%s\": not a valid "
			    "interface name (1-%d characters, none of "
			    "/ : %% or space, not . or ..)", name,
			    IFNAMSIZ - 1);
		else
			strcpy(l->conf->tun_name, name);
	}
	get_int(l, g, "mtu", CONFIG_MTU_MIN, CONFIG_MTU_MAX, &l->conf->mtu);
	get_bool(g, "routes", &l->conf->routes);
	get_bool(g, "offload", &l->conf->offload);
}

/* Replace *out with a copy of the string value of key, if present. */
static void
get_strdup(struct loader *l, const config_setting_t *g, const char *key,
    char **out)
{
	config_setting_t	*s;
	const char		*v;

	if ((v = get_string(g, key, &s)) == NULL)
		return;
	free(*out);
	if ((*out = strdup(v)) == NULL)
		conf_error(l, s, "%s: out of memory", key);
}

static void
load_control(struct loader *l, const config_setting_t *g)
{
	config_setting_t	*s;

	check_keys(l, g, control_keys);
	get_strdup(l, g, "socket", &l->conf->ctl_socket);
	get_strdup(l, g, "group", &l->conf->ctl_group);
	if ((s = config_setting_get_member(g, "socket")) != NULL &&
	    l->conf->ctl_socket != NULL && l->conf->ctl_socket[0] != '/')
		conf_error(l, s, "control.socket: \"%s\": not an absolute "
		    "path", l->conf->ctl_socket);
}

/* metrics.listen: "[ADDRESS]:PORT" or "IPv4:PORT". */
static void
load_metrics(struct loader *l, const config_setting_t *g)
{
	config_setting_t	*s;
	const char		*v, *colon;

	check_keys(l, g, metrics_keys);
	if ((v = get_string(g, "listen", &s)) == NULL)
		return;
	colon = strrchr(v, ':');
	if (colon == NULL || colon == v || colon[1] == '\0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    atoi(colon + 1) < 1 || atoi(colon + 1) > 65535 ||
	    (v[0] == '[' && colon[-1] != ']')) {
		conf_error(l, s, "metrics.listen: \"%s\": must be "
		    "\"ADDRESS:PORT\", IPv6 addresses in brackets", v);
		return;
	}
	get_strdup(l, g, "listen", &l->conf->metrics_listen);
}

static int
parse_prefix6(struct loader *l, config_setting_t *s, struct prefix6 *p)
{
	const char	*why, *v = config_setting_get_string(s);
	char		 name[256];

	if (addr_parse6(v, p, &why) == -1) {
		setting_path(s, name, sizeof name);
		conf_error(l, s, "%s: \"%s\": %s", name, v, why);
		return (-1);
	}
	return (0);
}

static int
parse_prefix4(struct loader *l, config_setting_t *s, struct prefix4 *p)
{
	const char	*why, *v = config_setting_get_string(s);
	char		 name[256];

	if (addr_parse4(v, p, &why) == -1) {
		setting_path(s, name, sizeof name);
		conf_error(l, s, "%s: \"%s\": %s", name, v, why);
		return (-1);
	}
	return (0);
}

/* One siit.eam entry; both sides must have host parts of equal size. */
static int
load_eam_entry(struct loader *l, config_setting_t *e, struct config_eam *out)
{
	config_setting_t	*s4, *s6;
	char			 name[256];
	int			 bad = 0;

	setting_path(e, name, sizeof name);
	if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
		conf_error(l, e, "%s: must be a group { ipv4 = ...; "
		    "ipv6 = ...; }", name);
		return (-1);
	}
	if (check_keys(l, e, eam_keys) == -1)
		return (-1);
	if (get_string(e, "ipv4", &s4) == NULL ||
	    get_string(e, "ipv6", &s6) == NULL) {
		conf_error(l, e, "%s: needs both ipv4 and ipv6", name);
		return (-1);
	}
	if (parse_prefix4(l, s4, &out->p4) == -1)
		bad = 1;
	if (parse_prefix6(l, s6, &out->p6) == -1)
		bad = 1;
	if (bad)
		return (-1);
	if (32 - out->p4.len != 128 - out->p6.len) {
		conf_error(l, e, "%s: ipv4 /%u and ipv6 /%u have host parts "
		    "of different sizes (%u and %u bits)", name, out->p4.len,
		    out->p6.len, 32 - out->p4.len, 128 - out->p6.len);
		return (-1);
	}
	out->line = config_setting_source_line(e);
	out->index = config_setting_index(e);
	return (0);
}

/* Report a conflict at entry i with the earlier entry old. */
static void
eam_conflict(struct loader *l, const config_setting_t *list, size_t i,
    size_t old, const char *what)
{
	const struct config_eam	*e = &l->conf->eam[i], *o = &l->conf->eam[old];
	const char		*ofile;
	char			 a[ADDR_STRLEN], where[PATH_MAX + 16];

	if (what[3] == '4')
		addr_str4(&e->p4, a, sizeof a);
	else
		addr_str6(&e->p6, a, sizeof a);
	ofile = o->index >= 0 ? l->path : l->conf->eam_file;
	if ((o->index >= 0) == (e->index >= 0))
		snprintf(where, sizeof where, "line %d", o->line);
	else
		snprintf(where, sizeof where, "%s:%d", ofile, o->line);
	if (e->index >= 0)
		conf_error(l, config_setting_get_elem(list, e->index),
		    "siit.eam: %s %s is already mapped at %s", what, a, where);
	else
		errorf(l->errs, "%s:%d: siit.eam-file: %s %s is already "
		    "mapped at %s", l->conf->eam_file, e->line, what, a, where);
}

/*
 * Two EAM entries conflict when they map the same IPv4 prefix, or the same
 * IPv6 prefix: one nested in another is allowed (RFC 7757 3.2, the longest
 * match wins), so an exact repeat is the only conflict there can be.
 */
static void
check_eam_conflicts(struct loader *l, const config_setting_t *list)
{
	struct config		*c = l->conf;
	struct hashmap		 m4, m6;
	uint8_t			 k4[8], k6[20];
	uint32_t		 old;
	size_t			 i;

	if (hashmap_init(&m4, sizeof k4, c->neam) == -1 ||
	    hashmap_init(&m6, sizeof k6, c->neam) == -1) {
		errorf(l->errs, "%s: siit.eam: out of memory", l->path);
		return;
	}
	for (i = 0; i < c->neam; i++) {
		memset(k4, 0, sizeof k4);
		memcpy(k4, &c->eam[i].p4.addr, 4);
		k4[4] = c->eam[i].p4.len;
		memset(k6, 0, sizeof k6);
		memcpy(k6, &c->eam[i].p6.addr, 16);
		k6[16] = c->eam[i].p6.len;
		if (hashmap_insert(&m4, k4, (uint32_t)i, &old) == 1)
			eam_conflict(l, list, i, old, "ipv4");
		else if (hashmap_insert(&m6, k6, (uint32_t)i, &old) == 1)
			eam_conflict(l, list, i, old, "ipv6");
	}
	hashmap_free(&m4);
	hashmap_free(&m6);
}

/* Make room for one more EAM entry. */
static struct config_eam *
eam_append(struct config *c, size_t *cap)
{
	struct config_eam	*n;
	size_t			 ncap;

	if (c->neam == *cap) {
		ncap = *cap < 1024 ? 1024 : *cap * 2;
		if ((n = reallocarray(c->eam, ncap, sizeof *n)) == NULL)
			return (NULL);
		c->eam = n;
		*cap = ncap;
	}
	memset(&c->eam[c->neam], 0, sizeof *c->eam);
	return (&c->eam[c->neam]);
}

static void
load_eam(struct loader *l, config_setting_t *list, size_t *cap)
{
	struct config		*c = l->conf;
	struct config_eam	*e;
	int			 i, n;

	n = config_setting_length(list);
	for (i = 0; i < n; i++) {
		if ((e = eam_append(c, cap)) == NULL) {
			conf_error(l, list, "siit.eam: out of memory");
			return;
		}
		if (load_eam_entry(l, config_setting_get_elem(list, i),
		    e) == 0)
			c->neam++;
	}
}

/*
 * One line of an eam-file: "IPV4[/LEN] IPV6[/LEN]", blank, or a comment
 * from '#'.  0 with *e filled, 1 for nothing on the line, -1 on error.
 */
static int
eam_file_line(char *line, struct config_eam *e, const char **why)
{
	char	*a, *b, *rest, *hash;

	if ((hash = strchr(line, '#')) != NULL)
		*hash = '\0';
	if ((a = strtok_r(line, " \t\r\n", &rest)) == NULL)
		return (1);
	if ((b = strtok_r(NULL, " \t\r\n", &rest)) == NULL) {
		*why = "needs an IPv4 and an IPv6 address or prefix";
		return (-1);
	}
	if (strtok_r(NULL, " \t\r\n", &rest) != NULL) {
		*why = "more than two fields";
		return (-1);
	}
	if (addr_parse4(a, &e->p4, why) == -1 ||
	    addr_parse6(b, &e->p6, why) == -1)
		return (-1);
	if (32 - e->p4.len != 128 - e->p6.len) {
		*why = "ipv4 and ipv6 host parts differ in size";
		return (-1);
	}
	return (0);
}

/*
 * siit.eam-file: a million mappings load in well under a second, where
 * libconfig would take seconds and hundreds of megabytes.
 */
static void
load_eam_file(struct loader *l, config_setting_t *s, size_t *cap)
{
	struct config		*c = l->conf;
	struct config_eam	*e;
	FILE			*f;
	char			*line = NULL;
	size_t			 size = 0;
	const char		*why;
	int			 n = 0, bad = 0, rv;

	if ((f = fopen(c->eam_file, "r")) == NULL) {
		conf_error(l, s, "siit.eam-file: %s: %s", c->eam_file,
		    strerror(errno));
		return;
	}
	while (getline(&line, &size, f) != -1) {
		n++;
		if ((e = eam_append(c, cap)) == NULL) {
			errorf(l->errs, "%s:%d: out of memory", c->eam_file, n);
			break;
		}
		if ((rv = eam_file_line(line, e, &why)) == 0) {
			e->line = n;
			e->index = -1;
			c->neam++;
		} else if (rv == -1 && bad++ < 100)
			errorf(l->errs, "%s:%d: %s", c->eam_file, n, why);
	}
	if (ferror(f))
		errorf(l->errs, "%s: %s", c->eam_file, strerror(errno));
	if (bad > 100)
		errorf(l->errs, "%s: %d more errors", c->eam_file, bad - 100);
	free(line);
	fclose(f);
}

/* The eam-file path; a relative one is taken from the config's folder. */
static void
eam_file_path(struct loader *l, config_setting_t *s, const char *v)
{
	const char	*slash = strrchr(l->path, '/');
	int		 dirlen = slash != NULL ? (int)(slash - l->path) : 0;

	if (v[0] == '/' || slash == NULL)
		l->conf->eam_file = strdup(v);
	else if (asprintf(&l->conf->eam_file, "%.*s/%s", dirlen, l->path,
	    v) == -1)
		l->conf->eam_file = NULL;
	if (l->conf->eam_file == NULL)
		conf_error(l, s, "siit.eam-file: out of memory");
}

/* siit.denylist4: IPv4 prefixes never translated. */
static void
load_denylist(struct loader *l, config_setting_t *list)
{
	struct config		*c = l->conf;
	config_setting_t	*e;
	int			 i, n = config_setting_length(list);

	if (n == 0)
		return;
	if ((c->deny4 = calloc(n, sizeof *c->deny4)) == NULL) {
		conf_error(l, list, "siit.denylist4: out of memory");
		return;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			conf_error(l, e, "siit.denylist4[%d]: must be a "
			    "string", i + 1);
		else if (parse_prefix4(l, e, &c->deny4[c->ndeny4]) == 0)
			c->ndeny4++;
	}
}

/* A source for ICMP errors: a small block, of ordinary unicast space. */
static void
check_pool6791_4(struct loader *l, config_setting_t *s,
    const struct prefix4 *p)
{
	uint32_t	a = ntohl(p->addr);

	if (p->len < 16)
		conf_error(l, s, "siit.rfc6791-pool4: /%u is too large "
		    "(at most a /16)", p->len);
	else if ((a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) >= 14)
		conf_error(l, s, "siit.rfc6791-pool4: not a unicast "
		    "address range (RFC 7915 4.1)");
}

/* The siit keys that tune behaviour; each has a default. */
static void
load_siit_options(struct loader *l, config_setting_t *g)
{
	struct config		*c = l->conf;
	config_setting_t	*s;
	const char		*v;

	get_bool(g, "allow-wkp-nonglobal", &c->allow_wkp_nonglobal);
	get_bool(g, "copy-tos", &c->copy_tos);
	get_bool(g, "one-hop", &c->one_hop);
	get_int(l, g, "lowest-ipv6-mtu", CONFIG_MTU_MIN, CONFIG_MTU_MAX,
	    &c->lowest_mtu);
	get_int(l, g, "icmp-rate", 0, 1000000, &c->icmp_rate);
	get_int(l, g, "icmp-burst", 1, 1000000, &c->icmp_burst);
	if ((v = get_string(g, "udp-zero-checksum", &s)) != NULL) {
		if (strcmp(v, "compute") == 0)
			c->udp0_compute = true;
		else if (strcmp(v, "drop") == 0)
			c->udp0_compute = false;
		else
			conf_error(l, s, "siit.udp-zero-checksum: \"%s\": "
			    "must be \"compute\" or \"drop\"", v);
	}
	if (get_string(g, "rfc6791-pool4", &s) != NULL &&
	    parse_prefix4(l, s, &c->pool6791_4) == 0)
		check_pool6791_4(l, s, &c->pool6791_4);
	if (get_string(g, "rfc6791-pool6", &s) != NULL &&
	    parse_prefix6(l, s, &c->pool6791_6) == 0)
		c->has_pool6791_6 = true;
}

static void
load_siit(struct loader *l, config_setting_t *g)
{
	config_setting_t	*s, *list;
	const char		*v;
	size_t			 cap = 0;

	check_keys(l, g, siit_keys);
	if (get_string(g, "pool6", &s) != NULL &&
	    parse_prefix6(l, s, &l->conf->pool6) == 0) {
		if (!addr_valid6052_len(l->conf->pool6.len))
			conf_error(l, s, "siit.pool6: /%u is not an RFC 6052 "
			    "prefix length (32, 40, 48, 56, 64 or 96)",
			    l->conf->pool6.len);
		else if (l->conf->pool6.addr.s6_addr[8] != 0)
			conf_error(l, s, "siit.pool6: bits 64-71 (the u octet) "
			    "must be zero (RFC 6052 2.2)");
		else
			l->conf->has_pool6 = true;
	}
	if ((list = config_setting_get_member(g, "eam")) != NULL &&
	    config_setting_is_aggregate(list))
		load_eam(l, list, &cap);
	else
		list = NULL;
	if ((v = get_string(g, "eam-file", &s)) != NULL) {
		eam_file_path(l, s, v);
		if (l->conf->eam_file != NULL)
			load_eam_file(l, s, &cap);
	}
	check_eam_conflicts(l, list);
	if ((s = config_setting_get_member(g, "denylist4")) != NULL &&
	    config_setting_is_aggregate(s))
		load_denylist(l, s);
	load_siit_options(l, g);
}

static void
load_root(struct loader *l, config_setting_t *root)
{
	config_setting_t	*s;

	check_keys(l, root, top_keys);
	if ((s = config_setting_get_member(root, "tun")) != NULL &&
	    config_setting_type(s) == CONFIG_TYPE_GROUP)
		load_tun(l, s);
	if ((s = config_setting_get_member(root, "control")) != NULL &&
	    config_setting_type(s) == CONFIG_TYPE_GROUP)
		load_control(l, s);
	if ((s = config_setting_get_member(root, "metrics")) != NULL &&
	    config_setting_type(s) == CONFIG_TYPE_GROUP)
		load_metrics(l, s);
	if ((s = config_setting_get_member(root, "siit")) == NULL) {
		errorf(l->errs, "%s: no siit group: nothing to translate",
		    l->path);
		return;
	}
	load_siit(l, s);
	if (!l->conf->has_pool6 && l->conf->neam == 0 && l->errs->n == 0)
		conf_error(l, s, "siit: needs pool6, eam or both");
}

/* The value of every key the file leaves out. */
void
config_defaults(struct config *c)
{
	const char	*why;

	strcpy(c->tun_name, CONFIG_TUN_DEFAULT);
	c->mtu = CONFIG_MTU_DEFAULT;
	c->routes = true;
	c->offload = true;
	c->copy_tos = true;
	c->one_hop = true;
	c->udp0_compute = true;
	c->lowest_mtu = CONFIG_LOWEST_MTU;
	addr_parse4(CONFIG_POOL6791_4, &c->pool6791_4, &why);
	c->icmp_rate = CONFIG_ICMP_RATE;
	c->icmp_burst = CONFIG_ICMP_BURST;
}

/* Read and validate path.  NULL, with errs filled in, on any error. */
struct config *
config_load(const char *path, struct config_errors *errs)
{
	struct loader	 l = { path, errs, NULL };
	config_t	 cf;
	size_t		 before = errs->n;

	if ((l.conf = calloc(1, sizeof *l.conf)) == NULL ||
	    (l.conf->path = strdup(path)) == NULL) {
		errorf(errs, "%s: %s", path, strerror(errno));
		config_free(l.conf);
		return (NULL);
	}
	config_defaults(l.conf);
	if ((l.conf->ctl_socket = strdup(CONFIG_CTL_SOCKET)) == NULL) {
		errorf(errs, "%s: %s", path, strerror(errno));
		config_free(l.conf);
		return (NULL);
	}

	config_init(&cf);
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			errorf(errs, "%s: %s", path, strerror(errno));
		else
			errorf(errs, "%s:%d: %s",
			    config_error_file(&cf) ? config_error_file(&cf) :
			    path, config_error_line(&cf),
			    config_error_text(&cf));
	} else
		load_root(&l, config_root_setting(&cf));
	config_destroy(&cf);

	if (errs->n != before) {
		config_free(l.conf);
		return (NULL);
	}
	return (l.conf);
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->ctl_socket);
	free(c->ctl_group);
	free(c->metrics_listen);
	free(c->eam);
	free(c->eam_file);
	free(c->deny4);
	free(c);
}

void
config_errors_clear(struct config_errors *errs)
{
	size_t	i;

	for (i = 0; i < errs->n; i++)
		free(errs->msg[i]);
	free(errs->msg);
	errs->msg = NULL;
	errs->n = 0;
}

/*
 * A string as libconfig reads it back: quotes, backslashes and control
 * bytes escaped, so that -nv output always parses again.
 */
static void
print_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* Print the configuration in the file's own syntax, normalized. */
void
config_print(const struct config *c, FILE *f)
{
	char	a[ADDR_STRLEN], b[ADDR_STRLEN];
	size_t	i, n;

	fprintf(f, "tun = {\n\tname = ");
	print_quoted(f, c->tun_name);
	fprintf(f, ";\n\tmtu = %d;\n\troutes = %s;\n\toffload = %s;\n};\n",
	    c->mtu, c->routes ? "true" : "false",
	    c->offload ? "true" : "false");
	/* The default path depends on the build: print it only if set. */
	if (strcmp(c->ctl_socket, CONFIG_CTL_SOCKET) != 0 ||
	    c->ctl_group != NULL) {
		fprintf(f, "control = {\n\tsocket = ");
		print_quoted(f, c->ctl_socket);
		fprintf(f, ";\n");
		if (c->ctl_group != NULL) {
			fprintf(f, "\tgroup = ");
			print_quoted(f, c->ctl_group);
			fprintf(f, ";\n");
		}
		fprintf(f, "};\n");
	}
	if (c->metrics_listen != NULL) {
		fprintf(f, "metrics = {\n\tlisten = ");
		print_quoted(f, c->metrics_listen);
		fprintf(f, ";\n};\n");
	}
	fprintf(f, "siit = {\n");
	if (c->has_pool6)
		fprintf(f, "\tpool6 = \"%s\";\n",
		    addr_str6(&c->pool6, a, sizeof a));
	for (i = 0, n = 0; i < c->neam; i++)
		n += c->eam[i].index >= 0;
	if (n > 0) {
		fprintf(f, "\team = (\n");
		for (i = 0; i < c->neam; i++) {
			if (c->eam[i].index < 0)
				continue;
			fprintf(f, "\t\t{ ipv4 = \"%s\"; ipv6 = \"%s\"; }%s\n",
			    addr_str4(&c->eam[i].p4, a, sizeof a),
			    addr_str6(&c->eam[i].p6, b, sizeof b),
			    --n > 0 ? "," : "");
		}
		fprintf(f, "\t);\n");
	}
	if (c->eam_file != NULL) {
		fprintf(f, "\team-file = ");
		print_quoted(f, c->eam_file);
		fprintf(f, ";\n");
	}
	if (c->ndeny4 > 0) {
		fprintf(f, "\tdenylist4 = [ ");
		for (i = 0; i < c->ndeny4; i++)
			fprintf(f, "%s\"%s\"", i > 0 ? ", " : "",
			    addr_str4(&c->deny4[i], a, sizeof a));
		fprintf(f, " ];\n");
	}
	fprintf(f, "\tallow-wkp-nonglobal = %s;\n",
	    c->allow_wkp_nonglobal ? "true" : "false");
	fprintf(f, "\tcopy-tos = %s;\n", c->copy_tos ? "true" : "false");
	fprintf(f, "\tone-hop = %s;\n", c->one_hop ? "true" : "false");
	fprintf(f, "\tudp-zero-checksum = \"%s\";\n",
	    c->udp0_compute ? "compute" : "drop");
	fprintf(f, "\tlowest-ipv6-mtu = %d;\n", c->lowest_mtu);
	fprintf(f, "\trfc6791-pool4 = \"%s\";\n",
	    addr_str4(&c->pool6791_4, a, sizeof a));
	if (c->has_pool6791_6)
		fprintf(f, "\trfc6791-pool6 = \"%s\";\n",
		    addr_str6(&c->pool6791_6, a, sizeof a));
	fprintf(f, "\ticmp-rate = %d;\n", c->icmp_rate);
	fprintf(f, "\ticmp-burst = %d;\n", c->icmp_burst);
	fprintf(f, "};\n");
}

/* Swap the string at *a with the one at *b. */
static void
swap_str(char **a, char **b)
{
	char	*t = *a;

	*a = *b;
	*b = t;
}

static bool
str_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != b);
	return (strcmp(a, b) != 0);
}

/*
 * Keys that only a restart can change: a new value is named in the log
 * and the running one is kept in the new configuration.
 */
void
config_keep_restart(const struct config *run, struct config *c)
{
	char	*keep;

	if (strcmp(run->tun_name, c->tun_name) != 0) {
		log_warnx("reload: tun.name changes only on restart, "
		    "keeping \"%s\"", run->tun_name);
		strcpy(c->tun_name, run->tun_name);
	}
	if (run->offload != c->offload) {
		log_warnx("reload: tun.offload changes only on restart, "
		    "keeping %s", run->offload ? "true" : "false");
		c->offload = run->offload;
	}
	if (str_differ(run->ctl_socket, c->ctl_socket)) {
		log_warnx("reload: control.socket changes only on restart, "
		    "keeping \"%s\"", run->ctl_socket);
		keep = run->ctl_socket ? strdup(run->ctl_socket) : NULL;
		swap_str(&c->ctl_socket, &keep);
		free(keep);
	}
	if (str_differ(run->ctl_group, c->ctl_group)) {
		log_warnx("reload: control.group changes only on restart");
		keep = run->ctl_group ? strdup(run->ctl_group) : NULL;
		swap_str(&c->ctl_group, &keep);
		free(keep);
	}
	if (str_differ(run->metrics_listen, c->metrics_listen)) {
		log_warnx("reload: metrics.listen changes only on restart");
		keep = run->metrics_listen ? strdup(run->metrics_listen) :
		    NULL;
		swap_str(&c->metrics_listen, &keep);
		free(keep);
	}
}
