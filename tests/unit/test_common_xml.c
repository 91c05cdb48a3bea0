/* tests/unit/test_common_xml.c - common/xml.c: the hardened parse entry point's rules and the escaper */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/xml.h"

#include <string.h>

static const struct dsreg_xml_rules strict = {
	"test document", "tests", 256, DSREG_EPROTO, 0, 0
};
static const struct dsreg_xml_rules utf8_dtd = {
	"test reply", "tests", 256, DSREG_EPARSE, 1, 1
};

static const struct {
	const char *name;
	const struct dsreg_xml_rules *rules;
	const char *xml;
	int rc;
	const char *msg;           /* in the error */
} cases[] = {
	{ "plain", &strict, "<a>x</a>", 0, NULL },
	{ "plain utf8", &utf8_dtd, "<a>\xc2\xa7</a>", 0, NULL },
	{ "system doctype strict", &strict,
	  "<!DOCTYPE a SYSTEM 'a.dtd'><a/>", DSREG_EPROTO, "carries a DOCTYPE" },
	{ "system doctype allowed", &utf8_dtd,
	  "<!DOCTYPE a SYSTEM 'a.dtd'><a/>", 0, NULL },
	{ "xxe strict", &strict, "<!DOCTYPE a [<!ENTITY x SYSTEM "
	  "'file:///etc/passwd'>]><a>&x;</a>", DSREG_EPROTO,
	  "carries a DOCTYPE" },
	{ "xxe utf8", &utf8_dtd, "<!DOCTYPE a [<!ENTITY x SYSTEM "
	  "'file:///etc/passwd'>]><a>&x;</a>", DSREG_EPARSE,
	  "declares an XML entity" },
	{ "internal subset", &utf8_dtd, "<!DOCTYPE a [<!ELEMENT a ANY>]><a/>",
	  DSREG_EPARSE, "internal subset" },
	{ "quoted bracket", &utf8_dtd, "<!DOCTYPE a SYSTEM 'x[y'><a/>", 0, NULL },
	{ "truncated doctype", &utf8_dtd, "<!DOCTYPE a SYSTEM 'x", DSREG_EPARSE,
	  "truncated inside its DOCTYPE" },
	{ "not well-formed", &strict, "<a><b></a>", DSREG_EPROTO,
	  "not well-formed XML" },
	{ "empty", &strict, "", DSREG_EPROTO, "not well-formed XML" },
	{ "too big", &strict, "<a>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "</a>", DSREG_ETOOBIG, "exceeds the 256 byte cap" },
};

START_TEST(parse_rules)
{
	struct dsreg_err err;
	xmlDoc *doc = NULL;
	int rc;

	dsreg_err_clear(&err);
	rc = dsreg_xml_parse(cases[_i].xml, strlen(cases[_i].xml),
	    cases[_i].rules, &doc, &err);
	ck_assert_msg(rc == cases[_i].rc, "%s: rc %d (%s)", cases[_i].name, rc,
	    err.msg);
	if (rc == 0) {
		ck_assert_ptr_nonnull(doc);
		xmlFreeDoc(doc);
	} else
		ck_assert_msg(strstr(err.msg, cases[_i].msg) != NULL,
		    "%s: '%s' lacks '%s'", cases[_i].name, err.msg,
		    cases[_i].msg);
	ck_assert_ptr_null(strstr(err.msg, "root:"));   /* no /etc/passwd */
}
END_TEST

/* A NUL: the end of the document (strict), or refused (UTF-8 only). */
START_TEST(parse_nul)
{
	static const char doc_nul[] = "<a/>\0<b>";
	struct dsreg_err err;
	xmlDoc *doc = NULL;

	dsreg_err_clear(&err);
	ck_assert_int_eq(dsreg_xml_parse(doc_nul, sizeof(doc_nul) - 1,
	    &utf8_dtd, &doc, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "only UTF-8 is accepted"));
	ck_assert_ptr_null(doc);
}
END_TEST

START_TEST(escape)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	static const char ok[] = "a&b <c> \"d\" 'e'\ttab\nlf\rcr \xc2\xa7";

	dsreg_buf_init(&b, 1024);
	dsreg_err_clear(&err);
	ck_assert_int_eq(dsreg_xml_escape(&b, ok, strlen(ok), &err), 0);
	ck_assert_str_eq(b.data, "a&amp;b &lt;c&gt; &quot;d&quot; 'e'\ttab\n"
	    "lf\rcr \xc2\xa7");
	/* only the first len octets */
	dsreg_buf_reset(&b);
	ck_assert_int_eq(dsreg_xml_escape(&b, "x&y", 2, &err), 0);
	ck_assert_str_eq(b.data, "x&amp;");
	/* a C0 control: refused, named, nothing appended */
	dsreg_buf_reset(&b);
	dsreg_buf_appends(&b, "<pw>");
	ck_assert_int_eq(dsreg_xml_escape(&b, "Zq&9\x1bKw", 6, &err),
	    DSREG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "control character 0x1b"));
	ck_assert_ptr_null(strstr(err.msg, "Zq"));
	ck_assert_str_eq(b.data, "<pw>");
	/* NUL within len is a control character too */
	ck_assert_int_eq(dsreg_xml_escape(&b, "a\0b", 3, &err), DSREG_EINVAL);
	/* the cap */
	dsreg_buf_free(&b);
	dsreg_buf_init(&b, 8);
	ck_assert_int_eq(dsreg_xml_escape(&b, "&&&", 3, &err), DSREG_ETOOBIG);
	ck_assert_uint_eq(b.len, 0);
	dsreg_buf_free(&b);
}
END_TEST

static Suite *
common_xml_suite(void)
{
	Suite *s = suite_create("common_xml");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, parse_rules, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, parse_nul);
	tcase_add_test(tc, escape);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(common_xml_suite)
