/* tests/unit/test_common_error.c - common/error.c: setting, prefixing and naming errors */
#include "tests/unit/check_main.h"
#include "common/error.h"

#include <string.h>

START_TEST(err_set_and_prefix)
{
	struct dsreg_err e;

	dsreg_err_clear(&e);
	ck_assert_int_eq(dsreg_err_set(&e, DSREG_EPARSE, "line %d: bad", 4),
	    DSREG_EPARSE);
	dsreg_err_prefix(&e, "%s", "zone.db");
	ck_assert_str_eq(dsreg_err_text(&e), "zone.db: line 4: bad");
	ck_assert_int_eq(dsreg_err_set(NULL, DSREG_EIO, "x"), DSREG_EIO);
	ck_assert_str_eq(dsreg_strerror(DSREG_ETOOBIG), "input too large");
}
END_TEST

static Suite *
common_error_suite(void)
{
	Suite *s = suite_create("common_error");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, err_set_and_prefix);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(common_error_suite)
