/* cli/epp.c - dsreg epp ACCOUNT hello | info | add-ds | rem-ds | rem-all */
#include "cli/cli.h"
#include "cli/epp.h"
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/error.h"
#include "common/secret.h"
#include "ds/ds.h"
#include "epp/epp.h"

static const char usage_text[] =
    "usage: dsreg epp [options] ACCOUNT hello\n"
    "       dsreg epp [options] ACCOUNT info DOMAIN...\n"
    "       dsreg epp [options] ACCOUNT add-ds DOMAIN [DS...]\n"
    "       dsreg epp [options] ACCOUNT rem-ds DOMAIN [DS...]\n"
    "       dsreg epp [options] ACCOUNT rem-all DOMAIN\n"
    "options:\n"
    "  -k, --key FILE        DNSKEY records (BIND K-file or zone format) to\n"
    "                        add/remove; needed for add-ds on registries using\n"
    "                        the key interface (RFC 5910 keyData); on the ds\n"
    "                        interface their SHA-256 DS is used\n"
    "  --max-sig-life SECS   also set secDNS maxSigLife (RFC 5910 §3.3)\n"
    "  --urgent              ask for urgent processing (RFC 5910 §5.2.5)\n"
    "  --trace FILE          write the XML exchanged to FILE (passwords and\n"
    "                        authInfo redacted); -v -v -v traces to stderr\n"
    "  --retries N           automatic retries per operation (default 3)\n"
    "  --backoff MS          first reconnect delay in ms (default 1000)\n"
    "DS is TAG ALG TYPE HEXDIGEST (one word or four).  info with several\n"
    "domains pipelines the commands (RFC 5734 §3), 16 at a time.\n";

#define MAX_KEY_FILES 16

struct run {
	struct cli *c;
	const struct account *acct;
	struct epp_session *s;
	struct epp_result res;
	struct dsreg_err err;
	FILE *trace;
	struct dsreg_log log;     /* c->log, with the trace diverted */
	json_t *out;              /* JSON object being filled, or NULL */
};

static void
log_hook(void *ctx, enum dsreg_log_level level, const char *msg)
{
	struct run *r = ctx;

	if (level == DSREG_LOG_TRACE && r->trace != NULL) {
		fprintf(r->trace, "%s\n", msg);
		fflush(r->trace);
		if (r->c->log.max_level < DSREG_LOG_TRACE)
			return;
	}
	if (level <= r->c->log.max_level && r->c->log.fn != NULL)
		r->c->log.fn(r->c->log.ctx, level, msg);
}

static void
emit(const struct cli *c, json_t *j)
{
	if (j == NULL)
		return;
	json_dumpf(j, stdout, c->format == FMT_JSON ?
	    JSON_INDENT(2) | JSON_PRESERVE_ORDER :
	    JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

static json_t *
strv_json(const struct epp_strv *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < v->n; i++)
		json_array_append_new(a, json_string(v->v[i]));
	return a;
}

static const char *
secdns_name(enum epp_secdns v)
{
	return v == EPP_SECDNS_11 ? "1.1" : v == EPP_SECDNS_10 ? "1.0" :
	    "none";
}

/* "257 3 13 BASE64" (malloc'd) */

static void
result_json(json_t *o, const struct epp_result *res)
{
	json_object_set_new(o, "code", json_integer(res->code));
	json_object_set_new(o, "msg", json_string(res->msg));
	if (res->reason[0])
		json_object_set_new(o, "reason", json_string(res->reason));
	json_object_set_new(o, "clTRID", json_string(res->cltrid));
	json_object_set_new(o, "svTRID", json_string(res->svtrid));
	if (!epp_code_ok(res->code))
		json_object_set_new(o, "retry",
		    json_string(dsreg_retry_name(res->cls)));
	if (res->recovered)
		json_object_set_new(o, "recovered", json_true());
}

static void
result_text(const struct run *r, const char *what,
    const struct epp_result *res)
{
	printf("%s: %d %s (svTRID %s)\n", what, res->code, res->msg,
	    res->svtrid[0] ? res->svtrid : "-");
	if (res->reason[0])
		printf("  reason: %s\n", res->reason);
	if (res->code == 2306)
		printf("  the registry refused the change: wrong interface "
		    "(this session used the %s interface; set interface = "
		    "%s in [account %s] if the registry wants %s) or "
		    "registry policy\n", epp_session_iface(r->s) ==
		    EPP_IFACE_KEY ? "key" : "ds", epp_session_iface(r->s) ==
		    EPP_IFACE_KEY ? "ds" : "key", r->acct->name,
		    epp_session_iface(r->s) == EPP_IFACE_KEY ? "DS data" :
		    "DNSKEYs");
	else if (res->code == 2304)
		printf("  the domain's status forbids the update (e.g. "
		    "clientUpdateProhibited: lift the lock first)\n");
	else if (res->code == 2201)
		printf("  this account is not authorised for the domain "
		    "(another registrar sponsors it?)\n");
}

static int
fail(struct run *r, int rc)
{
	cli_err(r->c, "epp %s: %s", r->acct->name, dsreg_err_text(&r->err));
	if (r->out != NULL) {
		json_object_set_new(r->out, "error",
		    json_string(dsreg_err_text(&r->err)));
		json_object_set_new(r->out, "error_code",
		    json_string(dsreg_strerror(rc)));
		if (r->res.code != 0)
			result_json(r->out, &r->res);
		emit(r->c, r->out);
	}
	/* bad settings or credentials files are configuration errors */
	return rc == DSREG_EINVAL || rc == DSREG_EPERM ||
	    rc == DSREG_ENOTFOUND ? EXIT_USAGE : EXIT_RUNTIME;
}

static int
finish(struct run *r, const char *what, const struct epp_result *res)
{
	if (r->out != NULL) {
		result_json(r->out, res);
		emit(r->c, r->out);
	} else
		result_text(r, what, res);
	return epp_code_ok(res->code) ? EXIT_OK : EXIT_RUNTIME;
}

static int
open_session(struct run *r, int retries, int backoff_ms)
{
	int rc;

	if ((rc = cli_epp_session(r->acct, retries, backoff_ms, &r->log, &r->s,
	    &r->res, &r->err)) != 0)
		return fail(r, rc);
	return EXIT_OK;
}

int
cli_epp_session(const struct account *a, int retries, int backoff_ms,
    const struct dsreg_log *log, struct epp_session **out,
    struct epp_result *res, struct dsreg_err *err)
{
	struct epp_config cfg;
	char *pw = NULL;
	size_t pwlen;
	int rc;

	if (a->host == NULL || a->username == NULL ||
	    a->password_file == NULL)
		return dsreg_err_set(err, DSREG_EINVAL, "[account %s] needs "
		    "host, username and password_file", a->name);
	if ((rc = dsreg_secret_read(a->password_file, &pw, &pwlen, err)) != 0)
		return rc;
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = a->host;
	cfg.port = a->port;
	cfg.server_name = a->server_name;
	cfg.ca_file = a->ca_file;
	cfg.cert_file = a->cert_file;
	cfg.key_file = a->key_file;
	cfg.username = a->username;
	cfg.password = pw;
	cfg.secdns = a->secdns == NULL || strcmp(a->secdns, "auto") == 0 ?
	    EPP_SECDNS_AUTO : strcmp(a->secdns, "1.1") == 0 ?
	    EPP_SECDNS_PREF_11 : EPP_SECDNS_PREF_10;
	cfg.iface = a->interface != NULL && strcmp(a->interface, "key") == 0 ?
	    EPP_IFACE_KEY : EPP_IFACE_DS;
	cfg.rate = a->rate;
	cfg.timeout_ms = a->timeout > 0 ? a->timeout * 1000 : 0;
	cfg.retries = retries;
	cfg.backoff_ms = backoff_ms;
	rc = epp_session_open(out, &cfg, log, res, err);
	dsreg_secret_free(pw);
	return rc;
}

static int
do_hello(struct run *r)
{
	const struct epp_greeting *g;
	int rc;
	size_t i;

	if ((rc = epp_hello(r->s, &r->err)) != 0)
		return fail(r, rc);
	g = epp_session_greeting(r->s);
	if (r->out != NULL) {
		json_object_set_new(r->out, "server", json_string(g->svid));
		json_object_set_new(r->out, "svDate", json_string(g->svdate));
		json_object_set_new(r->out, "versions", strv_json(&g->versions));
		json_object_set_new(r->out, "langs", strv_json(&g->langs));
		json_object_set_new(r->out, "objURIs", strv_json(&g->objuris));
		json_object_set_new(r->out, "extURIs", strv_json(&g->exturis));
		json_object_set_new(r->out, "secdns",
		    json_string(secdns_name(epp_session_secdns(r->s))));
		return finish(r, "login", &r->res);
	}
	printf("server: %s\ndate: %s\n", g->svid, g->svdate);
	for (i = 0; i < g->versions.n; i++)
		printf("version: %s\n", g->versions.v[i]);
	for (i = 0; i < g->objuris.n; i++)
		printf("objURI: %s\n", g->objuris.v[i]);
	for (i = 0; i < g->exturis.n; i++)
		printf("extURI: %s\n", g->exturis.v[i]);
	printf("secDNS in use: %s\n", secdns_name(epp_session_secdns(r->s)));
	return finish(r, "login", &r->res);
}

static void
info_out(struct run *r, const struct epp_domain_info *info)
{
	json_t *keys;
	char *t;
	size_t i;

	if (r->out != NULL) {
		json_object_set_new(r->out, "domain", json_string(info->name));
		json_object_set_new(r->out, "roid", json_string(info->roid));
		json_object_set_new(r->out, "sponsor", json_string(info->clid));
		json_object_set_new(r->out, "statuses",
		    strv_json(&info->statuses));
		json_object_set_new(r->out, "ns", strv_json(&info->ns));
		json_object_set_new(r->out, "secdns",
		    json_string(secdns_name(epp_session_secdns(r->s))));
		json_object_set_new(r->out, "interface", json_string(
		    epp_session_iface(r->s) == EPP_IFACE_KEY ? "key" : "ds"));
		if (info->max_sig_life)
			json_object_set_new(r->out, "maxSigLife",
			    json_integer(info->max_sig_life));
		json_object_set_new(r->out, "ds", output_ds_json(&info->ds, 1));
		keys = json_array();
		for (i = 0; i < info->keys.n; i++)
			if ((t = ds_key_rdata_text(info->keys.v[i])) != NULL) {
				json_array_append_new(keys, json_string(t));
				free(t);
			}
		json_object_set_new(r->out, "keys", keys);
		return;
	}
	printf("domain: %s\nsponsor: %s\n", info->name, info->clid);
	printf("status:");
	for (i = 0; i < info->statuses.n; i++)
		printf(" %s", info->statuses.v[i]);
	printf("\n");
	for (i = 0; i < info->ns.n; i++)
		printf("ns: %s\n", info->ns.v[i]);
	printf("secDNS: %s, %s interface\n",
	    secdns_name(epp_session_secdns(r->s)),
	    epp_session_iface(r->s) == EPP_IFACE_KEY ? "key" : "ds");
	if (info->max_sig_life)
		printf("maxSigLife: %u\n", info->max_sig_life);
	for (i = 0; i < info->ds.n; i++)
		if ((t = ds_rec_to_text(info->ds.v[i], 0)) != NULL) {
			printf("%s\n", t);
			free(t);
		}
	for (i = 0; i < info->keys.n; i++)
		if ((t = ds_key_rdata_text(info->keys.v[i])) != NULL) {
			printf("%s IN DNSKEY %s ; key tag %u\n",
			    info->keys.v[i]->owner_text ?
			    info->keys.v[i]->owner_text : info->name, t,
			    info->keys.v[i]->key_tag);
			free(t);
		}
	if (info->ds.n == 0 && info->keys.n == 0)
		printf("no DS data\n");
}

static int
do_info(struct run *r, const char *domain)
{
	struct epp_domain_info *info = NULL;
	int rc;

	if ((rc = epp_domain_info(r->s, domain, &info, &r->res, &r->err)) != 0)
		return fail(r, rc);
	if (info != NULL)
		info_out(r, info);
	epp_domain_info_free(info);
	return finish(r, "info", &r->res);
}

#define PIPELINE 16

/*
 * info for several domains: pipelined; text blocks, JSON lines, or one
 * JSON array.  Exit 0 only if every answer is a success.
 */
static int
do_info_many(struct run *r, int n, char **domains)
{
	struct epp_domain_info **infos = NULL;
	struct epp_result *res = NULL;
	json_t *base = r->out, *all = NULL;
	int i, rc, ex = EXIT_OK;

	if ((infos = calloc((size_t)n, sizeof(*infos))) == NULL ||
	    (res = calloc((size_t)n, sizeof(*res))) == NULL) {
		cli_err(r->c, "out of memory");
		ex = EXIT_RUNTIME;
		goto out;
	}
	if ((rc = epp_domain_info_many(r->s, (const char *const *)domains,
	    (size_t)n, PIPELINE, infos, res, &r->err)) != 0) {
		ex = fail(r, rc);
		goto out;
	}
	if (base != NULL && r->c->format == FMT_JSON)
		all = json_array();
	for (i = 0; i < n; i++) {
		if (base != NULL) {
			r->out = json_deep_copy(base);
			if (infos[i] == NULL)
				json_object_set_new(r->out, "domain",
				    json_string(domains[i]));
		} else if (i > 0)
			printf("\n");
		if (infos[i] != NULL)
			info_out(r, infos[i]);
		else if (base == NULL)
			printf("domain: %s\n", domains[i]);
		if (all != NULL) {
			result_json(r->out, &res[i]);
			json_array_append_new(all, r->out);
			r->out = NULL;
		} else if (finish(r, "info", &res[i]) != EXIT_OK)
			ex = EXIT_RUNTIME;
		if (!epp_code_ok(res[i].code))
			ex = EXIT_RUNTIME;
		if (base != NULL) {
			json_decref(r->out);
			r->out = NULL;
		}
	}
	if (all != NULL)
		emit(r->c, all);
out:
	json_decref(all);
	r->out = base;
	for (i = 0; infos != NULL && i < n; i++)
		epp_domain_info_free(infos[i]);
	free(infos);
	free(res);
	return ex;
}

/* Read DNSKEYs from the --key files; they must belong to domain. */
static int
read_keys(struct run *r, const char *domain, char **files, int nfiles,
    struct ds_keyset *keys)
{
	struct ds_parse_result pr;
	uint8_t wire[DS_NAME_WIRE_MAX];
	size_t wlen, i;
	int f, rc = EXIT_OK;

	if (ds_name_from_text(domain, wire, &wlen, &r->err) != 0) {
		cli_err(r->c, "%s", dsreg_err_text(&r->err));
		return EXIT_USAGE;
	}
	for (f = 0; f < nfiles && rc == EXIT_OK; f++) {
		memset(&pr, 0, sizeof(pr));
		if (ds_parse_file(files[f], domain, 0, &pr, &r->err) != 0) {
			cli_err(r->c, "--key %s", dsreg_err_text(&r->err));
			rc = EXIT_USAGE;
		}
		for (i = 0; rc == EXIT_OK && i < pr.keys.n; i++) {
			if (!ds_name_equal(pr.keys.v[i]->owner,
			    pr.keys.v[i]->owner_len, wire, wlen)) {
				cli_err(r->c, "--key %s: key %u belongs to %s, "
				    "not %s", files[f], pr.keys.v[i]->key_tag,
				    pr.keys.v[i]->owner_text, domain);
				rc = EXIT_USAGE;
			} else if (ds_keyset_add(keys, pr.keys.v[i]) != 0) {
				cli_err(r->c, "out of memory");
				rc = EXIT_RUNTIME;
			} else
				pr.keys.v[i] = NULL;
		}
		if (rc == EXIT_OK && pr.keys.n == 0) {
			cli_err(r->c, "--key %s: no DNSKEY record", files[f]);
			rc = EXIT_USAGE;
		}
		ds_parse_result_free(&pr);
	}
	return rc;
}

/* DS (SHA-256) of each key into set. */
static int
keys_to_ds(struct run *r, const struct ds_keyset *keys, struct ds_set *set)
{
	struct ds_rec *ds;
	size_t i;

	for (i = 0; i < keys->n; i++) {
		if (ds_compute(&ds, keys->v[i], DS_DIGEST_SHA256,
		    &r->err) != 0) {
			cli_err(r->c, "%s", dsreg_err_text(&r->err));
			return EXIT_USAGE;
		}
		if (ds_set_contains(set, ds)) {
			ds_rec_free(ds);
		} else if (ds_set_add(set, ds) != 0) {
			ds_rec_free(ds);
			cli_err(r->c, "out of memory");
			return EXIT_RUNTIME;
		}
	}
	return EXIT_OK;
}

/*
 * Key interface: turn DS arguments into keys.  For add, each DS must
 * match a --key; for rem, a key the registry holds (from info) matching
 * the DS is removed.
 */
static int
ds_to_keys(struct run *r, const struct ds_set *ds, const struct ds_keyset
    *pool, const char *from, struct ds_keyset *out)
{
	const struct ds_key *k;
	struct ds_key *dup;
	char *t;
	size_t i;

	for (i = 0; i < ds->n; i++) {
		if ((k = ds_keyset_match(pool, ds->v[i])) == NULL) {
			t = ds_rec_rdata_text(ds->v[i]);
			cli_err(r->c, "DS %s matches no DNSKEY %s", t ? t : "?",
			    from);
			free(t);
			return EXIT_USAGE;
		}
		if (ds_key_dup(&dup, k) != 0)
			return EXIT_RUNTIME;
		if (ds_keyset_add(out, dup) != 0) {
			ds_key_free(dup);
			return EXIT_RUNTIME;
		}
	}
	return EXIT_OK;
}

static int
move_keys(struct ds_keyset *from, struct ds_keyset *to)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		if (ds_keyset_add(to, from->v[i]) != 0)
			return EXIT_RUNTIME;
		from->v[i] = NULL;
	}
	from->n = 0;
	return EXIT_OK;
}

static int
do_change(struct run *r, const char *verb, const char *domain, int nds,
    char **dsargs, char **keyfiles, int nkeys, uint32_t life, int urgent)
{
	struct epp_secdns_change chg;
	struct epp_domain_info *info = NULL;
	struct ds_set ds = { 0 };
	struct ds_keyset keys = { 0 };
	int add = strcmp(verb, "add-ds") == 0, ex = EXIT_OK, rc, keyif;

	memset(&chg, 0, sizeof(chg));
	chg.max_sig_life = life;
	chg.urgent = urgent;
	if (strcmp(verb, "rem-all") == 0)
		chg.rem_all = 1;
	else if (ds_rec_parse_args(nds, dsargs, &ds, &r->err) != 0) {
		cli_err(r->c, "%s", dsreg_err_text(&r->err));
		ex = EXIT_USAGE;
		goto out;
	}
	if ((ex = read_keys(r, domain, keyfiles, nkeys, &keys)) != EXIT_OK)
		goto out;
	if (!chg.rem_all && ds.n == 0 && keys.n == 0 && life == 0) {
		cli_err(r->c, "%s: give DS records or --key FILE", verb);
		ex = EXIT_USAGE;
		goto out;
	}
	/* Read the domain first: existence, sponsor, and the interface. */
	if ((rc = epp_domain_info(r->s, domain, &info, &r->res,
	    &r->err)) != 0) {
		ex = fail(r, rc);
		goto out;
	}
	if (info == NULL) {
		ex = finish(r, "info", &r->res);
		goto out;
	}
	keyif = epp_session_iface(r->s) == EPP_IFACE_KEY &&
	    epp_session_secdns(r->s) == EPP_SECDNS_11;
	if (keyif && add) {
		if (keys.n == 0) {
			cli_err(r->c, "%s uses the key interface (RFC 5910 "
			    "§4.2 keyData): add-ds needs the DNSKEY; pass "
			    "--key FILE (a K-file or DNSKEY records)",
			    r->acct->name);
			ex = EXIT_USAGE;
			goto out;
		}
		if (ds.n > 0)
			ex = ds_to_keys(r, &ds, &keys, "given with --key",
			    &chg.add_keys);
		else
			ex = move_keys(&keys, &chg.add_keys);
	} else if (keyif && !chg.rem_all) {
		if ((ex = ds_to_keys(r, &ds, &info->keys, "held by the "
		    "registry", &chg.rem_keys)) == EXIT_OK)
			ex = move_keys(&keys, &chg.rem_keys);
	} else if (!chg.rem_all) {
		ex = keys_to_ds(r, &keys, &ds);
		if (ex == EXIT_OK) {
			chg.add_ds = add ? ds : chg.add_ds;
			chg.rem_ds = add ? chg.rem_ds : ds;
			memset(&ds, 0, sizeof(ds));
		}
	}
	if (ex != EXIT_OK)
		goto out;
	if (!chg.rem_all && epp_secdns_change_applied(&chg, info) &&
	    life == 0) {
		if (r->out != NULL) {
			json_object_set_new(r->out, "domain",
			    json_string(domain));
			json_object_set_new(r->out, "changed", json_false());
		}
		if (r->out == NULL)
			printf("%s: %s: nothing to do, the registry already "
			    "shows this\n", domain, verb);
		ex = finish(r, "info", &r->res);
		goto out;
	}
	rc = epp_domain_update_secdns(r->s, domain, &chg, &r->res, &r->err);
	if (rc == DSREG_ENOTFOUND) {
		if (r->out == NULL)
			printf("%s: %s: nothing to do: %s\n", domain, verb,
			    dsreg_err_text(&r->err));
		ex = EXIT_OK;
		goto out;
	}
	if (rc != 0) {
		ex = fail(r, rc);
		goto out;
	}
	if (r->out != NULL) {
		json_object_set_new(r->out, "domain", json_string(domain));
		json_object_set_new(r->out, "changed",
		    json_boolean(epp_code_ok(r->res.code)));
	}
	ex = finish(r, verb, &r->res);
out:
	epp_domain_info_free(info);
	epp_secdns_change_free(&chg);
	ds_set_free(&ds);
	ds_keyset_free(&keys);
	return ex;
}

static int
parse_num(struct cli *c, const char *opt, const char *s, long min, long max,
    long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		cli_err(c, "%s: expected a number from %ld to %ld, got '%s'",
		    opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

int
cmd_epp(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "max-sig-life", required_argument, NULL, 'm' },
		{ "urgent", no_argument, NULL, 'u' },
		{ "trace", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ "backoff", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run r;
	char *keyfiles[MAX_KEY_FILES];
	const char *verb, *domain = NULL, *trace_path = NULL;
	long life = 0, retries = 0, backoff_ms = 0, v;
	int ch, nkeys = 0, nargs, ex = EXIT_USAGE, urgent = 0, fd;

	memset(&r, 0, sizeof(r));
	r.c = c;
	while ((ch = getopt_long(argc, argv, "k:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if (nkeys == MAX_KEY_FILES) {
				cli_err(c, "at most %d --key options",
				    MAX_KEY_FILES);
				return EXIT_USAGE;
			}
			keyfiles[nkeys++] = optarg;
			break;
		case 'm':
			if (parse_num(c, "--max-sig-life", optarg, 1,
			    2147483647L, &life) != 0)
				return EXIT_USAGE;
			break;
		case 'u':
			urgent = 1;
			break;
		case 't':
			trace_path = optarg;
			break;
		case 'r':
			if (parse_num(c, "--retries", optarg, 0, 100, &v) != 0)
				return EXIT_USAGE;
			retries = v == 0 ? -1 : v;
			break;
		case 'b':
			if (parse_num(c, "--backoff", optarg, 0, 600000,
			    &v) != 0)
				return EXIT_USAGE;
			backoff_ms = v == 0 ? -1 : v;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	verb = argv[1];
	nargs = argc - 2;
	if (strcmp(verb, "hello") == 0 ? nargs != 0 :
	    strcmp(verb, "rem-all") == 0 ? nargs != 1 :
	    (strcmp(verb, "info") == 0 || strcmp(verb, "add-ds") == 0 ||
	    strcmp(verb, "rem-ds") == 0) ? nargs < 1 : 1) {
		cli_err(c, "epp: bad use of '%s'", verb);
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (nargs > 0)
		domain = argv[2];
	if ((r.acct = cli_account(c, argv[0], ACCOUNT_EPP)) == NULL)
		return EXIT_USAGE;
	if (trace_path != NULL) {
		fd = open(trace_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600);
		if (fd < 0 || (r.trace = fdopen(fd, "w")) == NULL) {
			cli_err(c, "--trace %s: %s", trace_path,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			return EXIT_USAGE;
		}
	}
	r.log.fn = log_hook;
	r.log.ctx = &r;
	r.log.max_level = r.trace != NULL ? DSREG_LOG_TRACE :
	    c->log.max_level;
	if (c->format == FMT_JSON || c->format == FMT_JSONL) {
		r.out = json_object();
		json_object_set_new(r.out, "account",
		    json_string(r.acct->name));
		json_object_set_new(r.out, "command", json_string(verb));
	} else if (c->format == FMT_CSV) {
		cli_err(c, "epp: --format csv is not supported here");
		goto out;
	}
	if ((ex = open_session(&r, (int)retries, (int)backoff_ms)) !=
	    EXIT_OK)
		goto out;
	if (strcmp(verb, "hello") == 0)
		ex = do_hello(&r);
	else if (strcmp(verb, "info") == 0)
		ex = nargs == 1 ? do_info(&r, domain) :
		    do_info_many(&r, nargs, argv + 2);
	else
		ex = do_change(&r, verb, domain, nargs - 1, argv + 3,
		    keyfiles, nkeys, (uint32_t)life, urgent);
out:
	epp_session_close(r.s);
	json_decref(r.out);
	if (r.trace != NULL)
		fclose(r.trace);
	return ex;
}
