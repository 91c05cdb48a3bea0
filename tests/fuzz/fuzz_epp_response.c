/* tests/fuzz/fuzz_epp_response.c - libFuzzer target: EPP response, greeting and domain:info parsing, trace redaction */
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "epp/epp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *xml = (const char *)data;
	struct epp_result res;
	struct epp_greeting g;
	struct epp_domain_info *info = NULL;
	struct dsreg_err err;
	struct dsreg_buf b;

	if (size > EPP_FRAME_MAX)
		return 0;
	if (epp_response_parse_result(xml, size, &res, &err) == 0 &&
	    (res.code < 1000 || res.code > 2502))
		__builtin_trap();
	if (epp_greeting_parse(xml, size, &g, &err) == 0)
		epp_greeting_clear(&g);
	if (epp_domain_info_parse(xml, size, &info, &res, &err) == 0 &&
	    info != NULL) {
		if (info->name == NULL)
			__builtin_trap();
		epp_domain_info_free(info);
	}
	dsreg_buf_init(&b, 2 * EPP_FRAME_MAX);
	(void)epp_redact(xml, size, &b);
	dsreg_buf_free(&b);
	return 0;
}
