/* epp/redact.c - remove passwords, authInfo values and registered secrets from what is shown */
#include "epp/internal.h"

#include <string.h>

#include "common/buf.h"
#include "common/secret.h"

static const char redacted[] = DSREG_SECRET_MARK;

void
epp_result_scrub(struct epp_result *res)
{
	dsreg_secret_scrub_str(res->msg, sizeof(res->msg));
	dsreg_secret_scrub_str(res->reason, sizeof(res->reason));
	dsreg_secret_scrub_str(res->cltrid, sizeof(res->cltrid));
	dsreg_secret_scrub_str(res->svtrid, sizeof(res->svtrid));
}

/* Local name of the tag starting at p (after '<' or '</'), its length. */
static size_t
local_name(const char *p, const char *end, const char **name)
{
	const char *s = p, *colon = NULL;

	while (p < end && *p != '>' && *p != '/' && *p != ' ' &&
	    *p != '\t' && *p != '\r' && *p != '\n') {
		if (*p == ':')
			colon = p;
		p++;
	}
	*name = colon != NULL ? colon + 1 : s;
	return (size_t)(p - *name);
}

static int
secret_name(const char *name, size_t len)
{
	return (len == 2 && memcmp(name, "pw", 2) == 0) ||
	    (len == 5 && memcmp(name, "newPW", 5) == 0) ||
	    (len == 8 && memcmp(name, "authInfo", 8) == 0);
}

static int
blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return 0;
	return 1;
}

int
epp_redact(const char *xml, size_t len, struct dsreg_buf *out)
{
	const char *p = xml, *end = xml + len, *gt, *name;
	size_t nlen;
	int depth = 0, rc;

	while (p < end) {
		if (*p != '<') {
			/* Text: kept, unless inside a secret element. */
			const char *t = memchr(p, '<', (size_t)(end - p));

			if (t == NULL)
				t = end;
			if (depth == 0 || blank(p, t))
				rc = dsreg_secret_scrub(p, (size_t)(t - p), out);
			else
				rc = dsreg_buf_appends(out, redacted);
			if (rc != 0)
				return rc;
			p = t;
			continue;
		}
		if (depth > 0 && (size_t)(end - p) >= 9 &&
		    memcmp(p, "<![CDATA[", 9) == 0) {
			/* CDATA inside a secret: skip to its end. */
			const char *c = memmem(p, (size_t)(end - p), "]]>", 3);

			p = c != NULL ? c + 3 : end;
			if ((rc = dsreg_buf_appends(out, redacted)) != 0)
				return rc;
			continue;
		}
		gt = memchr(p, '>', (size_t)(end - p));
		if (gt == NULL)
			gt = end - 1;
		if (depth > 0 && (size_t)(end - p) >= 4 &&
		    memcmp(p, "<!--", 4) == 0) {
			p = gt + 1;      /* comments inside secrets are dropped */
			continue;
		}
		if (p + 1 < end && p[1] == '/') {
			nlen = local_name(p + 2, end, &name);
			if (depth > 0 && secret_name(name, nlen))
				depth--;
		} else if (p + 1 < end && p[1] != '?' && p[1] != '!' &&
		    gt[-1] != '/') {
			nlen = local_name(p + 1, end, &name);
			if (secret_name(name, nlen))
				depth++;
		}
		if ((rc = dsreg_secret_scrub(p, (size_t)(gt + 1 - p), out)) != 0)
			return rc;
		p = gt + 1;
	}
	return 0;
}
