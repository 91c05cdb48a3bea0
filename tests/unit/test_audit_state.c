/* tests/unit/test_audit_state.c - common/state.c: schema, WAL, runs and results, newer schema refused */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "common/state.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], path[128];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/dsreg-state-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.db", dir);
}

static void
teardown(void)
{
	char p[160];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
}

static long
query_long(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long v = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

START_TEST(runs_and_results)
{
	struct state_db *db;
	struct dsreg_err err;
	int64_t run, run2;
	long n;
	int i;
	char dom[64];

	dsreg_err_clear(&err);
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_schema_version(db), STATE_SCHEMA_VERSION);
	ck_assert_int_eq(state_run_begin(db, "audit", 1000, &run, &err), 0);
	for (i = 0; i < 1203; i++) {   /* more than one batch */
		snprintf(dom, sizeof(dom), "d%04d.example.", i);
		ck_assert_int_eq(state_result_add(db, run, 1001, dom,
		    i % 3 == 0 ? "missing" : "ok", "[\"no DS\"]",
		    "[]", "[\"d.example. IN DS 1 13 2 AA\"]", &err), 0);
	}
	ck_assert_int_eq(state_result_count(db, run, NULL, &n, &err), 0);
	ck_assert_int_eq(n, 1203);
	ck_assert_int_eq(state_result_count(db, run, "missing", &n, &err), 0);
	ck_assert_int_eq(n, 401);
	ck_assert_int_eq(state_run_end(db, run, 1002, "{\"ok\":802}", &err), 0);
	state_close(db);
	/* reopen: no migration again, a second run gets a new id */
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_run_begin(db, "audit", 2000, &run2, &err), 0);
	ck_assert(run2 != run);
	ck_assert_int_eq(state_result_add(db, run2, 2001, "x.example.", "ok",
	    NULL, NULL, NULL, &err), 0);
	state_close(db);   /* commits the open batch */
	ck_assert_int_eq(query_long("SELECT count(*) FROM schema_version"),
	    STATE_SCHEMA_VERSION);
	ck_assert_int_eq(query_long("SELECT count(*) FROM results"), 1204);
	ck_assert_int_eq(query_long("SELECT finished FROM runs WHERE id = 1"),
	    1002);
	ck_assert_int_eq(query_long("SELECT count(*) FROM results WHERE "
	    "findings IS NULL"), 1);
	ck_assert_int_eq(query_long("SELECT count(*) FROM pragma_journal_mode "
	    "WHERE journal_mode = 'wal'"), 1);
}
END_TEST

START_TEST(newer_schema_refused)
{
	struct state_db *db;
	struct dsreg_err err;
	sqlite3 *raw;

	dsreg_err_clear(&err);
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	state_close(db);
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "INSERT INTO schema_version VALUES "
	    "(99, 0)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	ck_assert_int_eq(state_open(&db, path, &err), DSREG_EDB);
	ck_assert_ptr_nonnull(strstr(err.msg, "schema version 99"));
	ck_assert_ptr_nonnull(strstr(err.msg, path));
}
END_TEST

START_TEST(unopenable)
{
	struct state_db *db = NULL;
	struct dsreg_err err;

	dsreg_err_clear(&err);
	ck_assert_int_eq(state_open(&db, "/nonexistent/dir/state.db", &err),
	    DSREG_EDB);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/dir/state.db"));
	ck_assert_ptr_null(db);
	state_close(NULL);
}
END_TEST

static Suite *
audit_state_suite(void)
{
	Suite *s = suite_create("audit_state");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, runs_and_results);
	tcase_add_test(tc, newer_schema_refused);
	tcase_add_test(tc, unopenable);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(audit_state_suite)
