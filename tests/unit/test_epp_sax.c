/* tests/unit/test_epp_sax.c - epp/sax.c: the stream parser answers exactly as the tree parser, on every example and on hostile, odd and truncated documents */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "epp/epp.h"
#include "epp/internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES "fixtures/epp/examples"

/* What one parser made of a document. */
struct outcome {
	int rc, err_code;
	char err[DSREG_ERR_MAX];
	struct epp_result res;
	struct epp_domain_info *info;
};

static void
outcome_free(struct outcome *o)
{
	epp_domain_info_free(o->info);
	o->info = NULL;
}

static void
tree_info(const char *xml, size_t len, struct outcome *o)
{
	struct dsreg_err err;

	memset(o, 0, sizeof(*o));
	dsreg_err_clear(&err);
	o->rc = epp_tree_domain_info_parse(xml, len, &o->info, &o->res, &err);
	o->err_code = err.code;
	snprintf(o->err, sizeof(o->err), "%s", err.msg);
}

/* As the session uses it: one parser for many documents. */
static void
sax_info(struct epp_sax *p, const char *xml, size_t len, struct outcome *o)
{
	struct dsreg_err err;
	int greeting;

	memset(o, 0, sizeof(*o));
	dsreg_err_clear(&err);
	o->rc = epp_sax_parse(p, xml, len, &o->res, &greeting, &err);
	if (o->rc == 0 && greeting)
		o->rc = dsreg_err_set(&err, DSREG_EPROTO,
		    "expected a <response>, got a <greeting>");
	else if (o->rc == 0 && epp_code_ok(o->res.code))
		o->rc = epp_sax_domain_info(p, &o->info, &err);
	o->err_code = err.code;
	snprintf(o->err, sizeof(o->err), "%s", err.msg);
}

/*
 * Well-formedness errors: libxml2's wording differs between push and
 * pull.  A DOCTYPE stops the stream parser at once, where the tree
 * parser may first find the document malformed (billion laughs: "entity
 * reference loop"): both refuse it.
 */
static int
same_error(const char *a, const char *b)
{
	static const char wf[] = "EPP document is not well-formed XML";
	static const char dt[] = "EPP document carries a DOCTYPE";

	if (strncmp(a, wf, sizeof(wf) - 1) == 0 &&
	    (strncmp(b, wf, sizeof(wf) - 1) == 0 ||
	    strncmp(b, dt, sizeof(dt) - 1) == 0))
		return 1;
	return strcmp(a, b) == 0;
}

static void
same_strv(const char *what, const char *name, const struct epp_strv *a,
    const struct epp_strv *b)
{
	size_t i;

	ck_assert_msg(a->n == b->n, "%s: %s: %zu vs %zu entries", what, name,
	    a->n, b->n);
	for (i = 0; i < a->n; i++)
		ck_assert_msg(strcmp(a->v[i], b->v[i]) == 0,
		    "%s: %s[%zu]: '%s' vs '%s'", what, name, i, a->v[i],
		    b->v[i]);
}

static void
same_owner(const char *what, const uint8_t *wa, size_t la, const char *ta,
    const uint8_t *wb, size_t lb, const char *tb)
{
	ck_assert_msg(la == lb && memcmp(wa, wb, la) == 0, "%s: owner", what);
	ck_assert_msg((ta == NULL) == (tb == NULL) &&
	    (ta == NULL || strcmp(ta, tb) == 0), "%s: owner text", what);
}

static void
same_info(const char *what, const struct epp_domain_info *a,
    const struct epp_domain_info *b)
{
	size_t i;

	ck_assert_msg((a == NULL) == (b == NULL), "%s: info %p vs %p", what,
	    (void *)a, (void *)b);
	if (a == NULL)
		return;
	ck_assert_msg(strcmp(a->name, b->name) == 0, "%s: name '%s' vs '%s'",
	    what, a->name, b->name);
	ck_assert_msg(strcmp(a->roid, b->roid) == 0, "%s: roid", what);
	ck_assert_msg(strcmp(a->clid, b->clid) == 0, "%s: clID", what);
	same_strv(what, "statuses", &a->statuses, &b->statuses);
	same_strv(what, "ns", &a->ns, &b->ns);
	ck_assert_msg(a->secdns == b->secdns, "%s: secdns", what);
	ck_assert_msg(a->max_sig_life == b->max_sig_life, "%s: maxSigLife",
	    what);
	ck_assert_msg(a->key_interface == b->key_interface, "%s: keyData only",
	    what);
	ck_assert_msg(a->ds.n == b->ds.n, "%s: %zu vs %zu DS", what, a->ds.n,
	    b->ds.n);
	for (i = 0; i < a->ds.n; i++) {
		const struct ds_rec *x = a->ds.v[i], *y = b->ds.v[i];

		ck_assert_msg(x->key_tag == y->key_tag &&
		    x->algorithm == y->algorithm &&
		    x->digest_type == y->digest_type &&
		    x->digest_len == y->digest_len &&
		    memcmp(x->digest, y->digest, x->digest_len) == 0,
		    "%s: DS %zu", what, i);
		same_owner(what, x->owner, x->owner_len, x->owner_text,
		    y->owner, y->owner_len, y->owner_text);
	}
	ck_assert_msg(a->keys.n == b->keys.n, "%s: %zu vs %zu keys", what,
	    a->keys.n, b->keys.n);
	for (i = 0; i < a->keys.n; i++) {
		const struct ds_key *x = a->keys.v[i], *y = b->keys.v[i];

		ck_assert_msg(x->flags == y->flags &&
		    x->protocol == y->protocol &&
		    x->algorithm == y->algorithm && x->key_tag == y->key_tag &&
		    x->rdata_len == y->rdata_len &&
		    memcmp(x->rdata, y->rdata, x->rdata_len) == 0,
		    "%s: key %zu", what, i);
		same_owner(what, x->owner, x->owner_len, x->owner_text,
		    y->owner, y->owner_len, y->owner_text);
	}
}

static void
same_outcome(const char *what, const struct outcome *a,
    const struct outcome *b)
{
	ck_assert_msg(a->rc == b->rc, "%s: rc %d (%s) vs %d (%s)", what, a->rc,
	    a->err, b->rc, b->err);
	if (a->rc != 0) {
		ck_assert_msg(a->err_code == b->err_code, "%s: error code",
		    what);
		ck_assert_msg(same_error(a->err, b->err), "%s: '%s' vs '%s'",
		    what, a->err, b->err);
	}
	ck_assert_msg(a->res.code == b->res.code, "%s: code %d vs %d", what,
	    a->res.code, b->res.code);
	ck_assert_msg(a->res.cls == b->res.cls, "%s: class", what);
	ck_assert_msg(strcmp(a->res.msg, b->res.msg) == 0,
	    "%s: msg '%s' vs '%s'", what, a->res.msg, b->res.msg);
	ck_assert_msg(strcmp(a->res.reason, b->res.reason) == 0,
	    "%s: reason '%s' vs '%s'", what, a->res.reason, b->res.reason);
	ck_assert_msg(strcmp(a->res.cltrid, b->res.cltrid) == 0,
	    "%s: clTRID '%s' vs '%s'", what, a->res.cltrid, b->res.cltrid);
	ck_assert_msg(strcmp(a->res.svtrid, b->res.svtrid) == 0,
	    "%s: svTRID '%s' vs '%s'", what, a->res.svtrid, b->res.svtrid);
	ck_assert_msg(a->res.attempts == b->res.attempts &&
	    a->res.recovered == b->res.recovered, "%s: counters", what);
	same_info(what, a->info, b->info);
}

/*
 * Both parsers on one document: domain:info through a reused stream
 * parser and through the one-shot API, and the result-only parse.
 */
static void
compare(struct epp_sax *p, const char *what, const char *xml, size_t len)
{
	struct outcome t, s, o;
	struct epp_result rt, rs;
	struct dsreg_err et, es;
	int ct, cs;

	tree_info(xml, len, &t);
	sax_info(p, xml, len, &s);
	same_outcome(what, &t, &s);
	memset(&o, 0, sizeof(o));
	dsreg_err_clear(&es);
	o.rc = epp_domain_info_parse(xml, len, &o.info, &o.res, &es);
	o.err_code = es.code;
	snprintf(o.err, sizeof(o.err), "%s", es.msg);
	same_outcome(what, &t, &o);
	outcome_free(&t);
	outcome_free(&s);
	outcome_free(&o);

	dsreg_err_clear(&et);
	dsreg_err_clear(&es);
	ct = epp_tree_result_parse(xml, len, &rt, &et);
	cs = epp_response_parse_result(xml, len, &rs, &es);
	ck_assert_msg(ct == cs, "%s: result rc %d (%s) vs %d (%s)", what, ct,
	    et.msg, cs, es.msg);
	if (ct != 0)
		ck_assert_msg(same_error(et.msg, es.msg), "%s: '%s' vs '%s'",
		    what, et.msg, es.msg);
	ck_assert_msg(rt.code == rs.code && strcmp(rt.msg, rs.msg) == 0 &&
	    strcmp(rt.reason, rs.reason) == 0 &&
	    strcmp(rt.cltrid, rs.cltrid) == 0 &&
	    strcmp(rt.svtrid, rs.svtrid) == 0, "%s: result", what);
}

static void
compare_str(struct epp_sax *p, const char *what, const char *xml)
{
	compare(p, what, xml, strlen(xml));
}

/* An RFC example from fixtures/epp/examples. */
static void
load(const char *name, struct dsreg_buf *b)
{
	unit_read_fixture(EXAMPLES, name, EPP_FRAME_MAX, b);
}

/* Every RFC example (responses, greetings and commands), whole. */
START_TEST(every_example)
{
	struct dirent **names;
	struct dsreg_buf b;
	struct epp_sax *p;
	int n, i, infos = 0;

	ck_assert_int_eq(epp_sax_new(&p), 0);
	n = scandir(EXAMPLES, &names, NULL, alphasort);
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++) {
		if (strncmp(names[i]->d_name, "rfc", 3) == 0) {
			load(names[i]->d_name, &b);
			compare(p, names[i]->d_name, b.data, b.len);
			if (strstr(b.data, "<domain:infData") != NULL)
				infos++;
			dsreg_buf_free(&b);
		}
		free(names[i]);
	}
	free(names);
	ck_assert_int_eq(infos, 7);
	epp_sax_free(p);
}
END_TEST

/* Every prefix of the richest examples: truncated frames, each way. */
START_TEST(every_truncation)
{
	static const char *files[] = { "rfc5910-s02.xml", "rfc4310-s02.xml",
	    "rfc5730-s04.xml" };
	struct dsreg_buf b;
	struct epp_sax *p;
	char what[64];
	size_t f, cut;

	ck_assert_int_eq(epp_sax_new(&p), 0);
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		load(files[f], &b);
		for (cut = 0; cut <= b.len; cut++) {
			snprintf(what, sizeof(what), "%s cut at %zu", files[f],
			    cut);
			compare(p, what, b.data, cut);
		}
		dsreg_buf_free(&b);
	}
	epp_sax_free(p);
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

/* Odd but well-formed documents: order, repetition, nesting, escapes. */
static const char *odd[] = {
	HEAD OK DINF NAME DEND S11 DS("1", "AB") SEND TAIL,
	/* trID, extension and resData in reverse order */
	HEAD OK TAIL,
	"<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response><trID>"
	"<svTRID>s</svTRID><clTRID>c</clTRID><svTRID>t</svTRID></trID>"
	S11 DS("2", "CD") SEND DINF NAME DEND OK "</response></epp>",
	/* two names, two msgs, two trIDs: the first of each counts */
	HEAD "<result code=\"1000\"><msg>one</msg><msg>two</msg></result>"
	DINF "<domain:name>first.example</domain:name><domain:name>second"
	"</domain:name>" DEND "<trID><svTRID>a</svTRID></trID><trID><svTRID>"
	"b</svTRID></trID></response></epp>",
	/* several results with reasons, extValue without reason */
	HEAD "<result code=\"2004\"><msg>range</msg><extValue><value>x"
	"</value><reason>r1</reason><reason>r1b</reason></extValue>"
	"<extValue><value/></extValue><extValue><reason>  </reason>"
	"</extValue></result><result code=\"2005\"><extValue><reason>r2"
	"</reason></extValue><msg>syntax</msg></result><result><msg>nocode"
	"</msg></result><result code=\"20050000000\"><msg>long</msg>"
	"</result>" TAIL,
	/* text split by comments, CDATA, PIs, character and entity refs */
	HEAD "<result code=\"1000\"><msg> a<!-- c -->b<![CDATA[<c>]]>&amp;"
	"&#x41;<?pi x?>d </msg></result>" DINF "<domain:name>x<b>y</b>z."
	"example</domain:name><domain:roid>R&lt;1</domain:roid>"
	"<domain:status s=\"a&amp;b&#38;c&quot;&lt;\"/><domain:status/>"
	"<domain:status x:s=\"ns\" s=\"plain\" xmlns:x=\"urn:x\"/>" DEND TAIL,
	/* elements in the wrong namespace are not read */
	HEAD "<result code=\"1000\"><msg>ok</msg></result><resData>"
	"<infData xmlns=\"urn:ietf:params:xml:ns:domain-1.0\"><name>n.example"
	"</name><roid xmlns=\"urn:other\">x</roid><clID>c</clID></infData>"
	"</resData>" TAIL,
	HEAD OK "<resData><domain:infData xmlns:domain=\"urn:wrong\">"
	"<domain:name>a</domain:name></domain:infData></resData>" TAIL,
	/* name servers: hostObj and hostAttr, empty and odd ones */
	HEAD OK DINF NAME "<domain:ns><domain:hostObj> ns1.example "
	"</domain:hostObj><domain:hostAttr><domain:hostAddr>1.2.3.4"
	"</domain:hostAddr></domain:hostAttr><domain:hostAttr><domain:hostName>"
	"ns2</domain:hostName><domain:hostName>ns3</domain:hostName>"
	"</domain:hostAttr><domain:hostObj/><domain:other>x</domain:other>"
	"</domain:ns><domain:ns><domain:hostObj>late</domain:hostObj>"
	"</domain:ns>" DEND TAIL,
	/* keyData before dsData, maxSigLife last, nested keyData */
	HEAD OK DINF NAME DEND S11 KEY("257") "<secDNS:dsData><secDNS:keyTag>"
	"7</secDNS:keyTag><secDNS:alg>13</secDNS:alg><secDNS:digestType>2"
	"</secDNS:digestType><secDNS:digest>ab cd</secDNS:digest>"
	KEY("256") KEY("1") "</secDNS:dsData><secDNS:maxSigLife>99"
	"</secDNS:maxSigLife><secDNS:maxSigLife>5</secDNS:maxSigLife>" SEND
	TAIL,
	/* secDNS-1.0: maxSigLife in dsData, keyData at the top ignored */
	HEAD OK DINF NAME DEND S10 KEY("257") "<secDNS:maxSigLife>7"
	"</secDNS:maxSigLife><secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag>"
	"<secDNS:alg>13</secDNS:alg><secDNS:digestType>2</secDNS:digestType>"
	"<secDNS:digest>AB</secDNS:digest><secDNS:maxSigLife>60"
	"</secDNS:maxSigLife>" KEY("257") "</secDNS:dsData>" DS("2", "CD")
	SEND TAIL,
	/* two secDNS blocks (1.1 then 1.0), one unknown infData between */
	HEAD OK DINF NAME DEND "<extension><secDNS:infData xmlns:secDNS=\""
	"urn:ietf:params:xml:ns:secDNS-1.1\">" DS("1", "AB")
	"<secDNS:maxSigLife>30</secDNS:maxSigLife></secDNS:infData>"
	"<x:infData xmlns:x=\"urn:x\"/><secDNS:infData xmlns:secDNS=\"urn:"
	"ietf:params:xml:ns:secDNS-1.0\">" DS("2", "CD") SEND TAIL,
	/* error result with infData: not read */
	HEAD "<result code=\"2303\"><msg>no</msg></result>" DINF DEND TAIL,
	/* greeting and response together: a greeting */
	"<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><response>" OK
	"</response><greeting><svID>x</svID></greeting></epp>",
	/* response not at the top */
	"<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><x><response>" OK
	"</response></x></epp>",
	/* a second response is not read */
	HEAD OK "</response><response><result code=\"2400\"/></response></epp>",
	/* owner names that are not plain host names */
	HEAD OK DINF "<domain:name>a\\.b.example.</domain:name>" DEND S11
	DS("1", "AB") SEND TAIL,
	HEAD OK DINF "<domain:name>a..b</domain:name>" DEND S11 DS("1", "AB")
	SEND TAIL,
	/* encodings and byte order marks */
	"\xef\xbb\xbf" HEAD OK DINF NAME DEND TAIL,
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" HEAD
	"<result code=\"1000\"><msg>caf\xe9</msg></result>" DINF
	"<domain:name>\xe9.example</domain:name>" DEND TAIL,
	/* deep nesting around what is read */
	HEAD OK DINF NAME "<domain:ns><a><b><c><d><e><f><g><h><i><j><k><l><m>"
	"<n><o><p><q><r>x</r></q></p></o></n></m></l></k></j></i></h></g></f>"
	"</e></d></c></b></a></domain:ns>" DEND TAIL,
	/* bad values, each where the tree path meets it */
	HEAD OK DINF NAME DEND S11 DS("1", "AB") DS("x", "AB") SEND TAIL,
	HEAD OK DINF NAME DEND S11 DS("1", "ABC") SEND TAIL,
	HEAD OK DINF NAME DEND S11 DS("1", "AB") "<secDNS:maxSigLife>x"
	"</secDNS:maxSigLife>" SEND TAIL,
	HEAD OK DINF DEND S11 DS("1", "AB") SEND TAIL,
	HEAD OK DINF "<domain:name> </domain:name>" DEND TAIL,
	HEAD OK "<resData/>" TAIL,
	HEAD "<result code=\" 1000\"><msg>x</msg></result>" TAIL,
	HEAD "<result code=\"1000&amp;\"><msg>x</msg></result>" TAIL,
	HEAD "</response></epp>",
	"<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"/>",
	"<epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\"><command/></epp>",
	"<x:epp xmlns:x=\"urn:ietf:params:xml:ns:epp-1.0\"><x:response>"
	"<x:result code=\"1001\"><x:msg>prefixed</x:msg></x:result>"
	"</x:response></x:epp>",
};

START_TEST(odd_documents)
{
	struct epp_sax *p;
	char what[32];

	ck_assert_int_eq(epp_sax_new(&p), 0);
	snprintf(what, sizeof(what), "odd[%d]", _i);
	compare_str(p, what, odd[_i]);
	epp_sax_free(p);
}
END_TEST

/* Refused documents; the parser stays usable after each. */
static const char *hostile[] = {
	"<?xml version=\"1.0\"?><!DOCTYPE epp [<!ENTITY x SYSTEM "
	"\"file:///etc/passwd\">]>" HEAD "<result code=\"1000\"><msg>&x;"
	"</msg></result>" TAIL,
	"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
	"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;"
	"&b;&b;&b;&b;&b;&b;&b;\">]>" HEAD "<result code=\"1000\"><msg>&c;"
	"</msg></result>" TAIL,
	"<!DOCTYPE epp SYSTEM \"http://example.invalid/epp.dtd\">" HEAD OK TAIL,
	"<!-- c --><!DOCTYPE epp>" HEAD OK TAIL,
	HEAD "<result code=\"1000\"><msg>&undefined;</msg></result>" TAIL,
	HEAD "<result code=\"1000\" code=\"1001\"><msg>x</msg></result>" TAIL,
	HEAD OK "<x:y/>" TAIL,
	HEAD OK "</resData>" TAIL,
	"<html/>",
	"<epp xmlns=\"urn:x\"><response/></epp>",
	HEAD "</response></epp><epp/>",
	"",
	" ",
	"\xff\xfe<\0e\0",
	HEAD "<result code=\"1000\"><msg>\x80</msg></result>" TAIL,
};

START_TEST(hostile_documents)
{
	struct epp_sax *p;
	char what[32];

	ck_assert_int_eq(epp_sax_new(&p), 0);
	snprintf(what, sizeof(what), "hostile[%d]", _i);
	compare_str(p, what, hostile[_i]);
	/* the same parser reads a good answer next */
	compare_str(p, "after hostile", odd[0]);
	epp_sax_free(p);
}
END_TEST

/* NUL bytes end the document for the tree parser; UTF-16 has them inside. */
START_TEST(nul_bytes_and_utf16)
{
	static const char after[] = HEAD OK DINF NAME DEND TAIL "\0\0<x>&";
	static const char inside[] = HEAD OK DINF "<domain:name>a\0b"
	    "</domain:name>" DEND TAIL;
	static const char before[] = "\0" HEAD OK TAIL;
	struct dsreg_buf b, u;
	struct epp_sax *p;
	size_t i;

	ck_assert_int_eq(epp_sax_new(&p), 0);
	compare(p, "NUL after the root", after, sizeof(after) - 1);
	compare(p, "NUL inside", inside, sizeof(inside) - 1);
	compare(p, "NUL first", before, sizeof(before) - 1);
	/* the richest example in UTF-16LE with a byte order mark */
	load("rfc5910-s02.xml", &b);
	dsreg_buf_init(&u, EPP_FRAME_MAX);
	dsreg_buf_append(&u, "\xff\xfe", 2);
	for (i = 0; i < b.len; i++) {
		dsreg_buf_append(&u, b.data + i, 1);
		dsreg_buf_append(&u, "", 1);
	}
	compare(p, "UTF-16LE", u.data, u.len);
	dsreg_buf_free(&u);
	dsreg_buf_free(&b);
	epp_sax_free(p);
}
END_TEST

/* Text longer than the kept lengths; lists and sets over their caps. */
START_TEST(caps)
{
	struct dsreg_buf b;
	struct epp_sax *p;
	char what[64];
	int i, k;

	ck_assert_int_eq(epp_sax_new(&p), 0);
	for (k = 0; k < 12; k++) {
		dsreg_buf_init(&b, EPP_FRAME_MAX);
		dsreg_buf_appends(&b, HEAD "<result code=\"1000\"><msg>");
		for (i = 0; i < (k == 0 ? 700 : 3); i++)
			dsreg_buf_appends(&b, i % 50 == 49 ? " " : "m");
		dsreg_buf_appends(&b, "</msg></result>" DINF "<domain:name>");
		for (i = 0; i < (k == 1 ? 300 : 1); i++)
			dsreg_buf_appends(&b, "n");
		dsreg_buf_appends(&b, "</domain:name><domain:roid>");
		for (i = 0; i < (k == 2 ? 200 : 1); i++)
			dsreg_buf_appends(&b, "r");
		dsreg_buf_appends(&b, "</domain:roid>");
		for (i = 0; i < (k == 3 ? 257 : k == 4 ? 256 : 2); i++)
			dsreg_buf_printf(&b, "<domain:status s=\"s%d\"/>", i);
		dsreg_buf_appends(&b, "<domain:ns>");
		for (i = 0; i < (k == 5 ? 300 : 2); i++)
			dsreg_buf_printf(&b, "<domain:hostObj>h%d</domain:hostObj>",
			    i);
		dsreg_buf_appends(&b, "</domain:ns>" DEND "<extension>");
		for (i = 0; i < (k == 6 ? 20 : k == 7 ? 16 : 1); i++)
			dsreg_buf_appends(&b, "<secDNS:infData xmlns:secDNS=\"urn:"
			    "ietf:params:xml:ns:secDNS-1.1\">" DS("1", "AB")
			    "</secDNS:infData>");
		dsreg_buf_appends(&b, "<secDNS:infData xmlns:secDNS=\"urn:ietf:"
		    "params:xml:ns:secDNS-1.1\">");
		for (i = 0; i < (k == 8 ? 300 : k == 9 ? 240 : 1); i++)
			dsreg_buf_appends(&b, DS("5", "ABCD"));
		for (i = 0; i < (k == 10 ? 300 : k == 9 ? 20 : 1); i++)
			dsreg_buf_appends(&b, KEY("257"));
		if (k == 11) {
			dsreg_buf_appends(&b, "<secDNS:dsData><secDNS:keyTag>1"
			    "</secDNS:keyTag><secDNS:alg>1</secDNS:alg>"
			    "<secDNS:digestType>1</secDNS:digestType>"
			    "<secDNS:digest>");
			for (i = 0; i < 140; i++)
				dsreg_buf_appends(&b, "A");
			dsreg_buf_appends(&b, "</secDNS:digest></secDNS:dsData>");
		}
		dsreg_buf_appends(&b, SEND "<trID><clTRID>");
		for (i = 0; i < 80; i++)
			dsreg_buf_appends(&b, "t");
		dsreg_buf_appends(&b, "</clTRID></trID></response></epp>");
		snprintf(what, sizeof(what), "caps %d", k);
		compare(p, what, b.data, b.len);
		dsreg_buf_free(&b);
	}
	epp_sax_free(p);
}
END_TEST

static Suite *
epp_sax_suite(void)
{
	Suite *s = suite_create("epp_sax");
	TCase *tc = tcase_create("sax");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_example);
	tcase_add_test(tc, every_truncation);
	tcase_add_loop_test(tc, odd_documents, 0,
	    (int)(sizeof(odd) / sizeof(odd[0])));
	tcase_add_loop_test(tc, hostile_documents, 0,
	    (int)(sizeof(hostile) / sizeof(hostile[0])));
	tcase_add_test(tc, nul_bytes_and_utf16);
	tcase_add_test(tc, caps);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(epp_sax_suite)
