/* ds/policy.c - algorithm and digest names and their status (RFC 9904 / RFC 8624 §3) */
#include "ds/ds.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * RFC 9904 moved the requirement table of RFC 8624 §3.1 and §3.3 into the
 * IANA registries without changing any entry; these are those entries.
 */
static const struct {
	uint8_t alg;
	const char *name;
	enum ds_req signing;
} algs[] = {
	{ 1, "RSAMD5", DS_REQ_MUST_NOT },
	{ 3, "DSA", DS_REQ_MUST_NOT },
	{ 5, "RSASHA1", DS_REQ_NOT_RECOMMENDED },
	{ 6, "NSEC3DSA", DS_REQ_MUST_NOT },
	{ 7, "NSEC3RSASHA1", DS_REQ_NOT_RECOMMENDED },
	{ 8, "RSASHA256", DS_REQ_MUST },
	{ 10, "RSASHA512", DS_REQ_NOT_RECOMMENDED },
	{ 12, "ECCGOST", DS_REQ_MUST_NOT },
	{ 13, "ECDSAP256SHA256", DS_REQ_MUST },
	{ 14, "ECDSAP384SHA384", DS_REQ_MAY },
	{ 15, "ED25519", DS_REQ_RECOMMENDED },
	{ 16, "ED448", DS_REQ_MAY },
};

static const struct {
	uint8_t type;
	const char *name;
	const char *alias;
	size_t len;
	enum ds_req delegation;
} digests[] = {
	{ DS_DIGEST_SHA1, "SHA-1", "SHA1", 20, DS_REQ_MUST_NOT },
	{ DS_DIGEST_SHA256, "SHA-256", "SHA256", 32, DS_REQ_MUST },
	{ DS_DIGEST_GOST, "GOST", "GOST94", 32, DS_REQ_MUST_NOT },
	{ DS_DIGEST_SHA384, "SHA-384", "SHA384", 48, DS_REQ_MAY },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum ds_req
ds_alg_signing_req(uint8_t alg)
{
	size_t i;

	for (i = 0; i < NELEM(algs); i++)
		if (algs[i].alg == alg)
			return algs[i].signing;
	return DS_REQ_UNKNOWN;
}

int
ds_alg_known(uint8_t alg)
{
	return ds_alg_name(alg) != NULL;
}

const char *
ds_alg_name(uint8_t alg)
{
	size_t i;

	for (i = 0; i < NELEM(algs); i++)
		if (algs[i].alg == alg)
			return algs[i].name;
	return NULL;
}

enum ds_req
ds_digest_delegation_req(uint8_t type)
{
	size_t i;

	for (i = 0; i < NELEM(digests); i++)
		if (digests[i].type == type)
			return digests[i].delegation;
	return type == 0 ? DS_REQ_MUST_NOT : DS_REQ_UNKNOWN;
}

const char *
ds_digest_name(uint8_t type)
{
	size_t i;

	for (i = 0; i < NELEM(digests); i++)
		if (digests[i].type == type)
			return digests[i].name;
	return NULL;
}

size_t
ds_digest_len(uint8_t type)
{
	size_t i;

	for (i = 0; i < NELEM(digests); i++)
		if (digests[i].type == type)
			return digests[i].len;
	return 0;
}

int
ds_digest_from_name(const char *name, enum ds_digest *out)
{
	char *end;
	long n;
	size_t i;

	for (i = 0; i < NELEM(digests); i++)
		if (strcasecmp(name, digests[i].name) == 0 ||
		    strcasecmp(name, digests[i].alias) == 0) {
			*out = (enum ds_digest)digests[i].type;
			return 0;
		}
	n = strtol(name, &end, 10);
	if (*name != '\0' && *end == '\0' && ds_digest_len((uint8_t)n) > 0 &&
	    n > 0 && n < 256) {
		*out = (enum ds_digest)n;
		return 0;
	}
	return DSREG_EINVAL;
}

const char *
ds_req_name(enum ds_req req)
{
	switch (req) {
	case DS_REQ_MUST_NOT: return "MUST NOT";
	case DS_REQ_NOT_RECOMMENDED: return "NOT RECOMMENDED";
	case DS_REQ_MAY: return "MAY";
	case DS_REQ_RECOMMENDED: return "RECOMMENDED";
	case DS_REQ_MUST: return "MUST";
	case DS_REQ_UNKNOWN: break;
	}
	return "unknown";
}
