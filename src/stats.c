/* SPDX-License-Identifier: ISC */
/*
 * stats.c: the names, Prometheus series and descriptions of the
 * counters, all from STATS_COUNTERS.
 */
#include <stddef.h>

#include "stats.h"

static const struct {
	const char	*name;		/* log, tunmapctl and tunmapd(8) */
	const char	*metric;	/* tunmapd_<metric>_total */
	const char	*labels;	/* besides instance; "" for none */
} counters[STAT_MAX] = {
#define STATS_T(e, name, metric, labels)	{ name, metric, labels },
#define STATS_D(e, name, desc)						\
	{ "drop-" name, "drops", "reason=\"" name "\"" },
#define STATS_R(e, name, desc)						\
	{ "reassembly-" name, "reassembly", "outcome=\"" name "\"" },
	STATS_COUNTERS(STATS_T, STATS_D, STATS_R)
#undef STATS_T
#undef STATS_D
#undef STATS_R
};

static const struct {
	const char	*metric;
	const char	*help;
} metrics[] = {
#define STATS_M(metric, help)	{ metric, help },
	STATS_METRICS(STATS_M)
#undef STATS_M
};

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

/* The name of counter i, an enum stats_counter, as tunmapctl shows it. */
const char *
stats_name(int i)
{
	return (i >= 0 && i < STAT_MAX ? counters[i].name : "unknown");
}

/* Its Prometheus family, without the tunmapd_ prefix and _total. */
const char *
stats_metric(int i)
{
	return (i >= 0 && i < STAT_MAX ? counters[i].metric : "unknown");
}

/* Its Prometheus labels besides instance, "" if none. */
const char *
stats_labels(int i)
{
	return (i >= 0 && i < STAT_MAX ? counters[i].labels : "");
}

/*
 * Family i of the Prometheus series, and its HELP text in *help; NULL
 * after the last.  Each counter's stats_metric() is one of them.
 */
const char *
stats_family(int i, const char **help)
{
	if (i < 0 || (size_t)i >= sizeof metrics / sizeof metrics[0])
		return (NULL);
	*help = metrics[i].help;
	return (metrics[i].metric);
}

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
