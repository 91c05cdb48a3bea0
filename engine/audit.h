/* engine/audit.h - the audit worker pool: collect from every parent and child server, judge, hand on */
#ifndef DSREG_ENGINE_AUDIT_H
#define DSREG_ENGINE_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dns/dns.h"
#include "engine/selection.h"

/* Everything an audit run needs (built by the caller from options and
 * config; engine_audit_free releases what it holds). */
struct engine_audit {
	struct engine_selection sel; /* domains and key store */
	struct dns_ctx *ctx;         /* resolvers, caches */
	char **our_ns;               /* absolute, lower case */
	size_t nour_ns;
	uint8_t digests[8];          /* DS digest types to expect */
	size_t ndigests;
	time_t now;
	int jobs;                    /* worker threads */
};

void engine_audit_free(struct engine_audit *s);

/*
 * Audit one domain (collect from its parent and child servers, judge) as
 * engine_audit_run does.  *out is freed with dns_audit_free.  0 or DSREG_*.
 */
int engine_audit_domain(struct engine_audit *s, const char *domain,
    struct dns_audit **out);

/*
 * Called once per domain by the worker that audited it, not serialised,
 * before the result function: work that can run in parallel (rendering the
 * output).  What it returns is handed to the result function as `pre`.
 */
typedef void *(*engine_prepare_fn)(void *arg, const struct dns_audit *a);

/*
 * Called once per domain, serialised (one at a time), in completion order,
 * with what the prepare function returned (NULL without one); it owns pre.
 * The audit is freed after the call returns.  A non-zero return is
 * remembered and returned by engine_audit_run (the run continues).
 */
typedef int (*engine_result_fn)(void *arg, struct dns_audit *a, void *pre);

/*
 * Audit every selected domain with s->jobs worker threads: collect what
 * every parent and child server answers, judge it, hand it to fn.
 * Memory is bounded by the number of workers, not of domains.  Returns 0
 * or the first error code (DSREG_ENOMEM, or what fn returned).
 */
int engine_audit_run(struct engine_audit *s, engine_prepare_fn prep,
    engine_result_fn fn, void *arg);

#endif
