/* cli/opensrs.h - an OpenSRS client for a configured [account] (for dsreg opensrs, plan and apply) */
#ifndef DSREG_CLI_OPENSRS_H
#define DSREG_CLI_OPENSRS_H

#include "cli/cli.h"

struct osrs_client;

/*
 * osrs_client_from_account (tucows/registrar.h) with the program's log
 * hook, printing its error.  Returns DSREG_EINVAL (config or key file
 * problem) or DSREG_ENOMEM; 0 with *out set (free with osrs_client_free)
 * on success.  Like cmd_opensrs, a caller must ignore SIGPIPE before
 * using the client (see tucows/client.h).
 */
int cli_opensrs_client(struct cli *c, const struct account *a,
    struct osrs_client **out);

#endif
