/* ds/digest.c - DS records: computing digests (RFC 4034 §5.1.4), making, printing, matching */
#include "ds/ds.h"
#include "common/error.h"

#include <ctype.h>
#include <ldns/ldns.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ds_rec_free(struct ds_rec *ds)
{
	if (ds == NULL)
		return;
	free(ds->owner_text);
	free(ds->source);
	free(ds);
}

int
ds_rec_new(struct ds_rec **out, const uint8_t *owner, size_t owner_len,
    uint16_t key_tag, uint8_t algorithm, uint8_t digest_type,
    const uint8_t *digest, size_t digest_len, struct dsreg_err *err)
{
	struct ds_rec *ds;
	size_t want;

	want = ds_digest_len(digest_type);
	if (digest_type == 0 && algorithm == 0 && key_tag == 0 &&
	    digest_len == 1 && digest[0] == 0)
		want = 1; /* RFC 8078 §4 delete signal: CDS 0 0 0 00 */
	if (want == 0)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "RFC 4034 §5.1.3: unknown DS digest type %u", digest_type);
	if (digest_len != want)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "RFC 4034 §5.1.4: %s digest must be %zu octets, got %zu",
		    ds_digest_name(digest_type) ? ds_digest_name(digest_type) :
		    "delete-signal", want, digest_len);
	if (owner_len > DS_NAME_WIRE_MAX)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "DS owner name longer than 255 octets");
	if ((ds = calloc(1, sizeof(*ds))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	if (owner_len > 0) {
		memcpy(ds->owner, owner, owner_len);
		ds->owner_len = owner_len;
		if ((ds->owner_text = ds_name_to_text(owner, owner_len)) ==
		    NULL) {
			ds_rec_free(ds);
			return dsreg_err_set(err, DSREG_ENOMEM,
			    "out of memory");
		}
	}
	ds->key_tag = key_tag;
	ds->algorithm = algorithm;
	ds->digest_type = digest_type;
	memcpy(ds->digest, digest, digest_len);
	ds->digest_len = digest_len;
	*out = ds;
	return 0;
}

int
ds_rec_dup(struct ds_rec **out, const struct ds_rec *ds)
{
	struct ds_rec *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return DSREG_ENOMEM;
	*d = *ds;
	d->owner_text = ds->owner_text ? strdup(ds->owner_text) : NULL;
	d->source = ds->source ? strdup(ds->source) : NULL;
	if ((ds->owner_text && !d->owner_text) || (ds->source && !d->source)) {
		ds_rec_free(d);
		return DSREG_ENOMEM;
	}
	*out = d;
	return 0;
}

/* hash(canonical owner | RDATA); len of md written to *mdlen. */
static EVP_MD *fetched[3];       /* SHA-1, SHA-256, SHA-384; set once */
static pthread_once_t fetched_once = PTHREAD_ONCE_INIT;

static void
fetch_digests(void)
{
	fetched[0] = EVP_MD_fetch(NULL, "SHA1", NULL);
	fetched[1] = EVP_MD_fetch(NULL, "SHA256", NULL);
	fetched[2] = EVP_MD_fetch(NULL, "SHA384", NULL);
}

const EVP_MD *
ds_digest_evp(enum ds_digest type)
{
	int i;

	switch (type) {
	case DS_DIGEST_SHA1: i = 0; break;
	case DS_DIGEST_SHA256: i = 1; break;
	case DS_DIGEST_SHA384: i = 2; break;
	default: return NULL;
	}
	pthread_once(&fetched_once, fetch_digests);
	if (fetched[i] != NULL)
		return fetched[i];
	/* not fetchable (a restricted provider): let OpenSSL look it up */
	return i == 0 ? EVP_sha1() : i == 1 ? EVP_sha256() : EVP_sha384();
}

static int
digest_key(const struct ds_key *key, uint8_t type, uint8_t *md,
    unsigned *mdlen, struct dsreg_err *err)
{
	const EVP_MD *evp;
	EVP_MD_CTX *ctx = NULL;
	uint8_t owner[DS_NAME_WIRE_MAX];
	size_t i;
	int rc = 0;

	switch (type) {
	case DS_DIGEST_SHA1:
	case DS_DIGEST_SHA256:
	case DS_DIGEST_SHA384:
		evp = ds_digest_evp((enum ds_digest)type);
		break;
	case DS_DIGEST_GOST:
		return dsreg_err_set(err, DSREG_EUNSUPPORTED,
		    "DS digest type 3 (GOST R 34.11-94) is not supported "
		    "(RFC 9904: MUST NOT be used for delegation)");
	default:
		return dsreg_err_set(err, DSREG_EINVAL,
		    "unknown DS digest type %u", type);
	}
	/* RFC 4034 §6.2: canonical form lowercases the owner name. */
	for (i = 0; i < key->owner_len; i++)
		owner[i] = (uint8_t)tolower(key->owner[i]);
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if (EVP_DigestInit_ex(ctx, evp, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, owner, key->owner_len) != 1 ||
	    EVP_DigestUpdate(ctx, key->rdata, key->rdata_len) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, mdlen) != 1)
		rc = dsreg_err_set(err, DSREG_EUNSUPPORTED,
		    "OpenSSL refused digest %s", ds_digest_name(type));
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
ds_compute(struct ds_rec **out, const struct ds_key *key, enum ds_digest type,
    struct dsreg_err *err)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	struct ds_rec *ds = NULL;
	unsigned mdlen = 0;
	int rc;

	if ((rc = digest_key(key, (uint8_t)type, md, &mdlen, err)) != 0)
		return rc;
	if ((rc = ds_rec_new(&ds, key->owner, key->owner_len, key->key_tag,
	    key->algorithm, (uint8_t)type, md, mdlen, err)) != 0)
		return rc;
	ds->ttl = key->ttl;
	ds->has_ttl = key->has_ttl;
	ds->cds = key->cdnskey;
	*out = ds;
	return 0;
}

int
ds_rec_from_ldns(struct ds_rec **out, const struct ldns_struct_rr *rr,
    struct dsreg_err *err)
{
	const ldns_rdf *owner, *d;
	struct ds_rec *ds = NULL;
	ldns_rr_type type;
	int rc;

	type = ldns_rr_get_type(rr);
	if (type != LDNS_RR_TYPE_DS && type != LDNS_RR_TYPE_CDS)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "not a DS or CDS record");
	if (ldns_rr_rd_count(rr) != 4)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "RFC 4034 §5.1: DS record needs 4 fields");
	owner = ldns_rr_owner(rr);
	d = ldns_rr_rdf(rr, 3);
	if ((rc = ds_rec_new(&ds, ldns_rdf_data(owner), ldns_rdf_size(owner),
	    ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)),
	    ldns_rdf2native_int8(ldns_rr_rdf(rr, 1)),
	    ldns_rdf2native_int8(ldns_rr_rdf(rr, 2)),
	    ldns_rdf_data(d), ldns_rdf_size(d), err)) != 0)
		return rc;
	ds->ttl = ldns_rr_ttl(rr);
	ds->cds = type == LDNS_RR_TYPE_CDS;
	*out = ds;
	return 0;
}

int
ds_rec_is_delete(const struct ds_rec *ds)
{
	return ds->key_tag == 0 && ds->algorithm == 0 &&
	    ds->digest_type == 0 && ds->digest_len == 1 && ds->digest[0] == 0;
}

void
ds_rec_digest_hex(const struct ds_rec *ds, char *buf)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < ds->digest_len; i++) {
		buf[2 * i] = hex[ds->digest[i] >> 4];
		buf[2 * i + 1] = hex[ds->digest[i] & 15];
	}
	buf[2 * ds->digest_len] = '\0';
}

char *
ds_rec_rdata_text(const struct ds_rec *ds)
{
	char hex[2 * DS_DIGEST_MAX + 1], *s;

	ds_rec_digest_hex(ds, hex);
	if (asprintf(&s, "%u %u %u %s", ds->key_tag, ds->algorithm,
	    ds->digest_type, hex) < 0)
		return NULL;
	return s;
}

char *
ds_rec_to_text(const struct ds_rec *ds, int with_ttl)
{
	char *rdata, *s = NULL, ttl[16] = "";
	int n;

	if ((rdata = ds_rec_rdata_text(ds)) == NULL)
		return NULL;
	if (with_ttl)
		snprintf(ttl, sizeof(ttl), "%u ", ds->ttl);
	n = asprintf(&s, "%s %sIN %s %s",
	    ds->owner_text ? ds->owner_text : ".", ttl,
	    ds->cds ? "CDS" : "DS", rdata);
	free(rdata);
	return n < 0 ? NULL : s;
}

int
ds_rec_equal(const struct ds_rec *a, const struct ds_rec *b)
{
	return a->key_tag == b->key_tag && a->algorithm == b->algorithm &&
	    a->digest_type == b->digest_type &&
	    a->digest_len == b->digest_len &&
	    memcmp(a->digest, b->digest, a->digest_len) == 0;
}

int
ds_key_digest(const struct ds_key *key, enum ds_digest type, uint8_t *md,
    size_t *len)
{
	uint8_t buf[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	int rc;

	if ((rc = digest_key(key, (uint8_t)type, buf, &n, NULL)) != 0)
		return rc;
	if (n > DS_DIGEST_MAX)
		return DSREG_EINVAL;
	memcpy(md, buf, n);
	*len = n;
	return 0;
}

int
ds_rec_matches_key(const struct ds_rec *ds, const struct ds_key *key)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	if (ds->key_tag != key->key_tag || ds->algorithm != key->algorithm)
		return 0;
	if (!ds_name_equal(ds->owner, ds->owner_len, key->owner,
	    key->owner_len) && ds->owner_len != 0)
		return 0;
	if (digest_key(key, ds->digest_type, md, &mdlen, NULL) != 0)
		return 0;
	return mdlen == ds->digest_len && memcmp(md, ds->digest, mdlen) == 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;            /* ASCII lower case; no locale lookup per digit */
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long
ds_hex_decode(const char *hex, size_t len, uint8_t *out, size_t max)
{
	size_t i;
	int hi, lo;

	if (len == 0 || len % 2 != 0 || len / 2 > max)
		return -1;
	for (i = 0; i < len / 2; i++) {
		if ((hi = hexval((unsigned char)hex[2 * i])) < 0 ||
		    (lo = hexval((unsigned char)hex[2 * i + 1])) < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

int
ds_rec_parse_rdata(struct ds_rec **out, const char *text,
    struct dsreg_err *err)
{
	uint8_t digest[DS_DIGEST_MAX + 1];
	unsigned long f[3];
	const char *p = text;
	char *end;
	size_t n = 0;
	int i, hi = -1, v;

	for (i = 0; i < 3; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			return dsreg_err_set(err, DSREG_EPARSE,
			    "DS '%s': expected TAG ALG TYPE HEXDIGEST", text);
		f[i] = strtoul(p, &end, 10);
		if ((*end != ' ' && *end != '\t') ||
		    f[i] > (i == 0 ? 65535UL : 255UL))
			return dsreg_err_set(err, DSREG_EPARSE,
			    "DS '%s': field %d is not a number in range "
			    "(expected TAG ALG TYPE HEXDIGEST)", text, i + 1);
		p = end;
	}
	for (; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if ((v = hexval((unsigned char)*p)) < 0)
			return dsreg_err_set(err, DSREG_EPARSE,
			    "DS '%s': digest has a non-hex character '%c'",
			    text, *p);
		if (hi < 0)
			hi = v;
		else {
			if (n == sizeof(digest))
				return dsreg_err_set(err, DSREG_EPARSE,
				    "DS '%s': digest too long", text);
			digest[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "DS '%s': digest has an odd number of hex digits", text);
	if (n == 0)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "DS '%s': digest missing (expected TAG ALG TYPE "
		    "HEXDIGEST)", text);
	return ds_rec_new(out, NULL, 0, (uint16_t)f[0], (uint8_t)f[1],
	    (uint8_t)f[2], digest, n, err);
}

static int
is_number(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int
ds_rec_parse_args(int argc, char **argv, struct ds_set *out,
    struct dsreg_err *err)
{
	struct ds_rec *ds = NULL;
	char *joined = NULL;
	int i = 0, rc = 0;

	while (i < argc) {
		if (strchr(argv[i], ' ') != NULL ||
		    strchr(argv[i], '\t') != NULL) {
			rc = ds_rec_parse_rdata(&ds, argv[i], err);
			i++;
		} else {
			if (i + 3 >= argc || !is_number(argv[i]) ||
			    !is_number(argv[i + 1]) ||
			    !is_number(argv[i + 2])) {
				rc = dsreg_err_set(err, DSREG_EPARSE,
				    "DS argument '%s': expected TAG ALG TYPE "
				    "HEXDIGEST as one word or four", argv[i]);
				goto out;
			}
			if (asprintf(&joined, "%s %s %s %s", argv[i],
			    argv[i + 1], argv[i + 2], argv[i + 3]) < 0) {
				rc = dsreg_err_set(err, DSREG_ENOMEM,
				    "out of memory");
				goto out;
			}
			rc = ds_rec_parse_rdata(&ds, joined, err);
			free(joined);
			joined = NULL;
			i += 4;
		}
		if (rc != 0)
			goto out;
		if ((rc = ds_set_add(out, ds)) != 0) {
			ds_rec_free(ds);
			rc = dsreg_err_set(err, rc, "out of memory");
			goto out;
		}
		ds = NULL;
	}
out:
	return rc;
}
