/* cli/signals.c - dsreg signals (not implemented yet) */
#include "cli/cli.h"

int
cmd_signals(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "signals: not implemented yet");
	return EXIT_USAGE;
}
