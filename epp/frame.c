/* epp/frame.c - RFC 5734 §4 data units: 32-bit length (counting itself) + XML */
#include "epp/epp.h"

#include <ctype.h>
#include <stdio.h>
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
	if ((rc = dsreg_buf_reserve(out, payload)) != 0)
		return dsreg_err_set(err, rc, "frame buffer: %s",
		    dsreg_strerror(rc));
	if ((rc = read_full(io, out->data, payload, "inside a frame",
	    err)) != 0)
		return rc;
	dsreg_buf_added(out, payload);
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
