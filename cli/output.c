/* cli/output.c - streaming result output: text table + scorecard + progress bar, json, jsonl, csv */
#include "cli/output.h"
#include "common/buf.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct output {
	enum cli_format fmt;
	FILE *fp;
	int progress;
	size_t total, done;
	size_t counts[DNS_V_COUNT];
	struct timespec start, last_draw;
	int header_done;
	int bar_shown;
};

static double
secs_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int
output_new(struct output **out, enum cli_format fmt, FILE *fp, int progress,
    size_t total)
{
	struct output *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return DSREG_ENOMEM;
	o->fmt = fmt;
	o->fp = fp;
	o->progress = progress;
	o->total = total;
	clock_gettime(CLOCK_MONOTONIC, &o->start);
	*out = o;
	return 0;
}

void
output_free(struct output *o)
{
	free(o);
}

size_t
output_count(const struct output *o, enum dns_verdict v)
{
	return (unsigned)v < DNS_V_COUNT ? o->counts[v] : 0;
}

json_t *
output_counts_json(const struct output *o)
{
	json_t *j = json_object();
	int v;

	if (j == NULL)
		return NULL;
	for (v = 0; v < DNS_V_COUNT; v++)
		json_object_set_new(j, dns_verdict_name((enum dns_verdict)v),
		    json_integer((json_int_t)o->counts[v]));
	return j;
}

/* ---- JSON -------------------------------------------------------------- */

json_t *
output_ds_json(const struct ds_set *set)
{
	json_t *arr = json_array();
	char *t;
	size_t i;

	if (arr == NULL)
		return NULL;
	for (i = 0; i < set->n; i++) {
		if ((t = ds_rec_to_text(set->v[i], 0)) == NULL)
			continue;
		json_array_append_new(arr, json_string(t));
		free(t);
	}
	return arr;
}

/*
 * JSON of one audit, written straight into a buffer: a 10,000-domain run
 * writes some 50,000 records, and building jansson objects for each cost
 * a fifth of the run.  output_audit_json parses this text back for callers
 * that want objects.  Every string here is ASCII or UTF-8 from our own
 * messages (ldns escapes other octets as \DDD).
 */
#define JSON_MAX (32u << 20)

struct jw {
	struct dsreg_buf b;
	struct dsreg_buf rr;  /* record text, reused */
	int err;
};

static void
jappend(struct jw *w, const char *s, size_t n)
{
	if (dsreg_buf_append(&w->b, s, n) != 0)
		w->err = 1;
}

/* A literal: its length is known at compile time. */
/* A string literal (only: its length is taken at compile time). */
#define jraw(w, lit) jappend((w), "" lit, sizeof(lit) - 1)

/*
 * A JSON string of n octets of s: room for the worst case (every octet
 * as \u00XX) is reserved once, then plain runs are copied.
 */
static void
jstrn(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	char *p;

	if (dsreg_buf_reserve(&w->b, 6 * n + 2) != 0) {
		w->err = 1;
		return;
	}
	p = w->b.data + w->b.len;
	*p++ = '"';
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x20 && ch != '"' && ch != '\\') {
			*p++ = (char)ch;
			continue;
		}
		*p++ = '\\';
		if (ch == '"' || ch == '\\')
			*p++ = (char)ch;
		else {
			*p++ = 'u';
			*p++ = '0';
			*p++ = '0';
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
		}
	}
	*p++ = '"';
	dsreg_buf_added(&w->b, (size_t)(p - (w->b.data + w->b.len)));
}

static void
jstr(struct jw *w, const char *s)
{
	if (s == NULL)
		jraw(w, "null");
	else
		jstrn(w, s, strlen(s));
}

/* ,"key": (no comma before the first member); keys are our own ASCII */
#define jkey(w, key, first) \
	((first) ? jraw((w), "\"" key "\":") : jraw((w), ",\"" key "\":"))

static void
jbool(struct jw *w, int v)
{
	if (v)
		jraw(w, "true");
	else
		jraw(w, "false");
}

/* The same for a key known only at run time. */
static void
jkeyv(struct jw *w, const char *key, int first)
{
	if (!first)
		jraw(w, ",");
	jstr(w, key);
	jraw(w, ":");
}

static void
jnum(struct jw *w, unsigned long v)
{
	char t[24];
	int n = (int)sizeof(t);

	do {
		t[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	jappend(w, t + n, sizeof(t) - (size_t)n);
}

/* A record in presentation form, or an RRSIG without its signature. */
static void
jrr(struct jw *w, const ldns_rr *rr, int sig)
{
	dsreg_buf_reset(&w->rr);
	if (dns_rr_format(&w->rr, rr, sig) != 0) {
		w->err = 1;
		return;
	}
	jstrn(w, w->rr.data, w->rr.len);
}

static void
jlist(struct jw *w, const ldns_rr_list *l, int sigs, ldns_rr_type only)
{
	size_t i;
	int first = 1;
	ldns_rr *rr;

	jraw(w, "[");
	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		rr = ldns_rr_list_rr(l, i);
		if (only != 0 && ldns_rr_get_type(rr) != only)
			continue;
		if (!first)
			jraw(w, ",");
		first = 0;
		jrr(w, rr, sigs);
	}
	jraw(w, "]");
}

static void
jds(struct jw *w, const struct ds_set *set)
{
	char *t;
	size_t i;

	jraw(w, "[");
	for (i = 0; i < set->n; i++) {
		if (i > 0)
			jraw(w, ",");
		if ((t = ds_rec_to_text(set->v[i], 0)) == NULL) {
			w->err = 1;
			jraw(w, "null");
			continue;
		}
		jstr(w, t);
		free(t);
	}
	jraw(w, "]");
}

static void
jstrv(struct jw *w, char *const *v, size_t n)
{
	size_t i;

	jraw(w, "[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			jraw(w, ",");
		jstr(w, v[i]);
	}
	jraw(w, "]");
}

static void
jreply(struct jw *w, const struct dns_reply *r, int is_ns)
{
	ldns_lookup_table *t;

	jraw(w, "{");
	if (r->status != 0) {
		jkey(w, "error", 1);
		jstr(w, r->err);
		jkey(w, "ms", 0);
		jnum(w, r->ms);
		jraw(w, "}");
		return;
	}
	t = ldns_lookup_by_id(ldns_rcodes, r->rcode);
	jkey(w, "rcode", 1);
	jstr(w, t != NULL ? t->name : "?");
	jkey(w, "aa", 0);
	jbool(w, r->aa);
	jkey(w, "tcp", 0);
	jbool(w, r->tcp);
	jkey(w, "ms", 0);
	jnum(w, r->ms);
	jkey(w, "records", 0);
	jlist(w, r->rrs, 0, 0);
	jkey(w, "rrsigs", 0);
	jlist(w, r->sigs, 1, 0);
	if (is_ns) {
		jkey(w, "referral", 0);
		jlist(w, r->auth, 0, LDNS_RR_TYPE_NS);
		jkey(w, "glue", 0);
		jlist(w, r->extra, 0, 0);
	}
	jraw(w, "}");
}

static void
jservers(struct jw *w, const struct dns_audit *a)
{
	static const char *pn[] = { "DS", "NS" };
	static const char *cn[] = { "DNSKEY", "CDS", "CDNSKEY" };
	size_t i;
	int k;

	jraw(w, "[");
	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *sv = &a->servers[i];

		if (i > 0)
			jraw(w, ",");
		jraw(w, "{");
		jkey(w, "name", 1);
		jstr(w, sv->name);
		jkey(w, "address", 0);
		jstr(w, sv->addr.len != 0 ? sv->addr.text : NULL);
		jkey(w, "role", 0);
		jstr(w, sv->role == DNS_PARENT ? "parent" : "child");
		jkey(w, "answers", 0);
		jraw(w, "{");
		for (k = 0; k < sv->nreplies; k++) {
			jkeyv(w, sv->role == DNS_PARENT ? pn[k] : cn[k], k == 0);
			jreply(w, &sv->r[k], sv->role == DNS_PARENT &&
			    k == DNS_Q_NS);
		}
		jraw(w, "}");
		if (sv->role == DNS_PARENT) {
			/* what it signs about the delegation (RRSIG over
			 * the DS RRset, or its no-DS proof) */
			jkey(w, "delegation_signatures", 0);
			jraw(w, "{");
			jkey(w, "checked", 1);
			jstr(w, sv->psig_what[0] != '\0' ? sv->psig_what :
			    NULL);
			jkey(w, "result", 0);
			jstr(w, dns_psig_name(sv->psig));
			jkey(w, "detail", 0);
			jstr(w, sv->psig_why[0] != '\0' ? sv->psig_why : NULL);
			jraw(w, "}");
		}
		jraw(w, "}");
	}
	jraw(w, "]");
}

/* The audit's JSON object into w->b; 0 or DSREG_ENOMEM/DSREG_ETOOBIG. */
static int
audit_write(struct jw *w, const struct dns_audit *a)
{
	dsreg_buf_init(&w->b, JSON_MAX);
	dsreg_buf_init(&w->rr, JSON_MAX);
	w->err = 0;
	jraw(w, "{");
	jkey(w, "domain", 1);
	jstr(w, a->domain);
	jkey(w, "verdict", 0);
	jstr(w, dns_verdict_name(a->verdict));
	jkey(w, "parent", 0);
	jstr(w, a->parent);
	jkey(w, "findings", 0);
	jstrv(w, a->findings, a->nfindings);
	jkey(w, "parent_ds", 0);
	jds(w, &a->parent_ds);
	jkey(w, "expected_ds", 0);
	jds(w, &a->expected_ds);
	jkey(w, "delegation", 0);
	jstrv(w, a->deleg, a->ndeleg);
	jkey(w, "servers", 0);
	jservers(w, a);
	jkey(w, "ms", 0);
	jnum(w, a->ms);
	jraw(w, "}");
	dsreg_buf_free(&w->rr);
	return w->err ? DSREG_ETOOBIG : 0;
}

/*
 * Append the members of extra (a JSON object) before the closing brace.
 * Its keys must not repeat ours.
 */
static int
splice_extra(struct jw *w, const json_t *extra)
{
	char *e;
	size_t n;
	int rc = 0;

	if (extra == NULL || !json_is_object(extra) ||
	    json_object_size(extra) == 0)
		return 0;
	if ((e = json_dumps(extra, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
	    NULL)
		return DSREG_ENOMEM;
	n = strlen(e);
	w->b.len--;                           /* drop our '}' */
	w->b.data[w->b.len] = '\0';
	e[0] = ',';                           /* extra's '{' */
	if (dsreg_buf_append(&w->b, e, n) != 0)
		rc = DSREG_ETOOBIG;
	free(e);
	return rc;
}

json_t *
output_audit_json(const struct dns_audit *a)
{
	struct jw w;
	json_t *j = NULL;

	if (audit_write(&w, a) == 0)
		j = json_loadb(w.b.data, w.b.len, 0, NULL);
	dsreg_buf_free(&w.b);
	return j;
}

/* ---- progress bar ------------------------------------------------------ */

static void
bar_clear(struct output *o)
{
	if (o->bar_shown) {
		fputs("\r\033[K", stderr);
		o->bar_shown = 0;
	}
}

static void
bar_draw(struct output *o, int force)
{
	struct timespec now;
	double el, rate;
	size_t w = 30, fill;
	char bar[40];

	if (!o->progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && (now.tv_sec - o->last_draw.tv_sec) * 1000 +
	    (now.tv_nsec - o->last_draw.tv_nsec) / 1000000 < 100)
		return;
	o->last_draw = now;
	el = secs_since(&o->start);
	rate = el > 0 ? (double)o->done / el : 0;
	fill = o->total > 0 ? o->done * w / o->total : 0;
	memset(bar, '#', fill);
	memset(bar + fill, '.', w - fill);
	bar[w] = '\0';
	fprintf(stderr, "\r\033[K[%s] %zu/%zu %3zu%%  %.0f/s", bar, o->done,
	    o->total, o->total > 0 ? o->done * 100 / o->total : 0, rate);
	fflush(stderr);
	o->bar_shown = 1;
}

/* ---- text and CSV -------------------------------------------------------- */

static void
csv_field(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
csv_join_ds(FILE *fp, const struct ds_set *set)
{
	json_t *arr = output_ds_json(set);
	size_t i, len = 0;
	char *buf = NULL;
	FILE *m = open_memstream(&buf, &len);

	if (m != NULL && arr != NULL) {
		for (i = 0; i < json_array_size(arr); i++)
			fprintf(m, "%s%s", i > 0 ? " | " : "",
			    json_string_value(json_array_get(arr, i)));
		fclose(m);
		csv_field(fp, buf != NULL ? buf : "");
	} else if (m != NULL)
		fclose(m);
	free(buf);
	json_decref(arr);
}

static void
write_csv(struct output *o, const struct dns_audit *a, const json_t *extra)
{
	size_t i;
	json_t *acc = extra != NULL ? json_object_get(extra, "account") : NULL;

	if (!o->header_done) {
		fputs("domain,verdict,parent,parent_ds,expected_ds,findings,"
		    "servers,account\n", o->fp);
		o->header_done = 1;
	}
	csv_field(o->fp, a->domain);
	fputc(',', o->fp);
	csv_field(o->fp, dns_verdict_name(a->verdict));
	fputc(',', o->fp);
	csv_field(o->fp, a->parent != NULL ? a->parent : "");
	fputc(',', o->fp);
	csv_join_ds(o->fp, &a->parent_ds);
	fputc(',', o->fp);
	csv_join_ds(o->fp, &a->expected_ds);
	fputc(',', o->fp);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (m != NULL) {
			for (i = 0; i < a->nfindings; i++)
				fprintf(m, "%s%s", i > 0 ? " | " : "",
				    a->findings[i]);
			fclose(m);
			csv_field(o->fp, buf != NULL ? buf : "");
		}
		free(buf);
	}
	fprintf(o->fp, ",%zu,", a->nservers);
	if (json_is_string(acc))
		csv_field(o->fp, json_string_value(acc));
	fputc('\n', o->fp);
}

static void
write_text(struct output *o, const struct dns_audit *a, const json_t *extra)
{
	json_t *acts = extra != NULL ? json_object_get(extra, "actions") : NULL;
	size_t i;

	if (!o->header_done) {
		fprintf(o->fp, "%-32s %-19s %-16s %3s  %s\n", "DOMAIN", "VERDICT",
		    "PARENT", "DS", "FINDINGS");
		o->header_done = 1;
	}
	fprintf(o->fp, "%-32s %-19s %-16s %3zu  %s\n", a->domain,
	    dns_verdict_name(a->verdict), a->parent != NULL ? a->parent : "-",
	    a->parent_ds.n, a->nfindings > 0 ? a->findings[0] : "");
	for (i = 1; i < a->nfindings; i++)
		fprintf(o->fp, "%-32s %-19s %-16s %3s  %s\n", "", "", "", "",
		    a->findings[i]);
	for (i = 0; json_is_array(acts) && i < json_array_size(acts); i++)
		if (json_is_string(json_array_get(acts, i)))
			fprintf(o->fp, "%-32s %-19s %-16s %3s  action: %s\n", "",
			    "", "", "", json_string_value(json_array_get(acts,
			    i)));
}

int
output_audit_render(const struct output *o, const struct dns_audit *a,
    struct dsreg_buf *out)
{
	struct jw w;
	int rc;

	dsreg_buf_init(out, JSON_MAX);
	if (o->fmt != FMT_JSON && o->fmt != FMT_JSONL)
		return 0;
	memset(&w, 0, sizeof(w));
	rc = audit_write(&w, a);
	*out = w.b;
	return rc;
}

int
output_audit(struct output *o, const struct dns_audit *a, const json_t *extra)
{
	return output_audit_pre(o, a, extra, NULL);
}

int
output_audit_pre(struct output *o, const struct dns_audit *a,
    const json_t *extra, struct dsreg_buf *pre)
{
	struct jw w;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	if ((unsigned)a->verdict < DNS_V_COUNT)
		o->counts[a->verdict]++;
	o->done++;
	bar_clear(o);
	switch (o->fmt) {
	case FMT_TEXT:
		write_text(o, a, extra);
		break;
	case FMT_CSV:
		write_csv(o, a, extra);
		break;
	case FMT_JSON:
	case FMT_JSONL:
		if (pre != NULL && pre->len > 0) {
			/* adopt the rendered object; pre keeps nothing */
			w.b = *pre;
			dsreg_buf_init(pre, JSON_MAX);
		} else if ((rc = audit_write(&w, a)) != 0)
			break;
		if ((rc = splice_extra(&w, extra)) != 0)
			break;
		if (o->fmt == FMT_JSON)
			fprintf(o->fp, "%s%s", o->header_done ? ",\n" : "[\n",
			    w.b.data);
		else
			fprintf(o->fp, "%s\n", w.b.data);
		o->header_done = 1;
		break;
	}
	dsreg_buf_free(&w.b);
	if (o->fmt == FMT_JSONL || o->fmt == FMT_CSV)
		fflush(o->fp);
	bar_draw(o, 0);
	if (ferror(o->fp))
		rc = DSREG_EIO;
	return rc;
}

int
output_finish(struct output *o)
{
	double el = secs_since(&o->start);
	int v;

	bar_clear(o);
	switch (o->fmt) {
	case FMT_JSON:
		fputs(o->header_done ? "\n]\n" : "[]\n", o->fp);
		break;
	case FMT_CSV:
		if (!o->header_done)
			fputs("domain,verdict,parent,parent_ds,expected_ds,"
			    "findings,servers,account\n", o->fp);
		break;
	case FMT_TEXT:
		fprintf(o->fp, "\nscorecard: %zu domain%s in %.1f s (%.1f/s)\n",
		    o->done, o->done == 1 ? "" : "s", el,
		    el > 0 ? (double)o->done / el : 0.0);
		for (v = 0; v < DNS_V_COUNT; v++)
			if (o->counts[v] > 0)
				fprintf(o->fp, "  %-19s %6zu\n",
				    dns_verdict_name((enum dns_verdict)v),
				    o->counts[v]);
		break;
	case FMT_JSONL:
		break;
	}
	fflush(o->fp);
	return ferror(o->fp) ? DSREG_EIO : 0;
}
