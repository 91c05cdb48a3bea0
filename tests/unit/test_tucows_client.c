/* tests/unit/test_tucows_client.c - tucows/client.c: MD5 and signature vectors, retry classes, option checks */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "tucows/client.h"

#include <string.h>

START_TEST(md5_published_vector)
{
	char hex[33];

	/* The OpenSRS documentation's test vector. */
	osrs_md5_hex("ConnecttoOpenSRSviaSSL", 22, hex);
	ck_assert_str_eq(hex, "e787cc1d1951dfec4827cede7b1a0933");
	/* RFC 1321 §A.5. */
	osrs_md5_hex("", 0, hex);
	ck_assert_str_eq(hex, "d41d8cd98f00b204e9800998ecf8427e");
	osrs_md5_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "900150983cd24fb0d6963f7d28e17f72");
}
END_TEST

/*
 * md5hex(md5hex(body + key) + key); expected values computed independently
 * with Python's hashlib.
 */
static const struct {
	const char *body, *key, *sig;
} sigs[] = {
	{ "<x/>", "k3y", "3d82ec18b694957ea16f28f3b6c4ea61" },
	{ "<?xml version='1.0'?>\n<OPS_envelope/>", "0123456789abcdef",
	  "bc07dab235ac098df6d9d5194a846b73" },
};

START_TEST(signature_vectors)
{
	char sig[33];

	ck_assert_int_eq(osrs_signature(sigs[_i].body, strlen(sigs[_i].body),
	    sigs[_i].key, strlen(sigs[_i].key), sig), 0);
	ck_assert_str_eq(sig, sigs[_i].sig);
}
END_TEST

START_TEST(signature_covers_exact_bytes)
{
	char a[33], b[33];

	ck_assert_int_eq(osrs_signature("<x/>", 4, "k3y", 3, a), 0);
	ck_assert_int_eq(osrs_signature("<x/>\n", 5, "k3y", 3, b), 0);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(osrs_signature("<x/>", 4, "k3z", 3, b), 0);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(retry_classes)
{
	static const int later[] = { 300, 310, 350, 437, 486, 705 };
	static const int never[] = { 400, 410, 415, 435 };
	static const int fix[] = { 430, 460, 465, 480 };
	size_t i;

	for (i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		ck_assert_int_eq(osrs_retry_class(later[i]), DSREG_RETRY_LATER);
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		ck_assert_int_eq(osrs_retry_class(never[i]), DSREG_RETRY_NEVER);
	for (i = 0; i < sizeof(fix) / sizeof(fix[0]); i++)
		ck_assert_int_eq(osrs_retry_class(fix[i]), DSREG_RETRY_FIX);
	ck_assert_int_eq(osrs_retry_class(200), DSREG_RETRY_NONE);
	ck_assert_int_eq(osrs_retry_class(250), DSREG_RETRY_NONE);
	ck_assert_int_eq(osrs_retry_class(405), DSREG_RETRY_UNKNOWN);
	ck_assert_int_eq(osrs_retry_class(999), DSREG_RETRY_UNKNOWN);
	ck_assert_str_eq(dsreg_retry_name(DSREG_RETRY_LATER), "later");
	ck_assert_str_eq(dsreg_retry_name(DSREG_RETRY_NEVER), "never");
}
END_TEST

START_TEST(client_option_checks)
{
	struct osrs_client_opts o;
	struct osrs_client *c = NULL;
	struct dsreg_err err;

	dsreg_err_clear(&err);
	memset(&o, 0, sizeof(o));
	o.url = "http://rr-n1-tor.opensrs.net:55443/";
	o.username = "reseller";
	o.key = "secretkey";
	o.key_len = 9;
	ck_assert_int_eq(osrs_client_new(&c, &o, &err), DSREG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "must be https://"));
	o.url = "https://rr-n1-tor.opensrs.net:55443/";
	o.key_len = 0;
	ck_assert_int_eq(osrs_client_new(&c, &o, &err), DSREG_EINVAL);
	ck_assert_ptr_null(strstr(err.msg, "secretkey"));
	o.key_len = 9;
	o.username = "";
	ck_assert_int_eq(osrs_client_new(&c, &o, &err), DSREG_EINVAL);
	ck_assert_ptr_null(c);
	o.username = "reseller";
	ck_assert_int_eq(osrs_client_new(&c, &o, &err), 0);
	ck_assert_str_eq(osrs_client_host(c), "rr-n1-tor.opensrs.net");
	osrs_client_free(c);
	osrs_client_free(NULL);
}
END_TEST

START_TEST(result_lifecycle)
{
	struct osrs_result r;

	osrs_result_init(&r);
	ck_assert_ptr_null(r.reply);
	r.response_text = strdup("x");
	osrs_result_free(&r);
	ck_assert_ptr_null(r.response_text);
	osrs_result_free(&r);
	osrs_result_free(NULL);
}
END_TEST

static Suite *
osrs_client_suite(void)
{
	Suite *s = suite_create("tucows_client");
	TCase *tc = tcase_create("client");

	tcase_add_test(tc, md5_published_vector);
	tcase_add_loop_test(tc, signature_vectors, 0,
	    sizeof(sigs) / sizeof(sigs[0]));
	tcase_add_test(tc, signature_covers_exact_bytes);
	tcase_add_test(tc, retry_classes);
	tcase_add_test(tc, client_option_checks);
	tcase_add_test(tc, result_lifecycle);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(osrs_client_suite)
