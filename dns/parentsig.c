/* dns/parentsig.c - what each parent server signs about a delegation: RRSIG over the DS RRset, or the signed proof that there is no DS */
#include "dns/internal.h"
#include "common/error.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * A validating resolver accepts a delegation only if the parent's RRSIG
 * over the DS RRset validates (RFC 4035 §5.2), or, without DS, if the
 * parent proves with signed NSEC (RFC 4035 §5.4) or NSEC3 (RFC 5155 §8.6,
 * §8.5 with opt-out) records that there is none.  A parent server that
 * fails this makes the child SERVFAIL for everyone who validates, however
 * right the child's own keys are.  Each parent server is checked on its
 * own, against the parent's DNSKEY RRset validated by the resolver
 * (struct dns_parent_keys).
 */

#define MAX_PARENT_SIG_CHECKS 16   /* per server (KeyTrap, CVE-2023-50387) */
#define NSEC3_MAX_ITERATIONS 150   /* RFC 9276 §3.2: beyond, not checked */
#define NSEC3_HASH_LEN 20          /* SHA-1 (RFC 5155 §11) */

const char *
dns_psig_name(enum dns_psig v)
{
	switch (v) {
	case DNS_PSIG_UNCHECKED: return "not checked";
	case DNS_PSIG_OK: return "ok";
	case DNS_PSIG_MISSING: return "missing";
	case DNS_PSIG_EXPIRED: return "expired";
	case DNS_PSIG_NOT_YET_VALID: return "not yet valid";
	case DNS_PSIG_BOGUS: return "bogus";
	}
	return "?";
}

struct pcheck {
	const ldns_rr_list *keys;  /* the parent's validated DNSKEY RRset */
	const ldns_rdf *zone;      /* the parent zone */
	time_t now;
	int checks;                /* signature checks done for this server */
};

static void
time_text(uint32_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%u", (unsigned)t);
}

/*
 * Do the RRSIGs in sigs over rrset (one RRset: owner and type of its
 * first record) validate with a key of the parent's set at `now`?
 * DNS_PSIG_OK, or the failure with why.
 */
static enum dns_psig
check_rrset(struct pcheck *pc, ldns_rr_list *rrset, const ldns_rr_list *sigs,
    char *why, size_t wlen)
{
	const ldns_rr *first = ldns_rr_list_rr(rrset, 0);
	ldns_rr_type type = ldns_rr_get_type(first);
	enum dns_psig res = DNS_PSIG_MISSING;
	ldns_status st;
	size_t i, k;
	char when[40];

	snprintf(why, wlen, "no RRSIG");
	for (i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		uint16_t tag;
		uint8_t alg;
		int tried = 0;

		if (ldns_rr_get_type(sig) != LDNS_RR_TYPE_RRSIG ||
		    ldns_rr_rd_count(sig) < 9 ||
		    ldns_rdf2native_int16(ldns_rr_rrsig_typecovered(sig)) !=
		    type ||
		    ldns_dname_compare(ldns_rr_owner(sig),
		    ldns_rr_owner(first)) != 0)
			continue;
		tag = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(sig));
		alg = ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(sig));
		if (ldns_dname_compare(ldns_rr_rrsig_signame(sig),
		    pc->zone) != 0) {
			if (res == DNS_PSIG_MISSING) {
				res = DNS_PSIG_BOGUS;
				snprintf(why, wlen, "RRSIG by key %u is signed "
				    "by another zone than the parent", tag);
			}
			continue;
		}
		for (k = 0; k < ldns_rr_list_rr_count(pc->keys); k++) {
			const ldns_rr *key = ldns_rr_list_rr(pc->keys, k);

			if (ldns_rr_rd_count(key) != 4 ||
			    ldns_rdf2native_int8(ldns_rr_rdf(key, 2)) != alg ||
			    ldns_calc_keytag(key) != tag)
				continue;
			if (pc->checks >= MAX_PARENT_SIG_CHECKS) {
				snprintf(why, wlen, "not verified: more than "
				    "%d signature checks needed (colliding key "
				    "tags?)", MAX_PARENT_SIG_CHECKS);
				return DNS_PSIG_UNCHECKED;
			}
			pc->checks++;
			tried = 1;
			st = dns_verify_sig(rrset, sig, key, pc->now);
			if (st == LDNS_STATUS_OK)
				return DNS_PSIG_OK;
			if (st == LDNS_STATUS_CRYPTO_SIG_EXPIRED) {
				time_text(ldns_rdf2native_int32(
				    ldns_rr_rrsig_expiration(sig)), when,
				    sizeof(when));
				res = DNS_PSIG_EXPIRED;
				snprintf(why, wlen, "RRSIG by key %u expired "
				    "%s", tag, when);
			} else if (st == LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED) {
				time_text(ldns_rdf2native_int32(
				    ldns_rr_rrsig_inception(sig)), when,
				    sizeof(when));
				if (res != DNS_PSIG_EXPIRED) {
					res = DNS_PSIG_NOT_YET_VALID;
					snprintf(why, wlen, "RRSIG by key %u "
					    "is valid only from %s", tag, when);
				}
			} else if (res == DNS_PSIG_MISSING ||
			    res == DNS_PSIG_BOGUS) {
				res = DNS_PSIG_BOGUS;
				snprintf(why, wlen, "RRSIG by key %u does not "
				    "verify (%s)", tag,
				    ldns_get_errorstr_by_id(st));
			}
		}
		if (!tried && res == DNS_PSIG_MISSING) {
			res = DNS_PSIG_BOGUS;
			snprintf(why, wlen, "RRSIG by key %u (algorithm %u): "
			    "no such key in the parent's DNSKEY RRset", tag,
			    alg);
		}
	}
	return res;
}

/* check_rrset for the single record rr and its RRSIGs among sigs. */
static enum dns_psig
check_one(struct pcheck *pc, ldns_rr *rr, const ldns_rr_list *sigs,
    char *why, size_t wlen)
{
	ldns_rr_list *set = ldns_rr_list_new();
	enum dns_psig res;

	if (set == NULL || !ldns_rr_list_push_rr(set, rr)) {
		ldns_rr_list_free(set);
		snprintf(why, wlen, "out of memory");
		return DNS_PSIG_UNCHECKED;
	}
	res = check_rrset(pc, set, sigs, why, wlen);
	ldns_rr_list_free(set);      /* rr stays in its list */
	return res;
}

static int
has_type(const ldns_rr *nsec, ldns_rr_type t)
{
	ldns_rdf *bm = ldns_rr_get_type(nsec) == LDNS_RR_TYPE_NSEC ?
	    ldns_nsec_get_bitmap(nsec) : ldns_nsec3_bitmap(nsec);

	return bm != NULL && ldns_nsec_bitmap_covers_type(bm, t);
}

/* RFC 4035 §5.4: the NSEC at the delegation name, NS bit, no DS or SOA. */
static enum dns_psig
proof_nsec(struct pcheck *pc, const ldns_rr_list *auth, const ldns_rdf *name,
    char *why, size_t wlen)
{
	enum dns_psig res;
	char sub[120];
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC ||
		    ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
			continue;
		if (has_type(rr, LDNS_RR_TYPE_DS)) {
			snprintf(why, wlen, "the NSEC at the name lists DS");
			return DNS_PSIG_BOGUS;
		}
		if (!has_type(rr, LDNS_RR_TYPE_NS) ||
		    has_type(rr, LDNS_RR_TYPE_SOA)) {
			snprintf(why, wlen, "the NSEC at the name is not a "
			    "delegation's (NS bit %s, SOA bit %s)",
			    has_type(rr, LDNS_RR_TYPE_NS) ? "set" : "clear",
			    has_type(rr, LDNS_RR_TYPE_SOA) ? "set" : "clear");
			return DNS_PSIG_BOGUS;
		}
		res = check_one(pc, rr, auth, sub, sizeof(sub));
		if (res != DNS_PSIG_OK)
			snprintf(why, wlen, "NSEC: %s", sub);
		return res;
	}
	snprintf(why, wlen, "no NSEC record at the name");
	return DNS_PSIG_MISSING;
}

/* RFC 5155 §5: the hash of a name with the parameters of nsec3. */
static int
nsec3_hash(const ldns_rr *nsec3, const ldns_rdf *name, uint8_t *out)
{
	const ldns_rdf *saltf = ldns_rr_rdf(nsec3, 3);
	const uint8_t *salt = ldns_rdf_data(saltf) + 1;
	size_t saltlen = ldns_rdf_data(saltf)[0], n = ldns_rdf_size(name), i;
	uint8_t buf[LDNS_MAX_DOMAINLEN + 1 + 256];
	unsigned iter = ldns_nsec3_iterations(nsec3), k, dl;

	if (saltlen + 1 > ldns_rdf_size(saltf) || n > LDNS_MAX_DOMAINLEN + 1)
		return -1;
	memcpy(buf, ldns_rdf_data(name), n);
	for (i = 0; i < n; i++)       /* canonical: lower case (RFC 4034 §6.2) */
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (uint8_t)(buf[i] + 32);
	memcpy(buf + n, salt, saltlen);
	if (EVP_Digest(buf, n + saltlen, out, &dl, EVP_sha1(), NULL) != 1)
		return -1;
	for (k = 0; k < iter; k++) {
		memcpy(buf, out, NSEC3_HASH_LEN);
		memcpy(buf + NSEC3_HASH_LEN, salt, saltlen);
		if (EVP_Digest(buf, NSEC3_HASH_LEN + saltlen, out, &dl,
		    EVP_sha1(), NULL) != 1)
			return -1;
	}
	return 0;
}

/* The hash of an NSEC3's owner name (its first label, base32hex). */
static int
owner_hash(const ldns_rr *nsec3, const ldns_rdf *zone, uint8_t *out)
{
	const ldns_rdf *owner = ldns_rr_owner(nsec3);
	const uint8_t *d = ldns_rdf_data(owner);
	ldns_rdf *rest;
	uint8_t tmp[64];
	int n, same;

	if (ldns_rdf_size(owner) < 2 || d[0] == 0 || d[0] > 63 ||
	    (rest = ldns_dname_left_chop(owner)) == NULL)
		return -1;
	same = ldns_dname_compare(rest, zone) == 0;
	ldns_rdf_deep_free(rest);
	if (!same)
		return -1;
	n = ldns_b32_pton_extended_hex((const char *)d + 1, d[0], tmp,
	    sizeof(tmp));
	if (n != NSEC3_HASH_LEN)
		return -1;
	memcpy(out, tmp, NSEC3_HASH_LEN);
	return 0;
}

/* Does nsec3 (owner hash oh) cover hash h (RFC 5155 §8.3)? */
static int
nsec3_covers(const ldns_rr *nsec3, const uint8_t *oh, const uint8_t *h)
{
	const ldns_rdf *nf = ldns_rr_rdf(nsec3, 4);
	const uint8_t *next = ldns_rdf_data(nf) + 1;

	if (ldns_rdf_size(nf) != 1 + NSEC3_HASH_LEN ||
	    ldns_rdf_data(nf)[0] != NSEC3_HASH_LEN)
		return 0;
	if (memcmp(oh, next, NSEC3_HASH_LEN) < 0)
		return memcmp(oh, h, NSEC3_HASH_LEN) < 0 &&
		    memcmp(h, next, NSEC3_HASH_LEN) < 0;
	/* the last NSEC3 of the chain wraps around */
	return memcmp(h, oh, NSEC3_HASH_LEN) > 0 ||
	    memcmp(h, next, NSEC3_HASH_LEN) < 0;
}

/* The NSEC3 of auth that matches (cover 0) or covers (1) name. */
static ldns_rr *
nsec3_find(const ldns_rr_list *auth, const ldns_rdf *zone,
    const ldns_rdf *name, int cover)
{
	uint8_t h[NSEC3_HASH_LEN], oh[NSEC3_HASH_LEN];
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3 ||
		    ldns_rr_rd_count(rr) < 5 || ldns_nsec3_algorithm(rr) != 1 ||
		    owner_hash(rr, zone, oh) != 0 ||
		    nsec3_hash(rr, name, h) != 0)
			continue;
		if (!cover && memcmp(h, oh, NSEC3_HASH_LEN) == 0)
			return rr;
		if (cover && nsec3_covers(rr, oh, h))
			return rr;
	}
	return NULL;
}

/*
 * RFC 5155 §8.6: an NSEC3 matching the name without the DS (and CNAME)
 * bit; else the closest encloser proof (§8.3) with the NSEC3 that covers
 * the next closer name carrying the opt-out flag.
 */
static enum dns_psig
proof_nsec3(struct pcheck *pc, const ldns_rr_list *auth,
    const ldns_rdf *name, char *why, size_t wlen)
{
	ldns_rr *m = NULL, *cover = NULL, *first = NULL;
	ldns_rdf *ce = NULL, *next = NULL, *up;
	enum dns_psig res = DNS_PSIG_MISSING;
	char sub[120];
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(auth) && first == NULL; i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(auth, i)) ==
		    LDNS_RR_TYPE_NSEC3 &&
		    ldns_rr_rd_count(ldns_rr_list_rr(auth, i)) >= 5 &&
		    ldns_nsec3_algorithm(ldns_rr_list_rr(auth, i)) == 1)
			first = ldns_rr_list_rr(auth, i);
	if (first == NULL) {
		snprintf(why, wlen, "no NSEC3 record with a known hash "
		    "algorithm");
		return DNS_PSIG_MISSING;
	}
	for (i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NSEC3 &&
		    ldns_rr_rd_count(rr) >= 5 &&
		    ldns_nsec3_iterations(rr) > NSEC3_MAX_ITERATIONS) {
			snprintf(why, wlen, "NSEC3 with %u iterations, more "
			    "than %d (RFC 9276 §3.2): not checked",
			    ldns_nsec3_iterations(rr), NSEC3_MAX_ITERATIONS);
			return DNS_PSIG_UNCHECKED;
		}
	}
	if ((m = nsec3_find(auth, pc->zone, name, 0)) != NULL) {
		if (has_type(m, LDNS_RR_TYPE_DS) ||
		    has_type(m, LDNS_RR_TYPE_CNAME)) {
			snprintf(why, wlen, "the NSEC3 matching the name lists "
			    "%s", has_type(m, LDNS_RR_TYPE_DS) ? "DS" :
			    "CNAME");
			return DNS_PSIG_BOGUS;
		}
		res = check_one(pc, m, auth, sub, sizeof(sub));
		if (res != DNS_PSIG_OK)
			snprintf(why, wlen, "matching NSEC3: %s", sub);
		return res;
	}
	/* closest provable encloser: the nearest ancestor with a match */
	next = ldns_rdf_clone(name);
	while (next != NULL && (up = ldns_dname_left_chop(next)) != NULL) {
		if (ldns_dname_compare(up, pc->zone) != 0 &&
		    !ldns_dname_is_subdomain(up, pc->zone)) {
			ldns_rdf_deep_free(up);
			break;
		}
		if ((m = nsec3_find(auth, pc->zone, up, 0)) != NULL) {
			ce = up;
			break;
		}
		ldns_rdf_deep_free(next);
		next = up;
	}
	if (ce == NULL) {
		snprintf(why, wlen, "no NSEC3 matches the name or an "
		    "enclosing name (closest encloser proof missing)");
		goto out;
	}
	if ((cover = nsec3_find(auth, pc->zone, next, 1)) == NULL) {
		snprintf(why, wlen, "no NSEC3 matches the name and none "
		    "covers the next closer name");
		goto out;
	}
	if (!ldns_nsec3_optout(cover)) {
		res = DNS_PSIG_BOGUS;
		snprintf(why, wlen, "the NSEC3 covering the name has no "
		    "opt-out flag: it proves the delegation does not exist");
		goto out;
	}
	if ((res = check_one(pc, m, auth, sub, sizeof(sub))) != DNS_PSIG_OK) {
		snprintf(why, wlen, "closest encloser NSEC3: %s", sub);
		goto out;
	}
	if ((res = check_one(pc, cover, auth, sub, sizeof(sub))) !=
	    DNS_PSIG_OK)
		snprintf(why, wlen, "opt-out NSEC3 covering the name: %s", sub);
out:
	ldns_rdf_deep_free(ce);
	ldns_rdf_deep_free(next);
	return res;
}

/* One parent server's answer to DS: its result into s. */
static void
check_server(struct pcheck *pc, struct dns_server *s, const ldns_rdf *name)
{
	struct dns_reply *r = &s->r[DNS_Q_DS];
	const ldns_rr_list *auth = r->auth;
	int nsec3 = 0, nsec = 0;
	size_t i;

	if (ldns_rr_list_rr_count(r->rrs) > 0) {
		snprintf(s->psig_what, sizeof(s->psig_what), "RRSIG(DS)");
		s->psig = check_rrset(pc, r->rrs, r->sigs, s->psig_why,
		    sizeof(s->psig_why));
	} else {
		for (i = 0; i < ldns_rr_list_rr_count(auth); i++) {
			ldns_rr_type t = ldns_rr_get_type(ldns_rr_list_rr(auth,
			    i));

			if (t == LDNS_RR_TYPE_NSEC3)
				nsec3 = 1;
			else if (t == LDNS_RR_TYPE_NSEC)
				nsec = 1;
		}
		snprintf(s->psig_what, sizeof(s->psig_what), "no-DS proof%s",
		    nsec3 ? " (NSEC3)" : nsec ? " (NSEC)" : "");
		if (!nsec && !nsec3) {
			s->psig = DNS_PSIG_MISSING;
			snprintf(s->psig_why, sizeof(s->psig_why), "no NSEC "
			    "or NSEC3 record in the answer without DS");
		} else if (nsec3)
			s->psig = proof_nsec3(pc, auth, name, s->psig_why,
			    sizeof(s->psig_why));
		else
			s->psig = proof_nsec(pc, auth, name, s->psig_why,
			    sizeof(s->psig_why));
	}
	if (s->psig == DNS_PSIG_OK)
		s->psig_why[0] = '\0';
}

/* An earlier parent server with the very same answer: copy its result. */
static int
same_as_earlier(const struct dns_audit *a, size_t upto, struct dns_server *s)
{
	const struct dns_reply *r = &s->r[DNS_Q_DS];
	size_t i;

	for (i = 0; i < upto; i++) {
		const struct dns_server *e = &a->servers[i];
		const struct dns_reply *er = &e->r[DNS_Q_DS];

		if (e->role != DNS_PARENT || e->psig_what[0] == '\0' ||
		    ldns_rr_list_compare(er->rrs, r->rrs) != 0 ||
		    ldns_rr_list_compare(er->sigs, r->sigs) != 0 ||
		    (er->auth == NULL) != (r->auth == NULL) ||
		    (r->auth != NULL &&
		    ldns_rr_list_compare(er->auth, r->auth) != 0))
			continue;
		s->psig = e->psig;
		memcpy(s->psig_what, e->psig_what, sizeof(s->psig_what));
		memcpy(s->psig_why, e->psig_why, sizeof(s->psig_why));
		return 1;
	}
	return 0;
}

int
dns_parent_sigs_judge(struct dns_audit *a, time_t now, int is_signed,
    int *failed)
{
	const struct dns_parent_keys *pk = a->parent_keys;
	struct pcheck pc;
	ldns_rdf *zone = NULL, *name = NULL;
	size_t i;
	int rc = 0;

	*failed = 0;
	if (pk == NULL)
		return 0;
	if (pk->keys == NULL) {
		const char *why = pk->err != NULL ? pk->err :
		    "the parent's DNSKEY RRset is not validated";

		for (i = 0; i < a->nservers; i++)
			if (a->servers[i].role == DNS_PARENT)
				snprintf(a->servers[i].psig_why,
				    sizeof(a->servers[i].psig_why), "%s", why);
		return dns_audit_finding(a, "the parent's signatures over the "
		    "delegation were not checked: %s", why);
	}
	if ((zone = ldns_dname_new_frm_str(pk->zone)) == NULL ||
	    (name = ldns_dname_new_frm_str(a->domain)) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	memset(&pc, 0, sizeof(pc));
	pc.keys = pk->keys;
	pc.zone = zone;
	pc.now = now;
	for (i = 0; i < a->nservers; i++) {
		struct dns_server *s = &a->servers[i];
		const struct dns_reply *r = &s->r[DNS_Q_DS];

		if (s->role != DNS_PARENT || r->status != 0 || !r->aa ||
		    r->rcode != LDNS_RCODE_NOERROR)
			continue;
		pc.checks = 0;
		if (!same_as_earlier(a, i, s))
			check_server(&pc, s, name);
		if (s->psig == DNS_PSIG_OK)
			continue;
		if (s->psig == DNS_PSIG_UNCHECKED) {
			rc = dns_audit_finding(a, "parent server %s (%s): %s not "
			    "checked: %s", s->name, s->addr.text, s->psig_what,
			    s->psig_why);
			if (rc != 0)
				goto out;
			continue;
		}
		*failed = 1;
		if (a->parent_problem == NULL &&
		    asprintf(&a->parent_problem, "parent server %s (%s): %s "
		    "%s: %s", s->name, s->addr.text, s->psig_what,
		    dns_psig_name(s->psig), s->psig_why) < 0) {
			a->parent_problem = NULL;
			rc = DSREG_ENOMEM;
			goto out;
		}
		rc = dns_audit_finding(a, "parent server %s (%s): %s %s: %s; "
		    "%s", s->name, s->addr.text, s->psig_what,
		    s->psig == DNS_PSIG_MISSING ? "missing" :
		    s->psig == DNS_PSIG_BOGUS ? "bogus (does not validate)" :
		    dns_psig_name(s->psig), s->psig_why, is_signed ?
		    "validating resolvers asking it fail the domain (SERVFAIL)" :
		    "validating resolvers asking it cannot prove the "
		    "delegation insecure and fail the domain (SERVFAIL); the "
		    "parent must fix it");
		if (rc != 0)
			goto out;
	}
out:
	ldns_rdf_deep_free(zone);
	ldns_rdf_deep_free(name);
	return rc;
}
