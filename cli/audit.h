/* cli/audit.h - the audit options and the audit setup built from them and the config */
#ifndef DSREG_CLI_AUDIT_H
#define DSREG_CLI_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cli/cli.h"
#include "engine/audit.h"

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
 * message printed) or DSREG_ENOMEM.  Free with engine_audit_free (also
 * after failure).
 */
int cli_audit_setup(struct cli *c, struct engine_audit *s,
    const struct audit_args *a, int argc, char **argv);

#endif
