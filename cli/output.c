/* cli/output.c - streaming result output: text table + scorecard + progress bar, json, jsonl, csv */
#include "cli/output.h"
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

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

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

static json_t *
rr_json(const ldns_rr *rr)
{
	char *t = dns_rr_text(rr);
	size_t n;
	json_t *j;

	if (t == NULL)
		return json_null();
	n = strlen(t);
	for (size_t i = 0; i < n; i++)
		if (t[i] == '\t')
			t[i] = ' ';
	j = json_string(t);
	free(t);
	return j;
}

/* RRSIG without the signature: "DNSKEY 13 2 300 20261201000000 ... 12345 zone." */
static json_t *
sig_json(const ldns_rr *rr)
{
	char buf[512], *t;
	size_t o = 0, i;

	buf[0] = '\0';
	for (i = 0; i < 8 && i < ldns_rr_rd_count(rr); i++) {
		if ((t = dns_rdf_text(ldns_rr_rdf(rr, i))) == NULL)
			continue;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
		    i > 0 ? " " : "", t);
		free(t);
		if (o >= sizeof(buf))
			break;
	}
	return json_string(buf);
}

static json_t *
list_json(const ldns_rr_list *l, int sigs, ldns_rr_type only)
{
	json_t *arr = json_array();
	size_t i;
	ldns_rr *rr;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		rr = ldns_rr_list_rr(l, i);
		if (only != 0 && ldns_rr_get_type(rr) != only)
			continue;
		json_array_append_new(arr, sigs ? sig_json(rr) : rr_json(rr));
	}
	return arr;
}

static json_t *
reply_json(const struct dns_reply *r, int is_ns)
{
	json_t *j = json_object();
	ldns_lookup_table *t;

	if (r->status != 0) {
		json_object_set_new(j, "error", json_string(r->err));
		json_object_set_new(j, "ms", json_integer(r->ms));
		return j;
	}
	t = ldns_lookup_by_id(ldns_rcodes, r->rcode);
	json_object_set_new(j, "rcode", json_string(t != NULL ? t->name : "?"));
	json_object_set_new(j, "aa", json_boolean(r->aa));
	json_object_set_new(j, "tcp", json_boolean(r->tcp));
	json_object_set_new(j, "ms", json_integer(r->ms));
	json_object_set_new(j, "records", list_json(r->rrs, 0, 0));
	json_object_set_new(j, "rrsigs", list_json(r->sigs, 1, 0));
	if (is_ns) {
		json_object_set_new(j, "referral", list_json(r->auth, 0,
		    LDNS_RR_TYPE_NS));
		json_object_set_new(j, "glue", list_json(r->extra, 0, 0));
	}
	return j;
}

static json_t *
servers_json(const struct dns_audit *a)
{
	static const char *pn[] = { "DS", "NS" };
	static const char *cn[] = { "DNSKEY", "CDS", "CDNSKEY" };
	json_t *arr = json_array(), *s, *ans;
	size_t i;
	int k;

	for (i = 0; i < a->nservers; i++) {
		const struct dns_server *sv = &a->servers[i];

		s = json_object();
		json_object_set_new(s, "name", json_string(sv->name));
		json_object_set_new(s, "address", sv->addr.len != 0 ?
		    json_string(sv->addr.text) : json_null());
		json_object_set_new(s, "role", json_string(sv->role ==
		    DNS_PARENT ? "parent" : "child"));
		ans = json_object();
		for (k = 0; k < sv->nreplies; k++)
			json_object_set_new(ans, sv->role == DNS_PARENT ? pn[k] :
			    cn[k], reply_json(&sv->r[k], sv->role == DNS_PARENT &&
			    k == DNS_Q_NS));
		json_object_set_new(s, "answers", ans);
		json_array_append_new(arr, s);
	}
	return arr;
}

json_t *
output_audit_json(const struct dns_audit *a)
{
	json_t *j = json_object(), *f, *d;
	size_t i;

	if (j == NULL)
		return NULL;
	json_object_set_new(j, "domain", json_string(a->domain));
	json_object_set_new(j, "verdict",
	    json_string(dns_verdict_name(a->verdict)));
	json_object_set_new(j, "parent", str_or_null(a->parent));
	f = json_array();
	for (i = 0; i < a->nfindings; i++)
		json_array_append_new(f, json_string(a->findings[i]));
	json_object_set_new(j, "findings", f);
	json_object_set_new(j, "parent_ds", output_ds_json(&a->parent_ds));
	json_object_set_new(j, "expected_ds", output_ds_json(&a->expected_ds));
	d = json_array();
	for (i = 0; i < a->ndeleg; i++)
		json_array_append_new(d, json_string(a->deleg[i]));
	json_object_set_new(j, "delegation", d);
	json_object_set_new(j, "servers", servers_json(a));
	json_object_set_new(j, "ms", json_integer(a->ms));
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
output_audit(struct output *o, const struct dns_audit *a, const json_t *extra)
{
	json_t *j = NULL;
	char *s = NULL;
	int rc = 0;

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
		if ((j = output_audit_json(a)) == NULL) {
			rc = DSREG_ENOMEM;
			break;
		}
		if (extra != NULL)
			json_object_update(j, (json_t *)extra);
		if ((s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
		    NULL) {
			rc = DSREG_ENOMEM;
			break;
		}
		if (o->fmt == FMT_JSON)
			fprintf(o->fp, "%s%s", o->header_done ? ",\n" : "[\n",
			    s);
		else
			fprintf(o->fp, "%s\n", s);
		o->header_done = 1;
		break;
	}
	json_decref(j);
	free(s);
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
