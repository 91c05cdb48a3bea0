/* engine/command.h - the command-hook registrar: a program the operator names, run once per change */
#ifndef DSREG_ENGINE_COMMAND_H
#define DSREG_ENGINE_COMMAND_H

#include "common/registrar.h"

/*
 * `type = command`: apply runs the account's program once per change, in
 * a clean environment (PATH, HOME, LANG, DSREG_DOMAIN), in a process group
 * of its own, with no file descriptor of dsreg but 0, 1 and 2, and the
 * change as JSON on its stdin (engine_command_json).  Exit status 0:
 * applied; another status: refused; killed after the account's timeout
 * (default 30 s) or by a signal: unknown.  The first line of its stdout
 * is the note.  read is not supported; holds always says 0 (a hook cannot
 * be read back: recovery marks an interrupted run not applied and the
 * next plan runs the hook again, so hooks must be idempotent).
 */
extern const struct registrar_ops engine_command_registrar_ops;

/* Default seconds a hook may run. */
#define ENGINE_COMMAND_TIMEOUT 30

/*
 * The JSON a hook reads, compact, one line with a newline:
 * {"domain", "parent", "current_ds", "target_ds", "add", "remove",
 * "remove_all", "dnskey"}: DS and DNSKEY as RDATA in presentation form;
 * "remove" with remove_all is every DS served now.  malloc'd, or NULL
 * (no memory).
 */
char *engine_command_json(const struct registrar_change *c);

#endif
