/* tests/unit/test_ds_digest.c - ds/digest.c, ds/key.c, ds/set.c, ds/policy.c against published vectors */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "ds/ds.h"

#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

/* Published DNSKEY -> DS pairs, as printed in the RFCs. */
static const struct vector {
	const char *where;
	const char *dnskey;
	const char *ds;
} vectors[] = {
	{ "RFC 4034 §5.4",
	  "dskey.example.com. 86400 IN DNSKEY 256 3 5 ( AQOeiiR0GOMYkDshWoSKz9Xz\n"
	  "   fwJr1AYtsmx3TGkJaNXVbfi/ 2pHm822aJ5iI9BMzNXxeYCmZ\n"
	  "   DRD99WYwYqUSdjMmmAphXdvx egXd/M5+X7OrzKBaMbCVdFLU\n"
	  "   Uh6DhweJBjEVv5f2wwjM9Xzc nOf+EPbtG9DMBmADjFDc2w/r\n"
	  "   ljwvFw== ) ;  key id = 60485\n",
	  "dskey.example.com. 86400 IN DS 60485 5 1 ( 2BB183AF5F22588179A53B0A\n"
	  "   98631FAD1A292118 )\n" },
	{ "RFC 6605 §6.1",
	  "example.net. 3600 IN DNSKEY 257 3 13 (\n"
	  "   GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb\n"
	  "   krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== )\n",
	  "example.net. 3600 IN DS 55648 13 2 (\n"
	  "   b4c8c1fe2e7477127b27115656ad6256f424625bf5c1\n"
	  "   e2770ce6d6e37df61d17 )\n" },
	{ "RFC 6605 §6.2",
	  "example.net. 3600 IN DNSKEY 257 3 14 (\n"
	  "   xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1\n"
	  "   w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8\n"
	  "   /uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40 )\n",
	  "example.net. 3600 IN DS 10771 14 4 (\n"
	  "   72d7b62976ce06438e9c0bf319013cf801f09ecc84b8\n"
	  "   d7e9495f27e305c6a9b0563a9b5f4d288405c3008a94\n"
	  "   6df983d6 )\n" },
	{ "RFC 8080 §6.1 (1)",
	  "example.com. 3600 IN DNSKEY 257 3 15 (\n"
	  "   l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4= )\n",
	  "example.com. 3600 IN DS 3613 15 2 (\n"
	  "   3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79\n"
	  "   a304b )\n" },
	{ "RFC 8080 §6.1 (2)",
	  "example.com. 3600 IN DNSKEY 257 3 15 (\n"
	  "   zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs= )\n",
	  "example.com. 3600 IN DS 35217 15 2 (\n"
	  "   401781b934e392de492ec77ae2e15d70f6575a1c0bc59c5275c04ebe80c\n"
	  "   6614c )\n" },
	{ "RFC 8080 §6.2 (1)",
	  "example.com. 3600 IN DNSKEY 257 3 16 (\n"
	  "   3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx\n"
	  "   1FYYUcJKm1MDpJtIA )\n",
	  "example.com. 3600 IN DS 9713 16 2 (\n"
	  "   6ccf18d5bc5d7fc2fceb1d59d17321402f2aa8d368048db93dd811f5cb2\n"
	  "   b19c7 )\n" },
	{ "RFC 8080 §6.2 (2)",
	  "example.com. 3600 IN DNSKEY 257 3 16 (\n"
	  "   kkreGWoccSDmUBGAe7+zsbG6ZAFQp+syPmYUurBRQc3tDjeMCJcVMRDmgcN\n"
	  "   Lp5HlHAMy12VoISsA )\n",
	  "example.com. 3600 IN DS 38353 16 2 (\n"
	  "   645ff078b3568f5852b70cb60e8e696cc77b75bfaaffc118cf79cbda1ba\n"
	  "   28af4 )\n" },
};

static void
parse_one(const char *text, struct ds_parse_result *res)
{
	struct dsreg_err err;
	int rc;

	memset(res, 0, sizeof(*res));
	dsreg_err_clear(&err);
	rc = ds_parse_buffer(text, strlen(text), "vector", NULL, 0, res, &err);
	ck_assert_msg(rc == 0, "parse failed: %s", dsreg_err_text(&err));
}

START_TEST(published_vectors)
{
	const struct vector *v = &vectors[_i];
	struct ds_parse_result k, d;
	struct ds_rec *ds = NULL;
	struct dsreg_err err;

	parse_one(v->dnskey, &k);
	parse_one(v->ds, &d);
	ck_assert_uint_eq(k.keys.n, 1);
	ck_assert_uint_eq(d.dss.n, 1);
	ck_assert_msg(k.keys.v[0]->key_tag == d.dss.v[0]->key_tag,
	    "%s: key tag %u, published %u", v->where, k.keys.v[0]->key_tag,
	    d.dss.v[0]->key_tag);
	ck_assert_int_eq(ds_compute(&ds, k.keys.v[0],
	    (enum ds_digest)d.dss.v[0]->digest_type, &err), 0);
	ck_assert_msg(ds_rec_equal(ds, d.dss.v[0]), "%s: digest differs",
	    v->where);
	ck_assert(ds_rec_matches_key(d.dss.v[0], k.keys.v[0]));
	ck_assert(ds_keyset_match(&k.keys, d.dss.v[0]) == k.keys.v[0]);
	ds_rec_free(ds);
	ds_parse_result_free(&k);
	ds_parse_result_free(&d);
}
END_TEST

START_TEST(presentation_like_bind)
{
	struct ds_parse_result k;
	struct ds_rec *ds;
	char *s;

	parse_one(vectors[1].dnskey, &k);
	ck_assert_int_eq(ds_compute(&ds, k.keys.v[0], DS_DIGEST_SHA256, NULL),
	    0);
	s = ds_rec_to_text(ds, 0);
	ck_assert_str_eq(s, "example.net. IN DS 55648 13 2 "
	    "B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17");
	free(s);
	ds->cds = 1;
	ds->ttl = 300;
	s = ds_rec_to_text(ds, 1);
	ck_assert_str_eq(s, "example.net. 300 IN CDS 55648 13 2 "
	    "B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17");
	free(s);
	ds_rec_free(ds);
	s = ds_key_rdata_text(k.keys.v[0]);
	ck_assert_str_eq(s, "257 3 13 "
	    "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb"
	    "krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==");
	free(s);
	ds_parse_result_free(&k);
}
END_TEST

START_TEST(owner_case_does_not_change_digest)
{
	const char *upper = "EXAMPLE.NET. 3600 IN DNSKEY 257 3 13 "
	    "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb"
	    "krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==";
	struct ds_parse_result k, d;
	struct ds_rec *ds;

	parse_one(upper, &k);
	parse_one(vectors[1].ds, &d);
	ck_assert_int_eq(ds_compute(&ds, k.keys.v[0], DS_DIGEST_SHA256, NULL),
	    0);
	ck_assert(ds_rec_equal(ds, d.dss.v[0]));
	ds_rec_free(ds);
	ds_parse_result_free(&k);
	ds_parse_result_free(&d);
}
END_TEST

START_TEST(gost_unsupported)
{
	struct ds_parse_result k;
	struct dsreg_err err;
	struct ds_rec *ds = NULL;

	parse_one(vectors[1].dnskey, &k);
	dsreg_err_clear(&err);
	ck_assert_int_eq(ds_compute(&ds, k.keys.v[0], DS_DIGEST_GOST, &err),
	    DSREG_EUNSUPPORTED);
	ck_assert_ptr_null(ds);
	ck_assert_ptr_nonnull(strstr(err.msg, "GOST"));
	ck_assert_ptr_nonnull(strstr(err.msg, "not supported"));
	ds_parse_result_free(&k);
}
END_TEST

START_TEST(keytag_alg1_special_case)
{
	/* RFC 4034 Appendix B.1: tag = octets [len-3] and [len-2]. */
	uint8_t rd[4 + 3 + 64];
	size_t i;

	memset(rd, 0, sizeof(rd));
	rd[0] = 1; rd[1] = 0; rd[2] = 3; rd[3] = 1;
	rd[4] = 1; rd[5] = 3;
	for (i = 6; i < sizeof(rd); i++)
		rd[i] = (uint8_t)(i * 7);
	rd[sizeof(rd) - 3] = 0xAB;
	rd[sizeof(rd) - 2] = 0xCD;
	ck_assert_uint_eq(ds_keytag(rd, sizeof(rd)), 0xABCD);
	/* Same bytes with algorithm 5 use the checksum instead. */
	rd[3] = 5;
	ck_assert_uint_ne(ds_keytag(rd, sizeof(rd)), 0xABCD);
}
END_TEST

START_TEST(keytag_matches_ldns_reference)
{
	/* Odd lengths and carries: compare with ldns' implementation. */
	uint8_t rd[600];
	unsigned seed = 12345;
	size_t len, i;
	int round;

	for (round = 0; round < 500; round++) {
		len = 5 + (size_t)(round % 590);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			rd[i] = (uint8_t)(round < 10 ? 0xFF : seed >> 16);
		}
		rd[3] = 8;
		ck_assert_uint_eq(ds_keytag(rd, len),
		    ldns_calc_keytag_raw(rd, len));
	}
}
END_TEST

START_TEST(flags_and_expected)
{
	struct ds_parse_result k;
	struct ds_key *key;
	time_t now = 1800000000;

	parse_one(vectors[1].dnskey, &k);
	key = k.keys.v[0];
	ck_assert(ds_key_is_zone(key));
	ck_assert(ds_key_is_sep(key));
	ck_assert(!ds_key_is_revoked(key));
	ck_assert(ds_key_expected(key, now));
	key->timing.publish = now + 10;
	ck_assert(!ds_key_expected(key, now));
	key->timing.publish = now - 10;
	key->timing.inactive = now - 1;
	ck_assert(!ds_key_expected(key, now));
	key->timing.inactive = now + 100;
	ck_assert(ds_key_expected(key, now));
	key->timing.delete_ = now;
	ck_assert(!ds_key_expected(key, now));
	key->timing.delete_ = 0;
	key->timing.syncpublish = now + 1;
	ck_assert(!ds_key_expected(key, now));
	key->timing.syncpublish = 0;
	key->flags |= DS_FLAG_REVOKE;
	ck_assert(ds_key_is_revoked(key));
	ck_assert(!ds_key_expected(key, now));
	key->flags = DS_FLAG_ZONE; /* ZSK */
	ck_assert(!ds_key_expected(key, now));
	ds_parse_result_free(&k);
}
END_TEST

START_TEST(delete_signals)
{
	struct ds_parse_result r;

	parse_one("z.example. 0 IN CDS 0 0 0 00\n"
	    "z.example. 0 IN CDNSKEY 0 3 0 AA==\n", &r);
	ck_assert_uint_eq(r.dss.n, 1);
	ck_assert_uint_eq(r.keys.n, 1);
	ck_assert(ds_rec_is_delete(r.dss.v[0]));
	ck_assert(r.dss.v[0]->cds);
	ck_assert(ds_key_is_delete(r.keys.v[0]));
	ck_assert(r.keys.v[0]->cdnskey);
	ds_parse_result_free(&r);
}
END_TEST

START_TEST(ds_args_one_word_or_four)
{
	char *argv[] = { "55648 13 2 b4c8c1fe2e7477127b27115656ad6256f424625bf5c1"
	    "e2770ce6d6e37df61d17", "55648", "13", "2",
	    "B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17" };
	struct ds_set set = { NULL, 0, 0 }, other = { NULL, 0, 0 },
	    diff = { NULL, 0, 0 };
	struct ds_parse_result d;
	struct dsreg_err err;
	char *bad1[] = { "55648", "13", "2" };
	char *bad2[] = { "55648 13 2 B4C" };
	char *bad3[] = { "55648 13 2 XYZ0" };
	char *bad4[] = { "70000 13 2 B4C8" };
	char *bad5[] = { "55648 13 2 B4C8" };

	ck_assert_int_eq(ds_rec_parse_args(5, argv, &set, &err), 0);
	ck_assert_uint_eq(set.n, 2);
	/* Hex case does not matter. */
	ck_assert(ds_rec_equal(set.v[0], set.v[1]));
	parse_one(vectors[1].ds, &d);
	ck_assert(ds_rec_equal(set.v[0], d.dss.v[0]));
	ck_assert(ds_set_equal(&set, &d.dss));
	ck_assert_int_eq(ds_set_diff(&set, &d.dss, &diff), 0);
	ck_assert_uint_eq(diff.n, 0);
	ck_assert_int_eq(ds_set_add_copy(&other, d.dss.v[0]), 0);
	ck_assert(ds_set_contains(&other, set.v[1]));

	ck_assert_int_eq(ds_rec_parse_args(3, bad1, &other, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "TAG ALG TYPE HEXDIGEST"));
	ck_assert_int_eq(ds_rec_parse_args(1, bad2, &other, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "odd number"));
	ck_assert_int_eq(ds_rec_parse_args(1, bad3, &other, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "non-hex"));
	ck_assert_int_eq(ds_rec_parse_args(1, bad4, &other, &err), DSREG_EPARSE);
	ck_assert_int_eq(ds_rec_parse_args(1, bad5, &other, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "must be 32 octets"));
	ck_assert_uint_eq(other.n, 1);
	ds_set_free(&set);
	ds_set_free(&other);
	ds_set_free(&diff);
	ds_parse_result_free(&d);
}
END_TEST

START_TEST(set_difference)
{
	struct ds_parse_result a, b;
	struct ds_set diff = { NULL, 0, 0 };

	parse_one("x. 1 IN DS 1 13 2 "
	    "0000000000000000000000000000000000000000000000000000000000000001\n"
	    "x. 1 IN DS 2 13 2 "
	    "0000000000000000000000000000000000000000000000000000000000000002\n"
	    "x. 1 IN DS 3 13 4 "
	    "000000000000000000000000000000000000000000000000000000000000000"
	    "000000000000000000000000000000003\n", &a);
	parse_one("x. 1 IN DS 2 13 2 "
	    "0000000000000000000000000000000000000000000000000000000000000002\n",
	    &b);
	ck_assert_int_eq(ds_set_diff(&a.dss, &b.dss, &diff), 0);
	ck_assert_uint_eq(diff.n, 2);
	ck_assert_uint_eq(diff.v[0]->key_tag, 1);
	ck_assert_uint_eq(diff.v[1]->key_tag, 3);
	ck_assert(!ds_set_equal(&a.dss, &b.dss));
	ds_set_free(&diff);
	ck_assert_int_eq(ds_set_diff(&b.dss, &a.dss, &diff), 0);
	ck_assert_uint_eq(diff.n, 0);
	ds_set_sort(&a.dss);
	ck_assert_uint_eq(a.dss.v[2]->key_tag, 3);
	ds_set_free(&diff);
	ds_parse_result_free(&a);
	ds_parse_result_free(&b);
}
END_TEST

START_TEST(hex_decode_rules)
{
	uint8_t out[4];

	ck_assert_int_eq(ds_hex_decode("0aFf", 4, out, 4), 2);
	ck_assert_uint_eq(out[0], 0x0a);
	ck_assert_uint_eq(out[1], 0xff);
	ck_assert_int_eq(ds_hex_decode("", 0, out, 4), -1);
	ck_assert_int_eq(ds_hex_decode("abc", 3, out, 4), -1);
	ck_assert_int_eq(ds_hex_decode("zz", 2, out, 4), -1);
	ck_assert_int_eq(ds_hex_decode("00 1", 4, out, 4), -1);
	ck_assert_int_eq(ds_hex_decode("0011223344", 10, out, 4), -1);
	ck_assert_int_eq(ds_hex_decode("00112233", 8, out, 4), 4);
}
END_TEST

START_TEST(policy_rfc9904)
{
	enum ds_digest d;

	ck_assert_int_eq(ds_digest_delegation_req(1), DS_REQ_MUST_NOT);
	ck_assert_int_eq(ds_digest_delegation_req(2), DS_REQ_MUST);
	ck_assert_int_eq(ds_digest_delegation_req(3), DS_REQ_MUST_NOT);
	ck_assert_int_eq(ds_digest_delegation_req(4), DS_REQ_MAY);
	ck_assert_int_eq(ds_alg_signing_req(5), DS_REQ_NOT_RECOMMENDED);
	ck_assert_int_eq(ds_alg_signing_req(7), DS_REQ_NOT_RECOMMENDED);
	ck_assert_int_eq(ds_alg_signing_req(8), DS_REQ_MUST);
	ck_assert_int_eq(ds_alg_signing_req(12), DS_REQ_MUST_NOT);
	ck_assert_int_eq(ds_alg_signing_req(13), DS_REQ_MUST);
	ck_assert_int_eq(ds_alg_signing_req(15), DS_REQ_RECOMMENDED);
	ck_assert_int_eq(ds_alg_signing_req(99), DS_REQ_UNKNOWN);
	ck_assert_str_eq(ds_alg_name(13), "ECDSAP256SHA256");
	ck_assert(!ds_alg_known(99));
	ck_assert_int_eq(ds_digest_from_name("SHA-384", &d), 0);
	ck_assert_int_eq(d, DS_DIGEST_SHA384);
	ck_assert_int_eq(ds_digest_from_name("sha1", &d), 0);
	ck_assert_int_eq(d, DS_DIGEST_SHA1);
	ck_assert_int_eq(ds_digest_from_name("2", &d), 0);
	ck_assert_int_eq(d, DS_DIGEST_SHA256);
	ck_assert_int_eq(ds_digest_from_name("md5", &d), DSREG_EINVAL);
	ck_assert_uint_eq(ds_digest_len(4), 48);
}
END_TEST

static Suite *
ds_digest_suite(void)
{
	Suite *s = suite_create("ds_digest");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, published_vectors, 0,
	    sizeof(vectors) / sizeof(vectors[0]));
	tcase_add_test(tc, presentation_like_bind);
	tcase_add_test(tc, owner_case_does_not_change_digest);
	tcase_add_test(tc, gost_unsupported);
	tcase_add_test(tc, keytag_alg1_special_case);
	tcase_add_test(tc, keytag_matches_ldns_reference);
	tcase_add_test(tc, flags_and_expected);
	tcase_add_test(tc, delete_signals);
	tcase_add_test(tc, ds_args_one_word_or_four);
	tcase_add_test(tc, set_difference);
	tcase_add_test(tc, hex_decode_rules);
	tcase_add_test(tc, policy_rfc9904);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(ds_digest_suite)
