/* cli/epp.h - an EPP session for a configured [account] (for dsreg epp and apply) */
#ifndef DSREG_CLI_EPP_H
#define DSREG_CLI_EPP_H

#include "cli/config.h"
#include "epp/epp.h"

struct dsreg_log;

/* epp_session_from_account (epp/epp.h) under its old name; goes when
 * cli/apply.c uses epp_registrar_ops. */
int cli_epp_session(const struct account *a, int retries, int backoff_ms,
    const struct dsreg_log *log, struct epp_session **out,
    struct epp_result *res, struct dsreg_err *err);

#endif
