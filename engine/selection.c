/* engine/selection.c - domains from arguments, a --domains file (per-line errors) or the key store */
#include "engine/selection.h"
#include "common/buf.h"
#include "common/error.h"

#include <ctype.h>
#include <idn2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOMAINS_FILE_MAX (64u << 20)  /* 64 MiB */
#define LINE_MAX_CHARS 1024

/*
 * The A-label form of a whole name with U-labels, for the error message:
 * IDNA2008 as registries apply it (libidn2, UTS #46 mapping
 * non-transitional: lower case, NFC, "ß" kept).  -1 when IDNA2008 has no
 * A-label for it (invalid UTF-8, disallowed code points).
 */
static int
suggest_alabel(const char *text, char *out, size_t outlen)
{
	char *a = NULL;
	int rc = -1;

	if (idn2_to_ascii_8z(text, &a, IDN2_NONTRANSITIONAL) == IDN2_OK &&
	    strlen(a) < outlen) {
		memcpy(out, a, strlen(a) + 1);
		rc = 0;
	}
	idn2_free(a);
	return rc;
}

/* ---- names ------------------------------------------------------------ */

int
engine_selection_check_name(const char *text, char *out, size_t outlen, char *why,
    size_t whylen)
{
	const unsigned char *p;
	size_t len = strlen(text), lab = 0, wire = 1, o = 0, i;
	const char *labstart = text;
	char sug[600];
	int nonascii = 0;

	if (len == 0 || strcmp(text, ".") == 0) {
		snprintf(why, whylen, "empty name");
		return DSREG_EPARSE;
	}
	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if (*p >= 0x80)
			nonascii = 1;
	if (nonascii) {
		if (suggest_alabel(text, sug, sizeof(sug)) == 0)
			snprintf(why, whylen, "internationalised name (U-label) "
			    "or non-ASCII text: write it as its A-label, e.g. "
			    "'%s' (RFC 5890)", sug);
		else
			snprintf(why, whylen, "non-ASCII or invalid UTF-8 text: "
			    "an internationalised name must be written as its "
			    "xn-- A-label (RFC 5890)");
		return DSREG_EPARSE;
	}
	if (len + 2 > outlen) {
		snprintf(why, whylen, "name is %zu characters; a domain name "
		    "is at most 255 octets (RFC 1035 §3.1)", len);
		return DSREG_EPARSE;
	}
	for (i = 0; i <= len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if (ch == '.' || ch == '\0') {
			if (ch == '\0' && lab == 0 && i > 0 && text[i - 1] == '.')
				break;           /* trailing dot */
			if (lab == 0) {
				snprintf(why, whylen, "empty label");
				return DSREG_EPARSE;
			}
			if (lab > 63) {
				snprintf(why, whylen, "label '%.20s...' is %zu "
				    "octets; RFC 1035 §2.3.4 allows 63",
				    labstart, lab);
				return DSREG_EPARSE;
			}
			wire += lab + 1;
			lab = 0;
			labstart = text + i + 1;
			if (ch != '\0')
				out[o++] = '.';
			continue;
		}
		if (!isalnum(ch) && ch != '-' && ch != '_') {
			if (isspace(ch))
				snprintf(why, whylen, "contains white space: one "
				    "domain name per line");
			else if (isprint(ch))
				snprintf(why, whylen, "character '%c' is not "
				    "allowed in a host name (letters, digits, "
				    "'-', '_' and '.')", ch);
			else
				snprintf(why, whylen, "control character 0x%02x",
				    ch);
			return DSREG_EPARSE;
		}
		out[o++] = (char)tolower(ch);
		lab++;
	}
	if (wire > DS_NAME_WIRE_MAX) {
		snprintf(why, whylen, "name is %zu octets in wire form; RFC 1035 "
		    "§3.1 allows 255", wire);
		return DSREG_EPARSE;
	}
	if (o == 0 || out[o - 1] != '.')
		out[o++] = '.';
	out[o] = '\0';
	return 0;
}

static int
add_domain(struct engine_selection *sel, const char *name)
{
	char **nv;
	size_t ncap;

	/* duplicates: a linear scan would be O(n^2) on 10,000 domains, so
	 * they are removed after loading (see dedup) */
	if (sel->n == sel->cap) {
		ncap = sel->cap ? sel->cap * 2 : 64;
		if ((nv = realloc(sel->domains, ncap * sizeof(*nv))) == NULL)
			return DSREG_ENOMEM;
		sel->domains = nv;
		sel->cap = ncap;
	}
	if ((sel->domains[sel->n] = strdup(name)) == NULL)
		return DSREG_ENOMEM;
	sel->n++;
	return 0;
}

struct ord {
	const char *name;
	size_t pos;
};

static int
ord_cmp(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Drop later duplicates, keep input order. */
static int
dedup(struct engine_selection *sel)
{
	struct ord *o;
	char *keep;
	size_t i, w = 0;

	if (sel->n < 2)
		return 0;
	if ((o = calloc(sel->n, sizeof(*o))) == NULL)
		return DSREG_ENOMEM;
	if ((keep = calloc(sel->n, 1)) == NULL) {
		free(o);
		return DSREG_ENOMEM;
	}
	for (i = 0; i < sel->n; i++) {
		o[i].name = sel->domains[i];
		o[i].pos = i;
	}
	qsort(o, sel->n, sizeof(*o), ord_cmp);
	for (i = 0; i < sel->n; i++)
		keep[o[i].pos] = i == 0 || strcmp(o[i].name, o[i - 1].name) != 0;
	for (i = 0; i < sel->n; i++) {
		if (keep[i])
			sel->domains[w++] = sel->domains[i];
		else
			free(sel->domains[i]);
	}
	sel->n = w;
	free(o);
	free(keep);
	return 0;
}

static void
report(engine_selection_error_fn fn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
report(engine_selection_error_fn fn, void *ctx, const char *fmt, ...)
{
	char msg[1400];
	va_list ap;

	if (fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fn(ctx, msg);
}

/* Show at most 60 characters of a bad input, escaping the unprintable. */
static void
excerpt(const char *s, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;
	unsigned char ch;

	for (i = 0; i < len && o + 5 < outlen; i++) {
		if (i == 60) {
			o += (size_t)snprintf(out + o, outlen - o, "...");
			break;
		}
		ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != 0x7f)
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", ch);
	}
	out[o] = '\0';
}

static int
load_file(struct engine_selection *sel, const char *path, engine_selection_error_fn on_error,
    void *ctx, struct dsreg_err *err)
{
	struct dsreg_buf b;
	char *line, *end, *hash, *name, norm[1100], why[400], ex[300];
	const char *shown = strcmp(path, "-") == 0 ? "stdin" : path;
	size_t len;
	unsigned lineno = 0;
	int rc;

	dsreg_buf_init(&b, DOMAINS_FILE_MAX);
	if (strcmp(path, "-") == 0)
		rc = dsreg_buf_read_stream(&b, stdin, "stdin", err);
	else
		rc = dsreg_buf_read_file(&b, path, err);
	if (rc != 0)
		goto out;
	for (line = b.data; line < b.data + b.len; line = end + 1) {
		lineno++;
		if ((end = memchr(line, '\n', (size_t)(b.data + b.len - line))) ==
		    NULL)
			end = b.data + b.len;
		len = (size_t)(end - line);
		if (memchr(line, '\0', len) != NULL) {
			sel->nbad++;
			report(on_error, ctx, "%s:%u: NUL byte in the line",
			    shown, lineno);
			continue;
		}
		*end = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		name = line;
		while (isspace((unsigned char)*name))
			name++;
		len = strlen(name);
		while (len > 0 && isspace((unsigned char)name[len - 1]))
			name[--len] = '\0';
		if (len == 0)
			continue;
		if (len > LINE_MAX_CHARS) {
			excerpt(name, len, ex, sizeof(ex));
			sel->nbad++;
			report(on_error, ctx, "%s:%u: '%s': line of %zu "
			    "characters; a domain name is at most 255 octets "
			    "(RFC 1035 §3.1)", shown, lineno, ex, len);
			continue;
		}
		if (engine_selection_check_name(name, norm, sizeof(norm), why,
		    sizeof(why)) != 0) {
			excerpt(name, len, ex, sizeof(ex));
			sel->nbad++;
			report(on_error, ctx, "%s:%u: '%s': %s", shown, lineno,
			    ex, why);
			continue;
		}
		if ((rc = add_domain(sel, norm)) != 0)
			goto out;
	}
	rc = 0;
out:
	dsreg_buf_free(&b);
	return rc;
}

struct kerr {
	engine_selection_error_fn fn;
	void *ctx;
	size_t n;
};

static void
kdir_error(void *ctx, const struct dsreg_err *e)
{
	struct kerr *k = ctx;

	k->n++;
	report(k->fn, k->ctx, "key store: %s", dsreg_err_text(e));
}

struct kref {
	char *zone;
	const struct ds_key *key;
};

static int
kref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kref *)a)->zone,
	    ((const struct kref *)b)->zone);
}

static char *
zone_of_key(const struct ds_key *k)
{
	const char *t = k->owner_text != NULL ? k->owner_text : "";
	size_t n = strlen(t), i;
	char *z = malloc(n + 2);

	if (z == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		z[i] = (char)tolower((unsigned char)t[i]);
	if (n == 0 || z[n - 1] != '.')
		z[n++] = '.';
	z[n] = '\0';
	return z;
}

static int
index_keys(struct engine_selection *sel)
{
	struct kref *r;
	size_t i;

	if (sel->keys.n == 0)
		return 0;
	if ((r = calloc(sel->keys.n, sizeof(*r))) == NULL)
		return DSREG_ENOMEM;
	for (i = 0; i < sel->keys.n; i++) {
		r[i].key = sel->keys.v[i];
		if ((r[i].zone = zone_of_key(sel->keys.v[i])) == NULL) {
			while (i > 0)
				free(r[--i].zone);
			free(r);
			return DSREG_ENOMEM;
		}
	}
	qsort(r, sel->keys.n, sizeof(*r), kref_cmp);
	sel->idx_zone = calloc(sel->keys.n, sizeof(*sel->idx_zone));
	sel->idx_key = calloc(sel->keys.n, sizeof(*sel->idx_key));
	if (sel->idx_zone == NULL || sel->idx_key == NULL) {
		for (i = 0; i < sel->keys.n; i++)
			free(r[i].zone);
		free(r);
		return DSREG_ENOMEM;
	}
	for (i = 0; i < sel->keys.n; i++) {
		sel->idx_zone[i] = r[i].zone;
		sel->idx_key[i] = r[i].key;
	}
	sel->nidx = sel->keys.n;
	free(r);
	return 0;
}

int
engine_selection_load(struct engine_selection *sel, const char *keys_dir,
    const char *domains_file, int argc, char **argv,
    engine_selection_error_fn on_error, void *ctx, struct dsreg_err *err)
{
	struct kerr ke = { on_error, ctx, 0 };
	char norm[1100], why[400], ex[300];
	size_t i;
	int rc;

	if (keys_dir != NULL) {
		rc = ds_kdir_read(keys_dir, 1, &sel->keys, kdir_error, &ke, err);
		if (rc != 0 && rc != DSREG_EPARSE)
			return rc;
		sel->have_keys = 1;
		if ((rc = index_keys(sel)) != 0)
			return rc;
	}
	for (i = 0; i < (size_t)argc; i++) {
		if (engine_selection_check_name(argv[i], norm, sizeof(norm), why,
		    sizeof(why)) != 0) {
			excerpt(argv[i], strlen(argv[i]), ex, sizeof(ex));
			sel->nbad++;
			report(on_error, ctx, "argument '%s': %s", ex, why);
			continue;
		}
		if ((rc = add_domain(sel, norm)) != 0)
			return rc;
	}
	if (domains_file != NULL &&
	    (rc = load_file(sel, domains_file, on_error, ctx, err)) != 0)
		return rc;
	if (argc == 0 && domains_file == NULL) {
		if (keys_dir == NULL)
			return dsreg_err_set(err, DSREG_EINVAL, "no domains: "
			    "give DOMAIN arguments, --domains FILE or --keys "
			    "DIR (every zone with keys there)");
		for (i = 0; i < sel->nidx; i++)
			if ((i == 0 || strcmp(sel->idx_zone[i],
			    sel->idx_zone[i - 1]) != 0) &&
			    (rc = add_domain(sel, sel->idx_zone[i])) != 0)
				return rc;
	}
	return dedup(sel);
}

const struct ds_key *const *
engine_selection_zone_keys(const struct engine_selection *sel, const char *zone, size_t *n)
{
	size_t lo = 0, hi = sel->nidx, mid, end;

	*n = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(sel->idx_zone[mid], zone) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < sel->nidx && strcmp(sel->idx_zone[end], zone) == 0;
	    end++)
		;
	*n = end - lo;
	return *n > 0 ? sel->idx_key + lo : NULL;
}

void
engine_selection_free(struct engine_selection *sel)
{
	size_t i;

	for (i = 0; i < sel->n; i++)
		free(sel->domains[i]);
	free(sel->domains);
	for (i = 0; i < sel->nidx; i++)
		free(sel->idx_zone[i]);
	free(sel->idx_zone);
	free(sel->idx_key);
	ds_keyset_free(&sel->keys);
	memset(sel, 0, sizeof(*sel));
}
