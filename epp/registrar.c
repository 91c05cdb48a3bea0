/* epp/registrar.c - the registrar interface (common/registrar.h) over an EPP session: what the registry holds, the secDNS delta, DS -> keyData */
#include "epp/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/account.h"
#include "common/error.h"
#include "common/registrar.h"
#include "common/secret.h"

/* ---- session from an [account] --------------------------------------- */

int
epp_session_from_account(const struct account *a, int retries,
    int backoff_ms, const struct dsreg_log *log, struct epp_session **out,
    struct epp_result *res, struct dsreg_err *err)
{
	struct epp_config cfg;
	char *pw = NULL;
	size_t pwlen;
	int rc;

	if (a->host == NULL || a->username == NULL ||
	    a->password_file == NULL)
		return dsreg_err_set(err, DSREG_EINVAL, "[account %s] needs "
		    "host, username and password_file", a->name);
	if ((rc = dsreg_secret_read(a->password_file, &pw, &pwlen, err)) != 0)
		return rc;
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = a->host;
	cfg.port = a->port;
	cfg.server_name = a->server_name;
	cfg.ca_file = a->ca_file;
	cfg.cert_file = a->cert_file;
	cfg.key_file = a->key_file;
	cfg.username = a->username;
	cfg.password = pw;
	cfg.secdns = a->secdns == NULL || strcmp(a->secdns, "auto") == 0 ?
	    EPP_SECDNS_AUTO : strcmp(a->secdns, "1.1") == 0 ?
	    EPP_SECDNS_PREF_11 : EPP_SECDNS_PREF_10;
	cfg.iface = a->interface != NULL && strcmp(a->interface, "key") == 0 ?
	    EPP_IFACE_KEY : EPP_IFACE_DS;
	cfg.rate = a->rate;
	cfg.timeout_ms = a->timeout > 0 ? a->timeout * 1000 : 0;
	cfg.retries = retries;
	cfg.backoff_ms = backoff_ms;
	rc = epp_session_open(out, &cfg, log, res, err);
	dsreg_secret_free(pw);
	return rc;
}

/* ---- does the registry hold it? -------------------------------------- */

int
epp_keyset_has(const struct ds_keyset *set, const struct ds_key *key)
{
	size_t i;

	for (i = 0; set != NULL && i < set->n; i++)
		if (set->v[i]->rdata_len == key->rdata_len &&
		    memcmp(set->v[i]->rdata, key->rdata, key->rdata_len) == 0)
			return 1;
	return 0;
}

int
epp_info_has(const struct epp_domain_info *info, const struct ds_rec *ds)
{
	return ds_set_contains(&info->ds, ds) ||
	    ds_keyset_match(&info->keys, ds) != NULL;
}

int
epp_info_holds_only(const struct epp_domain_info *info,
    const struct ds_set *ds, const struct ds_keyset *keys)
{
	size_t i, k;
	int found;

	for (i = 0; i < info->ds.n; i++)
		if ((ds == NULL || !ds_set_contains(ds, info->ds.v[i])) &&
		    (keys == NULL || ds_keyset_match(keys, info->ds.v[i]) ==
		    NULL))
			return 0;
	for (k = 0; k < info->keys.n; k++) {
		found = epp_keyset_has(keys, info->keys.v[k]);
		for (i = 0; ds != NULL && i < ds->n && !found; i++)
			found = ds_rec_matches_key(ds->v[i], info->keys.v[k]);
		if (!found)
			return 0;
	}
	return 1;
}

int
epp_info_holds(const struct epp_domain_info *info, const struct ds_set *final)
{
	size_t i;

	for (i = 0; i < final->n; i++)
		if (!epp_info_has(info, final->v[i]))
			return 0;
	return epp_info_holds_only(info, final, NULL);
}

/* ---- the delta ------------------------------------------------------- */

/* The key of each DS in ds, from pool, into out (RFC 5910 §4.2). */
static int
to_keys(const struct ds_set *ds, const struct ds_keyset *pool,
    struct ds_keyset *out, struct dsreg_err *err)
{
	const struct ds_key *k;
	struct ds_key *d;
	size_t i;

	for (i = 0; i < ds->n; i++) {
		if ((k = ds_keyset_match(pool, ds->v[i])) == NULL)
			return dsreg_err_set(err, DSREG_EINVAL, "the registry "
			    "takes keys (keyData) but a DNSKEY for DS %u is "
			    "not known", ds->v[i]->key_tag);
		if (ds_key_dup(&d, k) != 0)
			return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		if (ds_keyset_add(out, d) != 0) {
			ds_key_free(d);
			return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		}
	}
	return 0;
}

int
epp_secdns_delta(const struct registrar_change *c,
    const struct epp_domain_info *info, enum epp_iface iface,
    struct epp_secdns_change *chg, struct dsreg_err *err)
{
	static const struct ds_keyset none = { NULL, 0, 0 };
	struct epp_secdns_change d;
	size_t i;
	int rc = DSREG_ENOMEM;

	memset(&d, 0, sizeof(d));
	if (c->rem_all) {
		d.rem_all = 1;
		for (i = 0; i < c->final->n; i++)
			if (ds_set_add_copy(&d.add_ds, c->final->v[i]) != 0)
				goto fail;
	} else {
		for (i = 0; c->add != NULL && i < c->add->n; i++)
			if (!epp_info_has(info, c->add->v[i]) &&
			    ds_set_add_copy(&d.add_ds, c->add->v[i]) != 0)
				goto fail;
		for (i = 0; c->rem != NULL && i < c->rem->n; i++)
			if (epp_info_has(info, c->rem->v[i]) &&
			    ds_set_add_copy(&d.rem_ds, c->rem->v[i]) != 0)
				goto fail;
		if (d.add_ds.n == 0 && d.rem_ds.n == 0) {
			rc = DSREG_ENOTFOUND;
			goto out;
		}
	}
	/* a key-interface registry takes DNSKEYs (RFC 5910 §4.2) */
	if (iface == EPP_IFACE_KEY) {
		if ((rc = to_keys(&d.add_ds, c->keys != NULL ? c->keys : &none,
		    &d.add_keys, err)) != 0 ||
		    (rc = to_keys(&d.rem_ds, &info->keys, &d.rem_keys,
		    err)) != 0)
			goto out;
		ds_set_free(&d.add_ds);
		ds_set_free(&d.rem_ds);
	}
	*chg = d;
	return 0;
fail:
	dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
out:
	epp_secdns_change_free(&d);
	return rc;
}

/* ---- the operations -------------------------------------------------- */

/* What a struct registrar is here (the interface keeps it opaque). */
struct epp_registrar {
	struct epp_session *s;
};

static struct epp_session *
session(struct registrar *reg)
{
	return ((struct epp_registrar *)(void *)reg)->s;
}

static int
reg_open(struct registrar **out, const struct account *a,
    const struct dsreg_log *log, struct dsreg_err *err)
{
	struct epp_registrar *r;
	struct epp_result res;
	int rc;

	if (a->type != ACCOUNT_EPP)
		return dsreg_err_set(err, DSREG_EINVAL, "account %s is not of "
		    "type epp", a->name);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	memset(&res, 0, sizeof(res));
	if ((rc = epp_session_from_account(a, 0, 0, log, &r->s, &res,
	    err)) != 0) {
		if (err != NULL && strncmp(err->msg, "[account ", 9) != 0)
			dsreg_err_prefix(err, "[account %s]", a->name);
		free(r);
		return rc;
	}
	*out = (struct registrar *)(void *)r;
	return 0;
}

static void
reg_close(struct registrar *reg)
{
	if (reg == NULL)
		return;
	epp_session_close(session(reg));
	free(reg);
}

/* domain:info; an error result becomes DSREG_EREMOTE. */
static int
info_get(struct registrar *reg, const char *domain,
    struct epp_domain_info **out, struct dsreg_err *err)
{
	struct epp_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	*out = NULL;
	if ((rc = epp_domain_info(session(reg), domain, out, &res,
	    err)) != 0) {
		dsreg_err_prefix(err, "domain:info");
		return rc;
	}
	if (*out == NULL)
		return dsreg_err_set(err, DSREG_EREMOTE, "domain:info: %d %s",
		    res.code, res.msg);
	return 0;
}

static int
reg_read(struct registrar *reg, const char *domain, struct ds_set *ds,
    struct ds_keyset *keys, struct dsreg_err *err)
{
	struct epp_domain_info *info = NULL;
	struct ds_key *k;
	size_t i;
	int rc;

	if ((rc = info_get(reg, domain, &info, err)) != 0)
		return rc;
	for (i = 0; rc == 0 && i < info->ds.n; i++)
		rc = ds_set_add_copy(ds, info->ds.v[i]);
	for (i = 0; rc == 0 && i < info->keys.n; i++) {
		if ((rc = ds_key_dup(&k, info->keys.v[i])) == 0 &&
		    (rc = ds_keyset_add(keys, k)) != 0)
			ds_key_free(k);
	}
	if (rc != 0)
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	epp_domain_info_free(info);
	return rc;
}

static int
reg_holds(struct registrar *reg, const struct registrar_change *c,
    int *holds, struct dsreg_err *err)
{
	struct epp_domain_info *info = NULL;
	int rc;

	if ((rc = info_get(reg, c->domain, &info, err)) != 0)
		return rc;
	*holds = epp_info_holds(info, c->final);
	epp_domain_info_free(info);
	return 0;
}

static void
note_err(struct registrar_report *rep, const struct dsreg_err *err)
{
	snprintf(rep->note, sizeof(rep->note), "%s", dsreg_err_text(err));
}

static int
reg_apply(struct registrar *reg, const struct registrar_change *c,
    const struct registrar_hook *h, struct registrar_report *rep,
    struct dsreg_err *err)
{
	struct epp_session *s = session(reg);
	struct epp_domain_info *info = NULL;
	struct epp_secdns_change chg;
	struct epp_result res;
	int rc;

	memset(rep, 0, sizeof(*rep));
	memset(&chg, 0, sizeof(chg));
	memset(&res, 0, sizeof(res));
	rep->outcome = REGISTRAR_NOT_SENT;
	if ((rc = info_get(reg, c->domain, &info, err)) != 0) {
		note_err(rep, err);
		goto out;
	}
	if (epp_info_holds(info, c->final) ||
	    (rc = epp_secdns_delta(c, info, epp_session_iface(s), &chg,
	    err)) == DSREG_ENOTFOUND) {
		rep->outcome = REGISTRAR_ALREADY;
		snprintf(rep->note, sizeof(rep->note), "the registry already "
		    "holds this DS set; waiting for it to be published");
		rc = 0;
		goto out;
	}
	if (rc != 0) {
		note_err(rep, err);
		goto out;
	}
	if (h != NULL && h->before != NULL &&
	    (rc = h->before(h->ctx, c->domain, REGISTRAR_STEP_UPDATE)) != 0) {
		rc = dsreg_err_set(err, DSREG_ESTATE, "%s: "
		    "domain:update not sent: stopped before sending",
		    c->domain);
		note_err(rep, err);
		goto out;
	}
	rc = epp_domain_update_secdns(s, c->domain, &chg, &res, err);
	snprintf(rep->note, sizeof(rep->note), "%d %s%s%s svTRID %s%s",
	    res.code, res.msg, res.reason[0] ? ": " : "", res.reason,
	    res.svtrid, res.recovered ?
	    " (outcome read back with domain:info)" : "");
	if (rc == 0 && epp_code_ok(res.code))
		rep->outcome = REGISTRAR_APPLIED;
	else if (rc == 0) {
		/* the registry answered no: the request's code says so */
		rep->outcome = REGISTRAR_REFUSED;
		rc = dsreg_err_set(err, DSREG_EREMOTE, "domain:update %s: %s",
		    c->domain, rep->note);
	} else
		/* DSREG_EINVAL: the change could not be built, nothing
		 * left; otherwise it may have been applied */
		rep->outcome = rc == DSREG_EINVAL ? REGISTRAR_NOT_SENT :
		    REGISTRAR_UNKNOWN;
	if (h != NULL && h->after != NULL)
		h->after(h->ctx, c->domain, REGISTRAR_STEP_UPDATE, rc,
		    rep->note);
	if (rep->outcome != REGISTRAR_APPLIED &&
	    rep->outcome != REGISTRAR_REFUSED)
		note_err(rep, err);
out:
	epp_secdns_change_free(&chg);
	epp_domain_info_free(info);
	return rc;
}

const struct registrar_ops epp_registrar_ops = {
	.type = "epp",
	.has_locks = 0,
	.has_list = 0,
	.open = reg_open,
	.close = reg_close,
	.read = reg_read,
	.holds = reg_holds,
	.apply = reg_apply,
	.get_lock = NULL,
	.set_lock = NULL,
	.list = NULL,
};
