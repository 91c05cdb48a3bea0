/* tucows/registrar.c - the registrar interface (common/registrar.h) over the OpenSRS API: client from an [account], DS replace with its lock dance, locks, listing */
#include "tucows/registrar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/account.h"
#include "common/error.h"
#include "common/log.h"
#include "common/secret.h"
#include "ds/ds.h"
#include "tucows/client.h"

/* ---- client from an [account] ---------------------------------------- */

int
osrs_client_from_account(const struct account *a, const struct dsreg_log *log,
    struct osrs_client **out, struct dsreg_err *err)
{
	struct osrs_client_opts o;
	char *key = NULL;
	size_t key_len = 0;
	int rc;

	if (a->type != ACCOUNT_OPENSRS)
		return dsreg_err_set(err, DSREG_EINVAL, "account %s is not of "
		    "type opensrs", a->name);
	if (a->key_file == NULL)
		return dsreg_err_set(err, DSREG_EINVAL, "account %s: key_file "
		    "is not set", a->name);
	if (dsreg_secret_read(a->key_file, &key, &key_len, err) != 0) {
		dsreg_err_prefix(err, "account %s", a->name);
		if (err != NULL)
			err->code = DSREG_EINVAL;
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
	if (log != NULL)
		o.log = *log;
	rc = osrs_client_new(out, &o, err);
	dsreg_secret_free(key);
	if (rc != 0) {
		dsreg_err_prefix(err, "account %s", a->name);
		rc = rc == DSREG_ENOMEM ? rc : DSREG_EINVAL;
		if (err != NULL)
			err->code = rc;
	}
	return rc;
}

/* ---- the pure parts -------------------------------------------------- */

enum registrar_step
osrs_registrar_step(enum osrs_step step)
{
	switch (step) {
	case OSRS_STEP_UNLOCK: return REGISTRAR_STEP_UNLOCK;
	case OSRS_STEP_SET_DS: return REGISTRAR_STEP_SET;
	case OSRS_STEP_RELOCK: return REGISTRAR_STEP_RELOCK;
	}
	return REGISTRAR_STEP_SET;
}

enum registrar_outcome
osrs_replace_outcome(int rc, const struct osrs_replace_report *rep)
{
	enum dsreg_retry cls;

	if (rc == 0 || rep->set_ok)
		return REGISTRAR_APPLIED;
	if (!rep->set_sent)
		return REGISTRAR_NOT_SENT;
	if (rep->set_code == 0)
		return REGISTRAR_UNKNOWN;       /* no answer */
	cls = osrs_retry_class(rep->set_code);
	return cls == DSREG_RETRY_NEVER || cls == DSREG_RETRY_FIX ||
	    cls == DSREG_RETRY_AUTH ? REGISTRAR_REFUSED : REGISTRAR_UNKNOWN;
}

/* ---- the operations -------------------------------------------------- */

/* What a struct registrar is here (the interface keeps it opaque). */
struct osrs_registrar {
	struct osrs_client *cl;
	int relock;                 /* the account's relock */
};

static struct osrs_registrar *
me(struct registrar *reg)
{
	return (struct osrs_registrar *)(void *)reg;
}

static int
reg_open(struct registrar **out, const struct account *a,
    const struct dsreg_log *log, struct dsreg_err *err)
{
	struct osrs_registrar *r;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	if ((rc = osrs_client_from_account(a, log, &r->cl, err)) != 0) {
		free(r);
		return rc;
	}
	r->relock = a->relock;
	*out = (struct registrar *)(void *)r;
	return 0;
}

static void
reg_close(struct registrar *reg)
{
	if (reg == NULL)
		return;
	osrs_client_free(me(reg)->cl);
	free(reg);
}

static int
reg_read(struct registrar *reg, const char *domain, struct ds_set *ds,
    struct ds_keyset *keys, struct dsreg_err *err)
{
	struct osrs_result res;
	int rc;

	osrs_result_init(&res);
	rc = osrs_domain_get_ds(me(reg)->cl, domain, ds, &res, err);
	osrs_result_free(&res);
	return rc;
}

/* GET DOMAIN type=dnssec: does it hold exactly final? */
static int
held(struct osrs_registrar *r, const char *domain, const struct ds_set *final,
    int *holds, struct dsreg_err *err)
{
	struct ds_set reg = { NULL, 0, 0 };
	struct osrs_result res;
	int rc;

	osrs_result_init(&res);
	if ((rc = osrs_domain_get_ds(r->cl, domain, &reg, &res, err)) == 0)
		*holds = ds_set_equal(&reg, final);
	ds_set_free(&reg);
	osrs_result_free(&res);
	return rc;
}

static int
reg_holds(struct registrar *reg, const struct registrar_change *c,
    int *holds, struct dsreg_err *err)
{
	return held(me(reg), c->domain, c->final, holds, err);
}

/* osrs_domain_replace_ds's steps through the interface's hook. */
static int
step(void *ctx, const struct osrs_step_info *info)
{
	const struct registrar_hook *h = ctx;
	enum registrar_step st = osrs_registrar_step(info->step);
	char note[160], *text = NULL;

	if (h == NULL)
		return 0;
	/* any "no" is 1: the sequence then fails with DSREG_ESTATE (a
	 * hook's -1 is not a DSREG_* code) */
	if (info->before)
		return h->before != NULL &&
		    h->before(h->ctx, info->domain, st) != 0 ? 1 : 0;
	if (h->after == NULL)
		return 0;
	if (info->res != NULL && info->res->response_text != NULL)
		text = osrs_text_printable(info->res->response_text);
	snprintf(note, sizeof(note), "%d %s", info->res != NULL ?
	    info->res->response_code : 0, text != NULL ? text : "");
	free(text);
	h->after(h->ctx, info->domain, st, info->rc, note);
	return 0;
}

static int
reg_apply(struct registrar *reg, const struct registrar_change *c,
    const struct registrar_hook *h, struct registrar_report *rep,
    struct dsreg_err *err)
{
	struct osrs_registrar *r = me(reg);
	struct osrs_replace_report orep;
	struct osrs_replace_opts opts;
	struct registrar_hook hook;
	struct osrs_result res;
	int rc, holds = 0;

	memset(rep, 0, sizeof(*rep));
	rep->outcome = REGISTRAR_NOT_SENT;
	/* What the registrar holds already (a change may be submitted but
	 * not yet published): never send it twice. */
	if ((rc = held(r, c->domain, c->final, &holds, err)) != 0) {
		snprintf(rep->note, sizeof(rep->note), "%s",
		    dsreg_err_text(err));
		return rc;
	}
	if (holds) {
		rep->outcome = REGISTRAR_ALREADY;
		snprintf(rep->note, sizeof(rep->note), "the registrar already "
		    "holds this DS set; waiting for the registry to publish "
		    "it");
		return 0;
	}
	memset(&opts, 0, sizeof(opts));
	opts.relock = r->relock;
	opts.step = step;
	if (h != NULL) {
		hook = *h;
		opts.step_ctx = &hook;
	}
	osrs_result_init(&res);
	rc = osrs_domain_replace_ds(r->cl, c->domain, c->final, &opts, &orep,
	    &res, err);
	osrs_result_free(&res);
	rep->outcome = osrs_replace_outcome(rc, &orep);
	rep->unlock_sent = orep.unlock_sent;
	rep->relock_failed = orep.relock_failed;
	if (rc == 0)
		snprintf(rep->note, sizeof(rep->note), "%s", orep.unlock_sent ?
		    "unlocked, DS set replaced, locked again" :
		    "DS set replaced");
	else
		snprintf(rep->note, sizeof(rep->note), "%s",
		    dsreg_err_text(err));
	return rc;
}

static int
reg_get_lock(struct registrar *reg, const char *domain, int *locked,
    struct dsreg_err *err)
{
	struct osrs_result res;
	int rc;

	osrs_result_init(&res);
	rc = osrs_domain_get_lock(me(reg)->cl, domain, locked, &res, err);
	osrs_result_free(&res);
	return rc;
}

static int
reg_set_lock(struct registrar *reg, const char *domain, int locked,
    struct dsreg_err *err)
{
	struct osrs_result res;
	int rc;

	osrs_result_init(&res);
	rc = osrs_domain_set_lock(me(reg)->cl, domain, locked, &res, err);
	osrs_result_free(&res);
	return rc;
}

static int
reg_list(struct registrar *reg, int (*fn)(void *ctx, const char *domain),
    void *ctx, struct dsreg_err *err)
{
	struct osrs_domain_list list = { NULL, 0, 0 };
	struct osrs_result res;
	size_t i;
	int rc;

	osrs_result_init(&res);
	rc = osrs_domain_list(me(reg)->cl, NULL, NULL, 0, &list, &res, err);
	for (i = 0; rc == 0 && i < list.n; i++)
		rc = fn(ctx, list.v[i].name);
	osrs_domain_list_free(&list);
	osrs_result_free(&res);
	return rc;
}

const struct registrar_ops osrs_registrar_ops = {
	.type = "opensrs",
	.has_locks = 1,
	.has_list = 1,
	.open = reg_open,
	.close = reg_close,
	.read = reg_read,
	.holds = reg_holds,
	.apply = reg_apply,
	.get_lock = reg_get_lock,
	.set_lock = reg_set_lock,
	.list = reg_list,
};
