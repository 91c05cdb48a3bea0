/* tests/fuzz/fuzz_dns_answer.c - libFuzzer target: the in-place DNS answer parser, checked against ldns_wire2pkt */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "dns/internal.h"

/*
 * Input: one octet of options, then a DNS message.  The question asked is
 * the message's own (when ldns can read it), so that the fuzzer reaches
 * the sections.  Whenever both the parser and ldns_wire2pkt take the
 * message, the records kept must be exactly those ldns finds: the answer
 * records of the name and type, the RRSIGs over them, and (unless
 * answer_only) the authority and additional sections without OPT.
 */

static void
same_list(const ldns_rr_list *mine, const ldns_rr_list *want)
{
	size_t i;

	if (ldns_rr_list_rr_count(mine) != ldns_rr_list_rr_count(want))
		abort();
	for (i = 0; i < ldns_rr_list_rr_count(want); i++)
		if (ldns_rr_compare(ldns_rr_list_rr(mine, i),
		    ldns_rr_list_rr(want, i)) != 0 ||
		    ldns_rr_ttl(ldns_rr_list_rr(mine, i)) !=
		    ldns_rr_ttl(ldns_rr_list_rr(want, i)))
			abort();
}

/* Does ldns read every record to exactly where its RDLENGTH ends?  *tsig
 * is set when one is a TSIG. */
static int
records_consistent(const uint8_t *m, size_t len, int *tsig)
{
	size_t pos = 12, n, i, end;
	unsigned qd, total;
	ldns_rdf *name = NULL;
	ldns_rr *rr = NULL;

	if (len < 12)
		return 0;
	qd = (unsigned)(m[4] << 8 | m[5]);
	total = (unsigned)(m[6] << 8 | m[7]) + (unsigned)(m[8] << 8 | m[9]) +
	    (unsigned)(m[10] << 8 | m[11]);
	for (i = 0; i < qd; i++) {
		if (ldns_wire2dname(&name, m, len, &pos) != LDNS_STATUS_OK)
			return 0;
		ldns_rdf_deep_free(name);
		pos += 4;
	}
	for (i = 0; i < total; i++) {
		n = pos;
		if (ldns_wire2dname(&name, m, len, &n) != LDNS_STATUS_OK)
			return 0;
		ldns_rdf_deep_free(name);
		if (n + 10 > len)
			return 0;
		end = n + 10 + ((size_t)m[n + 8] << 8 | m[n + 9]);
		if (ldns_wire2rr(&rr, m, len, &pos, LDNS_SECTION_ANSWER) !=
		    LDNS_STATUS_OK) {
			ldns_rr_free(rr);
			return 0;
		}
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_TSIG)
			*tsig = 1;
		ldns_rr_free(rr);
		rr = NULL;
		if (pos != end)
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const ldns_rr_type types[] = { LDNS_RR_TYPE_DS,
		LDNS_RR_TYPE_NS, LDNS_RR_TYPE_DNSKEY, LDNS_RR_TYPE_CDS,
		LDNS_RR_TYPE_SOA, LDNS_RR_TYPE_A };
	struct dns_query q;
	struct dns_reply r;
	ldns_pkt *pkt = NULL, *qp = NULL;
	ldns_rr_list *rrs = NULL, *sigs = NULL, *extra = NULL;
	ldns_rdf *qname = NULL;
	const uint8_t *m;
	size_t len, i;
	uint16_t id;
	int rc, tcp, tsig = 0, consistent;
	ldns_rr *rr;

	if (size < 13)
		return 0;
	m = data + 1;
	len = size - 1;
	id = (uint16_t)(m[0] << 8 | m[1]);
	tcp = data[0] & 1;
	memset(&q, 0, sizeof(q));
	memset(&r, 0, sizeof(r));
	q.reply = &r;
	q.answer_only = (data[0] >> 1) & 1;
	q.qtype = types[(data[0] >> 2) % 6];
	/*
	 * The question: the message's own, else a fixed one.  ldns is asked
	 * only about messages whose records it reads to their RDLENGTH (it
	 * reads names in RDATA without that bound, then goes on from the
	 * wrong place) and that carry no TSIG (it keeps that apart in its
	 * own way, and leaks all but one).
	 */
	consistent = records_consistent(m, len, &tsig) && !tsig;
	if (consistent && ldns_wire2pkt(&qp, m, len) == LDNS_STATUS_OK &&
	    ldns_rr_list_rr_count(ldns_pkt_question(qp)) == 1) {
		rr = ldns_rr_list_rr(ldns_pkt_question(qp), 0);
		qname = ldns_rdf_clone(ldns_rr_owner(rr));
		if (data[0] & 0x80)
			q.qtype = ldns_rr_get_type(rr);
	} else
		qname = ldns_dname_new_frm_str("example.com.");
	q.qname = qname;
	rc = dns_answer_accept(&q, id, m, len, tcp);
	if (rc == 1 && r.status == 0 && qp != NULL &&
	    ldns_pkt_qr(qp) && ldns_pkt_id(qp) == id) {
		/* what the records of ldns' packet say should be kept */
		pkt = qp;
		rrs = ldns_rr_list_new();
		sigs = ldns_rr_list_new();
		for (i = 0; i < ldns_rr_list_rr_count(ldns_pkt_answer(pkt));
		    i++) {
			rr = ldns_rr_list_rr(ldns_pkt_answer(pkt), i);
			if (ldns_dname_compare(ldns_rr_owner(rr), qname) != 0)
				continue;
			if (ldns_rr_get_type(rr) == q.qtype)
				ldns_rr_list_push_rr(rrs, rr);
			else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
			    ldns_rr_rrsig_typecovered(rr) != NULL &&
			    ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) ==
			    q.qtype)
				ldns_rr_list_push_rr(sigs, rr);
		}
		same_list(r.rrs, rrs);
		same_list(r.sigs, sigs);
		if (q.answer_only) {
			if (r.auth != NULL || r.extra != NULL)
				abort();
		} else {
			same_list(r.auth, ldns_pkt_authority(pkt));
			extra = ldns_rr_list_new();
			for (i = 0; i < ldns_rr_list_rr_count(
			    ldns_pkt_additional(pkt)); i++)
				ldns_rr_list_push_rr(extra, ldns_rr_list_rr(
				    ldns_pkt_additional(pkt), i));
			same_list(r.extra, extra);
		}
		if (r.rcode != (int)ldns_pkt_get_rcode(pkt) ||
		    r.aa != (int)ldns_pkt_aa(pkt))
			abort();
	}
	/* the lists borrowed ldns' records: free only the lists */
	ldns_rr_list_free(rrs);
	ldns_rr_list_free(sigs);
	ldns_rr_list_free(extra);
	dns_reply_clear(&r);
	ldns_pkt_free(qp);
	ldns_rdf_deep_free(qname);
	return 0;
}
