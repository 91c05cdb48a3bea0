/* engine/apply.c - carry out the plan at the registrars, every request journalled before it is sent */
#include "engine/internal.h"
#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A stop signal (engine_stop) lets the request in flight finish and the
 * lock be restored, and starts nothing new.
 */
static volatile sig_atomic_t stop_sig;

void
engine_stop(int sig)
{
	stop_sig = sig;
}

int
engine_stop_signal(void)
{
	return stop_sig;
}

const char *
engine_signal_name(int sig)
{
	switch (sig) {
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	case SIGINT: return "SIGINT";
	default: return "a signal";
	}
}

static void
set_outcome(struct engine_item *it, enum engine_outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
set_outcome(struct engine_item *it, enum engine_outcome o, const char *fmt, ...)
{
	va_list ap;

	it->outcome = o;
	free(it->note);
	it->note = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		if (vasprintf(&it->note, fmt, ap) < 0)
			it->note = NULL;
		va_end(ap);
	}
}

struct engine_run *
engine_run_of(struct engine *e, const char *account)
{
	size_t i;

	for (i = 0; i < e->nruns; i++)
		if (strcmp(e->runs[i].a->cfg->name, account) == 0)
			return &e->runs[i];
	return NULL;
}

int
engine_run_open(struct engine_run *r)
{
	struct dsreg_err err;

	if (r->reg != NULL)
		return 0;
	if (r->open_failed)
		return -1;
	dsreg_err_clear(&err);
	if (r->a->ops->open(&r->reg, r->a->cfg, r->e->cfg.log, &err) != 0) {
		engine_say(r->e, "[account %s]: %s", r->a->cfg->name,
		    dsreg_err_text(&err));
		r->reg = NULL;
		r->open_failed = 1;
		return -1;
	}
	return 0;
}

int
engine_lock_confirmed(struct engine_run *r, const char *domain)
{
	struct dsreg_err err;
	char note[DSREG_ERR_MAX + 64];
	int locked = 0;

	dsreg_err_clear(&err);
	if (r->a->ops->get_lock(r->reg, domain, &locked, &err) != 0)
		snprintf(note, sizeof(note), "lock state not known: %s",
		    dsreg_err_text(&err));
	else if (!locked)
		snprintf(note, sizeof(note), "read back as unlocked");
	if (locked) {
		engine_books_clear(r->e, r->a, domain);
		return 1;
	}
	engine_books_mark(r->e, r->a, domain, note);
	return 0;
}

/* The journal around each request of a change. */
struct step_ctx {
	struct engine_run *r;
	int64_t change;
	int64_t cur;
};

static int
step_before(void *ctx, const char *domain, enum registrar_step step)
{
	struct step_ctx *s = ctx;

	/* a stop signal cancels what is not sent yet (not the relock) */
	if (stop_sig != 0 && step != REGISTRAR_STEP_RELOCK)
		return -1;
	/* on the books before the unlock is sent */
	if (step == REGISTRAR_STEP_UNLOCK && engine_books_mark(s->r->e,
	    s->r->a, domain, "unlock sent") != 0)
		return -1;
	s->cur = engine_jbegin(s->r->e, s->change, s->r->a, domain,
	    registrar_step_name(step), NULL);
	return s->cur < 0 ? -1 : 0;   /* no journal, no request */
}

static void
step_after(void *ctx, const char *domain, enum registrar_step step, int rc,
    const char *note)
{
	struct step_ctx *s = ctx;

	(void)domain;
	(void)step;
	engine_jend(s->r->e, s->cur, engine_request_jout(rc), note);
	s->cur = 0;
}

/* The journal's word for how a change ended. */
static enum engine_jout
change_jout(enum registrar_outcome o)
{
	switch (o) {
	case REGISTRAR_APPLIED:
	case REGISTRAR_ALREADY:
		return ENGINE_JOUT_APPLIED;
	case REGISTRAR_UNKNOWN:
		return ENGINE_JOUT_UNKNOWN;
	case REGISTRAR_NOT_SENT:
	case REGISTRAR_REFUSED:
		break;
	}
	return ENGINE_JOUT_FAILED;
}

void
engine_apply_item(struct engine_run *r, struct engine_item *it)
{
	const struct registrar_ops *ops = r->a->ops;
	struct registrar_change chg;
	struct registrar_report rep;
	struct registrar_hook hook;
	struct step_ctx sc;
	struct dsreg_err err;
	char *detail = NULL;
	int rc, sig;

	dsreg_err_clear(&err);
	if (engine_books_has(r->e->still, r->a, it->domain)) {
		set_outcome(it, ENGINE_FAILED, "not changed: dsreg left it "
		    "unlocked and it is not read back as locked yet");
		r->failed = 1;
		return;
	}
	if (engine_run_open(r) != 0) {
		set_outcome(it, ENGINE_FAILED, "no session with account %s",
		    r->a->cfg->name);
		r->failed = 1;
		return;
	}
	detail = engine_change_detail(ops->type, &it->plan);
	memset(&sc, 0, sizeof(sc));
	sc.r = r;
	if ((sc.change = engine_jbegin(r->e, 0, r->a, it->domain, "change",
	    detail)) < 0) {
		set_outcome(it, ENGINE_FAILED, "journal not writable: nothing "
		    "sent");
		r->failed = 1;
		goto out;
	}
	memset(&chg, 0, sizeof(chg));
	chg.domain = it->domain;
	chg.parent = it->parent;
	chg.final = &it->plan.final;
	chg.add = &it->plan.add;
	chg.rem = &it->plan.rem;
	chg.rem_all = it->plan.rem_all;
	chg.keys = &it->keys;
	chg.current = &it->current;
	chg.notify_to = it->notify_target;
	chg.notify_type = it->notify_type;
	hook.before = step_before;
	hook.after = step_after;
	hook.ctx = &sc;
	memset(&rep, 0, sizeof(rep));
	rc = ops->apply(r->reg, &chg, &hook, &rep, &err);
	sig = stop_sig;
	/* off the books only once the lock is read back */
	if (rep.unlock_sent && ops->has_locks &&
	    !engine_lock_confirmed(r, it->domain) &&
	    rep.outcome == REGISTRAR_APPLIED) {
		set_outcome(it, ENGINE_FAILED, "DS set replaced, but the domain "
		    "is not read back as locked: LEFT UNLOCKED; the next run "
		    "locks it first");
		engine_jend(r->e, sc.change, ENGINE_JOUT_APPLIED, it->note);
		r->failed = 1;
		goto out;
	}
	if (rc != 0 && sig != 0 && rep.outcome == REGISTRAR_NOT_SENT &&
	    !rep.relock_failed) {
		set_outcome(it, ENGINE_INTERRUPTED, "%s: nothing sent%s",
		    engine_signal_name(sig), rep.unlock_sent ?
		    " but the unlock; locked again" : "");
		engine_jend(r->e, sc.change, ENGINE_JOUT_NOT_APPLIED, it->note);
		goto out;
	}
	switch (rep.outcome) {
	case REGISTRAR_APPLIED:
		set_outcome(it, rc == 0 ? ENGINE_APPLIED : ENGINE_FAILED, "%s",
		    rc == 0 ? rep.note : dsreg_err_text(&err));
		break;
	case REGISTRAR_ALREADY:
		set_outcome(it, ENGINE_ALREADY, "%s", rep.note);
		break;
	default:
		set_outcome(it, ENGINE_FAILED, "%s", rc != 0 ?
		    dsreg_err_text(&err) : rep.note);
		break;
	}
	if (it->outcome == ENGINE_FAILED)
		r->failed = 1;
	engine_jend(r->e, sc.change, rc == 0 || rep.outcome ==
	    REGISTRAR_APPLIED ? change_jout(rep.outcome) :
	    rep.outcome == REGISTRAR_UNKNOWN ? ENGINE_JOUT_UNKNOWN :
	    ENGINE_JOUT_FAILED, it->note);
out:
	free(detail);
}

static void *
worker(void *arg)
{
	struct engine_run *r = arg;
	struct engine_item *it;

	for (it = r->e->items; it != NULL; it = it->next) {
		if (it->acct != r->a || it->plan.kind != DNS_PLAN_CHANGE)
			continue;
		if (stop_sig != 0)
			set_outcome(it, ENGINE_INTERRUPTED, "%s: not started",
			    engine_signal_name(stop_sig));
		else
			engine_apply_item(r, it);
	}
	return NULL;
}

void
engine_apply(struct engine *e)
{
	size_t i, n = e->nruns;
	int rc;

	for (i = 0; i < n && e->nchange > 0; i++) {
		if ((rc = pthread_create(&e->runs[i].tid, NULL, worker,
		    &e->runs[i])) == 0) {
			e->runs[i].threaded = 1;
			continue;
		}
		dsreg_log(e->cfg.log, DSREG_LOG_WARN, "apply: no thread for "
		    "account %s (%s): its changes run in the main thread",
		    e->runs[i].a->cfg->name, strerror(rc));
	}
	/* accounts without a thread of their own, one after another */
	for (i = 0; i < n && e->nchange > 0; i++)
		if (!e->runs[i].threaded)
			worker(&e->runs[i]);
	for (i = 0; i < n && e->nchange > 0; i++)
		if (e->runs[i].threaded) {
			pthread_join(e->runs[i].tid, NULL);
			e->runs[i].threaded = 0;
		}
	for (i = 0; i < n; i++)
		if (e->runs[i].failed)
			e->failed = 1;
}
