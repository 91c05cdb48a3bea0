/* cli/check_config.h - the checks of dsreg check-config, as data (for the command and its tests) */
#ifndef DSREG_CLI_CHECK_CONFIG_H
#define DSREG_CLI_CHECK_CONFIG_H

#include "cli/config.h"

/*
 * Each check passes every problem it finds to fn (config_problem_fn: the
 * line of the key that names the file, and a message naming the key, the
 * file and the rule broken, with registered secrets scrubbed), and
 * returns how many it found.  Nothing is printed and nothing is written.
 */

/*
 * [dsreg] keys: a directory of readable BIND K-files (at least one); the
 * state database's directory exists and is writable (SQLite in WAL mode
 * writes beside the file), and the file, if there, is a writable SQLite
 * database.
 */
unsigned check_config_paths(const struct dsreg_config *cfg,
    config_problem_fn fn, void *ctx);

/*
 * The files of one account (lines: where its keys were set), under the rules of the commands that use
 * them: ca_file and cert_file hold PEM certificates (the client
 * certificate valid now); an EPP key_file is a PEM private key without a
 * passphrase, not readable by group or others, that belongs to cert_file
 * (and neither comes without the other); password_file and an OpenSRS
 * key_file are read as dsreg_secret_read reads them (not empty).
 */
unsigned check_config_account(const struct account *a,
    const struct account_lines *lines, config_problem_fn fn, void *ctx);

#endif
