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
/* The zone's DNSKEY RRset as the resolver validated it (cached). */
const struct dns_parent_keys *dns_ctx_parent_keys(struct dns_ctx *c,
    const char *zone);
const struct dns_opts *dns_ctx_opts(const struct dns_ctx *c);

/* Release the DNSSEC facts of a server (dns_judge sets them). */
void dns_server_facts_clear(struct dns_server *s);
const struct dsreg_log *dns_ctx_log(const struct dns_ctx *c);
void dns_ctx_count(struct dns_ctx *c, unsigned long queries);
/*
 * Verify sig over rrset with key at `now`: LDNS_STATUS_OK, or why not
 * (expired, not yet valid, bogus, ...).  Any algorithm ldns knows; the
 * validity period in serial number arithmetic (RFC 4034 §3.1.5).
 */
ldns_status dns_verify_sig(ldns_rr_list *rrset, const ldns_rr *sig,
    const ldns_rr *key, time_t now);

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
 * worker reuses the same sockets instead of opening two per domain.  A
 * socket keeps its source port, which the kernel picked at random when it
 * was opened (RFC 5452 §9.2); so a pair serves at most DNS_UDP_BATCHES
 * batches, then dns_ctx_udp_put closes it and the next batch gets new
 * sockets with new random ports.  dns_ctx_free closes what the pool holds.
 */
#define DNS_UDP_BATCHES 16
struct dns_udp {
	int fd[2];           /* IPv4, IPv6; -1: not open */
	unsigned batches;    /* batches sent on them so far */
};
void dns_ctx_udp_get(struct dns_ctx *c, struct dns_udp *u);
void dns_ctx_udp_put(struct dns_ctx *c, struct dns_udp *u);

/*
 * Check what every parent server that answered DS authoritatively signs
 * about the delegation (dns/parentsig.c) against a->parent_keys: its
 * RRSIG over the DS RRset, or its signed NSEC/NSEC3 proof that there is
 * none.  Sets each parent server's psig fields, adds a finding per failing
 * server and sets a->parent_problem (the first failure); *failed is 1 when
 * some server fails.  is_signed only words the findings.  Nothing is
 * checked when a->parent_keys is NULL; a finding says so when the keys
 * are not validated.  0 or DSREG_ENOMEM.
 */
int dns_parent_sigs_judge(struct dns_audit *a, time_t now, int is_signed,
    int *failed);

/*
 * Does the resolver say that name does not exist (NXDOMAIN to DS, RD=1,
 * CD=1)?  1 yes; 0 it exists, the resolver did not answer, or it was not
 * asked: while fewer than 1 in 20 of the names asked so far in this
 * context did not exist (an up-to-date list, where the question is only
 * overhead), only every 16th name is asked.
 */
int dns_ctx_resolver_nxdomain(struct dns_ctx *c, const ldns_rdf *name);

/* Milliseconds of CLOCK_MONOTONIC since t0. */
long dns_ms_since(const struct timespec *t0);

#endif
