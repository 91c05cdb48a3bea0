/* common/buf.h - growable byte buffer with a hard cap (for file and network data) */
#ifndef DSREG_COMMON_BUF_H
#define DSREG_COMMON_BUF_H

#include <stddef.h>

/*
 * A buffer that grows up to `max` bytes and refuses more with
 * DSREG_ETOOBIG.  The data is always NUL-terminated (the terminator is not
 * counted in len and not counted against max).  Zero-initialise or call
 * dsreg_buf_init; release with dsreg_buf_free.
 */
struct dsreg_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void dsreg_buf_init(struct dsreg_buf *b, size_t max);
void dsreg_buf_free(struct dsreg_buf *b);
void dsreg_buf_reset(struct dsreg_buf *b);
int dsreg_buf_append(struct dsreg_buf *b, const void *data, size_t len);
int dsreg_buf_appends(struct dsreg_buf *b, const char *s);
/*
 * Room for `add` more bytes (0, DSREG_ETOOBIG past max, DSREG_ENOMEM):
 * the caller writes at most that many at b->data + b->len, then calls
 * dsreg_buf_added with how many it wrote.
 */
int dsreg_buf_reserve(struct dsreg_buf *b, size_t add);
void dsreg_buf_added(struct dsreg_buf *b, size_t n);
int dsreg_buf_printf(struct dsreg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hand the data over to the caller (free with free()); b is left empty. */
char *dsreg_buf_steal(struct dsreg_buf *b, size_t *len);

/*
 * Read a whole file into b (at most b->max bytes, else DSREG_ETOOBIG).
 * Errors are described in err with the path.
 */
struct dsreg_err;
int dsreg_buf_read_file(struct dsreg_buf *b, const char *path,
    struct dsreg_err *err);
/* Same for an open stream (e.g. stdin); name is used in messages. */
#include <stdio.h>
int dsreg_buf_read_stream(struct dsreg_buf *b, FILE *fp, const char *name,
    struct dsreg_err *err);

#endif
