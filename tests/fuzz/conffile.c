/* SPDX-License-Identifier: ISC */
/*
 * conffile.c: files for the config harnesses, and the checks made on
 * what config_load() returns.
 *
 * Each file is a memfd, named by its /proc/self/fd path, so nothing is
 * left behind when a run stops.  A fuzzed file can name any other file
 * (eam-file, @include), and /dev/zero or a FIFO would hang or eat the
 * machine's memory: while the guard is on, fopen() here, which both
 * config.c and libconfig call, opens only the harness's own files for
 * reading and fails with ENOENT for the rest.
 */
#include <sys/mman.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"
#include "softwire.h"
#include "tables.h"

#define FZ_MAXFILES	4
#define LPM_PROBES	64	/* EAM entries checked against the tables */

struct fzfile {
	char		 path[32];
	int		 fd;
	size_t		 lines;		/* newlines + 1 */
};

static struct fzfile	files[FZ_MAXFILES];
static int		nfiles;
static bool		guarded;

/*
 * libconfig 1.5's scanner leaks string tokens: the value of one that a
 * syntax error throws away (its grammar has no %destructor), and an empty
 * string in some concatenations.  Plain libconfig does the same with no
 * tunmapd code involved.  Every other allocation, libconfig's settings
 * and all of ours, is still checked.
 */
const char	*__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return ("leak:strbuf_append\nleak:libconfig_yylex\n");
}

FILE *
fopen(const char *path, const char *mode)
{
	static FILE	*(*real)(const char *, const char *);
	int		 i;

	if (real == NULL)
		real = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT,
		    "fopen");
	/* libFuzzer writes its crash files with fopen(): let it. */
	if (guarded && mode[0] == 'r') {
		for (i = 0; i < nfiles; i++)
			if (strcmp(path, files[i].path) == 0)
				break;
		if (i == nfiles) {
			errno = ENOENT;
			return (NULL);
		}
	}
	return (real(path, mode));
}

void
fz_guard(bool on)
{
	guarded = on;
}

/* A new empty file of the harness; its path lives as long as the run. */
const char *
fz_file_new(const char *name)
{
	struct fzfile	*f;

	if (nfiles == FZ_MAXFILES)
		abort();
	f = &files[nfiles];
	if ((f->fd = memfd_create(name, 0)) == -1) {
		perror("memfd_create");
		abort();
	}
	snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
	nfiles++;
	return (f->path);
}

static struct fzfile *
file_find(const char *path)
{
	int	i;

	for (i = 0; i < nfiles; i++)
		if (strcmp(path, files[i].path) == 0)
			return (&files[i]);
	return (NULL);
}

/* The lines of the harness file at path (newlines + 1), or 0. */
size_t
fz_file_lines(const char *path)
{
	const struct fzfile	*f = path != NULL ? file_find(path) : NULL;

	return (f != NULL ? f->lines : 0);
}

/* Replace the contents of the harness file at path. */
void
fz_file_put(const char *path, const void *data, size_t len)
{
	struct fzfile	*f = file_find(path);
	const char	*p = data;
	size_t		 i;

	if (f == NULL || ftruncate(f->fd, 0) == -1 ||
	    (len > 0 && pwrite(f->fd, data, len, 0) != (ssize_t)len)) {
		perror("fz_file_put");
		abort();
	}
	f->lines = 1;
	for (i = 0; i < len; i++)
		f->lines += p[i] == '\n';
}

static void
dump_errors(const struct config_errors *errs)
{
	size_t	i;

	for (i = 0; i < errs->n; i++)
		fprintf(stderr, "  [%zu] %s\n", i, errs->msg[i]);
}

/*
 * Every "FILE:LINE" a message's text names (the earlier binding of a
 * conflict, say), FILE a harness file: LINE must be one of its lines.
 * Only after the last '"': a quoted value from the input may hold any
 * such text.
 */
static void
check_refs(const struct config_errors *errs, const char *m, const char *r)
{
	const char	*p;
	char		*end;
	long		 line;
	int		 i;
	size_t		 n;

	if ((p = strrchr(r, '"')) != NULL)
		r = p + 1;
	for (i = 0; i < nfiles; i++) {
		n = strlen(files[i].path);
		for (p = r; (p = strstr(p, files[i].path)) != NULL; p += n) {
			if (p[n] != ':' || !isdigit((unsigned char)p[n + 1]))
				continue;
			line = strtol(p + n + 1, &end, 10);
			if (line < 1 || (size_t)line > files[i].lines)
				dump_errors(errs);
			FZ_ASSERT(line >= 1 && (size_t)line <= files[i].lines,
			    "names line %ld of a file of %zu: \"%s\"", line,
			    files[i].lines, m);
		}
	}
}

/*
 * One message: "FILE: text" for the file as a whole, or "FILE:LINE: text"
 * with LINE a line of FILE; FILE is one of the harness's files.
 */
static void
check_message(const struct config_errors *errs, const char *m)
{
	const struct fzfile	*f = NULL;
	const char		*r;
	char			*end;
	long			 line;
	int			 i;
	size_t			 n;

	for (i = 0; i < nfiles; i++) {
		n = strlen(files[i].path);
		if (strncmp(m, files[i].path, n) == 0 && m[n] == ':') {
			f = &files[i];
			break;
		}
	}
	if (f == NULL) {
		dump_errors(errs);
		FZ_ASSERT(f != NULL, "message names no file: \"%s\"", m);
	}
	r = m + strlen(f->path) + 1;
	if (r[0] == ' ') {
		if (r[1] == '\0' || isspace((unsigned char)r[1]))
			dump_errors(errs);
		FZ_ASSERT(r[1] != '\0' && !isspace((unsigned char)r[1]),
		    "empty message: \"%s\"", m);
		check_refs(errs, m, r + 1);
		return;
	}
	line = isdigit((unsigned char)r[0]) ? strtol(r, &end, 10) : -1;
	if (line < 1 || (size_t)line > f->lines || end[0] != ':' ||
	    end[1] != ' ' || end[2] == '\0')
		dump_errors(errs);
	FZ_ASSERT(line >= 1, "no line, or line 0: \"%s\"", m);
	FZ_ASSERT((size_t)line <= f->lines, "line %ld of a file of %zu: "
	    "\"%s\"", line, f->lines, m);
	FZ_ASSERT(end[0] == ':' && end[1] == ' ' && end[2] != '\0',
	    "not \"file:line: message\": \"%s\"", m);
	check_refs(errs, m, end + 2);
}

/* A failed config_load(): at least one message, every one well formed. */
void
fz_check_errors(const struct config_errors *errs)
{
	size_t	i;

	FZ_ASSERT(errs->n > 0, "config_load failed without a message");
	for (i = 0; i < errs->n; i++)
		check_message(errs, errs->msg[i]);
}

static bool
host4_zero(const struct prefix4 *p)
{
	return ((p->addr & ~addr_mask4(p->len)) == 0);
}

static bool
host6_zero(const struct prefix6 *p)
{
	struct in6_addr	a = p->addr;

	addr_mask6(&a, p->len);
	return (memcmp(&a, &p->addr, sizeof a) == 0);
}

/*
 * A softwire instance: settings in their ranges, br-address the default
 * BR, mesh routes without host bits or a prefix twice, and the bindings
 * (bindcheck.c).
 */
static void
check_softwire(const struct config_instance *c, const char *conffile)
{
	const struct sw_settings	*sw = &c->sw;
	size_t				 i, j;

	FZ_ASSERT(sw->ipv6_mtu >= CONFIG_MTU_MIN &&
	    sw->ipv6_mtu <= CONFIG_MTU_MAX, "ipv6-mtu %u", sw->ipv6_mtu);
	FZ_ASSERT(sw->hop_limit >= 1, "hop-limit 0");
	FZ_ASSERT(sw->unreach4 == SW_UNREACH_NONE ||
	    sw->unreach4 == SW_UNREACH_HOST ||
	    sw->unreach4 == SW_UNREACH_ADMIN, "icmp-unreachable %d",
	    (int)sw->unreach4);
	FZ_ASSERT(sw->icmp_rate <= 1000000 && sw->icmp_burst >= 1 &&
	    sw->icmp_burst <= 1000000, "icmp rate %u burst %u",
	    sw->icmp_rate, sw->icmp_burst);
	FZ_ASSERT(sw->reasm_packets <= 1000000 && sw->reasm_fragments >= 2 &&
	    sw->reasm_fragments <= 1000 && sw->reasm_timeout_ms >= 100 &&
	    sw->reasm_timeout_ms <= 60000, "reassembly %u %u %u",
	    sw->reasm_packets, sw->reasm_fragments, sw->reasm_timeout_ms);
	FZ_ASSERT(c->bind.nbr >= 1 &&
	    memcmp(&c->bind.br[0], &sw->br, sizeof sw->br) == 0,
	    "br[0] is not br-address");
	FZ_ASSERT(c->bindings_file == NULL ||
	    fz_file_lines(c->bindings_file) > 0, "bindings-file %s loaded",
	    c->bindings_file);
	for (i = 0; i < c->nswroutes; i++) {
		FZ_ASSERT(c->swroutes[i].p4.len <= 32 &&
		    host4_zero(&c->swroutes[i].p4), "route %zu host bits", i);
		for (j = 0; j < i; j++)
			FZ_ASSERT(c->swroutes[i].p4.addr !=
			    c->swroutes[j].p4.addr || c->swroutes[i].p4.len !=
			    c->swroutes[j].p4.len, "route %zu twice", i);
	}
	fz_check_bindings(&c->bind, c->bindings_file, conffile);
}

/* What a validated configuration promises. */
static void
check_values(const struct config_instance *c, const char *conffile)
{
	const struct config_eam	*a, *b;
	size_t			 i, j, n = strlen(c->tun_name);

	FZ_ASSERT(n > 0 && n < IFNAMSIZ, "tun.name of %zu bytes", n);
	FZ_ASSERT(strchr(c->tun_name, '/') == NULL, "tun.name with /");
	FZ_ASSERT(c->mtu >= CONFIG_MTU_MIN && c->mtu <= CONFIG_MTU_MAX,
	    "mtu %d", c->mtu);
	FZ_ASSERT(c->lowest_mtu >= CONFIG_MTU_MIN &&
	    c->lowest_mtu <= CONFIG_MTU_MAX, "lowest mtu %d", c->lowest_mtu);
	FZ_ASSERT(c->icmp_rate >= 0 && c->icmp_burst >= 1, "icmp rate");
	if (c->mode == MODE_SOFTWIRE) {
		check_softwire(c, conffile);
		return;
	}
	FZ_ASSERT(c->has_pool6 || c->neam > 0, "nothing to translate");
	if (c->has_pool6)
		FZ_ASSERT(addr_valid6052_len(c->pool6.len) &&
		    c->pool6.addr.s6_addr[8] == 0 && host6_zero(&c->pool6),
		    "pool6 /%u", c->pool6.len);
	for (i = 0; i < c->ndeny4; i++)
		FZ_ASSERT(host4_zero(&c->deny4[i]), "denylist4 host bits");
	for (i = 0; i < c->neam; i++) {
		a = &c->eam[i];
		FZ_ASSERT(a->p4.len <= 32 && a->p6.len <= 128 &&
		    32 - a->p4.len == 128 - a->p6.len, "EAM %zu: /%u and /%u",
		    i, a->p4.len, a->p6.len);
		FZ_ASSERT(host4_zero(&a->p4) && host6_zero(&a->p6),
		    "EAM %zu host bits", i);
		for (j = 0; j < i && i < 2048; j++) {
			b = &c->eam[j];
			FZ_ASSERT(a->p4.len != b->p4.len ||
			    a->p4.addr != b->p4.addr, "EAM %zu repeats IPv4 "
			    "of %zu", i, j);
			FZ_ASSERT(a->p6.len != b->p6.len || memcmp(&a->p6.addr,
			    &b->p6.addr, 16) != 0, "EAM %zu repeats IPv6 of "
			    "%zu", i, j);
		}
	}
}

/* The longest EAM match for a, by a plain scan: the oracle. */
static const struct config_eam *
lpm4(const struct config_instance *c, uint32_t a)
{
	const struct config_eam	*best = NULL;
	size_t			 i;

	for (i = 0; i < c->neam; i++)
		if ((a & addr_mask4(c->eam[i].p4.len)) == c->eam[i].p4.addr &&
		    (best == NULL || c->eam[i].p4.len > best->p4.len))
			best = &c->eam[i];
	return (best);
}

static const struct config_eam *
lpm6(const struct config_instance *c, const struct in6_addr *a)
{
	const struct config_eam	*best = NULL;
	size_t			 i;

	for (i = 0; i < c->neam; i++)
		if (addr_in6(&c->eam[i].p6, a) &&
		    (best == NULL || c->eam[i].p6.len > best->p6.len))
			best = &c->eam[i];
	return (best);
}

/* Probe the first and last address of an entry in both directions. */
static void
check_lookup(const struct config_instance *c, const struct tables *t,
    const struct config_eam *e)
{
	const struct config_eam	*want;
	struct in6_addr		 a6, got6;
	uint32_t		 a4, got4, host;
	int			 last, b;

	for (last = 0; last < 2; last++) {
		a4 = e->p4.addr | (last ? ~addr_mask4(e->p4.len) : 0);
		want = lpm4(c, a4);
		FZ_ASSERT(tables_eam4(t, a4, &got6), "no EAM for an entry");
		host = a4 & ~addr_mask4(want->p4.len);
		a6 = want->p6.addr;
		for (b = 0; b < 4; b++)
			a6.s6_addr[12 + b] |= ((uint8_t *)&host)[b];
		FZ_ASSERT(memcmp(&a6, &got6, 16) == 0, "IPv4 lookup is not "
		    "the longest match /%u", want->p4.len);

		a6 = e->p6.addr;
		if (last)
			for (b = e->p6.len; b < 128; b++)
				a6.s6_addr[b / 8] |= (uint8_t)(0x80 >> (b % 8));
		want = lpm6(c, &a6);
		FZ_ASSERT(tables_eam6(t, &a6, &got4), "no EAM for an entry");
		memcpy(&host, &a6.s6_addr[12], 4);
		a4 = want->p4.addr | (host & ~addr_mask4(want->p4.len));
		FZ_ASSERT(a4 == got4, "IPv6 lookup is not the longest match "
		    "/%u", want->p6.len);
	}
}

static char *
print_config(const struct config *c, size_t *len)
{
	char	*buf = NULL;
	FILE	*f;

	if ((f = open_memstream(&buf, len)) == NULL)
		abort();
	config_print(c, f);
	if (fclose(f) != 0)
		abort();
	return (buf);
}

/*
 * A loaded configuration: its values, its SIIT tables against a linear
 * longest match, its softwire bindings (bindcheck.c), and what `tunmapd
 * -nv` prints, which must load again and print the same (tests/conf
 * holds that for a few files).
 */
void
fz_check_config(const char *printpath, const struct config *conf)
{
	const struct config		*c = conf;
	const struct config_instance	*ci;
	struct config_errors		 errs = { NULL, 0 };
	struct config			*again;
	struct tables			*t;
	char				*out1, *out2;
	size_t				 i, k, step, len1, len2;

	FZ_ASSERT(c->ctl_socket != NULL && c->ctl_socket[0] == '/',
	    "control.socket");
	FZ_ASSERT(c->ninst > 0, "no instance");
	for (k = 0; k < c->ninst; k++) {
		ci = &c->inst[k];
		check_values(ci, c->path);
		if (ci->mode != MODE_SIIT || (t = tables_build(ci)) == NULL)
			continue;
		step = ci->neam > LPM_PROBES ? ci->neam / LPM_PROBES : 1;
		for (i = 0; i < ci->neam; i += step)
			check_lookup(ci, t, &ci->eam[i]);
		tables_free(t);
	}

	out1 = print_config(c, &len1);
	fz_file_put(printpath, out1, len1);
	again = config_load(printpath, &errs);
	if (again == NULL) {
		fprintf(stderr, "printed configuration:\n%s", out1);
		dump_errors(&errs);
	}
	FZ_ASSERT(again != NULL, "the printed configuration does not load");
	out2 = print_config(again, &len2);
	if (len1 != len2 || memcmp(out1, out2, len1) != 0)
		fprintf(stderr, "first:\n%s\nsecond:\n%s", out1, out2);
	FZ_ASSERT(len1 == len2 && memcmp(out1, out2, len1) == 0,
	    "printing the reloaded configuration differs");
	config_free(again);
	config_errors_clear(&errs);
	free(out1);
	free(out2);
}
