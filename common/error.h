/* common/error.h - the one error vocabulary of dsreg, and an error-detail buffer */
#ifndef DSREG_COMMON_ERROR_H
#define DSREG_COMMON_ERROR_H

#include <stddef.h>

/*
 * Every library function returns 0 (DSREG_OK) on success or one of these
 * negative codes.  Protocol outcomes (EPP result codes, OpenSRS
 * response_code) are data in result structs, never C errors.
 */
enum dsreg_errcode {
	DSREG_OK = 0,
	DSREG_ENOMEM = -1,       /* out of memory */
	DSREG_EINVAL = -2,       /* invalid argument (programming error or bad option) */
	DSREG_EPARSE = -3,       /* input does not follow its syntax */
	DSREG_EUNSUPPORTED = -4, /* valid but not supported (e.g. GOST digest) */
	DSREG_EIO = -5,          /* file or socket I/O failed */
	DSREG_ETIMEOUT = -6,     /* peer did not answer in time */
	DSREG_ENET = -7,         /* network error: refused, unreachable, reset */
	DSREG_ETLS = -8,         /* TLS handshake or certificate failure */
	DSREG_EPROTO = -9,       /* peer broke its protocol */
	DSREG_ETOOBIG = -10,     /* input exceeds a hard cap */
	DSREG_ENOTFOUND = -11,   /* named thing does not exist */
	DSREG_EAUTH = -12,       /* authentication refused */
	DSREG_EPERM = -13,       /* refused by policy (e.g. credentials file readable by others) */
	DSREG_ESTATE = -14,      /* operation not valid in the current state */
	DSREG_EREMOTE = -15,     /* the remote side reported a failure (see result data) */
	DSREG_EDB = -16,         /* state database error */
	DSREG_EBUSY = -17,       /* held by another process too long (e.g. a database lock) */
};

/*
 * On functions whose result must be checked (an error code, or something
 * the caller must free): dropping the result is a warning, an error under
 * -Werror.  GCC does not take a (void) cast as checking it.
 */
#define DSREG_MUST_CHECK __attribute__((warn_unused_result))

/* Short English text for a code; never NULL. */
const char *dsreg_strerror(int code);

/*
 * Error detail.  Functions that can fail on user input take an optional
 * `struct dsreg_err *` (NULL allowed) and fill it with a message that names
 * the file and line, or the server, and the rule broken, e.g.
 * "keys/Kexample.+013+12345.key:4: RFC 4034 §2.1.2: protocol field must be 3".
 * The message never contains secrets.
 */
#define DSREG_ERR_MAX 512
struct dsreg_err {
	int code;
	char msg[DSREG_ERR_MAX];
};

/* Clear an error detail. */
void dsreg_err_clear(struct dsreg_err *err);

/*
 * Record code and printf-style message in err (if err is non-NULL) and
 * return code, so that callers can write `return dsreg_err_set(err, ...)`.
 * A message already recorded is kept as context: the new text is prepended
 * only if prepend is used (see dsreg_err_prefix).
 */
int dsreg_err_set(struct dsreg_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix the message already in err with "prefix: " (e.g. a file name). */
void dsreg_err_prefix(struct dsreg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Message text of err, or the strerror of its code if no message was set. */
const char *dsreg_err_text(const struct dsreg_err *err);

#endif
