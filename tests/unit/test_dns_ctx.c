/* tests/unit/test_dns_ctx.c - dns/ctx.c: the pool of UDP sockets */
#include "tests/unit/check_main.h"
#include "dns/dns.h"
#include "dns/internal.h"
#include "common/error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Loopback address of the audit tests' range (127.12.0.0/16). */
#define SRV_ADDR "127.12.255.1"

/* The local port of a UDP socket, 0 when it has none. */
static unsigned
local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	if (fd < 0 || getsockname(fd, (struct sockaddr *)&sin, &sl) != 0)
		return 0;
	return ntohs(sin.sin_port);
}

/*
 * RFC 5452 §9.2: the source port is part of what a forger must guess.
 * The kernel picks a random ephemeral port for each new socket; a pooled
 * socket keeps its port, so the pool must not serve one socket (one port)
 * for a whole run: over many batches, several ports are used.
 */
START_TEST(pool_changes_source_port)
{
	struct dns_ctx *ctx;
	struct dns_addr res, closed;
	struct dns_query q;
	struct dns_reply r;
	struct dns_opts o;
	ldns_rdf *qn = ldns_dname_new_frm_str("example.test.");
	unsigned ports[64], nports = 0, p, k;
	struct dns_udp u;
	int i;

	ck_assert_int_eq(dns_addr_parse(SRV_ADDR, &res, NULL), 0);
	/* a port nobody listens on: each batch ends at once (ICMP) */
	ck_assert_int_eq(dns_addr_parse(SRV_ADDR "@9", &closed, NULL), 0);
	dns_opts_default(&o);
	o.timeout_ms = 300;
	o.tries = 1;
	o.max_qps = 0;
	ck_assert_int_eq(dns_ctx_new(&ctx, &res, 1, &o, NULL), 0);
	for (i = 0; i < 64; i++) {
		memset(&q, 0, sizeof(q));
		memset(&r, 0, sizeof(r));
		q.server = &closed;
		q.qname = qn;
		q.qtype = LDNS_RR_TYPE_DS;
		q.reply = &r;
		dns_ctx_udp_get(ctx, &u);
		dns_query_run(&q, 1, dns_ctx_opts(ctx), u.fd);
		p = local_port(u.fd[0]);
		dns_ctx_udp_put(ctx, &u);
		dns_reply_clear(&r);
		ck_assert_uint_ne(p, 0);
		for (k = 0; k < nports && ports[k] != p; k++)
			;
		if (k == nports)
			ports[nports++] = p;
	}
	ck_assert_msg(nports >= 2, "64 batches, %u source port(s)", nports);
	dns_ctx_free(ctx);
	ldns_rdf_deep_free(qn);
}
END_TEST

static Suite *
dns_ctx_suite(void)
{
	Suite *s = suite_create("dns_ctx");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, pool_changes_source_port);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_ctx_suite)
