/* cli/report.c - dsreg report: the scorecard over time, fixes and changes, from the state DB */
#include "cli/cli.h"
#include "common/error.h"
#include "common/state.h"
#include "dns/dns.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rep {
	struct cli *c;
	json_t *runs, *domains, *changes, *unlocked;   /* json formats */
	int text;
	size_t nfixed, nopen, nunlocked;
};

static const char *
when(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0)
		return "-";
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm);
	return buf;
}

static int
on_run(void *ctx, int64_t id, const char *command, time_t started,
    time_t finished, const char *counts)
{
	struct rep *r = ctx;
	json_t *cj = counts ? json_loads(counts, 0, NULL) : NULL;
	char b[32];
	int v;

	if (!r->text) {
		json_array_append_new(r->runs, json_pack("{s:I, s:s, s:I, s:I, "
		    "s:o}", "id", (json_int_t)id, "command", command, "started",
		    (json_int_t)started, "finished", (json_int_t)finished,
		    "counts", cj ? cj : json_null()));
		return 0;
	}
	printf("%4lld %-13s %s", (long long)id, command, when(started, b,
	    sizeof(b)));
	if (cj != NULL) {
		json_int_t total = 0;
		for (v = 0; v < DNS_V_COUNT; v++)
			total += json_integer_value(json_object_get(cj,
			    dns_verdict_name((enum dns_verdict)v)));
		printf("  %5lld domains:", (long long)total);
		for (v = 0; v < DNS_V_COUNT; v++) {
			json_int_t n = json_integer_value(json_object_get(cj,
			    dns_verdict_name((enum dns_verdict)v)));
			if (n > 0)
				printf(" %s %lld", dns_verdict_name(
				    (enum dns_verdict)v), (long long)n);
		}
		json_decref(cj);
	}
	putchar('\n');
	return 0;
}

static int
on_fixed(void *ctx, const char *domain, const char *verdict, time_t bad,
    time_t fixed)
{
	struct rep *r = ctx;
	char b1[32], b2[32];

	if (fixed)
		r->nfixed++;
	else
		r->nopen++;
	if (!r->text) {
		json_array_append_new(r->domains, json_pack("{s:s, s:s, s:I, "
		    "s:o}", "domain", domain, "last_problem", verdict,
		    "last_problem_time", (json_int_t)bad, "fixed", fixed ?
		    json_integer((json_int_t)fixed) : json_null()));
		return 0;
	}
	if (fixed)
		printf("  %-40s fixed %s (was %s at %s)\n", domain,
		    when(fixed, b1, sizeof(b1)), verdict, when(bad, b2,
		    sizeof(b2)));
	else
		printf("  %-40s %s at %s\n", domain, verdict, when(bad, b2,
		    sizeof(b2)));
	return 0;
}

static int
on_change(void *ctx, const struct state_journal_row *row)
{
	struct rep *r = ctx;
	char b[32];

	if (!r->text) {
		json_array_append_new(r->changes, json_pack("{s:I, s:s, s:s, "
		    "s:I, s:s?, s:s?}", "id", (json_int_t)row->id, "domain",
		    row->domain, "account", row->account, "time",
		    (json_int_t)row->started, "outcome", row->outcome, "note",
		    row->note));
		return 0;
	}
	printf("  %s %-32s %-12s %-12s %s\n", when(row->started, b, sizeof(b)),
	    row->domain, row->account, row->outcome ? row->outcome :
	    "OPEN (interrupted)", row->note ? row->note : "");
	return 0;
}

/* A domain dsreg unlocked and has not read back as locked. */
static int
on_unlocked(void *ctx, const struct state_unlocked_row *row)
{
	struct rep *r = ctx;
	char b[32];

	r->nunlocked++;
	if (!r->text) {
		json_array_append_new(r->unlocked, json_pack("{s:s, s:s, s:I, "
		    "s:s?}", "domain", row->domain, "account", row->account,
		    "since", (json_int_t)row->since, "note", row->note));
		return 0;
	}
	printf("  %-40s %-12s unlocked since %s%s%s\n", row->domain,
	    row->account, when(row->since, b, sizeof(b)), row->note ? ": " :
	    "", row->note ? row->note : "");
	return 0;
}

int
cmd_report(struct cli *c, int argc, char **argv)
{
	static const struct cli_optset set = { "", "usage: dsreg report\n",
		0, 0, NULL, 0 };
	struct state_db *db = NULL;
	struct dsreg_err err;
	struct rep r;
	json_t *all;
	const char *settled[DNS_V_COUNT];   /* verdicts needing no action */
	size_t nsettled = 0;
	int first, rc, st = EXIT_OK, v;

	if ((rc = cli_opts_parse(c, &set, argc, argv, NULL, &first)) != 0)
		return cli_exit_status(rc);
	if (first < argc) {
		fputs(set.usage, stderr);
		return EXIT_USAGE;
	}
	if (cli_config(c, 0) == NULL)
		return EXIT_USAGE;
	if (c->cfg->state == NULL) {
		cli_err(c, "report: needs 'state' in the [dsreg] section of the "
		    "config");
		return EXIT_USAGE;
	}
	dsreg_err_clear(&err);
	if ((rc = state_open(&db, c->cfg->state, &err)) != 0) {
		cli_err(c, "%s", dsreg_err_text(&err));
		return cli_exit_status(cli_state_error(rc));
	}
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.text = c->format == FMT_TEXT || c->format == FMT_CSV;
	if (!r.text) {
		r.runs = json_array();
		r.domains = json_array();
		r.changes = json_array();
		r.unlocked = json_array();
	} else
		printf("Runs (counts per verdict for audits):\n");
	if (state_runs_each(db, on_run, &r, &err) != 0)
		goto fail;
	if (r.text)
		printf("\nDomains that needed action:\n");
	for (v = 0; v < DNS_V_COUNT; v++)
		if (!dns_verdict_needs_action((enum dns_verdict)v))
			settled[nsettled++] = dns_verdict_name(
			    (enum dns_verdict)v);
	if (state_fixed_each(db, settled, nsettled, on_fixed, &r, &err) != 0)
		goto fail;
	if (r.text)
		printf("  %zu fixed, %zu still needing action\n\nChanges made "
		    "at registrars:\n", r.nfixed, r.nopen);
	if (state_journal_each(db, 0, 0, on_change, &r, &err) != 0)
		goto fail;
	if (r.text)
		printf("\nDomains dsreg unlocked and has not read back as "
		    "locked:\n");
	if (state_unlocked_each(db, on_unlocked, &r, &err) != 0)
		goto fail;
	if (r.text)
		printf("  %zu LEFT UNLOCKED%s\n", r.nunlocked, r.nunlocked ?
		    " (the next apply locks them first)" : "");
	if (r.nunlocked > 0)
		st = EXIT_RUNTIME;
	if (!r.text) {
		all = json_pack("{s:o, s:o, s:o, s:o}", "runs", r.runs,
		    "domains", r.domains, "changes", r.changes, "unlocked",
		    r.unlocked);
		json_dumpf(all, stdout, c->format == FMT_JSON ? JSON_INDENT(2) :
		    JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(all);
	}
	state_close(db);
	return st;
fail:
	cli_err(c, "%s", dsreg_err_text(&err));
	state_close(db);
	return EXIT_RUNTIME;
}
