/* tests/fuzz/fuzz_epp_response.c - libFuzzer target: EPP response, greeting and domain:info parsing (libxml2 tree path) with invariants on the result, trace redaction */
#include <stdint.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/secret.h"
#include "epp/epp.h"
#include "epp/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A password the server might echo: it never survives into a result. */
#define SECRET "fuzz-Secret-pw"

static void
check_text(const char *s, size_t size)
{
	size_t len = strnlen(s, size);

	if (len == size || dsreg_secret_found(s, len))
		__builtin_trap();
}

static void
check_result(const struct epp_result *res)
{
	if (res->code < 1000 || res->code > 2502 ||
	    res->cls != epp_code_class(res->code) || res->attempts != 0 ||
	    res->recovered != 0)
		__builtin_trap();
	check_text(res->msg, sizeof(res->msg));
	check_text(res->reason, sizeof(res->reason));
	check_text(res->cltrid, sizeof(res->cltrid));
	check_text(res->svtrid, sizeof(res->svtrid));
}

static void
check_info(const struct epp_domain_info *info)
{
	const struct ds_key *k;
	size_t i;

	if (info->name == NULL || info->name[0] == '\0' ||
	    info->roid == NULL || info->clid == NULL ||
	    info->statuses.n > 256 || info->ns.n > 256 ||
	    info->ds.n > EPP_SECDNS_SET_MAX ||
	    info->keys.n > EPP_SECDNS_SET_MAX ||
	    (info->secdns == EPP_SECDNS_NONE && (info->ds.n != 0 ||
	    info->keys.n != 0 || info->max_sig_life != 0)) ||
	    (info->key_interface && info->secdns != EPP_SECDNS_11) ||
	    info->max_sig_life > 2147483647u)
		__builtin_trap();
	for (i = 0; i < info->ds.n; i++)
		if (info->ds.v[i]->digest_len == 0 ||
		    info->ds.v[i]->digest_len > DS_DIGEST_MAX)
			__builtin_trap();
	for (i = 0; i < info->keys.n; i++) {
		k = info->keys.v[i];
		if (k->rdata_len <= 4 || k->rdata_len > 4 + EPP_PUBKEY_MAX ||
		    k->flags != (k->rdata[0] << 8 | k->rdata[1]) ||
		    k->protocol != k->rdata[2] || k->algorithm != k->rdata[3] ||
		    k->key_tag != ds_keytag(k->rdata, k->rdata_len))
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *secret;
	const char *xml = (const char *)data;
	struct epp_result res, ires;
	struct epp_greeting g;
	struct epp_domain_info *info = (void *)1;
	struct dsreg_err err;
	struct dsreg_buf b;
	int rc, irc;

	if (size > EPP_FRAME_MAX)
		return 0;
	if (secret == NULL && dsreg_secret_dup(SECRET, strlen(SECRET),
	    &secret) != 0)
		__builtin_trap();
	rc = epp_response_parse_result(xml, size, &res, &err);
	if (rc == 0)
		check_result(&res);
	else if (rc != DSREG_EPROTO && rc != DSREG_ETOOBIG &&
	    rc != DSREG_ENOMEM)
		__builtin_trap();
	if (epp_greeting_parse(xml, size, &g, &err) == 0) {
		check_text(g.svid, sizeof(g.svid));
		check_text(g.svdate, sizeof(g.svdate));
	}
	epp_greeting_clear(&g);
	irc = epp_domain_info_parse(xml, size, &info, &ires, &err);
	/* the same document gives the same result either way */
	if (irc == 0 && (rc != 0 || ires.code != res.code ||
	    strcmp(ires.msg, res.msg) != 0 ||
	    strcmp(ires.reason, res.reason) != 0 ||
	    strcmp(ires.cltrid, res.cltrid) != 0 ||
	    strcmp(ires.svtrid, res.svtrid) != 0))
		__builtin_trap();
	/* *out is data only on success with a 1xxx result */
	if ((irc != 0 || !epp_code_ok(ires.code)) != (info == NULL))
		__builtin_trap();
	if (info != NULL) {
		check_info(info);
		epp_domain_info_free(info);
	}
	dsreg_buf_init(&b, 2 * EPP_FRAME_MAX);
	if (epp_redact(xml, size, &b) == 0 && b.len > 0 &&
	    dsreg_secret_found(b.data, b.len))
		__builtin_trap();
	dsreg_buf_free(&b);
	return 0;
}
