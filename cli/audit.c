/* cli/audit.c - dsreg audit: every parent server's DS against the child's keys and the key store */
#include "cli/audit.h"
#include "cli/output.h"
#include "common/error.h"
#include "common/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_JOBS 64

static void
line_error(void *ctx, const char *msg)
{
	cli_err(ctx, "%s", msg);
}

static int
set_resolvers(struct cli *c, struct engine_audit *s)
{
	struct dns_addr addrs[CLI_MAX_RESOLVERS];
	struct dsreg_err err;
	struct dns_opts opts;
	size_t n = 0, i;
	char *const *src = c->resolvers;
	size_t nsrc = c->nresolvers;

	dsreg_err_clear(&err);
	if (nsrc == 0 && c->cfg->nresolvers > 0) {
		src = c->cfg->resolvers;
		nsrc = c->cfg->nresolvers;
	}
	for (i = 0; i < nsrc && n < CLI_MAX_RESOLVERS; i++) {
		if (dns_addr_parse(src[i], &addrs[n], &err) != 0) {
			cli_err(c, "--resolver: %s", dsreg_err_text(&err));
			return DSREG_EINVAL;
		}
		n++;
	}
	if (n == 0 && dns_resolvconf_read("/etc/resolv.conf", addrs,
	    CLI_MAX_RESOLVERS, &n, &err) != 0) {
		cli_err(c, "no resolver: %s; use --resolver ADDR[@PORT] or "
		    "'resolver' in the config", dsreg_err_text(&err));
		return DSREG_EINVAL;
	}
	dns_opts_default(&opts);
	if (c->cfg->max_qps_set)
		opts.max_qps = (unsigned)c->cfg->max_qps_per_server;
	if (dns_ctx_new(&s->ctx, addrs, n, &opts, &c->log) != 0) {
		cli_err(c, "out of memory");
		return DSREG_ENOMEM;
	}
	return 0;
}

static int
set_our_ns(struct cli *c, struct engine_audit *s, const char *list)
{
	char **v = NULL, norm[1100], why[400];
	size_t n = 0, i;
	int rc = 0;

	if (list != NULL) {
		if (config_split(list, &v, &n) != 0) {
			cli_err(c, "out of memory");
			return DSREG_ENOMEM;
		}
	} else if (c->cfg->nour_ns > 0) {
		if ((v = calloc(c->cfg->nour_ns + 1, sizeof(*v))) == NULL)
			return DSREG_ENOMEM;
		for (i = 0; i < c->cfg->nour_ns; i++)
			v[n++] = strdup(c->cfg->our_ns[i]);
	}
	if (n > 0 && (s->our_ns = calloc(n, sizeof(*s->our_ns))) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (v[i] == NULL || engine_selection_check_name(v[i], norm,
		    sizeof(norm), why, sizeof(why)) != 0) {
			cli_err(c, "--our-ns '%s': %s", v[i] ? v[i] : "",
			    v[i] ? why : "out of memory");
			rc = DSREG_EINVAL;
			goto out;
		}
		if ((s->our_ns[s->nour_ns] = strdup(norm)) == NULL) {
			rc = DSREG_ENOMEM;
			goto out;
		}
		s->nour_ns++;
	}
out:
	config_strv_free(v, n);
	return rc;
}

static int
set_digests(struct cli *c, struct engine_audit *s)
{
	enum ds_digest d;
	size_t i;

	for (i = 0; i < c->cfg->ndigests; i++) {
		if (ds_digest_from_name(c->cfg->digests[i], &d) != 0) {
			cli_err(c, "%s: digests: unknown digest type '%s' "
			    "(sha1, sha256, sha384)", c->cfg->path ?
			    c->cfg->path : "config", c->cfg->digests[i]);
			return DSREG_EINVAL;
		}
		if (s->ndigests < sizeof(s->digests))
			s->digests[s->ndigests++] = (uint8_t)d;
	}
	if (s->ndigests == 0)
		s->digests[s->ndigests++] = DS_DIGEST_SHA256;
	return 0;
}

int
cli_audit_setup(struct cli *c, struct engine_audit *s, const struct audit_args *a,
    int argc, char **argv)
{
	const char *keys = a->keys, *domains_file = a->domains;
	struct dsreg_err err;
	int rc;

	memset(s, 0, sizeof(*s));
	dsreg_err_clear(&err);
	s->now = time(NULL);
	s->jobs = c->jobs > 0 ? (int)c->jobs : DEFAULT_JOBS;
	if (cli_config(c, 0) == NULL)
		return DSREG_EINVAL;
	if (keys == NULL)
		keys = c->cfg->keys;
	if ((rc = set_digests(c, s)) != 0 ||
	    (rc = set_our_ns(c, s, a->our_ns)) != 0)
		return rc;
	rc = engine_selection_load(&s->sel, keys, domains_file, argc, argv,
	    line_error, c, &err);
	if (rc != 0) {
		cli_err(c, "%s", dsreg_err_text(&err));
		return rc == DSREG_ENOMEM ? rc : DSREG_EINVAL;
	}
	if (s->sel.n == 0 && s->sel.nbad == 0 && keys != NULL &&
	    argc == 0 && domains_file == NULL) {
		cli_err(c, "key store %s holds no K*.key files", keys);
		return DSREG_EINVAL;
	}
	return set_resolvers(c, s);
}


/* ---- dsreg audit ---------------------------------------------------------- */

struct sink {
	struct cli *c;
	struct output *out;
	struct state_db *db;
	int64_t run_id;
	int db_failed;
	size_t action;
};

static char *
dump(json_t *j)
{
	char *s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	return s;
}

/* The output object, rendered by the worker in parallel with the others. */
static void *
render(void *arg, const struct dns_audit *a)
{
	struct sink *k = arg;
	struct dsreg_buf *b = malloc(sizeof(*b));

	if (b == NULL)
		return NULL;
	if (output_audit_render(k->out, a, b) != 0 || b->len == 0) {
		/* not a JSON format; or output_audit_pre renders again and
		 * reports the error */
		dsreg_buf_free(b);
		free(b);
		return NULL;
	}
	return b;
}

static int
record(void *arg, struct dns_audit *a, void *pre)
{
	struct sink *k = arg;
	struct dsreg_buf *b = pre;
	struct dsreg_err err;
	json_t *f;
	char *fs, *ps, *es;
	size_t i;
	int rc;

	if (dns_verdict_needs_action(a->verdict))
		k->action++;
	rc = output_audit_pre(k->out, a, NULL, b);
	if (b != NULL) {
		dsreg_buf_free(b);
		free(b);
	}
	if (k->db != NULL && !k->db_failed) {
		dsreg_err_clear(&err);
		f = json_array();
		for (i = 0; i < a->nfindings; i++)
			json_array_append_new(f, json_string(a->findings[i]));
		fs = dump(f);
		ps = dump(output_ds_json(&a->parent_ds, 0));
		es = dump(output_ds_json(&a->expected_ds, 0));
		if (state_result_add(k->db, k->run_id, time(NULL), a->domain,
		    dns_verdict_name(a->verdict), fs, ps, es, &err) != 0) {
			cli_err(k->c, "%s", dsreg_err_text(&err));
			k->db_failed = 1;
		}
		free(fs);
		free(ps);
		free(es);
	}
	return rc;
}

static const char audit_usage[] =
    "usage: dsreg audit [--keys DIR] [--our-ns NAME[,NAME...]] "
    "[--domains FILE] [DOMAIN...]\n";

/* The selection options of audit (and of plan, apply, instructions,
 * signals: see fix.c and signals.c). */
struct audit_opts {
	struct audit_args sel;
};

static const struct cli_opt audit_opts[] = {
	AUDIT_SELECTION_OPTS(struct audit_opts),
};

int
cmd_audit(struct cli *c, int argc, char **argv)
{
	static const struct cli_optset set = { "", audit_usage, 0, 0,
		CLI_OPTS(audit_opts) };
	struct audit_opts a = { { NULL, NULL, NULL } };
	struct engine_audit s;
	struct sink k;
	struct dsreg_err err;
	char *counts = NULL;
	int first, rc, status;

	memset(&s, 0, sizeof(s));
	memset(&k, 0, sizeof(k));
	dsreg_err_clear(&err);
	if ((rc = cli_opts_parse(c, &set, argc, argv, &a, &first)) != 0)
		return cli_exit_status(rc);
	if ((rc = cli_audit_setup(c, &s, &a.sel,
	    argc - first, argv + first)) != 0) {
		status = cli_exit_status(rc);
		goto out;
	}
	k.c = c;
	if (c->cfg->state != NULL) {
		if ((rc = state_open(&k.db, c->cfg->state, &err)) != 0 ||
		    (rc = state_run_begin(k.db, "audit", s.now, &k.run_id,
		    &err)) != 0) {
			cli_err(c, "%s", dsreg_err_text(&err));
			status = cli_exit_status(cli_state_error(rc));
			goto out;
		}
	}
	if (output_new(&k.out, c->format, stdout, isatty(STDERR_FILENO) &&
	    c->verbosity >= 0 && s.sel.n > 1, s.sel.n) != 0) {
		status = EXIT_RUNTIME;
		goto out;
	}
	output_set_policy(k.out, &c->cfg->policy);
	rc = engine_audit_run(&s, render, record, &k);
	if (output_finish(k.out) != 0 && rc == 0)
		rc = DSREG_EIO;
	/* openmetrics: the counts, once the run is over */
	if (rc == 0 && c->format == FMT_OPENMETRICS)
		rc = metrics_write(stdout, output_metrics(k.out));
	{
		struct dns_stats st;

		dns_ctx_stats(s.ctx, &st);
		dsreg_log(&c->log, DSREG_LOG_INFO, "audit: %zu domains, %lu "
		    "queries (%lu to the resolver), %lu parent zone "
		    "discoveries, %lu host lookups", s.sel.n, st.queries,
		    st.resolver_queries, st.discoveries, st.host_lookups);
	}
	if (k.db != NULL) {
		counts = dump(output_counts_json(k.out));
		if (state_run_end(k.db, k.run_id, time(NULL), counts, &err) != 0) {
			cli_err(c, "%s", dsreg_err_text(&err));
			k.db_failed = 1;
		}
	}
	if (rc != 0) {
		cli_err(c, "audit: %s", dsreg_strerror(rc));
		status = EXIT_RUNTIME;
	} else if (k.db_failed)
		status = EXIT_RUNTIME;
	else if (s.sel.nbad > 0) {
		cli_err(c, "%zu bad domain name%s in the input (see above); "
		    "the others were audited", s.sel.nbad,
		    s.sel.nbad == 1 ? "" : "s");
		status = EXIT_USAGE;
	} else
		status = k.action > 0 ? EXIT_ACTION : EXIT_OK;
out:
	free(counts);
	output_free(k.out);
	state_close(k.db);
	engine_audit_free(&s);
	return status;
}
