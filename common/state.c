/* common/state.c - the SQLite state database: schema migrations, runs, audit results */
#include "common/state.h"
#include "common/error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH_ROWS 500
#define BATCH_MS 1000      /* oldest waiting result written after this */
#define BUSY_MS 5000

/* A result waiting to be written. */
struct pending {
	int64_t run_id;
	time_t when;
	char *v[5];            /* domain, verdict, findings, parent_ds, expected_ds */
};

struct state_db {
	sqlite3 *db;
	sqlite3_stmt *ins;     /* insert into results */
	char *path;
	struct pending *rows;  /* BATCH_ROWS slots, allocated at first use */
	size_t nrows;
	long first_ms;         /* when rows[0] was added (monotonic) */
	int busy_ms;
	int version;
};

/* Schema steps: step i brings the database from version i to i+1. */
static const char *const migrations[] = {
	/* 0 -> 1: audit history */
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  command TEXT NOT NULL,"
	"  started INTEGER NOT NULL,"
	"  finished INTEGER,"
	"  counts TEXT);"
	"CREATE TABLE results ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  time INTEGER NOT NULL,"
	"  domain TEXT NOT NULL,"
	"  verdict TEXT NOT NULL,"
	"  findings TEXT,"
	"  parent_ds TEXT,"
	"  expected_ds TEXT);"
	"CREATE INDEX results_domain ON results(domain, time);"
	"CREATE INDEX results_run ON results(run_id);",
	/* 1 -> 2: the write-ahead journal of `dsreg apply`, and since when
	 * each domain's target DS set has been seen at every parent server */
	"CREATE TABLE journal ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER,"
	"  parent INTEGER REFERENCES journal(id),"
	"  account TEXT NOT NULL,"
	"  domain TEXT NOT NULL,"
	"  step TEXT NOT NULL,"
	"  detail TEXT,"
	"  started INTEGER NOT NULL,"
	"  finished INTEGER,"
	"  outcome TEXT,"
	"  note TEXT);"
	"CREATE INDEX journal_domain ON journal(domain, id);"
	"CREATE TABLE ds_seen ("
	"  domain TEXT PRIMARY KEY,"
	"  target TEXT NOT NULL,"
	"  since INTEGER NOT NULL);",
	/* 2 -> 3: domains `dsreg apply` unlocked and has not yet read back
	 * as locked again */
	"CREATE TABLE unlocked ("
	"  account TEXT NOT NULL,"
	"  domain TEXT NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  note TEXT,"
	"  PRIMARY KEY (account, domain));",
};
#define NMIGRATIONS (int)(sizeof(migrations) / sizeof(migrations[0]))

static int
is_busy(int code)
{
	code &= 0xff;
	return code == SQLITE_BUSY || code == SQLITE_LOCKED;
}

/* Another process kept its write lock for longer than we wait. */
static int
busy(struct state_db *s, struct dsreg_err *err, const char *what)
{
	return dsreg_err_set(err, DSREG_EBUSY, "state database %s is busy: "
	    "%s: another process held its write lock for more than %d ms "
	    "(a long write by another program?); try again", s->path, what,
	    s->busy_ms);
}

static int
dberr(struct state_db *s, struct dsreg_err *err, const char *what)
{
	if (s->db != NULL && is_busy(sqlite3_errcode(s->db)))
		return busy(s, err, what);
	return dsreg_err_set(err, DSREG_EDB, "state database: %s: %s", what,
	    s->db != NULL ? sqlite3_errmsg(s->db) : "cannot open");
}

static int
exec(struct state_db *s, const char *sql, struct dsreg_err *err)
{
	char *msg = NULL;
	int rc;

	if ((rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg)) == SQLITE_OK)
		return 0;
	if (is_busy(rc))
		rc = busy(s, err, "writing");
	else
		rc = dsreg_err_set(err, DSREG_EDB, "state database: %s",
		    msg != NULL ? msg : "error");
	sqlite3_free(msg);
	return rc;
}

static int
read_version(struct state_db *s, int *out, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT max(version) FROM "
	    "schema_version", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "reading the schema version");
	*out = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else
		rc = dberr(s, err, "reading the schema version");
	sqlite3_finalize(st);
	return rc;
}

static int
migrate(struct state_db *s, struct dsreg_err *err)
{
	char sql[64];
	int rc, v = 0, i;

	/* Current schema: a read says so, no write lock to wait for. */
	if (read_version(s, &v, NULL) == 0 && v == NMIGRATIONS) {
		s->version = v;
		return 0;
	}
	if ((rc = exec(s, "BEGIN IMMEDIATE;"
	    "CREATE TABLE IF NOT EXISTS schema_version ("
	    "  version INTEGER NOT NULL, applied INTEGER NOT NULL);", err)) != 0)
		return rc;
	if ((rc = read_version(s, &v, err)) != 0)
		goto fail;
	if (v > NMIGRATIONS) {
		rc = dsreg_err_set(err, DSREG_EDB, "state database has schema "
		    "version %d; this dsreg knows up to %d", v, NMIGRATIONS);
		goto fail;
	}
	for (i = v; i < NMIGRATIONS; i++) {
		if ((rc = exec(s, migrations[i], err)) != 0)
			goto fail;
		snprintf(sql, sizeof(sql), "INSERT INTO schema_version VALUES "
		    "(%d, strftime('%%s','now'));", i + 1);
		if ((rc = exec(s, sql, err)) != 0)
			goto fail;
	}
	if ((rc = exec(s, "COMMIT;", err)) != 0)
		goto fail;
	s->version = NMIGRATIONS;
	return 0;
fail:
	exec(s, "ROLLBACK;", NULL);
	return rc;
}

int
state_open(struct state_db **out, const char *path, struct dsreg_err *err)
{
	struct state_db *s;
	int rc;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return DSREG_ENOMEM;
	s->busy_ms = BUSY_MS;
	if ((s->path = strdup(path)) == NULL) {
		rc = DSREG_ENOMEM;
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = dsreg_err_set(err, DSREG_EDB, "state database %s: %s",
		    path, s->db != NULL ? sqlite3_errmsg(s->db) : "cannot open");
		goto fail;
	}
	/*
	 * WAL, so that readers never wait for a writer.  Switching a database
	 * left in rollback-journal mode needs it to ourselves: if another
	 * process is writing, go on in that mode (a later open switches).
	 */
	sqlite3_busy_timeout(s->db, 0);
	rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL);
	sqlite3_busy_timeout(s->db, s->busy_ms);
	if (rc != SQLITE_OK && !is_busy(rc)) {
		rc = dberr(s, err, "switching to WAL");
		dsreg_err_prefix(err, "%s", path);
		goto fail;
	}
	if ((rc = exec(s, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
	    err)) != 0 || (rc = migrate(s, err)) != 0) {
		if (rc != DSREG_EBUSY)
			dsreg_err_prefix(err, "%s", path);
		goto fail;
	}
	if (sqlite3_prepare_v2(s->db, "INSERT INTO results (run_id, time, "
	    "domain, verdict, findings, parent_ds, expected_ds) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?)", -1, &s->ins, NULL) != SQLITE_OK) {
		rc = dberr(s, err, "preparing");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	state_close(s);
	return rc;
}

void
state_set_busy_timeout(struct state_db *s, int ms)
{
	s->busy_ms = ms;
	sqlite3_busy_timeout(s->db, ms);
}

static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
pending_clear(struct state_db *s)
{
	size_t i, j;

	for (i = 0; i < s->nrows; i++)
		for (j = 0; j < 5; j++) {
			free(s->rows[i].v[j]);
			s->rows[i].v[j] = NULL;
		}
	s->nrows = 0;
}

static void
bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * Write the waiting results in one transaction: the write lock is held
 * for these inserts only.  They are dropped if that fails.
 */
static int
batch_commit(struct state_db *s, struct dsreg_err *err)
{
	struct pending *p;
	size_t i;
	int j, rc;

	if (s->nrows == 0)
		return 0;
	if ((rc = exec(s, "BEGIN IMMEDIATE;", err)) != 0)
		goto out;
	for (i = 0; i < s->nrows && rc == 0; i++) {
		p = &s->rows[i];
		sqlite3_reset(s->ins);
		sqlite3_clear_bindings(s->ins);
		sqlite3_bind_int64(s->ins, 1, p->run_id);
		sqlite3_bind_int64(s->ins, 2, (sqlite3_int64)p->when);
		for (j = 0; j < 5; j++)
			bind_opt(s->ins, j + 3, p->v[j]);
		if (sqlite3_step(s->ins) != SQLITE_DONE)
			rc = dberr(s, err, "recording a result");
	}
	sqlite3_reset(s->ins);
	if (rc == 0)
		rc = exec(s, "COMMIT;", err);
	if (rc != 0)
		exec(s, "ROLLBACK;", NULL);
out:
	pending_clear(s);
	return rc;
}

void
state_close(struct state_db *s)
{
	if (s == NULL)
		return;
	if (s->db != NULL && s->ins != NULL)
		batch_commit(s, NULL);
	pending_clear(s);
	free(s->rows);
	sqlite3_finalize(s->ins);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
state_schema_version(struct state_db *s)
{
	return s->version;
}

int
state_run_begin(struct state_db *s, const char *command, time_t started,
    int64_t *run_id, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO runs (command, started) "
	    "VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "starting a run");
	sqlite3_bind_text(st, 1, command, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)started);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = dberr(s, err, "starting a run");
	else
		*run_id = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return rc;
}

int
state_run_end(struct state_db *s, int64_t run_id, time_t finished,
    const char *counts_json, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "UPDATE runs SET finished = ?, "
	    "counts = ? WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "finishing a run");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)finished);
	if (counts_json != NULL)
		sqlite3_bind_text(st, 2, counts_json, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, run_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = dberr(s, err, "finishing a run");
	sqlite3_finalize(st);
	return rc;
}

int
state_result_add(struct state_db *s, int64_t run_id, time_t when,
    const char *domain, const char *verdict, const char *findings_json,
    const char *parent_ds_json, const char *expected_ds_json,
    struct dsreg_err *err)
{
	const char *v[5] = { domain, verdict, findings_json, parent_ds_json,
	    expected_ds_json };
	struct pending *p;
	int j;

	if (s->rows == NULL &&
	    (s->rows = calloc(BATCH_ROWS, sizeof(*s->rows))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	p = &s->rows[s->nrows];
	p->run_id = run_id;
	p->when = when;
	for (j = 0; j < 5; j++)
		if (v[j] != NULL && (p->v[j] = strdup(v[j])) == NULL) {
			while (j-- > 0) {
				free(p->v[j]);
				p->v[j] = NULL;
			}
			return dsreg_err_set(err, DSREG_ENOMEM,
			    "out of memory");
		}
	if (s->nrows++ == 0)
		s->first_ms = mono_ms();
	if (s->nrows >= BATCH_ROWS || mono_ms() - s->first_ms >= BATCH_MS)
		return batch_commit(s, err);
	return 0;
}

int
state_result_count(struct state_db *s, int64_t run_id, const char *verdict,
    long *out, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, verdict != NULL ?
	    "SELECT count(*) FROM results WHERE run_id = ? AND verdict = ?" :
	    "SELECT count(*) FROM results WHERE run_id = ?", -1, &st,
	    NULL) != SQLITE_OK)
		return dberr(s, err, "counting results");
	sqlite3_bind_int64(st, 1, run_id);
	if (verdict != NULL)
		sqlite3_bind_text(st, 2, verdict, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = (long)sqlite3_column_int64(st, 0);
	else
		rc = dberr(s, err, "counting results");
	sqlite3_finalize(st);
	return rc;
}

/* ---- journal ---------------------------------------------------------- */

int
state_journal_begin(struct state_db *s, int64_t run_id, int64_t parent,
    const char *account, const char *domain, const char *step,
    const char *detail_json, time_t when, int64_t *id, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* Durable before the action it announces: no open batch around it. */
	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO journal (run_id, parent, "
	    "account, domain, step, detail, started) VALUES (?,?,?,?,?,?,?)",
	    -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "journal");
	sqlite3_bind_int64(st, 1, run_id);
	if (parent > 0)
		sqlite3_bind_int64(st, 2, parent);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_text(st, 3, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, step, -1, SQLITE_STATIC);
	bind_opt(st, 6, detail_json);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)when);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = dberr(s, err, "journal");
	else
		*id = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return rc;
}

int
state_journal_end(struct state_db *s, int64_t id, const char *outcome,
    const char *note, time_t when, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "UPDATE journal SET finished = ?, "
	    "outcome = ?, note = ? WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "journal");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)when);
	sqlite3_bind_text(st, 2, outcome, -1, SQLITE_STATIC);
	bind_opt(st, 3, note);
	sqlite3_bind_int64(st, 4, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = dberr(s, err, "journal");
	sqlite3_finalize(st);
	return rc;
}

int
state_journal_each(struct state_db *s, int unfinished_only, int64_t parent,
    state_journal_fn fn, void *ctx, struct dsreg_err *err)
{
	struct state_journal_row r;
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, parent > 0 ?
	    "SELECT id, run_id, coalesce(parent, 0), account, domain, step, "
	    "detail, started, coalesce(finished, 0), outcome, note FROM journal "
	    "WHERE parent = ?1 ORDER BY id" :
	    "SELECT id, run_id, coalesce(parent, 0), account, domain, step, "
	    "detail, started, coalesce(finished, 0), outcome, note FROM journal "
	    "WHERE parent IS NULL AND (?2 = 0 OR outcome IS NULL) ORDER BY id",
	    -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "reading the journal");
	if (parent > 0)
		sqlite3_bind_int64(st, 1, parent);
	else
		sqlite3_bind_int(st, 2, unfinished_only);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(st, 0);
		r.run_id = sqlite3_column_int64(st, 1);
		r.parent = sqlite3_column_int64(st, 2);
		r.account = (const char *)sqlite3_column_text(st, 3);
		r.domain = (const char *)sqlite3_column_text(st, 4);
		r.step = (const char *)sqlite3_column_text(st, 5);
		r.detail = (const char *)sqlite3_column_text(st, 6);
		r.started = (time_t)sqlite3_column_int64(st, 7);
		r.finished = (time_t)sqlite3_column_int64(st, 8);
		r.outcome = (const char *)sqlite3_column_text(st, 9);
		r.note = (const char *)sqlite3_column_text(st, 10);
		if ((rc = fn(ctx, &r)) != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = dberr(s, err, "reading the journal");
	sqlite3_finalize(st);
	return rc;
}

/* ---- target seen at every parent server ------------------------------ */

int
state_seen_get(struct state_db *s, const char *domain, const char *target,
    time_t *since, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*since = 0;
	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT since FROM ds_seen WHERE "
	    "domain = ? AND target = ?", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "reading ds_seen");
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, target, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		*since = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
state_seen_set(struct state_db *s, const char *domain, const char *target,
    time_t since, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, target != NULL ?
	    "INSERT INTO ds_seen (domain, target, since) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT(domain) DO UPDATE SET target = ?2, since = ?3 "
	    "WHERE target != ?2" :
	    "DELETE FROM ds_seen WHERE domain = ?1", -1, &st,
	    NULL) != SQLITE_OK)
		return dberr(s, err, "writing ds_seen");
	sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
	if (target != NULL) {
		sqlite3_bind_text(st, 2, target, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)since);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = dberr(s, err, "writing ds_seen");
	sqlite3_finalize(st);
	return rc;
}

/* ---- domains dsreg unlocked ------------------------------------------ */

int
state_unlocked_add(struct state_db *s, const char *account,
    const char *domain, time_t since, const char *note, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	/* the first time stays: it is when the domain was first unlocked */
	if (sqlite3_prepare_v2(s->db, "INSERT INTO unlocked (account, domain, "
	    "since, note) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(account, domain) "
	    "DO UPDATE SET note = coalesce(?4, note)", -1, &st,
	    NULL) != SQLITE_OK)
		return dberr(s, err, "writing unlocked");
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, domain, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)since);
	bind_opt(st, 4, note);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = dberr(s, err, "writing unlocked");
	sqlite3_finalize(st);
	return rc;
}

int
state_unlocked_clear(struct state_db *s, const char *account,
    const char *domain, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM unlocked WHERE account = ? "
	    "AND domain = ?", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "writing unlocked");
	sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, domain, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = dberr(s, err, "writing unlocked");
	sqlite3_finalize(st);
	return rc;
}

int
state_unlocked_each(struct state_db *s, state_unlocked_fn fn, void *ctx,
    struct dsreg_err *err)
{
	struct state_unlocked_row r;
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT account, domain, since, note "
	    "FROM unlocked ORDER BY since, domain", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "reading unlocked");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		r.account = (const char *)sqlite3_column_text(st, 0);
		r.domain = (const char *)sqlite3_column_text(st, 1);
		r.since = (time_t)sqlite3_column_int64(st, 2);
		r.note = (const char *)sqlite3_column_text(st, 3);
		if ((rc = fn(ctx, &r)) != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = dberr(s, err, "reading unlocked");
	sqlite3_finalize(st);
	return rc;
}

/* ---- report ---------------------------------------------------------- */

int
state_runs_each(struct state_db *s, state_run_fn fn, void *ctx,
    struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT id, command, started, "
	    "coalesce(finished, 0), counts FROM runs ORDER BY id", -1, &st,
	    NULL) != SQLITE_OK)
		return dberr(s, err, "reading runs");
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(ctx, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (time_t)sqlite3_column_int64(st, 2),
		    (time_t)sqlite3_column_int64(st, 3),
		    (const char *)sqlite3_column_text(st, 4))) != 0)
			break;
	if (rc == 0 && step != SQLITE_DONE)
		rc = dberr(s, err, "reading runs");
	sqlite3_finalize(st);
	return rc;
}

int
state_journal_latest_each(struct state_db *s, const char *const *outcomes,
    size_t n, state_account_time_fn fn, void *ctx, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	char in[4 * STATE_MAX_WORDS + 8], sql[512];
	size_t i;
	int rc, step;

	if (n == 0 || n > STATE_MAX_WORDS)
		return dsreg_err_set(err, DSREG_EINVAL, "state: %zu outcome "
		    "words (1 to %d)", n, STATE_MAX_WORDS);
	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	for (in[0] = '\0', i = 0; i < n; i++)
		strcat(in, i > 0 ? ", ?" : "?");
	snprintf(sql, sizeof(sql), "SELECT account, max(coalesce(finished, "
	    "started)) FROM journal WHERE outcome IN (%s) GROUP BY account "
	    "ORDER BY account", in);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "reading the journal");
	for (i = 0; i < n; i++)
		sqlite3_bind_text(st, (int)i + 1, outcomes[i], -1,
		    SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
		    (time_t)sqlite3_column_int64(st, 1))) != 0)
			break;
	if (rc == 0 && step != SQLITE_DONE)
		rc = dberr(s, err, "reading the journal");
	sqlite3_finalize(st);
	return rc;
}

int
state_latest_each(struct state_db *s, state_latest_fn fn, void *ctx,
    struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	/* SQLite takes the bare column (verdict) from the row of max(time) */
	if (sqlite3_prepare_v2(s->db, "SELECT domain, verdict, max(time) FROM "
	    "results GROUP BY domain ORDER BY domain", -1, &st, NULL) !=
	    SQLITE_OK)
		return dberr(s, err, "reading results");
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (time_t)sqlite3_column_int64(st, 2))) != 0)
			break;
	if (rc == 0 && step != SQLITE_DONE)
		rc = dberr(s, err, "reading results");
	sqlite3_finalize(st);
	return rc;
}

int
state_fixed_each(struct state_db *s, const char *const *settled,
    size_t nsettled, state_fixed_fn fn, void *ctx, struct dsreg_err *err)
{
	sqlite3_stmt *st = NULL;
	char in[4 * STATE_MAX_WORDS + 8], sql[1024];
	size_t i;
	int rc, step, k;

	if (nsettled == 0 || nsettled > STATE_MAX_WORDS)
		return dsreg_err_set(err, DSREG_EINVAL, "state: %zu verdict "
		    "words (1 to %d)", nsettled, STATE_MAX_WORDS);
	if ((rc = batch_commit(s, err)) != 0)
		return rc;
	/* "?, ?, ..." for the settled words, bound twice below */
	for (in[0] = '\0', i = 0; i < nsettled; i++)
		strcat(in, i > 0 ? ", ?" : "?");
	/* fixed = first settled verdict after the last one needing action */
	snprintf(sql, sizeof(sql),
	    "SELECT b.domain, b.verdict, b.lastbad, (SELECT min(r.time) FROM "
	    "results r WHERE r.domain = b.domain AND r.time >= b.lastbad AND "
	    "r.verdict IN (%s)) AS fixed "
	    "FROM (SELECT domain, verdict, max(time) AS lastbad FROM results "
	    "WHERE verdict NOT IN (%s) "
	    "GROUP BY domain) b ORDER BY fixed IS NULL, fixed, b.domain",
	    in, in);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return dberr(s, err, "reading results");
	for (k = 0; k < 2; k++)
		for (i = 0; i < nsettled; i++)
			sqlite3_bind_text(st, (int)((size_t)k * nsettled + i + 1),
			    settled[i], -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (time_t)sqlite3_column_int64(st, 2),
		    (time_t)sqlite3_column_int64(st, 3))) != 0)
			break;
	if (rc == 0 && step != SQLITE_DONE)
		rc = dberr(s, err, "reading results");
	sqlite3_finalize(st);
	return rc;
}
