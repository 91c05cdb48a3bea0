/* cli/output.h - per-domain results as a text table + scorecard, JSON, JSON lines, CSV or metrics */
#ifndef DSREG_CLI_OUTPUT_H
#define DSREG_CLI_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "common/buf.h"

#include "cli/cli.h"
#include "cli/metrics.h"
#include "dns/dns.h"
#include "engine/policy.h"

struct output;

/*
 * Start an output stream on fp in the given format for `total` domains
 * (0 if unknown).  With progress set (stderr is a terminal and not -q), a
 * progress bar is drawn on stderr.  Results are written as they are given
 * (streaming; callers give them in completion order).  Free with
 * output_free after output_finish.
 */
int output_new(struct output **out, enum cli_format fmt, FILE *fp,
    int progress, size_t total);

/*
 * The JSON object of one audited domain (INTERFACE.md fields: domain,
 * verdict, parent, findings, parent_ds, expected_ds, servers).  New
 * reference, NULL on ENOMEM.
 */
json_t *output_audit_json(const struct dns_audit *a);

/*
 * The CLI's one DS -> JSON writer: an array of the records in presentation
 * form ("owner IN DS TAG ALG TYPE HEX"), or with rdata_only of their RDATA
 * ("TAG ALG TYPE HEX").  New reference; NULL on ENOMEM.
 */
json_t *output_ds_json(const struct ds_set *set, int rdata_only);

/*
 * JSON objects of audits also get "parent_policy": the policy row of the
 * domain's parent zone (engine_policy_json), or null when it has none.
 * policy is borrowed; NULL (the default) leaves the member out.
 */
void output_set_policy(struct output *o, const struct engine_policy *policy);

/* The format named by --format NAME into *out: 0, or -1 if unknown. */
int output_format_find(const char *name, enum cli_format *out);

/*
 * Write one domain.  extra (may be NULL) is merged into the JSON object
 * (plan/apply add "account" and "actions") and, in the text table, its
 * "actions" strings follow the findings.  Counts the verdict for the
 * scorecard.  Not thread-safe: callers serialise.
 */
int output_audit(struct output *o, const struct dns_audit *a,
    const json_t *extra);

/*
 * The JSON object of one audit for the json and jsonl formats, rendered
 * ahead of output_audit_pre so that workers can do it in parallel, outside
 * the lock that serialises output: thread-safe (reads only o's format).
 * For the other formats *out stays empty.  out is initialised here; free
 * it with dsreg_buf_free (also after failure).
 */
int output_audit_render(const struct output *o, const struct dns_audit *a,
    struct dsreg_buf *out);

/*
 * output_audit with the JSON object rendered by output_audit_render
 * (pre NULL or empty: rendered here).  Does not free pre.
 */
int output_audit_pre(struct output *o, const struct dns_audit *a,
    const json_t *extra, struct dsreg_buf *pre);

/*
 * What the run saw, for --format openmetrics (cli/metrics.h): the verdict
 * counts, the plan kinds per account (from the "plan" and "account"
 * members of the extra objects plan and apply give), the wall-clock time
 * of output_new as the run's start and, after output_finish, its
 * duration.  Kept for every format.  Owned by o (freed by output_free):
 * the caller may add to it (changes, sessions) and write it with
 * metrics_write.  The openmetrics format itself writes nothing per domain
 * and nothing at output_finish: the command writes the metrics when its
 * run is over.
 */
struct metrics_run *output_metrics(struct output *o);

/* Count of domains written with verdict v. */
size_t output_count(const struct output *o, enum dns_verdict v);
/* Scorecard counts as a JSON object {"ok": 3, ...}. New reference. */
json_t *output_counts_json(const struct output *o);

/*
 * Close the stream: "]" for json, the scorecard for text (counts per
 * verdict, total, elapsed time, rate).  Clears the progress bar.
 */
int output_finish(struct output *o);
void output_free(struct output *o);

#endif
