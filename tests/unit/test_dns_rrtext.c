/* tests/unit/test_dns_rrtext.c - dns/rrtext.c and ds_name_to_text: records and names as text, against published examples */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "dns/dns.h"
#include "ds/ds.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

/*
 * Published records and their presentation form on one line (single
 * spaces, hex in lower case as ldns prints it, ldns' key comment after a
 * DNSKEY); head: the RRSIG without its signature, else NULL.
 */
static const struct {
	const char *in, *text, *head;
} recs[] = {
	/* RFC 4034 §5.4: the DNSKEY's tag is the DS's 60485 */
	{ "dskey.example.com. 86400 IN DNSKEY 256 3 5 "
	  "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI"
	  "9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLU"
	  "Uh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==",
	  "dskey.example.com. 86400 IN DNSKEY 256 3 5 "
	  "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI"
	  "9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLU"
	  "Uh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw== "
	  ";{id = 60485 (zsk), size = 1024b}", NULL },
	{ "dskey.example.com. 86400 IN DS 60485 5 1 "
	  "2BB183AF5F22588179A53B0A98631FAD1A292118",
	  "dskey.example.com. 86400 IN DS 60485 5 1 "
	  "2bb183af5f22588179a53b0a98631fad1a292118", NULL },
	/* RFC 6605 §6.1 */
	{ "example.net. 3600 IN DNSKEY 257 3 13 "
	  "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7w"
	  "NcP+e+MAnLr+Wi9xMWyQLc8NAA==",
	  "example.net. 3600 IN DNSKEY 257 3 13 "
	  "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7w"
	  "NcP+e+MAnLr+Wi9xMWyQLc8NAA== ;{id = 55648 (ksk), size = 256b}",
	  NULL },
	{ "example.net. 3600 IN RRSIG A 13 2 3600 20100909100439 "
	  "20100812100439 55648 example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+"
	  "KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
	  "example.net. 3600 IN RRSIG A 13 2 3600 20100909100439 "
	  "20100812100439 55648 example.net. qx6wLYqmh+l9oCKTN6qIc+bw6ya+"
	  "KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
	  "A 13 2 3600 20100909100439 20100812100439 55648 example.net." },
	{ "www.example.net. 3600 IN A 192.0.2.1",
	  "www.example.net. 3600 IN A 192.0.2.1", NULL },
	{ "ns.example.net. 3600 IN AAAA 2001:DB8:0::53",
	  "ns.example.net. 3600 IN AAAA 2001:db8::53", NULL },
	{ "Mixed.Case.example. 60 IN NS NS1.Example.",
	  "Mixed.Case.example. 60 IN NS NS1.Example.", NULL },
	/* RFC 8078 §4: the delete signal */
	{ "example.net. 3600 IN CDS 0 0 0 00",
	  "example.net. 3600 IN CDS 0 0 0 00", NULL },
	{ "example.net. 3600 IN CDNSKEY 0 3 0 AA==",
	  "example.net. 3600 IN CDNSKEY 0 3 0 AA==", NULL },
	/* RFC 9615 signalling name */
	{ "_dsboot.example.net._signal.ns1.example.org. 300 IN CDS 2371 13 2 "
	  "1F987CC6583E92DF0890718C42",
	  "_dsboot.example.net._signal.ns1.example.org. 300 IN CDS 2371 13 2 "
	  "1f987cc6583e92df0890718c42", NULL },
	/* escapes, other types and classes, a wildcard */
	{ "a\\.b.example.net. 60 IN A 192.0.2.2",
	  "a\\.b.example.net. 60 IN A 192.0.2.2", NULL },
	{ "example.net. 60 IN MX 10 mail.example.net.",
	  "example.net. 60 IN MX 10 mail.example.net.", NULL },
	{ "example.net. 60 CH TXT \"hi there\"",
	  "example.net. 60 CH TXT \"hi there\"", NULL },
	{ "*.example.net. 60 IN TXT \"x\"", "*.example.net. 60 IN TXT \"x\"",
	  NULL },
};

START_TEST(published_records)
{
	struct dsreg_buf b;
	ldns_rr *rr;
	size_t i;

	for (i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
		ck_assert_msg(ldns_rr_new_frm_str(&rr, recs[i].in, 0, NULL,
		    NULL) == LDNS_STATUS_OK, "%s", recs[i].in);
		dsreg_buf_init(&b, 1 << 20);
		ck_assert_int_eq(dns_rr_format(&b, rr, 0), 0);
		ck_assert_str_eq(b.data, recs[i].text);
		if (recs[i].head != NULL) {
			dsreg_buf_reset(&b);
			ck_assert_int_eq(dns_rr_format(&b, rr, 1), 0);
			ck_assert_str_eq(b.data, recs[i].head);
		}
		dsreg_buf_free(&b);
		ldns_rr_free(rr);
	}
}
END_TEST

/* Names as text (ds_name_to_text, dns_rdf_text), RFC 4343 §2.1 escapes. */
START_TEST(names_as_text)
{
	static const struct {
		const char *wire;   /* as a C string with its final NUL */
		size_t len;
		const char *text;
	} names[] = {
		{ "", 1, "." },
		{ "\7example\3net", 13, "example.net." },
		{ "\7ExAmPlE\3NET", 13, "ExAmPlE.NET." },
		{ "\1*\7example", 11, "*.example." },
		{ "\3a.b\7example", 13, "a\\.b.example." },
		{ "\3a b\7example", 13, "a\\032b.example." },
		{ "\2\"\\\7example", 12, "\"\\\\.example." },   /* ldns leaves " bare */
		{ "\1\377\7example", 11, "\\255.example." },
		{ "\7_dsboot\4_tcp", 14, "_dsboot._tcp." },
	};
	static const uint8_t past_end[] = { 40, 'a', 'b', 'c', 0 };
	ldns_rdf *rdf;
	char *t;
	size_t i;

	/* malformed: a label running past the end is refused (ldns itself
	 * would read past the end) */
	ck_assert_ptr_null(ds_name_to_text(past_end, sizeof(past_end)));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		t = ds_name_to_text((const uint8_t *)names[i].wire,
		    names[i].len);
		ck_assert_ptr_nonnull(t);
		ck_assert_str_eq(t, names[i].text);
		free(t);
		rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, names[i].len,
		    names[i].wire);
		t = dns_rdf_text(rdf);
		ck_assert_ptr_nonnull(t);
		ck_assert_str_eq(t, names[i].text);
		free(t);
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
	tcase_add_test(tc, names_as_text);
	tcase_add_test(tc, respects_cap);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_rrtext_suite)
