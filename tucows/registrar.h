/* tucows/registrar.h - the registrar interface (common/registrar.h) over the OpenSRS API */
#ifndef DSREG_TUCOWS_REGISTRAR_H
#define DSREG_TUCOWS_REGISTRAR_H

#include "common/error.h"
#include "common/registrar.h"
#include "tucows/domain.h"

struct account;
struct dsreg_log;

/*
 * Make a client for account a (type opensrs): url, username, ca_file,
 * subreseller, timeout and rate from the account, the API key read with
 * dsreg_secret_read (a group/world-readable key_file is refused) and
 * wiped once the client has its copy, log copied into the client.
 * Returns 0 with *out set (osrs_client_free), DSREG_EINVAL (wrong type,
 * key_file not set or unreadable, bad settings) or DSREG_ENOMEM, with
 * err saying "account NAME: ..." (never the key).  The program must
 * ignore SIGPIPE before using the client (see tucows/client.h).
 */
DSREG_MUST_CHECK
int osrs_client_from_account(const struct account *a,
    const struct dsreg_log *log, struct osrs_client **out,
    struct dsreg_err *err);

/* The interface's step for a step of osrs_domain_replace_ds. */
enum registrar_step osrs_registrar_step(enum osrs_step step);

/*
 * How a replace ended, from its return code and report: APPLIED when the
 * DS set was replaced (rc 0, or only the relock failed); NOT_SENT when
 * the set was never sent; REFUSED when the API answered the set with a
 * code that says the request cannot succeed as it is (retry class NEVER
 * or FIX); UNKNOWN otherwise (no answer, or a transient or undocumented
 * code such as 705 or 405: it may have been applied).
 */
enum registrar_outcome osrs_replace_outcome(int rc,
    const struct osrs_replace_report *rep);

/*
 * The registrar interface over the OpenSRS API (type "opensrs"; locks
 * and listing).  apply replaces the whole DS set (osrs_domain_replace_ds,
 * unlocking and locking again when the account has relock set) unless
 * GET DOMAIN type=dnssec already shows c->final; the hook sees unlock,
 * set-ds and relock (a relock is sent whatever before returns).  apply
 * returns 0 when the outcome is APPLIED or ALREADY with the lock as
 * found; DSREG_ESTATE with rep->relock_failed when the domain may be
 * left unlocked (the outcome says whether the set was replaced); else
 * the failing request's code.  Callers must ignore SIGPIPE.
 */
extern const struct registrar_ops osrs_registrar_ops;

#endif
