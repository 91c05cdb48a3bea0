/* dns/update.c - the dnsupdate registrar: DS at a parent's primary by RFC 2136 UPDATE signed with TSIG (RFC 8945) */
#include "dns/update.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/account.h"
#include "common/error.h"
#include "common/log.h"
#include "common/secret.h"
#include "dns/dns.h"
#include "ds/ds.h"

#define TSIG_FUDGE 300
#define DS_TTL_DEFAULT 3600   /* DS added where the parent has none yet */

/* ---- the key file ---------------------------------------------------- */

struct lexer {
	const char *p, *end;
	const char *path;
	unsigned line;
};

enum tok { T_EOF, T_WORD, T_STRING, T_LBRACE, T_RBRACE, T_SEMI, T_BAD };

/* The next token: [*s, *s + *n) (a string without its quotes). */
static enum tok
lex(struct lexer *lx, const char **s, size_t *n)
{
	const char *p;

	for (;;) {
		while (lx->p < lx->end && isspace((unsigned char)*lx->p)) {
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		}
		if (lx->p >= lx->end)
			return T_EOF;
		if (*lx->p == '#' || (*lx->p == '/' && lx->p + 1 < lx->end &&
		    lx->p[1] == '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		if (*lx->p == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
			for (lx->p += 2; lx->p + 1 < lx->end &&
			    !(lx->p[0] == '*' && lx->p[1] == '/'); lx->p++)
				if (*lx->p == '\n')
					lx->line++;
			if (lx->p + 1 >= lx->end)
				return T_BAD;
			lx->p += 2;
			continue;
		}
		break;
	}
	p = lx->p;
	switch (*p) {
	case '{': lx->p++; return T_LBRACE;
	case '}': lx->p++; return T_RBRACE;
	case ';': lx->p++; return T_SEMI;
	case '"':
		for (lx->p++; lx->p < lx->end && *lx->p != '"' &&
		    *lx->p != '\n'; lx->p++)
			;
		if (lx->p >= lx->end || *lx->p != '"')
			return T_BAD;
		*s = p + 1;
		*n = (size_t)(lx->p - p - 1);
		lx->p++;
		return T_STRING;
	}
	while (lx->p < lx->end && !isspace((unsigned char)*lx->p) &&
	    strchr("{};\"", *lx->p) == NULL)
		lx->p++;
	*s = p;
	*n = (size_t)(lx->p - p);
	return T_WORD;
}

static int
word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/* A syntax error: never quotes the text (it may be the secret). */
static int
key_fail(const struct lexer *lx, struct dsreg_err *err, const char *what)
{
	return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: %s (expected: key "
	    "\"NAME\" { algorithm hmac-sha256; secret \"BASE64\"; };)",
	    lx->path, lx->line, what);
}

static const struct {
	const char *conf, *ldns;
	int ok;
} algorithms[] = {
	{ "hmac-sha224", "hmac-sha224.", 1 },
	{ "hmac-sha256", "hmac-sha256.", 1 },
	{ "hmac-sha384", "hmac-sha384.", 1 },
	{ "hmac-sha512", "hmac-sha512.", 1 },
	{ "hmac-md5", NULL, 0 },
	{ "hmac-md5.sig-alg.reg.int", NULL, 0 },
	{ "hmac-sha1", NULL, 0 },
};

static int
set_algorithm(const struct lexer *lx, const char *s, size_t n,
    struct dns_tsig_key *k, struct dsreg_err *err)
{
	size_t i;

	for (i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++) {
		if (!word_is(s, n, algorithms[i].conf))
			continue;
		if (!algorithms[i].ok)
			return dsreg_err_set(err, DSREG_EUNSUPPORTED, "%s:%u: "
			    "algorithm %s: refused (RFC 8945 §6: MD5 must not "
			    "be used, SHA-1 is not recommended); use "
			    "hmac-sha256", lx->path, lx->line,
			    algorithms[i].conf);
		free(k->algorithm);
		if ((k->algorithm = strdup(algorithms[i].ldns)) == NULL)
			return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		return 0;
	}
	if (n > 40)
		return dsreg_err_set(err, DSREG_EUNSUPPORTED, "%s:%u: unknown "
		    "TSIG algorithm; expected hmac-sha256, hmac-sha384, "
		    "hmac-sha512 or hmac-sha224", lx->path, lx->line);
	return dsreg_err_set(err, DSREG_EUNSUPPORTED, "%s:%u: unknown TSIG "
	    "algorithm '%.*s'; expected hmac-sha256, hmac-sha384, "
	    "hmac-sha512 or hmac-sha224", lx->path, lx->line, (int)n, s);
}

/* The secret: base64 that decodes to at least one octet. */
static int
set_secret(const struct lexer *lx, const char *s, size_t n,
    struct dns_tsig_key *k, struct dsreg_err *err)
{
	size_t i, pad = 0, bits = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0 || !(isalnum((unsigned char)s[i]) || s[i] == '+' ||
		    s[i] == '/'))
			return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: secret "
			    "is not base64 (RFC 4648 §4)", lx->path, lx->line);
		bits += 6;
	}
	if (n == 0 || bits < 8 || n % 4 != 0 || pad > 2)
		return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: secret is not "
		    "base64 of a key (RFC 4648 §4: groups of four characters)",
		    lx->path, lx->line);
	dsreg_secret_free(k->secret);
	k->secret = NULL;
	if (dsreg_secret_dup(s, n, &k->secret) != 0)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	return 0;
}

void
dns_update_key_free(struct dns_tsig_key *key)
{
	if (key == NULL)
		return;
	free(key->name);
	free(key->algorithm);
	dsreg_secret_free(key->secret);
	memset(key, 0, sizeof(*key));
}

int
dns_update_key_parse(const char *text, size_t len, const char *path,
    struct dns_tsig_key *key, struct dsreg_err *err)
{
	struct dns_tsig_key k = { NULL, NULL, NULL };
	struct lexer lx = { text, text + len, path, 1 };
	unsigned key_line = 0;
	const char *s = NULL;
	size_t n = 0;
	enum tok t;
	char *name = NULL;
	int rc = 0;

	if (memchr(text, '\0', len) != NULL)
		return dsreg_err_set(err, DSREG_EPARSE, "%s: NUL byte: a key "
		    "file is text", path);
	while ((t = lex(&lx, &s, &n)) != T_EOF) {
		if (t != T_WORD || !word_is(s, n, "key")) {
			rc = key_fail(&lx, err, "not a key statement");
			goto out;
		}
		if (key_line != 0) {
			rc = dsreg_err_set(err, DSREG_EPARSE, "%s:%u: a second "
			    "key statement (the first at line %u): one key per "
			    "file", path, lx.line, key_line);
			goto out;
		}
		key_line = lx.line;
		t = lex(&lx, &s, &n);
		if ((t != T_WORD && t != T_STRING) || n == 0 || n > 253) {
			rc = key_fail(&lx, err, "key: expected its name");
			goto out;
		}
		if ((name = strndup(s, n)) == NULL ||
		    (k.name = dns_name_norm(name)) == NULL) {
			rc = dsreg_err_set(err, name == NULL ? DSREG_ENOMEM :
			    DSREG_EPARSE, "%s:%u: key name is not a domain "
			    "name (RFC 8945 §4.2)", path, lx.line);
			goto out;
		}
		if (lex(&lx, &s, &n) != T_LBRACE) {
			rc = key_fail(&lx, err, "expected '{' after the key "
			    "name");
			goto out;
		}
		while ((t = lex(&lx, &s, &n)) == T_WORD) {
			int is_alg = word_is(s, n, "algorithm");

			if (!is_alg && !word_is(s, n, "secret")) {
				rc = key_fail(&lx, err, "unknown clause in the "
				    "key statement (only algorithm and secret)");
				goto out;
			}
			t = lex(&lx, &s, &n);
			if (is_alg && (t == T_WORD || t == T_STRING))
				rc = set_algorithm(&lx, s, n, &k, err);
			else if (!is_alg && t == T_STRING)
				rc = set_secret(&lx, s, n, &k, err);
			else
				rc = key_fail(&lx, err, is_alg ? "algorithm: "
				    "expected its name" : "secret: expected a "
				    "quoted base64 string");
			if (rc != 0)
				goto out;
			if (lex(&lx, &s, &n) != T_SEMI) {
				rc = key_fail(&lx, err, "expected ';'");
				goto out;
			}
		}
		if (t != T_RBRACE || lex(&lx, &s, &n) != T_SEMI) {
			rc = key_fail(&lx, err, "expected '};' closing the key "
			    "statement");
			goto out;
		}
	}
	if (key_line == 0) {
		rc = dsreg_err_set(err, DSREG_EPARSE, "%s:%u: no key statement",
		    path, lx.line);
		goto out;
	}
	if (k.algorithm == NULL || k.secret == NULL) {
		rc = dsreg_err_set(err, DSREG_EPARSE, "%s:%u: key %s has no %s",
		    path, key_line, k.name, k.algorithm == NULL ?
		    "algorithm" : "secret");
		goto out;
	}
	*key = k;
	memset(&k, 0, sizeof(k));
out:
	free(name);
	dns_update_key_free(&k);
	return rc;
}

int
dns_update_key_read(const char *path, struct dns_tsig_key *key,
    struct dsreg_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = dsreg_secret_read(path, &text, &len, err)) != 0)
		return rc;
	rc = dns_update_key_parse(text, len, path, key, err);
	dsreg_secret_free(text);
	return rc;
}

/* ---- names of codes -------------------------------------------------- */

const char *
dns_update_rcode_name(unsigned rcode)
{
	static const char *const names[] = { "NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
	    "NOTAUTH", "NOTZONE" };
	static __thread char buf[16];

	if (rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	snprintf(buf, sizeof(buf), "RCODE %u", rcode);
	return buf;
}

const char *
dns_update_tsig_error_name(unsigned e)
{
	static __thread char buf[24];

	switch (e) {
	case 0: return "NOERROR";
	case 16: return "BADSIG";
	case 17: return "BADKEY";
	case 18: return "BADTIME";
	case 19: return "BADMODE";
	case 20: return "BADNAME";
	case 21: return "BADALG";
	case 22: return "BADTRUNC";
	}
	snprintf(buf, sizeof(buf), "TSIG error %u", e);
	return buf;
}

/* ---- the UPDATE message ---------------------------------------------- */

/* An RR with no RDATA: owner, class ANY or NONE, TTL 0 (RFC 2136 §2.4). */
static ldns_rr *
empty_rr(const ldns_rdf *owner, ldns_rr_type type, ldns_rr_class cls)
{
	ldns_rr *rr = ldns_rr_new();
	ldns_rdf *o = ldns_rdf_clone(owner);

	if (rr == NULL || o == NULL) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(o);
		return NULL;
	}
	ldns_rr_set_owner(rr, o);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, cls);
	ldns_rr_set_ttl(rr, 0);
	ldns_rr_set_question(rr, false);
	return rr;
}

/* A DS of set as an RR of child (class IN with ttl, or NONE: delete). */
static int
push_ds(ldns_rr_list *list, const char *child, const struct ds_rec *ds,
    uint32_t ttl, ldns_rr_class cls)
{
	char *rd = ds_rec_rdata_text(ds), *text = NULL;
	ldns_rr *rr = NULL;
	int rc = DSREG_ENOMEM;

	if (rd == NULL || asprintf(&text, "%s %u IN DS %s", child, ttl,
	    rd) < 0) {
		text = NULL;
		goto out;
	}
	if (ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL) != LDNS_STATUS_OK) {
		rc = DSREG_EPARSE;
		goto out;
	}
	if (cls == LDNS_RR_CLASS_NONE) {
		ldns_rr_set_class(rr, LDNS_RR_CLASS_NONE);
		ldns_rr_set_ttl(rr, 0);
	}
	if (!ldns_rr_list_push_rr(list, rr))
		goto out;
	rr = NULL;
	rc = 0;
out:
	ldns_rr_free(rr);
	free(text);
	free(rd);
	return rc;
}

int
dns_update_build(const struct dns_update_change *ch, ldns_pkt **out,
    struct dsreg_err *err)
{
	ldns_rdf *zone = NULL, *child = NULL;
	ldns_rr_list *pr = NULL, *up = NULL;
	ldns_pkt *pkt = NULL;
	ldns_rr *rr;
	size_t i;
	int rc = DSREG_ENOMEM;

	if (ldns_str2rdf_dname(&zone, ch->zone) != LDNS_STATUS_OK ||
	    ldns_str2rdf_dname(&child, ch->child) != LDNS_STATUS_OK ||
	    !ldns_dname_is_subdomain(child, zone)) {
		rc = dsreg_err_set(err, DSREG_EPARSE, "UPDATE: %s is not below "
		    "zone %s", ch->child, ch->zone);
		goto out;
	}
	if ((pr = ldns_rr_list_new()) == NULL ||
	    (up = ldns_rr_list_new()) == NULL)
		goto nomem;
	/* RFC 2136 §2.4.1: the NS RRset of the child exists (a delegation) */
	if ((rr = empty_rr(child, LDNS_RR_TYPE_NS, LDNS_RR_CLASS_ANY)) ==
	    NULL || !ldns_rr_list_push_rr(pr, rr)) {
		ldns_rr_free(rr);
		goto nomem;
	}
	if (ch->rem_all) {
		/* §2.5.2: delete the DS RRset, then add the final set */
		if ((rr = empty_rr(child, LDNS_RR_TYPE_DS,
		    LDNS_RR_CLASS_ANY)) == NULL ||
		    !ldns_rr_list_push_rr(up, rr)) {
			ldns_rr_free(rr);
			goto nomem;
		}
		for (i = 0; ch->final != NULL && i < ch->final->n; i++)
			if ((rc = push_ds(up, ch->child, ch->final->v[i],
			    ch->ttl, LDNS_RR_CLASS_IN)) != 0)
				goto fail;
	} else {
		/* add before remove (§2.5.1, §2.5.4) */
		for (i = 0; ch->add != NULL && i < ch->add->n; i++)
			if ((rc = push_ds(up, ch->child, ch->add->v[i], ch->ttl,
			    LDNS_RR_CLASS_IN)) != 0)
				goto fail;
		for (i = 0; ch->rem != NULL && i < ch->rem->n; i++)
			if ((rc = push_ds(up, ch->child, ch->rem->v[i], 0,
			    LDNS_RR_CLASS_NONE)) != 0)
				goto fail;
	}
	if ((pkt = ldns_update_pkt_new(zone, LDNS_RR_CLASS_IN, pr, up,
	    NULL)) == NULL)
		goto nomem;
	zone = NULL;             /* the packet owns it */
	ldns_pkt_set_random_id(pkt);
	*out = pkt;
	rc = 0;
	goto out;
fail:
	rc = dsreg_err_set(err, rc, "UPDATE: a DS of %s could not be "
	    "written", ch->child);
	goto out;
nomem:
	rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
out:
	ldns_rr_list_deep_free(pr);
	ldns_rr_list_deep_free(up);
	ldns_rdf_deep_free(zone);
	ldns_rdf_deep_free(child);
	return rc;
}

/* ---- talking to the primary ------------------------------------------ */

struct upd_registrar {
	char *account;
	char *zone;
	struct dns_addr server;
	struct dns_tsig_key key;
	int timeout;             /* seconds */
	struct dsreg_log log;
};

static struct upd_registrar *
me(struct registrar *reg)
{
	return (struct upd_registrar *)(void *)reg;
}

static struct timeval
tv(const struct upd_registrar *r)
{
	struct timeval t = { r->timeout, 0 };

	return t;
}

/* Ask the primary for child's DS: *ds gets them, *ttl their TTL. */
static int
read_ds(struct upd_registrar *r, const char *child, struct ds_set *ds,
    uint32_t *ttl, struct dsreg_err *err)
{
	ldns_pkt *q = NULL, *a = NULL;
	ldns_buffer *qb = NULL;
	ldns_rr_list *rrs;
	ldns_rr *rr;
	ldns_rdf *owner = NULL;
	struct ds_rec *rec;
	uint8_t *wire = NULL;
	size_t size = 0, i;
	char *dig = NULL, text[600];
	ldns_status s;
	int rc = 0;

	if (ldns_str2rdf_dname(&owner, child) != LDNS_STATUS_OK)
		return dsreg_err_set(err, DSREG_EPARSE, "%s: not a domain "
		    "name", child);
	if ((q = ldns_pkt_query_new(ldns_rdf_clone(owner), LDNS_RR_TYPE_DS,
	    LDNS_RR_CLASS_IN, 0)) == NULL ||
	    (qb = ldns_buffer_new(512)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	ldns_pkt_set_random_id(q);
	if (ldns_pkt2buffer_wire(qb, q) != LDNS_STATUS_OK) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	s = ldns_udp_send(&wire, qb, &r->server.ss, r->server.len, tv(r),
	    &size);
	if (s == LDNS_STATUS_OK && size > 2 && (wire[2] & 0x02)) {
		free(wire);          /* truncated: again over TCP */
		wire = NULL;
		s = ldns_tcp_send(&wire, qb, &r->server.ss, r->server.len,
		    tv(r), &size);
	}
	if (s != LDNS_STATUS_OK || wire == NULL) {
		rc = dsreg_err_set(err, DSREG_ETIMEOUT, "primary %s: no answer "
		    "to DS %s: %s", r->server.text, child,
		    ldns_get_errorstr_by_id(s));
		goto out;
	}
	if (ldns_wire2pkt(&a, wire, size) != LDNS_STATUS_OK ||
	    ldns_pkt_id(a) != ldns_pkt_id(q) || !ldns_pkt_qr(a)) {
		rc = dsreg_err_set(err, DSREG_EPROTO, "primary %s: malformed "
		    "answer to DS %s", r->server.text, child);
		goto out;
	}
	if (ldns_pkt_get_rcode(a) != LDNS_RCODE_NOERROR ||
	    !ldns_pkt_aa(a)) {
		rc = dsreg_err_set(err, DSREG_EREMOTE, "primary %s: DS %s: %s%s",
		    r->server.text, child,
		    dns_update_rcode_name(ldns_pkt_get_rcode(a)),
		    ldns_pkt_aa(a) ? "" : ", not authoritative (is it the "
		    "primary of the zone?)");
		goto out;
	}
	rrs = ldns_pkt_answer(a);
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		rr = ldns_rr_list_rr(rrs, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DS ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0 ||
		    ldns_rr_rd_count(rr) != 4)
			continue;
		*ttl = ldns_rr_ttl(rr);
		if ((dig = ldns_rdf2str(ldns_rr_rdf(rr, 3))) == NULL) {
			rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
			goto out;
		}
		snprintf(text, sizeof(text), "%u %u %u %s",
		    ldns_rdf2native_int16(ldns_rr_rdf(rr, 0)),
		    ldns_rdf2native_int8(ldns_rr_rdf(rr, 1)),
		    ldns_rdf2native_int8(ldns_rr_rdf(rr, 2)), dig);
		free(dig);
		dig = NULL;
		if (ds_rec_parse_rdata(&rec, text, NULL) != 0)
			continue;    /* not a DS dsreg can read: not ours */
		if (ds_set_add(ds, rec) != 0) {
			ds_rec_free(rec);
			rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	ldns_rdf_deep_free(owner);
	ldns_buffer_free(qb);
	ldns_pkt_free(q);
	ldns_pkt_free(a);
	free(wire);
	return rc;
}

static int
upd_open(struct registrar **out, const struct account *a,
    const struct dsreg_log *log, struct dsreg_err *err)
{
	struct upd_registrar *r;
	int rc;

	if (a->type != ACCOUNT_DNSUPDATE || a->zone == NULL ||
	    a->server == NULL || a->tsig_key_file == NULL)
		return dsreg_err_set(err, DSREG_EINVAL, "account %s: not a "
		    "dnsupdate account with zone, server and tsig_key_file",
		    a->name);
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	if ((r->account = strdup(a->name)) == NULL ||
	    (r->zone = dns_name_norm(a->zone)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = dns_addr_parse(a->server, &r->server, err)) != 0 ||
	    (rc = dns_update_key_read(a->tsig_key_file, &r->key, err)) != 0) {
		dsreg_err_prefix(err, "account %s", a->name);
		goto fail;
	}
	r->timeout = a->timeout > 0 ? a->timeout : 10;
	if (log != NULL)
		r->log = *log;
	*out = (struct registrar *)(void *)r;
	return 0;
fail:
	dns_update_key_free(&r->key);
	free(r->zone);
	free(r->account);
	free(r);
	return rc;
}

static void
upd_close(struct registrar *reg)
{
	struct upd_registrar *r = me(reg);

	if (r == NULL)
		return;
	dns_update_key_free(&r->key);
	free(r->zone);
	free(r->account);
	free(r);
}

static int
upd_read(struct registrar *reg, const char *domain, struct ds_set *ds,
    struct ds_keyset *keys, struct dsreg_err *err)
{
	uint32_t ttl = 0;

	(void)keys;
	return read_ds(me(reg), domain, ds, &ttl, err);
}

static int
upd_holds(struct registrar *reg, const struct registrar_change *c,
    int *holds, struct dsreg_err *err)
{
	struct ds_set now = { NULL, 0, 0 };
	uint32_t ttl = 0;
	int rc;

	if ((rc = read_ds(me(reg), c->domain, &now, &ttl, err)) == 0)
		*holds = ds_set_equal(&now, c->final);
	ds_set_free(&now);
	return rc;
}

/* The TSIG RR's error field (RFC 8945 §4.2), or 0. */
static unsigned
tsig_error(const ldns_pkt *p)
{
	const ldns_rr *t = ldns_pkt_tsig(p);

	if (t == NULL || ldns_rr_rd_count(t) < 6 ||
	    ldns_rdf_size(ldns_rr_rdf(t, 5)) != 2)
		return 0;
	return ldns_rdf2native_int16(ldns_rr_rdf(t, 5));
}

/*
 * Send the signed UPDATE over TCP through the hook and read the answer.
 * Fills rep; 0 only for NOERROR with a valid TSIG.
 */
static int
send_update(struct upd_registrar *r, const struct registrar_change *c,
    ldns_pkt *upd, const struct registrar_hook *h,
    struct registrar_report *rep, struct dsreg_err *err)
{
	ldns_buffer *qb = NULL;
	ldns_pkt *ans = NULL;
	uint8_t *wire = NULL;
	size_t size = 0;
	unsigned rcode, terr;
	int fd = -1, rc;
	char note[200];

	if (ldns_pkt_tsig_sign(upd, r->key.name, r->key.secret, TSIG_FUDGE,
	    r->key.algorithm, NULL) != LDNS_STATUS_OK)
		return dsreg_err_set(err, DSREG_EUNSUPPORTED, "account %s: the "
		    "UPDATE could not be signed with key %s (%s)", r->account,
		    r->key.name, r->key.algorithm);
	if ((qb = ldns_buffer_new(4096)) == NULL ||
	    ldns_pkt2buffer_wire(qb, upd) != LDNS_STATUS_OK) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if ((fd = ldns_tcp_connect(&r->server.ss, r->server.len, tv(r))) < 0) {
		rc = dsreg_err_set(err, DSREG_ENET, "primary %s: cannot "
		    "connect over TCP: nothing sent", r->server.text);
		goto out;
	}
	if (h != NULL && h->before != NULL &&
	    h->before(h->ctx, c->domain, REGISTRAR_STEP_UPDATE) != 0) {
		rc = dsreg_err_set(err, DSREG_ESTATE, "UPDATE not sent");
		goto out;
	}
	rep->outcome = REGISTRAR_UNKNOWN;
	if (ldns_tcp_send_query(qb, fd, &r->server.ss, r->server.len) == 0 ||
	    (wire = ldns_tcp_read_wire_timeout(fd, &size, tv(r))) == NULL) {
		rc = dsreg_err_set(err, DSREG_ETIMEOUT, "primary %s: no answer "
		    "to the UPDATE of %s in %d s (it may have been applied)",
		    r->server.text, c->domain, r->timeout);
		goto after;
	}
	if (ldns_wire2pkt(&ans, wire, size) != LDNS_STATUS_OK ||
	    ldns_pkt_id(ans) != ldns_pkt_id(upd) || !ldns_pkt_qr(ans) ||
	    ldns_pkt_get_opcode(ans) != LDNS_PACKET_UPDATE) {
		rc = dsreg_err_set(err, DSREG_EPROTO, "primary %s: malformed "
		    "answer to the UPDATE of %s (it may have been applied)",
		    r->server.text, c->domain);
		goto after;
	}
	rcode = ldns_pkt_get_rcode(ans);
	terr = tsig_error(ans);
	if (terr != 0 || rcode == LDNS_RCODE_NOTAUTH) {
		/* RFC 8945 §5.3.2: BADSIG/BADKEY answers are not signed */
		rep->outcome = REGISTRAR_REFUSED;
		rc = dsreg_err_set(err, DSREG_EAUTH, "primary %s refused the "
		    "UPDATE of %s: %s, TSIG error %s (key %s)", r->server.text,
		    c->domain, dns_update_rcode_name(rcode),
		    dns_update_tsig_error_name(terr), r->key.name);
		goto after;
	}
	if (ldns_pkt_tsig(ans) == NULL || !ldns_pkt_tsig_verify(ans, wire,
	    size, r->key.name, r->key.secret,
	    ldns_rr_rdf(ldns_pkt_tsig(upd), 3))) {
		rc = dsreg_err_set(err, DSREG_EPROTO, "primary %s: the answer "
		    "(%s) to the UPDATE of %s is %s (RFC 8945 §5.3): not "
		    "trusted, it may have been applied", r->server.text,
		    dns_update_rcode_name(rcode), c->domain,
		    ldns_pkt_tsig(ans) == NULL ? "not signed" :
		    "signed with a TSIG that does not verify");
		goto after;
	}
	if (rcode == LDNS_RCODE_NOERROR) {
		rep->outcome = REGISTRAR_APPLIED;
		rc = 0;
		snprintf(rep->note, sizeof(rep->note), "UPDATE of %s at %s: "
		    "NOERROR", r->zone, r->server.text);
		goto after;
	}
	/* RFC 2136 §2.2: the update is all or nothing; SERVFAIL is the
	 * server's fault and left unknown (recovery reads it back) */
	rep->outcome = rcode == LDNS_RCODE_SERVFAIL ? REGISTRAR_UNKNOWN :
	    REGISTRAR_REFUSED;
	rc = dsreg_err_set(err, rcode == LDNS_RCODE_SERVFAIL ? DSREG_EPROTO :
	    DSREG_EREMOTE, "primary %s %s the UPDATE of %s: %s%s",
	    r->server.text, rcode == LDNS_RCODE_SERVFAIL ? "failed" :
	    "refused", c->domain, dns_update_rcode_name(rcode),
	    rcode == LDNS_RCODE_NXRRSET ? " (prerequisite: the delegation's "
	    "NS RRset is not in the zone)" : "");
after:
	snprintf(note, sizeof(note), "%s", rc == 0 ? rep->note :
	    dsreg_err_text(err));
	dsreg_secret_scrub_str(note, sizeof(note));
	if (h != NULL && h->after != NULL)
		h->after(h->ctx, c->domain, REGISTRAR_STEP_UPDATE,
		    rc == 0 ? 0 : err != NULL ? err->code : rc, note);
out:
	if (fd >= 0)
		close(fd);
	ldns_pkt_free(ans);
	ldns_buffer_free(qb);
	free(wire);
	return rc;
}

static int
upd_apply(struct registrar *reg, const struct registrar_change *c,
    const struct registrar_hook *h, struct registrar_report *rep,
    struct dsreg_err *err)
{
	struct upd_registrar *r = me(reg);
	struct dns_update_change ch;
	struct ds_set now = { NULL, 0, 0 };
	ldns_pkt *upd = NULL;
	uint32_t ttl = 0;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rep->outcome = REGISTRAR_NOT_SENT;
	if (c->parent != NULL && strcasecmp(c->parent, r->zone) != 0) {
		rc = dsreg_err_set(err, DSREG_EINVAL, "account %s: the parent "
		    "of %s is %s, not the account's zone %s: nothing sent",
		    r->account, c->domain, c->parent, r->zone);
		goto out;
	}
	/* what the primary holds now (its secondaries may lag) */
	if ((rc = read_ds(r, c->domain, &now, &ttl, err)) != 0)
		goto out;
	if (ds_set_equal(&now, c->final)) {
		rep->outcome = REGISTRAR_ALREADY;
		snprintf(rep->note, sizeof(rep->note), "the primary %s already "
		    "holds this DS set", r->server.text);
		goto out;
	}
	memset(&ch, 0, sizeof(ch));
	ch.zone = r->zone;
	ch.child = c->domain;
	ch.ttl = now.n > 0 && ttl > 0 ? ttl : DS_TTL_DEFAULT;
	ch.add = c->add;
	ch.rem = c->rem;
	ch.rem_all = c->rem_all;
	ch.final = c->final;
	if ((rc = dns_update_build(&ch, &upd, err)) != 0)
		goto out;
	rc = send_update(r, c, upd, h, rep, err);
	if (rc == 0)
		dsreg_log(&r->log, DSREG_LOG_INFO, "%s: %s", c->domain,
		    rep->note);
out:
	if (rc != 0 && rep->note[0] == '\0')
		snprintf(rep->note, sizeof(rep->note), "%s",
		    dsreg_err_text(err));
	ldns_pkt_free(upd);
	ds_set_free(&now);
	return rc;
}

const struct registrar_ops dns_update_registrar_ops = {
	.type = "dnsupdate",
	.has_locks = 0,
	.has_list = 0,
	.open = upd_open,
	.close = upd_close,
	.read = upd_read,
	.holds = upd_holds,
	.apply = upd_apply,
};
