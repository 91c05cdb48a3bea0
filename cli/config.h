/* cli/config.h - the dsreg.conf INI file (INTERFACE.md "Config file") */
#ifndef DSREG_CLI_CONFIG_H
#define DSREG_CLI_CONFIG_H

#include <stddef.h>

#include "common/account.h"
#include "engine/policy.h"

struct dsreg_err;

/*
 * Where the file set an account's keys (0: not set), for messages: one
 * per account, in the order of dsreg_config.accounts.
 */
struct account_lines {
	unsigned header;     /* the [account NAME] line */
	unsigned type, key_file, ca_file, cert_file, password_file;
};

struct dsreg_config {
	char *path;          /* file it came from, NULL if none */
	char **resolvers;
	size_t nresolvers;
	char *keys;
	char **our_ns;
	size_t nour_ns;
	char **digests;      /* names as written: sha256 sha384 ... */
	size_t ndigests;
	char *state;
	char **cds_tlds;     /* registries that read CDS/CDNSKEY themselves,
	                        as given (already applied to policy) */
	size_t ncds_tlds;
	struct engine_policy policy; /* the built-in per-parent-zone table
	                                with the [tld ZONE] sections and
	                                cds_tlds applied */
	int max_qps_per_server; /* queries/s to one authoritative server
	                           address; 0: no cap */
	int max_qps_set;        /* the key was given (else the default) */
	struct account *accounts;
	struct account_lines *lines;   /* lines[i]: where accounts[i] was set */
	size_t naccounts;
	unsigned keys_line, state_line;  /* where set (0: not set) */
};

/*
 * Parse the config file at path.  Unknown sections or keys, a bad value,
 * a section given twice ([dsreg], [account NAME] or [tld ZONE] with the
 * same NAME or ZONE),
 * a single-valued key given twice in its section (only the lists
 * resolver, our_ns, digests, cds_tlds and domains may be repeated or
 * continued), a NUL byte, a line longer than 8192 characters or a missing
 * required key are errors naming the file and line (both lines for a
 * repeat).  On success *out is owned by the caller (config_free).
 */
int config_load(struct dsreg_config **out, const char *path,
    struct dsreg_err *err);

/* One problem config_load_all found: line 0 is the file as a whole. */
typedef void (*config_problem_fn)(void *ctx, unsigned line, const char *msg);

/*
 * Parse like config_load, but go on after a problem to find them all (for
 * dsreg check-config): each is passed to fn with its line and the same
 * message config_load gives, without the "FILE:LINE: " prefix (a missing
 * required key names the [account] header's line; only the first line
 * libinih cannot parse is known).  The keys of an unknown or repeated
 * section are skipped.  A NUL byte or an over-long line ends the parse.
 * Returns the number of problems with *out set to what could be read
 * (config_free), or a negative DSREG_* code with err set when the file
 * cannot be opened or read.
 */
int config_load_all(struct dsreg_config **out, const char *path,
    config_problem_fn fn, void *ctx, struct dsreg_err *err);

/* An empty configuration (no file): the built-in policy table only. */
int config_empty(struct dsreg_config **out);

void config_free(struct dsreg_config *cfg);

/* Account by name, or NULL. */
const struct account *config_account(const struct dsreg_config *cfg,
    const char *name);

/*
 * Does the registry of the domain's nearest enclosing zone with a policy
 * row read CDS/CDNSKEY and install the DS by itself?  The built-in table
 * (engine/tld-policy.conf: SWITCH .ch .li, Internetstiftelsen .se .nu,
 * CZ.NIC .cz, SK-NIC .sk, ...) with `cds_tlds` and [tld ZONE] applied.
 */
int config_cds_tld(const struct dsreg_config *cfg, const char *domain);

/* Split a space/comma separated list into a NULL-terminated array. */
int config_split(const char *s, char ***out, size_t *n);
void config_strv_free(char **v, size_t n);

#endif
