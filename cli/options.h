/* cli/options.h - command-line options as tables: one getopt_long loop for every command */
#ifndef DSREG_CLI_OPTIONS_H
#define DSREG_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

struct cli;

enum cli_opt_kind {
	CLI_OPT_SET,    /* no argument: store `value` in the int at `off` */
	CLI_OPT_COUNT,  /* no argument: add 1 to the int at `off` */
	CLI_OPT_STR,    /* store the argument in the const char * at `off` */
	CLI_OPT_LIST,   /* append to the char *[max] at `off`, count at `off2` */
	CLI_OPT_NUM,    /* a decimal number from min to max into the long at `off` */
	CLI_OPT_FN,     /* call fn with the argument */
	CLI_OPT_CALL,   /* no argument: call fn (arg NULL) */
};

/*
 * One option.  Fields at `off` live in the command's option struct (the
 * `dst` of cli_opts_parse).  NUM and LIST errors read
 * "PREFIXNAME: expected NOUN from MIN to MAX, got 'ARG'" and
 * "at most MAX NAME options"; `noun` defaults to "a number".
 */
struct cli_opt {
	const char *name;          /* long name without "--"; NULL: none */
	int short_name;            /* 0: none */
	enum cli_opt_kind kind;
	size_t off, off2;
	long min, max;             /* NUM: range; LIST: most entries */
	int value;                 /* SET */
	const char *noun;          /* NUM: what is expected ("seconds") */
	/* FN, CALL: 0, DSREG_EINVAL after printing why, or CLI_HELP
	 * after printing what was asked (--version: stop, exit 0) */
	int (*fn)(struct cli *c, void *dst, const struct cli_opt *o,
	    const char *arg);
	const char *arg;           /* help: the argument's name ("FILE") */
	const char *help;          /* help: what it does; NULL: not listed */
};

/* The options of one command, and how to tell their use. */
struct cli_optset {
	const char *prefix;        /* error messages: "apply: ", "" */
	const char *usage;         /* printed on -h (stdout) and errors */
	int stop_at_operand;       /* "+": stop at the first operand */
	int no_help;               /* -h/--help is not an option here */
	const struct cli_opt *opts;
	size_t nopts;
};

#define CLI_OPTS(a) (a), (sizeof(a) / sizeof((a)[0]))

/* Returned by cli_opts_parse after printing the usage for -h/--help. */
#define CLI_HELP 1

/*
 * Parse argv[1..] by the table into dst (getopt_long, errors from getopt
 * itself or the table, followed by the usage on stderr).  Returns 0 with
 * *first set to the index of the first operand, CLI_HELP (usage shown on
 * stdout: nothing else to do), or DSREG_EINVAL (a usage error, printed).
 */
int cli_opts_parse(struct cli *c, const struct cli_optset *set, int argc,
    char **argv, void *dst, int *first);

/*
 * The options' help lines ("  -k, --key FILE        what it does"), for
 * generated usage texts; a '\n' in a help text starts an indented line.
 */
void cli_opts_help(FILE *fp, const struct cli_opt *opts, size_t nopts);

/* "NAME: expected NOUN from MIN to MAX, got 'S'" check for FN options. */
int cli_opts_num(struct cli *c, const char *prefix, const char *name,
    const char *noun, const char *s, long min, long max, long *out);

#endif
