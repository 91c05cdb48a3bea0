/* tests/unit/test_epp_response.c - epp/response.c, domain.c, secdns.c parsing: every RFC example, hostile, truncated, odd and oversized XML */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/secret.h"
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
	ck_assert_int_eq(res.cls, DSREG_RETRY_NEVER);
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

#define HEAD "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response>"
#define OK "<result code=\"1000\"><msg>ok</msg></result>"
#define DINF "<resData><domain:infData xmlns:domain=\"urn:ietf:params:xml:" \
	"ns:domain-1.0\">"
#define DEND "</domain:infData></resData>"
#define NAME "<domain:name>a.example</domain:name>"
#define S11 "<extension><secDNS:infData xmlns:secDNS=\"urn:ietf:params:" \
	"xml:ns:secDNS-1.1\">"
#define S10 "<extension><secDNS:infData xmlns:secDNS=\"urn:ietf:params:" \
	"xml:ns:secDNS-1.0\">"
#define SEND "</secDNS:infData></extension>"
#define TAIL "<trID><clTRID>c-1</clTRID><svTRID>s-1</svTRID></trID>" \
	"</response></epp>"
#define DS(tag, dig) "<secDNS:dsData><secDNS:keyTag>" tag "</secDNS:keyTag>" \
	"<secDNS:alg>13</secDNS:alg><secDNS:digestType>2</secDNS:digestType>" \
	"<secDNS:digest>" dig "</secDNS:digest></secDNS:dsData>"
#define KEY(flags) "<secDNS:keyData><secDNS:flags>" flags "</secDNS:flags>" \
	"<secDNS:protocol>3</secDNS:protocol><secDNS:alg>13</secDNS:alg>" \
	"<secDNS:pubKey>AwEAAag=</secDNS:pubKey></secDNS:keyData>"

/* Refused documents: the error and the rule it names. */
static const struct {
	const char *name;
	const char *xml;
	size_t len;          /* 0: strlen */
	int rc;
	const char *msg;     /* substring of the error */
} hostile[] = {
	{ "xxe", "<?xml version=\"1.0\"?><!DOCTYPE epp [<!ENTITY x SYSTEM "
	  "\"file:///etc/passwd\">]>" HEAD "<result code=\"1000\"><msg>&x;"
	  "</msg></result>" TAIL, 0, DSREG_EPROTO, "DOCTYPE; refused (no DTDs "
	  "or entities in EPP, RFC 5730 §2)" },
	{ "billion-laughs", "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a "
	  "\"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	  "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>" HEAD "<result "
	  "code=\"1000\"><msg>&c;</msg></result>" TAIL, 0, DSREG_EPROTO,
	  "EPP document" },
	{ "doctype-system", "<!DOCTYPE epp SYSTEM \"http://example.invalid/"
	  "epp.dtd\">" HEAD OK TAIL, 0, DSREG_EPROTO, "carries a DOCTYPE" },
	{ "doctype-after-comment", "<!-- c --><!DOCTYPE epp>" HEAD OK TAIL, 0,
	  DSREG_EPROTO, "carries a DOCTYPE" },
	{ "undefined-entity", HEAD "<result code=\"1000\"><msg>&undefined;"
	  "</msg></result>" TAIL, 0, DSREG_EPROTO, "not well-formed XML" },
	{ "duplicate-attribute", HEAD "<result code=\"1000\" code=\"1001\">"
	  "<msg>x</msg></result>" TAIL, 0, DSREG_EPROTO, "not well-formed" },
	{ "mismatched-tag", HEAD OK "</resData>" TAIL, 0, DSREG_EPROTO,
	  "not well-formed" },
	{ "truncated", "<?xml version=\"1.0\"?><epp xmlns=\"urn:ietf:params:"
	  "xml:ns:epp-1.0\"><response><result code=\"1000\">", 0,
	  DSREG_EPROTO, "not well-formed" },
	{ "after-root", HEAD "</response></epp><epp/>", 0, DSREG_EPROTO,
	  "not well-formed" },
	{ "wrong-root", "<html/>", 0, DSREG_EPROTO, "root element is not "
	  "<epp>" },
	{ "wrong-ns", "<epp xmlns=\"urn:x\"><response/></epp>", 0,
	  DSREG_EPROTO, "root element is not <epp>" },
	{ "no-result", HEAD "</response></epp>", 0, DSREG_EPROTO,
	  "<response> without <result>" },
	{ "neither", "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><command/>"
	  "</epp>", 0, DSREG_EPROTO, "neither <greeting> nor <response>" },
	{ "response-not-on-top", "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">"
	  "<x><response>" OK "</response></x></epp>", 0, DSREG_EPROTO,
	  "neither <greeting> nor <response>" },
	{ "code-range", HEAD "<result code=\"3000\"><msg>x</msg></result>" TAIL,
	  0, DSREG_EPROTO, "RFC 5730 §3: result code '3000' is not 1000-2502" },
	{ "code-text", HEAD "<result code=\"10x0\"><msg>x</msg></result>" TAIL,
	  0, DSREG_EPROTO, "result code '10x0'" },
	{ "code-space", HEAD "<result code=\" 1000\"><msg>x</msg></result>" TAIL,
	  0, DSREG_EPROTO, "result code ' 1000'" },
	{ "code-missing", HEAD "<result><msg>x</msg></result>" TAIL, 0,
	  DSREG_EPROTO, "result code ''" },
	{ "empty", "", 0, DSREG_EPROTO, "empty" },
	{ "space", " ", 0, DSREG_EPROTO, "not well-formed" },
	{ "nul-first", "\0" HEAD OK TAIL, sizeof("\0" HEAD OK TAIL) - 1,
	  DSREG_EPROTO, "not well-formed" },
	{ "utf16-garbage", "\xff\xfe<\0e\0", 6, DSREG_EPROTO,
	  "not well-formed" },
	{ "bad-utf8", HEAD "<result code=\"1000\"><msg>\x80</msg></result>" TAIL,
	  0, DSREG_EPROTO, "not well-formed" },
	{ "greeting", "<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><greeting>"
	  "<svID>x</svID></greeting></epp>", 0, DSREG_EPROTO, "expected a "
	  "<response>, got a <greeting>" },
};

START_TEST(hostile_documents)
{
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info = (void *)1;
	size_t len = hostile[_i].len ? hostile[_i].len :
	    strlen(hostile[_i].xml);

	dsreg_err_clear(&err);
	ck_assert_msg(epp_response_parse_result(hostile[_i].xml, len, &res,
	    &err) == hostile[_i].rc, "%s: %s", hostile[_i].name,
	    dsreg_err_text(&err));
	ck_assert_msg(strstr(err.msg, hostile[_i].msg) != NULL,
	    "%s: '%s' lacks '%s'", hostile[_i].name, err.msg, hostile[_i].msg);
	ck_assert_ptr_null(strstr(err.msg, "root:"));  /* no /etc/passwd */
	ck_assert_int_eq(res.code, 0);
	/* domain:info refuses it the same way, with no data */
	dsreg_err_clear(&err);
	ck_assert_int_eq(epp_domain_info_parse(hostile[_i].xml, len, &info,
	    &res, &err), hostile[_i].rc);
	ck_assert_ptr_null(info);
	ck_assert_ptr_nonnull(strstr(err.msg, hostile[_i].msg));
}
END_TEST

/* Every prefix of the richest examples: refused until the root closes. */
START_TEST(every_truncation)
{
	static const char *files[] = { "rfc5910-s02.xml", "rfc4310-s02.xml",
	    "rfc5730-s04.xml" };
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info;
	size_t f, cut, end;
	int rc;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		load(files[f], &b);
		end = (size_t)(strrchr(b.data, '>') - b.data) + 1;
		for (cut = 0; cut <= b.len; cut++) {
			rc = epp_domain_info_parse(b.data, cut, &info, &res,
			    &err);
			if (cut < end) {
				ck_assert_msg(rc == DSREG_EPROTO, "%s cut at "
				    "%zu: %d", files[f], cut, rc);
				ck_assert_ptr_null(info);
				ck_assert_int_eq(res.code, 0);
				ck_assert_ptr_nonnull(strstr(err.msg,
				    "EPP document"));
			} else {
				ck_assert_msg(rc == 0, "%s cut at %zu: %s",
				    files[f], cut, err.msg);
				ck_assert_int_ne(res.code, 0);
				epp_domain_info_free(info);
			}
		}
		dsreg_buf_free(&b);
	}
}
END_TEST

/* Larger than a frame may be: refused before parsing. */
START_TEST(over_the_cap)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_greeting g;

	dsreg_buf_init(&b, EPP_FRAME_MAX + 16);
	dsreg_buf_appends(&b, HEAD OK "<!--");
	while (b.len < EPP_FRAME_MAX - 256)
		dsreg_buf_appends(&b, "xxxxxxxxxxxxxxxx");
	dsreg_buf_appends(&b, "-->" TAIL);
	ck_assert_int_eq(epp_response_parse_result(b.data, b.len, &res, &err),
	    0);                              /* under the cap: fine */
	while (b.len <= EPP_FRAME_MAX)
		dsreg_buf_appends(&b, " ");
	ck_assert_int_eq(epp_response_parse_result(b.data, b.len, &res, &err),
	    DSREG_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(err.msg, "exceeds the 1048576 byte cap"));
	ck_assert_int_eq(epp_greeting_parse(b.data, b.len, &g, &err),
	    DSREG_ETOOBIG);
	epp_greeting_clear(&g);
	dsreg_buf_free(&b);
}
END_TEST

/* libxml2 ends a document at a NUL byte; UTF-16 carries them inside. */
START_TEST(nul_bytes_and_utf16)
{
	static const char after[] = HEAD OK DINF NAME DEND TAIL "\0\0<x>&";
	static const char inside[] = HEAD OK DINF "<domain:name>a\0b"
	    "</domain:name>" DEND TAIL;
	struct dsreg_buf b, u;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info;
	size_t i;

	ck_assert_int_eq(epp_domain_info_parse(after, sizeof(after) - 1, &info,
	    &res, &err), 0);
	ck_assert_str_eq(info->name, "a.example");
	epp_domain_info_free(info);
	ck_assert_int_eq(epp_domain_info_parse(inside, sizeof(inside) - 1,
	    &info, &res, &err), DSREG_EPROTO);
	ck_assert_ptr_null(info);
	/* the richest example in UTF-16LE with a byte order mark */
	load("rfc5910-s02.xml", &b);
	dsreg_buf_init(&u, EPP_FRAME_MAX);
	dsreg_buf_append(&u, "\xff\xfe", 2);
	for (i = 0; i < b.len; i++) {
		dsreg_buf_append(&u, b.data + i, 1);
		dsreg_buf_append(&u, "", 1);
	}
	ck_assert_msg(epp_domain_info_parse(u.data, u.len, &info, &res,
	    &err) == 0, "%s", err.msg);
	ck_assert_int_eq(res.code, 1000);
	ck_assert_str_eq(info->name, "example.com");
	ck_assert_uint_eq(info->max_sig_life, 604800);
	ck_assert_uint_eq(info->ds.n, 1);
	ck_assert_uint_eq(info->ds.v[0]->key_tag, 12345);
	ck_assert_uint_eq(info->keys.n, 1);
	epp_domain_info_free(info);
	dsreg_buf_free(&u);
	dsreg_buf_free(&b);
}
END_TEST

/*
 * Text longer than what is kept is cut; lists and sets over their caps,
 * and more than EPP_SECDNS_INFDATA_MAX secDNS:infData blocks (RFC 5910
 * §5.1.2 has one), are refused.
 */
static const struct {
	int msg, name, roid, statuses, hosts, blocks, ds, keys, digest;
	int rc;
	const char *err;
} caps[] = {
	{ 700, 1, 1, 2, 2, 1, 1, 1, 0, 0, NULL },
	{ 3, 300, 1, 2, 2, 1, 1, 1, 0, 0, NULL },
	{ 3, 1, 200, 2, 2, 1, 1, 1, 0, 0, NULL },
	{ 3, 1, 1, 256, 256, 1, 1, 1, 0, 0, NULL },
	{ 3, 1, 1, 257, 2, 1, 1, 1, 0, DSREG_ETOOBIG, "more than 256 entries" },
	{ 3, 1, 1, 2, 300, 1, 1, 1, 0, DSREG_ETOOBIG, "more than 256 entries" },
	{ 3, 1, 1, 2, 2, 16, 1, 1, 0, 0, NULL },
	{ 3, 1, 1, 2, 2, 17, 1, 1, 0, DSREG_ETOOBIG, "more than 16 "
	  "secDNS:infData" },
	{ 3, 1, 1, 2, 2, 1, 256, 20, 0, 0, NULL },
	{ 3, 1, 1, 2, 2, 1, 300, 1, 0, DSREG_ETOOBIG, "more than 256 DS" },
	{ 3, 1, 1, 2, 2, 1, 1, 300, 0, DSREG_ETOOBIG, "more than 256 keys" },
	{ 3, 1, 1, 2, 2, 1, 1, 1, 140, DSREG_EPROTO, "secDNS:digest is not "
	  "hex of 1 to 64 octets" },
};

static void
repeat(struct dsreg_buf *b, const char *s, int n)
{
	while (n-- > 0)
		dsreg_buf_appends(b, s);
}

START_TEST(caps_on_text_and_lists)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info;
	int i, rc;

	dsreg_buf_init(&b, EPP_FRAME_MAX);
	dsreg_buf_appends(&b, HEAD "<result code=\"1000\"><msg>");
	for (i = 0; i < caps[_i].msg; i++)
		dsreg_buf_appends(&b, i % 50 == 49 ? " " : "m");
	dsreg_buf_appends(&b, "</msg></result>" DINF "<domain:name>");
	repeat(&b, "n", caps[_i].name);
	dsreg_buf_appends(&b, "</domain:name><domain:roid>");
	repeat(&b, "r", caps[_i].roid);
	dsreg_buf_appends(&b, "</domain:roid>");
	for (i = 0; i < caps[_i].statuses; i++)
		dsreg_buf_printf(&b, "<domain:status s=\"s%d\"/>", i);
	dsreg_buf_appends(&b, "<domain:ns>");
	for (i = 0; i < caps[_i].hosts; i++)
		dsreg_buf_printf(&b, "<domain:hostObj>h%d</domain:hostObj>", i);
	dsreg_buf_appends(&b, "</domain:ns>" DEND "<extension>");
	repeat(&b, "<secDNS:infData xmlns:secDNS=\"urn:ietf:params:xml:ns:"
	    "secDNS-1.1\"/>", caps[_i].blocks - 1);
	dsreg_buf_appends(&b, "<secDNS:infData xmlns:secDNS=\"urn:ietf:"
	    "params:xml:ns:secDNS-1.1\">");
	repeat(&b, DS("5", "ABCD"), caps[_i].ds);
	repeat(&b, KEY("257"), caps[_i].keys);
	if (caps[_i].digest > 0) {
		dsreg_buf_appends(&b, "<secDNS:dsData><secDNS:keyTag>1"
		    "</secDNS:keyTag><secDNS:alg>1</secDNS:alg>"
		    "<secDNS:digestType>1</secDNS:digestType><secDNS:digest>");
		repeat(&b, "A", caps[_i].digest);
		dsreg_buf_appends(&b, "</secDNS:digest></secDNS:dsData>");
	}
	dsreg_buf_appends(&b, SEND "<trID><clTRID>");
	repeat(&b, "t", 80);
	dsreg_buf_appends(&b, "</clTRID></trID></response></epp>");
	dsreg_err_clear(&err);
	rc = epp_domain_info_parse(b.data, b.len, &info, &res, &err);
	ck_assert_msg(rc == caps[_i].rc, "caps[%d]: %d %s", _i, rc, err.msg);
	/* the result is read whatever the data: cut to its arrays */
	ck_assert_int_eq(res.code, 1000);
	ck_assert_uint_eq(strlen(res.msg), caps[_i].msg < EPP_TEXT_MAX ?
	    (size_t)caps[_i].msg : EPP_TEXT_MAX - 1);
	ck_assert_uint_eq(strlen(res.cltrid), EPP_TRID_MAX - 1);
	if (rc != 0) {
		ck_assert_ptr_null(info);
		ck_assert_ptr_nonnull(strstr(err.msg, caps[_i].err));
		goto out;
	}
	ck_assert_uint_eq(strlen(info->name), caps[_i].name > 255 ? 255 :
	    (size_t)caps[_i].name);
	ck_assert_uint_eq(strlen(info->roid), caps[_i].roid > 128 ? 128 :
	    (size_t)caps[_i].roid);
	ck_assert_uint_eq(info->statuses.n, (size_t)caps[_i].statuses);
	ck_assert_uint_eq(info->ns.n, (size_t)caps[_i].hosts);
	ck_assert_uint_eq(info->ds.n, (size_t)caps[_i].ds);
	ck_assert_uint_eq(info->keys.n, (size_t)caps[_i].keys);
	epp_domain_info_free(info);
out:
	dsreg_buf_free(&b);
}
END_TEST

/* Which element counts when a document repeats or reorders them. */
START_TEST(odd_documents)
{
	static const char reorder[] = "<epp xmlns=\"urn:ietf:params:xml:ns:"
	    "epp-1.0\"><response><trID><svTRID>s</svTRID><clTRID>c</clTRID>"
	    "<svTRID>t</svTRID></trID>" S11 DS("2", "CD") SEND DINF NAME DEND
	    "<result code=\"1001\"><msg>one</msg><msg>two</msg></result>"
	    "</response></epp>";
	static const char text[] = HEAD "<result code=\"1000\"><msg> a<!-- c "
	    "-->b<![CDATA[<c>]]>&amp;&#x41;<?pi x?>d </msg></result>" DINF
	    "<domain:name>x<b>y</b>z.example</domain:name><domain:roid>R&lt;1"
	    "</domain:roid><domain:status s=\"a&amp;b&#38;c&quot;&lt;\"/>"
	    "<domain:status/><domain:status x:s=\"ns\" s=\"plain\" "
	    "xmlns:x=\"urn:x\"/>" DEND TAIL;
	static const char wrongns[] = HEAD OK "<resData><infData xmlns=\"urn:"
	    "ietf:params:xml:ns:domain-1.0\"><name>n.example</name><roid "
	    "xmlns=\"urn:other\">x</roid></infData></resData>" S11 "<x:dsData "
	    "xmlns:x=\"urn:x\"/>" KEY("257") SEND TAIL;
	static const char hosts[] = HEAD OK DINF NAME "<domain:ns>"
	    "<domain:hostObj> ns1.example </domain:hostObj><domain:hostAttr>"
	    "<domain:hostAddr>1.2.3.4</domain:hostAddr></domain:hostAttr>"
	    "<domain:hostAttr><domain:hostName>ns2</domain:hostName>"
	    "<domain:hostName>ns3</domain:hostName></domain:hostAttr>"
	    "<domain:other>x</domain:other></domain:ns><domain:ns>"
	    "<domain:hostObj>late</domain:hostObj></domain:ns>" DEND TAIL;
	static const char v10[] = HEAD OK DINF NAME DEND S10 KEY("257")
	    "<secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag><secDNS:alg>13"
	    "</secDNS:alg><secDNS:digestType>2</secDNS:digestType>"
	    "<secDNS:digest>AB</secDNS:digest><secDNS:maxSigLife>60"
	    "</secDNS:maxSigLife>" KEY("257") "</secDNS:dsData>" DS("2", "CD")
	    SEND TAIL;
	static const char failed[] = HEAD "<result code=\"2303\"><msg>no</msg>"
	    "</result>" DINF DEND TAIL;
	struct dsreg_err err;
	struct epp_result res;
	struct epp_domain_info *info;

	ck_assert_int_eq(epp_domain_info_parse(reorder, sizeof(reorder) - 1,
	    &info, &res, &err), 0);
	ck_assert_int_eq(res.code, 1001);
	ck_assert_str_eq(res.msg, "one");
	ck_assert_str_eq(res.svtrid, "s");
	ck_assert_str_eq(res.cltrid, "c");
	ck_assert_uint_eq(info->ds.n, 1);
	ck_assert_uint_eq(info->ds.v[0]->key_tag, 2);
	epp_domain_info_free(info);

	/* comments and PIs dropped, CDATA and references kept; child
	 * elements' text is not the element's */
	ck_assert_int_eq(epp_domain_info_parse(text, sizeof(text) - 1, &info,
	    &res, &err), 0);
	ck_assert_str_eq(res.msg, "ab<c>&Ad");
	ck_assert_str_eq(info->name, "xz.example");
	ck_assert_str_eq(info->roid, "R<1");
	ck_assert_uint_eq(info->statuses.n, 3);
	ck_assert_str_eq(info->statuses.v[0], "a&b&c\"<");
	ck_assert_str_eq(info->statuses.v[1], "");
	epp_domain_info_free(info);

	/* namespaces count, not prefixes; other namespaces are not read */
	ck_assert_int_eq(epp_domain_info_parse(wrongns, sizeof(wrongns) - 1,
	    &info, &res, &err), 0);
	ck_assert_str_eq(info->name, "n.example");
	ck_assert_str_eq(info->roid, "");
	ck_assert_uint_eq(info->ds.n, 0);
	ck_assert_uint_eq(info->keys.n, 1);
	ck_assert(info->key_interface);
	epp_domain_info_free(info);

	ck_assert_int_eq(epp_domain_info_parse(hosts, sizeof(hosts) - 1,
	    &info, &res, &err), 0);
	ck_assert_uint_eq(info->ns.n, 3);
	ck_assert_str_eq(info->ns.v[0], "ns1.example");
	ck_assert_str_eq(info->ns.v[1], "");
	ck_assert_str_eq(info->ns.v[2], "ns2");
	epp_domain_info_free(info);

	/* secDNS-1.0: keyData only inside dsData, maxSigLife from it */
	ck_assert_int_eq(epp_domain_info_parse(v10, sizeof(v10) - 1, &info,
	    &res, &err), 0);
	ck_assert_int_eq(info->secdns, EPP_SECDNS_10);
	ck_assert_uint_eq(info->ds.n, 2);
	ck_assert_uint_eq(info->keys.n, 1);
	ck_assert_uint_eq(info->max_sig_life, 60);
	ck_assert(!info->key_interface);
	epp_domain_info_free(info);

	/* an error result's data is not read */
	info = (void *)1;
	ck_assert_int_eq(epp_domain_info_parse(failed, sizeof(failed) - 1,
	    &info, &res, &err), 0);
	ck_assert_int_eq(res.code, 2303);
	ck_assert_ptr_null(info);
}
END_TEST

/* A server echoing a password: its texts come out scrubbed. */
START_TEST(secret_echo_scrubbed)
{
	static const char xml[] = HEAD "<result code=\"2200\"><msg>bad pw "
	    "Hunter-2x</msg><extValue><value/><reason>pw Hunter-2x refused"
	    "</reason></extValue></result><trID><clTRID>Hunter-2x</clTRID>"
	    "<svTRID>s-Hunter-2x</svTRID></trID></response></epp>";
	struct dsreg_err err;
	struct epp_result res;
	char *pw;

	ck_assert_int_eq(dsreg_secret_dup("Hunter-2x", 9, &pw), 0);
	ck_assert_int_eq(epp_response_parse_result(xml, sizeof(xml) - 1, &res,
	    &err), 0);
	ck_assert_int_eq(res.cls, DSREG_RETRY_AUTH);
	ck_assert_str_eq(res.msg, "bad pw " DSREG_SECRET_MARK);
	ck_assert_str_eq(res.reason, "pw " DSREG_SECRET_MARK " refused");
	ck_assert_str_eq(res.cltrid, DSREG_SECRET_MARK);
	ck_assert_str_eq(res.svtrid, "s-" DSREG_SECRET_MARK);
	dsreg_secret_free(pw);
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
	ck_assert_int_eq(epp_code_class(1000), DSREG_RETRY_NONE);
	ck_assert_int_eq(epp_code_class(1301), DSREG_RETRY_NONE);
	ck_assert_int_eq(epp_code_class(2400), DSREG_RETRY_LATER);
	ck_assert_int_eq(epp_code_class(2500), DSREG_RETRY_RECONNECT);
	ck_assert_int_eq(epp_code_class(0), DSREG_RETRY_RECONNECT);
	ck_assert_int_eq(epp_code_class(2502), DSREG_RETRY_BACKOFF);
	ck_assert_int_eq(epp_code_class(2200), DSREG_RETRY_AUTH);
	ck_assert_int_eq(epp_code_class(2501), DSREG_RETRY_AUTH);
	ck_assert_int_eq(epp_code_class(2201), DSREG_RETRY_NEVER);
	ck_assert_int_eq(epp_code_class(2304), DSREG_RETRY_NEVER);
	ck_assert_int_eq(epp_code_class(2306), DSREG_RETRY_NEVER);
	/* the words the session's warnings and dsreg epp's JSON show */
	ck_assert_str_eq(dsreg_retry_name(epp_code_class(2201)), "never");
	ck_assert_str_eq(dsreg_retry_name(epp_code_class(2400)), "later");
	ck_assert_str_eq(dsreg_retry_name(epp_code_class(2500)), "reconnect");
	ck_assert_str_eq(dsreg_retry_name(epp_code_class(2502)), "backoff");
	ck_assert_str_eq(dsreg_retry_name(epp_code_class(2200)),
	    "authentication");
}
END_TEST

static Suite *
epp_response_suite(void)
{
	Suite *s = suite_create("epp_response");
	TCase *tc = tcase_create("response");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_rfc_response_example);
	tcase_add_test(tc, greeting_rfc5730);
	tcase_add_test(tc, result_with_reasons_rfc5730);
	tcase_add_test(tc, info_rfc5731);
	tcase_add_test(tc, info_secdns11);
	tcase_add_test(tc, info_secdns10);
	tcase_add_loop_test(tc, hostile_documents, 0,
	    (int)(sizeof(hostile) / sizeof(hostile[0])));
	tcase_add_test(tc, every_truncation);
	tcase_add_test(tc, over_the_cap);
	tcase_add_test(tc, nul_bytes_and_utf16);
	tcase_add_loop_test(tc, caps_on_text_and_lists, 0,
	    (int)(sizeof(caps) / sizeof(caps[0])));
	tcase_add_test(tc, odd_documents);
	tcase_add_test(tc, secret_echo_scrubbed);
	tcase_add_loop_test(tc, bad_secdns_values, 0,
	    (int)(sizeof(bad_secdns) / sizeof(bad_secdns[0])));
	tcase_add_loop_test(tc, ds_owner_names, 0,
	    (int)(sizeof(owners) / sizeof(owners[0])));
	tcase_add_test(tc, retry_classes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(epp_response_suite)
