/* tests/unit/test_epp_frame.c - epp/frame.c: RFC 5734 §4 length header, partial I/O, pipelined frames, caps */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "epp/epp.h"

#include <string.h>

/* A memory stream that hands out at most `step` bytes per read. */
struct mem {
	const uint8_t *data;
	size_t len, pos, step;
	struct dsreg_buf written;
};

static int
mem_read(void *ctx, void *buf, size_t len, size_t *got, struct dsreg_err *err)
{
	struct mem *m = ctx;
	size_t n = m->len - m->pos;

	(void)err;
	if (n > len)
		n = len;
	if (m->step && n > m->step)
		n = m->step;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	*got = n;
	return 0;
}

static int
mem_write(void *ctx, const void *buf, size_t len, struct dsreg_err *err)
{
	struct mem *m = ctx;

	(void)err;
	return dsreg_buf_append(&m->written, buf, len);
}

static const struct {
	uint8_t hdr[4];
	int rc;
	size_t payload;
	const char *msg;   /* substring of the error message */
} headers[] = {
	{ { 0, 0, 0, 5 }, 0, 1, NULL },
	{ { 0, 0, 0x10, 0 }, 0, 4092, NULL },
	{ { 0, 0x10, 0, 0 }, 0, 1048572, NULL },          /* exactly the cap */
	{ { 0, 0x10, 0, 1 }, DSREG_ETOOBIG, 0, "exceeds" },
	{ { 0, 0, 0, 4 }, DSREG_EPROTO, 0, "its own 4 bytes" }, /* no XML */
	{ { 0, 0, 0, 0 }, DSREG_EPROTO, 0, "its own 4 bytes" },
	{ { 0, 0, 0, 3 }, DSREG_EPROTO, 0, "its own 4 bytes" },
	{ { 0xff, 0xff, 0xff, 0xff }, DSREG_ETOOBIG, 0, "exceeds" },
	{ { '<', '?', 'x', 'm' }, DSREG_EPROTO, 0, "garbage" },
	{ { 'H', 'T', 'T', 'P' }, DSREG_EPROTO, 0, "garbage" },
};

START_TEST(frame_header_table)
{
	struct dsreg_err err;
	size_t payload = 0;
	int rc;

	dsreg_err_clear(&err);
	rc = epp_frame_header(headers[_i].hdr, EPP_FRAME_MAX, &payload, &err);
	ck_assert_int_eq(rc, headers[_i].rc);
	if (rc == 0)
		ck_assert_uint_eq(payload, headers[_i].payload);
	else
		ck_assert_ptr_nonnull(strstr(err.msg, headers[_i].msg));
}
END_TEST

static int
read_from(const void *data, size_t len, size_t step, struct dsreg_buf *out,
    struct dsreg_err *err)
{
	struct mem m = { data, len, 0, step, { 0 } };
	struct epp_io io = { mem_read, mem_write, &m, NULL };

	return epp_frame_read(&io, out, EPP_FRAME_MAX, err);
}

START_TEST(frame_read_partial)
{
	static const uint8_t f[] = { 0, 0, 0, 11, '<', 'e', 'p', 'p', '/',
		'>', '\n' };
	struct dsreg_buf out;
	struct dsreg_err err;
	size_t step;

	dsreg_buf_init(&out, EPP_FRAME_MAX);
	/* one byte at a time, two, and all at once: same result */
	for (step = 1; step <= sizeof(f); step++) {
		ck_assert_int_eq(read_from(f, sizeof(f), step, &out, &err), 0);
		ck_assert_uint_eq(out.len, 7);
		ck_assert_str_eq(out.data, "<epp/>\n");
	}
	dsreg_buf_free(&out);
}
END_TEST

START_TEST(frame_read_truncated)
{
	static const uint8_t f[] = { 0, 0, 0, 20, '<', 'e', 'p', 'p' };
	struct dsreg_buf out;
	struct dsreg_err err;

	dsreg_buf_init(&out, EPP_FRAME_MAX);
	ck_assert_int_eq(read_from(f, sizeof(f), 0, &out, &err), DSREG_ENET);
	ck_assert_ptr_nonnull(strstr(err.msg, "inside a frame"));
	/* end of stream inside the header */
	ck_assert_int_eq(read_from(f, 2, 0, &out, &err), DSREG_ENET);
	ck_assert_ptr_nonnull(strstr(err.msg, "frame header"));
	/* clean end of stream before a header is also reported */
	ck_assert_int_eq(read_from(f, 0, 0, &out, &err), DSREG_ENET);
	dsreg_buf_free(&out);
}
END_TEST

START_TEST(frame_read_cap)
{
	static const uint8_t big[] = { 0, 0x20, 0, 0 };  /* 2 MiB announced */
	static const uint8_t small[] = { 0, 0, 0, 104 };
	struct dsreg_buf out;
	struct dsreg_err err;
	struct mem m = { small, sizeof(small), 0, 0, { 0 } };
	struct epp_io io = { mem_read, mem_write, &m, NULL };

	dsreg_buf_init(&out, EPP_FRAME_MAX);
	ck_assert_int_eq(read_from(big, sizeof(big), 0, &out, &err),
	    DSREG_ETOOBIG);
	/* a caller's smaller cap is honoured too */
	ck_assert_int_eq(epp_frame_read(&io, &out, 64, &err), DSREG_ETOOBIG);
	dsreg_buf_free(&out);
}
END_TEST

START_TEST(frame_write_roundtrip)
{
	struct mem m = { NULL, 0, 0, 0, { 0 } };
	struct epp_io io = { mem_read, mem_write, &m, NULL };
	struct dsreg_buf out, bigxml;
	struct dsreg_err err;
	size_t i;

	dsreg_buf_init(&m.written, 2 * EPP_FRAME_MAX);
	dsreg_buf_init(&out, EPP_FRAME_MAX);
	ck_assert_int_eq(epp_frame_write(&io, "<epp/>", 6, &err), 0);
	ck_assert_uint_eq(m.written.len, 10);
	ck_assert_int_eq((uint8_t)m.written.data[3], 10);
	/* large frame (two writes) */
	dsreg_buf_init(&bigxml, EPP_FRAME_MAX);
	for (i = 0; i < 20000; i++)
		dsreg_buf_appends(&bigxml, "x");
	ck_assert_int_eq(epp_frame_write(&io, bigxml.data, bigxml.len, &err),
	    0);
	m.data = (const uint8_t *)m.written.data;
	m.len = m.written.len;
	ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX, &err), 0);
	ck_assert_str_eq(out.data, "<epp/>");
	ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX, &err), 0);
	ck_assert_uint_eq(out.len, 20000);
	/* empty and oversized frames are refused */
	ck_assert_int_eq(epp_frame_write(&io, "", 0, &err), DSREG_EINVAL);
	dsreg_buf_free(&bigxml);
	dsreg_buf_free(&out);
	dsreg_buf_free(&m.written);
}
END_TEST

START_TEST(frame_append_pipeline)
{
	struct dsreg_buf batch, out;
	struct dsreg_err err;
	struct mem m = { NULL, 0, 0, 3, { 0 } };
	struct epp_io io = { mem_read, mem_write, &m, NULL };

	dsreg_buf_init(&batch, 4096);
	dsreg_buf_init(&out, EPP_FRAME_MAX);
	ck_assert_int_eq(epp_frame_append(&batch, "<a/>", 4, &err), 0);
	ck_assert_int_eq(epp_frame_append(&batch, "<bb/>", 5, &err), 0);
	ck_assert_int_eq(epp_frame_append(&batch, "", 0, &err), DSREG_EINVAL);
	ck_assert_uint_eq(batch.len, 17);
	m.data = (const uint8_t *)batch.data;
	m.len = batch.len;
	ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX, &err), 0);
	ck_assert_str_eq(out.data, "<a/>");
	ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX, &err), 0);
	ck_assert_str_eq(out.data, "<bb/>");
	dsreg_buf_free(&batch);
	dsreg_buf_free(&out);
}
END_TEST

/* Pipelined answers: several frames in a row, any read sizes. */
START_TEST(frame_read_steps)
{
	struct dsreg_buf batch, big, out;
	struct dsreg_err err;
	struct mem m = { NULL, 0, 0, 0, { 0 } };
	struct epp_io io = { mem_read, mem_write, &m, NULL };
	static const size_t steps[] = { 0, 1, 3, 7, 4096, 16385 };
	size_t i, k;

	dsreg_buf_init(&batch, 4 * EPP_FRAME_MAX);
	dsreg_buf_init(&big, EPP_FRAME_MAX);
	dsreg_buf_init(&out, EPP_FRAME_MAX);
	for (i = 0; i < 40000; i++)
		dsreg_buf_appends(&big, i % 100 == 99 ? "\n" : "y");
	ck_assert_int_eq(epp_frame_append(&batch, "<a/>", 4, &err), 0);
	ck_assert_int_eq(epp_frame_append(&batch, big.data, big.len, &err), 0);
	ck_assert_int_eq(epp_frame_append(&batch, "<bb/>", 5, &err), 0);
	for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		m.data = (const uint8_t *)batch.data;
		m.len = batch.len;
		m.pos = 0;
		m.step = steps[k];
		ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX,
		    &err), 0);
		ck_assert_str_eq(out.data, "<a/>");
		ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX,
		    &err), 0);
		ck_assert_uint_eq(out.len, big.len);
		ck_assert_mem_eq(out.data, big.data, big.len);
		ck_assert_int_eq(out.data[out.len], '\0');
		ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX,
		    &err), 0);
		ck_assert_str_eq(out.data, "<bb/>");
		/* clean end of stream before a header */
		ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX,
		    &err), DSREG_ENET);
		ck_assert_ptr_nonnull(strstr(err.msg, "frame header"));
	}
	/* a frame cut short: the message counts what arrived of it */
	m.data = (const uint8_t *)batch.data + 8;
	m.len = 4 + 1000;
	m.pos = 0;
	m.step = 100;
	ck_assert_int_eq(epp_frame_read(&io, &out, EPP_FRAME_MAX, &err),
	    DSREG_ENET);
	ck_assert_ptr_nonnull(strstr(err.msg, "inside a frame (1000 of "
	    "40000 bytes read)"));
	dsreg_buf_free(&out);
	dsreg_buf_free(&batch);
	dsreg_buf_free(&big);
}
END_TEST

static Suite *
epp_frame_suite(void)
{
	Suite *s = suite_create("epp_frame");
	TCase *tc = tcase_create("frame");

	tcase_add_loop_test(tc, frame_header_table, 0,
	    (int)(sizeof(headers) / sizeof(headers[0])));
	tcase_add_test(tc, frame_read_partial);
	tcase_add_test(tc, frame_read_truncated);
	tcase_add_test(tc, frame_read_cap);
	tcase_add_test(tc, frame_write_roundtrip);
	tcase_add_test(tc, frame_append_pipeline);
	tcase_add_test(tc, frame_read_steps);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(epp_frame_suite)
