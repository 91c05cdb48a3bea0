/* epp/domain.c - domain:infData (RFC 5731 §3.1.2) with its secDNS extension */
#include "epp/internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"

/* What domain:infData may make us store (text lengths before trimming). */
#define NAME_MAX_LEN 255     /* domain:name, hostObj, hostName */
#define ROID_MAX_LEN 128
#define CLID_MAX_LEN 64
#define LIST_MAX 256         /* statuses, name servers */

void
epp_domain_info_free(struct epp_domain_info *info)
{
	if (info == NULL)
		return;
	free(info->name);
	free(info->roid);
	free(info->clid);
	epp_strv_free(&info->statuses);
	epp_strv_free(&info->ns);
	ds_set_free(&info->ds);
	ds_keyset_free(&info->keys);
	free(info);
}

static int
add_capped(struct epp_strv *v, const char *s, struct dsreg_err *err)
{
	if (v->n >= LIST_MAX)
		return dsreg_err_set(err, DSREG_ETOOBIG,
		    "domain:infData: more than %d entries in a list",
		    LIST_MAX);
	if (epp_strv_add(v, s) != 0)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	return 0;
}

static int
parse_ns(const xmlNode *ns, struct epp_domain_info *info,
    struct dsreg_err *err)
{
	const xmlNode *n;
	char text[NAME_MAX_LEN + 1];
	int rc;

	for (n = epp_xml_child(ns, EPP_NS_DOMAIN, NULL); n != NULL;
	    n = epp_xml_next(n, EPP_NS_DOMAIN, NULL)) {
		if (epp_xml_is(n, EPP_NS_DOMAIN, "hostObj"))
			epp_xml_text(n, text, sizeof(text));
		else if (epp_xml_is(n, EPP_NS_DOMAIN, "hostAttr"))
			epp_xml_text(epp_xml_child(n, EPP_NS_DOMAIN,
			    "hostName"), text, sizeof(text));
		else
			continue;
		if ((rc = add_capped(&info->ns, text, err)) != 0)
			return rc;
	}
	return 0;
}

int
epp_domain_info_from(const struct epp_response *r,
    struct epp_domain_info **out, struct dsreg_err *err)
{
	struct epp_domain_info *info;
	xmlNode *inf, *n;
	xmlChar *s;
	int rc = 0, blocks = 0;

	inf = epp_xml_child(r->resdata, EPP_NS_DOMAIN, "infData");
	if (inf == NULL)
		return dsreg_err_set(err, DSREG_EPROTO, "RFC 5731 §3.1.2: "
		    "successful domain:info answer without domain:infData");
	if ((info = calloc(1, sizeof(*info))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	if ((info->name = epp_xml_text_dup(epp_xml_child(inf, EPP_NS_DOMAIN,
	    "name"), NAME_MAX_LEN)) == NULL ||
	    (info->roid = epp_xml_text_dup(epp_xml_child(inf, EPP_NS_DOMAIN,
	    "roid"), ROID_MAX_LEN)) == NULL ||
	    (info->clid = epp_xml_text_dup(epp_xml_child(inf, EPP_NS_DOMAIN,
	    "clID"), CLID_MAX_LEN)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if (info->name[0] == '\0') {
		rc = dsreg_err_set(err, DSREG_EPROTO, "RFC 5731 §3.1.2: "
		    "domain:infData without domain:name");
		goto out;
	}
	for (n = epp_xml_child(inf, EPP_NS_DOMAIN, "status"); n != NULL;
	    n = epp_xml_next(n, EPP_NS_DOMAIN, "status")) {
		s = xmlGetProp(n, (const xmlChar *)"s");
		rc = add_capped(&info->statuses, s ? (const char *)s : "", err);
		xmlFree(s);
		if (rc != 0)
			goto out;
	}
	if ((n = epp_xml_child(inf, EPP_NS_DOMAIN, "ns")) != NULL &&
	    (rc = parse_ns(n, info, err)) != 0)
		goto out;
	for (n = epp_xml_child(r->extension, NULL, "infData"); n != NULL;
	    n = epp_xml_next(n, NULL, "infData")) {
		if ((epp_xml_is(n, EPP_NS_SECDNS11, "infData") ||
		    epp_xml_is(n, EPP_NS_SECDNS10, "infData")) &&
		    ++blocks > EPP_SECDNS_INFDATA_MAX) {
			rc = dsreg_err_set(err, DSREG_ETOOBIG, "more than %d "
			    "secDNS:infData elements in one answer",
			    EPP_SECDNS_INFDATA_MAX);
			goto out;
		}
		if ((rc = epp_secdns_parse_info(n, info, err)) != 0)
			goto out;
	}
	*out = info;
	info = NULL;
out:
	epp_domain_info_free(info);
	return rc;
}

int
epp_domain_info_parse(const char *xml, size_t len,
    struct epp_domain_info **out, struct epp_result *res,
    struct dsreg_err *err)
{
	struct epp_response r;
	struct epp_result tmp;
	int rc;

	*out = NULL;
	if (res == NULL)
		res = &tmp;
	if ((rc = epp_response_parse(xml, len, &r, res, err)) != 0)
		return rc;
	if (r.greeting)
		rc = dsreg_err_set(err, DSREG_EPROTO,
		    "expected a <response>, got a <greeting>");
	else if (epp_code_ok(res->code))
		rc = epp_domain_info_from(&r, out, err);
	epp_response_free(&r);
	return rc;
}
