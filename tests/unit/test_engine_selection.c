/* tests/unit/test_engine_selection.c - engine/selection.c: name checks, IDN suggestion, domain files, key store zones */
#include "tests/unit/check_main.h"
#include "engine/selection.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

START_TEST(check_name_table)
{
	static const struct {
		const char *in, *out, *why;  /* out NULL: refused, why in reason */
	} t[] = {
		{ "example.com", "example.com.", NULL },
		{ "Example.COM.", "example.com.", NULL },
		{ "_dsboot.example.com", "_dsboot.example.com.", NULL },
		{ "xn--bcher-kva.example", "xn--bcher-kva.example.", NULL },
		{ "a-b.c-d.e", "a-b.c-d.e.", NULL },
		{ "", NULL, "empty" },
		{ ".", NULL, "empty" },
		{ "a..b", NULL, "empty label" },
		{ ".a", NULL, "empty label" },
		{ "with space.com", NULL, "white space" },
		{ "foo/bar.com", NULL, "'/'" },
		{ "foo*.com", NULL, "'*'" },
		{ "tab\tx.com", NULL, "white space" },
		{ "ctl\x01.com", NULL, "control character" },
		/* RFC 3492 §7.1-style vectors, via the suggestion */
		{ "bücher.example", NULL, "xn--bcher-kva.example'" },
		{ "München.de", NULL, "xn--mnchen-3ya.de'" },
		{ "例え.テスト", NULL, "xn--r8jz45g.xn--zckzah'" },
		{ "\xff\xfe.com", NULL, "invalid UTF-8" },
		/* RFC 3492 §7.1 sample strings (D), (E), (B), (L) as labels;
		 * IDNA2008 (UTS #46 non-transitional) lower-cases first */
		{ "他们为什么不说中文.example", NULL,
		  "'xn--ihqwcrb4cv8a8dqg056pqjye.example'" },
		{ "他們爲什麽不說中文.example", NULL,
		  "'xn--ihqwctvzc91f659drss3x8bo0yb.example'" },
		{ "Pročprostěnemluvíčesky.cz", NULL,
		  "'xn--proprostnemluvesky-uyb24dma41a.cz'" },
		{ "почемужеонинеговорятпорусски.ru", NULL,
		  "'xn--b1abfaaepdrnnbgefbadotcwatmq2g4l.ru'" },
		/* decomposed (NFD) input is normalised to NFC first */
		{ "bu\xcc\x88" "cher.example", NULL, "'xn--bcher-kva.example'" },
		/* case folding beyond Latin-1 (U+011E -> U+011F) */
		{ "Ğ.example", NULL, "'xn--tea.example'" },
		/* non-transitional: sharp s stays (DENIC, IDNA2008) */
		{ "straße.de", NULL, "'xn--strae-oqa.de'" },
		/* IDNA2008 disallows symbols: no A-label to suggest */
		{ "\xe2\x98\x83.example", NULL, "must be written as its xn--" },
	};
	char out[1100], why[400];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc = engine_selection_check_name(t[i].in, out, sizeof(out), why,
		    sizeof(why));

		if (t[i].out != NULL) {
			ck_assert_msg(rc == 0, "'%s' refused: %s", t[i].in, why);
			ck_assert_str_eq(out, t[i].out);
		} else {
			ck_assert_msg(rc == DSREG_EPARSE, "'%s' accepted",
			    t[i].in);
			ck_assert_msg(strstr(why, t[i].why) != NULL,
			    "'%s': reason '%s' lacks '%s'", t[i].in, why,
			    t[i].why);
		}
	}
}
END_TEST

START_TEST(check_name_limits)
{
	char name[400], out[1100], why[400];

	/* 63-octet label fine, 64 refused */
	memset(name, 'a', 63);
	strcpy(name + 63, ".example");
	ck_assert_int_eq(engine_selection_check_name(name, out, sizeof(out), why,
	    sizeof(why)), 0);
	memset(name, 'a', 64);
	strcpy(name + 64, ".example");
	ck_assert_int_eq(engine_selection_check_name(name, out, sizeof(out), why,
	    sizeof(why)), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(why, "64 octets"));
	ck_assert_ptr_nonnull(strstr(why, "63"));
	/* 4 x (63+1) + 1 = 257 wire octets: refused; 253 characters fine */
	memset(name, 'b', sizeof(name));
	name[63] = name[127] = name[191] = '.';
	name[255] = '\0';
	ck_assert_int_eq(engine_selection_check_name(name, out, sizeof(out), why,
	    sizeof(why)), DSREG_EPARSE);
	ck_assert_ptr_nonnull(strstr(why, "255"));
	name[253] = '\0';
	ck_assert_int_eq(engine_selection_check_name(name, out, sizeof(out), why,
	    sizeof(why)), 0);
}
END_TEST

static char tmpdir[64];

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

struct errs {
	char msgs[16][600];
	int n;
};

static void
collect(void *ctx, const char *msg)
{
	struct errs *e = ctx;

	if (e->n < 16)
		snprintf(e->msgs[e->n++], sizeof(e->msgs[0]), "%s", msg);
}

START_TEST(domains_file_errors)
{
	struct engine_selection sel;
	struct errs e;
	struct dsreg_err err;
	char path[128];
	char *argv[] = { "Arg.Example", "bad name" };

	memset(&sel, 0, sizeof(sel));
	memset(&e, 0, sizeof(e));
	dsreg_err_clear(&err);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dsreg-sel-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/domains.txt", tmpdir);
	write_file(path, "# list\n"
	    "one.example\n"
	    "  two.example.   # comment\r\n"
	    "garbage here\n"
	    "\n"
	    "ONE.example.\n"
	    "bücher.example\n"
	    "arg.example\n"
	    "three.example");
	ck_assert_int_eq(engine_selection_load(&sel, NULL, path, 2, argv, collect, &e,
	    &err), 0);
	ck_assert_uint_eq(sel.n, 4);
	ck_assert_str_eq(sel.domains[0], "arg.example.");
	ck_assert_str_eq(sel.domains[1], "one.example.");
	ck_assert_str_eq(sel.domains[2], "two.example.");
	ck_assert_str_eq(sel.domains[3], "three.example.");
	ck_assert_uint_eq(sel.nbad, 3);
	ck_assert_int_eq(e.n, 3);
	ck_assert_ptr_nonnull(strstr(e.msgs[0], "argument 'bad name'"));
	ck_assert_ptr_nonnull(strstr(e.msgs[1], "domains.txt:4: 'garbage here'"));
	ck_assert_ptr_nonnull(strstr(e.msgs[2], "domains.txt:7:"));
	ck_assert_ptr_nonnull(strstr(e.msgs[2], "xn--bcher-kva.example'"));
	engine_selection_free(&sel);
	/* an unreadable file is an error for the whole run */
	memset(&sel, 0, sizeof(sel));
	ck_assert_int_lt(engine_selection_load(&sel, NULL, "/nonexistent/list", 0, NULL,
	    collect, &e, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/list"));
	engine_selection_free(&sel);
	/* no source at all */
	memset(&sel, 0, sizeof(sel));
	ck_assert_int_eq(engine_selection_load(&sel, NULL, NULL, 0, NULL, collect, &e,
	    &err), DSREG_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "--keys"));
	engine_selection_free(&sel);
	unlink(path);
	rmdir(tmpdir);
}
END_TEST

/* Two zones in a key store, one in a subdirectory (RFC 8080 test key). */
static const char kfile_a[] =
    "; This is a key-signing key, keyid 3613, for example.com.\n"
    "; Created: 20260101000000 (Thu Jan  1 00:00:00 2026)\n"
    "; Publish: 20260101000000 (Thu Jan  1 00:00:00 2026)\n"
    "; Activate: 20260101000000 (Thu Jan  1 00:00:00 2026)\n"
    "example.com. 3600 IN DNSKEY 257 3 15 "
    "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n";

START_TEST(key_store_zones)
{
	struct engine_selection sel;
	struct errs e;
	struct dsreg_err err;
	char path[160], sub[128];
	const struct ds_key *const *k;
	size_t n;
	uint16_t tag;

	memset(&sel, 0, sizeof(sel));
	memset(&e, 0, sizeof(e));
	dsreg_err_clear(&err);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dsreg-sel-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(sub, sizeof(sub), "%s/sub", tmpdir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	{
		struct ds_key *tmp;
		snprintf(path, sizeof(path), "%s/probe.key", tmpdir);
		write_file(path, kfile_a);
		ck_assert_int_eq(ds_kfile_read(path, &tmp, &err), 0);
		tag = tmp->key_tag;
		ds_key_free(tmp);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/Kexample.com.+015+%05u.key", sub, tag);
	write_file(path, kfile_a);
	ck_assert_int_eq(engine_selection_load(&sel, tmpdir, NULL, 0, NULL, collect,
	    &e, &err), 0);
	ck_assert(sel.have_keys);
	ck_assert_uint_eq(sel.n, 1);
	ck_assert_str_eq(sel.domains[0], "example.com.");
	k = engine_selection_zone_keys(&sel, "example.com.", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(k[0]->key_tag, tag);
	ck_assert_ptr_null(engine_selection_zone_keys(&sel, "example.net.", &n));
	ck_assert_uint_eq(n, 0);
	engine_selection_free(&sel);
	unlink(path);
	rmdir(sub);
	rmdir(tmpdir);
}
END_TEST

static Suite *
audit_selection_suite(void)
{
	Suite *s = suite_create("engine_selection");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, check_name_table);
	tcase_add_test(tc, check_name_limits);
	tcase_add_test(tc, domains_file_errors);
	tcase_add_test(tc, key_store_zones);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(audit_selection_suite)
