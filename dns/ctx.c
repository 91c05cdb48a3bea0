/* dns/ctx.c - shared context: resolvers, thread-safe caches of zone cuts, parent servers, host addresses */
#include "dns/internal.h"
#include "common/error.h"
#include "common/map.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* dns_ctx_resolver_nxdomain asks the resolver about every name while at
 * least 1 in NX_SHARE of those asked did not exist (and for the first
 * NX_WARMUP), else about every NX_SAMPLE-th name only */
#define NX_WARMUP 64
#define NX_SHARE 20
#define NX_SAMPLE 16

enum { ENTRY_PENDING, ENTRY_DONE };

struct entry {
	char *key;            /* also the map's key */
	int state;
	void *value;
};

struct cache {
	struct dsreg_map m;   /* key -> struct entry */
	void (*free_value)(void *);
};

struct dns_ctx {
	struct dns_addr *resolvers;
	size_t nresolvers;
	struct dns_opts opts;
	struct dsreg_log log;
	int have_log;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct cache cuts;    /* parent name of a domain -> struct dns_cut */
	struct cache zones;   /* zone -> struct dns_zone (its servers) */
	struct cache hosts;   /* host name -> struct dns_host */
	struct cache pkeys;   /* zone -> struct dns_parent_keys */
	struct cache dsync;   /* parent -> struct dns_dsync_found (wildcard) */
	struct dns_stats stats;
	unsigned long nx_seen;  /* dns_ctx_resolver_nxdomain: names seen, */
	unsigned long nx_asked; /* asked of the resolver, */
	unsigned long nx_yes;   /* and said not to exist */
	char rtext[256];      /* the resolvers, for messages */
	pthread_mutex_t udp_lock;
	struct dns_udp *udp;  /* idle UDP socket pairs (dns_ctx_udp_get) */
	size_t nudp, udpcap;
};

static void
zone_free(void *p)
{
	struct dns_zone *z = p;
	size_t i;

	if (z == NULL)
		return;
	for (i = 0; i < z->nns; i++) {
		free(z->ns[i].name);
		free(z->ns[i].addrs);
		free(z->ns[i].err);
	}
	free(z->ns);
	free(z->zone);
	free(z->err);
	free(z);
}

/* Where a name's children are delegated from (cached per name). */
struct dns_cut {
	const struct dns_zone *z;  /* in the zones cache */
	struct dns_zone *own;      /* or an error of our own */
};

static void zone_free(void *p);
static void udp_close(int fds[2]);

static void
cut_free(void *p)
{
	struct dns_cut *cut = p;

	if (cut == NULL)
		return;
	zone_free(cut->own);
	free(cut);
}

static void
host_free(void *p)
{
	struct dns_host *h = p;

	if (h == NULL)
		return;
	free(h->addrs);
	free(h->err);
	free(h);
}

static void
pkeys_free(void *p)
{
	struct dns_parent_keys *k = p;

	if (k == NULL)
		return;
	free(k->zone);
	ldns_rr_list_deep_free(k->keys);
	free(k->err);
	free(k);
}

static void
dsync_free(void *p)
{
	dns_dsync_found_free(p);
}

static void
cache_clear(struct cache *c)
{
	struct entry *e;
	size_t i;

	for (i = 0; i < c->m.cap; i++)
		if ((e = dsreg_map_slot(&c->m, i)->value) != NULL) {
			c->free_value(e->value);
			free(e->key);
			free(e);
		}
	dsreg_map_free(&c->m);
}

int
dns_ctx_new(struct dns_ctx **out, const struct dns_addr *resolvers,
    size_t nresolvers, const struct dns_opts *opts,
    const struct dsreg_log *log)
{
	struct dns_ctx *c;

	if (nresolvers == 0)
		return DSREG_EINVAL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return DSREG_ENOMEM;
	if ((c->resolvers = calloc(nresolvers, sizeof(*resolvers))) == NULL) {
		free(c);
		return DSREG_ENOMEM;
	}
	memcpy(c->resolvers, resolvers, nresolvers * sizeof(*resolvers));
	c->nresolvers = nresolvers;
	for (size_t i = 0, o = 0; i < nresolvers && o < sizeof(c->rtext); i++)
		o += (size_t)snprintf(c->rtext + o, sizeof(c->rtext) - o,
		    "%s%s", i > 0 ? "," : "", resolvers[i].text);
	if (opts != NULL)
		c->opts = *opts;
	else
		dns_opts_default(&c->opts);
	c->opts.pacer = NULL;
	if (c->opts.max_qps > 0 &&
	    dns_pacer_new(&c->opts.pacer, c->opts.max_qps) != 0) {
		free(c->resolvers);
		free(c);
		return DSREG_ENOMEM;
	}
	if (log != NULL) {
		c->log = *log;
		c->have_log = 1;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->udp_lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->cuts.free_value = cut_free;
	c->zones.free_value = zone_free;
	c->hosts.free_value = host_free;
	c->pkeys.free_value = pkeys_free;
	c->dsync.free_value = dsync_free;
	*out = c;
	return 0;
}

void
dns_ctx_free(struct dns_ctx *c)
{
	if (c == NULL)
		return;
	cache_clear(&c->cuts);
	cache_clear(&c->zones);
	cache_clear(&c->hosts);
	cache_clear(&c->pkeys);
	cache_clear(&c->dsync);
	for (size_t i = 0; i < c->nudp; i++)
		udp_close(c->udp[i].fd);
	free(c->udp);
	dns_pacer_free(c->opts.pacer);
	pthread_mutex_destroy(&c->udp_lock);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	free(c->resolvers);
	free(c);
}

void
dns_ctx_stats(struct dns_ctx *c, struct dns_stats *out)
{
	pthread_mutex_lock(&c->lock);
	*out = c->stats;
	pthread_mutex_unlock(&c->lock);
}

const struct dns_opts *
dns_ctx_opts(const struct dns_ctx *c)
{
	return &c->opts;
}

const struct dsreg_log *
dns_ctx_log(const struct dns_ctx *c)
{
	return c->have_log ? &c->log : NULL;
}

static void
udp_close(int fds[2])
{
	int k;

	for (k = 0; k < 2; k++)
		if (fds[k] >= 0) {
			close(fds[k]);
			fds[k] = -1;
		}
}

void
dns_ctx_udp_get(struct dns_ctx *c, struct dns_udp *u)
{
	u->fd[0] = u->fd[1] = -1;
	u->batches = 0;
	pthread_mutex_lock(&c->udp_lock);
	if (c->nudp > 0)
		*u = c->udp[--c->nudp];
	pthread_mutex_unlock(&c->udp_lock);
}

void
dns_ctx_udp_put(struct dns_ctx *c, struct dns_udp *u)
{
	struct dns_udp *grown;
	size_t cap;

	if (u->fd[0] < 0 && u->fd[1] < 0)
		return;
	/* retired: the next batch gets sockets with new random ports */
	if (++u->batches >= DNS_UDP_BATCHES) {
		udp_close(u->fd);
		return;
	}
	pthread_mutex_lock(&c->udp_lock);
	if (c->nudp == c->udpcap) {
		cap = c->udpcap ? c->udpcap * 2 : 16;
		if ((grown = realloc(c->udp, cap * sizeof(*grown))) == NULL) {
			pthread_mutex_unlock(&c->udp_lock);
			udp_close(u->fd);
			return;
		}
		c->udp = grown;
		c->udpcap = cap;
	}
	c->udp[c->nudp++] = *u;
	pthread_mutex_unlock(&c->udp_lock);
	u->fd[0] = u->fd[1] = -1;
}

void
dns_ctx_count(struct dns_ctx *c, unsigned long queries)
{
	pthread_mutex_lock(&c->lock);
	c->stats.queries += queries;
	pthread_mutex_unlock(&c->lock);
}

/*
 * Look key up; if absent, the caller becomes the one to compute it
 * (returns NULL with *mine = 1, then calls cache_put).  Others wait.
 */
static void *
cache_get(struct dns_ctx *c, struct cache *ca, const char *key, int *mine)
{
	struct entry *e;
	void *v = NULL;

	*mine = 0;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		if ((e = dsreg_map_get(&ca->m, key)) == NULL) {
			e = calloc(1, sizeof(*e));
			if (e == NULL || (e->key = strdup(key)) == NULL ||
			    dsreg_map_add(&ca->m, e->key, e, NULL) != 0) {
				if (e != NULL)
					free(e->key);
				free(e);
				break;     /* ENOMEM: caller computes uncached */
			}
			e->state = ENTRY_PENDING;
			*mine = 1;
			break;
		}
		if (e->state == ENTRY_DONE) {
			v = e->value;
			break;
		}
		pthread_cond_wait(&c->cond, &c->lock);
	}
	pthread_mutex_unlock(&c->lock);
	return v;
}

static void
cache_put(struct dns_ctx *c, struct cache *ca, const char *key, void *value)
{
	struct entry *e;

	pthread_mutex_lock(&c->lock);
	if ((e = dsreg_map_get(&ca->m, key)) != NULL) {
		e->value = value;
		e->state = ENTRY_DONE;
	}
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

/* ---- resolver -------------------------------------------------------- */

/*
 * Ask the resolvers in turn (RD=1, CD=1) until one gives NOERROR or
 * NXDOMAIN.  The reply is the last one received.
 */
void
dns_ctx_resolve(struct dns_ctx *c, const ldns_rdf *name, ldns_rr_type type,
    int cd, struct dns_reply *r)
{
	struct dns_query q;
	size_t i;

	for (i = 0; i < c->nresolvers; i++) {
		dns_reply_clear(r);
		memset(&q, 0, sizeof(q));
		q.server = &c->resolvers[i];
		q.qname = name;
		q.qtype = type;
		q.rd = 1;
		q.cd = cd;
		q.reply = r;
		dns_query_batch(&q, 1, &c->opts);
		pthread_mutex_lock(&c->lock);
		c->stats.resolver_queries++;
		c->stats.queries++;
		pthread_mutex_unlock(&c->lock);
		if (r->status == 0 && (r->rcode == LDNS_RCODE_NOERROR ||
		    r->rcode == LDNS_RCODE_NXDOMAIN))
			return;
	}
}

static void
resolve(struct dns_ctx *c, const ldns_rdf *name, ldns_rr_type type,
    struct dns_reply *r)
{
	dns_ctx_resolve(c, name, type, 1, r);
}

int
dns_ctx_resolver_nxdomain(struct dns_ctx *c, const ldns_rdf *name)
{
	struct dns_reply r;
	int nx, ask;

	pthread_mutex_lock(&c->lock);
	c->nx_seen++;
	ask = c->nx_asked < NX_WARMUP || c->nx_yes * NX_SHARE >= c->nx_asked ||
	    c->nx_seen % NX_SAMPLE == 0;
	if (ask)
		c->nx_asked++;
	pthread_mutex_unlock(&c->lock);
	if (!ask)
		return 0;
	memset(&r, 0, sizeof(r));
	resolve(c, name, LDNS_RR_TYPE_DS, &r);
	nx = r.status == 0 && r.rcode == LDNS_RCODE_NXDOMAIN;
	dns_reply_clear(&r);
	if (nx) {
		pthread_mutex_lock(&c->lock);
		c->nx_yes++;
		pthread_mutex_unlock(&c->lock);
	}
	return nx;
}

static void
reply_problem(const struct dns_reply *r, char *buf, size_t len)
{
	if (r->status != 0)
		snprintf(buf, len, "%s", r->err);
	else
		snprintf(buf, len, "%s",
		    ldns_lookup_by_id(ldns_rcodes, r->rcode) != NULL ?
		    ldns_lookup_by_id(ldns_rcodes, r->rcode)->name : "rcode?");
}

static int
add_addrs_from(struct dns_addr **v, size_t *n, const ldns_rr_list *l,
    const ldns_rdf *owner)
{
	struct dns_addr a, *nv;
	ldns_rr *rr;
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		rr = ldns_rr_list_rr(l, i);
		if ((ldns_rr_get_type(rr) != LDNS_RR_TYPE_A &&
		    ldns_rr_get_type(rr) != LDNS_RR_TYPE_AAAA) ||
		    ldns_rr_rd_count(rr) != 1 ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
			continue;
		if (dns_addr_from_rdf(ldns_rr_rdf(rr, 0), &a) != 0)
			continue;
		if (*n >= DNS_MAX_ADDRS)
			break;
		if ((nv = realloc(*v, (*n + 1) * sizeof(**v))) == NULL)
			return DSREG_ENOMEM;
		*v = nv;
		(*v)[(*n)++] = a;
	}
	return 0;
}

/* Addresses of a host name through the resolvers (A and AAAA). */
static struct dns_host *
host_lookup(struct dns_ctx *c, const char *name)
{
	struct dns_host *h;
	struct dns_reply r4, r6;
	ldns_rdf *rdf;
	char p4[96], p6[96];

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	memset(&r4, 0, sizeof(r4));
	memset(&r6, 0, sizeof(r6));
	if ((rdf = ldns_dname_new_frm_str(name)) == NULL) {
		h->err = strdup("not a valid host name");
		return h;
	}
	pthread_mutex_lock(&c->lock);
	c->stats.host_lookups++;
	pthread_mutex_unlock(&c->lock);
	resolve(c, rdf, LDNS_RR_TYPE_A, &r4);
	resolve(c, rdf, LDNS_RR_TYPE_AAAA, &r6);
	if (r4.status == 0)
		add_addrs_from(&h->addrs, &h->naddrs, r4.rrs, rdf);
	if (r6.status == 0)
		add_addrs_from(&h->addrs, &h->naddrs, r6.rrs, rdf);
	if (h->naddrs == 0) {
		reply_problem(&r4, p4, sizeof(p4));
		reply_problem(&r6, p6, sizeof(p6));
		if (asprintf(&h->err, "no address for %s (resolver %s: A: %s, "
		    "AAAA: %s)", name, c->rtext, r4.status == 0 && r4.rcode == 0 ? "no records" : p4,
		    r6.status == 0 && r6.rcode == 0 ? "no records" : p6) < 0)
			h->err = NULL;
	}
	dns_reply_clear(&r4);
	dns_reply_clear(&r6);
	ldns_rdf_deep_free(rdf);
	return h;
}

/* The cached value for key, computed once by whichever thread asks first. */
static void *
cached(struct dns_ctx *c, struct cache *ca, const char *key,
    void *(*compute)(struct dns_ctx *, const char *))
{
	void *v;
	int mine;

	v = cache_get(c, ca, key, &mine);
	if (v != NULL || !mine)
		return v;
	v = compute(c, key);
	cache_put(c, ca, key, v);
	return v;
}

static void *
host_compute(struct dns_ctx *c, const char *name)
{
	return host_lookup(c, name);
}

const struct dns_host *
dns_ctx_host(struct dns_ctx *c, const char *name)
{
	return cached(c, &c->hosts, name, host_compute);
}

static char *
rdf_text(const ldns_rdf *rdf)
{
	char *s = dns_rdf_text(rdf), *n;

	if (s == NULL)
		return NULL;
	n = dns_name_norm(s);
	free(s);
	return n;
}

/* A zone that only carries an error message. */
static struct dns_zone *
zone_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct dns_zone *
zone_error(const char *fmt, ...)
{
	struct dns_zone *z = calloc(1, sizeof(*z));
	va_list ap;

	va_start(ap, fmt);
	if (z != NULL && vasprintf(&z->err, fmt, ap) < 0)
		z->err = NULL;
	va_end(ap);
	return z;
}

/* A zone's servers and their addresses (NS through the resolver). */
static struct dns_zone *
servers_lookup(struct dns_ctx *c, const char *zone)
{
	struct dns_zone *z;
	struct dns_reply r;
	ldns_rdf *zrdf = NULL;
	const ldns_rr_list *l;
	ldns_rr *rr;
	size_t i, j;
	char prob[96];

	memset(&r, 0, sizeof(r));
	pthread_mutex_lock(&c->lock);
	c->stats.discoveries++;
	pthread_mutex_unlock(&c->lock);
	if ((zrdf = ldns_dname_new_frm_str(zone)) == NULL)
		return zone_error("%s: not a valid name", zone);
	resolve(c, zrdf, LDNS_RR_TYPE_NS, &r);
	if (r.status != 0 || r.rcode != LDNS_RCODE_NOERROR ||
	    ldns_rr_list_rr_count(r.rrs) == 0) {
		reply_problem(&r, prob, sizeof(prob));
		z = zone_error("resolver %s: NS %s: %s", c->rtext, zone,
		    r.status == 0 && r.rcode == 0 ? "no NS records" : prob);
		goto out;
	}
	if ((z = calloc(1, sizeof(*z))) == NULL)
		goto out;
	l = r.rrs;
	if ((z->zone = strdup(zone)) == NULL ||
	    (z->ns = calloc(ldns_rr_list_rr_count(l), sizeof(*z->ns))) == NULL) {
		zone_free(z);
		z = NULL;
		goto out;
	}
	for (i = 0; i < ldns_rr_list_rr_count(l) && z->nns < DNS_MAX_NS; i++) {
		struct dns_zone_ns *ns = &z->ns[z->nns];
		const struct dns_host *h;
		const ldns_rdf *target;

		rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_rd_count(rr) != 1)
			continue;
		target = ldns_rr_rdf(rr, 0);
		if ((ns->name = rdf_text(target)) == NULL)
			continue;
		for (j = 0; j < z->nns; j++)
			if (strcmp(z->ns[j].name, ns->name) == 0)
				break;
		if (j < z->nns) {
			free(ns->name);
			ns->name = NULL;
			continue;
		}
		add_addrs_from(&ns->addrs, &ns->naddrs, r.extra, target);
		if (ns->naddrs == 0 && (h = dns_ctx_host(c, ns->name)) != NULL) {
			if (h->naddrs > 0 && (ns->addrs = calloc(h->naddrs,
			    sizeof(*ns->addrs))) != NULL) {
				memcpy(ns->addrs, h->addrs,
				    h->naddrs * sizeof(*h->addrs));
				ns->naddrs = h->naddrs;
			} else if (h->err != NULL)
				ns->err = strdup(h->err);
		}
		z->nns++;
	}
out:
	dns_reply_clear(&r);
	ldns_rdf_deep_free(zrdf);
	return z;
}

static void *
servers_compute(struct dns_ctx *c, const char *zone)
{
	return servers_lookup(c, zone);
}

/*
 * The zone that holds the delegation of a child of `name`: `name` itself
 * if it is a zone apex, else its closest enclosing zone.  The SOA of an
 * answer (or of the authority section of a negative answer) names it.
 * Then its servers, cached per zone: names under one zone share them.
 */
static struct dns_cut *
cut_lookup(struct dns_ctx *c, const char *name)
{
	struct dns_cut *cut;
	struct dns_reply r;
	ldns_rdf *rdf = NULL, *zrdf = NULL;
	ldns_rr *rr;
	char prob[96], *zone = NULL;
	size_t i;

	memset(&r, 0, sizeof(r));
	if ((cut = calloc(1, sizeof(*cut))) == NULL)
		return NULL;
	if ((rdf = ldns_dname_new_frm_str(name)) == NULL) {
		cut->own = zone_error("%s: not a valid name", name);
		goto out;
	}
	resolve(c, rdf, LDNS_RR_TYPE_SOA, &r);
	if (r.status != 0 || (r.rcode != LDNS_RCODE_NOERROR &&
	    r.rcode != LDNS_RCODE_NXDOMAIN)) {
		reply_problem(&r, prob, sizeof(prob));
		cut->own = zone_error("resolver %s: SOA %s: %s", c->rtext,
		    name, prob);
		goto out;
	}
	if (ldns_rr_list_rr_count(r.rrs) > 0)
		zrdf = ldns_rdf_clone(rdf);
	for (i = 0; zrdf == NULL && i < ldns_rr_list_rr_count(r.auth); i++) {
		rr = ldns_rr_list_rr(r.auth, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
		    (ldns_dname_compare(ldns_rr_owner(rr), rdf) == 0 ||
		    ldns_dname_is_subdomain(rdf, ldns_rr_owner(rr))))
			zrdf = ldns_rdf_clone(ldns_rr_owner(rr));
	}
	if (zrdf == NULL) {
		cut->own = zone_error("resolver %s: SOA %s: no SOA in the "
		    "answer names the enclosing zone", c->rtext, name);
		goto out;
	}
	if ((zone = rdf_text(zrdf)) != NULL)
		cut->z = cached(c, &c->zones, zone, servers_compute);
out:
	if (cut->z == NULL && cut->own == NULL) {   /* out of memory */
		free(cut);
		cut = NULL;
	}
	free(zone);
	dns_reply_clear(&r);
	ldns_rdf_deep_free(rdf);
	ldns_rdf_deep_free(zrdf);
	return cut;
}

static void *
cut_compute(struct dns_ctx *c, const char *name)
{
	return cut_lookup(c, name);
}

const struct dns_zone *
dns_ctx_zone(struct dns_ctx *c, const char *name)
{
	const struct dns_cut *cut = cached(c, &c->cuts, name, cut_compute);

	if (cut == NULL)
		return NULL;
	return cut->own != NULL ? cut->own : cut->z;
}

/* ---- the parent zone's keys, validated by the resolver ----------------- */

/*
 * The trust in a parent's DNSKEY RRset comes from the resolver: it is
 * asked (RD=1, CD=0, DO=1) for the zone's DNSKEY RRset and must answer
 * with the AD bit, i.e. it validated the set through its chain from its
 * trust anchor (RFC 4035 §3.2.3, §4.3; RFC 6840 §5.8).  The resolver is
 * the one the operator configured, normally on the same host: dsreg
 * trusts its AD bit as a stub resolver on a trusted path does (RFC 4035
 * §4.9.3).  The set then serves as the trusted keys to check what each
 * parent server signs about a delegation: a server that signs with a key
 * outside this set fails validation everywhere, exactly as it would for a
 * validating resolver.  Fetched once per zone and run (cached).
 */
static struct dns_parent_keys *
pkeys_lookup(struct dns_ctx *c, const char *zone)
{
	struct dns_parent_keys *k;
	struct dns_reply r;
	struct dns_query q;
	ldns_rdf *zrdf;
	char prob[96];
	size_t i;

	memset(&r, 0, sizeof(r));
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	if ((k->zone = strdup(zone)) == NULL) {
		free(k);
		return NULL;
	}
	if ((zrdf = ldns_dname_new_frm_str(zone)) == NULL) {
		k->err = strdup("not a valid zone name");
		return k;
	}
	for (i = 0; i < c->nresolvers; i++) {
		memset(&q, 0, sizeof(q));
		q.server = &c->resolvers[i];
		q.qname = zrdf;
		q.qtype = LDNS_RR_TYPE_DNSKEY;
		q.rd = 1;
		q.answer_only = 1;
		q.reply = &r;
		dns_query_batch(&q, 1, &c->opts);
		pthread_mutex_lock(&c->lock);
		c->stats.resolver_queries++;
		c->stats.queries++;
		pthread_mutex_unlock(&c->lock);
		if (r.status == 0 && r.rcode == LDNS_RCODE_NOERROR)
			break;
	}
	if (r.status != 0 || r.rcode != LDNS_RCODE_NOERROR) {
		reply_problem(&r, prob, sizeof(prob));
		if (asprintf(&k->err, "resolver %s: DNSKEY %s: %s", c->rtext,
		    zone, prob) < 0)
			k->err = NULL;
	} else if (ldns_rr_list_rr_count(r.rrs) == 0) {
		if (asprintf(&k->err, "resolver %s: %s has no DNSKEY RRset "
		    "(the parent zone is not signed)", c->rtext, zone) < 0)
			k->err = NULL;
	} else if (!r.ad) {
		if (asprintf(&k->err, "resolver %s does not validate: its "
		    "answer for %s DNSKEY has no AD bit", c->rtext, zone) < 0)
			k->err = NULL;
	} else {
		k->keys = r.rrs;
		r.rrs = NULL;
	}
	dns_reply_clear(&r);
	ldns_rdf_deep_free(zrdf);
	return k;
}

static void *
pkeys_compute(struct dns_ctx *c, const char *zone)
{
	return pkeys_lookup(c, zone);
}

const struct dns_parent_keys *
dns_ctx_parent_keys(struct dns_ctx *c, const char *zone)
{
	return cached(c, &c->pkeys, zone, pkeys_compute);
}

static void *
dsync_compute(struct dns_ctx *c, const char *parent)
{
	return dns_dsync_wild_lookup(c, parent);
}

const struct dns_dsync_found *
dns_ctx_dsync_wild(struct dns_ctx *c, const char *parent)
{
	return cached(c, &c->dsync, parent, dsync_compute);
}
