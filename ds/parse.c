/* ds/parse.c - presentation-format records: zone-file syntax with exact file:line errors
 *
 * Physical lines are checked first (UTF-8, length, NUL).  Logical records
 * are assembled here (comments, quotes, parentheses) so that every error
 * names the line the record starts on and $INCLUDE can be followed; each
 * record is then parsed by ldns.
 */
#include "ds/ds.h"
#include "common/buf.h"
#include "common/error.h"

#include <ldns/ldns.h>
#include <libgen.h>
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
	int depth;
	struct ds_parse_result *res;
	struct dsreg_err *err;
};

static int parse_text(struct parser *p, const char *data, size_t len);

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
		    "%s:%u: $INCLUDE origin '%s' is not a domain name",
		    p->name, line, org);
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
			    "%s:%u: $ORIGIN '%s' is not a domain name",
			    p->name, line, name);
		if (!ldns_dname_str_absolute(name)) {
			if (p->origin == NULL) {
				ldns_rdf_deep_free(rdf);
				return dsreg_err_set(p->err, DSREG_EPARSE,
				    "%s:%u: relative $ORIGIN '%s' with no "
				    "origin to append to", p->name, line,
				    name);
			}
			if (ldns_dname_cat(rdf, p->origin) != LDNS_STATUS_OK) {
				ldns_rdf_deep_free(rdf);
				return dsreg_err_set(p->err, DSREG_EPARSE,
				    "%s:%u: $ORIGIN '%s' too long", p->name,
				    line, name);
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
			    "%s:%u: $TTL '%s' is not a TTL (RFC 2308 §4)",
			    p->name, line, v);
		p->ttl = ttl;
		p->ttl_set = 1;
		return 0;
	}
	if (strcasecmp(word, "INCLUDE") == 0)
		return do_include(p, line, rest);
	return dsreg_err_set(p->err, DSREG_EUNSUPPORTED,
	    "%s:%u: unsupported directive $%s", p->name, line, word);
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
			rc = dsreg_err_set(p->err, DSREG_EPARSE,
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
	if (n > 0 && text[n - 1] != '.')
		return dsreg_err_set(p->err, DSREG_EPARSE,
		    "%s:%u: relative owner name '%.*s' and no $ORIGIN (name "
		    "the zone)", p->name, line, (int)(n > 255 ? 255 : n), text);
	return 0;
}

static int
do_record(struct parser *p, unsigned line, const char *text)
{
	struct ds_key *key = NULL;
	struct ds_rec *ds = NULL;
	ldns_rr *rr = NULL;
	ldns_status st;
	ldns_rr_type type;
	int rc = 0;

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
	type = ldns_rr_get_type(rr);
	if (!keep_owner(p, rr))
		goto out;
	if (type == LDNS_RR_TYPE_DNSKEY || type == LDNS_RR_TYPE_CDNSKEY) {
		if ((rc = ds_key_from_ldns(&key, rr, p->err)) != 0) {
			dsreg_err_prefix(p->err, "%s:%u", p->name, line);
			goto out;
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
		if ((rc = ds_rec_from_ldns(&ds, rr, p->err)) != 0) {
			dsreg_err_prefix(p->err, "%s:%u", p->name, line);
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
    int apex_only, struct ds_parse_result *res, struct dsreg_err *err)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
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
		if (apex_only)
			p->apex = ldns_rdf_clone(p->origin);
	}
	return 0;
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
    const char *origin, int apex_only, struct ds_parse_result *res,
    struct dsreg_err *err)
{
	struct parser p;
	int rc;

	if ((rc = parse_init(&p, name, origin, apex_only, res, err)) == 0)
		rc = parse_text(&p, data, len);
	parse_done(&p);
	return rc;
}

int
ds_parse_file(const char *path, const char *origin, int apex_only,
    struct ds_parse_result *res, struct dsreg_err *err)
{
	struct dsreg_buf buf;
	struct parser p;
	char *dcopy = NULL;
	int rc;

	dsreg_buf_init(&buf, FILE_MAX_BYTES);
	if ((rc = dsreg_buf_read_file(&buf, path, err)) != 0) {
		dsreg_buf_free(&buf);
		return rc;
	}
	if ((rc = parse_init(&p, path, origin, apex_only, res, err)) == 0) {
		if ((dcopy = strdup(path)) == NULL)
			rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		else {
			p.dir = dirname(dcopy);
			rc = parse_text(&p, buf.data, buf.len);
		}
	}
	parse_done(&p);
	free(dcopy);
	dsreg_buf_free(&buf);
	return rc;
}
