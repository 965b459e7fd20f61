/* SPDX-License-Identifier: ISC */
/*
 * fuzz_config.c: config_load on any bytes, as a configuration file.  A
 * failure must come with messages "FILE: text" or "FILE:LINE: text"
 * (conffile.c); a success must hold valid values, tables that agree with
 * a linear longest match, and print as a file that loads again the same.
 * Nothing may leak either way.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

static const char	*conf, *print;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	conf = fz_file_new("fuzz_config.conf");
	print = fz_file_new("fuzz_config.print");
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_errors	 errs = { NULL, 0 };
	struct config		*c;

	fz_file_put(conf, data, size);
	fz_file_put(print, "", 0);
	fz_guard(true);
	c = config_load(conf, &errs);
	if (c == NULL)
		fz_check_errors(&errs);
	else {
		FZ_ASSERT(errs.n == 0, "loaded, with %zu messages", errs.n);
		FZ_ASSERT(strcmp(c->path, conf) == 0, "path %s", c->path);
		fz_check_config(print, c);
		config_free(c);
	}
	fz_guard(false);
	config_errors_clear(&errs);
	return (0);
}
