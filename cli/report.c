/* cli/report.c - dsreg report (not implemented yet) */
#include "cli/cli.h"

int
cmd_report(struct cli *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err(c, "report: not implemented yet");
	return EXIT_USAGE;
}
