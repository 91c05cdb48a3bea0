/* common/error.c - error codes, their texts and the error-detail buffer */
#include "common/error.h"
#include "common/secret.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *
dsreg_strerror(int code)
{
	switch (code) {
	case DSREG_OK: return "success";
	case DSREG_ENOMEM: return "out of memory";
	case DSREG_EINVAL: return "invalid argument";
	case DSREG_EPARSE: return "syntax error";
	case DSREG_EUNSUPPORTED: return "not supported";
	case DSREG_EIO: return "input/output error";
	case DSREG_ETIMEOUT: return "timed out";
	case DSREG_ENET: return "network error";
	case DSREG_ETLS: return "TLS error";
	case DSREG_EPROTO: return "protocol error";
	case DSREG_ETOOBIG: return "input too large";
	case DSREG_ENOTFOUND: return "not found";
	case DSREG_EAUTH: return "authentication failed";
	case DSREG_EPERM: return "refused by policy";
	case DSREG_ESTATE: return "invalid state";
	case DSREG_EREMOTE: return "remote side reported a failure";
	case DSREG_EDB: return "state database error";
	case DSREG_EBUSY: return "busy";
	}
	return "unknown error";
}

void
dsreg_err_clear(struct dsreg_err *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

int
dsreg_err_set(struct dsreg_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	dsreg_secret_scrub_str(err->msg, sizeof(err->msg));
	return code;
}

void
dsreg_err_prefix(struct dsreg_err *err, const char *fmt, ...)
{
	char prefix[DSREG_ERR_MAX], old[DSREG_ERR_MAX];
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	if (old[0] == '\0')
		snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix,
		    dsreg_strerror(err->code));
	else
		snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	dsreg_secret_scrub_str(err->msg, sizeof(err->msg));
}

const char *
dsreg_err_text(const struct dsreg_err *err)
{
	if (err == NULL)
		return "unknown error";
	if (err->msg[0] != '\0')
		return err->msg;
	return dsreg_strerror(err->code);
}
