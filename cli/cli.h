/* cli/cli.h - what the dsreg program's subcommands share: global options, config, output */
#ifndef DSREG_CLI_CLI_H
#define DSREG_CLI_CLI_H

#include <stddef.h>

#include "common/log.h"
#include "cli/config.h"
#include "cli/options.h"

/* Exit status, INTERFACE.md "Exit status". */
enum {
	EXIT_OK = 0,      /* all domains ok (or not-ours/unsigned) */
	EXIT_ACTION = 1,  /* some domain needs action */
	EXIT_USAGE = 2,   /* usage or configuration error */
	EXIT_RUNTIME = 3, /* runtime failure */
};

enum cli_format { FMT_TEXT, FMT_JSON, FMT_JSONL, FMT_CSV, FMT_OPENMETRICS,
	FMT_HTML };

#define CLI_MAX_RESOLVERS 16

struct cli {
	const char *config_path;     /* -c; NULL: search the default places */
	char *resolvers[CLI_MAX_RESOLVERS]; /* --resolver ADDR[@PORT] */
	size_t nresolvers;
	long jobs;                   /* -j; 0 = default */
	enum cli_format format;
	int format_set;              /* --format given explicitly */
	int verbosity;               /* -q: -1, default 0, -v: 1, -vv: 2 ... */
	struct dsreg_log log;        /* to stderr, honouring verbosity */
	struct dsreg_config *cfg;    /* loaded by cli_config(); NULL before */
	const char *progname;
};

/*
 * Load the config file once (-c, $DSREG_CONFIG, ~/.config/dsreg/dsreg.conf,
 * /etc/dsreg/dsreg.conf).  With `required` a missing file is an error;
 * otherwise an empty config is used.  Returns NULL after printing the
 * error (caller exits with EXIT_USAGE).
 */
struct dsreg_config *cli_config(struct cli *c, int required);

/*
 * The config file cli_config would load: -c, $DSREG_CONFIG, else the
 * first of ~/.config/dsreg/dsreg.conf (written into home_path, len bytes)
 * and /etc/dsreg/dsreg.conf that exists; NULL if none.
 */
const char *cli_config_path(const struct cli *c, char *home_path, size_t len);

/*
 * Parse global options: 0 with *first the index of the command word,
 * CLI_HELP (usage shown) or DSREG_EINVAL (usage error, printed).
 */
int cli_parse_global(struct cli *c, int argc, char **argv, int *first);
/* Run the command named by argv[0]; returns an exit status. */
int cli_dispatch(struct cli *c, int argc, char **argv);
/* Release what the run loaded (config). */
void cli_cleanup(struct cli *c);

/*
 * The [account NAME] of the config (loaded, required) with the given
 * type; NULL after printing why (caller exits with EXIT_USAGE).
 */
const struct account *cli_account(struct cli *c, const char *name,
    enum account_type type);

/*
 * The one place a DSREG_* code becomes an exit status (at the cmd_*
 * boundary): 0 and CLI_HELP 0; DSREG_EINVAL, DSREG_EPERM, DSREG_ENOTFOUND
 * (bad option, setting, credentials or missing file) EXIT_USAGE; any other
 * failure EXIT_RUNTIME.  Code below cmd_* returns DSREG_* codes.
 */
int cli_exit_status(int rc);

/*
 * The code to go on with after the state database could not be opened or
 * written: busy (another process kept it locked, DSREG_EBUSY) and
 * DSREG_ENOMEM are runtime failures; anything else (path, newer schema,
 * not a database) is configuration, DSREG_EINVAL.
 */
int cli_state_error(int rc);

/* Print "dsreg: " + message to stderr. */
void cli_err(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Subcommands: each returns an exit status. argv[0] is the command name. */
int cmd_ds(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_plan(struct cli *c, int argc, char **argv);
int cmd_apply(struct cli *c, int argc, char **argv);
int cmd_instructions(struct cli *c, int argc, char **argv);
int cmd_signals(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_epp(struct cli *c, int argc, char **argv);
int cmd_opensrs(struct cli *c, int argc, char **argv);
int cmd_check_config(struct cli *c, int argc, char **argv);

#endif
