/* tests/fuzz/fuzz_epp_frame.c - libFuzzer target: RFC 5734 frame reader over a byte stream (partial reads, caps, many frames) */
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
	struct mem m;
	struct epp_io io = { mem_read, mem_write, &m, NULL };
	struct dsreg_buf out;
	struct dsreg_err err;
	size_t payload, max, used = 0;
	int frames = 0, rc;

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
	dsreg_buf_init(&out, EPP_FRAME_MAX);
	while (frames++ < 64) {
		rc = epp_frame_read(&io, &out, max, &err);
		if (rc != 0)
			break;
		/* a frame is its header plus what it announced, NUL-ended */
		used += 4 + out.len;
		if (out.len == 0 || out.len + 4 > max ||
		    out.data[out.len] != '\0' || m.pos != used ||
		    memcmp(out.data, m.data + used - out.len, out.len) != 0)
			__builtin_trap();
	}
	dsreg_buf_free(&out);
	return 0;
}
