/* SPDX-License-Identifier: ISC */
/*
 * check_netlink.c: the pure half of netlink.c, without a kernel: the set
 * of routes a configuration asks for (the IPv4 side of each EAM entry and
 * pool6, sorted, each once, nested prefixes apart) and the difference
 * of two sets that a reload sends, checked against a naive reference.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "netlink.h"

/* xorshift: reproducible pseudo-random numbers. */
static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((uint32_t)(rng >> 16));
}

/* A configuration with the EAM IPv4 sides given as text. */
static void
conf(struct config_instance *c, struct config_eam *e, const char **p4, size_t n,
    const char *pool6)
{
	const char	*why;
	size_t		 i;

	memset(c, 0, sizeof *c);
	config_defaults(c);
	if (n > 0)
		memset(e, 0, n * sizeof *e);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(addr_parse4(p4[i], &e[i].p4, &why), 0);
	c->eam = e;
	c->neam = n;
	if (pool6 != NULL) {
		ck_assert_int_eq(addr_parse6(pool6, &c->pool6, &why), 0);
		c->has_pool6 = true;
	}
}

/* The routes of r as "a b c", in order. */
static const char *
routes_str(const struct nl_route *r, size_t n)
{
	static char	out[1024];
	char		s[ADDR_STRLEN];
	size_t		i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n && len < sizeof out; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%s",
		    i > 0 ? " " : "", nl_route_str(&r[i], s, sizeof s));
	return (out);
}

START_TEST(test_set_is_eam_ipv4_sides_and_pool6)
{
	const char	*p4[] = { "198.51.100.0/28", "192.0.2.1" };
	struct config_eam e[2];
	struct config_instance	 c;
	struct nl_route	*r;
	size_t		 n;

	conf(&c, e, p4, 2, "2001:db8:64::/96");
	r = nl_route_set(&c, &n);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(routes_str(r, n),
	    "192.0.2.1 198.51.100.0/28 2001:db8:64::/96");
	ck_assert_int_eq(r[0].family, AF_INET);
	ck_assert_int_eq(r[2].family, AF_INET6);
	free(r);
}
END_TEST

START_TEST(test_set_without_pool6_or_eam_is_empty)
{
	struct config_instance	 c;
	struct nl_route	*r;
	size_t		 n = 99;

	conf(&c, NULL, NULL, 0, NULL);
	r = nl_route_set(&c, &n);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(n, 0);
	free(r);
}
END_TEST

START_TEST(test_set_once_each_nested_apart)
{
	const char	*p4[] = { "192.0.2.0/24", "192.0.2.0/25", "192.0.2.0/24",
			    "192.0.2.128/25", "192.0.2.0" };
	struct config_eam e[5];
	struct config_instance	 c;
	struct nl_route	*r;
	size_t		 n;

	conf(&c, e, p4, 5, NULL);
	r = nl_route_set(&c, &n);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(routes_str(r, n),
	    "192.0.2.0/24 192.0.2.0/25 192.0.2.0 192.0.2.128/25");
	free(r);
}
END_TEST

/* A random sorted set of up to max routes, each once. */
static struct nl_route *
random_set(size_t max, size_t *np)
{
	struct nl_route	*r = calloc(max + 1, sizeof *r);
	size_t		 i, k = 0;

	ck_assert_ptr_nonnull(r);
	for (i = 0; i < max; i++) {
		r[i].family = rnd() % 8 == 0 ? AF_INET6 : AF_INET;
		r[i].len = (uint8_t)(rnd() % 2 ? 32 : 24);
		/* A small space, so that two sets share many routes. */
		r[i].addr[0] = 192;
		r[i].addr[3] = (uint8_t)(rnd() % 256);
	}
	qsort(r, max, sizeof *r, nl_route_cmp);
	for (i = 0; i < max; i++)
		if (k == 0 || nl_route_cmp(&r[k - 1], &r[i]) != 0)
			r[k++] = r[i];
	*np = k;
	return (r);
}

static int
naive_has(const struct nl_route *r, size_t n, const struct nl_route *x)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (memcmp(&r[i], x, sizeof *x) == 0)
			return (1);
	return (0);
}

START_TEST(test_diff_matches_reference)
{
	struct nl_route	*a, *b, *out;
	size_t		 na, nb, n, i, k = 0;

	/* Each loop runs in a fork of its own: a seed of its own too. */
	rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(_i + 1);
	a = random_set(rnd() % 300, &na);
	b = random_set(rnd() % 300, &nb);
	out = calloc(na + 1, sizeof *out);
	ck_assert_ptr_nonnull(out);
	n = nl_route_minus(a, na, b, nb, out);
	for (i = 0; i < na; i++) {
		if (naive_has(b, nb, &a[i]))
			continue;
		ck_assert_uint_lt(k, n);
		ck_assert_mem_eq(&out[k], &a[i], sizeof a[i]);
		k++;
	}
	ck_assert_uint_eq(k, n);
	free(a);
	free(b);
	free(out);
}
END_TEST

START_TEST(test_diff_of_a_reload_that_changes_nothing_is_empty)
{
	struct nl_route	*a, out[1];
	size_t		 na;

	a = random_set(200, &na);
	ck_assert_uint_eq(nl_route_minus(a, na, a, na, out), 0);
	free(a);
}
END_TEST

START_TEST(test_diff_one_eam_added_one_removed)
{
	const char	*p4a[] = { "192.0.2.1", "192.0.2.2", "192.0.2.3" };
	const char	*p4b[] = { "192.0.2.1", "192.0.2.3", "192.0.2.4" };
	struct config_eam ea[3], eb[3];
	struct config_instance	 ca, cb;
	struct nl_route	*a, *b, out[4];
	size_t		 na, nb, n;

	conf(&ca, ea, p4a, 3, "2001:db8:64::/96");
	conf(&cb, eb, p4b, 3, "2001:db8:64::/96");
	a = nl_route_set(&ca, &na);
	b = nl_route_set(&cb, &nb);
	ck_assert(a != NULL && b != NULL);
	n = nl_route_minus(a, na, b, nb, out);
	ck_assert_str_eq(routes_str(out, n), "192.0.2.2");
	n = nl_route_minus(b, nb, a, na, out);
	ck_assert_str_eq(routes_str(out, n), "192.0.2.4");
	/* Start and exit: everything comes, everything goes. */
	ck_assert_uint_eq(nl_route_minus(b, nb, NULL, 0, out), nb);
	ck_assert_uint_eq(nl_route_minus(NULL, 0, b, nb, out), 0);
	free(a);
	free(b);
}
END_TEST

static Suite *
netlink_suite(void)
{
	Suite	*s = suite_create("netlink");
	TCase	*set = tcase_create("route-set");
	TCase	*diff = tcase_create("route-diff");

	tcase_add_test(set, test_set_is_eam_ipv4_sides_and_pool6);
	tcase_add_test(set, test_set_without_pool6_or_eam_is_empty);
	tcase_add_test(set, test_set_once_each_nested_apart);
	tcase_add_loop_test(diff, test_diff_matches_reference, 0, 50);
	tcase_add_test(diff, test_diff_of_a_reload_that_changes_nothing_is_empty);
	tcase_add_test(diff, test_diff_one_eam_added_one_removed);
	suite_add_tcase(s, set);
	suite_add_tcase(s, diff);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(netlink_suite());
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
