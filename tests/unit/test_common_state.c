/* tests/unit/test_common_state.c - common/state.c: schema, WAL, runs and results, newer schema refused; journal, seen-since, report */
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

/* ---- schema 2: journal, seen-since, report ---------------------------- */

struct seen {
	int n;
	int64_t ids[8];
	char steps[8][16];
	char outcomes[8][16];
};

static int
collect(void *ctx, const struct state_journal_row *r)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->ids[s->n] = r->id;
		snprintf(s->steps[s->n], 16, "%s", r->step);
		snprintf(s->outcomes[s->n], 16, "%s",
		    r->outcome ? r->outcome : "-");
	}
	s->n++;
	return 0;
}

START_TEST(journal_survives_reopen)
{
	struct state_db *db;
	struct dsreg_err err;
	int64_t run, change, unlock, change2;
	struct seen s;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_schema_version(db), STATE_SCHEMA_VERSION);
	ck_assert_int_eq(state_run_begin(db, "apply", 100, &run, &err), 0);
	/* a result batch is open: a journal row must still be durable */
	ck_assert_int_eq(state_result_add(db, run, 100, "a.example.", "missing",
	    NULL, NULL, NULL, &err), 0);
	ck_assert_int_eq(state_journal_begin(db, run, 0, "tucows", "a.example.",
	    "change", "{\"final\":[]}", 101, &change, &err), 0);
	ck_assert_int_eq(state_journal_begin(db, run, change, "tucows",
	    "a.example.", "unlock", NULL, 102, &unlock, &err), 0);
	ck_assert_int_eq(state_journal_end(db, unlock, "ok", NULL, 103, &err), 0);
	ck_assert_int_eq(state_journal_begin(db, run, 0, "tucows", "b.example.",
	    "change", NULL, 104, &change2, &err), 0);
	ck_assert_int_eq(state_journal_end(db, change2, "applied", "x", 105,
	    &err), 0);
	/* Each row was committed when written: a second handle sees them
	 * while the first is still open, as a run after a crash would. */
	{
		struct state_db *db2;
		ck_assert_int_eq(state_open(&db2, path, &err), 0);
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(state_journal_each(db2, 1, 0, collect, &s,
		    &err), 0);
		ck_assert_int_eq(s.n, 1);
		ck_assert(s.ids[0] == change);
		ck_assert_str_eq(s.outcomes[0], "-");
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(state_journal_each(db2, 0, change, collect, &s,
		    &err), 0);
		ck_assert_int_eq(s.n, 1);
		ck_assert_str_eq(s.steps[0], "unlock");
		ck_assert_str_eq(s.outcomes[0], "ok");
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(state_journal_each(db2, 0, 0, collect, &s,
		    &err), 0);
		ck_assert_int_eq(s.n, 2);
		state_close(db2);
	}
	state_close(db);
}
END_TEST

START_TEST(seen_since_keeps_first_time)
{
	struct state_db *db;
	struct dsreg_err err;
	time_t since;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_seen_get(db, "a.", "1 13 2 AA", &since, &err), 0);
	ck_assert_int_eq((long)since, 0);
	ck_assert_int_eq(state_seen_set(db, "a.", "1 13 2 AA", 500, &err), 0);
	ck_assert_int_eq(state_seen_set(db, "a.", "1 13 2 AA", 900, &err), 0);
	ck_assert_int_eq(state_seen_get(db, "a.", "1 13 2 AA", &since, &err), 0);
	ck_assert_int_eq((long)since, 500);
	/* another target starts the clock again */
	ck_assert_int_eq(state_seen_get(db, "a.", "2 13 2 BB", &since, &err), 0);
	ck_assert_int_eq((long)since, 0);
	ck_assert_int_eq(state_seen_set(db, "a.", "2 13 2 BB", 950, &err), 0);
	ck_assert_int_eq(state_seen_get(db, "a.", "2 13 2 BB", &since, &err), 0);
	ck_assert_int_eq((long)since, 950);
	ck_assert_int_eq(state_seen_set(db, "a.", NULL, 0, &err), 0);
	ck_assert_int_eq(state_seen_get(db, "a.", "2 13 2 BB", &since, &err), 0);
	ck_assert_int_eq((long)since, 0);
	state_close(db);
}
END_TEST

struct fixed {
	int n;
	char domain[4][32];
	long fixed[4];
};

static int
collect_fixed(void *ctx, const char *domain, const char *verdict,
    time_t last_bad, time_t fixed)
{
	struct fixed *f = ctx;

	(void)verdict;
	(void)last_bad;
	if (f->n < 4) {
		snprintf(f->domain[f->n], 32, "%s", domain);
		f->fixed[f->n] = (long)fixed;
	}
	f->n++;
	return 0;
}

/* Verdict words that need no action (dns_verdict_needs_action). */
static const char *const settled[] = { "not-ours", "unsigned", "ok" };
static const char *const settled_stale[] = { "not-ours", "unsigned", "ok",
	"stale" };

START_TEST(report_fixed_domains)
{
	struct state_db *db;
	struct dsreg_err err;
	struct fixed f;
	int64_t r1, r2;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_run_begin(db, "audit", 10, &r1, &err), 0);
	state_result_add(db, r1, 10, "a.", "missing", NULL, NULL, NULL, &err);
	state_result_add(db, r1, 10, "b.", "stale", NULL, NULL, NULL, &err);
	state_result_add(db, r1, 10, "c.", "ok", NULL, NULL, NULL, &err);
	ck_assert_int_eq(state_run_end(db, r1, 11, "{\"missing\":1}", &err), 0);
	ck_assert_int_eq(state_run_begin(db, "audit", 20, &r2, &err), 0);
	state_result_add(db, r2, 20, "a.", "ok", NULL, NULL, NULL, &err);
	state_result_add(db, r2, 20, "b.", "stale", NULL, NULL, NULL, &err);
	state_result_add(db, r2, 20, "c.", "ok", NULL, NULL, NULL, &err);
	ck_assert_int_eq(state_run_end(db, r2, 21, NULL, &err), 0);
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(state_fixed_each(db, settled, 3, collect_fixed, &f,
	    &err), 0);
	ck_assert_int_eq(f.n, 2);
	ck_assert_str_eq(f.domain[0], "a.");
	ck_assert_int_eq(f.fixed[0], 20);
	ck_assert_str_eq(f.domain[1], "b.");
	ck_assert_int_eq(f.fixed[1], 0);
	/* the words come from the caller: with "stale" among the settled
	 * ones, b. never needed action */
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(state_fixed_each(db, settled_stale, 4, collect_fixed,
	    &f, &err), 0);
	ck_assert_int_eq(f.n, 1);
	ck_assert_str_eq(f.domain[0], "a.");
	state_close(db);
}
END_TEST

static int
collect_latest(void *ctx, const char *domain, const char *verdict,
    time_t when)
{
	struct fixed *f = ctx;

	if (f->n < 4) {
		snprintf(f->domain[f->n], 32, "%s %s", domain, verdict);
		f->fixed[f->n] = (long)when;
	}
	f->n++;
	return 0;
}

static int
collect_latest_acct(void *ctx, const char *account, time_t when)
{
	struct fixed *f = ctx;

	if (f->n < 4) {
		snprintf(f->domain[f->n], 32, "%s", account);
		f->fixed[f->n] = (long)when;
	}
	f->n++;
	return 0;
}

/* Each domain's latest verdict, by name, whatever order it came in. */
START_TEST(report_latest_results)
{
	struct state_db *db;
	struct dsreg_err err;
	struct fixed f;
	int64_t r1, r2;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_run_begin(db, "audit", 10, &r1, &err), 0);
	state_result_add(db, r1, 10, "b.", "missing", NULL, NULL, NULL, &err);
	state_result_add(db, r1, 10, "a.", "missing", NULL, NULL, NULL, &err);
	ck_assert_int_eq(state_run_begin(db, "audit", 30, &r2, &err), 0);
	state_result_add(db, r2, 30, "a.", "ok", NULL, NULL, NULL, &err);
	state_result_add(db, r1, 20, "b.", "stale", NULL, NULL, NULL, &err);
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(state_latest_each(db, collect_latest, &f, &err), 0);
	ck_assert_int_eq(f.n, 2);
	ck_assert_str_eq(f.domain[0], "a. ok");
	ck_assert_int_eq(f.fixed[0], 30);
	ck_assert_str_eq(f.domain[1], "b. stale");
	ck_assert_int_eq(f.fixed[1], 20);
	state_close(db);
}
END_TEST

/* Per account, the latest row with a successful outcome, child rows
 * included; a later failure does not count. */
START_TEST(journal_latest_success)
{
	static const char *const words[] = { "ok", "applied" };
	struct state_db *db;
	struct dsreg_err err;
	struct fixed f;
	int64_t run, c1, s1, c2, c3;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_run_begin(db, "apply", 10, &run, &err), 0);
	ck_assert_int_eq(state_journal_begin(db, run, 0, "tucows", "a.",
	    "change", NULL, 10, &c1, &err), 0);
	ck_assert_int_eq(state_journal_begin(db, run, c1, "tucows", "a.",
	    "set-ds", NULL, 11, &s1, &err), 0);
	ck_assert_int_eq(state_journal_end(db, s1, "ok", NULL, 12, &err), 0);
	ck_assert_int_eq(state_journal_end(db, c1, "failed", NULL, 30, &err),
	    0);
	ck_assert_int_eq(state_journal_begin(db, run, 0, "reg", "b.",
	    "change", NULL, 20, &c2, &err), 0);
	ck_assert_int_eq(state_journal_end(db, c2, "applied", NULL, 25, &err),
	    0);
	ck_assert_int_eq(state_journal_begin(db, run, 0, "none", "c.",
	    "change", NULL, 40, &c3, &err), 0);   /* left open */
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(state_journal_latest_each(db, words, 2,
	    collect_latest_acct, &f, &err), 0);
	ck_assert_int_eq(f.n, 2);
	ck_assert_str_eq(f.domain[0], "reg");
	ck_assert_int_eq(f.fixed[0], 25);
	ck_assert_str_eq(f.domain[1], "tucows");
	ck_assert_int_eq(f.fixed[1], 12);
	ck_assert_int_eq(state_journal_latest_each(db, words, 0,
	    collect_latest_acct, &f, &err), DSREG_EINVAL);
	state_close(db);
}
END_TEST

struct unl {
	int n;
	char domains[4][32];
	time_t since[4];
	char notes[4][32];
};

static int
collect_unlocked(void *ctx, const struct state_unlocked_row *r)
{
	struct unl *u = ctx;

	if (u->n < 4) {
		snprintf(u->domains[u->n], 32, "%s", r->domain);
		snprintf(u->notes[u->n], 32, "%s", r->note ? r->note : "");
		u->since[u->n] = r->since;
	}
	u->n++;
	return 0;
}

/* A domain stays listed as unlocked (first time, last note) across a
 * reopen until it is cleared; clearing one leaves the others. */
START_TEST(unlocked_until_cleared)
{
	struct state_db *db;
	struct dsreg_err err;
	struct unl u;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_unlocked_add(db, "tucows", "a.example.", 100,
	    "unlock sent", &err), 0);
	ck_assert_int_eq(state_unlocked_add(db, "tucows", "b.example.", 150,
	    NULL, &err), 0);
	ck_assert_int_eq(state_unlocked_add(db, "tucows", "a.example.", 200,
	    "relock failed", &err), 0);
	ck_assert_int_eq(state_unlocked_add(db, "tucows", "a.example.", 300,
	    NULL, &err), 0);
	state_close(db);

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(state_unlocked_each(db, collect_unlocked, &u, &err), 0);
	ck_assert_int_eq(u.n, 2);
	ck_assert_str_eq(u.domains[0], "a.example.");
	ck_assert_int_eq(u.since[0], 100);
	ck_assert_str_eq(u.notes[0], "relock failed");
	ck_assert_str_eq(u.domains[1], "b.example.");
	ck_assert_str_eq(u.notes[1], "");
	ck_assert_int_eq(state_unlocked_clear(db, "tucows", "a.example.",
	    &err), 0);
	ck_assert_int_eq(state_unlocked_clear(db, "other", "b.example.",
	    &err), 0);
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(state_unlocked_each(db, collect_unlocked, &u, &err), 0);
	ck_assert_int_eq(u.n, 1);
	ck_assert_str_eq(u.domains[0], "b.example.");
	state_close(db);
}
END_TEST

static Suite *
common_state_suite(void)
{
	Suite *s = suite_create("common_state");
	TCase *tc = tcase_create("core");
	TCase *tj = tcase_create("journal");

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
	tcase_add_checked_fixture(tj, setup, teardown);
	tcase_add_test(tj, journal_survives_reopen);
	tcase_add_test(tj, seen_since_keeps_first_time);
	tcase_add_test(tj, report_fixed_domains);
	tcase_add_test(tj, report_latest_results);
	tcase_add_test(tj, journal_latest_success);
	tcase_add_test(tj, unlocked_until_cleared);
	suite_add_tcase(s, tj);
	return s;
}

UNIT_SUITE(common_state_suite)
