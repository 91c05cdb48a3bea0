/* cli/check_config.c - dsreg check-config: every problem of the config file, one FILE:LINE line each */
#include "cli/check_config.h"
#include "cli/cli.h"
#include "common/error.h"
#include "common/file.h"
#include "common/secret.h"
#include "ds/ds.h"
#include "epp/epp.h"
#include "tucows/client.h"
#include "tucows/envelope.h"
#include "tucows/registrar.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: dsreg check-config [-c FILE] [--online]\n"
    "  -c, --config FILE  the file to check (as the global -c)\n"
    "  --online           log in to each account once, and out\n"
    "one line per problem: FILE:LINE: what is wrong; exit 0 none, 2 any\n";

struct check_opts {
	const char *config;
	int online;
};

static const struct cli_opt check_opts[] = {
	{ .name = "config", .short_name = 'c', .kind = CLI_OPT_STR,
	    .off = offsetof(struct check_opts, config) },
	{ .name = "online", .kind = CLI_OPT_SET,
	    .off = offsetof(struct check_opts, online), .value = 1 },
};

/* Where the checks put what they find. */
struct check {
	config_problem_fn fn;
	void *ctx;
	unsigned n;
	unsigned line;        /* for callbacks: the line of the key checked */
};

static void add(struct check *k, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
add(struct check *k, unsigned line, const char *fmt, ...)
{
	char buf[DSREG_ERR_MAX * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* a registered secret never reaches the output */
	dsreg_secret_scrub_str(buf, sizeof(buf));
	k->fn(k->ctx, line, buf);
	k->n++;
}

/* One problem, as the command collects them: where, and what. */
struct problem {
	unsigned line;        /* 0: the file as a whole */
	size_t seq;           /* order found, for a stable sort */
	char *msg;
};

struct problems {
	struct problem *v;
	size_t n, cap;
	int nomem;
};

static void
collect(void *ctx, unsigned line, const char *msg)
{
	struct problems *k = ctx;
	struct problem *nv;

	if (k->n == k->cap) {
		size_t ncap = k->cap == 0 ? 16 : k->cap * 2;

		if ((nv = realloc(k->v, ncap * sizeof(*nv))) == NULL) {
			k->nomem = 1;
			return;
		}
		k->v = nv;
		k->cap = ncap;
	}
	if ((k->v[k->n].msg = strdup(msg)) == NULL) {
		k->nomem = 1;
		return;
	}
	k->v[k->n].line = line;
	k->v[k->n].seq = k->n;
	k->n++;
}

static int
problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The first OpenSSL error's reason, or "no details". */
static const char *
ssl_why(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	if (e == 0)
		snprintf(buf, len, "no details");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/* Read a file under the rules of common/file.c (regular, capped). */
static int
read_file(struct check *k, unsigned line, const char *key, const char *path,
    char **out, size_t *len)
{
	struct dsreg_err err;
	int fd, rc;

	dsreg_err_clear(&err);
	if ((rc = dsreg_file_open_regular(path, 0, DSREG_FILE_TEXT_MAX, &fd,
	    NULL, &err)) == 0) {
		rc = dsreg_file_read_capped(fd, path, DSREG_FILE_TEXT_MAX, out,
		    len, &err);
		close(fd);
	}
	if (rc != 0)
		add(k, line, "%s: %s", key, dsreg_err_text(&err));
	return rc;
}

/* "expired on 2020-02-01" when the certificate is not valid now, else NULL. */
static const char *
cert_dates(X509 *x, char *buf, size_t len)
{
	const ASN1_TIME *t;
	struct tm tm;
	char d[32] = "?";

	if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0) {
		t = X509_get0_notAfter(x);
		if (ASN1_TIME_to_tm(t, &tm) == 1)
			strftime(d, sizeof(d), "%Y-%m-%d %H:%M:%SZ", &tm);
		snprintf(buf, len, "expired on %s", d);
		return buf;
	}
	if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0) {
		t = X509_get0_notBefore(x);
		if (ASN1_TIME_to_tm(t, &tm) == 1)
			strftime(d, sizeof(d), "%Y-%m-%d %H:%M:%SZ", &tm);
		snprintf(buf, len, "not valid before %s", d);
		return buf;
	}
	return NULL;
}

/*
 * A PEM file of certificates (ca_file, cert_file): it must hold at least
 * one.  With out, the first (the client certificate of a chain) is
 * returned and must be valid now.  0, or -1 after adding the problem.
 */
static int
check_certs(struct check *k, unsigned line, const char *key,
    const char *path, X509 **out)
{
	char *text = NULL, why[256], dates[64];
	size_t len, n = 0;
	X509 *x, *first = NULL;
	BIO *bio = NULL;
	int rc = -1;

	if (read_file(k, line, key, path, &text, &len) != 0)
		return -1;
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL) {
		add(k, line, "%s: %s: out of memory", key, path);
		goto out;
	}
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (first == NULL)
			first = x;
		else
			X509_free(x);
		n++;
	}
	if (n == 0) {
		add(k, line, "%s: %s: no PEM certificate (-----BEGIN "
		    "CERTIFICATE-----) in it: %s", key, path,
		    ssl_why(why, sizeof(why)));
		goto out;
	}
	ERR_clear_error();   /* the end of the file reads as an error */
	if (out != NULL && cert_dates(first, dates, sizeof(dates)) != NULL) {
		add(k, line, "%s: %s: the certificate %s: the server will "
		    "refuse it", key, path, dates);
		goto out;
	}
	rc = 0;
	if (out != NULL) {
		*out = first;
		first = NULL;
	}
out:
	X509_free(first);
	BIO_free(bio);
	free(text);
	return rc;
}

/* No passphrase prompt: an encrypted key cannot be used unattended. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/*
 * The EPP TLS client key: a regular file, not readable by group or others
 * (the rule of epp/tls.c), a PEM private key without a passphrase.
 */
static int
check_tls_key(struct check *k, unsigned line, const char *path,
    EVP_PKEY **out)
{
	struct dsreg_err err;
	char *text = NULL, why[256];
	size_t len = 0;
	EVP_PKEY *pk = NULL;
	BIO *bio = NULL;
	int rc = -1;

	dsreg_err_clear(&err);
	if (read_file(k, line, "key_file", path, &text, &len) != 0)
		return -1;
	if (dsreg_secret_check_mode(path, &err) != 0) {
		add(k, line, "key_file: %s", dsreg_err_text(&err));
		goto out;
	}
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL) {
		add(k, line, "key_file: %s: out of memory", path);
		goto out;
	}
	if ((pk = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase,
	    NULL)) == NULL) {
		add(k, line, "key_file: %s: not a PEM private key without a "
		    "passphrase: %s", path, ssl_why(why, sizeof(why)));
		goto out;
	}
	*out = pk;
	rc = 0;
out:
	BIO_free(bio);
	if (text != NULL)
		dsreg_secret_wipe(text, len);
	free(text);
	return rc;
}

/* A password or API key file, read as the commands read it. */
static int
check_secret(struct check *k, unsigned line, const char *key,
    const char *path)
{
	struct dsreg_err err;
	char *s = NULL;
	size_t len = 0;
	int rc;

	dsreg_err_clear(&err);
	if ((rc = dsreg_secret_read(path, &s, &len, &err)) != 0) {
		add(k, line, "%s: %s", key, dsreg_err_text(&err));
		return -1;
	}
	dsreg_secret_free(s);     /* an empty one was refused */
	return 0;
}

/* The key store: a directory of readable BIND K-files. */
static void
kdir_problem(void *ctx, const struct dsreg_err *e)
{
	struct check *k = ctx;

	add(k, k->line, "keys: %s", dsreg_err_text(e));
}

static void
check_keys(struct check *k, const struct dsreg_config *cfg)
{
	struct ds_keyset ks;
	struct dsreg_err err;
	unsigned line = cfg->keys_line;
	int rc;

	memset(&ks, 0, sizeof(ks));
	dsreg_err_clear(&err);
	k->line = line;
	rc = ds_kdir_read(cfg->keys, 1, &ks, kdir_problem, k, &err);
	if (rc != 0 && rc != DSREG_EPARSE)
		add(k, line, "keys: %s", dsreg_err_text(&err));
	else if (rc == 0 && ks.n == 0)
		add(k, line, "keys: %s: no K*.key files: the key store holds "
		    "the keys audit and plan expect", cfg->keys);
	ds_keyset_free(&ks);
}

/*
 * The state database: SQLite in WAL mode writes the file and, beside it,
 * its -wal and -shm files, so its directory must be writable too.  A file
 * that is not there yet is created by the first run.
 */
static void
check_state(struct check *k, const struct dsreg_config *cfg)
{
	const char *path = cfg->state, *slash;
	unsigned line = cfg->state_line;
	char dir[4096], head[16];
	struct stat st;
	FILE *fp;

	slash = strrchr(path, '/');
	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (stat(dir, &st) != 0) {
		add(k, line, "state: %s: %s (the state database's directory "
		    "must exist)", dir, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		add(k, line, "state: %s: not a directory", dir);
		return;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		add(k, line, "state: %s: %s (SQLite writes the database's -wal "
		    "and -shm files beside it)", dir, strerror(errno));
		return;
	}
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			add(k, line, "state: %s: %s", path, strerror(errno));
		return;      /* created by the first run */
	}
	if (!S_ISREG(st.st_mode)) {
		add(k, line, "state: %s: not a regular file", path);
		return;
	}
	if (access(path, R_OK | W_OK) != 0) {
		add(k, line, "state: %s: %s (dsreg writes every run to it)",
		    path, strerror(errno));
		return;
	}
	if (st.st_size == 0)
		return;
	if ((fp = fopen(path, "rb")) == NULL) {
		add(k, line, "state: %s: %s", path, strerror(errno));
		return;
	}
	if (fread(head, 1, sizeof(head), fp) != sizeof(head) ||
	    memcmp(head, "SQLite format 3", 16) != 0)
		add(k, line, "state: %s: not an SQLite database", path);
	fclose(fp);
}

unsigned
check_config_paths(const struct dsreg_config *cfg, config_problem_fn fn,
    void *ctx)
{
	struct check k = { fn, ctx, 0, 0 };

	if (cfg->keys != NULL)
		check_keys(&k, cfg);
	if (cfg->state != NULL)
		check_state(&k, cfg);
	return k.n;
}

unsigned
check_config_account(const struct account *a, const struct account_lines *l,
    config_problem_fn fn, void *ctx)
{
	struct check k0 = { fn, ctx, 0, 0 }, *k = &k0;
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	int epp = a->type == ACCOUNT_EPP;

	if (a->ca_file != NULL)
		check_certs(k, l->ca_file, "ca_file", a->ca_file, NULL);
	if (a->cert_file != NULL)
		check_certs(k, l->cert_file, "cert_file", a->cert_file,
		    &cert);
	if (a->key_file != NULL) {
		if (epp)
			check_tls_key(k, l->key_file, a->key_file, &key);
		else   /* opensrs: the API key; or an unknown type */
			check_secret(k, l->key_file, "key_file",
			    a->key_file);
	}
	if (a->password_file != NULL)
		check_secret(k, l->password_file, "password_file",
		    a->password_file);
	if (epp && a->cert_file != NULL && a->key_file == NULL)
		add(k, l->cert_file, "cert_file given without key_file: "
		    "the TLS client certificate needs its private key");
	if (epp && a->key_file != NULL && a->cert_file == NULL)
		add(k, l->key_file, "key_file given without cert_file: "
		    "the TLS client key needs its certificate");
	if (cert != NULL && key != NULL && X509_check_private_key(cert,
	    key) != 1) {
		ERR_clear_error();
		add(k, l->key_file, "key_file: %s does not match cert_file "
		    "%s (line %u): the TLS client key must be the private key "
		    "of the certificate", a->key_file, a->cert_file,
		    l->cert_file);
	}
	X509_free(cert);
	EVP_PKEY_free(key);
	return k->n;
}

/* The keys an account needs to log in at all (config_load_all said which are missing). */
static int
can_log_in(const struct account *a)
{
	if (a->type == ACCOUNT_EPP)
		return a->host != NULL && a->username != NULL &&
		    a->password_file != NULL;
	if (a->type == ACCOUNT_OPENSRS)
		return a->url != NULL && a->username != NULL &&
		    a->key_file != NULL;
	return 0;
}

/* EPP: log in (once, no retry) and out. */
static int
login_epp(struct check *k, struct cli *c, const struct account *a,
    unsigned line)
{
	struct epp_session *s = NULL;
	struct epp_result res;
	struct dsreg_err err;
	int rc;

	memset(&res, 0, sizeof(res));
	dsreg_err_clear(&err);
	rc = epp_session_from_account(a, -1, 0, &c->log, &s, &res, &err);
	if (rc == 0) {
		epp_session_close(s);     /* logs out */
		return 0;
	}
	if (res.code != 0)
		add(k, line, "[account %s]: login to %s:%d as %s refused: "
		    "%d %s%s%s", a->name, a->host, a->port, a->username,
		    res.code, res.msg, res.reason[0] ? ": " : "", res.reason);
	else
		add(k, line, "[account %s]: login to %s:%d as %s failed: %s",
		    a->name, a->host, a->port, a->username,
		    dsreg_err_text(&err));
	return -1;
}

/* OpenSRS: one cheap signed read, the first domain of the list. */
static int
list_one(struct osrs_client *cl, long page, struct osrs_result *res,
    struct dsreg_err *err)
{
	struct osrs_value *attrs = NULL;
	char num[24];
	int rc;

	snprintf(num, sizeof(num), "%ld", page);
	if ((rc = osrs_value_new(&attrs, OSRS_ASSOC)) != 0 ||
	    (rc = osrs_assoc_set(attrs, "exp_from", "1970-01-01")) != 0 ||
	    (rc = osrs_assoc_set(attrs, "exp_to", "2199-12-31")) != 0 ||
	    (rc = osrs_assoc_set(attrs, "limit", "1")) != 0 ||
	    (rc = osrs_assoc_set(attrs, "page", num)) != 0) {
		osrs_value_free(attrs);
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	}
	return osrs_call(cl, "GET_DOMAINS_BY_EXPIREDATE", "DOMAIN", NULL,
	    attrs, res, err);
}

static int
login_opensrs(struct check *k, struct cli *c, const struct account *a,
    unsigned line)
{
	struct osrs_client *cl = NULL;
	struct osrs_result res;
	struct dsreg_err err;
	char *text;
	int rc;

	dsreg_err_clear(&err);
	if (osrs_client_from_account(a, &c->log, &cl, &err) != 0) {
		add(k, line, "[account %s]: %s", a->name,
		    dsreg_err_text(&err));
		return -1;
	}
	osrs_result_init(&res);
	rc = list_one(cl, 0, &res, &err);
	if (rc == DSREG_EREMOTE && res.retry == DSREG_RETRY_FIX) {
		/* a server counting pages from 1 (as osrs_domain_list does) */
		dsreg_err_clear(&err);
		rc = list_one(cl, 1, &res, &err);
	}
	if (rc == DSREG_EREMOTE) {
		text = osrs_text_printable(res.response_text != NULL ?
		    res.response_text : "");
		add(k, line, "[account %s]: request to %s as %s refused: "
		    "%d %s", a->name, a->url, a->username, res.response_code,
		    text != NULL ? text : "");
		free(text);
	} else if (rc != 0)
		add(k, line, "[account %s]: request to %s as %s failed: %s",
		    a->name, a->url, a->username, dsreg_err_text(&err));
	osrs_result_free(&res);
	osrs_client_free(cl);
	return rc == 0 ? 0 : -1;
}

/*
 * --format json / jsonl: one object, {"file", "ok", "accounts", "logins"
 * (with --online), "problems": [{"line", "message"}]}; an unreadable file
 * is one problem without a line.
 */
static void
print_json(struct cli *c, const char *path, const struct problems *p,
    size_t naccounts, int online, size_t logins, const char *whole)
{
	json_t *o, *v;
	size_t i;

	o = json_object();
	v = json_array();
	if (whole != NULL)
		json_array_append_new(v, json_pack("{s:n, s:s}", "line",
		    "message", whole));
	for (i = 0; i < p->n; i++)
		json_array_append_new(v, json_pack("{s:o, s:s}", "line",
		    p->v[i].line != 0 ? json_integer((json_int_t)p->v[i].line) :
		    json_null(), "message", p->v[i].msg));
	json_object_set_new(o, "file", json_string(path));
	json_object_set_new(o, "ok", json_boolean(whole == NULL &&
	    p->n == 0));
	json_object_set_new(o, "accounts", json_integer(
	    (json_int_t)naccounts));
	if (online)
		json_object_set_new(o, "logins", json_integer(
		    (json_int_t)logins));
	json_object_set_new(o, "problems", v);
	json_dumpf(o, stdout, c->format == FMT_JSON ? JSON_INDENT(2) :
	    JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(o);
}

int
cmd_check_config(struct cli *c, int argc, char **argv)
{
	static const struct cli_optset set = { "check-config: ", usage_text,
		0, 0, CLI_OPTS(check_opts) };
	struct check_opts o = { NULL, 0 };
	struct dsreg_config *cfg = NULL;
	struct dsreg_err err;
	struct problems p;
	struct check k;
	char home_path[4096];
	const char *path;
	size_t i, logins = 0;
	int first, rc, st = EXIT_OK;

	memset(&p, 0, sizeof(p));
	memset(&k, 0, sizeof(k));
	k.fn = collect;
	k.ctx = &p;
	if ((rc = cli_opts_parse(c, &set, argc, argv, &o, &first)) != 0)
		return cli_exit_status(rc);
	if (first < argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (o.config != NULL)
		c->config_path = o.config;
	if ((path = cli_config_path(c, home_path, sizeof(home_path))) == NULL) {
		cli_err(c, "no configuration file: use -c FILE, $DSREG_CONFIG, "
		    "~/.config/dsreg/dsreg.conf or /etc/dsreg/dsreg.conf");
		return EXIT_USAGE;
	}
	dsreg_err_clear(&err);
	if ((rc = config_load_all(&cfg, path, collect, &p, &err)) < 0) {
		/* the file as a whole: its message names it */
		st = rc == DSREG_ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
		if (c->format == FMT_JSON || c->format == FMT_JSONL)
			print_json(c, path, &p, 0, 0, 0, dsreg_err_text(&err));
		else
			printf("%s\n", dsreg_err_text(&err));
		goto out;
	}
	check_config_paths(cfg, collect, &p);
	for (i = 0; i < cfg->naccounts; i++) {
		const struct account *a = &cfg->accounts[i];
		unsigned line = cfg->lines[i].header;

		if (check_config_account(a, &cfg->lines[i], collect, &p) != 0 ||
		    !o.online || !can_log_in(a))
			continue;
		if ((a->type == ACCOUNT_EPP ? login_epp(&k, c, a, line) :
		    login_opensrs(&k, c, a, line)) == 0)
			logins++;
	}
	if (p.nomem) {
		cli_err(c, "check-config: out of memory");
		st = EXIT_RUNTIME;
		goto out;
	}
	if (p.n > 1)
		qsort(p.v, p.n, sizeof(*p.v), problem_cmp);
	if (p.n > 0)
		st = EXIT_USAGE;
	if (c->format == FMT_JSON || c->format == FMT_JSONL) {
		print_json(c, path, &p, cfg->naccounts, o.online, logins, NULL);
		goto out;
	}
	for (i = 0; i < p.n; i++) {
		if (p.v[i].line != 0)
			printf("%s:%u: %s\n", path, p.v[i].line, p.v[i].msg);
		else
			printf("%s: %s\n", path, p.v[i].msg);
	}
	if (p.n == 0 && c->verbosity >= 0) {
		if (o.online)
			printf("%s: ok (%zu accounts, %zu logins)\n", path,
			    cfg->naccounts, logins);
		else
			printf("%s: ok (%zu accounts)\n", path, cfg->naccounts);
	}
out:
	for (i = 0; i < p.n; i++)
		free(p.v[i].msg);
	free(p.v);
	config_free(cfg);
	return st;
}
