/* tests/unit/test_dns_notify.c - dns/notify.c: the DSYNC record (RFC 9859 §2.1), the NOTIFY message, sending it with retries */
#include "tests/unit/check_main.h"
#include "dns/dns.h"
#include "common/error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ldns/ldns.h>

/* "CDS NOTIFY 5359 Ns1.Parent.TEST." as wire RDATA */
static const uint8_t dsync_cds[] = {
	0x00, 0x3b, 0x01, 0x14, 0xef,
	3, 'N', 's', '1', 6, 'P', 'a', 'r', 'e', 'n', 't', 4, 'T', 'E', 'S',
	'T', 0,
};

START_TEST(dsync_parse_fields)
{
	struct dns_dsync d;
	struct dsreg_err err;

	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(dns_dsync_parse(dsync_cds, sizeof(dsync_cds), &d,
	    &err), 0);
	ck_assert_uint_eq(d.rrtype, LDNS_RR_TYPE_CDS);
	ck_assert_uint_eq(d.scheme, DNS_DSYNC_SCHEME_NOTIFY);
	ck_assert_uint_eq(d.port, 5359);
	ck_assert_str_eq(d.target, "ns1.parent.test.");
	free(d.target);
}
END_TEST

/* The generic form (RFC 3597) ldns reads for a type it does not know. */
START_TEST(dsync_parse_from_ldns)
{
	ldns_rr *rr = NULL;
	struct dns_dsync d;
	uint8_t buf[300];
	size_t i, n = 0;

	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, "x._dsync.test. 300 IN "
	    "TYPE66 \\# 22 003c0114ef036e733106706172656e740474657374 00",
	    0, NULL, NULL), LDNS_STATUS_OK);
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		memcpy(buf + n, ldns_rdf_data(ldns_rr_rdf(rr, i)),
		    ldns_rdf_size(ldns_rr_rdf(rr, i)));
		n += ldns_rdf_size(ldns_rr_rdf(rr, i));
	}
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(dns_dsync_parse(buf, n, &d, NULL), 0);
	ck_assert_uint_eq(d.rrtype, LDNS_RR_TYPE_CDNSKEY);
	ck_assert_str_eq(d.target, "ns1.parent.test.");
	free(d.target);
	ldns_rr_free(rr);
}
END_TEST

START_TEST(dsync_parse_refuses)
{
	uint8_t b[64];
	struct dns_dsync d;
	struct dsreg_err err;

	memset(&d, 0, sizeof(d));
	/* too short for the fixed fields and a root target */
	ck_assert_int_eq(dns_dsync_parse(dsync_cds, 5, &d, &err), DSREG_EPROTO);
	ck_assert_ptr_nonnull(strstr(err.msg, "RFC 9859"));
	/* a compression pointer in the target */
	memcpy(b, dsync_cds, 5);
	b[5] = 0xc0;
	b[6] = 0x0c;
	ck_assert_int_eq(dns_dsync_parse(b, 7, &d, &err), DSREG_EPROTO);
	/* the target runs past the end */
	ck_assert_int_eq(dns_dsync_parse(dsync_cds, sizeof(dsync_cds) - 1, &d,
	    &err), DSREG_EPROTO);
	/* octets after the target */
	memcpy(b, dsync_cds, sizeof(dsync_cds));
	b[sizeof(dsync_cds)] = 7;
	ck_assert_int_eq(dns_dsync_parse(b, sizeof(dsync_cds) + 1, &d, &err),
	    DSREG_EPROTO);
	ck_assert_ptr_null(d.target);
}
END_TEST

START_TEST(notify_message)
{
	uint8_t m[300];
	size_t len;
	ldns_pkt *p = NULL;
	ldns_rr *q;
	ldns_rdf *want = ldns_dname_new_frm_str("child.parent.test.");

	ck_assert_int_eq(dns_notify_build(m, sizeof(m), &len, 0x1234,
	    "child.parent.test.", LDNS_RR_TYPE_CDS), 0);
	ck_assert_uint_eq(m[0], 0x12);
	ck_assert_uint_eq(m[1], 0x34);
	ck_assert_int_eq(ldns_wire2pkt(&p, m, len), LDNS_STATUS_OK);
	ck_assert_int_eq(ldns_pkt_get_opcode(p), LDNS_PACKET_NOTIFY);
	ck_assert(!ldns_pkt_qr(p));
	ck_assert(ldns_pkt_aa(p));
	ck_assert(!ldns_pkt_rd(p));
	ck_assert_uint_eq(ldns_pkt_qdcount(p), 1);
	ck_assert_uint_eq(ldns_pkt_ancount(p) + ldns_pkt_nscount(p) +
	    ldns_pkt_arcount(p), 0);
	q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
	ck_assert_int_eq(ldns_dname_compare(ldns_rr_owner(q), want), 0);
	ck_assert_int_eq(ldns_rr_get_type(q), LDNS_RR_TYPE_CDS);
	ck_assert_int_eq(ldns_rr_get_class(q), LDNS_RR_CLASS_IN);
	ldns_pkt_free(p);
	ldns_rdf_deep_free(want);
	/* CDNSKEY when the DSYNC record says so */
	ck_assert_int_eq(dns_notify_build(m, sizeof(m), &len, 1, "a.test.",
	    LDNS_RR_TYPE_CDNSKEY), 0);
	ck_assert_uint_eq(m[len - 3], LDNS_RR_TYPE_CDNSKEY);
	ck_assert_int_eq(dns_notify_build(m, 20, &len, 1, "a.test.",
	    LDNS_RR_TYPE_CDS), DSREG_ETOOBIG);
}
END_TEST

START_TEST(notify_reply_matching)
{
	uint8_t q[300], r[300];
	size_t len;
	int rcode = -1;

	ck_assert_int_eq(dns_notify_build(q, sizeof(q), &len, 77, "c.test.",
	    LDNS_RR_TYPE_CDS), 0);
	memcpy(r, q, len);
	ck_assert_int_eq(dns_notify_is_reply(r, len, q, len, &rcode), 0);
	r[2] |= 0x80;                        /* QR */
	r[3] = LDNS_RCODE_REFUSED;
	ck_assert_int_eq(dns_notify_is_reply(r, len, q, len, &rcode), 1);
	ck_assert_int_eq(rcode, LDNS_RCODE_REFUSED);
	r[1] ^= 1;                           /* another ID */
	ck_assert_int_eq(dns_notify_is_reply(r, len, q, len, &rcode), 0);
	r[1] ^= 1;
	r[len - 3] = LDNS_RR_TYPE_SOA;       /* another question */
	ck_assert_int_eq(dns_notify_is_reply(r, len, q, len, &rcode), 0);
	r[len - 3] = LDNS_RR_TYPE_CDS;
	r[2] = 0x80;                         /* a QUERY response */
	ck_assert_int_eq(dns_notify_is_reply(r, len, q, len, &rcode), 0);
}
END_TEST

/* A receiver on loopback that ignores the first `drop` messages. */
struct receiver {
	int fd, drop, got, rcode;
	uint8_t last[512];
	size_t lastlen;
};

static void *
receive(void *arg)
{
	struct receiver *rv = arg;
	struct sockaddr_storage from;
	socklen_t fl;
	uint8_t m[512];
	ssize_t n;

	for (;;) {
		fl = sizeof(from);
		n = recvfrom(rv->fd, m, sizeof(m), 0, (struct sockaddr *)&from,
		    &fl);
		if (n <= 0)
			return NULL;
		rv->got++;
		memcpy(rv->last, m, (size_t)n);
		rv->lastlen = (size_t)n;
		if (rv->got <= rv->drop)
			continue;
		m[2] |= 0x80;
		m[3] = (uint8_t)rv->rcode;
		sendto(rv->fd, m, (size_t)n, 0, (struct sockaddr *)&from, fl);
		return NULL;
	}
}

static void
run_send(int drop, int rcode, unsigned tries, int want, int want_got)
{
	struct receiver rv;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct dns_addr to;
	pthread_t t;
	char text[64], note[256];
	int rc;

	memset(&rv, 0, sizeof(rv));
	rv.drop = drop;
	rv.rcode = rcode;
	rv.fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(rv.fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(rv.fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(rv.fd, (struct sockaddr *)&sin, &sl), 0);
	snprintf(text, sizeof(text), "127.0.0.1@%u", ntohs(sin.sin_port));
	ck_assert_int_eq(dns_addr_parse(text, &to, NULL), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, receive, &rv), 0);
	rc = dns_notify_send(&to, "child.parent.test.", LDNS_RR_TYPE_CDS,
	    tries, 100, note, sizeof(note));
	shutdown(rv.fd, SHUT_RDWR);
	close(rv.fd);
	pthread_join(t, NULL);
	ck_assert_msg(rc == want, "rc %d, want %d (%s)", rc, want, note);
	ck_assert_int_eq(rv.got, want_got);
	ck_assert_uint_gt(rv.lastlen, 12);
	ck_assert_uint_eq((rv.last[2] >> 3) & 0x0f, LDNS_PACKET_NOTIFY);
	if (want == 0)
		ck_assert_ptr_nonnull(strstr(note, "NOERROR"));
}

START_TEST(notify_send_retries)
{
	run_send(2, LDNS_RCODE_NOERROR, 4, 0, 3);   /* answered on try 3 */
}
END_TEST

START_TEST(notify_send_refused)
{
	run_send(0, LDNS_RCODE_REFUSED, 3, DSREG_EREMOTE, 1);
}
END_TEST

START_TEST(notify_send_gives_up)
{
	run_send(99, LDNS_RCODE_NOERROR, 2, DSREG_ETIMEOUT, 2);
}
END_TEST

static Suite *
dns_notify_suite(void)
{
	Suite *s = suite_create("dns_notify");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, dsync_parse_fields);
	tcase_add_test(tc, dsync_parse_from_ldns);
	tcase_add_test(tc, dsync_parse_refuses);
	tcase_add_test(tc, notify_message);
	tcase_add_test(tc, notify_reply_matching);
	tcase_add_test(tc, notify_send_retries);
	tcase_add_test(tc, notify_send_refused);
	tcase_add_test(tc, notify_send_gives_up);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_notify_suite)
