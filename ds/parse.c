/* ds/parse.c - presentation-format records: zone-file syntax with exact file:line errors
 *
 * Physical lines are checked first (UTF-8, length, NUL).  Logical records
 * are assembled here (comments, quotes, parentheses) so that every error
 * names the line the record starts on and $INCLUDE can be followed (when
 * the caller allows it); each record is then parsed by ldns.  Messages
 * about a file the user did not name (DS_PARSE_PRIVATE, and every file
 * read through $INCLUDE) never quote its content.
 */
#include "ds/ds.h"
#include "common/buf.h"
#include "common/error.h"

#include <ldns/ldns.h>
#include <ctype.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES   10000          /* one physical line */
#define RECORD_MAX_BYTES LDNS_MAX_LINELEN /* one logical record */
#define FILE_MAX_BYTES   (256u << 20)   /* one file */
#define INCLUDE_DEPTH    8

struct parser {
	const char *name;      /* current file, for messages */
	const char *dir;       /* directory for relative $INCLUDE, or NULL */
	ldns_rdf *origin;      /* current $ORIGIN (owned), may be NULL */
	ldns_rdf *apex;        /* apex for apex_only (owned), may be NULL */
	ldns_rdf *prev;        /* previous owner (owned), may be NULL */
	uint32_t ttl;          /* current $TTL */
	int ttl_set;
	int ttl_known;         /* some record had an explicit TTL */
	int warned_1035;
	int warned_expired;
	int flags;             /* DS_PARSE_* */
	int depth;
	struct ds_parse_result *res;
	struct dsreg_err *err;
};

static int parse_text(struct parser *p, const char *data, size_t len);

/* Three printf arguments for "%s%s%s": " 'text'" or nothing when the
 * file's content must not be quoted. */
#define SHOWN(p, text) \
	((p)->flags & DS_PARSE_PRIVATE ? "" : " '"), \
	((p)->flags & DS_PARSE_PRIVATE ? "" : (text)), \
	((p)->flags & DS_PARSE_PRIVATE ? "" : "'")

/* Keep a warning "name:line: ..." in the result. */
static int
warn(struct parser *p, unsigned line, const char *fmt, ...)
{
	char *msg = NULL, *full = NULL, **nv;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return dsreg_err_set(p->err, DSREG_ENOMEM, "out of memory");
	rc = asprintf(&full, "%s:%u: %s", p->name, line, msg);
	free(msg);
	if (rc < 0 || (nv = realloc(p->res->warnings,
	    (p->res->nwarnings + 1) * sizeof(*nv))) == NULL) {
		free(rc < 0 ? NULL : full);
		return dsreg_err_set(p->err, DSREG_ENOMEM, "out of memory");
	}
	p->res->warnings = nv;
	nv[p->res->nwarnings++] = full;
	return 0;
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* Check every physical line: UTF-8, no NUL, bounded length. */
static int
check_lines(struct parser *p, const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0, col = 0, n;
	unsigned line = 1;

	while (i < len) {
		if (s[i] == '\n') {
			line++;
			col = 0;
			i++;
			continue;
		}
		if (s[i] == '\0')
			return dsreg_err_set(p->err, DSREG_EPARSE,
			    "%s:%u: NUL byte at column %zu", p->name, line,
			    col + 1);
		if ((n = utf8_seq(s + i, len - i)) == 0)
			return dsreg_err_set(p->err, DSREG_EPARSE,
			    "%s:%u: byte 0x%02X at column %zu is not valid "
			    "UTF-8", p->name, line, s[i], col + 1);
		i += n;
		col += n;
		if (col > LINE_MAX_BYTES) {
			while (i < len && s[i] != '\n')
				i++;
			return dsreg_err_set(p->err, DSREG_ETOOBIG,
			    "%s:%u: line is longer than %d bytes", p->name,
			    line, LINE_MAX_BYTES);
		}
	}
	return 0;
}

static int
set_rdf(ldns_rdf **dst, ldns_rdf *src)
{
	ldns_rdf_deep_free(*dst);
	*dst = src;
	return 0;
}

static int
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static int
do_include(struct parser *p, unsigned line, char *args)
{
	struct dsreg_buf buf;
	struct parser sub;
	char *file, *org, *path = NULL, *dcopy = NULL, *save = NULL;
	ldns_rdf *neworigin = NULL;
	int rc;

	if (!(p->flags & DS_PARSE_INCLUDE))
		return dsreg_err_set(p->err, DSREG_EUNSUPPORTED,
		    "%s:%u: $INCLUDE is not followed: key files may not "
		    "include other files, and a zone file only with "
		    "--allow-include", p->name, line);
	file = strtok_r(args, " \t", &save);
	org = strtok_r(NULL, " \t", &save);
	if (file == NULL)
		return dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: $INCLUDE needs a file name", p->name, line);
	if (p->depth >= INCLUDE_DEPTH)
		return dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: $INCLUDE nested deeper than %d files", p->name,
		    line, INCLUDE_DEPTH);
	/* Relative to the including file's directory (as Knot does). */
	if (file[0] != '/' && p->dir != NULL) {
		if (asprintf(&path, "%s/%s", p->dir, file) < 0)
			return dsreg_err_set(p->err, DSREG_ENOMEM,
			    "out of memory");
	} else if ((path = strdup(file)) == NULL)
		return dsreg_err_set(p->err, DSREG_ENOMEM, "out of memory");
	if (org != NULL && ldns_str2rdf_dname(&neworigin, org) !=
	    LDNS_STATUS_OK) {
		rc = dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: $INCLUDE origin%s%s%s is not a domain name",
		    p->name, line, SHOWN(p, org));
		free(path);
		return rc;
	}
	dsreg_buf_init(&buf, FILE_MAX_BYTES);
	if ((rc = dsreg_buf_read_file(&buf, path, p->err)) != 0) {
		dsreg_err_prefix(p->err, "%s:%u: $INCLUDE", p->name, line);
		goto out;
	}
	sub = *p;
	sub.name = path;
	sub.flags |= DS_PARSE_PRIVATE;
	sub.depth = p->depth + 1;
	if ((dcopy = strdup(path)) == NULL) {
		rc = dsreg_err_set(p->err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	sub.dir = dirname(dcopy);
	/* RFC 1035 §5.1: the included file starts with the given (or the
	 * current) origin; the including file's origin is unchanged after. */
	sub.origin = neworigin ? neworigin : (p->origin ?
	    ldns_rdf_clone(p->origin) : NULL);
	neworigin = NULL;
	sub.prev = p->prev ? ldns_rdf_clone(p->prev) : NULL;
	rc = parse_text(&sub, buf.data, buf.len);
	ldns_rdf_deep_free(sub.origin);
	ldns_rdf_deep_free(sub.prev);
out:
	ldns_rdf_deep_free(neworigin);
	free(dcopy);
	free(path);
	dsreg_buf_free(&buf);
	return rc;
}

static int
do_directive(struct parser *p, unsigned line, char *text)
{
	char *word, *rest, *save = NULL;
	ldns_rdf *rdf = NULL;
	const char *endp = NULL;
	uint32_t ttl;

	word = text + 1;
	rest = word + strcspn(word, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	rest += strspn(rest, " \t");
	if (strcasecmp(word, "ORIGIN") == 0) {
		char *name = strtok_r(rest, " \t", &save);
		if (name == NULL)
			return dsreg_err_set(p->err, DSREG_EPARSE,
			    "%s:%u: $ORIGIN needs a domain name", p->name,
			    line);
		if (ldns_str2rdf_dname(&rdf, name) != LDNS_STATUS_OK)
			return dsreg_err_set(p->err, DSREG_EPARSE,
			    "%s:%u: $ORIGIN%s%s%s is not a domain name",
			    p->name, line, SHOWN(p, name));
		if (!ldns_dname_str_absolute(name)) {
			if (p->origin == NULL) {
				ldns_rdf_deep_free(rdf);
				return dsreg_err_set(p->err, DSREG_EPARSE,
				    "%s:%u: relative $ORIGIN%s%s%s with no "
				    "origin to append to", p->name, line,
				    SHOWN(p, name));
			}
			if (ldns_dname_cat(rdf, p->origin) != LDNS_STATUS_OK) {
				ldns_rdf_deep_free(rdf);
				return dsreg_err_set(p->err, DSREG_EPARSE,
				    "%s:%u: $ORIGIN%s%s%s too long", p->name,
				    line, SHOWN(p, name));
			}
		}
		return set_rdf(&p->origin, rdf);
	}
	if (strcasecmp(word, "TTL") == 0) {
		char *v = strtok_r(rest, " \t", &save);
		if (v == NULL)
			return dsreg_err_set(p->err, DSREG_EPARSE,
			    "%s:%u: $TTL needs a value", p->name, line);
		ttl = ldns_str2period(v, &endp);
		if (endp == v || *endp != '\0')
			return dsreg_err_set(p->err, DSREG_EPARSE,
			    "%s:%u: $TTL%s%s%s is not a TTL (RFC 2308 §4)",
			    p->name, line, SHOWN(p, v));
		p->ttl = ttl;
		p->ttl_set = 1;
		return 0;
	}
	if (strcasecmp(word, "INCLUDE") == 0)
		return do_include(p, line, rest);
	return dsreg_err_set(p->err, DSREG_EUNSUPPORTED,
	    "%s:%u: unsupported directive%s%s%s (RFC 1035 §5.1: $ORIGIN, "
	    "$INCLUDE; RFC 2308 §4: $TTL)", p->name, line, SHOWN(p, text));
}

static int
keep_owner(const struct parser *p, const ldns_rr *rr)
{
	return p->apex == NULL || ldns_dname_compare(ldns_rr_owner(rr),
	    p->apex) == 0;
}

/* ldns only says "could not parse the RR's rdata": say what is wrong
 * with a DNSKEY's base64 public key (RFC 4034 §2.2). */
static int
explain_key(struct parser *p, unsigned line, const char *text)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/=";
	char *copy, *tok, *save = NULL;
	size_t chars = 0;
	int i, keyfield = -1, rc = 0;

	if ((copy = strdup(text)) == NULL)
		return 0;
	for (i = 0, tok = strtok_r(copy, " \t", &save); tok != NULL;
	    i++, tok = strtok_r(NULL, " \t", &save)) {
		if (keyfield < 0 && i < 5 && (strcasecmp(tok, "DNSKEY") == 0 ||
		    strcasecmp(tok, "CDNSKEY") == 0)) {
			keyfield = i + 4;
			continue;
		}
		if (keyfield < 0 || i < keyfield)
			continue;
		if (tok[strspn(tok, b64)] != '\0') {
			rc = (p->flags & DS_PARSE_PRIVATE) ?
			    dsreg_err_set(p->err, DSREG_EPARSE, "%s:%u: RFC "
			    "4034 §2.2: public key has a character that is "
			    "not base64", p->name, line) :
			    dsreg_err_set(p->err, DSREG_EPARSE,
			    "%s:%u: RFC 4034 §2.2: public key has a character "
			    "'%c' that is not base64", p->name, line,
			    tok[strspn(tok, b64)]);
			goto out;
		}
		chars += strlen(tok);
	}
	if (keyfield >= 0 && chars % 4 != 0)
		rc = dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: RFC 4034 §2.2: public key is not complete base64 "
		    "(%zu characters, not a multiple of 4: truncated?)",
		    p->name, line, chars);
out:
	free(copy);
	return rc;
}

/* With no origin, an owner must be absolute (ldns would just assume so). */
static int
check_owner(struct parser *p, unsigned line, const char *text)
{
	size_t n;

	if (p->origin != NULL || text[0] == ' ' || text[0] == '\t')
		return 0;
	n = strcspn(text, " \t");
	if (n == 1 && text[0] == '@')
		return dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: '@' used but no $ORIGIN is known (name the zone)",
		    p->name, line);
	if (n > 0 && text[n - 1] != '.' && (p->flags & DS_PARSE_PRIVATE))
		return dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: relative owner name and no $ORIGIN (name the "
		    "zone)", p->name, line);
	if (n > 0 && text[n - 1] != '.')
		return dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: relative owner name '%.*s' and no $ORIGIN (name "
		    "the zone)", p->name, line, (int)(n > 255 ? 255 : n), text);
	return 0;
}

/* Does the record give its TTL (a number before the type)? */
static int
explicit_ttl(const char *text)
{
	const char *s = text;
	int i;

	if (*s != ' ' && *s != '\t')
		s += strcspn(s, " \t"); /* the owner */
	for (i = 0; i < 2; i++) {
		s += strspn(s, " \t");
		if (isdigit((unsigned char)*s))
			return 1;
		s += strcspn(s, " \t");
	}
	return 0;
}

/*
 * The TTL rule of a zone load (BIND's master file loader, RFC 1035 §5.1,
 * RFC 2308 §4): a record without a TTL takes $TTL, else the last explicit
 * TTL; before either only the SOA may go without (it gives its minimum).
 */
static int
zone_ttl(struct parser *p, unsigned line, const char *text, const ldns_rr *rr)
{
	const ldns_rdf *min;

	if (explicit_ttl(text)) {
		p->ttl_known = 1;
		return 0;
	}
	if (p->ttl_set)
		return 0;
	if (p->ttl_known) {
		if (p->warned_1035)
			return 0;
		p->warned_1035 = 1;
		return warn(p, line, "no TTL and no $TTL: the last explicit "
		    "TTL is used (RFC 1035 §5.1 semantics)");
	}
	if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA &&
	    (min = ldns_rr_rdf(rr, 6)) != NULL) {
		p->ttl = ldns_rdf2native_int32(min);
		p->ttl_set = 1;
		return warn(p, line, "no TTL and no $TTL: the SOA minimum "
		    "is used");
	}
	return dsreg_err_set(p->err, DSREG_EPARSE, "%s:%u: no TTL, and no "
	    "$TTL or earlier TTL to take it from (RFC 2308 §4); the zone "
	    "is rejected, as dnssec-dsfromkey rejects it", p->name, line);
}

/* BIND warns (once a zone) of an RRSIG that has expired when loading. */
static int
zone_rrsig(struct parser *p, unsigned line, const ldns_rr *rr)
{
	const ldns_rdf *exp;

	if (p->warned_expired || ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
	    (exp = ldns_rr_rdf(rr, 4)) == NULL)
		return 0;
	/* RFC 4034 §3.1.5: serial number arithmetic (RFC 1982). */
	if ((int32_t)(ldns_rdf2native_int32(exp) - (uint32_t)time(NULL)) >= 0)
		return 0;
	p->warned_expired = 1;
	return warn(p, line, "RRSIG signature has expired (RFC 4034 §3.1.5); "
	    "it does not matter for a DS");
}

static int
do_record(struct parser *p, unsigned line, const char *text)
{
	struct ds_key *key = NULL;
	struct ds_rec *ds = NULL;
	struct dsreg_err why;
	ldns_rr *rr = NULL;
	ldns_status st;
	ldns_rr_type type;
	int rc = 0, zone = (p->flags & DS_PARSE_ZONE) != 0;

	if (!is_ascii(text))
		return dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: non-ASCII character in a record (write IDN names "
		    "as xn-- A-labels, RFC 5891)", p->name, line);
	if ((rc = check_owner(p, line, text)) != 0)
		return rc;
	st = ldns_rr_new_frm_str(&rr, text, p->ttl_set ? p->ttl : 0,
	    p->origin, &p->prev);
	if (st != LDNS_STATUS_OK) {
		if ((rc = explain_key(p, line, text)) != 0)
			return rc;
		return dsreg_err_set(p->err, DSREG_EPARSE, "%s:%u: %s",
		    p->name, line, ldns_get_errorstr_by_id(st));
	}
	if (zone && ((rc = zone_ttl(p, line, text, rr)) != 0 ||
	    (rc = zone_rrsig(p, line, rr)) != 0))
		goto out;
	type = ldns_rr_get_type(rr);
	if (!keep_owner(p, rr))
		goto out;
	dsreg_err_clear(&why);
	if (type == LDNS_RR_TYPE_DNSKEY || type == LDNS_RR_TYPE_CDNSKEY) {
		if ((rc = ds_key_from_ldns(&key, rr, zone ? &why :
		    p->err)) != 0) {
			if (!zone) {
				dsreg_err_prefix(p->err, "%s:%u", p->name,
				    line);
				goto out;
			}
			/* dnssec-dsfromkey takes a zone's DNSKEY RDATA as it
			 * is; a bad CDNSKEY is not needed for a DS. */
			if (type == LDNS_RR_TYPE_CDNSKEY) {
				rc = warn(p, line, "%s; this CDNSKEY is "
				    "skipped", dsreg_err_text(&why));
				goto out;
			}
			if ((rc = warn(p, line, "%s; the key is kept, as "
			    "dnssec-dsfromkey computes a DS from any DNSKEY "
			    "of a zone", dsreg_err_text(&why))) != 0)
				goto out;
			if ((rc = ds_key_from_ldns_unchecked(&key, rr,
			    p->err)) != 0) {
				dsreg_err_prefix(p->err, "%s:%u", p->name,
				    line);
				goto out;
			}
		}
		key->line = line;
		if ((key->source = strdup(p->name)) == NULL ||
		    ds_keyset_add(&p->res->keys, key) != 0) {
			rc = dsreg_err_set(p->err, DSREG_ENOMEM,
			    "out of memory");
			goto out;
		}
		key = NULL;
	} else if (type == LDNS_RR_TYPE_DS || type == LDNS_RR_TYPE_CDS) {
		if ((rc = ds_rec_from_ldns(&ds, rr, zone ? &why :
		    p->err)) != 0) {
			if (zone)
				rc = warn(p, line, "%s; this %s is skipped",
				    dsreg_err_text(&why), type ==
				    LDNS_RR_TYPE_DS ? "DS" : "CDS");
			else
				dsreg_err_prefix(p->err, "%s:%u", p->name,
				    line);
			goto out;
		}
		ds->line = line;
		if ((ds->source = strdup(p->name)) == NULL ||
		    ds_set_add(&p->res->dss, ds) != 0) {
			rc = dsreg_err_set(p->err, DSREG_ENOMEM,
			    "out of memory");
			goto out;
		}
		ds = NULL;
	}
out:
	ds_key_free(key);
	ds_rec_free(ds);
	ldns_rr_free(rr);
	return rc;
}

static int
do_entry(struct parser *p, unsigned line, char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t')
			break;
	if (i == len)
		return 0; /* blank or comment only */
	if (text[0] == '$')
		return do_directive(p, line, text);
	return do_record(p, line, text);
}

static int
parse_text(struct parser *p, const char *data, size_t len)
{
	struct dsreg_buf rec;
	unsigned line = 1, start = 1, paren_line = 0;
	int paren = 0, quote = 0, comment = 0, rc;
	size_t i;
	char c;

	if ((rc = check_lines(p, data, len)) != 0)
		return rc;
	dsreg_buf_init(&rec, RECORD_MAX_BYTES);
	for (i = 0; i <= len; i++) {
		c = i < len ? data[i] : '\n';
		if (c == '\n') {
			comment = 0;
			if (quote) {
				rc = dsreg_err_set(p->err, DSREG_EPARSE,
				    "%s:%u: unterminated quoted string",
				    p->name, line);
				goto out;
			}
			if (paren > 0 && i < len) {
				c = ' ';
				goto add;
			}
			if (paren > 0) {
				rc = dsreg_err_set(p->err, DSREG_EPARSE,
				    "%s:%u: '(' is never closed", p->name,
				    paren_line);
				goto out;
			}
			if ((rc = do_entry(p, start, rec.data ? rec.data :
			    (char *)"", rec.len)) != 0)
				goto out;
			dsreg_buf_reset(&rec);
			line++;
			start = line;
			continue;
		}
		if (comment)
			continue;
		if (c == '\\' && i + 1 < len && data[i + 1] != '\n') {
			if ((rc = dsreg_buf_append(&rec, data + i, 2)) != 0)
				goto toolong;
			i++;
			continue;
		}
		if (c == '"') {
			quote = !quote;
		} else if (!quote && c == ';') {
			comment = 1;
			continue;
		} else if (!quote && c == '(') {
			if (paren++ == 0)
				paren_line = line;
			c = ' ';
		} else if (!quote && c == ')') {
			if (paren == 0) {
				rc = dsreg_err_set(p->err, DSREG_EPARSE,
				    "%s:%u: ')' without '('", p->name, line);
				goto out;
			}
			paren--;
			c = ' ';
		} else if (c == '\r')
			c = ' ';
add:
		if (c == ' ' && paren > 0 && i < len && data[i] == '\n')
			line++;
		if ((rc = dsreg_buf_append(&rec, &c, 1)) != 0)
			goto toolong;
	}
	rc = 0;
	goto out;
toolong:
	rc = dsreg_err_set(p->err, DSREG_ETOOBIG,
	    "%s:%u: record longer than %d bytes", p->name, start,
	    RECORD_MAX_BYTES);
out:
	dsreg_buf_free(&rec);
	return rc;
}

static int
parse_init(struct parser *p, const char *name, const char *origin,
    int flags, struct ds_parse_result *res, struct dsreg_err *err)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->flags = flags;
	p->res = res;
	p->err = err;
	if (origin != NULL) {
		char *abs = NULL;
		size_t n = strlen(origin);
		if (asprintf(&abs, "%s%s", origin, n > 0 &&
		    origin[n - 1] == '.' ? "" : ".") < 0)
			return dsreg_err_set(err, DSREG_ENOMEM,
			    "out of memory");
		if (ldns_str2rdf_dname(&p->origin, abs) != LDNS_STATUS_OK) {
			free(abs);
			return dsreg_err_set(err, DSREG_EPARSE,
			    "'%s' is not a domain name", origin);
		}
		free(abs);
		if (flags & DS_PARSE_APEX_ONLY)
			p->apex = ldns_rdf_clone(p->origin);
	}
	return 0;
}

/* The DS_PARSE_NEED_DNSKEY rule over the keys this parse added. */
static int
need_dnskey(struct parser *p, size_t before)
{
	size_t i;

	if (!(p->flags & DS_PARSE_NEED_DNSKEY))
		return 0;
	for (i = before; i < p->res->keys.n; i++)
		if (!p->res->keys.v[i]->cdnskey)
			return 0;
	if (p->apex != NULL) {
		char *apex = ldns_rdf2str(p->apex);
		int rc = dsreg_err_set(p->err, DSREG_ENOTFOUND, "%s: no DNSKEY "
		    "record at %s: nothing to compute a DS from", p->name,
		    apex ? apex : "the zone apex");
		free(apex);
		return rc;
	}
	return dsreg_err_set(p->err, DSREG_ENOTFOUND, "%s: no DNSKEY record: "
	    "nothing to compute a DS from", p->name);
}

static void
parse_done(struct parser *p)
{
	ldns_rdf_deep_free(p->origin);
	ldns_rdf_deep_free(p->apex);
	ldns_rdf_deep_free(p->prev);
}

int
ds_parse_buffer(const char *data, size_t len, const char *name,
    const char *origin, int flags, struct ds_parse_result *res,
    struct dsreg_err *err)
{
	struct parser p;
	size_t before = res->keys.n;
	int rc;

	if ((rc = parse_init(&p, name, origin, flags, res, err)) == 0 &&
	    (rc = parse_text(&p, data, len)) == 0)
		rc = need_dnskey(&p, before);
	parse_done(&p);
	return rc;
}

int
ds_parse_file(const char *path, const char *origin, int flags,
    struct ds_parse_result *res, struct dsreg_err *err)
{
	struct dsreg_buf buf;
	struct parser p;
	char *dcopy = NULL;
	size_t before = res->keys.n;
	int rc;

	dsreg_buf_init(&buf, FILE_MAX_BYTES);
	if ((rc = dsreg_buf_read_file(&buf, path, err)) != 0) {
		dsreg_buf_free(&buf);
		return rc;
	}
	if ((rc = parse_init(&p, path, origin, flags, res, err)) == 0) {
		if ((dcopy = strdup(path)) == NULL)
			rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		else {
			p.dir = dirname(dcopy);
			if ((rc = parse_text(&p, buf.data, buf.len)) == 0)
				rc = need_dnskey(&p, before);
		}
	}
	parse_done(&p);
	free(dcopy);
	dsreg_buf_free(&buf);
	return rc;
}
