/* tests/unit/test_error.c - common/error.c, common/buf.c, common/secret.c */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

START_TEST(secret_mode_refused)
{
	char path[] = "/tmp/dsreg-secret-XXXXXX";
	struct dsreg_err e;
	char *s = NULL;
	size_t len = 0;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "hunter2\n", 8), 8);
	close(fd);
	ck_assert_int_eq(chmod(path, 0644), 0);
	dsreg_err_clear(&e);
	ck_assert_int_eq(dsreg_secret_read(path, &s, &len, &e), DSREG_EPERM);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(e.msg, "readable by group or others"));
	ck_assert_ptr_null(strstr(e.msg, "hunter2"));
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(dsreg_secret_read(path, &s, &len, &e), 0);
	ck_assert_str_eq(s, "hunter2");
	ck_assert_uint_eq(len, 7);
	dsreg_secret_free(s);
	unlink(path);
}
END_TEST

static Suite *
error_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, err_set_and_prefix);
	tcase_add_test(tc, buf_cap_enforced);
	tcase_add_test(tc, secret_mode_refused);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(error_suite)
