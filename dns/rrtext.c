/* dns/rrtext.c - records in presentation form, as ldns prints them, on one line */
#include "dns/dns.h"
#include "common/buf.h"
#include "common/error.h"

int
dns_rr_format(struct dsreg_buf *out, const ldns_rr *rr, int rrsig_head)
{
	ldns_buffer *lb = ldns_buffer_new(512);
	const char *t;
	size_t i, n;
	int rc = 0;

	if (lb == NULL)
		return DSREG_ENOMEM;
	if (rrsig_head) {
		for (i = 0; i < 8 && i < ldns_rr_rd_count(rr); i++) {
			if (i > 0)
				ldns_buffer_printf(lb, " ");
			ldns_rdf2buffer_str(lb, ldns_rr_rdf(rr, i));
		}
	} else
		ldns_rr2buffer_str(lb, rr);
	if (ldns_buffer_status(lb) != LDNS_STATUS_OK) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	/* ldns separates fields by tabs and ends with a newline */
	t = (const char *)ldns_buffer_begin(lb);
	n = ldns_buffer_position(lb);
	while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == ' '))
		n--;
	if ((rc = dsreg_buf_reserve(out, n)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		out->data[out->len + i] = t[i] == '\t' ? ' ' : t[i];
	dsreg_buf_added(out, n);
out:
	ldns_buffer_free(lb);
	return rc;
}
