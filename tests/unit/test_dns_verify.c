/* tests/unit/test_dns_verify.c - dns/verify.c: every RRSIG(DNSKEY) check is done (by ldns), with ldns' verdict */
#include "tests/unit/check_main.h"
#include "dns/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

struct set {
	ldns_key *k[3];
	ldns_rr_list *rrset;     /* DNSKEY RRset */
	ldns_rr_list *sigs;
	time_t now;
};

/* Three keys of algorithm alg for owner; the first signs, times given. */
static void
make(struct set *s, ldns_signing_algorithm alg, int bits, const char *owner,
    long inc_off, long exp_off)
{
	ldns_rdf *o = ldns_dname_new_frm_str(owner);
	ldns_key_list *kl = ldns_key_list_new();
	ldns_rr *rr;
	int i;

	memset(s, 0, sizeof(*s));
	s->now = time(NULL);
	s->rrset = ldns_rr_list_new();
	for (i = 0; i < 3; i++) {
		s->k[i] = ldns_key_new_frm_algorithm(alg, (uint16_t)bits);
		ck_assert_ptr_nonnull(s->k[i]);
		ldns_key_set_pubkey_owner(s->k[i], ldns_rdf_clone(o));
		ldns_key_set_flags(s->k[i], i == 0 ? 257 : 256);
		rr = ldns_key2rr(s->k[i]);
		ldns_rr_set_ttl(rr, 3600);
		ldns_key_set_keytag(s->k[i], ldns_calc_keytag(rr));
		ldns_rr_list_push_rr(s->rrset, rr);
	}
	ldns_key_set_inception(s->k[0], (uint32_t)(s->now + inc_off));
	ldns_key_set_expiration(s->k[0], (uint32_t)(s->now + exp_off));
	ldns_key_list_push_key(kl, s->k[0]);
	s->sigs = ldns_sign_public(s->rrset, kl);
	ck_assert_ptr_nonnull(s->sigs);
	ldns_key_list_set_key_count(kl, 0);
	ldns_key_list_free(kl);
	ldns_rdf_deep_free(o);
}

static void
release(struct set *s)
{
	int i;

	for (i = 0; i < 3; i++)
		ldns_key_deep_free(s->k[i]);
	ldns_rr_list_deep_free(s->rrset);
	ldns_rr_list_deep_free(s->sigs);
}

/*
 * dns_verify_sig and ldns_verify_rrsig_time directly must agree (a fast
 * path behind dns_verify_sig must give ldns' answer); returns the status.
 */
static ldns_status
both(struct set *s, ldns_rr_list *rrset, ldns_rr *sig, ldns_rr *key)
{
	ldns_status mine, theirs;

	mine = dns_verify_sig(rrset, sig, key, s->now);
	theirs = ldns_verify_rrsig_time(rrset, sig, key, s->now);
	ck_assert_msg(mine == theirs, "dns_verify %s, ldns %s",
	    ldns_get_errorstr_by_id(mine), ldns_get_errorstr_by_id(theirs));
	return mine;
}

START_TEST(ecdsa_agrees_with_ldns)
{
	static const struct {
		ldns_signing_algorithm alg;
		int bits;
	} algs[] = {
		{ LDNS_SIGN_ECDSAP256SHA256, 256 },
		{ LDNS_SIGN_ECDSAP384SHA384, 384 },
	};
	struct set s;
	ldns_rr *sig, *key, *tmp;
	ldns_rr_list *shuffled;
	size_t a;

	for (a = 0; a < 2; a++) {
		make(&s, algs[a].alg, algs[a].bits, "Example.TEST.", -3600,
		    86400);
		sig = ldns_rr_list_rr(s.sigs, 0);
		key = ldns_rr_list_rr(s.rrset, 0);
		/* good */
		ck_assert_int_eq(both(&s, s.rrset, sig, key), LDNS_STATUS_OK);
		/* other order of the records: same canonical data */
		shuffled = ldns_rr_list_new();
		ldns_rr_list_push_rr(shuffled, ldns_rr_list_rr(s.rrset, 2));
		ldns_rr_list_push_rr(shuffled, ldns_rr_list_rr(s.rrset, 0));
		ldns_rr_list_push_rr(shuffled, ldns_rr_list_rr(s.rrset, 1));
		ck_assert_int_eq(both(&s, shuffled, sig, key), LDNS_STATUS_OK);
		/* a record less: the signature does not cover this set */
		ldns_rr_list_pop_rr(shuffled);
		ck_assert_int_ne(both(&s, shuffled, sig, key), LDNS_STATUS_OK);
		ldns_rr_list_free(shuffled);
		/* wrong key */
		ck_assert_int_ne(both(&s, s.rrset, sig,
		    ldns_rr_list_rr(s.rrset, 1)), LDNS_STATUS_OK);
		/* forged signature */
		tmp = ldns_rr_clone(sig);
		ldns_rdf_data(ldns_rr_rdf(tmp, 8))[5] ^= 0x40;
		ck_assert_int_eq(both(&s, s.rrset, tmp, key),
		    LDNS_STATUS_CRYPTO_BOGUS);
		ldns_rr_free(tmp);
		/* a different original TTL in the RRSIG changes the data */
		tmp = ldns_rr_clone(sig);
		ldns_rdf_data(ldns_rr_rdf(tmp, 3))[3] ^= 1;
		ck_assert_int_ne(both(&s, s.rrset, tmp, key), LDNS_STATUS_OK);
		ldns_rr_free(tmp);
		/* a public key that is not a point on the curve: refused */
		tmp = ldns_rr_clone(key);
		ldns_rdf_data(ldns_rr_rdf(tmp, 3))[algs[a].bits / 4 - 1] ^= 1;
		ck_assert_int_ne(both(&s, s.rrset, sig, tmp), LDNS_STATUS_OK);
		ldns_rr_free(tmp);
		release(&s);
	}
}
END_TEST

START_TEST(ecdsa_times)
{
	struct set s;
	ldns_rr *tmp;

	make(&s, LDNS_SIGN_ECDSAP256SHA256, 256, "example.test.", -20 * 86400,
	    -10 * 86400);
	ck_assert_int_eq(both(&s, s.rrset, ldns_rr_list_rr(s.sigs, 0),
	    ldns_rr_list_rr(s.rrset, 0)), LDNS_STATUS_CRYPTO_SIG_EXPIRED);
	/* expired and forged: the signature is judged first, as ldns does */
	tmp = ldns_rr_clone(ldns_rr_list_rr(s.sigs, 0));
	ldns_rdf_data(ldns_rr_rdf(tmp, 8))[5] ^= 0x40;
	ck_assert_int_eq(both(&s, s.rrset, tmp, ldns_rr_list_rr(s.rrset, 0)),
	    LDNS_STATUS_CRYPTO_BOGUS);
	ldns_rr_free(tmp);
	release(&s);
	make(&s, LDNS_SIGN_ECDSAP256SHA256, 256, "example.test.", 86400,
	    10 * 86400);
	ck_assert_int_eq(both(&s, s.rrset, ldns_rr_list_rr(s.sigs, 0),
	    ldns_rr_list_rr(s.rrset, 0)),
	    LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED);
	release(&s);
}
END_TEST

START_TEST(other_algorithms)
{
	struct set s;

	static const struct {
		ldns_signing_algorithm alg;
		int bits;
	} algs[] = {
		{ LDNS_SIGN_ED25519, 256 },
		{ LDNS_SIGN_RSASHA256, 1024 },
	};
	size_t a;
	ldns_rr *tmp;

	for (a = 0; a < 2; a++) {
		make(&s, algs[a].alg, algs[a].bits, "example.test.", -3600,
		    86400);
		ck_assert_int_eq(both(&s, s.rrset, ldns_rr_list_rr(s.sigs, 0),
		    ldns_rr_list_rr(s.rrset, 0)), LDNS_STATUS_OK);
		tmp = ldns_rr_clone(ldns_rr_list_rr(s.sigs, 0));
		ldns_rdf_data(ldns_rr_rdf(tmp, 8))[5] ^= 0x40;
		ck_assert_int_ne(both(&s, s.rrset, tmp,
		    ldns_rr_list_rr(s.rrset, 0)), LDNS_STATUS_OK);
		ldns_rr_free(tmp);
		release(&s);
	}
}
END_TEST

static Suite *
dns_verify_suite(void)
{
	Suite *s = suite_create("dns_verify");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, ecdsa_agrees_with_ldns);
	tcase_add_test(tc, ecdsa_times);
	tcase_add_test(tc, other_algorithms);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_verify_suite)
