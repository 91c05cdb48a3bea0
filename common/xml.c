/* common/xml.c - the one hardened libxml2 entry point for untrusted documents, and the one XML text escaper */
#include "common/xml.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

static int
refuse_doctype(const struct dsreg_xml_rules *r, struct dsreg_err *err)
{
	return dsreg_err_set(err, r->code, "%s carries a DOCTYPE; refused (no "
	    "DTDs or entities in %s)", r->what, r->rule);
}

/*
 * A DOCTYPE with an internal subset is how entities get declared (XXE,
 * billion laughs).  Refuse it, and any entity declaration, before libxml2
 * sees the document, whatever the parser options would do with it.
 */
static int
check_doctype(const char *xml, size_t len, const struct dsreg_xml_rules *r,
    struct dsreg_err *err)
{
	const char *p, *end = xml + len;
	char quote = 0;

	if (memmem(xml, len, "<!ENTITY", 8) != NULL)
		return dsreg_err_set(err, r->code, "%s declares an XML entity "
		    "(<!ENTITY): refused (no entity declarations, external or "
		    "internal, are accepted)", r->what);
	if ((p = memmem(xml, len, "<!DOCTYPE", 9)) == NULL)
		return 0;
	if (!r->doctype_system)
		return refuse_doctype(r, err);
	for (p += 9; p < end; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (*p == '[') {
			return dsreg_err_set(err, r->code, "%s has a DOCTYPE "
			    "with an internal subset: refused (entity "
			    "declarations are not accepted)", r->what);
		} else if (*p == '>') {
			return 0;
		}
	}
	return dsreg_err_set(err, r->code, "%s truncated inside its DOCTYPE",
	    r->what);
}

int
dsreg_xml_parse(const char *xml, size_t len,
    const struct dsreg_xml_rules *r, xmlDoc **out, struct dsreg_err *err)
{
	xmlParserCtxt *ctxt;
	xmlDoc *doc = NULL;
	const xmlError *xe;
	char msg[256];
	size_t ml;
	int rc = 0;

	if (len > r->max)
		return dsreg_err_set(err, DSREG_ETOOBIG, "%s of %zu bytes "
		    "exceeds the %zu byte cap", r->what, len, r->max);
	if (len == 0)
		return dsreg_err_set(err, r->code, "%s is not well-formed XML "
		    "(it is empty)", r->what);
	/* the checks below read ASCII bytes: a UTF-16, UTF-32 or EBCDIC
	 * document (which libxml2 would detect and decode) is refused */
	if (r->utf8_only && memchr(xml, '\0', len) != NULL)
		return dsreg_err_set(err, r->code, "%s contains a NUL byte "
		    "(only UTF-8 is accepted)", r->what);
	if (r->utf8_only && (rc = check_doctype(xml, len, r, err)) != 0)
		return rc;
	xmlInitParser();
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	/*
	 * No XML_PARSE_NOENT (entities are not substituted), no DTDLOAD/
	 * DTDATTR/DTDVALID (a DTD named by a DOCTYPE is never read), no HUGE
	 * (libxml2's own limits stay on), NONET as a second lock; the
	 * encoding is UTF-8 whatever the declaration says.  NOCDATA merges
	 * CDATA into text.
	 */
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL,
	    r->utf8_only ? "UTF-8" : NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
	if (doc == NULL || !ctxt->wellFormed) {
		xe = xmlCtxtGetLastError(ctxt);
		snprintf(msg, sizeof(msg), "%s", xe != NULL &&
		    xe->message != NULL ? xe->message : "parse error");
		ml = strlen(msg);
		while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
			msg[--ml] = '\0';
		rc = dsreg_err_set(err, r->code, "%s is not well-formed XML "
		    "(line %d: %s)", r->what, xe != NULL ? xe->line : 0, msg);
		goto out;
	}
	if (!r->doctype_system && (doc->intSubset != NULL ||
	    doc->extSubset != NULL)) {
		rc = refuse_doctype(r, err);
		goto out;
	}
	if (doc->intSubset != NULL && (doc->intSubset->entities != NULL ||
	    doc->intSubset->children != NULL)) {
		rc = dsreg_err_set(err, r->code, "%s declares DTD content: "
		    "refused", r->what);
		goto out;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		rc = dsreg_err_set(err, r->code, "%s has no root element",
		    r->what);
		goto out;
	}
	*out = doc;
	doc = NULL;
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

int
dsreg_xml_escape(struct dsreg_buf *b, const char *s, size_t len,
    struct dsreg_err *err)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	const unsigned char *end = p + len;
	size_t start = b->len;
	const char *rep;
	int rc = 0;

	for (; p < end && rc == 0; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') {
			rc = dsreg_err_set(err, DSREG_EINVAL, "XML 1.0 §2.2: "
			    "control character 0x%02x cannot be sent in XML",
			    *p);
			break;
		}
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: continue;
		}
		if ((rc = dsreg_buf_append(b, run, (size_t)(p - run))) == 0)
			rc = dsreg_buf_appends(b, rep);
		run = p + 1;
	}
	if (rc == 0)
		rc = dsreg_buf_append(b, run, (size_t)(p - run));
	if (rc != 0 && b->data != NULL) {
		b->len = start;             /* nothing appended */
		b->data[start] = '\0';
	}
	return rc;
}
