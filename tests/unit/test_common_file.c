/* tests/unit/test_common_file.c - common/file.c: regular files only, sizes capped, never blocking */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/dsreg-unit-file.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	/* a (void) cast does not silence warn_unused_result, which glibc
	 * puts on system() under _FORTIFY_SOURCE (the package build) */
	if (system(cmd) != 0)
		fprintf(stderr, "teardown: '%s' failed\n", cmd);
}

static void
path_of(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

START_TEST(fifo_refused_without_blocking)
{
	struct dsreg_buf b;
	struct dsreg_err e;
	char p[128];
	int fd = -1;

	path_of(p, sizeof(p), "fifo");
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	/* no writer: a plain open(2) would wait here forever */
	ck_assert_int_eq(dsreg_file_open_regular(p, 0, 0, &fd, NULL, &e),
	    DSREG_EPERM);
	ck_assert_ptr_nonnull(strstr(e.msg, "is a FIFO; dsreg reads only "
	    "regular files"));
	ck_assert_ptr_nonnull(strstr(e.msg, p));
	dsreg_buf_init(&b, 1024);
	ck_assert_int_eq(dsreg_buf_read_file(&b, p, &e), DSREG_EPERM);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(devices_and_dirs_refused)
{
	struct dsreg_err e;
	FILE *fp = NULL;

	ck_assert_int_eq(dsreg_file_fopen("/dev/zero", 1024, &fp, &e),
	    DSREG_EPERM);
	ck_assert_str_eq(e.msg, "/dev/zero: is a character device; dsreg "
	    "reads only regular files");
	ck_assert_int_eq(dsreg_file_fopen(dir, 1024, &fp, &e), DSREG_EPERM);
	ck_assert_ptr_nonnull(strstr(e.msg, "is a directory"));
	ck_assert_int_eq(dsreg_file_fopen("/nonexistent/x", 1024, &fp, &e),
	    DSREG_ENOTFOUND);
}
END_TEST

START_TEST(size_capped)
{
	struct dsreg_err e;
	char p[128], *data = NULL;
	size_t len = 0;
	FILE *w;
	int fd;

	path_of(p, sizeof(p), "f");
	w = fopen(p, "w");
	ck_assert_ptr_nonnull(w);
	fputs("0123456789", w);
	fclose(w);
	ck_assert_int_eq(dsreg_file_open_regular(p, 0, 9, &fd, NULL, &e),
	    DSREG_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "larger than the limit of 9"));
	ck_assert_int_eq(dsreg_file_open_regular(p, 0, 10, &fd, NULL, &e), 0);
	/* the read is capped too (the file may grow after the check) */
	ck_assert_int_eq(dsreg_file_read_capped(fd, p, 5, &data, &len, &e),
	    DSREG_ETOOBIG);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(dsreg_file_read_capped(fd, p, 10, &data, &len, &e),
	    0);
	ck_assert_uint_eq(len, 10);
	ck_assert_str_eq(data, "0123456789");
	/* the descriptor is blocking again */
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	free(data);
	close(fd);
}
END_TEST

static Suite *
file_suite(void)
{
	Suite *s = suite_create("common_file");
	TCase *tc = tcase_create("regular");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fifo_refused_without_blocking);
	tcase_add_test(tc, devices_and_dirs_refused);
	tcase_add_test(tc, size_capped);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(file_suite)
