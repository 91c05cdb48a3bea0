/* engine/journal.c - the write-ahead journal of apply and the books of domains dsreg unlocked */
#include "engine/internal.h"
#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
engine_say(const struct engine *e, const char *fmt, ...)
{
	char msg[DSREG_ERR_MAX * 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->cfg.say != NULL)
		e->cfg.say(e->cfg.say_ctx, msg);
}

const char *
engine_jout_name(enum engine_jout o)
{
	switch (o) {
	case ENGINE_JOUT_OK: return "ok";
	case ENGINE_JOUT_FAILED: return "failed";
	case ENGINE_JOUT_UNKNOWN: return "unknown";
	case ENGINE_JOUT_APPLIED: return "applied";
	case ENGINE_JOUT_NOT_APPLIED: return "not-applied";
	}
	return "?";
}

/*
 * End a state database call made under e->db_lock: a failure marks the
 * run (exit 3), the lock is released, then the error is said.  Returns
 * rc.
 */
static int
db_unlock(struct engine *e, int rc, const struct dsreg_err *err)
{
	if (rc != 0)
		e->state_failed = 1;
	pthread_mutex_unlock(&e->db_lock);
	if (rc != 0)
		engine_say(e, "%s", dsreg_err_text(err));
	return rc;
}

int64_t
engine_jbegin(struct engine *e, int64_t parent, const struct engine_account *a,
    const char *domain, const char *step, const char *detail)
{
	struct dsreg_err err;
	int64_t id = 0;
	int rc;

	dsreg_err_clear(&err);
	pthread_mutex_lock(&e->db_lock);
	rc = state_journal_begin(e->db, e->run_id, parent, a->cfg->name,
	    domain, step, detail, time(NULL), &id, &err);
	return db_unlock(e, rc, &err) != 0 ? -1 : id;
}

void
engine_jend(struct engine *e, int64_t id, enum engine_jout o, const char *note)
{
	struct dsreg_err err;
	int rc;

	if (id <= 0)
		return;
	dsreg_err_clear(&err);
	pthread_mutex_lock(&e->db_lock);
	rc = state_journal_end(e->db, id, engine_jout_name(o), note, time(NULL),
	    &err);
	db_unlock(e, rc, &err);
}

enum engine_jout
engine_request_jout(int rc)
{
	if (rc == 0)
		return ENGINE_JOUT_OK;
	if (rc == DSREG_EREMOTE || rc == DSREG_EAUTH)
		return ENGINE_JOUT_FAILED;
	return ENGINE_JOUT_UNKNOWN;
}

json_t *
engine_ds_json(const struct ds_set *set, int rdata_only)
{
	json_t *arr = json_array();
	char *t;
	size_t i;

	for (i = 0; arr != NULL && i < set->n; i++) {
		t = rdata_only ? ds_rec_rdata_text(set->v[i]) :
		    ds_rec_to_text(set->v[i], 0);
		if (t == NULL || json_array_append_new(arr,
		    json_string(t)) != 0) {
			free(t);
			json_decref(arr);
			return NULL;
		}
		free(t);
	}
	return arr;
}

char *
engine_change_detail(const char *kind, const struct dns_plan *p)
{
	json_t *j = json_pack("{s:s, s:o?, s:o?, s:o?, s:b}", "kind", kind,
	    "final", engine_ds_json(&p->final, 1), "add",
	    engine_ds_json(&p->add, 1), "rem", engine_ds_json(&p->rem, 1),
	    "rem_all", p->rem_all);
	char *s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;

	json_decref(j);
	return s;
}

int
engine_detail_sets(const char *detail, struct ds_set *final,
    struct ds_set *add, struct ds_set *rem)
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

/* ---- domains dsreg unlocked ------------------------------------------------
 *
 * A domain is put on the books (table unlocked) before its unlock is sent,
 * and taken off only when its lock state, read back, says locked.  Every
 * run relocks what is on the books first; a domain still on them is not
 * changed, and the run ends with status 3.
 */

int
engine_books_mark(struct engine *e, const struct engine_account *a,
    const char *domain, const char *note)
{
	struct dsreg_err err;
	int rc;

	dsreg_err_clear(&err);
	pthread_mutex_lock(&e->db_lock);
	rc = state_unlocked_add(e->db, a->cfg->name, domain, time(NULL), note,
	    &err);
	return db_unlock(e, rc, &err);
}

void
engine_books_clear(struct engine *e, const struct engine_account *a,
    const char *domain)
{
	struct dsreg_err err;
	int rc;

	dsreg_err_clear(&err);
	pthread_mutex_lock(&e->db_lock);
	rc = state_unlocked_clear(e->db, a->cfg->name, domain, &err);
	db_unlock(e, rc, &err);
}

int
engine_books_add(void *ctx, const struct state_unlocked_row *r)
{
	struct engine_books *b = ctx;
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

void
engine_books_free(struct engine_books *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++) {
		free(b->v[i].account);
		free(b->v[i].domain);
		free(b->v[i].note);
	}
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

int
engine_books_has(const struct engine_books *b, const struct engine_account *a,
    const char *domain)
{
	size_t i;

	for (i = 0; b != NULL && i < b->n; i++)
		if (strcmp(b->v[i].account, a->cfg->name) == 0 &&
		    strcmp(b->v[i].domain, domain) == 0)
			return 1;
	return 0;
}

/* Read the books: 0, or -1 (said why; counts as a journal failure). */
int
engine_books_read(struct engine *e, struct engine_books *b)
{
	struct dsreg_err err;
	int rc;

	dsreg_err_clear(&err);
	pthread_mutex_lock(&e->db_lock);
	rc = state_unlocked_each(e->db, engine_books_add, b, &err);
	return db_unlock(e, rc, &err) != 0 ? -1 : 0;
}

size_t
engine_unlocked_each(struct engine *e, void (*fn)(void *ctx,
    const char *account, const char *domain, time_t since, const char *note),
    void *ctx)
{
	struct engine_books b = { NULL, 0 };
	size_t i, n;

	if (e->db == NULL || engine_books_read(e, &b) != 0)
		return 0;
	for (i = 0; fn != NULL && i < b.n; i++)
		fn(ctx, b.v[i].account, b.v[i].domain, b.v[i].since,
		    b.v[i].note);
	n = b.n;
	engine_books_free(&b);
	return n;
}
