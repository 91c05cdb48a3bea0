/* cli/selection.c - domains from arguments, a --domains file (per-line errors) or the key store */
#include "cli/selection.h"
#include "common/buf.h"
#include "common/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOMAINS_FILE_MAX (64u << 20)  /* 64 MiB */
#define LINE_MAX_CHARS 1024

/* ---- RFC 3492 Punycode, only to suggest the A-label of a U-label ---- */

static int
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp, size_t *ncp,
    size_t max)
{
	size_t i = 0, n = 0, k, extra;
	uint32_t c;

	while (i < len) {
		c = s[i];
		if (c < 0x80)
			extra = 0;
		else if ((c & 0xe0) == 0xc0) {
			extra = 1;
			c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2;
			c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3;
			c &= 0x07;
		} else
			return -1;
		if (i + extra >= len + (extra == 0) || n == max)
			return -1;
		for (k = 1; k <= extra; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			c = c << 6 | (s[i + k] & 0x3f);
		}
		cp[n++] = c;
		i += extra + 1;
	}
	*ncp = n;
	return 0;
}

static char
digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + d - 26);
}

static uint32_t
adapt(uint32_t delta, uint32_t npoints, int first)
{
	uint32_t k = 0;

	delta = first ? delta / 700 : delta / 2;
	delta += delta / npoints;
	while (delta > ((36 - 1) * 26) / 2) {
		delta /= 36 - 1;
		k += 36;
	}
	return k + (36 * delta) / (delta + 38);
}

/* Encode one label (lower-cased code points) as xn--...; -1 on overflow. */
static int
punycode(const uint32_t *cp, size_t n, char *out, size_t outlen)
{
	uint32_t m, nn = 128, delta = 0, bias = 72, h, b, q, k, t;
	size_t o = 0, i;

	if (outlen < 5)
		return -1;
	memcpy(out, "xn--", 4);
	o = 4;
	for (i = 0; i < n; i++)
		if (cp[i] < 0x80) {
			if (o + 1 >= outlen)
				return -1;
			out[o++] = (char)tolower((int)cp[i]);
		}
	h = b = (uint32_t)(o - 4);
	if (b > 0) {
		if (o + 1 >= outlen)
			return -1;
		out[o++] = '-';
	}
	while (h < n) {
		m = UINT32_MAX;
		for (i = 0; i < n; i++)
			if (cp[i] >= nn && cp[i] < m)
				m = cp[i];
		if ((uint64_t)(m - nn) * (h + 1) + delta > UINT32_MAX)
			return -1;
		delta += (m - nn) * (h + 1);
		nn = m;
		for (i = 0; i < n; i++) {
			if (cp[i] < nn)
				delta++;
			if (cp[i] != nn)
				continue;
			for (q = delta, k = 36;; k += 36) {
				t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
				if (q < t)
					break;
				if (o + 1 >= outlen)
					return -1;
				out[o++] = digit(t + (q - t) % (36 - t));
				q = (q - t) / (36 - t);
			}
			if (o + 1 >= outlen)
				return -1;
			out[o++] = digit(q);
			bias = adapt(delta, h + 1, h == b);
			delta = 0;
			h++;
		}
		delta++;
		nn++;
	}
	out[o] = '\0';
	return 0;
}

/* The A-label form of a whole name with U-labels, for the error message. */
static int
suggest_alabel(const char *text, char *out, size_t outlen)
{
	uint32_t cp[256];
	char lab[256];
	const char *p = text, *dot;
	size_t o = 0, n, len, i, ascii;

	out[0] = '\0';
	while (*p != '\0') {
		dot = strchr(p, '.');
		len = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (utf8_decode((const unsigned char *)p, len, cp, &n, 256) != 0)
			return -1;
		for (ascii = 1, i = 0; i < n; i++) {
			if (cp[i] >= 0x80)
				ascii = 0;
			else
				cp[i] = (uint32_t)tolower((int)cp[i]);
			/* crude case folding for Latin-1 and Greek/Cyrillic */
			if ((cp[i] >= 0xc0 && cp[i] <= 0xde && cp[i] != 0xd7) ||
			    (cp[i] >= 0x391 && cp[i] <= 0x3a9) ||
			    (cp[i] >= 0x410 && cp[i] <= 0x42f))
				cp[i] += 0x20;
		}
		if (ascii) {
			if (len >= sizeof(lab))
				return -1;
			for (i = 0; i < len; i++)
				lab[i] = (char)tolower((unsigned char)p[i]);
			lab[len] = '\0';
		} else if (punycode(cp, n, lab, sizeof(lab)) != 0)
			return -1;
		if (o + strlen(lab) + 2 >= outlen)
			return -1;
		o += (size_t)snprintf(out + o, outlen - o, "%s%s", lab,
		    dot != NULL ? "." : "");
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	return 0;
}

/* ---- names ------------------------------------------------------------ */

int
selection_check_name(const char *text, char *out, size_t outlen, char *why,
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
add_domain(struct selection *sel, const char *name)
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
dedup(struct selection *sel)
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
report(selection_error_fn fn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
report(selection_error_fn fn, void *ctx, const char *fmt, ...)
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
load_file(struct selection *sel, const char *path, selection_error_fn on_error,
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
		if (selection_check_name(name, norm, sizeof(norm), why,
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
	selection_error_fn fn;
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
index_keys(struct selection *sel)
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
selection_load(struct selection *sel, const char *keys_dir,
    const char *domains_file, int argc, char **argv,
    selection_error_fn on_error, void *ctx, struct dsreg_err *err)
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
		if (selection_check_name(argv[i], norm, sizeof(norm), why,
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
selection_zone_keys(const struct selection *sel, const char *zone, size_t *n)
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
selection_free(struct selection *sel)
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
