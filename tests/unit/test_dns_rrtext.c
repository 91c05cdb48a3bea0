/* tests/unit/test_dns_rrtext.c - dns/rrtext.c and name text: the same as ldns, on published and random records */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "dns/dns.h"
#include "ds/ds.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

/* What ldns prints, fields separated by single spaces, no newline. */
static char *
ldns_text(const ldns_rr *rr, int head)
{
	ldns_buffer *b = ldns_buffer_new(512);
	char *s;
	size_t i, n;

	if (head)
		for (i = 0; i < 8 && i < ldns_rr_rd_count(rr); i++) {
			if (i > 0)
				ldns_buffer_printf(b, " ");
			ldns_rdf2buffer_str(b, ldns_rr_rdf(rr, i));
		}
	else
		ldns_rr2buffer_str(b, rr);
	ck_assert_int_eq(ldns_buffer_status(b), LDNS_STATUS_OK);
	s = ldns_buffer_export2str(b);
	ldns_buffer_free(b);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	for (i = 0; i < n; i++)
		if (s[i] == '\t')
			s[i] = ' ';
	return s;
}

static void
same_as_ldns(const ldns_rr *rr, int head)
{
	struct dsreg_buf b;
	char *want = ldns_text(rr, head);

	dsreg_buf_init(&b, 1 << 20);
	ck_assert_int_eq(dns_rr_format(&b, rr, head), 0);
	ck_assert_msg(strcmp(b.data, want) == 0, "\n mine: %s\n ldns: %s",
	    b.data, want);
	free(want);
	dsreg_buf_free(&b);
}

/* Published records, and what ldns prints for them. */
START_TEST(published_records)
{
	static const char *const recs[] = {
		/* RFC 4034 §5.4 */
		"dskey.example.com. 86400 IN DNSKEY 256 3 5 "
		"AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI"
		"9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLU"
		"Uh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==",
		"dskey.example.com. 86400 IN DS 60485 5 1 "
		"2BB183AF5F22588179A53B0A98631FAD1A292118",
		/* RFC 6605 §6.1 */
		"example.net. 3600 IN DNSKEY 257 3 13 "
		"GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7w"
		"NcP+e+MAnLr+Wi9xMWyQLc8NAA==",
		"example.net. 3600 IN RRSIG A 13 2 3600 20100909100439 "
		"20100812100439 55648 example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+"
		"KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
		"www.example.net. 3600 IN A 192.0.2.1",
		"ns.example.net. 3600 IN AAAA 2001:db8::53",
		"example.net. 3600 IN NS ns1.example.net.",
		"example.net. 3600 IN CDS 0 0 0 00",
		"example.net. 3600 IN CDNSKEY 0 3 0 AA==",
		"_dsboot.example.net._signal.ns1.example.org. 300 IN CDS 2371 13 2 "
		"1F987CC6583E92DF0890718C42",
		/* fall back to ldns: escapes, other types and classes */
		"a\\.b.example.net. 60 IN A 192.0.2.2",
		"example.net. 60 IN MX 10 mail.example.net.",
		"example.net. 60 CH TXT \"hi there\"",
		"*.example.net. 60 IN TXT \"x\"",
	};
	ldns_rr *rr;
	size_t i;

	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		ck_assert_msg(ldns_rr_new_frm_str(&rr, recs[i], 0, NULL, NULL) ==
		    LDNS_STATUS_OK, "%s", recs[i]);
		same_as_ldns(rr, 0);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG)
			same_as_ldns(rr, 1);
		ldns_rr_free(rr);
	}
	/* and the exact text for one of them, comment included */
	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, recs[2], 0, NULL, NULL),
	    LDNS_STATUS_OK);
	{
		struct dsreg_buf b;

		dsreg_buf_init(&b, 4096);
		ck_assert_int_eq(dns_rr_format(&b, rr, 0), 0);
		ck_assert_str_eq(b.data, "example.net. 3600 IN DNSKEY 257 3 13 "
		    "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7w"
		    "NcP+e+MAnLr+Wi9xMWyQLc8NAA== ;{id = 55648 (ksk), size = "
		    "256b}");
		dsreg_buf_free(&b);
	}
	ldns_rr_free(rr);
}
END_TEST

/* ---- random records from wire format, as an audit receives them ---- */

static uint32_t rnd_state = 12345;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* A random name: mostly plain labels, sometimes any octet at all. */
static size_t
put_name(uint8_t *w)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCXYZ0129-_*";
	size_t n = 0, labels = rnd() % 5, i, len;
	int wild = rnd() % 8 == 0;

	for (i = 0; i < labels && n < 200; i++) {
		len = 1 + rnd() % 12;
		w[n++] = (uint8_t)len;
		while (len-- > 0)
			w[n++] = wild ? (uint8_t)rnd() :
			    (uint8_t)plain[rnd() % (sizeof(plain) - 1)];
	}
	w[n++] = 0;
	return n;
}

static void
put16(uint8_t *w, uint32_t v)
{
	w[0] = (uint8_t)(v >> 8);
	w[1] = (uint8_t)v;
}

static void
put32(uint8_t *w, uint32_t v)
{
	put16(w, v >> 16);
	put16(w + 2, v);
}

static size_t
put_bytes(uint8_t *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		w[i] = (uint8_t)rnd();
	return n;
}

/* The RDATA of a random record of type t. */
static size_t
put_rdata(uint8_t *w, uint16_t t)
{
	static const uint8_t algs[] = { 1, 5, 8, 13, 14, 15, 16, 200 };
	static const uint16_t covered[] = { 1, 2, 28, 43, 48, 59, 60, 65280 };
	static const uint32_t flags[] = { 256, 257, 0, 385, 128, 1, 65535 };
	size_t n = 0;

	switch (t) {
	case LDNS_RR_TYPE_A:
		return put_bytes(w, 4);
	case LDNS_RR_TYPE_AAAA:
		if (rnd() % 2) {
			memset(w, 0, 16);
			w[15] = (uint8_t)rnd();
			return 16;
		}
		return put_bytes(w, 16);
	case LDNS_RR_TYPE_NS:
		return put_name(w);
	case LDNS_RR_TYPE_DS:
	case LDNS_RR_TYPE_CDS:
		put16(w, rnd());
		w[2] = algs[rnd() % 8];
		w[3] = (uint8_t)(rnd() % 6);
		return 4 + put_bytes(w + 4, rnd() % 3 == 0 ? rnd() % 70 :
		    32);
	case LDNS_RR_TYPE_DNSKEY:
	case LDNS_RR_TYPE_CDNSKEY:
		put16(w, flags[rnd() % 7]);
		w[2] = rnd() % 10 ? 3 : (uint8_t)rnd();
		w[3] = algs[rnd() % 8];
		n = rnd() % 4 == 0 ? rnd() % 600 : 64;
		if (w[3] == 8 && n > 3) {
			/* an RSA key: exponent length octet, then e and n */
			w[4] = (uint8_t)(1 + rnd() % 3);
			return 5 + put_bytes(w + 5, n);
		}
		return 4 + put_bytes(w + 4, n);
	case LDNS_RR_TYPE_RRSIG:
		put16(w, covered[rnd() % 8]);
		w[2] = algs[rnd() % 8];
		w[3] = (uint8_t)(rnd() % 6);
		put32(w + 4, rnd());
		/* around now, or anywhere in the 32-bit circle */
		put32(w + 8, rnd() % 2 ? (uint32_t)time(NULL) +
		    rnd() % 5000000 : rnd());
		put32(w + 12, rnd() % 2 ? (uint32_t)time(NULL) -
		    rnd() % 5000000 : rnd());
		put16(w + 16, rnd());
		n = 18 + put_name(w + 18);
		return n + put_bytes(w + n, rnd() % 4 ? 64 : rnd() % 300);
	default:
		return put_bytes(w, rnd() % 40);
	}
}

START_TEST(random_records_as_ldns)
{
	static const uint16_t types[] = { 1, 28, 2, 43, 59, 48, 60, 46, 15,
		16, 65280 };
	uint8_t w[4096];
	ldns_rr *rr;
	size_t n, pos, rdlen, i, parsed = 0;
	uint16_t t;

	for (i = 0; i < 20000; i++) {
		t = types[rnd() % (sizeof(types) / sizeof(types[0]))];
		n = put_name(w);
		put16(w + n, t);
		put16(w + n + 2, rnd() % 20 ? LDNS_RR_CLASS_IN : rnd() % 5);
		put32(w + n + 4, rnd() % 10 ? rnd() % 86400 : rnd());
		rdlen = put_rdata(w + n + 10, t);
		put16(w + n + 8, (uint32_t)rdlen);
		pos = 0;
		if (ldns_wire2rr(&rr, w, n + 10 + rdlen, &pos,
		    LDNS_SECTION_ANSWER) != LDNS_STATUS_OK)
			continue;
		parsed++;
		same_as_ldns(rr, 0);
		if (t == LDNS_RR_TYPE_RRSIG)
			same_as_ldns(rr, 1);
		ldns_rr_free(rr);
	}
	/* the generator must produce mostly valid records */
	ck_assert_uint_gt(parsed, 15000);
}
END_TEST

/* Names as text (ds_name_to_text, dns_rdf_text): the same as ldns. */
START_TEST(names_as_ldns)
{
	static const uint8_t past_end[] = { 40, 'a', 'b', 'c', 0 };
	uint8_t w[300];
	ldns_rdf *rdf;
	char *mine, *theirs, *viadns;
	size_t i, n;

	/* malformed: a label running past the end is refused (ldns itself
	 * would read past the end) */
	ck_assert_ptr_null(ds_name_to_text(past_end, sizeof(past_end)));
	for (i = 0; i < 20000; i++) {
		n = put_name(w);
		rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, n, w);
		theirs = ldns_rdf2str(rdf);
		mine = ds_name_to_text(w, n);
		viadns = dns_rdf_text(rdf);
		ck_assert_ptr_nonnull(theirs);
		ck_assert_ptr_nonnull(mine);
		ck_assert_str_eq(mine, theirs);
		ck_assert_str_eq(viadns, theirs);
		free(mine);
		free(theirs);
		free(viadns);
		ldns_rdf_deep_free(rdf);
	}
}
END_TEST

/* A cap on the output buffer is honoured, not overrun. */
START_TEST(respects_cap)
{
	ldns_rr *rr;
	struct dsreg_buf b;

	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, "example.net. 3600 IN DS "
	    "1 13 2 0000000000000000000000000000000000000000000000000000000000000000",
	    0, NULL, NULL), LDNS_STATUS_OK);
	dsreg_buf_init(&b, 40);
	ck_assert_int_eq(dns_rr_format(&b, rr, 0), DSREG_ETOOBIG);
	ck_assert_uint_eq(b.len, 0);
	dsreg_buf_free(&b);
	ldns_rr_free(rr);
}
END_TEST

static Suite *
dns_rrtext_suite(void)
{
	Suite *s = suite_create("dns_rrtext");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, published_records);
	tcase_add_test(tc, random_records_as_ldns);
	tcase_add_test(tc, names_as_ldns);
	tcase_add_test(tc, respects_cap);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_rrtext_suite)
