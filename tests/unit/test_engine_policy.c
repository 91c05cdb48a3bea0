/* tests/unit/test_engine_policy.c - engine/policy.c: the per-parent-zone table, its lookup, the digest filter, the route */
#include "tests/unit/check_main.h"
#include "engine/policy.h"
#include "common/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sha1_ds[] = "2371 13 1 "
    "7E8E9C4E2B1F36E9D5B3F1F2F0E0A1B2C3D4E5F6";
static const char sha256_ds[] = "2371 13 2 "
    "C3DE5AD0E3CA3F0B0B4F6F2A8F1E1AF3B0C3C44A7A8C90DAE6B2E3B7C1F0A9B8";
static const char sha384_ds[] = "2371 13 4 "
    "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
    "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

static void
add_ds(struct ds_set *set, const char *text)
{
	struct dsreg_err err;
	struct ds_rec *ds;

	ck_assert_msg(ds_rec_parse_rdata(&ds, text, &err) == 0, "%s",
	    dsreg_err_text(&err));
	ck_assert_int_eq(ds_set_add(set, ds), 0);
}

/* The compiled-in table parses, and every row names its source. */
START_TEST(builtin_parses_with_sources)
{
	struct engine_policy p = { NULL, 0 };
	const struct engine_policy_row *r;
	struct dsreg_err err;
	size_t i;

	ck_assert_msg(engine_policy_builtin(&p, &err) == 0, "%s",
	    dsreg_err_text(&err));
	ck_assert_uint_ge(p.n, 10);
	for (i = 0; i < p.n; i++) {
		ck_assert_ptr_nonnull(p.v[i].source);
		ck_assert_msg(strncmp(p.v[i].source, "http", 4) == 0,
		    "%s: source '%s' is not a URL", p.v[i].zone,
		    p.v[i].source);
	}
	r = engine_policy_find(&p, "ch");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->reads, ENGINE_READS_CDS);
	ck_assert_int_eq(r->bootstrap, ENGINE_BOOT_RFC9615);
	ck_assert_uint_eq(r->scan_delay_hours, 24);
	r = engine_policy_find(&p, "CZ.");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->reads, ENGINE_READS_CDNSKEY);
	ck_assert_int_eq(r->iface, ENGINE_IFACE_KEYDATA);
	r = engine_policy_find(&p, "se");
	ck_assert_uint_eq(r->max_ds, 6);
	ck_assert_int_eq(r->iface, ENGINE_IFACE_DSDATA);
	for (i = 0; i < 4; i++) {
		static const char *const none[] = { "dk", "ee", "at", "gov" };

		r = engine_policy_find(&p, none[i]);
		ck_assert_msg(r != NULL, "%s: no row", none[i]);
		ck_assert_int_eq(r->reads, ENGINE_READS_NONE);
		ck_assert(!engine_policy_scans(r));
	}
	ck_assert(engine_policy_scans(engine_policy_find(&p, "sk")));
	ck_assert(engine_policy_scans(engine_policy_find(&p, "fo")));
	ck_assert_ptr_null(engine_policy_find(&p, "com"));
	engine_policy_free(&p);
}
END_TEST

/* Errors in a table name the file, the line and the column. */
static const struct {
	const char *text;
	const char *frag;
} bad_tables[] = {
	{ "# c\n\nch cds rfc9615 24 0 - dsData http://x\n"
	  "li cdx rfc9615 24 0 - dsData http://x\n",
	  "t.conf:4: reads: expected cds, cdnskey, both, none or unknown, got "
	  "'cdx'" },
	{ "ch cds later 24 0 - dsData http://x\n",
	  "t.conf:1: bootstrap: expected rfc9615, delay, none or unknown" },
	{ "ch cds none soon 0 - dsData http://x\n",
	  "t.conf:1: scan_delay_hours: expected hours" },
	{ "ch cds none 1 999 - dsData http://x\n", "t.conf:1: max_ds:" },
	{ "ch cds none 1 2 md5 dsData http://x\n",
	  "t.conf:1: refuses: unknown digest type 'md5'" },
	{ "ch cds none 1 2 sha1,,gost dsData http://x\n", "t.conf:1: refuses:" },
	{ "ch cds none 1 2 - epp http://x\n",
	  "t.conf:1: interface: expected dsData, keyData or unknown" },
	{ "ch cds none 1 2 - dsData\n",
	  "t.conf:1: source: missing: every row names where its facts come "
	  "from" },
	{ "ch cds none 1\n", "t.conf:1: max_ds: missing" },
	{ "c*h cds none 1 2 - dsData http://x\n",
	  "t.conf:1: zone: 'c*h' is not a zone name" },
	{ "ch cds none 1 2 - dsData http://x\nCH. cds none 1 2 - dsData "
	  "http://y\n", "t.conf:2: zone ch given twice" },
};

START_TEST(parse_errors_name_file_line)
{
	struct engine_policy p = { NULL, 0 };
	struct dsreg_err err;
	const char *t = bad_tables[_i].text;

	dsreg_err_clear(&err);
	ck_assert_int_eq(engine_policy_parse(&p, "t.conf", t, strlen(t), &err),
	    DSREG_EPARSE);
	ck_assert_msg(strstr(err.msg, bad_tables[_i].frag) != NULL,
	    "'%s' not in '%s'", bad_tables[_i].frag, err.msg);
	engine_policy_free(&p);
}
END_TEST

/* Comments, unknown fields, a URL with '#', the source to the end. */
START_TEST(parse_fields)
{
	static const char text[] =
	    "# zone reads ...\n"
	    "  ch cds rfc9615 24 unknown unknown unknown http://a/#x  http://b "
	    " # the rest is a comment\n"
	    "example.test both delay 3 4 sha1,GOST keyData http://c\n"
	    "none.test none none unknown 0 - ds http://d\n";
	struct engine_policy p = { NULL, 0 };
	const struct engine_policy_row *r;
	struct dsreg_err err;

	ck_assert_msg(engine_policy_parse(&p, "t.conf", text, strlen(text),
	    &err) == 0, "%s", dsreg_err_text(&err));
	ck_assert_uint_eq(p.n, 3);
	r = engine_policy_find(&p, "ch");
	ck_assert_str_eq(r->source, "http://a/#x  http://b");
	ck_assert_uint_eq(r->max_ds, 0);
	ck_assert_int_eq(r->refuses_known, 0);
	ck_assert_int_eq(r->iface, ENGINE_IFACE_UNKNOWN);
	r = engine_policy_find(&p, "Example.Test.");
	ck_assert_int_eq(r->reads, ENGINE_READS_BOTH);
	ck_assert_int_eq(r->bootstrap, ENGINE_BOOT_DELAY);
	ck_assert_uint_eq(r->scan_delay_hours, 3);
	ck_assert_uint_eq(r->max_ds, 4);
	ck_assert_uint_eq(r->refuses, (1u << 1) | (1u << 3));
	ck_assert_int_eq(r->refuses_known, 1);
	ck_assert_int_eq(r->iface, ENGINE_IFACE_KEYDATA);
	r = engine_policy_find(&p, "none.test");
	ck_assert_int_eq(r->refuses_known, 1);
	ck_assert_uint_eq(r->refuses, 0);
	ck_assert_int_eq(r->iface, ENGINE_IFACE_DSDATA);
	engine_policy_free(&p);
}
END_TEST

/* The row of a domain's parent zone: the parent's own row when it is
 * known, else the nearest enclosing zone with a row. */
START_TEST(lookup_by_parent)
{
	static const char text[] =
	    "ch cds rfc9615 24 0 - dsData http://a\n"
	    "corp.example cds delay 1 0 - dsData http://b\n";
	struct engine_policy p = { NULL, 0 };
	struct dsreg_err err;

	ck_assert_int_eq(engine_policy_parse(&p, "t", text, strlen(text), &err),
	    0);
	ck_assert_str_eq(engine_policy_lookup(&p, "shop.ch.", "ch.")->zone,
	    "ch");
	ck_assert_str_eq(engine_policy_lookup(&p, "shop.ch", NULL)->zone, "ch");
	ck_assert_str_eq(engine_policy_lookup(&p, "a.b.shop.ch.", NULL)->zone,
	    "ch");
	/* a delegation below a customer's zone is not the registry's */
	ck_assert_ptr_null(engine_policy_lookup(&p, "x.shop.ch.", "shop.ch."));
	ck_assert_str_eq(engine_policy_lookup(&p, "a.corp.example.",
	    "CORP.EXAMPLE.")->zone, "corp.example");
	ck_assert_str_eq(engine_policy_lookup(&p, "a.b.corp.example", NULL)->zone,
	    "corp.example");
	/* the domain's own row is not its parent's */
	ck_assert_ptr_null(engine_policy_lookup(&p, "ch.", NULL));
	ck_assert_ptr_null(engine_policy_lookup(&p, "example.com.", NULL));
	ck_assert_ptr_null(engine_policy_lookup(NULL, "a.ch.", "ch."));
	engine_policy_free(&p);
}
END_TEST

/* A config key overrides one column, or adds a row. */
START_TEST(config_override)
{
	struct engine_policy p = { NULL, 0 };
	const struct engine_policy_row *r;
	struct dsreg_err err;
	const char *msg;
	char buf[256];

	ck_assert_int_eq(engine_policy_builtin(&p, &err), 0);
	ck_assert_int_eq(engine_policy_set(&p, "ch", "refuses", "sha1", buf,
	    sizeof(buf), &msg), 0);
	r = engine_policy_find(&p, "ch");
	ck_assert_uint_eq(r->refuses, 1u << 1);
	ck_assert_int_eq(r->reads, ENGINE_READS_CDS);   /* kept */
	ck_assert_int_eq(engine_policy_set(&p, "lab.", "reads", "cds", buf,
	    sizeof(buf), &msg), 0);
	r = engine_policy_find(&p, "lab");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->bootstrap, ENGINE_BOOT_UNKNOWN);
	ck_assert_int_eq(engine_policy_set(&p, "lab", "scan_delay_hours", "2",
	    buf, sizeof(buf), &msg), 0);
	ck_assert_int_eq(engine_policy_set(&p, "lab", "interface", "key", buf,
	    sizeof(buf), &msg), 0);
	ck_assert_int_eq(r->iface, ENGINE_IFACE_KEYDATA);
	ck_assert_int_eq(engine_policy_set(&p, "lab", "reads", "maybe", buf,
	    sizeof(buf), &msg), DSREG_EPARSE);
	ck_assert_str_eq(msg, "reads: expected cds, cdnskey, both, none or "
	    "unknown, got 'maybe'");
	ck_assert_int_eq(engine_policy_set(&p, "lab", "colour", "red", buf,
	    sizeof(buf), &msg), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(msg, "unknown key 'colour'"));
	ck_assert_int_eq(engine_policy_set(&p, "a..b", "reads", "cds", buf,
	    sizeof(buf), &msg), DSREG_EPARSE);
	engine_policy_free(&p);
}
END_TEST

/* The target never holds a digest type the parent refuses. */
START_TEST(filter_refused_digests)
{
	struct engine_policy_row r;
	struct ds_set target = { NULL, 0, 0 }, kept = { NULL, 0, 0 };
	uint32_t dropped;

	add_ds(&target, sha1_ds);
	add_ds(&target, sha256_ds);
	add_ds(&target, sha384_ds);
	memset(&r, 0, sizeof(r));
	r.refuses = 1u << DS_DIGEST_SHA1;
	r.refuses_known = 1;
	ck_assert_int_eq(engine_policy_filter(&r, &target, &kept, &dropped), 0);
	ck_assert_uint_eq(kept.n, 2);
	ck_assert_uint_eq(kept.v[0]->digest_type, DS_DIGEST_SHA256);
	ck_assert_uint_eq(kept.v[1]->digest_type, DS_DIGEST_SHA384);
	ck_assert_uint_eq(dropped, 1u << DS_DIGEST_SHA1);
	ds_set_free(&kept);
	/* nothing refused, or no row: all kept */
	r.refuses = 0;
	ck_assert_int_eq(engine_policy_filter(&r, &target, &kept, &dropped), 0);
	ck_assert_uint_eq(kept.n, 3);
	ck_assert_uint_eq(dropped, 0);
	ds_set_free(&kept);
	ck_assert_int_eq(engine_policy_filter(NULL, &target, &kept, &dropped),
	    0);
	ck_assert_uint_eq(kept.n, 3);
	ds_set_free(&kept);
	ds_set_free(&target);
}
END_TEST

/* The plan says what was dropped, and refuses past the parent's limit. */
START_TEST(amend_notes_and_limit)
{
	struct engine_policy_row r;
	struct dns_plan p;

	memset(&r, 0, sizeof(r));
	r.zone = "ch";
	memset(&p, 0, sizeof(p));
	p.kind = DNS_PLAN_CHANGE;
	add_ds(&p.add, sha256_ds);
	add_ds(&p.final, sha256_ds);
	add_ds(&p.final, sha384_ds);
	ck_assert_int_eq(engine_policy_amend(&r, "ch.", 1u << DS_DIGEST_SHA1,
	    &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	ck_assert_uint_eq(p.nnotes, 1);
	ck_assert_str_eq(p.notes[0], "the registry of ch refuses SHA-1 DS "
	    "records: not sent");
	r.max_ds = 2;                  /* at the limit: fine */
	ck_assert_int_eq(engine_policy_amend(&r, "ch", 0, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	r.max_ds = 1;
	ck_assert_int_eq(engine_policy_amend(&r, "ch", 0, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_REFUSE);
	ck_assert_uint_eq(p.add.n, 0);
	ck_assert_uint_eq(p.final.n, 0);
	ck_assert_ptr_nonnull(strstr(p.notes[0], "refused: the registry of ch "
	    "takes at most 1 DS records and the change would leave 2"));
	dns_plan_free(&p);
}
END_TEST

/* The route, as a table. */
static const struct {
	enum dns_plan_kind kind;
	int account, conflict, notify, insecure;
	enum engine_policy_reads reads;
	enum engine_policy_boot boot;
	enum engine_route_kind want;
} routes[] = {
	{ DNS_PLAN_NOTHING, 1, 0, 0, 0, ENGINE_READS_CDS, 0, ENGINE_ROUTE_NONE },
	{ DNS_PLAN_NOTHING, 0, 0, 1, 0, ENGINE_READS_CDS, 0, ENGINE_ROUTE_NONE },
	{ DNS_PLAN_CHANGE, 1, 0, 1, 0, ENGINE_READS_CDS, 0,
	    ENGINE_ROUTE_ACCOUNT },
	{ DNS_PLAN_WAIT, 1, 0, 0, 0, 0, 0, ENGINE_ROUTE_ACCOUNT },
	{ DNS_PLAN_CHANGE, 0, 1, 0, 0, ENGINE_READS_CDS, 0,
	    ENGINE_ROUTE_MANUAL },
	{ DNS_PLAN_NOTHING, 0, 1, 0, 0, 0, 0, ENGINE_ROUTE_MANUAL },
	{ DNS_PLAN_CHANGE, 0, 0, 1, 0, ENGINE_READS_CDS, 0,
	    ENGINE_ROUTE_NOTIFY },
	{ DNS_PLAN_CHANGE, 0, 0, 0, 0, ENGINE_READS_CDS, 0, ENGINE_ROUTE_SCAN },
	{ DNS_PLAN_CHANGE, 0, 0, 0, 0, ENGINE_READS_CDNSKEY, 0,
	    ENGINE_ROUTE_SCAN },
	{ DNS_PLAN_REFUSE, 0, 0, 0, 0, ENGINE_READS_BOTH, 0, ENGINE_ROUTE_SCAN },
	{ DNS_PLAN_CHANGE, 0, 0, 0, 1, ENGINE_READS_CDS, ENGINE_BOOT_DELAY,
	    ENGINE_ROUTE_SCAN },
	{ DNS_PLAN_CHANGE, 0, 0, 0, 1, ENGINE_READS_CDS, ENGINE_BOOT_NONE,
	    ENGINE_ROUTE_MANUAL },
	{ DNS_PLAN_CHANGE, 0, 0, 0, 0, ENGINE_READS_NONE, 0,
	    ENGINE_ROUTE_MANUAL },
	{ DNS_PLAN_CHANGE, 0, 0, 0, 0, ENGINE_READS_UNKNOWN, 0,
	    ENGINE_ROUTE_MANUAL },
};

START_TEST(route_choice)
{
	struct engine_policy_row r;

	memset(&r, 0, sizeof(r));
	r.reads = routes[_i].reads;
	r.bootstrap = routes[_i].boot;
	ck_assert_int_eq(engine_policy_route(routes[_i].kind,
	    routes[_i].account, routes[_i].conflict, routes[_i].notify,
	    routes[_i].insecure, &r), routes[_i].want);
	if (routes[_i].want == ENGINE_ROUTE_MANUAL && !routes[_i].conflict)
		ck_assert_int_eq(engine_policy_route(routes[_i].kind, 0, 0, 0,
		    routes[_i].insecure, NULL), ENGINE_ROUTE_MANUAL);
}
END_TEST

START_TEST(words_notes_json)
{
	struct engine_policy_row r;
	char buf[256], *s;
	json_t *j;

	ck_assert_str_eq(engine_route_kind_name(ENGINE_ROUTE_SCAN),
	    "registry-scan");
	ck_assert_str_eq(engine_route_kind_name(ENGINE_ROUTE_NOTIFY), "notify");
	ck_assert_str_eq(engine_route_kind_name(ENGINE_ROUTE_MANUAL), "manual");
	ck_assert_str_eq(engine_route_kind_name(ENGINE_ROUTE_NONE), "none");
	memset(&r, 0, sizeof(r));
	r.zone = "ch";
	r.reads = ENGINE_READS_CDS;
	r.scan_delay_hours = 24;
	ck_assert_str_eq(engine_policy_scan_note(&r, "ch.", buf, sizeof(buf)),
	    "the registry of ch picks the DS up from CDS within about 24 "
	    "hours: nothing to send");
	r.reads = ENGINE_READS_CDNSKEY;
	r.scan_delay_hours = 0;
	r.zone = "cz";
	ck_assert_str_eq(engine_policy_scan_note(&r, "cz.", buf, sizeof(buf)),
	    "needs CDNSKEY: the registry of cz picks the DS up from CDNSKEY "
	    "by itself (its scan delay is not known): nothing to send");
	ck_assert_str_eq(engine_policy_scan_note(NULL, "x.", buf, sizeof(buf)),
	    "the registry of x. picks the DS up from CDS by itself (its scan "
	    "delay is not known): nothing to send");
	r.zone = "ch";
	r.refuses = 1u << 1 | 1u << 3;
	r.refuses_known = 1;
	r.max_ds = 6;
	r.iface = ENGINE_IFACE_DSDATA;
	r.bootstrap = ENGINE_BOOT_RFC9615;
	r.source = "https://x/";
	j = engine_policy_json(&r);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	ck_assert_str_eq(s, "{\"zone\":\"ch\",\"reads\":\"cdnskey\","
	    "\"bootstrap\":\"rfc9615\",\"scan_delay_hours\":null,"
	    "\"max_ds\":6,\"refuses\":[\"sha1\",\"gost\"],"
	    "\"interface\":\"dsData\",\"source\":\"https://x/\"}");
	free(s);
	json_decref(j);
	r.refuses_known = 0;
	j = engine_policy_json(&r);
	ck_assert(json_is_null(json_object_get(j, "refuses")));
	json_decref(j);
}
END_TEST

static Suite *
policy_suite(void)
{
	Suite *s = suite_create("engine_policy");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, builtin_parses_with_sources);
	tcase_add_loop_test(tc, parse_errors_name_file_line, 0,
	    (int)(sizeof(bad_tables) / sizeof(bad_tables[0])));
	tcase_add_test(tc, parse_fields);
	tcase_add_test(tc, lookup_by_parent);
	tcase_add_test(tc, config_override);
	tcase_add_test(tc, filter_refused_digests);
	tcase_add_test(tc, amend_notes_and_limit);
	tcase_add_loop_test(tc, route_choice, 0,
	    (int)(sizeof(routes) / sizeof(routes[0])));
	tcase_add_test(tc, words_notes_json);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(policy_suite)
