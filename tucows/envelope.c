/* tucows/envelope.c - OpenSRS OPS_envelope value tree, builder and hardened parser */
#include "tucows/envelope.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/xml.h"

/* ---- value tree ---------------------------------------------------- */

int
osrs_value_new(struct osrs_value **out, enum osrs_type type)
{
	struct osrs_value *v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return DSREG_ENOMEM;
	v->type = type;
	if (type == OSRS_SCALAR && (v->text = strdup("")) == NULL) {
		free(v);
		return DSREG_ENOMEM;
	}
	*out = v;
	return 0;
}

int
osrs_scalar_new(struct osrs_value **out, const char *text)
{
	struct osrs_value *v;

	if ((v = calloc(1, sizeof(*v))) == NULL)
		return DSREG_ENOMEM;
	v->type = OSRS_SCALAR;
	if ((v->text = strdup(text != NULL ? text : "")) == NULL) {
		free(v);
		return DSREG_ENOMEM;
	}
	*out = v;
	return 0;
}

void
osrs_value_free(struct osrs_value *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++)
		osrs_value_free(v->v[i]);
	free(v->v);
	free(v->key);
	free(v->text);
	free(v);
}

int
osrs_value_add(struct osrs_value *parent, const char *key,
    struct osrs_value *child)
{
	struct osrs_value **nv;
	char num[24], *k;
	size_t ncap;

	if (parent == NULL || child == NULL || parent->type == OSRS_SCALAR ||
	    child->key != NULL)
		return DSREG_EINVAL;
	if (key == NULL) {
		if (parent->type != OSRS_ARRAY)
			return DSREG_EINVAL;
		snprintf(num, sizeof(num), "%zu", parent->n);
		key = num;
	}
	if (parent->n == parent->cap) {
		ncap = parent->cap ? parent->cap * 2 : 8;
		if ((nv = realloc(parent->v, ncap * sizeof(*nv))) == NULL)
			return DSREG_ENOMEM;
		parent->v = nv;
		parent->cap = ncap;
	}
	if ((k = strdup(key)) == NULL)
		return DSREG_ENOMEM;
	child->key = k;
	parent->v[parent->n++] = child;
	return 0;
}

int
osrs_assoc_set(struct osrs_value *parent, const char *key, const char *text)
{
	struct osrs_value *s = NULL;
	int rc;

	if ((rc = osrs_scalar_new(&s, text)) != 0)
		return rc;
	if ((rc = osrs_value_add(parent, key, s)) != 0)
		osrs_value_free(s);
	return rc;
}

int
osrs_assoc_add_container(struct osrs_value *parent, const char *key,
    enum osrs_type type, struct osrs_value **out)
{
	struct osrs_value *c = NULL;
	int rc;

	if (type == OSRS_SCALAR)
		return DSREG_EINVAL;
	if ((rc = osrs_value_new(&c, type)) != 0)
		return rc;
	if ((rc = osrs_value_add(parent, key, c)) != 0) {
		osrs_value_free(c);
		return rc;
	}
	if (out != NULL)
		*out = c;
	return 0;
}

const struct osrs_value *
osrs_value_get(const struct osrs_value *v, const char *key)
{
	size_t i;

	if (v == NULL || v->type == OSRS_SCALAR || key == NULL)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i]->key, key) == 0)
			return v->v[i];
	return NULL;
}

const char *
osrs_value_str(const struct osrs_value *v, const char *key)
{
	const struct osrs_value *c = osrs_value_get(v, key);

	return c != NULL && c->type == OSRS_SCALAR ? c->text : NULL;
}

int
osrs_value_equal(const struct osrs_value *a, const struct osrs_value *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->type != b->type || a->n != b->n)
		return 0;
	if ((a->key == NULL) != (b->key == NULL) ||
	    (a->key != NULL && strcmp(a->key, b->key) != 0))
		return 0;
	if (a->type == OSRS_SCALAR)
		return strcmp(a->text, b->text) == 0;
	for (i = 0; i < a->n; i++)
		if (!osrs_value_equal(a->v[i], b->v[i]))
			return 0;
	return 1;
}

/* ---- builder ------------------------------------------------------- */

static const char envelope_head[] =
    "<?xml version='1.0' encoding='UTF-8' standalone='no' ?>\n"
    "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>\n"
    "<OPS_envelope>\n"
    " <header>\n"
    "  <version>0.9</version>\n"
    " </header>\n"
    " <body>\n"
    "  <data_block>\n";
static const char envelope_tail[] =
    "  </data_block>\n"
    " </body>\n"
    "</OPS_envelope>\n";

static int
put_escaped(struct dsreg_buf *out, const char *s, struct dsreg_err *err)
{
	return dsreg_xml_escape(out, s, strlen(s), err);
}

static int
indent(struct dsreg_buf *out, int depth)
{
	static const char sp[] = "                                        ";
	size_t n = (size_t)(depth + 3);

	return dsreg_buf_append(out, sp, n < sizeof(sp) - 1 ? n : sizeof(sp) - 1);
}

static int
build_value(const struct osrs_value *v, struct dsreg_buf *out, int depth,
    struct dsreg_err *err)
{
	const char *tag;
	size_t i;
	int rc;

	if (depth > OSRS_DEPTH_MAX)
		return dsreg_err_set(err, DSREG_ETOOBIG,
		    "OpenSRS request nested deeper than %d levels",
		    OSRS_DEPTH_MAX);
	if (v->type == OSRS_SCALAR) {
		/* A bare scalar as the data_block content. */
		if ((rc = indent(out, depth)) != 0 ||
		    (rc = dsreg_buf_appends(out, "<dt_scalar>")) != 0 ||
		    (rc = put_escaped(out, v->text, err)) != 0 ||
		    (rc = dsreg_buf_appends(out, "</dt_scalar>\n")) != 0)
			return rc;
		return 0;
	}
	tag = v->type == OSRS_ASSOC ? "dt_assoc" : "dt_array";
	if ((rc = indent(out, depth)) != 0 ||
	    (rc = dsreg_buf_printf(out, "<%s>\n", tag)) != 0)
		return rc;
	for (i = 0; i < v->n; i++) {
		const struct osrs_value *c = v->v[i];

		if ((rc = indent(out, depth + 1)) != 0 ||
		    (rc = dsreg_buf_appends(out, "<item key=\"")) != 0 ||
		    (rc = put_escaped(out, c->key, err)) != 0)
			return rc;
		if (c->type == OSRS_SCALAR) {
			if (c->text[0] == '\0')
				rc = dsreg_buf_appends(out, "\"/>\n");
			else if ((rc = dsreg_buf_appends(out, "\">")) == 0 &&
			    (rc = put_escaped(out, c->text, err)) == 0)
				rc = dsreg_buf_appends(out, "</item>\n");
		} else if ((rc = dsreg_buf_appends(out, "\">\n")) == 0 &&
		    (rc = build_value(c, out, depth + 2, err)) == 0 &&
		    (rc = indent(out, depth + 1)) == 0)
			rc = dsreg_buf_appends(out, "</item>\n");
		if (rc != 0)
			return rc;
	}
	if ((rc = indent(out, depth)) != 0 ||
	    (rc = dsreg_buf_printf(out, "</%s>\n", tag)) != 0)
		return rc;
	return 0;
}

int
osrs_envelope_build(const struct osrs_value *data, struct dsreg_buf *out,
    struct dsreg_err *err)
{
	size_t start = out->len;
	int rc;

	if (data == NULL)
		return dsreg_err_set(err, DSREG_EINVAL, "no data to send");
	if ((rc = dsreg_buf_appends(out, envelope_head)) == 0 &&
	    (rc = build_value(data, out, 0, err)) == 0)
		rc = dsreg_buf_appends(out, envelope_tail);
	if (rc != 0) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		if (rc == DSREG_ETOOBIG && (err == NULL || err->code == 0))
			dsreg_err_set(err, rc, "OpenSRS request exceeds %zu "
			    "bytes", out->max);
		else if (rc == DSREG_ENOMEM)
			dsreg_err_set(err, rc, "out of memory");
	}
	return rc;
}

/* ---- parser -------------------------------------------------------- */

struct walk {
	size_t nodes;
	struct dsreg_err *err;
};

static int
is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *
only_child_elem(const xmlNode *parent, const char *name)
{
	const xmlNode *n;

	for (n = parent->children; n != NULL; n = n->next)
		if (is_elem(n, name))
			return n;
	return NULL;
}

static int convert(const xmlNode *n, int depth, struct walk *w,
    struct osrs_value **out);

static int
item_value(const xmlNode *item, int depth, struct walk *w,
    struct osrs_value **out)
{
	const xmlNode *n, *elem = NULL;
	struct dsreg_buf text;
	int rc = 0, nonblank = 0;
	const unsigned char *p;

	if (++w->nodes > OSRS_NODES_MAX)
		return dsreg_err_set(w->err, DSREG_ETOOBIG,
		    "OpenSRS reply holds more than %d values", OSRS_NODES_MAX);
	dsreg_buf_init(&text, OSRS_ENVELOPE_MAX);
	for (n = item->children; n != NULL && rc == 0; n = n->next) {
		switch (n->type) {
		case XML_ELEMENT_NODE:
			if (elem != NULL)
				rc = dsreg_err_set(w->err, DSREG_EPARSE,
				    "OpenSRS reply line %ld: <item> holds more "
				    "than one value", xmlGetLineNo(n));
			elem = n;
			break;
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (n->content == NULL)
				break;
			for (p = n->content; *p != '\0'; p++)
				if (*p != ' ' && *p != '\t' && *p != '\n' &&
				    *p != '\r')
					nonblank = 1;
			rc = dsreg_buf_appends(&text,
			    (const char *)n->content);
			break;
		case XML_ENTITY_REF_NODE:
			rc = dsreg_err_set(w->err, DSREG_EPARSE,
			    "OpenSRS reply line %ld: entity reference &%s; "
			    "refused (entities are never expanded)",
			    xmlGetLineNo(n), (const char *)n->name);
			break;
		default:
			break; /* comments, processing instructions */
		}
	}
	if (rc != 0)
		goto out;
	if (elem != NULL) {
		if (nonblank) {
			rc = dsreg_err_set(w->err, DSREG_EPARSE,
			    "OpenSRS reply line %ld: <item> mixes text and "
			    "elements", xmlGetLineNo(item));
			goto out;
		}
		rc = convert(elem, depth, w, out);
		goto out;
	}
	rc = osrs_scalar_new(out, text.data != NULL ? text.data : "");
out:
	dsreg_buf_free(&text);
	return rc;
}

static int
convert(const xmlNode *n, int depth, struct walk *w, struct osrs_value **out)
{
	struct osrs_value *v = NULL, *child = NULL;
	const xmlNode *c;
	xmlChar *key = NULL;
	enum osrs_type type;
	int rc = 0;

	if (++w->nodes > OSRS_NODES_MAX)
		return dsreg_err_set(w->err, DSREG_ETOOBIG,
		    "OpenSRS reply holds more than %d values", OSRS_NODES_MAX);
	if (depth > OSRS_DEPTH_MAX)
		return dsreg_err_set(w->err, DSREG_ETOOBIG,
		    "OpenSRS reply line %ld: nested deeper than %d levels",
		    xmlGetLineNo(n), OSRS_DEPTH_MAX);
	if (is_elem(n, "dt_scalar") || is_elem(n, "dt_scalarref"))
		return item_value(n, depth, w, out);
	if (is_elem(n, "dt_assoc"))
		type = OSRS_ASSOC;
	else if (is_elem(n, "dt_array"))
		type = OSRS_ARRAY;
	else
		return dsreg_err_set(w->err, DSREG_EPARSE,
		    "OpenSRS reply line %ld: unexpected element <%s> (expected "
		    "dt_assoc, dt_array or dt_scalar)", xmlGetLineNo(n),
		    (const char *)n->name);
	if ((rc = osrs_value_new(&v, type)) != 0)
		goto out;
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_ENTITY_REF_NODE) {
			rc = dsreg_err_set(w->err, DSREG_EPARSE,
			    "OpenSRS reply line %ld: entity reference refused",
			    xmlGetLineNo(c));
			goto out;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!is_elem(c, "item")) {
			rc = dsreg_err_set(w->err, DSREG_EPARSE,
			    "OpenSRS reply line %ld: unexpected <%s> in <%s> "
			    "(expected <item>)", xmlGetLineNo(c),
			    (const char *)c->name, (const char *)n->name);
			goto out;
		}
		key = xmlGetProp(c, (const xmlChar *)"key");
		if (key == NULL && type == OSRS_ASSOC) {
			rc = dsreg_err_set(w->err, DSREG_EPARSE,
			    "OpenSRS reply line %ld: <item> without a key in "
			    "<dt_assoc>", xmlGetLineNo(c));
			goto out;
		}
		if ((rc = item_value(c, depth + 1, w, &child)) != 0)
			goto out;
		if ((rc = osrs_value_add(v, (const char *)key, child)) != 0)
			goto out;
		child = NULL;
		xmlFree(key);
		key = NULL;
	}
	*out = v;
	v = NULL;
out:
	if (key != NULL)
		xmlFree(key);
	osrs_value_free(child);
	osrs_value_free(v);
	if (rc == DSREG_ENOMEM)
		dsreg_err_set(w->err, rc, "out of memory");
	return rc;
}

int
osrs_envelope_parse(const char *xml, size_t len, struct osrs_value **out,
    struct dsreg_err *err)
{
	/* OpenSRS names its DTD ('ops.dtd'); it is never read */
	static const struct dsreg_xml_rules osrs = {
		"OpenSRS reply", "OpenSRS replies", OSRS_ENVELOPE_MAX,
		DSREG_EPARSE, 1, 1
	};
	xmlDoc *doc = NULL;
	const xmlNode *root, *body, *block, *n;
	struct walk w = { 0, err };
	int rc = 0;

	if ((rc = dsreg_xml_parse(xml, len, &osrs, &doc, err)) != 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_elem(root, "OPS_envelope")) {
		rc = dsreg_err_set(err, DSREG_EPARSE,
		    "OpenSRS reply: root element is <%s>, expected "
		    "<OPS_envelope>", root != NULL ?
		    (const char *)root->name : "(none)");
		goto out;
	}
	if ((body = only_child_elem(root, "body")) == NULL ||
	    (block = only_child_elem(body, "data_block")) == NULL) {
		rc = dsreg_err_set(err, DSREG_EPARSE,
		    "OpenSRS reply has no <body><data_block>");
		goto out;
	}
	for (n = block->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			break;
	if (n == NULL) {
		rc = dsreg_err_set(err, DSREG_EPARSE,
		    "OpenSRS reply has an empty <data_block>");
		goto out;
	}
	rc = convert(n, 0, &w, out);
out:
	xmlFreeDoc(doc);
	return rc;
}
