/* engine/internal.h - what the engine's files share among themselves (not part of the API) */
#ifndef DSREG_ENGINE_INTERNAL_H
#define DSREG_ENGINE_INTERNAL_H

#include <jansson.h>

#include "engine/engine.h"
#include "engine/route.h"

/* One account's worker: its registrar (opened on first use), its items. */
struct engine_run {
	struct engine *e;
	const struct engine_account *a;
	struct registrar *reg;
	int open_failed;           /* the registrar could not be opened */
	int failed;
	pthread_t tid;
	int threaded;              /* tid was started (join it) */
};

/* Domains on the books (dsreg unlocked them) not confirmed locked. */
struct engine_books {
	struct books_row {
		char *account, *domain, *note;
		time_t since;
	} *v;
	size_t n;
};

/* A message for the user (cfg.say). */
void engine_say(const struct engine *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- journal (journal.c); the state database handle is shared: every
 * call serialises on e->db_lock, and a failed write marks the run ---- */

/* A top-level (parent 0) or child row; its id, or -1 (not written). */
int64_t engine_jbegin(struct engine *e, int64_t parent,
    const struct engine_account *a, const char *domain, const char *step,
    const char *detail);
void engine_jend(struct engine *e, int64_t id, enum engine_jout o,
    const char *note);
/* A request's journal outcome from its code: done (ok), the registrar said
 * no (failed), anything else: it may or may not have been done (unknown). */
enum engine_jout engine_request_jout(int rc);
/* The journal detail of a change: {"kind", "final", "add", "rem",
 * "rem_all"}.  malloc'd or NULL. */
char *engine_change_detail(const char *kind, const struct dns_plan *p);
/* The DS sets a change aimed at, from its journal detail: 0 or -1. */
int engine_detail_sets(const char *detail, struct ds_set *final,
    struct ds_set *add, struct ds_set *rem);

int engine_books_read(struct engine *e, struct engine_books *b);
int engine_books_add(void *ctx, const struct state_unlocked_row *r);
int engine_books_has(const struct engine_books *b,
    const struct engine_account *a, const char *domain);
void engine_books_free(struct engine_books *b);
int engine_books_mark(struct engine *e, const struct engine_account *a,
    const char *domain, const char *note);
void engine_books_clear(struct engine *e, const struct engine_account *a,
    const char *domain);

/* ---- registrars (apply.c) ---- */

/* Open r's registrar on first use: 0 or -1 (said why, once). */
int engine_run_open(struct engine_run *r);
/* Read the lock back: locked, off the books (1); else kept there (0). */
int engine_lock_confirmed(struct engine_run *r, const char *domain);
/* Make the change of one item now. */
void engine_apply_item(struct engine_run *r, struct engine_item *it);
/* The run of an account, or NULL. */
struct engine_run *engine_run_of(struct engine *e, const char *account);

/* ---- plan (plan.c) ---- */

/*
 * Audit it->domain again; *published: every parent server serves exactly
 * its plan's final set.  Then (with check: only when published) plan it
 * anew as of engine_clock.  0 or DSREG_*.
 */
int engine_replan(struct engine *e, struct engine_item *it, int check,
    int *published);

#endif
