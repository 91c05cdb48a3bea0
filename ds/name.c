/* ds/name.c - domain names: presentation <-> wire, canonical comparison */
#include "ds/ds.h"
#include "common/error.h"

#include <ctype.h>
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

int
ds_name_from_text(const char *text, uint8_t *wire, size_t *len,
    struct dsreg_err *err)
{
	ldns_rdf *rdf = NULL;
	ldns_status st;
	size_t n;

	st = ldns_str2rdf_dname(&rdf, text);
	if (st != LDNS_STATUS_OK)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "'%s': not a domain name: %s", text,
		    ldns_get_errorstr_by_id(st));
	n = ldns_rdf_size(rdf);
	if (n > DS_NAME_WIRE_MAX) {
		ldns_rdf_deep_free(rdf);
		return dsreg_err_set(err, DSREG_EPARSE,
		    "'%s': RFC 1035 §3.1: name longer than 255 octets", text);
	}
	memcpy(wire, ldns_rdf_data(rdf), n);
	*len = n;
	ldns_rdf_deep_free(rdf);
	return 0;
}

/* 1 if wire is one well-formed name of exactly len octets. */
static int
well_formed(const uint8_t *wire, size_t len)
{
	size_t i = 0;

	if (len == 0 || len > 255)
		return 0;
	while (i < len && wire[i] != 0) {
		if (wire[i] > 63)
			return 0;
		i += 1 + (size_t)wire[i];
	}
	return i + 1 == len;
}

char *
ds_name_to_text(const uint8_t *wire, size_t len)
{
	ldns_rdf *rdf;
	char *s;

	/* ldns would read past the end of a malformed name */
	if (!well_formed(wire, len))
		return NULL;
	rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, len, wire);
	if (rdf == NULL)
		return NULL;
	s = ldns_rdf2str(rdf);
	ldns_rdf_deep_free(rdf);
	return s;
}

int
ds_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	/* Label length octets are < 64, so folding them is harmless. */
	for (i = 0; i < alen; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return 0;
	return 1;
}
