/* dns/verify.c - an RRSIG over an RRset checked with one key: ECDSA from the wire data through EVP, the rest by ldns */
#include "dns/internal.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * ldns_verify_rrsig_time() builds a text-driven legacy key, the canonical
 * RRset in growing buffers and a digest context for every check.  For
 * ECDSA (13, 14), the algorithms almost every signed zone uses, the check
 * is done here from the wire data with OpenSSL's EVP API; everything else,
 * and every shape this path does not take (wildcards, names in RDATA, a
 * key that is not a point on the curve), goes to ldns, whose answer this
 * path must give (tests/unit/test_dns_verify.c compares the two).
 *
 * Why it stays (make bench, tests/bench/audit.sh, 10,000 domains, two
 * signature checks per domain: the child's DNSKEY RRset and the parent's
 * DS RRset): with ldns alone the audit ran at 2,070 domains/s, 4.8 s user
 * CPU; with this path 3,500 domains/s, 2.2 s user CPU, against a goal of
 * 3x the lab servers' own rate (about 4,100-4,900 domains/s on that run).
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
 * RFC 6605 §4: the key is x|y, the signature r|s, each `half` octets.
 * 1 valid, 0 not valid, -1 OpenSSL could not take the key (not a point
 * on the curve) or ran out of memory: the caller leaves it to ldns.
 */
static int
ec_verify(const uint8_t *xy, const uint8_t *rs, size_t half, int p384,
    const uint8_t *digest, size_t dlen)
{
	uint8_t pub[1 + 96], der[2 * 48 + 16], *p = der;
	OSSL_PARAM prm[3];
	EVP_PKEY_CTX *kc = NULL, *vc = NULL;
	EVP_PKEY *pk = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	int n, v = -1;

	if (half > 48)
		return -1;
	pub[0] = 0x04;                       /* uncompressed point */
	memcpy(pub + 1, xy, 2 * half);
	prm[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
	    p384 ? "secp384r1" : "prime256v1", 0);
	prm[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	    pub, 1 + 2 * half);
	prm[2] = OSSL_PARAM_construct_end();
	if ((kc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(kc) != 1 ||
	    EVP_PKEY_fromdata(kc, &pk, EVP_PKEY_PUBLIC_KEY, prm) != 1)
		goto out;
	/* the signature as the DER SEQUENCE OpenSSL verifies */
	if ((es = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(rs, (int)half, NULL)) == NULL ||
	    (s = BN_bin2bn(rs + half, (int)half, NULL)) == NULL ||
	    ECDSA_SIG_set0(es, r, s) != 1)
		goto out;
	r = s = NULL;                        /* es owns them now */
	if (i2d_ECDSA_SIG(es, NULL) > (int)sizeof(der) ||
	    (n = i2d_ECDSA_SIG(es, &p)) <= 0)
		goto out;
	if ((vc = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) == NULL ||
	    EVP_PKEY_verify_init(vc) != 1)
		goto out;
	v = EVP_PKEY_verify(vc, der, (size_t)n, digest, dlen);
	if (v != 1)
		v = v == 0 ? 0 : -1;
out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	EVP_PKEY_CTX_free(vc);
	EVP_PKEY_CTX_free(kc);
	EVP_PKEY_free(pk);
	return v;
}

/* Types whose RDATA holds no domain name: their wire RDATA is canonical. */
static int
nameless_rdata(ldns_rr_type t)
{
	return t == LDNS_RR_TYPE_DNSKEY || t == LDNS_RR_TYPE_DS ||
	    t == LDNS_RR_TYPE_NSEC3 || t == LDNS_RR_TYPE_CDS ||
	    t == LDNS_RR_TYPE_CDNSKEY;
}

ldns_status
dns_verify_sig(ldns_rr_list *rrset, const ldns_rr *sig, const ldns_rr *key,
    time_t now)
{
	ldns_rr_type type;
	uint8_t alg, data[DATA_MAX], rd[DATA_MAX], digest[EVP_MAX_MD_SIZE];
	const ldns_rdf *owner, *signer, *sigf, *keyf;
	const EVP_MD *md;
	int p384, v;
	struct canon c[MAX_KEYS];
	uint8_t hdr[10];
	size_t nrr, i, len = 0, half, rdused = 0;
	uint32_t exp, inc, now32 = (uint32_t)now, ttl;
	unsigned dlen = 0;
	ldns_status st = LDNS_STATUS_OK;

	if (ldns_rr_rd_count(sig) != 9 || ldns_rr_rd_count(key) != 4)
		goto fallback;
	alg = ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(sig));
	if (alg == LDNS_ECDSAP256SHA256) {
		md = ds_digest_evp(DS_DIGEST_SHA256);
		p384 = 0;
		half = 32;
	} else if (alg == LDNS_ECDSAP384SHA384) {
		md = ds_digest_evp(DS_DIGEST_SHA384);
		p384 = 1;
		half = 48;
	} else
		goto fallback;               /* ldns does the others */
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
	    ldns_rdf_size(sigf) != 2 * half || ldns_rdf_size(keyf) != 2 * half ||
	    ldns_calc_keytag(key) !=
	    ldns_rdf2native_int16(ldns_rr_rrsig_keytag(sig)))
		goto fallback;
	exp = ldns_rdf2native_int32(ldns_rr_rrsig_expiration(sig));
	inc = ldns_rdf2native_int32(ldns_rr_rrsig_inception(sig));
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
	if (EVP_Digest(data, len, digest, &dlen, md, NULL) != 1)
		goto fallback;
	v = ec_verify(ldns_rdf_data(keyf), ldns_rdf_data(sigf), half, p384,
	    digest, dlen);
	if (v < 0)
		goto fallback;
	if (v == 0)
		return LDNS_STATUS_CRYPTO_BOGUS;
	/* the validity period once the signature holds, as ldns orders it;
	 * RFC 4034 §3.1.5: serial number arithmetic */
	if ((int32_t)(inc - exp) > 0)
		return LDNS_STATUS_CRYPTO_EXPIRATION_BEFORE_INCEPTION;
	if ((int32_t)(now32 - inc) < 0)
		return LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED;
	if ((int32_t)(exp - now32) < 0)
		return LDNS_STATUS_CRYPTO_SIG_EXPIRED;
	return LDNS_STATUS_OK;
fallback:
	/* ldns does the canonical form (RFC 4034 §6), the validity period
	 * and the crypto through OpenSSL; it changes neither record */
	st = ldns_verify_rrsig_time(rrset, (ldns_rr *)sig, (ldns_rr *)key,
	    now);
	return st;
}
