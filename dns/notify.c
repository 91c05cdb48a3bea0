/* dns/notify.c - RFC 9859: find the parent's DSYNC target, send it NOTIFY(CDS/CDNSKEY); the "notify" registrar */
#include "dns/internal.h"
#include "common/error.h"
#include "common/registrar.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

/* ---- the DSYNC record --------------------------------------------------- */

int
dns_dsync_parse(const uint8_t *rdata, size_t len, struct dns_dsync *out,
    struct dsreg_err *err)
{
	size_t pos = 5, start;
	char *t, *p;

	if (len < 6)
		return dsreg_err_set(err, DSREG_EPROTO, "DSYNC RDATA of %zu "
		    "octets: RRtype, Scheme, Port and Target need at least 6 "
		    "(RFC 9859 §2.1)", len);
	start = pos;
	/* the target: an uncompressed name (RFC 9859 §2.1, RFC 3597 §4) */
	while (pos < len && rdata[pos] != 0) {
		if (rdata[pos] > 63)
			return dsreg_err_set(err, DSREG_EPROTO, "DSYNC target: "
			    "label length %u (compressed or bad; RFC 9859 "
			    "§2.1)", rdata[pos]);
		pos += 1 + rdata[pos];
	}
	if (pos >= len)
		return dsreg_err_set(err, DSREG_EPROTO, "DSYNC target runs "
		    "past the RDATA");
	pos++;
	if (pos != len)
		return dsreg_err_set(err, DSREG_EPROTO, "DSYNC RDATA has %zu "
		    "octets after the target", len - pos);
	if (pos - start > 255)
		return dsreg_err_set(err, DSREG_EPROTO, "DSYNC target longer "
		    "than 255 octets");
	if ((t = ds_name_to_text(rdata + start, pos - start)) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	for (p = t; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	out->rrtype = (uint16_t)(rdata[0] << 8 | rdata[1]);
	out->scheme = rdata[2];
	out->port = (uint16_t)(rdata[3] << 8 | rdata[4]);
	out->target = t;
	return 0;
}

/* The RDATA of an rr as ldns holds it (an unknown type: one rdf). */
static size_t
rr_rdata(const ldns_rr *rr, uint8_t *buf, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);

		if (ldns_rdf_size(f) > max - n)
			return 0;
		memcpy(buf + n, ldns_rdf_data(f), ldns_rdf_size(f));
		n += ldns_rdf_size(f);
	}
	return n;
}

/*
 * The usable DSYNC of a reply: scheme NOTIFY, for CDS (preferred) or
 * CDNSKEY.  1 found (into out), 0 none (*why), <0 ENOMEM.
 */
static int
pick(const struct dns_reply *r, struct dns_dsync *out, const char **why)
{
	struct dns_dsync d, best;
	uint8_t buf[300];
	size_t i, n;
	int have = 0;

	*why = "no DSYNC record";
	memset(&best, 0, sizeof(best));
	for (i = 0; i < ldns_rr_list_rr_count(r->rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(r->rrs, i);

		if (ldns_rr_get_type(rr) != DNS_RR_TYPE_DSYNC ||
		    (n = rr_rdata(rr, buf, sizeof(buf))) == 0)
			continue;
		memset(&d, 0, sizeof(d));
		if (dns_dsync_parse(buf, n, &d, NULL) != 0) {
			*why = "DSYNC record malformed";
			continue;
		}
		if (d.scheme != DNS_DSYNC_SCHEME_NOTIFY ||
		    (d.rrtype != LDNS_RR_TYPE_CDS &&
		    d.rrtype != LDNS_RR_TYPE_CDNSKEY) || d.port == 0 ||
		    (have && best.rrtype == LDNS_RR_TYPE_CDS)) {
			if (!have)
				*why = "no DSYNC record for CDS or CDNSKEY "
				    "with scheme NOTIFY";
			free(d.target);
			continue;
		}
		free(best.target);
		best = d;
		have = 1;
	}
	if (have)
		*out = best;
	return have;
}

/* Look up owner's DSYNC RRset through the resolver. */
static int
lookup(struct dns_ctx *c, const char *owner, struct dns_dsync *out,
    char **note)
{
	struct dns_reply r;
	ldns_rdf *rdf;
	const char *why;
	int found = 0;

	memset(&r, 0, sizeof(r));
	if ((rdf = ldns_dname_new_frm_str(owner)) == NULL)
		return asprintf(note, "%s: not a valid name", owner) < 0 ?
		    DSREG_ENOMEM : 0;
	dns_ctx_resolve(c, rdf, (ldns_rr_type)DNS_RR_TYPE_DSYNC, 0, &r);
	if (r.status != 0 || (r.rcode != LDNS_RCODE_NOERROR &&
	    r.rcode != LDNS_RCODE_NXDOMAIN)) {
		if (asprintf(note, "%s DSYNC: %s", owner, r.status != 0 ?
		    r.err : "the resolver failed") < 0)
			*note = NULL;
	} else if ((found = pick(&r, out, &why)) == 0) {
		if (asprintf(note, "%s: %s", owner, r.rcode ==
		    LDNS_RCODE_NXDOMAIN ? "does not exist" : why) < 0)
			*note = NULL;
	}
	dns_reply_clear(&r);
	ldns_rdf_deep_free(rdf);
	return found;
}

void
dns_dsync_found_free(struct dns_dsync_found *f)
{
	if (f == NULL)
		return;
	free(f->owner);
	free(f->dsync.target);
	free(f->note);
	free(f);
}

struct dns_dsync_found *
dns_dsync_wild_lookup(struct dns_ctx *c, const char *parent)
{
	struct dns_dsync_found *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if (asprintf(&f->owner, "*._dsync.%s", strcmp(parent, ".") == 0 ?
	    "" : parent) < 0) {
		free(f);
		return NULL;
	}
	if (lookup(c, f->owner, &f->dsync, &f->note) < 0) {
		dns_dsync_found_free(f);
		return NULL;
	}
	return f;
}

int
dns_audit_dsync(struct dns_ctx *ctx, struct dns_audit *a)
{
	const struct dns_dsync_found *w;
	const struct dns_host *h;
	size_t dl, pl;
	char *owner = NULL, *note = NULL;
	int rc = 0;

	if (a->parent == NULL)
		return 0;
	dl = strlen(a->domain);
	pl = strcmp(a->parent, ".") == 0 ? 0 : strlen(a->parent);
	if (dl <= pl)
		return 0;
	/* RFC 9859 §4.1: the child's labels below the parent, then
	 * _dsync, then the parent: the child-specific name first */
	if (asprintf(&owner, "%.*s_dsync.%s", (int)(dl - pl), a->domain,
	    pl == 0 ? "" : a->parent) < 0)
		return DSREG_ENOMEM;
	rc = lookup(ctx, owner, &a->dsync, &note);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		/* then the parent's default, the wildcard (cached per
		 * parent zone: it is the same for all its children) */
		if ((w = dns_ctx_dsync_wild(ctx, a->parent)) == NULL) {
			rc = DSREG_ENOMEM;
			goto out;
		}
		if (w->dsync.target == NULL) {
			if (asprintf(&a->dsync_note, "no DSYNC target for "
			    "NOTIFY(CDS) (RFC 9859 §4.1): %s; %s", note != NULL ?
			    note : owner, w->note != NULL ? w->note :
			    w->owner) < 0)
				a->dsync_note = NULL;
			a->dsync_owner = owner;
			owner = NULL;
			rc = 0;
			goto out;
		}
		a->dsync = w->dsync;
		if ((a->dsync.target = strdup(w->dsync.target)) == NULL) {
			rc = DSREG_ENOMEM;
			goto out;
		}
		free(owner);
		if ((owner = strdup(w->owner)) == NULL) {
			rc = DSREG_ENOMEM;
			goto out;
		}
	}
	a->dsync_owner = owner;
	owner = NULL;
	rc = 0;
	/* the target's address, now: apply sends to it */
	if ((h = dns_ctx_host(ctx, a->dsync.target)) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	if (h->naddrs == 0) {
		if (asprintf(&a->dsync_note, "DSYNC target %s has no address: "
		    "%s", a->dsync.target, h->err != NULL ? h->err : "?") < 0)
			a->dsync_note = NULL;
		free(a->dsync.target);
		a->dsync.target = NULL;
		goto out;
	}
	a->dsync_addr = h->addrs[0];
	if (h->addrs[0].ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->dsync_addr.ss)->sin_port =
		    htons(a->dsync.port);
	else
		((struct sockaddr_in6 *)&a->dsync_addr.ss)->sin6_port =
		    htons(a->dsync.port);
	snprintf(a->dsync_addr.text, sizeof(a->dsync_addr.text), "%s@%u",
	    h->addrs[0].text, a->dsync.port);
out:
	free(owner);
	free(note);
	return rc;
}

/* ---- the NOTIFY message -------------------------------------------------- */

int
dns_notify_build(uint8_t *buf, size_t max, size_t *len, uint16_t id,
    const char *qname, uint16_t qtype)
{
	uint8_t wire[256];
	size_t wl = sizeof(wire);

	if (ds_name_from_text(qname, wire, &wl, NULL) != 0)
		return DSREG_EINVAL;
	if (max < 12 + wl + 4)
		return DSREG_ETOOBIG;
	memset(buf, 0, 12);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	/* QR=0, OPCODE=4 (NOTIFY), AA=1 (RFC 1996 §3.7) */
	buf[2] = (uint8_t)(LDNS_PACKET_NOTIFY << 3) | 0x04;
	buf[5] = 1;                               /* QDCOUNT */
	memcpy(buf + 12, wire, wl);
	buf[12 + wl] = (uint8_t)(qtype >> 8);
	buf[12 + wl + 1] = (uint8_t)qtype;
	buf[12 + wl + 2] = 0;
	buf[12 + wl + 3] = LDNS_RR_CLASS_IN;
	*len = 12 + wl + 4;
	return 0;
}

int
dns_notify_is_reply(const uint8_t *msg, size_t len, const uint8_t *q,
    size_t qlen, int *rcode)
{
	if (len < qlen || qlen < 12 || msg[0] != q[0] || msg[1] != q[1] ||
	    !(msg[2] & 0x80) || ((msg[2] >> 3) & 0x0f) != LDNS_PACKET_NOTIFY)
		return 0;
	/* the same question (RFC 1996 §4.7; names compared as sent) */
	if (msg[4] != 0 || msg[5] != 1 ||
	    memcmp(msg + 12, q + 12, qlen - 12) != 0)
		return 0;
	*rcode = msg[3] & 0x0f;
	return 1;
}

int
dns_notify_send(const struct dns_addr *to, const char *qname, uint16_t qtype,
    unsigned tries, unsigned timeout_ms, char *note, size_t nlen)
{
	uint8_t q[300], r[1500];
	size_t qlen;
	uint16_t id;
	unsigned t, wait = timeout_ms;
	int fd, rc, rcode = 0;
	struct pollfd pfd;
	ssize_t n;
	ldns_lookup_table *lt;

	if (RAND_bytes((unsigned char *)&id, sizeof(id)) != 1) {
		snprintf(note, nlen, "no random query ID");
		return DSREG_EIO;
	}
	if ((rc = dns_notify_build(q, sizeof(q), &qlen, id, qname, qtype)) != 0) {
		snprintf(note, nlen, "%s: not a valid name", qname);
		return rc;
	}
	if ((fd = socket(to->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(note, nlen, "socket: %s", strerror(errno));
		return DSREG_ENET;
	}
	if (connect(fd, (const struct sockaddr *)&to->ss, to->len) != 0) {
		snprintf(note, nlen, "%s: %s", to->text, strerror(errno));
		close(fd);
		return DSREG_ENET;
	}
	rc = DSREG_ETIMEOUT;
	snprintf(note, nlen, "NOTIFY to %s: no answer after %u tries", to->text,
	    tries);
	for (t = 0; t < tries && rc == DSREG_ETIMEOUT; t++, wait += wait / 2) {
		struct timespec t0, t1;
		long left = wait;

		if (send(fd, q, qlen, 0) < 0) {
			snprintf(note, nlen, "NOTIFY to %s: %s", to->text,
			    strerror(errno));
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (left > 0) {
			pfd.fd = fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, (int)left) <= 0)
				break;
			if ((n = recv(fd, r, sizeof(r), 0)) > 0 &&
			    dns_notify_is_reply(r, (size_t)n, q, qlen, &rcode)) {
				rc = rcode == LDNS_RCODE_NOERROR ? 0 :
				    DSREG_EREMOTE;
				break;
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
			left = wait - ((t1.tv_sec - t0.tv_sec) * 1000 +
			    (t1.tv_nsec - t0.tv_nsec) / 1000000);
		}
	}
	close(fd);
	if (rc != DSREG_ETIMEOUT) {
		lt = ldns_lookup_by_id(ldns_rcodes, rcode);
		snprintf(note, nlen, "NOTIFY(%s) for %s to %s: %s",
		    qtype == LDNS_RR_TYPE_CDNSKEY ? "CDNSKEY" : "CDS", qname,
		    to->text, lt != NULL ? lt->name : "?");
	}
	return rc;
}

/* ---- the "notify" registrar ---------------------------------------------- */

/*
 * A parent that announces a DSYNC target is told to look at the child's
 * CDS/CDNSKEY; it then publishes the DS by itself.  "Applying" a change is
 * sending the NOTIFY (journalled as the change's one "update" request);
 * the engine's verification then waits for the DS at every parent server.
 */
struct registrar {
	int unused;
};

static int
n_open(struct registrar **out, const struct account *a,
    const struct dsreg_log *log, struct dsreg_err *err)
{
	(void)a;
	(void)log;
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	return 0;
}

static void
n_close(struct registrar *r)
{
	free(r);
}

/* The parent holds what it publishes: nothing is kept here. */
static int
n_read(struct registrar *r, const char *domain, struct ds_set *ds,
    struct ds_keyset *keys, struct dsreg_err *err)
{
	(void)r;
	(void)domain;
	(void)ds;
	(void)keys;
	(void)err;
	return 0;
}

static int
n_holds(struct registrar *r, const struct registrar_change *c, int *holds,
    struct dsreg_err *err)
{
	(void)r;
	(void)c;
	(void)err;
	*holds = 0;          /* a NOTIFY may be sent again: it is harmless */
	return 0;
}

static int
n_apply(struct registrar *r, const struct registrar_change *c,
    const struct registrar_hook *h, struct registrar_report *rep,
    struct dsreg_err *err)
{
	struct dns_addr to;
	char note[256];
	int rc;

	(void)r;
	rep->outcome = REGISTRAR_NOT_SENT;
	if (c->notify_to == NULL || dns_addr_parse(c->notify_to, &to,
	    NULL) != 0) {
		snprintf(rep->note, sizeof(rep->note), "no DSYNC target");
		return dsreg_err_set(err, DSREG_EINVAL, "%s: no DSYNC target "
		    "to notify", c->domain);
	}
	if (h->before(h->ctx, c->domain, REGISTRAR_STEP_UPDATE) != 0) {
		snprintf(rep->note, sizeof(rep->note), "not sent");
		return dsreg_err_set(err, DSREG_ESTATE, "%s: NOTIFY not sent",
		    c->domain);
	}
	rc = dns_notify_send(&to, c->domain, c->notify_type != 0 ?
	    c->notify_type : LDNS_RR_TYPE_CDS, 5, 800, note, sizeof(note));
	h->after(h->ctx, c->domain, REGISTRAR_STEP_UPDATE, rc == DSREG_ETIMEOUT ?
	    DSREG_EREMOTE : rc, note);
	snprintf(rep->note, sizeof(rep->note), "%s", note);
	if (rc == 0) {
		rep->outcome = REGISTRAR_APPLIED;
		return 0;
	}
	rep->outcome = REGISTRAR_REFUSED;
	return dsreg_err_set(err, DSREG_EREMOTE, "%s", note);
}

const struct registrar_ops dns_notify_registrar_ops = {
	.type = "notify",
	.has_locks = 0,
	.has_list = 0,
	.open = n_open,
	.close = n_close,
	.read = n_read,
	.holds = n_holds,
	.apply = n_apply,
};
