/* tests/fuzz/fuzz_osrs_envelope.c - libFuzzer target: the OpenSRS envelope parser */
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/error.h"
#include "tucows/envelope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct osrs_value *v = NULL;
	struct dsreg_err err;
	struct dsreg_buf b;

	dsreg_err_clear(&err);
	if (osrs_envelope_parse((const char *)data, size, &v, &err) == 0) {
		/* What parses must build again (the round trip the client uses). */
		dsreg_buf_init(&b, OSRS_ENVELOPE_MAX * 2);
		(void)osrs_envelope_build(v, &b, &err);
		dsreg_buf_free(&b);
		osrs_value_free(v);
	}
	return 0;
}
