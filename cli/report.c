/* cli/report.c - dsreg report: the scorecard over time, fixes and changes, from the state DB */
#include "cli/cli.h"
#include "cli/metrics.h"
#include "cli/report_html.h"
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

/* ---- html and openmetrics: the whole history, gathered first ------------ */

struct gather {
	struct cli *c;
	struct state_db *db;
	struct report_data *d;
	struct metrics_run *m;        /* openmetrics; NULL for html */
	int rc;                       /* DSREG_ENOMEM seen */
};

/* Append one zeroed element to *v (of *n, each size bytes). */
static void *
grow(void *pv, size_t *n, size_t size)
{
	void **v = pv;
	char *nv;

	if ((nv = realloc(*v, (*n + 1) * size)) == NULL)
		return NULL;
	memset(nv + *n * size, 0, size);
	*v = nv;
	return nv + (*n)++ * size;
}

static char *
gdup(struct gather *g, const char *s)
{
	char *t;

	if (s == NULL)
		return NULL;
	if ((t = strdup(s)) == NULL)
		g->rc = DSREG_ENOMEM;
	return t;
}

static int
g_run(void *ctx, int64_t id, const char *command, time_t started,
    time_t finished, const char *counts)
{
	struct gather *g = ctx;
	struct report_run *r;
	json_t *cj = counts ? json_loads(counts, 0, NULL) : NULL;
	int v;

	if ((r = grow(&g->d->runs, &g->d->nruns, sizeof(*r))) == NULL) {
		json_decref(cj);
		return g->rc = DSREG_ENOMEM;
	}
	r->id = id;
	r->command = gdup(g, command);
	r->started = started;
	r->finished = finished;
	if (json_is_object(cj)) {
		r->have_counts = 1;
		for (v = 0; v < DNS_V_COUNT; v++) {
			json_int_t n = json_integer_value(json_object_get(cj,
			    dns_verdict_name((enum dns_verdict)v)));
			r->counts[v] = n > 0 ? (uint64_t)n : 0;
		}
	}
	json_decref(cj);
	return g->rc;
}

static int
g_fixed(void *ctx, const char *domain, const char *verdict, time_t bad,
    time_t fixed)
{
	struct gather *g = ctx;
	struct report_domain *r;

	if ((r = grow(&g->d->domains, &g->d->ndomains, sizeof(*r))) == NULL)
		return g->rc = DSREG_ENOMEM;
	r->domain = gdup(g, domain);
	r->verdict = gdup(g, verdict);
	r->last_bad = bad;
	r->fixed = fixed;
	return g->rc;
}

/* The last successful registrar request (ok) or change (applied). */
static int
g_session(void *ctx, const char *account, time_t when)
{
	struct gather *g = ctx;

	if (metrics_session_seen(g->m, account, when) != 0)
		g->rc = DSREG_ENOMEM;
	return g->rc;
}

static int
g_change(void *ctx, const struct state_journal_row *row)
{
	struct gather *g = ctx;
	struct report_change *r;

	if ((r = grow(&g->d->changes, &g->d->nchanges, sizeof(*r))) == NULL)
		return g->rc = DSREG_ENOMEM;
	r->id = row->id;
	r->domain = gdup(g, row->domain);
	r->account = gdup(g, row->account);
	r->outcome = gdup(g, row->outcome);
	r->note = gdup(g, row->note);
	r->started = row->started;
	r->finished = row->finished;
	return g->rc;
}

static int
g_unlocked(void *ctx, const struct state_unlocked_row *row)
{
	struct gather *g = ctx;
	struct report_unlocked *r;

	if ((r = grow(&g->d->unlocked, &g->d->nunlocked, sizeof(*r))) == NULL)
		return g->rc = DSREG_ENOMEM;
	r->domain = gdup(g, row->domain);
	r->account = gdup(g, row->account);
	r->note = gdup(g, row->note);
	r->since = row->since;
	return g->rc;
}

/*
 * The changes by domain: indexes into d->changes sorted by domain, then
 * by journal order (ids grow), so a domain's latest change is the last of
 * its run.
 */
struct byname_ent {
	const char *domain;
	size_t ix;
};

struct byname {
	const struct report_data *d;
	size_t *ix;
};

static int
byname_cmp(const void *a, const void *b)
{
	const struct byname_ent *x = a, *y = b;
	int c = strcmp(x->domain, y->domain);

	return c != 0 ? c : (x->ix > y->ix) - (x->ix < y->ix);
}

static int
byname_new(struct byname *bn, const struct report_data *d)
{
	struct byname_ent *v;
	size_t i;

	bn->d = d;
	if ((v = calloc(d->nchanges + 1, sizeof(*v))) == NULL ||
	    (bn->ix = calloc(d->nchanges + 1, sizeof(*bn->ix))) == NULL) {
		free(v);
		return DSREG_ENOMEM;
	}
	for (i = 0; i < d->nchanges; i++) {
		v[i].domain = d->changes[i].domain;
		v[i].ix = i;
	}
	qsort(v, d->nchanges, sizeof(*v), byname_cmp);
	for (i = 0; i < d->nchanges; i++)
		bn->ix[i] = v[i].ix;
	free(v);
	return 0;
}

/* The domain's latest change (its account is the domain's route). */
static const struct report_change *
last_change(const struct byname *bn, const char *domain)
{
	size_t lo = 0, hi = bn->d->nchanges, mid;

	/* the first position after every change of domain */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(bn->d->changes[bn->ix[mid]].domain, domain) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strcmp(bn->d->changes[bn->ix[lo - 1]].domain,
	    domain) != 0)
		return NULL;
	return &bn->d->changes[bn->ix[lo - 1]];
}

static int
is_applied(const struct report_change *r)
{
	return r->outcome != NULL && strcmp(r->outcome, "applied") == 0;
}

/* Mark in last[] (nchanges flags) each domain's latest applied change. */
static void
mark_last_applied(const struct byname *bn, unsigned char *last)
{
	const struct report_data *d = bn->d;
	size_t i, k;

	for (i = d->nchanges; i-- > 0;) {
		k = bn->ix[i];
		if (!is_applied(&d->changes[k]))
			continue;
		last[k] = 1;
		/* skip the domain's earlier changes */
		while (i > 0 && strcmp(d->changes[bn->ix[i - 1]].domain,
		    d->changes[k].domain) == 0)
			i--;
	}
}

/* Latest results, to tell whether an applied change has been seen. */
struct latest {
	char **domain, **verdict;
	time_t *when;
	size_t n, cap;
};

static int
g_latest(void *ctx, const char *domain, const char *verdict, time_t when)
{
	struct latest *l = ctx;
	void *p;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		if ((p = realloc(l->domain, l->cap * sizeof(char *))) == NULL)
			return DSREG_ENOMEM;
		l->domain = p;
		if ((p = realloc(l->verdict, l->cap * sizeof(char *))) == NULL)
			return DSREG_ENOMEM;
		l->verdict = p;
		if ((p = realloc(l->when, l->cap * sizeof(time_t))) == NULL)
			return DSREG_ENOMEM;
		l->when = p;
	}
	l->domain[l->n] = strdup(domain);
	l->verdict[l->n] = strdup(verdict != NULL ? verdict : "");
	l->when[l->n] = when;
	l->n++;
	return l->domain[l->n - 1] && l->verdict[l->n - 1] ? 0 : DSREG_ENOMEM;
}

static void
latest_free(struct latest *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->domain[i]);
		free(l->verdict[i]);
	}
	free(l->domain);
	free(l->verdict);
	free(l->when);
}

/* Index in l (sorted by domain, as state_latest_each gives it), or -1. */
static long
latest_find(const struct latest *l, const char *domain)
{
	size_t lo = 0, hi = l->n, mid;
	int d;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((d = strcmp(l->domain[mid], domain)) == 0)
			return (long)mid;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
verdict_settled(const char *word)
{
	int v;

	for (v = 0; v < DNS_V_COUNT; v++)
		if (strcmp(word, dns_verdict_name((enum dns_verdict)v)) == 0)
			return !dns_verdict_needs_action((enum dns_verdict)v);
	return 0;
}

/*
 * The metrics the state database can tell: dsreg_domains and the run time
 * of the latest run that kept counts (an audit), the changes over the
 * whole journal (applied; failed: every closed change not applied, i.e.
 * failed, unknown, not-applied; unpublished: a domain's latest applied
 * change that no later audit has seen settled) and, per account, the last
 * request or change that succeeded.
 */
static int
report_metrics(struct gather *g, const struct byname *bn,
    struct metrics_run *m, struct dsreg_err *err)
{
	static const char *const ok_words[] = { "ok", "applied" };
	const struct report_data *d = g->d;
	const struct report_run *last = NULL;
	unsigned char *lastap = NULL;
	struct latest l;
	size_t i;
	long k;
	int rc;

	for (i = 0; i < d->nruns; i++)
		if (d->runs[i].have_counts)
			last = &d->runs[i];
	if (last != NULL) {
		m->have_verdicts = 1;
		memcpy(m->verdicts, last->counts, sizeof(m->verdicts));
		m->have_run = 1;
		m->run_start = (double)last->started;
		m->run_duration = last->finished >= last->started ?
		    (double)(last->finished - last->started) : 0;
	}
	memset(&l, 0, sizeof(l));
	if ((rc = state_latest_each(g->db, g_latest, &l, err)) != 0)
		goto out;
	if ((lastap = calloc(d->nchanges + 1, 1)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "report: out of memory");
		goto out;
	}
	mark_last_applied(bn, lastap);
	m->have_changes = 1;
	for (i = 0; i < d->nchanges; i++) {
		const struct report_change *r = &d->changes[i];
		int unpub = 0;

		if (lastap[i])
			unpub = (k = latest_find(&l, r->domain)) < 0 ||
			    l.when[k] < (r->finished ? r->finished : r->started) ||
			    !verdict_settled(l.verdict[k]);
		metrics_change_add(m, r->outcome, unpub);
	}
	/* per account, the last request or change that succeeded */
	m->have_sessions = 1;
	if ((rc = state_journal_latest_each(g->db, ok_words, 2, g_session, g,
	    err)) == 0 && g->rc != 0)
		rc = dsreg_err_set(err, g->rc, "report: out of memory");
out:
	free(lastap);
	latest_free(&l);
	return rc;
}

/* Gather d (and m) from the database; 0 or a DSREG_* code (err set). */
static int
gather(struct cli *c, struct state_db *db, struct report_data *d,
    struct metrics_run *m, struct dsreg_err *err)
{
	const char *settled[DNS_V_COUNT];
	struct byname bn = { NULL, NULL };
	struct gather g;
	size_t i, nsettled = 0;
	int rc, v;

	memset(&g, 0, sizeof(g));
	g.c = c;
	g.db = db;
	g.d = d;
	g.m = m;
	d->generated = time(NULL);
	for (v = 0; v < DNS_V_COUNT; v++)
		if (!dns_verdict_needs_action((enum dns_verdict)v))
			settled[nsettled++] = dns_verdict_name(
			    (enum dns_verdict)v);
	if ((rc = state_runs_each(db, g_run, &g, err)) != 0 ||
	    (rc = state_fixed_each(db, settled, nsettled, g_fixed, &g,
	    err)) != 0 ||
	    (rc = state_journal_each(db, 0, 0, g_change, &g, err)) != 0 ||
	    (rc = state_unlocked_each(db, g_unlocked, &g, err)) != 0)
		goto out;
	if (g.rc == 0 && (g.rc = byname_new(&bn, d)) != 0)
		goto out;
	for (i = 0; g.rc == 0 && i < d->ndomains; i++) {
		const struct report_change *ch = last_change(&bn,
		    d->domains[i].domain);

		d->domains[i].route = gdup(&g, ch != NULL ? ch->account :
		    config_cds_tld(c->cfg, d->domains[i].domain) ?
		    "registry scanner" : "manual");
	}
	if (g.rc == 0 && m != NULL)
		rc = report_metrics(&g, &bn, m, err);
out:
	free(bn.ix);
	if (rc == 0 && g.rc != 0)
		rc = dsreg_err_set(err, g.rc, "report: out of memory");
	return rc;
}

/* report --format html | openmetrics: an exit status. */
static int
report_whole(struct cli *c, struct state_db *db)
{
	struct report_data d;
	struct metrics_run m;
	struct dsreg_err err;
	int rc, st = EXIT_OK;

	memset(&d, 0, sizeof(d));
	metrics_run_init(&m);
	dsreg_err_clear(&err);
	if ((rc = gather(c, db, &d, c->format == FMT_OPENMETRICS ? &m : NULL,
	    &err)) != 0) {
		cli_err(c, "%s", dsreg_err_text(&err));
		st = EXIT_RUNTIME;
		goto out;
	}
	rc = c->format == FMT_HTML ? report_html_write(stdout, &d) :
	    metrics_write(stdout, &m);
	if (rc != 0) {
		cli_err(c, "report: writing the %s failed: %s", c->format ==
		    FMT_HTML ? "page" : "metrics", dsreg_strerror(rc));
		st = EXIT_RUNTIME;
	} else if (d.nunlocked > 0)
		st = EXIT_RUNTIME;   /* as the text report: left unlocked */
out:
	metrics_run_free(&m);
	report_data_free(&d);
	return st;
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
	if (c->format == FMT_HTML || c->format == FMT_OPENMETRICS) {
		st = report_whole(c, db);
		state_close(db);
		return st;
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
