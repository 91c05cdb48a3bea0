/* cli/registrar_cmd.h - what dsreg epp and dsreg opensrs share: options, verb table, dispatch, output */
#ifndef DSREG_CLI_REGISTRAR_CMD_H
#define DSREG_CLI_REGISTRAR_CMD_H

#include <stddef.h>

#include <jansson.h>

#include "cli/cli.h"
#include "common/error.h"

/*
 * One run of "dsreg FRONTEND [options] ACCOUNT VERB ARG...".  A front end's
 * own run struct starts with this one; its options are parsed into that
 * struct (option offsets are offsetof the front end's struct).
 */
struct regcmd_run {
	struct cli *c;
	const struct account *acct;
	const char *verb;
	struct dsreg_err err;
	json_t *out;              /* a JSON object being filled, or NULL */
};

/*
 * A verb: "info" with min..max operands (max -1: no limit).  run gets the
 * front end's run struct and the operands; it is the command's boundary
 * and returns an exit status.
 */
struct regcmd_verb {
	const char *name;
	int min, max;
	const char *args;         /* usage: "DOMAIN [DS...]" */
	int (*run)(void *r, int argc, char **argv);
};

struct regcmd {
	const char *name;                   /* "epp": the command word */
	enum account_type type;             /* of the ACCOUNT */
	size_t size;                        /* the front end's run struct */
	const struct regcmd_verb *verbs;
	size_t nverbs;
	const struct cli_opt *opts;
	size_t nopts;
	const char *notes;                  /* the end of the usage text */
	/* Before the account is read: check (and normalise) the operands;
	 * 0 or DSREG_EINVAL (message printed).  NULL: none. */
	int (*check)(void *r, int argc, char **argv);
	/* Connect for r->acct; an exit status (message printed). */
	int (*open)(void *r);
	/* Release what open made, also after a failed open. */
	void (*close)(void *r);
};

/* Run the command (argv[0] is its name); returns an exit status. */
int regcmd_main(struct cli *c, const struct regcmd *rc, int argc,
    char **argv);

/* Print j per --format (json: indented, jsonl: one line); NULL: nothing.
 * j stays the caller's. */
void regcmd_emit(const struct cli *c, json_t *j);

#endif
