/* engine/plan.c - open a run, audit and plan every domain, route it to its account */
#include "engine/internal.h"
#include "common/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

const char *
engine_outcome_name(enum engine_outcome o)
{
	switch (o) {
	case ENGINE_NONE: return "";
	case ENGINE_APPLIED: return "applied";
	case ENGINE_ALREADY: return "already";
	case ENGINE_FAILED: return "failed";
	case ENGINE_INTERRUPTED: return "interrupted";
	}
	return "?";
}

static int
cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Canonical text of a DS set (sorted RDATA joined by ';'). malloc'd. */
static char *
set_text(const struct ds_set *set)
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

struct listed {
	struct engine *e;
	const struct account *a;
	size_t n;
};

static int
claim_listed(void *ctx, const char *domain)
{
	struct listed *l = ctx;

	l->n++;
	return engine_route_claim(l->e->routes, l->a, domain);
}

/* Accounts with `domains = discover` list their domains once. */
static int
discover(struct engine *e)
{
	struct registrar *reg = NULL;
	struct dsreg_err err;
	struct listed l;
	size_t i;
	int st;

	for (i = 0; i < e->cfg.naccounts; i++) {
		const struct engine_account *a = &e->cfg.accounts[i];

		if (!engine_route_discovers(a->cfg))
			continue;
		if (!a->ops->has_list) {
			engine_say(e, "[account %s]: 'domains = discover' needs "
			    "a listing, which %s does not have; give globs",
			    a->cfg->name, a->ops->type);
			return DSREG_EINVAL;
		}
		dsreg_err_clear(&err);
		if ((st = a->ops->open(&reg, a->cfg, e->cfg.log, &err)) != 0) {
			engine_say(e, "%s", dsreg_err_text(&err));
			return st == DSREG_ENOMEM ? st : DSREG_EINVAL;
		}
		l.e = e;
		l.a = a->cfg;
		l.n = 0;
		st = a->ops->list(reg, claim_listed, &l, &err);
		a->ops->close(reg);
		reg = NULL;
		if (st != 0) {
			engine_say(e, "[account %s]: listing its domains: %s",
			    a->cfg->name, dsreg_err_text(&err));
			return DSREG_EREMOTE;
		}
		dsreg_log(e->cfg.log, DSREG_LOG_INFO, "[account %s]: %zu "
		    "domains listed", a->cfg->name, l.n);
	}
	return 0;
}

/*
 * The DS set each parent server that answered serves (dns_judge's facts),
 * and the smallest DS TTL seen (0: none); *nparents: parent server
 * addresses asked.  ptrs has room for a->nservers.
 */
static size_t
server_sets(const struct dns_audit *a, const struct ds_set **ptrs,
    size_t *nparents, uint32_t *ttl)
{
	size_t i, n = 0;

	*nparents = 0;
	*ttl = 0;
	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];

		if (s->role != DNS_PARENT)
			continue;
		(*nparents)++;
		if (!s->answered)
			continue;
		if (s->ds_ttl > 0 && (*ttl == 0 || s->ds_ttl < *ttl))
			*ttl = s->ds_ttl;
		ptrs[n++] = &s->ds;
	}
	return n;
}

static int
keyset_has(const struct ds_keyset *ks, const struct ds_key *k)
{
	size_t j;

	for (j = 0; j < ks->n; j++)
		if (ks->v[j]->rdata_len == k->rdata_len &&
		    memcmp(ks->v[j]->rdata, k->rdata, k->rdata_len) == 0)
			return 1;
	return 0;
}

/* DNSKEYs for the DS in set: from the key store, else as served. */
static int
keys_for(struct engine *e, const struct dns_audit *a,
    const struct ds_set *set, struct ds_keyset *out)
{
	const struct ds_key *const *store;
	const struct ds_key *found;
	struct ds_key *k;
	size_t ns, i, j, s;

	store = engine_selection_zone_keys(&e->cfg.audit->sel, a->domain, &ns);
	for (i = 0; i < set->n; i++) {
		found = NULL;
		for (j = 0; j < ns && found == NULL; j++)
			if (ds_rec_matches_key(set->v[i], store[j]))
				found = store[j];
		for (s = 0; s < a->nservers && found == NULL; s++)
			for (j = 0; j < a->servers[s].nkeys && found == NULL;
			    j++)
				if (ds_rec_matches_key(set->v[i],
				    a->servers[s].keys[j].key))
					found = a->servers[s].keys[j].key;
		if (found == NULL || keyset_has(out, found))
			continue;
		if (ds_key_dup(&k, found) != 0)
			return DSREG_ENOMEM;
		if (ds_keyset_add(out, k) != 0) {
			ds_key_free(k);
			return DSREG_ENOMEM;
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
lock_apply(struct engine *e)
{
	char *path = NULL;

	if (asprintf(&path, "%s.lock", e->cfg.state_path) < 0)
		return DSREG_ENOMEM;
	e->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (e->lock_fd < 0) {
		engine_say(e, "apply: %s: %s", path, strerror(errno));
		free(path);
		return DSREG_EIO;
	}
	if (flock(e->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		engine_say(e, "apply: another dsreg apply is running on this "
		    "state database (lock %s held); nothing done", path);
		free(path);
		return DSREG_EBUSY;
	}
	free(path);
	return 0;
}

static void
item_free(struct engine_item *it)
{
	free(it->domain);
	free(it->parent);
	dns_plan_free(&it->plan);
	ds_keyset_free(&it->keys);
	ds_set_free(&it->current);
	free(it->note);
	free(it->notify_target);
	free(it);
}

const char *
engine_item_route(const struct engine_item *it)
{
	if (it->route == ENGINE_ROUTE_ACCOUNT && it->acct != NULL)
		return it->acct->ops->type;
	return engine_route_kind_name(it->route);
}


/*
 * Plan it (a judged audit of it->domain) into it->plan and it->keys, with
 * since when the target has been at every parent server from the state
 * database, and record that (or forget it) as of `now`.  ttl_floor: a DS
 * TTL the plan must wait at least (the TTL seen before a change).
 */
static int
plan_item(struct engine *e, const struct dns_audit *a, struct engine_item *it,
    uint32_t ttl_floor, time_t now)
{
	struct dns_plan_facts facts;
	const struct ds_set **ptrs = NULL;
	struct ds_set kept = { NULL, 0, 0 };
	struct dsreg_err err;
	char *target = NULL;
	size_t nparents, i;
	uint32_t ttl, dropped = 0;
	int rc;

	dsreg_err_clear(&err);
	/* the target the parent takes: never a digest type it refuses */
	if ((ptrs = calloc(a->nservers + 1, sizeof(*ptrs))) == NULL ||
	    engine_policy_filter(it->policy, &a->expected_ds, &kept,
	    &dropped) != 0 || (target = set_text(&kept)) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	memset(&facts, 0, sizeof(facts));
	facts.nservers = server_sets(a, ptrs, &nparents, &ttl);
	facts.verdict = a->verdict;
	facts.parent_ds = &a->parent_ds;
	facts.server_ds = ptrs;
	facts.validating = &a->valid_ds;
	facts.target = &kept;
	facts.target_problem = a->target_problem;
	facts.parent_problem = a->parent_problem;
	facts.ds_ttl = ttl ? ttl : 3600;
	if (facts.ds_ttl < ttl_floor)
		facts.ds_ttl = ttl_floor;
	facts.now = now;
	if (e->db != NULL && state_seen_get(e->db, a->domain, target,
	    &facts.target_seen_since, &err) != 0)
		engine_say(e, "%s", dsreg_err_text(&err));
	dns_plan_free(&it->plan);
	ds_keyset_free(&it->keys);
	ds_set_free(&it->current);
	for (i = 0; i < a->parent_ds.n; i++)
		if (ds_set_add_copy(&it->current, a->parent_ds.v[i]) != 0) {
			rc = DSREG_ENOMEM;
			goto out;
		}
	it->verdict = a->verdict;
	it->ds_ttl = facts.ds_ttl;
	if ((rc = dns_plan_make(&facts, &it->plan)) != 0 ||
	    (rc = engine_policy_amend(it->policy, it->parent ? it->parent :
	    "the parent", dropped, &it->plan)) != 0)
		goto out;
	/* since when the target is everywhere: kept (or forgotten) */
	if (e->db != NULL && kept.n > 0 &&
	    state_seen_set(e->db, a->domain, it->plan.target_everywhere ?
	    target : NULL, now, &err) != 0) {
		engine_say(e, "%s", dsreg_err_text(&err));
		e->state_failed = 1;
	}
	/* the final set holds what is added: keys for all of it (the DNSKEY
	 * form in instructions, keyData for key-interface registries) */
	if (it->plan.kind == DNS_PLAN_CHANGE)
		rc = keys_for(e, a, &it->plan.final, &it->keys);
out:
	ds_set_free(&kept);
	free(target);
	free(ptrs);
	return rc;
}

/* Plan one audited domain; called serialised by engine_audit_run. */
static int
on_audit(void *arg, struct dns_audit *a, void *pre)
{
	struct engine *e = arg;
	const struct account *claims[4];
	struct engine_item *it = NULL;
	size_t nclaims, i, k;
	int rc;

	(void)pre;
	if ((it = calloc(1, sizeof(*it))) == NULL ||
	    (it->domain = strdup(a->domain)) == NULL ||
	    (a->parent != NULL && (it->parent = strdup(a->parent)) == NULL)) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	it->policy = engine_policy_lookup(e->cfg.policy, a->domain, a->parent);
	if ((rc = plan_item(e, a, it, 0, e->cfg.now)) != 0)
		goto out;
	nclaims = engine_route_lookup(e->routes, a->domain, claims, 4);
	it->nclaims = nclaims;
	for (i = 0; i < nclaims && i < 2; i++)
		for (k = 0; k < e->cfg.naccounts; k++)
			if (e->cfg.accounts[k].cfg == claims[i])
				it->claims[i] = &e->cfg.accounts[k];
	it->acct = nclaims == 1 ? it->claims[0] : NULL;
	/* RFC 9859: no account may change it, but the parent announces
	 * where to send NOTIFY(CDS): the route "notify", when the CDS/CDNSKEY
	 * it will read are the right ones (the plan's target) */
	if (nclaims == 0 && it->plan.kind == DNS_PLAN_CHANGE &&
	    a->dsync.target != NULL && a->signals.ok && !a->signals.delete &&
	    ds_set_equal(&it->plan.final, &a->expected_ds)) {
		if ((it->notify_target = strdup(a->dsync_addr.text)) == NULL) {
			rc = DSREG_ENOMEM;
			goto out;
		}
		it->notify_type = a->dsync.rrtype;
		it->acct = &e->notify_acct;
	}
	/* NOTIFY(CDS) via DSYNC: the DSYNC discovery sets it->notify_target
	 * here when the parent announces a target (RFC 9859) */
	it->route = engine_policy_route(it->plan.kind, it->acct != NULL &&
	    it->acct != &e->notify_acct,
	    nclaims > 1, it->notify_target != NULL, a->parent_ds.n == 0,
	    it->policy);
	if (e->cfg.on_domain != NULL &&
	    (rc = e->cfg.on_domain(e->cfg.on_domain_ctx, a, it)) != 0)
		goto out;
	if (nclaims > 1)
		e->nconflict++;
	if (dns_verdict_needs_action(a->verdict) || nclaims > 1)
		e->naction++;
	if (it->plan.kind == DNS_PLAN_NOTHING && nclaims <= 1)
		goto out;
	switch (it->plan.kind) {
	case DNS_PLAN_CHANGE:
		if (it->acct != NULL)
			e->nchange++;
		else if (it->route == ENGINE_ROUTE_SCAN)
			e->nscan++;
		else
			e->nmanual++;
		break;
	case DNS_PLAN_REFUSE: e->nrefuse++; break;
	case DNS_PLAN_WAIT: e->nwait++; break;
	case DNS_PLAN_NOTHING: break;
	}
	*e->tail = it;
	e->tail = &it->next;
	e->nitems++;
	it = NULL;
out:
	if (it != NULL)
		item_free(it);
	return rc;
}

time_t
engine_clock(const struct engine *e)
{
	return e->cfg.now + (time(NULL) - e->started);
}

int
engine_replan(struct engine *e, struct engine_item *it, int check,
    int *published)
{
	struct dns_audit *a = NULL;
	size_t i, nparents = 0;
	int rc, ok = 0;

	*published = 0;
	if ((rc = engine_audit_domain(e->cfg.audit, it->domain, &a)) != 0)
		return rc;
	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];

		if (s->role != DNS_PARENT)
			continue;
		nparents++;
		ok = (nparents == 1 || ok) && s->answered &&
		    ds_set_equal(&s->ds, &it->plan.final);
	}
	if (ok || !check) {
		*published = ok;
		rc = plan_item(e, a, it, it->ds_ttl, engine_clock(e));
	}
	dns_audit_free(a);
	return rc;
}

int
engine_open(struct engine *e, const struct engine_config *cfg)
{
	static const char *const words[] = { [ENGINE_PLAN] = "plan",
		[ENGINE_APPLY] = "apply", [ENGINE_INSTRUCTIONS] =
		"instructions" };
	struct dsreg_err err;
	size_t i;
	int rc;

	memset(e, 0, sizeof(*e));
	e->lock_fd = -1;
	pthread_mutex_init(&e->db_lock, NULL);
	e->cfg = *cfg;
	e->tail = &e->items;
	e->started = time(NULL);
	dsreg_err_clear(&err);
	if ((e->accts = calloc(cfg->naccounts + 1, sizeof(*e->accts))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < cfg->naccounts; i++)
		e->accts[i] = cfg->accounts[i].cfg;
	if (engine_route_new(&e->routes, e->accts, cfg->naccounts) != 0)
		return DSREG_ENOMEM;
	if ((e->runs = calloc(cfg->naccounts + 1, sizeof(*e->runs))) == NULL ||
	    (e->still = calloc(1, sizeof(*e->still))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < cfg->naccounts; i++) {
		e->runs[i].e = e;
		e->runs[i].a = &cfg->accounts[i];
	}
	e->notify_cfg.name = (char *)"notify";
	e->notify_acct.cfg = &e->notify_cfg;
	e->notify_acct.ops = &dns_notify_registrar_ops;
	e->runs[cfg->naccounts].e = e;
	e->runs[cfg->naccounts].a = &e->notify_acct;
	e->nruns = cfg->naccounts + 1;
	if (cfg->state_path != NULL) {
		if ((rc = state_open(&e->db, cfg->state_path, &err)) != 0 ||
		    (rc = state_run_begin(e->db, words[cfg->mode], time(NULL),
		    &e->run_id, &err)) != 0) {
			engine_say(e, "%s", dsreg_err_text(&err));
			return rc == DSREG_EBUSY || rc == DSREG_ENOMEM ? rc :
			    DSREG_EINVAL;
		}
	} else if (cfg->mode == ENGINE_APPLY) {
		engine_say(e, "apply: needs 'state' in the [dsreg] section of "
		    "the config (the write-ahead journal lives there)");
		return DSREG_EINVAL;
	}
	if (cfg->mode == ENGINE_APPLY && (rc = lock_apply(e)) != 0)
		return rc;
	return discover(e);
}

int
engine_plan(struct engine *e)
{
	return engine_audit_run(e->cfg.audit, NULL, on_audit, e);
}

void
engine_close(struct engine *e)
{
	struct engine_item *it, *next;
	size_t i;

	for (it = e->items; it != NULL; it = next) {
		next = it->next;
		item_free(it);
	}
	e->items = NULL;
	for (i = 0; e->runs != NULL && i < e->nruns; i++)
		if (e->runs[i].reg != NULL)
			e->runs[i].a->ops->close(e->runs[i].reg);
	free(e->runs);
	e->runs = NULL;
	engine_books_free(e->still);
	free(e->still);
	e->still = NULL;
	if (e->db != NULL)
		state_run_end(e->db, e->run_id, time(NULL), NULL, NULL);
	state_close(e->db);
	e->db = NULL;
	engine_route_free(e->routes);
	e->routes = NULL;
	free(e->accts);
	e->accts = NULL;
	if (e->lock_fd >= 0)
		close(e->lock_fd);   /* releases the apply lock */
	e->lock_fd = -1;
	pthread_mutex_destroy(&e->db_lock);
}
