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
 * Migrations are a list of SQL steps in state.c, applied in order in one
 * transaction; a later issue adds the change journal (write-ahead steps of
 * `dsreg apply`) as the next step.  The database runs in WAL mode with a
 * busy timeout, so `dsreg report` can read while an audit writes.
 */
#define STATE_SCHEMA_VERSION 1

/*
 * Open (creating if needed) the database at path and bring its schema up
 * to date.  A database with a newer schema than this program knows is
 * refused (DSREG_EDB).  *out is freed with state_close.  One handle must
 * be used by one thread at a time.
 */
int state_open(struct state_db **out, const char *path, struct dsreg_err *err);
void state_close(struct state_db *db);   /* commits an open batch; NULL ok */

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
 * expected_ds_json are JSON arrays (NULL stores NULL).  Rows are written in
 * batched transactions; state_run_end and state_close commit.
 */
int state_result_add(struct state_db *db, int64_t run_id, time_t when,
    const char *domain, const char *verdict, const char *findings_json,
    const char *parent_ds_json, const char *expected_ds_json,
    struct dsreg_err *err);

/* Count of results recorded for a run with a given verdict (NULL: all). */
int state_result_count(struct state_db *db, int64_t run_id,
    const char *verdict, long *out, struct dsreg_err *err);

#endif
