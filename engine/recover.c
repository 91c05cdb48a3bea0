/* engine/recover.c - before a run changes anything: relock what was left unlocked, resolve open changes */
#include "engine/internal.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (o->account == NULL || o->domain == NULL || o->step == NULL)
		return DSREG_ENOMEM;
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
	const char *unlock = registrar_step_name(REGISTRAR_STEP_UNLOCK);
	const char *relock = registrar_step_name(REGISTRAR_STEP_RELOCK);

	if (strcmp(row->step, unlock) == 0 && (row->outcome == NULL ||
	    strcmp(row->outcome, engine_jout_name(ENGINE_JOUT_FAILED)) != 0))
		s->unlocked = 1;
	if (strcmp(row->step, relock) == 0 && row->outcome != NULL &&
	    strcmp(row->outcome, engine_jout_name(ENGINE_JOUT_OK)) == 0)
		s->relocked = 1;
	return 0;
}

/* A change left open unlocked the domain and did not lock it again: lock
 * it (it was locked before that run unlocked it).  0 or -1 (said why). */
static int
relock_open(struct engine_run *r, const struct open_change *o)
{
	const struct registrar_ops *ops = r->a->ops;
	struct dsreg_err err;
	int64_t id;
	int locked = 0, rc;

	dsreg_err_clear(&err);
	if (ops->get_lock(r->reg, o->domain, &locked, &err) != 0) {
		engine_say(r->e, "%s: lock state: %s", o->domain,
		    dsreg_err_text(&err));
		return -1;
	}
	if (locked)
		return 0;
	id = engine_jbegin(r->e, o->id, r->a, o->domain,
	    registrar_step_name(REGISTRAR_STEP_RELOCK), NULL);
	rc = ops->set_lock(r->reg, o->domain, 1, &err);
	engine_jend(r->e, id, engine_request_jout(rc), rc != 0 ?
	    dsreg_err_text(&err) : NULL);
	if (rc != 0) {
		engine_say(r->e, "%s LEFT UNLOCKED by an interrupted run and "
		    "relocking failed: %s", o->domain, dsreg_err_text(&err));
		return -1;
	}
	dsreg_log(r->e->cfg.log, DSREG_LOG_WARN, "%s: locked again (left "
	    "unlocked by an interrupted run)", o->domain);
	return 0;
}

/* Resolve one change left open by an interrupted run, by asking the
 * registrar whether it holds the set the change aimed at.  Nothing is
 * resent here: the plan that follows compares against the registrar
 * again. */
static int
resolve_one(struct engine_run *r, const struct open_change *o)
{
	struct ds_set final = { 0 }, add = { 0 }, rem = { 0 };
	struct ds_keyset nokeys = { 0 };
	struct registrar_change chg;
	struct child_scan cs = { 0, 0 };
	struct dsreg_err err;
	int holds = 0, rc = 0;
	char note[256];

	dsreg_err_clear(&err);
	if (engine_detail_sets(o->detail, &final, &add, &rem) != 0) {
		engine_say(r->e, "journal entry %lld for %s: unreadable detail",
		    (long long)o->id, o->domain);
		rc = -1;
		goto out;
	}
	state_journal_each(r->e->db, 0, o->id, scan_child, &cs, NULL);
	if (engine_run_open(r) != 0) {
		rc = -1;
		goto out;
	}
	if (r->a->ops->has_locks && cs.unlocked && !cs.relocked &&
	    relock_open(r, o) != 0)
		goto out;
	memset(&chg, 0, sizeof(chg));
	chg.domain = o->domain;
	chg.final = &final;
	chg.add = &add;
	chg.rem = &rem;
	chg.keys = &nokeys;
	if (r->a->ops->holds(r->reg, &chg, &holds, &err) != 0) {
		rc = -1;
		goto out;
	}
	snprintf(note, sizeof(note), "resolved after an interrupted run: the "
	    "registrar %s the new DS set", holds ? "holds" : "does not hold");
	engine_jend(r->e, o->id, holds ? ENGINE_JOUT_APPLIED :
	    ENGINE_JOUT_NOT_APPLIED, note);
	dsreg_log(r->e->cfg.log, DSREG_LOG_WARN, "%s: %s", o->domain, note);
out:
	if (rc != 0)
		engine_say(r->e, "%s: an interrupted change could not be "
		    "resolved (journal entry %lld): %s", o->domain,
		    (long long)o->id, err.msg[0] ? dsreg_err_text(&err) :
		    "see above");
	ds_set_free(&final);
	ds_set_free(&add);
	ds_set_free(&rem);
	return rc;
}

/*
 * First thing in a run: lock again every domain on the books (dsreg
 * unlocked it and has not read it back as locked).  Those that still are
 * not confirmed locked are left in e->still, and not changed in this run.
 */
static void
relock_books(struct engine *e)
{
	struct engine_books b = { NULL, 0 };
	struct engine_run *r;
	struct dsreg_err err;
	int64_t id;
	size_t i;
	int rc, locked;

	if (engine_books_read(e, &b) != 0)
		return;
	for (i = 0; i < b.n; i++) {
		struct books_row *row = &b.v[i];
		struct state_unlocked_row keep = { row->account, row->domain,
		    row->note, row->since };

		r = engine_run_of(e, row->account);
		if (r == NULL || !r->a->ops->has_locks) {
			engine_say(e, "%s: dsreg unlocked it at account '%s', "
			    "which is no longer configured: lock it by hand "
			    "and configure the account again so that dsreg "
			    "can read the lock back", row->domain, row->account);
			engine_books_add(e->still, &keep);
			continue;
		}
		if (engine_run_open(r) != 0) {
			engine_books_add(e->still, &keep);
			continue;
		}
		dsreg_err_clear(&err);
		locked = 0;
		rc = r->a->ops->get_lock(r->reg, row->domain, &locked, &err);
		if (rc == 0 && locked) {
			engine_books_clear(e, r->a, row->domain);
			dsreg_log(e->cfg.log, DSREG_LOG_WARN, "%s: read back as "
			    "locked (dsreg had left it unlocked)", row->domain);
			continue;
		}
		id = engine_jbegin(e, 0, r->a, row->domain,
		    registrar_step_name(REGISTRAR_STEP_RELOCK), NULL);
		dsreg_err_clear(&err);
		rc = r->a->ops->set_lock(r->reg, row->domain, 1, &err);
		engine_jend(e, id, engine_request_jout(rc), rc != 0 ?
		    dsreg_err_text(&err) : "locked again: an earlier run left "
		    "it unlocked");
		if (engine_lock_confirmed(r, row->domain)) {
			dsreg_log(e->cfg.log, DSREG_LOG_WARN, "%s: locked "
			    "again (an earlier run left it unlocked)",
			    row->domain);
			continue;
		}
		engine_say(e, "%s LEFT UNLOCKED since an earlier run, and "
		    "relocking failed again%s%s; it is not changed in this "
		    "run: lock it by hand", row->domain, rc != 0 ? ": " : "",
		    rc != 0 ? dsreg_err_text(&err) : "");
		engine_books_add(e->still, &keep);
	}
	engine_books_free(&b);
}

int
engine_recover(struct engine *e)
{
	struct open_change *head = NULL, *o, *next;
	struct engine_run *r;
	struct dsreg_err err;
	const char *change = "change";
	int failed = 0;

	if (e->db == NULL)
		return 0;
	relock_books(e);
	dsreg_err_clear(&err);
	if (state_journal_each(e->db, 1, 0, collect_open, &head, &err) != 0) {
		engine_say(e, "%s", dsreg_err_text(&err));
		failed = 1;
	}
	for (o = head; o != NULL; o = o->next) {
		if (o->step != NULL && strcmp(o->step, change) != 0) {
			/* a relock of a domain on the books, interrupted: the
			 * books keep the domain until it reads back locked */
			engine_jend(e, o->id, ENGINE_JOUT_UNKNOWN, "interrupted; "
			    "the domain stays listed as unlocked until read "
			    "back as locked");
			continue;
		}
		if ((r = engine_run_of(e, o->account)) == NULL) {
			engine_say(e, "%s: interrupted change at account '%s', "
			    "which is no longer configured: check it by hand "
			    "(journal entry %lld)", o->domain, o->account,
			    (long long)o->id);
			failed = 1;
			continue;
		}
		if (resolve_one(r, o) != 0)
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
	e->rec_failed = failed;
	return failed ? DSREG_ESTATE : 0;
}
