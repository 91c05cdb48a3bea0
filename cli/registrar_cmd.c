/* cli/registrar_cmd.c - what dsreg epp and dsreg opensrs share: options, verb table, dispatch, output */
#include "cli/registrar_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
regcmd_emit(const struct cli *c, json_t *j)
{
	if (j == NULL)
		return;
	json_dumpf(j, stdout, c->format == FMT_JSON ?
	    JSON_INDENT(2) | JSON_PRESERVE_ORDER :
	    JSON_COMPACT | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

/* The usage text, from the verb and option tables (malloc'd). */
static char *
usage_text(const struct regcmd *rc)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		return NULL;
	for (i = 0; i < rc->nverbs; i++)
		fprintf(fp, "%s dsreg %s [options] ACCOUNT %s%s%s\n",
		    i == 0 ? "usage:" : "      ", rc->name, rc->verbs[i].name,
		    rc->verbs[i].args != NULL ? " " : "",
		    rc->verbs[i].args != NULL ? rc->verbs[i].args : "");
	if (rc->nopts > 0) {
		fputs("options:\n", fp);
		cli_opts_help(fp, rc->opts, rc->nopts);
	}
	if (rc->notes != NULL)
		fputs(rc->notes, fp);
	if (fclose(fp) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static const struct regcmd_verb *
find_verb(const struct regcmd *rc, const char *name)
{
	size_t i;

	for (i = 0; i < rc->nverbs; i++)
		if (strcmp(rc->verbs[i].name, name) == 0)
			return &rc->verbs[i];
	return NULL;
}

int
regcmd_main(struct cli *c, const struct regcmd *rc, int argc, char **argv)
{
	struct cli_optset set;
	const struct regcmd_verb *v;
	struct regcmd_run *r;
	char *usage;
	int first, nargs, e, ex = EXIT_USAGE, opened = 0;

	r = calloc(1, rc->size);
	usage = usage_text(rc);
	if (r == NULL || usage == NULL) {
		cli_err(c, "out of memory");
		ex = EXIT_RUNTIME;
		goto out;
	}
	r->c = c;
	memset(&set, 0, sizeof(set));
	set.prefix = "";
	set.usage = usage;
	set.opts = rc->opts;
	set.nopts = rc->nopts;
	if ((e = cli_opts_parse(c, &set, argc, argv, r, &first)) != 0) {
		ex = cli_exit_status(e);
		goto out;
	}
	argc -= first;
	argv += first;
	if (argc < 2) {
		fputs(usage, stderr);
		goto out;
	}
	nargs = argc - 2;
	if ((v = find_verb(rc, argv[1])) == NULL || nargs < v->min ||
	    (v->max >= 0 && nargs > v->max)) {
		cli_err(c, "%s: bad use of '%s'", rc->name, argv[1]);
		fputs(usage, stderr);
		goto out;
	}
	r->verb = v->name;
	dsreg_err_clear(&r->err);
	if (rc->check != NULL && (e = rc->check(r, nargs, argv + 2)) != 0) {
		ex = cli_exit_status(e);
		goto out;
	}
	if ((r->acct = cli_account(c, argv[0], rc->type)) == NULL)
		goto out;
	opened = 1;
	if ((ex = rc->open(r)) == EXIT_OK)
		ex = v->run(r, nargs, argv + 2);
out:
	if (opened)
		rc->close(r);
	free(usage);
	free(r);
	return ex;
}
