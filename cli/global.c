/* cli/global.c - global options, logging to stderr, command table */
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"

#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/secret.h"

static const char usage_text[] =
    "usage: dsreg [-c FILE] [--resolver ADDR[@PORT]]... [-j N]\n"
    "             [--format text|json|jsonl|csv|openmetrics|html] [-v|-q]\n"
    "             COMMAND ...\n"
    "       dsreg --version\n"
    "commands:\n"
    "  ds [-a sha1|sha256|sha384]... [--cds] [--ttl N] [--zsk]\n"
    "     [-K DIR [ZONE...] | -f ZONEFILE [ZONE] | FILE... | -]\n"
    "  audit [--keys DIR] [--our-ns NAME[,NAME...]] [--domains FILE] [DOMAIN...]\n"
    "  plan  [same selection as audit]\n"
    "  apply [same selection as audit] [--yes]\n"
    "  instructions [same selection as audit]\n"
    "  signals [same selection as audit] [--ns NAME[,NAME...]]\n"
    "  report              (--format html: one self-contained page)\n"
    "  epp ACCOUNT hello | info DOMAIN | add-ds DOMAIN DS... | rem-ds DOMAIN DS...\n"
    "              | rem-all DOMAIN\n"
    "  opensrs ACCOUNT list | info DOMAIN | lock DOMAIN | unlock DOMAIN\n"
    "              | set-ds DOMAIN [DS...]\n"
    "  check-config [-c FILE] [--online]\n"
    "see dsreg(1)\n";

static void
log_stderr(void *ctx, enum dsreg_log_level level, const char *msg)
{
	static const char *names[] = { "error", "warning", "info", "debug",
		"trace" };
	(void)ctx;
	fprintf(stderr, "dsreg: %s: %s\n", names[level], msg);
}

void
cli_err(const struct cli *c, const char *fmt, ...)
{
	struct dsreg_buf b, clean;
	va_list ap;
	int n;

	(void)c;
	dsreg_buf_init(&b, (size_t)-1 / 2);
	dsreg_buf_init(&clean, (size_t)-1 / 2);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || dsreg_buf_reserve(&b, (size_t)n + 1) != 0)
		goto fail;
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	/* The last gate to stderr: registered secrets never get through. */
	if (dsreg_secret_scrub(b.data, (size_t)n, &clean) != 0 ||
	    dsreg_buf_reserve(&clean, 0) != 0)
		goto fail;
	fprintf(stderr, "dsreg: %s\n", clean.data);
	goto out;
fail:
	fputs("dsreg: (message not shown: out of memory)\n", stderr);
out:
	if (b.data != NULL)
		dsreg_secret_wipe(b.data, b.cap);
	dsreg_buf_free(&b);
	dsreg_buf_free(&clean);
}

int
cli_exit_status(int rc)
{
	switch (rc) {
	case 0:
	case CLI_HELP:
		return EXIT_OK;
	case DSREG_EINVAL:       /* bad option, argument or setting */
	case DSREG_EPERM:        /* a credentials file others may read */
	case DSREG_ENOTFOUND:    /* a file or account that is not there */
		return EXIT_USAGE;
	default:
		return EXIT_RUNTIME;
	}
}

int
cli_state_error(int rc)
{
	/* busy or out of memory: this run failed; else the configured
	 * path or file is wrong */
	return rc == DSREG_EBUSY || rc == DSREG_ENOMEM ? rc : DSREG_EINVAL;
}

static int
opt_format(struct cli *c, void *dst, const struct cli_opt *o, const char *arg)
{
	(void)dst;
	(void)o;
	if (output_format_find(arg, &c->format) != 0) {
		cli_err(c, "--format: expected text, json, jsonl, csv, "
		    "openmetrics or html, got '%s'", arg);
		return DSREG_EINVAL;
	}
	c->format_set = 1;
	return 0;
}

/* The release, from the VERSION file (Makefile): "dsreg X.Y.Z". */
static int
opt_version(struct cli *c, void *dst, const struct cli_opt *o,
    const char *arg)
{
	(void)c;
	(void)dst;
	(void)o;
	(void)arg;
	printf("dsreg %s\n", DSREG_VERSION);
	return CLI_HELP;         /* shown: nothing else to do */
}

static const struct cli_opt global_opts[] = {
	{ .name = "config", .short_name = 'c', .kind = CLI_OPT_STR,
	    .off = offsetof(struct cli, config_path) },
	{ .name = "resolver", .kind = CLI_OPT_LIST,
	    .off = offsetof(struct cli, resolvers),
	    .off2 = offsetof(struct cli, nresolvers),
	    .max = CLI_MAX_RESOLVERS },
	{ .name = "jobs", .short_name = 'j', .kind = CLI_OPT_NUM,
	    .off = offsetof(struct cli, jobs), .min = 1, .max = 4096 },
	{ .name = "format", .kind = CLI_OPT_FN, .fn = opt_format },
	{ .name = "verbose", .short_name = 'v', .kind = CLI_OPT_COUNT,
	    .off = offsetof(struct cli, verbosity) },
	{ .name = "quiet", .short_name = 'q', .kind = CLI_OPT_SET,
	    .off = offsetof(struct cli, verbosity), .value = -1 },
	{ .name = "version", .short_name = 'V', .kind = CLI_OPT_CALL,
	    .fn = opt_version },
};

static const struct cli_optset global_set = {
	"", usage_text, 1, 0, CLI_OPTS(global_opts)
};

int
cli_parse_global(struct cli *c, int argc, char **argv, int *first)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->progname = "dsreg";
	c->log.fn = log_stderr;
	c->log.max_level = DSREG_LOG_WARN;
	if ((rc = cli_opts_parse(c, &global_set, argc, argv, c, first)) != 0)
		return rc;
	if (c->verbosity < 0)
		c->log.max_level = DSREG_LOG_ERR;
	else if (c->verbosity > 0)
		c->log.max_level = c->verbosity >= 3 ? DSREG_LOG_TRACE :
		    (enum dsreg_log_level)(DSREG_LOG_WARN + c->verbosity);
	if (*first >= argc) {
		fputs(usage_text, stderr);
		return DSREG_EINVAL;
	}
	return 0;
}

#define FMT_BIT(f) (1u << (f))

/*
 * The commands.  Every command takes text, json, jsonl and csv; `formats`
 * lists the other formats it writes (openmetrics, html).  apply gets
 * openmetrics once it writes the metrics at the end of its run (with the
 * changes and sessions; see output_metrics): until then its change lines
 * would follow the metrics.
 */
static const struct {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	unsigned formats;
} commands[] = {
	{ "ds", cmd_ds, 0 },
	{ "audit", cmd_audit, FMT_BIT(FMT_OPENMETRICS) },
	{ "plan", cmd_plan, FMT_BIT(FMT_OPENMETRICS) },
	{ "apply", cmd_apply, FMT_BIT(FMT_OPENMETRICS) },
	{ "instructions", cmd_instructions, 0 },
	{ "signals", cmd_signals, 0 },
	{ "report", cmd_report, FMT_BIT(FMT_OPENMETRICS) | FMT_BIT(FMT_HTML) },
	{ "epp", cmd_epp, 0 },
	{ "opensrs", cmd_opensrs, 0 },
	{ "check-config", cmd_check_config, 0 },
};

int
cli_dispatch(struct cli *c, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[0], commands[i].name) == 0) {
			if ((c->format == FMT_OPENMETRICS ||
			    c->format == FMT_HTML) &&
			    (commands[i].formats & FMT_BIT(c->format)) == 0) {
				cli_err(c, "--format %s: not for %s (it is for "
				    "%s)", c->format == FMT_HTML ? "html" :
				    "openmetrics", argv[0], c->format ==
				    FMT_HTML ? "report" : "audit, plan and "
				    "report");
				return EXIT_USAGE;
			}
			return commands[i].fn(c, argc, argv);
		}
	cli_err(c, "unknown command '%s'", argv[0]);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

void
cli_cleanup(struct cli *c)
{
	config_free(c->cfg);
	c->cfg = NULL;
}

const char *
cli_config_path(const struct cli *c, char *home_path, size_t len)
{
	const char *path = c->config_path, *home;

	if (path == NULL)
		path = getenv("DSREG_CONFIG");
	if (path == NULL || *path == '\0') {
		path = NULL;
		home = getenv("HOME");
		if (home != NULL && *home != '\0') {
			snprintf(home_path, len,
			    "%s/.config/dsreg/dsreg.conf", home);
			if (access(home_path, F_OK) == 0)
				path = home_path;
		}
		if (path == NULL && access("/etc/dsreg/dsreg.conf", F_OK) == 0)
			path = "/etc/dsreg/dsreg.conf";
	}
	return path;
}

struct dsreg_config *
cli_config(struct cli *c, int required)
{
	struct dsreg_err err;
	char home_path[4096];
	const char *path;
	int rc;

	if (c->cfg != NULL)
		return c->cfg;
	dsreg_err_clear(&err);
	path = cli_config_path(c, home_path, sizeof(home_path));
	if (path == NULL) {
		if (required) {
			cli_err(c, "no configuration file: use -c FILE, "
			    "$DSREG_CONFIG, ~/.config/dsreg/dsreg.conf or "
			    "/etc/dsreg/dsreg.conf");
			return NULL;
		}
		if (config_empty(&c->cfg) != 0) {
			cli_err(c, "out of memory");
			return NULL;
		}
		return c->cfg;
	}
	if ((rc = config_load(&c->cfg, path, &err)) != 0) {
		cli_err(c, "%s", dsreg_err_text(&err));
		return NULL;
	}
	return c->cfg;
}

const struct account *
cli_account(struct cli *c, const char *name, enum account_type type)
{
	const struct dsreg_config *cfg;
	const struct account *a;

	if ((cfg = cli_config(c, 1)) == NULL)
		return NULL;
	if ((a = config_account(cfg, name)) == NULL) {
		cli_err(c, "%s: no [account %s]", cfg->path != NULL ?
		    cfg->path : "config", name);
		return NULL;
	}
	if (a->type != type) {
		cli_err(c, "account %s is not of type %s", name,
		    type == ACCOUNT_EPP ? "epp" : "opensrs");
		return NULL;
	}
	return a;
}
