/* epp/xml.c - EPP documents through common/xml.c's hardened parser, tree helpers */
#include "epp/internal.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/xml.h"

int
epp_xml_parse(const char *xml, size_t len, xmlDoc **out,
    struct dsreg_err *err)
{
	/* RFC 5730 §2: EPP has no use for DTDs or entities */
	static const struct dsreg_xml_rules epp = {
		"EPP document", "EPP, RFC 5730 §2", EPP_FRAME_MAX, DSREG_EPROTO,
		0, 0
	};

	return dsreg_xml_parse(xml, len, &epp, out, err);
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
