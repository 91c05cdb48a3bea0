/* dns/internal.h - what the dns/ files share among themselves (not part of the API) */
#ifndef DSREG_DNS_INTERNAL_H
#define DSREG_DNS_INTERNAL_H

#include <time.h>

#include "dns/dns.h"

#define DNS_MAX_ADDRS 8     /* addresses kept per server name */
#define DNS_MAX_NS 16       /* server names kept per zone or delegation */

/* Addresses of one host name (cached). */
struct dns_host {
	struct dns_addr *addrs;
	size_t naddrs;
	char *err;            /* why there is none */
};

struct dns_zone_ns {
	char *name;
	struct dns_addr *addrs;
	size_t naddrs;
	char *err;
};

/* A parent zone and its servers (cached). */
struct dns_zone {
	char *zone;           /* NULL when err */
	struct dns_zone_ns *ns;
	size_t nns;
	char *err;
};

/* Cached lookups; the results live as long as the context.  NULL: ENOMEM. */
const struct dns_zone *dns_ctx_zone(struct dns_ctx *c, const char *name);
const struct dns_host *dns_ctx_host(struct dns_ctx *c, const char *name);
const struct dns_opts *dns_ctx_opts(const struct dns_ctx *c);
const struct dsreg_log *dns_ctx_log(const struct dns_ctx *c);
void dns_ctx_count(struct dns_ctx *c, unsigned long queries);
/*
 * Verify sig over the DNSKEY RRset rrset with key at `now` (any algorithm
 * ldns knows; ldns_verify_rrsig_time does it).  Returns 1 with *st set
 * (LDNS_STATUS_OK or the reason); it no longer returns 0 (callers that
 * still fall back to ldns on 0 never take that branch).
 */
int dns_verify_dnskey_sig(ldns_rr_list *rrset, const ldns_rr *sig,
    const ldns_rr *key, time_t now, ldns_status *st);

/*
 * dns_query_batch on the caller's UDP sockets fds[0] (IPv4) and fds[1]
 * (IPv6): a socket still -1 is opened when needed and left open; the
 * caller closes them (dns_ctx_udp_put keeps them for the next batch).
 * Answers are matched by address, ID and question, so a late answer to an
 * earlier batch on the same socket is ignored.
 */
void dns_query_run(struct dns_query *q, size_t n, const struct dns_opts *o,
    int fds[2]);

/*
 * The answer parser of dns_query_run on one message, for tests and
 * fuzzing: as if msg had arrived for q, sent with ID id.  1: accepted,
 * q->reply filled in (free with dns_reply_clear); 2: truncated (would be
 * asked again over TCP); 0: not an answer to q, or malformed (ignored).
 */
int dns_answer_accept(struct dns_query *q, uint16_t id, const uint8_t *msg,
    size_t len, int tcp);

/*
 * A pair of UDP sockets from the context's pool (both -1 when the pool is
 * empty: dns_query_run opens them), and back into it after the batch: one
 * worker keeps reusing the same sockets instead of opening two per domain.
 * dns_ctx_free closes what the pool holds.
 */
void dns_ctx_udp_get(struct dns_ctx *c, int fds[2]);
void dns_ctx_udp_put(struct dns_ctx *c, int fds[2]);

/* Milliseconds of CLOCK_MONOTONIC since t0. */
long dns_ms_since(const struct timespec *t0);

#endif
