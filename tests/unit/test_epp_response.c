/* tests/unit/test_epp_response.c - epp/response.c, domain.c, secdns.c parsing: every RFC example, hostile XML */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "epp/epp.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES "fixtures/epp/examples"

/* An RFC example from fixtures/epp/examples. */
static void
load(const char *name, struct dsreg_buf *b)
{
	unit_read_fixture(EXAMPLES, name, EPP_FRAME_MAX, b);
}

/* Every server example of RFC 5730, 5731, 5910, 4310 parses. */
START_TEST(every_rfc_response_example)
{
	struct dirent **names;
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_greeting g;
	struct epp_result res;
	struct epp_domain_info *info;
	int n, i, parsed = 0, infos = 0;

	n = scandir(EXAMPLES, &names, NULL, alphasort);
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++) {
		const char *f = names[i]->d_name;

		if (strncmp(f, "rfc", 3) != 0 || strstr(f, "-s") == NULL) {
			free(names[i]);
			continue;
		}
		load(f, &b);
		if (strstr(b.data, "<greeting>") != NULL) {
			ck_assert_msg(epp_greeting_parse(b.data, b.len, &g,
			    &err) == 0, "%s: %s", f, dsreg_err_text(&err));
			ck_assert_msg(g.svid[0] != '\0', "%s: no svID", f);
			epp_greeting_clear(&g);
		} else {
			ck_assert_msg(epp_response_parse_result(b.data, b.len,
			    &res, &err) == 0, "%s: %s", f,
			    dsreg_err_text(&err));
			ck_assert_msg(res.code >= 1000 && res.code <= 2502,
			    "%s: code %d", f, res.code);
			ck_assert_msg(res.svtrid[0] != '\0', "%s: svTRID", f);
			ck_assert_msg(res.msg[0] != '\0', "%s: msg", f);
		}
		if (strstr(b.data, "<domain:infData") != NULL) {
			ck_assert_msg(epp_domain_info_parse(b.data, b.len,
			    &info, &res, &err) == 0, "%s: %s", f,
			    dsreg_err_text(&err));
			ck_assert_ptr_nonnull(info);
			ck_assert_str_eq(info->name, "example.com");
			epp_domain_info_free(info);
			infos++;
		}
		parsed++;
		dsreg_buf_free(&b);
		free(names[i]);
	}
	free(names);
	ck_assert_int_eq(parsed, 34);   /* RFC 5730: 18, 5731: 11, 5910: 3, 4310: 2 */
	ck_assert_int_eq(infos, 7);
}
END_TEST

START_TEST(greeting_rfc5730)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_greeting g;

	load("rfc5730-s01.xml", &b);
	ck_assert_int_eq(epp_greeting_parse(b.data, b.len, &g, &err), 0);
	ck_assert_str_eq(g.svid, "Example EPP server epp.example.com");
	ck_assert_str_eq(g.svdate, "2000-06-08T22:00:00.0Z");
	ck_assert_uint_eq(g.versions.n, 1);
	ck_assert_str_eq(g.versions.v[0], "1.0");
	ck_assert_uint_eq(g.langs.n, 2);
	ck_assert_uint_eq(g.objuris.n, 3);
	ck_assert(epp_greeting_has(&g, "urn:ietf:params:xml:ns:obj1"));
	ck_assert(!epp_greeting_has(&g, EPP_NS_SECDNS11));
	epp_greeting_clear(&g);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(result_with_reasons_rfc5730)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_result res;

	load("rfc5730-s04.xml", &b);   /* two results, 2004 and 2005 */
	ck_assert_int_eq(epp_response_parse_result(b.data, b.len, &res, &err),
	    0);
	ck_assert_int_eq(res.code, 2004);
	ck_assert_int_eq(res.cls, EPP_RETRY_NEVER);
	ck_assert_str_eq(res.msg, "Parameter value range error");
	ck_assert_str_eq(res.reason, "2005 Parameter value syntax error; "
	    "Invalid character found.");
	ck_assert_str_eq(res.cltrid, "ABC-12345");
	ck_assert_str_eq(res.svtrid, "54321-XYZ");
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(info_rfc5731)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info;

	load("rfc5731-s02.xml", &b);
	ck_assert_int_eq(epp_domain_info_parse(b.data, b.len, &info, &res,
	    &err), 0);
	ck_assert_str_eq(info->roid, "EXAMPLE1-REP");
	ck_assert_str_eq(info->clid, "ClientX");
	ck_assert_uint_eq(info->statuses.n, 1);
	ck_assert_str_eq(info->statuses.v[0], "ok");
	ck_assert_uint_eq(info->ns.n, 2);
	ck_assert_str_eq(info->ns.v[1], "ns1.example.net");
	ck_assert_int_eq(info->secdns, EPP_SECDNS_NONE);
	ck_assert_uint_eq(info->ds.n, 0);
	epp_domain_info_free(info);
	dsreg_buf_free(&b);
}
END_TEST

/* RFC 5910 §5.1.2 examples: dsData; dsData+keyData+maxSigLife; keyData only. */
START_TEST(info_secdns11)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info;
	char hex[2 * DS_DIGEST_MAX + 1];

	load("rfc5910-s01.xml", &b);
	ck_assert_int_eq(epp_domain_info_parse(b.data, b.len, &info, &res,
	    &err), 0);
	ck_assert_int_eq(info->secdns, EPP_SECDNS_11);
	ck_assert_uint_eq(info->ds.n, 1);
	ck_assert_uint_eq(info->ds.v[0]->key_tag, 12345);
	ck_assert_uint_eq(info->ds.v[0]->algorithm, 3);
	ck_assert_uint_eq(info->ds.v[0]->digest_type, 1);
	ds_rec_digest_hex(info->ds.v[0], hex);
	ck_assert_str_eq(hex, "49FD46E6C4B45C55D4AC");
	ck_assert_str_eq(info->ds.v[0]->owner_text, "example.com.");
	ck_assert(!info->key_interface);
	epp_domain_info_free(info);
	dsreg_buf_free(&b);

	load("rfc5910-s02.xml", &b);
	ck_assert_int_eq(epp_domain_info_parse(b.data, b.len, &info, &res,
	    &err), 0);
	ck_assert_uint_eq(info->max_sig_life, 604800);
	ck_assert_uint_eq(info->ds.n, 1);
	ck_assert_uint_eq(info->keys.n, 1);
	ck_assert_uint_eq(info->keys.v[0]->flags, 257);
	ck_assert_uint_eq(info->keys.v[0]->protocol, 3);
	ck_assert_uint_eq(info->keys.v[0]->algorithm, 1);
	ck_assert(!info->key_interface);
	epp_domain_info_free(info);
	dsreg_buf_free(&b);

	load("rfc5910-s03.xml", &b);
	ck_assert_int_eq(epp_domain_info_parse(b.data, b.len, &info, &res,
	    &err), 0);
	ck_assert_uint_eq(info->ds.n, 0);
	ck_assert_uint_eq(info->keys.n, 1);
	ck_assert(info->key_interface);
	ck_assert_uint_gt(info->keys.v[0]->rdata_len, 4);
	epp_domain_info_free(info);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(info_secdns10)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info;

	load("rfc4310-s02.xml", &b);
	ck_assert_int_eq(epp_domain_info_parse(b.data, b.len, &info, &res,
	    &err), 0);
	ck_assert_int_eq(info->secdns, EPP_SECDNS_10);
	ck_assert_uint_eq(info->ds.n, 1);
	ck_assert_uint_eq(info->ds.v[0]->key_tag, 12345);
	ck_assert_uint_eq(info->max_sig_life, 604800);
	ck_assert_uint_eq(info->keys.n, 1);
	epp_domain_info_free(info);
	dsreg_buf_free(&b);
}
END_TEST

static const struct {
	const char *name;
	const char *xml;
	int rc;
} hostile[] = {
	{ "xxe", "<?xml version=\"1.0\"?><!DOCTYPE epp [<!ENTITY x SYSTEM "
	  "\"file:///etc/passwd\">]><epp xmlns=\"urn:ietf:params:xml:ns:"
	  "epp-1.0\"><response><result code=\"1000\"><msg>&x;</msg></result>"
	  "<trID><svTRID>a</svTRID></trID></response></epp>", DSREG_EPROTO },
	{ "billion-laughs", "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a "
	  "\"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	  "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><epp xmlns=\"urn:"
	  "ietf:params:xml:ns:epp-1.0\"><response><result code=\"1000\"><msg>"
	  "&c;</msg></result></response></epp>", DSREG_EPROTO },
	{ "truncated", "<?xml version=\"1.0\"?><epp xmlns=\"urn:ietf:params:"
	  "xml:ns:epp-1.0\"><response><result code=\"1000\">", DSREG_EPROTO },
	{ "wrong-root", "<html/>", DSREG_EPROTO },
	{ "wrong-ns", "<epp xmlns=\"urn:x\"><response/></epp>", DSREG_EPROTO },
	{ "no-result", "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">"
	  "<response/></epp>", DSREG_EPROTO },
	{ "code-range", "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">"
	  "<response><result code=\"3000\"><msg>x</msg></result></response>"
	  "</epp>", DSREG_EPROTO },
	{ "code-text", "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">"
	  "<response><result code=\"10x0\"><msg>x</msg></result></response>"
	  "</epp>", DSREG_EPROTO },
	{ "empty", "", DSREG_EPROTO },
};

START_TEST(hostile_documents)
{
	struct dsreg_err err;
	struct epp_result res;

	ck_assert_msg(epp_response_parse_result(hostile[_i].xml,
	    strlen(hostile[_i].xml), &res, &err) == hostile[_i].rc,
	    "%s: %s", hostile[_i].name, dsreg_err_text(&err));
	ck_assert_ptr_null(strstr(err.msg, "root:"));  /* no /etc/passwd */
}
END_TEST

#define INFO_HEAD "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response>" \
	"<result code=\"1000\"><msg>ok</msg></result><resData><domain:infData " \
	"xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\"><domain:name>" \
	"a.example</domain:name></domain:infData></resData><extension>" \
	"<secDNS:infData xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\">"
#define INFO_HEAD_N "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response>" \
	"<result code=\"1000\"><msg>ok</msg></result><resData><domain:infData " \
	"xmlns:domain=\"urn:ietf:params:xml:ns:domain-1.0\"><domain:name>"
#define INFO_MID "</domain:name></domain:infData></resData><extension>" \
	"<secDNS:infData xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\">"
#define INFO_TAIL "</secDNS:infData></extension><trID><svTRID>s</svTRID>" \
	"</trID></response></epp>"

static const char *bad_secdns[] = {
	INFO_HEAD "<secDNS:dsData><secDNS:keyTag>70000</secDNS:keyTag>"
	"<secDNS:alg>8</secDNS:alg><secDNS:digestType>2</secDNS:digestType>"
	"<secDNS:digest>AB</secDNS:digest></secDNS:dsData>" INFO_TAIL,
	INFO_HEAD "<secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag>"
	"<secDNS:alg>8</secDNS:alg><secDNS:digestType>2</secDNS:digestType>"
	"<secDNS:digest>XYZ</secDNS:digest></secDNS:dsData>" INFO_TAIL,
	INFO_HEAD "<secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag>"
	"<secDNS:alg>8</secDNS:alg><secDNS:digestType>2</secDNS:digestType>"
	"<secDNS:digest>" "00112233445566778899AABBCCDDEEFF00112233445566778899"
	"AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899AABB"
	"CCDDEEFF00" "</secDNS:digest></secDNS:dsData>" INFO_TAIL,
	INFO_HEAD "<secDNS:keyData><secDNS:flags>257</secDNS:flags>"
	"<secDNS:protocol>3</secDNS:protocol><secDNS:alg>8</secDNS:alg>"
	"<secDNS:pubKey>!!notbase64</secDNS:pubKey></secDNS:keyData>" INFO_TAIL,
	INFO_HEAD "<secDNS:maxSigLife>-5</secDNS:maxSigLife>" INFO_TAIL,
};

START_TEST(bad_secdns_values)
{
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info = (void *)1;

	ck_assert_int_eq(epp_domain_info_parse(bad_secdns[_i],
	    strlen(bad_secdns[_i]), &info, &res, &err), DSREG_EPROTO);
	ck_assert_ptr_null(info);
	ck_assert_ptr_nonnull(strstr(err.msg, "RFC 5910"));
}
END_TEST

/* The owner name of parsed DS: same wire form as ds_name_from_text. */
static const char *owners[] = {
	"example.com", "Example.COM.", "_x.a-b.example", "xn--bcher-kva.example",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example",
	"a\\.b.example", "a..b", ".",
};

START_TEST(ds_owner_names)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info;
	uint8_t wire[DS_NAME_WIRE_MAX];
	size_t wlen;
	char *text;

	dsreg_buf_init(&b, 65536);
	dsreg_buf_printf(&b, INFO_HEAD_N "%s" INFO_MID "<secDNS:dsData>"
	    "<secDNS:keyTag>1</secDNS:keyTag><secDNS:alg>13</secDNS:alg>"
	    "<secDNS:digestType>2</secDNS:digestType><secDNS:digest>AB"
	    "</secDNS:digest></secDNS:dsData>" INFO_TAIL, owners[_i]);
	ck_assert_int_eq(epp_domain_info_parse(b.data, b.len, &info, &res,
	    &err), 0);
	ck_assert_uint_eq(info->ds.n, 1);
	if (ds_name_from_text(owners[_i], wire, &wlen, NULL) != 0) {
		ck_assert_uint_eq(info->ds.v[0]->owner_len, 0);
	} else {
		ck_assert_uint_eq(info->ds.v[0]->owner_len, wlen);
		ck_assert_mem_eq(info->ds.v[0]->owner, wire, wlen);
		text = ds_name_to_text(wire, wlen);
		ck_assert_str_eq(info->ds.v[0]->owner_text, text);
		free(text);
	}
	epp_domain_info_free(info);
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(retry_classes)
{
	ck_assert_int_eq(epp_code_class(1000), EPP_RETRY_NONE);
	ck_assert_int_eq(epp_code_class(1301), EPP_RETRY_NONE);
	ck_assert_int_eq(epp_code_class(2400), EPP_RETRY_TRANSIENT);
	ck_assert_int_eq(epp_code_class(2500), EPP_RETRY_RECONNECT);
	ck_assert_int_eq(epp_code_class(0), EPP_RETRY_RECONNECT);
	ck_assert_int_eq(epp_code_class(2502), EPP_RETRY_BACKOFF);
	ck_assert_int_eq(epp_code_class(2200), EPP_RETRY_AUTH);
	ck_assert_int_eq(epp_code_class(2501), EPP_RETRY_AUTH);
	ck_assert_int_eq(epp_code_class(2201), EPP_RETRY_NEVER);
	ck_assert_int_eq(epp_code_class(2304), EPP_RETRY_NEVER);
	ck_assert_int_eq(epp_code_class(2306), EPP_RETRY_NEVER);
}
END_TEST

static Suite *
epp_response_suite(void)
{
	Suite *s = suite_create("epp_response");
	TCase *tc = tcase_create("response");

	tcase_add_test(tc, every_rfc_response_example);
	tcase_add_test(tc, greeting_rfc5730);
	tcase_add_test(tc, result_with_reasons_rfc5730);
	tcase_add_test(tc, info_rfc5731);
	tcase_add_test(tc, info_secdns11);
	tcase_add_test(tc, info_secdns10);
	tcase_add_loop_test(tc, hostile_documents, 0,
	    (int)(sizeof(hostile) / sizeof(hostile[0])));
	tcase_add_loop_test(tc, bad_secdns_values, 0,
	    (int)(sizeof(bad_secdns) / sizeof(bad_secdns[0])));
	tcase_add_loop_test(tc, ds_owner_names, 0,
	    (int)(sizeof(owners) / sizeof(owners[0])));
	tcase_add_test(tc, retry_classes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(epp_response_suite)
