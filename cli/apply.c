/* cli/apply.c - dsreg apply (not implemented yet) */
#include "cli/cli.h"

int
cmd_apply(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "apply: not implemented yet");
	return EXIT_USAGE;
}
