/* tests/unit/test_cli_report_html.c - the HTML report: escaping, no markup from data, the chart */
#include "check_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_html.h"
#include "common/buf.h"

static const struct {
	const char *in, *out;
} esc_cases[] = {
	{ "example.com", "example.com" },
	{ "", "" },
	{ "a&b", "a&amp;b" },
	{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ "\"quoted\"", "&quot;quoted&quot;" },
	{ "it's", "it&#39;s" },
	{ "&amp;", "&amp;amp;" },
	{ "<>&\"'", "&lt;&gt;&amp;&quot;&#39;" },
	{ "caf\xc3\xa9 \\ /", "caf\xc3\xa9 \\ /" },
};

START_TEST(escape)
{
	struct dsreg_buf b;

	dsreg_buf_init(&b, 1024);
	ck_assert_int_eq(report_html_escape(&b, esc_cases[_i].in), 0);
	ck_assert_str_eq(b.data != NULL ? b.data : "", esc_cases[_i].out);
	dsreg_buf_free(&b);
}
END_TEST

static const char hostile[] = "<script>alert('x')</script>\"><img src=x "
    "onerror=alert(1)>&";

static char *
page(struct report_data *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_html_write(fp, d), 0);
	fclose(fp);
	return buf;
}

static void
fill(struct report_data *d)
{
	memset(d, 0, sizeof(*d));
	d->generated = 1700100000;
	d->nruns = 3;
	d->runs = calloc(3, sizeof(*d->runs));
	d->runs[0] = (struct report_run){ 1, strdup("audit"), 1700000000,
		1700000005, 1, { 0 } };
	d->runs[0].counts[DNS_V_MISSING] = 2;
	d->runs[0].counts[DNS_V_OK] = 1;
	d->runs[1] = (struct report_run){ 2, strdup("apply"), 1700000100, 0, 0,
		{ 0 } };
	d->runs[2] = (struct report_run){ 3, strdup("audit"), 1700086400,
		1700086401, 1, { 0 } };
	d->runs[2].counts[DNS_V_OK] = 3;
	d->ndomains = 1;
	d->domains = calloc(1, sizeof(*d->domains));
	d->domains[0] = (struct report_domain){ strdup(hostile),
		strdup("missing"), strdup(hostile), 1700000001, 0 };
	d->nchanges = 1;
	d->changes = calloc(1, sizeof(*d->changes));
	d->changes[0] = (struct report_change){ 7, strdup("a.test"),
		strdup(hostile), strdup(hostile), strdup(hostile), 1700000101,
		1700000102 };
	d->nunlocked = 1;
	d->unlocked = calloc(1, sizeof(*d->unlocked));
	d->unlocked[0] = (struct report_unlocked){ strdup(hostile),
		strdup("tucows"), strdup(hostile), 1700000101 };
}

/* Hostile values everywhere show as text: no element, no attribute. */
START_TEST(hostile_values)
{
	struct report_data d;
	char *t;

	fill(&d);
	t = page(&d);
	ck_assert_ptr_null(strstr(t, "<script"));
	ck_assert_ptr_null(strstr(t, "<img"));
	ck_assert_ptr_null(strstr(t, "onerror=alert(1)>"));
	ck_assert_ptr_nonnull(strstr(t, "&lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;"));
	/* the outcome is written escaped, and its class is one of ours */
	ck_assert_ptr_nonnull(strstr(t, "<td class=\"other\">&lt;script"));
	ck_assert_ptr_nonnull(strstr(t, "LEFT UNLOCKED"));
	ck_assert_ptr_nonnull(strstr(t, "default-src 'none'"));
	free(t);
	report_data_free(&d);
}
END_TEST

/* The chart: one bar per run with counts, a segment per verdict seen,
 * axes, a legend of the verdicts seen; nothing fetched. */
START_TEST(chart)
{
	struct report_data d;
	char *t, *svg, *end;
	size_t nruns = 0;
	const char *p;

	fill(&d);
	t = page(&d);
	ck_assert_ptr_nonnull(svg = strstr(t, "<svg"));
	ck_assert_ptr_nonnull(end = strstr(svg, "</svg>"));
	for (p = svg; (p = strstr(p, "<g class=\"run\"")) != NULL && p < end;
	    p++)
		nruns++;
	ck_assert_uint_eq(nruns, 2);          /* the apply kept no counts */
	ck_assert_ptr_nonnull(strstr(svg, "missing 2</title>"));
	ck_assert_ptr_nonnull(strstr(svg, "ok 3</title>"));
	ck_assert_ptr_nonnull(strstr(svg, "<g class=\"legend\">"));
	ck_assert_ptr_nonnull(strstr(svg, ">missing</text>"));
	ck_assert_ptr_null(strstr(strstr(svg, "<g class=\"legend\">"),
	    ">broken</text>"));
	ck_assert_ptr_nonnull(strstr(svg, ">domains</text>"));
	ck_assert_ptr_null(strstr(t, "https:"));
	ck_assert_ptr_null(strstr(t, "<link"));
	ck_assert_ptr_nonnull(strstr(t, "<table id=\"domains\">"));
	ck_assert_ptr_nonnull(strstr(t, "<table id=\"changes\">"));
	free(t);
	report_data_free(&d);
}
END_TEST

/* The y axis has round ticks that reach the highest bar: 0..50 by 10 for
 * a run of 37 domains, 0..10 by 2 for 6. */
START_TEST(y_ticks)
{
	static const struct {
		uint64_t total;
		const char *top, *tick, *not;
	} cases[] = {
		{ 37, ">50</text>", ">10</text>", ">40</text>x" },
		{ 6, ">10</text>", ">2</text>", ">1</text>" },
		{ 3, ">5</text>", ">1</text>", ">10</text>" },
		{ 1200, ">2500</text>", ">500</text>", ">1200</text>" },
	};
	struct report_data d;
	char *t;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&d, 0, sizeof(d));
		d.nruns = 1;
		d.runs = calloc(1, sizeof(*d.runs));
		d.runs[0].command = strdup("audit");
		d.runs[0].have_counts = 1;
		d.runs[0].counts[DNS_V_OK] = cases[i].total;
		t = page(&d);
		ck_assert_msg(strstr(t, cases[i].top) != NULL, "%llu: no %s",
		    (unsigned long long)cases[i].total, cases[i].top);
		ck_assert_msg(strstr(t, cases[i].tick) != NULL, "%llu: no %s",
		    (unsigned long long)cases[i].total, cases[i].tick);
		ck_assert_msg(strstr(t, cases[i].not) == NULL, "%llu: %s",
		    (unsigned long long)cases[i].total, cases[i].not);
		free(t);
		report_data_free(&d);
	}
}
END_TEST

/* No history at all still makes a page. */
START_TEST(empty)
{
	struct report_data d;
	char *t;

	memset(&d, 0, sizeof(d));
	t = page(&d);
	ck_assert_ptr_nonnull(strstr(t, "no audit run has kept counts yet"));
	ck_assert_ptr_nonnull(strstr(t, "</html>"));
	free(t);
}
END_TEST

static Suite *
report_html_suite(void)
{
	Suite *s = suite_create("cli_report_html");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, escape, 0,
	    (int)(sizeof(esc_cases) / sizeof(esc_cases[0])));
	tcase_add_test(tc, hostile_values);
	tcase_add_test(tc, chart);
	tcase_add_test(tc, y_ticks);
	tcase_add_test(tc, empty);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(report_html_suite)
