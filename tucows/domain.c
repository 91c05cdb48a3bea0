/* tucows/domain.c - typed OpenSRS domain calls and the unlock -> set DS -> relock sequence */
#include "tucows/domain.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "common/log.h"
#include "common/map.h"
#include "ds/ds.h"

#define RELOCK_TRIES 3

/* ---- listing ------------------------------------------------------- */

void
osrs_domain_list_free(struct osrs_domain_list *list)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++) {
		free(list->v[i].name);
		free(list->v[i].expiredate);
	}
	free(list->v);
	memset(list, 0, sizeof(*list));
}

/* Letters, digits, '-', '_' and '.' only (A-labels for IDNs). */
static int
name_ok(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			return 0;
	return n > 0 && n <= 253;
}

static int
list_append(struct osrs_domain_list *l, const char *name, const char *exp)
{
	struct osrs_domain *nv;
	size_t ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 64;
		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return DSREG_ENOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n].name = strdup(name);
	l->v[l->n].expiredate = exp != NULL ? osrs_text_printable(exp) : NULL;
	if (l->v[l->n].name == NULL || (exp != NULL &&
	    l->v[l->n].expiredate == NULL)) {
		free(l->v[l->n].name);
		free(l->v[l->n].expiredate);
		return DSREG_ENOMEM;
	}
	l->n++;
	return 0;
}

static long
attr_long(const struct osrs_value *attrs, const char *key, long dflt)
{
	const char *s = osrs_value_str(attrs, key);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtol(s, &end, 10);
	return *end != '\0' || errno != 0 ? dflt : v;
}

int
osrs_domain_list(struct osrs_client *c, const char *exp_from,
    const char *exp_to, int limit, struct osrs_domain_list *out,
    struct osrs_result *res, struct dsreg_err *err)
{
	const struct osrs_value *doms, *d;
	struct osrs_value *attrs = NULL;
	struct dsreg_map seen;      /* names in out (case-folded) */
	char num[24];
	const char *name;
	long page = 0, reply_page;
	int rc = 0, pages, stale = 0, fresh;
	size_t i;

	dsreg_map_init(&seen, 1);
	if (limit <= 0)
		limit = 100;
	for (pages = 0; pages < OSRS_LIST_PAGES_MAX; pages++) {
		if ((rc = osrs_value_new(&attrs, OSRS_ASSOC)) != 0 ||
		    (rc = osrs_assoc_set(attrs, "exp_from",
		    exp_from != NULL ? exp_from : "1970-01-01")) != 0 ||
		    (rc = osrs_assoc_set(attrs, "exp_to",
		    exp_to != NULL ? exp_to : "2199-12-31")) != 0)
			goto nomem;
		snprintf(num, sizeof(num), "%d", limit);
		if ((rc = osrs_assoc_set(attrs, "limit", num)) != 0)
			goto nomem;
		snprintf(num, sizeof(num), "%ld", page);
		if ((rc = osrs_assoc_set(attrs, "page", num)) != 0)
			goto nomem;
		rc = osrs_call(c, "GET_DOMAINS_BY_EXPIREDATE", "DOMAIN", NULL,
		    attrs, res, err);
		attrs = NULL;
		if (rc == DSREG_EREMOTE && pages == 0 && page == 0 &&
		    res->retry == DSREG_RETRY_FIX) {
			/* A server counting from 1 that refuses page 0. */
			dsreg_log(osrs_client_log(c), DSREG_LOG_DEBUG,
			    "%s: page 0 refused (%s), starting at page 1",
			    osrs_client_host(c), dsreg_err_text(err));
			dsreg_err_clear(err);
			page = 1;
			pages--;
			continue;
		}
		if (rc != 0)
			goto out;
		doms = osrs_value_get(res->attributes, "exp_domains");
		fresh = 0;
		for (i = 0; doms != NULL && doms->type != OSRS_SCALAR &&
		    i < doms->n; i++) {
			d = doms->v[i];
			name = osrs_value_str(d, "name");
			if (name == NULL || !name_ok(name)) {
				dsreg_log(osrs_client_log(c), DSREG_LOG_WARN,
				    "%s: GET_DOMAINS_BY_EXPIREDATE: item %s has "
				    "no usable domain name: skipped",
				    osrs_client_host(c), d->key);
				continue;
			}
			if (dsreg_map_get(&seen, name) != NULL)
				continue;
			if ((rc = list_append(out, name,
			    osrs_value_str(d, "expiredate"))) != 0 ||
			    (rc = dsreg_map_add(&seen, out->v[out->n - 1].name,
			    out->v[out->n - 1].name, NULL)) != 0)
				goto nomem;
			fresh++;
		}
		if (attr_long(res->attributes, "remainder", 0) == 0)
			goto out;
		stale = fresh == 0 ? stale + 1 : 0;
		if (stale >= 2) {
			rc = dsreg_err_set(err, DSREG_EPROTO,
			    "%s: GET_DOMAINS_BY_EXPIREDATE: page %ld brought no "
			    "new domain although remainder=1: paging does not "
			    "advance", osrs_client_host(c), page);
			goto out;
		}
		reply_page = attr_long(res->attributes, "page", page);
		page = (reply_page >= page ? reply_page : page) + 1;
	}
	rc = dsreg_err_set(err, DSREG_ETOOBIG,
	    "%s: GET_DOMAINS_BY_EXPIREDATE: more than %d pages",
	    osrs_client_host(c), OSRS_LIST_PAGES_MAX);
	goto out;
nomem:
	rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
out:
	osrs_value_free(attrs);
	dsreg_map_free(&seen);
	return rc;
}

/* ---- lock state ---------------------------------------------------- */

static int
get_domain(struct osrs_client *c, const char *domain, const char *type,
    struct osrs_result *res, struct dsreg_err *err)
{
	struct osrs_value *attrs = NULL;
	int rc;

	if ((rc = osrs_value_new(&attrs, OSRS_ASSOC)) != 0 ||
	    (rc = osrs_assoc_set(attrs, "domain", domain)) != 0 ||
	    (rc = osrs_assoc_set(attrs, "type", type)) != 0) {
		osrs_value_free(attrs);
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	}
	if ((rc = osrs_call(c, "GET", "DOMAIN", NULL, attrs, res, err)) != 0)
		dsreg_err_prefix(err, "%s", domain);
	return rc;
}

int
osrs_domain_get_lock(struct osrs_client *c, const char *domain, int *locked,
    struct osrs_result *res, struct dsreg_err *err)
{
	const char *s;
	int rc;

	if ((rc = get_domain(c, domain, "status", res, err)) != 0)
		return rc;
	s = osrs_value_str(res->attributes, "lock_state");
	if (s == NULL || (strcmp(s, "0") != 0 && strcmp(s, "1") != 0))
		return dsreg_err_set(err, DSREG_EPROTO,
		    "%s: %s: GET DOMAIN type=status: lock_state is %s%s%s "
		    "(expected 0 or 1)", domain, osrs_client_host(c),
		    s != NULL ? "'" : "", s != NULL ? s : "missing",
		    s != NULL ? "'" : "");
	*locked = s[0] == '1';
	return 0;
}

int
osrs_domain_set_lock(struct osrs_client *c, const char *domain, int locked,
    struct osrs_result *res, struct dsreg_err *err)
{
	struct osrs_value *attrs = NULL;
	int rc;

	if ((rc = osrs_value_new(&attrs, OSRS_ASSOC)) != 0 ||
	    (rc = osrs_assoc_set(attrs, "data", "status")) != 0 ||
	    (rc = osrs_assoc_set(attrs, "lock_state", locked ? "1" : "0")) != 0 ||
	    (rc = osrs_assoc_set(attrs, "affect_domains", "0")) != 0) {
		osrs_value_free(attrs);
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	}
	if ((rc = osrs_call(c, "MODIFY", "DOMAIN", domain, attrs, res,
	    err)) != 0)
		dsreg_err_prefix(err, "%s: %s", domain,
		    locked ? "lock" : "unlock");
	return rc;
}

/* ---- DS ------------------------------------------------------------ */

static int
parse_u(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* One {algorithm, key_tag, digest_type, digest} item into a DS record. */
static int
ds_from_item(const struct osrs_value *item, const uint8_t *owner,
    size_t owner_len, struct ds_rec **out, struct dsreg_err *err)
{
	uint8_t digest[DS_DIGEST_MAX];
	unsigned long tag, alg, type;
	const char *hex;
	long n;

	hex = osrs_value_str(item, "digest");
	if (parse_u(osrs_value_str(item, "key_tag"), 65535, &tag) != 0 ||
	    parse_u(osrs_value_str(item, "algorithm"), 255, &alg) != 0 ||
	    parse_u(osrs_value_str(item, "digest_type"), 255, &type) != 0 ||
	    hex == NULL)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "dnssec item %s: key_tag, algorithm, digest_type or "
		    "digest missing or out of range", item->key);
	if ((n = ds_hex_decode(hex, strlen(hex), digest, sizeof(digest))) < 0)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "dnssec item %s: digest is not hex of 1 to %d octets",
		    item->key, DS_DIGEST_MAX);
	return ds_rec_new(out, owner, owner_len, (uint16_t)tag, (uint8_t)alg,
	    (uint8_t)type, digest, (size_t)n, err);
}

int
osrs_domain_get_ds(struct osrs_client *c, const char *domain,
    struct ds_set *out, struct osrs_result *res, struct dsreg_err *err)
{
	const struct osrs_value *arr;
	struct ds_set got = { NULL, 0, 0 };
	struct ds_rec *ds = NULL;
	uint8_t owner[DS_NAME_WIRE_MAX];
	size_t owner_len = 0, i;
	int rc;

	if ((rc = get_domain(c, domain, "dnssec", res, err)) != 0)
		return rc;
	if (ds_name_from_text(domain, owner, &owner_len, NULL) != 0)
		owner_len = 0;
	arr = osrs_value_get(res->attributes, "dnssec");
	if (arr != NULL && arr->type == OSRS_SCALAR && arr->text[0] != '\0') {
		rc = dsreg_err_set(err, DSREG_EPROTO,
		    "%s: %s: GET DOMAIN type=dnssec: dnssec is not an array",
		    domain, osrs_client_host(c));
		goto out;
	}
	for (i = 0; arr != NULL && arr->type != OSRS_SCALAR && i < arr->n;
	    i++) {
		if ((rc = ds_from_item(arr->v[i], owner_len ? owner : NULL,
		    owner_len, &ds, err)) != 0) {
			dsreg_err_prefix(err, "%s: %s: GET DOMAIN type=dnssec",
			    domain, osrs_client_host(c));
			goto out;
		}
		if ((rc = ds_set_add(&got, ds)) != 0) {
			ds_rec_free(ds);
			rc = dsreg_err_set(err, rc, "out of memory");
			goto out;
		}
		ds = NULL;
	}
	for (i = 0; i < got.n; i++) {
		if ((rc = ds_set_add(out, got.v[i])) != 0) {
			rc = dsreg_err_set(err, rc, "out of memory");
			goto out;
		}
		got.v[i] = NULL;
	}
out:
	ds_set_free(&got); /* what was moved to out is NULL here */
	return rc;
}

/* What no registry should get as a DS set. */
static int
check_set(const char *domain, const struct ds_set *set, struct dsreg_err *err)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (ds_rec_is_delete(set->v[i]))
			return dsreg_err_set(err, DSREG_EINVAL,
			    "%s: RFC 8078 §4: 0 0 0 00 is the CDS delete signal, "
			    "not a DS; an empty set removes DNSSEC", domain);
	return 0;
}

static int
earlier_dup(const struct ds_set *set, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (ds_rec_equal(set->v[j], set->v[i]))
			return 1;
	return 0;
}

int
osrs_domain_set_ds(struct osrs_client *c, const char *domain,
    const struct ds_set *set, struct osrs_result *res, struct dsreg_err *err)
{
	struct osrs_value *attrs = NULL, *arr = NULL, *item = NULL;
	char hex[2 * DS_DIGEST_MAX + 1], num[8];
	const struct ds_rec *ds;
	size_t i;
	int rc;

	if ((rc = check_set(domain, set, err)) != 0)
		return rc;
	if ((rc = osrs_value_new(&attrs, OSRS_ASSOC)) != 0 ||
	    (rc = osrs_assoc_add_container(attrs, "dnssec", OSRS_ARRAY,
	    &arr)) != 0)
		goto out;
	for (i = 0; i < set->n; i++) {
		ds = set->v[i];
		if (earlier_dup(set, i))
			continue; /* the API keeps a set: send each record once */
		if ((rc = osrs_assoc_add_container(arr, NULL, OSRS_ASSOC,
		    &item)) != 0)
			goto out;
		snprintf(num, sizeof(num), "%u", (unsigned)ds->key_tag);
		if ((rc = osrs_assoc_set(item, "key_tag", num)) != 0)
			goto out;
		snprintf(num, sizeof(num), "%u", (unsigned)ds->algorithm);
		if ((rc = osrs_assoc_set(item, "algorithm", num)) != 0)
			goto out;
		snprintf(num, sizeof(num), "%u", (unsigned)ds->digest_type);
		if ((rc = osrs_assoc_set(item, "digest_type", num)) != 0)
			goto out;
		ds_rec_digest_hex(ds, hex);
		if ((rc = osrs_assoc_set(item, "digest", hex)) != 0)
			goto out;
	}
	rc = osrs_call(c, "SET_DNSSEC_INFO", "DOMAIN", domain, attrs, res, err);
	attrs = NULL;
	if (rc != 0)
		dsreg_err_prefix(err, "%s: set DS", domain);
	return rc;
out:
	osrs_value_free(attrs);
	return dsreg_err_set(err, rc, "out of memory");
}

/* ---- the sequence -------------------------------------------------- */

const char *
osrs_step_name(enum osrs_step step)
{
	switch (step) {
	case OSRS_STEP_UNLOCK: return "unlock";
	case OSRS_STEP_SET_DS: return "set-ds";
	case OSRS_STEP_RELOCK: return "relock";
	}
	return "?";
}

static int
notify(const struct osrs_replace_opts *o, const char *domain,
    enum osrs_step step, int before, int rc, const struct osrs_result *res)
{
	struct osrs_step_info info = { domain, step, before, rc, res };

	if (o->step == NULL)
		return 0;
	return o->step(o->step_ctx, &info);
}

/* Lock again, retrying transport failures and transient codes. */
static int
relock(struct osrs_client *c, const char *domain,
    const struct osrs_replace_opts *o, struct osrs_replace_report *rep,
    struct dsreg_err *why)
{
	struct osrs_result r;
	int rc = 0, i;

	osrs_result_init(&r);
	/* The journal's answer does not matter: never leave it unlocked. */
	(void)notify(o, domain, OSRS_STEP_RELOCK, 1, 0, NULL);
	for (i = 1; i <= RELOCK_TRIES; i++) {
		dsreg_err_clear(why);
		rep->relock_sent = 1;
		rc = osrs_domain_set_lock(c, domain, 1, &r, why);
		if (rc == 0 || (rc == DSREG_EREMOTE &&
		    r.retry != DSREG_RETRY_LATER && r.retry != DSREG_RETRY_UNKNOWN))
			break;
		if (i < RELOCK_TRIES) {
			dsreg_log(osrs_client_log(c), DSREG_LOG_WARN,
			    "%s: relock failed (%s), trying again", domain,
			    dsreg_err_text(why));
			osrs_client_backoff(c, i);
		}
	}
	(void)notify(o, domain, OSRS_STEP_RELOCK, 0, rc, &r);
	rep->relocked = rc == 0;
	rep->relock_failed = rc != 0;
	osrs_result_free(&r);
	return rc;
}

int
osrs_domain_replace_ds(struct osrs_client *c, const char *domain,
    const struct ds_set *set, const struct osrs_replace_opts *opts,
    struct osrs_replace_report *rep, struct osrs_result *res,
    struct dsreg_err *err)
{
	static const struct osrs_replace_opts none = { 0, NULL, NULL };
	const struct osrs_replace_opts *o = opts != NULL ? opts : &none;
	struct dsreg_err e, why;
	int rc, locked = 0, restore = 0, set_rc = 0;
	char what[DSREG_ERR_MAX];

	memset(rep, 0, sizeof(*rep));
	rep->was_locked = -1;
	dsreg_err_clear(&e);
	if ((rc = check_set(domain, set, &e)) != 0)
		goto out;
	if (o->relock) {
		if ((rc = osrs_domain_get_lock(c, domain, &locked, res, &e)) != 0)
			goto out;
		rep->was_locked = locked;
	}
	if (o->relock && locked) {
		if ((rc = notify(o, domain, OSRS_STEP_UNLOCK, 1, 0, NULL)) != 0) {
			rc = dsreg_err_set(&e, rc < 0 ? rc : DSREG_ESTATE,
			    "%s: unlock cancelled by the step callback", domain);
			goto out;
		}
		rep->unlock_sent = 1;
		rc = osrs_domain_set_lock(c, domain, 0, res, &e);
		(void)notify(o, domain, OSRS_STEP_UNLOCK, 0, rc, res);
		/*
		 * A clear refusal leaves it locked.  A lost reply, or a
		 * transient code like 705 (registry timeout), may not have.
		 */
		if (rc == DSREG_EREMOTE && (res->retry == DSREG_RETRY_NEVER ||
		    res->retry == DSREG_RETRY_FIX))
			goto out;
		restore = 1;
		if (rc != 0)
			goto out;
	}
	if ((rc = notify(o, domain, OSRS_STEP_SET_DS, 1, 0, NULL)) != 0) {
		rc = dsreg_err_set(&e, rc < 0 ? rc : DSREG_ESTATE,
		    "%s: set DS cancelled by the step callback", domain);
		goto out;
	}
	rep->set_sent = 1;
	rc = set_rc = osrs_domain_set_ds(c, domain, set, res, &e);
	rep->set_ok = rc == 0;
	rep->set_code = res->response_code;
	(void)notify(o, domain, OSRS_STEP_SET_DS, 0, rc, res);
out:
	if (restore && relock(c, domain, o, rep, &why) != 0) {
		if (rep->set_ok)
			snprintf(what, sizeof(what), "the DS set WAS replaced");
		else
			snprintf(what, sizeof(what), "the DS set %s (%s)",
			    !rep->set_sent ? "was not sent" :
			    set_rc == DSREG_EREMOTE ? "was not replaced" :
			    "may or may not have been replaced",
			    dsreg_err_text(&e));
		dsreg_err_set(&e, DSREG_ESTATE,
		    "%s LEFT UNLOCKED: relock failed: %s; %s; lock it by hand",
		    domain, dsreg_err_text(&why), what);
		dsreg_log(osrs_client_log(c), DSREG_LOG_ERR, "%s", e.msg);
		rc = DSREG_ESTATE;
	}
	if (rc != 0 && err != NULL)
		*err = e;
	return rc;
}
