/* dns/query.c - parallel DNS queries over UDP (EDNS0, DO) with TCP on truncation */
#include "dns/internal.h"
#include "common/error.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MSG_MAX 65535

void
dns_opts_default(struct dns_opts *o)
{
	o->timeout_ms = 800;
	o->tries = 3;
	o->tcp_timeout_ms = 2000;
	o->edns_size = 1232;
}

int
dns_addr_parse(const char *text, struct dns_addr *out, struct dsreg_err *err)
{
	char host[64];
	const char *at, *p;
	unsigned long port = 53;
	char *end;
	struct dns_addr a;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a.ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a.ss;
	size_t hl;

	memset(&a, 0, sizeof(a));
	if (text[0] == '[') {
		if ((p = strchr(text, ']')) == NULL)
			goto bad;
		hl = (size_t)(p - text - 1);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, text + 1, hl);
		host[hl] = '\0';
		at = p[1] == ':' || p[1] == '@' ? p + 1 : NULL;
		if (p[1] != '\0' && at == NULL)
			goto bad;
	} else {
		at = strchr(text, '@');
		hl = at != NULL ? (size_t)(at - text) : strlen(text);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, text, hl);
		host[hl] = '\0';
	}
	if (at != NULL) {
		errno = 0;
		port = strtoul(at + 1, &end, 10);
		if (at[1] == '\0' || *end != '\0' || port == 0 || port > 65535)
			goto bad;
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		a.len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		a.len = sizeof(*s6);
	} else
		goto bad;
	if (port == 53)
		snprintf(a.text, sizeof(a.text), "%s", host);
	else
		snprintf(a.text, sizeof(a.text), "%s@%lu", host, port);
	*out = a;
	return 0;
bad:
	return dsreg_err_set(err, DSREG_EINVAL, "'%s': expected an IPv4 or "
	    "IPv6 address, optionally followed by @PORT", text);
}

int
dns_addr_from_rdf(const ldns_rdf *rdf, struct dns_addr *out)
{
	struct dns_addr a;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a.ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a.ss;

	memset(&a, 0, sizeof(a));
	if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_A &&
	    ldns_rdf_size(rdf) == 4) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(53);
		memcpy(&s4->sin_addr, ldns_rdf_data(rdf), 4);
		a.len = sizeof(*s4);
		inet_ntop(AF_INET, &s4->sin_addr, a.text, sizeof(a.text));
	} else if (ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_AAAA &&
	    ldns_rdf_size(rdf) == 16) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(53);
		memcpy(&s6->sin6_addr, ldns_rdf_data(rdf), 16);
		a.len = sizeof(*s6);
		inet_ntop(AF_INET6, &s6->sin6_addr, a.text, sizeof(a.text));
	} else
		return DSREG_EINVAL;
	*out = a;
	return 0;
}

int
dns_resolvconf_read(const char *path, struct dns_addr *out, size_t max,
    size_t *n, struct dsreg_err *err)
{
	FILE *fp;
	char line[512], *p, *tok;
	size_t cnt = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return dsreg_err_set(err, DSREG_EIO, "%s: %s", path,
		    strerror(errno));
	while (cnt < max && fgets(line, sizeof(line), fp) != NULL) {
		p = line;
		if ((tok = strtok(p, " \t\r\n")) == NULL ||
		    strcmp(tok, "nameserver") != 0)
			continue;
		if ((tok = strtok(NULL, " \t\r\n")) == NULL)
			continue;
		if (strchr(tok, '%') != NULL)   /* scoped v6: skip */
			continue;
		if (dns_addr_parse(tok, &out[cnt], NULL) == 0)
			cnt++;
	}
	fclose(fp);
	if (cnt == 0)
		return dsreg_err_set(err, DSREG_ENOTFOUND,
		    "%s: no usable nameserver line", path);
	*n = cnt;
	return 0;
}

void
dns_reply_clear(struct dns_reply *r)
{
	ldns_rr_list_deep_free(r->rrs);
	ldns_rr_list_deep_free(r->sigs);
	ldns_rr_list_deep_free(r->auth);
	ldns_rr_list_deep_free(r->extra);
	memset(r, 0, sizeof(*r));
}

/* ---- one query in flight --------------------------------------------- */

struct flight {
	struct dns_query *q;
	uint8_t *wire;
	size_t wire_len;
	uint16_t id;
	int fd;
	int done;
	int truncated;
	unsigned tries;
	struct timespec start;
};

long
dns_ms_since(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000L +
	    (now.tv_nsec - since->tv_nsec) / 1000000L;
}

static void
fail(struct flight *f, int code, const char *fmt, const char *detail)
{
	struct dns_reply *r = f->q->reply;

	r->status = code;
	snprintf(r->err, sizeof(r->err), fmt, detail);
	r->ms = (unsigned)dns_ms_since(&f->start);
	r->tries = f->tries;
	f->done = 1;
}

static int
build(struct flight *f, const struct dns_opts *o)
{
	ldns_pkt *p;
	uint16_t id;
	int rc = DSREG_ENOMEM;

	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		id = (uint16_t)(rand() & 0xffff);
	p = ldns_pkt_query_new(ldns_rdf_clone(f->q->qname), f->q->qtype,
	    LDNS_RR_CLASS_IN, f->q->rd ? LDNS_RD : 0);
	if (p == NULL)
		return DSREG_ENOMEM;
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_cd(p, f->q->cd != 0);
	ldns_pkt_set_edns_udp_size(p, o->edns_size);
	ldns_pkt_set_edns_do(p, 1);
	if (ldns_pkt2wire(&f->wire, p, &f->wire_len) == LDNS_STATUS_OK)
		rc = 0;
	f->id = id;
	ldns_pkt_free(p);
	return rc;
}

/* Section contents into the reply: the asked records, their RRSIGs, etc. */
static int
harvest(struct dns_query *q, ldns_pkt *pkt)
{
	struct dns_reply *r = q->reply;
	ldns_rr_list *ans = ldns_pkt_answer(pkt);
	ldns_rr *rr;
	size_t i;

	r->rcode = ldns_pkt_get_rcode(pkt);
	r->aa = ldns_pkt_aa(pkt);
	if ((r->rrs = ldns_rr_list_new()) == NULL ||
	    (r->sigs = ldns_rr_list_new()) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < ldns_rr_list_rr_count(ans); i++) {
		rr = ldns_rr_list_rr(ans, i);
		if (ldns_dname_compare(ldns_rr_owner(rr), q->qname) != 0)
			continue;
		if (ldns_rr_get_type(rr) == q->qtype) {
			if (!ldns_rr_list_push_rr(r->rrs, ldns_rr_clone(rr)))
				return DSREG_ENOMEM;
		} else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG &&
		    ldns_rr_rrsig_typecovered(rr) != NULL &&
		    ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) ==
		    q->qtype) {
			if (!ldns_rr_list_push_rr(r->sigs, ldns_rr_clone(rr)))
				return DSREG_ENOMEM;
		}
	}
	if (ldns_pkt_authority(pkt) != NULL &&
	    (r->auth = ldns_rr_list_clone(ldns_pkt_authority(pkt))) == NULL)
		return DSREG_ENOMEM;
	if (ldns_pkt_additional(pkt) != NULL &&
	    (r->extra = ldns_rr_list_clone(ldns_pkt_additional(pkt))) == NULL)
		return DSREG_ENOMEM;
	return 0;
}

/* Check a response against the question; 1 if it is ours. */
static int
matches(const struct flight *f, const ldns_pkt *pkt)
{
	const ldns_rr_list *qs = ldns_pkt_question(pkt);
	const ldns_rr *qr;

	if (ldns_pkt_id(pkt) != f->id || !ldns_pkt_qr(pkt))
		return 0;
	if (ldns_rr_list_rr_count(qs) != 1)
		/* some servers omit the question in FORMERR/NOTIMP */
		return ldns_rr_list_rr_count(qs) == 0 &&
		    ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR;
	qr = ldns_rr_list_rr(qs, 0);
	return ldns_rr_get_type(qr) == f->q->qtype &&
	    ldns_dname_compare(ldns_rr_owner(qr), f->q->qname) == 0;
}

/* A datagram or TCP message arrived: 1 accepted, 0 ignore. */
static int
accept_msg(struct flight *f, const uint8_t *buf, size_t len, int tcp)
{
	ldns_pkt *pkt = NULL;
	struct dns_reply *r = f->q->reply;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK)
		return 0;   /* garbage: keep waiting (spoofing resistance) */
	if (!matches(f, pkt)) {
		ldns_pkt_free(pkt);
		return 0;
	}
	if (!tcp && ldns_pkt_tc(pkt)) {
		f->truncated = 1;
		f->done = 1;
		ldns_pkt_free(pkt);
		return 1;
	}
	r->status = 0;
	r->tcp = tcp;
	r->ms = (unsigned)dns_ms_since(&f->start);
	r->tries = f->tries;
	if (harvest(f->q, pkt) != 0) {
		dns_reply_clear(r);
		r->status = DSREG_ENOMEM;
		snprintf(r->err, sizeof(r->err), "out of memory");
	}
	if (f->q->keep_pkt) {
		f->q->pkt = pkt;
		pkt = NULL;
	}
	ldns_pkt_free(pkt);
	f->done = 1;
	return 1;
}

static int
open_udp(struct flight *f)
{
	const struct dns_addr *a = f->q->server;
	int fd;

	fd = socket(a->ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) != 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	f->fd = fd;
	return 0;
}

static void
send_udp(struct flight *f)
{
	f->tries++;
	if (send(f->fd, f->wire, f->wire_len, 0) < 0 && errno != EAGAIN &&
	    errno != EWOULDBLOCK)
		fail(f, DSREG_ENET, "send: %s", strerror(errno));
}

static void
read_udp(struct flight *f, uint8_t *buf)
{
	ssize_t k;

	for (;;) {
		k = recv(f->fd, buf, MSG_MAX, 0);
		if (k < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return;
			fail(f, DSREG_ENET, "%s", strerror(errno));
			return;
		}
		if (accept_msg(f, buf, (size_t)k, 0))
			return;
	}
}

/* Wait until fd is ready for events or the deadline; 1 ready, 0 timeout. */
static int
wait_fd(int fd, short events, const struct timespec *start, long limit_ms)
{
	struct pollfd p;
	long left;
	int k;

	for (;;) {
		left = limit_ms - dns_ms_since(start);
		if (left <= 0)
			return 0;
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		k = poll(&p, 1, (int)left);
		if (k > 0)
			return 1;
		if (k < 0 && errno != EINTR)
			return -1;
	}
}

static int
io_all(int fd, uint8_t *buf, size_t len, int writing,
    const struct timespec *start, long limit_ms)
{
	size_t done = 0;
	ssize_t k;
	int w;

	while (done < len) {
		if (writing)
			k = send(fd, buf + done, len - done, MSG_NOSIGNAL);
		else
			k = recv(fd, buf + done, len - done, 0);
		if (k > 0) {
			done += (size_t)k;
			continue;
		}
		if (k == 0)
			return DSREG_EPROTO;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return DSREG_ENET;
		w = wait_fd(fd, writing ? POLLOUT : POLLIN, start, limit_ms);
		if (w == 0)
			return DSREG_ETIMEOUT;
		if (w < 0)
			return DSREG_ENET;
	}
	return 0;
}

static void
ask_tcp(struct flight *f, const struct dns_opts *o, uint8_t *buf)
{
	const struct dns_addr *a = f->q->server;
	struct timespec t0;
	uint8_t lenbuf[2];
	size_t len;
	int fd, rc, soerr = 0;
	socklen_t sl = sizeof(soerr);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	f->done = 0;
	f->truncated = 0;
	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0) {
		fail(f, DSREG_ENET, "tcp: %s", strerror(errno));
		return;
	}
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) != 0 &&
	    errno != EINPROGRESS) {
		fail(f, DSREG_ENET, "tcp connect: %s", strerror(errno));
		goto out;
	}
	rc = wait_fd(fd, POLLOUT, &t0, o->tcp_timeout_ms);
	if (rc == 0) {
		fail(f, DSREG_ETIMEOUT, "tcp connect: %s", "timed out");
		goto out;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
	if (rc < 0 || soerr != 0) {
		fail(f, DSREG_ENET, "tcp connect: %s", strerror(soerr));
		goto out;
	}
	lenbuf[0] = (uint8_t)(f->wire_len >> 8);
	lenbuf[1] = (uint8_t)f->wire_len;
	if ((rc = io_all(fd, lenbuf, 2, 1, &t0, o->tcp_timeout_ms)) != 0 ||
	    (rc = io_all(fd, f->wire, f->wire_len, 1, &t0,
	    o->tcp_timeout_ms)) != 0 ||
	    (rc = io_all(fd, lenbuf, 2, 0, &t0, o->tcp_timeout_ms)) != 0)
		goto ioerr;
	len = (size_t)lenbuf[0] << 8 | lenbuf[1];
	if ((rc = io_all(fd, buf, len, 0, &t0, o->tcp_timeout_ms)) != 0)
		goto ioerr;
	if (!accept_msg(f, buf, len, 1))
		fail(f, DSREG_EPROTO, "tcp: %s", "response does not match "
		    "the question or does not parse");
	goto out;
ioerr:
	fail(f, rc, "tcp: %s", rc == DSREG_ETIMEOUT ? "timed out" :
	    rc == DSREG_EPROTO ? "connection closed" : strerror(errno));
out:
	close(fd);
}

void
dns_query_batch(struct dns_query *q, size_t n, const struct dns_opts *o)
{
	struct flight *f = NULL;
	struct pollfd *pf = NULL;
	uint8_t *buf = NULL;
	struct timespec round;
	size_t i, active, np;
	long left;
	int k, rc;

	for (i = 0; i < n; i++) {
		dns_reply_clear(q[i].reply);
		q[i].pkt = NULL;
	}
	if (n == 0)
		return;
	f = calloc(n, sizeof(*f));
	pf = calloc(n, sizeof(*pf));
	buf = malloc(MSG_MAX);
	if (f == NULL || pf == NULL || buf == NULL) {
		for (i = 0; i < n; i++) {
			q[i].reply->status = DSREG_ENOMEM;
			snprintf(q[i].reply->err, sizeof(q[i].reply->err),
			    "out of memory");
		}
		goto out;
	}
	for (i = 0; i < n; i++) {
		f[i].q = &q[i];
		f[i].fd = -1;
		clock_gettime(CLOCK_MONOTONIC, &f[i].start);
		if (q[i].server == NULL || q[i].server->len == 0) {
			fail(&f[i], DSREG_EINVAL, "%s", "no address");
			continue;
		}
		if (build(&f[i], o) != 0) {
			fail(&f[i], DSREG_ENOMEM, "%s", "out of memory");
			continue;
		}
		if ((rc = open_udp(&f[i])) != 0) {
			fail(&f[i], DSREG_ENET, "%s", strerror(-rc));
			continue;
		}
	}
	for (unsigned t = 0; t < o->tries; t++) {
		active = 0;
		for (i = 0; i < n; i++)
			if (!f[i].done) {
				send_udp(&f[i]);
				if (!f[i].done)
					active++;
			}
		if (active == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &round);
		while (active > 0 &&
		    (left = o->timeout_ms - dns_ms_since(&round)) > 0) {
			np = 0;
			for (i = 0; i < n; i++)
				if (!f[i].done) {
					pf[np].fd = f[i].fd;
					pf[np].events = POLLIN;
					pf[np].revents = 0;
					np++;
				}
			k = poll(pf, np, (int)left);
			if (k < 0 && errno != EINTR)
				break;
			if (k <= 0)
				continue;
			np = 0;
			for (i = 0; i < n; i++) {
				if (f[i].done)
					continue;
				if (pf[np++].revents != 0) {
					read_udp(&f[i], buf);
					if (f[i].done)
						active--;
				}
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (f[i].fd >= 0) {
			close(f[i].fd);
			f[i].fd = -1;
		}
		if (!f[i].done)
			fail(&f[i], DSREG_ETIMEOUT, "no answer after %s",
			    o->tries == 1 ? "1 try" : "all tries");
	}
	for (i = 0; i < n; i++)
		if (f[i].truncated)
			ask_tcp(&f[i], o, buf);
out:
	if (f != NULL)
		for (i = 0; i < n; i++) {
			if (f[i].fd >= 0)
				close(f[i].fd);
			free(f[i].wire);
		}
	free(f);
	free(pf);
	free(buf);
}
