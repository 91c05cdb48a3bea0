/* epp/frame.c - RFC 5734 §4 data units: 32-bit length (counting itself) + XML */
#include "epp/epp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/secret.h"

int
epp_frame_header(const uint8_t hdr[4], size_t max, size_t *payload,
    struct dsreg_err *err)
{
	uint32_t total;
	char show[5];
	int text = 1, i;

	total = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	    (uint32_t)hdr[2] << 8 | hdr[3];
	for (i = 0; i < 4; i++) {
		show[i] = (char)hdr[i];
		if (!isprint(hdr[i]))
			text = 0;
	}
	show[4] = '\0';
	if (text)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5734 §4: garbage frame header \"%s\" (%u): XML "
		    "without the 32-bit length prefix?", show, total);
	if (total <= 4)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5734 §4: frame length %u must count its own 4 "
		    "bytes plus at least one byte of XML", total);
	if (total > max)
		return dsreg_err_set(err, DSREG_ETOOBIG,
		    "RFC 5734 §4: frame of %u bytes exceeds the %zu byte cap",
		    total, max);
	*payload = total - 4;
	return 0;
}

/* Read exactly len bytes; end of stream inside is an error. */
static int
read_full(const struct epp_io *io, void *buf, size_t len, const char *what,
    struct dsreg_err *err)
{
	size_t done = 0, got;
	int rc;

	while (done < len) {
		rc = io->read(io->ctx, (char *)buf + done, len - done, &got,
		    err);
		if (rc != 0)
			return rc;
		if (got == 0)
			return dsreg_err_set(err, DSREG_ENET,
			    "%s%sconnection closed by the server %s (%zu of %zu "
			    "bytes read)", io->peer ? io->peer : "",
			    io->peer ? ": " : "", what, done, len);
		done += got;
	}
	return 0;
}

int
epp_frame_read(const struct epp_io *io, struct dsreg_buf *out, size_t max,
    struct dsreg_err *err)
{
	uint8_t hdr[4];
	size_t payload;
	int rc;

	dsreg_buf_reset(out);
	if ((rc = read_full(io, hdr, sizeof(hdr), "before a frame header",
	    err)) != 0)
		return rc;
	if ((rc = epp_frame_header(hdr, max, &payload, err)) != 0)
		return rc;
	if (out->max < payload)
		return dsreg_err_set(err, DSREG_ETOOBIG,
		    "RFC 5734 §4: frame of %zu bytes exceeds the buffer cap",
		    payload);
	while (out->len < payload) {
		char chunk[16384];
		size_t n = payload - out->len;

		if (n > sizeof(chunk))
			n = sizeof(chunk);
		if ((rc = read_full(io, chunk, n, "inside a frame", err)) != 0)
			return rc;
		if ((rc = dsreg_buf_append(out, chunk, n)) != 0)
			return dsreg_err_set(err, rc, "frame buffer: %s",
			    dsreg_strerror(rc));
	}
	return 0;
}

#define READ_CHUNK 16384   /* room asked of each read: a TLS record */

void
epp_frame_reader_init(struct epp_frame_reader *r, size_t max)
{
	memset(r, 0, sizeof(*r));
	r->max = max;
}

void
epp_frame_reader_free(struct epp_frame_reader *r)
{
	if (r == NULL)
		return;
	free(r->data);
	epp_frame_reader_init(r, r->max);
}

void
epp_frame_reader_reset(struct epp_frame_reader *r)
{
	r->len = r->off = 0;
}

/* Read at least once more, after what is held; want: bytes still missing. */
static int
fill(struct epp_frame_reader *r, const struct epp_io *io, size_t want,
    const char *what, struct dsreg_err *err)
{
	size_t room = want > READ_CHUNK ? want : READ_CHUNK, ncap, got;
	char *p;
	int rc;

	if (r->off > 0) {          /* keep the unread bytes at the front */
		memmove(r->data, r->data + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	/* Held bytes are less than a frame, so this stays under max + chunk. */
	if (r->cap - r->len < room) {
		ncap = r->len + room;
		if ((p = realloc(r->data, ncap)) == NULL)
			return dsreg_err_set(err, DSREG_ENOMEM,
			    "frame buffer: out of memory");
		r->data = p;
		r->cap = ncap;
	}
	if ((rc = io->read(io->ctx, r->data + r->len, r->cap - r->len, &got,
	    err)) != 0)
		return rc;
	if (got == 0)
		return dsreg_err_set(err, DSREG_ENET,
		    "%s%sconnection closed by the server %s (%zu of %zu bytes "
		    "read)", io->peer ? io->peer : "", io->peer ? ": " : "",
		    what, r->len, r->len + want);
	r->len += got;
	return 0;
}

int
epp_frame_reader_next(struct epp_frame_reader *r, const struct epp_io *io,
    const char **xml, size_t *len, struct dsreg_err *err)
{
	size_t payload;
	int rc;

	if (r->off == r->len)
		r->off = r->len = 0;
	while (r->len - r->off < 4)
		if ((rc = fill(r, io, 4 - (r->len - r->off),
		    "before a frame header", err)) != 0)
			return rc;
	if ((rc = epp_frame_header((const uint8_t *)r->data + r->off, r->max,
	    &payload, err)) != 0)
		return rc;
	while (r->len - r->off < 4 + payload)
		if ((rc = fill(r, io, 4 + payload - (r->len - r->off),
		    "inside a frame", err)) != 0)
			return rc;
	*xml = r->data + r->off + 4;
	*len = payload;
	r->off += 4 + payload;
	return 0;
}

/* The 4-byte header of a frame carrying len bytes of XML. */
static int
header(uint8_t hdr[4], size_t len, struct dsreg_err *err)
{
	uint32_t total;

	if (len == 0 || len > EPP_FRAME_MAX - 4)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "EPP frame of %zu bytes: out of range", len);
	total = (uint32_t)len + 4;
	hdr[0] = (uint8_t)(total >> 24);
	hdr[1] = (uint8_t)(total >> 16);
	hdr[2] = (uint8_t)(total >> 8);
	hdr[3] = (uint8_t)total;
	return 0;
}

int
epp_frame_append(struct dsreg_buf *out, const char *xml, size_t len,
    struct dsreg_err *err)
{
	uint8_t hdr[4];
	int rc;

	if ((rc = header(hdr, len, err)) != 0)
		return rc;
	if ((rc = dsreg_buf_append(out, hdr, sizeof(hdr))) != 0 ||
	    (rc = dsreg_buf_append(out, xml, len)) != 0)
		return dsreg_err_set(err, rc, "EPP frame: %s",
		    dsreg_strerror(rc));
	return 0;
}

int
epp_frame_write(const struct epp_io *io, const char *xml, size_t len,
    struct dsreg_err *err)
{
	uint8_t hdr[4];
	int rc;

	if ((rc = header(hdr, len, err)) != 0)
		return rc;
	if (len <= 8192 - sizeof(hdr)) {
		/* One write, so that a small command travels in one TLS record. */
		uint8_t one[8192];

		memcpy(one, hdr, sizeof(hdr));
		memcpy(one + sizeof(hdr), xml, len);
		rc = io->write(io->ctx, one, len + sizeof(hdr), err);
		/* The copy may hold a password (login): not left on the stack. */
		dsreg_secret_wipe(one, len + sizeof(hdr));
		return rc;
	}
	if ((rc = io->write(io->ctx, hdr, sizeof(hdr), err)) != 0)
		return rc;
	return io->write(io->ctx, xml, len, err);
}
