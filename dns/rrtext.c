/* dns/rrtext.c - records in presentation form, as ldns prints them, without its printf machinery */
#include "dns/dns.h"
#include "common/buf.h"
#include "common/error.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

/*
 * ldns_rr2buffer_str() builds every field through vsnprintf, strftime and
 * a heap buffer per base64 field: on a 10,000-domain audit that was a
 * tenth of all the work.  The record types an audit reports (DS, CDS,
 * DNSKEY, CDNSKEY, NS, A, AAAA, RRSIG) are written here directly, in the
 * very same text (fields separated by single spaces instead of ldns'
 * tabs); anything unusual (another type or class, a name with octets that
 * ldns escapes, a malformed RDATA) goes to ldns.  tests/unit/test_dns_rrtext.c
 * compares the two on random records.
 */

/* Upper bound of the text of a name: every octet as \DDD, plus dots. */
#define NAME_TEXT_MAX (4 * LDNS_MAX_DOMAINLEN + 2)

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hexd[] = "0123456789abcdef";

/* A wire-format name; NULL when it needs escapes or is malformed. */
static char *
put_name(char *p, const ldns_rdf *rdf)
{
	size_t n;

	if (ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME ||
	    (n = ds_name_plain_text(ldns_rdf_data(rdf), ldns_rdf_size(rdf),
	    p)) == 0)
		return NULL;
	return p + n;
}

static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *
put_u32(char *p, uint32_t v)
{
	char t[10];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = t[--n];
	return p;
}

static char *
put_hex(char *p, const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*p++ = hexd[d[i] >> 4];
		*p++ = hexd[d[i] & 15];
	}
	return p;
}

static char *
put_b64(char *p, const uint8_t *d, size_t n)
{
	size_t i;
	uint32_t v;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
		*p++ = b64[v >> 18];
		*p++ = b64[(v >> 12) & 63];
		*p++ = b64[(v >> 6) & 63];
		*p++ = b64[v & 63];
	}
	if (n - i == 1) {
		v = (uint32_t)d[i] << 16;
		*p++ = b64[v >> 18];
		*p++ = b64[(v >> 12) & 63];
		*p++ = '=';
		*p++ = '=';
	} else if (n - i == 2) {
		v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8;
		*p++ = b64[v >> 18];
		*p++ = b64[(v >> 12) & 63];
		*p++ = b64[(v >> 6) & 63];
		*p++ = '=';
	}
	return p;
}

static char *
put_2(char *p, unsigned v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/*
 * An RRSIG time field (RFC 4034 §3.2) as YYYYMMDDHHmmSS: the 32-bit value
 * read with serial number arithmetic around `now` (the date closest to
 * now), as ldns does.  NULL outside years 0..9999.
 */
static char *
put_time(char *p, uint32_t v, time_t now)
{
	int64_t t = (int64_t)now + (int32_t)(v - (uint32_t)now);
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400, z, era, y;
	unsigned doe, yoe, doy, mp, d, m;

	/* days since 1970-01-01 to a civil date (proleptic Gregorian) */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 1000 || y > 9999)
		return NULL;
	p = put_2(p, (unsigned)(y / 100));
	p = put_2(p, (unsigned)(y % 100));
	p = put_2(p, m);
	p = put_2(p, d);
	p = put_2(p, (unsigned)(secs / 3600));
	p = put_2(p, (unsigned)(secs / 60 % 60));
	return put_2(p, (unsigned)(secs % 60));
}

static const uint8_t *
rd(const ldns_rr *rr, size_t i, size_t *n)
{
	const ldns_rdf *f = ldns_rr_rdf(rr, i);

	*n = ldns_rdf_size(f);
	return ldns_rdf_data(f);
}

static int
rd_is(const ldns_rr *rr, size_t i, ldns_rdf_type t, size_t size)
{
	const ldns_rdf *f = ldns_rr_rdf(rr, i);

	return f != NULL && ldns_rdf_get_type(f) == t &&
	    (size == 0 || ldns_rdf_size(f) == size);
}

static uint16_t
u16(const uint8_t *d)
{
	return (uint16_t)(d[0] << 8 | d[1]);
}

static uint32_t
u32(const uint8_t *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	    (uint32_t)d[2] << 8 | d[3];
}

/* The type as ldns names it; NULL for types it has no name for. */
static const char *
type_name(uint16_t t)
{
	const ldns_rr_descriptor *d = ldns_rr_descript(t);

	return d != NULL && d->_name != NULL ? d->_name : NULL;
}

/* RFC 4034 Appendix B over flags, protocol, algorithm and key. */
static uint16_t
key_tag(uint16_t flags, uint8_t proto, uint8_t alg, const uint8_t *k,
    size_t n)
{
	uint32_t ac = (uint32_t)flags + ((uint32_t)proto << 8) + alg;
	size_t j;

	for (j = 0; j < n; j++)
		ac += (j & 1) ? k[j] : (uint32_t)k[j] << 8;
	ac += (ac >> 16) & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

/* RRSIG fields 0-7: "TYPE alg labels ttl expiration inception tag signer". */
static char *
put_rrsig_head(char *p, const ldns_rr *rr, time_t now)
{
	const uint8_t *d;
	const char *tn;
	size_t n;

	if (ldns_rr_rd_count(rr) != 9 ||
	    !rd_is(rr, 0, LDNS_RDF_TYPE_TYPE, 2) ||
	    !rd_is(rr, 1, LDNS_RDF_TYPE_ALG, 1) ||
	    !rd_is(rr, 2, LDNS_RDF_TYPE_INT8, 1) ||
	    !rd_is(rr, 3, LDNS_RDF_TYPE_INT32, 4) ||
	    !rd_is(rr, 4, LDNS_RDF_TYPE_TIME, 4) ||
	    !rd_is(rr, 5, LDNS_RDF_TYPE_TIME, 4) ||
	    !rd_is(rr, 6, LDNS_RDF_TYPE_INT16, 2) ||
	    !rd_is(rr, 8, LDNS_RDF_TYPE_B64, 0))
		return NULL;
	d = rd(rr, 0, &n);
	if ((tn = type_name(u16(d))) == NULL)
		return NULL;
	p = put_str(p, tn);
	*p++ = ' ';
	p = put_u32(p, rd(rr, 1, &n)[0]);
	*p++ = ' ';
	p = put_u32(p, rd(rr, 2, &n)[0]);
	*p++ = ' ';
	p = put_u32(p, u32(rd(rr, 3, &n)));
	*p++ = ' ';
	if ((p = put_time(p, u32(rd(rr, 4, &n)), now)) == NULL)
		return NULL;
	*p++ = ' ';
	if ((p = put_time(p, u32(rd(rr, 5, &n)), now)) == NULL)
		return NULL;
	*p++ = ' ';
	p = put_u32(p, u16(rd(rr, 6, &n)));
	*p++ = ' ';
	return put_name(p, ldns_rr_rdf(rr, 7));
}

/* The RDATA of the types done here; NULL: leave the record to ldns. */
static char *
put_rdata(char *p, const ldns_rr *rr, time_t now)
{
	const uint8_t *d;
	size_t n, i;
	uint16_t flags;
	char a[INET6_ADDRSTRLEN];

	switch (ldns_rr_get_type(rr)) {
	case LDNS_RR_TYPE_A:
	case LDNS_RR_TYPE_AAAA:
		i = ldns_rr_get_type(rr) == LDNS_RR_TYPE_A;
		if (ldns_rr_rd_count(rr) != 1 || !rd_is(rr, 0, i ?
		    LDNS_RDF_TYPE_A : LDNS_RDF_TYPE_AAAA, i ? 4 : 16) ||
		    inet_ntop(i ? AF_INET : AF_INET6, rd(rr, 0, &n), a,
		    sizeof(a)) == NULL)
			return NULL;
		return put_str(p, a);
	case LDNS_RR_TYPE_NS:
		if (ldns_rr_rd_count(rr) != 1)
			return NULL;
		return put_name(p, ldns_rr_rdf(rr, 0));
	case LDNS_RR_TYPE_DS:
	case LDNS_RR_TYPE_CDS:
		if (ldns_rr_rd_count(rr) != 4 ||
		    !rd_is(rr, 0, LDNS_RDF_TYPE_INT16, 2) ||
		    !rd_is(rr, 1, LDNS_RDF_TYPE_ALG, 1) ||
		    !rd_is(rr, 2, LDNS_RDF_TYPE_INT8, 1) ||
		    !rd_is(rr, 3, LDNS_RDF_TYPE_HEX, 0))
			return NULL;
		p = put_u32(p, u16(rd(rr, 0, &n)));
		*p++ = ' ';
		p = put_u32(p, rd(rr, 1, &n)[0]);
		*p++ = ' ';
		p = put_u32(p, rd(rr, 2, &n)[0]);
		*p++ = ' ';
		d = rd(rr, 3, &n);
		return put_hex(p, d, n);
	case LDNS_RR_TYPE_DNSKEY:
	case LDNS_RR_TYPE_CDNSKEY:
		if (ldns_rr_rd_count(rr) != 4 ||
		    !rd_is(rr, 0, LDNS_RDF_TYPE_INT16, 2) ||
		    !rd_is(rr, 1, LDNS_RDF_TYPE_INT8, 1) ||
		    !rd_is(rr, 2, LDNS_RDF_TYPE_ALG, 1) ||
		    !rd_is(rr, 3, LDNS_RDF_TYPE_B64, 0) ||
		    ldns_rdf_size(ldns_rr_rdf(rr, 3)) == 0)
			return NULL;
		flags = u16(rd(rr, 0, &n));
		p = put_u32(p, flags);
		*p++ = ' ';
		p = put_u32(p, rd(rr, 1, &n)[0]);
		*p++ = ' ';
		p = put_u32(p, rd(rr, 2, &n)[0]);
		*p++ = ' ';
		d = rd(rr, 3, &n);
		p = put_b64(p, d, n);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY)
			return p;
		/* ldns' default key comment; RSAMD5 tags are left to ldns */
		if (rd(rr, 2, &i)[0] == LDNS_RSAMD5)
			return NULL;
		p = put_str(p, " ;{id = ");
		p = put_u32(p, key_tag(flags, rd(rr, 1, &i)[0],
		    rd(rr, 2, &i)[0], d, n));
		if (flags & LDNS_KEY_ZONE_KEY)
			p = put_str(p, flags & LDNS_KEY_SEP_KEY ? " (ksk)" :
			    " (zsk)");
		p = put_str(p, ", size = ");
		/* ldns prints the size as an int, negative for some
		 * malformed RSA keys */
		{
			int64_t ks = (int)ldns_rr_dnskey_key_size(rr);

			if (ks < 0) {
				*p++ = '-';
				ks = -ks;
			}
			p = put_u32(p, (uint32_t)ks);
		}
		*p++ = 'b';
		*p++ = '}';
		return p;
	case LDNS_RR_TYPE_RRSIG:
		if ((p = put_rrsig_head(p, rr, now)) == NULL)
			return NULL;
		*p++ = ' ';
		d = rd(rr, 8, &n);
		return put_b64(p, d, n);
	default:
		return NULL;
	}
}

/* What ldns prints, tabs as spaces, without the trailing newline. */
static int
by_ldns(struct dsreg_buf *out, const ldns_rr *rr, int rrsig_head)
{
	ldns_buffer *lb = ldns_buffer_new(512);
	const char *t;
	size_t i, n;
	int rc = 0;

	if (lb == NULL)
		return DSREG_ENOMEM;
	if (rrsig_head) {
		for (i = 0; i < 8 && i < ldns_rr_rd_count(rr); i++) {
			if (i > 0)
				ldns_buffer_printf(lb, " ");
			ldns_rdf2buffer_str(lb, ldns_rr_rdf(rr, i));
		}
	} else
		ldns_rr2buffer_str(lb, rr);
	if (ldns_buffer_status(lb) != LDNS_STATUS_OK) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	t = (const char *)ldns_buffer_begin(lb);
	n = ldns_buffer_position(lb);
	while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == ' '))
		n--;
	if ((rc = dsreg_buf_reserve(out, n)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		out->data[out->len + i] = t[i] == '\t' ? ' ' : t[i];
	dsreg_buf_added(out, n);
out:
	ldns_buffer_free(lb);
	return rc;
}

int
dns_rr_format(struct dsreg_buf *out, const ldns_rr *rr, int rrsig_head)
{
	size_t bound = 0, i, n;
	char *start, *p;
	time_t now;
	int rc;

	if (rrsig_head && ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)
		return by_ldns(out, rr, rrsig_head);
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		n = ldns_rdf_size(ldns_rr_rdf(rr, i));
		bound += 2 * n + 4 * (n / 3 + 1) + 24;
	}
	bound += 2 * NAME_TEXT_MAX + 128;
	if ((rc = dsreg_buf_reserve(out, bound)) != 0)
		return rc;
	now = time(NULL);
	start = p = out->data + out->len;
	if (rrsig_head)
		p = put_rrsig_head(p, rr, now);
	else if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
	    ldns_rr_ttl(rr) > INT32_MAX || ldns_rr_owner(rr) == NULL ||
	    type_name((uint16_t)ldns_rr_get_type(rr)) == NULL)
		p = NULL;
	else if ((p = put_name(p, ldns_rr_owner(rr))) != NULL) {
		*p++ = ' ';
		p = put_u32(p, ldns_rr_ttl(rr));
		p = put_str(p, " IN ");
		p = put_str(p, type_name((uint16_t)ldns_rr_get_type(rr)));
		*p++ = ' ';
		p = put_rdata(p, rr, now);
	}
	if (p == NULL)
		return by_ldns(out, rr, rrsig_head);
	dsreg_buf_added(out, (size_t)(p - start));
	return 0;
}
