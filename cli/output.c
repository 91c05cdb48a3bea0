/* cli/output.c - streaming result output: text table + scorecard + progress bar, json, jsonl, csv, metrics (JSON by jansson) */
#include "cli/output.h"
#include "engine/engine.h"
#include "common/buf.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define JSON_MAX (32u << 20)     /* one domain's JSON object */
#define RR_TEXT_MAX (1u << 20)   /* one record's text */

struct output;

/* One output format: how a domain is written, and how the stream ends. */
struct output_format {
	const char *name;
	enum cli_format id;
	int (*write)(struct output *, const struct dns_audit *,
	    const json_t *extra, struct dsreg_buf *pre);
	void (*finish)(struct output *, double elapsed);
};

static const struct output_format *format_of(enum cli_format id);

struct output {
	const struct output_format *fmt;
	FILE *fp;
	int progress;
	size_t total, done;
	size_t counts[DNS_V_COUNT];
	struct timespec start, last_draw;
	struct metrics_run metrics;   /* for openmetrics; see output_metrics */
	int header_done;
	int bar_shown;
	const struct engine_policy *policy; /* JSON "parent_policy" (NULL:
	                                       not written) */
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
	o->fmt = format_of(fmt);
	o->fp = fp;
	o->progress = progress;
	o->total = total;
	clock_gettime(CLOCK_MONOTONIC, &o->start);
	metrics_run_init(&o->metrics);
	{
		struct timespec wall;

		clock_gettime(CLOCK_REALTIME, &wall);
		o->metrics.have_run = 1;
		o->metrics.run_start = (double)wall.tv_sec +
		    (double)wall.tv_nsec / 1e9;
	}
	*out = o;
	return 0;
}

void
output_free(struct output *o)
{
	if (o != NULL)
		metrics_run_free(&o->metrics);
	free(o);
}

size_t
output_count(const struct output *o, enum dns_verdict v)
{
	return (unsigned)v < DNS_V_COUNT ? o->counts[v] : 0;
}

struct metrics_run *
output_metrics(struct output *o)
{
	int v;

	o->metrics.have_verdicts = 1;
	for (v = 0; v < DNS_V_COUNT; v++)
		o->metrics.verdicts[v] = o->counts[v];
	return &o->metrics;
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

/* ---- JSON (jansson) ---------------------------------------------------- */

/* Text read from a file or heard from a server may not be UTF-8; JSON must
 * be.  Length of the valid UTF-8 sequence at p (RFC 3629 §4), 0 if none. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		lo = p[0] == 0xe0 ? 0xa0 : 0x80;
		hi = p[0] == 0xed ? 0x9f : 0xbf;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		lo = p[0] == 0xf0 ? 0x90 : 0x80;
		hi = p[0] == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* A JSON string of n octets (NULL: null); octets that are not UTF-8
 * become U+FFFD. */
static json_t *
jstrn(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	struct dsreg_buf b;
	json_t *j;
	size_t i, k;

	if (s == NULL)
		return json_null();
	if ((j = json_stringn(s, n)) != NULL)
		return j;
	dsreg_buf_init(&b, 3 * n + 1);
	for (i = 0; i < n; i += k) {
		k = utf8_seq(p + i, n - i);
		if ((k > 0 ? dsreg_buf_append(&b, p + i, k) :
		    dsreg_buf_append(&b, "\xef\xbf\xbd", 3)) != 0)
			goto out;             /* ENOMEM: j stays NULL */
		if (k == 0)
			k = 1;
	}
	j = json_stringn(b.data != NULL ? b.data : "", b.len);
out:
	dsreg_buf_free(&b);
	return j;
}

static json_t *
jstr(const char *s)
{
	return jstrn(s, s != NULL ? strlen(s) : 0);
}

/* Members and elements; a NULL value (ENOMEM) marks the object bad. */
static void
put(json_t *o, const char *key, json_t *v, int *bad)
{
	if (json_object_set_new(o, key, v) != 0)
		*bad = 1;
}

static void
push(json_t *a, json_t *v, int *bad)
{
	if (json_array_append_new(a, v) != 0)
		*bad = 1;
}

json_t *
output_ds_json(const struct ds_set *set, int rdata_only)
{
	return engine_ds_json(set, rdata_only);
}

static json_t *
strv_json(char *const *v, size_t n, int *bad)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr != NULL && i < n; i++)
		push(arr, jstr(v[i]), bad);
	return arr;
}

/* Records in presentation form (RRSIGs without the signature), only those
 * of type `only` unless 0. */
static json_t *
rrs_json(const ldns_rr_list *l, int sigs, ldns_rr_type only, int *bad)
{
	json_t *arr = json_array();
	struct dsreg_buf t;
	size_t i;
	ldns_rr *rr;

	dsreg_buf_init(&t, RR_TEXT_MAX);
	for (i = 0; arr != NULL && i < ldns_rr_list_rr_count(l); i++) {
		rr = ldns_rr_list_rr(l, i);
		if (only != 0 && ldns_rr_get_type(rr) != only)
			continue;
		dsreg_buf_reset(&t);
		push(arr, dns_rr_format(&t, rr, sigs) == 0 ?
		    jstrn(t.data, t.len) : NULL, bad);
	}
	dsreg_buf_free(&t);
	return arr;
}

static json_t *
reply_json(const struct dns_reply *r, int is_ns, int *bad)
{
	json_t *o = json_object();
	ldns_lookup_table *t;

	if (o == NULL)
		return NULL;
	if (r->status != 0) {
		put(o, "error", jstr(r->err), bad);
		put(o, "ms", json_integer((json_int_t)r->ms), bad);
		return o;
	}
	t = ldns_lookup_by_id(ldns_rcodes, r->rcode);
	put(o, "rcode", jstr(t != NULL ? t->name : "?"), bad);
	put(o, "aa", json_boolean(r->aa), bad);
	put(o, "tcp", json_boolean(r->tcp), bad);
	put(o, "ms", json_integer((json_int_t)r->ms), bad);
	put(o, "records", rrs_json(r->rrs, 0, 0, bad), bad);
	put(o, "rrsigs", rrs_json(r->sigs, 1, 0, bad), bad);
	if (is_ns) {
		put(o, "referral", rrs_json(r->auth, 0, LDNS_RR_TYPE_NS, bad),
		    bad);
		put(o, "glue", rrs_json(r->extra, 0, 0, bad), bad);
	}
	return o;
}

static json_t *
servers_json(const struct dns_audit *a, int *bad)
{
	static const char *pn[] = { "DS", "NS" };
	static const char *cn[] = { "DNSKEY", "CDS", "CDNSKEY" };
	json_t *arr = json_array(), *o, *ans;
	size_t i;
	int k;

	for (i = 0; arr != NULL && i < a->nservers; i++) {
		const struct dns_server *sv = &a->servers[i];
		int parent = sv->role == DNS_PARENT;

		if ((o = json_object()) == NULL) {
			*bad = 1;
			break;
		}
		put(o, "name", jstr(sv->name), bad);
		put(o, "address", jstr(sv->addr.len != 0 ? sv->addr.text :
		    NULL), bad);
		put(o, "role", jstr(parent ? "parent" : "child"), bad);
		if ((ans = json_object()) != NULL)
			for (k = 0; k < sv->nreplies; k++)
				put(ans, parent ? pn[k] : cn[k], reply_json(
				    &sv->r[k], parent && k == DNS_Q_NS, bad),
				    bad);
		put(o, "answers", ans, bad);
		if (parent) {
			/* what it signs about the delegation (RRSIG over
			 * the DS RRset, or its no-DS proof) */
			json_t *d = json_object();

			if (d != NULL) {
				put(d, "checked", jstr(sv->psig_what[0] != '\0' ?
				    sv->psig_what : NULL), bad);
				put(d, "result", jstr(dns_psig_name(sv->psig)),
				    bad);
				put(d, "detail", jstr(sv->psig_why[0] != '\0' ?
				    sv->psig_why : NULL), bad);
			}
			put(o, "delegation_signatures", d, bad);
		}
		push(arr, o, bad);
	}
	return arr;
}

/* What the CDS/CDNSKEY and the RFC 9615 signals showed (dns_judge). */
static json_t *
signals_json(const struct dns_audit *a, int *bad)
{
	const struct dns_signals *sg = &a->signals;
	json_t *o = json_object(), *arr, *b;
	size_t i;

	if (o == NULL)
		return NULL;
	put(o, "present", json_boolean(sg->present), bad);
	put(o, "delete", json_boolean(sg->delete), bad);
	put(o, "consistent", json_boolean(sg->present && sg->same), bad);
	put(o, "signed", json_boolean(sg->present && sg->valid), bad);
	put(o, "match_expected", json_boolean(sg->present && sg->match), bad);
	put(o, "ok", json_boolean(sg->ok), bad);
	put(o, "dsboot_checked", json_boolean(sg->boot_checked), bad);
	put(o, "dsboot_ok", json_boolean(sg->boot_ok), bad);
	if ((arr = json_array()) != NULL)
		for (i = 0; i < sg->nboot; i++) {
			const struct dns_boot *bt = &sg->boot[i];

			if ((b = json_object()) == NULL) {
				*bad = 1;
				break;
			}
			put(b, "ns", jstr(bt->ns), bad);
			put(b, "name", jstr(bt->owner), bad);
			put(b, "zone", jstr(bt->zone), bad);
			put(b, "error", jstr(bt->error), bad);
			put(b, "present", json_boolean(bt->present), bad);
			put(b, "signed", json_boolean(bt->valid), bad);
			put(b, "equal", json_boolean(bt->equal), bad);
			push(arr, b, bad);
		}
	put(o, "dsboot", arr, bad);
	if (a->dsync_owner != NULL) {
		json_t *d = json_object();

		if (d != NULL) {
			put(d, "owner", jstr(a->dsync_owner), bad);
			put(d, "target", jstr(a->dsync.target), bad);
			put(d, "port", json_integer(a->dsync.port), bad);
			put(d, "rrtype", jstr(a->dsync.target == NULL ? NULL :
			    a->dsync.rrtype == LDNS_RR_TYPE_CDNSKEY ?
			    "CDNSKEY" : "CDS"), bad);
			put(d, "note", jstr(a->dsync_note), bad);
		}
		put(o, "dsync", d, bad);
	}
	return o;
}

json_t *
output_audit_json(const struct dns_audit *a)
{
	json_t *o = json_object();
	int bad = 0;

	if (o == NULL)
		return NULL;
	put(o, "domain", jstr(a->domain), &bad);
	put(o, "verdict", jstr(dns_verdict_name(a->verdict)), &bad);
	put(o, "parent", jstr(a->parent), &bad);
	put(o, "findings", strv_json(a->findings, a->nfindings, &bad), &bad);
	put(o, "parent_ds", output_ds_json(&a->parent_ds, 0), &bad);
	put(o, "expected_ds", output_ds_json(&a->expected_ds, 0), &bad);
	put(o, "delegation", strv_json(a->deleg, a->ndeleg, &bad), &bad);
	put(o, "servers", servers_json(a, &bad), &bad);
	put(o, "signals", signals_json(a, &bad), &bad);
	put(o, "ms", json_integer((json_int_t)a->ms), &bad);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void
output_set_policy(struct output *o, const struct engine_policy *policy)
{
	o->policy = policy;
}

/* The audit's object with extra's members after ours, compact, into out. */
static int
audit_dump(const struct output *out_o, const struct dns_audit *a,
    const json_t *extra, struct dsreg_buf *out)
{
	const struct engine_policy_row *r;
	json_t *o = output_audit_json(a), *pj = NULL;
	char *s = NULL;
	int rc = DSREG_ENOMEM;

	if (o != NULL && out_o->policy != NULL) {
		/* what the parent's registry does by itself (null: no row) */
		r = engine_policy_lookup(out_o->policy, a->domain, a->parent);
		pj = r != NULL ? engine_policy_json(r) : json_null();
		if (pj == NULL || json_object_set_new(o, "parent_policy",
		    pj) != 0) {
			json_decref(o);
			o = NULL;
		}
	}
	if (o != NULL && (extra == NULL || !json_is_object(extra) ||
	    json_object_update(o, (json_t *)extra) == 0) &&
	    (s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) != NULL)
		rc = dsreg_buf_appends(out, s);
	free(s);
	json_decref(o);
	return rc;
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
csv_join(FILE *fp, const json_t *arr, char *const *v, size_t n)
{
	size_t i, len = 0;
	char *buf = NULL;
	FILE *m = open_memstream(&buf, &len);

	if (m == NULL)
		return;
	if (arr != NULL)
		n = json_array_size(arr);
	for (i = 0; i < n; i++)
		fprintf(m, "%s%s", i > 0 ? " | " : "", arr != NULL ?
		    json_string_value(json_array_get(arr, i)) : v[i]);
	fclose(m);
	csv_field(fp, buf != NULL ? buf : "");
	free(buf);
}

static void
csv_join_ds(FILE *fp, const struct ds_set *set)
{
	json_t *arr = output_ds_json(set, 0);

	if (arr != NULL)
		csv_join(fp, arr, NULL, 0);
	json_decref(arr);
}

static const char csv_header[] =
    "domain,verdict,parent,parent_ds,expected_ds,findings,servers,account\n";

static int
write_csv(struct output *o, const struct dns_audit *a, const json_t *extra,
    struct dsreg_buf *pre)
{
	json_t *acc = extra != NULL ? json_object_get(extra, "account") : NULL;

	if (!o->header_done) {
		fputs(csv_header, o->fp);
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
	csv_join(o->fp, NULL, a->findings, a->nfindings);
	fprintf(o->fp, ",%zu,", a->nservers);
	if (json_is_string(acc))
		csv_field(o->fp, json_string_value(acc));
	fputc('\n', o->fp);
	fflush(o->fp);
	return 0;
}

static void
finish_csv(struct output *o, double el)
{
	if (!o->header_done)
		fputs(csv_header, o->fp);
}

static int
write_text(struct output *o, const struct dns_audit *a, const json_t *extra,
    struct dsreg_buf *pre)
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
	return 0;
}

static void
finish_text(struct output *o, double el)
{
	int v;

	fprintf(o->fp, "\nscorecard: %zu domain%s in %.1f s (%.1f/s)\n",
	    o->done, o->done == 1 ? "" : "s", el,
	    el > 0 ? (double)o->done / el : 0.0);
	for (v = 0; v < DNS_V_COUNT; v++)
		if (o->counts[v] > 0)
			fprintf(o->fp, "  %-19s %6zu\n",
			    dns_verdict_name((enum dns_verdict)v), o->counts[v]);
}

/* json: one array, an object per line; jsonl: an object per line. */
static int
write_json(struct output *o, const struct dns_audit *a, const json_t *extra,
    struct dsreg_buf *pre)
{
	struct dsreg_buf b;
	int rc = 0;

	dsreg_buf_init(&b, JSON_MAX);
	if (pre != NULL && pre->len > 0 && (extra == NULL ||
	    json_object_size(extra) == 0)) {
		b = *pre;                  /* adopted; pre keeps nothing */
		dsreg_buf_init(pre, JSON_MAX);
	} else if ((rc = audit_dump(o, a, extra, &b)) != 0)
		goto out;
	if (o->fmt->id == FMT_JSON)
		fprintf(o->fp, "%s%s", o->header_done ? ",\n" : "[\n", b.data);
	else {
		fprintf(o->fp, "%s\n", b.data);
		fflush(o->fp);
	}
	o->header_done = 1;
out:
	dsreg_buf_free(&b);
	return rc;
}

static void
finish_json(struct output *o, double el)
{
	fputs(o->header_done ? "\n]\n" : "[]\n", o->fp);
}

/* openmetrics: nothing per domain (output_audit_pre counts it); the
 * command writes the metrics at the end of its run. */
static int
write_none(struct output *o, const struct dns_audit *a, const json_t *extra,
    struct dsreg_buf *pre)
{
	return 0;
}

/* The output formats (--format NAME).  html is report's alone: for the
 * per-domain commands it writes what text does. */
static const struct output_format formats[] = {
	{ "text", FMT_TEXT, write_text, finish_text },
	{ "json", FMT_JSON, write_json, finish_json },
	{ "jsonl", FMT_JSONL, write_json, NULL },
	{ "csv", FMT_CSV, write_csv, finish_csv },
	{ "openmetrics", FMT_OPENMETRICS, write_none, NULL },
	{ "html", FMT_HTML, write_text, finish_text },
};

int
output_format_find(const char *name, enum cli_format *out)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0) {
			*out = formats[i].id;
			return 0;
		}
	return -1;
}

static const struct output_format *
format_of(enum cli_format id)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].id == id)
			return &formats[i];
	return &formats[0];
}

int
output_audit_render(const struct output *o, const struct dns_audit *a,
    struct dsreg_buf *out)
{
	dsreg_buf_init(out, JSON_MAX);
	if (o->fmt->write != write_json)
		return 0;
	return audit_dump(o, a, NULL, out);
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
	json_t *kind = extra != NULL ? json_object_get(extra, "plan") : NULL;
	json_t *acct = extra != NULL ? json_object_get(extra, "account") : NULL;
	int rc;

	if ((unsigned)a->verdict < DNS_V_COUNT)
		o->counts[a->verdict]++;
	if (json_is_string(kind) && metrics_plan_add(&o->metrics,
	    json_string_value(kind), json_is_string(acct) ?
	    json_string_value(acct) : NULL) != 0)
		return DSREG_ENOMEM;
	o->done++;
	bar_clear(o);
	rc = o->fmt->write(o, a, extra, pre);
	bar_draw(o, 0);
	if (ferror(o->fp))
		rc = DSREG_EIO;
	return rc;
}

int
output_finish(struct output *o)
{
	bar_clear(o);
	o->metrics.run_duration = secs_since(&o->start);
	if (o->fmt->finish != NULL)
		o->fmt->finish(o, secs_since(&o->start));
	fflush(o->fp);
	return ferror(o->fp) ? DSREG_EIO : 0;
}
