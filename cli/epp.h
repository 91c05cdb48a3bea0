/* cli/epp.h - an EPP session for a configured [account] (for dsreg epp and apply) */
#ifndef DSREG_CLI_EPP_H
#define DSREG_CLI_EPP_H

#include "cli/config.h"
#include "epp/epp.h"

struct dsreg_log;

/*
 * Open a session for account a (type epp): host, port, server_name,
 * ca_file, cert_file, key_file, username, secdns, interface, rate and
 * timeout from the config; the password read from password_file with
 * dsreg_secret_read (a group/world-readable file is refused) and wiped
 * once the session has it.  retries and backoff_ms of 0 keep the library
 * defaults.  log is kept by the session and must outlive it.  Returns 0
 * with *out set (epp_session_close), or a DSREG_E* code with err set
 * (DSREG_EPERM / DSREG_ENOTFOUND: a credentials file problem).
 */
int cli_epp_session(const struct account *a, int retries, int backoff_ms,
    const struct dsreg_log *log, struct epp_session **out,
    struct epp_result *res, struct dsreg_err *err);

#endif
