/* cli/audit.h - the audit engine run by audit (and later plan/apply): selection, worker pool, judgement */
#ifndef DSREG_CLI_AUDIT_H
#define DSREG_CLI_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/selection.h"
#include "dns/dns.h"

/* Everything an audit run needs, built from options and config. */
struct audit_setup {
	struct selection sel;        /* domains and key store */
	struct dns_ctx *ctx;         /* resolvers, caches */
	char **our_ns;               /* absolute, lower case */
	size_t nour_ns;
	uint8_t digests[8];          /* DS digest types to expect */
	size_t ndigests;
	time_t now;
	int jobs;
};

/* The selection options: --keys DIR, --our-ns LIST, --domains FILE. */
struct audit_args {
	const char *keys, *our_ns, *domains;
};

/* Their option table entries, for a command whose option struct T holds
 * a struct audit_args `sel` (or is one, with T = struct audit_args). */
#define AUDIT_SELECTION_OPTS(T) \
	{ .name = "keys", .short_name = 'K', .kind = CLI_OPT_STR, \
	    .off = AUDIT_ARG_OFF(T, keys), .arg = "DIR", \
	    .help = "the key store (K*.key files)" }, \
	{ .name = "our-ns", .short_name = 'n', .kind = CLI_OPT_STR, \
	    .off = AUDIT_ARG_OFF(T, our_ns), .arg = "NAME[,NAME...]", \
	    .help = "our name servers" }, \
	{ .name = "domains", .short_name = 'd', .kind = CLI_OPT_STR, \
	    .off = AUDIT_ARG_OFF(T, domains), .arg = "FILE", \
	    .help = "domains to check, one a line" }
#define AUDIT_ARG_OFF(T, f) \
	(offsetof(T, sel) + offsetof(struct audit_args, f))

/*
 * Build the setup from the selection options (a: NULL fields when not
 * given; DOMAIN... in argv) and the config (keys, our_ns, digests,
 * resolver).  Bad domain lines are reported on stderr and counted in
 * s->sel.nbad.  Returns 0, DSREG_EINVAL (bad option, config or input;
 * message printed) or DSREG_ENOMEM.  Free with audit_setup_free (also
 * after failure).
 */
int audit_setup(struct cli *c, struct audit_setup *s,
    const struct audit_args *a, int argc, char **argv);
void audit_setup_free(struct audit_setup *s);

/*
 * Audit one domain (collect from its parent and child servers, judge) as
 * audit_run does.  *out is freed with dns_audit_free.  0 or DSREG_*.
 */
int audit_domain(struct audit_setup *s, const char *domain,
    struct dns_audit **out);

/*
 * Called once per domain by the worker that audited it, not serialised,
 * before the result function: work that can run in parallel (rendering the
 * output).  What it returns is handed to the result function as `pre`.
 */
typedef void *(*audit_prepare_fn)(void *arg, const struct dns_audit *a);

/*
 * Called once per domain, serialised (one at a time), in completion order,
 * with what the prepare function returned (NULL without one); it owns pre.
 * The audit is freed after the call returns.  A non-zero return is
 * remembered and returned by audit_run (the run continues).
 */
typedef int (*audit_result_fn)(void *arg, struct dns_audit *a, void *pre);

/*
 * Audit every selected domain with s->jobs worker threads: collect what
 * every parent and child server answers, judge it, hand it to fn.
 * Memory is bounded by the number of workers, not of domains.  Returns 0
 * or the first error code (DSREG_ENOMEM, or what fn returned).
 */
int audit_run(struct audit_setup *s, audit_prepare_fn prep,
    audit_result_fn fn, void *arg);

#endif
