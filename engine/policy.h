/* engine/policy.h - what each parent zone's registry does by itself: CDS/CDNSKEY scanning, bootstrap, limits */
#ifndef DSREG_ENGINE_POLICY_H
#define DSREG_ENGINE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "dns/plan.h"
#include "ds/ds.h"

/*
 * One row per parent zone: the built-in table is engine/tld-policy.conf,
 * compiled into the program (the Makefile turns it into C under $(BUILD));
 * the config's [tld ZONE] sections and its `cds_tlds` list override or add
 * rows.  Every field may be unknown: nothing is assumed that the source
 * does not say.
 */

enum engine_policy_reads {
	ENGINE_READS_UNKNOWN = 0,
	ENGINE_READS_NONE,          /* the registry does not scan */
	ENGINE_READS_CDS,
	ENGINE_READS_CDNSKEY,
	ENGINE_READS_BOTH,          /* CDS and CDNSKEY */
};

enum engine_policy_boot {
	ENGINE_BOOT_UNKNOWN = 0,
	ENGINE_BOOT_NONE,           /* an insecure delegation is not secured
	                               from CDS/CDNSKEY */
	ENGINE_BOOT_DELAY,          /* after a waiting period (RFC 8078 §3.3) */
	ENGINE_BOOT_RFC9615,        /* at once from authenticated RFC 9615
	                               signals (else after its waiting period) */
};

enum engine_policy_iface {
	ENGINE_IFACE_UNKNOWN = 0,
	ENGINE_IFACE_DSDATA,        /* RFC 5910 dsData: DS records */
	ENGINE_IFACE_KEYDATA,       /* RFC 5910 keyData: DNSKEYs */
};

struct engine_policy_row {
	char *zone;                 /* lower case, no trailing dot */
	enum engine_policy_reads reads;
	enum engine_policy_boot bootstrap;
	unsigned scan_delay_hours;  /* 0: unknown */
	unsigned max_ds;            /* 0: unknown */
	uint32_t refuses;           /* bit n: digest type n refused */
	int refuses_known;          /* refuses was given (possibly empty) */
	enum engine_policy_iface iface;
	char *source;               /* URLs, or "FILE:LINE" of a config row */
};

/* A table of rows.  Zero-initialise; release with engine_policy_free. */
struct engine_policy {
	struct engine_policy_row *v;
	size_t n;
};

/* The text of engine/tld-policy.conf and its name (generated C). */
extern const char engine_policy_builtin_text[];
extern const char engine_policy_builtin_name[];

/*
 * Parse policy text (the format of engine/tld-policy.conf: one row per
 * line, columns zone, reads, bootstrap, scan_delay_hours, max_ds, refuses,
 * interface, then the source to the end of the line; '#' starts a
 * comment) into p, adding rows or replacing rows of the same zone.
 * Errors name name:line and the column: DSREG_EPARSE, DSREG_ENOMEM.
 */
int engine_policy_parse(struct engine_policy *p, const char *name,
    const char *text, size_t len, struct dsreg_err *err);

/* p = the built-in table (engine_policy_parse of the compiled text). */
int engine_policy_builtin(struct engine_policy *p, struct dsreg_err *err);

/*
 * Set one column of zone's row (added, all unknown, when there is none)
 * from a config key: reads, bootstrap, scan_delay_hours, max_ds, refuses,
 * interface (dsData|ds, keyData|key, unknown) or source.  On an error
 * *msg says what is wrong (static or in buf) and DSREG_EPARSE is returned;
 * DSREG_ENOMEM.
 */
int engine_policy_set(struct engine_policy *p, const char *zone,
    const char *key, const char *value, char *buf, size_t buflen,
    const char **msg);

/* Is zone a name a row can have (1 or 0)? */
int engine_policy_zone_ok(const char *zone);

/* The row of zone, or NULL (case-insensitive, trailing dot ignored). */
const struct engine_policy_row *engine_policy_find(
    const struct engine_policy *p, const char *zone);
/*
 * The row of a domain's parent: parent's own row when parent is known,
 * else the nearest enclosing zone of domain that has a row.  NULL: none.
 */
const struct engine_policy_row *engine_policy_lookup(
    const struct engine_policy *p, const char *domain, const char *parent);

void engine_policy_free(struct engine_policy *p);

/* Does the registry read CDS or CDNSKEY by itself (row may be NULL)? */
int engine_policy_scans(const struct engine_policy_row *r);

/* "cds", "cdnskey", "both", "none", "unknown" */
const char *engine_policy_reads_name(enum engine_policy_reads r);
/* "rfc9615", "delay", "none", "unknown" */
const char *engine_policy_boot_name(enum engine_policy_boot b);
/* "dsData", "keyData", "unknown" */
const char *engine_policy_iface_name(enum engine_policy_iface i);

/*
 * The target set the registry accepts: kept gets the DS of target whose
 * digest type r does not refuse (copies), and *dropped_types the bits of
 * the refused digest types that were in target.  r NULL keeps all.
 * 0 or DSREG_ENOMEM.
 */
int engine_policy_filter(const struct engine_policy_row *r,
    const struct ds_set *target, struct ds_set *kept,
    uint32_t *dropped_types);

/*
 * Amend a plan made for the filtered target (pure): a note at its head
 * for each digest type dropped ("the registry of ZONE refuses SHA-1 DS
 * records: not sent"), and a change whose final set holds more DS than
 * r->max_ds becomes a refusal saying so.  zone: the name used when r is
 * NULL (else r->zone).  0 or DSREG_ENOMEM.
 */
int engine_policy_amend(const struct engine_policy_row *r, const char *zone,
    uint32_t dropped_types, struct dns_plan *p);

/* How a domain's DS change is made (the JSON "route"). */
enum engine_route_kind {
	ENGINE_ROUTE_NONE = 0,      /* nothing to do */
	ENGINE_ROUTE_ACCOUNT,       /* an account changes it: its type word */
	ENGINE_ROUTE_NOTIFY,        /* NOTIFY(CDS) to the parent's DSYNC
	                               target (RFC 9859) */
	ENGINE_ROUTE_SCAN,          /* the registry reads CDS/CDNSKEY: wait */
	ENGINE_ROUTE_MANUAL,        /* instructions for a person */
};

/*
 * The route of a planned domain (pure): plan kind NOTHING gives none; an
 * account that alone claims the domain gives account; a conflict
 * (several claim it) manual; a DSYNC target (has_notify) notify; a
 * parent whose registry scans registry-scan (for an insecure delegation,
 * no DS at the parent, only where it bootstraps one); else manual.
 */
enum engine_route_kind engine_policy_route(enum dns_plan_kind kind,
    int has_account, int conflict, int has_notify, int insecure,
    const struct engine_policy_row *r);
/* "none", "notify", "registry-scan", "manual" ("account" for ACCOUNT:
 * callers print the account's type word instead). */
const char *engine_route_kind_name(enum engine_route_kind k);

/*
 * The action note of a domain the registry of zone picks up by itself:
 * "the registry of ZONE picks the DS up from CDS within about N hours:
 * nothing to send" (CDNSKEY-only parents: "needs CDNSKEY: ...").  zone:
 * the name used when r is NULL (else r->zone).  Into buf; returns buf.
 */
const char *engine_policy_scan_note(const struct engine_policy_row *r,
    const char *zone, char *buf, size_t len);

/*
 * The row as JSON: {"zone", "reads", "bootstrap", "scan_delay_hours",
 * "max_ds", "refuses", "interface", "source"}; unknown numbers and an
 * unknown refuses list are null.  New reference; NULL: ENOMEM.
 */
typedef struct json_t json_t;
json_t *engine_policy_json(const struct engine_policy_row *r);

/* "sha1", "sha256", "gost", "sha384" or the number, into buf. */
const char *engine_policy_digest_word(unsigned type, char *buf, size_t len);

#endif
