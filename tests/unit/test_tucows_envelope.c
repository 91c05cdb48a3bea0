/* tests/unit/test_tucows_envelope.c - tucows/envelope.c: round trips, real-shaped replies, hostile XML */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "tucows/envelope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX "fixtures/opensrs/"

static int
parse_file(const char *path, struct osrs_value **out, struct dsreg_err *err)
{
	struct dsreg_buf b;
	int rc;

	dsreg_buf_init(&b, 1 << 20);
	rc = dsreg_buf_read_file(&b, path, err);
	ck_assert_msg(rc == 0, "%s: %s", path, dsreg_err_text(err));
	rc = osrs_envelope_parse(b.data, b.len, out, err);
	dsreg_buf_free(&b);
	return rc;
}

static struct osrs_value *
sample_tree(void)
{
	struct osrs_value *root = NULL, *attrs, *arr, *item, *empty;

	ck_assert_int_eq(osrs_value_new(&root, OSRS_ASSOC), 0);
	ck_assert_int_eq(osrs_assoc_set(root, "protocol", "XCP"), 0);
	ck_assert_int_eq(osrs_assoc_set(root, "action", "SET_DNSSEC_INFO"), 0);
	ck_assert_int_eq(osrs_assoc_set(root, "domain", "example.com"), 0);
	ck_assert_int_eq(osrs_assoc_set(root, "note",
	    "a&b <c> \"d\" 'e' \xc3\xa9t\xc3\xa9\ttab"), 0);
	ck_assert_int_eq(osrs_assoc_set(root, "empty", ""), 0);
	ck_assert_int_eq(osrs_assoc_add_container(root, "attributes",
	    OSRS_ASSOC, &attrs), 0);
	ck_assert_int_eq(osrs_assoc_add_container(attrs, "dnssec",
	    OSRS_ARRAY, &arr), 0);
	ck_assert_int_eq(osrs_assoc_add_container(arr, NULL, OSRS_ASSOC,
	    &item), 0);
	ck_assert_int_eq(osrs_assoc_set(item, "key_tag", "2371"), 0);
	ck_assert_int_eq(osrs_assoc_set(item, "digest", "ABCD"), 0);
	ck_assert_int_eq(osrs_assoc_add_container(arr, NULL, OSRS_ASSOC,
	    &item), 0);
	ck_assert_int_eq(osrs_assoc_set(item, "key_tag", "60485"), 0);
	ck_assert_int_eq(osrs_assoc_add_container(attrs, "none",
	    OSRS_ARRAY, &empty), 0);
	ck_assert_int_eq(osrs_assoc_add_container(attrs, "nothing",
	    OSRS_ASSOC, NULL), 0);
	return root;
}

START_TEST(round_trip)
{
	struct osrs_value *tree = sample_tree(), *back = NULL;
	struct dsreg_err err;
	struct dsreg_buf b;
	const struct osrs_value *arr;

	dsreg_err_clear(&err);
	dsreg_buf_init(&b, 1 << 20);
	ck_assert_int_eq(osrs_envelope_build(tree, &b, &err), 0);
	ck_assert_ptr_nonnull(strstr(b.data,
	    "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n"
	    "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n<OPS_envelope>"));
	ck_assert_ptr_nonnull(strstr(b.data, "<item key=\"empty\"/>"));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "a&amp;b &lt;c&gt; &quot;d&quot; 'e'"));
	ck_assert_ptr_nonnull(strstr(b.data, "<item key=\"1\">"));
	ck_assert_int_eq(osrs_envelope_parse(b.data, b.len, &back, &err), 0);
	ck_assert(osrs_value_equal(tree, back));
	ck_assert_str_eq(osrs_value_str(back, "note"),
	    "a&b <c> \"d\" 'e' \xc3\xa9t\xc3\xa9\ttab");
	ck_assert_str_eq(osrs_value_str(back, "empty"), "");
	arr = osrs_value_get(osrs_value_get(back, "attributes"), "dnssec");
	ck_assert_int_eq(arr->type, OSRS_ARRAY);
	ck_assert_uint_eq(arr->n, 2);
	ck_assert_str_eq(arr->v[1]->key, "1");
	ck_assert_str_eq(osrs_value_str(arr->v[1], "key_tag"), "60485");
	/* A changed value makes the trees differ. */
	free(back->v[0]->text);
	back->v[0]->text = strdup("XCQ");
	ck_assert(!osrs_value_equal(tree, back));
	osrs_value_free(back);
	osrs_value_free(tree);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(build_refuses_control_chars)
{
	struct osrs_value *root = NULL;
	struct dsreg_err err;
	struct dsreg_buf b;

	dsreg_err_clear(&err);
	dsreg_buf_init(&b, 1 << 20);
	ck_assert_int_eq(osrs_value_new(&root, OSRS_ASSOC), 0);
	ck_assert_int_eq(osrs_assoc_set(root, "x", "bell\a"), 0);
	ck_assert_int_eq(osrs_envelope_build(root, &b, &err), DSREG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "control character 0x07"));
	ck_assert_uint_eq(b.len, 0);
	osrs_value_free(root);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(build_respects_cap)
{
	struct osrs_value *tree = sample_tree();
	struct dsreg_err err;
	struct dsreg_buf b;

	dsreg_err_clear(&err);
	dsreg_buf_init(&b, 200);
	ck_assert_int_eq(osrs_envelope_build(tree, &b, &err), DSREG_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "exceeds 200 bytes"));
	osrs_value_free(tree);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(value_add_rules)
{
	struct osrs_value *a = NULL, *s = NULL;

	ck_assert_int_eq(osrs_value_new(&a, OSRS_ASSOC), 0);
	ck_assert_int_eq(osrs_scalar_new(&s, "x"), 0);
	/* An assoc needs a key; a scalar cannot hold children. */
	ck_assert_int_eq(osrs_value_add(a, NULL, s), DSREG_EINVAL);
	ck_assert_int_eq(osrs_assoc_set(s, "k", "v"), DSREG_EINVAL);
	ck_assert_ptr_null(osrs_value_get(a, "missing"));
	ck_assert_ptr_null(osrs_value_str(NULL, "k"));
	osrs_value_free(s);
	osrs_value_free(a);
	osrs_value_free(NULL);
}
END_TEST

START_TEST(real_listing)
{
	struct osrs_value *v = NULL;
	const struct osrs_value *attrs, *doms;
	struct dsreg_err err;

	dsreg_err_clear(&err);
	ck_assert_int_eq(parse_file(FIX "get_domains_by_expiredate.xml", &v,
	    &err), 0);
	ck_assert_str_eq(osrs_value_str(v, "is_success"), "1");
	ck_assert_str_eq(osrs_value_str(v, "response_code"), "200");
	attrs = osrs_value_get(v, "attributes");
	ck_assert_str_eq(osrs_value_str(attrs, "remainder"), "1");
	ck_assert_str_eq(osrs_value_str(attrs, "total"), "42");
	doms = osrs_value_get(attrs, "exp_domains");
	ck_assert_int_eq(doms->type, OSRS_ARRAY);
	ck_assert_uint_eq(doms->n, 2);
	ck_assert_str_eq(osrs_value_str(doms->v[1], "name"), "example.org");
	ck_assert_str_eq(osrs_value_str(doms->v[1], "expiredate"),
	    "2027-06-12 17:04:31");
	/* Self-closing items, with and without the space, are "". */
	ck_assert_str_eq(osrs_value_str(doms->v[0], "f_auto_renew"), "");
	ck_assert_str_eq(osrs_value_str(doms->v[1], "f_auto_renew"), "");
	osrs_value_free(v);
}
END_TEST

START_TEST(real_status_and_dnssec)
{
	struct osrs_value *v = NULL;
	const struct osrs_value *attrs, *arr;
	struct dsreg_err err;

	dsreg_err_clear(&err);
	ck_assert_int_eq(parse_file(FIX "get_status.xml", &v, &err), 0);
	attrs = osrs_value_get(v, "attributes");
	ck_assert_str_eq(osrs_value_str(attrs, "lock_state"), "1");
	ck_assert_str_eq(osrs_value_str(attrs, "parent_waiting"), "");
	ck_assert_str_eq(osrs_value_str(attrs, "auctionescrow"), "");
	osrs_value_free(v);

	v = NULL;
	ck_assert_int_eq(parse_file(FIX "get_dnssec.xml", &v, &err), 0);
	arr = osrs_value_get(osrs_value_get(v, "attributes"), "dnssec");
	ck_assert_uint_eq(arr->n, 2);
	ck_assert_str_eq(osrs_value_str(arr->v[0], "key_tag"), "2371");
	/* <dt_scalar> inside an item, and CDATA, are plain text. */
	ck_assert_str_eq(osrs_value_str(arr->v[1], "algorithm"), "8");
	ck_assert_str_eq(osrs_value_str(arr->v[1], "digest"),
	    "2BB183AF5F22588179A53B0A98631FAD1A292118");
	osrs_value_free(v);

	v = NULL;
	ck_assert_int_eq(parse_file(FIX "get_dnssec_empty.xml", &v, &err), 0);
	attrs = osrs_value_get(v, "attributes");
	arr = osrs_value_get(attrs, "dnssec");
	ck_assert_int_eq(arr->type, OSRS_ARRAY);
	ck_assert_uint_eq(arr->n, 0);
	ck_assert_int_eq(osrs_value_get(attrs, "other")->type, OSRS_ARRAY);
	ck_assert_uint_eq(osrs_value_get(attrs, "other")->n, 0);
	ck_assert_int_eq(osrs_value_get(attrs, "empty_assoc")->type,
	    OSRS_ASSOC);
	osrs_value_free(v);

	v = NULL;
	ck_assert_int_eq(parse_file(FIX "error_locked.xml", &v, &err), 0);
	ck_assert_str_eq(osrs_value_str(v, "response_code"), "405");
	osrs_value_free(v);
}
END_TEST

static const struct {
	const char *file;
	int rc;
	const char *msg;
} hostile[] = {
	{ "xxe_file.xml", DSREG_EPARSE, "declares an XML entity" },
	{ "xxe_parameter.xml", DSREG_EPARSE, "declares an XML entity" },
	{ "billion_laughs.xml", DSREG_EPARSE, "declares an XML entity" },
	{ "internal_subset_no_entity.xml", DSREG_EPARSE, "internal subset" },
	{ "entity_ref_undeclared.xml", DSREG_EPARSE,
	  "entity reference &evil; refused" },
	{ "truncated.xml", DSREG_EPARSE, "not well-formed XML" },
	{ "not_envelope.xml", DSREG_EPARSE, "expected <OPS_envelope>" },
	{ "mixed_item.xml", DSREG_EPARSE, "mixes text and elements" },
	{ "no_key.xml", DSREG_EPARSE, "without a key" },
};

START_TEST(hostile_corpus)
{
	struct osrs_value *v = NULL;
	struct dsreg_err err;
	char path[256];
	int rc;

	dsreg_err_clear(&err);
	snprintf(path, sizeof(path), FIX "hostile/%s", hostile[_i].file);
	rc = parse_file(path, &v, &err);
	ck_assert_msg(rc == hostile[_i].rc, "%s: rc %d (%s)", path, rc,
	    dsreg_err_text(&err));
	ck_assert_msg(strstr(err.msg, hostile[_i].msg) != NULL,
	    "%s: message '%s' lacks '%s'", path, err.msg, hostile[_i].msg);
	ck_assert_ptr_null(v);
}
END_TEST

/* The billion laughs in UTF-16LE (with BOM): no ASCII "<!ENTITY" to see. */
START_TEST(utf16_entity_bomb)
{
	struct osrs_value *v = NULL;
	struct dsreg_err err;
	struct dsreg_buf b, w;
	size_t i;
	int rc;

	dsreg_err_clear(&err);
	dsreg_buf_init(&b, 1 << 20);
	dsreg_buf_init(&w, 1 << 20);
	ck_assert_int_eq(dsreg_buf_read_file(&b,
	    FIX "hostile/billion_laughs.xml", &err), 0);
	ck_assert_int_eq(dsreg_buf_append(&w, "\xff\xfe", 2), 0);
	for (i = 0; i < b.len; i++) {
		ck_assert_int_eq(dsreg_buf_append(&w, b.data + i, 1), 0);
		ck_assert_int_eq(dsreg_buf_append(&w, "", 1), 0);
	}
	rc = osrs_envelope_parse(w.data, w.len, &v, &err);
	ck_assert_int_eq(rc, DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "only UTF-8 is accepted"));
	ck_assert_ptr_null(v);
	dsreg_buf_free(&b);
	dsreg_buf_free(&w);
}
END_TEST

START_TEST(hundred_megabytes)
{
	size_t len = 100u * 1024 * 1024;
	struct osrs_value *v = NULL;
	struct dsreg_err err;
	char *big;

	dsreg_err_clear(&err);
	big = malloc(len);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', len);
	memcpy(big, "<?xml version='1.0'?><OPS_envelope>", 35);
	ck_assert_int_eq(osrs_envelope_parse(big, len, &v, &err),
	    DSREG_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(err.msg,
	    "reply of 104857600 bytes exceeds the 4194304 byte cap"));
	ck_assert_ptr_null(v);
	free(big);
}
END_TEST

/* A document of n nested dt_assoc levels. */
static char *
nested(int n)
{
	struct dsreg_buf b;
	int i;

	dsreg_buf_init(&b, 1 << 20);
	dsreg_buf_appends(&b, "<OPS_envelope><body><data_block>");
	for (i = 0; i < n; i++)
		dsreg_buf_appends(&b, "<dt_assoc><item key=\"k\">");
	dsreg_buf_appends(&b, "x");
	for (i = 0; i < n; i++)
		dsreg_buf_appends(&b, "</item></dt_assoc>");
	dsreg_buf_appends(&b, "</data_block></body></OPS_envelope>");
	return dsreg_buf_steal(&b, NULL);
}

START_TEST(depth_and_node_caps)
{
	struct osrs_value *v = NULL;
	struct dsreg_err err;
	struct dsreg_buf b;
	char *doc;
	int i;

	dsreg_err_clear(&err);
	doc = nested(OSRS_DEPTH_MAX);
	ck_assert_int_eq(osrs_envelope_parse(doc, strlen(doc), &v, &err), 0);
	osrs_value_free(v);
	v = NULL;
	free(doc);
	doc = nested(OSRS_DEPTH_MAX + 2);
	ck_assert_int_eq(osrs_envelope_parse(doc, strlen(doc), &v, &err),
	    DSREG_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "nested deeper than"));
	free(doc);

	dsreg_buf_init(&b, OSRS_ENVELOPE_MAX);
	dsreg_buf_appends(&b, "<OPS_envelope><body><data_block><dt_array>");
	for (i = 0; i <= OSRS_NODES_MAX; i++)
		ck_assert_int_eq(dsreg_buf_appends(&b, "<item key=\"\"/>"), 0);
	dsreg_buf_appends(&b, "</dt_array></data_block></body></OPS_envelope>");
	ck_assert_int_eq(osrs_envelope_parse(b.data, b.len, &v, &err),
	    DSREG_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "more than 200000 values"));
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(empty_and_structure_errors)
{
	static const char no_block[] = "<OPS_envelope><body/></OPS_envelope>";
	static const char empty_block[] =
	    "<OPS_envelope><body><data_block> </data_block></body></OPS_envelope>";
	static const char bad_elem[] =
	    "<OPS_envelope><body><data_block><dt_list/></data_block></body></OPS_envelope>";
	struct osrs_value *v = NULL;
	struct dsreg_err err;

	dsreg_err_clear(&err);
	ck_assert_int_eq(osrs_envelope_parse("", 0, &v, &err), DSREG_EPARSE);
	ck_assert_int_eq(osrs_envelope_parse(no_block, strlen(no_block), &v,
	    &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "no <body><data_block>"));
	ck_assert_int_eq(osrs_envelope_parse(empty_block, strlen(empty_block),
	    &v, &err), DSREG_EPARSE);
	ck_assert_int_eq(osrs_envelope_parse(bad_elem, strlen(bad_elem), &v,
	    &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "unexpected element <dt_list>"));
	ck_assert_ptr_null(v);
}
END_TEST

static Suite *
osrs_envelope_suite(void)
{
	Suite *s = suite_create("tucows_envelope");
	TCase *tc = tcase_create("envelope");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, build_refuses_control_chars);
	tcase_add_test(tc, build_respects_cap);
	tcase_add_test(tc, value_add_rules);
	tcase_add_test(tc, real_listing);
	tcase_add_test(tc, real_status_and_dnssec);
	tcase_add_loop_test(tc, hostile_corpus, 0,
	    sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(tc, utf16_entity_bomb);
	tcase_add_test(tc, hundred_megabytes);
	tcase_add_test(tc, depth_and_node_caps);
	tcase_add_test(tc, empty_and_structure_errors);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(osrs_envelope_suite)
