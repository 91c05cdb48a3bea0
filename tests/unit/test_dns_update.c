/* tests/unit/test_dns_update.c - dns/update.c: the TSIG key file, the UPDATE message */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "dns/update.h"
#include "ds/ds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECRET "wQZ3sX4Un1yZ5hV9WlZ1r1Cq0s6G0T4bJ8cQ9pE4m2Y="
#define PATH "/etc/dsreg/corp.tsig"

/* ---- the key file ---------------------------------------------------- */

static const struct {
	const char *name;
	const char *text;
	const char *key, *alg;
} good_keys[] = {
	{ "tsig-keygen", "key \"dsreg-upd\" {\n\talgorithm hmac-sha256;\n"
	    "\tsecret \"" SECRET "\";\n};\n", "dsreg-upd.", "hmac-sha256." },
	{ "comments, bare name, one line", "# made by hand\n// BIND style\n"
	    "/* a\n block */ key Corp.Example. { secret \"" SECRET "\"; "
	    "algorithm HMAC-SHA512; };", "corp.example.", "hmac-sha512." },
	{ "sha384", "key \"k\" { algorithm hmac-sha384; secret \"" SECRET
	    "\"; };\n", "k.", "hmac-sha384." },
};

START_TEST(key_good)
{
	struct dns_tsig_key k;
	struct dsreg_err err;
	const char *t = good_keys[_i].text;

	dsreg_err_clear(&err);
	ck_assert_msg(dns_update_key_parse(t, strlen(t), PATH, &k, &err) == 0,
	    "%s: %s", good_keys[_i].name, err.msg);
	ck_assert_str_eq(k.name, good_keys[_i].key);
	ck_assert_str_eq(k.algorithm, good_keys[_i].alg);
	ck_assert_str_eq(k.secret, SECRET);
	dns_update_key_free(&k);
}
END_TEST

static const struct {
	const char *name;
	const char *text;
	int code;
	const char *msg;          /* a part of the message */
} bad_keys[] = {
	{ "md5", "key \"a\" {\n algorithm hmac-md5;\n secret \"" SECRET
	    "\";\n};\n", DSREG_EUNSUPPORTED, PATH ":2: algorithm hmac-md5: "
	    "refused (RFC 8945 §6" },
	{ "sha1", "key \"a\" {\n algorithm hmac-sha1;\n secret \"" SECRET
	    "\";\n};\n", DSREG_EUNSUPPORTED, PATH ":2: algorithm hmac-sha1" },
	{ "unknown algorithm", "key \"a\" {\n\n algorithm hmac-foo;\n};\n",
	    DSREG_EUNSUPPORTED, PATH ":3: unknown TSIG algorithm 'hmac-foo'" },
	{ "no secret", "key \"a\" {\n algorithm hmac-sha256;\n};\n",
	    DSREG_EPARSE, PATH ":1: key a. has no secret" },
	{ "no algorithm", "\nkey \"a\" {\n secret \"" SECRET "\";\n};\n",
	    DSREG_EPARSE, PATH ":2: key a. has no algorithm" },
	{ "secret not base64", "key \"a\" {\n algorithm hmac-sha256;\n secret "
	    "\"" SECRET "!!\";\n};\n", DSREG_EPARSE, PATH ":3: secret is not "
	    "base64" },
	{ "secret not quoted", "key \"a\" {\n algorithm hmac-sha256;\n secret "
	    SECRET ";\n};\n", DSREG_EPARSE, PATH ":3: secret: expected a "
	    "quoted base64 string" },
	{ "no semicolon", "key \"a\" {\n algorithm hmac-sha256\n secret \""
	    SECRET "\";\n};\n", DSREG_EPARSE, PATH ":3: expected ';'" },
	{ "unclosed", "key \"a\" {\n algorithm hmac-sha256;\n secret \""
	    SECRET "\";\n", DSREG_EPARSE, PATH ":4: expected '};'" },
	{ "two keys", "key a { algorithm hmac-sha256; secret \"" SECRET
	    "\"; };\nkey b { algorithm hmac-sha256; secret \"" SECRET
	    "\"; };\n", DSREG_EPARSE, PATH ":2: a second key statement (the "
	    "first at line 1)" },
	{ "not a key", "options { };\n", DSREG_EPARSE, PATH ":1: not a key "
	    "statement" },
	{ "empty", "\n\n", DSREG_EPARSE, PATH ":3: no key statement" },
	{ "knot yaml", "key:\n  - id: a\n    algorithm: hmac-sha256\n"
	    "    secret: " SECRET "\n", DSREG_EPARSE, PATH ":1:" },
	{ "unknown clause", "key a {\n algorithm hmac-sha256;\n secret \""
	    SECRET "\";\n " SECRET ";\n};\n", DSREG_EPARSE, PATH ":4: unknown "
	    "clause" },
};

START_TEST(key_bad)
{
	struct dns_tsig_key k = { NULL, NULL, NULL };
	struct dsreg_err err;
	const char *t = bad_keys[_i].text;

	dsreg_err_clear(&err);
	ck_assert_int_eq(dns_update_key_parse(t, strlen(t), PATH, &k, &err),
	    bad_keys[_i].code);
	ck_assert_msg(strstr(err.msg, bad_keys[_i].msg) != NULL,
	    "%s: '%s' lacks '%s'", bad_keys[_i].name, err.msg,
	    bad_keys[_i].msg);
	/* the secret is never quoted, nor a part of it */
	ck_assert_msg(strstr(err.msg, "wQZ3sX4Un1yZ") == NULL,
	    "%s: the secret is in '%s'", bad_keys[_i].name, err.msg);
	ck_assert_ptr_null(k.name);
	ck_assert_ptr_null(k.secret);
}
END_TEST

START_TEST(key_read_mode)
{
	char path[] = "/tmp/dsreg-tsig-XXXXXX";
	const char *t = good_keys[0].text;
	struct dns_tsig_key k;
	struct dsreg_err err;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, t, strlen(t)), (int)strlen(t));
	close(fd);
	ck_assert_int_eq(chmod(path, 0644), 0);
	dsreg_err_clear(&err);
	ck_assert_int_eq(dns_update_key_read(path, &k, &err), DSREG_EPERM);
	ck_assert_ptr_null(strstr(err.msg, "wQZ3sX4Un1yZ"));
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_msg(dns_update_key_read(path, &k, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(k.secret, SECRET);
	dns_update_key_free(&k);
	unlink(path);
}
END_TEST

/* ---- the message ----------------------------------------------------- */

#define DS_A "11111 13 2 " \
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define DS_B "22222 13 2 " \
	"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

static void
set_of(struct ds_set *s, const char *rdata)
{
	struct ds_rec *r;

	ck_assert_int_eq(ds_rec_parse_rdata(&r, rdata, NULL), 0);
	ck_assert_int_eq(ds_set_add(s, r), 0);
}

/* "OWNER TTL CLASS TYPE RDATA" of rr, one line */
static char *
rr_text(const ldns_rr *rr)
{
	char *s = ldns_rr2str(rr), *p;

	ck_assert_ptr_nonnull(s);
	for (p = s; *p != '\0'; p++)
		if (*p == '\t' || *p == '\n')
			*p = *p == '\t' ? ' ' : '\0';
	return s;
}

static void
assert_rr(const ldns_rr_list *l, size_t i, const char *want)
{
	char *got = rr_text(ldns_rr_list_rr(l, i));

	ck_assert_msg(strncmp(got, want, strlen(want)) == 0, "rr %zu: '%s', "
	    "want '%s...'", i, got, want);
	free(got);
}

START_TEST(build_add_before_remove)
{
	struct ds_set add = { 0 }, rem = { 0 }, fin = { 0 };
	struct dns_update_change ch = { "upd.example.", "kid.upd.example.",
	    600, &add, &rem, 0, &fin };
	struct dsreg_err err;
	ldns_pkt *p = NULL;

	set_of(&add, DS_A);
	set_of(&fin, DS_A);
	set_of(&rem, DS_B);
	ck_assert_int_eq(dns_update_build(&ch, &p, &err), 0);
	ck_assert_int_eq(ldns_pkt_get_opcode(p), LDNS_PACKET_UPDATE);
	/* zone section: the zone, SOA, IN (RFC 2136 §2.3) */
	ck_assert_int_eq(ldns_update_zocount(p), 1);
	assert_rr(ldns_pkt_question(p), 0, "upd.example. IN SOA");
	/* prerequisite: the delegation's NS RRset exists (§2.4.1) */
	ck_assert_int_eq(ldns_update_prcount(p), 1);
	assert_rr(ldns_pkt_answer(p), 0, "kid.upd.example. 0 ANY NS");
	/* the update: the add, then the delete of one RR (§2.5.1, §2.5.4) */
	ck_assert_int_eq(ldns_update_upcount(p), 2);
	assert_rr(ldns_pkt_authority(p), 0, "kid.upd.example. 600 IN DS "
	    "11111 13 2 aaaa");
	assert_rr(ldns_pkt_authority(p), 1, "kid.upd.example. 0 NONE DS "
	    "22222 13 2 bbbb");
	ck_assert_int_eq(ldns_pkt_arcount(p), 0);
	ldns_pkt_free(p);
	ds_set_free(&add);
	ds_set_free(&rem);
	ds_set_free(&fin);
}
END_TEST

START_TEST(build_remove_all)
{
	struct ds_set fin = { 0 }, none = { 0 };
	struct dns_update_change ch = { "upd.example", "kid.upd.example",
	    300, &none, &none, 1, &fin };
	struct dsreg_err err;
	ldns_pkt *p = NULL;

	set_of(&fin, DS_A);
	set_of(&fin, DS_B);
	ck_assert_int_eq(dns_update_build(&ch, &p, &err), 0);
	ck_assert_int_eq(ldns_update_upcount(p), 3);
	/* the RRset deleted first (§2.5.2), then the whole final set */
	assert_rr(ldns_pkt_authority(p), 0, "kid.upd.example. 0 ANY DS");
	assert_rr(ldns_pkt_authority(p), 1, "kid.upd.example. 300 IN DS 11111");
	assert_rr(ldns_pkt_authority(p), 2, "kid.upd.example. 300 IN DS 22222");
	ldns_pkt_free(p);
	ds_set_free(&fin);
}
END_TEST

START_TEST(build_outside_zone)
{
	struct ds_set none = { 0 };
	struct dns_update_change ch = { "upd.example.", "kid.other.example.",
	    300, &none, &none, 0, &none };
	struct dsreg_err err;
	ldns_pkt *p = NULL;

	dsreg_err_clear(&err);
	ck_assert_int_eq(dns_update_build(&ch, &p, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "not below zone upd.example."));
	ck_assert_ptr_null(p);
}
END_TEST

/* Signed with the key: the TSIG is the last RR and verifies with the
 * secret, not with another. */
START_TEST(build_signed)
{
	struct ds_set add = { 0 }, none = { 0 };
	struct dns_update_change ch = { "upd.example.", "kid.upd.example.",
	    300, &add, &none, 0, &add };
	struct dsreg_err err;
	ldns_pkt *p = NULL, *back = NULL;
	uint8_t *wire = NULL;
	size_t size = 0;

	set_of(&add, DS_A);
	ck_assert_int_eq(dns_update_build(&ch, &p, &err), 0);
	ck_assert_int_eq(ldns_pkt_tsig_sign(p, "dsreg-upd.", SECRET, 300,
	    "hmac-sha256.", NULL), LDNS_STATUS_OK);
	ck_assert_int_eq(ldns_pkt2wire(&wire, p, &size), LDNS_STATUS_OK);
	ck_assert_int_eq(ldns_wire2pkt(&back, wire, size), LDNS_STATUS_OK);
	ck_assert_ptr_nonnull(ldns_pkt_tsig(back));
	ck_assert(ldns_pkt_tsig_verify(back, wire, size, "dsreg-upd.", SECRET,
	    NULL));
	ck_assert(!ldns_pkt_tsig_verify(back, wire, size, "dsreg-upd.",
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", NULL));
	free(wire);
	ldns_pkt_free(p);
	ldns_pkt_free(back);
	ds_set_free(&add);
}
END_TEST

START_TEST(code_names)
{
	ck_assert_str_eq(dns_update_rcode_name(0), "NOERROR");
	ck_assert_str_eq(dns_update_rcode_name(5), "REFUSED");
	ck_assert_str_eq(dns_update_rcode_name(9), "NOTAUTH");
	ck_assert_str_eq(dns_update_rcode_name(10), "NOTZONE");
	ck_assert_str_eq(dns_update_rcode_name(12), "RCODE 12");
	ck_assert_str_eq(dns_update_tsig_error_name(16), "BADSIG");
	ck_assert_str_eq(dns_update_tsig_error_name(17), "BADKEY");
	ck_assert_str_eq(dns_update_tsig_error_name(18), "BADTIME");
	ck_assert_str_eq(dns_update_tsig_error_name(99), "TSIG error 99");
}
END_TEST

static Suite *
dns_update_suite(void)
{
	Suite *s = suite_create("dns_update");
	TCase *tc = tcase_create("key");
	TCase *tm = tcase_create("message");

	tcase_add_loop_test(tc, key_good, 0,
	    (int)(sizeof(good_keys) / sizeof(good_keys[0])));
	tcase_add_loop_test(tc, key_bad, 0,
	    (int)(sizeof(bad_keys) / sizeof(bad_keys[0])));
	tcase_add_test(tc, key_read_mode);
	suite_add_tcase(s, tc);
	tcase_add_test(tm, build_add_before_remove);
	tcase_add_test(tm, build_remove_all);
	tcase_add_test(tm, build_outside_zone);
	tcase_add_test(tm, build_signed);
	tcase_add_test(tm, code_names);
	suite_add_tcase(s, tm);
	return s;
}

UNIT_SUITE(dns_update_suite)
