/* cli/fix.h - what plan, apply and instructions share: options, the engine set up from the config, output */
#ifndef DSREG_CLI_FIX_H
#define DSREG_CLI_FIX_H

#include "cli/audit.h"
#include "cli/output.h"
#include "engine/engine.h"

struct fix_opts {
	struct audit_args sel;        /* --keys, --our-ns, --domains */
	int yes;                      /* apply: no confirmation */
	long wait;                    /* apply: seconds to wait for publication */
	int argc;
	char **argv;
};

/* A plan, apply or instructions run: the engine and what it borrows. */
struct fix {
	struct cli *c;
	struct fix_opts o;
	struct engine e;
	struct engine_audit audit;
	struct engine_account *accounts;
	struct output *out;           /* NULL: nothing written per domain */
};

/*
 * Parse the selection options (and --yes/--wait for apply): 0, CLI_HELP
 * (usage shown) or DSREG_EINVAL (usage error, printed).
 */
int fix_parse(struct cli *c, enum engine_mode mode, int argc, char **argv,
    struct fix_opts *o);

/*
 * Set the engine up from the options and the config (key store,
 * domains, resolvers, accounts and their registrar types) and open it.
 * 0 or DSREG_* (printed).  fix_close also after a failure.
 */
int fix_open(struct fix *f, struct cli *c, enum engine_mode mode,
    const struct fix_opts *o);

/*
 * Audit and plan every domain; with_output each is written (with its
 * "account", "plan" and "actions").  0 or DSREG_* (printed).
 */
int fix_plan(struct fix *f, int with_output);

void fix_close(struct fix *f);

/* The registrar implementation of an account type. */
const struct registrar_ops *fix_registrar_ops(enum account_type type);

#endif
