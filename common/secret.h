/* common/secret.h - reading credentials from files, and wiping them */
#ifndef DSREG_COMMON_SECRET_H
#define DSREG_COMMON_SECRET_H

#include <stddef.h>

struct dsreg_err;

/*
 * Read a secret (password, API key) from path.  The file is refused with
 * DSREG_EPERM when it is group- or world-readable (mode & 077 != 0), or not
 * a regular file; its size is capped at 64 KiB.  Trailing CR/LF are
 * stripped.  On success *out is a NUL-terminated copy the caller releases
 * with dsreg_secret_free().  The secret never appears in err.
 */
int dsreg_secret_read(const char *path, char **out, size_t *len,
    struct dsreg_err *err);

/* Check only the file mode rule (for files the TLS library reads itself). */
int dsreg_secret_check_mode(const char *path, struct dsreg_err *err);

/* Overwrite and free a secret; NULL is accepted. */
void dsreg_secret_free(char *secret);

/* Overwrite len bytes in a way the compiler does not remove. */
void dsreg_secret_wipe(void *p, size_t len);

#endif
