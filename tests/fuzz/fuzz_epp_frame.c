/* tests/fuzz/fuzz_epp_frame.c - libFuzzer target: RFC 5734 frame readers (plain and buffered, which must agree) over a byte stream */
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "epp/epp.h"

struct mem {
	const uint8_t *data;
	size_t len, pos, step;
};

static int
mem_read(void *ctx, void *buf, size_t len, size_t *got, struct dsreg_err *err)
{
	struct mem *m = ctx;
	size_t n = m->len - m->pos;

	(void)err;
	if (n > len)
		n = len;
	if (n > m->step)
		n = m->step;     /* partial reads of fuzzer-chosen size */
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	*got = n;
	return 0;
}

static int
mem_write(void *ctx, const void *buf, size_t len, struct dsreg_err *err)
{
	(void)ctx;
	(void)buf;
	(void)len;
	(void)err;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m, m2;
	struct epp_io io = { mem_read, mem_write, &m, NULL };
	struct epp_io io2 = { mem_read, mem_write, &m2 };
	struct epp_frame_reader r;
	struct dsreg_buf out;
	struct dsreg_err err, err2;
	const char *xml;
	size_t payload, max, len;
	int frames = 0, rc, rc2;

	if (size < 2)
		return 0;
	/* first byte: read step; second: cap (small caps exercise ETOOBIG) */
	m.step = (size_t)data[0] % 64 + 1;
	max = data[1] & 1 ? EPP_FRAME_MAX : (size_t)data[1] * 16 + 1;
	m.data = data + 2;
	m.len = size - 2;
	m.pos = 0;
	if (m.len >= 4)
		(void)epp_frame_header(m.data, max, &payload, &err);
	/* the buffered reader reads with its own step: the same frames */
	m2 = m;
	m2.step = (size_t)data[0] * 97 % 20000 + 1;
	epp_frame_reader_init(&r, max);
	dsreg_buf_init(&out, EPP_FRAME_MAX);
	while (frames++ < 64) {
		rc = epp_frame_read(&io, &out, max, &err);
		rc2 = epp_frame_reader_next(&r, &io2, &xml, &len, &err2);
		if (rc != rc2)
			__builtin_trap();
		if (rc != 0)
			break;
		if (out.len == 0 || out.data[out.len] != '\0' ||
		    len != out.len || memcmp(xml, out.data, len) != 0)
			__builtin_trap();
	}
	dsreg_buf_free(&out);
	epp_frame_reader_free(&r);
	return 0;
}
