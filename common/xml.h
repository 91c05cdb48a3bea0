/* common/xml.h - the one hardened libxml2 entry point for untrusted documents, and the one XML text escaper */
#ifndef DSREG_COMMON_XML_H
#define DSREG_COMMON_XML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "common/buf.h"
#include "common/error.h"

/* How one protocol's documents are checked. */
struct dsreg_xml_rules {
	const char *what;    /* "EPP document", "OpenSRS reply": starts messages */
	const char *rule;    /* "EPP, RFC 5730 §2": where DTDs are ruled out */
	size_t max;          /* bytes; more is DSREG_ETOOBIG */
	int code;            /* the error for a refused document (DSREG_EPARSE, DSREG_EPROTO) */
	int doctype_system;  /* 1: a DOCTYPE that only names an external DTD
	                      * (OpenSRS's 'ops.dtd') is accepted, never read;
	                      * 0: any DOCTYPE is refused (EPP) */
	int utf8_only;       /* 1: the document is read as UTF-8 whatever it
	                      * declares, NUL bytes refused, entity
	                      * declarations refused before parsing; 0: the
	                      * encoding is libxml2's to detect (UTF-16 too)
	                      * and a NUL ends the document (libxml2's rule);
	                      * the DOCTYPE refusal then follows parsing */
};

/*
 * Parse xml (len bytes) under rules: no network, no entity substitution,
 * no DTD loading, libxml2's own size limits on.  Refused: more than
 * rules->max bytes; with utf8_only, before parsing, NUL bytes (UTF-16/32
 * and EBCDIC documents), any <!ENTITY declaration, a DOCTYPE with an
 * internal subset (or any DOCTYPE unless doctype_system); after parsing:
 * not well-formed, a DOCTYPE unless doctype_system, DTD content, no root
 * element.  *out is freed with
 * xmlFreeDoc.  0, DSREG_ETOOBIG, DSREG_ENOMEM or rules->code, with err.
 */
int dsreg_xml_parse(const char *xml, size_t len,
    const struct dsreg_xml_rules *rules, xmlDoc **out, struct dsreg_err *err);

/*
 * Append the first len octets of s as XML character data or attribute
 * value: & < > " escaped.  XML 1.0 §2.2 has no place for C0 control
 * characters other than TAB, LF and CR: those are refused (DSREG_EINVAL,
 * err names the octet, never the text, which may be a password), and
 * nothing is appended.  0, DSREG_EINVAL, DSREG_ENOMEM or DSREG_ETOOBIG.
 */
int dsreg_xml_escape(struct dsreg_buf *b, const char *s, size_t len,
    struct dsreg_err *err);

#endif
