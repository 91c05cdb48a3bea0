/* cli/audit.c - dsreg audit (not implemented yet) */
#include "cli/cli.h"

int
cmd_audit(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "audit: not implemented yet");
	return EXIT_USAGE;
}
