/* engine/selection.h - which domains audit/plan/apply work on: arguments, --domains FILE, or the key store */
#ifndef DSREG_ENGINE_SELECTION_H
#define DSREG_ENGINE_SELECTION_H

#include <stddef.h>

#include "ds/ds.h"

/* One problem with one input line or argument (already formatted). */
typedef void (*engine_selection_error_fn)(void *ctx, const char *msg);

/*
 * The domains to work on, in input order without duplicates, as absolute
 * lower-case names, and the key store (if any) indexed by zone.
 * Zero-initialise; release with engine_selection_free.
 */
struct engine_selection {
	char **domains;
	size_t n, cap;
	size_t nbad;               /* input lines/arguments refused */
	int have_keys;             /* a key store was read */
	struct ds_keyset keys;     /* every K-file key found */
	char **idx_zone;           /* zone of idx_key[i], absolute, lower case */
	const struct ds_key **idx_key; /* keys sorted by zone (borrowed) */
	size_t nidx;
};

/*
 * Check one domain name as typed by a user or read from a file.  On
 * success writes the absolute lower-case name into out (at least 1100
 * bytes: escapes are kept) and returns 0; otherwise returns DSREG_EPARSE
 * with a reason in why (e.g. "label 'xyz...' is 64 octets; RFC 1035
 * §2.3.4 allows 63", or for a U-label IDN the suggested A-label).
 */
int engine_selection_check_name(const char *text, char *out, size_t outlen,
    char *why, size_t whylen);

/*
 * Fill sel.  keys_dir (may be NULL) is read recursively for K-files; a
 * K-file that cannot be read is reported through on_error and skipped.
 * Domains come from argv, then from domains_file ("-" is stdin; one name
 * per line, '#' starts a comment); with neither, from the zones that have
 * keys in the key store.  Every bad line or argument is reported through
 * on_error as "FILE:LINE: 'text': reason" and counted in nbad; the others
 * are kept.  Returns 0, or DSREG_EIO/DSREG_ENOMEM/DSREG_EINVAL (err says
 * what) when the key store or the file cannot be read at all, or when no
 * source of domains was given.
 */
int engine_selection_load(struct engine_selection *sel, const char *keys_dir,
    const char *domains_file, int argc, char **argv,
    engine_selection_error_fn on_error, void *ctx, struct dsreg_err *err);

/* Keys of a zone (absolute, lower case) in the key store; *n may be 0. */
const struct ds_key *const *engine_selection_zone_keys(const struct engine_selection *sel,
    const char *zone, size_t *n);

void engine_selection_free(struct engine_selection *sel);

#endif
