/* tests/unit/test_dns_verdict.c - dns/verdict.c: every verdict from constructed, really signed server answers */
#include "tests/unit/check_main.h"
#include "dns/dns.h"
#include "dns/plan.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#define ZONE "example.test."
#define PARENT "test."

/* The keys of the little world: bit masks. */
enum { K_KSK = 1, K_ZSK = 2, K_KSK2 = 4, K_OTHER = 8, NKEYS = 4 };

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

/* One test case: what the servers publish, what the verdict must be. */
struct tcase {
	const char *name;
	enum dns_verdict want;
	const char *finding;      /* substring of some finding (or NULL) */
	unsigned finding_key;     /* key whose tag some finding names */
	unsigned p1_ds, p2_ds;    /* DS (SHA-256) at parent servers 1, 2 */
	int sha1;                 /* plus a SHA-1 DS for the KSK at both */
	int alg_mismatch;         /* DS for the KSK with algorithm field 8 */
	unsigned c1_keys, c2_keys;/* DNSKEY served by child servers 1, 2 */
	unsigned signers;         /* keys that sign the DNSKEY RRset */
	int expired;              /* RRSIGs expired */
	int c2_state;             /* 0 fine, 1 REFUSED, 2 timeout, 3 both lame */
	int cds_delete;           /* child publishes CDS 0 0 0 00 */
	unsigned cds_keys;        /* child publishes CDS for these keys */
	unsigned store;           /* key store holds these (0: no --keys) */
	int not_ours;             /* --our-ns names another server */
	int no_deleg;             /* parent has no delegation (2: and its
	                             servers answer NXDOMAIN) */
	int error;                /* discovery failed */
};

#define KZ (K_KSK | K_ZSK)

/* rows list the leading fields only; the rest are zero */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct tcase cases[] = {
	{ "ok", DNS_V_OK, NULL, 0, K_KSK, K_KSK, 0, 0, KZ, KZ, K_KSK },
	{ "ok-store", DNS_V_OK, NULL, 0, K_KSK, K_KSK, 0, 0, KZ, KZ, K_KSK, 0,
	  0, 0, 0, K_KSK | K_ZSK },
	{ "ok-cds", DNS_V_OK, NULL, 0, K_KSK, K_KSK, 0, 0, KZ, KZ, K_KSK, 0, 0,
	  0, K_KSK },
	{ "ok-rollover", DNS_V_OK, NULL, 0, K_KSK | K_KSK2, K_KSK | K_KSK2, 0,
	  0, KZ | K_KSK2, KZ | K_KSK2, K_KSK | K_KSK2 },
	{ "not-ours", DNS_V_NOT_OURS, "ns1.example.net", 0, 0, 0, 0, 0, KZ,
	  KZ, K_KSK, 0, 0, 0, 0, 0, 1 },
	{ "unreachable-child", DNS_V_UNREACHABLE, "ns2.example.net. (192.0.2.2)",
	  0, K_KSK, K_KSK, 0, 0, KZ, KZ, K_KSK, 0, 2 },
	{ "unreachable-nodeleg", DNS_V_UNREACHABLE, "no delegation", 0, 0, 0,
	  0, 0, KZ, KZ, K_KSK, 0, 0, 0, 0, 0, 0, 1 },
	{ "not-delegated", DNS_V_NOT_DELEGATED, "parent has no delegation", 0,
	  0, 0, 0, 0, KZ, KZ, K_KSK, 0, 0, 0, 0, 0, 0, 2 },
	{ "unreachable-resolver", DNS_V_UNREACHABLE, "resolver", 0, 0, 0, 0, 0,
	  KZ, KZ, K_KSK, 0, 0, 0, 0, 0, 0, 0, 1 },
	{ "broken-zsk", DNS_V_BROKEN, "does not validate", K_ZSK, K_ZSK, K_ZSK,
	  0, 0, KZ, KZ, K_KSK },
	{ "broken-expired", DNS_V_BROKEN, "expired", K_KSK, K_KSK, K_KSK, 0, 0,
	  KZ, KZ, K_KSK, 1 },
	{ "broken-alg", DNS_V_BROKEN, "matches no DNSKEY", 0, 0, 0, 0, 1, KZ,
	  KZ, K_KSK },
	{ "broken-unsigned", DNS_V_BROKEN, "serves no DNSKEY", K_KSK, K_KSK,
	  K_KSK, 0, 0, 0, 0, 0 },
	{ "broken-foreign", DNS_V_BROKEN, "matches no DNSKEY", K_OTHER, K_OTHER,
	  K_OTHER, 0, 0, KZ, KZ, K_KSK },
	{ "lame-one", DNS_V_LAME, "ns2.example.net. (192.0.2.2) is lame", 0,
	  K_KSK, K_KSK, 0, 0, KZ, KZ, K_KSK, 0, 1 },
	{ "lame-all-with-ds", DNS_V_LAME, "REFUSED", 0, K_KSK, K_KSK, 0, 0, KZ,
	  KZ, K_KSK, 0, 3 },
	{ "inconsistent-parent", DNS_V_INCONSISTENT_PARENT, "ns2.nic.test",
	  K_OTHER, K_KSK, K_KSK | K_OTHER, 0, 0, KZ, KZ, K_KSK },
	{ "inconsistent-parent-lacks", DNS_V_INCONSISTENT_PARENT,
	  "ns2.nic.test. (192.0.2.54) lacks DS", K_KSK, K_KSK, 0, 0, 0, KZ, KZ,
	  K_KSK },
	{ "inconsistent-child", DNS_V_INCONSISTENT_CHILD, "ns2.example.net",
	  K_KSK2, K_KSK, K_KSK, 0, 0, KZ, KZ | K_KSK2, K_KSK },
	{ "delete-requested", DNS_V_DELETE_REQUESTED, "delete signal", K_KSK,
	  K_KSK, K_KSK, 0, 0, KZ, KZ, K_KSK, 0, 0, 1 },
	{ "missing", DNS_V_MISSING, "no DS at parent", K_KSK, 0, 0, 0, 0, KZ,
	  KZ, K_KSK },
	{ "incomplete-served", DNS_V_INCOMPLETE, "has no DS", K_KSK2, K_KSK,
	  K_KSK, 0, 0, KZ | K_KSK2, KZ | K_KSK2, K_KSK | K_KSK2 },
	{ "incomplete-store", DNS_V_INCOMPLETE, "key store", K_OTHER, K_KSK,
	  K_KSK, 0, 0, KZ, KZ, K_KSK, 0, 0, 0, 0, K_KSK | K_OTHER },
	{ "incomplete-cds", DNS_V_INCOMPLETE, "CDS at", K_KSK2, K_KSK, K_KSK, 0,
	  0, KZ | K_KSK2, KZ | K_KSK2, K_KSK, 0, 0, 0, K_KSK | K_KSK2 },
	{ "ok-double-ds", DNS_V_OK, "does not serve (yet)", K_OTHER, K_KSK | K_OTHER, K_KSK | K_OTHER,
	  0, 0, KZ, KZ, K_KSK, 0, 0, 0, 0, K_KSK | K_OTHER },
	{ "stale", DNS_V_STALE, "matches no DNSKEY", K_OTHER, K_KSK | K_OTHER,
	  K_KSK | K_OTHER, 0, 0, KZ, KZ, K_KSK },
	{ "deprecated-digest", DNS_V_DEPRECATED_DIGEST, "digest type 1",
	  K_KSK, K_KSK, K_KSK, 1, 0, KZ, KZ, K_KSK },
	{ "unsigned", DNS_V_UNSIGNED, NULL, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "unsigned-delete", DNS_V_UNSIGNED, "delete signal", 0, 0, 0, 0, 0,
	  KZ, KZ, K_KSK, 0, 0, 1 },
};

static void
fill_parent(const struct world *w, struct dns_server *s, unsigned mask,
    const struct tcase *tc)
{
	int i;

	ok_reply(&s->r[DNS_Q_DS]);
	for (i = 0; i < NKEYS; i++)
		if (mask & (1u << i))
			ldns_rr_list_push_rr(s->r[DNS_Q_DS].rrs, ds_rr(w, i, 2, 0));
	if (tc->sha1)
		ldns_rr_list_push_rr(s->r[DNS_Q_DS].rrs, ds_rr(w, 0, 1, 0));
	if (tc->alg_mismatch)
		ldns_rr_list_push_rr(s->r[DNS_Q_DS].rrs, ds_rr(w, 0, 2, 8));
	s->r[DNS_Q_NS].status = 0;
	s->r[DNS_Q_NS].rcode = LDNS_RCODE_NOERROR;
}

static void
fill_child(const struct world *w, struct dns_server *s, unsigned keys,
    const struct tcase *tc, int state)
{
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

/* Build the audit of one case, judge it, check verdict and findings. */
static void
run_case(const struct tcase *tc)
{
	struct world w;
	struct dns_audit *a;
	struct dns_addr p1 = addr("192.0.2.53"), p2 = addr("192.0.2.54"),
	    c1 = addr("192.0.2.1"), c2 = addr("192.0.2.2");
	struct dns_judge_opts jo;
	const struct ds_key *store[NKEYS];
	char *other = "ns.elsewhere.test.", tag[16];
	size_t i;
	int k, found;

	world_init(&w);
	ck_assert_int_eq(dns_audit_new(&a, ZONE), 0);
	a->parent = strdup(PARENT);
	if (tc->error) {
		a->error = strdup("resolver: SOA test.: SERVFAIL");
		goto judge;
	}
	fill_parent(&w, dns_audit_add_server(a, DNS_PARENT, "ns1.nic.test.",
	    &p1), tc->p1_ds, tc);
	fill_parent(&w, dns_audit_add_server(a, DNS_PARENT, "ns2.nic.test.",
	    &p2), tc->p2_ds, tc);
	if (tc->no_deleg == 2)
		for (i = 0; i < a->nservers; i++)
			a->servers[i].r[DNS_Q_DS].rcode = LDNS_RCODE_NXDOMAIN;
	if (tc->no_deleg)
		goto judge;
	dns_audit_add_deleg(a, "ns1.example.net.");
	dns_audit_add_deleg(a, "ns2.example.net.");
	fill_child(&w, dns_audit_add_server(a, DNS_CHILD, "ns1.example.net.",
	    &c1), tc->c1_keys, tc, tc->c2_state == 3 ? 1 : 0);
	fill_child(&w, dns_audit_add_server(a, DNS_CHILD, "ns2.example.net.",
	    &c2), tc->c2_keys, tc, tc->c2_state == 3 ? 1 : tc->c2_state);
judge:
	memset(&jo, 0, sizeof(jo));
	jo.now = w.now;
	if (tc->store) {
		jo.have_store = 1;
		for (k = 0; k < NKEYS; k++)
			if (tc->store & (1u << k))
				store[jo.nstore_keys++] = w.dk[k];
		jo.store_keys = store;
	}
	if (tc->not_ours) {
		jo.our_ns = &other;
		jo.nour_ns = 1;
	}
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	if (a->verdict != tc->want) {
		for (i = 0; i < a->nfindings; i++)
			fprintf(stderr, "  %s: finding: %s\n", tc->name,
			    a->findings[i]);
	}
	ck_assert_msg(a->verdict == tc->want, "%s: verdict %s, expected %s",
	    tc->name, dns_verdict_name(a->verdict), dns_verdict_name(tc->want));
	if (tc->finding != NULL) {
		for (found = 0, i = 0; i < a->nfindings; i++)
			if (strstr(a->findings[i], tc->finding) != NULL)
				found = 1;
		ck_assert_msg(found, "%s: no finding contains '%s'", tc->name,
		    tc->finding);
	}
	for (k = 0; k < NKEYS; k++) {
		if (!(tc->finding_key & (1u << k)))
			continue;
		snprintf(tag, sizeof(tag), "%u", w.dk[k]->key_tag);
		for (found = 0, i = 0; i < a->nfindings; i++)
			if (strstr(a->findings[i], tag) != NULL)
				found = 1;
		ck_assert_msg(found, "%s: no finding names key tag %s",
		    tc->name, tag);
	}
	if (tc->want == DNS_V_OK && tc->finding == NULL)
		ck_assert_uint_eq(a->nfindings, 0);
	/* judging twice gives the same result (findings are replaced) */
	i = a->nfindings;
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	ck_assert_uint_eq(a->nfindings, i);
	ck_assert_int_eq(a->verdict, tc->want);
	dns_audit_free(a);
	world_free(&w);
}

START_TEST(verdict_table)
{
	run_case(&cases[_i]);
}
END_TEST

START_TEST(every_verdict_covered)
{
	int seen[DNS_V_COUNT] = { 0 };
	size_t i;
	int v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		seen[cases[i].want] = 1;
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
	struct tcase tc = { "x", DNS_V_OK, NULL, 0, K_KSK, K_KSK, 0, 0, KZ, KZ,
		K_KSK };

	world_init(&w);
	ck_assert_int_eq(dns_audit_new(&a, "Example.TEST"), 0);
	ck_assert_str_eq(a->domain, ZONE);
	a->parent = strdup(PARENT);
	fill_parent(&w, dns_audit_add_server(a, DNS_PARENT, "ns1.nic.test.",
	    &p1), K_KSK, &tc);
	dns_audit_add_deleg(a, "NS1.example.net");
	dns_audit_add_deleg(a, "ns1.example.net.");
	ck_assert_uint_eq(a->ndeleg, 1);
	fill_child(&w, dns_audit_add_server(a, DNS_CHILD, "ns1.example.net.",
	    &c1), KZ, &tc, 0);
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
 * dns_judge is pure: it reads the answers and changes none of them (the
 * records of a server stay in the order the server sent them).
 */
START_TEST(judge_leaves_answers_alone)
{
	struct world w;
	struct dns_audit *a;
	struct dns_server *s;
	struct dns_addr p1 = addr("192.0.2.53"), c1 = addr("192.0.2.1");
	struct dns_judge_opts jo;
	struct tcase tc = { "x", DNS_V_OK, NULL, 0, K_KSK, K_KSK, 0, 0,
		KZ | K_KSK2, 0, K_KSK | K_KSK2 };
	ldns_rr *before[2][8];
	ldns_rr_list *l[2];
	size_t i, n[2];
	int k;

	world_init(&w);
	ck_assert_int_eq(dns_audit_new(&a, ZONE), 0);
	a->parent = strdup(PARENT);
	fill_parent(&w, dns_audit_add_server(a, DNS_PARENT, "ns1.nic.test.",
	    &p1), K_KSK, &tc);
	dns_audit_add_deleg(a, "ns1.example.net.");
	s = dns_audit_add_server(a, DNS_CHILD, "ns1.example.net.", &c1);
	fill_child(&w, s, KZ | K_KSK2, &tc, 0);
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
	struct dns_addr p1 = addr("192.0.2.53"), c1 = addr("192.0.2.1");
	struct dns_judge_opts jo;
	struct tcase tc = { "x", DNS_V_OK, NULL, 0, K_KSK, K_KSK, 0, 0, KZ, KZ,
		K_KSK };
	ldns_rr *good, *bad;
	size_t i, found = 0;

	world_init(&w);
	ck_assert_int_eq(dns_audit_new(&a, ZONE), 0);
	a->parent = strdup(PARENT);
	fill_parent(&w, dns_audit_add_server(a, DNS_PARENT, "ns1.nic.test.",
	    &p1), K_KSK, &tc);
	dns_audit_add_deleg(a, "ns1.example.net.");
	s = dns_audit_add_server(a, DNS_CHILD, "ns1.example.net.", &c1);
	fill_child(&w, s, KZ, &tc, 0);
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

/* ---- the parent's signatures over the delegation ---------------------- */

/* How parent server 2 signs (server 1 always signs right). */
enum phow {
	P_FINE = 0, P_EXPIRED, P_NOT_YET, P_BOGUS, P_MISSING, P_FOREIGN_KEY,
	P_NSEC_DS_BIT, P_NO_PROOF, P_OPTOUT, P_NO_OPTOUT
};

struct pcase {
	const char *name;
	enum dns_verdict want;
	enum dns_psig want_p2;    /* result at parent server 2 */
	const char *finding;      /* substring of some finding (or NULL) */
	int with_ds;              /* DS for the KSK at both parents */
	int child_signed;         /* child serves DNSKEY signed by the KSK */
	int nsec3;                /* the parent denies with NSEC3 */
	enum phow how;            /* parent server 2 */
	int unvalidated;          /* the resolver did not validate the keys */
	int refuse;               /* the plan must refuse (parent at fault) */
};

static const struct pcase pcases[] = {
	{ "ds-fine", DNS_V_OK, DNS_PSIG_OK, NULL, 1, 1, 0, P_FINE },
	{ "ds-expired", DNS_V_BROKEN, DNS_PSIG_EXPIRED,
	  "parent server ns2.nic.test. (192.0.2.54): RRSIG(DS) expired", 1, 1,
	  0, P_EXPIRED, 0, 1 },
	{ "ds-not-yet", DNS_V_BROKEN, DNS_PSIG_NOT_YET_VALID,
	  "RRSIG(DS) not yet valid", 1, 1, 0, P_NOT_YET, 0, 1 },
	{ "ds-bogus", DNS_V_BROKEN, DNS_PSIG_BOGUS,
	  "ns2.nic.test. (192.0.2.54): RRSIG(DS) bogus", 1, 1, 0, P_BOGUS, 0,
	  1 },
	{ "ds-missing", DNS_V_BROKEN, DNS_PSIG_MISSING,
	  "ns2.nic.test. (192.0.2.54): RRSIG(DS) missing", 1, 1, 0, P_MISSING,
	  0, 1 },
	{ "ds-foreign-key", DNS_V_BROKEN, DNS_PSIG_BOGUS,
	  "no such key in the parent's DNSKEY RRset", 1, 1, 0, P_FOREIGN_KEY,
	  0, 1 },
	{ "ds-unvalidated", DNS_V_OK, DNS_PSIG_UNCHECKED, "were not checked",
	  1, 1, 0, P_BOGUS, 1 },
	{ "nsec-fine", DNS_V_MISSING, DNS_PSIG_OK, NULL, 0, 1, 0, P_FINE },
	{ "nsec-bogus", DNS_V_BROKEN, DNS_PSIG_BOGUS,
	  "no-DS proof (NSEC) bogus", 0, 1, 0, P_BOGUS, 0, 1 },
	{ "nsec-ds-bit", DNS_V_BROKEN, DNS_PSIG_BOGUS, "lists DS", 0, 1, 0,
	  P_NSEC_DS_BIT, 0, 1 },
	{ "nsec-none", DNS_V_BROKEN, DNS_PSIG_MISSING,
	  "no-DS proof missing: no NSEC or NSEC3", 0, 1, 0, P_NO_PROOF, 0, 1 },
	{ "nsec-unsigned-child", DNS_V_UNSIGNED, DNS_PSIG_EXPIRED,
	  "cannot prove the delegation insecure", 0, 0, 0, P_EXPIRED, 0, 1 },
	{ "nsec3-fine", DNS_V_MISSING, DNS_PSIG_OK, NULL, 0, 1, 1, P_FINE },
	{ "nsec3-bogus", DNS_V_BROKEN, DNS_PSIG_BOGUS,
	  "no-DS proof (NSEC3) bogus", 0, 1, 1, P_BOGUS, 0, 1 },
	{ "nsec3-expired", DNS_V_BROKEN, DNS_PSIG_EXPIRED,
	  "no-DS proof (NSEC3) expired", 0, 1, 1, P_EXPIRED, 0, 1 },
	{ "nsec3-ds-bit", DNS_V_BROKEN, DNS_PSIG_BOGUS, "lists DS", 0, 1, 1,
	  P_NSEC_DS_BIT, 0, 1 },
	{ "nsec3-optout", DNS_V_MISSING, DNS_PSIG_OK, NULL, 0, 1, 1, P_OPTOUT },
	{ "nsec3-no-optout", DNS_V_BROKEN, DNS_PSIG_BOGUS, "no opt-out flag",
	  0, 1, 1, P_NO_OPTOUT, 0, 1 },
	{ "nsec3-unsigned-child", DNS_V_UNSIGNED, DNS_PSIG_BOGUS,
	  "no-DS proof (NSEC3) bogus", 0, 0, 1, P_BOGUS, 0, 1 },
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

static void
run_pcase(const struct pcase *pc)
{
	struct world w;
	struct pworld p;
	struct dns_audit *a;
	struct dns_addr p1 = addr("192.0.2.53"), p2 = addr("192.0.2.54"),
	    c1 = addr("192.0.2.1");
	struct tcase tc = { "x", DNS_V_OK, NULL, 0, 0, 0, 0, 0, KZ, KZ, K_KSK };
	struct dns_server *s[2];
	struct dns_judge_opts jo;
	struct dns_plan_facts f;
	struct dns_plan plan;
	size_t i;
	int k, found;

	world_init(&w);
	pworld_init(&p, w.now, pc->unvalidated);
	ck_assert_int_eq(dns_audit_new(&a, ZONE), 0);
	a->parent = strdup(PARENT);
	a->parent_keys = &p.keys;
	s[0] = dns_audit_add_server(a, DNS_PARENT, "ns1.nic.test.", &p1);
	s[1] = dns_audit_add_server(a, DNS_PARENT, "ns2.nic.test.", &p2);
	for (k = 0; k < 2; k++) {
		enum phow how = k == 0 ? P_FINE : pc->how;

		fill_parent(&w, s[k], pc->with_ds ? K_KSK : 0, &tc);
		if (pc->with_ds)
			psign(&p, s[k]->r[DNS_Q_DS].rrs, s[k]->r[DNS_Q_DS].sigs,
			    how);
		else
			fill_denial(&p, &s[k]->r[DNS_Q_DS], pc->nsec3, how);
	}
	dns_audit_add_deleg(a, "ns1.example.net.");
	fill_child(&w, dns_audit_add_server(a, DNS_CHILD, "ns1.example.net.",
	    &c1), pc->child_signed ? KZ : 0, &tc, 0);
	memset(&jo, 0, sizeof(jo));
	jo.now = w.now;
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	if (a->verdict != pc->want || s[1]->psig != pc->want_p2)
		for (i = 0; i < a->nfindings; i++)
			fprintf(stderr, "  %s: finding: %s\n", pc->name,
			    a->findings[i]);
	ck_assert_msg(a->verdict == pc->want, "%s: verdict %s, expected %s",
	    pc->name, dns_verdict_name(a->verdict), dns_verdict_name(pc->want));
	ck_assert_msg(s[0]->psig == (pc->unvalidated ? DNS_PSIG_UNCHECKED :
	    DNS_PSIG_OK), "%s: server 1: %s (%s)", pc->name,
	    dns_psig_name(s[0]->psig), s[0]->psig_why);
	ck_assert_msg(s[1]->psig == pc->want_p2, "%s: server 2: %s, expected "
	    "%s (%s)", pc->name, dns_psig_name(s[1]->psig),
	    dns_psig_name(pc->want_p2), s[1]->psig_why);
	if (pc->finding != NULL) {
		for (found = 0, i = 0; i < a->nfindings; i++)
			if (strstr(a->findings[i], pc->finding) != NULL)
				found = 1;
		ck_assert_msg(found, "%s: no finding contains '%s'", pc->name,
		    pc->finding);
	}
	/* server 1 signs right: never named */
	for (i = 0; i < a->nfindings; i++)
		ck_assert_msg(strstr(a->findings[i], "ns1.nic.test") == NULL,
		    "%s: %s", pc->name, a->findings[i]);
	ck_assert_int_eq(a->parent_problem != NULL, pc->refuse);
	/* the plan refuses a domain whose parent is at fault */
	memset(&f, 0, sizeof(f));
	f.verdict = a->verdict;
	f.parent_ds = &a->parent_ds;
	f.validating = &a->valid_ds;
	f.target = &a->expected_ds;
	f.target_problem = a->target_problem;
	f.parent_problem = a->parent_problem;
	f.now = w.now;
	ck_assert_int_eq(dns_plan_make(&f, &plan), 0);
	if (pc->refuse) {
		ck_assert_int_eq(plan.kind, DNS_PLAN_REFUSE);
		ck_assert(plan.nnotes > 0 && strstr(plan.notes[0],
		    "parent's signatures are at fault") != NULL &&
		    strstr(plan.notes[0], "ns2.nic.test.") != NULL);
	} else
		ck_assert_int_ne(plan.kind, DNS_PLAN_REFUSE);
	dns_plan_free(&plan);
	/* judging twice gives the same result */
	ck_assert_int_eq(dns_judge(a, &jo), 0);
	ck_assert_int_eq(a->verdict, pc->want);
	ck_assert_int_eq(s[1]->psig, pc->want_p2);
	dns_audit_free(a);
	pworld_free(&p);
	world_free(&w);
}

START_TEST(parent_sigs_table)
{
	run_pcase(&pcases[_i]);
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

	tcase_add_loop_test(tc, verdict_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, every_verdict_covered);
	tcase_add_test(tc, expected_ds_digests);
	tcase_add_test(tc, verdict_names);
	tcase_add_test(tc, keytrap_capped);
	tcase_add_test(tc, judge_leaves_answers_alone);
	tcase_add_loop_test(tc, parent_sigs_table, 0,
	    (int)(sizeof(pcases) / sizeof(pcases[0])));
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_verdict_suite)
