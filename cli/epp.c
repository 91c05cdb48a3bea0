/* cli/epp.c - dsreg epp ACCOUNT hello | info | add-ds | rem-ds | rem-all */
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/registrar_cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common/error.h"
#include "ds/ds.h"
#include "epp/epp.h"

#define MAX_KEY_FILES 16

struct run {
	struct regcmd_run rc;     /* c, acct, verb, err, out */
	struct epp_session *s;
	struct epp_result res;
	FILE *trace;
	struct dsreg_log log;     /* c->log, with the trace diverted */
	/* options */
	const char *keyfiles[MAX_KEY_FILES];
	size_t nkeys;
	long life;                /* --max-sig-life; 0: not set */
	int urgent;
	const char *trace_path;
	long retries, backoff_ms; /* 0: library default; -1: off */
};

static void
log_hook(void *ctx, enum dsreg_log_level level, const char *msg)
{
	struct run *r = ctx;

	if (level == DSREG_LOG_TRACE && r->trace != NULL) {
		fprintf(r->trace, "%s\n", msg);
		fflush(r->trace);
		if (r->rc.c->log.max_level < DSREG_LOG_TRACE)
			return;
	}
	if (level <= r->rc.c->log.max_level && r->rc.c->log.fn != NULL)
		r->rc.c->log.fn(r->rc.c->log.ctx, level, msg);
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
		    EPP_IFACE_KEY ? "ds" : "key", r->rc.acct->name,
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
	cli_err(r->rc.c, "epp %s: %s", r->rc.acct->name, dsreg_err_text(&r->rc.err));
	if (r->rc.out != NULL) {
		json_object_set_new(r->rc.out, "error",
		    json_string(dsreg_err_text(&r->rc.err)));
		json_object_set_new(r->rc.out, "error_code",
		    json_string(dsreg_strerror(rc)));
		if (r->res.code != 0)
			result_json(r->rc.out, &r->res);
		regcmd_emit(r->rc.c, r->rc.out);
	}
	/* bad settings or credentials files are configuration errors */
	return cli_exit_status(rc);
}

static int
finish(struct run *r, const char *what, const struct epp_result *res)
{
	if (r->rc.out != NULL) {
		result_json(r->rc.out, res);
		regcmd_emit(r->rc.c, r->rc.out);
	} else
		result_text(r, what, res);
	return epp_code_ok(res->code) ? EXIT_OK : EXIT_RUNTIME;
}

static int
do_hello(struct run *r)
{
	const struct epp_greeting *g;
	int rc;
	size_t i;

	if ((rc = epp_hello(r->s, &r->rc.err)) != 0)
		return fail(r, rc);
	g = epp_session_greeting(r->s);
	if (r->rc.out != NULL) {
		json_object_set_new(r->rc.out, "server", json_string(g->svid));
		json_object_set_new(r->rc.out, "svDate", json_string(g->svdate));
		json_object_set_new(r->rc.out, "versions", strv_json(&g->versions));
		json_object_set_new(r->rc.out, "langs", strv_json(&g->langs));
		json_object_set_new(r->rc.out, "objURIs", strv_json(&g->objuris));
		json_object_set_new(r->rc.out, "extURIs", strv_json(&g->exturis));
		json_object_set_new(r->rc.out, "secdns",
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

	if (r->rc.out != NULL) {
		json_object_set_new(r->rc.out, "domain", json_string(info->name));
		json_object_set_new(r->rc.out, "roid", json_string(info->roid));
		json_object_set_new(r->rc.out, "sponsor", json_string(info->clid));
		json_object_set_new(r->rc.out, "statuses",
		    strv_json(&info->statuses));
		json_object_set_new(r->rc.out, "ns", strv_json(&info->ns));
		json_object_set_new(r->rc.out, "secdns",
		    json_string(secdns_name(epp_session_secdns(r->s))));
		json_object_set_new(r->rc.out, "interface", json_string(
		    epp_session_iface(r->s) == EPP_IFACE_KEY ? "key" : "ds"));
		if (info->max_sig_life)
			json_object_set_new(r->rc.out, "maxSigLife",
			    json_integer(info->max_sig_life));
		json_object_set_new(r->rc.out, "ds", output_ds_json(&info->ds, 1));
		keys = json_array();
		for (i = 0; i < info->keys.n; i++)
			if ((t = ds_key_rdata_text(info->keys.v[i])) != NULL) {
				json_array_append_new(keys, json_string(t));
				free(t);
			}
		json_object_set_new(r->rc.out, "keys", keys);
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

	if ((rc = epp_domain_info(r->s, domain, &info, &r->res, &r->rc.err)) != 0)
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
	json_t *base = r->rc.out, *all = NULL;
	int i, rc, ex = EXIT_OK;

	if ((infos = calloc((size_t)n, sizeof(*infos))) == NULL ||
	    (res = calloc((size_t)n, sizeof(*res))) == NULL) {
		cli_err(r->rc.c, "out of memory");
		ex = EXIT_RUNTIME;
		goto out;
	}
	if ((rc = epp_domain_info_many(r->s, (const char *const *)domains,
	    (size_t)n, PIPELINE, infos, res, &r->rc.err)) != 0) {
		ex = fail(r, rc);
		goto out;
	}
	if (base != NULL && r->rc.c->format == FMT_JSON)
		all = json_array();
	for (i = 0; i < n; i++) {
		if (base != NULL) {
			r->rc.out = json_deep_copy(base);
			if (infos[i] == NULL)
				json_object_set_new(r->rc.out, "domain",
				    json_string(domains[i]));
		} else if (i > 0)
			printf("\n");
		if (infos[i] != NULL)
			info_out(r, infos[i]);
		else if (base == NULL)
			printf("domain: %s\n", domains[i]);
		if (all != NULL) {
			result_json(r->rc.out, &res[i]);
			json_array_append_new(all, r->rc.out);
			r->rc.out = NULL;
		} else if (finish(r, "info", &res[i]) != EXIT_OK)
			ex = EXIT_RUNTIME;
		if (!epp_code_ok(res[i].code))
			ex = EXIT_RUNTIME;
		if (base != NULL) {
			json_decref(r->rc.out);
			r->rc.out = NULL;
		}
	}
	if (all != NULL)
		regcmd_emit(r->rc.c, all);
out:
	json_decref(all);
	r->rc.out = base;
	for (i = 0; infos != NULL && i < n; i++)
		epp_domain_info_free(infos[i]);
	free(infos);
	free(res);
	return ex;
}

/* Read DNSKEYs from the --key files; they must belong to domain. */
static int
read_keys(struct run *r, const char *domain, struct ds_keyset *keys)
{
	const char *const *files = r->keyfiles;
	struct ds_parse_result pr;
	uint8_t wire[DS_NAME_WIRE_MAX];
	size_t wlen, i, f, nfiles = r->nkeys;
	int rc = 0;

	if (ds_name_from_text(domain, wire, &wlen, &r->rc.err) != 0) {
		cli_err(r->rc.c, "%s", dsreg_err_text(&r->rc.err));
		return DSREG_EINVAL;
	}
	for (f = 0; f < nfiles && rc == 0; f++) {
		memset(&pr, 0, sizeof(pr));
		if (ds_parse_file(files[f], domain, 0, &pr, &r->rc.err) != 0) {
			cli_err(r->rc.c, "--key %s", dsreg_err_text(&r->rc.err));
			rc = DSREG_EINVAL;
		}
		for (i = 0; rc == 0 && i < pr.keys.n; i++) {
			if (!ds_name_equal(pr.keys.v[i]->owner,
			    pr.keys.v[i]->owner_len, wire, wlen)) {
				cli_err(r->rc.c, "--key %s: key %u belongs to %s, "
				    "not %s", files[f], pr.keys.v[i]->key_tag,
				    pr.keys.v[i]->owner_text, domain);
				rc = DSREG_EINVAL;
			} else if (ds_keyset_add(keys, pr.keys.v[i]) != 0) {
				cli_err(r->rc.c, "out of memory");
				rc = DSREG_ENOMEM;
			} else
				pr.keys.v[i] = NULL;
		}
		if (rc == 0 && pr.keys.n == 0) {
			cli_err(r->rc.c, "--key %s: no DNSKEY record", files[f]);
			rc = DSREG_EINVAL;
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
		    &r->rc.err) != 0) {
			cli_err(r->rc.c, "%s", dsreg_err_text(&r->rc.err));
			return DSREG_EINVAL;
		}
		if (ds_set_contains(set, ds)) {
			ds_rec_free(ds);
		} else if (ds_set_add(set, ds) != 0) {
			ds_rec_free(ds);
			cli_err(r->rc.c, "out of memory");
			return DSREG_ENOMEM;
		}
	}
	return 0;
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
			cli_err(r->rc.c, "DS %s matches no DNSKEY %s", t ? t : "?",
			    from);
			free(t);
			return DSREG_EINVAL;
		}
		if (ds_key_dup(&dup, k) != 0)
			return DSREG_ENOMEM;
		if (ds_keyset_add(out, dup) != 0) {
			ds_key_free(dup);
			return DSREG_ENOMEM;
		}
	}
	return 0;
}

static int
move_keys(struct ds_keyset *from, struct ds_keyset *to)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		if (ds_keyset_add(to, from->v[i]) != 0)
			return DSREG_ENOMEM;
		from->v[i] = NULL;
	}
	from->n = 0;
	return 0;
}

static int
do_change(struct run *r, const char *domain, int nds, char **dsargs)
{
	const char *verb = r->rc.verb;
	uint32_t life = (uint32_t)r->life;
	struct epp_secdns_change chg;
	struct epp_domain_info *info = NULL;
	struct ds_set ds = { 0 };
	struct ds_keyset keys = { 0 };
	int add = strcmp(verb, "add-ds") == 0, ex = EXIT_OK, rc, keyif;

	memset(&chg, 0, sizeof(chg));
	chg.max_sig_life = life;
	chg.urgent = r->urgent;
	if (strcmp(verb, "rem-all") == 0)
		chg.rem_all = 1;
	else if (ds_rec_parse_args(nds, dsargs, &ds, &r->rc.err) != 0) {
		cli_err(r->rc.c, "%s", dsreg_err_text(&r->rc.err));
		ex = EXIT_USAGE;
		goto out;
	}
	if ((rc = read_keys(r, domain, &keys)) != 0) {
		ex = cli_exit_status(rc);
		goto out;
	}
	if (!chg.rem_all && ds.n == 0 && keys.n == 0 && life == 0) {
		cli_err(r->rc.c, "%s: give DS records or --key FILE", verb);
		ex = EXIT_USAGE;
		goto out;
	}
	/* Read the domain first: existence, sponsor, and the interface. */
	if ((rc = epp_domain_info(r->s, domain, &info, &r->res,
	    &r->rc.err)) != 0) {
		ex = fail(r, rc);
		goto out;
	}
	if (info == NULL) {
		ex = finish(r, "info", &r->res);
		goto out;
	}
	keyif = epp_session_iface(r->s) == EPP_IFACE_KEY &&
	    epp_session_secdns(r->s) == EPP_SECDNS_11;
	rc = 0;                   /* DSREG_* of turning DS into keys or back */
	if (keyif && add) {
		if (keys.n == 0) {
			cli_err(r->rc.c, "%s uses the key interface (RFC 5910 "
			    "§4.2 keyData): add-ds needs the DNSKEY; pass "
			    "--key FILE (a K-file or DNSKEY records)",
			    r->rc.acct->name);
			ex = EXIT_USAGE;
			goto out;
		}
		if (ds.n > 0)
			rc = ds_to_keys(r, &ds, &keys, "given with --key",
			    &chg.add_keys);
		else
			rc = move_keys(&keys, &chg.add_keys);
	} else if (keyif && !chg.rem_all) {
		if ((rc = ds_to_keys(r, &ds, &info->keys, "held by the "
		    "registry", &chg.rem_keys)) == 0)
			rc = move_keys(&keys, &chg.rem_keys);
	} else if (!chg.rem_all) {
		rc = keys_to_ds(r, &keys, &ds);
		if (rc == 0) {
			chg.add_ds = add ? ds : chg.add_ds;
			chg.rem_ds = add ? chg.rem_ds : ds;
			memset(&ds, 0, sizeof(ds));
		}
	}
	if (rc != 0) {
		ex = cli_exit_status(rc);
		goto out;
	}
	if (!chg.rem_all && epp_secdns_change_applied(&chg, info) &&
	    life == 0) {
		if (r->rc.out != NULL) {
			json_object_set_new(r->rc.out, "domain",
			    json_string(domain));
			json_object_set_new(r->rc.out, "changed", json_false());
		}
		if (r->rc.out == NULL)
			printf("%s: %s: nothing to do, the registry already "
			    "shows this\n", domain, verb);
		ex = finish(r, "info", &r->res);
		goto out;
	}
	rc = epp_domain_update_secdns(r->s, domain, &chg, &r->res, &r->rc.err);
	if (rc == DSREG_ENOTFOUND) {
		if (r->rc.out == NULL)
			printf("%s: %s: nothing to do: %s\n", domain, verb,
			    dsreg_err_text(&r->rc.err));
		ex = EXIT_OK;
		goto out;
	}
	if (rc != 0) {
		ex = fail(r, rc);
		goto out;
	}
	if (r->rc.out != NULL) {
		json_object_set_new(r->rc.out, "domain", json_string(domain));
		json_object_set_new(r->rc.out, "changed",
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

/* ---- the verbs ------------------------------------------------------ */

static int
verb_hello(void *r, int argc, char **argv)
{
	return do_hello(r);
}

static int
verb_info(void *r, int argc, char **argv)
{
	return argc == 1 ? do_info(r, argv[0]) : do_info_many(r, argc, argv);
}

/* add-ds, rem-ds, rem-all DOMAIN [DS...] */
static int
verb_change(void *r, int argc, char **argv)
{
	return do_change(r, argv[0], argc - 1, argv + 1);
}

static const struct regcmd_verb verbs[] = {
	{ "hello", 0, 0, NULL, verb_hello },
	{ "info", 1, -1, "DOMAIN...", verb_info },
	{ "add-ds", 1, -1, "DOMAIN [DS...]", verb_change },
	{ "rem-ds", 1, -1, "DOMAIN [DS...]", verb_change },
	{ "rem-all", 1, 1, "DOMAIN", verb_change },
};

/* --retries N, --backoff MS: 0 turns them off (-1 to the library). */
static int
opt_or_off(struct cli *c, void *dst, const struct cli_opt *o, const char *arg)
{
	char name[40];
	long v;

	snprintf(name, sizeof(name), "--%s", o->name);
	if (cli_opts_num(c, "", name, NULL, arg, o->min, o->max, &v) != 0)
		return DSREG_EINVAL;
	*(long *)((char *)dst + o->off) = v == 0 ? -1 : v;
	return 0;
}

static const struct cli_opt options[] = {
	{ .name = "key", .short_name = 'k', .kind = CLI_OPT_LIST,
	    .off = offsetof(struct run, keyfiles),
	    .off2 = offsetof(struct run, nkeys), .max = MAX_KEY_FILES,
	    .arg = "FILE", .help = "DNSKEY records (BIND K-file or zone "
	    "format) to\nadd/remove; needed for add-ds on registries using"
	    "\nthe key interface (RFC 5910 keyData); on the ds\ninterface "
	    "their SHA-256 DS is used" },
	{ .name = "max-sig-life", .kind = CLI_OPT_NUM,
	    .off = offsetof(struct run, life), .min = 1, .max = 2147483647L,
	    .arg = "SECS", .help = "also set secDNS maxSigLife (RFC 5910 "
	    "§3.3)" },
	{ .name = "urgent", .kind = CLI_OPT_SET,
	    .off = offsetof(struct run, urgent), .value = 1,
	    .help = "ask for urgent processing (RFC 5910 §5.2.5)" },
	{ .name = "trace", .kind = CLI_OPT_STR,
	    .off = offsetof(struct run, trace_path), .arg = "FILE",
	    .help = "write the XML exchanged to FILE (passwords and\n"
	    "authInfo redacted); -v -v -v traces to stderr" },
	{ .name = "retries", .kind = CLI_OPT_FN,
	    .off = offsetof(struct run, retries), .max = 100,
	    .fn = opt_or_off, .arg = "N",
	    .help = "automatic retries per operation (default 3)" },
	{ .name = "backoff", .kind = CLI_OPT_FN,
	    .off = offsetof(struct run, backoff_ms), .max = 600000,
	    .fn = opt_or_off, .arg = "MS",
	    .help = "first reconnect delay in ms (default 1000)" },
};

/* The trace file, the log hook, the output object, the session. */
static int
epp_open(void *arg)
{
	struct run *r = arg;
	struct cli *c = r->rc.c;
	int fd, rc;

	if (r->trace_path != NULL) {
		fd = open(r->trace_path, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC, 0600);
		if (fd < 0 || (r->trace = fdopen(fd, "w")) == NULL) {
			cli_err(c, "--trace %s: %s", r->trace_path,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			return EXIT_USAGE;
		}
	}
	r->log.fn = log_hook;
	r->log.ctx = r;
	r->log.max_level = r->trace != NULL ? DSREG_LOG_TRACE :
	    c->log.max_level;
	if (c->format == FMT_JSON || c->format == FMT_JSONL) {
		r->rc.out = json_object();
		json_object_set_new(r->rc.out, "account",
		    json_string(r->rc.acct->name));
		json_object_set_new(r->rc.out, "command",
		    json_string(r->rc.verb));
	} else if (c->format == FMT_CSV) {
		cli_err(c, "epp: --format csv is not supported here");
		return EXIT_USAGE;
	}
	if ((rc = epp_session_from_account(r->rc.acct, (int)r->retries,
	    (int)r->backoff_ms, &r->log, &r->s, &r->res, &r->rc.err)) != 0)
		return fail(r, rc);
	return EXIT_OK;
}

static void
epp_close(void *arg)
{
	struct run *r = arg;

	epp_session_close(r->s);
	json_decref(r->rc.out);
	if (r->trace != NULL)
		fclose(r->trace);
}

static const struct regcmd epp_cmd = {
	.name = "epp",
	.type = ACCOUNT_EPP,
	.size = sizeof(struct run),
	.verbs = verbs,
	.nverbs = sizeof(verbs) / sizeof(verbs[0]),
	.opts = options,
	.nopts = sizeof(options) / sizeof(options[0]),
	.notes = "DS is TAG ALG TYPE HEXDIGEST (one word or four).  info with "
	    "several\ndomains pipelines the commands (RFC 5734 §3), 16 at a "
	    "time.\n",
	.open = epp_open,
	.close = epp_close,
};

int
cmd_epp(struct cli *c, int argc, char **argv)
{
	return regcmd_main(c, &epp_cmd, argc, argv);
}
