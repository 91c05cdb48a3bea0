/* common/account.h - one [account NAME] of the config: what a registrar implementation opens */
#ifndef DSREG_COMMON_ACCOUNT_H
#define DSREG_COMMON_ACCOUNT_H

#include <stddef.h>

enum account_type {
	ACCOUNT_OPENSRS,
	ACCOUNT_EPP,
	ACCOUNT_DNSUPDATE,   /* RFC 2136 UPDATE with TSIG at the parent's primary */
	ACCOUNT_COMMAND,     /* a program the operator names, once per change */
};

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
	int timeout;         /* seconds per request (command: per run),
	                        0 = default */
	/* dnsupdate */
	char *zone;          /* the parent zone, absolute, lower case */
	char *server;        /* its primary: ADDR[@PORT] */
	char *tsig_key_file; /* BIND key statement (a secret) */
	/* command */
	char *command;       /* absolute path of the program, then its
	                        arguments separated by blanks (no shell) */
};

#endif
