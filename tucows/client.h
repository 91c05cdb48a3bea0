/* tucows/client.h - OpenSRS XML API client: signing, HTTPS transport, results and retry classes */
#ifndef DSREG_TUCOWS_CLIENT_H
#define DSREG_TUCOWS_CLIENT_H

#include <stddef.h>

#include "common/log.h"
#include "common/retry.h"
#include "tucows/envelope.h"

struct dsreg_err;
struct osrs_client;

/*
 * What a caller should do about a reply, by response_code (the codes the
 * OpenSRS documentation lists), in common/retry.h's classes: 2xx NONE;
 * 300 310 350 437 486 705 LATER (retry with backoff); 400 410 415 435
 * NEVER (credentials, permissions, allow-list); 430 460 465 480 FIX (the
 * request or data must change); anything else (405 registry error,
 * undocumented codes) UNKNOWN.
 */
enum dsreg_retry osrs_retry_class(int response_code);

/*
 * The protocol outcome of one call: data, not a C error.  Initialise with
 * osrs_result_init; osrs_result_free releases and re-initialises it (the
 * same struct can be passed to several calls: each call frees what the
 * previous one left).
 */
struct osrs_result {
	int is_success;              /* is_success = 1 and a 2xx response_code */
	int response_code;           /* 0 if the reply had none */
	char *response_text;         /* owned; NULL if absent; control
	                              * characters replaced by '?' */
	enum dsreg_retry retry;         /* osrs_retry_class(response_code) */
	int attempts;                /* requests made (retries of LATER codes) */
	struct osrs_value *reply;    /* owned: the reply's whole data_block */
	const struct osrs_value *attributes; /* borrowed from reply, or NULL */
};

void osrs_result_init(struct osrs_result *res);
void osrs_result_free(struct osrs_result *res);

/* Client settings.  Strings are copied by osrs_client_new. */
struct osrs_client_opts {
	const char *url;          /* https://HOST:PORT/ (only https is accepted) */
	const char *username;     /* reseller user (X-Username) */
	const char *key;          /* API key, key_len bytes; copied, wiped on free */
	size_t key_len;
	const char *ca_file;      /* NULL: system CAs; verification is always on */
	const char *subreseller;  /* NULL: act as the reseller itself */
	int timeout;              /* seconds per request; 0: 60 */
	int connect_timeout;      /* seconds; 0: 15 (never above timeout) */
	double rate;              /* max requests per second; 0: unlimited */
	int max_attempts;         /* tries for DSREG_RETRY_LATER replies; 0: 3 */
	unsigned backoff_ms;      /* first wait between tries, doubling; 0: 1000 */
	struct dsreg_log log;     /* TRACE gets the XML and HTTP headers, with
	                           * X-Signature redacted; the key never */
};

/*
 * Make a client (one libcurl handle: the connection is reused across
 * calls).  *out is freed with osrs_client_free (which wipes the key).
 * libcurl runs with CURLOPT_NOSIGNAL (no alarm(), safe in threads), so
 * the program must ignore SIGPIPE: a write to a connection the server
 * has dropped would otherwise kill it.
 */
DSREG_MUST_CHECK
int osrs_client_new(struct osrs_client **out,
    const struct osrs_client_opts *opts, struct dsreg_err *err);
void osrs_client_free(struct osrs_client *c);

/* Host part of the URL (for messages). */
const char *osrs_client_host(const struct osrs_client *c);
/* The client's log hook. */
const struct dsreg_log *osrs_client_log(const struct osrs_client *c);
/* Sleep the backoff before try number attempt+1 (backoff_ms * 2^(attempt-1), at most 60 s). */
void osrs_client_backoff(const struct osrs_client *c, int attempt);

/*
 * One XCP request: protocol=XCP, action, object, the optional top-level
 * `domain` item and `attributes` (ownership of attributes moves to the
 * call, even on failure; NULL sends an empty assoc; as_subreseller is
 * added to it when the client has one).  Replies with an
 * DSREG_RETRY_LATER code are retried up to max_attempts times with
 * exponential backoff; transport failures are never retried (the request
 * may have been applied).  Actions not starting with "GET" are changes:
 * each is sent over a new connection, so that libcurl's silent resend on
 * a dead reused connection cannot apply a change twice.
 *
 * Returns 0 when the API reported success; DSREG_EREMOTE when it reported
 * a failure (res describes it, err has "ACTION OBJECT: CODE TEXT");
 * otherwise a transport or parse error (DSREG_ENET, DSREG_ETIMEOUT,
 * DSREG_ETLS, DSREG_EPROTO, DSREG_ETOOBIG, DSREG_EPARSE) with err naming
 * the host, and res left empty (it is reset at the start of every call).
 */
DSREG_MUST_CHECK
int osrs_call(struct osrs_client *c, const char *action, const char *object,
    const char *domain, struct osrs_value *attributes,
    struct osrs_result *res, struct dsreg_err *err);

/*
 * A malloc'd copy of server text with C0/C1 control characters replaced
 * by '?' and registered secrets by DSREG_SECRET_MARK (for terminals
 * and log lines); NULL when out of memory.
 */
char *osrs_text_printable(const char *s);

/* Lowercase hex MD5 of data into out (33 bytes with the NUL). */
void osrs_md5_hex(const void *data, size_t len, char out[33]);
/*
 * The X-Signature value: md5hex(md5hex(body + key) + key), lowercase.
 * The result is as secret as the key: never log it.
 */
DSREG_MUST_CHECK
int osrs_signature(const char *body, size_t body_len, const char *key,
    size_t key_len, char out[33]);

#endif
