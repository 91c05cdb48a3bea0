/* tests/unit/test_cli_options.c - the option tables (cli/options.c) and the exit status mapping */
#include "tests/unit/check_main.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/error.h"

struct opts {
	const char *file;
	int flag, count;
	long num;
	const char *list[2];
	size_t nlist;
	int fn_calls;
};

static int
opt_fn(struct cli *c, void *dst, const struct cli_opt *o, const char *arg)
{
	struct opts *x = dst;

	x->fn_calls++;
	return arg != NULL && strcmp(arg, "bad") == 0 ? DSREG_EINVAL : 0;
}

static const struct cli_opt table[] = {
	{ .name = "file", .short_name = 'f', .kind = CLI_OPT_STR,
	    .off = offsetof(struct opts, file) },
	{ .name = "flag", .kind = CLI_OPT_SET,
	    .off = offsetof(struct opts, flag), .value = 7 },
	{ .short_name = 'v', .kind = CLI_OPT_COUNT,
	    .off = offsetof(struct opts, count) },
	{ .name = "num", .short_name = 'n', .kind = CLI_OPT_NUM,
	    .off = offsetof(struct opts, num), .min = 1, .max = 10 },
	{ .name = "item", .kind = CLI_OPT_LIST,
	    .off = offsetof(struct opts, list),
	    .off2 = offsetof(struct opts, nlist), .max = 2 },
	{ .name = "call", .kind = CLI_OPT_FN, .fn = opt_fn },
	{ .name = "go", .short_name = '1', .kind = CLI_OPT_CALL, .fn = opt_fn },
};

/* One case: the words after the command name, what the parse returns,
 * the first operand, and what the options hold then. */
static const struct {
	const char *args;        /* space separated */
	int stop;                /* stop at the first operand */
	int rc, first;
	const char *file;
	int flag, count;
	long num;
	size_t nlist;
	int fn_calls;
} cases[] = {
	{ "", 0, 0, 1, NULL, 0, 0, 0, 0, 0 },
	{ "-f a op", 0, 0, 3, "a", 0, 0, 0, 0, 0 },
	{ "--file=b --flag -vv -v", 0, 0, 5, "b", 7, 3, 0, 0, 0 },
	{ "op --num 10", 0, 0, 3, NULL, 0, 0, 10, 0, 0 },  /* permuted */
	{ "op --num 10", 1, 0, 1, NULL, 0, 0, 0, 0, 0 },   /* "+" */
	{ "-n 0", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 0 },
	{ "-n 11", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 0 },
	{ "-n 3x", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 0 },
	{ "--item a --item b", 0, 0, 5, NULL, 0, 0, 0, 2, 0 },
	{ "--item a --item b --item c", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 2,
	    0 },
	{ "--call ok --call ok", 0, 0, 5, NULL, 0, 0, 0, 0, 2 },
	{ "--call bad", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 1 },
	{ "-1 op --go", 0, 0, 3, NULL, 0, 0, 0, 0, 2 },   /* no argument */
	{ "-1op", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 1 },
	{ "--bogus", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 0 },
	{ "-x", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 0 },
	{ "--flag=1", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 0 },
	{ "--file", 0, DSREG_EINVAL, 0, NULL, 0, 0, 0, 0, 0 },
	{ "-v --help -f x", 0, CLI_HELP, 0, NULL, 0, 1, 0, 0, 0 },
	{ "-h", 0, CLI_HELP, 0, NULL, 0, 0, 0, 0, 0 },
};

START_TEST(test_parse)
{
	struct cli_optset set = { "t: ", "usage: t\n", cases[_i].stop, 0,
		CLI_OPTS(table) };
	char buf[256], *argv[16], *w;
	struct opts o;
	struct cli c;
	int argc = 0, first = 0, rc;
	FILE *saved = stdout;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	snprintf(buf, sizeof(buf), "%s", cases[_i].args);
	argv[argc++] = "t";
	for (w = strtok(buf, " "); w != NULL; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	stdout = fopen("/dev/null", "w");   /* the usage on --help */
	rc = cli_opts_parse(&c, &set, argc, argv, &o, &first);
	fclose(stdout);
	stdout = saved;
	ck_assert_msg(rc == cases[_i].rc, "'%s': returned %d, want %d",
	    cases[_i].args, rc, cases[_i].rc);
	if (rc == 0)
		ck_assert_int_eq(first, cases[_i].first);
	ck_assert_msg((o.file == NULL) == (cases[_i].file == NULL) &&
	    (o.file == NULL || strcmp(o.file, cases[_i].file) == 0),
	    "'%s': file %s", cases[_i].args, o.file ? o.file : "(none)");
	ck_assert_int_eq(o.flag, cases[_i].flag);
	ck_assert_int_eq(o.count, cases[_i].count);
	ck_assert_int_eq(o.num, cases[_i].num);
	ck_assert_uint_eq(o.nlist, cases[_i].nlist);
	ck_assert_int_eq(o.fn_calls, cases[_i].fn_calls);
}
END_TEST

START_TEST(test_help_lines)
{
	static const struct cli_opt h[] = {
		{ .name = "key", .short_name = 'k', .kind = CLI_OPT_STR,
		    .arg = "FILE", .help = "one\ntwo" },
		{ .name = "hidden", .kind = CLI_OPT_SET },
		{ .name = "a-very-long-option", .kind = CLI_OPT_STR,
		    .arg = "NAME", .help = "three" },
	};
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(fp);
	cli_opts_help(fp, h, 3);
	fclose(fp);
	ck_assert_str_eq(text,
	    "  -k, --key FILE        one\n"
	    "                        two\n"
	    "  --a-very-long-option NAME\n"
	    "                        three\n");
	free(text);
}
END_TEST

START_TEST(test_exit_status)
{
	ck_assert_int_eq(cli_exit_status(0), EXIT_OK);
	ck_assert_int_eq(cli_exit_status(CLI_HELP), EXIT_OK);
	ck_assert_int_eq(cli_exit_status(DSREG_EINVAL), EXIT_USAGE);
	ck_assert_int_eq(cli_exit_status(DSREG_EPERM), EXIT_USAGE);
	ck_assert_int_eq(cli_exit_status(DSREG_ENOTFOUND), EXIT_USAGE);
	ck_assert_int_eq(cli_exit_status(DSREG_ENOMEM), EXIT_RUNTIME);
	ck_assert_int_eq(cli_exit_status(DSREG_ETIMEOUT), EXIT_RUNTIME);
	ck_assert_int_eq(cli_exit_status(DSREG_EBUSY), EXIT_RUNTIME);
	/* the state database: busy is this run's failure, the rest config */
	ck_assert_int_eq(cli_exit_status(cli_state_error(DSREG_EBUSY)),
	    EXIT_RUNTIME);
	ck_assert_int_eq(cli_exit_status(cli_state_error(DSREG_EDB)),
	    EXIT_USAGE);
}
END_TEST

static Suite *
cli_options_suite(void)
{
	Suite *s = suite_create("cli_options");
	TCase *tc = tcase_create("options");

	tcase_add_loop_test(tc, test_parse, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_help_lines);
	tcase_add_test(tc, test_exit_status);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(cli_options_suite)
