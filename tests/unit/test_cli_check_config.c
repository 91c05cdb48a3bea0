/* tests/unit/test_cli_check_config.c - cli/check_config.c: the file checks of dsreg check-config */
#include "tests/unit/check_main.h"
#include "cli/check_config.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static char got[4096];      /* "LINE: MSG\n" each */

static void
on_problem(void *ctx, unsigned line, const char *msg)
{
	size_t n = strlen(got);

	(void)ctx;
	snprintf(got + n, sizeof(got) - n, "%u: %s\n", line, msg);
}

static char *
file(const char *name)
{
	static char p[8][128];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

static void
put(const char *name, const char *text, mode_t mode)
{
	FILE *fp = fopen(file(name), "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	ck_assert_int_eq(chmod(file(name), mode), 0);
}

static EVP_PKEY *
new_key(const char *name)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	FILE *fp;

	ck_assert_ptr_nonnull(k);
	fp = fopen(file(name), "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(PEM_write_PrivateKey(fp, k, NULL, NULL, 0, NULL,
	    NULL), 1);
	fclose(fp);
	ck_assert_int_eq(chmod(file(name), 0600), 0);
	return k;
}

/* A self-signed certificate for key, valid from..to seconds from now. */
static void
new_cert(const char *name, EVP_PKEY *key, long from, long to)
{
	X509 *x = X509_new();
	X509_NAME *n;
	FILE *fp;

	ck_assert_ptr_nonnull(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)"registrar", -1, -1, 0);
	X509_set_issuer_name(x, n);
	ck_assert_int_gt(X509_sign(x, key, EVP_sha256()), 0);
	fp = fopen(file(name), "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(PEM_write_X509(fp, x), 1);
	fclose(fp);
	X509_free(x);
}

static EVP_PKEY *k1, *k2;

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/dsreg-chk-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	k1 = new_key("k1.key");
	k2 = new_key("k2.key");
	new_cert("c1.pem", k1, 0, 86400);
	new_cert("old.pem", k1, -2 * 86400, -86400);
	new_cert("later.pem", k1, 86400, 2 * 86400);
	put("pw", "Secret-pw-42\n", 0600);
	put("empty.pw", "\n", 0600);
	put("junk.pem", "not a certificate\n", 0644);
	put("junk.key", "not a key\n", 0600);
	got[0] = '\0';
}

static void
teardown(void)
{
	char cmd[128];

	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Each file of an EPP account at its own line. */
static const struct account_lines lines = {
	.header = 5, .type = 6, .ca_file = 10, .cert_file = 11, .key_file = 12,
	.password_file = 13,
};

static struct account
epp(const char *ca, const char *cert, const char *key, const char *pw)
{
	struct account a;

	memset(&a, 0, sizeof(a));
	a.name = "reg";
	a.type = ACCOUNT_EPP;
	a.ca_file = ca ? file(ca) : NULL;
	a.cert_file = cert ? file(cert) : NULL;
	a.key_file = key ? file(key) : NULL;
	a.password_file = pw ? file(pw) : NULL;
	return a;
}

/* Table: an account's files and the problems expected (fragments, in order; "" none). */
static const struct {
	const char *ca, *cert, *key, *pw;
	const char *want[3];
} epp_cases[] = {
	{ "c1.pem", "c1.pem", "k1.key", "pw", { NULL } },
	/* the key does not belong to the certificate */
	{ NULL, "c1.pem", "k2.key", "pw", { "12: key_file: ", "k2.key does not "
	    "match cert_file ", "c1.pem (line 11)" } },
	/* a missing file */
	{ "none.pem", "c1.pem", "k1.key", "pw", { "10: ca_file: ",
	    "none.pem: No such file or directory", NULL } },
	{ NULL, "c1.pem", "k1.key", "none.pw", { "13: password_file: ",
	    "none.pw: No such file", NULL } },
	/* no certificate in a certificate file */
	{ "junk.pem", "c1.pem", "k1.key", "pw", { "10: ca_file: ",
	    "junk.pem: no PEM certificate", NULL } },
	/* a client certificate not valid now */
	{ NULL, "old.pem", "k1.key", "pw", { "11: cert_file: ",
	    "old.pem: the certificate expired on ", NULL } },
	{ NULL, "later.pem", "k1.key", "pw", { "11: cert_file: ",
	    "later.pem: the certificate not valid before ", NULL } },
	/* one without the other */
	{ NULL, "c1.pem", NULL, "pw", { "11: cert_file given without key_file",
	    NULL } },
	{ NULL, NULL, "k1.key", "pw", { "12: key_file given without cert_file",
	    NULL } },
	/* no key where the key should be */
	{ NULL, "c1.pem", "junk.key", "pw", { "12: key_file: ", "junk.key: not "
	    "a PEM private key", NULL } },
	{ NULL, "c1.pem", "k1.key", "empty.pw", { "13: password_file: ",
	    "empty.pw: credentials file is empty", NULL } },
};

START_TEST(epp_account_files)
{
	struct account a = epp(epp_cases[_i].ca, epp_cases[_i].cert,
	    epp_cases[_i].key, epp_cases[_i].pw);
	unsigned n = check_config_account(&a, &lines, on_problem, NULL);
	const char *p = got;
	size_t j;

	if (epp_cases[_i].want[0] == NULL) {
		ck_assert_msg(n == 0, "case %d: %s", _i, got);
		return;
	}
	ck_assert_msg(n == 1, "case %d: %u problems:\n%s", _i, n, got);
	/* "LINE: " starts the line; the rest in order */
	ck_assert_msg(strncmp(got, epp_cases[_i].want[0],
	    strlen(epp_cases[_i].want[0])) == 0, "case %d: %s", _i, got);
	for (j = 1; j < 3 && epp_cases[_i].want[j] != NULL; j++) {
		p = strstr(p, epp_cases[_i].want[j]);
		ck_assert_msg(p != NULL, "case %d: '%s' not in %s", _i,
		    epp_cases[_i].want[j], got);
	}
}
END_TEST

/* The mode rule of the commands: a secret readable by group or others is refused. */
START_TEST(readable_secrets_refused)
{
	struct account a = epp(NULL, "c1.pem", "k1.key", "pw");

	ck_assert_int_eq(chmod(file("k1.key"), 0644), 0);
	ck_assert_int_eq(chmod(file("pw"), 0640), 0);
	ck_assert_uint_eq(check_config_account(&a, &lines, on_problem, NULL),
	    2);
	ck_assert_ptr_nonnull(strstr(got, "12: key_file: "));
	ck_assert_ptr_nonnull(strstr(got, "k1.key: credentials file is "
	    "readable by group or others (mode 0644)"));
	ck_assert_ptr_nonnull(strstr(got, "13: password_file: "));
	ck_assert_ptr_nonnull(strstr(got, "(mode 0640)"));
	/* the password itself is never in a message */
	ck_assert_ptr_null(strstr(got, "Secret-pw-42"));
}
END_TEST

/* An OpenSRS key_file is the API key: the secret rule, not a TLS key. */
START_TEST(opensrs_api_key)
{
	struct account_lines l = { .header = 3, .key_file = 7 };
	struct account a;

	memset(&a, 0, sizeof(a));
	a.name = "tucows";
	a.type = ACCOUNT_OPENSRS;
	a.key_file = file("pw");
	ck_assert_uint_eq(check_config_account(&a, &l, on_problem, NULL), 0);
	ck_assert_int_eq(chmod(file("pw"), 0604), 0);
	ck_assert_uint_eq(check_config_account(&a, &l, on_problem, NULL), 1);
	ck_assert_ptr_nonnull(strstr(got, "7: key_file: "));
	ck_assert_ptr_nonnull(strstr(got, "(mode 0604)"));
}
END_TEST

START_TEST(keys_and_state)
{
	struct dsreg_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.keys = file("keys");
	cfg.keys_line = 2;
	cfg.state = file("db/state.db");
	cfg.state_line = 3;
	/* neither directory is there */
	ck_assert_uint_eq(check_config_paths(&cfg, on_problem, NULL), 2);
	ck_assert_ptr_nonnull(strstr(got, "2: keys: "));
	ck_assert_ptr_nonnull(strstr(got, "3: state: "));
	ck_assert_ptr_nonnull(strstr(got, "/db: No such file or directory"));
	/* an empty key store; a state file not there yet is fine */
	got[0] = '\0';
	ck_assert_int_eq(mkdir(file("keys"), 0700), 0);
	ck_assert_int_eq(mkdir(file("db"), 0700), 0);
	ck_assert_uint_eq(check_config_paths(&cfg, on_problem, NULL), 1);
	ck_assert_ptr_nonnull(strstr(got, "2: keys: "));
	ck_assert_ptr_nonnull(strstr(got, "no K*.key files"));
	/* a K-file that cannot be read: named, at the line of keys */
	got[0] = '\0';
	put("keys/Kbad.example.+013+00001.key", "this is no DNSKEY\n", 0644);
	ck_assert_uint_eq(check_config_paths(&cfg, on_problem, NULL), 1);
	ck_assert_msg(strncmp(got, "2: keys: ", 9) == 0, "%s", got);
	ck_assert_ptr_nonnull(strstr(got, "Kbad.example.+013+00001.key"));
	/* a file that is not an SQLite database */
	got[0] = '\0';
	put("db/state.db", "hello, world, this is no database\n", 0600);
	cfg.keys = NULL;
	ck_assert_uint_eq(check_config_paths(&cfg, on_problem, NULL), 1);
	ck_assert_ptr_nonnull(strstr(got, "3: state: "));
	ck_assert_ptr_nonnull(strstr(got, "not an SQLite database"));
	got[0] = '\0';
	put("db/state.db", "", 0600);
	ck_assert_uint_eq(check_config_paths(&cfg, on_problem, NULL), 0);
}
END_TEST

static Suite *
check_config_suite(void)
{
	Suite *s = suite_create("cli_check_config");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, epp_account_files, 0,
	    (int)(sizeof(epp_cases) / sizeof(epp_cases[0])));
	tcase_add_test(tc, readable_secrets_refused);
	tcase_add_test(tc, opensrs_api_key);
	tcase_add_test(tc, keys_and_state);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(check_config_suite)
