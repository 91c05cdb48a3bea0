/* tests/unit/test_dns_verdict.c - dns/verdict.c: every verdict from constructed, really signed server answers, from the scenario files in tests/unit/data/dns_verdict */
#include "tests/unit/check_main.h"
#include "tests/unit/casefile.h"
#include "dns/dns.h"
#include "dns/plan.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#define CASES "tests/unit/data/dns_verdict"

#define ZONE "example.test."
#define PARENT "test."

/* The keys of the little world: bit masks. */
enum { K_KSK = 1, K_ZSK = 2, K_KSK2 = 4, K_OTHER = 8, NKEYS = 4 };
#define KZ (K_KSK | K_ZSK)

struct world {
	ldns_key *k[NKEYS];
	ldns_rr *rr[NKEYS];       /* DNSKEY records */
	struct ds_key *dk[NKEYS];
	time_t now;
};

static void
world_init(struct world *w)
{
	static const uint16_t flags[NKEYS] = { 257, 256, 257, 257 };
	ldns_rdf *owner = ldns_dname_new_frm_str(ZONE);
	int i;

	memset(w, 0, sizeof(*w));
	w->now = time(NULL);
	for (i = 0; i < NKEYS; i++) {
		w->k[i] = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256,
		    256);
		ck_assert_ptr_nonnull(w->k[i]);
		ldns_key_set_pubkey_owner(w->k[i], ldns_rdf_clone(owner));
		ldns_key_set_flags(w->k[i], flags[i]);
		w->rr[i] = ldns_key2rr(w->k[i]);
		ck_assert_ptr_nonnull(w->rr[i]);
		ldns_rr_set_ttl(w->rr[i], 3600);
		ldns_key_set_keytag(w->k[i], ldns_calc_keytag(w->rr[i]));
		ck_assert_int_eq(ds_key_from_ldns(&w->dk[i], w->rr[i], NULL), 0);
	}
	ldns_rdf_deep_free(owner);
}

static void
world_free(struct world *w)
{
	int i;

	for (i = 0; i < NKEYS; i++) {
		ldns_key_deep_free(w->k[i]);
		ldns_rr_free(w->rr[i]);
		ds_key_free(w->dk[i]);
	}
}

static ldns_rr *
ds_rr(const struct world *w, int i, int digest, int alg_override)
{
	struct ds_rec *d;
	char *t, line[400];
	ldns_rr *rr = NULL;

	ck_assert_int_eq(ds_compute(&d, w->dk[i], (enum ds_digest)digest,
	    NULL), 0);
	if (alg_override)
		d->algorithm = (uint8_t)alg_override;
	t = ds_rec_rdata_text(d);
	snprintf(line, sizeof(line), "%s 3600 IN DS %s", ZONE, t);
	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL),
	    LDNS_STATUS_OK);
	free(t);
	ds_rec_free(d);
	return rr;
}

static void
ok_reply(struct dns_reply *r)
{
	r->status = 0;
	r->aa = 1;
	r->rcode = LDNS_RCODE_NOERROR;
	r->rrs = ldns_rr_list_new();
	r->sigs = ldns_rr_list_new();
}

static struct dns_addr
addr(const char *text)
{
	struct dns_addr a;

	ck_assert_int_eq(dns_addr_parse(text, &a, NULL), 0);
	return a;
}

/* What one child server serves (the C-built cases; files say it in words). */
struct cspec {
	unsigned keys;            /* DNSKEY served: K_* bits */
	unsigned signers;         /* of those, the keys that sign the RRset */
	int expired;              /* the RRSIGs have expired */
	int state;                /* 0 answers, 1 REFUSED, 2 times out */
	int cds_delete;           /* CDS 0 0 0 00 */
	unsigned cds_keys;        /* CDS for these keys */
};

/* A parent server's answer to DS (NOERROR, AA) and to NS. */
static void
fill_parent(const struct world *w, struct dns_server *s, unsigned mask)
{
	int i;

	ok_reply(&s->r[DNS_Q_DS]);
	for (i = 0; i < NKEYS; i++)
		if (mask & (1u << i))
			ldns_rr_list_push_rr(s->r[DNS_Q_DS].rrs, ds_rr(w, i, 2, 0));
	s->r[DNS_Q_NS].status = 0;
	s->r[DNS_Q_NS].rcode = LDNS_RCODE_NOERROR;
}

static void
fill_child(const struct world *w, struct dns_server *s,
    const struct cspec *tc)
{
	unsigned keys = tc->keys;
	int state = tc->state;
	ldns_key_list *kl = ldns_key_list_new();
	ldns_rr_list *sigs;
	ldns_rr *rr;
	int i;

	if (state == 2) {
		s->r[DNS_Q_DNSKEY].status = DSREG_ETIMEOUT;
		strcpy(s->r[DNS_Q_DNSKEY].err, "no answer after all tries");
		s->r[DNS_Q_CDS] = s->r[DNS_Q_DNSKEY];
		s->r[DNS_Q_CDNSKEY] = s->r[DNS_Q_DNSKEY];
		ldns_key_list_free(kl);
		return;
	}
	for (i = 0; i < 3; i++) {
		ok_reply(&s->r[i]);
		if (state == 1) {
			s->r[i].aa = 0;
			s->r[i].rcode = LDNS_RCODE_REFUSED;
		}
	}
	if (state == 1) {
		ldns_key_list_free(kl);
		return;
	}
	for (i = 0; i < NKEYS; i++)
		if (keys & (1u << i))
			ldns_rr_list_push_rr(s->r[DNS_Q_DNSKEY].rrs,
			    ldns_rr_clone(w->rr[i]));
	for (i = 0; i < NKEYS; i++)
		if ((tc->signers & (1u << i)) && (keys & (1u << i))) {
			ldns_key_set_inception(w->k[i], (uint32_t)(w->now -
			    (tc->expired ? 20 : 1) * 86400));
			ldns_key_set_expiration(w->k[i], (uint32_t)(w->now +
			    (tc->expired ? -10 : 10) * 86400));
			ldns_key_list_push_key(kl, w->k[i]);
		}
	if (ldns_key_list_key_count(kl) > 0 &&
	    ldns_rr_list_rr_count(s->r[DNS_Q_DNSKEY].rrs) > 0) {
		sigs = ldns_sign_public(s->r[DNS_Q_DNSKEY].rrs, kl);
		ck_assert_ptr_nonnull(sigs);
		ldns_rr_list_cat(s->r[DNS_Q_DNSKEY].sigs, sigs);
		ldns_rr_list_free(sigs);
	}
	ldns_key_list_set_key_count(kl, 0);  /* the keys stay in w */
	ldns_key_list_free(kl);
	if (tc->cds_delete) {
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, ZONE " 3600 IN CDS 0 0 0 00",
		    0, NULL, NULL), LDNS_STATUS_OK);
		ldns_rr_list_push_rr(s->r[DNS_Q_CDS].rrs, rr);
	}
	for (i = 0; i < NKEYS; i++)
		if (tc->cds_keys & (1u << i)) {
			rr = ds_rr(w, i, 2, 0);
			ldns_rr_set_type(rr, LDNS_RR_TYPE_CDS);
			ldns_rr_list_push_rr(s->r[DNS_Q_CDS].rrs, rr);
		}
}

/* How parent server 2 signs (server 1 always signs right). */
enum phow {
	P_FINE = 0, P_EXPIRED, P_NOT_YET, P_BOGUS, P_MISSING, P_FOREIGN_KEY,
	P_NSEC_DS_BIT, P_NO_PROOF, P_OPTOUT, P_NO_OPTOUT
};

/* The parent zone's key and what the resolver validated. */
struct pworld {
	ldns_key *k, *foreign;
	struct dns_parent_keys keys;
	time_t now;
};

static ldns_key *
parent_key(void)
{
	ldns_rdf *owner = ldns_dname_new_frm_str(PARENT);
	ldns_key *k = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	ldns_rr *rr;

	ck_assert_ptr_nonnull(k);
	ldns_key_set_pubkey_owner(k, owner);
	ldns_key_set_flags(k, 256);
	rr = ldns_key2rr(k);
	ldns_key_set_keytag(k, ldns_calc_keytag(rr));
	ldns_rr_free(rr);
	return k;
}

static void
pworld_init(struct pworld *p, time_t now, int unvalidated)
{
	memset(p, 0, sizeof(*p));
	p->now = now;
	p->k = parent_key();
	p->foreign = parent_key();
	p->keys.zone = strdup(PARENT);
	if (unvalidated)
		p->keys.err = strdup("resolver 192.0.2.99 does not validate");
	else {
		p->keys.keys = ldns_rr_list_new();
		ldns_rr_list_push_rr(p->keys.keys, ldns_key2rr(p->k));
	}
}

static void
pworld_free(struct pworld *p)
{
	ldns_key_deep_free(p->k);
	ldns_key_deep_free(p->foreign);
	free(p->keys.zone);
	free(p->keys.err);
	ldns_rr_list_deep_free(p->keys.keys);
}

/* RRSIGs over rrset by the parent's key into `into`, as `how` says. */
static void
psign(struct pworld *p, ldns_rr_list *rrset, ldns_rr_list *into,
    enum phow how)
{
	ldns_key_list *kl = ldns_key_list_new();
	ldns_key *k = how == P_FOREIGN_KEY ? p->foreign : p->k;
	ldns_rr_list *sigs;
	size_t i;

	if (how == P_MISSING)
		goto out;
	ldns_key_set_inception(k, (uint32_t)(p->now - (how == P_EXPIRED ?
	    20 : how == P_NOT_YET ? -2 : 1) * 86400));
	ldns_key_set_expiration(k, (uint32_t)(p->now + (how == P_EXPIRED ?
	    -10 : 10) * 86400));
	ldns_key_list_push_key(kl, k);
	sigs = ldns_sign_public(rrset, kl);
	ck_assert_ptr_nonnull(sigs);
	if (how == P_BOGUS)
		for (i = 0; i < ldns_rr_list_rr_count(sigs); i++)
			ldns_rdf_data(ldns_rr_rdf(ldns_rr_list_rr(sigs, i),
			    8))[10] ^= 0xff;
	ldns_rr_list_cat(into, sigs);
	ldns_rr_list_free(sigs);
	ldns_key_list_set_key_count(kl, 0);
out:
	ldns_key_list_free(kl);
}

static ldns_rr *
rr_str(const char *fmt, const char *a, const char *b)
{
	char line[512];
	ldns_rr *rr = NULL;

	snprintf(line, sizeof(line), fmt, a, b);
	ck_assert_msg(ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) ==
	    LDNS_STATUS_OK, "bad test record %s", line);
	return rr;
}

/* The NSEC3 owner label of name (SHA-1, no salt, no iterations). */
static void
hash_label(const char *name, char *out, size_t len)
{
	ldns_rdf *n = ldns_dname_new_frm_str(name), *h;
	char *t;

	h = ldns_nsec3_hash_name(n, 1, 0, 0, NULL);
	t = ldns_rdf2str(h);
	snprintf(out, len, "%.32s", t);
	free(t);
	ldns_rdf_deep_free(h);
	ldns_rdf_deep_free(n);
}

/* One record and its RRSIGs (as `how` says) into list. */
static void
push_signed(struct pworld *p, ldns_rr_list *list, ldns_rr *rr, enum phow how)
{
	ldns_rr_list *set = ldns_rr_list_new();

	ldns_rr_list_push_rr(set, rr);
	psign(p, set, list, how);
	ldns_rr_list_push_rr(list, rr);
	ldns_rr_list_free(set);
}

/* The NODATA answer's authority section: the proof that there is no DS. */
static void
fill_denial(struct pworld *p, struct dns_reply *r, int nsec3, enum phow how)
{
	enum phow sig = how == P_NSEC_DS_BIT || how == P_OPTOUT ||
	    how == P_NO_OPTOUT ? P_FINE : how;
	char h[40], apex[40];

	r->auth = ldns_rr_list_new();
	if (how == P_NO_PROOF)
		return;
	if (!nsec3) {
		push_signed(p, r->auth, rr_str("%s 3600 IN NSEC zz." PARENT
		    " NS RRSIG NSEC%s", ZONE, how == P_NSEC_DS_BIT ? " DS" :
		    ""), sig);
		return;
	}
	hash_label(ZONE, h, sizeof(h));
	hash_label(PARENT, apex, sizeof(apex));
	if (how == P_OPTOUT || how == P_NO_OPTOUT) {
		/* a chain of two: 0...0 -> test. -> (wrap) 0...0; one of the
		 * two covers the name's hash; the closest encloser is test. */
		const char *fl = how == P_OPTOUT ? "1" : "0";
		char line[300];

		snprintf(line, sizeof(line), "%%s." PARENT " 3600 IN NSEC3 1 %s "
		    "0 - 00000000000000000000000000000000 NS SOA RRSIG DNSKEY "
		    "NSEC3PARAM%%s", fl);
		push_signed(p, r->auth, rr_str(line, apex, ""), sig);
		snprintf(line, sizeof(line), "%%s." PARENT " 3600 IN NSEC3 1 %s "
		    "0 - %%s", fl);
		push_signed(p, r->auth, rr_str(line,
		    "00000000000000000000000000000000", apex), sig);
		return;
	}
	push_signed(p, r->auth, rr_str("%s." PARENT " 3600 IN NSEC3 1 0 0 - "
	    "VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV NS RRSIG%s", h,
	    how == P_NSEC_DS_BIT ? " DS" : ""), sig);
}

/* ---- the scenario files ------------------------------------------------ */

static const char *const key_names[NKEYS] = { "ksk", "zsk", "ksk2", "other" };

static const char *const how_names[] = { "fine", "expired", "not-yet",
	"bogus", "missing", "foreign-key", "ds-bit", "no-proof", "optout",
	"no-optout", NULL };

/* Index of word in a NULL-terminated list; the test fails if it is not. */
static int
word(const struct casefile *cf, const struct case_line *l,
    const char *const *list, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n && list[i] != NULL; i++)
		if (strcmp(list[i], w) == 0)
			return (int)i;
	ck_abort_msg("%s:%d: unknown word '%s'", cf->path, l->lineno, w);
	return -1;
}

#define KEY(w) word(cf, l, key_names, NKEYS, (w))

/* Words of l from *i on up to the next keyword (a word in stop). */
static int
upto(const struct case_line *l, int i, const char *const *stop)
{
	size_t k;

	for (; i < l->ntok; i++)
		for (k = 0; stop[k] != NULL; k++)
			if (strcmp(l->tok[i], stop[k]) == 0)
				return i;
	return i;
}

static const char *const parent_words[] = { "ds", "rcode", "denial", "sig",
	NULL };
static const char *const child_words[] = { "dnskey", "sign", "expired",
	"cds", "refused", "timeout", NULL };

/*
 * parent NAME ADDR [ds ITEM...] [rcode RCODE] [denial nsec|nsec3]
 *     [sig HOW]
 * ITEM: a key (SHA-256 DS), KEY/sha1 (SHA-1 DS), KEY/alg8 (SHA-256 DS
 * whose algorithm field says 8).
 */
static void
parent_line(const struct casefile *cf, const struct case_line *l,
    struct world *w, struct pworld *p, int have_p, struct dns_audit *a)
{
	struct dns_server *s;
	struct dns_addr ad;
	int i, end, k, nsec3 = -1, nds = 0;
	enum phow how = P_FINE;
	int sig = 0;

	ck_assert_msg(l->ntok >= 3, "%s:%d: parent NAME ADDR ...", cf->path,
	    l->lineno);
	ck_assert_msg(dns_addr_parse(l->tok[2], &ad, NULL) == 0,
	    "%s:%d: bad address", cf->path, l->lineno);
	s = dns_audit_add_server(a, DNS_PARENT, l->tok[1], &ad);
	ck_assert_ptr_nonnull(s);
	fill_parent(w, s, 0);
	for (i = 3; i < l->ntok; i = end) {
		const char *kw = l->tok[i++];

		end = upto(l, i, parent_words);
		if (strcmp(kw, "ds") == 0) {
			for (; i < end; i++) {
				char item[32], *slash;
				int digest = 2, alg = 0;

				snprintf(item, sizeof(item), "%s", l->tok[i]);
				if ((slash = strchr(item, '/')) != NULL) {
					*slash++ = '\0';
					if (strcmp(slash, "sha1") == 0)
						digest = 1;
					else if (strcmp(slash, "alg8") == 0)
						alg = 8;
					else
						ck_abort_msg("%s:%d: '%s'",
						    cf->path, l->lineno, l->tok[i]);
				}
				k = KEY(item);
				ldns_rr_list_push_rr(s->r[DNS_Q_DS].rrs,
				    ds_rr(w, k, digest, alg));
				nds++;
			}
		} else if (strcmp(kw, "rcode") == 0 && end == i + 1) {
			ldns_lookup_table *t = ldns_lookup_by_name(
			    ldns_rcodes, l->tok[i]);

			ck_assert_msg(t != NULL, "%s:%d: rcode", cf->path,
			    l->lineno);
			s->r[DNS_Q_DS].rcode = t->id;
		} else if (strcmp(kw, "denial") == 0 && end == i + 1) {
			nsec3 = strcmp(l->tok[i], "nsec3") == 0;
			ck_assert_msg(nsec3 || strcmp(l->tok[i], "nsec") == 0,
			    "%s:%d: denial nsec|nsec3", cf->path, l->lineno);
		} else if (strcmp(kw, "sig") == 0 && end == i + 1) {
			how = (enum phow)word(cf, l, how_names, 99, l->tok[i]);
			sig = 1;
		} else
			ck_abort_msg("%s:%d: '%s' takes other words", cf->path,
			    l->lineno, kw);
	}
	if (!sig && nsec3 < 0)
		return;
	ck_assert_msg(have_p, "%s:%d: sig/denial need parent-keys first",
	    cf->path, l->lineno);
	if (nds > 0)
		psign(p, s->r[DNS_Q_DS].rrs, s->r[DNS_Q_DS].sigs, how);
	else
		fill_denial(p, &s->r[DNS_Q_DS], nsec3 > 0, how);
}

/*
 * child NAME ADDR [dnskey KEY...] [sign KEY...] [expired]
 *     [cds KEY...|delete] [refused] [timeout]
 */
static void
child_line(const struct casefile *cf, const struct case_line *l,
    struct world *w, struct dns_audit *a)
{
	struct cspec c;
	struct dns_server *s;
	struct dns_addr ad;
	int i, end;

	ck_assert_msg(l->ntok >= 3, "%s:%d: child NAME ADDR ...", cf->path,
	    l->lineno);
	ck_assert_msg(dns_addr_parse(l->tok[2], &ad, NULL) == 0,
	    "%s:%d: bad address", cf->path, l->lineno);
	memset(&c, 0, sizeof(c));
	for (i = 3; i < l->ntok; i = end) {
		const char *kw = l->tok[i++];

		end = upto(l, i, child_words);
		if (strcmp(kw, "dnskey") == 0)
			for (; i < end; i++)
				c.keys |= 1u << KEY(l->tok[i]);
		else if (strcmp(kw, "sign") == 0)
			for (; i < end; i++)
				c.signers |= 1u << KEY(l->tok[i]);
		else if (strcmp(kw, "cds") == 0)
			for (; i < end; i++)
				if (strcmp(l->tok[i], "delete") == 0)
					c.cds_delete = 1;
				else
					c.cds_keys |= 1u << KEY(l->tok[i]);
		else if (strcmp(kw, "expired") == 0 && end == i)
			c.expired = 1;
		else if (strcmp(kw, "refused") == 0 && end == i)
			c.state = 1;
		else if (strcmp(kw, "timeout") == 0 && end == i)
			c.state = 2;
		else
			ck_abort_msg("%s:%d: '%s' takes other words", cf->path,
			    l->lineno, kw);
	}
	ck_assert_msg((c.signers & ~c.keys) == 0, "%s:%d: a key that signs "
	    "must be served", cf->path, l->lineno);
	s = dns_audit_add_server(a, DNS_CHILD, l->tok[1], &ad);
	ck_assert_ptr_nonnull(s);
	fill_child(w, s, &c);
}

/* Is there a finding that contains frag? */
static int
found(const struct dns_audit *a, const char *frag)
{
	size_t i;

	for (i = 0; i < a->nfindings; i++)
		if (strstr(a->findings[i], frag) != NULL)
			return 1;
	return 0;
}

static struct dns_server *
server(const struct casefile *cf, const struct case_line *l,
    struct dns_audit *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->nservers; i++)
		if (strcmp(a->servers[i].name, name) == 0)
			return &a->servers[i];
	ck_abort_msg("%s:%d: no server %s", cf->path, l->lineno, name);
	return NULL;
}

/* The plan made from the judged audit (as cli/plan.c hands it over). */
static void
plan_of(const struct dns_audit *a, time_t now, struct dns_plan *plan)
{
	struct dns_plan_facts f;

	memset(&f, 0, sizeof(f));
	f.verdict = a->verdict;
	f.parent_ds = &a->parent_ds;
	f.validating = &a->valid_ds;
	f.target = &a->expected_ds;
	f.target_problem = a->target_problem;
	f.parent_problem = a->parent_problem;
	f.now = now;
	ck_assert_int_eq(dns_plan_make(&f, plan), 0);
}

/* expect ... lines, after the judgement. */
static void
expect_line(const struct casefile *cf, const struct case_line *l,
    struct world *w, struct dns_audit *a)
{
	const char *what = l->ntok > 1 ? l->tok[1] : "";
	char tag[16];
	int i, n = l->ntok;

	if (strcmp(what, "verdict") == 0 && n == 3) {
		int v = dns_verdict_from_name(l->tok[2]);

		ck_assert_msg(v >= 0, "%s:%d: no verdict '%s'", cf->path,
		    l->lineno, l->tok[2]);
		if (a->verdict != (enum dns_verdict)v)
			for (size_t k = 0; k < a->nfindings; k++)
				fprintf(stderr, "  %s: finding: %s\n", cf->path,
				    a->findings[k]);
		ck_assert_msg(a->verdict == (enum dns_verdict)v, "%s:%d: "
		    "verdict %s, expected %s", cf->path, l->lineno,
		    dns_verdict_name(a->verdict), l->tok[2]);
	} else if (strcmp(what, "finding") == 0 && n == 3)
		ck_assert_msg(found(a, l->tok[2]), "%s:%d: no finding contains "
		    "'%s'", cf->path, l->lineno, l->tok[2]);
	else if (strcmp(what, "no-finding") == 0 && n == 3)
		ck_assert_msg(!found(a, l->tok[2]), "%s:%d: a finding contains "
		    "'%s'", cf->path, l->lineno, l->tok[2]);
	else if (strcmp(what, "finding-key") == 0 && n == 3) {
		snprintf(tag, sizeof(tag), "%u",
		    w->dk[KEY(l->tok[2])]->key_tag);
		ck_assert_msg(found(a, tag), "%s:%d: no finding names key tag "
		    "%s", cf->path, l->lineno, tag);
	} else if (strcmp(what, "findings") == 0 && n == 3)
		ck_assert_msg(a->nfindings == strtoul(l->tok[2], NULL, 10),
		    "%s:%d: %zu findings", cf->path, l->lineno, a->nfindings);
	else if (strcmp(what, "psig") == 0 && n == 4) {
		const struct dns_server *s = server(cf, l, a, l->tok[2]);

		ck_assert_msg(strcmp(dns_psig_name(s->psig), l->tok[3]) == 0,
		    "%s:%d: %s: %s, expected %s (%s)", cf->path, l->lineno,
		    s->name, dns_psig_name(s->psig), l->tok[3], s->psig_why);
	} else if (strcmp(what, "parent-problem") == 0 && n == 3)
		ck_assert_msg((a->parent_problem != NULL) ==
		    (strcmp(l->tok[2], "yes") == 0), "%s:%d: parent problem: "
		    "%s", cf->path, l->lineno, a->parent_problem ?
		    a->parent_problem : "none");
	else if ((strcmp(what, "plan") == 0 || strcmp(what, "plan-not") == 0)
	    && n >= 3) {
		struct dns_plan plan;
		int is;

		plan_of(a, w->now, &plan);
		is = strcmp(dns_plan_kind_name(plan.kind), l->tok[2]) == 0;
		ck_assert_msg(is == (what[4] == '\0'), "%s:%d: plan %s",
		    cf->path, l->lineno, dns_plan_kind_name(plan.kind));
		for (i = 3; i < n; i++)
			ck_assert_msg(plan.nnotes > 0 && strstr(plan.notes[0],
			    l->tok[i]) != NULL, "%s:%d: first note lacks '%s'",
			    cf->path, l->lineno, l->tok[i]);
		dns_plan_free(&plan);
	} else
		ck_abort_msg("%s:%d: unknown expectation", cf->path, l->lineno);
}

/*
 * Build the audit a case file describes, judge it, check every expect
 * line; judge again: the same verdict, findings and parent results.
 */
static void
run_case_file(const char *name)
{
	struct casefile cf;
	struct world w;
	struct pworld p;
	struct dns_audit *a;
	struct dns_judge_opts jo;
	const struct ds_key *store[NKEYS];
	char *our[8];
	enum dns_psig psig[16];
	size_t i, nf;
	int have_p = 0, k, judged = 0;

	casefile_read(&cf, CASES, name);
	world_init(&w);
	memset(&jo, 0, sizeof(jo));
	jo.now = w.now;
	ck_assert_int_eq(dns_audit_new(&a, ZONE), 0);
	a->parent = strdup(PARENT);
	for (i = 0; i < cf.nlines; i++) {
		const struct case_line *l = &cf.lines[i];
		const char *kw = l->tok[0];

		ck_assert_msg(!judged || strcmp(kw, "expect") == 0, "%s:%d: "
		    "'%s' after the first expect", cf.path, l->lineno, kw);
		if (strcmp(kw, "parent-keys") == 0) {
			ck_assert_msg(!have_p && l->ntok >= 2, "%s:%d",
			    cf.path, l->lineno);
			pworld_init(&p, w.now, strcmp(l->tok[1],
			    "unvalidated") == 0);
			if (l->ntok > 2 && p.keys.err != NULL) {
				free(p.keys.err);
				p.keys.err = strdup(l->tok[2]);
			}
			a->parent_keys = &p.keys;
			have_p = 1;
		} else if (strcmp(kw, "parent") == 0)
			parent_line(&cf, l, &w, &p, have_p, a);
		else if (strcmp(kw, "child") == 0)
			child_line(&cf, l, &w, a);
		else if (strcmp(kw, "deleg") == 0)
			for (k = 1; k < l->ntok; k++)
				ck_assert_int_eq(dns_audit_add_deleg(a,
				    l->tok[k]), 0);
		else if (strcmp(kw, "error") == 0 && l->ntok == 2)
			a->error = strdup(l->tok[1]);
		else if (strcmp(kw, "store") == 0) {
			jo.have_store = 1;
			for (k = 1; k < l->ntok && k <= NKEYS; k++)
				store[jo.nstore_keys++] = w.dk[word(&cf, l,
				    key_names, NKEYS, l->tok[k])];
			jo.store_keys = store;
		} else if (strcmp(kw, "our-ns") == 0) {
			for (k = 1; k < l->ntok && k <= 8; k++)
				our[jo.nour_ns++] = l->tok[k];
			jo.our_ns = our;
		} else if (strcmp(kw, "expect") == 0) {
			if (!judged) {
				ck_assert_int_eq(dns_judge(a, &jo), 0);
				judged = 1;
			}
			expect_line(&cf, l, &w, a);
		} else
			ck_abort_msg("%s:%d: unknown line '%s'", cf.path,
			    l->lineno, kw);
	}
	ck_assert_msg(judged, "%s: no expect line", cf.path);
	/* judging twice gives the same result (findings are replaced) */
	nf = a->nfindings;
	k = (int)a->verdict;
	ck_assert_uint_le(a->nservers, 16);
	for (i = 0; i < a->nservers; i++)
		psig[i] = a->servers[i].psig;
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	ck_assert_uint_eq(a->nfindings, nf);
	ck_assert_int_eq(a->verdict, k);
	for (i = 0; i < a->nservers; i++)
		ck_assert_int_eq(a->servers[i].psig, psig[i]);
	dns_audit_free(a);
	if (have_p)
		pworld_free(&p);
	world_free(&w);
	casefile_free(&cf);
}

static char **case_names;
static size_t ncases;

START_TEST(verdict_cases)
{
	run_case_file(case_names[_i]);
}
END_TEST

/* Every verdict has a case, and the cases were found at all. */
START_TEST(every_verdict_covered)
{
	int seen[DNS_V_COUNT] = { 0 };
	struct casefile cf;
	size_t i, k;
	int v;

	ck_assert_msg(ncases > 0, "no %s/*.case (run from the source tree)",
	    CASES);
	for (i = 0; i < ncases; i++) {
		casefile_read(&cf, CASES, case_names[i]);
		for (k = 0; k < cf.nlines; k++)
			if (cf.lines[k].ntok == 3 && strcmp(cf.lines[k].tok[0],
			    "expect") == 0 && strcmp(cf.lines[k].tok[1],
			    "verdict") == 0 && (v = dns_verdict_from_name(
			    cf.lines[k].tok[2])) >= 0)
				seen[v] = 1;
		casefile_free(&cf);
	}
	for (v = 0; v < DNS_V_COUNT; v++)
		ck_assert_msg(seen[v], "no case for %s",
		    dns_verdict_name((enum dns_verdict)v));
}
END_TEST

START_TEST(expected_ds_digests)
{
	struct world w;
	struct dns_audit *a;
	struct dns_addr p1 = addr("192.0.2.53"), c1 = addr("192.0.2.1");
	struct dns_judge_opts jo;
	const struct ds_key *store[1];
	static const uint8_t dg[] = { DS_DIGEST_SHA256, DS_DIGEST_SHA384 };
	struct cspec tc = { KZ, K_KSK, 0, 0, 0, 0 };

	world_init(&w);
	ck_assert_int_eq(dns_audit_new(&a, "Example.TEST"), 0);
	ck_assert_str_eq(a->domain, ZONE);
	a->parent = strdup(PARENT);
	fill_parent(&w, dns_audit_add_server(a, DNS_PARENT, "ns1.nic.test.",
	    &p1), K_KSK);
	dns_audit_add_deleg(a, "NS1.example.net");
	dns_audit_add_deleg(a, "ns1.example.net.");
	ck_assert_uint_eq(a->ndeleg, 1);
	fill_child(&w, dns_audit_add_server(a, DNS_CHILD, "ns1.example.net.",
	    &c1), &tc);
	memset(&jo, 0, sizeof(jo));
	jo.now = w.now;
	jo.have_store = 1;
	store[0] = w.dk[0];
	jo.store_keys = store;
	jo.nstore_keys = 1;
	jo.digests = dg;
	jo.ndigests = 2;
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	ck_assert_int_eq(a->verdict, DNS_V_OK);
	ck_assert_uint_eq(a->expected_ds.n, 2);
	ck_assert_uint_eq(a->parent_ds.n, 1);
	ck_assert_int_eq(a->expected_ds.v[0]->key_tag, w.dk[0]->key_tag);
	dns_audit_free(a);
	world_free(&w);
}
END_TEST

/*
 * A new audit of ZONE: one parent server publishing the DS of K_KSK, one
 * child server serving what tc says.  Returns the child server; the audit
 * goes to *out (dns_audit_free).
 */
static struct dns_server *
one_child(struct world *w, struct dns_audit **out, const struct cspec *tc)
{
	struct dns_addr p1 = addr("192.0.2.53"), c1 = addr("192.0.2.1");
	struct dns_audit *a;
	struct dns_server *s;

	ck_assert_int_eq(dns_audit_new(&a, ZONE), 0);
	a->parent = strdup(PARENT);
	fill_parent(w, dns_audit_add_server(a, DNS_PARENT, "ns1.nic.test.",
	    &p1), K_KSK);
	dns_audit_add_deleg(a, "ns1.example.net.");
	s = dns_audit_add_server(a, DNS_CHILD, "ns1.example.net.", &c1);
	fill_child(w, s, tc);
	*out = a;
	return s;
}

/*
 * dns_judge is pure: it reads the answers and changes none of them (the
 * records of a server stay in the order the server sent them).
 */
START_TEST(judge_leaves_answers_alone)
{
	struct world w;
	struct dns_audit *a;
	struct dns_server *s;
	struct dns_judge_opts jo;
	struct cspec tc = { KZ | K_KSK2, K_KSK | K_KSK2, 0, 0, 0, 0 };
	ldns_rr *before[2][8];
	ldns_rr_list *l[2];
	size_t i, n[2];
	int k;

	world_init(&w);
	s = one_child(&w, &a, &tc);
	l[0] = s->r[DNS_Q_DNSKEY].rrs;
	l[1] = s->r[DNS_Q_DNSKEY].sigs;
	for (k = 0; k < 2; k++) {
		/* reversed, then unsorted in canonical order for sure */
		n[k] = ldns_rr_list_rr_count(l[k]);
		ck_assert_uint_ge(n[k], 2);
		ldns_rr_list_sort(l[k]);
		for (i = 0; i < n[k] / 2; i++) {
			ldns_rr *t = ldns_rr_list_rr(l[k], i);

			ldns_rr_list_set_rr(l[k], ldns_rr_list_rr(l[k],
			    n[k] - 1 - i), i);
			ldns_rr_list_set_rr(l[k], t, n[k] - 1 - i);
		}
		for (i = 0; i < n[k]; i++)
			before[k][i] = ldns_rr_list_rr(l[k], i);
	}
	memset(&jo, 0, sizeof(jo));
	jo.now = w.now;
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	ck_assert_int_eq(a->verdict, DNS_V_INCOMPLETE);
	for (k = 0; k < 2; k++)
		for (i = 0; i < n[k]; i++)
			ck_assert_msg(ldns_rr_list_rr(l[k], i) == before[k][i],
			    "%s record %zu moved", k ? "RRSIG" : "DNSKEY", i);
	dns_audit_free(a);
	world_free(&w);
}
END_TEST

/* CVE-2023-50387: a flood of RRSIGs with the key's tag is not all verified. */
START_TEST(keytrap_capped)
{
	struct world w;
	struct dns_audit *a;
	struct dns_server *s;
	struct dns_judge_opts jo;
	struct cspec tc = { KZ, K_KSK, 0, 0, 0, 0 };
	ldns_rr *good, *bad;
	size_t i, found = 0;

	world_init(&w);
	s = one_child(&w, &a, &tc);
	/* 100 forged copies of the good signature (the judge checks them in
	 * canonical order, so the good one is left out: its place would be
	 * random) */
	good = ldns_rr_list_pop_rr(s->r[DNS_Q_DNSKEY].sigs);
	ck_assert_ptr_nonnull(good);
	for (i = 0; i < 100; i++) {
		bad = ldns_rr_clone(good);
		ldns_rdf_data(ldns_rr_rdf(bad, 8))[0] ^= (uint8_t)(i + 1);
		ldns_rr_list_push_rr(s->r[DNS_Q_DNSKEY].sigs, bad);
	}
	ldns_rr_free(good);
	memset(&jo, 0, sizeof(jo));
	jo.now = w.now;
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	for (i = 0; i < a->nfindings; i++)
		if (strstr(a->findings[i], "CVE-2023-50387") != NULL)
			found = 1;
	ck_assert_msg(found, "no finding about the verification limit");
	ck_assert_int_eq(a->verdict, DNS_V_BROKEN);
	dns_audit_free(a);
	world_free(&w);
}
END_TEST

/*
 * The judgement hands out its facts per server, so that plan and verify
 * do not compute them again: a parent server's DS set, its TTL and
 * whether it validates; a child server's keys with "signs", and its CDS.
 */
START_TEST(judge_hands_out_facts)
{
	struct world w;
	struct dns_audit *a;
	struct dns_server *p, *c;
	struct dns_judge_opts jo;
	struct cspec tc = { KZ | K_KSK2, K_KSK, 0, 0, 0, K_KSK2 };
	size_t i, nsigns = 0;

	world_init(&w);
	c = one_child(&w, &a, &tc);
	p = &a->servers[0];
	ck_assert_int_eq(p->role, DNS_PARENT);
	memset(&jo, 0, sizeof(jo));
	jo.now = w.now;
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	ck_assert(p->answered);
	ck_assert_uint_eq(p->ds.n, 1);
	ck_assert(ds_set_equal(&p->ds, &a->parent_ds));
	ck_assert_uint_gt(p->ds_ttl, 0);
	ck_assert(p->validates);
	ck_assert(c->answered);
	ck_assert_uint_eq(c->nkeys, 3);
	for (i = 0; i < c->nkeys; i++)
		if (c->keys[i].signs) {
			nsigns++;
			ck_assert(ds_rec_matches_key(p->ds.v[0],
			    c->keys[i].key));
		}
	ck_assert_uint_eq(nsigns, 1);
	ck_assert_uint_eq(c->cds.n, 1);
	ck_assert(!ds_set_equal(&c->cds, &p->ds));
	/* judged again: the facts are replaced, not added to */
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	ck_assert_uint_eq(p->ds.n, 1);
	ck_assert_uint_eq(c->nkeys, 3);
	ck_assert_uint_eq(c->cds.n, 1);
	dns_audit_free(a);
	world_free(&w);
}
END_TEST

START_TEST(verdict_names)
{
	int v;

	for (v = 0; v < DNS_V_COUNT; v++)
		ck_assert_int_eq(dns_verdict_from_name(
		    dns_verdict_name((enum dns_verdict)v)), v);
	ck_assert_str_eq(dns_verdict_name(DNS_V_INCONSISTENT_PARENT),
	    "inconsistent-parent");
	ck_assert_str_eq(dns_verdict_name(DNS_V_DEPRECATED_DIGEST),
	    "deprecated-digest");
	ck_assert_int_eq(dns_verdict_from_name("fine"), -1);
	ck_assert(!dns_verdict_needs_action(DNS_V_OK));
	ck_assert(!dns_verdict_needs_action(DNS_V_NOT_OURS));
	ck_assert(dns_verdict_needs_action(DNS_V_NOT_DELEGATED));
	ck_assert_str_eq(dns_verdict_name(DNS_V_NOT_DELEGATED), "not-delegated");
	ck_assert_int_eq(dns_verdict_from_name("not-delegated"),
	    DNS_V_NOT_DELEGATED);
	ck_assert(!dns_verdict_needs_action(DNS_V_UNSIGNED));
	ck_assert(dns_verdict_needs_action(DNS_V_MISSING));
	ck_assert(dns_verdict_needs_action(DNS_V_UNREACHABLE));
}
END_TEST

static Suite *
dns_verdict_suite(void)
{
	Suite *s = suite_create("dns_verdict");
	TCase *tc = tcase_create("core");

	ncases = casefile_names(CASES, &case_names);
	tcase_add_loop_test(tc, verdict_cases, 0, (int)ncases);
	tcase_add_test(tc, every_verdict_covered);
	tcase_add_test(tc, expected_ds_digests);
	tcase_add_test(tc, verdict_names);
	tcase_add_test(tc, keytrap_capped);
	tcase_add_test(tc, judge_leaves_answers_alone);
	tcase_add_test(tc, judge_hands_out_facts);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_verdict_suite)
