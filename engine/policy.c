/* engine/policy.c - the per-parent-zone policy table: parse, override, look up, filter, route */
#include "engine/policy.h"
#include "common/error.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define POLICY_LINE_MAX 4096
#define POLICY_ROWS_MAX 4096

static const struct {
	const char *word;
	int value;
} reads_words[] = {
	{ "unknown", ENGINE_READS_UNKNOWN },
	{ "none", ENGINE_READS_NONE },
	{ "cds", ENGINE_READS_CDS },
	{ "cdnskey", ENGINE_READS_CDNSKEY },
	{ "both", ENGINE_READS_BOTH },
}, boot_words[] = {
	{ "unknown", ENGINE_BOOT_UNKNOWN },
	{ "none", ENGINE_BOOT_NONE },
	{ "delay", ENGINE_BOOT_DELAY },
	{ "rfc9615", ENGINE_BOOT_RFC9615 },
}, iface_words[] = {
	{ "unknown", ENGINE_IFACE_UNKNOWN },
	{ "dsData", ENGINE_IFACE_DSDATA },
	{ "keyData", ENGINE_IFACE_KEYDATA },
	{ "ds", ENGINE_IFACE_DSDATA },
	{ "key", ENGINE_IFACE_KEYDATA },
};

#define NWORDS(t) (sizeof(t) / sizeof((t)[0]))

const char *
engine_policy_reads_name(enum engine_policy_reads r)
{
	size_t i;

	for (i = 0; i < NWORDS(reads_words); i++)
		if (reads_words[i].value == (int)r)
			return reads_words[i].word;
	return "unknown";
}

const char *
engine_policy_boot_name(enum engine_policy_boot b)
{
	size_t i;

	for (i = 0; i < NWORDS(boot_words); i++)
		if (boot_words[i].value == (int)b)
			return boot_words[i].word;
	return "unknown";
}

const char *
engine_policy_iface_name(enum engine_policy_iface f)
{
	size_t i;

	for (i = 0; i < NWORDS(iface_words); i++)
		if (iface_words[i].value == (int)f)
			return iface_words[i].word;
	return "unknown";
}

const char *
engine_policy_digest_word(unsigned type, char *buf, size_t len)
{
	static const char *const words[] = { NULL, "sha1", "sha256", "gost",
		"sha384" };

	if (type < sizeof(words) / sizeof(words[0]) && words[type] != NULL)
		snprintf(buf, len, "%s", words[type]);
	else
		snprintf(buf, len, "%u", type);
	return buf;
}

/* ---- rows ---- */

/* zone in the table's form (lower case, no trailing dot): 0, or -1 when
 * it is not a name. */
static int
norm_zone(const char *zone, char *out, size_t len)
{
	size_t n = strlen(zone), i;

	if (n > 0 && zone[n - 1] == '.')
		n--;
	if (n == 0 || n >= len)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)zone[i];

		if (!isalnum(c) && c != '-' && c != '.' && c != '_')
			return -1;
		if (c == '.' && (i == 0 || zone[i - 1] == '.'))
			return -1;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return 0;
}

int
engine_policy_zone_ok(const char *zone)
{
	char z[256];

	return zone != NULL && norm_zone(zone, z, sizeof(z)) == 0;
}

const struct engine_policy_row *
engine_policy_find(const struct engine_policy *p, const char *zone)
{
	char z[256];
	size_t i;

	if (p == NULL || zone == NULL || norm_zone(zone, z, sizeof(z)) != 0)
		return NULL;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].zone, z) == 0)
			return &p->v[i];
	return NULL;
}

const struct engine_policy_row *
engine_policy_lookup(const struct engine_policy *p, const char *domain,
    const char *parent)
{
	const struct engine_policy_row *r;
	const char *s;

	if (parent != NULL && *parent != '\0')
		return engine_policy_find(p, parent);
	if (domain == NULL)
		return NULL;
	/* the nearest enclosing zone with a row, the domain itself not */
	for (s = strchr(domain, '.'); s != NULL && s[1] != '\0';
	    s = strchr(s + 1, '.'))
		if ((r = engine_policy_find(p, s + 1)) != NULL)
			return r;
	return NULL;
}

/* zone's row, added (all unknown) when there is none; NULL: ENOMEM. */
static struct engine_policy_row *
row_get(struct engine_policy *p, const char *z)
{
	struct engine_policy_row *nv;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].zone, z) == 0)
			return &p->v[i];
	if (p->n >= POLICY_ROWS_MAX)
		return NULL;
	if ((nv = realloc(p->v, (p->n + 1) * sizeof(*nv))) == NULL)
		return NULL;
	p->v = nv;
	memset(&nv[p->n], 0, sizeof(nv[0]));
	if ((nv[p->n].zone = strdup(z)) == NULL)
		return NULL;
	return &p->v[p->n++];
}

void
engine_policy_free(struct engine_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].zone);
		free(p->v[i].source);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static int
parse_count(const char *v, unsigned max, unsigned *out)
{
	char *end;
	unsigned long n;

	if (strcasecmp(v, "unknown") == 0) {
		*out = 0;
		return 0;
	}
	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*end != '\0' || errno != 0 || n > max)
		return -1;
	*out = (unsigned)n;
	return 0;
}

/* "sha1,gost", "-", "none" or "unknown" */
static int
parse_refuses(const char *v, uint32_t *bits, int *known, char *buf,
    size_t len, const char **msg)
{
	char word[32];
	enum ds_digest d;
	const char *s = v, *e;
	uint32_t b = 0;
	size_t n;

	if (strcasecmp(v, "unknown") == 0) {
		*bits = 0;
		*known = 0;
		return 0;
	}
	if (strcmp(v, "-") == 0 || strcasecmp(v, "none") == 0) {
		*bits = 0;
		*known = 1;
		return 0;
	}
	while (*s != '\0') {
		for (e = s; *e != '\0' && *e != ','; e++)
			;
		n = (size_t)(e - s);
		if (n == 0 || n >= sizeof(word)) {
			*msg = "refuses: expected digest types (sha1, sha256, "
			    "gost, sha384) separated by commas, '-' or unknown";
			return -1;
		}
		memcpy(word, s, n);
		word[n] = '\0';
		if (ds_digest_from_name(word, &d) != 0 || (unsigned)d > 31) {
			snprintf(buf, len, "refuses: unknown digest type '%s' "
			    "(sha1, sha256, gost, sha384)", word);
			*msg = buf;
			return -1;
		}
		b |= (uint32_t)1 << (unsigned)d;
		s = *e == ',' ? e + 1 : e;
	}
	*bits = b;
	*known = 1;
	return 0;
}

/* One column of r from its value: 0, or -1 with *msg. */
static int
set_column(struct engine_policy_row *r, const char *key, const char *value,
    char *buf, size_t len, const char **msg)
{
	size_t i;
	char *s;

	*msg = NULL;
	if (strcmp(key, "reads") == 0) {
		for (i = 0; i < NWORDS(reads_words); i++)
			if (strcasecmp(value, reads_words[i].word) == 0) {
				r->reads = reads_words[i].value;
				return 0;
			}
		snprintf(buf, len, "reads: expected cds, cdnskey, both, none "
		    "or unknown, got '%s'", value);
	} else if (strcmp(key, "bootstrap") == 0) {
		for (i = 0; i < NWORDS(boot_words); i++)
			if (strcasecmp(value, boot_words[i].word) == 0) {
				r->bootstrap = boot_words[i].value;
				return 0;
			}
		snprintf(buf, len, "bootstrap: expected rfc9615, delay, none "
		    "or unknown, got '%s'", value);
	} else if (strcmp(key, "scan_delay_hours") == 0) {
		if (parse_count(value, 24 * 366, &r->scan_delay_hours) == 0)
			return 0;
		snprintf(buf, len, "scan_delay_hours: expected hours (0 to "
		    "%u) or unknown, got '%s'", 24 * 366, value);
	} else if (strcmp(key, "max_ds") == 0) {
		if (parse_count(value, 255, &r->max_ds) == 0)
			return 0;
		snprintf(buf, len, "max_ds: expected a number of DS records "
		    "(1 to 255; 0 or unknown: not known), got '%s'", value);
	} else if (strcmp(key, "refuses") == 0) {
		if (parse_refuses(value, &r->refuses, &r->refuses_known, buf,
		    len, msg) == 0)
			return 0;
		return -1;
	} else if (strcmp(key, "interface") == 0) {
		for (i = 0; i < NWORDS(iface_words); i++)
			if (strcasecmp(value, iface_words[i].word) == 0) {
				r->iface = iface_words[i].value;
				return 0;
			}
		snprintf(buf, len, "interface: expected dsData, keyData or "
		    "unknown, got '%s'", value);
	} else if (strcmp(key, "source") == 0) {
		if (*value == '\0') {
			*msg = "source: give where the facts come from (a URL)";
			return -1;
		}
		if ((s = strdup(value)) == NULL) {
			*msg = "out of memory";
			return -1;
		}
		free(r->source);
		r->source = s;
		return 0;
	} else
		snprintf(buf, len, "unknown key '%s' (reads, bootstrap, "
		    "scan_delay_hours, max_ds, refuses, interface, source)",
		    key);
	*msg = buf;
	return -1;
}

int
engine_policy_set(struct engine_policy *p, const char *zone, const char *key,
    const char *value, char *buf, size_t buflen, const char **msg)
{
	struct engine_policy_row *r;
	char z[256];

	if (norm_zone(zone, z, sizeof(z)) != 0) {
		snprintf(buf, buflen, "'%s' is not a zone name", zone);
		*msg = buf;
		return DSREG_EPARSE;
	}
	if ((r = row_get(p, z)) == NULL) {
		*msg = "out of memory";
		return DSREG_ENOMEM;
	}
	if (set_column(r, key, value, buf, buflen, msg) != 0)
		return *msg != NULL && strcmp(*msg, "out of memory") == 0 ?
		    DSREG_ENOMEM : DSREG_EPARSE;
	return 0;
}

/* The columns of a line, in order; the source is the rest of the line. */
static const char *const columns[] = {
	"zone", "reads", "bootstrap", "scan_delay_hours", "max_ds", "refuses",
	"interface",
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

int
engine_policy_parse(struct engine_policy *p, const char *name,
    const char *text, size_t len, struct dsreg_err *err)
{
	struct engine_policy_row tmp, *r;
	const char *line = text, *end = text + len, *nl, *msg;
	char buf[POLICY_LINE_MAX + 1], mbuf[256], *tok[NCOLUMNS], *s, *src;
	char z[256];
	size_t first = p->n, i, n;
	unsigned lineno = 0;

	for (; line < end; line = nl + 1) {
		lineno++;
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		n = (size_t)(nl - line);
		if (n > POLICY_LINE_MAX)
			return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: line "
			    "longer than %d characters", name, lineno,
			    POLICY_LINE_MAX);
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (memchr(buf, '\0', n) != NULL)
			return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: NUL "
			    "byte: a policy file is text", name, lineno);
		/* '#' at the start of a word starts a comment (URLs keep
		 * theirs: ".../#faq") */
		for (s = buf; *s != '\0'; s++)
			if (*s == '#' && (s == buf || isspace((unsigned char)
			    s[-1]))) {
				*s = '\0';
				break;
			}
		s = buf;
		for (i = 0; i < NCOLUMNS; i++) {
			while (isspace((unsigned char)*s))
				s++;
			if (*s == '\0')
				break;
			tok[i] = s;
			while (*s != '\0' && !isspace((unsigned char)*s))
				s++;
			if (*s != '\0')
				*s++ = '\0';
		}
		if (i == 0)
			continue;            /* blank or comment */
		if (i < NCOLUMNS)
			return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: %s: "
			    "missing (columns: zone reads bootstrap "
			    "scan_delay_hours max_ds refuses interface "
			    "source)", name, lineno, columns[i]);
		while (isspace((unsigned char)*s))
			s++;
		src = s;
		s = src + strlen(src);
		while (s > src && isspace((unsigned char)s[-1]))
			*--s = '\0';
		if (*src == '\0')
			return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: source: "
			    "missing: every row names where its facts come "
			    "from (a URL)", name, lineno);
		if (norm_zone(tok[0], z, sizeof(z)) != 0)
			return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: zone: "
			    "'%s' is not a zone name", name, lineno, tok[0]);
		for (i = first; i < p->n; i++)
			if (strcmp(p->v[i].zone, z) == 0)
				return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: "
				    "zone %s given twice", name, lineno, z);
		memset(&tmp, 0, sizeof(tmp));
		for (i = 1; i < NCOLUMNS; i++)
			if (set_column(&tmp, columns[i], tok[i], mbuf,
			    sizeof(mbuf), &msg) != 0)
				return dsreg_err_set(err, DSREG_EPARSE,
				    "%s:%u: %s", name, lineno, msg);
		if ((r = row_get(p, z)) == NULL ||
		    (tmp.source = strdup(src)) == NULL)
			return dsreg_err_set(err, DSREG_ENOMEM, "%s:%u: out of "
			    "memory", name, lineno);
		tmp.zone = r->zone;
		free(r->source);
		*r = tmp;
	}
	return 0;
}

int
engine_policy_builtin(struct engine_policy *p, struct dsreg_err *err)
{
	return engine_policy_parse(p, engine_policy_builtin_name,
	    engine_policy_builtin_text, strlen(engine_policy_builtin_text),
	    err);
}

/* ---- use ---- */

int
engine_policy_scans(const struct engine_policy_row *r)
{
	return r != NULL && (r->reads == ENGINE_READS_CDS ||
	    r->reads == ENGINE_READS_CDNSKEY || r->reads == ENGINE_READS_BOTH);
}

int
engine_policy_filter(const struct engine_policy_row *r,
    const struct ds_set *target, struct ds_set *kept, uint32_t *dropped)
{
	size_t i;

	*dropped = 0;
	for (i = 0; i < target->n; i++) {
		unsigned t = target->v[i]->digest_type;

		if (r != NULL && t < 32 && (r->refuses >> t & 1u)) {
			*dropped |= (uint32_t)1 << t;
			continue;
		}
		if (ds_set_add_copy(kept, target->v[i]) != 0)
			return DSREG_ENOMEM;
	}
	return 0;
}

/* A note at the head of the plan's notes (what the policy changed). */
static int
plan_note_first(struct dns_plan *p, char *s)
{
	char **nv;

	if (s == NULL)
		return DSREG_ENOMEM;
	if ((nv = realloc(p->notes, (p->nnotes + 1) * sizeof(*nv))) == NULL) {
		free(s);
		return DSREG_ENOMEM;
	}
	memmove(nv + 1, nv, p->nnotes * sizeof(*nv));
	nv[0] = s;
	p->notes = nv;
	p->nnotes++;
	return 0;
}

static char *
textf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
textf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

/*
 * What the parent's policy says about a plan: a note for each digest type
 * dropped from the target, and a refusal when the final set holds more DS
 * than the registry takes.
 */
int
engine_policy_amend(const struct engine_policy_row *r, const char *zone,
    uint32_t dropped, struct dns_plan *p)
{
	const char *dig;
	unsigned t;
	int rc;

	if (r != NULL)
		zone = r->zone;     /* the table's form: no trailing dot */
	for (t = 32; t-- > 0; )
		if ((dropped >> t & 1u) && (rc = plan_note_first(p, textf(
		    "the registry of %s refuses %s DS records: not sent", zone,
		    (dig = ds_digest_name((uint8_t)t)) != NULL ? dig :
		    "digest type"))) != 0)
			return rc;
	if (r == NULL || r->max_ds == 0 || p->kind != DNS_PLAN_CHANGE ||
	    p->final.n <= r->max_ds)
		return 0;
	rc = plan_note_first(p, textf("refused: the registry of %s takes at "
	    "most %u DS records and the change would leave %zu; remove a key "
	    "or a digest type (digests) first", zone, r->max_ds,
	    p->final.n));
	ds_set_free(&p->add);
	ds_set_free(&p->rem);
	ds_set_free(&p->final);
	p->rem_all = 0;
	p->wait_until = 0;
	p->kind = DNS_PLAN_REFUSE;
	return rc;
}

enum engine_route_kind
engine_policy_route(enum dns_plan_kind kind, int has_account, int conflict,
    int has_notify, int insecure, const struct engine_policy_row *r)
{
	if (kind == DNS_PLAN_NOTHING && !conflict)
		return ENGINE_ROUTE_NONE;
	if (conflict)
		return ENGINE_ROUTE_MANUAL;
	if (has_account)
		return ENGINE_ROUTE_ACCOUNT;
	/* the parent announces a DSYNC NOTIFY target (RFC 9859): checked
	 * before the scan, which it makes happen sooner */
	if (has_notify)
		return ENGINE_ROUTE_NOTIFY;
	/* an unsigned delegation waits for the scan only where the registry
	 * bootstraps one */
	if (engine_policy_scans(r) && !(insecure &&
	    r->bootstrap == ENGINE_BOOT_NONE))
		return ENGINE_ROUTE_SCAN;
	return ENGINE_ROUTE_MANUAL;
}

const char *
engine_route_kind_name(enum engine_route_kind k)
{
	switch (k) {
	case ENGINE_ROUTE_NONE: return "none";
	case ENGINE_ROUTE_ACCOUNT: return "account";
	case ENGINE_ROUTE_NOTIFY: return "notify";
	case ENGINE_ROUTE_SCAN: return "registry-scan";
	case ENGINE_ROUTE_MANUAL: return "manual";
	}
	return "?";
}

const char *
engine_policy_scan_note(const struct engine_policy_row *r, const char *zone,
    char *buf, size_t len)
{
	const char *from = "CDS";
	char when[64];

	if (r != NULL)
		zone = r->zone;     /* the table's form: no trailing dot */
	if (r != NULL && r->reads == ENGINE_READS_CDNSKEY)
		from = "CDNSKEY";
	else if (r != NULL && r->reads == ENGINE_READS_BOTH)
		from = "CDS or CDNSKEY";
	if (r != NULL && r->scan_delay_hours > 0)
		snprintf(when, sizeof(when), "within about %u hour%s",
		    r->scan_delay_hours, r->scan_delay_hours == 1 ? "" : "s");
	else
		snprintf(when, sizeof(when), "by itself (its scan delay is not "
		    "known)");
	snprintf(buf, len, "%sthe registry of %s picks the DS up from %s %s: "
	    "nothing to send", r != NULL && r->reads == ENGINE_READS_CDNSKEY ?
	    "needs CDNSKEY: " : "", zone, from, when);
	return buf;
}

json_t *
engine_policy_json(const struct engine_policy_row *r)
{
	json_t *o = json_object(), *ref = NULL;
	char w[16];
	unsigned t;
	int bad = 0;

	if (o == NULL)
		return NULL;
	if (r->refuses_known) {
		if ((ref = json_array()) == NULL)
			bad = 1;
		for (t = 0; !bad && t < 32; t++)
			if (r->refuses >> t & 1u)
				bad |= json_array_append_new(ref, json_string(
				    engine_policy_digest_word(t, w,
				    sizeof(w)))) != 0;
	} else
		ref = json_null();
	bad |= json_object_set_new(o, "zone", json_string(r->zone)) != 0;
	bad |= json_object_set_new(o, "reads",
	    json_string(engine_policy_reads_name(r->reads))) != 0;
	bad |= json_object_set_new(o, "bootstrap",
	    json_string(engine_policy_boot_name(r->bootstrap))) != 0;
	bad |= json_object_set_new(o, "scan_delay_hours", r->scan_delay_hours ?
	    json_integer(r->scan_delay_hours) : json_null()) != 0;
	bad |= json_object_set_new(o, "max_ds", r->max_ds ?
	    json_integer(r->max_ds) : json_null()) != 0;
	bad |= json_object_set_new(o, "refuses", ref) != 0;
	bad |= json_object_set_new(o, "interface",
	    json_string(engine_policy_iface_name(r->iface))) != 0;
	bad |= json_object_set_new(o, "source", r->source ?
	    json_string(r->source) : json_null()) != 0;
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
