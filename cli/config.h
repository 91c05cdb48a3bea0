/* cli/config.h - the dsreg.conf INI file (INTERFACE.md "Config file") */
#ifndef DSREG_CLI_CONFIG_H
#define DSREG_CLI_CONFIG_H

#include <stddef.h>

struct dsreg_err;

enum account_type { ACCOUNT_OPENSRS, ACCOUNT_EPP };

/* One [account NAME] section.  Unset strings are NULL. */
struct account {
	char *name;
	enum account_type type;
	char *username;
	char *key_file;      /* opensrs: API key file; epp: TLS client key */
	char *ca_file;
	char **domains;      /* globs, or the single word "discover" */
	size_t ndomains;
	/* opensrs */
	char *url;
	char *subreseller;   /* optional: act as this sub-reseller */
	int relock;          /* default 1 */
	/* epp */
	char *host;
	int port;            /* default 700 */
	char *server_name;
	char *cert_file;
	char *password_file;
	char *secdns;        /* auto | 1.1 | 1.0 (default auto) */
	char *interface;     /* ds | key (default ds) */
	double rate;         /* max commands per second, 0 = default */
	int timeout;         /* seconds per request, 0 = default */
	/* where the file set them (0: not set): for messages */
	unsigned line;       /* the [account NAME] header */
	unsigned type_line, key_file_line, ca_file_line, cert_file_line,
	    password_file_line;
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
	char **cds_tlds;     /* registries that read CDS/CDNSKEY themselves;
	                        NULL: the built-in list (config_cds_tlds) */
	size_t ncds_tlds;
	int max_qps_per_server; /* queries/s to one authoritative server
	                           address; 0: no cap */
	int max_qps_set;        /* the key was given (else the default) */
	struct account *accounts;
	size_t naccounts;
	unsigned keys_line, state_line;  /* where set (0: not set) */
};

/*
 * Parse the config file at path.  Unknown sections or keys, a bad value,
 * a section given twice ([dsreg], or [account NAME] with the same NAME),
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

/* An empty configuration (no file). */
int config_empty(struct dsreg_config **out);

void config_free(struct dsreg_config *cfg);

/* Account by name, or NULL. */
const struct account *config_account(const struct dsreg_config *cfg,
    const char *name);

/*
 * TLDs whose registry scans CDS/CDNSKEY and installs the DS by itself:
 * `cds_tlds` from the config, else registries that document it (SWITCH
 * .ch .li, Internetstiftelsen .se .nu, CZ.NIC .cz, SK-NIC .sk).
 */
int config_cds_tld(const struct dsreg_config *cfg, const char *domain);

/* Split a space/comma separated list into a NULL-terminated array. */
int config_split(const char *s, char ***out, size_t *n);
void config_strv_free(char **v, size_t n);

#endif
