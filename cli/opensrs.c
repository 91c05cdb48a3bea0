/* cli/opensrs.c - dsreg opensrs (not implemented yet) */
#include "cli/cli.h"

int
cmd_opensrs(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "opensrs: not implemented yet");
	return EXIT_USAGE;
}
