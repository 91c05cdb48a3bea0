/* tests/fuzz/fuzz_epp_response.c - libFuzzer target: EPP response, greeting and domain:info parsing (stream parser checked against the tree parser), trace redaction */
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "epp/epp.h"
#include "epp/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same_strv(const struct epp_strv *a, const struct epp_strv *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

/* What the tree parser and the stream parser made of a document agree. */
static void
differential(const char *xml, size_t size)
{
	struct epp_domain_info *a = NULL, *b = NULL;
	struct epp_result ra, rb;
	struct dsreg_err ea, eb;
	size_t i;
	int rca, rcb;

	rca = epp_tree_domain_info_parse(xml, size, &a, &ra, &ea);
	rcb = epp_domain_info_parse(xml, size, &b, &rb, &eb);
	if (rca != rcb || ra.code != rb.code || strcmp(ra.msg, rb.msg) != 0 ||
	    strcmp(ra.reason, rb.reason) != 0 ||
	    strcmp(ra.cltrid, rb.cltrid) != 0 ||
	    strcmp(ra.svtrid, rb.svtrid) != 0 || (a == NULL) != (b == NULL))
		__builtin_trap();
	if (rca != 0 && rca != DSREG_EPROTO && strcmp(ea.msg, eb.msg) != 0)
		__builtin_trap();
	if (a != NULL) {
		if (strcmp(a->name, b->name) != 0 ||
		    strcmp(a->roid, b->roid) != 0 ||
		    strcmp(a->clid, b->clid) != 0 ||
		    !same_strv(&a->statuses, &b->statuses) ||
		    !same_strv(&a->ns, &b->ns) || a->secdns != b->secdns ||
		    a->max_sig_life != b->max_sig_life ||
		    a->key_interface != b->key_interface ||
		    a->ds.n != b->ds.n || a->keys.n != b->keys.n)
			__builtin_trap();
		for (i = 0; i < a->ds.n; i++)
			if (a->ds.v[i]->key_tag != b->ds.v[i]->key_tag ||
			    a->ds.v[i]->digest_len != b->ds.v[i]->digest_len ||
			    memcmp(a->ds.v[i]->digest, b->ds.v[i]->digest,
			    a->ds.v[i]->digest_len) != 0 ||
			    a->ds.v[i]->owner_len != b->ds.v[i]->owner_len)
				__builtin_trap();
		for (i = 0; i < a->keys.n; i++)
			if (a->keys.v[i]->rdata_len != b->keys.v[i]->rdata_len ||
			    memcmp(a->keys.v[i]->rdata, b->keys.v[i]->rdata,
			    a->keys.v[i]->rdata_len) != 0)
				__builtin_trap();
	}
	epp_domain_info_free(a);
	epp_domain_info_free(b);
}

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
	differential(xml, size);
	dsreg_buf_init(&b, 2 * EPP_FRAME_MAX);
	(void)epp_redact(xml, size, &b);
	dsreg_buf_free(&b);
	return 0;
}
