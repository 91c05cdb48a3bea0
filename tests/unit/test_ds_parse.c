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
	ck_assert_msg(ds_parse_file(top, NULL, DS_PARSE_INCLUDE, &res, &err) ==
	    0, "%s", dsreg_err_text(&err));
	ck_assert_uint_eq(res.keys.n, 2);
	ck_assert_str_eq(res.keys.v[0]->owner_text, "example.net.");
	ck_assert_str_eq(res.keys.v[1]->owner_text, "other.example.");
	ck_assert_ptr_nonnull(strstr(res.keys.v[0]->source, "keys.inc"));
	ds_parse_result_free(&res);

	/* A missing include names the including file and line. */
	free(top);
	top = write_file("bad.db", "\n$INCLUDE nope.inc\n", 19);
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_file(top, NULL, DS_PARSE_INCLUDE, &res,
	    &err), DSREG_ENOTFOUND);
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

/* ---- loading a zone as dnssec-dsfromkey -f does ---------------------- */

/* Fixtures from BIND's and Knot's tests; fixtures/keys/bind-compat/SOURCES.tsv
 * says where each comes from and what dnssec-dsfromkey 9.18 does with it. */
#define COMPAT "fixtures/keys/bind-compat"
#define ZONE_FLAGS (DS_PARSE_ZONE | DS_PARSE_APEX_ONLY | DS_PARSE_NEED_DNSKEY)

static int
load_compat(const char *file, const char *zone, int flags,
    struct ds_parse_result *res, struct dsreg_err *err)
{
	char path[256];

	snprintf(path, sizeof(path), COMPAT "/%s", file);
	memset(res, 0, sizeof(*res));
	dsreg_err_clear(err);
	return ds_parse_file(path, zone, flags, res, err);
}

static int
has_warning(const struct ds_parse_result *res, const char *at,
    const char *rule)
{
	size_t i;

	for (i = 0; i < res->nwarnings; i++)
		if (strstr(res->warnings[i], at) != NULL &&
		    strstr(res->warnings[i], rule) != NULL)
			return 1;
	return 0;
}

/* A record the DS does not need, or a DNSKEY BIND takes as it is: the
 * zone loads, the record is skipped or kept, and a warning names
 * file:line and the rule. */
static const struct {
	const char *file, *zone;
	size_t nkeys;            /* DNSKEYs kept (CDNSKEYs not counted) */
	unsigned tags[5];        /* their key tags, in file order (0: unchecked) */
	size_t ncdnskey, nds;    /* CDNSKEY and DS/CDS records kept */
	const char *at, *rule;   /* the warning */
} skip_cases[] = {
	{ "bad-cdnskey.db", "example", 1, { 14364 }, 0, 0,
	    "bad-cdnskey.db:4: ", "got 260 (truncated?); this CDNSKEY is "
	    "skipped" },
	{ "cdnskey.delete.invalid.cds", "example.com", 5,
	    { 48849, 56106, 53851, 19420, 45911 }, 1, 0,
	    "invalid.cds:77: ", "unknown DS digest type 0; this CDS is "
	    "skipped" },
	{ "dnskey_param_error.signed", "example.com", 2, { 29345, 31835 },
	    0, 0, "param_error.signed:26: ", "protocol field is 5, must be "
	    "3; the key is kept" },
	{ "example.axfr.good", "example", 1, { 0 }, 0, 0,
	    "example.axfr.good:1: ", "protocol field is 255" },
	{ "follow.zone", "follow", 1, { 26125 }, 0, 0, "follow.zone:8: ",
	    "must be 64 octets, got 1 (truncated?); the key is kept" },
};

START_TEST(zone_skips_bad_records)
{
	struct ds_parse_result res;
	struct dsreg_err err;
	size_t i, k, n, ncdnskey;

	for (i = 0; i < sizeof(skip_cases) / sizeof(skip_cases[0]); i++) {
		ck_assert_msg(load_compat(skip_cases[i].file,
		    skip_cases[i].zone, ZONE_FLAGS, &res, &err) == 0,
		    "%s: %s", skip_cases[i].file, dsreg_err_text(&err));
		for (k = 0, n = 0, ncdnskey = 0; k < res.keys.n; k++) {
			if (res.keys.v[k]->cdnskey) {
				ncdnskey++;
				continue;
			}
			if (n < 5 && skip_cases[i].tags[n] != 0)
				ck_assert_msg(res.keys.v[k]->key_tag ==
				    skip_cases[i].tags[n], "%s: key %zu has "
				    "tag %u", skip_cases[i].file, n,
				    res.keys.v[k]->key_tag);
			n++;
		}
		ck_assert_msg(n == skip_cases[i].nkeys, "%s: %zu DNSKEYs",
		    skip_cases[i].file, n);
		ck_assert_uint_eq(ncdnskey, skip_cases[i].ncdnskey);
		ck_assert_uint_eq(res.dss.n, skip_cases[i].nds);
		ck_assert_msg(has_warning(&res, skip_cases[i].at,
		    skip_cases[i].rule), "%s: no warning '%s ... %s' (%zu "
		    "warnings, first: %s)", skip_cases[i].file,
		    skip_cases[i].at, skip_cases[i].rule, res.nwarnings,
		    res.nwarnings ? res.warnings[0] : "none");
		ds_parse_result_free(&res);

		/* Read strictly (not as a zone), the same file is refused. */
		ck_assert_int_eq(load_compat(skip_cases[i].file,
		    skip_cases[i].zone, DS_PARSE_APEX_ONLY, &res, &err),
		    DSREG_EPARSE);
		ck_assert_msg(strstr(err.msg, skip_cases[i].at) != NULL,
		    "%s", err.msg);
		ds_parse_result_free(&res);
	}
}
END_TEST

/* What makes dnssec-dsfromkey fail makes the load fail. */
static const struct {
	const char *file, *zone;
	int zone_rules, code;
	const char *frag;
} fail_cases[] = {
	{ "good-cds-unsigned.db", "example", 1, DSREG_ENOTFOUND,
	    "good-cds-unsigned.db: no DNSKEY record at example." },
	/* a key file holding a KEY: BIND's "bad key type" */
	{ "dh.+002+18602.key", NULL, 0, DSREG_ENOTFOUND,
	    "dh.+002+18602.key: no DNSKEY record" },
	{ "dh.+002+18602.key", "dh", 0, DSREG_ENOTFOUND,
	    "dh.+002+18602.key: no DNSKEY record at dh." },
	{ "bogus-ksk.key", "example.com", 1, DSREG_EPARSE,
	    "bogus-ksk.key:6: no TTL, and no $TTL" },
};

START_TEST(zone_failures)
{
	struct ds_parse_result res;
	struct dsreg_err err;
	size_t i;
	int flags;

	for (i = 0; i < sizeof(fail_cases) / sizeof(fail_cases[0]); i++) {
		flags = DS_PARSE_NEED_DNSKEY |
		    (fail_cases[i].zone_rules ? DS_PARSE_ZONE : 0) |
		    (fail_cases[i].zone ? DS_PARSE_APEX_ONLY : 0);
		ck_assert_msg(load_compat(fail_cases[i].file,
		    fail_cases[i].zone, flags, &res, &err) ==
		    fail_cases[i].code, "%s: rc %d (%s)", fail_cases[i].file,
		    err.code, dsreg_err_text(&err));
		ck_assert_msg(strstr(err.msg, fail_cases[i].frag) != NULL,
		    "'%s' not in '%s'", fail_cases[i].frag, err.msg);
		ds_parse_result_free(&res);
	}
	/* Without the zone rules a key file with no TTL is fine. */
	ck_assert_int_eq(load_compat("bogus-ksk.key", "example.com",
	    DS_PARSE_APEX_ONLY | DS_PARSE_NEED_DNSKEY, &res, &err), 0);
	ck_assert_uint_eq(res.keys.n, 1);
	ck_assert_uint_eq(res.keys.v[0]->key_tag, 23221);
	ds_parse_result_free(&res);
}
END_TEST

/* RFC 1035 §5.1 / RFC 2308 §4 as BIND applies them to a zone. */
START_TEST(zone_ttl_rules)
{
	const char *soa_first = "$ORIGIN x.\n"
	    "@ IN SOA ns hm 1 2 3 4 300\n"
	    "@ IN DNSKEY 257 3 13 " P256 "\n";
	const char *explicit_first = "x. 60 IN NS ns.x.\n"
	    "x. IN DNSKEY 257 3 13 " P256 "\n"
	    "x. IN DNSKEY 256 3 13 " P256 "\n";
	const char *none = "x. IN NS ns.x.\n";
	struct ds_parse_result res;
	struct dsreg_err err;

	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_buffer(soa_first, strlen(soa_first), "a.db",
	    NULL, DS_PARSE_ZONE, &res, &err), 0);
	ck_assert(has_warning(&res, "a.db:2: ", "SOA minimum"));
	ck_assert_uint_eq(res.keys.v[0]->ttl, 300);
	ds_parse_result_free(&res);

	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_buffer(explicit_first,
	    strlen(explicit_first), "b.db", NULL, DS_PARSE_ZONE, &res, &err),
	    0);
	ck_assert_uint_eq(res.nwarnings, 1); /* once, as BIND */
	ck_assert(has_warning(&res, "b.db:2: ", "RFC 1035 §5.1"));
	ds_parse_result_free(&res);

	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_buffer(none, strlen(none), "c.db", NULL,
	    DS_PARSE_ZONE, &res, &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "c.db:1: no TTL"));
	ds_parse_result_free(&res);
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_buffer(none, strlen(none), "c.db", NULL, 0,
	    &res, &err), 0);
	ds_parse_result_free(&res);
}
END_TEST

/* An expired RRSIG is warned of once, as BIND does; it changes no DS. */
START_TEST(zone_rrsig_expired)
{
	const char *zone = "$TTL 60\n"
	    "x. IN DNSKEY 257 3 13 " P256 "\n"
	    "x. IN RRSIG SOA 13 1 60 22000101000000 20000101000000 1 x. AAAA\n"
	    "x. IN RRSIG DNSKEY 13 1 60 20010101000000 20000101000000 1 x. "
	    "AAAA\n"
	    "x. IN RRSIG NS 13 1 60 20010101000000 20000101000000 1 x. AAAA\n";
	struct ds_parse_result res;
	struct dsreg_err err;

	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_buffer(zone, strlen(zone), "s.db", NULL,
	    DS_PARSE_ZONE | DS_PARSE_NEED_DNSKEY, &res, &err), 0);
	ck_assert_uint_eq(res.nwarnings, 1);
	ck_assert(has_warning(&res, "s.db:4: ", "RRSIG signature has expired"));
	ck_assert_uint_eq(res.keys.n, 1);
	ds_parse_result_free(&res);
}
END_TEST

/* BIND loads no RSA key whose exponent is longer than 35 bits. */
START_TEST(rsa_exponent_range)
{
	static const uint8_t owner[] = { 1, 'x', 0 };
	uint8_t rdata[4 + 1 + 5 + 128];
	struct ds_key *key = NULL;
	struct dsreg_err err;

	memset(rdata, 0xA5, sizeof(rdata));
	rdata[0] = 1; rdata[1] = 1; rdata[2] = 3; rdata[3] = 8;
	rdata[4] = 5;                                   /* exponent length */
	memcpy(rdata + 5, "\x04\x00\x00\x00\x01", 5);   /* 2^34 + 1: 35 bits */
	ck_assert_int_eq(ds_key_new(&key, owner, sizeof(owner), rdata,
	    sizeof(rdata), &err), 0);
	ds_key_free(key);
	key = NULL;
	memcpy(rdata + 5, "\x08\x00\x00\x00\x01", 5);   /* 2^35 + 1: 36 bits */
	ck_assert_int_eq(ds_key_new(&key, owner, sizeof(owner), rdata,
	    sizeof(rdata), &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "exponent of 36 bits is out of "
	    "range"));
	ck_assert_ptr_null(key);
	memcpy(rdata + 5, "\x00\x00\x01\x00\x01", 5);   /* 65537, zero-padded */
	ck_assert_int_eq(ds_key_new(&key, owner, sizeof(owner), rdata,
	    sizeof(rdata), &err), 0);
	ds_key_free(key);

	ck_assert_int_eq(ds_kfile_read(COMPAT "/Xexample.+008+52810.key", &key,
	    &err), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "+52810.key:2: RFC 3110 §2: RSA "
	    "public exponent of 49 bits is out of range"));
	ck_assert_int_eq(ds_kfile_read(COMPAT "/Xexample.+008+51650.key", &key,
	    &err), 0);
	ck_assert_uint_eq(key->key_tag, 51650);
	ds_key_free(key);
}
END_TEST

/* ---- $INCLUDE and files the user did not name ------------------------ */

#define SECRET "tucows-api-key-5f2b9c0e1d7a4386"

START_TEST(include_needs_flag)
{
	struct ds_parse_result res;
	struct dsreg_err err;
	char *inc, *top;

	inc = write_file("keys.inc", "x. 60 IN DNSKEY 257 3 13 " P256 "\n",
	    strlen("x. 60 IN DNSKEY 257 3 13 " P256 "\n"));
	top = write_file("top.db", "\n$INCLUDE keys.inc\n", 19);
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_file(top, NULL, DS_PARSE_ZONE, &res, &err),
	    DSREG_EUNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(err.msg, "top.db:2: $INCLUDE is not "
	    "followed"));
	ck_assert_ptr_nonnull(strstr(err.msg, "--allow-include"));
	ck_assert_uint_eq(res.keys.n, 0);
	ds_parse_result_free(&res);
	free(top);
	free(inc);
}
END_TEST

/* K-files that try to show another file or their own content: the error
 * names file:line and the rule, never the content. */
START_TEST(kfile_never_quotes_content)
{
	char *secret, *path, *body;
	const char *bodies[] = {
		"%s\n",                               /* first token */
		"%s. IN DNSKEY 257 3 13 GojIhhXU\n",  /* owner, bad key */
		"$%s\n",                              /* a "directive" */
		"$TTL %s\n",
		"$ORIGIN %s!\n",
		"x. IN DNSKEY 257 3 13 Goj!%s\n",
		"; Publish: %s\n",
		"$INCLUDE %s\n",                      /* the secret file's path */
	};
	struct ds_key *key = NULL;
	struct dsreg_err err;
	size_t i;

	secret = write_file("tucows.key", SECRET "\n", strlen(SECRET) + 1);
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		ck_assert_int_ge(asprintf(&body, bodies[i], i == 7 ? secret :
		    SECRET), 0);
		path = write_file("Kx.+013+55648.key", body, strlen(body));
		dsreg_err_clear(&err);
		ck_assert_int_ne(ds_kfile_read(path, &key, &err), 0);
		ck_assert_ptr_null(key);
		ck_assert_msg(strstr(err.msg, "Kx.+013+55648.key") != NULL,
		    "%s", err.msg);
		ck_assert_msg(strstr(err.msg, SECRET) == NULL &&
		    strstr(err.msg, "tucows") == NULL,
		    "case %zu quotes the file: %s", i, err.msg);
		free(body);
		free(path);
	}
	/* The $INCLUDE is refused outright. */
	ck_assert_ptr_nonnull(strstr(err.msg, ":1: $INCLUDE is not followed"));
	free(secret);
}
END_TEST

/* An included file is not named by the user: its content is not quoted
 * either, while the named file's still is. */
START_TEST(include_never_quotes_included)
{
	struct ds_parse_result res;
	struct dsreg_err err;
	char *inc, *top, body[256];

	inc = write_file("tucows.key", SECRET "\n", strlen(SECRET) + 1);
	snprintf(body, sizeof(body), "$ORIGIN example.\n$INCLUDE %s\n", inc);
	top = write_file("top.db", body, strlen(body));
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(ds_parse_file(top, NULL, DS_PARSE_INCLUDE |
	    DS_PARSE_ZONE, &res, &err), DSREG_EPARSE);
	ck_assert_msg(strstr(err.msg, "tucows.key:1:") != NULL, "%s", err.msg);
	ck_assert_msg(strstr(err.msg, SECRET) == NULL, "%s", err.msg);
	ds_parse_result_free(&res);
	free(top);
	free(inc);
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
	tcase_add_test(tc, zone_skips_bad_records);
	tcase_add_test(tc, zone_failures);
	tcase_add_test(tc, zone_ttl_rules);
	tcase_add_test(tc, zone_rrsig_expired);
	tcase_add_test(tc, rsa_exponent_range);
	tcase_add_test(tc, include_needs_flag);
	tcase_add_test(tc, kfile_never_quotes_content);
	tcase_add_test(tc, include_never_quotes_included);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(ds_parse_suite)
