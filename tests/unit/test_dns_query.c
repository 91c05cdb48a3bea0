/* tests/unit/test_dns_query.c - dns/query.c: addresses, resolv.conf, parallel queries against an in-process server */
#include "tests/unit/check_main.h"
#include "dns/dns.h"
#include "dns/internal.h"
#include "common/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Loopback address of the audit tests' range (127.12.0.0/16). */
#define SRV_ADDR "127.12.255.1"

/*
 * getrandom(2) as the library sees it: this definition in the test program
 * takes the place of the C library's, so a test can make the system's
 * random source fail (each test runs in its own process).
 */
static int getrandom_fails;

ssize_t
getrandom(void *buf, size_t len, unsigned int flags)
{
	if (getrandom_fails) {
		errno = ENOSYS;
		return -1;
	}
	return syscall(SYS_getrandom, buf, len, flags);
}

START_TEST(addr_parse_table)
{
	static const struct {
		const char *in;
		int ok;
		const char *text;
		int family;
		int port;
	} t[] = {
		{ "127.0.0.1", 1, "127.0.0.1", AF_INET, 53 },
		{ "127.0.0.1@5353", 1, "127.0.0.1@5353", AF_INET, 5353 },
		{ "::1", 1, "::1", AF_INET6, 53 },
		{ "2001:db8::1@53", 1, "2001:db8::1", AF_INET6, 53 },
		{ "[2001:db8::1]:5300", 1, "2001:db8::1@5300", AF_INET6, 5300 },
		{ "[::1]", 1, "::1", AF_INET6, 53 },
		{ "127.0.0.1@0", 0, NULL, 0, 0 },
		{ "127.0.0.1@65536", 0, NULL, 0, 0 },
		{ "127.0.0.1@", 0, NULL, 0, 0 },
		{ "127.0.0.1@x", 0, NULL, 0, 0 },
		{ "999.1.1.1", 0, NULL, 0, 0 },
		{ "ns1.example.", 0, NULL, 0, 0 },
		{ "[::1", 0, NULL, 0, 0 },
		{ "", 0, NULL, 0, 0 },
	};
	struct dns_addr a;
	struct dsreg_err e;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		dsreg_err_clear(&e);
		if (!t[i].ok) {
			ck_assert_msg(dns_addr_parse(t[i].in, &a, &e) ==
			    DSREG_EINVAL, "'%s' accepted", t[i].in);
			ck_assert(strstr(e.msg, "ADDR") == NULL &&
			    strstr(e.msg, "@PORT") != NULL);
			continue;
		}
		ck_assert_msg(dns_addr_parse(t[i].in, &a, &e) == 0,
		    "'%s': %s", t[i].in, e.msg);
		ck_assert_str_eq(a.text, t[i].text);
		ck_assert_int_eq(a.ss.ss_family, t[i].family);
		ck_assert_int_eq(ntohs(t[i].family == AF_INET ?
		    ((struct sockaddr_in *)&a.ss)->sin_port :
		    ((struct sockaddr_in6 *)&a.ss)->sin6_port), t[i].port);
	}
}
END_TEST

START_TEST(resolvconf)
{
	char path[] = "/tmp/dsreg-resolv-XXXXXX";
	struct dns_addr a[4];
	size_t n = 0;
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs("# comment\nsearch example.net\nnameserver 192.0.2.1\n"
	    "nameserver fe80::1%eth0\nnameserver   2001:db8::53  \n"
	    "nameserver bogus\noptions ndots:2\n", fp);
	fclose(fp);
	ck_assert_int_eq(dns_resolvconf_read(path, a, 4, &n, NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(a[0].text, "192.0.2.1");
	ck_assert_str_eq(a[1].text, "2001:db8::53");
	fp = fopen(path, "w");
	fputs("search example.net\n", fp);
	fclose(fp);
	ck_assert_int_eq(dns_resolvconf_read(path, a, 4, &n, NULL),
	    DSREG_ENOTFOUND);
	unlink(path);
	ck_assert_int_eq(dns_resolvconf_read(path, a, 4, &n, NULL), DSREG_EIO);
}
END_TEST

START_TEST(name_norm)
{
	char *s;

	s = dns_name_norm("Example.COM");
	ck_assert_str_eq(s, "example.com.");
	free(s);
	s = dns_name_norm("a.b.");
	ck_assert_str_eq(s, "a.b.");
	free(s);
	s = dns_name_norm(".");
	ck_assert_str_eq(s, ".");
	free(s);
	ck_assert_ptr_null(dns_name_norm(""));
}
END_TEST

/* ---- an in-process DNS server: behaviour chosen by the first label ---- */

struct srv {
	int udp, tcp;
	struct dns_addr addr;
	pthread_t th;
	volatile int stop;
	int udp_queries;     /* seen by the server (for "drop") */
};

static ldns_pkt *
answer_for(const ldns_pkt *q, int over_tcp)
{
	const ldns_rr *qr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	char *name = ldns_rdf2str(ldns_rr_owner(qr));
	ldns_pkt *a = ldns_pkt_new();
	ldns_rr *rr = NULL;
	int i;

	ldns_pkt_set_id(a, ldns_pkt_id(q));
	ldns_pkt_set_qr(a, 1);
	ldns_pkt_set_aa(a, 1);
	ldns_pkt_push_rr(a, LDNS_SECTION_QUESTION, ldns_rr_clone(qr));
	if (strncmp(name, "refused.", 8) == 0) {
		ldns_pkt_set_aa(a, 0);
		ldns_pkt_set_rcode(a, LDNS_RCODE_REFUSED);
	} else if (strncmp(name, "tc.", 3) == 0 && !over_tcp) {
		ldns_pkt_set_tc(a, 1);
	} else if (strncmp(name, "ok.", 3) == 0) {
		/* the answer among others that must be left out: another
		 * name, an RRSIG over another type; and its own RRSIG, with
		 * the owner in other case */
		static const char *const extra[] = {
			"ok.test. 60 IN TXT \"the answer\"",
			"OK.Test. 60 IN RRSIG TXT 13 2 60 20300101000000 "
			"20200101000000 1 test. AAAA",
			"ok.test. 60 IN RRSIG A 13 2 60 20300101000000 "
			"20200101000000 1 test. AAAA",
			"other.test. 60 IN TXT \"not ours\"",
		};
		for (i = 0; i < 4; i++) {
			ldns_rr_new_frm_str(&rr, extra[i], 0, NULL, NULL);
			ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER, rr);
		}
		ldns_rr_new_frm_str(&rr, "test. 60 IN SOA ns.test. h.test. 1 "
		    "2 3 4 5", 0, NULL, NULL);
		ldns_pkt_push_rr(a, LDNS_SECTION_AUTHORITY, rr);
		ldns_rr_new_frm_str(&rr, "ns.test. 60 IN A 192.0.2.1", 0, NULL,
		    NULL);
		ldns_pkt_push_rr(a, LDNS_SECTION_ADDITIONAL, rr);
	} else {
		/* many TXT records so that the TCP answer is big */
		for (i = 0; i < (strncmp(name, "tc.", 3) == 0 ? 40 :
		    strncmp(name, "big.", 4) == 0 ? 80 : 1); i++) {
			char line[400];

			snprintf(line, sizeof(line), "%s 60 IN TXT \"record %d "
			    "padding padding padding padding padding padding\"",
			    name, i);
			ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL);
			ldns_pkt_push_rr(a, LDNS_SECTION_ANSWER, rr);
		}
	}
	free(name);
	return a;
}

static void
handle_udp(struct srv *s)
{
	uint8_t buf[4096], *wire = NULL;
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ldns_pkt *q = NULL, *a;
	size_t len;
	ssize_t k;
	char *name;

	k = recvfrom(s->udp, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fl);
	if (k <= 0 || ldns_wire2pkt(&q, buf, (size_t)k) != LDNS_STATUS_OK)
		return;
	s->udp_queries++;
	name = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(
	    ldns_pkt_question(q), 0)));
	if (strncmp(name, "drop.", 5) == 0 || strncmp(name, "dropall.", 8) == 0)
		goto out;
	if (strncmp(name, "tcnoq.", 6) == 0) {
		/* a slipped answer as some RRL implementations send it: the
		 * header only, TC set, no question */
		uint8_t h[12] = { 0 };

		h[0] = buf[0];
		h[1] = buf[1];
		h[2] = 0x80 | 0x04 | 0x02;      /* QR AA TC */
		sendto(s->udp, h, sizeof(h), 0, (struct sockaddr *)&from, fl);
		goto out;
	}
	a = answer_for(q, 0);
	if (strncmp(name, "spoof.", 6) == 0) {
		/* first a reply with a wrong ID, then garbage, then the real one */
		ldns_pkt_set_id(a, (uint16_t)(ldns_pkt_id(q) ^ 0x5555));
		ldns_pkt2wire(&wire, a, &len);
		sendto(s->udp, wire, len, 0, (struct sockaddr *)&from, fl);
		free(wire);
		sendto(s->udp, "junk", 4, 0, (struct sockaddr *)&from, fl);
		ldns_pkt_set_id(a, ldns_pkt_id(q));
	}
	ldns_pkt2wire(&wire, a, &len);
	if (strncmp(name, "short.", 6) == 0) {
		/* first, with the record's last octet changed: one record
		 * more counted than there is, then the message cut inside
		 * the RDATA; both malformed, both to be ignored */
		uint8_t keep = wire[len - 1];

		wire[len - 1] = 'X';
		wire[7]++;
		sendto(s->udp, wire, len, 0, (struct sockaddr *)&from, fl);
		wire[7]--;
		sendto(s->udp, wire, len - 3, 0, (struct sockaddr *)&from, fl);
		wire[len - 1] = keep;
	}
	sendto(s->udp, wire, len, 0, (struct sockaddr *)&from, fl);
	free(wire);
	ldns_pkt_free(a);
out:
	free(name);
	ldns_pkt_free(q);
}

static void
handle_tcp(struct srv *s)
{
	uint8_t lb[2], buf[65536], *wire = NULL;
	ldns_pkt *q = NULL, *a;
	size_t len;
	int fd;

	if ((fd = accept(s->tcp, NULL, NULL)) < 0)
		return;
	if (recv(fd, lb, 2, MSG_WAITALL) != 2)
		goto out;
	len = (size_t)lb[0] << 8 | lb[1];
	if (recv(fd, buf, len, MSG_WAITALL) != (ssize_t)len ||
	    ldns_wire2pkt(&q, buf, len) != LDNS_STATUS_OK)
		goto out;
	{
		char *name = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(
		    ldns_pkt_question(q), 0)));
		int drop = strncmp(name, "dropall.", 8) == 0;

		free(name);
		if (drop)
			goto out;   /* closed without an answer */
	}
	a = answer_for(q, 1);
	ldns_pkt2wire(&wire, a, &len);
	lb[0] = (uint8_t)(len >> 8);
	lb[1] = (uint8_t)len;
	send(fd, lb, 2, 0);
	send(fd, wire, len, 0);
	free(wire);
	ldns_pkt_free(a);
out:
	ldns_pkt_free(q);
	close(fd);
}

static void *
srv_main(void *arg)
{
	struct srv *s = arg;
	struct pollfd p[2];

	while (!s->stop) {
		p[0].fd = s->udp;
		p[0].events = POLLIN;
		p[1].fd = s->tcp;
		p[1].events = POLLIN;
		if (poll(p, 2, 50) <= 0)
			continue;
		if (p[0].revents & POLLIN)
			handle_udp(s);
		if (p[1].revents & POLLIN)
			handle_tcp(s);
	}
	return NULL;
}

static void
srv_start(struct srv *s)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int one = 1;
	char text[64];

	memset(s, 0, sizeof(*s));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, SRV_ADDR, &sin.sin_addr);
	s->udp = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_eq(bind(s->udp, (struct sockaddr *)&sin, sizeof(sin)), 0);
	getsockname(s->udp, (struct sockaddr *)&sin, &sl);
	s->tcp = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ck_assert_int_eq(bind(s->tcp, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(s->tcp, 8), 0);
	snprintf(text, sizeof(text), "%s@%u", SRV_ADDR, ntohs(sin.sin_port));
	ck_assert_int_eq(dns_addr_parse(text, &s->addr, NULL), 0);
	ck_assert_int_eq(pthread_create(&s->th, NULL, srv_main, s), 0);
}

static void
srv_stop(struct srv *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
	close(s->udp);
	close(s->tcp);
}

static long
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000L +
	    (b->tv_nsec - a->tv_nsec) / 1000000L;
}

/* _i == 1: answer_only, the in-place parse of the answer section */
START_TEST(batch_behaviours)
{
	static const char *names[] = { "ok.test.", "tc.test.", "drop.test.",
		"spoof.test.", "refused.test.", "short.test.", "big.test.",
		"tcnoq.test.", "dropall.test." };
	enum { N = 9 };
	struct srv s;
	struct dns_query q[N];
	struct dns_reply r[N];
	ldns_rdf *qn[N];
	struct dns_opts o;
	struct timespec t0, t1;
	int i;

	srv_start(&s);
	dns_opts_default(&o);
	o.timeout_ms = 200;
	o.tries = 2;
	memset(q, 0, sizeof(q));
	memset(r, 0, sizeof(r));
	for (i = 0; i < N; i++) {
		qn[i] = ldns_dname_new_frm_str(names[i]);
		q[i].server = &s.addr;
		q[i].qname = qn[i];
		q[i].qtype = LDNS_RR_TYPE_TXT;
		q[i].reply = &r[i];
		q[i].answer_only = _i;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dns_query_batch(q, N, &o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* ok: the one record and the one RRSIG over it */
	ck_assert_int_eq(r[0].status, 0);
	ck_assert_int_eq(r[0].aa, 1);
	ck_assert_int_eq(r[0].tcp, 0);
	ck_assert_int_eq(r[0].rcode, LDNS_RCODE_NOERROR);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r[0].rrs), 1);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r[0].sigs), 1);
	ck_assert_int_eq(ldns_rr_get_type(ldns_rr_list_rr(r[0].rrs, 0)),
	    LDNS_RR_TYPE_TXT);
	if (_i) {
		ck_assert_ptr_null(r[0].auth);
		ck_assert_ptr_null(r[0].extra);
	} else {
		ck_assert_uint_eq(ldns_rr_list_rr_count(r[0].auth), 1);
		ck_assert_uint_eq(ldns_rr_list_rr_count(r[0].extra), 1);
	}
	/* truncated over UDP, complete over TCP */
	ck_assert_int_eq(r[1].status, 0);
	ck_assert_int_eq(r[1].tcp, 1);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r[1].rrs), 40);
	/* dropped over UDP (a lossy path, a rate limit that drops): every
	 * UDP try with backoff (200 + 300 ms), then over TCP */
	ck_assert_int_eq(r[2].status, 0);
	ck_assert_int_eq(r[2].tcp, 1);
	ck_assert_uint_eq(r[2].tries, 2);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r[2].rrs), 1);
	/* dropped over UDP and TCP: a timeout, in bounded time */
	ck_assert_int_eq(r[8].status, DSREG_ETIMEOUT);
	ck_assert_ptr_nonnull(strstr(r[8].err, "no answer"));
	ck_assert_ptr_nonnull(strstr(r[8].err, "tcp"));
	ck_assert_int_ge(ms_between(&t0, &t1), 200 + 300 - 20);
	ck_assert_int_le(ms_between(&t0, &t1), 200 + 300 + 2 *
	    o.tcp_timeout_ms);
	/* a slipped answer without a question: over TCP, not a loss */
	ck_assert_int_eq(r[7].status, 0);
	ck_assert_int_eq(r[7].tcp, 1);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r[7].rrs), 1);
	/* a wrong ID and junk are ignored, the real answer taken */
	ck_assert_int_eq(r[3].status, 0);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r[3].rrs), 1);
	/* REFUSED is an answer, recorded as such */
	ck_assert_int_eq(r[4].status, 0);
	ck_assert_int_eq(r[4].rcode, LDNS_RCODE_REFUSED);
	ck_assert_int_eq(r[4].aa, 0);
	/* a datagram beyond our EDNS size (and our receive slot): over TCP */
	ck_assert_int_eq(r[6].status, 0);
	ck_assert_int_eq(r[6].tcp, 1);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r[6].rrs), 80);
	/* malformed answers are ignored, the good one taken */
	ck_assert_int_eq(r[5].status, 0);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r[5].rrs), 1);
	{
		const ldns_rdf *txt = ldns_rr_rdf(ldns_rr_list_rr(r[5].rrs, 0),
		    0);

		ck_assert_int_eq(ldns_rdf_data(txt)[ldns_rdf_size(txt) - 1],
		    'g');
	}
	for (i = 0; i < N; i++) {
		dns_reply_clear(&r[i]);
		ldns_rdf_deep_free(qn[i]);
	}
	srv_stop(&s);
}
END_TEST

START_TEST(batch_no_address_and_refused_port)
{
	struct dns_query q[2];
	struct dns_reply r[2];
	struct dns_addr none, closed;
	struct dns_opts o;
	ldns_rdf *qn = ldns_dname_new_frm_str("example.test.");

	memset(&none, 0, sizeof(none));
	/* a port nobody listens on: ICMP port unreachable -> ENET quickly */
	ck_assert_int_eq(dns_addr_parse(SRV_ADDR "@9", &closed, NULL), 0);
	dns_opts_default(&o);
	o.timeout_ms = 300;
	memset(q, 0, sizeof(q));
	memset(r, 0, sizeof(r));
	q[0].server = &none;
	q[1].server = &closed;
	q[0].qname = q[1].qname = qn;
	q[0].qtype = q[1].qtype = LDNS_RR_TYPE_DS;
	q[0].reply = &r[0];
	q[1].reply = &r[1];
	dns_query_batch(q, 2, &o);
	ck_assert_int_ne(r[0].status, 0);
	ck_assert_int_eq(r[1].status, DSREG_ENET);
	dns_reply_clear(&r[0]);
	dns_reply_clear(&r[1]);
	ldns_rdf_deep_free(qn);
}
END_TEST

/*
 * RFC 5452 §9.2: the query ID must be unpredictable.  When the system's
 * random source fails, the questions fail with that reason: none is sent
 * with an ID from a predictable generator.
 */
START_TEST(no_random_no_query)
{
	struct srv s;
	struct dns_query q;
	struct dns_reply r;
	struct dns_opts o;
	ldns_rdf *qn = ldns_dname_new_frm_str("ok.test.");

	srv_start(&s);
	dns_opts_default(&o);
	o.timeout_ms = 200;
	o.tries = 1;
	memset(&q, 0, sizeof(q));
	memset(&r, 0, sizeof(r));
	q.server = &s.addr;
	q.qname = qn;
	q.qtype = LDNS_RR_TYPE_TXT;
	q.reply = &r;
	dns_query_batch(&q, 1, &o);
	ck_assert_int_eq(r.status, 0);          /* the server answers */
	getrandom_fails = 1;
	dns_query_batch(&q, 1, &o);
	getrandom_fails = 0;
	ck_assert_int_ne(r.status, 0);
	ck_assert_msg(strstr(r.err, "random") != NULL, "err: %s", r.err);
	ck_assert_uint_eq(r.tries, 0);
	ck_assert_uint_eq(s.udp_queries, 1);    /* nothing sent */
	dns_reply_clear(&r);
	ldns_rdf_deep_free(qn);
	srv_stop(&s);
}
END_TEST

/*
 * A server that never answers in time: over UDP it is silent (tc == 0) or
 * answers every question truncated (tc == 1); over TCP the kernel accepts
 * the connection (backlog) and nobody ever reads it.
 */
struct mute {
	int udp, tcp, tc, stop;
	struct dns_addr addr;
	pthread_t th;
};

static void *
mute_main(void *arg)
{
	struct mute *m = arg;
	struct sockaddr_storage from;
	socklen_t fl;
	struct pollfd p;
	uint8_t buf[4096];
	ssize_t k;

	while (!m->stop) {
		p.fd = m->udp;
		p.events = POLLIN;
		if (poll(&p, 1, 20) <= 0)
			continue;
		fl = sizeof(from);
		k = recvfrom(m->udp, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fl);
		if (k < 12 || !m->tc)
			continue;
		buf[2] |= 0x80 | 0x04 | 0x02;   /* QR AA TC: the query echoed */
		sendto(m->udp, buf, (size_t)k, 0, (struct sockaddr *)&from, fl);
	}
	return NULL;
}

static void
mute_start(struct mute *m, int tc)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	char text[64];

	memset(m, 0, sizeof(*m));
	m->tc = tc;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, SRV_ADDR, &sin.sin_addr);
	m->udp = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_eq(bind(m->udp, (struct sockaddr *)&sin, sizeof(sin)), 0);
	getsockname(m->udp, (struct sockaddr *)&sin, &sl);
	m->tcp = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(m->tcp, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(m->tcp, 16), 0);
	snprintf(text, sizeof(text), "%s@%u", SRV_ADDR, ntohs(sin.sin_port));
	ck_assert_int_eq(dns_addr_parse(text, &m->addr, NULL), 0);
	ck_assert_int_eq(pthread_create(&m->th, NULL, mute_main, m), 0);
}

static void
mute_stop(struct mute *m)
{
	m->stop = 1;
	pthread_join(m->th, NULL);
	close(m->udp);
	close(m->tcp);
}

/*
 * The documented bound (dns_query_batch_bound_ms) holds for a batch to
 * servers that never answer: UDP tries with backoff, pacing, then TCP
 * for every question (a truncating server sends each one to TCP).
 */
START_TEST(batch_time_bound)
{
	enum { PER = 3, N = 2 * PER };
	static const ldns_rr_type types[PER] = { LDNS_RR_TYPE_DNSKEY,
		LDNS_RR_TYPE_CDS, LDNS_RR_TYPE_CDNSKEY };
	struct mute silent, trunc;
	struct dns_query q[N];
	struct dns_reply r[N];
	struct dns_opts o;
	struct timespec t0, t1;
	ldns_rdf *qn = ldns_dname_new_frm_str("example.test.");
	unsigned long bound;
	long took;
	int i;

	mute_start(&silent, 0);
	mute_start(&trunc, 1);
	dns_opts_default(&o);
	o.timeout_ms = 100;
	o.tries = 3;
	o.tcp_timeout_ms = 300;
	o.max_qps = 20;
	ck_assert_int_eq(dns_pacer_new(&o.pacer, o.max_qps), 0);
	memset(q, 0, sizeof(q));
	memset(r, 0, sizeof(r));
	for (i = 0; i < N; i++) {
		q[i].server = i < PER ? &silent.addr : &trunc.addr;
		q[i].qname = qn;
		q[i].qtype = types[i % PER];
		q[i].reply = &r[i];
	}
	bound = dns_query_batch_bound_ms(q, N, &o);
	/* 100+150+225 UDP, 4 * 3 * 50 pacing, 2 * 300 TCP, 9 processing */
	ck_assert_uint_eq(bound, 475 + 600 + 600 + 9);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dns_query_batch(q, N, &o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = ms_between(&t0, &t1);
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(r[i].status, DSREG_ETIMEOUT);
		dns_reply_clear(&r[i]);
	}
	ck_assert_msg(took >= 475, "took %ld ms", took);
	ck_assert_msg((unsigned long)took <= bound, "took %ld ms, bound %lu",
	    took, bound);
	dns_pacer_free(o.pacer);
	ldns_rdf_deep_free(qn);
	mute_stop(&silent);
	mute_stop(&trunc);
}
END_TEST

/*
 * A signed NODATA answer to DS: with answer_only and denial, the authority
 * section's NSEC/NSEC3 and the RRSIGs over them are kept (the no-DS
 * proof), nothing else; the AD bit is recorded.
 */
START_TEST(denial_kept)
{
	static const char *auth[] = {
		"test. 60 IN SOA ns.test. h.test. 1 3600 900 604800 60",
		"test. 60 IN RRSIG SOA 13 1 60 20300101000000 20200101000000 "
		"1 test. AAAA",
		"example.test. 60 IN NSEC zz.test. NS RRSIG NSEC",
		"example.test. 60 IN RRSIG NSEC 13 2 60 20300101000000 "
		"20200101000000 1 test. AAAA",
		"K8RMDMUV3IOUQ1CBI5HBH1JDKDMEG9MA.test. 60 IN NSEC3 1 1 0 - "
		"VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV NS",
		"K8RMDMUV3IOUQ1CBI5HBH1JDKDMEG9MA.test. 60 IN RRSIG NSEC3 13 2 "
		"60 20300101000000 20200101000000 1 test. AAAA",
		"test. 60 IN NS ns.test.",
	};
	ldns_pkt *pkt = ldns_pkt_new();
	ldns_rdf *qn = ldns_dname_new_frm_str("example.test.");
	struct dns_query q;
	struct dns_reply r;
	uint8_t *wire = NULL;
	size_t len, i;
	ldns_rr *rr;
	int d;

	ldns_pkt_set_id(pkt, 4242);
	ldns_pkt_set_qr(pkt, 1);
	ldns_pkt_set_aa(pkt, 1);
	ldns_pkt_set_ad(pkt, 1);
	ck_assert_int_eq(ldns_rr_new_question_frm_str(&rr, "example.test. IN DS",
	    NULL, NULL), LDNS_STATUS_OK);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, rr);
	for (i = 0; i < sizeof(auth) / sizeof(auth[0]); i++) {
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, auth[i], 0, NULL,
		    NULL), LDNS_STATUS_OK);
		ldns_pkt_push_rr(pkt, LDNS_SECTION_AUTHORITY, rr);
	}
	ck_assert_int_eq(ldns_pkt2wire(&wire, pkt, &len), LDNS_STATUS_OK);
	for (d = 0; d < 2; d++) {
		memset(&q, 0, sizeof(q));
		memset(&r, 0, sizeof(r));
		q.qname = qn;
		q.qtype = LDNS_RR_TYPE_DS;
		q.reply = &r;
		q.answer_only = 1;
		q.denial = d;
		ck_assert_int_eq(dns_answer_accept(&q, 4242, wire, len, 0), 1);
		ck_assert_int_eq(r.ad, 1);
		ck_assert_uint_eq(ldns_rr_list_rr_count(r.rrs), 0);
		if (!d) {
			ck_assert_ptr_null(r.auth);
		} else {
			ck_assert_uint_eq(ldns_rr_list_rr_count(r.auth), 4);
			for (i = 0; i < 4; i++) {
				ldns_rr_type t = ldns_rr_get_type(
				    ldns_rr_list_rr(r.auth, i));

				ck_assert(t == LDNS_RR_TYPE_NSEC ||
				    t == LDNS_RR_TYPE_NSEC3 ||
				    t == LDNS_RR_TYPE_RRSIG);
			}
		}
		dns_reply_clear(&r);
	}
	free(wire);
	ldns_pkt_free(pkt);
	ldns_rdf_deep_free(qn);
}
END_TEST

static Suite *
dns_query_suite(void)
{
	Suite *s = suite_create("dns_query");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, addr_parse_table);
	tcase_add_test(tc, resolvconf);
	tcase_add_test(tc, name_norm);
	tcase_add_loop_test(tc, batch_behaviours, 0, 2);
	tcase_add_test(tc, batch_no_address_and_refused_port);
	tcase_add_test(tc, denial_kept);
	tcase_add_test(tc, no_random_no_query);
	tcase_add_test(tc, batch_time_bound);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_query_suite)
