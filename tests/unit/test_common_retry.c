/* tests/unit/test_common_retry.c - common/retry.c: one name per retry class, the words EPP and OpenSRS output show */
#include "tests/unit/check_main.h"
#include "common/retry.h"

#include <string.h>

static const struct {
	enum dsreg_retry r;
	const char *name;
	int may_succeed;
} classes[] = {
	{ DSREG_RETRY_NONE, "none", 0 },
	{ DSREG_RETRY_NEVER, "never", 0 },
	{ DSREG_RETRY_FIX, "fix-request", 0 },
	{ DSREG_RETRY_AUTH, "authentication", 0 },
	{ DSREG_RETRY_LATER, "later", 1 },
	{ DSREG_RETRY_RECONNECT, "reconnect", 1 },
	{ DSREG_RETRY_BACKOFF, "backoff", 1 },
	{ DSREG_RETRY_UNKNOWN, "unknown", 0 },
};

START_TEST(retry_names)
{
	size_t i;

	ck_assert_str_eq(dsreg_retry_name(classes[_i].r), classes[_i].name);
	ck_assert_int_eq(dsreg_retry_may_succeed(classes[_i].r),
	    classes[_i].may_succeed);
	/* one class, one word */
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if ((int)i != _i)
			ck_assert_str_ne(dsreg_retry_name(classes[i].r),
			    classes[_i].name);
}
END_TEST

START_TEST(retry_name_out_of_range)
{
	ck_assert_str_eq(dsreg_retry_name((enum dsreg_retry)99), "unknown");
}
END_TEST

static Suite *
common_retry_suite(void)
{
	Suite *s = suite_create("common_retry");
	TCase *tc = tcase_create("retry");

	tcase_add_loop_test(tc, retry_names, 0,
	    (int)(sizeof(classes) / sizeof(classes[0])));
	tcase_add_test(tc, retry_name_out_of_range);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(common_retry_suite)
