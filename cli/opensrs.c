/* cli/opensrs.c - dsreg opensrs ACCOUNT list | info | lock | unlock | set-ds */
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/registrar_cmd.h"

#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/error.h"
#include "ds/ds.h"
#include "tucows/client.h"
#include "tucows/domain.h"
#include "tucows/registrar.h"

struct run {
	struct regcmd_run rc;     /* c, acct, verb, err */
	struct osrs_client *client;
	struct osrs_result res;
	/* options */
	const char *from, *to;    /* list: YYYY-MM-DD */
	long limit;               /* list: page size; 0: the default */
	int no_relock;            /* set-ds */
};

/* Print j per --format and release it. */
static void
put(const struct run *r, json_t *j)
{
	regcmd_emit(r->rc.c, j);
	json_decref(j);
}

static int
fail(struct run *r, int rc)
{
	if (rc == DSREG_EREMOTE)
		cli_err(r->rc.c, "opensrs %s: %s (retry: %s)", r->rc.acct->name,
		    dsreg_err_text(&r->rc.err), dsreg_retry_name(r->res.retry));
	else
		cli_err(r->rc.c, "opensrs %s: %s", r->rc.acct->name,
		    dsreg_err_text(&r->rc.err));
	return EXIT_RUNTIME;
}

static int
do_list(struct run *r)
{
	struct osrs_domain_list l = { NULL, 0, 0 };
	json_t *a = NULL, *o;
	size_t i;
	int rc;

	rc = osrs_domain_list(r->client, r->from, r->to, (int)r->limit, &l,
	    &r->res, &r->rc.err);
	if (rc != 0) {
		osrs_domain_list_free(&l);
		return fail(r, rc);
	}
	if (r->rc.c->format == FMT_JSON)
		a = json_array();
	if (r->rc.c->format == FMT_CSV)
		printf("account,domain,expiredate\n");
	for (i = 0; i < l.n; i++) {
		if (r->rc.c->format == FMT_TEXT) {
			printf("%s %s\n", l.v[i].name, l.v[i].expiredate != NULL ?
			    l.v[i].expiredate : "-");
			continue;
		}
		if (r->rc.c->format == FMT_CSV) {
			/* Names and dates from the API hold no comma or quote. */
			printf("%s,%s,%s\n", r->rc.acct->name, l.v[i].name,
			    l.v[i].expiredate != NULL ? l.v[i].expiredate : "");
			continue;
		}
		o = json_pack("{s:s, s:s, s:s?}", "account", r->rc.acct->name,
		    "domain", l.v[i].name, "expiredate", l.v[i].expiredate);
		if (a != NULL)
			json_array_append_new(a, o);
		else
			put(r, o);
	}
	put(r, a);
	osrs_domain_list_free(&l);
	return EXIT_OK;
}

static int
do_info(struct run *r, const char *domain)
{
	struct ds_set set = { NULL, 0, 0 };
	int rc, locked = 0;
	size_t i;
	char *t;

	if ((rc = osrs_domain_get_lock(r->client, domain, &locked, &r->res,
	    &r->rc.err)) != 0 ||
	    (rc = osrs_domain_get_ds(r->client, domain, &set, &r->res,
	    &r->rc.err)) != 0) {
		ds_set_free(&set);
		return fail(r, rc);
	}
	if (r->rc.c->format == FMT_JSON || r->rc.c->format == FMT_JSONL) {
		put(r, json_pack("{s:s, s:s, s:b, s:o}", "account",
		    r->rc.acct->name, "domain", domain, "locked", locked, "ds",
		    output_ds_json(&set, 1)));
	} else {
		printf("domain: %s\nlocked: %s\n", domain, locked ? "yes" : "no");
		if (set.n == 0)
			printf("ds: none\n");
		for (i = 0; i < set.n; i++)
			if ((t = ds_rec_to_text(set.v[i], 0)) != NULL) {
				printf("ds: %s\n", t);
				free(t);
			}
	}
	ds_set_free(&set);
	return EXIT_OK;
}

static int
do_lock(struct run *r, const char *domain, int lock)
{
	int rc;

	if ((rc = osrs_domain_set_lock(r->client, domain, lock, &r->res,
	    &r->rc.err)) != 0)
		return fail(r, rc);
	if (r->rc.c->format == FMT_JSON || r->rc.c->format == FMT_JSONL)
		put(r, json_pack("{s:s, s:s, s:b, s:i, s:s?}", "account",
		    r->rc.acct->name, "domain", domain, "locked", lock,
		    "response_code", r->res.response_code, "response_text",
		    r->res.response_text));
	else
		printf("%s: %s\n", domain, lock ? "locked" : "unlocked");
	return EXIT_OK;
}

/* Step callback: say what happens at -v. */
static int
step_log(void *ctx, const struct osrs_step_info *info)
{
	struct run *r = ctx;

	if (info->before)
		dsreg_log(&r->rc.c->log, DSREG_LOG_INFO, "%s: %s ...",
		    info->domain, osrs_step_name(info->step));
	else
		dsreg_log(&r->rc.c->log, DSREG_LOG_INFO, "%s: %s: %s",
		    info->domain, osrs_step_name(info->step),
		    info->rc == 0 ? "done" : dsreg_strerror(info->rc));
	return 0;
}

static int
do_set_ds(struct run *r, const char *domain, int argc, char **argv)
{
	int relock = r->no_relock ? 0 : r->rc.acct->relock;
	struct ds_set set = { NULL, 0, 0 };
	struct osrs_replace_opts o = { relock, step_log, r };
	struct osrs_replace_report rep;
	json_t *j;
	int rc, ex = EXIT_OK;

	if (argc > 0 && (rc = ds_rec_parse_args(argc, argv, &set,
	    &r->rc.err)) != 0) {
		cli_err(r->rc.c, "opensrs set-ds: %s", dsreg_err_text(&r->rc.err));
		ex = EXIT_USAGE;
		goto out;
	}
	rc = osrs_domain_replace_ds(r->client, domain, &set, &o, &rep,
	    &r->res, &r->rc.err);
	if (rc != 0) {
		ex = fail(r, rc);
		if (rc != DSREG_ESTATE && rep.unlock_sent && rep.relocked)
			cli_err(r->rc.c, "opensrs %s: %s: lock restored",
			    r->rc.acct->name, domain);
		if (rc == DSREG_EREMOTE && !relock)
			cli_err(r->rc.c, "opensrs %s: relock is off: if %s is "
			    "locked, unlock it first or set relock = yes",
			    r->rc.acct->name, domain);
	}
	if (r->rc.c->format == FMT_JSON || r->rc.c->format == FMT_JSONL) {
		j = json_pack("{s:s, s:s, s:o, s:b, s:b, s:b, s:b, s:b}",
		    "account", r->rc.acct->name, "domain", domain, "ds",
		    output_ds_json(&set, 1), "ok", rc == 0, "unlocked", rep.unlock_sent,
		    "set", rep.set_ok, "relocked", rep.relocked,
		    "left_unlocked", rep.relock_failed);
		if (j != NULL) {
			json_object_set_new(j, "was_locked", rep.was_locked < 0 ?
			    json_null() : json_boolean(rep.was_locked));
			if (rep.set_sent)
				json_object_set_new(j, "response_code",
				    json_integer(rep.set_code));
		}
		put(r, j);
	} else if (rc == 0) {
		printf("%s: DS set replaced (%zu record%s)%s\n", domain, set.n,
		    set.n == 1 ? "" : "s", rep.unlock_sent ?
		    "; unlocked and locked again" : "");
	}
out:
	ds_set_free(&set);
	return ex;
}

/* ---- the verbs ------------------------------------------------------ */

static int
verb_list(void *r, int argc, char **argv)
{
	return do_list(r);
}

static int
verb_info(void *r, int argc, char **argv)
{
	return do_info(r, argv[0]);
}

static int
verb_lock(void *r, int argc, char **argv)
{
	return do_lock(r, argv[0], 1);
}

static int
verb_unlock(void *r, int argc, char **argv)
{
	return do_lock(r, argv[0], 0);
}

static int
verb_set_ds(void *r, int argc, char **argv)
{
	return do_set_ds(r, argv[0], argc - 1, argv + 1);
}

static const struct regcmd_verb verbs[] = {
	{ "list", 0, 0, NULL, verb_list },
	{ "info", 1, 1, "DOMAIN", verb_info },
	{ "lock", 1, 1, "DOMAIN", verb_lock },
	{ "unlock", 1, 1, "DOMAIN", verb_unlock },
	{ "set-ds", 1, -1, "DOMAIN [DS...]", verb_set_ds },
};

/* --from, --to: YYYY-MM-DD */
static int
opt_date(struct cli *c, void *dst, const struct cli_opt *o, const char *arg)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? arg[i] != '-' :
		    (arg[i] < '0' || arg[i] > '9'))
			break;
	if (i < 10 || arg[10] != '\0') {
		cli_err(c, "--%s: expected YYYY-MM-DD, got '%s'", o->name, arg);
		return DSREG_EINVAL;
	}
	*(const char **)((char *)dst + o->off) = arg;
	return 0;
}

static const struct cli_opt options[] = {
	{ .name = "from", .kind = CLI_OPT_FN, .fn = opt_date,
	    .off = offsetof(struct run, from), .arg = "YYYY-MM-DD",
	    .help = "list: domains expiring from this day" },
	{ .name = "to", .kind = CLI_OPT_FN, .fn = opt_date,
	    .off = offsetof(struct run, to), .arg = "YYYY-MM-DD",
	    .help = "list: domains expiring up to this day" },
	{ .name = "page-size", .kind = CLI_OPT_NUM,
	    .off = offsetof(struct run, limit), .min = 1, .max = 10000,
	    .arg = "N", .help = "list: domains per request" },
	{ .name = "no-relock", .kind = CLI_OPT_SET,
	    .off = offsetof(struct run, no_relock), .value = 1,
	    .help = "set-ds: send only the change, no unlock and\n"
	    "lock again (as relock = no in the account)" },
};

/* The API names domains without the root's dot. */
static int
osrs_check(void *arg, int argc, char **argv)
{
	struct run *r = arg;
	size_t dl;

	if (argc == 0)
		return 0;
	dl = strlen(argv[0]);
	if (dl > 1 && argv[0][dl - 1] == '.')
		argv[0][dl - 1] = '\0';
	if (*argv[0] == '\0' || strchr(argv[0], '.') == NULL) {
		cli_err(r->rc.c, "opensrs: '%s' is not a domain name", argv[0]);
		return DSREG_EINVAL;
	}
	return 0;
}

static int
osrs_open(void *arg)
{
	struct run *r = arg;
	int rc;

	/* The client runs libcurl with CURLOPT_NOSIGNAL: see client.h. */
	signal(SIGPIPE, SIG_IGN);
	osrs_result_init(&r->res);
	if ((rc = osrs_client_from_account(r->rc.acct, &r->rc.c->log,
	    &r->client, &r->rc.err)) != 0) {
		cli_err(r->rc.c, "%s", dsreg_err_text(&r->rc.err));
		return cli_exit_status(rc);
	}
	return EXIT_OK;
}

static void
osrs_close(void *arg)
{
	struct run *r = arg;

	osrs_result_free(&r->res);
	osrs_client_free(r->client);
}

static const struct regcmd opensrs_cmd = {
	.name = "opensrs",
	.type = ACCOUNT_OPENSRS,
	.size = sizeof(struct run),
	.verbs = verbs,
	.nverbs = sizeof(verbs) / sizeof(verbs[0]),
	.opts = options,
	.nopts = sizeof(options) / sizeof(options[0]),
	.notes = "DS is TAG ALG TYPE HEXDIGEST (one word or four); set-ds with "
	    "no DS\nremoves all DNSSEC data.\n",
	.check = osrs_check,
	.open = osrs_open,
	.close = osrs_close,
};

int
cmd_opensrs(struct cli *c, int argc, char **argv)
{
	return regcmd_main(c, &opensrs_cmd, argc, argv);
}
