/* epp/command.c - the commands the client sends: hello, login, logout, domain:info */
#include "epp/internal.h"

#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/xml.h"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>"
#define EPP_OPEN XML_DECL "<epp xmlns=\"" EPP_NS_EPP "\">"

int
epp_build_hello(struct dsreg_buf *out)
{
	return dsreg_buf_appends(out, EPP_OPEN "<hello/></epp>");
}

/* "<clTRID>..</clTRID></command></epp>" */
static int
close_command(struct dsreg_buf *out, const char *cltrid,
    struct dsreg_err *err)
{
	int rc;

	if ((rc = dsreg_buf_appends(out, "<clTRID>")) != 0 ||
	    (rc = dsreg_xml_escape(out, cltrid, strlen(cltrid), err)) != 0)
		return rc;
	return dsreg_buf_appends(out, "</clTRID></command></epp>");
}

/*
 * RFC 5730 §4 types: clIDType is a token of 3..16 characters, pwType a
 * token of 6..16.  A value with leading/trailing/double spaces is not a
 * token: the server would compare something else than the user wrote.
 */
static int
check_token(const char *what, const char *s, size_t min, size_t max,
    int secret, struct dsreg_err *err)
{
	size_t len = strlen(s), i;

	if (len < min || len > max)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "RFC 5730 §4: %s must be %zu to %zu characters%s%zu",
		    what, min, max, secret ? "" : ", got ",
		    secret ? (size_t)0 : len);
	for (i = 0; i < len; i++)
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
		    (s[i] == ' ' && (i == 0 || i == len - 1 || s[i + 1] == ' ')))
			return dsreg_err_set(err, DSREG_EINVAL,
			    "RFC 5730 §4: %s is not an XML token (tabs, line "
			    "breaks, leading, trailing or double spaces)", what);
	return 0;
}

int
epp_build_login(struct dsreg_buf *out, const char *clid, const char *pw,
    enum epp_secdns ver, const char *cltrid, struct dsreg_err *err)
{
	int rc;

	if ((rc = check_token("clID (username)", clid, 3, 16, 0, err)) != 0)
		return rc;
	if ((rc = check_token("password", pw, 6, 16, 1, err)) != 0) {
		/* the generic message above must not show the length */
		return dsreg_err_set(err, rc, "RFC 5730 §4: the password "
		    "must be an XML token of 6 to 16 characters");
	}
	if ((rc = dsreg_buf_appends(out, EPP_OPEN "<command><login><clID>")) ||
	    (rc = dsreg_xml_escape(out, clid, strlen(clid), err)) ||
	    (rc = dsreg_buf_appends(out, "</clID><pw>")) ||
	    (rc = dsreg_xml_escape(out, pw, strlen(pw), err)) ||
	    (rc = dsreg_buf_appends(out, "</pw><options><version>1.0"
	    "</version><lang>en</lang></options><svcs><objURI>" EPP_NS_DOMAIN
	    "</objURI>")))
		goto out;
	if (ver != EPP_SECDNS_NONE &&
	    (rc = dsreg_buf_printf(out, "<svcExtension><extURI>%s</extURI>"
	    "</svcExtension>", ver == EPP_SECDNS_11 ? EPP_NS_SECDNS11 :
	    EPP_NS_SECDNS10)) != 0)
		goto out;
	if ((rc = dsreg_buf_appends(out, "</svcs></login>")) == 0)
		rc = close_command(out, cltrid, err);
out:
	if (rc == DSREG_EINVAL)
		return rc;                  /* err says which octet */
	if (rc != 0)
		return dsreg_err_set(err, rc, "building login: %s",
		    dsreg_strerror(rc));
	return 0;
}

int
epp_build_logout(struct dsreg_buf *out, const char *cltrid)
{
	int rc;

	if ((rc = dsreg_buf_appends(out, EPP_OPEN "<command><logout/>")) != 0)
		return rc;
	return close_command(out, cltrid, NULL);
}

/* RFC 5731 §4: labelType is 1..255 characters; we also refuse controls. */
static int
check_domain(const char *domain, struct dsreg_err *err)
{
	size_t len = strlen(domain), i;

	if (len == 0 || len > 255)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "RFC 5731 §4: domain name must be 1 to 255 characters");
	for (i = 0; i < len; i++)
		if ((unsigned char)domain[i] <= ' ')
			return dsreg_err_set(err, DSREG_EINVAL,
			    "'%s': domain name with spaces or control "
			    "characters", domain);
	return 0;
}

/* Append the pieces (NULL-terminated list) in order. */
static int
append_all(struct dsreg_buf *out, const char *const *pieces)
{
	int rc;

	for (; *pieces != NULL; pieces++)
		if ((rc = dsreg_buf_appends(out, *pieces)) != 0)
			return rc;
	return 0;
}

int
epp_open_domain_command(struct dsreg_buf *out, const char *verb,
    const char *domain, struct dsreg_err *err)
{
	const char *open[] = { EPP_OPEN "<command><", verb, "><domain:", verb,
	    " xmlns:domain=\"" EPP_NS_DOMAIN "\"><domain:name>", NULL };
	size_t len;
	int rc;

	if ((rc = check_domain(domain, err)) != 0)
		return rc;
	/* The registry names the domain without the root dot. */
	len = strlen(domain);
	if (len > 1 && domain[len - 1] == '.')
		len--;
	if ((rc = append_all(out, open)) != 0 ||
	    (rc = dsreg_xml_escape(out, domain, len, err)) != 0 ||
	    (rc = dsreg_buf_appends(out, "</domain:name>")) != 0)
		return dsreg_err_set(err, rc, "building domain:%s: %s", verb,
		    dsreg_strerror(rc));
	return 0;
}

int
epp_close_domain_command(struct dsreg_buf *out, const char *verb,
    const char *ext, const char *cltrid, struct dsreg_err *err)
{
	const char *close[] = { "</domain:", verb, "></", verb, ">", NULL };
	const char *extension[] = { "<extension>", ext, "</extension>", NULL };
	int rc;

	if ((rc = append_all(out, close)) != 0 ||
	    (ext != NULL && (rc = append_all(out, extension)) != 0) ||
	    (rc = close_command(out, cltrid, err)) != 0)
		return rc == DSREG_EINVAL ? rc : dsreg_err_set(err, rc,
		    "building domain:%s: %s", verb, dsreg_strerror(rc));
	return 0;
}

int
epp_build_domain_info(struct dsreg_buf *out, const char *domain,
    const char *cltrid, struct dsreg_err *err)
{
	int rc;

	if ((rc = epp_open_domain_command(out, "info", domain, err)) != 0)
		return rc;
	return epp_close_domain_command(out, "info", NULL, cltrid, err);
}
