/* cli/fix.c - the shared engine of plan, apply and instructions */
#include "cli/fix.h"
#include "cli/opensrs.h"
#include "common/error.h"
#include "tucows/domain.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <jansson.h>
#include <sys/file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage_text[] = {
	[FIX_PLAN] = "usage: dsreg plan [--keys DIR] [--our-ns NAME[,NAME...]] "
	    "[--domains FILE] [DOMAIN...]\n",
	[FIX_APPLY] = "usage: dsreg apply [--keys DIR] [--our-ns NAME[,NAME...]] "
	    "[--domains FILE] [--yes] [--wait SECONDS] [DOMAIN...]\n",
	[FIX_INSTRUCTIONS] = "usage: dsreg instructions [--keys DIR] "
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
fix_parse(struct cli *c, enum fix_mode mode, int argc, char **argv,
    struct fix_opts *o)
{
	const struct cli_optset sets[] = {
		[FIX_PLAN] = { "plan: ", usage_text[FIX_PLAN], 0, 0,
		    CLI_OPTS(plan_opts) },
		[FIX_APPLY] = { "apply: ", usage_text[FIX_APPLY], 0, 0,
		    CLI_OPTS(apply_opts) },
		[FIX_INSTRUCTIONS] = { "instructions: ",
		    usage_text[FIX_INSTRUCTIONS], 0, 0, CLI_OPTS(plan_opts) },
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

static int
cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
fix_set_text(const struct ds_set *set)
{
	char **v = NULL, *s = NULL;
	size_t i, len = 1;

	if (set->n > 0 && (v = calloc(set->n, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < set->n; i++) {
		if ((v[i] = ds_rec_rdata_text(set->v[i])) == NULL)
			goto out;
		len += strlen(v[i]) + 1;
	}
	qsort(v, set->n, sizeof(*v), cmp_text);
	if ((s = malloc(len)) == NULL)
		goto out;
	s[0] = '\0';
	for (i = 0; i < set->n; i++) {
		if (i > 0)
			strcat(s, ";");
		strcat(s, v[i]);
	}
out:
	for (i = 0; v != NULL && i < set->n; i++)
		free(v[i]);
	free(v);
	return s;
}

char *
fix_set_json(const struct ds_set *set)
{
	json_t *a = output_ds_json(set, 1);
	char *s = json_dumps(a, JSON_COMPACT);

	json_decref(a);
	return s;
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

/* Accounts with `domains = discover` list their domains once. */
static int
discover(struct fix *f)
{
	const struct dsreg_config *cfg = f->c->cfg;
	struct osrs_domain_list list = { NULL, 0, 0 };
	struct osrs_client *cl = NULL;
	struct osrs_result res;
	struct dsreg_err err;
	size_t i, k;
	int st;

	for (i = 0; i < cfg->naccounts; i++) {
		const struct account *a = &cfg->accounts[i];

		if (!routing_discovers(a))
			continue;
		if (a->type == ACCOUNT_EPP) {
			cli_err(f->c, "[account %s]: 'domains = discover' needs "
			    "a listing, which EPP does not have; give globs",
			    a->name);
			return DSREG_EINVAL;
		}
		if ((st = cli_opensrs_client(f->c, a, &cl)) != 0)
			return st;
		osrs_result_init(&res);
		dsreg_err_clear(&err);
		if (osrs_domain_list(cl, NULL, NULL, 0, &list, &res, &err) != 0) {
			cli_err(f->c, "[account %s]: listing its domains: %s",
			    a->name, dsreg_err_text(&err));
			st = DSREG_EREMOTE;
		} else {
			for (k = 0; k < list.n; k++)
				if (routing_claim(f->routes, a,
				    list.v[k].name) != 0)
					st = DSREG_EREMOTE;
			dsreg_log(&f->c->log, DSREG_LOG_INFO, "[account %s]: "
			    "%zu domains listed", a->name, list.n);
		}
		osrs_result_free(&res);
		osrs_domain_list_free(&list);
		osrs_client_free(cl);
		cl = NULL;
		if (st != 0)
			return st;
	}
	return 0;
}

int
fix_server_sets(const struct dns_audit *a, struct ds_set **out, size_t *n,
    size_t *nparents, uint32_t *ttl)
{
	struct ds_set *sets;
	struct ds_rec *ds;
	size_t i, k;

	*n = 0;
	*nparents = 0;
	*ttl = 0;
	if ((sets = calloc(a->nservers + 1, sizeof(*sets))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < a->nservers; i++) {
		const struct dns_reply *r = &a->servers[i].r[DNS_Q_DS];

		if (a->servers[i].role != DNS_PARENT)
			continue;
		(*nparents)++;
		if (r->status != 0 || r->rcode != LDNS_RCODE_NOERROR)
			continue;
		for (k = 0; k < ldns_rr_list_rr_count(r->rrs); k++) {
			const ldns_rr *rr = ldns_rr_list_rr(r->rrs, k);

			if (ds_rec_from_ldns(&ds, rr, NULL) != 0)
				continue;
			if (*ttl == 0 || ldns_rr_ttl(rr) < *ttl)
				*ttl = ldns_rr_ttl(rr);
			if (ds_set_add(&sets[*n], ds) != 0)
				ds_rec_free(ds);
		}
		(*n)++;
	}
	*out = sets;
	return 0;
}

void
fix_server_sets_free(struct ds_set *sets, size_t n)
{
	size_t i;

	for (i = 0; sets != NULL && i < n; i++)
		ds_set_free(&sets[i]);
	free(sets);
}

/* DNSKEYs for the DS in set: from the key store, else as served. */
static int
keys_for(struct fix *f, const struct dns_audit *a, const struct ds_set *set,
    struct ds_keyset *out)
{
	const struct ds_key *const *store;
	struct ds_key *k;
	size_t ns, i, j, s, q;
	int found;

	store = selection_zone_keys(&f->s.sel, a->domain, &ns);
	for (i = 0; i < set->n; i++) {
		found = 0;
		for (j = 0; j < ns && !found; j++)
			if (ds_rec_matches_key(set->v[i], store[j])) {
				if (ds_key_dup(&k, store[j]) != 0)
					return DSREG_ENOMEM;
				found = 1;
			}
		for (s = 0; s < a->nservers && !found; s++) {
			const struct dns_reply *r = &a->servers[s].r[DNS_Q_DNSKEY];

			if (a->servers[s].role != DNS_CHILD || r->status != 0)
				continue;
			for (q = 0; q < ldns_rr_list_rr_count(r->rrs) && !found;
			    q++) {
				if (ds_key_from_ldns(&k, ldns_rr_list_rr(r->rrs,
				    q), NULL) != 0)
					continue;
				if (ds_rec_matches_key(set->v[i], k))
					found = 1;
				else
					ds_key_free(k);
			}
		}
		if (found) {
			for (j = 0; j < out->n; j++)
				if (out->v[j]->rdata_len == k->rdata_len &&
				    memcmp(out->v[j]->rdata, k->rdata,
				    k->rdata_len) == 0)
					break;
			if (j < out->n || ds_keyset_add(out, k) != 0)
				ds_key_free(k);
		}
	}
	return 0;
}

/*
 * One apply at a time per state database: two overlapping runs (cron) could
 * both read a registrar before either changes it, and change it twice.
 * The lock is held until the process ends.
 */
static int
lock_apply(struct fix *f)
{
	char *path = NULL;

	if (asprintf(&path, "%s.lock", f->c->cfg->state) < 0)
		return DSREG_ENOMEM;
	f->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f->lock_fd < 0) {
		cli_err(f->c, "apply: %s: %s", path, strerror(errno));
		free(path);
		return DSREG_EIO;
	}
	if (flock(f->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		cli_err(f->c, "apply: another dsreg apply is running on this "
		    "state database (lock %s held); nothing done", path);
		free(path);
		return DSREG_EBUSY;
	}
	free(path);
	return 0;
}

static void
item_free(struct fix_item *it)
{
	free(it->domain);
	free(it->parent);
	dns_plan_free(&it->plan);
	ds_keyset_free(&it->keys);
	free(it->note);
	free(it);
}

/*
 * Plan it (a judged audit of it->domain) into it->plan and it->keys, with
 * since when the target has been at every parent server from the state
 * database, and record that (or forget it) as of `now`.  ttl_floor: a DS
 * TTL the plan must wait at least (the TTL seen before a change).
 */
static int
plan_item(struct fix *f, const struct dns_audit *a, struct fix_item *it,
    uint32_t ttl_floor, time_t now)
{
	struct dns_plan_facts facts;
	const struct ds_set **ptrs = NULL;
	struct ds_set *sets = NULL;
	struct dsreg_err err;
	char *target = NULL;
	size_t nsets = 0, nparents, i;
	uint32_t ttl;
	int rc;

	dsreg_err_clear(&err);
	if ((rc = fix_server_sets(a, &sets, &nsets, &nparents, &ttl)) != 0)
		return rc;
	if ((ptrs = calloc(nsets + 1, sizeof(*ptrs))) == NULL ||
	    (target = fix_set_text(&a->expected_ds)) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	for (i = 0; i < nsets; i++)
		ptrs[i] = &sets[i];
	memset(&facts, 0, sizeof(facts));
	facts.verdict = a->verdict;
	facts.parent_ds = &a->parent_ds;
	facts.server_ds = ptrs;
	facts.nservers = nsets;
	facts.validating = &a->valid_ds;
	facts.target = &a->expected_ds;
	facts.target_problem = a->target_problem;
	facts.parent_problem = a->parent_problem;
	facts.ds_ttl = ttl ? ttl : 3600;
	if (facts.ds_ttl < ttl_floor)
		facts.ds_ttl = ttl_floor;
	facts.now = now;
	if (f->db != NULL && state_seen_get(f->db, a->domain, target,
	    &facts.target_seen_since, &err) != 0)
		cli_err(f->c, "%s", dsreg_err_text(&err));
	dns_plan_free(&it->plan);
	ds_keyset_free(&it->keys);
	it->verdict = a->verdict;
	it->ds_ttl = facts.ds_ttl;
	if ((rc = dns_plan_make(&facts, &it->plan)) != 0)
		goto out;
	/* since when the target is everywhere: kept (or forgotten) */
	if (f->db != NULL && a->expected_ds.n > 0 &&
	    state_seen_set(f->db, a->domain, it->plan.target_everywhere ?
	    target : NULL, now, &err) != 0) {
		cli_err(f->c, "%s", dsreg_err_text(&err));
		f->state_failed = 1;
	}
	/* the final set holds what is added: keys for all of it (the DNSKEY
	 * form in instructions, keyData for key-interface registries) */
	if (it->plan.kind == DNS_PLAN_CHANGE)
		rc = keys_for(f, a, &it->plan.final, &it->keys);
out:
	free(target);
	fix_server_sets_free(sets, nsets);
	free(ptrs);
	return rc;
}

/* Plan one audited domain; called serialised by audit_run (no prepare
 * function: pre is NULL). */
static int
on_audit(void *arg, struct dns_audit *a, void *pre)
{
	struct fix *f = arg;
	const struct account *acct[4];
	struct fix_item *it = NULL;
	json_t *extra = NULL, *actions;
	size_t nclaims, i;
	int rc;

	if ((it = calloc(1, sizeof(*it))) == NULL ||
	    (it->domain = strdup(a->domain)) == NULL ||
	    (a->parent != NULL && (it->parent = strdup(a->parent)) == NULL)) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	if ((rc = plan_item(f, a, it, 0, f->now)) != 0)
		goto out;
	nclaims = routing_lookup(f->routes, a->domain, acct, 4);
	it->nclaims = nclaims;
	it->acct = nclaims == 1 ? acct[0] : NULL;

	if (f->out != NULL) {
		extra = json_object();
		actions = json_array();
		if (nclaims > 1) {
			char msg[512];
			snprintf(msg, sizeof(msg), "error: claimed by %zu "
			    "accounts (%s, %s%s): fix the config", nclaims,
			    acct[0]->name, acct[1]->name, nclaims > 2 ?
			    ", ..." : "");
			json_array_append_new(actions, json_string(msg));
		} else if (it->plan.kind != DNS_PLAN_NOTHING &&
		    it->acct == NULL)
			json_array_append_new(actions, json_string("manual: no "
			    "account may change it; see dsreg instructions"));
		for (i = 0; i < it->plan.nnotes; i++)
			json_array_append_new(actions,
			    json_string(it->plan.notes[i]));
		json_object_set_new(extra, "account", it->acct ?
		    json_string(it->acct->name) : json_null());
		json_object_set_new(extra, "plan",
		    json_string(dns_plan_kind_name(it->plan.kind)));
		json_object_set_new(extra, "actions", actions);
		rc = output_audit(f->out, a, extra);
	}
	if (nclaims > 1)
		f->nconflict++;
	if (dns_verdict_needs_action(a->verdict) || nclaims > 1)
		f->naction++;
	if (it->plan.kind == DNS_PLAN_NOTHING && nclaims <= 1)
		goto out;
	switch (it->plan.kind) {
	case DNS_PLAN_CHANGE:
		if (it->acct != NULL)
			f->nchange++;
		else
			f->nmanual++;
		break;
	case DNS_PLAN_REFUSE: f->nrefuse++; break;
	case DNS_PLAN_WAIT: f->nwait++; break;
	case DNS_PLAN_NOTHING: break;
	}
	*f->tail = it;
	f->tail = &it->next;
	f->nitems++;
	it = NULL;
out:
	json_decref(extra);
	if (it != NULL)
		item_free(it);
	return rc;
}

time_t
fix_clock(const struct fix *f)
{
	return f->now + (time(NULL) - f->started);
}

int
fix_replan(struct fix *f, struct fix_item *it, int check, int *published)
{
	struct dns_audit *a = NULL;
	struct ds_set *sets = NULL;
	size_t i, n = 0, nparents = 0;
	uint32_t ttl;
	int rc, ok = 0;

	*published = 0;
	if ((rc = audit_domain(&f->s, it->domain, &a)) != 0)
		return rc;
	if ((rc = fix_server_sets(a, &sets, &n, &nparents, &ttl)) != 0)
		goto out;
	ok = n > 0 && n == nparents;
	for (i = 0; i < n && ok; i++)
		ok = ds_set_equal(&sets[i], &it->plan.final);
	if (ok || !check) {
		*published = ok;
		rc = plan_item(f, a, it, it->ds_ttl, fix_clock(f));
	}
out:
	fix_server_sets_free(sets, n);
	dns_audit_free(a);
	return rc;
}

int
fix_prepare(struct fix *f, struct cli *c, enum fix_mode mode,
    const struct fix_opts *o, int with_output)
{
	struct dsreg_err err;
	int st, rc;

	memset(f, 0, sizeof(*f));
	f->lock_fd = -1;
	pthread_mutex_init(&f->db_lock, NULL);
	f->c = c;
	f->mode = mode;
	f->o = *o;
	f->tail = &f->items;
	dsreg_err_clear(&err);
	if ((st = audit_setup(c, &f->s, &o->sel, o->argc, o->argv)) != 0)
		return st;
	f->now = plan_clock(c);
	f->started = time(NULL);
	if (routing_new(&f->routes, c->cfg) != 0)
		return DSREG_ENOMEM;
	if (c->cfg->state != NULL) {
		if ((rc = state_open(&f->db, c->cfg->state, &err)) != 0 ||
		    (rc = state_run_begin(f->db, mode == FIX_APPLY ? "apply" :
		    mode == FIX_PLAN ? "plan" : "instructions", time(NULL),
		    &f->run_id, &err)) != 0) {
			cli_err(c, "%s", dsreg_err_text(&err));
			return cli_state_error(rc);
		}
	} else if (mode == FIX_APPLY) {
		cli_err(c, "apply: needs 'state' in the [dsreg] section of the "
		    "config (the write-ahead journal lives there)");
		return DSREG_EINVAL;
	}
	if (mode == FIX_APPLY && (st = lock_apply(f)) != 0)
		return st;
	if ((st = discover(f)) != 0)
		return st;
	if (o->before_audit != NULL &&
	    (st = o->before_audit(f, o->before_arg)) != 0)
		return st;
	if (with_output && output_new(&f->out, c->format, stdout,
	    isatty(STDERR_FILENO) && c->verbosity >= 0 && f->s.sel.n > 1,
	    f->s.sel.n) != 0)
		return DSREG_ENOMEM;
	rc = audit_run(&f->s, NULL, on_audit, f);
	if (f->out != NULL && output_finish(f->out) != 0 && rc == 0)
		rc = DSREG_EIO;
	if (rc != 0) {
		cli_err(c, "%s: %s", mode == FIX_APPLY ? "apply" : "plan",
		    dsreg_strerror(rc));
		/* a failed run, whatever the code says */
		return cli_exit_status(rc) == EXIT_RUNTIME ? rc : DSREG_EIO;
	}
	if (f->s.sel.nbad > 0)
		cli_err(c, "%zu bad domain name%s in the input (see above); "
		    "the others were planned", f->s.sel.nbad,
		    f->s.sel.nbad == 1 ? "" : "s");
	return 0;
}

void
fix_free(struct fix *f)
{
	struct fix_item *it, *next;

	for (it = f->items; it != NULL; it = next) {
		next = it->next;
		item_free(it);
	}
	output_free(f->out);
	if (f->db != NULL)
		state_run_end(f->db, f->run_id, time(NULL), NULL, NULL);
	state_close(f->db);
	routing_free(f->routes);
	audit_setup_free(&f->s);
	if (f->lock_fd >= 0)
		close(f->lock_fd);   /* releases the apply lock */
	pthread_mutex_destroy(&f->db_lock);
}
