/* common/buf.c - growable byte buffer with a hard cap */
#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
dsreg_buf_init(struct dsreg_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
dsreg_buf_free(struct dsreg_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
dsreg_buf_reset(struct dsreg_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

int
dsreg_buf_reserve(struct dsreg_buf *b, size_t add)
{
	size_t need, ncap;
	char *p;

	if (add > SIZE_MAX - b->len - 1 || b->len + add > b->max)
		return DSREG_ETOOBIG;
	need = b->len + add + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > b->max + 1)
		ncap = b->max + 1;
	p = realloc(b->data, ncap);
	if (p == NULL)
		return DSREG_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
dsreg_buf_append(struct dsreg_buf *b, const void *data, size_t len)
{
	int rc;

	if ((rc = dsreg_buf_reserve(b, len)) != 0)
		return rc;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

void
dsreg_buf_added(struct dsreg_buf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}

int
dsreg_buf_appends(struct dsreg_buf *b, const char *s)
{
	return dsreg_buf_append(b, s, strlen(s));
}

int
dsreg_buf_printf(struct dsreg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return DSREG_EINVAL;
	if ((rc = dsreg_buf_reserve(b, (size_t)n)) != 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *
dsreg_buf_steal(struct dsreg_buf *b, size_t *len)
{
	char *p;

	if (b->data == NULL && dsreg_buf_reserve(b, 0) != 0)
		return NULL;
	p = b->data;
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

int
dsreg_buf_read_stream(struct dsreg_buf *b, FILE *fp, const char *name,
    struct dsreg_err *err)
{
	char chunk[65536];
	size_t n;
	int rc;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if ((rc = dsreg_buf_append(b, chunk, n)) != 0) {
			if (rc == DSREG_ETOOBIG)
				return dsreg_err_set(err, rc,
				    "%s: larger than the limit of %zu bytes",
				    name, b->max);
			return dsreg_err_set(err, rc, "%s: %s", name,
			    dsreg_strerror(rc));
		}
	}
	if (ferror(fp))
		return dsreg_err_set(err, DSREG_EIO, "%s: read error: %s",
		    name, strerror(errno));
	if (b->data == NULL && (rc = dsreg_buf_reserve(b, 0)) != 0)
		return dsreg_err_set(err, rc, "%s: %s", name,
		    dsreg_strerror(rc));
	return 0;
}

int
dsreg_buf_read_file(struct dsreg_buf *b, const char *path,
    struct dsreg_err *err)
{
	FILE *fp;
	int rc;

	/* Regular files only (a FIFO or device would block or never end). */
	if ((rc = dsreg_file_fopen(path, b->max, &fp, err)) != 0)
		return rc;
	rc = dsreg_buf_read_stream(b, fp, path, err);
	fclose(fp);
	return rc;
}
