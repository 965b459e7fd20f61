/* SPDX-License-Identifier: ISC */
/*
 * fuzz_config_eam.c: siit.eam-file.  The input up to its first 0xff byte
 * is the eam-file; what follows is the body of the siit.eam list of a
 * fixed configuration that names that file, so that entries of the two
 * may conflict.  The checks are those of fuzz_config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

#define SEPARATOR	0xff

static const char	*conf, *eam, *print;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf = fz_file_new("fuzz_config_eam.conf");
	eam = fz_file_new("fuzz_config_eam.eam");
	print = fz_file_new("fuzz_config_eam.print");
	return (0);
}

/* The fixed configuration, naming the eam-file relative to itself. */
static void
put_conf(const uint8_t *list, size_t n)
{
	static const char	 tail[] = ");\n};\n";
	char			 head[128];
	char			*text;
	size_t			 hl;

	hl = (size_t)snprintf(head, sizeof head, "siit = {\n"
	    "\tpool6 = \"2001:db8:64::/96\";\n"
	    "\team-file = \"%s\";\n"
	    "\team = (", strrchr(eam, '/') + 1);
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
	fz_file_put(eam, data, n);
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
		fz_check_config(print, c);
		config_free(c);
	}
	fz_guard(false);
	config_errors_clear(&errs);
	return (0);
}
