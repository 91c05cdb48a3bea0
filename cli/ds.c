/* cli/ds.c - dsreg ds (being written) */
#include "cli/cli.h"

int
cmd_ds(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "ds: not implemented yet");
	return EXIT_USAGE;
}
