/* cli/opensrs.c - dsreg opensrs ACCOUNT list | info | lock | unlock | set-ds */
#include "cli/cli.h"
#include "cli/opensrs.h"
#include "cli/output.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/error.h"
#include "common/secret.h"
#include "ds/ds.h"
#include "tucows/client.h"
#include "tucows/domain.h"

static const char usage_text[] =
    "usage: dsreg opensrs ACCOUNT list [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                                  [--page-size N]\n"
    "       dsreg opensrs ACCOUNT info DOMAIN\n"
    "       dsreg opensrs ACCOUNT lock DOMAIN\n"
    "       dsreg opensrs ACCOUNT unlock DOMAIN\n"
    "       dsreg opensrs ACCOUNT set-ds [--no-relock] DOMAIN [DS...]\n"
    "DS is TAG ALG TYPE HEXDIGEST (one word or four); set-ds with no DS\n"
    "removes all DNSSEC data.\n";

struct run {
	struct cli *c;
	const struct account *acct;
	struct osrs_client *client;
	struct osrs_result res;
	struct dsreg_err err;
};

/* Print a JSON value per --format (json: indented, jsonl: one line). */
static void
emit(const struct cli *c, json_t *j)
{
	if (j == NULL)
		return;
	json_dumpf(j, stdout, c->format == FMT_JSON ?
	    JSON_INDENT(2) | JSON_PRESERVE_ORDER :
	    JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

static int
fail(struct run *r, int rc)
{
	if (rc == DSREG_EREMOTE)
		cli_err(r->c, "opensrs %s: %s (retry: %s)", r->acct->name,
		    dsreg_err_text(&r->err), osrs_retry_name(r->res.retry));
	else
		cli_err(r->c, "opensrs %s: %s", r->acct->name,
		    dsreg_err_text(&r->err));
	return EXIT_RUNTIME;
}

static int
do_list(struct run *r, const char *from, const char *to, int limit)
{
	struct osrs_domain_list l = { NULL, 0, 0 };
	json_t *a = NULL, *o;
	size_t i;
	int rc;

	rc = osrs_domain_list(r->client, from, to, limit, &l, &r->res, &r->err);
	if (rc != 0) {
		osrs_domain_list_free(&l);
		return fail(r, rc);
	}
	if (r->c->format == FMT_JSON)
		a = json_array();
	if (r->c->format == FMT_CSV)
		printf("account,domain,expiredate\n");
	for (i = 0; i < l.n; i++) {
		if (r->c->format == FMT_TEXT) {
			printf("%s %s\n", l.v[i].name, l.v[i].expiredate != NULL ?
			    l.v[i].expiredate : "-");
			continue;
		}
		if (r->c->format == FMT_CSV) {
			/* Names and dates from the API hold no comma or quote. */
			printf("%s,%s,%s\n", r->acct->name, l.v[i].name,
			    l.v[i].expiredate != NULL ? l.v[i].expiredate : "");
			continue;
		}
		o = json_pack("{s:s, s:s, s:s?}", "account", r->acct->name,
		    "domain", l.v[i].name, "expiredate", l.v[i].expiredate);
		if (a != NULL)
			json_array_append_new(a, o);
		else
			emit(r->c, o);
	}
	emit(r->c, a);
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
	    &r->err)) != 0 ||
	    (rc = osrs_domain_get_ds(r->client, domain, &set, &r->res,
	    &r->err)) != 0) {
		ds_set_free(&set);
		return fail(r, rc);
	}
	if (r->c->format == FMT_JSON || r->c->format == FMT_JSONL) {
		emit(r->c, json_pack("{s:s, s:s, s:b, s:o}", "account",
		    r->acct->name, "domain", domain, "locked", locked, "ds",
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
	    &r->err)) != 0)
		return fail(r, rc);
	if (r->c->format == FMT_JSON || r->c->format == FMT_JSONL)
		emit(r->c, json_pack("{s:s, s:s, s:b, s:i, s:s?}", "account",
		    r->acct->name, "domain", domain, "locked", lock,
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
		dsreg_log(&r->c->log, DSREG_LOG_INFO, "%s: %s ...",
		    info->domain, osrs_step_name(info->step));
	else
		dsreg_log(&r->c->log, DSREG_LOG_INFO, "%s: %s: %s",
		    info->domain, osrs_step_name(info->step),
		    info->rc == 0 ? "done" : dsreg_strerror(info->rc));
	return 0;
}

static int
do_set_ds(struct run *r, const char *domain, int argc, char **argv,
    int relock)
{
	struct ds_set set = { NULL, 0, 0 };
	struct osrs_replace_opts o = { relock, step_log, r };
	struct osrs_replace_report rep;
	json_t *j;
	int rc, ex = EXIT_OK;

	if (argc > 0 && (rc = ds_rec_parse_args(argc, argv, &set,
	    &r->err)) != 0) {
		cli_err(r->c, "opensrs set-ds: %s", dsreg_err_text(&r->err));
		ex = EXIT_USAGE;
		goto out;
	}
	rc = osrs_domain_replace_ds(r->client, domain, &set, &o, &rep,
	    &r->res, &r->err);
	if (rc != 0) {
		ex = fail(r, rc);
		if (rc != DSREG_ESTATE && rep.unlock_sent && rep.relocked)
			cli_err(r->c, "opensrs %s: %s: lock restored",
			    r->acct->name, domain);
		if (rc == DSREG_EREMOTE && !relock)
			cli_err(r->c, "opensrs %s: relock is off: if %s is "
			    "locked, unlock it first or set relock = yes",
			    r->acct->name, domain);
	}
	if (r->c->format == FMT_JSON || r->c->format == FMT_JSONL) {
		j = json_pack("{s:s, s:s, s:o, s:b, s:b, s:b, s:b, s:b}",
		    "account", r->acct->name, "domain", domain, "ds",
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
		emit(r->c, j);
	} else if (rc == 0) {
		printf("%s: DS set replaced (%zu record%s)%s\n", domain, set.n,
		    set.n == 1 ? "" : "s", rep.unlock_sent ?
		    "; unlocked and locked again" : "");
	}
out:
	ds_set_free(&set);
	return ex;
}

int
cli_opensrs_client(struct cli *c, const struct account *a,
    struct osrs_client **out)
{
	struct osrs_client_opts o;
	struct dsreg_err err;
	char *key = NULL;
	size_t key_len = 0;
	int rc;

	dsreg_err_clear(&err);
	if (a->type != ACCOUNT_OPENSRS) {
		cli_err(c, "account %s is not of type opensrs", a->name);
		return DSREG_EINVAL;
	}
	if (a->key_file == NULL) {
		cli_err(c, "account %s: key_file is not set", a->name);
		return DSREG_EINVAL;
	}
	if ((rc = dsreg_secret_read(a->key_file, &key, &key_len, &err)) != 0) {
		cli_err(c, "account %s: %s", a->name, dsreg_err_text(&err));
		return DSREG_EINVAL;
	}
	memset(&o, 0, sizeof(o));
	o.url = a->url;
	o.username = a->username;
	o.key = key;
	o.key_len = key_len;
	o.ca_file = a->ca_file;
	o.subreseller = a->subreseller;
	o.timeout = a->timeout;
	o.rate = a->rate;
	o.log = c->log;
	rc = osrs_client_new(out, &o, &err);
	dsreg_secret_free(key);
	if (rc != 0) {
		cli_err(c, "account %s: %s", a->name, dsreg_err_text(&err));
		return rc == DSREG_ENOMEM ? rc : DSREG_EINVAL;
	}
	return 0;
}

static int
is_date(const char *s)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return s[10] == '\0';
}

int
cmd_opensrs(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "page-size", required_argument, NULL, 'p' },
		{ "no-relock", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL, *verb, *domain = NULL;
	struct run r;
	int ch, limit = 0, relock = -1, ex = EXIT_USAGE, nargs;
	char *end;
	size_t dl;
	long n;

	memset(&r, 0, sizeof(r));
	r.c = c;
	osrs_result_init(&r.res);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
		case 't':
			if (!is_date(optarg)) {
				cli_err(c, "--%s: expected YYYY-MM-DD, got '%s'",
				    ch == 'f' ? "from" : "to", optarg);
				return EXIT_USAGE;
			}
			*(ch == 'f' ? &from : &to) = optarg;
			break;
		case 'p':
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < 1 ||
			    n > 10000) {
				cli_err(c, "--page-size: expected 1-10000, got "
				    "'%s'", optarg);
				return EXIT_USAGE;
			}
			limit = (int)n;
			break;
		case 'n':
			relock = 0;
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
	if (strcmp(verb, "list") == 0 ? nargs != 0 :
	    strcmp(verb, "set-ds") == 0 ? nargs < 1 :
	    (strcmp(verb, "info") == 0 || strcmp(verb, "lock") == 0 ||
	    strcmp(verb, "unlock") == 0) ? nargs != 1 : 1) {
		cli_err(c, "opensrs: bad use of '%s'", verb);
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (nargs > 0) {
		/* The API names domains without the root's dot. */
		dl = strlen(argv[2]);
		if (dl > 1 && argv[2][dl - 1] == '.')
			argv[2][dl - 1] = '\0';
		domain = argv[2];
		if (*domain == '\0' || strchr(domain, '.') == NULL) {
			cli_err(c, "opensrs: '%s' is not a domain name", domain);
			return EXIT_USAGE;
		}
	}
	if ((r.acct = cli_account(c, argv[0], ACCOUNT_OPENSRS)) == NULL)
		return EXIT_USAGE;
	/* The client runs libcurl with CURLOPT_NOSIGNAL: see client.h. */
	signal(SIGPIPE, SIG_IGN);
	if ((ex = cli_opensrs_client(c, r.acct, &r.client)) != 0) {
		ex = cli_exit_status(ex);
		goto out;
	}
	if (strcmp(verb, "list") == 0)
		ex = do_list(&r, from, to, limit);
	else if (strcmp(verb, "info") == 0)
		ex = do_info(&r, domain);
	else if (strcmp(verb, "lock") == 0)
		ex = do_lock(&r, domain, 1);
	else if (strcmp(verb, "unlock") == 0)
		ex = do_lock(&r, domain, 0);
	else
		ex = do_set_ds(&r, domain, nargs - 1, argv + 3,
		    relock >= 0 ? relock : r.acct->relock);
out:
	osrs_result_free(&r.res);
	osrs_client_free(r.client);
	return ex;
}
