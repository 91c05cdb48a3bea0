/* tucows/domain.h - typed OpenSRS domain calls: listing, lock state, DS read/replace, the relock sequence */
#ifndef DSREG_TUCOWS_DOMAIN_H
#define DSREG_TUCOWS_DOMAIN_H

#include <stddef.h>

#include "tucows/client.h"

struct ds_set;
struct dsreg_err;

/*
 * Every call below returns 0 when the API reported success, DSREG_EREMOTE
 * when it reported a failure (res holds is_success, response_code,
 * response_text and the retry class), or a transport/parse error code.
 * res must be initialised (osrs_result_init) and is released by the
 * caller with osrs_result_free; err (may be NULL) gets a message naming
 * the host, the action and the domain.
 */

/* One domain of the reseller's account. */
struct osrs_domain {
	char *name;
	char *expiredate;     /* as the API wrote it, or NULL */
};

struct osrs_domain_list {
	struct osrs_domain *v;
	size_t n, cap;
};

/* Release the names; the list is left empty and reusable. */
void osrs_domain_list_free(struct osrs_domain_list *list);

#define OSRS_LIST_PAGES_MAX 10000

/*
 * GET_DOMAINS_BY_EXPIREDATE over [exp_from, exp_to] (YYYY-MM-DD; NULL:
 * 1970-01-01 and 2199-12-31), limit domains per page (0: 100).  Pages are
 * followed while the reply says remainder=1, whether the server counts
 * pages from 0 or from 1: the first request asks for page 0 and the next
 * page is the reply's `page` + 1 (a server that refuses page 0 with a
 * 4xx "fix the request" code is asked for page 1 instead); names are
 * de-duplicated; an item whose name is not letters, digits, '-', '_' and
 * '.' is skipped with a warning.  Two pages in a
 * row without a new name while remainder=1 give DSREG_EPROTO (no endless
 * loop).  Domains are appended to out (on failure out keeps what was
 * appended; free it either way).
 */
DSREG_MUST_CHECK
int osrs_domain_list(struct osrs_client *c, const char *exp_from,
    const char *exp_to, int limit, struct osrs_domain_list *out,
    struct osrs_result *res, struct dsreg_err *err);

/* GET DOMAIN type=status: *locked = 1 or 0 (lock_state). */
DSREG_MUST_CHECK
int osrs_domain_get_lock(struct osrs_client *c, const char *domain,
    int *locked, struct osrs_result *res, struct dsreg_err *err);

/* MODIFY DOMAIN data=status lock_state=0/1 affect_domains=0. */
DSREG_MUST_CHECK
int osrs_domain_set_lock(struct osrs_client *c, const char *domain,
    int locked, struct osrs_result *res, struct dsreg_err *err);

/*
 * GET DOMAIN type=dnssec: the DS records (appended to out, owner set to
 * domain).  An empty or absent dnssec array is an empty set.
 */
DSREG_MUST_CHECK
int osrs_domain_get_ds(struct osrs_client *c, const char *domain,
    struct ds_set *out, struct osrs_result *res, struct dsreg_err *err);

/*
 * SET_DNSSEC_INFO: REPLACE the domain's whole DS set with set (an empty
 * set removes DNSSEC; a record given twice is sent once).  The API refuses this on a locked domain: see
 * osrs_domain_replace_ds.
 */
DSREG_MUST_CHECK
int osrs_domain_set_ds(struct osrs_client *c, const char *domain,
    const struct ds_set *set, struct osrs_result *res, struct dsreg_err *err);

/* ---- the unlock -> set DS -> relock sequence ---------------------- */

enum osrs_step {
	OSRS_STEP_UNLOCK,
	OSRS_STEP_SET_DS,
	OSRS_STEP_RELOCK,
};

/* "unlock", "set-ds", "relock". */
const char *osrs_step_name(enum osrs_step step);

struct osrs_step_info {
	const char *domain;
	enum osrs_step step;
	int before;                     /* 1: about to send; 0: done */
	int rc;                         /* after: the step's return code */
	const struct osrs_result *res;  /* after: its result (may be empty) */
};

/*
 * Called before and after each change the sequence makes (e.g. to write a
 * journal entry).  Returning non-zero before a step cancels it and the
 * rest of the sequence (the original lock state is still restored);
 * the return value after a step is ignored.
 */
typedef int (*osrs_step_fn)(void *ctx, const struct osrs_step_info *info);

struct osrs_replace_opts {
	int relock;            /* unlock a locked domain first, lock it after */
	osrs_step_fn step;     /* may be NULL */
	void *step_ctx;
};

/* What the sequence did; filled on every path. */
struct osrs_replace_report {
	int was_locked;        /* lock state found first (-1: not read) */
	int unlock_sent;       /* an unlock was sent (it may have been applied
	                        * even if its reply was lost) */
	int set_sent;          /* SET_DNSSEC_INFO was sent */
	int set_ok;            /* ... and the API reported success */
	int relock_sent;
	int relocked;          /* the domain is locked again */
	int relock_failed;     /* the domain may be LEFT UNLOCKED */
	int set_code;          /* response_code of the set (0 if none) */
};

/*
 * Replace domain's DS set, keeping its lock state: with opts->relock and
 * a locked domain, unlock it, set the DS, and lock it again - on every
 * path after the unlock was sent (failed set, lost connection, a
 * cancelled step, an unlock answered with a transient code), relocking is
 * attempted (up to 3 times); only an unlock the API clearly refused
 * (retry class NEVER or FIX) is not followed by a relock.  Without
 * relock, or on an unlocked domain, only the set is sent.
 *
 * Returns 0 when the DS set was replaced and the lock state is as found.
 * Returns DSREG_ESTATE when the relock failed: the domain may be left
 * UNLOCKED; err says so in capitals with the cause and whether the DS set
 * was replaced, and the same text is logged at DSREG_LOG_ERR.  Otherwise
 * returns the failing step's code (lock state restored): res and err
 * describe that step.
 */
DSREG_MUST_CHECK
int osrs_domain_replace_ds(struct osrs_client *c, const char *domain,
    const struct ds_set *set, const struct osrs_replace_opts *opts,
    struct osrs_replace_report *rep, struct osrs_result *res,
    struct dsreg_err *err);

#endif
