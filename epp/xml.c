/* epp/xml.c - safe libxml2 parsing of untrusted EPP documents, tree helpers, escaping */
#include "epp/internal.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"

int
epp_xml_parse(const char *xml, size_t len, xmlDoc **out,
    struct dsreg_err *err)
{
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA | XML_PARSE_COMPACT;

	xmlDoc *doc;
	const xmlError *xe;

	if (len > EPP_FRAME_MAX)
		return dsreg_err_set(err, DSREG_ETOOBIG,
		    "EPP document of %zu bytes exceeds the %d byte cap", len,
		    EPP_FRAME_MAX);
	/*
	 * XML_PARSE_NONET: no network; no XML_PARSE_NOENT (entities are not
	 * substituted) and no XML_PARSE_DTDLOAD/DTDATTR: external DTDs are
	 * never read.  XML_PARSE_NOCDATA merges CDATA into text.
	 */
	doc = xmlReadMemory(xml, (int)len, NULL, NULL, opts);
	if (doc == NULL) {
		xe = xmlGetLastError();
		return dsreg_err_set(err, DSREG_EPROTO,
		    "EPP document is not well-formed XML (RFC 5730 §2): "
		    "line %d: %s", xe ? xe->line : 0,
		    xe && xe->message ? xe->message : "parse error");
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xmlFreeDoc(doc);
		return dsreg_err_set(err, DSREG_EPROTO,
		    "EPP document carries a DOCTYPE; refused (no DTDs or "
		    "entities in EPP, RFC 5730 §2)");
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		return dsreg_err_set(err, DSREG_EPROTO,
		    "EPP document has no root element");
	}
	*out = doc;
	return 0;
}

int
epp_xml_is(const xmlNode *n, const char *ns, const char *name)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return 0;
	if (strcmp((const char *)n->name, name) != 0)
		return 0;
	if (ns == NULL)
		return 1;
	return n->ns != NULL && n->ns->href != NULL &&
	    strcmp((const char *)n->ns->href, ns) == 0;
}

static xmlNode *
scan(const xmlNode *n, const char *ns, const char *name)
{
	for (; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    (name == NULL || epp_xml_is(n, ns, name)))
			return (xmlNode *)n;
	return NULL;
}

xmlNode *
epp_xml_child(const xmlNode *n, const char *ns, const char *name)
{
	return n == NULL ? NULL : scan(n->children, ns, name);
}

xmlNode *
epp_xml_next(const xmlNode *n, const char *ns, const char *name)
{
	return n == NULL ? NULL : scan(n->next, ns, name);
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Concatenate text children into buf (size > 0), then trim. */
static size_t
collect(const xmlNode *n, char *buf, size_t size)
{
	const xmlNode *c;
	size_t len = 0, l, start = 0;

	buf[0] = '\0';
	if (n == NULL)
		return 0;
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_TEXT_NODE &&
		    c->type != XML_CDATA_SECTION_NODE)
			continue;
		if (c->content == NULL)
			continue;
		l = strlen((const char *)c->content);
		if (l > size - 1 - len)
			l = size - 1 - len;
		memcpy(buf + len, c->content, l);
		len += l;
	}
	buf[len] = '\0';
	while (len > 0 && is_space((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	while (start < len && is_space((unsigned char)buf[start]))
		start++;
	if (start > 0) {
		memmove(buf, buf + start, len - start + 1);
		len -= start;
	}
	return len;
}

void
epp_xml_text(const xmlNode *n, char *buf, size_t size)
{
	if (size == 0)
		return;
	collect(n, buf, size);
}

char *
epp_xml_text_dup(const xmlNode *n, size_t max)
{
	const xmlNode *c;
	size_t total = 0;
	char *buf;

	if (n != NULL)
		for (c = n->children; c != NULL; c = c->next)
			if ((c->type == XML_TEXT_NODE ||
			    c->type == XML_CDATA_SECTION_NODE) &&
			    c->content != NULL)
				total += strlen((const char *)c->content);
	if (total > max)
		total = max;
	if ((buf = malloc(total + 1)) == NULL)
		return NULL;
	collect(n, buf, total + 1);
	return buf;
}

int
epp_xml_escape(struct dsreg_buf *b, const char *s)
{
	return epp_xml_escape_len(b, s, strlen(s));
}

int
epp_xml_escape_len(struct dsreg_buf *b, const char *s, size_t len)
{
	const char *p, *run = s, *end = s + len;
	const char *rep;
	int rc;

	for (p = s; p < end; p++) {
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: continue;
		}
		if ((rc = dsreg_buf_append(b, run, (size_t)(p - run))) != 0 ||
		    (rc = dsreg_buf_appends(b, rep)) != 0)
			return rc;
		run = p + 1;
	}
	return dsreg_buf_append(b, run, (size_t)(p - run));
}

int
epp_strv_add(struct epp_strv *v, const char *s)
{
	char **nv, *dup;

	if ((dup = strdup(s)) == NULL)
		return DSREG_ENOMEM;
	nv = realloc(v->v, (v->n + 2) * sizeof(*nv));
	if (nv == NULL) {
		free(dup);
		return DSREG_ENOMEM;
	}
	nv[v->n++] = dup;
	nv[v->n] = NULL;
	v->v = nv;
	return 0;
}

void
epp_strv_free(struct epp_strv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}
