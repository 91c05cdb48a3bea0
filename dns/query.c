/* dns/query.c - parallel DNS queries over UDP (EDNS0, DO) with TCP on truncation */
#include "dns/internal.h"
#include "common/error.h"
#include "common/file.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <linux/errqueue.h>
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
	o->max_qps = DNS_MAX_QPS_DEFAULT;
	o->pacer = NULL;
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

	if (dsreg_file_fopen(path, DSREG_FILE_TEXT_MAX, &fp, err) != 0) {
		if (err != NULL)
			err->code = DSREG_EIO;
		return DSREG_EIO;
	}
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
	int fam;              /* index into the batch's sockets: 0 v4, 1 v6 */
	int done;
	int truncated;        /* ask again over TCP: truncated, or no UDP
	                         try answered */
	unsigned tries;
	int timed_out;        /* no UDP try was answered */
	int tcp_used;         /* asked over TCP, from tcp_t0 on */
	struct timespec tcp_t0;
	int64_t slot;         /* paced send time reserved, not yet used (ns) */
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
	char why[sizeof(r->err)];

	r->status = code;
	snprintf(why, sizeof(why), fmt, detail);
	if (f->timed_out) {     /* TCP was the last resort after UDP */
		r->status = DSREG_ETIMEOUT;
		snprintf(r->err, sizeof(r->err), "no answer after all tries "
		    "(then %s)", why);
	} else
		snprintf(r->err, sizeof(r->err), "%s", why);
	r->ms = (unsigned)dns_ms_since(&f->start);
	r->tries = f->tries;
	f->done = 1;
}

/*
 * The query message: header, question, and an OPT record (RFC 6891) with
 * the UDP size and the DO bit (RFC 3225).  Built by hand: it is the same
 * 12 + name + 4 + 11 octets every time.
 */
static int
build(struct flight *f, const struct dns_opts *o, uint16_t id)
{
	const struct dns_query *q = f->q;
	size_t nl = ldns_rdf_size(q->qname), len = 12 + nl + 4 + 11;
	uint8_t *w, *p;

	if (ldns_rdf_get_type(q->qname) != LDNS_RDF_TYPE_DNAME || nl == 0 ||
	    nl > LDNS_MAX_DOMAINLEN + 1)
		return DSREG_EINVAL;
	if ((w = calloc(1, len)) == NULL)
		return DSREG_ENOMEM;
	w[0] = (uint8_t)(id >> 8);
	w[1] = (uint8_t)id;
	w[2] = q->rd ? 0x01 : 0x00;         /* RD */
	w[3] = q->cd ? 0x10 : 0x00;         /* CD */
	w[5] = 1;                           /* QDCOUNT */
	w[11] = 1;                          /* ARCOUNT: OPT */
	memcpy(w + 12, ldns_rdf_data(q->qname), nl);
	p = w + 12 + nl;
	p[0] = (uint8_t)(q->qtype >> 8);
	p[1] = (uint8_t)q->qtype;
	p[3] = LDNS_RR_CLASS_IN;
	p += 4;
	p[0] = 0;                           /* root owner */
	p[2] = LDNS_RR_TYPE_OPT;
	p[3] = (uint8_t)(o->edns_size >> 8);
	p[4] = (uint8_t)o->edns_size;
	p[7] = 0x80;                        /* DO */
	f->wire = w;
	f->wire_len = len;
	f->id = id;
	return 0;
}


/* ---- answer-only parsing ---------------------------------------------- */

/*
 * Answers are walked in place (header, question, every record's shape) and
 * only the records kept are parsed, each by ldns_wire2rr: no ldns_pkt.
 * Most audit questions (DS, DNSKEY, CDS, CDNSKEY: answer_only) need only
 * the records of the asked name and type and their RRSIGs, yet a signed
 * NODATA answer carries SOA, NSEC and their signatures in its authority
 * section, which would be turned into objects only to be freed.
 */

/* Past a possibly compressed name at *pos; -1 if it is malformed. */
static int
skip_name(const uint8_t *m, size_t len, size_t *pos)
{
	size_t p = *pos, total = 0;
	uint8_t l;

	while (p < len) {
		l = m[p];
		if (l == 0) {
			*pos = p + 1;
			return 0;
		}
		if ((l & 0xc0) == 0xc0) {
			if (p + 2 > len)
				return -1;
			*pos = p + 2;
			return 0;
		}
		if ((l & 0xc0) != 0 || (total += 1 + (size_t)l) > 255)
			return -1;
		p += 1 + (size_t)l;
	}
	return -1;
}

static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/*
 * Is the (possibly compressed) name at pos the uncompressed wire name
 * want, ignoring case?  0 for no or malformed.
 */
static int
name_is(const uint8_t *m, size_t len, size_t pos, const uint8_t *want,
    size_t wlen)
{
	size_t w = 0, hops = 0, k;
	uint8_t l;

	while (pos < len) {
		l = m[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 2 > len || ++hops > 64)
				return 0;
			pos = (size_t)(l & 0x3f) << 8 | m[pos + 1];
			continue;
		}
		if ((l & 0xc0) != 0 || w >= wlen || want[w] != l ||
		    pos + 1 + l > len)
			return 0;
		if (l == 0)
			return w + 1 == wlen;
		for (k = 1; k <= l; k++)
			if (lower(m[pos + k]) != lower(want[w + k]))
				return 0;
		w += 1 + (size_t)l;
		pos += 1 + (size_t)l;
	}
	return 0;
}

/* Past one record's fixed fields and RDATA; -1 if it overruns. */
static int
skip_record(const uint8_t *m, size_t len, size_t *pos, uint16_t *type,
    size_t *rdata)
{
	size_t p = *pos, rdlen;

	if (skip_name(m, len, &p) != 0 || p + 10 > len)
		return -1;
	*type = (uint16_t)(m[p] << 8 | m[p + 1]);
	rdlen = (size_t)m[p + 8] << 8 | m[p + 9];
	p += 10;
	if (p + rdlen > len)
		return -1;
	*rdata = p;
	*pos = p + rdlen;
	return 0;
}

/*
 * The record from start to end as an ldns object; NULL when ldns refuses
 * it or reads its RDATA to somewhere else than the end RDLENGTH gives (a
 * name running past the RDATA: ldns would go on reading from there).
 */
static ldns_rr *
parse_rr(const uint8_t *m, size_t len, size_t start, size_t end,
    ldns_pkt_section sec)
{
	ldns_rr *rr = NULL;
	size_t p = start;

	if (ldns_wire2rr(&rr, m, len, &p, sec) != LDNS_STATUS_OK || p != end) {
		ldns_rr_free(rr);
		return NULL;
	}
	return rr;
}

/*
 * The NSEC and NSEC3 records of the authority section (ns records from
 * pos) and the RRSIGs over them into r->auth: the signed denial of a
 * NODATA answer.  The shape of every record was checked by the caller.  A
 * record ldns refuses is left out (the proof then fails as incomplete).
 * 0, or -1 when out of memory.
 */
static int
keep_denial(struct dns_reply *r, const uint8_t *m, size_t len, size_t pos,
    unsigned ns)
{
	size_t i, start, rd;
	uint16_t type, covered;
	ldns_rr *rr;

	if ((r->auth = ldns_rr_list_new()) == NULL)
		return -1;
	for (i = 0; i < ns; i++) {
		start = pos;
		(void)skip_record(m, len, &pos, &type, &rd);
		covered = pos - rd >= 2 ? (uint16_t)(m[rd] << 8 | m[rd + 1]) : 0;
		if (type != LDNS_RR_TYPE_NSEC && type != LDNS_RR_TYPE_NSEC3 &&
		    !(type == LDNS_RR_TYPE_RRSIG &&
		    (covered == LDNS_RR_TYPE_NSEC ||
		    covered == LDNS_RR_TYPE_NSEC3)))
			continue;
		if ((rr = parse_rr(m, len, start, pos,
		    LDNS_SECTION_AUTHORITY)) == NULL)
			continue;
		if (!ldns_rr_list_push_rr(r->auth, rr)) {
			ldns_rr_free(rr);
			return -1;
		}
	}
	return 0;
}

/*
 * Is m a response to f: its ID, QR set, and its question (or none, which
 * some servers send with FORMERR or NOTIMP)?  *pos is set past the
 * question.  Reads only the header and the question.
 */
static int
question_ok(const struct flight *f, const uint8_t *m, size_t len,
    size_t *pos)
{
	const struct dns_query *q = f->q;
	size_t p = 12;
	unsigned qd;

	if (len < 12 || (uint16_t)(m[0] << 8 | m[1]) != f->id ||
	    !(m[2] & 0x80))
		return 0;
	qd = (unsigned)(m[4] << 8 | m[5]);
	if (qd == 1) {
		if (!name_is(m, len, p, ldns_rdf_data(q->qname),
		    ldns_rdf_size(q->qname)) || skip_name(m, len, &p) != 0 ||
		    p + 4 > len ||
		    (uint16_t)(m[p] << 8 | m[p + 1]) != q->qtype)
			return 0;
		p += 4;
	} else if (qd != 0 || ((m[3] & 0x0f) == LDNS_RCODE_NOERROR &&
	    !(m[2] & 0x02)))
		return 0;     /* a slipped (TC) answer may carry no question */
	*pos = p;
	return 1;
}

/*
 * A datagram or TCP message arrived: accept it as the answer to f, with
 * only the records kept parsed.  1 accepted (or truncated), 0 not ours or
 * malformed (keep waiting: spoofing resistance).
 */
static int
accept_msg(struct flight *f, const uint8_t *m, size_t len, int tcp)
{
	struct dns_query *q = f->q;
	struct dns_reply *r = q->reply;
	const uint8_t *qn = ldns_rdf_data(q->qname);
	size_t qnl = ldns_rdf_size(q->qname), pos = 12, rd, i, start;
	unsigned an, ns, ar;
	uint16_t type;
	ldns_rr *rr;
	ldns_rr_list *to;

	if (!question_ok(f, m, len, &pos))
		return 0;
	an = (unsigned)(m[6] << 8 | m[7]);
	ns = (unsigned)(m[8] << 8 | m[9]);
	ar = (unsigned)(m[10] << 8 | m[11]);
	if (!tcp && (m[2] & 0x02)) {
		f->truncated = 1;
		f->done = 1;
		return 1;
	}
	/* the shape of every record, before anything is kept */
	for (i = 0, start = pos; i < (size_t)an + ns + ar; i++)
		if (skip_record(m, len, &start, &type, &rd) != 0)
			return 0;
	dns_reply_clear(r);
	if ((r->rrs = ldns_rr_list_new()) == NULL ||
	    (r->sigs = ldns_rr_list_new()) == NULL)
		goto nomem;
	for (i = 0; i < an; i++) {
		start = pos;
		(void)skip_record(m, len, &pos, &type, &rd);
		if (!name_is(m, len, start, qn, qnl))
			continue;
		if (type == q->qtype)
			to = r->rrs;
		else if (type == LDNS_RR_TYPE_RRSIG && pos - rd >= 2 &&
		    (uint16_t)(m[rd] << 8 | m[rd + 1]) == q->qtype)
			to = r->sigs;
		else
			continue;
		if ((rr = parse_rr(m, len, start, pos,
		    LDNS_SECTION_ANSWER)) == NULL) {
			/* malformed RDATA: not an answer we can use */
			dns_reply_clear(r);
			return 0;
		}
		if (!ldns_rr_list_push_rr(to, rr)) {
			ldns_rr_free(rr);
			goto nomem;
		}
	}
	if (q->answer_only && q->denial) {
		if (keep_denial(r, m, len, pos, ns) != 0)
			goto nomem;
	} else if (!q->answer_only) {
		/* the authority section, and the additional one without
		 * what is not data (OPT, TSIG) */
		if ((r->auth = ldns_rr_list_new()) == NULL ||
		    (r->extra = ldns_rr_list_new()) == NULL)
			goto nomem;
		for (i = 0; i < (size_t)ns + ar; i++) {
			start = pos;
			(void)skip_record(m, len, &pos, &type, &rd);
			if (i >= ns && (type == LDNS_RR_TYPE_OPT ||
			    type == LDNS_RR_TYPE_TSIG))
				continue;
			if ((rr = parse_rr(m, len, start, pos, i < ns ?
			    LDNS_SECTION_AUTHORITY : LDNS_SECTION_ADDITIONAL)) ==
			    NULL) {
				dns_reply_clear(r);
				return 0;
			}
			if (!ldns_rr_list_push_rr(i < ns ? r->auth : r->extra,
			    rr)) {
				ldns_rr_free(rr);
				goto nomem;
			}
		}
	}
	r->status = 0;
	r->rcode = m[3] & 0x0f;
	r->aa = (m[2] & 0x04) != 0;
	r->ad = (m[3] & 0x20) != 0;
	r->tcp = tcp;
	r->ms = (unsigned)dns_ms_since(&f->start);
	r->tries = f->tries;
	f->done = 1;
	return 1;
nomem:
	dns_reply_clear(r);
	r->status = DSREG_ENOMEM;
	snprintf(r->err, sizeof(r->err), "out of memory");
	r->ms = (unsigned)dns_ms_since(&f->start);
	r->tries = f->tries;
	f->done = 1;
	return 1;
}


int
dns_answer_accept(struct dns_query *q, uint16_t id, const uint8_t *msg,
    size_t len, int tcp)
{
	struct flight f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.q = q;
	f.id = id;
	clock_gettime(CLOCK_MONOTONIC, &f.start);
	rc = accept_msg(&f, msg, len, tcp);
	return f.truncated ? 2 : rc;
}

/* Same address and port. */
static int
same_addr(const struct sockaddr_storage *a, const struct dns_addr *b)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)&b->ss;
	const struct sockaddr_in6 *a6 = (const void *)a,
	    *b6 = (const void *)&b->ss;

	if (a->ss_family != b->ss.ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port &&
		    a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port &&
	    memcmp(&a6->sin6_addr, &b6->sin6_addr, 16) == 0;
}

/*
 * One unconnected UDP socket per address family serves a whole batch:
 * answers are matched by source address, ID and question.  IP_RECVERR
 * reports ICMP errors (port unreachable) so that a closed port fails at
 * once instead of timing out.
 */
static int
open_udp(int family)
{
	int fd, one = 1;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (family == AF_INET)
		setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
	else
		setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof(one));
	return fd;
}

/*
 * Send every flight not yet answered, as few system calls as possible:
 * sendmmsg per address family, SEND_CHUNK datagrams at a time.  A datagram
 * the kernel refuses fails its flight; one that would block is sent again
 * next round, as a lost one would be.
 */
#define SEND_CHUNK 32

static int64_t
mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void
sleep_until_ns(int64_t at)
{
	struct timespec t;

	t.tv_sec = (time_t)(at / 1000000000LL);
	t.tv_nsec = (long)(at % 1000000000LL);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) ==
	    EINTR)
		;
}

/*
 * The per-server cap (o->pacer) on a question to an authoritative server
 * (RD=0): reserve its send time once, and wait for it unless `others`
 * datagrams are queued ahead of it (1: send those first, then come back).
 */
static int
pace(struct flight *f, const struct dns_opts *o, int others)
{
	if (o->pacer == NULL || f->q->rd)
		return 0;
	if (f->slot == 0)
		f->slot = dns_pacer_slot(o->pacer, f->q->server);
	if (f->slot > mono_ns()) {
		if (others)
			return 1;
		sleep_until_ns(f->slot);
	}
	f->slot = 0;
	return 0;
}

static void
send_all(struct flight *f, size_t n, const int fds[2], const struct dns_opts *o)
{
	struct mmsghdr mm[SEND_CHUNK];
	struct iovec iov[SEND_CHUNK];
	struct flight *who[SEND_CHUNK];
	size_t i, cnt, sent;
	int fam, k;

	for (fam = 0; fam < 2; fam++) {
		if (fds[fam] < 0)
			continue;
		for (i = 0; i < n;) {
			memset(mm, 0, sizeof(mm));
			for (cnt = 0; i < n && cnt < SEND_CHUNK; i++) {
				const struct dns_addr *a = f[i].q->server;

				if (f[i].done || f[i].fam != fam)
					continue;
				if (pace(&f[i], o, cnt > 0))
					break;
				iov[cnt].iov_base = f[i].wire;
				iov[cnt].iov_len = f[i].wire_len;
				mm[cnt].msg_hdr.msg_name = (void *)&a->ss;
				mm[cnt].msg_hdr.msg_namelen = a->len;
				mm[cnt].msg_hdr.msg_iov = &iov[cnt];
				mm[cnt].msg_hdr.msg_iovlen = 1;
				who[cnt++] = &f[i];
				f[i].tries++;
			}
			for (sent = 0; sent < cnt;) {
				k = sendmmsg(fds[fam], mm + sent,
				    (unsigned)(cnt - sent), 0);
				if (k > 0) {
					sent += (size_t)k;
					continue;
				}
				/* datagram `sent` was not sent: errno says why */
				if (errno != EAGAIN && errno != EWOULDBLOCK &&
				    errno != EINTR)
					fail(who[sent], DSREG_ENET, "send: %s",
					    strerror(errno));
				sent++;
			}
		}
	}
}

/*
 * Datagrams on fd: hand each to the flight it answers.  recvmmsg takes up
 * to RECV_BATCH of them per system call into RECV_SLOT-octet slots of buf:
 * our EDNS size is far below a slot, so a datagram that does not fit was
 * sent beyond it (RFC 6891 §6.2.5); its flight is asked again over TCP,
 * as if it had been truncated.
 */
#define RECV_BATCH 16
#define RECV_SLOT 4096
_Static_assert(RECV_BATCH * RECV_SLOT >= MSG_MAX, "a TCP message fits buf");

static void
read_udp(struct flight *f, size_t n, int fd, uint8_t *buf)
{
	struct sockaddr_storage from[RECV_BATCH];
	struct mmsghdr mm[RECV_BATCH];
	struct iovec iov[RECV_BATCH];
	const uint8_t *m;
	size_t i, len, pos;
	uint16_t id;
	int k, j;

	for (;;) {
		memset(mm, 0, sizeof(mm));
		for (j = 0; j < RECV_BATCH; j++) {
			iov[j].iov_base = buf + (size_t)j * RECV_SLOT;
			iov[j].iov_len = RECV_SLOT;
			mm[j].msg_hdr.msg_name = &from[j];
			mm[j].msg_hdr.msg_namelen = sizeof(from[j]);
			mm[j].msg_hdr.msg_iov = &iov[j];
			mm[j].msg_hdr.msg_iovlen = 1;
		}
		k = recvmmsg(fd, mm, RECV_BATCH, MSG_DONTWAIT, NULL);
		if (k <= 0)
			return;     /* EAGAIN, or an error on the error queue */
		for (j = 0; j < k; j++) {
			m = buf + (size_t)j * RECV_SLOT;
			len = mm[j].msg_len;
			if (len < 12)
				continue;
			id = (uint16_t)(m[0] << 8 | m[1]);
			for (i = 0; i < n; i++) {
				if (f[i].done || f[i].id != id ||
				    !same_addr(&from[j], f[i].q->server))
					continue;
				if (mm[j].msg_hdr.msg_flags & MSG_TRUNC) {
					if (!question_ok(&f[i], m, len, &pos))
						continue;
					f[i].truncated = 1;
					f[i].done = 1;
					break;
				}
				if (accept_msg(&f[i], m, len, 0))
					break;
			}
		}
		if (k < RECV_BATCH)
			return;     /* drained */
	}
}

/* ICMP errors (port or host unreachable): fail what went to that address. */
static void
read_errors(struct flight *f, size_t n, int fd)
{
	struct sockaddr_storage dst;
	char cbuf[512];
	uint8_t dummy[16];
	struct iovec iov = { dummy, sizeof(dummy) };
	struct msghdr m;
	struct cmsghdr *c;
	struct sock_extended_err *ee;
	size_t i;

	for (;;) {
		memset(&m, 0, sizeof(m));
		m.msg_name = &dst;
		m.msg_namelen = sizeof(dst);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		if (recvmsg(fd, &m, MSG_ERRQUEUE) < 0)
			return;
		for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
			if (!((c->cmsg_level == SOL_IP && c->cmsg_type ==
			    IP_RECVERR) || (c->cmsg_level == SOL_IPV6 &&
			    c->cmsg_type == IPV6_RECVERR)))
				continue;
			ee = (struct sock_extended_err *)(void *)CMSG_DATA(c);
			for (i = 0; i < n; i++)
				if (!f[i].done && same_addr(&dst, f[i].q->server))
					fail(&f[i], DSREG_ENET, "%s",
					    strerror((int)ee->ee_errno));
		}
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

/*
 * Ask f over TCP.  The exchange ends at tcp_timeout_ms after *since, the
 * start of the first TCP exchange with this address in this batch (NULL:
 * this is the first): all share one budget.
 */
static void
ask_tcp(struct flight *f, const struct dns_opts *o, uint8_t *buf,
    const struct timespec *since)
{
	const struct dns_addr *a = f->q->server;
	struct timespec t0;
	uint8_t lenbuf[2];
	size_t len;
	int fd, rc, soerr = 0;
	socklen_t sl = sizeof(soerr);

	(void)pace(f, o, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (since != NULL)
		t0 = *since;
	f->tcp_used = 1;
	f->tcp_t0 = t0;
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

/* Same address and port of two servers. */
static int
same_server(const struct dns_addr *a, const struct dns_addr *b)
{
	return same_addr(&a->ss, b);
}

unsigned long
dns_query_batch_bound_ms(const struct dns_query *q, size_t n,
    const struct dns_opts *o)
{
	unsigned long udp = 0, wait = o->timeout_ms, step_ms = 0, m, most = 0;
	unsigned long naddr = 0;
	size_t i, j;
	unsigned t;

	for (t = 0; t < o->tries; t++) {
		if (t > 0)
			wait += wait / 2;       /* as dns_query_run does */
		udp += wait;
	}
	for (i = 0; i < n; i++) {
		if (q[i].server == NULL || q[i].server->len == 0)
			continue;
		for (j = 0; j < i; j++)
			if (q[j].server != NULL && q[j].server->len != 0 &&
			    same_server(q[j].server, q[i].server))
				break;
		if (j < i)
			continue;               /* counted with q[j] */
		naddr++;
		for (m = 0, j = i; j < n; j++)
			if (!q[j].rd && q[j].server != NULL &&
			    q[j].server->len != 0 &&
			    same_server(q[j].server, q[i].server))
				m++;
		if (m > most)
			most = m;
	}
	if (o->pacer != NULL && o->max_qps > 0)
		step_ms = (1000 + o->max_qps - 1) / o->max_qps;
	return udp + (o->tries + 1UL) * most * step_ms +
	    naddr * o->tcp_timeout_ms + (unsigned long)n + o->tries;
}

/* Fill buf from getrandom(2); 0, or the errno why it could not. */
static int
random_fill(void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t k;

	while (len > 0) {
		k = getrandom(p, len, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

void
dns_query_batch(struct dns_query *q, size_t n, const struct dns_opts *o)
{
	int fds[2] = { -1, -1 }, k;

	dns_query_run(q, n, o, fds);
	for (k = 0; k < 2; k++)
		if (fds[k] >= 0)
			close(fds[k]);
}

void
dns_query_run(struct dns_query *q, size_t n, const struct dns_opts *o,
    int fds[2])
{
	struct flight *f = NULL;
	uint16_t *ids = NULL;
	/* UDP slots, or one TCP message; on the stack: a 64 KiB malloc per
	 * batch makes glibc consolidate its heap */
	uint8_t buf[RECV_BATCH * RECV_SLOT];
	struct timespec round;
	struct pollfd pf[2];
	int fam, k, rc;
	size_t i, active;
	long left, wait_ms = o->timeout_ms;

	for (i = 0; i < n; i++)
		dns_reply_clear(q[i].reply);
	if (n == 0)
		return;
	f = calloc(n, sizeof(*f));
	ids = calloc(n, sizeof(*ids));
	if (f == NULL || ids == NULL) {
		for (i = 0; i < n; i++) {
			q[i].reply->status = DSREG_ENOMEM;
			snprintf(q[i].reply->err, sizeof(q[i].reply->err),
			    "out of memory");
		}
		goto out;
	}
	/* unpredictable IDs (RFC 5452 §9.2) from the kernel's CSPRNG; without
	 * it no question is sent: a predictable ID invites forged answers */
	if ((rc = random_fill(ids, n * sizeof(*ids))) != 0) {
		for (i = 0; i < n; i++) {
			f[i].q = &q[i];
			clock_gettime(CLOCK_MONOTONIC, &f[i].start);
			fail(&f[i], DSREG_EIO, "RFC 5452 §9.2: no random query "
			    "ID: getrandom: %s", strerror(rc));
		}
		goto out;
	}
	for (i = 0; i < n; i++) {
		f[i].q = &q[i];
		clock_gettime(CLOCK_MONOTONIC, &f[i].start);
		if (q[i].server == NULL || q[i].server->len == 0) {
			fail(&f[i], DSREG_EINVAL, "%s", "no address");
			continue;
		}
		if ((rc = build(&f[i], o, ids[i])) != 0) {
			fail(&f[i], rc, "%s", rc == DSREG_ENOMEM ?
			    "out of memory" : "bad query name");
			continue;
		}
		fam = q[i].server->ss.ss_family == AF_INET6;
		f[i].fam = fam;
		if (fds[fam] < 0 && (fds[fam] = open_udp(fam ? AF_INET6 :
		    AF_INET)) < 0)
			fail(&f[i], DSREG_ENET, "socket: %s", strerror(errno));
	}
	for (unsigned t = 0; t < o->tries; t++) {
		if (t > 0)
			wait_ms += wait_ms / 2;     /* backoff */
		send_all(f, n, fds, o);
		for (active = 0, i = 0; i < n; i++)
			active += !f[i].done;
		if (active == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &round);
		while ((left = wait_ms - dns_ms_since(&round)) > 0) {
			for (k = 0; k < 2; k++) {
				pf[k].fd = fds[k];
				pf[k].events = POLLIN;
				pf[k].revents = 0;
			}
			k = poll(pf, 2, (int)left);
			if (k < 0 && errno != EINTR)
				break;
			for (k = 0; k < 2; k++) {
				if (pf[k].revents & POLLERR)
					read_errors(f, n, fds[k]);
				if (pf[k].revents & POLLIN)
					read_udp(f, n, fds[k], buf);
			}
			for (active = 0, i = 0; i < n; i++)
				active += !f[i].done;
			if (active == 0)
				break;
		}
	}
	/* no UDP try answered: a lossy path, or a server that drops what
	 * its rate limit refuses; TCP retransmits by itself */
	for (i = 0; i < n; i++)
		if (!f[i].done && f[i].tries > 0 && o->tries > 0) {
			f[i].truncated = 1;
			f[i].done = 1;
			f[i].timed_out = 1;
		}
	for (i = 0; i < n; i++)
		if (!f[i].done)
			fail(&f[i], DSREG_ETIMEOUT, "no answer after %s",
			    o->tries == 1 ? "1 try" : "all tries");
	/* one after the other, but one tcp_timeout_ms per address and batch
	 * (not per question): the batch's time stays bounded */
	for (i = 0; i < n; i++) {
		size_t j;

		if (!f[i].truncated)
			continue;
		for (j = 0; j < i; j++)
			if (f[j].tcp_used &&
			    same_addr(&f[j].q->server->ss, f[i].q->server))
				break;
		if (j < i && dns_ms_since(&f[j].tcp_t0) >=
		    (long)o->tcp_timeout_ms) {
			fail(&f[i], DSREG_ETIMEOUT, "tcp: %s", "timed out");
			continue;
		}
		ask_tcp(&f[i], o, buf, j < i ? &f[j].tcp_t0 : NULL);
	}
out:
	if (f != NULL)
		for (i = 0; i < n; i++)
			free(f[i].wire);
	free(f);
	free(ids);
}
