/* cli/epp.c - dsreg epp (not implemented yet) */
#include "cli/cli.h"

int
cmd_epp(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "epp: not implemented yet");
	return EXIT_USAGE;
}
