/* cli/main.c - dsreg: parse global options, run the command, clean up */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	struct cli c;
	int first, rc;

	/*
	 * A peer that closes its socket must give an error, not kill us
	 * mid-request (EPP over OpenSSL, DNS over TCP): EPIPE instead.
	 */
	signal(SIGPIPE, SIG_IGN);
	if ((rc = cli_parse_global(&c, argc, argv, &first)) == 0)
		rc = cli_dispatch(&c, argc - first, argv + first);
	else
		rc = cli_exit_status(rc);   /* --help (shown), or usage */
	cli_cleanup(&c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE) {
			/* "dsreg ... | head": end as quietly as before */
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		fprintf(stderr, "dsreg: writing to standard output: %s\n",
		    strerror(errno));
		return EXIT_RUNTIME;
	}
	return rc;
}
