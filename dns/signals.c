/* dns/signals.c - the child's CDS/CDNSKEY as a parent's scanner reads them, and its RFC 9615 _dsboot signals */
#include "dns/internal.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * What is checked (RFC 7344 §4.1, RFC 8078 §3 and §4, RFC 9615 §4.1):
 *
 * At every child server that answered DNSKEY authoritatively: the CDS and
 * the CDNSKEY RRset are the same as at the other servers; each RRset that
 * is not empty carries an RRSIG that validates now with a key of that
 * server's DNSKEY RRset which itself signs the DNSKEY RRset (and, when DS
 * validate at the parent, with a key one of them refers to); and the keys
 * they name are exactly the expected ones (the key store, else the
 * KSK/CSKs the child signs with).
 *
 * When the child publishes CDS or CDNSKEY (other than the delete signal)
 * and no parent server serves DS (the delegation is to be bootstrapped),
 * under every name server NS of the delegation that lies outside the
 * child: the CDS and CDNSKEY RRsets at _dsboot.<child>._signal.<NS>, asked
 * of every server of the zone that holds that name (its zone cut found
 * through the resolver).  They must be there at every server, equal the
 * child's own, and be signed: an RRSIG over each RRset that validates now
 * with a key of the signal zone's DNSKEY RRset, that RRset being the one
 * the resolver validated through its chain of trust (AD bit, as for the
 * parent's keys).  Signals under a name server inside the child are not
 * asked: the child's own keys cannot vouch for them (RFC 9615).
 */

#define MAX_SIG_CHECKS 32     /* RRSIG verifications per domain (KeyTrap) */

static const char *
addr_text(const struct dns_addr *a)
{
	return a->len != 0 ? a->text : "no address";
}

static int
reply_auth_ok(const struct dns_reply *r)
{
	return r->status == 0 && r->aa && r->rcode == LDNS_RCODE_NOERROR;
}

static void
reply_problem(const struct dns_reply *r, char *buf, size_t len)
{
	ldns_lookup_table *t;

	if (r->status != 0)
		snprintf(buf, len, "%s", r->err);
	else if (r->rcode != LDNS_RCODE_NOERROR) {
		t = ldns_lookup_by_id(ldns_rcodes, r->rcode);
		snprintf(buf, len, "answered %s", t != NULL ? t->name : "?");
	} else
		snprintf(buf, len, "answered without the AA bit");
}

/* ---- collection ------------------------------------------------------- */

/* Does some child server publish CDS or CDNSKEY other than "delete"? */
static int
child_signals_keys(const struct dns_audit *a)
{
	size_t i, k;

	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];
		int q;

		if (s->role != DNS_CHILD)
			continue;
		for (q = DNS_Q_CDS; q <= DNS_Q_CDNSKEY; q++) {
			const struct dns_reply *r = &s->r[q];

			if (r->status != 0)
				continue;
			for (k = 0; k < ldns_rr_list_rr_count(r->rrs); k++) {
				const ldns_rr *rr = ldns_rr_list_rr(r->rrs, k);

				/* the delete signals have algorithm 0 */
				if (ldns_rr_rd_count(rr) >= 3 &&
				    ldns_rdf2native_int8(ldns_rr_rdf(rr,
				    q == DNS_Q_CDS ? 1 : 2)) != 0)
					return 1;
			}
		}
	}
	return 0;
}

/* Is name the zone or below it?  Both absolute, lower case. */
static int
name_under(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (strcmp(zone, ".") == 0)
		return 1;
	if (n < z || strcmp(name + n - z, zone) != 0)
		return 0;
	return n == z || name[n - z - 1] == '.';
}

static struct dns_boot_server *
boot_add_server(struct dns_boot *b, const char *name,
    const struct dns_addr *addr)
{
	struct dns_boot_server *nv, *s;

	if ((nv = realloc(b->srv, (b->nsrv + 1) * sizeof(*nv))) == NULL)
		return NULL;
	b->srv = nv;
	s = &b->srv[b->nsrv];
	memset(s, 0, sizeof(*s));
	if ((s->name = strdup(name)) == NULL)
		return NULL;
	if (addr != NULL)
		s->addr = *addr;
	b->nsrv++;
	return s;
}

/* One NS name: the signal zone, its keys and servers (no query yet). */
static int
boot_prepare(struct dns_ctx *ctx, struct dns_audit *a, struct dns_boot *b)
{
	const struct dns_zone *z;
	struct dns_boot_server *s;
	ldns_rdf *rdf;
	size_t i, j;
	int k;

	if (asprintf(&b->owner, "_dsboot.%s_signal.%s", a->domain, b->ns) < 0) {
		b->owner = NULL;
		return DSREG_ENOMEM;
	}
	if ((rdf = ldns_dname_new_frm_str(b->owner)) == NULL)
		return (b->error = strdup("the signaling name is longer than "
		    "a domain name may be")) == NULL ? DSREG_ENOMEM : 0;
	ldns_rdf_deep_free(rdf);
	if ((z = dns_ctx_zone(ctx, b->owner)) == NULL)
		return DSREG_ENOMEM;
	if (z->err != NULL)
		return (b->error = strdup(z->err)) == NULL ? DSREG_ENOMEM : 0;
	if ((b->zone = strdup(z->zone)) == NULL)
		return DSREG_ENOMEM;
	b->keys = dns_ctx_parent_keys(ctx, z->zone);
	for (i = 0; i < z->nns; i++) {
		if (z->ns[i].naddrs == 0) {
			if ((s = boot_add_server(b, z->ns[i].name, NULL)) ==
			    NULL)
				return DSREG_ENOMEM;
			for (k = 0; k < 2; k++) {
				s->r[k].status = DSREG_ENOTFOUND;
				snprintf(s->r[k].err, sizeof(s->r[k].err), "%s",
				    z->ns[i].err != NULL ? z->ns[i].err :
				    "no address");
			}
		}
		for (j = 0; j < z->ns[i].naddrs; j++)
			if (boot_add_server(b, z->ns[i].name,
			    &z->ns[i].addrs[j]) == NULL)
				return DSREG_ENOMEM;
	}
	return 0;
}

int
dns_signals_collect(struct dns_ctx *ctx, struct dns_audit *a)
{
	struct dns_signals *sg = &a->signals;
	struct dns_query *q = NULL;
	ldns_rdf **names = NULL;
	struct dns_udp u;
	size_t i, j, n = 0, nq = 0;
	int rc = 0, k;

	if (a->ndeleg == 0 || !child_signals_keys(a))
		return 0;
	/* a parent may be told to read them (RFC 9859) */
	if ((rc = dns_audit_dsync(ctx, a)) != 0)
		return rc;
	/* the RFC 9615 signals serve to bootstrap an insecure delegation:
	 * once a parent server serves DS they are not asked */
	for (i = 0; i < a->nservers; i++)
		if (a->servers[i].role == DNS_PARENT &&
		    a->servers[i].r[DNS_Q_DS].status == 0 &&
		    ldns_rr_list_rr_count(a->servers[i].r[DNS_Q_DS].rrs) > 0)
			return 0;
	if ((sg->boot = calloc(a->ndeleg, sizeof(*sg->boot))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < a->ndeleg; i++) {
		if (name_under(a->deleg[i], a->domain))
			continue;
		struct dns_boot *b = &sg->boot[sg->nboot++];

		if ((b->ns = strdup(a->deleg[i])) == NULL)
			return DSREG_ENOMEM;
		if ((rc = boot_prepare(ctx, a, b)) != 0)
			return rc;
		nq += 2 * b->nsrv;
	}
	sg->boot_checked = sg->nboot > 0;
	if (nq == 0)
		return 0;
	if ((q = calloc(nq, sizeof(*q))) == NULL ||
	    (names = calloc(sg->nboot, sizeof(*names))) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	for (i = 0; i < sg->nboot; i++) {
		struct dns_boot *b = &sg->boot[i];

		if (b->nsrv == 0)
			continue;
		if ((names[i] = ldns_dname_new_frm_str(b->owner)) == NULL) {
			rc = DSREG_ENOMEM;
			goto out;
		}
		for (j = 0; j < b->nsrv; j++) {
			if (b->srv[j].addr.len == 0)
				continue;
			for (k = 0; k < 2; k++) {
				q[n].server = &b->srv[j].addr;
				q[n].qname = names[i];
				q[n].qtype = k == DNS_QB_CDS ? LDNS_RR_TYPE_CDS :
				    LDNS_RR_TYPE_CDNSKEY;
				q[n].reply = &b->srv[j].r[k];
				q[n].answer_only = 1;
				n++;
			}
		}
	}
	dns_ctx_udp_get(ctx, &u);
	dns_query_run(q, n, dns_ctx_opts(ctx), u.fd);
	dns_ctx_udp_put(ctx, &u);
	dns_ctx_count(ctx, n);
out:
	for (i = 0; names != NULL && i < sg->nboot; i++)
		ldns_rdf_deep_free(names[i]);
	free(names);
	free(q);
	return rc;
}

void
dns_signals_clear(struct dns_signals *sg)
{
	size_t i, j;

	for (i = 0; i < sg->nboot; i++) {
		struct dns_boot *b = &sg->boot[i];

		for (j = 0; j < b->nsrv; j++) {
			free(b->srv[j].name);
			dns_reply_clear(&b->srv[j].r[0]);
			dns_reply_clear(&b->srv[j].r[1]);
		}
		free(b->srv);
		free(b->ns);
		free(b->owner);
		free(b->zone);
		free(b->error);
	}
	free(sg->boot);
	memset(sg, 0, sizeof(*sg));
}

/* ---- judgement ---------------------------------------------------------- */

struct sj {
	struct dns_audit *a;
	const struct dns_judge_opts *o;
	int checks;                  /* signature verifications so far */
	struct ds_keyset expected;   /* borrowed pointers: not freed */
	int reported_cap;
};

/* The RDATA set of a CDNSKEY RRset equal to another? */
static int
keyset_has(const struct ds_keyset *ks, const struct ds_key *k)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		if (ks->v[i]->rdata_len == k->rdata_len &&
		    memcmp(ks->v[i]->rdata, k->rdata, k->rdata_len) == 0)
			return 1;
	return 0;
}

static int
keyset_equal(const struct ds_keyset *x, const struct ds_keyset *y)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (!keyset_has(y, x->v[i]))
			return 0;
	for (i = 0; i < y->n; i++)
		if (!keyset_has(x, y->v[i]))
			return 0;
	return 1;
}

/* A record set (CDS or CDNSKEY) as parsed sets, with the delete signal. */
static int
parse_rrs(const ldns_rr_list *l, int cds, struct ds_set *ds,
    struct ds_keyset *ks, int *del)
{
	struct ds_rec *d;
	struct ds_key *k;
	size_t i;

	*del = 0;
	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);

		if (cds) {
			if (ds_rec_from_ldns(&d, rr, NULL) != 0)
				continue;
			if (ds_rec_is_delete(d))
				*del = 1;
			if (ds_set_add(ds, d) != 0) {
				ds_rec_free(d);
				return DSREG_ENOMEM;
			}
		} else {
			if (ldns_rr_rd_count(rr) == 4 &&
			    ldns_rdf2native_int8(ldns_rr_rdf(rr, 2)) == 0) {
				*del = 1;    /* 0 3 0 AA== does not parse */
				continue;
			}
			if (ds_key_from_ldns(&k, rr, NULL) != 0)
				continue;
			if (ds_keyset_add(ks, k) != 0) {
				ds_key_free(k);
				return DSREG_ENOMEM;
			}
		}
	}
	return 0;
}

/*
 * Is rrset signed by a key of `keys` (an ldns list; only those for which
 * ok(key) holds when ok is given) with an RRSIG in sigs that validates
 * now?  1 yes (the key's tag in *tag); 0 no, why says why.
 */
static int
signed_by(struct sj *j, ldns_rr_list *rrset, const ldns_rr_list *sigs,
    const ldns_rr_list *keys, int (*ok)(void *, const ldns_rr *), void *okctx,
    uint16_t *tag, char *why, size_t wlen)
{
	size_t i, k;
	ldns_status st;

	snprintf(why, wlen, "no RRSIG");
	for (i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		const ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		uint16_t st_tag;
		int any = 0;

		if (ldns_rr_rd_count(sig) < 9)
			continue;
		st_tag = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(sig));
		for (k = 0; k < ldns_rr_list_rr_count(keys); k++) {
			const ldns_rr *key = ldns_rr_list_rr(keys, k);

			if (ldns_rr_get_type(key) != LDNS_RR_TYPE_DNSKEY ||
			    ldns_calc_keytag(key) != st_tag ||
			    ldns_rr_rd_count(key) != 4 ||
			    ldns_rdf2native_int8(ldns_rr_rdf(key, 2)) !=
			    ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(sig)))
				continue;
			any = 1;
			if (ok != NULL && !ok(okctx, key)) {
				snprintf(why, wlen, "signed by key %u, which "
				    "does not sign the DNSKEY RRset", st_tag);
				continue;
			}
			if (j->checks >= MAX_SIG_CHECKS) {
				snprintf(why, wlen, "not verified: more than "
				    "%d signature checks needed", MAX_SIG_CHECKS);
				return 0;
			}
			j->checks++;
			st = dns_verify_sig(rrset, sig, key, j->o->now);
			if (st == LDNS_STATUS_OK) {
				*tag = st_tag;
				return 1;
			}
			snprintf(why, wlen, "RRSIG by key %u: %s", st_tag,
			    ldns_get_errorstr_by_id(st));
		}
		if (!any && strcmp(why, "no RRSIG") == 0)
			snprintf(why, wlen, "RRSIG by key %u, which is not in "
			    "the DNSKEY RRset", st_tag);
	}
	return 0;
}

/* ok(): a key of this child server that signs its DNSKEY RRset. */
static int
server_key_signs(void *ctx, const ldns_rr *rr)
{
	const struct dns_server *s = ctx;
	struct ds_key *k;
	size_t i;
	int yes = 0;

	if (ds_key_from_ldns(&k, rr, NULL) != 0)
		return 0;
	for (i = 0; i < s->nkeys && !yes; i++)
		if (s->keys[i].signs &&
		    s->keys[i].key->rdata_len == k->rdata_len &&
		    memcmp(s->keys[i].key->rdata, k->rdata, k->rdata_len) == 0)
			yes = 1;
	ds_key_free(k);
	return yes;
}

/* The expected keys: the key store's, else the served signing KSK/CSKs. */
static int
expected_of(struct sj *j)
{
	const struct dns_judge_opts *o = j->o;
	const struct dns_audit *a = j->a;
	size_t i, k;
	int any_sep = 0;

	if (o->have_store && o->nstore_keys > 0) {
		for (i = 0; i < o->nstore_keys; i++)
			if (ds_key_expected(o->store_keys[i], o->now) &&
			    !keyset_has(&j->expected, o->store_keys[i]) &&
			    ds_keyset_add(&j->expected,
			    (struct ds_key *)o->store_keys[i]) != 0)
				return DSREG_ENOMEM;
		return 0;
	}
	for (i = 0; i < a->nservers; i++)
		for (k = 0; k < a->servers[i].nkeys; k++)
			if (a->servers[i].keys[k].signs &&
			    ds_key_is_sep(a->servers[i].keys[k].key))
				any_sep = 1;
	for (i = 0; i < a->nservers; i++)
		for (k = 0; k < a->servers[i].nkeys; k++) {
			const struct dns_key_fact *f = &a->servers[i].keys[k];

			if (!f->signs || (any_sep && !ds_key_is_sep(f->key)) ||
			    keyset_has(&j->expected, f->key))
				continue;
			if (ds_keyset_add(&j->expected, f->key) != 0)
				return DSREG_ENOMEM;
		}
	return 0;
}

/* The CDS/CDNSKEY of the reference server name exactly the expected keys? */
static int
judge_match(struct sj *j, const struct dns_server *s, int *match)
{
	struct dns_audit *a = j->a;
	size_t i, k;
	int rc, hit;
	char *t;

	*match = 1;
	for (i = 0; i < s->cds.n; i++) {
		if (ds_rec_is_delete(s->cds.v[i]))
			continue;
		for (hit = 0, k = 0; k < j->expected.n && !hit; k++)
			hit = ds_rec_matches_key(s->cds.v[i], j->expected.v[k]);
		if (hit)
			continue;
		*match = 0;
		t = ds_rec_rdata_text(s->cds.v[i]);
		rc = dns_audit_finding(a, "child server %s (%s): CDS %s is "
		    "for no expected key (RFC 7344 §4.1: CDS name the keys "
		    "the parent is to publish DS for)", s->name,
		    addr_text(&s->addr), t != NULL ? t : "?");
		free(t);
		if (rc != 0)
			return rc;
	}
	for (i = 0; i < s->cdnskey.n; i++) {
		if (keyset_has(&j->expected, s->cdnskey.v[i]))
			continue;
		*match = 0;
		if ((rc = dns_audit_finding(a, "child server %s (%s): CDNSKEY "
		    "%u is no expected key (RFC 7344 §4.1)", s->name,
		    addr_text(&s->addr), s->cdnskey.v[i]->key_tag)) != 0)
			return rc;
	}
	/* every expected key has its CDS (when there are CDS) and its
	 * CDNSKEY (when there are CDNSKEY) */
	for (k = 0; k < j->expected.n; k++) {
		const struct ds_key *e = j->expected.v[k];

		for (hit = 0, i = 0; i < s->cds.n && !hit; i++)
			hit = ds_rec_matches_key(s->cds.v[i], e);
		if (s->cds.n > 0 && !hit) {
			*match = 0;
			if ((rc = dns_audit_finding(a, "child server %s (%s): "
			    "no CDS for expected key %u (RFC 7344 §4.1)",
			    s->name, addr_text(&s->addr), e->key_tag)) != 0)
				return rc;
		}
		if (s->cdnskey.n > 0 && !keyset_has(&s->cdnskey, e)) {
			*match = 0;
			if ((rc = dns_audit_finding(a, "child server %s (%s): "
			    "no CDNSKEY for expected key %u (RFC 7344 §4.1)",
			    s->name, addr_text(&s->addr), e->key_tag)) != 0)
				return rc;
		}
	}
	return 0;
}

/* Does a DS that validates at the parent refer to the key rr? */
static int
valid_ds_for(const struct dns_audit *a, const ldns_rr_list *keys,
    uint16_t tag)
{
	size_t i, k;
	struct ds_key *key;
	int yes = 0;

	for (k = 0; k < ldns_rr_list_rr_count(keys) && !yes; k++) {
		if (ldns_calc_keytag(ldns_rr_list_rr(keys, k)) != tag ||
		    ds_key_from_ldns(&key, ldns_rr_list_rr(keys, k), NULL) != 0)
			continue;
		for (i = 0; i < a->valid_ds.n && !yes; i++)
			yes = ds_rec_matches_key(a->valid_ds.v[i], key);
		ds_key_free(key);
	}
	return yes;
}

struct sctx {
	const struct dns_server *s;
	const struct dns_audit *a;
};

/* ok(): signs the DNSKEY RRset there, and a validating DS refers to it. */
static int
key_signs_with_ds(void *ctx, const ldns_rr *rr)
{
	const struct sctx *c = ctx;
	struct ds_key *k;
	size_t i;
	int yes = 0;

	if (!server_key_signs((void *)c->s, rr) ||
	    ds_key_from_ldns(&k, rr, NULL) != 0)
		return 0;
	for (i = 0; i < c->a->valid_ds.n && !yes; i++)
		yes = ds_rec_matches_key(c->a->valid_ds.v[i], k);
	ds_key_free(k);
	return yes;
}

/* The apex CDS and CDNSKEY at every authoritative child server. */
static int
judge_apex(struct sj *j, const struct dns_server **refp)
{
	static const char *const tname[2] = { "CDS", "CDNSKEY" };
	struct dns_audit *a = j->a;
	struct dns_signals *sg = &a->signals;
	const struct dns_server *ref = NULL;
	char why[160], prob[128];
	size_t i;
	int q, rc, del;
	uint16_t tag;
	struct sctx sc;

	sg->same = sg->valid = 1;
	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];

		if (s->role != DNS_CHILD || !s->answered)
			continue;
		if (s->cds.n > 0 || s->cdnskey.n > 0 ||
		    ldns_rr_list_rr_count(s->r[DNS_Q_CDNSKEY].rrs) > 0)
			sg->present = 1;
		if (ref == NULL) {
			ref = s;
			continue;
		}
		if (!ds_set_equal(&s->cds, &ref->cds)) {
			sg->same = 0;
			if ((rc = dns_audit_finding(a, "child server %s (%s): "
			    "CDS differs from %s (%s) (RFC 7344 §4.1: the same "
			    "at every server)", s->name, addr_text(&s->addr),
			    ref->name, addr_text(&ref->addr))) != 0)
				return rc;
		}
		if (!keyset_equal(&s->cdnskey, &ref->cdnskey)) {
			sg->same = 0;
			if ((rc = dns_audit_finding(a, "child server %s (%s): "
			    "CDNSKEY differs from %s (%s) (RFC 7344 §4.1: the "
			    "same at every server)", s->name,
			    addr_text(&s->addr), ref->name,
			    addr_text(&ref->addr))) != 0)
				return rc;
		}
	}
	*refp = ref;
	if (!sg->present)
		return 0;
	for (i = 0; i < a->nservers; i++) {
		struct dns_server *s = &a->servers[i];

		if (s->role != DNS_CHILD || !s->answered)
			continue;
		for (q = 0; q < 2; q++) {
			struct dns_reply *r = &s->r[DNS_Q_CDS + q];
			struct ds_set d;
			struct ds_keyset ks;

			if (!reply_auth_ok(r)) {
				sg->valid = 0;
				reply_problem(r, prob, sizeof(prob));
				if ((rc = dns_audit_finding(a, "child server %s "
				    "(%s): %s query: %s", s->name,
				    addr_text(&s->addr), tname[q], prob)) != 0)
					return rc;
				continue;
			}
			if (ldns_rr_list_rr_count(r->rrs) == 0)
				continue;
			memset(&d, 0, sizeof(d));
			memset(&ks, 0, sizeof(ks));
			rc = parse_rrs(r->rrs, q == 0, &d, &ks, &del);
			ds_set_free(&d);
			ds_keyset_free(&ks);
			if (rc != 0)
				return rc;
			if (del)
				sg->delete = 1;
			/* RFC 7344 §4.1: by a key of both the DNSKEY and
			 * the DS RRset, when DS validate */
			sc.s = s;
			sc.a = a;
			if (a->valid_ds.n > 0 && signed_by(j, r->rrs, r->sigs,
			    s->r[DNS_Q_DNSKEY].rrs, key_signs_with_ds, &sc,
			    &tag, why, sizeof(why)))
				continue;
			if (!signed_by(j, r->rrs, r->sigs,
			    s->r[DNS_Q_DNSKEY].rrs, server_key_signs, s, &tag,
			    why, sizeof(why))) {
				sg->valid = 0;
				if ((rc = dns_audit_finding(a, "child server %s "
				    "(%s): %s not validly signed: %s (RFC 7344 "
				    "§4.1: signed by a key that signs the DNSKEY "
				    "RRset)", s->name, addr_text(&s->addr),
				    tname[q], why)) != 0)
					return rc;
				continue;
			}
			if (a->valid_ds.n > 0 && !valid_ds_for(a,
			    s->r[DNS_Q_DNSKEY].rrs, tag)) {
				sg->valid = 0;
				if ((rc = dns_audit_finding(a, "child server %s "
				    "(%s): %s signed by key %u, which no "
				    "validating DS refers to (RFC 7344 §4.1: a "
				    "key in both the DNSKEY and the DS RRset)",
				    s->name, addr_text(&s->addr), tname[q],
				    tag)) != 0)
					return rc;
			}
		}
	}
	return 0;
}

/* One name server's RFC 9615 signal. */
static int
judge_boot(struct sj *j, struct dns_boot *b, const struct dns_server *ref,
    int need)
{
	static const char *const tname[2] = { "CDS", "CDNSKEY" };
	struct dns_audit *a = j->a;
	size_t i, nhave = 0, nasked = 0;
	char why[160], prob[128];
	const char *first_missing = NULL, *first_addr = NULL;
	uint16_t tag;
	int q, rc, del;

	b->present = b->valid = b->equal = 0;
	if (b->error != NULL)
		return dns_audit_finding(a, "%s: not checked: %s (RFC 9615 "
		    "§4.1)", b->owner != NULL ? b->owner : b->ns, b->error);
	b->valid = b->equal = 1;
	for (i = 0; i < b->nsrv; i++) {
		struct dns_boot_server *s = &b->srv[i];
		int have = 0;

		for (q = 0; q < 2; q++) {
			const struct dns_reply *r = &s->r[q];

			if (r->status == 0 && r->aa &&
			    (r->rcode == LDNS_RCODE_NOERROR ||
			    r->rcode == LDNS_RCODE_NXDOMAIN)) {
				if (ldns_rr_list_rr_count(r->rrs) > 0)
					have = 1;
				continue;
			}
			reply_problem(r, prob, sizeof(prob));
			b->valid = 0;
			if ((rc = dns_audit_finding(a, "%s: signal zone server "
			    "%s (%s): %s query: %s", b->owner, s->name,
			    addr_text(&s->addr), tname[q], prob)) != 0)
				return rc;
		}
		nasked++;
		if (have)
			nhave++;
		else if (first_missing == NULL) {
			first_missing = s->name;
			first_addr = addr_text(&s->addr);
		}
	}
	b->present = nasked > 0 && nhave == nasked;
	if (nhave == 0) {
		b->valid = b->equal = 0;
		return need ? dns_audit_finding(a, "%s: missing (RFC 9615 "
		    "§4.1: the signal is published under every name server)",
		    b->owner) : 0;
	}
	if (!b->present && (rc = dns_audit_finding(a, "%s: missing at %s "
	    "(%s) (RFC 9615 §4.1)", b->owner, first_missing, first_addr)) != 0)
		return rc;
	for (i = 0; i < b->nsrv; i++) {
		struct dns_boot_server *s = &b->srv[i];

		for (q = 0; q < 2; q++) {
			struct dns_reply *r = &s->r[q];
			struct ds_set d;
			struct ds_keyset ks;
			int eq;

			if (r->status != 0 || r->rcode > LDNS_RCODE_NXDOMAIN)
				continue;
			memset(&d, 0, sizeof(d));
			memset(&ks, 0, sizeof(ks));
			if ((rc = parse_rrs(r->rrs, q == 0, &d, &ks, &del)) != 0) {
				ds_set_free(&d);
				ds_keyset_free(&ks);
				return rc;
			}
			eq = ref == NULL ? 0 : q == 0 ? ds_set_equal(&d,
			    &ref->cds) : keyset_equal(&ks, &ref->cdnskey);
			ds_set_free(&d);
			ds_keyset_free(&ks);
			if (ldns_rr_list_rr_count(r->rrs) == 0 &&
			    ldns_rr_list_rr_count(ref != NULL ?
			    ref->r[DNS_Q_CDS + q].rrs : NULL) == 0)
				continue;
			if (!eq) {
				b->equal = 0;
				if ((rc = dns_audit_finding(a, "%s at %s (%s): "
				    "%s differs from the child's (RFC 9615 "
				    "§4.1: equal to the CDS/CDNSKEY at the "
				    "child's apex)", b->owner, s->name,
				    addr_text(&s->addr), tname[q])) != 0)
					return rc;
			}
			if (ldns_rr_list_rr_count(r->rrs) == 0)
				continue;
			if (b->keys == NULL || b->keys->keys == NULL) {
				b->valid = 0;
				snprintf(why, sizeof(why), "the DNSKEY RRset of "
				    "%s is not validated: %s", b->zone,
				    b->keys != NULL && b->keys->err != NULL ?
				    b->keys->err : "not asked");
			} else if (!signed_by(j, r->rrs, r->sigs, b->keys->keys,
			    NULL, NULL, &tag, why, sizeof(why)))
				b->valid = 0;
			else
				continue;
			if ((rc = dns_audit_finding(a, "%s at %s (%s): %s not "
			    "validly signed: %s (RFC 9615 §4.1: signed, with a "
			    "chain of trust)", b->owner, s->name,
			    addr_text(&s->addr), tname[q], why)) != 0)
				return rc;
		}
	}
	return 0;
}

/* Is a signal published under some name server (at some server)? */
static int
boot_any(const struct dns_signals *sg)
{
	size_t i, k;

	for (i = 0; i < sg->nboot; i++)
		for (k = 0; k < sg->boot[i].nsrv; k++)
			if (sg->boot[i].srv[k].r[0].status == 0 &&
			    (ldns_rr_list_rr_count(sg->boot[i].srv[k].r[0].rrs) >
			    0 || ldns_rr_list_rr_count(
			    sg->boot[i].srv[k].r[1].rrs) > 0))
				return 1;
	return 0;
}

int
dns_signals_judge(struct dns_audit *a, const struct dns_judge_opts *o)
{
	struct dns_signals *sg = &a->signals;
	const struct dns_server *ref = NULL;
	struct sj j;
	size_t i;
	int rc, need;

	sg->present = sg->delete = sg->same = sg->valid = sg->match = 0;
	sg->ok = sg->boot_ok = 0;
	memset(&j, 0, sizeof(j));
	j.a = a;
	j.o = o;
	if ((rc = judge_apex(&j, &ref)) != 0)
		goto out;
	if (!sg->present) {
		sg->same = sg->valid = 0;
		goto out;
	}
	if ((rc = expected_of(&j)) != 0)
		goto out;
	sg->match = 1;
	if (!sg->delete && ref != NULL &&
	    (rc = judge_match(&j, ref, &sg->match)) != 0)
		goto out;
	sg->ok = sg->same && sg->valid && sg->match;
	/* the signals are needed to bootstrap an insecure delegation; and
	 * once published under one name server, they must be under all */
	need = a->parent_ds.n == 0 || boot_any(sg);
	sg->boot_ok = sg->nboot > 0;
	for (i = 0; i < sg->nboot; i++) {
		if ((rc = judge_boot(&j, &sg->boot[i], ref, need)) != 0)
			goto out;
		if (!sg->boot[i].present || !sg->boot[i].valid ||
		    !sg->boot[i].equal)
			sg->boot_ok = 0;
	}
out:
	free(j.expected.v);          /* the keys are borrowed */
	return rc;
}
