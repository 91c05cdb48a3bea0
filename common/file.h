/* common/file.h - opening the files dsreg reads: regular files only, sizes capped */
#ifndef DSREG_COMMON_FILE_H
#define DSREG_COMMON_FILE_H

#include <stddef.h>
#include <stdio.h>

struct dsreg_err;

/* Cap for text files read line by line (configuration, resolv.conf). */
#define DSREG_FILE_TEXT_MAX (16u << 20)

/*
 * Open path for reading without ever blocking on it: O_NONBLOCK |
 * O_CLOEXEC | O_NOCTTY (plus extra_flags, e.g. O_NOFOLLOW), then fstat.
 * Anything but a regular file (FIFO, device, socket, directory) is refused
 * with DSREG_EPERM, a file larger than max bytes (max 0: no cap) with
 * DSREG_ETOOBIG; a missing file gives DSREG_ENOTFOUND.  Messages name the
 * path and the rule.  On success *fd is a blocking descriptor the caller
 * closes, and *size (if not NULL) the size fstat reported.
 */
int dsreg_file_open_regular(const char *path, int extra_flags, size_t max,
    int *fd, size_t *size, struct dsreg_err *err);

/*
 * Read the whole descriptor into a new buffer of at most max bytes
 * (DSREG_ETOOBIG beyond, even if the file grew after the check); *out is
 * NUL-terminated (not counted in *len), freed by the caller with free().
 * path is for messages.
 */
int dsreg_file_read_capped(int fd, const char *path, size_t max, char **out,
    size_t *len, struct dsreg_err *err);

/*
 * The same rule for a file another library opens by name (TLS
 * certificates and keys): opened, checked and closed again.
 */
int dsreg_file_check_regular(const char *path, size_t max,
    struct dsreg_err *err);

/*
 * dsreg_file_open_regular, as a stdio stream (fclose by the caller).
 */
int dsreg_file_fopen(const char *path, size_t max, FILE **out,
    struct dsreg_err *err);

#endif
