/* epp/response.c - parsing EPP responses and greetings (RFC 5730 §2.4, §2.6) */
#include "epp/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/secret.h"

/* Caps on what a response may make us store. */
#define LIST_MAX 1024

int
epp_code_ok(int code)
{
	return code >= 1000 && code < 2000;
}

enum dsreg_retry
epp_code_class(int code)
{
	if (epp_code_ok(code))
		return DSREG_RETRY_NONE;
	switch (code) {
	case 2200:
	case 2501:
		return DSREG_RETRY_AUTH;
	case 2400:
		return DSREG_RETRY_LATER;
	case 0:       /* no answer: connection lost */
	case 2500:
		return DSREG_RETRY_RECONNECT;
	case 2502:
		return DSREG_RETRY_BACKOFF;
	default:
		return DSREG_RETRY_NEVER;
	}
}

void
epp_response_free(struct epp_response *r)
{
	if (r == NULL)
		return;
	if (r->doc != NULL)
		xmlFreeDoc(r->doc);
	memset(r, 0, sizeof(*r));
}

int
epp_uint_parse(const char *s, size_t len, unsigned long min,
    unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > max)
			return -1;
	}
	if (v < min)
		return -1;
	*out = v;
	return 0;
}

void
epp_reason_add(char *reason, size_t size, const char *text)
{
	size_t l = strlen(reason);

	if (*text == '\0')
		return;
	snprintf(reason + l, size - l, "%s%s", l > 0 ? "; " : "", text);
}

static int
parse_result(xmlNode *top, struct epp_result *res, struct dsreg_err *err)
{
	xmlNode *r, *n, *trid;
	xmlChar *code;
	unsigned long v;
	char text[EPP_TEXT_MAX], more[EPP_TEXT_MAX + 16];

	r = epp_xml_child(top, EPP_NS_EPP, "result");
	if (r == NULL)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §2.6: <response> without <result>");
	code = xmlGetProp(r, (const xmlChar *)"code");
	if (code == NULL || epp_uint_parse((const char *)code,
	    strlen((const char *)code), 1000, 2502, &v) != 0) {
		dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §3: result code '%.16s' is not 1000-2502",
		    code ? (const char *)code : "");
		xmlFree(code);
		return DSREG_EPROTO;
	}
	xmlFree(code);
	res->code = (int)v;
	res->cls = epp_code_class(res->code);
	epp_xml_text(epp_xml_child(r, EPP_NS_EPP, "msg"), res->msg,
	    sizeof(res->msg));
	/* Reasons of every result (several results may be returned). */
	for (; r != NULL; r = epp_xml_next(r, EPP_NS_EPP, "result")) {
		if (r != epp_xml_child(top, EPP_NS_EPP, "result")) {
			code = xmlGetProp(r, (const xmlChar *)"code");
			epp_xml_text(epp_xml_child(r, EPP_NS_EPP, "msg"), text,
			    sizeof(text));
			snprintf(more, sizeof(more), "%.8s %s",
			    code ? (const char *)code : "?", text);
			xmlFree(code);
			epp_reason_add(res->reason, sizeof(res->reason), more);
		}
		for (n = epp_xml_child(r, EPP_NS_EPP, "extValue"); n != NULL;
		    n = epp_xml_next(n, EPP_NS_EPP, "extValue")) {
			epp_xml_text(epp_xml_child(n, EPP_NS_EPP, "reason"),
			    text, sizeof(text));
			epp_reason_add(res->reason, sizeof(res->reason),
			    text);
		}
	}
	trid = epp_xml_child(top, EPP_NS_EPP, "trID");
	epp_xml_text(epp_xml_child(trid, EPP_NS_EPP, "clTRID"), res->cltrid,
	    sizeof(res->cltrid));
	epp_xml_text(epp_xml_child(trid, EPP_NS_EPP, "svTRID"), res->svtrid,
	    sizeof(res->svtrid));
	epp_result_scrub(res);
	return 0;
}

int
epp_response_parse(const char *xml, size_t len, struct epp_response *r,
    struct epp_result *res, struct dsreg_err *err)
{
	struct epp_response tmp;
	struct epp_result dummy;
	xmlNode *root, *n;
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	if (res == NULL)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if ((rc = epp_xml_parse(xml, len, &tmp.doc, err)) != 0)
		return rc;
	root = xmlDocGetRootElement(tmp.doc);
	if (!epp_xml_is(root, EPP_NS_EPP, "epp")) {
		rc = dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §2: root element is not <epp> in %s",
		    EPP_NS_EPP);
		goto out;
	}
	if ((n = epp_xml_child(root, EPP_NS_EPP, "greeting")) != NULL) {
		tmp.top = n;
		tmp.greeting = 1;
	} else if ((n = epp_xml_child(root, EPP_NS_EPP, "response")) != NULL) {
		tmp.top = n;
		if ((rc = parse_result(n, res, err)) != 0)
			goto out;
		tmp.resdata = epp_xml_child(n, EPP_NS_EPP, "resData");
		tmp.extension = epp_xml_child(n, EPP_NS_EPP, "extension");
	} else {
		rc = dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §2: <epp> holds neither <greeting> nor "
		    "<response>");
		goto out;
	}
	*r = tmp;
	tmp.doc = NULL;
out:
	epp_response_free(&tmp);
	return rc;
}

int
epp_response_parse_result(const char *xml, size_t len, struct epp_result *res,
    struct dsreg_err *err)
{
	struct epp_response r;
	int rc;

	if ((rc = epp_response_parse(xml, len, &r, res, err)) != 0)
		return rc;
	if (r.greeting)
		rc = dsreg_err_set(err, DSREG_EPROTO,
		    "expected a <response>, got a <greeting>");
	epp_response_free(&r);
	return rc;
}

/* ---- greeting ---------------------------------------------------- */

void
epp_greeting_clear(struct epp_greeting *g)
{
	epp_strv_free(&g->versions);
	epp_strv_free(&g->langs);
	epp_strv_free(&g->objuris);
	epp_strv_free(&g->exturis);
	memset(g, 0, sizeof(*g));
}

static int
collect_list(xmlNode *parent, const char *name, struct epp_strv *v)
{
	xmlNode *n;
	char text[512];

	for (n = epp_xml_child(parent, EPP_NS_EPP, name); n != NULL;
	    n = epp_xml_next(n, EPP_NS_EPP, name)) {
		if (v->n >= LIST_MAX)
			return DSREG_ETOOBIG;
		epp_xml_text(n, text, sizeof(text));
		if (epp_strv_add(v, text) != 0)
			return DSREG_ENOMEM;
	}
	return 0;
}

int
epp_greeting_from(const struct epp_response *r, struct epp_greeting *g,
    struct dsreg_err *err)
{
	xmlNode *menu, *ext;
	int rc;

	epp_greeting_clear(g);
	if (!r->greeting)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §2.4: expected a <greeting>");
	epp_xml_text(epp_xml_child(r->top, EPP_NS_EPP, "svID"), g->svid,
	    sizeof(g->svid));
	epp_xml_text(epp_xml_child(r->top, EPP_NS_EPP, "svDate"), g->svdate,
	    sizeof(g->svdate));
	dsreg_secret_scrub_str(g->svid, sizeof(g->svid));
	dsreg_secret_scrub_str(g->svdate, sizeof(g->svdate));
	menu = epp_xml_child(r->top, EPP_NS_EPP, "svcMenu");
	if (menu == NULL)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §2.4: greeting without <svcMenu>");
	ext = epp_xml_child(menu, EPP_NS_EPP, "svcExtension");
	if ((rc = collect_list(menu, "version", &g->versions)) != 0 ||
	    (rc = collect_list(menu, "lang", &g->langs)) != 0 ||
	    (rc = collect_list(menu, "objURI", &g->objuris)) != 0 ||
	    (ext != NULL &&
	    (rc = collect_list(ext, "extURI", &g->exturis)) != 0)) {
		epp_greeting_clear(g);
		return dsreg_err_set(err, rc,
		    "greeting: more than %d entries in a list", LIST_MAX);
	}
	return 0;
}

int
epp_greeting_parse(const char *xml, size_t len, struct epp_greeting *g,
    struct dsreg_err *err)
{
	struct epp_response r;
	int rc;

	memset(g, 0, sizeof(*g));
	if ((rc = epp_response_parse(xml, len, &r, NULL, err)) != 0)
		return rc;
	rc = epp_greeting_from(&r, g, err);
	epp_response_free(&r);
	return rc;
}

int
epp_greeting_has(const struct epp_greeting *g, const char *uri)
{
	size_t i;

	for (i = 0; i < g->objuris.n; i++)
		if (strcmp(g->objuris.v[i], uri) == 0)
			return 1;
	for (i = 0; i < g->exturis.n; i++)
		if (strcmp(g->exturis.v[i], uri) == 0)
			return 1;
	return 0;
}
