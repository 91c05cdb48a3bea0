/* dns/verify.c - an RRSIG over an RRset checked with one key (ldns, every algorithm) */
#include "dns/internal.h"

ldns_status
dns_verify_sig(ldns_rr_list *rrset, const ldns_rr *sig, const ldns_rr *key,
    time_t now)
{
	/* ldns does the canonical form (RFC 4034 §6), the validity period
	 * in serial number arithmetic and the crypto through OpenSSL; it
	 * changes neither record */
	return ldns_verify_rrsig_time(rrset, (ldns_rr *)sig, (ldns_rr *)key,
	    now);
}
