/* tests/unit/test_cli_metrics.c - Prometheus text exposition of a run: names, escaping, order */
#include "check_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/metrics.h"
#include "common/buf.h"

/* The exposition of m as one string (free it). */
static char *
render(const struct metrics_run *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(metrics_write(fp, m), 0);
	fclose(fp);
	return buf;
}

static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n'))
			return 1;
		p += n;
	}
	return 0;
}

static size_t
count_lines(const char *text, const char *prefix)
{
	size_t n = 0, k = strlen(prefix);
	const char *p = text;

	for (; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, prefix, k) == 0)
			n++;
	return n;
}

/* Label values, exposition format: \ " and newline escaped, nothing else. */
static const struct {
	const char *in, *out;
} label_cases[] = {
	{ "tucows", "tucows" },
	{ "", "" },
	{ "a\\b", "a\\\\b" },
	{ "say \"hi\"", "say \\\"hi\\\"" },
	{ "two\nlines", "two\\nlines" },
	{ "\\\"\n", "\\\\\\\"\\n" },
	{ "<script>&'", "<script>&'" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
};

START_TEST(label_escape)
{
	struct dsreg_buf b;

	dsreg_buf_init(&b, 1024);
	ck_assert_int_eq(metrics_label_escape(&b, label_cases[_i].in), 0);
	ck_assert_str_eq(b.data != NULL ? b.data : "", label_cases[_i].out);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(audit_run)
{
	struct metrics_run m;
	char *t;
	int v;

	metrics_run_init(&m);
	m.have_verdicts = 1;
	m.verdicts[DNS_V_MISSING] = 3;
	m.verdicts[DNS_V_OK] = 40;
	m.have_run = 1;
	m.run_start = 1700000000.25;
	m.run_duration = 1.5;
	t = render(&m);
	ck_assert(has_line(t, "# HELP dsreg_domains Domains per verdict of the "
	    "run."));
	ck_assert(has_line(t, "# TYPE dsreg_domains gauge"));
	ck_assert(has_line(t, "dsreg_domains{verdict=\"missing\"} 3"));
	ck_assert(has_line(t, "dsreg_domains{verdict=\"ok\"} 40"));
	ck_assert(has_line(t, "dsreg_domains{verdict=\"broken\"} 0"));
	/* every verdict word, 0 included */
	ck_assert_uint_eq(count_lines(t, "dsreg_domains{"), DNS_V_COUNT);
	for (v = 0; v < DNS_V_COUNT; v++) {
		char want[96];

		snprintf(want, sizeof(want), "dsreg_domains{verdict=\"%s\"} ",
		    dns_verdict_name((enum dns_verdict)v));
		ck_assert_msg(strstr(t, want) != NULL, "no %s", want);
	}
	ck_assert(has_line(t, "# TYPE dsreg_run_start_timestamp_seconds gauge"));
	ck_assert(has_line(t, "dsreg_run_start_timestamp_seconds "
	    "1700000000.250"));
	ck_assert(has_line(t, "dsreg_run_duration_seconds 1.500"));
	/* what the run did not see is not written */
	ck_assert_ptr_null(strstr(t, "dsreg_plan_domains"));
	ck_assert_ptr_null(strstr(t, "dsreg_changes_total"));
	ck_assert_ptr_null(strstr(t, "dsreg_account_last_session"));
	free(t);
	metrics_run_free(&m);
}
END_TEST

START_TEST(plan_rows)
{
	struct metrics_run m;
	char *t, *a, *b;

	metrics_run_init(&m);
	ck_assert_int_eq(metrics_plan_add(&m, "change", "tucows"), 0);
	ck_assert_int_eq(metrics_plan_add(&m, "change", "tucows"), 0);
	ck_assert_int_eq(metrics_plan_add(&m, "change", NULL), 0);
	ck_assert_int_eq(metrics_plan_add(&m, "change", "registry-x"), 0);
	ck_assert_int_eq(metrics_plan_add(&m, "nothing", "tucows"), 0);
	ck_assert_int_eq(metrics_plan_add(&m, "we\"ird", "a\\b\nc"), 0);
	ck_assert(m.have_plan);
	t = render(&m);
	ck_assert(has_line(t, "# TYPE dsreg_plan_domains gauge"));
	ck_assert(has_line(t, "dsreg_plan_domains{kind=\"change\","
	    "account=\"tucows\"} 2"));
	ck_assert(has_line(t, "dsreg_plan_domains{kind=\"change\","
	    "account=\"\"} 1"));
	ck_assert(has_line(t, "dsreg_plan_domains{kind=\"change\","
	    "account=\"registry-x\"} 1"));
	ck_assert(has_line(t, "dsreg_plan_domains{kind=\"nothing\","
	    "account=\"tucows\"} 1"));
	/* kinds nobody had: 0 with account "" */
	ck_assert(has_line(t, "dsreg_plan_domains{kind=\"wait\","
	    "account=\"\"} 0"));
	ck_assert(has_line(t, "dsreg_plan_domains{kind=\"refuse\","
	    "account=\"\"} 0"));
	ck_assert(has_line(t, "dsreg_plan_domains{kind=\"we\\\"ird\","
	    "account=\"a\\\\b\\nc\"} 1"));
	/* stable order: kinds in plan order, accounts by name */
	a = strstr(t, "kind=\"change\",account=\"registry-x\"");
	b = strstr(t, "kind=\"change\",account=\"tucows\"");
	ck_assert(a != NULL && b != NULL && a < b);
	ck_assert(strstr(t, "kind=\"nothing\"") < strstr(t, "kind=\"change\""));
	free(t);
	metrics_run_free(&m);
	ck_assert_uint_eq(m.nplan, 0);
}
END_TEST

START_TEST(changes_and_sessions)
{
	struct metrics_run m;
	char *t;

	metrics_run_init(&m);
	m.have_changes = 1;
	m.applied = 5;
	m.failed = 2;
	m.unpublished = 1;
	ck_assert_int_eq(metrics_session_seen(&m, "tucows", 1700000100), 0);
	ck_assert_int_eq(metrics_session_seen(&m, "tucows", 1700000500), 0);
	ck_assert_int_eq(metrics_session_seen(&m, "tucows", 1700000300), 0);
	ck_assert_int_eq(metrics_session_seen(&m, "registry-x", 1600000000), 0);
	t = render(&m);
	ck_assert(has_line(t, "# TYPE dsreg_changes_total counter"));
	ck_assert(has_line(t, "dsreg_changes_total{outcome=\"applied\"} 5"));
	ck_assert(has_line(t, "dsreg_changes_total{outcome=\"failed\"} 2"));
	ck_assert(has_line(t, "dsreg_changes_total{outcome=\"unpublished\"} 1"));
	ck_assert(has_line(t, "# TYPE dsreg_account_last_session_timestamp_"
	    "seconds gauge"));
	/* the latest time per account, not the last one given */
	ck_assert(has_line(t, "dsreg_account_last_session_timestamp_seconds"
	    "{account=\"tucows\"} 1700000500"));
	ck_assert(has_line(t, "dsreg_account_last_session_timestamp_seconds"
	    "{account=\"registry-x\"} 1600000000"));
	ck_assert(strstr(t, "account=\"registry-x\"") <
	    strstr(t, "account=\"tucows\""));
	ck_assert_ptr_null(strstr(t, "dsreg_domains"));
	free(t);
	metrics_run_free(&m);
}
END_TEST

/* Outcome words of apply and the journal, counted alike. */
START_TEST(change_outcomes)
{
	static const struct {
		const char *outcome;
		int unpublished;
	} rows[] = {
		{ "applied", 0 }, { "applied", 1 }, { "already", 1 },
		{ "failed", 0 }, { "unknown", 0 }, { "not-applied", 0 },
		{ "interrupted", 1 }, { NULL, 1 },
	};
	struct metrics_run m;
	size_t i;

	metrics_run_init(&m);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		metrics_change_add(&m, rows[i].outcome, rows[i].unpublished);
	ck_assert(m.have_changes);
	ck_assert_uint_eq(m.applied, 3);
	ck_assert_uint_eq(m.unpublished, 2);
	ck_assert_uint_eq(m.failed, 4);
}
END_TEST

/* A family's HELP and TYPE come once, before its samples, and every
 * sample line belongs to the family declared last. */
START_TEST(families_grouped)
{
	struct metrics_run m;
	char *t, *line, *save = NULL, family[128] = "";
	size_t ntype = 0;

	metrics_run_init(&m);
	m.have_verdicts = m.have_run = m.have_changes = 1;
	metrics_plan_add(&m, "change", "x");
	metrics_session_seen(&m, "x", 1);
	t = render(&m);
	for (line = strtok_r(t, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# TYPE ", 7) == 0) {
			ntype++;
			sscanf(line + 7, "%127s", family);
			continue;
		}
		if (line[0] == '#')
			continue;
		ck_assert_msg(strncmp(line, family, strlen(family)) == 0 &&
		    strchr("{ _", line[strlen(family)]) != NULL,
		    "sample '%s' outside its family %s", line, family);
	}
	ck_assert_uint_eq(ntype, 6);
	free(t);
	metrics_run_free(&m);
}
END_TEST

/* A stream that fails is reported. */
START_TEST(write_error)
{
	struct metrics_run m;
	FILE *fp = fopen("/dev/full", "w");

	if (fp == NULL)
		return;
	metrics_run_init(&m);
	m.have_verdicts = 1;
	ck_assert_int_ne(metrics_write(fp, &m), 0);
	fclose(fp);
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite *s = suite_create("cli_metrics");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, label_escape, 0,
	    (int)(sizeof(label_cases) / sizeof(label_cases[0])));
	tcase_add_test(tc, audit_run);
	tcase_add_test(tc, plan_rows);
	tcase_add_test(tc, changes_and_sessions);
	tcase_add_test(tc, change_outcomes);
	tcase_add_test(tc, families_grouped);
	tcase_add_test(tc, write_error);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(metrics_suite)
