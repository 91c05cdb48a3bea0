/* cli/instructions.c - dsreg instructions (not implemented yet) */
#include "cli/cli.h"

int
cmd_instructions(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "instructions: not implemented yet");
	return EXIT_USAGE;
}
