/* tests/unit/test_epp_command.c - epp/command.c, secdns.c building: every command validates against the XSDs */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "epp/epp.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>

static xmlSchemaPtr schema;

static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
load_schema(void)
{
	xmlSchemaParserCtxtPtr pc;

	xmlSetGenericErrorFunc(NULL, quiet);
	pc = xmlSchemaNewParserCtxt("fixtures/epp/all.xsd");
	ck_assert_ptr_nonnull(pc);
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	ck_assert_msg(schema != NULL, "fixtures/epp/all.xsd does not load");
}

static void
free_schema(void)
{
	xmlSchemaFree(schema);
	schema = NULL;
}

/* 0 if xml validates against epp-1.0 + domain-1.0 + secDNS-1.1/1.0. */
static int
validate(const char *xml, size_t len)
{
	xmlSchemaValidCtxtPtr vc;
	xmlDocPtr doc;
	int rc;

	doc = xmlReadMemory(xml, (int)len, "cmd.xml", NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return -1;
	vc = xmlSchemaNewValidCtxt(schema);
	xmlSchemaSetValidErrors(vc, quiet, quiet, NULL);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlFreeDoc(doc);
	return rc;
}

#define VALID(b) ck_assert_msg(validate((b)->data, (b)->len) == 0, \
	"does not validate: %s", (b)->data)

static struct ds_rec *
mkds(uint16_t tag, uint8_t fill)
{
	uint8_t d[32];
	struct ds_rec *ds;

	memset(d, fill, sizeof(d));
	ck_assert_int_eq(ds_rec_new(&ds, NULL, 0, tag, 13, 2, d, sizeof(d),
	    NULL), 0);
	return ds;
}

static struct ds_key *
mkkey(uint8_t fill)
{
	uint8_t owner[DS_NAME_WIRE_MAX], rdata[68];
	size_t olen;
	struct ds_key *key;

	ck_assert_int_eq(ds_name_from_text("a.example.", owner, &olen, NULL),
	    0);
	rdata[0] = 1;
	rdata[1] = 1;
	rdata[2] = 3;
	rdata[3] = 13;
	memset(rdata + 4, fill, 64);
	ck_assert_int_eq(ds_key_new(&key, owner, olen, rdata, sizeof(rdata),
	    NULL), 0);
	return key;
}

START_TEST(session_commands_validate)
{
	struct dsreg_buf b;
	struct dsreg_err err;
	static const enum epp_secdns vers[] = { EPP_SECDNS_11, EPP_SECDNS_10,
		EPP_SECDNS_NONE };
	size_t i;

	dsreg_buf_init(&b, EPP_FRAME_MAX);
	ck_assert_int_eq(epp_build_hello(&b), 0);
	VALID(&b);
	for (i = 0; i < 3; i++) {
		dsreg_buf_reset(&b);
		ck_assert_int_eq(epp_build_login(&b, "ClientX", "foo-BAR2&<",
		    vers[i], "ABC-12345", &err), 0);
		VALID(&b);
		ck_assert_ptr_nonnull(strstr(b.data,
		    "<svcs><objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>"));
		ck_assert_ptr_null(strstr(strstr(b.data, "</objURI>") + 1,
		    "<objURI>"));
		/* only domain-1.0 and at most the one secDNS version */
		ck_assert_ptr_null(strstr(b.data, "host-1.0"));
		ck_assert(strstr(b.data, "secDNS-1.1") == NULL ||
		    strstr(b.data, "secDNS-1.0") == NULL);
	}
	dsreg_buf_reset(&b);
	ck_assert_int_eq(epp_build_logout(&b, "ABC-12346"), 0);
	VALID(&b);
	dsreg_buf_reset(&b);
	ck_assert_int_eq(epp_build_domain_info(&b, "example.com.",
	    "ABC-12347", &err), 0);
	VALID(&b);
	ck_assert_ptr_nonnull(strstr(b.data, ">example.com</domain:name>"));
	/* byte for byte, with everything that needs escaping */
	dsreg_buf_reset(&b);
	ck_assert_int_eq(epp_build_domain_info(&b, "ex&<>\"ample.com.",
	    "A&B-1", &err), 0);
	ck_assert_str_eq(b.data, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
	    "standalone=\"no\"?><epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">"
	    "<command><info><domain:info xmlns:domain=\"urn:ietf:params:xml:"
	    "ns:domain-1.0\"><domain:name>ex&amp;&lt;&gt;&quot;ample.com"
	    "</domain:name></domain:info></info><clTRID>A&amp;B-1</clTRID>"
	    "</command></epp>");
	dsreg_buf_free(&b);
}
END_TEST

START_TEST(bad_arguments)
{
	struct dsreg_buf b;
	struct dsreg_err err;

	dsreg_buf_init(&b, EPP_FRAME_MAX);
	ck_assert_int_eq(epp_build_login(&b, "XY", "foo-BAR2",
	    EPP_SECDNS_11, "ABC-1", &err), DSREG_EINVAL);
	ck_assert_int_eq(epp_build_login(&b, "ClientX", "short",
	    EPP_SECDNS_11, "ABC-1", &err), DSREG_EINVAL);
	ck_assert_ptr_null(strstr(err.msg, "short"));  /* never echoed */
	ck_assert_int_eq(epp_build_login(&b, "ClientX", " leading1",
	    EPP_SECDNS_11, "ABC-1", &err), DSREG_EINVAL);
	ck_assert_int_eq(epp_build_domain_info(&b, "a b.example", "ABC-1",
	    &err), DSREG_EINVAL);
	ck_assert_int_eq(epp_build_domain_info(&b, "", "ABC-1", &err),
	    DSREG_EINVAL);
	/* XML 1.0 §2.2 has no C0 controls but TAB, LF, CR: a password,
	 * client ID or clTRID with one is refused, the octet named, the
	 * password never shown */
	dsreg_buf_reset(&b);
	ck_assert_int_eq(epp_build_login(&b, "ClientX", "pw\x01secret",
	    EPP_SECDNS_11, "ABC-1", &err), DSREG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "control character 0x01"));
	ck_assert_ptr_null(strstr(err.msg, "secret"));
	ck_assert_int_eq(epp_build_login(&b, "Client\x1b", "foo-BAR2",
	    EPP_SECDNS_11, "ABC-1", &err), DSREG_EINVAL);
	ck_assert_int_eq(epp_build_domain_info(&b, "example.com", "ABC\x7f\x02",
	    &err), DSREG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "control character 0x02"));
	ck_assert_int_ne(epp_build_logout(&b, "ABC\x03"), 0);
	dsreg_buf_free(&b);
}
END_TEST

/* One update case: the change, version, interface, current state, what must appear. */
struct ucase {
	const char *name;
	enum epp_secdns ver;
	enum epp_iface iface;
	int rem_all, add_ds, rem_ds, add_keys, rem_keys, urgent;
	uint32_t life;
	int cur_ds;          /* current DS: 0 none, 1 tag 1111, 2 tags 1111 twice (two digests) + 2222 */
	int rc;
	const char *want;    /* substring of the command (NULL: none) */
	const char *not;     /* must not appear */
};

static const struct ucase ucases[] = {
	{ "11-add", EPP_SECDNS_11, EPP_IFACE_DS, 0, 2, 0, 0, 0, 0, 0, 0, 0,
	  "<secDNS:add><secDNS:dsData><secDNS:keyTag>1111<", "<secDNS:rem>" },
	{ "11-rem", EPP_SECDNS_11, EPP_IFACE_DS, 0, 0, 1, 0, 0, 0, 0, 0, 0,
	  "<secDNS:rem><secDNS:dsData>", "<secDNS:add>" },
	{ "11-rem-add-urgent", EPP_SECDNS_11, EPP_IFACE_DS, 0, 1, 1, 0, 0, 1,
	  0, 0, 0, "urgent=\"true\"><secDNS:rem>", NULL },
	{ "11-rem-all", EPP_SECDNS_11, EPP_IFACE_DS, 1, 0, 0, 0, 0, 0, 0, 0, 0,
	  "<secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>", NULL },
	{ "11-rem-all-add", EPP_SECDNS_11, EPP_IFACE_DS, 1, 1, 0, 0, 0, 0, 0,
	  0, 0, "</secDNS:rem><secDNS:add>", NULL },
	{ "11-life", EPP_SECDNS_11, EPP_IFACE_DS, 0, 0, 0, 0, 0, 0, 604800, 0,
	  0, "<secDNS:chg><secDNS:maxSigLife>604800<", NULL },
	{ "11-add-life", EPP_SECDNS_11, EPP_IFACE_DS, 0, 1, 0, 0, 0, 0, 3600,
	  0, 0, "</secDNS:add><secDNS:chg>", NULL },
	{ "11-key-add", EPP_SECDNS_11, EPP_IFACE_KEY, 0, 0, 0, 1, 0, 0, 0, 0,
	  0, "<secDNS:add><secDNS:keyData><secDNS:flags>257<", "dsData" },
	{ "11-key-rem-add", EPP_SECDNS_11, EPP_IFACE_KEY, 0, 0, 0, 1, 1, 0, 0,
	  0, 0, "<secDNS:rem><secDNS:keyData>", "dsData" },
	{ "11-key-rem-all-add", EPP_SECDNS_11, EPP_IFACE_KEY, 1, 0, 0, 1, 0,
	  0, 0, 0, 0, "<secDNS:all>true</secDNS:all>", NULL },
	{ "10-add", EPP_SECDNS_10, EPP_IFACE_DS, 0, 2, 0, 0, 0, 0, 0, 0, 0,
	  "secDNS-1.0\"><secDNS:add><secDNS:dsData>", NULL },
	{ "10-add-life", EPP_SECDNS_10, EPP_IFACE_DS, 0, 1, 0, 0, 0, 0, 86400,
	  0, 0, "</secDNS:digest><secDNS:maxSigLife>86400<", NULL },
	{ "10-rem-by-tag", EPP_SECDNS_10, EPP_IFACE_DS, 0, 0, 1, 0, 0, 0, 0, 1,
	  0, "<secDNS:rem><secDNS:keyTag>1111</secDNS:keyTag></secDNS:rem>",
	  "<secDNS:chg>" },
	/* removing one of two DS sharing a tag must keep the other: chg */
	{ "10-rem-shared-tag", EPP_SECDNS_10, EPP_IFACE_DS, 0, 0, 1, 0, 0, 0,
	  0, 2, 0, "<secDNS:chg>", "<secDNS:rem>" },
	{ "10-rem-all", EPP_SECDNS_10, EPP_IFACE_DS, 1, 0, 0, 0, 0, 0, 0, 2, 0,
	  "<secDNS:keyTag>1111</secDNS:keyTag><secDNS:keyTag>2222<", NULL },
	{ "10-rem-add", EPP_SECDNS_10, EPP_IFACE_DS, 0, 1, 1, 0, 0, 0, 0, 1, 0,
	  "<secDNS:chg><secDNS:dsData><secDNS:keyTag>1111<", NULL },
	{ "10-rem-absent", EPP_SECDNS_10, EPP_IFACE_DS, 0, 0, 1, 0, 0, 0, 0, 0,
	  DSREG_ENOTFOUND, NULL, NULL },
	{ "10-rem-no-cur", EPP_SECDNS_10, EPP_IFACE_DS, 0, 0, 1, 0, 0, 0, 0,
	  -1, DSREG_EINVAL, NULL, NULL },
	{ "10-keys", EPP_SECDNS_10, EPP_IFACE_KEY, 0, 0, 0, 1, 0, 0, 0, 0,
	  DSREG_EINVAL, NULL, NULL },
	{ "11-ds-iface-keys", EPP_SECDNS_11, EPP_IFACE_DS, 0, 0, 0, 1, 0, 0, 0,
	  0, DSREG_EINVAL, NULL, NULL },
	{ "11-key-iface-ds", EPP_SECDNS_11, EPP_IFACE_KEY, 0, 1, 0, 0, 0, 0, 0,
	  0, DSREG_EINVAL, NULL, NULL },
	{ "11-nothing", EPP_SECDNS_11, EPP_IFACE_DS, 0, 0, 0, 0, 0, 0, 0, 0,
	  DSREG_ENOTFOUND, NULL, NULL },
	{ "none", EPP_SECDNS_NONE, EPP_IFACE_DS, 0, 1, 0, 0, 0, 0, 0, 0,
	  DSREG_EUNSUPPORTED, NULL, NULL },
};

START_TEST(update_commands)
{
	const struct ucase *u = &ucases[_i];
	struct epp_secdns_change chg;
	struct epp_domain_info cur;
	struct dsreg_buf b;
	struct dsreg_err err;
	int i, rc;

	memset(&chg, 0, sizeof(chg));
	memset(&cur, 0, sizeof(cur));
	dsreg_buf_init(&b, EPP_FRAME_MAX);
	chg.rem_all = u->rem_all;
	chg.urgent = u->urgent;
	chg.max_sig_life = u->life;
	/* removals take tag 1111 (digest 0x11), additions 3333.. */
	for (i = 0; i < u->rem_ds; i++)
		ck_assert_int_eq(ds_set_add(&chg.rem_ds, mkds(1111, 0x11)), 0);
	for (i = 0; i < u->add_ds; i++)
		ck_assert_int_eq(ds_set_add(&chg.add_ds,
		    mkds((uint16_t)(3333 + i), (uint8_t)(0x33 + i))), 0);
	if (strcmp(u->name, "11-add") == 0)   /* tag order as given */
		chg.add_ds.v[0]->key_tag = 1111;
	for (i = 0; i < u->rem_keys; i++)
		ck_assert_int_eq(ds_keyset_add(&chg.rem_keys, mkkey(0x44)), 0);
	for (i = 0; i < u->add_keys; i++)
		ck_assert_int_eq(ds_keyset_add(&chg.add_keys,
		    mkkey((uint8_t)(0x55 + i))), 0);
	if (strcmp(u->name, "10-rem-add") == 0)
		chg.add_ds.v[0]->key_tag = 1111;   /* replaces under same tag */
	if (u->cur_ds >= 1)
		ck_assert_int_eq(ds_set_add(&cur.ds, mkds(1111, 0x11)), 0);
	if (u->cur_ds >= 2) {
		struct ds_rec *d = mkds(1111, 0x12);   /* same tag, SHA-384 */

		d->digest_type = 4;
		d->digest_len = 48;
		memset(d->digest, 0x12, 48);
		ck_assert_int_eq(ds_set_add(&cur.ds, d), 0);
		ck_assert_int_eq(ds_set_add(&cur.ds, mkds(2222, 0x22)), 0);
	}
	rc = epp_build_domain_update(&b, "a.example", &chg, u->ver, u->iface,
	    u->cur_ds < 0 ? NULL : &cur, "ABC-12345", &err);
	ck_assert_msg(rc == u->rc, "%s: rc %d (%s)", u->name, rc,
	    dsreg_err_text(&err));
	if (rc == 0) {
		ck_assert_msg(validate(b.data, b.len) == 0, "%s: does not "
		    "validate: %s", u->name, b.data);
		if (u->want != NULL)
			ck_assert_msg(strstr(b.data, u->want) != NULL,
			    "%s: no '%s' in %s", u->name, u->want, b.data);
		if (u->not != NULL)
			ck_assert_msg(strstr(b.data, u->not) == NULL,
			    "%s: '%s' in %s", u->name, u->not, b.data);
	}
	epp_secdns_change_free(&chg);
	ds_set_free(&cur.ds);
	dsreg_buf_free(&b);
}
END_TEST

/* Schema sanity: the RFC client examples validate (except obj placeholders). */
START_TEST(rfc_client_examples_validate)
{
	struct dirent **names;
	struct dsreg_buf b;
	struct dsreg_err err;
	char path[512];
	int n, i, checked = 0;

	n = scandir("fixtures/epp/examples", &names, NULL, alphasort);
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++) {
		const char *f = names[i]->d_name;

		snprintf(path, sizeof(path), "fixtures/epp/examples/%s", f);
		if (strstr(f, "-c") != NULL) {
			dsreg_buf_init(&b, EPP_FRAME_MAX);
			ck_assert_int_eq(dsreg_buf_read_file(&b, path, &err), 0);
			/* RFC 5730 uses the placeholder "obj" namespace; RFC
			 * 5910 §5.2.5's last example is erratum 2354-like
			 * (secDNS-1.0 with rem/all). */
			if (strstr(b.data, "urn:ietf:params:xml:ns:obj") ==
			    NULL && strcmp(f, "rfc5910-c08.xml") != 0) {
				ck_assert_msg(validate(b.data, b.len) == 0,
				    "%s does not validate", f);
				checked++;
			}
			dsreg_buf_free(&b);
		}
		free(names[i]);
	}
	free(names);
	ck_assert_int_ge(checked, 20);
}
END_TEST

START_TEST(change_applied)
{
	struct epp_secdns_change chg;
	struct epp_domain_info info;

	memset(&chg, 0, sizeof(chg));
	memset(&info, 0, sizeof(info));
	ck_assert_int_eq(ds_set_add(&chg.add_ds, mkds(1111, 0x11)), 0);
	ck_assert(!epp_secdns_change_applied(&chg, &info));
	ck_assert_int_eq(ds_set_add(&info.ds, mkds(1111, 0x11)), 0);
	ck_assert(epp_secdns_change_applied(&chg, &info));
	ck_assert_int_eq(ds_set_add(&chg.rem_ds, mkds(2222, 0x22)), 0);
	ck_assert_int_eq(ds_set_add(&info.ds, mkds(2222, 0x22)), 0);
	ck_assert(!epp_secdns_change_applied(&chg, &info));
	epp_secdns_change_free(&chg);
	chg.rem_all = 1;
	ck_assert(!epp_secdns_change_applied(&chg, &info));
	ds_set_free(&info.ds);
	ck_assert(epp_secdns_change_applied(&chg, &info));
	chg.max_sig_life = 600;
	ck_assert(!epp_secdns_change_applied(&chg, &info));
	info.max_sig_life = 600;
	ck_assert(epp_secdns_change_applied(&chg, &info));
	epp_secdns_change_free(&chg);
	ck_assert_int_eq(ds_keyset_add(&chg.add_keys, mkkey(0x55)), 0);
	ck_assert(!epp_secdns_change_applied(&chg, &info));
	ck_assert_int_eq(ds_keyset_add(&info.keys, mkkey(0x55)), 0);
	ck_assert(epp_secdns_change_applied(&chg, &info));
	epp_secdns_change_free(&chg);
	ds_keyset_free(&info.keys);
}
END_TEST

static struct ds_rec *
ds_of(const struct ds_key *key)
{
	struct ds_rec *ds;

	ck_assert_int_eq(ds_compute(&ds, key, DS_DIGEST_SHA256, NULL), 0);
	return ds;
}

/* A DS is held when the registry holds the key it refers to (keyData). */
START_TEST(change_applied_keydata)
{
	struct epp_secdns_change chg;
	struct epp_domain_info info;
	struct ds_key *k = mkkey(0x66), *k2 = mkkey(0x77);

	memset(&chg, 0, sizeof(chg));
	memset(&info, 0, sizeof(info));
	info.key_interface = 1;
	ck_assert_int_eq(ds_keyset_add(&info.keys, k), 0);
	/* added as DS, held as keyData: applied */
	ck_assert_int_eq(ds_set_add(&chg.add_ds, ds_of(k)), 0);
	ck_assert(epp_secdns_change_applied(&chg, &info));
	epp_secdns_change_free(&chg);
	/* removed as DS, still held as keyData: not applied */
	ck_assert_int_eq(ds_set_add(&chg.rem_ds, ds_of(k)), 0);
	ck_assert(!epp_secdns_change_applied(&chg, &info));
	epp_secdns_change_free(&chg);
	ds_keyset_free(&info.keys);

	/* rem all + add one DS (1.0 dsData carrying its keyData): a second
	 * key left over means the old set was not removed */
	info.key_interface = 0;
	k = mkkey(0x66);
	ck_assert_int_eq(ds_set_add(&info.ds, ds_of(k)), 0);
	ck_assert_int_eq(ds_keyset_add(&info.keys, k), 0);
	chg.rem_all = 1;
	ck_assert_int_eq(ds_set_add(&chg.add_ds, ds_of(k)), 0);
	ck_assert(epp_secdns_change_applied(&chg, &info));
	ck_assert_int_eq(ds_keyset_add(&info.keys, k2), 0);
	ck_assert(!epp_secdns_change_applied(&chg, &info));
	epp_secdns_change_free(&chg);
	ds_set_free(&info.ds);
	ds_keyset_free(&info.keys);
}
END_TEST

static Suite *
epp_command_suite(void)
{
	Suite *s = suite_create("epp_command");
	TCase *tc = tcase_create("command");

	tcase_add_unchecked_fixture(tc, load_schema, free_schema);
	tcase_add_test(tc, session_commands_validate);
	tcase_add_test(tc, bad_arguments);
	tcase_add_loop_test(tc, update_commands, 0,
	    (int)(sizeof(ucases) / sizeof(ucases[0])));
	tcase_add_test(tc, rfc_client_examples_validate);
	tcase_add_test(tc, change_applied);
	tcase_add_test(tc, change_applied_keydata);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(epp_command_suite)
