/* SPDX-License-Identifier: ISC */
/*
 * fuzz_bindings.c: the lwAFTR bindings file.  The input up to its first
 * 0xff byte is the softwire.bindings-file; what follows is the body of
 * the softwire.bindings list of a fixed configuration that names that
 * file, so that bindings of the two may conflict.  A failure must give
 * messages "FILE:LINE: text" whose lines, and the lines of the earlier
 * bindings they name, are lines of their files; a success must hold a
 * list that keeps every promise of bindings.h (bindcheck.c) and print
 * as a file that loads again the same (conffile.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

#define SEPARATOR	0xff

static const char	*conf, *bindfile, *print;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf = fz_file_new("fuzz_bindings.conf");
	bindfile = fz_file_new("fuzz_bindings.bindings");
	print = fz_file_new("fuzz_bindings.print");
	return (0);
}

/* The fixed configuration, naming the bindings file relative to itself. */
static void
put_conf(const uint8_t *list, size_t n)
{
	static const char	 tail[] = ");\n};\n";
	char			 head[160];
	char			*text;
	size_t			 hl;

	hl = (size_t)snprintf(head, sizeof head, "softwire = {\n"
	    "\tbr-address = \"2001:db8:ffff::1\";\n"
	    "\tbindings-file = \"%s\";\n"
	    "\tbindings = (", strrchr(bindfile, '/') + 1);
	if (hl >= sizeof head || (text = malloc(hl + n + sizeof tail)) == NULL)
		abort();
	memcpy(text, head, hl);
	if (n > 0)
		memcpy(text + hl, list, n);
	memcpy(text + hl + n, tail, sizeof tail - 1);
	fz_file_put(conf, text, hl + n + sizeof tail - 1);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_errors	 errs = { NULL, 0 };
	struct config		*c;
	const uint8_t		*sep;
	size_t			 n;

	sep = memchr(data, SEPARATOR, size);
	n = sep != NULL ? (size_t)(sep - data) : size;
	fz_file_put(bindfile, data, n);
	if (sep != NULL)
		put_conf(sep + 1, size - n - 1);
	else
		put_conf(NULL, 0);
	fz_file_put(print, "", 0);
	fz_guard(true);
	c = config_load(conf, &errs);
	if (c == NULL)
		fz_check_errors(&errs);
	else {
		FZ_ASSERT(errs.n == 0, "loaded, with %zu messages", errs.n);
		FZ_ASSERT(c->ninst == 1 && c->inst[0].mode == MODE_SOFTWIRE &&
		    c->inst[0].bindings_file != NULL &&
		    strcmp(c->inst[0].bindings_file, bindfile) == 0,
		    "not the softwire instance of the fixed configuration");
		/* The softwire checks, bindcheck.c's among them. */
		fz_check_config(print, c);
	}
	fz_guard(false);
	config_free(c);
	config_errors_clear(&errs);
	return (0);
}
