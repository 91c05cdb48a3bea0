/* common/state.h - the SQLite state database: audit history (and, later, the change journal) */
#ifndef DSREG_COMMON_STATE_H
#define DSREG_COMMON_STATE_H

#include <stdint.h>
#include <time.h>

struct dsreg_err;
struct state_db;

/*
 * Schema (version STATE_SCHEMA_VERSION, recorded in table schema_version):
 *   runs(id, command, started, finished, counts)        one row per run
 *   results(run_id, time, domain, verdict, findings,    one row per domain
 *           parent_ds, expected_ds)                     (JSON arrays)
 *   journal, ds_seen (schema 2), unlocked (schema 3): see below
 * Migrations are a list of SQL steps in state.c, applied in order in one
 * transaction, only when the schema is behind: opening a current database
 * writes nothing.  The database runs in WAL mode, so readers never wait
 * for a writer, and the write lock is held only while writing: results
 * wait in memory and are written in one short transaction every 500 rows
 * or every second.  A write that waits longer than the busy timeout (5 s)
 * for another process's write fails with DSREG_EBUSY.
 */
#define STATE_SCHEMA_VERSION 3

/*
 * Open (creating if needed) the database at path and bring its schema up
 * to date.  A database with a newer schema than this program knows is
 * refused (DSREG_EDB).  *out is freed with state_close.  One handle must
 * be used by one thread at a time.
 */
int state_open(struct state_db **out, const char *path, struct dsreg_err *err);
void state_close(struct state_db *db);   /* commits an open batch; NULL ok */

/* How long a write waits for another process's write lock (default 5000 ms). */
void state_set_busy_timeout(struct state_db *db, int ms);

/* Schema version of an open database. */
int state_schema_version(struct state_db *db);

/* Start a run; *run_id identifies it in state_result_add. */
int state_run_begin(struct state_db *db, const char *command, time_t started,
    int64_t *run_id, struct dsreg_err *err);
/* Finish a run: counts is a JSON object {"ok": 3, ...} (may be NULL). */
int state_run_end(struct state_db *db, int64_t run_id, time_t finished,
    const char *counts_json, struct dsreg_err *err);

/*
 * Record one domain's result.  findings_json, parent_ds_json and
 * expected_ds_json are JSON arrays (NULL stores NULL); they are copied.
 * Rows are kept in memory and written in one transaction when 500 are
 * waiting or the oldest waited a second (checked at each call); every
 * other state_* call and state_close write them first.
 */
int state_result_add(struct state_db *db, int64_t run_id, time_t when,
    const char *domain, const char *verdict, const char *findings_json,
    const char *parent_ds_json, const char *expected_ds_json,
    struct dsreg_err *err);

/* Count of results recorded for a run with a given verdict (NULL: all). */
int state_result_count(struct state_db *db, int64_t run_id,
    const char *verdict, long *out, struct dsreg_err *err);

/* ---- the write-ahead journal of dsreg apply (schema 2) ------------- */

/*
 * A change to one domain at one account is a top-level row (step
 * "change", detail: what the change is to achieve, as JSON) with child
 * rows for each request that can change the registrar ("unlock",
 * "set-ds", "relock", "update", "resolve").  Each row is written, and
 * committed, before its request is sent (outcome NULL) and closed after it
 * (outcome "ok", "failed", "unknown", "applied", "not-applied").  A
 * top-level row left open by a crash is what the next run resolves first.
 * Details never hold secrets.
 */
int state_journal_begin(struct state_db *db, int64_t run_id, int64_t parent,
    const char *account, const char *domain, const char *step,
    const char *detail_json, time_t when, int64_t *id, struct dsreg_err *err);
int state_journal_end(struct state_db *db, int64_t id, const char *outcome,
    const char *note, time_t when, struct dsreg_err *err);

struct state_journal_row {
	int64_t id, run_id, parent;
	const char *account, *domain, *step, *detail, *outcome, *note;
	time_t started, finished;   /* finished 0: still open */
};
/* Return non-zero to stop; strings live for the call only. */
typedef int (*state_journal_fn)(void *ctx, const struct state_journal_row *r);
/*
 * With parent > 0: the child rows of that change.  Else the top-level
 * rows (only the open ones when unfinished_only), oldest first.
 */
int state_journal_each(struct state_db *db, int unfinished_only,
    int64_t parent, state_journal_fn fn, void *ctx, struct dsreg_err *err);

/*
 * Since when the target DS set `target` (a canonical text of the set) has
 * been seen at every parent server of domain: *since = 0 when not recorded
 * for this very target.  state_seen_set records it (keeping an existing
 * time for the same target); target NULL forgets the domain.
 */
int state_seen_get(struct state_db *db, const char *domain,
    const char *target, time_t *since, struct dsreg_err *err);
int state_seen_set(struct state_db *db, const char *domain,
    const char *target, time_t since, struct dsreg_err *err);

/* ---- domains dsreg unlocked (schema 3) ------------------------------ */

/*
 * A domain `dsreg apply` unlocked stays in table unlocked from before the
 * unlock is sent until the lock state, read back from the registrar, says
 * locked again.  state_unlocked_add keeps the first `since` of a domain
 * already listed (note NULL keeps its note); state_unlocked_clear removes
 * it (not listed: no error).  Notes never hold secrets.
 */
int state_unlocked_add(struct state_db *db, const char *account,
    const char *domain, time_t since, const char *note, struct dsreg_err *err);
int state_unlocked_clear(struct state_db *db, const char *account,
    const char *domain, struct dsreg_err *err);

struct state_unlocked_row {
	const char *account, *domain, *note;   /* note may be NULL */
	time_t since;
};
/* Return non-zero to stop; strings live for the call only. */
typedef int (*state_unlocked_fn)(void *ctx,
    const struct state_unlocked_row *r);
/* Every listed domain, oldest first. */
int state_unlocked_each(struct state_db *db, state_unlocked_fn fn, void *ctx,
    struct dsreg_err *err);

/* ---- report ---------------------------------------------------------- */

typedef int (*state_run_fn)(void *ctx, int64_t id, const char *command,
    time_t started, time_t finished, const char *counts_json);
/* Every run, oldest first. */
int state_runs_each(struct state_db *db, state_run_fn fn, void *ctx,
    struct dsreg_err *err);

/*
 * Per account, the latest time (finished, else started) of a journal row,
 * top-level or child, whose outcome is one of the n words (1 to
 * STATE_MAX_WORDS); accounts by name.
 */
typedef int (*state_account_time_fn)(void *ctx, const char *account,
    time_t when);
int state_journal_latest_each(struct state_db *db, const char *const *outcomes,
    size_t n, state_account_time_fn fn, void *ctx, struct dsreg_err *err);

/* Every domain with a recorded result: its latest verdict and time, by name. */
typedef int (*state_latest_fn)(void *ctx, const char *domain,
    const char *verdict, time_t when);
int state_latest_each(struct state_db *db, state_latest_fn fn, void *ctx,
    struct dsreg_err *err);

/*
 * Every domain that ever had a verdict calling for action: its last such
 * verdict and time, and fixed, the first time after it that its verdict
 * was one of the settled words (0: not fixed).  Fixed ones first, by
 * time.  The verdict vocabulary is the caller's: settled lists the
 * nsettled (1 to STATE_MAX_WORDS) verdict words that need no action
 * (dsreg: those dns_verdict_needs_action says no to).
 */
#define STATE_MAX_WORDS 32
typedef int (*state_fixed_fn)(void *ctx, const char *domain,
    const char *last_bad_verdict, time_t last_bad, time_t fixed);
int state_fixed_each(struct state_db *db, const char *const *settled,
    size_t nsettled, state_fixed_fn fn, void *ctx, struct dsreg_err *err);

#endif
