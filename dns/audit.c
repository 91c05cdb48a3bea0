/* dns/audit.c - one domain: ask every parent server for DS/NS, every child server for DNSKEY/CDS/CDNSKEY */
#include "dns/internal.h"
#include "common/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FINDINGS 64
#define MAX_SERVERS (2 * DNS_MAX_NS * DNS_MAX_ADDRS) /* never reached: see collect */

char *
dns_name_norm(const char *text)
{
	size_t n = strlen(text), i;
	char *s;

	if (n == 0)
		return NULL;
	if ((s = malloc(n + 2)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)text[i]);
	if (n > 1 && s[n - 1] != '.')
		s[n++] = '.';
	else if (n == 1 && s[0] != '.')
		s[n++] = '.';
	s[n] = '\0';
	return s;
}

char *
dns_rdf_text(const ldns_rdf *rdf)
{
	ldns_buffer *b;
	char *s = NULL;
	size_t n;

	if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME)
		return ds_name_to_text(ldns_rdf_data(rdf), ldns_rdf_size(rdf));
	if ((b = ldns_buffer_new(512)) == NULL)
		return NULL;
	if (ldns_rdf2buffer_str(b, rdf) == LDNS_STATUS_OK &&
	    (s = ldns_buffer_export2str(b)) != NULL) {
		n = strlen(s);
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
			s[--n] = '\0';
	}
	ldns_buffer_free(b);
	return s;
}

int
dns_audit_new(struct dns_audit **out, const char *domain)
{
	struct dns_audit *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return DSREG_ENOMEM;
	if ((a->domain = dns_name_norm(domain)) == NULL) {
		free(a);
		return DSREG_ENOMEM;
	}
	a->verdict = DNS_V_UNREACHABLE;
	*out = a;
	return 0;
}

void
dns_server_facts_clear(struct dns_server *s)
{
	size_t i;

	s->answered = 0;
	ds_set_free(&s->ds);
	s->ds_ttl = 0;
	s->validates = 0;
	for (i = 0; i < s->nkeys; i++)
		ds_key_free(s->keys[i].key);
	free(s->keys);
	s->keys = NULL;
	s->nkeys = 0;
	ds_set_free(&s->cds);
	ds_keyset_free(&s->cdnskey);
}

void
dns_audit_free(struct dns_audit *a)
{
	size_t i;
	int k;

	if (a == NULL)
		return;
	for (i = 0; i < a->nservers; i++) {
		free(a->servers[i].name);
		for (k = 0; k < DNS_NREPLY; k++)
			dns_reply_clear(&a->servers[i].r[k]);
		dns_server_facts_clear(&a->servers[i]);
	}
	free(a->servers);
	for (i = 0; i < a->ndeleg; i++)
		free(a->deleg[i]);
	free(a->deleg);
	for (i = 0; i < a->nfindings; i++)
		free(a->findings[i]);
	free(a->findings);
	ds_set_free(&a->parent_ds);
	ds_set_free(&a->expected_ds);
	ds_set_free(&a->valid_ds);
	free(a->target_problem);
	free(a->parent_problem);
	free(a->domain);
	free(a->parent);
	free(a->error);
	free(a);
}

struct dns_server *
dns_audit_add_server(struct dns_audit *a, enum dns_role role,
    const char *name, const struct dns_addr *addr)
{
	struct dns_server *s, *nv;
	size_t ncap;

	if (a->nservers >= MAX_SERVERS)
		return NULL;
	if (a->nservers == a->capservers) {
		ncap = a->capservers ? a->capservers * 2 : 8;
		if ((nv = realloc(a->servers, ncap * sizeof(*nv))) == NULL)
			return NULL;
		a->servers = nv;
		a->capservers = ncap;
	}
	s = &a->servers[a->nservers];
	memset(s, 0, sizeof(*s));
	if ((s->name = dns_name_norm(name)) == NULL)
		return NULL;
	if (addr != NULL)
		s->addr = *addr;
	s->role = role;
	s->nreplies = role == DNS_PARENT ? 2 : 3;
	a->nservers++;
	return s;
}

int
dns_audit_add_deleg(struct dns_audit *a, const char *name)
{
	char *n, **nv;
	size_t i;

	if ((n = dns_name_norm(name)) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < a->ndeleg; i++)
		if (strcmp(a->deleg[i], n) == 0) {
			free(n);
			return 0;
		}
	if (a->ndeleg >= DNS_MAX_NS) {
		free(n);
		return 0;
	}
	if ((nv = realloc(a->deleg, (a->ndeleg + 1) * sizeof(*nv))) == NULL) {
		free(n);
		return DSREG_ENOMEM;
	}
	a->deleg = nv;
	a->deleg[a->ndeleg++] = n;
	return 0;
}

int
dns_audit_finding(struct dns_audit *a, const char *fmt, ...)
{
	va_list ap;
	char *s, **nv;
	int k;

	if (a->nfindings >= MAX_FINDINGS)
		return 0;
	va_start(ap, fmt);
	k = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (k < 0)
		return DSREG_ENOMEM;
	if ((nv = realloc(a->findings, (a->nfindings + 1) * sizeof(*nv))) ==
	    NULL) {
		free(s);
		return DSREG_ENOMEM;
	}
	a->findings = nv;
	a->findings[a->nfindings++] = s;
	return 0;
}

static const char *const verdict_names[DNS_V_COUNT] = {
	"not-ours", "not-delegated", "unreachable", "broken", "lame", "inconsistent-parent",
	"inconsistent-child", "delete-requested", "missing", "incomplete",
	"stale", "deprecated-digest", "unsigned", "ok",
};

const char *
dns_verdict_name(enum dns_verdict v)
{
	return (unsigned)v < DNS_V_COUNT ? verdict_names[v] : "?";
}

int
dns_verdict_from_name(const char *name)
{
	int i;

	for (i = 0; i < DNS_V_COUNT; i++)
		if (strcmp(verdict_names[i], name) == 0)
			return i;
	return -1;
}

int
dns_verdict_needs_action(enum dns_verdict v)
{
	return v != DNS_V_OK && v != DNS_V_NOT_OURS && v != DNS_V_UNSIGNED;
}

/* ---- collection ------------------------------------------------------ */

static void
no_address(struct dns_server *s, const char *why)
{
	int k;

	for (k = 0; k < s->nreplies; k++) {
		s->r[k].status = DSREG_ENOTFOUND;
		snprintf(s->r[k].err, sizeof(s->r[k].err), "%s",
		    why != NULL ? why : "no address");
	}
}

/* -vv: one line per question and answer. */
static void
log_reply(const struct dsreg_log *log, const char *domain,
    const struct dns_query *q)
{
	const struct dns_reply *r = q->reply;
	ldns_lookup_table *t = ldns_lookup_by_id(ldns_rcodes, r->rcode);
	char type[16];

	snprintf(type, sizeof(type), "%s", ldns_rr_descript(q->qtype) != NULL ?
	    ldns_rr_descript(q->qtype)->_name : "?");
	if (r->status != 0)
		dsreg_log(log, DSREG_LOG_DEBUG, "%s %s @%s: %s (%u ms, %u "
		    "tries)", domain, type, q->server->text, r->err, r->ms,
		    r->tries);
	else
		dsreg_log(log, DSREG_LOG_DEBUG, "%s %s @%s: %s%s%s, %zu "
		    "records, %zu RRSIGs (%u ms)", domain, type,
		    q->server->text, t != NULL ? t->name : "?",
		    r->aa ? " aa" : "", r->tcp ? " tcp" : "",
		    ldns_rr_list_rr_count(r->rrs),
		    ldns_rr_list_rr_count(r->sigs), r->ms);
}

/* Ask every server of `role` in a: the qtypes of that role, in parallel. */
static int
ask_all(struct dns_ctx *ctx, struct dns_audit *a, enum dns_role role,
    const ldns_rdf *qname)
{
	static const ldns_rr_type ptypes[] = { LDNS_RR_TYPE_DS,
		LDNS_RR_TYPE_NS };
	static const ldns_rr_type ctypes[] = { LDNS_RR_TYPE_DNSKEY,
		LDNS_RR_TYPE_CDS, LDNS_RR_TYPE_CDNSKEY };
	const ldns_rr_type *types = role == DNS_PARENT ? ptypes : ctypes;
	struct dns_query *q;
	size_t i, n = 0;
	int k, nt = role == DNS_PARENT ? 2 : 3;
	struct dns_udp u;

	if ((q = calloc(a->nservers * (size_t)nt, sizeof(*q))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < a->nservers; i++) {
		struct dns_server *s = &a->servers[i];

		if (s->role != role || s->addr.len == 0)
			continue;
		for (k = 0; k < nt; k++) {
			q[n].server = &s->addr;
			q[n].qname = qname;
			q[n].qtype = types[k];
			q[n].reply = &s->r[k];
			/* only the NS answer's referral and glue are used */
			q[n].answer_only = types[k] != LDNS_RR_TYPE_NS;
			/* and the DS answer's signed denial, if it is NODATA */
			q[n].denial = types[k] == LDNS_RR_TYPE_DS;
			n++;
		}
	}
	dns_ctx_udp_get(ctx, &u);
	dns_query_run(q, n, dns_ctx_opts(ctx), u.fd);
	dns_ctx_udp_put(ctx, &u);
	dns_ctx_count(ctx, n);
	if (dsreg_log_enabled(dns_ctx_log(ctx), DSREG_LOG_DEBUG))
		for (i = 0; i < n; i++)
			log_reply(dns_ctx_log(ctx), a->domain, &q[i]);
	free(q);
	return 0;
}

/* NS names of the delegation in one parent reply (referral or answer). */
static int
deleg_from(struct dns_audit *a, const struct dns_reply *r,
    const ldns_rdf *qname)
{
	const ldns_rr_list *lists[2] = { r->rrs, r->auth };
	ldns_rr *rr;
	char *t;
	size_t i;
	int li, rc;

	for (li = 0; li < 2; li++)
		for (i = 0; i < ldns_rr_list_rr_count(lists[li]); i++) {
			rr = ldns_rr_list_rr(lists[li], i);
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS ||
			    ldns_rr_rd_count(rr) != 1 ||
			    ldns_dname_compare(ldns_rr_owner(rr), qname) != 0)
				continue;
			if ((t = dns_rdf_text(ldns_rr_rdf(rr, 0))) == NULL)
				return DSREG_ENOMEM;
			rc = dns_audit_add_deleg(a, t);
			free(t);
			if (rc != 0)
				return rc;
		}
	return 0;
}

/* Glue addresses for `name` found in the additional sections of parents. */
static size_t
glue_for(const struct dns_audit *a, const char *name, struct dns_addr *out,
    size_t max)
{
	ldns_rdf *owner = ldns_dname_new_frm_str(name);
	size_t i, j, m, n = 0;
	ldns_rr *rr;
	struct dns_addr ad;

	if (owner == NULL)
		return 0;
	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *s = &a->servers[i];

		if (s->role != DNS_PARENT || s->r[DNS_Q_NS].status != 0)
			continue;
		for (j = 0; j < ldns_rr_list_rr_count(s->r[DNS_Q_NS].extra);
		    j++) {
			rr = ldns_rr_list_rr(s->r[DNS_Q_NS].extra, j);
			if ((ldns_rr_get_type(rr) != LDNS_RR_TYPE_A &&
			    ldns_rr_get_type(rr) != LDNS_RR_TYPE_AAAA) ||
			    ldns_rr_rd_count(rr) != 1 ||
			    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0 ||
			    dns_addr_from_rdf(ldns_rr_rdf(rr, 0), &ad) != 0)
				continue;
			for (m = 0; m < n; m++)
				if (strcmp(out[m].text, ad.text) == 0)
					break;
			if (m == n && n < max)
				out[n++] = ad;
		}
	}
	ldns_rdf_deep_free(owner);
	return n;
}

/*
 * The resolver said the domain does not exist: ask one parent server (one
 * address, picked by the name so that a long list spreads over all of
 * them) for the DS, only that.  *gone = 1 when it answers NXDOMAIN
 * authoritatively; that server stays in a as the one asked.  Otherwise the
 * server is taken out again and the usual collection follows: the parent
 * is authoritative, the resolver may hold an old negative answer.
 */
static int
confirm_gone(struct dns_ctx *ctx, struct dns_audit *a,
    const struct dns_zone *z, const ldns_rdf *qname, int *gone)
{
	const struct dns_zone_ns *pick = NULL;
	const struct dns_addr *addr = NULL;
	struct dns_server *s;
	struct dns_query q;
	size_t i, total = 0, k;
	unsigned h = 2166136261u;
	const char *c;
	struct dns_udp u;

	*gone = 0;
	for (i = 0; i < z->nns; i++)
		total += z->ns[i].naddrs;
	if (total == 0)
		return 0;
	for (c = a->domain; *c != '\0'; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	k = h % total;
	for (i = 0; i < z->nns && pick == NULL; i++) {
		if (k < z->ns[i].naddrs) {
			pick = &z->ns[i];
			addr = &z->ns[i].addrs[k];
		} else
			k -= z->ns[i].naddrs;
	}
	if ((s = dns_audit_add_server(a, DNS_PARENT, pick->name, addr)) ==
	    NULL)
		return DSREG_ENOMEM;
	s->nreplies = 1;
	memset(&q, 0, sizeof(q));
	q.server = &s->addr;
	q.qname = qname;
	q.qtype = LDNS_RR_TYPE_DS;
	q.reply = &s->r[DNS_Q_DS];
	q.answer_only = 1;
	dns_ctx_udp_get(ctx, &u);
	dns_query_run(&q, 1, dns_ctx_opts(ctx), u.fd);
	dns_ctx_udp_put(ctx, &u);
	dns_ctx_count(ctx, 1);
	if (dsreg_log_enabled(dns_ctx_log(ctx), DSREG_LOG_DEBUG))
		log_reply(dns_ctx_log(ctx), a->domain, &q);
	if (s->r[DNS_Q_DS].status == 0 && s->r[DNS_Q_DS].aa &&
	    s->r[DNS_Q_DS].rcode == LDNS_RCODE_NXDOMAIN) {
		*gone = 1;
		return 0;
	}
	dns_reply_clear(&s->r[DNS_Q_DS]);
	free(s->name);
	a->nservers--;
	return 0;
}

int
dns_audit_collect(struct dns_ctx *ctx, struct dns_audit *a)
{
	const struct dns_zone *z;
	const struct dns_host *h;
	struct dns_addr glue[DNS_MAX_ADDRS];
	struct dns_server *s;
	ldns_rdf *qname = NULL, *pname = NULL;
	struct timespec t0;
	char *ptext = NULL;
	size_t i, j, ng, nparents;
	int rc = 0, gone = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((qname = ldns_dname_new_frm_str(a->domain)) == NULL) {
		rc = DSREG_EINVAL;
		goto out;
	}
	if (ldns_dname_label_count(qname) == 0) {
		a->error = strdup("the root zone has no parent");
		goto out;
	}
	if ((pname = ldns_dname_left_chop(qname)) == NULL ||
	    (ptext = dns_rdf_text(pname)) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	for (i = 0; ptext[i] != '\0'; i++)
		ptext[i] = (char)tolower((unsigned char)ptext[i]);
	if ((z = dns_ctx_zone(ctx, ptext)) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	if (z->err != NULL) {
		a->error = strdup(z->err);
		goto out;
	}
	if ((a->parent = strdup(z->zone)) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	/* the resolver first: a name it says does not exist costs the
	 * parent one question, not one per server and type */
	if (dns_ctx_resolver_nxdomain(ctx, qname) &&
	    ((rc = confirm_gone(ctx, a, z, qname, &gone)) != 0 || gone))
		goto out;
	/* the trusted keys for the parent's signatures (once per zone) */
	a->parent_keys = dns_ctx_parent_keys(ctx, z->zone);
	/* every address of every parent server */
	for (i = 0; i < z->nns; i++) {
		if (z->ns[i].naddrs == 0) {
			if ((s = dns_audit_add_server(a, DNS_PARENT,
			    z->ns[i].name, NULL)) == NULL) {
				rc = DSREG_ENOMEM;
				goto out;
			}
			no_address(s, z->ns[i].err);
		}
		for (j = 0; j < z->ns[i].naddrs; j++)
			if (dns_audit_add_server(a, DNS_PARENT, z->ns[i].name,
			    &z->ns[i].addrs[j]) == NULL) {
				rc = DSREG_ENOMEM;
				goto out;
			}
	}
	if ((rc = ask_all(ctx, a, DNS_PARENT, qname)) != 0)
		goto out;
	nparents = a->nservers;
	for (i = 0; i < nparents; i++)
		if (a->servers[i].r[DNS_Q_NS].status == 0 &&
		    (rc = deleg_from(a, &a->servers[i].r[DNS_Q_NS], qname)) != 0)
			goto out;
	/* every address of every server named in the delegation */
	for (i = 0; i < a->ndeleg; i++) {
		const char *name = a->deleg[i];

		ng = glue_for(a, name, glue, DNS_MAX_ADDRS);
		if (ng > 0) {
			for (j = 0; j < ng; j++)
				if (dns_audit_add_server(a, DNS_CHILD, name,
				    &glue[j]) == NULL) {
					rc = DSREG_ENOMEM;
					goto out;
				}
			continue;
		}
		if ((h = dns_ctx_host(ctx, name)) == NULL) {
			rc = DSREG_ENOMEM;
			goto out;
		}
		if (h->naddrs == 0) {
			if ((s = dns_audit_add_server(a, DNS_CHILD, name,
			    NULL)) == NULL) {
				rc = DSREG_ENOMEM;
				goto out;
			}
			no_address(s, h->err);
			continue;
		}
		for (j = 0; j < h->naddrs; j++)
			if (dns_audit_add_server(a, DNS_CHILD, name,
			    &h->addrs[j]) == NULL) {
				rc = DSREG_ENOMEM;
				goto out;
			}
	}
	rc = ask_all(ctx, a, DNS_CHILD, qname);
out:
	a->ms = (unsigned)dns_ms_since(&t0);
	free(ptext);
	ldns_rdf_deep_free(pname);
	ldns_rdf_deep_free(qname);
	return rc;
}
