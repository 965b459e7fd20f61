/* SPDX-License-Identifier: ISC */
/*
 * stats.c: names and descriptions of the drop reasons, from DROP_REASONS.
 */
#include "stats.h"

static const char *const drop_names[] = {
#define DROP_NAME(e, name, desc)	name,
	DROP_REASONS(DROP_NAME)
#undef DROP_NAME
};

static const char *const drop_descs[] = {
#define DROP_DESC(e, name, desc)	desc,
	DROP_REASONS(DROP_DESC)
#undef DROP_DESC
};

const char *
stats_drop_name(enum drop_reason r)
{
	return (r < DROP_MAX ? drop_names[r] : "unknown");
}

const char *
stats_drop_desc(enum drop_reason r)
{
	return (r < DROP_MAX ? drop_descs[r] : "unknown");
}
