/* dns/verify.c - RRSIG over a DNSKEY, DS or NSEC3 RRset, ECDSA (RFC 6605) straight with OpenSSL 3 */
/* EC_KEY and ECDSA_do_verify: see ec_key() below for why */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "dns/internal.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/ecdsa.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * ldns_verify_rrsig_time() builds a legacy EC_KEY for every check, which
 * OpenSSL 3 then exports to its provider, plus two 64 KiB buffers: on a
 * 10,000-domain run that is a tenth of all the work.  For ECDSA (13, 14),
 * the algorithms almost every signed zone uses, the check is done here
 * from the wire data; everything else is left to ldns.
 */

#define DATA_MAX 65535
#define MAX_KEYS 64

struct canon {
	const uint8_t *rdata;
	size_t len;
};

static int
canon_cmp(const void *a, const void *b)
{
	const struct canon *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->rdata, y->rdata, n);

	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* Append n octets; 0 or -1 when the buffer is full.  (The two buffers
 * live on the stack: a 64 KiB malloc makes glibc consolidate its heap.) */
static int
put(uint8_t *buf, size_t *len, const void *data, size_t n)
{
	if (n > DATA_MAX - *len)
		return -1;
	memcpy(buf + *len, data, n);
	*len += n;
	return 0;
}

/* Lower-case copy of a wire-format name (RFC 4034 §6.2). */
static int
put_name(uint8_t *buf, size_t *len, const ldns_rdf *name)
{
	size_t i, n = ldns_rdf_size(name), start = *len;
	const uint8_t *d = ldns_rdf_data(name);
	size_t next = 0;

	if (put(buf, len, d, n) != 0)
		return -1;
	/* lower-case label octets only, not the length octets */
	for (i = 0; i < n; i++) {
		if (i == next) {
			next = i + 1 + d[i];
			continue;
		}
		if (buf[start + i] >= 'A' && buf[start + i] <= 'Z')
			buf[start + i] = (uint8_t)(buf[start + i] + 32);
	}
	return 0;
}

/* The RDATA of a record whose fields hold no names (DNSKEY), as wire. */
static int
rdata_wire(const ldns_rr *rr, uint8_t *out, size_t max, size_t *len)
{
	size_t i, n = 0;

	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);

		if (ldns_rdf_size(f) > max - n)
			return -1;
		memcpy(out + n, ldns_rdf_data(f), ldns_rdf_size(f));
		n += ldns_rdf_size(f);
	}
	*len = n;
	return 0;
}

/*
 * The curve groups are the same for every key: built once (immutable after
 * the pthread_once, only read afterwards) and copied into each key.  The
 * check itself uses OpenSSL's EC_KEY/ECDSA_do_verify: the provider route
 * (EVP_PKEY from encoded point, EVP_DigestVerify) costs some 20 us more per
 * signature on a 10,000-domain run, for the very same arithmetic.
 */
static EC_GROUP *groups[2];        /* P-256, P-384; set once, read-only */
static pthread_once_t groups_once = PTHREAD_ONCE_INIT;

static void
groups_init(void)
{
	groups[0] = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	groups[1] = EC_GROUP_new_by_curve_name(NID_secp384r1);
}

/* The public key x|y of RFC 6605 §4 on its curve; NULL if not a point. */
static EC_KEY *
ec_key(const uint8_t *xy, size_t n, int which)
{
	uint8_t pub[1 + 96];
	EC_KEY *k;

	if (n > 96)
		return NULL;
	pthread_once(&groups_once, groups_init);
	if (groups[which] == NULL || (k = EC_KEY_new()) == NULL)
		return NULL;
	pub[0] = 0x04;                       /* uncompressed point */
	memcpy(pub + 1, xy, n);
	if (EC_KEY_set_group(k, groups[which]) != 1 ||
	    EC_KEY_oct2key(k, pub, n + 1, NULL) != 1) {
		EC_KEY_free(k);
		return NULL;
	}
	return k;
}

/* r|s of RFC 6605 §4 as an ECDSA_SIG; NULL when out of memory. */
static ECDSA_SIG *
ec_sig(const uint8_t *rs, size_t n)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r, *s;

	if (sig == NULL)
		return NULL;
	r = BN_bin2bn(rs, (int)(n / 2), NULL);
	s = BN_bin2bn(rs + n / 2, (int)(n / 2), NULL);
	if (r == NULL || s == NULL || ECDSA_SIG_set0(sig, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(sig);
		return NULL;
	}
	return sig;
}

int
dns_verify_dnskey_sig(ldns_rr_list *rrset, const ldns_rr *sig,
    const ldns_rr *key, time_t now, ldns_status *st)
{
	return dns_verify_rrset_sig(rrset, sig, key, now, st);
}

/* Types whose RDATA holds no domain name: their wire RDATA is canonical. */
static int
nameless_rdata(ldns_rr_type t)
{
	return t == LDNS_RR_TYPE_DNSKEY || t == LDNS_RR_TYPE_DS ||
	    t == LDNS_RR_TYPE_NSEC3 || t == LDNS_RR_TYPE_CDS ||
	    t == LDNS_RR_TYPE_CDNSKEY;
}

int
dns_verify_rrset_sig(ldns_rr_list *rrset, const ldns_rr *sig,
    const ldns_rr *key, time_t now, ldns_status *st)
{
	ldns_rr_type type;
	uint8_t alg, data[DATA_MAX], rd[DATA_MAX], digest[EVP_MAX_MD_SIZE];
	const ldns_rdf *owner, *signer, *sigf, *keyf;
	const EVP_MD *md;
	int group, v;
	struct canon c[MAX_KEYS];
	uint8_t hdr[10];
	size_t nrr, i, len = 0, half, rdused = 0;
	uint32_t exp, inc, now32 = (uint32_t)now, ttl;
	unsigned dlen = 0;
	int handled = 1;
	EC_KEY *eckey = NULL;
	ECDSA_SIG *esig = NULL;

	if (ldns_rr_rd_count(sig) != 9 || ldns_rr_rd_count(key) != 4)
		return 0;
	alg = ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(sig));
	if (alg == LDNS_ECDSAP256SHA256) {
		md = ds_digest_evp(DS_DIGEST_SHA256);
		group = 0;
		half = 32;
	} else if (alg == LDNS_ECDSAP384SHA384) {
		md = ds_digest_evp(DS_DIGEST_SHA384);
		group = 1;
		half = 48;
	} else
		return 0;                    /* ldns does the others */
	nrr = ldns_rr_list_rr_count(rrset);
	owner = nrr > 0 ? ldns_rr_owner(ldns_rr_list_rr(rrset, 0)) : NULL;
	type = nrr > 0 ? ldns_rr_get_type(ldns_rr_list_rr(rrset, 0)) : 0;
	signer = ldns_rr_rrsig_signame(sig);
	sigf = ldns_rr_rrsig_sig(sig);
	keyf = ldns_rr_rdf(key, 3);
	/* shapes ldns would also refuse, or wildcards: leave them to ldns */
	if (owner == NULL || nrr > MAX_KEYS || signer == NULL ||
	    !nameless_rdata(type) ||
	    ldns_rdf2native_int16(ldns_rr_rrsig_typecovered(sig)) != type ||
	    (ldns_dname_compare(signer, owner) != 0 &&
	    !ldns_dname_is_subdomain(owner, signer)) ||
	    ldns_dname_compare(ldns_rr_owner(key), signer) != 0 ||
	    ldns_rdf2native_int8(ldns_rr_rrsig_labels(sig)) !=
	    ldns_dname_label_count(owner) ||
	    ldns_rdf2native_int8(ldns_rr_rdf(key, 2)) != alg ||
	    ldns_rdf_size(sigf) != 2 * half || ldns_rdf_size(keyf) != 2 * half)
		return 0;
	exp = ldns_rdf2native_int32(ldns_rr_rrsig_expiration(sig));
	inc = ldns_rdf2native_int32(ldns_rr_rrsig_inception(sig));
	/* RFC 4034 §3.1.5: serial number arithmetic */
	if ((int32_t)(inc - exp) > 0) {
		*st = LDNS_STATUS_CRYPTO_EXPIRATION_BEFORE_INCEPTION;
		return 1;
	}
	if ((int32_t)(now32 - inc) < 0) {
		*st = LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED;
		return 1;
	}
	if ((int32_t)(exp - now32) < 0) {
		*st = LDNS_STATUS_CRYPTO_SIG_EXPIRED;
		return 1;
	}
	/* RRSIG RDATA without the signature, signer name in canonical form */
	for (i = 0; i < 7; i++)
		if (put(data, &len, ldns_rdf_data(ldns_rr_rdf(sig, i)),
		    ldns_rdf_size(ldns_rr_rdf(sig, i))) != 0)
			goto fallback;
	if (put_name(data, &len, signer) != 0)
		goto fallback;
	/* the RRset in canonical order, TTL from the RRSIG (§6.2, §6.3) */
	for (i = 0; i < nrr; i++) {
		size_t n;

		if (rdata_wire(ldns_rr_list_rr(rrset, i), rd + rdused,
		    DATA_MAX - rdused, &n) != 0)
			goto fallback;
		c[i].rdata = rd + rdused;
		c[i].len = n;
		rdused += n;
	}
	qsort(c, nrr, sizeof(c[0]), canon_cmp);
	ttl = ldns_rdf2native_int32(ldns_rr_rrsig_origttl(sig));
	for (i = 0; i < nrr; i++) {
		if (i > 0 && canon_cmp(&c[i], &c[i - 1]) == 0)
			continue;            /* duplicates count once */
		hdr[0] = (uint8_t)(type >> 8);
		hdr[1] = (uint8_t)type;
		hdr[2] = 0;
		hdr[3] = LDNS_RR_CLASS_IN;
		hdr[4] = (uint8_t)(ttl >> 24);
		hdr[5] = (uint8_t)(ttl >> 16);
		hdr[6] = (uint8_t)(ttl >> 8);
		hdr[7] = (uint8_t)ttl;
		hdr[8] = (uint8_t)(c[i].len >> 8);
		hdr[9] = (uint8_t)c[i].len;
		if (put_name(data, &len, owner) != 0 ||
		    put(data, &len, hdr, sizeof(hdr)) != 0 ||
		    put(data, &len, c[i].rdata, c[i].len) != 0)
			goto fallback;
	}
	/* a key that is not a point on the curve goes to ldns too */
	if (EVP_Digest(data, len, digest, &dlen, md, NULL) != 1 ||
	    (esig = ec_sig(ldns_rdf_data(sigf), 2 * half)) == NULL ||
	    (eckey = ec_key(ldns_rdf_data(keyf), 2 * half, group)) == NULL)
		goto fallback;
	v = ECDSA_do_verify(digest, (int)dlen, esig, eckey);
	if (v < 0)
		goto fallback;
	*st = v == 1 ? LDNS_STATUS_OK : LDNS_STATUS_CRYPTO_BOGUS;
	goto out;
fallback:
	handled = 0;
out:
	ECDSA_SIG_free(esig);
	EC_KEY_free(eckey);
	return handled;
}
