/* cli/apply.c - dsreg apply: carry out the plan at the registrars, journalled, then verify */
#include "cli/epp.h"
#include "cli/fix.h"
#include "cli/opensrs.h"
#include "common/error.h"
#include "epp/epp.h"
#include "tucows/domain.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POLL_INTERVAL 2

/*
 * SIGTERM, SIGHUP and SIGINT while changes are made: the first one lets
 * the request in flight finish and the lock be restored, starts nothing
 * new, and the run ends with 128 + the signal; a second one exits at once
 * (every request is in the journal before it is sent: the next run
 * resolves what is open).
 */
static volatile sig_atomic_t stop_sig;

struct books;

/* One account's worker: its client, its items. */
struct acct_run {
	struct fix *f;
	const struct books *unlocked;  /* domains still unlocked: not changed */
	const struct account *a;
	struct osrs_client *osrs;
	struct epp_session *epp;
	int epp_failed;            /* the session could not be opened */
	int failed;
	pthread_t tid;
	int threaded;              /* tid was started (join it) */
};

/* ---- journal helpers (the DB handle is shared: serialise) --------------- */

/*
 * End a state database call made under f->db_lock: a failure marks the
 * run (exit 3), the lock is released, then the error is printed.  Returns
 * rc.
 */
static int
db_unlock(struct fix *f, int rc, const struct dsreg_err *err)
{
	if (rc != 0)
		f->state_failed = 1;
	pthread_mutex_unlock(&f->db_lock);
	if (rc != 0)
		cli_err(f->c, "%s", dsreg_err_text(err));
	return rc;
}

static int64_t
jbegin(struct fix *f, int64_t parent, const struct account *a,
    const char *domain, const char *step, const char *detail)
{
	struct dsreg_err err;
	int64_t id = 0;
	int rc;

	dsreg_err_clear(&err);
	pthread_mutex_lock(&f->db_lock);
	rc = state_journal_begin(f->db, f->run_id, parent, a->name, domain,
	    step, detail, time(NULL), &id, &err);
	return db_unlock(f, rc, &err) != 0 ? -1 : id;
}

static void
jend(struct fix *f, int64_t id, const char *outcome, const char *note)
{
	struct dsreg_err err;
	int rc;

	if (id <= 0)
		return;
	dsreg_err_clear(&err);
	pthread_mutex_lock(&f->db_lock);
	rc = state_journal_end(f->db, id, outcome, note, time(NULL), &err);
	db_unlock(f, rc, &err);
}

/* ---- domains dsreg unlocked ------------------------------------------------
 *
 * A domain is put on the books (table unlocked) before its unlock is sent,
 * and taken off only when its lock state, read back, says locked.  Every
 * run relocks what is on the books first; a domain still on them is not
 * changed, and the run ends with status 3.
 */

static int
unl_mark(struct fix *f, const struct account *a, const char *domain,
    const char *note)
{
	struct dsreg_err err;
	int rc;

	dsreg_err_clear(&err);
	pthread_mutex_lock(&f->db_lock);
	rc = state_unlocked_add(f->db, a->name, domain, time(NULL), note, &err);
	return db_unlock(f, rc, &err);
}

static void
unl_clear(struct fix *f, const struct account *a, const char *domain)
{
	struct dsreg_err err;
	int rc;

	dsreg_err_clear(&err);
	pthread_mutex_lock(&f->db_lock);
	rc = state_unlocked_clear(f->db, a->name, domain, &err);
	db_unlock(f, rc, &err);
}

/* Read the lock state back: locked, off the books (1); not locked or not
 * known, kept there with why (0). */
static int
lock_confirmed(struct fix *f, const struct account *a, struct osrs_client *cl,
    const char *domain)
{
	struct osrs_result res;
	struct dsreg_err err;
	char note[DSREG_ERR_MAX + 64];
	int locked = 0;

	osrs_result_init(&res);
	dsreg_err_clear(&err);
	if (osrs_domain_get_lock(cl, domain, &locked, &res, &err) != 0)
		snprintf(note, sizeof(note), "lock state not known: %s",
		    dsreg_err_text(&err));
	else if (!locked)
		snprintf(note, sizeof(note), "read back as unlocked");
	osrs_result_free(&res);
	if (locked) {
		unl_clear(f, a, domain);
		return 1;
	}
	unl_mark(f, a, domain, note);
	return 0;
}

/* Domains on the books that this run could not confirm locked. */
struct books {
	struct books_row {
		char *account, *domain, *note;
		time_t since;
	} *v;
	size_t n;
};

static int
books_add(void *ctx, const struct state_unlocked_row *r)
{
	struct books *b = ctx;
	struct books_row *v;

	if ((v = realloc(b->v, (b->n + 1) * sizeof(*v))) == NULL)
		return DSREG_ENOMEM;
	b->v = v;
	v = &b->v[b->n];
	v->account = strdup(r->account);
	v->domain = strdup(r->domain);
	v->note = r->note != NULL ? strdup(r->note) : NULL;
	v->since = r->since;
	if (v->account == NULL || v->domain == NULL) {
		free(v->account);
		free(v->domain);
		free(v->note);
		return DSREG_ENOMEM;
	}
	b->n++;
	return 0;
}

static void
books_free(struct books *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].account);
		free(b->v[i].domain);
		free(b->v[i].note);
	}
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

static int
books_has(const struct books *b, const struct account *a, const char *domain)
{
	size_t i;

	for (i = 0; b != NULL && i < b->n; i++)
		if (strcmp(b->v[i].account, a->name) == 0 &&
		    strcmp(b->v[i].domain, domain) == 0)
			return 1;
	return 0;
}

/* Read the books: 0, or -1 (said why; counts as a journal failure). */
static int
books_read(struct fix *f, struct books *b)
{
	struct dsreg_err err;
	int rc;

	dsreg_err_clear(&err);
	pthread_mutex_lock(&f->db_lock);
	rc = state_unlocked_each(f->db, books_add, b, &err);
	return db_unlock(f, rc, &err) != 0 ? -1 : 0;
}

/* ---- signals ---------------------------------------------------------------- */

static const char *
sig_name(int sig)
{
	switch (sig) {
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	case SIGINT: return "SIGINT";
	default: return "a signal";
	}
}

static void
say(const char *s)
{
	ssize_t n = write(STDERR_FILENO, s, strlen(s));

	(void)n;
}

static void
on_stop(int sig)
{
	if (stop_sig != 0) {
		say("dsreg: apply: ");
		say(sig_name(sig));
		say(" again: exiting now; the journal holds what is in flight "
		    "and the next run resolves it\n");
		_exit(128 + sig);
	}
	stop_sig = sig;
	say("dsreg: apply: ");
	say(sig_name(sig));
	say(": finishing the request in flight and the relock, starting "
	    "nothing new (a second signal exits at once)\n");
}

/* catch: 1 while the registrars are being changed, 0 default actions. */
static void
stop_signals(int catch)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGINT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = catch ? on_stop : SIG_DFL;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Outcome word of a finished request. */
static const char *
req_outcome(int rc)
{
	if (rc == 0)
		return "ok";
	if (rc == DSREG_EREMOTE || rc == DSREG_EAUTH)
		return "failed";
	return "unknown";   /* transport: it may or may not have been applied */
}

static char *
change_detail(const char *kind, const struct dns_plan *p)
{
	char *fin = fix_set_json(&p->final), *add = fix_set_json(&p->add);
	char *rem = fix_set_json(&p->rem), *s = NULL;

	if (fin && add && rem && asprintf(&s, "{\"kind\":\"%s\",\"final\":%s,"
	    "\"add\":%s,\"rem\":%s,\"rem_all\":%s}", kind, fin, add, rem,
	    p->rem_all ? "true" : "false") < 0)
		s = NULL;
	free(fin);
	free(add);
	free(rem);
	return s;
}

static void
set_outcome(struct fix_item *it, const char *outcome, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set_outcome(struct fix_item *it, const char *outcome, const char *fmt, ...)
{
	va_list ap;

	it->outcome = outcome;
	free(it->note);
	it->note = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&it->note, fmt, ap) < 0)
			it->note = NULL;
		va_end(ap);
	}
}

/* ---- OpenSRS ------------------------------------------------------------ */

struct step_ctx {
	struct fix *f;
	const struct account *a;
	int64_t change;
	int64_t cur;
};

static int
osrs_step(void *ctx, const struct osrs_step_info *info)
{
	struct step_ctx *s = ctx;
	char note[160];

	if (info->before) {
		/* a stop signal cancels what is not sent yet (not the relock) */
		if (stop_sig != 0 && info->step != OSRS_STEP_RELOCK)
			return -1;
		/* on the books before the unlock is sent */
		if (info->step == OSRS_STEP_UNLOCK && unl_mark(s->f, s->a,
		    info->domain, "unlock sent") != 0)
			return -1;
		s->cur = jbegin(s->f, s->change, s->a, info->domain,
		    osrs_step_name(info->step), NULL);
		return s->cur < 0 ? -1 : 0;   /* no journal, no request */
	}
	snprintf(note, sizeof(note), "%d %s", info->res ?
	    info->res->response_code : 0, info->res &&
	    info->res->response_text ? info->res->response_text : "");
	jend(s->f, s->cur, req_outcome(info->rc), note);
	s->cur = 0;
	return 0;
}

static int
osrs_open(struct acct_run *r)
{
	if (r->osrs != NULL)
		return 0;
	return cli_opensrs_client(r->f->c, r->a, &r->osrs) == 0 ? 0 : -1;
}

static void
osrs_apply(struct acct_run *r, struct fix_item *it)
{
	struct osrs_replace_report rep;
	struct osrs_replace_opts opts;
	struct ds_set reg = { NULL, 0, 0 };
	struct osrs_result res;
	struct step_ctx sc;
	struct dsreg_err err;
	char *detail;
	int rc;

	osrs_result_init(&res);
	dsreg_err_clear(&err);
	if (books_has(r->unlocked, r->a, it->domain)) {
		set_outcome(it, "failed", "not changed: dsreg left it unlocked "
		    "and it is not read back as locked yet");
		r->failed = 1;
		return;
	}
	if (osrs_open(r) != 0) {
		set_outcome(it, "failed", "no client for account %s", r->a->name);
		r->failed = 1;
		return;
	}
	detail = change_detail("opensrs", &it->plan);
	memset(&sc, 0, sizeof(sc));
	sc.f = r->f;
	sc.a = r->a;
	if ((sc.change = jbegin(r->f, 0, r->a, it->domain, "change",
	    detail)) < 0) {
		set_outcome(it, "failed", "journal not writable: nothing sent");
		r->failed = 1;
		goto out;
	}
	/* What the registrar holds already (a change may be submitted but
	 * not yet published): never send it twice. */
	if ((rc = osrs_domain_get_ds(r->osrs, it->domain, &reg, &res,
	    &err)) != 0) {
		set_outcome(it, "failed", "%s", dsreg_err_text(&err));
		jend(r->f, sc.change, "failed", it->note);
		r->failed = 1;
		goto out;
	}
	if (ds_set_equal(&reg, &it->plan.final)) {
		set_outcome(it, "already", "the registrar already holds this "
		    "DS set; waiting for the registry to publish it");
		jend(r->f, sc.change, "applied", it->note);
		goto out;
	}
	memset(&opts, 0, sizeof(opts));
	opts.relock = r->a->relock;
	opts.step = osrs_step;
	opts.step_ctx = &sc;
	osrs_result_free(&res);
	if (stop_sig != 0) {
		set_outcome(it, "interrupted", "%s: nothing sent",
		    sig_name(stop_sig));
		jend(r->f, sc.change, "not-applied", it->note);
		goto out;
	}
	rc = osrs_domain_replace_ds(r->osrs, it->domain, &it->plan.final,
	    &opts, &rep, &res, &err);
	/* off the books only once the lock is read back */
	if (rep.unlock_sent && !lock_confirmed(r->f, r->a, r->osrs,
	    it->domain) && rc == 0) {
		set_outcome(it, "failed", "DS set replaced, but the domain is "
		    "not read back as locked: LEFT UNLOCKED; the next run "
		    "locks it first");
		jend(r->f, sc.change, "applied", it->note);
		r->failed = 1;
		goto out;
	}
	if (rc != 0 && stop_sig != 0 && !rep.set_sent && !rep.relock_failed) {
		set_outcome(it, "interrupted", "%s: the DS set was not sent%s",
		    sig_name(stop_sig), rep.unlock_sent ? "; locked again" : "");
		jend(r->f, sc.change, "not-applied", it->note);
		goto out;
	}
	if (rc == 0) {
		set_outcome(it, "applied", "%s", rep.unlock_sent ?
		    "unlocked, DS set replaced, locked again" :
		    "DS set replaced");
		jend(r->f, sc.change, "applied", it->note);
	} else {
		set_outcome(it, "failed", "%s", dsreg_err_text(&err));
		jend(r->f, sc.change, rep.set_sent && !rep.set_ok ? "unknown" :
		    "failed", it->note);
		r->failed = 1;
	}
out:
	ds_set_free(&reg);
	osrs_result_free(&res);
	free(detail);
}

/* ---- EPP ---------------------------------------------------------------- */

static int
epp_open(struct acct_run *r)
{
	struct epp_result res;
	struct dsreg_err err;

	if (r->epp != NULL)
		return 0;
	if (r->epp_failed)
		return -1;
	dsreg_err_clear(&err);
	memset(&res, 0, sizeof(res));
	/* the session keeps the log hook: the program's lives long enough */
	if (cli_epp_session(r->a, 0, 0, &r->f->c->log, &r->epp, &res,
	    &err) != 0) {
		cli_err(r->f->c, "[account %s]: %s", r->a->name,
		    dsreg_err_text(&err));
		r->epp_failed = 1;
		return -1;
	}
	return 0;
}

/* Does the registry hold ds, as dsData or as a key it refers to (keyData)? */
static int
registry_has(const struct epp_domain_info *info, const struct ds_rec *ds)
{
	return ds_set_contains(&info->ds, ds) ||
	    ds_keyset_match(&info->keys, ds) != NULL;
}

/* Does the registry hold exactly the DS set `want` (in either form)? */
static int
registry_holds(const struct epp_domain_info *info, const struct ds_set *want)
{
	size_t i, k;
	int found;

	for (i = 0; i < want->n; i++)
		if (!registry_has(info, want->v[i]))
			return 0;
	for (i = 0; i < info->ds.n; i++)
		if (!ds_set_contains(want, info->ds.v[i]))
			return 0;
	for (k = 0; k < info->keys.n; k++) {
		for (i = 0, found = 0; i < want->n && !found; i++)
			found = ds_rec_matches_key(want->v[i], info->keys.v[k]);
		if (!found)
			return 0;
	}
	return 1;
}

/* The change against what the registrar holds now. 0: something to send. */
static int
epp_change(struct acct_run *r, struct fix_item *it,
    const struct epp_domain_info *info, struct epp_secdns_change *chg)
{
	const struct dns_plan *p = &it->plan;
	size_t i;

	memset(chg, 0, sizeof(*chg));
	if (registry_holds(info, &p->final))
		return 1;
	if (p->rem_all) {
		chg->rem_all = 1;
		for (i = 0; i < p->final.n; i++)
			if (ds_set_add_copy(&chg->add_ds, p->final.v[i]) != 0)
				return -1;
	} else {
		for (i = 0; i < p->add.n; i++)
			if (!registry_has(info, p->add.v[i]) &&
			    ds_set_add_copy(&chg->add_ds, p->add.v[i]) != 0)
				return -1;
		for (i = 0; i < p->rem.n; i++)
			if (registry_has(info, p->rem.v[i]) &&
			    ds_set_add_copy(&chg->rem_ds, p->rem.v[i]) != 0)
				return -1;
		if (chg->add_ds.n == 0 && chg->rem_ds.n == 0)
			return 1;
	}
	/* a key-interface registry takes DNSKEYs (RFC 5910 §4.2) */
	if (epp_session_iface(r->epp) == EPP_IFACE_KEY) {
		for (i = 0; i < chg->add_ds.n; i++) {
			const struct ds_key *k = ds_keyset_match(&it->keys,
			    chg->add_ds.v[i]);
			struct ds_key *d;
			if (k == NULL || ds_key_dup(&d, k) != 0)
				return -2;
			if (ds_keyset_add(&chg->add_keys, d) != 0) {
				ds_key_free(d);
				return -1;
			}
		}
		for (i = 0; i < chg->rem_ds.n; i++) {
			const struct ds_key *k = ds_keyset_match(&info->keys,
			    chg->rem_ds.v[i]);
			struct ds_key *d;
			if (k == NULL || ds_key_dup(&d, k) != 0)
				return -2;
			if (ds_keyset_add(&chg->rem_keys, d) != 0) {
				ds_key_free(d);
				return -1;
			}
		}
		ds_set_free(&chg->add_ds);
		ds_set_free(&chg->rem_ds);
	}
	return 0;
}

static void
epp_apply(struct acct_run *r, struct fix_item *it)
{
	struct epp_domain_info *info = NULL;
	struct epp_secdns_change chg;
	struct epp_result res;
	struct dsreg_err err;
	int64_t change, upd;
	char *detail, note[EPP_TEXT_MAX * 2 + 96];
	int rc;

	memset(&chg, 0, sizeof(chg));
	memset(&res, 0, sizeof(res));
	dsreg_err_clear(&err);
	if (epp_open(r) != 0) {
		set_outcome(it, "failed", "no EPP session for account %s",
		    r->a->name);
		r->failed = 1;
		return;
	}
	detail = change_detail("epp", &it->plan);
	if ((change = jbegin(r->f, 0, r->a, it->domain, "change",
	    detail)) < 0) {
		set_outcome(it, "failed", "journal not writable: nothing sent");
		r->failed = 1;
		goto out;
	}
	rc = epp_domain_info(r->epp, it->domain, &info, &res, &err);
	if (rc != 0 || info == NULL) {
		set_outcome(it, "failed", "domain:info: %s", rc != 0 ?
		    dsreg_err_text(&err) : res.msg);
		jend(r->f, change, "failed", it->note);
		r->failed = 1;
		goto out;
	}
	rc = epp_change(r, it, info, &chg);
	if (rc == 1) {
		set_outcome(it, "already", "the registry already holds this DS "
		    "set; waiting for it to be published");
		jend(r->f, change, "applied", it->note);
		goto out;
	}
	if (rc != 0) {
		set_outcome(it, "failed", rc == -2 ? "the registry takes keys "
		    "(keyData) but a DNSKEY for a DS is not known" :
		    "out of memory");
		jend(r->f, change, "failed", it->note);
		r->failed = 1;
		goto out;
	}
	if (stop_sig != 0) {
		set_outcome(it, "interrupted", "%s: nothing sent",
		    sig_name(stop_sig));
		jend(r->f, change, "not-applied", it->note);
		goto out;
	}
	if ((upd = jbegin(r->f, change, r->a, it->domain, "update",
	    NULL)) < 0) {
		set_outcome(it, "failed", "journal not writable: nothing sent");
		jend(r->f, change, "failed", it->note);
		r->failed = 1;
		goto out;
	}
	memset(&res, 0, sizeof(res));
	rc = epp_domain_update_secdns(r->epp, it->domain, &chg, &res, &err);
	snprintf(note, sizeof(note), "%d %s%s%s svTRID %s%s", res.code, res.msg,
	    res.reason[0] ? ": " : "", res.reason, res.svtrid,
	    res.recovered ? " (outcome read back with domain:info)" : "");
	jend(r->f, upd, rc == 0 && epp_code_ok(res.code) ? "ok" :
	    rc == 0 ? "failed" : "unknown", note);
	if (rc == 0 && epp_code_ok(res.code)) {
		set_outcome(it, "applied", "%s", note);
		jend(r->f, change, "applied", note);
	} else {
		set_outcome(it, "failed", "%s", rc != 0 ?
		    dsreg_err_text(&err) : note);
		jend(r->f, change, rc != 0 ? "unknown" : "failed", it->note);
		r->failed = 1;
	}
out:
	epp_secdns_change_free(&chg);
	epp_domain_info_free(info);
	free(detail);
}

static void
apply_item(struct acct_run *r, struct fix_item *it)
{
	if (r->a->type == ACCOUNT_OPENSRS)
		osrs_apply(r, it);
	else
		epp_apply(r, it);
}

static void *
acct_worker(void *arg)
{
	struct acct_run *r = arg;
	struct fix_item *it;

	for (it = r->f->items; it != NULL; it = it->next) {
		if (it->acct != r->a || it->plan.kind != DNS_PLAN_CHANGE)
			continue;
		if (stop_sig != 0)
			set_outcome(it, "interrupted", "%s: not started",
			    sig_name(stop_sig));
		else
			apply_item(r, it);
	}
	return NULL;
}

/* ---- recovery of an interrupted run ------------------------------------- */

struct open_change {
	int64_t id;
	char *account, *domain, *detail, *step;
	struct open_change *next;
};

static int
collect_open(void *ctx, const struct state_journal_row *row)
{
	struct open_change **head = ctx, *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return DSREG_ENOMEM;
	o->id = row->id;
	o->account = strdup(row->account);
	o->domain = strdup(row->domain);
	o->detail = row->detail ? strdup(row->detail) : NULL;
	o->step = strdup(row->step);
	o->next = *head;
	*head = o;
	return 0;
}

struct child_scan {
	int unlocked;     /* an unlock was (maybe) sent */
	int relocked;     /* a relock succeeded */
};

static int
scan_child(void *ctx, const struct state_journal_row *row)
{
	struct child_scan *s = ctx;

	if (strcmp(row->step, "unlock") == 0 && (row->outcome == NULL ||
	    strcmp(row->outcome, "failed") != 0))
		s->unlocked = 1;
	if (strcmp(row->step, "relock") == 0 && row->outcome != NULL &&
	    strcmp(row->outcome, "ok") == 0)
		s->relocked = 1;
	return 0;
}

/* The DS sets a change aimed at, from its journal detail. */
static int
detail_sets(const char *detail, struct ds_set *final, struct ds_set *add,
    struct ds_set *rem)
{
	struct ds_set *dst[3] = { final, add, rem };
	const char *keys[3] = { "final", "add", "rem" };
	json_t *j, *arr;
	struct ds_rec *ds;
	size_t i, k;

	if (detail == NULL || (j = json_loads(detail, 0, NULL)) == NULL)
		return -1;
	for (k = 0; k < 3; k++) {
		arr = json_object_get(j, keys[k]);
		for (i = 0; i < json_array_size(arr); i++)
			if (ds_rec_parse_rdata(&ds, json_string_value(
			    json_array_get(arr, i)), NULL) == 0 &&
			    ds_set_add(dst[k], ds) != 0)
				ds_rec_free(ds);
	}
	json_decref(j);
	return 0;
}

/* Resolve one change left open by an interrupted run, by asking the
 * registrar what really happened.  Nothing is resent here: the plan that
 * follows compares against the registrar again. */
static int
resolve_one(struct fix *f, struct acct_run *r, struct open_change *o)
{
	struct ds_set final = { 0 }, add = { 0 }, rem = { 0 }, reg = { 0 };
	struct epp_domain_info *info = NULL;
	struct child_scan cs = { 0, 0 };
	struct osrs_result res;
	struct epp_result eres;
	struct dsreg_err err;
	int locked = -1, rc = 0, applied = 0;
	int64_t id;
	size_t i;
	char note[256];

	osrs_result_init(&res);
	memset(&eres, 0, sizeof(eres));
	dsreg_err_clear(&err);
	if (detail_sets(o->detail, &final, &add, &rem) != 0) {
		cli_err(f->c, "journal entry %lld for %s: unreadable detail",
		    (long long)o->id, o->domain);
		rc = -1;
		goto out;
	}
	state_journal_each(f->db, 0, o->id, scan_child, &cs, NULL);
	if (r->a->type == ACCOUNT_OPENSRS) {
		if (osrs_open(r) != 0) {
			rc = -1;
			goto out;
		}
		if (cs.unlocked && !cs.relocked) {
			/* it was locked before this run unlocked it */
			if (osrs_domain_get_lock(r->osrs, o->domain, &locked,
			    &res, &err) != 0) {
				cli_err(f->c, "%s: lock state: %s", o->domain,
				    dsreg_err_text(&err));
				rc = -1;
				goto out;
			}
			if (!locked) {
				id = jbegin(f, o->id, r->a, o->domain, "relock",
				    NULL);
				osrs_result_free(&res);
				rc = osrs_domain_set_lock(r->osrs, o->domain, 1,
				    &res, &err);
				jend(f, id, req_outcome(rc), rc ?
				    dsreg_err_text(&err) : NULL);
				if (rc != 0) {
					cli_err(f->c, "%s LEFT UNLOCKED by an "
					    "interrupted run and relocking "
					    "failed: %s", o->domain,
					    dsreg_err_text(&err));
					goto out;
				}
				dsreg_log(&f->c->log, DSREG_LOG_WARN, "%s: "
				    "locked again (left unlocked by an "
				    "interrupted run)", o->domain);
			}
		}
		osrs_result_free(&res);
		if (osrs_domain_get_ds(r->osrs, o->domain, &reg, &res,
		    &err) != 0) {
			rc = -1;
			goto out;
		}
		applied = ds_set_equal(&reg, &final);
	} else {
		if (epp_open(r) != 0 || epp_domain_info(r->epp, o->domain,
		    &info, &eres, &err) != 0 || info == NULL) {
			rc = -1;
			goto out;
		}
		applied = 1;
		for (i = 0; i < add.n; i++)
			if (!registry_has(info, add.v[i]))
				applied = 0;
		for (i = 0; i < rem.n; i++)
			if (registry_has(info, rem.v[i]))
				applied = 0;
	}
	snprintf(note, sizeof(note), "resolved after an interrupted run: the "
	    "registrar %s the new DS set", applied ? "holds" : "does not hold");
	jend(f, o->id, applied ? "applied" : "not-applied", note);
	dsreg_log(&f->c->log, DSREG_LOG_WARN, "%s: %s", o->domain, note);
out:
	if (rc != 0)
		cli_err(f->c, "%s: an interrupted change could not be resolved "
		    "(journal entry %lld): %s", o->domain, (long long)o->id,
		    err.msg[0] ? err.msg : "see above");
	epp_domain_info_free(info);
	osrs_result_free(&res);
	ds_set_free(&final);
	ds_set_free(&add);
	ds_set_free(&rem);
	ds_set_free(&reg);
	return rc;
}

/*
 * First thing in a run: lock again every domain on the books (dsreg
 * unlocked it and has not read it back as locked).  Those that still are
 * not confirmed locked are left in *still, and not changed in this run.
 */
static void
relock_books(struct fix *f, struct acct_run *runs, size_t nruns,
    struct books *still)
{
	struct books b = { NULL, 0 };
	struct osrs_result res;
	struct dsreg_err err;
	struct acct_run *r;
	int64_t id;
	size_t i, k;
	int rc, locked;

	if (books_read(f, &b) != 0)
		return;
	for (i = 0; i < b.n; i++) {
		struct books_row *row = &b.v[i];
		struct state_unlocked_row keep = { row->account, row->domain,
		    row->note, row->since };

		for (k = 0, r = NULL; k < nruns; k++)
			if (strcmp(runs[k].a->name, row->account) == 0)
				r = &runs[k];
		if (r == NULL || r->a->type != ACCOUNT_OPENSRS) {
			cli_err(f->c, "%s: dsreg unlocked it at account '%s', "
			    "which is no longer configured: lock it by hand "
			    "and configure the account again so that dsreg "
			    "can read the lock back", row->domain, row->account);
			books_add(still, &keep);
			continue;
		}
		if (osrs_open(r) != 0) {
			books_add(still, &keep);
			continue;
		}
		osrs_result_init(&res);
		dsreg_err_clear(&err);
		locked = 0;
		rc = osrs_domain_get_lock(r->osrs, row->domain, &locked, &res,
		    &err);
		osrs_result_free(&res);
		if (rc == 0 && locked) {
			unl_clear(f, r->a, row->domain);
			dsreg_log(&f->c->log, DSREG_LOG_WARN, "%s: read back as "
			    "locked (dsreg had left it unlocked)", row->domain);
			continue;
		}
		id = jbegin(f, 0, r->a, row->domain, "relock", NULL);
		osrs_result_init(&res);
		dsreg_err_clear(&err);
		rc = osrs_domain_set_lock(r->osrs, row->domain, 1, &res, &err);
		jend(f, id, req_outcome(rc), rc != 0 ? dsreg_err_text(&err) :
		    "locked again: an earlier run left it unlocked");
		osrs_result_free(&res);
		if (lock_confirmed(f, r->a, r->osrs, row->domain)) {
			dsreg_log(&f->c->log, DSREG_LOG_WARN, "%s: locked "
			    "again (an earlier run left it unlocked)",
			    row->domain);
			continue;
		}
		cli_err(f->c, "%s LEFT UNLOCKED since an earlier run, and "
		    "relocking failed again%s%s; it is not changed in this "
		    "run: lock it by hand", row->domain, rc != 0 ? ": " : "",
		    rc != 0 ? dsreg_err_text(&err) : "");
		books_add(still, &keep);
	}
	books_free(&b);
}

static int
recover(struct fix *f, struct acct_run *runs, size_t nruns)
{
	struct open_change *head = NULL, *o, *next;
	struct dsreg_err err;
	size_t i;
	int failed = 0;

	dsreg_err_clear(&err);
	if (state_journal_each(f->db, 1, 0, collect_open, &head, &err) != 0) {
		cli_err(f->c, "%s", dsreg_err_text(&err));
		return -1;
	}
	for (o = head; o != NULL; o = o->next) {
		struct acct_run *r = NULL;
		if (o->step != NULL && strcmp(o->step, "change") != 0) {
			/* a relock of a domain on the books, interrupted: the
			 * books keep the domain until it reads back locked */
			jend(f, o->id, "unknown", "interrupted; the domain stays "
			    "listed as unlocked until read back as locked");
			continue;
		}
		for (i = 0; i < nruns; i++)
			if (strcmp(runs[i].a->name, o->account) == 0)
				r = &runs[i];
		if (r == NULL) {
			cli_err(f->c, "%s: interrupted change at account '%s', "
			    "which is no longer configured: check it by hand "
			    "(journal entry %lld)", o->domain, o->account,
			    (long long)o->id);
			failed = 1;
			continue;
		}
		if (resolve_one(f, r, o) != 0)
			failed = 1;
	}
	for (o = head; o != NULL; o = next) {
		next = o->next;
		free(o->account);
		free(o->domain);
		free(o->detail);
		free(o->step);
		free(o);
	}
	return failed ? -1 : 0;
}

/* ---- verification at every parent server, and the next step ------------- */

static int
awaiting(const struct fix_item *it)
{
	return it->outcome != NULL && !it->published &&
	    (strcmp(it->outcome, "applied") == 0 ||
	    strcmp(it->outcome, "already") == 0);
}

/* A plan-clock time as real time. */
static time_t
real_time(const struct fix *f, time_t plan_time)
{
	return plan_time - (f->now - f->started);
}

/* What to do next with a planned item: a change now, or one due later. */
static void
next_step(struct fix *f, struct acct_run *runs, size_t nruns,
    struct fix_item *it)
{
	size_t i;

	it->due = 0;
	if (it->plan.kind == DNS_PLAN_WAIT && it->plan.wait_until > 0) {
		it->due = it->plan.wait_until;
		return;
	}
	if (it->plan.kind != DNS_PLAN_CHANGE || it->acct == NULL ||
	    it->nclaims != 1)
		return;
	for (i = 0; i < nruns; i++)
		if (runs[i].a == it->acct) {
			it->published = 0;
			apply_item(&runs[i], it);
			return;
		}
}

/*
 * Poll every parent server until each change is published.  When it is,
 * the item is planned again right then, which records since when the new
 * set has been at every parent server (the DS TTL counts from then); a
 * next step the plan gives (a removal that waits for the DS TTL) is
 * carried out in this run if it falls due within --wait.  Items already
 * waiting for the DS TTL are taken up the same way.  Returns how many are
 * still not published or waiting.
 */
static size_t
settle(struct fix *f, struct acct_run *runs, size_t nruns)
{
	time_t deadline = time(NULL) + f->o.wait, nap, t;
	struct fix_item *it;
	size_t pending, soon;
	int pub;

	for (it = f->items; it != NULL; it = it->next)
		if (it->outcome == NULL && it->plan.kind == DNS_PLAN_WAIT &&
		    it->plan.wait_until > 0 && it->acct != NULL &&
		    it->nclaims == 1 && real_time(f, it->plan.wait_until) <=
		    deadline) {
			it->due = it->plan.wait_until;
			f->nwait--;
		}
	for (;;) {
		pending = 0;
		soon = 0;
		nap = POLL_INTERVAL;
		for (it = f->items; it != NULL && stop_sig == 0; it = it->next) {
			if (it->due != 0 && fix_clock(f) >= it->due) {
				if (fix_replan(f, it, 0, &pub) == 0)
					next_step(f, runs, nruns, it);
				else
					it->due = 0;
			}
			if (awaiting(it)) {
				if (fix_replan(f, it, 1, &pub) != 0 || !pub) {
					pending++;
					soon++;
					continue;
				}
				it->published = 1;
				next_step(f, runs, nruns, it);
				if (awaiting(it)) {
					pending++;
					soon++;
					continue;
				}
			}
			if (it->due != 0) {
				pending++;
				t = real_time(f, it->due);
				if (t <= deadline)
					soon++;
				t -= time(NULL);
				if (t < nap)
					nap = t > 0 ? t : 0;
			}
		}
		if (soon == 0 || stop_sig != 0 || time(NULL) >= deadline)
			return pending;
		if (nap > 0)
			sleep((unsigned)nap);
	}
}

/* ---- the command ---------------------------------------------------------- */

static void
report(struct fix *f)
{
	struct fix_item *it;
	json_t *o;
	char *s;

	for (it = f->items; it != NULL; it = it->next) {
		const char *pub;

		if (it->outcome == NULL)
			continue;
		pub = it->published ? "published at every parent server" :
		    strcmp(it->outcome, "failed") == 0 ? "" :
		    "not yet published at every parent server";
		if (f->c->format == FMT_TEXT) {
			printf("%-32s %-12s %-8s %s%s%s\n", it->domain,
			    it->acct->name, it->outcome, it->note ? it->note :
			    "", *pub ? "; " : "", pub);
			continue;
		}
		if (f->c->format == FMT_CSV) {
			printf("%s,%s,%s,%d\n", it->domain, it->acct->name,
			    it->outcome, it->published);
			continue;
		}
		o = json_pack("{s:s, s:s, s:s, s:s?, s:b}", "domain",
		    it->domain, "account", it->acct->name, "change", it->outcome,
		    "note", it->note, "published", it->published);
		if ((s = json_dumps(o, JSON_COMPACT)) != NULL)
			printf("%s\n", s);
		free(s);
		json_decref(o);
	}
}

static int
confirm(struct fix *f)
{
	char line[16];

	if (f->o.yes)
		return 1;
	if (!isatty(STDIN_FILENO)) {
		if (f->c->verbosity >= 0)
			fprintf(stderr, "apply: no terminal and no --yes: "
			    "nothing changed (this was the plan)\n");
		return 0;
	}
	fprintf(stderr, "apply %zu change%s at the registrars? [y/N] ",
	    f->nchange, f->nchange == 1 ? "" : "s");
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

struct apply_ctx {
	struct acct_run *runs;
	size_t nruns;
	int rec_failed;
	struct books still;    /* on the books and not confirmed locked */
};

/* Before the audit: one worker per account; every domain dsreg left
 * unlocked is locked again, and the changes an interrupted run left open
 * are resolved (relock first, then what really happened). */
static int
before_audit(struct fix *f, void *arg)
{
	struct apply_ctx *ac = arg;
	size_t i;

	if ((ac->runs = calloc(f->c->cfg->naccounts + 1,
	    sizeof(*ac->runs))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < f->c->cfg->naccounts; i++) {
		ac->runs[i].f = f;
		ac->runs[i].a = &f->c->cfg->accounts[i];
		ac->runs[i].unlocked = &ac->still;
	}
	ac->nruns = f->c->cfg->naccounts;
	stop_signals(1);
	relock_books(f, ac->runs, ac->nruns, &ac->still);
	if (recover(f, ac->runs, ac->nruns) != 0)
		ac->rec_failed = 1;
	/* nothing is in flight during the audit */
	stop_signals(0);
	if (stop_sig != 0)
		return DSREG_ESTATE;    /* cmd_apply exits 128 + stop_sig */
	return 0;
}

/* Exit status 3 while any domain dsreg unlocked is not read back as
 * locked: say which.  Returns how many. */
static size_t
still_unlocked(struct fix *f)
{
	struct books b = { NULL, 0 };
	char t[32];
	struct tm tm;
	size_t i, n;

	if (f->db == NULL || books_read(f, &b) != 0)
		return 0;
	for (i = 0; i < b.n; i++) {
		gmtime_r(&b.v[i].since, &tm);
		strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%SZ", &tm);
		cli_err(f->c, "%s LEFT UNLOCKED: dsreg unlocked it at account "
		    "'%s' at %s and has not read it back as locked (%s)",
		    b.v[i].domain, b.v[i].account, t, b.v[i].note ?
		    b.v[i].note : "no note");
	}
	n = b.n;
	books_free(&b);
	return n;
}

int
cmd_apply(struct cli *c, int argc, char **argv)
{
	struct apply_ctx ac;
	struct acct_run *runs;
	struct fix_opts o;
	struct fix f;
	size_t i, nruns, pending = 0, nunlocked;
	int st, rec_failed, e;

	signal(SIGPIPE, SIG_IGN);
	memset(&ac, 0, sizeof(ac));
	if ((st = fix_parse(c, FIX_APPLY, argc, argv, &o)) != 0)
		return cli_exit_status(st);
	o.before_audit = before_audit;
	o.before_arg = &ac;
	memset(&f, 0, sizeof(f));
	st = fix_prepare(&f, c, FIX_APPLY, &o, 1);
	runs = ac.runs;
	nruns = ac.nruns;
	rec_failed = ac.rec_failed;
	if (st != 0) {
		st = stop_sig != 0 ? 128 + stop_sig : cli_exit_status(st);
		goto out;
	}
	if ((f.nchange > 0 && confirm(&f)) || (f.nchange == 0 &&
	    f.nwait > 0 && f.o.yes)) {
		stop_signals(1);
		for (i = 0; i < nruns && f.nchange > 0; i++) {
			if ((e = pthread_create(&runs[i].tid, NULL,
			    acct_worker, &runs[i])) == 0) {
				runs[i].threaded = 1;
				continue;
			}
			dsreg_log(&c->log, DSREG_LOG_WARN, "apply: no thread "
			    "for account %s (%s): its changes run in the "
			    "main thread", runs[i].a->name, strerror(e));
		}
		/* accounts without a thread of their own, one after another */
		for (i = 0; i < nruns && f.nchange > 0; i++)
			if (!runs[i].threaded)
				acct_worker(&runs[i]);
		for (i = 0; i < nruns && f.nchange > 0; i++)
			if (runs[i].threaded)
				pthread_join(runs[i].tid, NULL);
		if (f.o.wait > 0)
			pending = settle(&f, runs, nruns);
		report(&f);
	}
	for (i = 0; i < nruns; i++)
		if (runs[i].failed)
			f.failed = 1;
	nunlocked = still_unlocked(&f);
	if (stop_sig != 0)
		st = 128 + stop_sig;
	else if (f.failed || rec_failed || f.state_failed || nunlocked > 0)
		st = EXIT_RUNTIME;
	else if (f.s.sel.nbad > 0 || f.nconflict > 0)
		st = EXIT_USAGE;
	else if (pending > 0 || f.nmanual > 0 || f.nrefuse > 0 ||
	    f.nwait > 0 || (f.nchange > 0 && !f.o.yes && !isatty(0)))
		st = EXIT_ACTION;
	else
		st = EXIT_OK;
	if (f.state_failed)
		cli_err(c, "apply: the state database could not be written "
		    "(see above): the journal may not hold every step of this "
		    "run; check the registrars and free space before the next "
		    "run");
	if (c->verbosity >= 0)
		fprintf(stderr, "apply: %zu change%s, %zu not yet published "
		    "or waiting, %zu manual, %zu refused, %zu waiting, %zu left "
		    "unlocked\n", f.nchange, f.nchange == 1 ? "" : "s", pending,
		    f.nmanual, f.nrefuse, f.nwait, nunlocked);
out:
	for (i = 0; i < nruns; i++) {
		osrs_client_free(runs[i].osrs);
		epp_session_close(runs[i].epp);
	}
	free(runs);
	books_free(&ac.still);
	fix_free(&f);
	return st;
}
