/* tests/unit/fake_registrar.c - a registrar in memory, with faults, behind struct registrar_ops */
#include "tests/unit/fake_registrar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_world fake;

/* The fake has no connection: a registrar handle is the world itself. */
struct registrar {
	int unused;
};
static struct registrar handle;

void
fake_reset(int locks)
{
	size_t i;

	for (i = 0; i < fake.n; i++)
		ds_set_free(&fake.d[i].ds);
	memset(&fake, 0, sizeof(fake));
	fake.locks = locks;
}

void
fake_set(struct ds_set *set, const char *ds)
{
	char buf[2048], *p, *save = NULL;
	struct ds_rec *r;

	snprintf(buf, sizeof(buf), "%s", ds);
	for (p = strtok_r(buf, ";", &save); p != NULL;
	    p = strtok_r(NULL, ";", &save))
		if (ds_rec_parse_rdata(&r, p, NULL) == 0 &&
		    ds_set_add(set, r) != 0)
			ds_rec_free(r);
}

struct fake_domain *
fake_add(const char *name, const char *ds, int locked)
{
	struct fake_domain *d = &fake.d[fake.n++];

	d->name = name;
	d->locked = locked;
	fake_set(&d->ds, ds);
	return d;
}

struct fake_domain *
fake_find(const char *name)
{
	size_t i;

	for (i = 0; i < fake.n; i++)
		if (strcmp(fake.d[i].name, name) == 0)
			return &fake.d[i];
	return NULL;
}

static void
step(enum registrar_step s)
{
	size_t n = strlen(fake.steps);

	snprintf(fake.steps + n, sizeof(fake.steps) - n, "%s ",
	    registrar_step_name(s));
}

static int
f_open(struct registrar **out, const struct account *a,
    const struct dsreg_log *log, struct dsreg_err *err)
{
	(void)a;
	(void)log;
	fake.opens++;
	if (fake.fault == FAKE_OPEN_FAILS)
		return dsreg_err_set(err, DSREG_EAUTH, "fake: login refused");
	*out = &handle;
	return 0;
}

static void
f_close(struct registrar *r)
{
	(void)r;
}

static struct fake_domain *
known(const char *domain, struct dsreg_err *err)
{
	struct fake_domain *d = fake_find(domain);

	if (d == NULL)
		dsreg_err_set(err, DSREG_EREMOTE, "fake: %s: not ours", domain);
	return d;
}

static int
f_read(struct registrar *r, const char *domain, struct ds_set *ds,
    struct ds_keyset *keys, struct dsreg_err *err)
{
	struct fake_domain *d = known(domain, err);
	size_t i;

	(void)r;
	(void)keys;
	fake.reads++;
	if (d == NULL)
		return DSREG_EREMOTE;
	for (i = 0; i < d->ds.n; i++)
		if (ds_set_add_copy(ds, d->ds.v[i]) != 0)
			return DSREG_ENOMEM;
	return 0;
}

static int
f_holds(struct registrar *r, const struct registrar_change *c, int *holds,
    struct dsreg_err *err)
{
	struct fake_domain *d = known(c->domain, err);

	(void)r;
	fake.reads++;
	if (d == NULL)
		return DSREG_EREMOTE;
	*holds = ds_set_equal(&d->ds, c->final);
	return 0;
}

/* One request through the hook; 0 sent, -1 the hook said no. */
static int
request(const struct registrar_hook *h, const char *domain,
    enum registrar_step s)
{
	if (h->before(h->ctx, domain, s) != 0 && s != REGISTRAR_STEP_RELOCK)
		return -1;
	step(s);
	return 0;
}

static int
set_lock(struct fake_domain *d, const struct registrar_hook *h, int lock)
{
	enum registrar_step s = lock ? REGISTRAR_STEP_RELOCK :
	    REGISTRAR_STEP_UNLOCK;
	int rc = 0;

	if (request(h, d->name, s) != 0)
		return -1;
	if (lock)
		fake.relocks++;
	else
		fake.unlocks++;
	if (lock && fake.fault == FAKE_RELOCK_FAILS)
		rc = DSREG_EREMOTE;
	else
		d->locked = lock;
	h->after(h->ctx, d->name, s, rc, rc ? "435 refused" : "200 ok");
	return rc;
}

static int
f_apply(struct registrar *r, const struct registrar_change *c,
    const struct registrar_hook *h, struct registrar_report *rep,
    struct dsreg_err *err)
{
	struct fake_domain *d = known(c->domain, err);
	int was_locked, rc;
	size_t i;

	(void)r;
	memset(rep, 0, sizeof(*rep));
	rep->outcome = REGISTRAR_NOT_SENT;
	if (d == NULL)
		return DSREG_EREMOTE;
	if (ds_set_equal(&d->ds, c->final)) {
		rep->outcome = REGISTRAR_ALREADY;
		snprintf(rep->note, sizeof(rep->note), "already held");
		return 0;
	}
	was_locked = fake.locks && d->locked;
	if (was_locked) {
		if (set_lock(d, h, 0) != 0)
			return dsreg_err_set(err, DSREG_ESTATE, "fake: stopped");
		rep->unlock_sent = 1;
	}
	if (request(h, d->name, fake.locks ? REGISTRAR_STEP_SET :
	    REGISTRAR_STEP_UPDATE) != 0) {
		rc = dsreg_err_set(err, DSREG_ESTATE, "fake: not sent");
		goto relock;
	}
	fake.changes_sent++;
	if (fake.fault == FAKE_REFUSE) {
		rep->outcome = REGISTRAR_REFUSED;
		rc = dsreg_err_set(err, DSREG_EREMOTE, "fake: 2306 refused");
		h->after(h->ctx, d->name, fake.locks ? REGISTRAR_STEP_SET :
		    REGISTRAR_STEP_UPDATE, rc, "2306 refused");
		goto relock;
	}
	ds_set_free(&d->ds);
	for (i = 0; i < c->final->n; i++)
		if (ds_set_add_copy(&d->ds, c->final->v[i]) != 0)
			return dsreg_err_set(err, DSREG_ENOMEM, "fake: no memory");
	if (fake.fault == FAKE_LOSE_ANSWER) {
		rep->outcome = REGISTRAR_UNKNOWN;
		rc = dsreg_err_set(err, DSREG_ETIMEOUT, "fake: no answer");
		h->after(h->ctx, d->name, fake.locks ? REGISTRAR_STEP_SET :
		    REGISTRAR_STEP_UPDATE, rc, "no answer");
		goto relock;
	}
	rep->outcome = REGISTRAR_APPLIED;
	rc = 0;
	snprintf(rep->note, sizeof(rep->note), "1000 done");
	h->after(h->ctx, d->name, fake.locks ? REGISTRAR_STEP_SET :
	    REGISTRAR_STEP_UPDATE, 0, "1000 done");
relock:
	if (was_locked && set_lock(d, h, 1) != 0) {
		rep->relock_failed = 1;
		if (rc == 0)
			rc = dsreg_err_set(err, DSREG_ESTATE, "fake: LEFT "
			    "UNLOCKED");
	}
	return rc;
}

static int
f_get_lock(struct registrar *r, const char *domain, int *locked,
    struct dsreg_err *err)
{
	struct fake_domain *d = known(domain, err);

	(void)r;
	if (d == NULL)
		return DSREG_EREMOTE;
	*locked = d->locked;
	return 0;
}

static int
f_set_lock(struct registrar *r, const char *domain, int locked,
    struct dsreg_err *err)
{
	struct fake_domain *d = known(domain, err);

	(void)r;
	if (d == NULL)
		return DSREG_EREMOTE;
	if (locked)
		fake.relocks++;
	if (locked && fake.fault == FAKE_RELOCK_FAILS)
		return dsreg_err_set(err, DSREG_EREMOTE, "fake: 435 refused");
	d->locked = locked;
	return 0;
}

static int
f_list(struct registrar *r, int (*fn)(void *ctx, const char *domain),
    void *ctx, struct dsreg_err *err)
{
	size_t i;
	int rc;

	(void)r;
	(void)err;
	for (i = 0; i < fake.n; i++)
		if ((rc = fn(ctx, fake.d[i].name)) != 0)
			return rc;
	return 0;
}

const struct registrar_ops fake_registrar_ops = {
	.type = "fake",
	.has_locks = 1,
	.has_list = 1,
	.open = f_open,
	.close = f_close,
	.read = f_read,
	.holds = f_holds,
	.apply = f_apply,
	.get_lock = f_get_lock,
	.set_lock = f_set_lock,
	.list = f_list,
};
