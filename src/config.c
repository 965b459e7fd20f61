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

#include "bindings.h"
#include "config.h"
#include "hashmap.h"
#include "psid.h"
#include "log.h"

struct key {
	const char	*name;
	int		 type;		/* CONFIG_TYPE_* */
};

struct loader {
	const char		*path;
	struct config_errors	*errs;
	struct config		*conf;
	struct config_instance	*ci;		/* being loaded */
};

static const struct key top_keys[] = {
	{ "tun", CONFIG_TYPE_GROUP },
	{ "siit", CONFIG_TYPE_GROUP },
	{ "softwire", CONFIG_TYPE_GROUP },
	{ "instances", CONFIG_TYPE_LIST },
	{ "control", CONFIG_TYPE_GROUP },
	{ "metrics", CONFIG_TYPE_GROUP },
	{ NULL, 0 }
};

static const struct key instance_keys[] = {
	{ "tun", CONFIG_TYPE_GROUP },
	{ "siit", CONFIG_TYPE_GROUP },
	{ "softwire", CONFIG_TYPE_GROUP },
	{ NULL, 0 }
};

static const struct key tun_keys[] = {
	{ "name", CONFIG_TYPE_STRING },
	{ "mtu", CONFIG_TYPE_INT },
	{ "routes", CONFIG_TYPE_BOOL },
	{ "offload", CONFIG_TYPE_BOOL },
	{ "queues", CONFIG_TYPE_INT },
	{ NULL, 0 }
};

static const struct key softwire_keys[] = {
	{ "br-address", CONFIG_TYPE_STRING },
	{ "ipv4-address", CONFIG_TYPE_STRING },
	{ "bindings", CONFIG_TYPE_LIST },
	{ "bindings-file", CONFIG_TYPE_STRING },
	{ "routes", CONFIG_TYPE_LIST },
	{ "hairpinning", CONFIG_TYPE_BOOL },
	{ "ipv6-mtu", CONFIG_TYPE_INT },
	{ "hop-limit", CONFIG_TYPE_INT },
	{ "copy-tos", CONFIG_TYPE_BOOL },
	{ "icmp-unreachable", CONFIG_TYPE_STRING },
	{ "icmp-policy", CONFIG_TYPE_BOOL },
	{ "shared-echo", CONFIG_TYPE_STRING },
	{ "icmp-rate", CONFIG_TYPE_INT },
	{ "icmp-burst", CONFIG_TYPE_INT },
	{ "reassembly-packets", CONFIG_TYPE_INT },
	{ "reassembly-fragments", CONFIG_TYPE_INT },
	{ "reassembly-timeout", CONFIG_TYPE_INT },
	{ NULL, 0 }
};

static const struct key binding_keys[] = {
	{ "b4", CONFIG_TYPE_STRING },
	{ "ipv4", CONFIG_TYPE_STRING },
	{ "psid", CONFIG_TYPE_INT },
	{ "psid-length", CONFIG_TYPE_INT },
	{ "psid-offset", CONFIG_TYPE_INT },
	{ "br", CONFIG_TYPE_STRING },
	{ NULL, 0 }
};

static const struct key swroute_keys[] = {
	{ "prefix", CONFIG_TYPE_STRING },
	{ "remote", CONFIG_TYPE_STRING },
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
void
config_verrorf(struct config_errors *errs, const char *fmt, va_list ap)
{
	char	*msg, **n;

	if (vasprintf(&msg, fmt, ap) == -1)
		return;
	n = reallocarray(errs->msg, errs->n + 1, sizeof *n);
	if (n == NULL) {
		free(msg);
		return;
	}
	errs->msg = n;
	errs->msg[errs->n++] = msg;
}

void
config_errorf(struct config_errors *errs, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	config_verrorf(errs, fmt, ap);
	va_end(ap);
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
	config_errorf(l->errs, "%s:%d: %s", file != NULL ? file : l->path,
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
			strcpy(l->ci->tun_name, name);
	}
	get_int(l, g, "mtu", CONFIG_MTU_MIN, CONFIG_MTU_MAX, &l->ci->mtu);
	get_bool(g, "routes", &l->ci->routes);
	get_bool(g, "offload", &l->ci->offload);
	get_int(l, g, "queues", 1, CONFIG_QUEUES_MAX, &l->ci->queues);
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
	const struct config_eam	*e = &l->ci->eam[i], *o = &l->ci->eam[old];
	const char		*ofile;
	char			 a[ADDR_STRLEN], where[PATH_MAX + 16];

	if (what[3] == '4')
		addr_str4(&e->p4, a, sizeof a);
	else
		addr_str6(&e->p6, a, sizeof a);
	ofile = o->index >= 0 ? l->path : l->ci->eam_file;
	if ((o->index >= 0) == (e->index >= 0))
		snprintf(where, sizeof where, "line %d", o->line);
	else
		snprintf(where, sizeof where, "%s:%d", ofile, o->line);
	if (e->index >= 0)
		conf_error(l, config_setting_get_elem(list, e->index),
		    "siit.eam: %s %s is already mapped at %s", what, a, where);
	else
		config_errorf(l->errs, "%s:%d: siit.eam-file: %s %s is already "
		    "mapped at %s", l->ci->eam_file, e->line, what, a, where);
}

/*
 * Two EAM entries conflict when they map the same IPv4 prefix, or the same
 * IPv6 prefix: one nested in another is allowed (RFC 7757 3.2, the longest
 * match wins), so an exact repeat is the only conflict there can be.
 */
static void
check_eam_conflicts(struct loader *l, const config_setting_t *list)
{
	struct config_instance	*c = l->ci;
	struct hashmap		 m4, m6;
	uint8_t			 k4[8], k6[20];
	uint32_t		 old;
	size_t			 i;

	if (hashmap_init(&m4, sizeof k4, c->neam) == -1 ||
	    hashmap_init(&m6, sizeof k6, c->neam) == -1) {
		config_errorf(l->errs, "%s: siit.eam: out of memory", l->path);
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
eam_append(struct config_instance *c, size_t *cap)
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
	struct config_instance	*c = l->ci;
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
	struct config_instance	*c = l->ci;
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
			config_errorf(l->errs, "%s:%d: out of memory", c->eam_file, n);
			break;
		}
		if ((rv = eam_file_line(line, e, &why)) == 0) {
			e->line = n;
			e->index = -1;
			c->neam++;
		} else if (rv == -1 && bad++ < 100)
			config_errorf(l->errs, "%s:%d: %s", c->eam_file, n, why);
	}
	if (ferror(f))
		config_errorf(l->errs, "%s: %s", c->eam_file, strerror(errno));
	if (bad > 100)
		config_errorf(l->errs, "%s: %d more errors", c->eam_file, bad - 100);
	free(line);
	fclose(f);
}

/* A file named in the config; a relative path is taken from its folder. */
static char *
file_path(struct loader *l, config_setting_t *s, const char *v)
{
	const char	*slash = strrchr(l->path, '/');
	int		 dirlen = slash != NULL ? (int)(slash - l->path) : 0;
	char		*path, name[256];

	if (v[0] == '/' || slash == NULL)
		path = strdup(v);
	else if (asprintf(&path, "%.*s/%s", dirlen, l->path, v) == -1)
		path = NULL;
	if (path == NULL) {
		setting_path(s, name, sizeof name);
		conf_error(l, s, "%s: out of memory", name);
	}
	return (path);
}

/* siit.denylist4: IPv4 prefixes never translated. */
static void
load_denylist(struct loader *l, config_setting_t *list)
{
	struct config_instance	*c = l->ci;
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
	struct config_instance	*c = l->ci;
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
	    parse_prefix6(l, s, &l->ci->pool6) == 0) {
		if (!addr_valid6052_len(l->ci->pool6.len))
			conf_error(l, s, "siit.pool6: /%u is not an RFC 6052 "
			    "prefix length (32, 40, 48, 56, 64 or 96)",
			    l->ci->pool6.len);
		else if (l->ci->pool6.addr.s6_addr[8] != 0)
			conf_error(l, s, "siit.pool6: bits 64-71 (the u octet) "
			    "must be zero (RFC 6052 2.2)");
		else
			l->ci->has_pool6 = true;
	}
	if ((list = config_setting_get_member(g, "eam")) != NULL &&
	    config_setting_is_aggregate(list))
		load_eam(l, list, &cap);
	else
		list = NULL;
	if ((v = get_string(g, "eam-file", &s)) != NULL) {
		l->ci->eam_file = file_path(l, s, v);
		if (l->ci->eam_file != NULL)
			load_eam_file(l, s, &cap);
	}
	check_eam_conflicts(l, list);
	if ((s = config_setting_get_member(g, "denylist4")) != NULL &&
	    config_setting_is_aggregate(s))
		load_denylist(l, s);
	load_siit_options(l, g);
}

/* A single address where the key wants no prefix. */
static int
parse_host6(struct loader *l, config_setting_t *s, struct in6_addr *a)
{
	struct prefix6	 p;
	char		 name[256];

	if (parse_prefix6(l, s, &p) == -1)
		return (-1);
	if (p.len != 128) {
		setting_path(s, name, sizeof name);
		conf_error(l, s, "%s: \"%s\": must be an address, not a "
		    "prefix", name, config_setting_get_string(s));
		return (-1);
	}
	*a = p.addr;
	return (0);
}

static int
parse_host4(struct loader *l, config_setting_t *s, uint32_t *a)
{
	struct prefix4	 p;
	char		 name[256];

	if (parse_prefix4(l, s, &p) == -1)
		return (-1);
	if (p.len != 32) {
		setting_path(s, name, sizeof name);
		conf_error(l, s, "%s: \"%s\": must be an address, not a "
		    "prefix", name, config_setting_get_string(s));
		return (-1);
	}
	*a = p.addr;
	return (0);
}

/* One softwire.bindings entry. */
static void
load_binding(struct loader *l, config_setting_t *e)
{
	struct binding		 b;
	struct in6_addr		 br;
	config_setting_t	*s;
	char			 name[256];
	int			 k = 0, a = -1, psid = 0, bad = 0, idx;

	setting_path(e, name, sizeof name);
	if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
		conf_error(l, e, "%s: must be a group { b4 = ...; ipv4 = ...; "
		    "... }", name);
		return;
	}
	if (check_keys(l, e, binding_keys) == -1)
		return;
	memset(&b, 0, sizeof b);
	if (get_string(e, "b4", &s) == NULL ||
	    get_string(e, "ipv4", &s) == NULL) {
		conf_error(l, e, "%s: needs b4 and ipv4", name);
		return;
	}
	bad |= parse_host6(l, config_setting_get_member(e, "b4"), &b.b4);
	bad |= parse_host4(l, config_setting_get_member(e, "ipv4"), &b.ipv4);
	bad |= get_int(l, e, "psid-length", 0, 16, &k) == -1;
	bad |= get_int(l, e, "psid-offset", 0, 16, &a) == -1;
	bad |= get_int(l, e, "psid", 0, 65535, &psid) == -1;
	if (bad)
		return;
	if (a == -1)
		a = k > 0 ? PSID_OFFSET_DEFAULT : 0;
	if (k == 0 && a > 0) {
		conf_error(l, e, "%s: psid-offset without a psid-length",
		    name);
		return;
	}
	if (a + k > 16) {
		conf_error(l, e, "%s: psid-offset %d + psid-length %d is more "
		    "than 16 bits", name, a, k);
		return;
	}
	if (psid >= (1 << k)) {
		conf_error(l, e, "%s: psid %d does not fit in psid-length %d",
		    name, psid, k);
		return;
	}
	b.psid = (uint16_t)psid;
	b.psid_len = (uint8_t)k;
	b.psid_offset = (uint8_t)a;
	if (get_string(e, "br", &s) != NULL) {
		if (parse_host6(l, s, &br) == -1)
			return;
		if ((idx = bindings_br(&l->ci->bind, &br)) == -1) {
			conf_error(l, e, "%s: %s", name, errno == E2BIG ?
			    "too many BR addresses" : strerror(errno));
			return;
		}
		b.br = (uint32_t)idx;
	}
	b.line = (uint32_t)config_setting_source_line(e) | BINDING_INLINE;
	if (bindings_add(&l->ci->bind, &b) == -1)
		conf_error(l, e, "%s: out of memory", name);
}

/* One softwire.routes entry: an IPv4 island behind a remote endpoint. */
static void
load_swroute(struct loader *l, config_setting_t *e, size_t *cap)
{
	struct config_instance	*c = l->ci;
	struct sw_route		 r, *n;
	config_setting_t	*s4, *s6;
	char			 name[256];

	setting_path(e, name, sizeof name);
	if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
		conf_error(l, e, "%s: must be a group { prefix = ...; "
		    "remote = ...; }", name);
		return;
	}
	if (check_keys(l, e, swroute_keys) == -1)
		return;
	if (get_string(e, "prefix", &s4) == NULL ||
	    get_string(e, "remote", &s6) == NULL) {
		conf_error(l, e, "%s: needs prefix and remote", name);
		return;
	}
	memset(&r, 0, sizeof r);
	if ((parse_prefix4(l, s4, &r.p4) | parse_host6(l, s6, &r.remote)) != 0)
		return;
	r.line = (uint32_t)config_setting_source_line(e);
	for (size_t i = 0; i < c->nswroutes; i++)
		if (c->swroutes[i].p4.addr == r.p4.addr &&
		    c->swroutes[i].p4.len == r.p4.len) {
			conf_error(l, e, "%s: %s is already routed at line %u",
			    name, config_setting_get_string(s4),
			    c->swroutes[i].line);
			return;
		}
	if (c->nswroutes == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		if ((n = reallocarray(c->swroutes, *cap, sizeof *n)) == NULL) {
			conf_error(l, e, "%s: out of memory", name);
			return;
		}
		c->swroutes = n;
	}
	c->swroutes[c->nswroutes++] = r;
}

/* softwire.icmp-unreachable and softwire.shared-echo. */
static void
load_softwire_policies(struct loader *l, config_setting_t *g)
{
	struct sw_settings	*sw = &l->ci->sw;
	config_setting_t	*s;
	const char		*v;

	if ((v = get_string(g, "icmp-unreachable", &s)) != NULL) {
		if (strcmp(v, "host") == 0)
			sw->unreach4 = SW_UNREACH_HOST;
		else if (strcmp(v, "admin") == 0)
			sw->unreach4 = SW_UNREACH_ADMIN;
		else if (strcmp(v, "none") == 0)
			sw->unreach4 = SW_UNREACH_NONE;
		else
			conf_error(l, s, "softwire.icmp-unreachable: \"%s\": "
			    "must be \"host\", \"admin\" or \"none\"", v);
	}
	if ((v = get_string(g, "shared-echo", &s)) != NULL) {
		if (strcmp(v, "reply") == 0)
			sw->reply_shared_echo = true;
		else if (strcmp(v, "drop") == 0)
			sw->reply_shared_echo = false;
		else
			conf_error(l, s, "softwire.shared-echo: \"%s\": must "
			    "be \"reply\" or \"drop\"", v);
	}
}

/* The softwire keys that tune behaviour; each has a default. */
static void
load_softwire_options(struct loader *l, config_setting_t *g)
{
	struct sw_settings	*sw = &l->ci->sw;
	config_setting_t	*s;
	int			 v;

	get_bool(g, "hairpinning", &sw->hairpinning);
	get_bool(g, "copy-tos", &sw->copy_tos);
	get_bool(g, "icmp-policy", &sw->policy6);
	if (get_int(l, g, "ipv6-mtu", CONFIG_MTU_MIN, CONFIG_MTU_MAX, &v) > 0)
		sw->ipv6_mtu = (uint16_t)v;
	if (get_int(l, g, "hop-limit", 1, 255, &v) > 0)
		sw->hop_limit = (uint8_t)v;
	if (get_int(l, g, "icmp-rate", 0, 1000000, &v) > 0)
		sw->icmp_rate = (uint32_t)v;
	if (get_int(l, g, "icmp-burst", 1, 1000000, &v) > 0)
		sw->icmp_burst = (uint32_t)v;
	if (get_int(l, g, "reassembly-packets", 0, 1000000, &v) > 0)
		sw->reasm_packets = (uint32_t)v;
	if (get_int(l, g, "reassembly-fragments", 2, 1000, &v) > 0)
		sw->reasm_fragments = (uint32_t)v;
	if (get_int(l, g, "reassembly-timeout", 100, 60000, &v) > 0)
		sw->reasm_timeout_ms = (uint32_t)v;
	if (get_string(g, "ipv4-address", &s) != NULL &&
	    parse_host4(l, s, &sw->ipv4) == 0)
		sw->has_ipv4 = true;
	load_softwire_policies(l, g);
}

/*
 * softwire.bindings-file.  A file that does not open is reported at the
 * key that names it, as siit.eam-file is; its lines report themselves.
 */
static void
load_bindings_file(struct loader *l, config_setting_t *s)
{
	struct config_instance	*c = l->ci;
	FILE			*f;

	if ((f = fopen(c->bindings_file, "r")) == NULL) {
		conf_error(l, s, "softwire.bindings-file: %s: %s",
		    c->bindings_file, strerror(errno));
		return;
	}
	bindings_file_read(&c->bind, f, c->bindings_file, l->errs);
	fclose(f);
}

static void
load_softwire(struct loader *l, config_setting_t *g)
{
	struct config_instance	*c = l->ci;
	config_setting_t	*s, *list;
	const char		*v;
	size_t			 cap = 0;
	int			 i;

	check_keys(l, g, softwire_keys);
	if (get_string(g, "br-address", &s) == NULL) {
		conf_error(l, g, "softwire: needs br-address");
		return;
	}
	/* br[0] is the default BR: bindings name others after it. */
	if (parse_host6(l, s, &c->sw.br) == 0 &&
	    bindings_br(&c->bind, &c->sw.br) == -1)
		conf_error(l, s, "softwire.br-address: out of memory");
	load_softwire_options(l, g);
	if ((list = config_setting_get_member(g, "bindings")) != NULL &&
	    config_setting_is_aggregate(list))
		for (i = 0; i < config_setting_length(list); i++)
			load_binding(l, config_setting_get_elem(list, i));
	if ((v = get_string(g, "bindings-file", &s)) != NULL &&
	    (c->bindings_file = file_path(l, s, v)) != NULL)
		load_bindings_file(l, s);
	if ((list = config_setting_get_member(g, "routes")) != NULL &&
	    config_setting_is_aggregate(list))
		for (i = 0; i < config_setting_length(list); i++)
			load_swroute(l, config_setting_get_elem(list, i),
			    &cap);
	if (l->errs->n == 0)
		bindings_validate(&c->bind, c->bindings_file, l->path,
		    l->errs);
}

/* One instance: a tun group and either a siit or a softwire group. */
static void
load_instance(struct loader *l, config_setting_t *g)
{
	config_setting_t	*tun, *siit, *sw;

	tun = config_setting_get_member(g, "tun");
	siit = config_setting_get_member(g, "siit");
	sw = config_setting_get_member(g, "softwire");
	l->ci->line = config_setting_source_line(g);
	if (tun != NULL && config_setting_type(tun) == CONFIG_TYPE_GROUP)
		load_tun(l, tun);
	if (siit != NULL && sw != NULL) {
		conf_error(l, sw, "softwire: an instance is either siit or "
		    "softwire, not both (use instances for several)");
		return;
	}
	if (sw != NULL && config_setting_type(sw) == CONFIG_TYPE_GROUP) {
		l->ci->mode = MODE_SOFTWIRE;
		load_softwire(l, sw);
		return;
	}
	if (siit == NULL) {
		if (config_setting_parent(g) == NULL)
			config_errorf(l->errs, "%s: no siit or softwire group: "
			    "nothing to translate", l->path);
		else
			conf_error(l, g, "no siit or softwire group: nothing "
			    "to translate");
		return;
	}
	if (config_setting_type(siit) != CONFIG_TYPE_GROUP)
		return;
	l->ci->mode = MODE_SIIT;
	load_siit(l, siit);
	if (!l->ci->has_pool6 && l->ci->neam == 0 && l->errs->n == 0)
		conf_error(l, siit, "siit: needs pool6, eam or both");
}

/* Room for one more instance, with its defaults. */
static struct config_instance *
instance_append(struct loader *l)
{
	struct config		*c = l->conf;
	struct config_instance	*n;

	if ((n = reallocarray(c->inst, c->ninst + 1, sizeof *n)) == NULL) {
		config_errorf(l->errs, "%s: out of memory", l->path);
		return (NULL);
	}
	c->inst = n;
	l->ci = &c->inst[c->ninst++];
	memset(l->ci, 0, sizeof *l->ci);
	config_defaults(l->ci);
	return (l->ci);
}

/* instances = ( { tun = ...; siit = ...; }, ... ): each its own tun. */
static void
load_instances(struct loader *l, config_setting_t *list)
{
	config_setting_t	*e;
	char			 name[256];
	int			 i, n = config_setting_length(list);

	if (n == 0)
		conf_error(l, list, "instances: empty");
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		setting_path(e, name, sizeof name);
		if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
			conf_error(l, e, "%s: must be a group { tun = ...; "
			    "siit = ...; }", name);
			continue;
		}
		if (check_keys(l, e, instance_keys) == -1 ||
		    instance_append(l) == NULL)
			continue;
		load_instance(l, e);
	}
}

/* Two instances cannot share a tun. */
static void
check_instances(struct loader *l)
{
	const struct config	*c = l->conf;
	size_t			 i, j;

	for (i = 0; i < c->ninst; i++)
		for (j = 0; j < i; j++)
			if (strcmp(c->inst[i].tun_name,
			    c->inst[j].tun_name) == 0)
				config_errorf(l->errs, "%s:%d: tun.name \"%s\" is "
				    "already the tun of the instance at line "
				    "%d", l->path, c->inst[i].line,
				    c->inst[i].tun_name, c->inst[j].line);
}

static void
load_root(struct loader *l, config_setting_t *root)
{
	config_setting_t	*s;

	check_keys(l, root, top_keys);
	if ((s = config_setting_get_member(root, "control")) != NULL &&
	    config_setting_type(s) == CONFIG_TYPE_GROUP)
		load_control(l, s);
	if ((s = config_setting_get_member(root, "metrics")) != NULL &&
	    config_setting_type(s) == CONFIG_TYPE_GROUP)
		load_metrics(l, s);
	if ((s = config_setting_get_member(root, "instances")) == NULL) {
		if (instance_append(l) != NULL)
			load_instance(l, root);
		return;
	}
	if (config_setting_get_member(root, "tun") != NULL ||
	    config_setting_get_member(root, "siit") != NULL ||
	    config_setting_get_member(root, "softwire") != NULL) {
		conf_error(l, s, "instances: with a list of instances, tun, "
		    "siit and softwire go inside each");
		return;
	}
	if (config_setting_is_aggregate(s))
		load_instances(l, s);
	check_instances(l);
}

/* The value of every key the file leaves out. */
void
config_defaults(struct config_instance *c)
{
	const char	*why;

	strcpy(c->tun_name, CONFIG_TUN_DEFAULT);
	c->mtu = CONFIG_MTU_DEFAULT;
	c->routes = true;
	c->offload = true;
	c->queues = 1;
	c->copy_tos = true;
	c->one_hop = true;
	c->udp0_compute = true;
	c->lowest_mtu = CONFIG_LOWEST_MTU;
	addr_parse4(CONFIG_POOL6791_4, &c->pool6791_4, &why);
	c->icmp_rate = CONFIG_ICMP_RATE;
	c->icmp_burst = CONFIG_ICMP_BURST;
	c->sw.hairpinning = true;
	c->sw.ipv6_mtu = CONFIG_MTU_DEFAULT;
	c->sw.hop_limit = CONFIG_SW_HOP_LIMIT;
	c->sw.copy_tos = true;
	c->sw.unreach4 = SW_UNREACH_HOST;
	c->sw.policy6 = false;
	c->sw.reply_shared_echo = false;
	c->sw.icmp_rate = CONFIG_ICMP_RATE;
	c->sw.icmp_burst = CONFIG_ICMP_BURST;
	c->sw.reasm_packets = CONFIG_REASM_PACKETS;
	c->sw.reasm_fragments = CONFIG_REASM_FRAGMENTS;
	c->sw.reasm_timeout_ms = CONFIG_REASM_TIMEOUT;
}

/* Read and validate path.  NULL, with errs filled in, on any error. */
struct config *
config_load(const char *path, struct config_errors *errs)
{
	struct loader	 l = { path, errs, NULL, NULL };
	config_t	 cf;
	size_t		 before = errs->n;

	if ((l.conf = calloc(1, sizeof *l.conf)) == NULL ||
	    (l.conf->path = strdup(path)) == NULL) {
		config_errorf(errs, "%s: %s", path, strerror(errno));
		config_free(l.conf);
		return (NULL);
	}
	if ((l.conf->ctl_socket = strdup(CONFIG_CTL_SOCKET)) == NULL) {
		config_errorf(errs, "%s: %s", path, strerror(errno));
		config_free(l.conf);
		return (NULL);
	}

	config_init(&cf);
	if (config_read_file(&cf, path) != CONFIG_TRUE) {
		if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
			config_errorf(errs, "%s: %s", path, strerror(errno));
		else
			config_errorf(errs, "%s:%d: %s",
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
	struct config_instance	*ci;
	size_t			 i;

	if (c == NULL)
		return;
	free(c->path);
	free(c->ctl_socket);
	free(c->ctl_group);
	free(c->metrics_listen);
	for (i = 0; i < c->ninst; i++) {
		ci = &c->inst[i];
		free(ci->eam);
		free(ci->eam_file);
		free(ci->deny4);
		bindings_list_free(&ci->bind);
		free(ci->bindings_file);
		free(ci->swroutes);
	}
	free(c->inst);
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

static const char *
yesno(bool b)
{
	return (b ? "true" : "false");
}

static void
print_tun(const struct config_instance *c, FILE *f, const char *in)
{
	fprintf(f, "%stun = {\n%s\tname = ", in, in);
	print_quoted(f, c->tun_name);
	fprintf(f, ";\n%s\tmtu = %d;\n%s\troutes = %s;\n%s\toffload = %s;\n"
	    "%s\tqueues = %d;\n%s};\n", in, c->mtu, in, yesno(c->routes), in,
	    yesno(c->offload), in, c->queues, in);
}

static void
print_siit_eam(const struct config_instance *c, FILE *f, const char *in)
{
	char	a[ADDR_STRLEN], b[ADDR_STRLEN];
	size_t	i, n;

	for (i = 0, n = 0; i < c->neam; i++)
		n += c->eam[i].index >= 0;
	if (n == 0)
		return;
	fprintf(f, "%s\team = (\n", in);
	for (i = 0; i < c->neam; i++) {
		if (c->eam[i].index < 0)
			continue;
		fprintf(f, "%s\t\t{ ipv4 = \"%s\"; ipv6 = \"%s\"; }%s\n", in,
		    addr_str4(&c->eam[i].p4, a, sizeof a),
		    addr_str6(&c->eam[i].p6, b, sizeof b),
		    --n > 0 ? "," : "");
	}
	fprintf(f, "%s\t);\n", in);
}

static void
print_siit(const struct config_instance *c, FILE *f, const char *in)
{
	char	a[ADDR_STRLEN];
	size_t	i;

	fprintf(f, "%ssiit = {\n", in);
	if (c->has_pool6)
		fprintf(f, "%s\tpool6 = \"%s\";\n", in,
		    addr_str6(&c->pool6, a, sizeof a));
	print_siit_eam(c, f, in);
	if (c->eam_file != NULL) {
		fprintf(f, "%s\team-file = ", in);
		print_quoted(f, c->eam_file);
		fprintf(f, ";\n");
	}
	if (c->ndeny4 > 0) {
		fprintf(f, "%s\tdenylist4 = [ ", in);
		for (i = 0; i < c->ndeny4; i++)
			fprintf(f, "%s\"%s\"", i > 0 ? ", " : "",
			    addr_str4(&c->deny4[i], a, sizeof a));
		fprintf(f, " ];\n");
	}
	fprintf(f, "%s\tallow-wkp-nonglobal = %s;\n", in,
	    yesno(c->allow_wkp_nonglobal));
	fprintf(f, "%s\tcopy-tos = %s;\n", in, yesno(c->copy_tos));
	fprintf(f, "%s\tone-hop = %s;\n", in, yesno(c->one_hop));
	fprintf(f, "%s\tudp-zero-checksum = \"%s\";\n", in,
	    c->udp0_compute ? "compute" : "drop");
	fprintf(f, "%s\tlowest-ipv6-mtu = %d;\n", in, c->lowest_mtu);
	fprintf(f, "%s\trfc6791-pool4 = \"%s\";\n", in,
	    addr_str4(&c->pool6791_4, a, sizeof a));
	if (c->has_pool6791_6)
		fprintf(f, "%s\trfc6791-pool6 = \"%s\";\n", in,
		    addr_str6(&c->pool6791_6, a, sizeof a));
	fprintf(f, "%s\ticmp-rate = %d;\n", in, c->icmp_rate);
	fprintf(f, "%s\ticmp-burst = %d;\n", in, c->icmp_burst);
	fprintf(f, "%s};\n", in);
}

static const char *
host6(const struct in6_addr *a, char *buf, size_t size)
{
	return (inet_ntop(AF_INET6, a, buf, (socklen_t)size));
}

static const char *
host4(uint32_t a, char *buf, size_t size)
{
	return (inet_ntop(AF_INET, &a, buf, (socklen_t)size));
}

/* The inline bindings; those of the bindings file stay in the file. */
static void
print_bindings(const struct config_instance *c, FILE *f, const char *in)
{
	const struct binding	*b;
	char			 a[ADDR_STRLEN], v4[ADDR_STRLEN];
	size_t			 i, n;

	for (i = 0, n = 0; i < c->bind.n; i++)
		n += (c->bind.b[i].line & BINDING_INLINE) != 0;
	if (n == 0)
		return;
	fprintf(f, "%s\tbindings = (\n", in);
	for (i = 0; i < c->bind.n; i++) {
		b = &c->bind.b[i];
		if ((b->line & BINDING_INLINE) == 0)
			continue;
		fprintf(f, "%s\t\t{ b4 = \"%s\"; ipv4 = \"%s\"; psid = %u; "
		    "psid-length = %u; psid-offset = %u;", in,
		    host6(&b->b4, a, sizeof a), host4(b->ipv4, v4, sizeof v4),
		    b->psid, b->psid_len, b->psid_offset);
		if (b->br != 0)
			fprintf(f, " br = \"%s\";",
			    host6(&c->bind.br[b->br], a, sizeof a));
		fprintf(f, " }%s\n", --n > 0 ? "," : "");
	}
	fprintf(f, "%s\t);\n", in);
}

static void
print_swroutes(const struct config_instance *c, FILE *f, const char *in)
{
	char	a[ADDR_STRLEN], b[ADDR_STRLEN];
	size_t	i;

	if (c->nswroutes == 0)
		return;
	fprintf(f, "%s\troutes = (\n", in);
	for (i = 0; i < c->nswroutes; i++)
		fprintf(f, "%s\t\t{ prefix = \"%s\"; remote = \"%s\"; }%s\n",
		    in, addr_str4(&c->swroutes[i].p4, a, sizeof a),
		    host6(&c->swroutes[i].remote, b, sizeof b),
		    i + 1 < c->nswroutes ? "," : "");
	fprintf(f, "%s\t);\n", in);
}

static void
print_softwire(const struct config_instance *c, FILE *f, const char *in)
{
	const struct sw_settings	*sw = &c->sw;
	static const char		*unreach[] = { "none", "host",
					    "admin" };
	char				 a[ADDR_STRLEN];

	fprintf(f, "%ssoftwire = {\n", in);
	fprintf(f, "%s\tbr-address = \"%s\";\n", in,
	    host6(&sw->br, a, sizeof a));
	if (sw->has_ipv4)
		fprintf(f, "%s\tipv4-address = \"%s\";\n", in,
		    host4(sw->ipv4, a, sizeof a));
	print_bindings(c, f, in);
	if (c->bindings_file != NULL) {
		fprintf(f, "%s\tbindings-file = ", in);
		print_quoted(f, c->bindings_file);
		fprintf(f, ";\n");
	}
	print_swroutes(c, f, in);
	fprintf(f, "%s\thairpinning = %s;\n", in, yesno(sw->hairpinning));
	fprintf(f, "%s\tipv6-mtu = %u;\n", in, sw->ipv6_mtu);
	fprintf(f, "%s\thop-limit = %u;\n", in, sw->hop_limit);
	fprintf(f, "%s\tcopy-tos = %s;\n", in, yesno(sw->copy_tos));
	fprintf(f, "%s\ticmp-unreachable = \"%s\";\n", in,
	    unreach[sw->unreach4]);
	fprintf(f, "%s\ticmp-policy = %s;\n", in, yesno(sw->policy6));
	fprintf(f, "%s\tshared-echo = \"%s\";\n", in,
	    sw->reply_shared_echo ? "reply" : "drop");
	fprintf(f, "%s\ticmp-rate = %u;\n", in, sw->icmp_rate);
	fprintf(f, "%s\ticmp-burst = %u;\n", in, sw->icmp_burst);
	fprintf(f, "%s\treassembly-packets = %u;\n", in, sw->reasm_packets);
	fprintf(f, "%s\treassembly-fragments = %u;\n", in,
	    sw->reasm_fragments);
	fprintf(f, "%s\treassembly-timeout = %u;\n", in,
	    sw->reasm_timeout_ms);
	fprintf(f, "%s};\n", in);
}

static void
print_instance(const struct config_instance *c, FILE *f, const char *in)
{
	print_tun(c, f, in);
	if (c->mode == MODE_SOFTWIRE)
		print_softwire(c, f, in);
	else
		print_siit(c, f, in);
}

/* Print the configuration in the file's own syntax, normalized. */
void
config_print(const struct config *c, FILE *f)
{
	size_t	i;

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
	if (c->ninst == 1) {
		print_instance(&c->inst[0], f, "");
		return;
	}
	fprintf(f, "instances = (\n");
	for (i = 0; i < c->ninst; i++) {
		fprintf(f, "\t{\n");
		print_instance(&c->inst[i], f, "\t\t");
		fprintf(f, "\t}%s\n", i + 1 < c->ninst ? "," : "");
	}
	fprintf(f, ");\n");
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
	const struct config_instance	*ri;
	struct config_instance		*ci;
	char				*keep;
	size_t				 i;

	for (i = 0; i < run->ninst && i < c->ninst; i++) {
		ri = &run->inst[i];
		ci = &c->inst[i];
		if (strcmp(ri->tun_name, ci->tun_name) != 0) {
			log_warnx("reload: tun.name changes only on restart, "
			    "keeping \"%s\"", ri->tun_name);
			strcpy(ci->tun_name, ri->tun_name);
		}
		if (ri->queues != ci->queues) {
			log_warnx("reload: tun %s: tun.queues changes only on "
			    "restart, keeping %d", ri->tun_name, ri->queues);
			ci->queues = ri->queues;
		}
		if (ri->offload != ci->offload) {
			log_warnx("reload: tun %s: tun.offload changes only "
			    "on restart", ri->tun_name);
			ci->offload = ri->offload;
		}
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
