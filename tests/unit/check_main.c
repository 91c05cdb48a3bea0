/* tests/unit/check_main.c - one Check runner for every unit-test file
 *
 * Select one suite or case with Check's own CK_RUN_SUITE / CK_RUN_CASE.
 */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_SUITES 128

static suite_fn suites[MAX_SUITES];
static size_t nsuites;

void
unit_register_suite(suite_fn fn)
{
	if (nsuites >= MAX_SUITES) {
		fprintf(stderr, "check_main: too many suites\n");
		abort();
	}
	suites[nsuites++] = fn;
}

void
unit_read_fixture(const char *dir, const char *name, size_t max,
    struct dsreg_buf *b)
{
	char path[512];
	struct dsreg_err err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	dsreg_buf_init(b, max);
	ck_assert_msg(dsreg_buf_read_file(b, path, &err) == 0, "%s",
	    dsreg_err_text(&err));
}

int
main(void)
{
	SRunner *sr;
	int failed;
	size_t i;

	if (nsuites == 0) {
		fprintf(stderr, "check_main: no test suites registered\n");
		return 2;
	}
	sr = srunner_create(suites[0]());
	for (i = 1; i < nsuites; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
