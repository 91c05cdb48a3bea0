/* ds/ds.h - DNSSEC keys and DS records: parsing, key tags, digests, sets, policy */
#ifndef DSREG_DS_DS_H
#define DSREG_DS_DS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/types.h>

#include "common/error.h"

struct dsreg_err;
struct ldns_struct_rr;

/* DS digest types (IANA "Digest Algorithms"). */
enum ds_digest {
	DS_DIGEST_SHA1 = 1,
	DS_DIGEST_SHA256 = 2,
	DS_DIGEST_GOST = 3,
	DS_DIGEST_SHA384 = 4,
};

/*
 * OpenSSL's implementation of a DS digest type (SHA-1, SHA-256, SHA-384),
 * fetched once per process: OpenSSL 3 otherwise looks the algorithm up by
 * name on every use of EVP_sha256() and the like.  Shared, never freed;
 * NULL for other types.
 */
const EVP_MD *ds_digest_evp(enum ds_digest type);

/* DNSKEY flags bits (RFC 4034 §2.1.1, RFC 5011 §7). */
#define DS_FLAG_ZONE   0x0100
#define DS_FLAG_REVOKE 0x0080
#define DS_FLAG_SEP    0x0001

#define DS_NAME_WIRE_MAX 255   /* RFC 1035 §3.1 */
#define DS_DIGEST_MAX    64

/*
 * BIND K-file timing metadata (the "; Publish: YYYYMMDDHHMMSS" comments).
 * 0 means the field is absent.
 */
struct ds_timing {
	time_t created, publish, activate, revoke, inactive, delete_,
	    syncpublish, syncdelete;
};

/* One DNSKEY or CDNSKEY record. */
struct ds_key {
	uint8_t owner[DS_NAME_WIRE_MAX]; /* wire form, case as given */
	size_t owner_len;
	char *owner_text;     /* presentation form, absolute ("example.com.") */
	uint32_t ttl;
	int has_ttl;          /* TTL given explicitly in the source */
	uint16_t flags;
	uint8_t protocol;
	uint8_t algorithm;
	uint8_t *rdata;       /* whole RDATA: flags | protocol | alg | key */
	size_t rdata_len;
	uint16_t key_tag;     /* RFC 4034 Appendix B */
	int cdnskey;          /* 1 if it came from a CDNSKEY record */
	struct ds_timing timing;
	char *source;         /* file it came from (or NULL) */
	unsigned line;        /* line in source (0 if unknown) */
};

/* One DS or CDS record. */
struct ds_rec {
	uint8_t owner[DS_NAME_WIRE_MAX];
	size_t owner_len;     /* 0 if the record has no owner (CLI argument) */
	char *owner_text;     /* NULL when owner_len is 0 */
	uint32_t ttl;
	int has_ttl;
	uint16_t key_tag;
	uint8_t algorithm;
	uint8_t digest_type;
	uint8_t digest[DS_DIGEST_MAX];
	size_t digest_len;
	int cds;              /* 1 if it came from (or is printed as) CDS */
	char *source;
	unsigned line;
};

/* Growable arrays owning their elements. Zero-initialise before use. */
struct ds_keyset {
	struct ds_key **v;
	size_t n, cap;
};
struct ds_set {
	struct ds_rec **v;
	size_t n, cap;
};

/* ---- keys ---------------------------------------------------------- */

/* RFC 4034 Appendix B key tag over a DNSKEY RDATA (alg 1: Appendix B.1). */
uint16_t ds_keytag(const uint8_t *rdata, size_t len);

/*
 * Make a key from an owner name (wire form) and DNSKEY RDATA.  Checks the
 * protocol field (must be 3, RFC 4034 §2.1.2), the length, and that the
 * algorithm is a known DNSSEC algorithm.  On error err names the rule.
 * *out is freed with ds_key_free().
 */
int ds_key_new(struct ds_key **out, const uint8_t *owner, size_t owner_len,
    const uint8_t *rdata, size_t rdata_len, struct dsreg_err *err);
/* Same from an ldns DNSKEY or CDNSKEY RR. */
int ds_key_from_ldns(struct ds_key **out, const struct ldns_struct_rr *rr,
    struct dsreg_err *err);
/*
 * The rules ds_key_new enforces, on their own: 0 if the RDATA is a usable
 * DNSKEY, else DSREG_EPARSE with err naming the rule (protocol 3, known
 * algorithm, public key length, RSA exponent of at most 35 bits as BIND
 * requires).
 */
int ds_key_check(const uint8_t *rdata, size_t rdata_len,
    struct dsreg_err *err);
/*
 * A key from an ldns DNSKEY or CDNSKEY RR without the checks of
 * ds_key_check (only the RDATA must have its four fixed octets): what
 * dnssec-dsfromkey does with the records of a zone file, whose DS it
 * computes from the RDATA alone.  Freed with ds_key_free().
 */
int ds_key_from_ldns_unchecked(struct ds_key **out,
    const struct ldns_struct_rr *rr, struct dsreg_err *err);
void ds_key_free(struct ds_key *key);
/* Deep copy. */
int ds_key_dup(struct ds_key **out, const struct ds_key *key);

int ds_key_is_zone(const struct ds_key *key);    /* Zone Key bit set */
int ds_key_is_sep(const struct ds_key *key);     /* SEP bit: KSK or CSK */
int ds_key_is_revoked(const struct ds_key *key); /* REVOKE bit */

/*
 * Is this key expected to have a DS at `now`?  Zone key, SEP, not revoked,
 * and per its timing metadata: published (Publish, SyncPublish not in the
 * future) and not retired (Inactive, Delete, SyncDelete not reached).
 */
int ds_key_expected(const struct ds_key *key, time_t now);

/* The RFC 8078 §4 CDNSKEY delete signal (0 3 0 AA==). */
int ds_key_is_delete(const struct ds_key *key);

/* RDATA in presentation form: "257 3 13 base64..." (one line). malloc'd. */
char *ds_key_rdata_text(const struct ds_key *key);

/* ---- DS ------------------------------------------------------------ */

/*
 * DS digest = hash(canonical owner name | DNSKEY RDATA), RFC 4034 §5.1.4,
 * with OpenSSL EVP.  GOST (3) gives DSREG_EUNSUPPORTED with a clear
 * message; other unknown types DSREG_EINVAL.  *out owned by the caller.
 */
int ds_compute(struct ds_rec **out, const struct ds_key *key,
    enum ds_digest type, struct dsreg_err *err);

/* Make a DS from parts (owner may be NULL/0); digest_len checked per type. */
int ds_rec_new(struct ds_rec **out, const uint8_t *owner, size_t owner_len,
    uint16_t key_tag, uint8_t algorithm, uint8_t digest_type,
    const uint8_t *digest, size_t digest_len, struct dsreg_err *err);
int ds_rec_from_ldns(struct ds_rec **out, const struct ldns_struct_rr *rr,
    struct dsreg_err *err);
int ds_rec_dup(struct ds_rec **out, const struct ds_rec *ds);
void ds_rec_free(struct ds_rec *ds);

/*
 * Parse DS data "TAG ALG TYPE HEXDIGEST" from argv: each record either as
 * one word with spaces or as four words.  Hex is case-insensitive and may
 * contain spaces inside the one-word form.  Records are appended to out.
 */
int ds_rec_parse_args(int argc, char **argv, struct ds_set *out,
    struct dsreg_err *err);
/* Parse one record "TAG ALG TYPE HEX" (the RDATA part only). */
int ds_rec_parse_rdata(struct ds_rec **out, const char *text,
    struct dsreg_err *err);

/*
 * Decode len characters of hex (either case, no separators) into out.
 * Returns the number of octets, or -1 when the text is empty, has an odd
 * number of digits, a character that is not hex, or more than max octets.
 */
long ds_hex_decode(const char *hex, size_t len, uint8_t *out, size_t max);

/* The RFC 8078 §4 CDS delete signal (0 0 0 00). */
int ds_rec_is_delete(const struct ds_rec *ds);

/*
 * Presentation form exactly as BIND's dnssec-dsfromkey prints it:
 * "example.com. IN DS 12345 13 2 ABCD..." ("IN CDS" when ds->cds; with
 * the TTL after the owner when with_ttl).  Returns a malloc'd string.
 */
char *ds_rec_to_text(const struct ds_rec *ds, int with_ttl);
/* RDATA only: "12345 13 2 ABCD..." (upper-case hex). malloc'd. */
char *ds_rec_rdata_text(const struct ds_rec *ds);
/* Digest as upper-case hex into buf (at least 2*DS_DIGEST_MAX+1). */
void ds_rec_digest_hex(const struct ds_rec *ds, char *buf);

/* Same RDATA (key tag, algorithm, digest type, digest; owner ignored). */
int ds_rec_equal(const struct ds_rec *a, const struct ds_rec *b);

/*
 * Does ds refer to key: same key tag and algorithm and the digest of key
 * under ds's digest type equals ds's digest.  Returns 1 or 0 (0 also for
 * digest types we cannot compute, like GOST).
 */
int ds_rec_matches_key(const struct ds_rec *ds, const struct ds_key *key);

/*
 * The DS digest of key under digest type `type` (RFC 4034 §5.1.4: owner
 * name in canonical form, then the DNSKEY RDATA) into md (room for
 * DS_DIGEST_MAX octets), its length in *len.  0, or DSREG_EUNSUPPORTED /
 * DSREG_EINVAL for types that cannot be computed.
 */
int ds_key_digest(const struct ds_key *key, enum ds_digest type, uint8_t *md,
    size_t *len);

/* ---- sets ---------------------------------------------------------- */

/* Append; on success ownership moves to the set (on failure the caller keeps it). */
DSREG_MUST_CHECK
int ds_set_add(struct ds_set *set, struct ds_rec *ds);
/* Append a copy. */
DSREG_MUST_CHECK
int ds_set_add_copy(struct ds_set *set, const struct ds_rec *ds);
int ds_set_contains(const struct ds_set *set, const struct ds_rec *ds);
/* Same records regardless of order and duplicates. */
int ds_set_equal(const struct ds_set *a, const struct ds_set *b);
/* out receives copies of the records of a that are not in b. */
int ds_set_diff(const struct ds_set *a, const struct ds_set *b,
    struct ds_set *out);
void ds_set_free(struct ds_set *set);   /* frees elements, keeps *set reusable */
/* Sort by key tag, algorithm, digest type, digest. */
void ds_set_sort(struct ds_set *set);

/* Append a key; ownership as for ds_set_add. */
DSREG_MUST_CHECK
int ds_keyset_add(struct ds_keyset *set, struct ds_key *key);
void ds_keyset_free(struct ds_keyset *set);
/* The key in set that ds refers to, or NULL. */
const struct ds_key *ds_keyset_match(const struct ds_keyset *set,
    const struct ds_rec *ds);

/* ---- algorithm and digest policy (RFC 9904, RFC 8624 before it) ---- */

enum ds_req {
	DS_REQ_MUST_NOT = 0,
	DS_REQ_NOT_RECOMMENDED,
	DS_REQ_MAY,
	DS_REQ_RECOMMENDED,
	DS_REQ_MUST,
	DS_REQ_UNKNOWN,
};

/* Use of a DNSSEC algorithm for signing (RFC 9904 §3 table). */
enum ds_req ds_alg_signing_req(uint8_t alg);
/* Use of a DS digest type for delegation (RFC 9904 §3 table). */
enum ds_req ds_digest_delegation_req(uint8_t type);
/* True if alg is an assigned DNSSEC zone-signing algorithm we know. */
int ds_alg_known(uint8_t alg);
/* Mnemonic ("ECDSAP256SHA256"), or NULL if unknown. */
const char *ds_alg_name(uint8_t alg);
/* Mnemonic ("SHA-256"), or NULL if unknown. */
const char *ds_digest_name(uint8_t type);
/* Parse "sha256", "SHA-256", "2" (case-insensitive). 0 or DSREG_EINVAL. */
int ds_digest_from_name(const char *name, enum ds_digest *out);
/* Expected digest length in octets, 0 if unknown type. */
size_t ds_digest_len(uint8_t type);
const char *ds_req_name(enum ds_req req);

/* ---- reading keys from files --------------------------------------- */

/*
 * What a parse collected.  keys gets DNSKEY and CDNSKEY records, dss gets
 * DS and CDS records; other record types are skipped.
 */
struct ds_parse_result {
	struct ds_keyset keys;
	struct ds_set dss;
	char **warnings;      /* "file:line: rule ..." messages (DS_PARSE_ZONE) */
	size_t nwarnings;
};
void ds_parse_result_free(struct ds_parse_result *res);

/* Flags of ds_parse_file and ds_parse_buffer. */
#define DS_PARSE_APEX_ONLY 0x01 /* keep only records owned by origin */
#define DS_PARSE_INCLUDE   0x02 /* follow $INCLUDE (else it is an error) */
/*
 * Load the way dnssec-dsfromkey loads a zone (-f): a record with no TTL
 * before any $TTL or explicit TTL is an error (except the SOA, which then
 * gives its minimum); a DNSKEY that breaks a rule of ds_key_check is kept
 * unchecked, and a CDNSKEY, DS or CDS that breaks one is skipped; each
 * with a warning in res->warnings.
 */
#define DS_PARSE_ZONE      0x04
/*
 * The file was not named by the user (a key store file found by walking
 * a directory): error messages name file:line and the rule but never
 * quote its content.  Files read through $INCLUDE are always treated so.
 */
#define DS_PARSE_PRIVATE   0x08
/*
 * There must be a DNSKEY (at origin with DS_PARSE_APEX_ONLY), else the
 * parse fails with DSREG_ENOTFOUND: as dnssec-dsfromkey fails when it
 * finds no DNSKEY to compute a DS from.
 */
#define DS_PARSE_NEED_DNSKEY 0x10

/*
 * Parse presentation-format records (zone file syntax: $ORIGIN, $TTL,
 * $INCLUDE with DS_PARSE_INCLUDE, parentheses, relative names, comments)
 * from a file or buffer.  `origin` (may be NULL) is the initial origin;
 * `flags` are DS_PARSE_* bits.  Every physical line is checked for UTF-8
 * validity and a length limit first.  Errors name file:line and the rule;
 * parsing stops at the first error.
 */
int ds_parse_file(const char *path, const char *origin, int flags,
    struct ds_parse_result *res, struct dsreg_err *err);
int ds_parse_buffer(const char *data, size_t len, const char *name,
    const char *origin, int flags, struct ds_parse_result *res,
    struct dsreg_err *err);

/*
 * Read one BIND K-file (K<zone>+<alg>+<tag>.key): the DNSKEY record and
 * its timing metadata.  The zone, algorithm and key tag in the file name
 * (when it has that form) must agree with the content.  A K-file may not
 * use $INCLUDE, and errors never quote its content (it lies beside the
 * private key, in a directory others may write to).
 */
int ds_kfile_read(const char *path, struct ds_key **out,
    struct dsreg_err *err);

/*
 * Read every K*.key file in dir (and its subdirectories when recursive),
 * in a stable order (file name, then path).  A file that cannot
 * be read is reported through on_error (if non-NULL) and skipped; the
 * return value is 0 if all were read, DSREG_EPARSE if some were skipped,
 * or another code if dir itself could not be read.
 */
typedef void (*ds_kdir_error_fn)(void *ctx, const struct dsreg_err *err);
int ds_kdir_read(const char *dir, int recursive, struct ds_keyset *out,
    ds_kdir_error_fn on_error, void *ctx, struct dsreg_err *err);

/* Name helpers: presentation <-> wire (via ldns), canonical compare. */
int ds_name_from_text(const char *text, uint8_t *wire, size_t *len,
    struct dsreg_err *err);
char *ds_name_to_text(const uint8_t *wire, size_t len);
int ds_name_equal(const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen);

#endif
