/* epp/epp.h - EPP client (RFC 5730/5731/5734) with secDNS-1.1/1.0 (RFC 5910/4310) */
#ifndef DSREG_EPP_EPP_H
#define DSREG_EPP_EPP_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/retry.h"
#include "ds/ds.h"

struct dsreg_err;
struct dsreg_log;
struct dsreg_buf;

/* RFC 5734 §4: incoming frames (length header included) are capped. */
#define EPP_FRAME_MAX (1024 * 1024)

#define EPP_NS_EPP      "urn:ietf:params:xml:ns:epp-1.0"
#define EPP_NS_DOMAIN   "urn:ietf:params:xml:ns:domain-1.0"
#define EPP_NS_SECDNS11 "urn:ietf:params:xml:ns:secDNS-1.1"
#define EPP_NS_SECDNS10 "urn:ietf:params:xml:ns:secDNS-1.0"

/* ---- results ------------------------------------------------------- */

#define EPP_TEXT_MAX 512
#define EPP_TRID_MAX 65  /* RFC 5730 trIDStringType: 3..64 characters */

/* One EPP result (RFC 5730 §2.6): protocol outcomes are data, not errors. */
struct epp_result {
	int code;                     /* 1000..2502; 0 when no response arrived */
	char msg[EPP_TEXT_MAX];       /* <msg> */
	char reason[EPP_TEXT_MAX];    /* <extValue><reason>s joined with "; " */
	char cltrid[EPP_TRID_MAX];
	char svtrid[EPP_TRID_MAX];
	enum dsreg_retry cls;         /* epp_code_class(code) */
	int attempts;                 /* commands sent for this operation */
	int recovered;                /* 1: outcome learnt by domain:info after the
	                                 connection was lost or the answer was 2400 */
};

/*
 * Retry class of a result code (common/retry.h): 1xxx NONE; 2200, 2501
 * AUTH; 2400 LATER; 2500 (and 0, no answer) RECONNECT; 2502 BACKOFF;
 * other 2xxx command errors (2201, 2303, 2304, 2306...) NEVER.  The
 * session applies these itself for read-only commands and, after
 * verifying with domain:info, for updates; the class left in a result is
 * what remained after the session's own retries.
 */
enum dsreg_retry epp_code_class(int code);
/* 1 if code is a 1xxx success code. */
int epp_code_ok(int code);

/* ---- configuration ------------------------------------------------- */

enum epp_secdns_pref { EPP_SECDNS_AUTO = 0, EPP_SECDNS_PREF_11, EPP_SECDNS_PREF_10 };
enum epp_secdns { EPP_SECDNS_NONE = 0, EPP_SECDNS_10, EPP_SECDNS_11 };
enum epp_iface { EPP_IFACE_DS = 0, EPP_IFACE_KEY };

/*
 * Session settings.  Strings are borrowed for the duration of
 * epp_session_open(); the session keeps its own copies (the password is
 * wiped on close).  Zero values mean the defaults noted.
 */
struct epp_config {
	const char *host;          /* name or address */
	int port;                  /* 700 */
	const char *server_name;   /* name (or IP) to verify and send as SNI; default host */
	const char *ca_file;       /* NULL: system CA store */
	const char *cert_file;     /* client certificate chain (PEM) */
	const char *key_file;      /* its key; refused if group/world readable */
	const char *username;      /* clID */
	const char *password;      /* <pw>; never logged */
	enum epp_secdns_pref secdns;
	enum epp_iface iface;
	double rate;               /* max commands per second; 0 = unlimited */
	int timeout_ms;            /* per connect/read/write; 30000 */
	int retries;               /* automatic retries per operation; default 3, -1 = none */
	int backoff_ms;            /* first reconnect delay, doubled each time; 1000 */
	const char *cltrid_prefix; /* "DSREG" */
};

/* ---- greeting ------------------------------------------------------ */

struct epp_strv {
	char **v;
	size_t n;
};

/* RFC 5730 §2.4 greeting. */
struct epp_greeting {
	char svid[256];
	char svdate[64];
	struct epp_strv versions, langs, objuris, exturis;
};

void epp_greeting_clear(struct epp_greeting *g);
/* Parse a greeting document; g is cleared first. */
DSREG_MUST_CHECK
int epp_greeting_parse(const char *xml, size_t len, struct epp_greeting *g,
    struct dsreg_err *err);
/* 1 if the greeting lists uri among objURIs or extURIs. */
int epp_greeting_has(const struct epp_greeting *g, const char *uri);

/* ---- domain data --------------------------------------------------- */

/* domain:infData with its secDNS:infData (RFC 5731 §3.1.2, RFC 5910 §5.1.2). */
struct epp_domain_info {
	char *name;
	char *roid;
	char *clid;                /* sponsoring client */
	struct epp_strv statuses;  /* status "s" values */
	struct epp_strv ns;        /* hostObj or hostAttr/hostName */
	enum epp_secdns secdns;    /* extension present in the answer (NONE if absent) */
	uint32_t max_sig_life;     /* 0 if absent */
	struct ds_set ds;          /* dsData (owner: the domain) */
	struct ds_keyset keys;     /* keyData (1.1), or keyData inside 1.0 dsData */
	int key_interface;         /* 1 if the answer used keyData-only (1.1) */
};

void epp_domain_info_free(struct epp_domain_info *info);

/*
 * Parse a domain:info response.  res (may be NULL) receives the result;
 * *out is set only when the result is a success carrying infData (else
 * *out is NULL and 0 is returned: the result says why).  Owner of *out:
 * the caller, epp_domain_info_free().
 */
DSREG_MUST_CHECK
int epp_domain_info_parse(const char *xml, size_t len,
    struct epp_domain_info **out, struct epp_result *res,
    struct dsreg_err *err);

/* Parse any response for its result, trIDs and reasons. */
DSREG_MUST_CHECK
int epp_response_parse_result(const char *xml, size_t len,
    struct epp_result *res, struct dsreg_err *err);

/* ---- secDNS changes ------------------------------------------------ */

/*
 * A DS change for domain:update with the secDNS extension.  The session
 * chooses the form: on 1.1 rem/add of dsData (ds interface) or keyData
 * (key interface), <rem><all>, <chg><maxSigLife>; on 1.0 add of dsData,
 * rem by keyTag, or chg with the whole new set when removing by keyTag
 * would also remove records that are to be kept.
 * Zero-initialise; release with epp_secdns_change_free().
 */
struct epp_secdns_change {
	int rem_all;
	struct ds_set rem_ds, add_ds;        /* ds interface */
	struct ds_keyset rem_keys, add_keys; /* key interface (and 1.0 keyData) */
	uint32_t max_sig_life;               /* 0: unchanged */
	int urgent;
};
void epp_secdns_change_free(struct epp_secdns_change *chg);

/*
 * Build the XML of a domain:update for chg (exposed for tests; the
 * session uses it).  cur is the domain's current state, needed on 1.0
 * for removals (may be NULL otherwise).  Returns DSREG_EINVAL with a
 * message when chg cannot be expressed (e.g. keyData on a ds-only
 * change, rem_all on 1.0 without cur), and DSREG_ENOTFOUND when there is
 * nothing to send.
 */
DSREG_MUST_CHECK
int epp_build_domain_update(struct dsreg_buf *out, const char *domain,
    const struct epp_secdns_change *chg, enum epp_secdns ver,
    enum epp_iface iface, const struct epp_domain_info *cur,
    const char *cltrid, struct dsreg_err *err);

/* Other commands the client sends (exposed for tests). */
DSREG_MUST_CHECK
int epp_build_hello(struct dsreg_buf *out);
DSREG_MUST_CHECK
int epp_build_login(struct dsreg_buf *out, const char *clid, const char *pw,
    enum epp_secdns ver, const char *cltrid, struct dsreg_err *err);
DSREG_MUST_CHECK
int epp_build_logout(struct dsreg_buf *out, const char *cltrid);
DSREG_MUST_CHECK
int epp_build_domain_info(struct dsreg_buf *out, const char *domain,
    const char *cltrid, struct dsreg_err *err);

/*
 * 1 if info shows the state chg aims at (used after a lost answer): each
 * DS added is held and each DS removed is not, in the sense of
 * epp_info_has; each key added is held as keyData and each key removed
 * is not; after rem_all nothing else is held; maxSigLife as asked.
 */
int epp_secdns_change_applied(const struct epp_secdns_change *chg,
    const struct epp_domain_info *info);

/* ---- framing (RFC 5734 §4) ------------------------------------------ */

/*
 * A byte stream.  read stores up to len bytes and sets *got (0 = end of
 * stream); write writes all of buf.  Both return 0 or a DSREG_E* code.
 */
struct epp_io {
	int (*read)(void *ctx, void *buf, size_t len, size_t *got,
	    struct dsreg_err *err);
	int (*write)(void *ctx, const void *buf, size_t len,
	    struct dsreg_err *err);
	void *ctx;
	const char *peer;   /* "host:port" for messages, or NULL */
};

/*
 * Check a 4-byte length header: the value counts its own 4 bytes, must
 * leave at least one byte of XML and stay within max.  *payload is the
 * XML length.  DSREG_EPROTO / DSREG_ETOOBIG with a message naming the
 * rule (and what the bytes look like, when they look like text).
 */
DSREG_MUST_CHECK
int epp_frame_header(const uint8_t hdr[4], size_t max, size_t *payload,
    struct dsreg_err *err);
/* Read one frame's XML into out (reset first; NUL-terminated). */
DSREG_MUST_CHECK
int epp_frame_read(const struct epp_io *io, struct dsreg_buf *out,
    size_t max, struct dsreg_err *err);
/* Write one frame. */
DSREG_MUST_CHECK
int epp_frame_write(const struct epp_io *io, const char *xml, size_t len,
    struct dsreg_err *err);
/* Append one frame (header + xml) to out, e.g. to pipeline commands. */
DSREG_MUST_CHECK
int epp_frame_append(struct dsreg_buf *out, const char *xml, size_t len,
    struct dsreg_err *err);

/* ---- trace redaction ------------------------------------------------ */

/*
 * Copy xml into out with the text of every <pw>, <newPW> and <authInfo>
 * element (any namespace prefix, any depth inside authInfo), and every
 * secret registered in common/secret.h wherever it appears (a server
 * echoing a password), replaced by "[redacted]".  Used for every trace
 * line.
 */
DSREG_MUST_CHECK
int epp_redact(const char *xml, size_t len, struct dsreg_buf *out);

/* ---- session --------------------------------------------------------- */

struct epp_session;

/*
 * Connect (TLS 1.2+, server certificate verified against cfg->ca_file or
 * the system store, host name or IP checked, SNI), read the greeting,
 * choose the secDNS version (cfg->secdns, preferring 1.1), and log in
 * announcing only domain-1.0 and that version.  2502 answers and dropped
 * connections are retried with backoff.  res (may be NULL) receives the
 * login result, also when login was refused (then DSREG_EAUTH or
 * DSREG_EREMOTE is returned).  *out is freed with epp_session_close().
 */
DSREG_MUST_CHECK
int epp_session_open(struct epp_session **out, const struct epp_config *cfg,
    const struct dsreg_log *log, struct epp_result *res,
    struct dsreg_err *err);

/* Log out (best effort), disconnect, wipe the password, free. NULL ok. */
void epp_session_close(struct epp_session *s);

const struct epp_greeting *epp_session_greeting(const struct epp_session *s);
enum epp_secdns epp_session_secdns(const struct epp_session *s);
/* Interface in use: from the config, or learnt from a keyData-only info. */
enum epp_iface epp_session_iface(const struct epp_session *s);
/* Number of times the session (re)connected and logged in. */
int epp_session_logins(const struct epp_session *s);

/* <hello> as keepalive; the new greeting replaces the old one. */
DSREG_MUST_CHECK
int epp_hello(struct epp_session *s, struct dsreg_err *err);

/*
 * domain:info.  On a success result *out receives the data (caller frees
 * with epp_domain_info_free); on an error result *out is NULL and 0 is
 * returned with the result in res.  C errors: connection, TLS, protocol.
 */
DSREG_MUST_CHECK
int epp_domain_info(struct epp_session *s, const char *domain,
    struct epp_domain_info **out, struct epp_result *res,
    struct dsreg_err *err);

/*
 * domain:info for n domains, pipelined (RFC 5734 §3 allows it over TCP):
 * up to `window` commands travel in one TLS write before their answers are
 * read, in order.  out[i] and res[i] are filled per domain as with
 * epp_domain_info (out[i] NULL on an error result).  Answers that need a
 * retry (2400, 2500, 2502, a lost connection) are asked again one by one
 * with epp_domain_info's retry rules.  With cfg->rate set, window is 1.
 * On a C error the entries not yet answered have out[i] NULL and
 * res[i].code 0; the caller frees the out[i] it got.
 */
DSREG_MUST_CHECK
int epp_domain_info_many(struct epp_session *s, const char *const *domains,
    size_t n, size_t window, struct epp_domain_info **out,
    struct epp_result *res, struct dsreg_err *err);

/*
 * domain:update with the secDNS extension.  If the connection drops, or
 * the answer is 2400/2500/2502, the domain is re-read with domain:info
 * before anything else: when it already shows the change the result says
 * so (res->recovered = 1); otherwise the change is sent again, at most
 * cfg->retries times.  2306 is reported with the server's reason as
 * "wrong interface or policy".
 */
DSREG_MUST_CHECK
int epp_domain_update_secdns(struct epp_session *s, const char *domain,
    const struct epp_secdns_change *chg, struct epp_result *res,
    struct dsreg_err *err);

/* ---- the registrar interface (epp/registrar.c) ---------------------- */

struct account;
struct registrar_change;
struct registrar_ops;

/*
 * Open a session for account a (type epp): host, port, server_name,
 * ca_file, cert_file, key_file, username, secdns, interface, rate and
 * timeout from the account; the password read from password_file with
 * dsreg_secret_read (a group/world-readable file is refused) and wiped
 * once the session has it.  retries and backoff_ms of 0 keep the library
 * defaults.  log is kept by the session and must outlive it.  Returns 0
 * with *out set (epp_session_close), or a DSREG_E* code with err set
 * (DSREG_EPERM / DSREG_ENOTFOUND: a credentials file problem).
 */
DSREG_MUST_CHECK
int epp_session_from_account(const struct account *a, int retries,
    int backoff_ms, const struct dsreg_log *log, struct epp_session **out,
    struct epp_result *res, struct dsreg_err *err);

/*
 * The one answer to "does the registry hold it?".  epp_info_has: 1 if
 * info holds ds, as dsData or as keyData of the key ds refers to.
 * epp_info_holds: 1 if info holds exactly final: every DS of final in
 * either form, and nothing else (no other dsData, no key that no DS of
 * final refers to).
 */
int epp_info_has(const struct epp_domain_info *info, const struct ds_rec *ds);
int epp_info_holds(const struct epp_domain_info *info,
    const struct ds_set *final);

/*
 * The domain:update that takes the registry from info to c->final:
 * with c->rem_all, <rem><all> and all of final; else the DS of c->add it
 * does not hold and the DS of c->rem it does (epp_info_has).  For a
 * key-interface registry (iface EPP_IFACE_KEY, RFC 5910 §4.2) each DS to
 * add becomes its DNSKEY from c->keys, each DS to remove the key the
 * registry holds (info->keys).  Returns 0 with *chg filled (release with
 * epp_secdns_change_free), DSREG_ENOTFOUND when there is nothing to send,
 * DSREG_EINVAL when a DS has no known key ("the registry takes keys
 * (keyData) but a DNSKEY for DS TAG is not known"), DSREG_ENOMEM.
 */
DSREG_MUST_CHECK
int epp_secdns_delta(const struct registrar_change *c,
    const struct epp_domain_info *info, enum epp_iface iface,
    struct epp_secdns_change *chg, struct dsreg_err *err);

/*
 * The registrar interface over an EPP session (type "epp"; no locks, no
 * listing).  apply returns 0 when the outcome is APPLIED or ALREADY,
 * else a DSREG_E* code with err set (DSREG_EREMOTE: the registry
 * refused; rep->note has "CODE MSG: REASON svTRID ID").
 */
extern const struct registrar_ops epp_registrar_ops;

#endif
