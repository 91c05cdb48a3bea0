/* cli/options.c - command-line options as tables: one getopt_long loop for every command */
#include "cli/options.h"
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"

#define MAX_OPTS 32
#define LONG_BASE 256        /* getopt_long value of table entry i: 256 + i */

int
cli_opts_num(struct cli *c, const char *prefix, const char *name,
    const char *noun, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		cli_err(c, "%s%s: expected %s from %ld to %ld, got '%s'",
		    prefix, name, noun != NULL ? noun : "a number", min, max,
		    s);
		return DSREG_EINVAL;
	}
	*out = v;
	return 0;
}

void
cli_opts_help(FILE *fp, const struct cli_opt *opts, size_t nopts)
{
	const char *h, *nl;
	char head[64];
	size_t i;
	int n;

	for (i = 0; i < nopts; i++) {
		if ((h = opts[i].help) == NULL)
			continue;
		n = snprintf(head, sizeof(head), "  %s%s%s%s%s%s",
		    opts[i].short_name ? "-" : "",
		    opts[i].short_name ? (char[2]){ (char)opts[i].short_name,
		    0 } : "", opts[i].short_name && opts[i].name ? ", " : "",
		    opts[i].name ? "--" : "", opts[i].name ? opts[i].name : "",
		    opts[i].arg ? " " : "");
		fprintf(fp, "%s%-*s", head, n < 24 ? 24 - n : 0,
		    opts[i].arg ? opts[i].arg : "");
		if (n + (opts[i].arg ? (int)strlen(opts[i].arg) : 0) > 22)
			fprintf(fp, "\n%24s", "");
		while ((nl = strchr(h, '\n')) != NULL) {
			fprintf(fp, "%.*s\n%24s", (int)(nl - h), h, "");
			h = nl + 1;
		}
		fprintf(fp, "%s\n", h);
	}
}

/* "--name" or "-n", for messages. */
static const char *
label(const struct cli_opt *o, char *buf, size_t len)
{
	if (o->name != NULL)
		snprintf(buf, len, "--%s", o->name);
	else
		snprintf(buf, len, "-%c", o->short_name);
	return buf;
}

static int
apply_opt(struct cli *c, const struct cli_optset *set, const struct cli_opt *o,
    void *dst, const char *arg)
{
	char *base = dst, lb[64];
	size_t *n;

	switch (o->kind) {
	case CLI_OPT_SET:
		*(int *)(base + o->off) = o->value;
		return 0;
	case CLI_OPT_COUNT:
		(*(int *)(base + o->off))++;
		return 0;
	case CLI_OPT_STR:
		*(const char **)(base + o->off) = arg;
		return 0;
	case CLI_OPT_LIST:
		n = (size_t *)(base + o->off2);
		if (*n == (size_t)o->max) {
			cli_err(c, "%sat most %ld %s options", set->prefix,
			    o->max, label(o, lb, sizeof(lb)));
			return DSREG_EINVAL;
		}
		((const char **)(base + o->off))[(*n)++] = arg;
		return 0;
	case CLI_OPT_NUM:
		return cli_opts_num(c, set->prefix, label(o, lb, sizeof(lb)),
		    o->noun, arg, o->min, o->max, (long *)(base + o->off));
	case CLI_OPT_FN:
	case CLI_OPT_CALL:
		return o->fn(c, dst, o, arg);
	}
	return DSREG_EINVAL;
}

static int
has_arg(const struct cli_opt *o)
{
	return o->kind != CLI_OPT_SET && o->kind != CLI_OPT_COUNT &&
	    o->kind != CLI_OPT_CALL;
}

int
cli_opts_parse(struct cli *c, const struct cli_optset *set, int argc,
    char **argv, void *dst, int *first)
{
	struct option lopts[MAX_OPTS + 2];
	char shorts[2 * MAX_OPTS + 4];
	const struct cli_opt *o;
	size_t i, nl = 0, ns = 0;
	int ch, rc;

	if (set->nopts > MAX_OPTS)
		return DSREG_EINVAL;
	if (set->stop_at_operand)
		shorts[ns++] = '+';
	for (i = 0; i < set->nopts; i++) {
		o = &set->opts[i];
		if (o->short_name != 0) {
			shorts[ns++] = (char)o->short_name;
			if (has_arg(o))
				shorts[ns++] = ':';
		}
		if (o->name != NULL) {
			lopts[nl].name = o->name;
			lopts[nl].has_arg = has_arg(o) ? required_argument :
			    no_argument;
			lopts[nl].flag = NULL;
			lopts[nl].val = LONG_BASE + (int)i;
			nl++;
		}
	}
	if (!set->no_help) {
		shorts[ns++] = 'h';
		lopts[nl++] = (struct option){ "help", no_argument, NULL, 'h' };
	}
	shorts[ns] = '\0';
	lopts[nl] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;              /* full reset: every command parses anew */
	opterr = 1;
	while ((ch = getopt_long(argc, argv, shorts, lopts, NULL)) != -1) {
		o = NULL;
		if (ch >= LONG_BASE && ch < LONG_BASE + (int)set->nopts)
			o = &set->opts[ch - LONG_BASE];
		for (i = 0; o == NULL && ch != 'h' && ch != '?' &&
		    i < set->nopts; i++)
			if (set->opts[i].short_name == ch)
				o = &set->opts[i];
		if (o != NULL) {
			if ((rc = apply_opt(c, set, o, dst, optarg)) != 0)
				return rc;
			continue;
		}
		if (ch == 'h' && !set->no_help) {
			fputs(set->usage, stdout);
			return CLI_HELP;
		}
		fputs(set->usage, stderr);
		return DSREG_EINVAL;
	}
	*first = optind;
	return 0;
}
