/* tests/unit/test_cli_output.c - cli/output.c: jsonl/json/csv/text forms of audit results */
#include "tests/unit/check_main.h"
#include "cli/output.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dns_audit *
sample(const char *domain, enum dns_verdict v)
{
	struct dns_audit *a;
	struct dns_server *s;
	struct dns_addr ad;
	struct ds_rec *d;
	ldns_rr *rr;
	uint8_t dig[32], owner[DS_NAME_WIRE_MAX];
	size_t olen = 0;

	memset(dig, 0xab, sizeof(dig));
	ck_assert_int_eq(ds_name_from_text("x.test.", owner, &olen, NULL), 0);
	ck_assert_int_eq(dns_audit_new(&a, domain), 0);
	a->parent = strdup("test.");
	a->verdict = v;
	dns_audit_finding(a, "child server ns1.example.net. (192.0.2.1) says "
	    "\"hi\", twice");
	ck_assert_int_eq(ds_rec_new(&d, owner, olen, 12345, 13, 2, dig, 32, NULL),
	    0);
	ck_assert_int_eq(ds_set_add(&a->parent_ds, d), 0);
	ck_assert_int_eq(dns_addr_parse("192.0.2.53", &ad, NULL), 0);
	s = dns_audit_add_server(a, DNS_PARENT, "ns1.nic.test.", &ad);
	s->r[DNS_Q_DS].status = 0;
	s->r[DNS_Q_DS].aa = 1;
	s->r[DNS_Q_DS].rrs = ldns_rr_list_new();
	ldns_rr_new_frm_str(&rr, "x.test. 60 IN DS 12345 13 2 "
	    "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
	    0, NULL, NULL);
	ldns_rr_list_push_rr(s->r[DNS_Q_DS].rrs, rr);
	s->r[DNS_Q_NS].status = DSREG_ETIMEOUT;
	strcpy(s->r[DNS_Q_NS].err, "no answer after all tries");
	dns_audit_add_deleg(a, "ns1.example.net.");
	return a;
}

static char *
run(enum cli_format fmt, int n)
{
	struct output *o;
	struct dns_audit *a;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_t *extra = json_pack("{s:s}", "account", "tucows");
	int i;

	ck_assert_int_eq(output_new(&o, fmt, fp, 0, (size_t)n), 0);
	for (i = 0; i < n; i++) {
		a = sample(i == 0 ? "x.test" : "y.test", i == 0 ? DNS_V_OK :
		    DNS_V_MISSING);
		ck_assert_int_eq(output_audit(o, a, i == 1 ? extra : NULL), 0);
		dns_audit_free(a);
	}
	ck_assert_int_eq(output_finish(o), 0);
	if (n == 2) {
		ck_assert_uint_eq(output_count(o, DNS_V_OK), 1);
		ck_assert_uint_eq(output_count(o, DNS_V_MISSING), 1);
	}
	output_free(o);
	json_decref(extra);
	fclose(fp);
	return buf;
}

START_TEST(jsonl_fields)
{
	char *out = run(FMT_JSONL, 2), *nl;
	json_t *j, *s;
	json_error_t e;

	nl = strchr(out, '\n');
	ck_assert_ptr_nonnull(nl);
	*nl = '\0';
	j = json_loads(out, 0, &e);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(j, "domain")),
	    "x.test.");
	ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "ok");
	ck_assert_str_eq(json_string_value(json_object_get(j, "parent")),
	    "test.");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_array_get(
	    json_object_get(j, "findings"), 0)), "\"hi\""));
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j,
	    "parent_ds"), 0)), "x.test. IN DS 12345 13 2 "
	    "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB");
	ck_assert(json_is_array(json_object_get(j, "expected_ds")));
	s = json_array_get(json_object_get(j, "servers"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(s, "name")),
	    "ns1.nic.test.");
	ck_assert_str_eq(json_string_value(json_object_get(s, "address")),
	    "192.0.2.53");
	ck_assert_str_eq(json_string_value(json_object_get(s, "role")),
	    "parent");
	ck_assert(json_is_true(json_object_get(json_object_get(json_object_get(
	    s, "answers"), "DS"), "aa")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(
	    json_object_get(s, "answers"), "NS"), "error")),
	    "no answer after all tries");
	json_decref(j);
	j = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, &e);
	ck_assert_str_eq(json_string_value(json_object_get(j, "account")),
	    "tucows");
	json_decref(j);
	free(out);
}
END_TEST

START_TEST(json_whole_array)
{
	char *out = run(FMT_JSON, 2);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);

	ck_assert_msg(j != NULL, "%s", e.text);
	ck_assert_uint_eq(json_array_size(j), 2);
	json_decref(j);
	free(out);
	out = run(FMT_JSON, 0);
	ck_assert_str_eq(out, "[]\n");
	free(out);
}
END_TEST

START_TEST(csv_quoting)
{
	char *out = run(FMT_CSV, 1);

	ck_assert_ptr_nonnull(strstr(out, "domain,verdict,parent,parent_ds,"
	    "expected_ds,findings"));
	ck_assert_ptr_nonnull(strstr(out, "\nx.test.,ok,test.,"));
	/* commas and quotes in a finding are quoted, quotes doubled */
	ck_assert_ptr_nonnull(strstr(out, "\"child server ns1.example.net. "
	    "(192.0.2.1) says \"\"hi\"\", twice\""));
	free(out);
}
END_TEST

START_TEST(text_scorecard)
{
	char *out = run(FMT_TEXT, 2);

	ck_assert_ptr_nonnull(strstr(out, "DOMAIN"));
	ck_assert_ptr_nonnull(strstr(out, "x.test."));
	ck_assert_ptr_nonnull(strstr(out, "scorecard: 2 domains"));
	ck_assert_ptr_nonnull(strstr(out, "  missing                  1\n"));
	ck_assert_ptr_nonnull(strstr(out, "  ok                       1\n"));
	ck_assert_ptr_null(strstr(out, "broken"));
	free(out);
}
END_TEST

/* Quotes, backslashes, control characters and UTF-8 survive the writer. */
START_TEST(json_escaping)
{
	static const char *odd = "quote \" back \\ tab\t nl\n bell\a "
	    "RFC 1035 \xc2\xa7 end";
	struct dns_audit *a = sample("x.test", DNS_V_STALE);
	json_t *j, *f;

	dns_audit_finding(a, "%s", odd);
	j = output_audit_json(a);
	ck_assert_ptr_nonnull(j);
	f = json_object_get(j, "findings");
	ck_assert_uint_eq(json_array_size(f), 2);
	ck_assert_str_eq(json_string_value(json_array_get(f, 1)), odd);
	ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")),
	    "stale");
	/* records: tabs of the presentation form are spaces */
	ck_assert_ptr_null(strchr(json_string_value(json_array_get(
	    json_object_get(json_object_get(json_object_get(json_array_get(
	    json_object_get(j, "servers"), 0), "answers"), "DS"), "records"),
	    0)), '\t'));
	json_decref(j);
	dns_audit_free(a);
}
END_TEST

/*
 * Octets that are not UTF-8 (a finding quoting what a server sent) still
 * give valid JSON: each bad octet becomes U+FFFD, the rest is kept.
 */
START_TEST(json_not_utf8)
{
	struct dns_audit *a = sample("x.test", DNS_V_STALE);
	struct output *o;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_t *j;
	json_error_t e;

	dns_audit_finding(a, "server said \xff\xfe then \xc2\xa7 and \xc3");
	j = output_audit_json(a);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j,
	    "findings"), 1)), "server said \xef\xbf\xbd\xef\xbf\xbd then "
	    "\xc2\xa7 and \xef\xbf\xbd");
	json_decref(j);
	ck_assert_int_eq(output_new(&o, FMT_JSONL, fp, 0, 1), 0);
	ck_assert_int_eq(output_audit(o, a, NULL), 0);
	ck_assert_int_eq(output_finish(o), 0);
	output_free(o);
	fclose(fp);
	j = json_loads(buf, 0, &e);
	ck_assert_msg(j != NULL, "jsonl line is not JSON: %s", e.text);
	json_decref(j);
	free(buf);
	dns_audit_free(a);
}
END_TEST

/* openmetrics: nothing per domain, the counts and plan kinds per account
 * kept for the command to write at the end. */
START_TEST(openmetrics_counts)
{
	static const struct {
		const char *domain, *plan, *account;
		enum dns_verdict v;
	} rows[] = {
		{ "a.test", "change", "tucows", DNS_V_MISSING },
		{ "b.test", "change", "tucows", DNS_V_MISSING },
		{ "c.test", "change", NULL, DNS_V_STALE },
		{ "d.test", "nothing", "tucows", DNS_V_OK },
		{ "e.test", NULL, NULL, DNS_V_OK },        /* audit: no plan */
	};
	struct metrics_run *m;
	struct output *o;
	struct dns_audit *a;
	char *buf = NULL;
	size_t len = 0, i, k, n;
	FILE *fp = open_memstream(&buf, &len);
	json_t *extra;

	ck_assert_int_eq(output_new(&o, FMT_OPENMETRICS, fp, 0, 5), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		a = sample(rows[i].domain, rows[i].v);
		extra = rows[i].plan == NULL ? NULL : json_pack("{s:s, s:s?}",
		    "plan", rows[i].plan, "account", rows[i].account);
		ck_assert_int_eq(output_audit(o, a, extra), 0);
		json_decref(extra);
		dns_audit_free(a);
	}
	ck_assert_int_eq(output_finish(o), 0);
	fflush(fp);
	ck_assert_uint_eq(len, 0);            /* the command writes them */
	m = output_metrics(o);
	ck_assert(m->have_verdicts && m->have_run && m->have_plan);
	ck_assert_uint_eq(m->verdicts[DNS_V_MISSING], 2);
	ck_assert_uint_eq(m->verdicts[DNS_V_STALE], 1);
	ck_assert_uint_eq(m->verdicts[DNS_V_OK], 2);
	ck_assert(m->run_start > 1e9 && m->run_duration >= 0);
	ck_assert_uint_eq(m->nplan, 3);
	for (n = 0, k = 0; k < m->nplan; k++) {
		n += m->plan[k].n;
		if (strcmp(m->plan[k].kind, "change") == 0 &&
		    strcmp(m->plan[k].account, "tucows") == 0)
			ck_assert_uint_eq(m->plan[k].n, 2);
		if (strcmp(m->plan[k].kind, "change") == 0 &&
		    strcmp(m->plan[k].account, "") == 0)
			ck_assert_uint_eq(m->plan[k].n, 1);
	}
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(output_format_find("openmetrics", &(enum cli_format){
	    FMT_TEXT }), 0);
	output_free(o);
	fclose(fp);
	free(buf);
}
END_TEST

static Suite *
audit_output_suite(void)
{
	Suite *s = suite_create("cli_output");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, jsonl_fields);
	tcase_add_test(tc, json_whole_array);
	tcase_add_test(tc, csv_quoting);
	tcase_add_test(tc, text_scorecard);
	tcase_add_test(tc, json_escaping);
	tcase_add_test(tc, json_not_utf8);
	tcase_add_test(tc, openmetrics_counts);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(audit_output_suite)
