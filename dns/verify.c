/* dns/verify.c - RRSIG over a DNSKEY RRset, checked by ldns (every algorithm, one implementation) */
#include "dns/internal.h"

int
dns_verify_dnskey_sig(ldns_rr_list *rrset, const ldns_rr *sig,
    const ldns_rr *key, time_t now, ldns_status *st)
{
	/* ldns does the canonical form (RFC 4034 §6), the validity period
	 * in serial number arithmetic and the crypto through OpenSSL; it
	 * changes neither record */
	*st = ldns_verify_rrsig_time(rrset, (ldns_rr *)sig, (ldns_rr *)key,
	    now);
	return 1;
}
