/* tests/unit/check_main.h - suite registration for the single Check runner */
#ifndef DSREG_TESTS_CHECK_MAIN_H
#define DSREG_TESTS_CHECK_MAIN_H

#include <check.h>


#include <stddef.h>

typedef Suite *(*suite_fn)(void);
void unit_register_suite(suite_fn fn);

/*
 * Read the fixture dir/name into b (initialised here, capped at max);
 * the test fails, saying why, when it cannot.  Free b with dsreg_buf_free.
 */
struct dsreg_buf;
void unit_read_fixture(const char *dir, const char *name, size_t max,
    struct dsreg_buf *b);

/*
 * Put UNIT_SUITE(make_fn) at the end of a test file: the suite is
 * registered before main() runs, so adding a file is all it takes.
 */
#define UNIT_SUITE(fn) \
	static void register_##fn(void) __attribute__((constructor)); \
	static void register_##fn(void) { unit_register_suite(fn); }

#endif
