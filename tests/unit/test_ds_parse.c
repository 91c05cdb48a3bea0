/* tests/unit/test_ds_parse.c - ds/parse.c and ds/kfile.c: zone syntax, K-files, bad input */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "ds/ds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define P256 "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb" \
	"krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="

static char tmpdir[64];

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dsreg-ut-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *
write_file(const char *name, const char *data, size_t len)
{
	char *path;
	FILE *fp;

	ck_assert_int_ge(asprintf(&path, "%s/%s", tmpdir, name), 0);
	fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
	return path;
}

/* Parse text; expect failure whose message contains every fragment. */
static void
expect_error(const char *text, size_t len, int code, const char *frag1,
    const char *frag2)
{
	struct ds_parse_result res;
	struct dsreg_err err;
	int rc;

	memset(&res, 0, sizeof(res));
	dsreg_err_clear(&err);
	rc = ds_parse_buffer(text, len, "input.db", NULL, 0, &res, &err);
	ck_assert_msg(rc == code, "rc %d, want %d (%s)", rc, code,
	    dsreg_err_text(&err));
	ck_assert_msg(strstr(err.msg, frag1) != NULL, "'%s' not in '%s'",
	    frag1, err.msg);
	if (frag2 != NULL)
		ck_assert_msg(strstr(err.msg, frag2) != NULL,
		    "'%s' not in '%s'", frag2, err.msg);
	ds_parse_result_free(&res);
}

START_TEST(zone_syntax)
{
	const char *zone =
	    "$TTL 1h ; comment\n"
	    "$ORIGIN example.net.\n"
	    "@ IN SOA ns1 hostmaster ( 1 ; serial\n"
	    "   7200 3600 ; refresh retry\n"
	    "   1209600 300 )\n"
	    "  IN NS ns1\n"
	    "ns1 IN A 192.0.2.1\n"
	    "@ IN DNSKEY 257 3 13 ( GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb\n"
	    "     krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== ) ; ksk\n"
	    "sub IN DS 55648 13 2 ( b4c8c1fe2e7477127b27115656ad6256f424625bf5c1\n"
	    "     e2770ce6d6e37df61d17 )\n"
	    "$ORIGIN sub\n"
	    "@ IN DNSKEY 256 3 13 " P256 "\n"
	    "txt IN TXT \"a ; not a comment ( nor a paren\"\n";
	struct ds_parse_result res;
	struct dsreg_err err;

	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_buffer(zone, strlen(zone), "z.db", NULL, 0,
	    &res, &err), 0);
	ck_assert_uint_eq(res.keys.n, 2);
	ck_assert_str_eq(res.keys.v[0]->owner_text, "example.net.");
	ck_assert_uint_eq(res.keys.v[0]->line, 8);
	ck_assert_uint_eq(res.keys.v[0]->ttl, 3600);
	ck_assert_uint_eq(res.keys.v[0]->key_tag, 55648);
	ck_assert_str_eq(res.keys.v[1]->owner_text, "sub.example.net.");
	ck_assert_uint_eq(res.keys.v[1]->line, 13);
	ck_assert_uint_eq(res.dss.n, 1);
	ck_assert_str_eq(res.dss.v[0]->owner_text, "sub.example.net.");
	ck_assert_uint_eq(res.dss.v[0]->line, 10);
	ds_parse_result_free(&res);

	/* apex_only keeps only the zone's own keys. */
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_buffer(zone, strlen(zone), "z.db",
	    "example.net", 1, &res, &err), 0);
	ck_assert_uint_eq(res.keys.n, 1);
	ck_assert_uint_eq(res.dss.n, 0);
	ds_parse_result_free(&res);
}
END_TEST

START_TEST(include_follows_files)
{
	char *inc, *top, body[512];
	struct ds_parse_result res;
	struct dsreg_err err;

	inc = write_file("keys.inc", "@ 60 IN DNSKEY 257 3 13 " P256 "\n",
	    strlen("@ 60 IN DNSKEY 257 3 13 " P256 "\n"));
	snprintf(body, sizeof(body), "$ORIGIN example.net.\n"
	    "$INCLUDE keys.inc\n$INCLUDE keys.inc other.example.\n");
	top = write_file("top.db", body, strlen(body));
	memset(&res, 0, sizeof(res));
	dsreg_err_clear(&err);
	ck_assert_msg(ds_parse_file(top, NULL, 0, &res, &err) == 0, "%s",
	    dsreg_err_text(&err));
	ck_assert_uint_eq(res.keys.n, 2);
	ck_assert_str_eq(res.keys.v[0]->owner_text, "example.net.");
	ck_assert_str_eq(res.keys.v[1]->owner_text, "other.example.");
	ck_assert_ptr_nonnull(strstr(res.keys.v[0]->source, "keys.inc"));
	ds_parse_result_free(&res);

	/* A missing include names the including file and line. */
	free(top);
	top = write_file("bad.db", "\n$INCLUDE nope.inc\n", 19);
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_file(top, NULL, 0, &res, &err),
	    DSREG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "bad.db:2: $INCLUDE"));
	ck_assert_ptr_nonnull(strstr(err.msg, "nope.inc"));
	ds_parse_result_free(&res);
	free(top);
	free(inc);
}
END_TEST

START_TEST(bad_truncated_base64)
{
	/* Cut inside a base64 quantum: not base64 at all. */
	expect_error("\nexample.net. IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSn\n",
	    55, DSREG_EPARSE, "input.db:2", "not complete base64");
	/* Cut on a quantum boundary: decodes, but the key is too short. */
	expect_error("x. IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhW\n", 46,
	    DSREG_EPARSE, "input.db:1", "must be 64 octets");
	expect_error("x. IN DNSKEY 257 3 8 AwEAAZOTszT8\n", 33,
	    DSREG_EPARSE, "input.db:1", "RSA public key");
}
END_TEST

START_TEST(bad_protocol_field)
{
	const char *t = "x. IN DNSKEY 257 2 13 " P256 "\n";

	expect_error(t, strlen(t), DSREG_EPARSE, "input.db:1",
	    "protocol field is 2, must be 3");
}
END_TEST

START_TEST(bad_unknown_algorithm)
{
	const char *t = "\n\nx. IN DNSKEY 257 3 99 " P256 "\n";

	expect_error(t, strlen(t), DSREG_EPARSE, "input.db:3",
	    "unknown DNSSEC algorithm 99");
}
END_TEST

START_TEST(bad_long_line)
{
	size_t n = 100 * 1024;
	char *t = malloc(n + 40);

	ck_assert_ptr_nonnull(t);
	strcpy(t, "; fine\nx. IN TXT \"");
	memset(t + strlen(t), 'a', n);
	t[18 + n] = '\0';
	strcat(t, "\"\n");
	expect_error(t, strlen(t), DSREG_ETOOBIG, "input.db:2",
	    "longer than 10000 bytes");
	free(t);
}
END_TEST

START_TEST(bad_non_utf8)
{
	const char t[] = "; ok\n; caf\xc3\xa9 is fine in a comment\n"
	    "x\xff. IN DNSKEY 257 3 13 " P256 "\n";
	const char u[] = "b\xc3\xbc" "cher.example. IN DNSKEY 257 3 13 " P256 "\n";

	expect_error(t, sizeof(t) - 1, DSREG_EPARSE, "input.db:3",
	    "byte 0xFF at column 2 is not valid UTF-8");
	expect_error(u, sizeof(u) - 1, DSREG_EPARSE, "input.db:1",
	    "xn-- A-labels");
}
END_TEST

START_TEST(bad_structure)
{
	expect_error("x. IN DNSKEY 257 3 13 ( " P256 "\n", 24 + 88 + 1,
	    DSREG_EPARSE, "input.db:1", "never closed");
	expect_error("x. IN A 192.0.2.1 )\n", 20, DSREG_EPARSE, "input.db:1",
	    "without '('");
	expect_error("rel IN DNSKEY 257 3 13 " P256 "\n", 23 + 88 + 1,
	    DSREG_EPARSE, "input.db:1", "relative owner name 'rel'");
	expect_error("$GENERATE 1-2 a$ A 1.2.3.$\n", 27, DSREG_EUNSUPPORTED,
	    "input.db:1", "$GENERATE");
	expect_error("x. IN DS 1 13 2 ABCD\n", 21, DSREG_EPARSE, "input.db:1",
	    "must be 32 octets");
	expect_error("x. IN DNSKEY 257 3 13 Goj!hhXU\n", 31, DSREG_EPARSE,
	    "input.db:1", "'!' that is not base64");
}
END_TEST

static const char kfile_body[] =
    "; This is a key-signing key, keyid 55648, for example.net.\n"
    "; Created: 20261128013740 (Sat Nov 28 01:37:40 2026)\n"
    "; Publish: 20261128013740 (Sat Nov 28 01:37:40 2026)\n"
    "; Activate: 20261128013740 (Sat Nov 28 01:37:40 2026)\n"
    "; Inactive: 20270101000000 (Fri Jan  1 00:00:00 2027)\n"
    "example.net. IN DNSKEY 257 3 13 " P256 "\n";

START_TEST(kfile_timing_and_name)
{
	struct ds_key *key = NULL;
	struct dsreg_err err;
	char *path;

	path = write_file("Kexample.net.+013+55648.key", kfile_body,
	    strlen(kfile_body));
	dsreg_err_clear(&err);
	ck_assert_msg(ds_kfile_read(path, &key, &err) == 0, "%s",
	    dsreg_err_text(&err));
	ck_assert_uint_eq(key->key_tag, 55648);
	ck_assert_int_eq((long)key->timing.created, 1795829860L);
	ck_assert_int_eq((long)key->timing.inactive, 1798761600L);
	ck_assert_int_eq((long)key->timing.delete_, 0);
	ck_assert(ds_key_expected(key, 1795829861));
	ck_assert(!ds_key_expected(key, 1798761600));
	ck_assert_uint_eq(key->line, 6);
	ds_key_free(key);
	free(path);
}
END_TEST

START_TEST(kfile_name_disagrees)
{
	struct ds_key *key = NULL;
	struct dsreg_err err;
	char *path;

	path = write_file("Kexample.net.+013+12345.key", kfile_body,
	    strlen(kfile_body));
	ck_assert_int_eq(ds_kfile_read(path, &key, &err), DSREG_EPARSE);
	ck_assert_ptr_null(key);
	ck_assert_ptr_nonnull(strstr(err.msg, "+013+12345.key:6"));
	ck_assert_ptr_nonnull(strstr(err.msg, "says key tag 12345"));
	ck_assert_ptr_nonnull(strstr(err.msg, "55648"));
	free(path);

	path = write_file("Kexample.org.+013+55648.key", kfile_body,
	    strlen(kfile_body));
	ck_assert_int_eq(ds_kfile_read(path, &key, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "says zone 'example.org.'"));
	free(path);

	path = write_file("Kexample.net.+008+55648.key", kfile_body,
	    strlen(kfile_body));
	ck_assert_int_eq(ds_kfile_read(path, &key, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "says algorithm 8"));
	free(path);
}
END_TEST

START_TEST(kfile_bad_stamp_and_count)
{
	const char *two = "x. IN DNSKEY 257 3 13 " P256 "\n"
	    "x. IN DNSKEY 256 3 13 " P256 "\n";
	const char *stamp = "; Publish: 2026112801\nx. IN DNSKEY 257 3 13 "
	    P256 "\n";
	struct ds_key *key = NULL;
	struct dsreg_err err;
	char *path;

	path = write_file("Kx.+013+55648.key", two, strlen(two));
	ck_assert_int_eq(ds_kfile_read(path, &key, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "exactly one DNSKEY"));
	free(path);
	path = write_file("Kx.+013+55648.key", stamp, strlen(stamp));
	ck_assert_int_eq(ds_kfile_read(path, &key, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, ":1: Publish: expected"));
	free(path);
}
END_TEST

static int nskipped;
static void
count_skipped(void *ctx, const struct dsreg_err *err)
{
	(void)ctx;
	ck_assert_ptr_nonnull(strstr(err->msg, "says key tag"));
	nskipped++;
}

START_TEST(kdir_recursive_and_skips)
{
	struct ds_keyset ks = { NULL, 0, 0 };
	struct dsreg_err err;
	char sub[128];

	free(write_file("Kexample.net.+013+55648.key", kfile_body,
	    strlen(kfile_body)));
	free(write_file("Kbad.net.+013+00001.key", kfile_body,
	    strlen(kfile_body)));
	free(write_file("notakey.txt", "junk", 4));
	snprintf(sub, sizeof(sub), "%s/zone2", tmpdir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	free(write_file("zone2/Kexample.net.+013+55648.key", kfile_body,
	    strlen(kfile_body)));
	nskipped = 0;
	ck_assert_int_eq(ds_kdir_read(tmpdir, 1, &ks, count_skipped, NULL,
	    &err), DSREG_EPARSE);
	ck_assert_int_eq(nskipped, 1);
	ck_assert_uint_eq(ks.n, 2);
	ds_keyset_free(&ks);
	nskipped = 0;
	ck_assert_int_eq(ds_kdir_read(tmpdir, 0, &ks, count_skipped, NULL,
	    &err), DSREG_EPARSE);
	ck_assert_uint_eq(ks.n, 1);
	ds_keyset_free(&ks);
	ck_assert_int_eq(ds_kdir_read("/nonexistent-dsreg", 1, &ks, NULL,
	    NULL, &err), DSREG_ENOTFOUND);
}
END_TEST

static Suite *
ds_parse_suite(void)
{
	Suite *s = suite_create("ds_parse");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, zone_syntax);
	tcase_add_test(tc, include_follows_files);
	tcase_add_test(tc, bad_truncated_base64);
	tcase_add_test(tc, bad_protocol_field);
	tcase_add_test(tc, bad_unknown_algorithm);
	tcase_add_test(tc, bad_long_line);
	tcase_add_test(tc, bad_non_utf8);
	tcase_add_test(tc, bad_structure);
	tcase_add_test(tc, kfile_timing_and_name);
	tcase_add_test(tc, kfile_name_disagrees);
	tcase_add_test(tc, kfile_bad_stamp_and_count);
	tcase_add_test(tc, kdir_recursive_and_skips);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(ds_parse_suite)
