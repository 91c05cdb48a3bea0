/* tests/unit/test_common_buf.c - common/buf.c: bounded buffers keep their cap */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"

#include <string.h>

START_TEST(buf_cap_enforced)
{
	struct dsreg_buf b;

	dsreg_buf_init(&b, 8);
	ck_assert_int_eq(dsreg_buf_appends(&b, "12345678"), 0);
	ck_assert_int_eq(dsreg_buf_appends(&b, "9"), DSREG_ETOOBIG);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(b.data, "12345678");
	dsreg_buf_reset(&b);
	ck_assert_int_eq(dsreg_buf_printf(&b, "%d-%s", 42, "ab"), 0);
	ck_assert_str_eq(b.data, "42-ab");
	ck_assert_int_eq(dsreg_buf_printf(&b, "%s", "too long"),
	    DSREG_ETOOBIG);
	dsreg_buf_free(&b);
}
END_TEST

static Suite *
common_buf_suite(void)
{
	Suite *s = suite_create("common_buf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, buf_cap_enforced);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(common_buf_suite)
