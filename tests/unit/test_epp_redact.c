/* tests/unit/test_epp_redact.c - epp/redact.c: no password or authInfo value reaches a trace */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/secret.h"
#include "epp/epp.h"

#include <string.h>

static const struct {
	const char *in, *out;
} cases[] = {
	{ "<login><clID>reg</clID><pw>s3cret!</pw></login>",
	  "<login><clID>reg</clID><pw>[redacted]</pw></login>" },
	{ "<pw>old-pw</pw><newPW>new-pw</newPW>",
	  "<pw>[redacted]</pw><newPW>[redacted]</newPW>" },
	{ "<domain:authInfo>\n  <domain:pw roid=\"X\">2fooBAR</domain:pw>\n"
	  "</domain:authInfo><domain:name>a.example</domain:name>",
	  "<domain:authInfo>\n  <domain:pw roid=\"X\">[redacted]</domain:pw>\n"
	  "</domain:authInfo><domain:name>a.example</domain:name>" },
	{ "<authInfo><ext:token>tok</ext:token></authInfo>",
	  "<authInfo><ext:token>[redacted]</ext:token></authInfo>" },
	{ "<pw><![CDATA[cd<ata>]]></pw>", "<pw>[redacted]</pw>" },
	{ "<pw>a<!-- c -->b</pw>", "<pw>[redacted][redacted]</pw>" },
	{ "<pw/><msg>kept</msg>", "<pw/><msg>kept</msg>" },
	{ "<password>not a pw element</password>",
	  "<password>not a pw element</password>" },
	{ "<pw>unterminated", "<pw>[redacted]" },
};

START_TEST(redact_table)
{
	struct dsreg_buf b;

	dsreg_buf_init(&b, 4096);
	ck_assert_int_eq(epp_redact(cases[_i].in, strlen(cases[_i].in), &b),
	    0);
	ck_assert_str_eq(b.data, cases[_i].out);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(redact_login_command)
{
	struct dsreg_buf cmd, b;
	struct dsreg_err err;

	dsreg_buf_init(&cmd, 65536);
	dsreg_buf_init(&b, 65536);
	ck_assert_int_eq(epp_build_login(&cmd, "ClientX", "Hunter2&<x",
	    EPP_SECDNS_11, "ABC-1", &err), 0);
	ck_assert_ptr_nonnull(strstr(cmd.data, "Hunter2&amp;&lt;x"));
	ck_assert_int_eq(epp_redact(cmd.data, cmd.len, &b), 0);
	ck_assert_ptr_null(strstr(b.data, "Hunter2"));
	ck_assert_ptr_nonnull(strstr(b.data, "<clID>ClientX</clID>"));
	dsreg_buf_free(&cmd);
	dsreg_buf_free(&b);
}
END_TEST

/* A server echoing the password anywhere: text, attribute, escaped. */
START_TEST(redact_registered_secret)
{
	static const char in[] = "<result code=\"2200\"><msg lang=\"S3&amp;cret"
	    "\">password S3&amp;cret is wrong</msg><reason>S3&cret"
	    "</reason></result>";
	struct dsreg_buf b;
	char *pw;

	ck_assert_int_eq(dsreg_secret_dup("S3&cret", 7, &pw), 0);
	dsreg_buf_init(&b, 4096);
	ck_assert_int_eq(epp_redact(in, strlen(in), &b), 0);
	ck_assert_str_eq(b.data, "<result code=\"2200\"><msg lang=\"[redacted]"
	    "\">password [redacted] is wrong</msg><reason>[redacted]"
	    "</reason></result>");
	dsreg_buf_free(&b);
	dsreg_secret_free(pw);
}
END_TEST

static Suite *
epp_redact_suite(void)
{
	Suite *s = suite_create("epp_redact");
	TCase *tc = tcase_create("redact");

	tcase_add_loop_test(tc, redact_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, redact_login_command);
	tcase_add_test(tc, redact_registered_secret);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(epp_redact_suite)
