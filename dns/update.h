/* dns/update.h - DS changes at a parent's primary by RFC 2136 UPDATE signed with TSIG (RFC 8945) */
#ifndef DSREG_DNS_UPDATE_H
#define DSREG_DNS_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "common/registrar.h"

struct dsreg_err;
struct ds_set;

/*
 * `type = dnsupdate`: the account names the parent zone (`zone`), its
 * primary (`server` ADDR[@PORT]) and a TSIG key file (`tsig_key_file`).
 * read asks the primary for the child's DS (UDP, TCP when truncated);
 * apply sends one UPDATE over TCP signed with the key: prerequisite "the
 * child's NS RRset exists" (a delegation), then the DS to add before the
 * DS to remove, or (remove all) the DS RRset deleted and the final set
 * added; the answer's TSIG is verified.  NOERROR: applied; a refusing
 * rcode (REFUSED, NOTAUTH with BADSIG/BADKEY/BADTIME, NOTZONE, a failed
 * prerequisite...): refused, named in the note; no (valid) answer:
 * unknown.  No locks, no listing.
 */
extern const struct registrar_ops dns_update_registrar_ops;

/* A TSIG key.  Release with dns_update_key_free. */
struct dns_tsig_key {
	char *name;          /* absolute, lower case */
	char *algorithm;     /* ldns form: "hmac-sha256." */
	char *secret;        /* base64, a protected secret (common/secret.h) */
};

/*
 * Parse a key file in BIND's syntax, as tsig-keygen writes it:
 *     key "NAME" { algorithm hmac-sha256; secret "BASE64"; };
 * (comments #, // and C style; one key statement).  Algorithms:
 * hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512 (hmac-md5 and
 * hmac-sha1 are refused, RFC 8945 §6).  path names the file in errors
 * ("path:line: rule"); the secret never appears in err.  On success *key
 * is filled (the caller frees it with dns_update_key_free).
 */
int dns_update_key_parse(const char *text, size_t len, const char *path,
    struct dns_tsig_key *key, struct dsreg_err *err);

/* Read path with dsreg_secret_read (mode rules of secrets) and parse it. */
int dns_update_key_read(const char *path, struct dns_tsig_key *key,
    struct dsreg_err *err);

void dns_update_key_free(struct dns_tsig_key *key);

/* The DS changes of one UPDATE message (borrowed). */
struct dns_update_change {
	const char *zone;            /* the parent zone */
	const char *child;           /* the delegation */
	uint32_t ttl;                /* of the DS added */
	const struct ds_set *add;
	const struct ds_set *rem;
	int rem_all;                 /* delete the DS RRset, then add final */
	const struct ds_set *final;
};

/*
 * Build the UPDATE message of ch (not signed): zone section zone/SOA/IN,
 * prerequisite NS RRset of child exists, the update section as above.
 * *out is freed with ldns_pkt_free.  0 or DSREG_EPARSE (a bad name) or
 * DSREG_ENOMEM.
 */
int dns_update_build(const struct dns_update_change *ch, ldns_pkt **out,
    struct dsreg_err *err);

/* "NOERROR", "REFUSED", "NOTAUTH", ... or "RCODE n"; TSIG errors
 * "BADSIG", "BADKEY", "BADTIME", ... or "TSIG error n". */
const char *dns_update_rcode_name(unsigned rcode);
const char *dns_update_tsig_error_name(unsigned err);

#endif
