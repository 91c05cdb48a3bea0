/* common/secret.h - credentials: reading, memory kept out of core dumps, wiping, scrubbing */
#ifndef DSREG_COMMON_SECRET_H
#define DSREG_COMMON_SECRET_H

#include <stddef.h>

struct dsreg_buf;
struct dsreg_err;

/* What a secret is replaced with wherever it would be shown. */
#define DSREG_SECRET_MARK "[redacted]"

/*
 * Secrets (passwords, API keys) live in their own pages: locked in memory
 * when the system allows it, marked MADV_DONTDUMP, wiped with
 * OPENSSL_cleanse when freed.  Every such secret is registered in a
 * process-wide list while it lives, so that dsreg_secret_scrub() can take
 * it out of any text (a server's answer, a log line, an error message).
 *
 * Holding the first secret also makes the whole process non-dumpable
 * (PR_SET_DUMPABLE 0, soft RLIMIT_CORE 0), for the rest of its life:
 * copies in library buffers (TLS, HTTP) cannot all be tracked.
 */

/*
 * Read a secret (password, API key) from path.  The file is refused with
 * DSREG_EPERM when it is group- or world-readable (mode & 077 != 0), or not
 * a regular file (a FIFO or device is refused without blocking); its size
 * is capped at 64 KiB.  Trailing CR/LF are stripped.  On success *out is a
 * NUL-terminated protected, registered copy the caller releases with
 * dsreg_secret_free().  The secret never appears in err.
 */
int dsreg_secret_read(const char *path, char **out, size_t *len,
    struct dsreg_err *err);

/*
 * A protected, registered copy of the len bytes at s (NUL-terminated);
 * released with dsreg_secret_free().  0 or DSREG_ENOMEM.
 */
int dsreg_secret_dup(const char *s, size_t len, char **out);

/* Check only the file mode rule (for files the TLS library reads itself). */
int dsreg_secret_check_mode(const char *path, struct dsreg_err *err);

/*
 * Unregister, wipe and release a secret from dsreg_secret_read or
 * dsreg_secret_dup (only those); NULL is accepted.
 */
void dsreg_secret_free(char *secret);

/* Overwrite len bytes in a way the compiler does not remove. */
void dsreg_secret_wipe(void *p, size_t len);

/*
 * Make the process non-dumpable and set its soft core size limit to 0
 * (done by dsreg_secret_read and dsreg_secret_dup; idempotent).
 */
void dsreg_secret_protect_process(void);

/* 1 if text holds a registered secret (as is, or XML-escaped). */
int dsreg_secret_found(const char *text, size_t len);

/*
 * Append text to out with every registered secret (as is, or XML-escaped)
 * replaced by DSREG_SECRET_MARK.  0, or the dsreg_buf error.
 */
int dsreg_secret_scrub(const char *text, size_t len, struct dsreg_buf *out);

/*
 * The same in place on a NUL-terminated string in a buffer of size bytes
 * (the result is truncated to fit).  Never allocates.
 */
void dsreg_secret_scrub_str(char *s, size_t size);

#endif
