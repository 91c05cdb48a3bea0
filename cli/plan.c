/* cli/plan.c - dsreg plan (not implemented yet) */
#include "cli/cli.h"

int
cmd_plan(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "plan: not implemented yet");
	return EXIT_USAGE;
}
