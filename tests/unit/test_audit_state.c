/* tests/unit/test_audit_state.c - common/state.c: schema, WAL, runs and results, newer schema refused */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "common/state.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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


/* ---- the write lock: held only while writing ------------------------- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Another process (a raw connection) writing; 0 when it got the lock. */
static int
other_write(sqlite3 **raw, int keep_open)
{
	int rc;

	ck_assert_int_eq(sqlite3_open(path, raw), SQLITE_OK);
	sqlite3_busy_timeout(*raw, 0);
	rc = sqlite3_exec(*raw, "BEGIN IMMEDIATE; INSERT INTO runs (command, "
	    "started) VALUES ('other', 1);", NULL, NULL, NULL);
	if (rc == SQLITE_OK && !keep_open)
		rc = sqlite3_exec(*raw, "COMMIT", NULL, NULL, NULL);
	if (!keep_open) {
		sqlite3_close(*raw);
		*raw = NULL;
	}
	return rc;
}

static int
count_run(void *ctx, int64_t id, const char *command, time_t started,
    time_t finished, const char *counts_json)
{
	(void)id; (void)started; (void)finished; (void)counts_json;
	if (strcmp(command, "other") == 0)
		ck_abort_msg("saw the other connection's uncommitted run");
	++*(int *)ctx;
	return 0;
}

/* Results wait in memory, not in an open transaction: others can write meanwhile. */
START_TEST(results_hold_no_write_lock)
{
	struct state_db *db;
	struct dsreg_err err;
	sqlite3 *raw;
	int64_t run;

	dsreg_err_clear(&err);
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_run_begin(db, "audit", 1000, &run, &err), 0);
	ck_assert_int_eq(state_result_add(db, run, 1001, "a.example.", "ok",
	    NULL, NULL, NULL, &err), 0);
	ck_assert_int_eq(other_write(&raw, 0), SQLITE_OK);
	state_close(db);
	ck_assert_int_eq(query_long("SELECT count(*) FROM results"), 1);
	ck_assert_int_eq(query_long("SELECT count(*) FROM runs"), 2);
}
END_TEST

/* A slow audit's results are committed after a second, not only every 500. */
START_TEST(results_committed_by_time)
{
	struct state_db *db;
	struct dsreg_err err;
	int64_t run;

	dsreg_err_clear(&err);
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_run_begin(db, "audit", 1000, &run, &err), 0);
	ck_assert_int_eq(state_result_add(db, run, 1001, "a.example.", "ok",
	    NULL, NULL, NULL, &err), 0);
	ck_assert_int_eq(query_long("SELECT count(*) FROM results"), 0);
	usleep(1100 * 1000);
	ck_assert_int_eq(state_result_add(db, run, 1002, "b.example.",
	    "missing", NULL, NULL, NULL, &err), 0);
	ck_assert_int_eq(query_long("SELECT count(*) FROM results"), 2);
	state_close(db);
}
END_TEST

/*
 * Opening a database whose schema is current writes nothing, so it does
 * not wait for another process's write transaction; reading does not
 * either (WAL), and sees only what was committed.
 */
START_TEST(open_and_read_during_a_write)
{
	struct state_db *db;
	struct dsreg_err err;
	sqlite3 *raw;
	double t0;
	int n = 0;

	dsreg_err_clear(&err);
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	state_close(db);
	ck_assert_int_eq(other_write(&raw, 1), SQLITE_OK);
	t0 = now_s();
	ck_assert_msg(state_open(&db, path, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(state_schema_version(db), STATE_SCHEMA_VERSION);
	ck_assert_int_eq(state_runs_each(db, count_run, &n, &err), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_msg(now_s() - t0 < 1.0, "waited %.1f s for the writer",
	    now_s() - t0);
	state_close(db);
	sqlite3_close(raw);
}
END_TEST

/*
 * A database left in rollback-journal mode (another tool, an old copy)
 * while a writer holds it: readers go on without switching it to WAL
 * (which needs the database to themselves); a later open switches it.
 */
START_TEST(rollback_journal_db_readable_during_a_write)
{
	struct state_db *db;
	struct dsreg_err err;
	sqlite3 *raw;
	double t0;
	int n = 0;

	dsreg_err_clear(&err);
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	state_close(db);
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "PRAGMA journal_mode=DELETE",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	ck_assert_int_eq(other_write(&raw, 1), SQLITE_OK);
	t0 = now_s();
	ck_assert_msg(state_open(&db, path, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(state_runs_each(db, count_run, &n, &err), 0);
	ck_assert_msg(now_s() - t0 < 1.0, "waited %.1f s for the writer",
	    now_s() - t0);
	state_close(db);
	sqlite3_close(raw);
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	state_close(db);
	ck_assert_int_eq(query_long("SELECT count(*) FROM pragma_journal_mode "
	    "WHERE journal_mode = 'wal'"), 1);
}
END_TEST

/* A write that cannot get the lock in time is DSREG_EBUSY, saying so. */
START_TEST(busy_is_its_own_error)
{
	struct state_db *db;
	struct dsreg_err err;
	sqlite3 *raw;
	int64_t run;
	double t0;

	dsreg_err_clear(&err);
	ck_assert_int_eq(state_open(&db, path, &err), 0);
	state_set_busy_timeout(db, 200);
	ck_assert_int_eq(other_write(&raw, 1), SQLITE_OK);
	t0 = now_s();
	ck_assert_int_eq(state_run_begin(db, "plan", 1000, &run, &err),
	    DSREG_EBUSY);
	ck_assert(now_s() - t0 >= 0.15);
	ck_assert_msg(strstr(err.msg, path) != NULL &&
	    strstr(err.msg, "busy") != NULL, "%s", err.msg);
	sqlite3_close(raw);
	dsreg_err_clear(&err);
	ck_assert_int_eq(state_run_begin(db, "plan", 1000, &run, &err), 0);
	state_close(db);
}
END_TEST

static Suite *
audit_state_suite(void)
{
	Suite *s = suite_create("audit_state");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, runs_and_results);
	tcase_add_test(tc, newer_schema_refused);
	tcase_add_test(tc, unopenable);
	tcase_add_test(tc, results_hold_no_write_lock);
	tcase_add_test(tc, results_committed_by_time);
	tcase_add_test(tc, open_and_read_during_a_write);
	tcase_add_test(tc, rollback_journal_db_readable_during_a_write);
	tcase_add_test(tc, busy_is_its_own_error);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(audit_state_suite)
