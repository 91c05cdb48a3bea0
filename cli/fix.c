/* cli/fix.c - plan, apply and instructions: options, the engine set up from the config, per-domain output */
#include "cli/fix.h"
#include "common/error.h"
#include "dns/update.h"
#include "engine/command.h"
#include "epp/epp.h"
#include "tucows/registrar.h"

#include <stddef.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage_text[] = {
	[ENGINE_PLAN] = "usage: dsreg plan [--keys DIR] [--our-ns "
	    "NAME[,NAME...]] [--domains FILE] [DOMAIN...]\n",
	[ENGINE_APPLY] = "usage: dsreg apply [--keys DIR] [--our-ns "
	    "NAME[,NAME...]] [--domains FILE] [--yes] [--wait SECONDS] "
	    "[DOMAIN...]\n",
	[ENGINE_INSTRUCTIONS] = "usage: dsreg instructions [--keys DIR] "
	    "[--our-ns NAME[,NAME...]] [--domains FILE] [DOMAIN...]\n",
};

#define FIX_OPTS \
	AUDIT_SELECTION_OPTS(struct fix_opts)

static const struct cli_opt plan_opts[] = { FIX_OPTS };

static const struct cli_opt apply_opts[] = {
	FIX_OPTS,
	{ .name = "yes", .short_name = 'y', .kind = CLI_OPT_SET,
	    .off = offsetof(struct fix_opts, yes), .value = 1 },
	{ .name = "wait", .short_name = 'w', .kind = CLI_OPT_NUM,
	    .off = offsetof(struct fix_opts, wait), .max = 86400,
	    .noun = "seconds" },
};

int
fix_parse(struct cli *c, enum engine_mode mode, int argc, char **argv,
    struct fix_opts *o)
{
	const struct cli_optset sets[] = {
		[ENGINE_PLAN] = { "plan: ", usage_text[ENGINE_PLAN], 0, 0,
		    CLI_OPTS(plan_opts) },
		[ENGINE_APPLY] = { "apply: ", usage_text[ENGINE_APPLY], 0, 0,
		    CLI_OPTS(apply_opts) },
		[ENGINE_INSTRUCTIONS] = { "instructions: ",
		    usage_text[ENGINE_INSTRUCTIONS], 0, 0, CLI_OPTS(plan_opts) },
	};
	int first, rc;

	memset(o, 0, sizeof(*o));
	o->wait = 300;
	if ((rc = cli_opts_parse(c, &sets[mode], argc, argv, o, &first)) != 0)
		return rc;
	o->argc = argc - first;
	o->argv = argv + first;
	return 0;
}

/* The config's `type` words and their registrar implementations: adding
 * a registrar is one file implementing struct registrar_ops and a row
 * here (and its keys in config.c). */
static const struct {
	enum account_type type;
	const struct registrar_ops *ops;
} registrars[] = {
	{ ACCOUNT_OPENSRS, &osrs_registrar_ops },
	{ ACCOUNT_EPP, &epp_registrar_ops },
	{ ACCOUNT_DNSUPDATE, &dns_update_registrar_ops },
	{ ACCOUNT_COMMAND, &engine_command_registrar_ops },
};

const struct registrar_ops *
fix_registrar_ops(enum account_type type)
{
	size_t i;

	for (i = 0; i < sizeof(registrars) / sizeof(registrars[0]); i++)
		if (registrars[i].type == type)
			return registrars[i].ops;
	return NULL;
}

/* The plan's clock: now, or $DSREG_NOW (seconds since 1970; for tests that
 * let the DS TTL pass).  Signatures are still judged at the real time. */
static time_t
plan_clock(struct cli *c)
{
	const char *e = getenv("DSREG_NOW");
	char *end;
	long long v;

	if (e == NULL || *e == '\0')
		return time(NULL);
	v = strtoll(e, &end, 10);
	if (*end != '\0' || v <= 0) {
		cli_err(c, "DSREG_NOW: expected seconds since 1970, got '%s'; "
		    "using the real time", e);
		return time(NULL);
	}
	return (time_t)v;
}

static void
say(void *ctx, const char *msg)
{
	cli_err(ctx, "%s", msg);
}

/* One audited and planned domain, written with its account, plan and
 * actions (called serialised by the engine). */
static int
on_domain(void *ctx, const struct dns_audit *a, const struct engine_item *it)
{
	struct fix *f = ctx;
	json_t *extra, *actions;
	char msg[512];
	size_t i;
	int rc;

	if (f->out == NULL)
		return 0;
	extra = json_object();
	actions = json_array();
	if (it->nclaims > 1) {
		snprintf(msg, sizeof(msg), "error: claimed by %zu accounts "
		    "(%s, %s%s): fix the config", it->nclaims,
		    it->claims[0]->cfg->name, it->claims[1]->cfg->name,
		    it->nclaims > 2 ? ", ..." : "");
		json_array_append_new(actions, json_string(msg));
	} else if (it->plan.kind != DNS_PLAN_NOTHING && it->acct == NULL &&
	    it->route == ENGINE_ROUTE_SCAN)
		json_array_append_new(actions, json_string(
		    engine_policy_scan_note(it->policy, it->parent ? it->parent :
		    "the parent", msg, sizeof(msg))));
	else if (it->plan.kind != DNS_PLAN_NOTHING && it->acct == NULL)
		json_array_append_new(actions, json_string("manual: no account "
		    "may change it; see dsreg instructions"));
	for (i = 0; i < it->plan.nnotes; i++)
		json_array_append_new(actions, json_string(it->plan.notes[i]));
	json_object_set_new(extra, "account", it->acct ?
	    json_string(it->acct->cfg->name) : json_null());
	json_object_set_new(extra, "plan",
	    json_string(dns_plan_kind_name(it->plan.kind)));
	json_object_set_new(extra, "route", json_string(engine_item_route(it)));
	json_object_set_new(extra, "actions", actions);
	rc = output_audit(f->out, a, extra);
	json_decref(extra);
	return rc;
}

int
fix_open(struct fix *f, struct cli *c, enum engine_mode mode,
    const struct fix_opts *o)
{
	struct engine_config ec;
	size_t i;
	int st;

	memset(f, 0, sizeof(*f));
	f->c = c;
	f->o = *o;
	f->e.lock_fd = -1;
	if ((st = cli_audit_setup(c, &f->audit, &o->sel, o->argc,
	    o->argv)) != 0)
		return st;
	if ((f->accounts = calloc(c->cfg->naccounts + 1,
	    sizeof(*f->accounts))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < c->cfg->naccounts; i++) {
		f->accounts[i].cfg = &c->cfg->accounts[i];
		f->accounts[i].ops = fix_registrar_ops(c->cfg->accounts[i].type);
	}
	memset(&ec, 0, sizeof(ec));
	ec.mode = mode;
	ec.state_path = c->cfg->state;
	ec.accounts = f->accounts;
	ec.naccounts = c->cfg->naccounts;
	ec.audit = &f->audit;
	ec.now = plan_clock(c);
	ec.wait = o->wait;
	ec.log = &c->log;
	ec.policy = &c->cfg->policy;
	ec.say = say;
	ec.say_ctx = c;
	ec.on_domain = on_domain;
	ec.on_domain_ctx = f;
	return engine_open(&f->e, &ec);
}

int
fix_plan(struct fix *f, int with_output)
{
	struct cli *c = f->c;
	int rc;

	if (with_output && output_new(&f->out, c->format, stdout,
	    isatty(STDERR_FILENO) && c->verbosity >= 0 &&
	    f->audit.sel.n > 1, f->audit.sel.n) != 0)
		return DSREG_ENOMEM;
	rc = engine_plan(&f->e);
	if (f->out != NULL && output_finish(f->out) != 0 && rc == 0)
		rc = DSREG_EIO;
	if (rc != 0) {
		cli_err(c, "%s: %s", f->e.cfg.mode == ENGINE_APPLY ? "apply" :
		    "plan", dsreg_strerror(rc));
		/* a failed run, whatever the code says */
		return cli_exit_status(rc) == EXIT_RUNTIME ? rc : DSREG_EIO;
	}
	if (f->audit.sel.nbad > 0)
		cli_err(c, "%zu bad domain name%s in the input (see above); "
		    "the others were planned", f->audit.sel.nbad,
		    f->audit.sel.nbad == 1 ? "" : "s");
	return 0;
}

void
fix_close(struct fix *f)
{
	engine_close(&f->e);
	output_free(f->out);
	f->out = NULL;
	free(f->accounts);
	f->accounts = NULL;
	engine_audit_free(&f->audit);
}
