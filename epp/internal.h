/* epp/internal.h - what the epp/ source files share (not part of the API) */
#ifndef DSREG_EPP_INTERNAL_H
#define DSREG_EPP_INTERNAL_H

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "epp/epp.h"

/* ---- xml.c ---- */

/*
 * Parse an untrusted EPP document with dsreg_xml_parse (common/xml.h):
 * at most EPP_FRAME_MAX bytes, any DOCTYPE refused, DSREG_EPROTO.  *out
 * freed with xmlFreeDoc.
 */
DSREG_MUST_CHECK
int epp_xml_parse(const char *xml, size_t len, xmlDoc **out,
    struct dsreg_err *err);
/* First element child of n in namespace ns (NULL: any) named name. */
xmlNode *epp_xml_child(const xmlNode *n, const char *ns, const char *name);
/* Next element sibling after n with the same test. */
xmlNode *epp_xml_next(const xmlNode *n, const char *ns, const char *name);
/* 1 if n is an element in ns named name. */
int epp_xml_is(const xmlNode *n, const char *ns, const char *name);
/*
 * Text of an element: its text and CDATA children only (entity references
 * are not expanded), whitespace-trimmed, into buf (truncated to size).
 */
void epp_xml_text(const xmlNode *n, char *buf, size_t size);
/* Same, malloc'd (capped at max bytes; NULL on ENOMEM). */
char *epp_xml_text_dup(const xmlNode *n, size_t max);

/* ---- redact.c ---- */

/*
 * Take registered secrets (common/secret.h) out of the server's texts in
 * res (msg, reason, trIDs) before anyone prints them.
 */
void epp_result_scrub(struct epp_result *res);

/* ---- response.c ---- */

/* A parsed <response> (or <greeting>). */
struct epp_response {
	xmlDoc *doc;
	xmlNode *top;        /* <response> or <greeting> */
	xmlNode *resdata;    /* <resData> or NULL */
	xmlNode *extension;  /* <extension> or NULL */
	int greeting;
};

DSREG_MUST_CHECK
int epp_response_parse(const char *xml, size_t len, struct epp_response *r,
    struct epp_result *res, struct dsreg_err *err);
void epp_response_free(struct epp_response *r);
DSREG_MUST_CHECK
int epp_greeting_from(const struct epp_response *r, struct epp_greeting *g,
    struct dsreg_err *err);
DSREG_MUST_CHECK
int epp_domain_info_from(const struct epp_response *r,
    struct epp_domain_info **out, struct dsreg_err *err);
/* Strict decimal of len characters in [min, max]: 0, or -1. */
int epp_uint_parse(const char *s, size_t len, unsigned long min,
    unsigned long max, unsigned long *out);
/* Append text (if not empty) to the reason buffer, "; " separated. */
void epp_reason_add(char *reason, size_t size, const char *text);

/* ---- command.c ---- */

/* "<epp><command><VERB><domain:VERB xmlns:domain=..><domain:name>NAME</domain:name>" */
DSREG_MUST_CHECK
int epp_open_domain_command(struct dsreg_buf *out, const char *verb,
    const char *domain, struct dsreg_err *err);
/* "</domain:VERB></VERB>[<extension>EXT</extension>]<clTRID>..</clTRID></command></epp>" */
DSREG_MUST_CHECK
int epp_close_domain_command(struct dsreg_buf *out, const char *verb,
    const char *ext, const char *cltrid, struct dsreg_err *err);

/* ---- secdns.c ---- */

#define EPP_PUBKEY_MAX 8192        /* decoded public key octets we accept */
#define EPP_SECDNS_SET_MAX 256     /* DS or keys per domain we accept */
#define EPP_SECDNS_INFDATA_MAX 16  /* secDNS:infData elements per answer */

/* Parse a secDNS:infData element (1.1 or 1.0) into info. */
DSREG_MUST_CHECK
int epp_secdns_parse_info(const xmlNode *inf, struct epp_domain_info *info,
    struct dsreg_err *err);

/* ---- registrar.c ---- */

/* 1 if set (may be NULL) holds a key with key's RDATA. */
int epp_keyset_has(const struct ds_keyset *set, const struct ds_key *key);

/*
 * 1 if info holds nothing beyond the DS in ds and the keys in keys (either
 * may be NULL): every dsData is in ds or refers to a key of keys, every
 * keyData is in keys or referred to by a DS of ds.
 */
int epp_info_holds_only(const struct epp_domain_info *info,
    const struct ds_set *ds, const struct ds_keyset *keys);

/* ---- strv ---- */
DSREG_MUST_CHECK
int epp_strv_add(struct epp_strv *v, const char *s);
void epp_strv_free(struct epp_strv *v);

/* ---- tls.c ---- */

struct epp_conn;

/* Connect and handshake; errors name the server and the reason. */
DSREG_MUST_CHECK
int epp_conn_open(struct epp_conn **out, const struct epp_config *cfg,
    struct dsreg_err *err);
void epp_conn_close(struct epp_conn *c);
/*
 * A frame begins: the reads that follow share one deadline, the
 * connection's timeout from now (a server dripping bytes cannot stretch
 * it).
 */
void epp_conn_frame_start(struct epp_conn *c);
/* The connection as a byte stream for the frame functions. */
void epp_conn_io(struct epp_conn *c, struct epp_io *io);
/* Monotonic clock in milliseconds (timeouts, backoff, rate). */
long epp_now_ms(void);

#endif
