/* dns/dns.h - queries to resolvers, parent and child servers; zone cuts; audit verdicts */
#ifndef DSREG_DNS_DNS_H
#define DSREG_DNS_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include <ldns/ldns.h>

#include "common/log.h"
#include "ds/ds.h"

struct dsreg_err;

/* ---- server addresses ---------------------------------------------- */

/* One server address: IPv4 or IPv6 plus port. */
struct dns_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	char text[64];       /* "192.0.2.1", "2001:db8::1", "127.0.0.1@5353" */
};

/*
 * Parse "ADDR[@PORT]" (IPv4 or IPv6 literal; "[v6]:PORT" also accepted).
 * port 0 in the text is refused; the default port is 53.
 */
int dns_addr_parse(const char *text, struct dns_addr *out,
    struct dsreg_err *err);
/* Make an address from an A or AAAA rdf (port 53). */
int dns_addr_from_rdf(const ldns_rdf *rdf, struct dns_addr *out);

/*
 * Read "nameserver" lines of a resolv.conf file into out (at most max).
 * Returns 0 and *n, or DSREG_ENOTFOUND when there is none.
 */
int dns_resolvconf_read(const char *path, struct dns_addr *out, size_t max,
    size_t *n, struct dsreg_err *err);

/* ---- queries --------------------------------------------------------- */

/*
 * Timing policy of one query: the first UDP try waits timeout_ms, each
 * further one half as long again (backoff); when no UDP try was answered
 * the question is asked once more over TCP; TCP has its own timeout,
 * shared by the TCP exchanges with one address in one batch.
 */
struct dns_pacer;
struct dns_opts {
	unsigned timeout_ms;     /* first UDP try (default 800) */
	unsigned tries;          /* UDP tries (default 3) */
	unsigned tcp_timeout_ms; /* all TCP exchanges with one address in
	                            one batch (default 2000) */
	uint16_t edns_size;      /* default 1232 */
	unsigned max_qps;        /* queries per second to one authoritative
	                            server address (RD=0), UDP and TCP
	                            together; 0: no cap (default
	                            DNS_MAX_QPS_DEFAULT) */
	struct dns_pacer *pacer; /* internal: set by dns_ctx_new from
	                            max_qps; NULL: queries are not paced */
};
#define DNS_MAX_QPS_DEFAULT 100
void dns_opts_default(struct dns_opts *o);

/*
 * A per-address send pacer (thread-safe): dns_pacer_slot reserves the next
 * free send time for an address, at most qps per second.  Free with
 * dns_pacer_free.
 */
int dns_pacer_new(struct dns_pacer **out, unsigned qps);
void dns_pacer_free(struct dns_pacer *p);
/* The CLOCK_MONOTONIC time (ns) at which a query to a may be sent. */
int64_t dns_pacer_slot(struct dns_pacer *p, const struct dns_addr *a);

/* What one server answered to one question. */
struct dns_reply {
	int status;          /* 0: a response arrived; else DSREG_ETIMEOUT,
	                        DSREG_ENET, DSREG_EPROTO, DSREG_ENOMEM, or
	                        DSREG_EIO (no random query ID: not sent) */
	int rcode;           /* LDNS_RCODE_* when status is 0 */
	int aa;              /* Authoritative Answer bit */
	int ad;              /* Authentic Data bit (a validating resolver) */
	int tcp;             /* answered over TCP (after truncation) */
	unsigned ms;         /* time from first send to answer */
	unsigned tries;
	char err[96];        /* why status != 0 */
	ldns_rr_list *rrs;   /* answer records of the asked type and name */
	ldns_rr_list *sigs;  /* RRSIGs covering them */
	ldns_rr_list *auth;  /* authority section (NS/SOA) */
	ldns_rr_list *extra; /* additional section (glue) */
};
void dns_reply_clear(struct dns_reply *r); /* frees lists, keeps nothing */

/* One question to one server: filled in, then answered by dns_query_batch. */
struct dns_query {
	const struct dns_addr *server;   /* borrowed */
	const ldns_rdf *qname;           /* borrowed */
	ldns_rr_type qtype;
	int rd;                          /* recursion desired (resolvers) */
	int cd;                          /* checking disabled */
	struct dns_reply *reply;         /* borrowed; filled in */
	int answer_only;                 /* keep only rrs and sigs: auth and
	                                    extra stay NULL, and the records
	                                    of those sections are checked for
	                                    shape but not parsed */
	int denial;                      /* with answer_only: auth keeps the
	                                    authority section's NSEC and NSEC3
	                                    records and the RRSIGs over them
	                                    (the signed proof of a NODATA
	                                    answer), nothing else */
};

/*
 * Ask all queries in parallel: UDP with EDNS0 (DO=1, edns_size), resend
 * with backoff up to `tries` times (timeout_ms, then each wait half as
 * long again: 800, 1200, 1800 ms by default); a question that was
 * truncated, or that no UDP try got an answer to, is asked once over TCP.
 * The TCP exchanges run one after the other; all those with one server
 * address share one tcp_timeout_ms budget.  Responses whose ID or question
 * do not match are ignored.  Never fails as a whole: each reply says what
 * happened.  The whole batch takes at most dns_query_batch_bound_ms.
 */
void dns_query_batch(struct dns_query *q, size_t n, const struct dns_opts *o);

/*
 * The longest a batch of these queries may take (ms), from the options:
 *   sum of the UDP waits            timeout_ms * (1 + 1.5 + 1.5^2 ...),
 *                                   `tries` terms
 * + pacing (o->pacer set)           (tries + 1) * M * ceil(1000 / max_qps),
 *                                   M: most RD=0 questions to one address
 * + TCP                             A * tcp_timeout_ms, A: server addresses
 * + processing                      1 ms per question and per UDP try
 * The pacing term holds while no other batch paces the same addresses.
 */
unsigned long dns_query_batch_bound_ms(const struct dns_query *q, size_t n,
    const struct dns_opts *o);

/*
 * Append rr to out in presentation form, as ldns_rr2str() prints it
 * (DNSKEY comments included) but with single spaces for ldns' tabs and
 * without the newline; with rrsig_head, only RRSIG fields 1-8 (no
 * signature).  0, or DSREG_ENOMEM / DSREG_ETOOBIG (out's cap).
 */
struct dsreg_buf;
int dns_rr_format(struct dsreg_buf *out, const ldns_rr *rr,
    int rrsig_head);

/* ---- context: resolvers, caches -------------------------------------- */

struct dns_ctx;

/*
 * A context is shared by all worker threads of a run (it is thread-safe).
 * It holds the resolver addresses (copied), the timing policy and the
 * caches of zone cuts, parent servers and host addresses.  Free with
 * dns_ctx_free.  log may be NULL.
 */
int dns_ctx_new(struct dns_ctx **out, const struct dns_addr *resolvers,
    size_t nresolvers, const struct dns_opts *opts,
    const struct dsreg_log *log);
void dns_ctx_free(struct dns_ctx *ctx);

/* Counters for the report (thread-safe snapshot). */
struct dns_stats {
	unsigned long queries, resolver_queries, discoveries, host_lookups;
};
void dns_ctx_stats(struct dns_ctx *ctx, struct dns_stats *out);

/* ---- what was learned about one domain --------------------------------- */

enum dns_role { DNS_PARENT = 0, DNS_CHILD = 1 };
enum { DNS_Q_DS = 0, DNS_Q_NS = 1 };                       /* parent */
enum { DNS_Q_DNSKEY = 0, DNS_Q_CDS = 1, DNS_Q_CDNSKEY = 2 }; /* child */
#define DNS_NREPLY 3

/*
 * What a parent server signs about the delegation (dns_judge): its RRSIG
 * over the DS RRset, or its signed proof that there is no DS (NSEC or
 * NSEC3), checked against the parent's validated DNSKEY RRset.
 */
enum dns_psig {
	DNS_PSIG_UNCHECKED = 0,  /* not checked (see psig_why) */
	DNS_PSIG_OK,
	DNS_PSIG_MISSING,        /* no RRSIG, or no NSEC/NSEC3 proof */
	DNS_PSIG_EXPIRED,
	DNS_PSIG_NOT_YET_VALID,
	DNS_PSIG_BOGUS,          /* signature or proof does not validate */
};
/* "not checked", "ok", "missing", "expired", "not yet valid", "bogus" */
const char *dns_psig_name(enum dns_psig v);

/* One address of one server and its replies. */
struct dns_server {
	char *name;                  /* server name, absolute, lower case */
	struct dns_addr addr;        /* addr.len == 0: no address known */
	enum dns_role role;
	struct dns_reply r[DNS_NREPLY]; /* parent: DS, NS; child: DNSKEY, CDS, CDNSKEY */
	int nreplies;                /* 2 (parent) or 3 (child) */
	/* parent servers, set by dns_judge */
	enum dns_psig psig;          /* the parent's signatures it serves */
	char psig_what[24];          /* "RRSIG(DS)", "no-DS proof (NSEC3)" */
	char psig_why[160];          /* detail ("" when ok) */
	/* DNSSEC facts, set by dns_judge once (plan, instructions, signals
	 * and the verification after a change read these, never the raw
	 * replies): */
	int answered;                /* an authoritative answer to the DS
	                                (parent) or DNSKEY (child) query */
	struct ds_set ds;            /* parent: the DS RRset it serves */
	uint32_t ds_ttl;             /* parent: its TTL (0: no DS) */
	int validates;               /* parent: a DS it serves matches a key
	                                that signs the child's DNSKEY RRset */
	struct dns_key_fact *keys;   /* child: the DNSKEYs it serves */
	size_t nkeys;
	struct ds_set cds;           /* child: its CDS RRset (parsed) */
	struct ds_keyset cdnskey;    /* child: its CDNSKEY RRset (parsed) */
};

/* One DNSKEY a child server serves, and whether it signs the DNSKEY RRset
 * there now (a zone key, not revoked, with a valid RRSIG over the set). */
struct dns_key_fact {
	struct ds_key *key;
	int signs;
};

/*
 * A parent zone's DNSKEY RRset as the resolver validated it (AD bit):
 * the trusted keys for what the parent's servers sign.  keys is NULL
 * when it could not be validated; err says why.  Owned by the context.
 */
struct dns_parent_keys {
	char *zone;
	ldns_rr_list *keys;
	char *err;
};

/* Verdicts of INTERFACE.md, most severe first. */
enum dns_verdict {
	DNS_V_NOT_OURS = 0,
	DNS_V_NOT_DELEGATED,
	DNS_V_UNREACHABLE,
	DNS_V_BROKEN,
	DNS_V_LAME,
	DNS_V_INCONSISTENT_PARENT,
	DNS_V_INCONSISTENT_CHILD,
	DNS_V_DELETE_REQUESTED,
	DNS_V_MISSING,
	DNS_V_INCOMPLETE,
	DNS_V_STALE,
	DNS_V_DEPRECATED_DIGEST,
	DNS_V_UNSIGNED,
	DNS_V_OK,
	DNS_V_COUNT
};
const char *dns_verdict_name(enum dns_verdict v);
/* Parse a verdict word; -1 if unknown. */
int dns_verdict_from_name(const char *name);
/* Does this verdict call for action (exit status 1)? */
int dns_verdict_needs_action(enum dns_verdict v);

/*
 * Everything learned about one domain and the judgement.  Created by
 * dns_audit_new (empty) and filled by dns_audit_collect (network) or by
 * hand (tests); judged by dns_judge.  Free with dns_audit_free.
 */
struct dns_audit {
	char *domain;                /* absolute, lower case */
	char *parent;                /* parent zone, or NULL if not found */
	char *error;                 /* discovery failure (resolver), or NULL */
	struct dns_server *servers;  /* parents first, then children */
	size_t nservers, capservers;
	char **deleg;                /* delegation NS names (union, in order) */
	size_t ndeleg;
	/* judgement (dns_judge) */
	enum dns_verdict verdict;
	char **findings;
	size_t nfindings;
	struct ds_set parent_ds;     /* union of DS at the parent servers */
	struct ds_set expected_ds;   /* expected keys x digests */
	struct ds_set valid_ds;      /* parent DS that validate: they match a
	                                key served with the zone bit that
	                                signs the DNSKEY RRset now */
	char *target_problem;        /* NULL when every expected key is served
	                                and signs the DNSKEY RRset at every
	                                authoritative child server; else the
	                                first server and key where it does not
	                                (a DS for it must not be added) */
	unsigned ms;                 /* wall time of the collection */
	/* the parent zone's validated keys (borrowed from the context: valid
	 * while it lives), or NULL: the parent's signatures over the
	 * delegation are not checked */
	const struct dns_parent_keys *parent_keys;
	char *parent_problem;        /* NULL when every parent server's
	                                signatures over the delegation validate
	                                (or were not checked); else the first
	                                failure (no DS change may be made) */
};

int dns_audit_new(struct dns_audit **out, const char *domain);
void dns_audit_free(struct dns_audit *a);
/* Append a server (copied name); returns it or NULL on ENOMEM. */
struct dns_server *dns_audit_add_server(struct dns_audit *a,
    enum dns_role role, const char *name, const struct dns_addr *addr);
/* Add a delegation NS name (deduplicated, lower-cased). */
int dns_audit_add_deleg(struct dns_audit *a, const char *name);
/* Append a printf-style finding. */
int dns_audit_finding(struct dns_audit *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Find the parent zone and its servers, ask every parent server for DS
 * and NS of the domain, and every child server named in the delegation
 * for DNSKEY, CDS and CDNSKEY.  Network failures are recorded in the
 * audit, not returned; only DSREG_ENOMEM/DSREG_EINVAL are returned.
 */
int dns_audit_collect(struct dns_ctx *ctx, struct dns_audit *a);

/* What the judgement needs besides the answers. */
struct dns_judge_opts {
	time_t now;
	/* Keys of this zone in the key store, or NULL when --keys was not given. */
	const struct ds_key *const *store_keys;
	size_t nstore_keys;
	int have_store;              /* --keys given (even if no key for the zone) */
	const uint8_t *digests;      /* DS digest types to expect (default SHA-256) */
	size_t ndigests;
	char *const *our_ns;         /* --our-ns names (absolute, lower case) */
	size_t nour_ns;
};

/*
 * Judge the collected answers: set verdict, findings, parent_ds,
 * expected_ds, valid_ds, target_problem, parent_problem and the parent
 * servers' psig fields (replacing earlier ones).  Pure: no network, no
 * clock (uses o->now), and the answers (servers' replies, deleg, the
 * parent keys) are read, never changed, not even reordered.  Returns 0 or
 * DSREG_ENOMEM.
 */
int dns_judge(struct dns_audit *a, const struct dns_judge_opts *o);

/* Normalise a domain name: absolute, lower case.  malloc'd or NULL. */
char *dns_name_norm(const char *text);

/*
 * Presentation form of an rdf (no trailing newline), like ldns_rdf2str but
 * without its 64 KiB buffer per call.  malloc'd or NULL.
 */
char *dns_rdf_text(const ldns_rdf *rdf);

#endif
