/* cli/metrics.h - what one run saw, as Prometheus text exposition (--format openmetrics) */
#ifndef DSREG_CLI_METRICS_H
#define DSREG_CLI_METRICS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "common/buf.h"
#include "dns/dns.h"

/*
 * The metrics (names are part of the interface, see README.md):
 *
 *   dsreg_domains{verdict}                 gauge, every verdict word, 0 too
 *   dsreg_plan_domains{kind,account}       gauge, plan kind per account
 *                                          (account "": none, manual); every
 *                                          kind appears, at least with ""
 *   dsreg_changes_total{outcome}           counter: applied, failed,
 *                                          unpublished
 *   dsreg_run_start_timestamp_seconds      gauge, Unix time
 *   dsreg_run_duration_seconds             gauge
 *   dsreg_account_last_session_timestamp_seconds{account}
 *                                          gauge, Unix time of the last
 *                                          successful registrar request
 *
 * A group is written only when its have_* flag is set, so a command writes
 * what it knows and nothing it does not.
 */

struct metrics_plan_row {
	char *kind;          /* dns_plan_kind_name() word */
	char *account;       /* "" for no account (manual) */
	uint64_t n;
};

struct metrics_session {
	char *account;
	time_t last;
};

struct metrics_run {
	int have_verdicts;
	uint64_t verdicts[DNS_V_COUNT];     /* indexed by enum dns_verdict */

	int have_plan;
	struct metrics_plan_row *plan;      /* metrics_plan_add */
	size_t nplan;

	int have_changes;
	uint64_t applied, failed, unpublished;

	int have_run;
	double run_start;                   /* seconds since the epoch */
	double run_duration;                /* seconds */

	int have_sessions;
	struct metrics_session *sessions;   /* metrics_session_seen */
	size_t nsessions;
};

/* Zero m (nothing to write yet).  Free what it gathers with metrics_run_free. */
void metrics_run_init(struct metrics_run *m);
/* Free the plan rows and sessions; m is left as after metrics_run_init. */
void metrics_run_free(struct metrics_run *m);

/*
 * Count one domain of plan kind `kind` (a dns_plan_kind_name word) at
 * `account` (NULL or "": none).  Sets have_plan.  0 or DSREG_ENOMEM.
 */
int metrics_plan_add(struct metrics_run *m, const char *kind,
    const char *account);

/*
 * Count one change by its outcome, the words of apply and of the journal
 * alike: "applied" and "already" (the registrar held the set already) are
 * applied, and unpublished too when `unpublished` is set (not yet seen at
 * every parent server); NULL (still open: the next apply resolves it)
 * counts nothing; any other word ("failed", "unknown", "not-applied",
 * "interrupted") is failed.  Sets have_changes.
 */
void metrics_change_add(struct metrics_run *m, const char *outcome,
    int unpublished);

/*
 * A successful session with account at `when`: keeps the latest time per
 * account.  Sets have_sessions.  0 or DSREG_ENOMEM.
 */
int metrics_session_seen(struct metrics_run *m, const char *account,
    time_t when);

/*
 * Write m as Prometheus text exposition (format 0.0.4, what node_exporter's
 * textfile collector reads): HELP and TYPE per metric, then its samples,
 * label values escaped, rows in a stable order.  0, or DSREG_EIO if fp
 * reports an error, DSREG_ENOMEM.
 */
int metrics_write(FILE *fp, const struct metrics_run *m);

/*
 * Append s to out as a label value of the exposition format: backslash,
 * double quote and newline become \\, \" and \n (no surrounding quotes).
 * 0 or the dsreg_buf error.
 */
int metrics_label_escape(struct dsreg_buf *out, const char *s);

#endif
