/* tests/unit/test_common_map.c - common/map.c: add, get, case folding, growth */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "common/map.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(add_get_fold)
{
	struct dsreg_map exact, fold;
	void *old = NULL;
	int a = 1, b = 2;

	dsreg_map_init(&exact, 0);
	dsreg_map_init(&fold, 1);
	ck_assert_ptr_null(dsreg_map_get(&exact, "x"));   /* empty map */
	ck_assert_int_eq(dsreg_map_add(&exact, "Example.COM.", &a, NULL), 0);
	ck_assert_int_eq(dsreg_map_add(&fold, "Example.COM.", &a, NULL), 0);
	ck_assert_ptr_eq(dsreg_map_get(&exact, "Example.COM."), &a);
	ck_assert_ptr_null(dsreg_map_get(&exact, "example.com."));
	ck_assert_ptr_eq(dsreg_map_get(&fold, "example.com."), &a);
	/* a second add keeps the first value and reports it */
	ck_assert_int_eq(dsreg_map_add(&fold, "EXAMPLE.com.", &b, &old), 1);
	ck_assert_ptr_eq(old, &a);
	ck_assert_uint_eq(fold.n, 1);
	ck_assert_int_eq(dsreg_map_add(&exact, "example.com.", &b, &old), 0);
	ck_assert_uint_eq(exact.n, 2);
	dsreg_map_free(&exact);
	dsreg_map_free(&fold);
	dsreg_map_free(&fold);                     /* twice is harmless */
}
END_TEST

/* 20,000 keys: every one found after the table has grown many times. */
START_TEST(growth)
{
	enum { N = 20000 };
	static char keys[N][24];
	struct dsreg_map m;
	size_t i, seen = 0;

	dsreg_map_init(&m, 0);
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "d%zu.example.", i);
		ck_assert_int_eq(dsreg_map_add(&m, keys[i], keys[i], NULL), 0);
	}
	ck_assert_uint_eq(m.n, N);
	ck_assert_uint_ge(m.cap, 2 * N);
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(dsreg_map_get(&m, keys[i]), keys[i]);
	ck_assert_ptr_null(dsreg_map_get(&m, "d20000.example."));
	for (i = 0; i < m.cap; i++)
		seen += dsreg_map_slot(&m, i)->key != NULL;
	ck_assert_uint_eq(seen, N);
	dsreg_map_free(&m);
}
END_TEST

static Suite *
common_map_suite(void)
{
	Suite *s = suite_create("common_map");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, add_get_fold);
	tcase_add_test(tc, growth);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(common_map_suite)
