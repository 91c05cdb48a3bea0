/* dns/verdict.c - judge what the parent and child servers answered: one verdict, findings, expected DS */
#include "dns/internal.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A DNSKEY as one child server serves it. */
struct skey {
	ldns_rr *rr;          /* borrowed from the reply */
	struct ds_key *k;
	int signs;            /* signs the DNSKEY RRset, RRSIG valid now */
	char why[96];         /* why it does not sign */
};

/* One authoritative child server's view. */
struct cview {
	const struct dns_server *s;
	/* the DNSKEY answer's records and RRSIGs in canonical order: lists
	 * of their own, pointing at the reply's records (which stay as the
	 * server sent them: dns_judge changes no input) */
	ldns_rr_list *rrs, *sigs;
	struct skey *keys;
	size_t n;
	int cds_delete, cdnskey_delete;
};

/* Signature checks per judgement (RFC 9276-style work limit). */
#define MAX_VERIFICATIONS 32

/*
 * Memo of key digests: the parents' copies of a DS and the servers' copies
 * of a key are all compared, and each distinct key is digested once per
 * digest type and judgement.
 */
#define MEMO_MAX 64
struct memo {
	const struct ds_key *key;    /* compared by content */
	uint8_t type;
	int ok;                      /* 0: the type cannot be computed */
	uint8_t md[DS_DIGEST_MAX];
	size_t len;
};

struct judge {
	struct memo memo[MEMO_MAX];
	size_t nmemo;
	int verifications;    /* signature checks done */
	int capped;           /* MAX_VERIFICATIONS reached */
	struct dns_audit *a;
	const struct dns_judge_opts *o;
	struct cview *cv;
	size_t ncv;
	int flags[DNS_V_COUNT];
	int *ds_valid;        /* per parent_ds record */
	struct ds_keyset expected;
	char **exp_src;       /* where each expected key comes from */
};

static int
same_key(const struct ds_key *a, const struct ds_key *b);

/* ds_rec_matches_key, with each key's digest computed once. */
static int
match(struct judge *j, const struct ds_rec *ds, const struct ds_key *key)
{
	struct memo *m = NULL;
	size_t i;

	if (ds->key_tag != key->key_tag || ds->algorithm != key->algorithm)
		return 0;
	if (ds->owner_len != 0 && !ds_name_equal(ds->owner, ds->owner_len,
	    key->owner, key->owner_len))
		return 0;
	for (i = 0; i < j->nmemo && m == NULL; i++)
		if (j->memo[i].type == ds->digest_type &&
		    (j->memo[i].key == key || (same_key(j->memo[i].key, key) &&
		    ds_name_equal(j->memo[i].key->owner,
		    j->memo[i].key->owner_len, key->owner, key->owner_len))))
			m = &j->memo[i];
	if (m == NULL) {
		if (j->nmemo == MEMO_MAX)
			return ds_rec_matches_key(ds, key);
		m = &j->memo[j->nmemo++];
		m->key = key;
		m->type = ds->digest_type;
		m->ok = ds_key_digest(key, (enum ds_digest)ds->digest_type,
		    m->md, &m->len) == 0;
	}
	return m->ok && m->len == ds->digest_len &&
	    memcmp(m->md, ds->digest, m->len) == 0;
}

static const char *
rcode_name(int rcode)
{
	ldns_lookup_table *t = ldns_lookup_by_id(ldns_rcodes, rcode);

	return t != NULL ? t->name : "RCODE?";
}

static const char *
alg_name(uint8_t alg)
{
	return ds_alg_name(alg) != NULL ? ds_alg_name(alg) : "unknown algorithm";
}

static const char *
addr_text(const struct dns_server *s)
{
	return s->addr.len != 0 ? s->addr.text : "no address";
}

/* DS rdata text into a static-size buffer. */
static void
ds_text(const struct ds_rec *ds, char *buf, size_t len)
{
	char *t = ds_rec_rdata_text(ds);

	snprintf(buf, len, "%s", t != NULL ? t : "?");
	free(t);
}

static int
reply_auth_ok(const struct dns_reply *r)
{
	return r->status == 0 && r->aa && r->rcode == LDNS_RCODE_NOERROR;
}

static void
reply_problem(const struct dns_reply *r, char *buf, size_t len)
{
	if (r->status != 0)
		snprintf(buf, len, "%s", r->err);
	else if (r->rcode != LDNS_RCODE_NOERROR)
		snprintf(buf, len, "answered %s", rcode_name(r->rcode));
	else
		snprintf(buf, len, "answered without the AA bit");
}

static void
cviews_free(struct judge *j)
{
	size_t i, k;

	for (i = 0; i < j->ncv; i++) {
		for (k = 0; k < j->cv[i].n; k++)
			ds_key_free(j->cv[i].keys[k].k);
		free(j->cv[i].keys);
		ldns_rr_list_free(j->cv[i].rrs);
		ldns_rr_list_free(j->cv[i].sigs);
	}
	free(j->cv);
	j->cv = NULL;
	j->ncv = 0;
}

/* Does key rr sign the DNSKEY RRset of this view at `now`? */
static int
key_signs(struct judge *j, const struct cview *v, ldns_rr *key,
    const struct ds_key *k, char *why, size_t wlen)
{
	ldns_rr *sig;
	ldns_status st;
	size_t i;

	snprintf(why, wlen, "no RRSIG over the DNSKEY RRset by key %u",
	    k->key_tag);
	for (i = 0; i < ldns_rr_list_rr_count(v->sigs); i++) {
		sig = ldns_rr_list_rr(v->sigs, i);
		if (ldns_rr_rd_count(sig) < 9 ||
		    ldns_rdf2native_int16(ldns_rr_rrsig_keytag(sig)) !=
		    k->key_tag ||
		    ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(sig)) !=
		    k->algorithm)
			continue;
		/* CVE-2023-50387 (KeyTrap): colliding tags must not make us
		 * verify without end */
		if (j->verifications >= MAX_VERIFICATIONS) {
			snprintf(why, wlen, "not verified: more than %d "
			    "signature checks needed (colliding key tags?)",
			    MAX_VERIFICATIONS);
			j->capped = 1;
			return 0;
		}
		j->verifications++;
		st = dns_verify_sig(v->rrs, sig, key, j->o->now);
		if (st == LDNS_STATUS_OK)
			return 1;
		snprintf(why, wlen, "RRSIG over DNSKEY by key %u: %s",
		    k->key_tag, ldns_get_errorstr_by_id(st));
	}
	return 0;
}

static int
same_key(const struct ds_key *a, const struct ds_key *b)
{
	return a->rdata_len == b->rdata_len &&
	    memcmp(a->rdata, b->rdata, a->rdata_len) == 0;
}

/*
 * Servers of one zone usually serve the very same DNSKEY RRset and RRSIGs:
 * verify once.  If an earlier view has identical records and signatures,
 * copy what was found for the same key there.  1 if copied.
 */
static int
same_as_earlier(const struct judge *j, const struct cview *v,
    struct skey *sk)
{
	size_t i, k;

	for (i = 0; i < j->ncv; i++) {
		const struct cview *e = &j->cv[i];

		if (e == v || ldns_rr_list_compare(e->rrs, v->rrs) != 0 ||
		    ldns_rr_list_compare(e->sigs, v->sigs) != 0)
			continue;
		for (k = 0; k < j->cv[i].n; k++)
			if (j->cv[i].keys[k].k != NULL &&
			    same_key(j->cv[i].keys[k].k, sk->k)) {
				sk->signs = j->cv[i].keys[k].signs;
				memcpy(sk->why, j->cv[i].keys[k].why,
				    sizeof(sk->why));
				return 1;
			}
	}
	return 0;
}

/* A new list of the records of l (not copied) in canonical order. */
static ldns_rr_list *
sorted_copy(const ldns_rr_list *l)
{
	ldns_rr_list *c = ldns_rr_list_new();
	size_t i;

	if (c == NULL)
		return NULL;
	for (i = 0; i < ldns_rr_list_rr_count(l); i++)
		if (!ldns_rr_list_push_rr(c, ldns_rr_list_rr(l, i))) {
			ldns_rr_list_free(c);
			return NULL;
		}
	ldns_rr_list_sort(c);
	return c;
}

static int
build_views(struct judge *j)
{
	struct dns_audit *a = j->a;
	size_t i, k;
	struct cview *v;

	if ((j->cv = calloc(a->nservers + 1, sizeof(*j->cv))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];
		const struct dns_reply *r = &s->r[DNS_Q_DNSKEY];
		size_t nk = ldns_rr_list_rr_count(r->rrs);

		if (s->role != DNS_CHILD || !reply_auth_ok(r))
			continue;
		v = &j->cv[j->ncv++];
		v->s = s;
		/* canonical order: servers may list records differently */
		if ((v->rrs = sorted_copy(r->rrs)) == NULL ||
		    (v->sigs = sorted_copy(r->sigs)) == NULL)
			return DSREG_ENOMEM;
		if (nk > 0 && (v->keys = calloc(nk, sizeof(*v->keys))) == NULL)
			return DSREG_ENOMEM;
		for (k = 0; k < nk; k++) {
			struct skey *sk = &v->keys[v->n];

			sk->rr = ldns_rr_list_rr(v->rrs, k);
			if (ds_key_from_ldns(&sk->k, sk->rr, NULL) != 0)
				continue;     /* unknown algorithm etc. */
			if (ds_key_is_zone(sk->k) && !ds_key_is_revoked(sk->k)) {
				if (!same_as_earlier(j, v, sk))
					sk->signs = key_signs(j, v, sk->rr,
					    sk->k, sk->why, sizeof(sk->why));
			}
			else
				snprintf(sk->why, sizeof(sk->why),
				    "key %u is %s", sk->k->key_tag,
				    ds_key_is_zone(sk->k) ? "revoked" :
				    "not a zone key");
			v->n++;
		}
		if (s->r[DNS_Q_CDS].status == 0)
			for (k = 0; k < ldns_rr_list_rr_count(s->r[DNS_Q_CDS].rrs);
			    k++) {
				struct ds_rec *d;

				if (ds_rec_from_ldns(&d, ldns_rr_list_rr(
				    s->r[DNS_Q_CDS].rrs, k), NULL) != 0)
					continue;
				if (ds_rec_is_delete(d))
					v->cds_delete = 1;
				ds_rec_free(d);
			}
		if (s->r[DNS_Q_CDNSKEY].status == 0)
			for (k = 0; k < ldns_rr_list_rr_count(
			    s->r[DNS_Q_CDNSKEY].rrs); k++) {
				struct ds_key *dk;

				if (ds_key_from_ldns(&dk, ldns_rr_list_rr(
				    s->r[DNS_Q_CDNSKEY].rrs, k), NULL) != 0) {
					/* 0 3 0 AA== may not parse as a key */
					ldns_rr *rr = ldns_rr_list_rr(
					    s->r[DNS_Q_CDNSKEY].rrs, k);
					if (ldns_rr_rd_count(rr) == 4 &&
					    ldns_rdf2native_int8(
					    ldns_rr_rdf(rr, 2)) == 0)
						v->cdnskey_delete = 1;
					continue;
				}
				if (ds_key_is_delete(dk))
					v->cdnskey_delete = 1;
				ds_key_free(dk);
			}
	}
	return 0;
}

/* The served key ds refers to, preferring one that signs; NULL if none. */
static const struct skey *
served_match(struct judge *j, const struct ds_rec *ds,
    const struct cview **where)
{
	const struct skey *best = NULL;
	size_t i, k;

	for (i = 0; i < j->ncv; i++)
		for (k = 0; k < j->cv[i].n; k++) {
			const struct skey *sk = &j->cv[i].keys[k];

			if (!ds_key_is_zone(sk->k) ||
			    !match(j, ds, sk->k))
				continue;
			if (best == NULL || (sk->signs && !best->signs)) {
				best = sk;
				if (where != NULL)
					*where = &j->cv[i];
			}
		}
	return best;
}

static int
expect_add(struct judge *j, const struct ds_key *k, const char *src)
{
	struct ds_key *c;
	char **nv;
	size_t i;

	for (i = 0; i < j->expected.n; i++)
		if (same_key(j->expected.v[i], k))
			return 0;
	if ((nv = realloc(j->exp_src, (j->expected.n + 1) * sizeof(*nv))) ==
	    NULL)
		return DSREG_ENOMEM;
	j->exp_src = nv;
	if ((nv[j->expected.n] = strdup(src)) == NULL)
		return DSREG_ENOMEM;
	if (ds_key_dup(&c, k) != 0 || ds_keyset_add(&j->expected, c) != 0) {
		free(nv[j->expected.n]);
		return DSREG_ENOMEM;
	}
	return 0;
}

/* Expected keys: key store, else served signing KSK/CSKs; plus CDS/CDNSKEY. */
static int
expected_keys(struct judge *j)
{
	const struct dns_judge_opts *o = j->o;
	struct dns_audit *a = j->a;
	size_t i, k, m;
	int rc, any_sep = 0;
	char src[300];

	if (o->have_store && o->nstore_keys > 0) {
		for (i = 0; i < o->nstore_keys; i++) {
			const struct ds_key *key = o->store_keys[i];

			if (!ds_key_expected(key, o->now))
				continue;
			snprintf(src, sizeof(src), "key store %s",
			    key->source != NULL ? key->source : "");
			if ((rc = expect_add(j, key, src)) != 0)
				return rc;
		}
	} else {
		if (o->have_store && (rc = dns_audit_finding(a, "key store has "
		    "no keys for %s: expecting the KSK/CSKs the child signs "
		    "with", a->domain)) != 0)
			return rc;
		for (i = 0; i < j->ncv; i++)
			for (k = 0; k < j->cv[i].n; k++)
				if (j->cv[i].keys[k].signs &&
				    ds_key_is_sep(j->cv[i].keys[k].k))
					any_sep = 1;
		for (i = 0; i < j->ncv; i++)
			for (k = 0; k < j->cv[i].n; k++) {
				const struct skey *sk = &j->cv[i].keys[k];

				if (!sk->signs || (any_sep &&
				    !ds_key_is_sep(sk->k)))
					continue;
				snprintf(src, sizeof(src), "signs the DNSKEY "
				    "RRset at %s (%s)", j->cv[i].s->name,
				    addr_text(j->cv[i].s));
				if ((rc = expect_add(j, sk->k, src)) != 0)
					return rc;
			}
	}
	/* RFC 7344: keys the child asks for with CDS/CDNSKEY */
	for (i = 0; i < j->ncv; i++) {
		const struct dns_server *s = j->cv[i].s;

		for (k = 0; s->r[DNS_Q_CDNSKEY].status == 0 &&
		    k < ldns_rr_list_rr_count(s->r[DNS_Q_CDNSKEY].rrs); k++) {
			struct ds_key *dk;

			if (ds_key_from_ldns(&dk, ldns_rr_list_rr(
			    s->r[DNS_Q_CDNSKEY].rrs, k), NULL) != 0)
				continue;
			rc = 0;
			if (!ds_key_is_delete(dk)) {
				snprintf(src, sizeof(src), "CDNSKEY at %s (%s)",
				    s->name, addr_text(s));
				rc = expect_add(j, dk, src);
			}
			ds_key_free(dk);
			if (rc != 0)
				return rc;
		}
		for (k = 0; s->r[DNS_Q_CDS].status == 0 &&
		    k < ldns_rr_list_rr_count(s->r[DNS_Q_CDS].rrs); k++) {
			struct ds_rec *d;
			const struct skey *sk = NULL;
			char t[200];

			if (ds_rec_from_ldns(&d, ldns_rr_list_rr(
			    s->r[DNS_Q_CDS].rrs, k), NULL) != 0)
				continue;
			rc = 0;
			if (!ds_rec_is_delete(d)) {
				for (m = 0; m < j->cv[i].n && sk == NULL; m++)
					if (match(j, d,
					    j->cv[i].keys[m].k))
						sk = &j->cv[i].keys[m];
				snprintf(src, sizeof(src), "CDS at %s (%s)",
				    s->name, addr_text(s));
				if (sk != NULL)
					rc = expect_add(j, sk->k, src);
				else {
					ds_text(d, t, sizeof(t));
					rc = dns_audit_finding(a, "child server "
					    "%s (%s) publishes CDS %s that "
					    "matches no DNSKEY it serves",
					    s->name, addr_text(s), t);
				}
			}
			ds_rec_free(d);
			if (rc != 0)
				return rc;
		}
	}
	/* expected DS = expected keys x configured digest types */
	for (i = 0; i < j->expected.n; i++) {
		static const uint8_t def[] = { DS_DIGEST_SHA256 };
		const uint8_t *dg = o->ndigests > 0 ? o->digests : def;
		size_t nd = o->ndigests > 0 ? o->ndigests : 1;

		for (m = 0; m < nd; m++) {
			struct ds_rec *d;

			if (ds_compute(&d, j->expected.v[i],
			    (enum ds_digest)dg[m], NULL) != 0)
				continue;
			if (ds_set_add(&a->expected_ds, d) != 0) {
				ds_rec_free(d);
				return DSREG_ENOMEM;
			}
		}
	}
	ds_set_sort(&a->expected_ds);
	return 0;
}

/* Index of the reference set: the most common, ties to `prefer`. */
static size_t
reference(size_t n, int (*eq)(const void *, size_t, size_t), const void *ctx,
    const int *prefer)
{
	size_t i, k, best = 0, bestc = 0, c;

	for (i = 0; i < n; i++) {
		for (c = 0, k = 0; k < n; k++)
			if (eq(ctx, i, k))
				c++;
		if (c > bestc || (c == bestc && prefer != NULL &&
		    prefer[i] > prefer[best])) {
			best = i;
			bestc = c;
		}
	}
	return best;
}

struct pview {
	const struct dns_server *s;
	struct ds_set ds;
};

static int
pv_eq(const void *ctx, size_t a, size_t b)
{
	const struct pview *p = ctx;

	return ds_set_equal(&p[a].ds, &p[b].ds);
}

static int
cv_has(const struct cview *v, const struct ds_key *k)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (same_key(v->keys[i].k, k))
			return 1;
	return 0;
}

static int
cv_eq(const void *ctx, size_t a, size_t b)
{
	const struct cview *v = ctx;
	size_t i;

	for (i = 0; i < v[a].n; i++)
		if (!cv_has(&v[b], v[a].keys[i].k))
			return 0;
	for (i = 0; i < v[b].n; i++)
		if (!cv_has(&v[a], v[b].keys[i].k))
			return 0;
	return 1;
}

/*
 * No parent server that answered has the name, and some said NXDOMAIN
 * authoritatively: the name is gone (or was never registered).
 */
static int
judge_not_delegated(struct judge *j)
{
	struct dns_audit *a = j->a;
	const char *first = NULL;
	size_t i, n = 0;

	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];
		const struct dns_reply *r = &s->r[DNS_Q_DS];

		if (s->role == DNS_PARENT && r->status == 0 && r->aa &&
		    r->rcode == LDNS_RCODE_NXDOMAIN) {
			if (first == NULL)
				first = s->name;
			n++;
		}
	}
	j->flags[DNS_V_NOT_DELEGATED] = 1;
	return dns_audit_finding(a, "the parent has no delegation: %s does "
	    "not exist in %s (NXDOMAIN from %s%s)", a->domain,
	    a->parent != NULL ? a->parent : "its parent zone", first,
	    n > 1 ? " and the other parent servers" : "");
}

/* Reachability of the parent servers; the DS RRset of each. */
static int
judge_parents(struct judge *j, struct pview *pv, size_t *npv)
{
	struct dns_audit *a = j->a;
	char prob[128], t[200];
	size_t i, k, m;
	int rc, any_ok, nxdomain = 0;

	*npv = 0;
	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];
		const struct dns_reply *r = &s->r[DNS_Q_DS];

		if (s->role != DNS_PARENT)
			continue;
		if (r->status == 0 && r->aa && r->rcode == LDNS_RCODE_NXDOMAIN)
			nxdomain = 1;
		if (reply_auth_ok(r)) {
			struct pview *p = &pv[(*npv)++];

			p->s = s;
			for (k = 0; k < ldns_rr_list_rr_count(r->rrs); k++) {
				struct ds_rec *d;

				if (ds_rec_from_ldns(&d, ldns_rr_list_rr(r->rrs,
				    k), NULL) != 0)
					continue;
				if (!ds_set_contains(&a->parent_ds, d) &&
				    ds_set_add_copy(&a->parent_ds, d) != 0) {
					ds_rec_free(d);
					return DSREG_ENOMEM;
				}
				if ((rc = ds_set_add(&p->ds, d)) != 0) {
					ds_rec_free(d);
					return rc;
				}
			}
			continue;
		}
		/* a server name counts as unreachable only if no address answered */
		any_ok = 0;
		for (m = 0; m < a->nservers; m++)
			if (a->servers[m].role == DNS_PARENT &&
			    strcmp(a->servers[m].name, s->name) == 0 &&
			    reply_auth_ok(&a->servers[m].r[DNS_Q_DS]))
				any_ok = 1;
		if (r->status == 0 && r->rcode == LDNS_RCODE_NXDOMAIN)
			continue;
		reply_problem(r, prob, sizeof(prob));
		if (!any_ok || r->status == 0) {
			j->flags[DNS_V_UNREACHABLE] = 1;
			if ((rc = dns_audit_finding(a, "parent server %s (%s): DS "
			    "query: %s", s->name, addr_text(s), prob)) != 0)
				return rc;
		}
	}
	ds_set_sort(&a->parent_ds);
	if (a->ndeleg == 0 && nxdomain && *npv == 0)
		return judge_not_delegated(j);
	if (a->ndeleg == 0) {
		j->flags[DNS_V_UNREACHABLE] = 1;
		return dns_audit_finding(a, "parent zone %s has no delegation "
		    "for %s%s", a->parent != NULL ? a->parent : "?", a->domain,
		    nxdomain ? " (NXDOMAIN)" : "");
	}
	(void)t;
	return 0;
}

/* Reachability and lameness of the child servers. */
static int
judge_children(struct judge *j)
{
	struct dns_audit *a = j->a;
	char prob[128];
	size_t i, m;
	int rc, any_answer;

	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];
		const struct dns_reply *r = &s->r[DNS_Q_DNSKEY];

		if (s->role != DNS_CHILD || reply_auth_ok(r))
			continue;
		reply_problem(r, prob, sizeof(prob));
		if (r->status == 0) {
			j->flags[DNS_V_LAME] = 1;
			if ((rc = dns_audit_finding(a, "child server %s (%s) is "
			    "lame for %s: DNSKEY query %s", s->name,
			    addr_text(s), a->domain, prob)) != 0)
				return rc;
			continue;
		}
		any_answer = 0;
		for (m = 0; m < a->nservers; m++)
			if (a->servers[m].role == DNS_CHILD &&
			    strcmp(a->servers[m].name, s->name) == 0 &&
			    a->servers[m].r[DNS_Q_DNSKEY].status == 0)
				any_answer = 1;
		if (!any_answer) {
			j->flags[DNS_V_UNREACHABLE] = 1;
			if ((rc = dns_audit_finding(a, "child server %s (%s) "
			    "unreachable: DNSKEY query: %s", s->name,
			    addr_text(s), prob)) != 0)
				return rc;
		}
	}
	return 0;
}

static int
judge_consistency(struct judge *j, struct pview *pv, size_t npv)
{
	struct dns_audit *a = j->a;
	int *prefer = NULL;
	size_t i, k, ref;
	char t[200];
	int rc = 0;

	if ((prefer = calloc(npv + j->ncv + 1, sizeof(*prefer))) == NULL)
		return DSREG_ENOMEM;
	/* parents: prefer the DS RRset with most validating, fewest other DS */
	for (i = 0; i < npv; i++)
		for (k = 0; k < pv[i].ds.n; k++) {
			const struct skey *sk = served_match(j, pv[i].ds.v[k],
			    NULL);
			prefer[i] += sk != NULL && sk->signs ? 2 * 64 : -1;
		}
	ref = reference(npv, pv_eq, pv, prefer);
	for (i = 0; i < npv; i++) {
		if (ds_set_equal(&pv[i].ds, &pv[ref].ds))
			continue;
		j->flags[DNS_V_INCONSISTENT_PARENT] = 1;
		for (k = 0; k < pv[ref].ds.n; k++) {
			if (ds_set_contains(&pv[i].ds, pv[ref].ds.v[k]))
				continue;
			ds_text(pv[ref].ds.v[k], t, sizeof(t));
			if ((rc = dns_audit_finding(a, "parent server %s (%s) "
			    "lacks DS %s that %s (%s) publishes",
			    pv[i].s->name, addr_text(pv[i].s), t,
			    pv[ref].s->name, addr_text(pv[ref].s))) != 0)
				goto out;
		}
		for (k = 0; k < pv[i].ds.n; k++) {
			if (ds_set_contains(&pv[ref].ds, pv[i].ds.v[k]))
				continue;
			ds_text(pv[i].ds.v[k], t, sizeof(t));
			if ((rc = dns_audit_finding(a, "parent server %s (%s) "
			    "publishes DS %s that %s (%s) does not",
			    pv[i].s->name, addr_text(pv[i].s), t,
			    pv[ref].s->name, addr_text(pv[ref].s))) != 0)
				goto out;
		}
	}
	/* children: prefer a DNSKEY RRset with a key a DS validates */
	memset(prefer, 0, (npv + j->ncv + 1) * sizeof(*prefer));
	for (i = 0; i < j->ncv; i++)
		for (k = 0; k < a->parent_ds.n; k++) {
			size_t m;

			for (m = 0; m < j->cv[i].n; m++)
				if (j->cv[i].keys[m].signs &&
				    match(j, a->parent_ds.v[k],
				    j->cv[i].keys[m].k))
					prefer[i] = 1;
		}
	ref = reference(j->ncv, cv_eq, j->cv, prefer);
	for (i = 0; i < j->ncv; i++) {
		const struct cview *v = &j->cv[i], *rv = &j->cv[ref];

		if (cv_eq(j->cv, i, ref))
			continue;
		j->flags[DNS_V_INCONSISTENT_CHILD] = 1;
		for (k = 0; k < rv->n; k++)
			if (!cv_has(v, rv->keys[k].k) &&
			    (rc = dns_audit_finding(a, "child server %s (%s) "
			    "lacks DNSKEY %u (%s, flags %u) that %s (%s) serves",
			    v->s->name, addr_text(v->s), rv->keys[k].k->key_tag,
			    alg_name(rv->keys[k].k->algorithm),
			    rv->keys[k].k->flags, rv->s->name,
			    addr_text(rv->s))) != 0)
				goto out;
		for (k = 0; k < v->n; k++)
			if (!cv_has(rv, v->keys[k].k) &&
			    (rc = dns_audit_finding(a, "child server %s (%s) "
			    "serves DNSKEY %u (%s, flags %u) that %s (%s) does "
			    "not", v->s->name, addr_text(v->s),
			    v->keys[k].k->key_tag,
			    alg_name(v->keys[k].k->algorithm),
			    v->keys[k].k->flags, rv->s->name,
			    addr_text(rv->s))) != 0)
				goto out;
	}
out:
	free(prefer);
	return rc;
}

static int
judge_ds(struct judge *j)
{
	struct dns_audit *a = j->a;
	const struct skey *sk;
	const struct cview *where;
	size_t i, k, signed_keys = 0, nvalid = 0;
	int rc, any_delete = 0, is_signed = 0;
	char t[200];

	for (i = 0; i < j->ncv; i++) {
		if (j->cv[i].n > 0)
			is_signed = 1;
		if (j->cv[i].cds_delete || j->cv[i].cdnskey_delete) {
			any_delete = 1;
			if ((rc = dns_audit_finding(a, "child server %s (%s) "
			    "publishes the %s delete signal (RFC 8078 §4)",
			    j->cv[i].s->name, addr_text(j->cv[i].s),
			    j->cv[i].cds_delete ? "CDS" : "CDNSKEY")) != 0)
				return rc;
		}
		for (k = 0; k < j->cv[i].n; k++)
			if (j->cv[i].keys[k].signs)
				signed_keys++;
	}
	if (a->parent_ds.n > 0 &&
	    (j->ds_valid = calloc(a->parent_ds.n, sizeof(int))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < a->parent_ds.n; i++) {
		const struct ds_rec *d = a->parent_ds.v[i];

		where = NULL;
		sk = served_match(j, d, &where);
		if (sk != NULL && sk->signs) {
			j->ds_valid[i] = 1;
			nvalid++;
			if (ds_set_add_copy(&a->valid_ds, d) != 0)
				return DSREG_ENOMEM;
		}
	}
	if (a->parent_ds.n == 0) {
		if (is_signed && !any_delete) {
			j->flags[DNS_V_MISSING] = 1;
			if ((rc = dns_audit_finding(a, "no DS at parent %s but "
			    "the zone is signed (%zu signing key%s served)",
			    a->parent != NULL ? a->parent : "?", signed_keys,
			    signed_keys == 1 ? "" : "s")) != 0)
				return rc;
			for (k = 0; k < j->expected.n; k++)
				if ((rc = dns_audit_finding(a, "expected key %u "
				    "(%s) has no DS at parent %s (from %s)",
				    j->expected.v[k]->key_tag,
				    alg_name(j->expected.v[k]->algorithm),
				    a->parent != NULL ? a->parent : "?",
				    j->exp_src[k])) != 0)
					return rc;
			return 0;
		}
		if (j->ncv > 0)
			j->flags[DNS_V_UNSIGNED] = 1;
		return dns_audit_finding(a, "no DS at parent %s; %s",
		    a->parent != NULL ? a->parent : "?", any_delete ?
		    "the child asks for insecure delegation (delete signal)" :
		    "the child serves no DNSKEY (unsigned)");
	}
	if (any_delete) {
		j->flags[DNS_V_DELETE_REQUESTED] = 1;
		for (i = 0; i < a->parent_ds.n; i++) {
			ds_text(a->parent_ds.v[i], t, sizeof(t));
			if ((rc = dns_audit_finding(a, "parent %s publishes DS "
			    "%s; the child asks for its removal",
			    a->parent != NULL ? a->parent : "?", t)) != 0)
				return rc;
		}
	}
	/* explain every DS that does not validate */
	for (i = 0; i < a->parent_ds.n; i++) {
		const struct ds_rec *d = a->parent_ds.v[i];
		int expected = 0;

		if (j->ds_valid[i])
			continue;
		for (k = 0; k < j->expected.n; k++)
			if (match(j, d, j->expected.v[k]))
				expected = 1;
		ds_text(d, t, sizeof(t));
		where = NULL;
		sk = served_match(j, d, &where);
		if (j->ncv == 0)
			rc = dns_audit_finding(a, "DS %s at parent but no "
			    "child server answered DNSKEY authoritatively", t);
		else if (!is_signed)
			rc = dns_audit_finding(a, "DS %s at parent but the "
			    "child serves no DNSKEY (zone unsigned)", t);
		else if (sk == NULL && expected)
			/* double-DS rollover: DS before the new key is served */
			rc = dns_audit_finding(a, "DS %s is for expected key "
			    "%u that the child does not serve (yet)", t,
			    d->key_tag);
		else if (sk == NULL) {
			rc = dns_audit_finding(a, "DS %s matches no DNSKEY "
			    "served by the child", t);
			if (nvalid > 0)
				j->flags[DNS_V_STALE] = 1;
		} else {
			rc = dns_audit_finding(a, "DS %s matches DNSKEY %u at "
			    "%s (%s) but it does not validate: %s", t,
			    sk->k->key_tag, where->s->name, addr_text(where->s),
			    sk->why);
			if (nvalid > 0 && !expected)
				j->flags[DNS_V_STALE] = 1;
		}
		if (rc != 0)
			return rc;
	}
	if (nvalid == 0) {
		/* with no authoritative child answer there is nothing to
		 * judge the DS against: that is lame or unreachable */
		if (j->ncv > 0)
			j->flags[DNS_V_BROKEN] = 1;
		return 0;
	}
	for (k = 0; k < j->expected.n; k++) {
		int has = 0;

		for (i = 0; i < a->parent_ds.n; i++)
			if (match(j, a->parent_ds.v[i],
			    j->expected.v[k]))
				has = 1;
		if (has)
			continue;
		j->flags[DNS_V_INCOMPLETE] = 1;
		if ((rc = dns_audit_finding(a, "expected key %u (%s) has no DS "
		    "at parent %s (from %s)", j->expected.v[k]->key_tag,
		    alg_name(j->expected.v[k]->algorithm),
		    a->parent != NULL ? a->parent : "?", j->exp_src[k])) != 0)
			return rc;
	}
	/* With a key store, a DS that still validates but whose key is no
	 * longer expected (retired: the end of a rollover) is left over. */
	for (i = 0; i < a->parent_ds.n && j->o->have_store; i++) {
		int expected = 0;

		if (!j->ds_valid[i])
			continue;
		for (k = 0; k < j->expected.n; k++)
			if (match(j, a->parent_ds.v[i], j->expected.v[k]))
				expected = 1;
		if (expected)
			continue;
		j->flags[DNS_V_STALE] = 1;
		ds_text(a->parent_ds.v[i], t, sizeof(t));
		if ((rc = dns_audit_finding(a, "DS %s validates but key %u is "
		    "not expected by the key store (retired?)", t,
		    a->parent_ds.v[i]->key_tag)) != 0)
			return rc;
	}
	for (i = 0; i < a->parent_ds.n; i++) {
		uint8_t dt = a->parent_ds.v[i]->digest_type;

		if (dt != DS_DIGEST_SHA1 && dt != DS_DIGEST_GOST)
			continue;
		j->flags[DNS_V_DEPRECATED_DIGEST] = 1;
		ds_text(a->parent_ds.v[i], t, sizeof(t));
		if ((rc = dns_audit_finding(a, "DS %s uses digest type %u (%s), "
		    "deprecated (RFC 9904)", t, dt,
		    ds_digest_name(dt) ? ds_digest_name(dt) : "?")) != 0)
			return rc;
	}
	return 0;
}

/*
 * May a DS be added for every expected key?  Only if each is served with
 * the zone bit and signs the DNSKEY RRset at every authoritative child
 * server; otherwise say where it does not.
 */
static int
target_problem(struct judge *j)
{
	struct dns_audit *a = j->a;
	size_t k, i, n;
	char *why = NULL;

	if (j->expected.n > 0 && j->ncv == 0)
		why = strdup("no child server answered DNSKEY authoritatively");
	for (k = 0; k < j->expected.n && why == NULL; k++) {
		const struct ds_key *e = j->expected.v[k];

		for (i = 0; i < j->ncv && why == NULL; i++) {
			const struct cview *v = &j->cv[i];
			const struct skey *sk = NULL;

			for (n = 0; n < v->n; n++)
				if (v->keys[n].k != NULL &&
				    same_key(v->keys[n].k, e))
					sk = &v->keys[n];
			if (sk == NULL) {
				if (asprintf(&why, "key %u is not served by %s "
				    "(%s)", e->key_tag, v->s->name,
				    addr_text(v->s)) < 0)
					return DSREG_ENOMEM;
			} else if (!sk->signs) {
				if (asprintf(&why, "key %u does not sign the "
				    "DNSKEY RRset at %s (%s): %s", e->key_tag,
				    v->s->name, addr_text(v->s), sk->why) < 0)
					return DSREG_ENOMEM;
			}
		}
	}
	a->target_problem = why;
	return 0;
}

/*
 * What the parent's servers sign about the delegation (dns/parentsig.c).
 * A signed child (it serves DNSKEY, or the parent has DS) behind a parent
 * server whose signatures fail is broken: validators SERVFAIL it.  An
 * unsigned child gets the findings only (its DS state needs nothing from
 * the operator), and parent_problem makes the plan refuse either way.
 */
static int
judge_parent_sigs(struct judge *j)
{
	size_t i;
	int rc, failed, is_signed = j->a->parent_ds.n > 0;

	for (i = 0; i < j->ncv; i++)
		if (j->cv[i].n > 0)
			is_signed = 1;
	if ((rc = dns_parent_sigs_judge(j->a, j->o->now, is_signed,
	    &failed)) != 0)
		return rc;
	if (failed && is_signed)
		j->flags[DNS_V_BROKEN] = 1;
	return 0;
}

static void
judge_reset(struct dns_audit *a)
{
	size_t i;

	for (i = 0; i < a->nfindings; i++)
		free(a->findings[i]);
	free(a->findings);
	a->findings = NULL;
	a->nfindings = 0;
	ds_set_free(&a->parent_ds);
	ds_set_free(&a->expected_ds);
	ds_set_free(&a->valid_ds);
	free(a->target_problem);
	a->target_problem = NULL;
	free(a->parent_problem);
	a->parent_problem = NULL;
	for (i = 0; i < a->nservers; i++) {
		dns_server_facts_clear(&a->servers[i]);
		a->servers[i].psig = DNS_PSIG_UNCHECKED;
		a->servers[i].psig_what[0] = '\0';
		a->servers[i].psig_why[0] = '\0';
	}
}

/* The lowest TTL of a reply's records (0: none). */
static uint32_t
min_ttl(const ldns_rr_list *l)
{
	uint32_t t = 0;
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++)
		if (i == 0 || ldns_rr_ttl(ldns_rr_list_rr(l, i)) < t)
			t = ldns_rr_ttl(ldns_rr_list_rr(l, i));
	return t;
}

/* A child server's CDS and CDNSKEY, parsed (records that do not parse,
 * such as the delete signal's CDNSKEY "0 3 0 AA==", are left out). */
static int
child_signals(struct dns_server *s)
{
	const struct dns_reply *cds = &s->r[DNS_Q_CDS];
	const struct dns_reply *cdk = &s->r[DNS_Q_CDNSKEY];
	struct ds_rec *d;
	struct ds_key *k;
	size_t i;

	for (i = 0; cds->status == 0 && i < ldns_rr_list_rr_count(cds->rrs);
	    i++) {
		if (ds_rec_from_ldns(&d, ldns_rr_list_rr(cds->rrs, i),
		    NULL) != 0)
			continue;
		if (ds_set_add(&s->cds, d) != 0) {
			ds_rec_free(d);
			return DSREG_ENOMEM;
		}
	}
	for (i = 0; cdk->status == 0 && i < ldns_rr_list_rr_count(cdk->rrs);
	    i++) {
		if (ds_key_from_ldns(&k, ldns_rr_list_rr(cdk->rrs, i),
		    NULL) != 0)
			continue;
		if (ds_keyset_add(&s->cdnskey, k) != 0) {
			ds_key_free(k);
			return DSREG_ENOMEM;
		}
	}
	return 0;
}

/*
 * Hand out what the judgement computed, per server, so that nobody
 * computes it again: each parent server's DS set (moved out of its view)
 * and whether it validates; each child server's keys with their "signs"
 * flag, and its CDS/CDNSKEY.
 */
static int
record_facts(struct judge *j, struct pview *pv, size_t npv)
{
	struct dns_audit *a = j->a;
	struct dns_server *s;
	size_t i, k;
	int rc;

	for (i = 0; i < npv; i++) {
		s = &a->servers[pv[i].s - a->servers];
		s->answered = 1;
		s->ds = pv[i].ds;
		memset(&pv[i].ds, 0, sizeof(pv[i].ds));
		s->ds_ttl = min_ttl(s->r[DNS_Q_DS].rrs);
		for (k = 0; k < s->ds.n && !s->validates; k++)
			s->validates = ds_set_contains(&a->valid_ds,
			    s->ds.v[k]);
	}
	for (i = 0; i < j->ncv; i++) {
		const struct cview *v = &j->cv[i];

		s = &a->servers[v->s - a->servers];
		s->answered = 1;
		if (v->n > 0 &&
		    (s->keys = calloc(v->n, sizeof(*s->keys))) == NULL)
			return DSREG_ENOMEM;
		for (k = 0; k < v->n; k++) {
			if (ds_key_dup(&s->keys[s->nkeys].key,
			    v->keys[k].k) != 0)
				return DSREG_ENOMEM;
			s->keys[s->nkeys++].signs = v->keys[k].signs;
		}
	}
	for (i = 0; i < a->nservers; i++)
		if (a->servers[i].role == DNS_CHILD &&
		    (rc = child_signals(&a->servers[i])) != 0)
			return rc;
	return 0;
}

int
dns_judge(struct dns_audit *a, const struct dns_judge_opts *o)
{
	struct judge j;
	struct pview *pv = NULL;
	size_t i, k, npv = 0;
	int rc = 0, v, ours;

	memset(&j, 0, sizeof(j));
	j.a = a;
	j.o = o;
	judge_reset(a);
	a->verdict = DNS_V_UNREACHABLE;
	if (a->error != NULL) {
		rc = dns_audit_finding(a, "%s", a->error);
		goto out;
	}
	if ((pv = calloc(a->nservers + 1, sizeof(*pv))) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	if ((rc = build_views(&j)) != 0 ||
	    (rc = judge_parents(&j, pv, &npv)) != 0)
		goto out;
	if (j.flags[DNS_V_NOT_DELEGATED]) {
		a->verdict = DNS_V_NOT_DELEGATED;   /* nothing else to judge */
		goto out;
	}
	if (j.capped && (rc = dns_audit_finding(a, "the child's DNSKEY RRsets "
	    "need more than %d signature checks: the rest were not verified "
	    "(CVE-2023-50387)", MAX_VERIFICATIONS)) != 0)
		goto out;
	/* not-ours: nothing else is judged (parent_ds is still reported) */
	if (o->nour_ns > 0 && a->ndeleg > 0) {
		ours = 0;
		for (i = 0; i < a->ndeleg; i++)
			for (k = 0; k < o->nour_ns; k++)
				if (strcasecmp(a->deleg[i], o->our_ns[k]) == 0)
					ours = 1;
		if (!ours) {
			for (i = 0; i < a->nfindings; i++)
				free(a->findings[i]);
			a->nfindings = 0;
			a->verdict = DNS_V_NOT_OURS;
			rc = dns_audit_finding(a, "delegation names %s%s%s, none "
			    "of --our-ns", a->deleg[0], a->ndeleg > 1 ? ", " :
			    "", a->ndeleg > 1 ? a->deleg[1] : "");
			goto out;
		}
	}
	if ((rc = judge_parent_sigs(&j)) != 0 ||
	    (rc = judge_children(&j)) != 0 ||
	    (rc = expected_keys(&j)) != 0 ||
	    (rc = target_problem(&j)) != 0 ||
	    (rc = judge_ds(&j)) != 0 ||
	    (rc = judge_consistency(&j, pv, npv)) != 0)
		goto out;
	a->verdict = DNS_V_OK;
	for (v = 0; v < DNS_V_COUNT; v++)
		if (j.flags[v]) {
			a->verdict = (enum dns_verdict)v;
			break;
		}
out:
	if (rc == 0 && a->error == NULL)
		rc = record_facts(&j, pv, npv);
	if (pv != NULL)
		for (i = 0; i < npv; i++)
			ds_set_free(&pv[i].ds);
	free(pv);
	cviews_free(&j);
	free(j.ds_valid);
	for (i = 0; i < j.expected.n; i++)
		free(j.exp_src[i]);
	free(j.exp_src);
	ds_keyset_free(&j.expected);
	return rc;
}
