/* ds/key.c - DNSKEY/CDNSKEY records: validation, key tag, flags, timing */
#include "ds/ds.h"
#include "common/error.h"

#include <ldns/ldns.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint16_t
ds_keytag(const uint8_t *rdata, size_t len)
{
	uint32_t ac = 0;
	size_t i;

	if (len >= 4 && rdata[3] == 1) {
		/*
		 * RFC 4034 Appendix B.1: for RSA/MD5 the tag is the most
		 * significant 16 bits of the least significant 24 bits of the
		 * modulus, i.e. the third- and second-to-last octets.
		 */
		if (len < 7)
			return 0;
		return (uint16_t)((rdata[len - 3] << 8) | rdata[len - 2]);
	}
	for (i = 0; i < len; i++)
		ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
	ac += (ac >> 16) & 0xFFFF;
	return (uint16_t)(ac & 0xFFFF);
}

/* BIND (RSA_MAX_PUBEXP_BITS) refuses longer exponents as "out of range". */
#define RSA_EXP_MAX_BITS 35

/* Significant bits of a big-endian unsigned number. */
static size_t
exp_bits(const uint8_t *v, size_t n)
{
	size_t i;
	unsigned b;

	for (i = 0; i < n && v[i] == 0; i++)
		;
	if (i == n)
		return 0;
	for (b = 0; (v[i] >> b) != 0; b++)
		;
	return (n - i - 1) * 8 + b;
}

/*
 * Public key length by algorithm: RFC 3110 §2 (RSA exponent length
 * prefix), RFC 6605 §4 (ECDSA 64/96 octets), RFC 8080 §3 (Ed25519 32,
 * Ed448 57 octets).  Catches truncated base64 that still decodes.
 */
static int
check_pubkey(uint8_t alg, const uint8_t *k, size_t n, struct dsreg_err *err)
{
	size_t want = 0, explen, off;

	switch (alg) {
	case 13: want = 64; break;
	case 14: want = 96; break;
	case 15: want = 32; break;
	case 16: want = 57; break;
	case 1: case 5: case 7: case 8: case 10:
		if (n < 1)
			goto short_rsa;
		if (k[0] != 0) {
			explen = k[0];
			off = 1;
		} else {
			if (n < 3)
				goto short_rsa;
			explen = (size_t)(k[1] << 8 | k[2]);
			off = 3;
		}
		/* RFC 3110 §2, RFC 5702 §2: moduli of 512 to 4096 bits. */
		if (explen == 0 || n < off + explen + 64)
			goto short_rsa;
		if (exp_bits(k + off, explen) > RSA_EXP_MAX_BITS)
			return dsreg_err_set(err, DSREG_EPARSE,
			    "RFC 3110 §2: RSA public exponent of %zu bits is "
			    "out of range (BIND loads no key whose exponent "
			    "is longer than %d bits)", exp_bits(k + off,
			    explen), RSA_EXP_MAX_BITS);
		if (n - off - explen > 512)
			return dsreg_err_set(err, DSREG_EPARSE,
			    "RFC 3110 §2: RSA modulus longer than 4096 bits");
		return 0;
	default:
		return 0;
	}
	if (n != want)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "%s: algorithm %u (%s) public key must be %zu octets, got "
		    "%zu (truncated?)", alg <= 14 ? "RFC 6605 §4" :
		    "RFC 8080 §3", alg, ds_alg_name(alg), want, n);
	return 0;
short_rsa:
	return dsreg_err_set(err, DSREG_EPARSE,
	    "RFC 3110 §2: RSA public key of %zu octets is truncated "
	    "(exponent and a modulus of at least 512 bits expected)", n);
}

void
ds_key_free(struct ds_key *key)
{
	if (key == NULL)
		return;
	free(key->owner_text);
	free(key->rdata);
	free(key->source);
	free(key);
}

int
ds_key_check(const uint8_t *rdata, size_t rdata_len, struct dsreg_err *err)
{
	if (rdata_len < 4)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "RFC 4034 §2.1: DNSKEY RDATA of %zu octets is too short",
		    rdata_len);
	if (rdata[2] != 3)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "RFC 4034 §2.1.2: DNSKEY protocol field is %u, must be 3",
		    rdata[2]);
	if (!ds_alg_known(rdata[3]) &&
	    !(rdata_len == 5 && rdata[0] == 0 && rdata[1] == 0 &&
	    rdata[3] == 0))
		return dsreg_err_set(err, DSREG_EPARSE,
		    "RFC 4034 §2.1.3: unknown DNSSEC algorithm %u", rdata[3]);
	if (rdata_len == 4)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "RFC 4034 §2.1.4: DNSKEY has no public key");
	return check_pubkey(rdata[3], rdata + 4, rdata_len - 4, err);
}

/* A key from owner and RDATA; checked with ds_key_check when `check`. */
static int
key_make(struct ds_key **out, const uint8_t *owner, size_t owner_len,
    const uint8_t *rdata, size_t rdata_len, int check, struct dsreg_err *err)
{
	struct ds_key *key = NULL;
	int rc = 0;

	if (owner_len == 0 || owner_len > DS_NAME_WIRE_MAX)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "DNSKEY owner name missing or longer than 255 octets");
	if (rdata_len < 4)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "RFC 4034 §2.1: DNSKEY RDATA of %zu octets is too short",
		    rdata_len);
	if (check && (rc = ds_key_check(rdata, rdata_len, err)) != 0)
		return rc;
	if ((key = calloc(1, sizeof(*key))) == NULL ||
	    (key->rdata = malloc(rdata_len)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(key->owner, owner, owner_len);
	key->owner_len = owner_len;
	if ((key->owner_text = ds_name_to_text(owner, owner_len)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	memcpy(key->rdata, rdata, rdata_len);
	key->rdata_len = rdata_len;
	key->flags = (uint16_t)((rdata[0] << 8) | rdata[1]);
	key->protocol = rdata[2];
	key->algorithm = rdata[3];
	key->key_tag = ds_keytag(rdata, rdata_len);
	*out = key;
	key = NULL;
out:
	ds_key_free(key);
	return rc;
}

int
ds_key_new(struct ds_key **out, const uint8_t *owner, size_t owner_len,
    const uint8_t *rdata, size_t rdata_len, struct dsreg_err *err)
{
	return key_make(out, owner, owner_len, rdata, rdata_len, 1, err);
}

static int
key_from_ldns(struct ds_key **out, const struct ldns_struct_rr *rr, int check,
    struct dsreg_err *err)
{
	ldns_buffer *buf = NULL;
	const ldns_rdf *owner;
	struct ds_key *key = NULL;
	ldns_rr_type type;
	size_t i;
	int rc = 0;

	type = ldns_rr_get_type(rr);
	if (type != LDNS_RR_TYPE_DNSKEY && type != LDNS_RR_TYPE_CDNSKEY)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "not a DNSKEY or CDNSKEY record");
	if ((buf = ldns_buffer_new(512)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < ldns_rr_rd_count(rr); i++)
		if (ldns_rdf2buffer_wire(buf, ldns_rr_rdf(rr, i)) !=
		    LDNS_STATUS_OK) {
			rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
			goto out;
		}
	owner = ldns_rr_owner(rr);
	if ((rc = key_make(&key, ldns_rdf_data(owner), ldns_rdf_size(owner),
	    ldns_buffer_begin(buf), ldns_buffer_position(buf), check,
	    err)) != 0)
		goto out;
	key->ttl = ldns_rr_ttl(rr);
	key->cdnskey = type == LDNS_RR_TYPE_CDNSKEY;
	*out = key;
	key = NULL;
out:
	ldns_buffer_free(buf);
	ds_key_free(key);
	return rc;
}

int
ds_key_from_ldns(struct ds_key **out, const struct ldns_struct_rr *rr,
    struct dsreg_err *err)
{
	return key_from_ldns(out, rr, 1, err);
}

int
ds_key_from_ldns_unchecked(struct ds_key **out,
    const struct ldns_struct_rr *rr, struct dsreg_err *err)
{
	return key_from_ldns(out, rr, 0, err);
}

int
ds_key_dup(struct ds_key **out, const struct ds_key *key)
{
	struct ds_key *k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return DSREG_ENOMEM;
	*k = *key;
	k->owner_text = NULL;
	k->rdata = NULL;
	k->source = NULL;
	k->owner_text = strdup(key->owner_text);
	k->rdata = malloc(key->rdata_len);
	if (key->source != NULL)
		k->source = strdup(key->source);
	if (k->owner_text == NULL || k->rdata == NULL ||
	    (key->source != NULL && k->source == NULL)) {
		ds_key_free(k);
		return DSREG_ENOMEM;
	}
	memcpy(k->rdata, key->rdata, key->rdata_len);
	*out = k;
	return 0;
}

int
ds_key_is_zone(const struct ds_key *key)
{
	return (key->flags & DS_FLAG_ZONE) != 0;
}

int
ds_key_is_sep(const struct ds_key *key)
{
	return (key->flags & DS_FLAG_SEP) != 0;
}

int
ds_key_is_revoked(const struct ds_key *key)
{
	return (key->flags & DS_FLAG_REVOKE) != 0;
}

int
ds_key_is_delete(const struct ds_key *key)
{
	/* RFC 8078 §4: CDNSKEY 0 3 0 AA== (public key one zero octet). */
	return key->flags == 0 && key->protocol == 3 && key->algorithm == 0 &&
	    key->rdata_len == 5 && key->rdata[4] == 0;
}

static int
reached(time_t when, time_t now)
{
	return when != 0 && when <= now;
}

int
ds_key_expected(const struct ds_key *key, time_t now)
{
	const struct ds_timing *t = &key->timing;

	if (!ds_key_is_zone(key) || !ds_key_is_sep(key) ||
	    ds_key_is_revoked(key))
		return 0;
	if (t->publish != 0 && t->publish > now)
		return 0;
	if (t->syncpublish != 0 && t->syncpublish > now)
		return 0;
	if (reached(t->inactive, now) || reached(t->delete_, now) ||
	    reached(t->syncdelete, now) || reached(t->revoke, now))
		return 0;
	return 1;
}

char *
ds_key_rdata_text(const struct ds_key *key)
{
	size_t klen = key->rdata_len - 4;
	char *b64, *s = NULL;

	if (klen > (1u << 16) || (b64 = malloc(4 * ((klen + 2) / 3) + 1)) == NULL)
		return NULL;
	EVP_EncodeBlock((unsigned char *)b64, key->rdata + 4, (int)klen);
	if (asprintf(&s, "%u %u %u %s", key->flags, key->protocol,
	    key->algorithm, b64) < 0)
		s = NULL;
	free(b64);
	return s;
}
