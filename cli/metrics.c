/* cli/metrics.c - what one run saw, as Prometheus text exposition (--format openmetrics) */
#include "cli/metrics.h"
#include "common/error.h"
#include "dns/plan.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_MAX (1u << 16)    /* one escaped label value */

/* The plan kinds, in the order they are written. */
static const enum dns_plan_kind plan_kinds[] = {
	DNS_PLAN_NOTHING, DNS_PLAN_CHANGE, DNS_PLAN_WAIT, DNS_PLAN_REFUSE,
};
#define NKINDS (sizeof(plan_kinds) / sizeof(plan_kinds[0]))

void
metrics_run_init(struct metrics_run *m)
{
	memset(m, 0, sizeof(*m));
}

void
metrics_run_free(struct metrics_run *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nplan; i++) {
		free(m->plan[i].kind);
		free(m->plan[i].account);
	}
	free(m->plan);
	for (i = 0; i < m->nsessions; i++)
		free(m->sessions[i].account);
	free(m->sessions);
	metrics_run_init(m);
}

int
metrics_plan_add(struct metrics_run *m, const char *kind, const char *account)
{
	struct metrics_plan_row *v, row;
	size_t i;

	if (account == NULL)
		account = "";
	m->have_plan = 1;
	for (i = 0; i < m->nplan; i++)
		if (strcmp(m->plan[i].kind, kind) == 0 &&
		    strcmp(m->plan[i].account, account) == 0) {
			m->plan[i].n++;
			return 0;
		}
	row.kind = strdup(kind);
	row.account = strdup(account);
	row.n = 1;
	if (row.kind == NULL || row.account == NULL ||
	    (v = realloc(m->plan, (m->nplan + 1) * sizeof(*v))) == NULL) {
		free(row.kind);
		free(row.account);
		return DSREG_ENOMEM;
	}
	v[m->nplan++] = row;
	m->plan = v;
	return 0;
}

void
metrics_change_add(struct metrics_run *m, const char *outcome,
    int unpublished)
{
	m->have_changes = 1;
	if (outcome == NULL)
		return;
	if (strcmp(outcome, "applied") == 0 ||
	    strcmp(outcome, "already") == 0) {
		m->applied++;
		if (unpublished)
			m->unpublished++;
	} else
		m->failed++;
}

int
metrics_session_seen(struct metrics_run *m, const char *account, time_t when)
{
	struct metrics_session *v;
	char *name;
	size_t i;

	m->have_sessions = 1;
	for (i = 0; i < m->nsessions; i++)
		if (strcmp(m->sessions[i].account, account) == 0) {
			if (when > m->sessions[i].last)
				m->sessions[i].last = when;
			return 0;
		}
	if ((name = strdup(account)) == NULL ||
	    (v = realloc(m->sessions, (m->nsessions + 1) * sizeof(*v))) ==
	    NULL) {
		free(name);
		return DSREG_ENOMEM;
	}
	v[m->nsessions].account = name;
	v[m->nsessions].last = when;
	m->nsessions++;
	m->sessions = v;
	return 0;
}

int
metrics_label_escape(struct dsreg_buf *out, const char *s)
{
	const char *run = s;
	int rc = 0;

	for (; rc == 0 && *s != '\0'; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '"' ? "\\\"" :
		    *s == '\n' ? "\\n" : NULL;

		if (esc == NULL)
			continue;
		if ((rc = dsreg_buf_append(out, run, (size_t)(s - run))) == 0)
			rc = dsreg_buf_appends(out, esc);
		run = s + 1;
	}
	if (rc == 0)
		rc = dsreg_buf_append(out, run, (size_t)(s - run));
	return rc;
}

/* ---- writing ------------------------------------------------------------ */

static void
family(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/*
 * One sample: name{k1="v1",k2="v2"} value; labels is a NULL-terminated
 * list of name, value pairs (values escaped here).
 */
static int
sample(FILE *fp, const char *name, const char *const *labels,
    const char *value)
{
	struct dsreg_buf b;
	size_t i;
	int rc = 0;

	dsreg_buf_init(&b, LABEL_MAX);
	fputs(name, fp);
	for (i = 0; labels != NULL && labels[i] != NULL; i += 2) {
		dsreg_buf_reset(&b);
		if ((rc = metrics_label_escape(&b, labels[i + 1])) != 0)
			break;
		fprintf(fp, "%s%s=\"%s\"", i == 0 ? "{" : ",", labels[i],
		    b.data != NULL ? b.data : "");
	}
	dsreg_buf_free(&b);
	if (rc != 0)
		return rc;
	fprintf(fp, "%s %s\n", labels != NULL && labels[0] != NULL ? "}" : "",
	    value);
	return 0;
}

static int
sample_u(FILE *fp, const char *name, const char *const *labels, uint64_t n)
{
	char v[32];

	snprintf(v, sizeof(v), "%" PRIu64, n);
	return sample(fp, name, labels, v);
}

static int
sample_d(FILE *fp, const char *name, const char *const *labels, double d)
{
	char v[64];

	snprintf(v, sizeof(v), "%.3f", d);
	return sample(fp, name, labels, v);
}

static int
kind_rank(const char *kind)
{
	size_t k;

	for (k = 0; k < NKINDS; k++)
		if (strcmp(dns_plan_kind_name(plan_kinds[k]), kind) == 0)
			return (int)k;
	return (int)NKINDS;
}

static int
plan_cmp(const void *a, const void *b)
{
	const struct metrics_plan_row *x = *(struct metrics_plan_row *const *)a;
	const struct metrics_plan_row *y = *(struct metrics_plan_row *const *)b;
	int d = kind_rank(x->kind) - kind_rank(y->kind);

	if (d != 0)
		return d;
	if ((d = strcmp(x->kind, y->kind)) != 0)
		return d;
	return strcmp(x->account, y->account);
}

static int
session_cmp(const void *a, const void *b)
{
	const struct metrics_session *x = *(struct metrics_session *const *)a;
	const struct metrics_session *y = *(struct metrics_session *const *)b;

	return strcmp(x->account, y->account);
}

static int
write_plan(FILE *fp, const struct metrics_run *m)
{
	const struct metrics_plan_row **v = NULL;
	const char *labels[5] = { "kind", NULL, "account", "", NULL };
	size_t i, k;
	int rc = 0, seen;

	family(fp, "dsreg_plan_domains", "gauge", "Domains per plan kind and "
	    "the account that carries the change out (account=\"\": none, "
	    "manual).");
	if (m->nplan > 0 && (v = calloc(m->nplan, sizeof(*v))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < m->nplan; i++)
		v[i] = &m->plan[i];
	if (m->nplan > 1)
		qsort(v, m->nplan, sizeof(*v), plan_cmp);
	/* every kind appears: the ones nobody had as 0 with account "" */
	for (k = 0; rc == 0 && k < NKINDS; k++) {
		const char *kind = dns_plan_kind_name(plan_kinds[k]);

		for (seen = 0, i = 0; i < m->nplan; i++)
			if (strcmp(v[i]->kind, kind) == 0)
				seen = 1;
		if (!seen) {
			labels[1] = kind;
			labels[3] = "";
			rc = sample_u(fp, "dsreg_plan_domains", labels, 0);
		}
	}
	for (i = 0; rc == 0 && i < m->nplan; i++) {
		labels[1] = v[i]->kind;
		labels[3] = v[i]->account;
		rc = sample_u(fp, "dsreg_plan_domains", labels, v[i]->n);
	}
	free(v);
	return rc;
}

static int
write_sessions(FILE *fp, const struct metrics_run *m)
{
	const struct metrics_session **v = NULL;
	const char *labels[3] = { "account", NULL, NULL };
	size_t i;
	int rc = 0;

	family(fp, "dsreg_account_last_session_timestamp_seconds", "gauge",
	    "Unix time of the last registrar request of the account that "
	    "succeeded (journal outcome ok or applied).");
	if (m->nsessions > 0 &&
	    (v = calloc(m->nsessions, sizeof(*v))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < m->nsessions; i++)
		v[i] = &m->sessions[i];
	if (m->nsessions > 1)
		qsort(v, m->nsessions, sizeof(*v), session_cmp);
	for (i = 0; rc == 0 && i < m->nsessions; i++) {
		labels[1] = v[i]->account;
		rc = sample_u(fp, "dsreg_account_last_session_timestamp_seconds",
		    labels, (uint64_t)(v[i]->last > 0 ? v[i]->last : 0));
	}
	free(v);
	return rc;
}

int
metrics_write(FILE *fp, const struct metrics_run *m)
{
	const char *labels[3] = { NULL, NULL, NULL };
	int rc = 0, v;

	if (m->have_verdicts) {
		family(fp, "dsreg_domains", "gauge", "Domains per verdict of "
		    "the run.");
		labels[0] = "verdict";
		for (v = 0; rc == 0 && v < DNS_V_COUNT; v++) {
			labels[1] = dns_verdict_name((enum dns_verdict)v);
			rc = sample_u(fp, "dsreg_domains", labels,
			    m->verdicts[v]);
		}
	}
	if (rc == 0 && m->have_plan)
		rc = write_plan(fp, m);
	if (rc == 0 && m->have_changes) {
		family(fp, "dsreg_changes_total", "counter", "DS changes sent "
		    "to registrars, by outcome (unpublished: applied, not yet "
		    "seen at every parent server).");
		labels[0] = "outcome";
		labels[1] = "applied";
		rc = sample_u(fp, "dsreg_changes_total", labels, m->applied);
		labels[1] = "failed";
		if (rc == 0)
			rc = sample_u(fp, "dsreg_changes_total", labels,
			    m->failed);
		labels[1] = "unpublished";
		if (rc == 0)
			rc = sample_u(fp, "dsreg_changes_total", labels,
			    m->unpublished);
	}
	if (rc == 0 && m->have_run) {
		family(fp, "dsreg_run_start_timestamp_seconds", "gauge",
		    "Unix time the run started.");
		rc = sample_d(fp, "dsreg_run_start_timestamp_seconds", NULL,
		    m->run_start);
		family(fp, "dsreg_run_duration_seconds", "gauge",
		    "How long the run took.");
		if (rc == 0)
			rc = sample_d(fp, "dsreg_run_duration_seconds", NULL,
			    m->run_duration);
	}
	if (rc == 0 && m->have_sessions)
		rc = write_sessions(fp, m);
	if (fflush(fp) != 0 || ferror(fp))
		rc = rc != 0 ? rc : DSREG_EIO;
	return rc;
}
