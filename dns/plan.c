/* dns/plan.c - the safety rules that turn an audit into a DS change */
#include "dns/plan.h"
#include "common/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
dns_plan_kind_name(enum dns_plan_kind k)
{
	switch (k) {
	case DNS_PLAN_NOTHING: return "nothing";
	case DNS_PLAN_CHANGE: return "change";
	case DNS_PLAN_WAIT: return "wait";
	case DNS_PLAN_REFUSE: return "refuse";
	}
	return "?";
}

void
dns_plan_free(struct dns_plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	ds_set_free(&p->add);
	ds_set_free(&p->rem);
	ds_set_free(&p->final);
	for (i = 0; i < p->nnotes; i++)
		free(p->notes[i]);
	free(p->notes);
	memset(p, 0, sizeof(*p));
}

static int
note(struct dns_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
note(struct dns_plan *p, const char *fmt, ...)
{
	char **nv, *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return DSREG_ENOMEM;
	if ((nv = realloc(p->notes, (p->nnotes + 1) * sizeof(*nv))) == NULL) {
		free(s);
		return DSREG_ENOMEM;
	}
	p->notes = nv;
	p->notes[p->nnotes++] = s;
	return 0;
}

static const char *
rd(const struct ds_rec *ds, char *buf, size_t len)
{
	char *t = ds_rec_rdata_text(ds);

	snprintf(buf, len, "%s", t ? t : "?");
	free(t);
	return buf;
}

/* Is the whole target published and validating at every parent server? */
static int
target_everywhere(const struct dns_plan_facts *f)
{
	size_t i, j;

	if (f->target->n == 0 || f->nservers == 0)
		return 0;
	for (i = 0; i < f->target->n; i++) {
		if (!ds_set_contains(f->validating, f->target->v[i]))
			return 0;
		for (j = 0; j < f->nservers; j++)
			if (!ds_set_contains(f->server_ds[j], f->target->v[i]))
				return 0;
	}
	return 1;
}

static int
refuse(struct dns_plan *p, const char *why)
{
	p->kind = DNS_PLAN_REFUSE;
	return note(p, "refused: %s", why);
}

/* final = (parent - rem) + add */
static int
make_final(const struct dns_plan_facts *f, struct dns_plan *p)
{
	size_t i;

	for (i = 0; i < f->parent_ds->n; i++)
		if (!p->rem_all && !ds_set_contains(&p->rem, f->parent_ds->v[i]) &&
		    !ds_set_contains(&p->final, f->parent_ds->v[i]) &&
		    ds_set_add_copy(&p->final, f->parent_ds->v[i]) != 0)
			return DSREG_ENOMEM;
	for (i = 0; i < p->add.n; i++)
		if (!ds_set_contains(&p->final, p->add.v[i]) &&
		    ds_set_add_copy(&p->final, p->add.v[i]) != 0)
			return DSREG_ENOMEM;
	ds_set_sort(&p->final);
	return 0;
}

/* delete-requested: RFC 8078 §4, remove every DS. */
static int
plan_delete(const struct dns_plan_facts *f, struct dns_plan *p)
{
	p->kind = DNS_PLAN_CHANGE;
	p->rem_all = 1;
	if (ds_set_diff(f->parent_ds, &p->final, &p->rem) != 0)
		return DSREG_ENOMEM;
	return note(p, "remove all %zu DS: the zone publishes the CDS/CDNSKEY "
	    "delete signal (RFC 8078 §4)", f->parent_ds->n);
}

/* broken: nothing validates now, so replacing cannot make it worse. */
static int
plan_replace(const struct dns_plan_facts *f, struct dns_plan *p)
{
	char buf[256];
	size_t i;
	int rc;

	if (f->target->n == 0)
		return refuse(p, "no DS validates and no expected key is known "
		    "to replace them with");
	if (f->target_problem != NULL)
		return refuse(p, f->target_problem);
	p->kind = DNS_PLAN_CHANGE;
	p->rem_all = 1;
	if (ds_set_diff(f->parent_ds, f->target, &p->rem) != 0 ||
	    ds_set_diff(f->target, f->parent_ds, &p->add) != 0)
		return DSREG_ENOMEM;
	for (i = 0; i < p->rem.n; i++)
		if ((rc = note(p, "remove DS %s: validates nothing (the domain "
		    "is broken)", rd(p->rem.v[i], buf, sizeof(buf)))) != 0)
			return rc;
	for (i = 0; i < p->add.n; i++)
		if ((rc = note(p, "add DS %s", rd(p->add.v[i], buf,
		    sizeof(buf)))) != 0)
			return rc;
	/* rem_all + the target, so that the final set is exactly the target */
	for (i = 0; i < f->target->n; i++)
		if (ds_set_add_copy(&p->final, f->target->v[i]) != 0)
			return DSREG_ENOMEM;
	ds_set_sort(&p->final);
	return 0;
}

/* missing, incomplete, stale, deprecated-digest, extra DS: add first,
 * remove what validates only once the target is safely everywhere. */
static int
plan_converge(const struct dns_plan_facts *f, struct dns_plan *p)
{
	struct ds_set extra = { NULL, 0, 0 };
	char buf[256];
	time_t due;
	size_t i;
	int rc = 0, later = 0;

	if ((rc = ds_set_diff(f->target, f->parent_ds, &p->add)) != 0)
		goto out;
	if (p->add.n > 0 && f->target_problem != NULL) {
		ds_set_free(&p->add);
		rc = refuse(p, f->target_problem);
		goto out;
	}
	for (i = 0; i < p->add.n; i++)
		if ((rc = note(p, "add DS %s", rd(p->add.v[i], buf,
		    sizeof(buf)))) != 0)
			goto out;
	if ((rc = ds_set_diff(f->parent_ds, f->target, &extra)) != 0)
		goto out;
	due = f->target_seen_since + (time_t)f->ds_ttl;
	for (i = 0; i < extra.n; i++) {
		const struct ds_rec *ds = extra.v[i];
		rd(ds, buf, sizeof(buf));
		if (!ds_set_contains(f->validating, ds)) {
			rc = note(p, "remove DS %s: it validates nothing", buf);
		} else if (f->target->n == 0) {
			rc = note(p, "keep DS %s: no expected key to replace it "
			    "with", buf);
			continue;
		} else if (!p->target_everywhere) {
			rc = note(p, "keep DS %s until the new DS set is "
			    "published and validates at every parent server",
			    buf);
			later = 1;
			continue;
		} else if (f->target_seen_since == 0 || f->now < due) {
			rc = note(p, "keep DS %s until the DS TTL (%u s) has "
			    "passed since the new set was seen everywhere",
			    buf, f->ds_ttl);
			later = 1;
			p->wait_until = (f->target_seen_since != 0 ?
			    f->target_seen_since : f->now) + (time_t)f->ds_ttl;
			continue;
		} else {
			rc = note(p, "remove DS %s: the new DS set has "
			    "validated at every parent server for the DS TTL "
			    "(%u s)", buf, f->ds_ttl);
		}
		if (rc != 0)
			goto out;
		if ((rc = ds_set_add_copy(&p->rem, ds)) != 0)
			goto out;
	}
	if (p->add.n > 0 || p->rem.n > 0)
		p->kind = DNS_PLAN_CHANGE;
	else if (later)
		p->kind = DNS_PLAN_WAIT;
	else if (f->target->n == 0 && f->verdict == DNS_V_MISSING)
		rc = refuse(p, "the zone is signed but no expected key is known "
		    "(no KSK/CSK in the key store or signing at the child)");
out:
	ds_set_free(&extra);
	if (rc == 0 && p->kind == DNS_PLAN_CHANGE)
		rc = make_final(f, p);
	return rc;
}

/* The parent serves signatures over the delegation that do not validate. */
static int
refuse_parent(struct dns_plan *p, const char *why)
{
	p->kind = DNS_PLAN_REFUSE;
	return note(p, "refused: the parent's signatures are at fault (%s); "
	    "no DS change can mend that: the parent's operator must fix "
	    "them first", why);
}

int
dns_plan_make(const struct dns_plan_facts *f, struct dns_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->target_everywhere = target_everywhere(f);
	if (f->parent_problem != NULL && f->verdict != DNS_V_NOT_OURS)
		return refuse_parent(p, f->parent_problem);
	switch (f->verdict) {
	case DNS_V_NOT_OURS:
	case DNS_V_UNSIGNED:
	case DNS_V_OK:
		return 0;
	case DNS_V_NOT_DELEGATED:
		return refuse(p, "the parent has no delegation for the name "
		    "(NXDOMAIN); take it off the list or register it again");
	case DNS_V_UNREACHABLE:
		return refuse(p, "some parent or child servers could not be "
		    "asked; the state is unknown");
	case DNS_V_LAME:
		return refuse(p, "the delegated servers do not answer "
		    "authoritatively; fix the delegation first");
	case DNS_V_INCONSISTENT_CHILD:
		return refuse(p, "the child's servers serve different DNSKEY "
		    "sets; make them agree first");
	case DNS_V_INCONSISTENT_PARENT:
		p->kind = DNS_PLAN_WAIT;
		return note(p, "the parent's servers publish different DS sets "
		    "(a change still propagating?); re-run later");
	case DNS_V_DELETE_REQUESTED:
		return plan_delete(f, p);
	case DNS_V_BROKEN:
		return plan_replace(f, p);
	case DNS_V_MISSING:
	case DNS_V_INCOMPLETE:
	case DNS_V_STALE:
	case DNS_V_DEPRECATED_DIGEST:
	case DNS_V_COUNT:
		break;
	}
	return plan_converge(f, p);
}
