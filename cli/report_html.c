/* cli/report_html.c - the state database's history as one self-contained HTML page */
#include "cli/report_html.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>

#define VALUE_MAX (1u << 20)    /* one escaped value */

/* Chart geometry (SVG user units). */
#define CH_W      860
#define CH_H      340
#define CH_LEFT   56
#define CH_RIGHT  190    /* room for the legend */
#define CH_TOP    16
#define CH_BOTTOM 74     /* room for the run labels */

void
report_data_free(struct report_data *d)
{
	size_t i;

	for (i = 0; i < d->nruns; i++)
		free(d->runs[i].command);
	free(d->runs);
	for (i = 0; i < d->ndomains; i++) {
		free(d->domains[i].domain);
		free(d->domains[i].verdict);
		free(d->domains[i].route);
	}
	free(d->domains);
	for (i = 0; i < d->nchanges; i++) {
		free(d->changes[i].domain);
		free(d->changes[i].account);
		free(d->changes[i].outcome);
		free(d->changes[i].note);
	}
	free(d->changes);
	for (i = 0; i < d->nunlocked; i++) {
		free(d->unlocked[i].domain);
		free(d->unlocked[i].account);
		free(d->unlocked[i].note);
	}
	free(d->unlocked);
	memset(d, 0, sizeof(*d));
}

int
report_html_escape(struct dsreg_buf *out, const char *s)
{
	const char *run = s;
	int rc = 0;

	for (; rc == 0 && *s != '\0'; s++) {
		const char *ref;

		switch (*s) {
		case '&': ref = "&amp;"; break;
		case '<': ref = "&lt;"; break;
		case '>': ref = "&gt;"; break;
		case '"': ref = "&quot;"; break;
		case '\'': ref = "&#39;"; break;
		default: continue;
		}
		if ((rc = dsreg_buf_append(out, run, (size_t)(s - run))) == 0)
			rc = dsreg_buf_appends(out, ref);
		run = s + 1;
	}
	if (rc == 0)
		rc = dsreg_buf_append(out, run, (size_t)(s - run));
	return rc;
}

/* The writer: fp, a scratch buffer, and the first error. */
struct page {
	FILE *fp;
	struct dsreg_buf b;
	int rc;
};

/* Write s (NULL: nothing) escaped. */
static void
esc(struct page *p, const char *s)
{
	int rc;

	if (s == NULL || p->rc != 0)
		return;
	dsreg_buf_reset(&p->b);
	if ((rc = report_html_escape(&p->b, s)) != 0) {
		p->rc = rc;
		return;
	}
	if (p->b.len > 0)
		fwrite(p->b.data, 1, p->b.len, p->fp);
}

static const char *
when(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0)
		return "";
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm);
	return buf;
}

/* Fill colours of the verdicts, in enum dns_verdict order. */
static const char *const verdict_colour[DNS_V_COUNT] = {
	"#b8b8b8",   /* not-ours */
	"#8c6d31",   /* not-delegated */
	"#7f7f7f",   /* unreachable */
	"#d62728",   /* broken */
	"#9467bd",   /* lame */
	"#e377c2",   /* inconsistent-parent */
	"#c5b0d5",   /* inconsistent-child */
	"#17becf",   /* delete-requested */
	"#ff7f0e",   /* missing */
	"#ffbb78",   /* incomplete */
	"#bcbd22",   /* stale */
	"#dbdb8d",   /* deprecated-digest */
	"#aec7e8",   /* unsigned */
	"#2ca02c",   /* ok */
};

static const char css[] =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222;"
    "max-width:72em}\n"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em}\n"
    "table{border-collapse:collapse;width:100%;font-size:.92em}\n"
    "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#f0f0f0}tr:nth-child(even) td{background:#fafafa}\n"
    "td.dom{font-family:monospace;word-break:break-all}\n"
    ".open{color:#b00;font-weight:bold}.fixed{color:#060}\n"
    ".applied{color:#060}.failed,.unknown{color:#b00;font-weight:bold}\n"
    "svg text{font-size:11px;font-family:system-ui,sans-serif}\n"
    "figure{margin:0}figcaption{font-size:.9em;color:#555}\n";

/* The largest total of a run with counts. */
static uint64_t
max_total(const struct report_data *d, size_t *nbars)
{
	uint64_t max = 0, t;
	size_t i;
	int v;

	*nbars = 0;
	for (i = 0; i < d->nruns; i++) {
		if (!d->runs[i].have_counts)
			continue;
		(*nbars)++;
		for (t = 0, v = 0; v < DNS_V_COUNT; v++)
			t += d->runs[i].counts[v];
		if (t > max)
			max = t;
	}
	return max;
}

/* The y axis: five ticks of a round step (1, 2 or 5 times a power of
 * ten) that reach max; the top is 5 * step. */
static uint64_t
tick_step(uint64_t max)
{
	uint64_t want = (max + 4) / 5, p = 1;

	for (;;) {
		if (want <= p)
			return p;
		if (want <= 2 * p)
			return 2 * p;
		if (want <= 5 * p)
			return 5 * p;
		p *= 10;
	}
}

static void
chart(struct page *p, const struct report_data *d)
{
	const double pw = CH_W - CH_LEFT - CH_RIGHT;
	const double ph = CH_H - CH_TOP - CH_BOTTOM;
	int used[DNS_V_COUNT] = { 0 };
	uint64_t top, step, t;
	size_t nbars, i, k, every;
	double slot, bw, x, y, h;
	char tb[32];
	int v, ly;

	step = tick_step(max_total(d, &nbars));
	top = 5 * step;
	fprintf(p->fp, "<figure id=\"chart\">\n<svg xmlns=\"http://www.w3.org/"
	    "2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-labelledby=\"chart-title\">\n<title id=\""
	    "chart-title\">Domains per verdict, per run</title>\n", CH_W, CH_H,
	    CH_W, CH_H);
	/* axes, y ticks and grid */
	fprintf(p->fp, "<g class=\"axes\" stroke=\"#444\">\n<line x1=\"%d\" "
	    "y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\""
	    " y2=\"%d\"/>\n</g>\n", CH_LEFT, CH_TOP, CH_LEFT, CH_H - CH_BOTTOM,
	    CH_LEFT, CH_H - CH_BOTTOM, CH_W - CH_RIGHT, CH_H - CH_BOTTOM);
	for (k = 0; k <= 5; k++) {
		t = step * k;
		y = CH_TOP + ph - ph * (double)k / 5;
		fprintf(p->fp, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		    "stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor="
		    "\"end\">%llu</text>\n", CH_LEFT, y, CH_W - CH_RIGHT, y,
		    CH_LEFT - 6, y + 4, (unsigned long long)t);
	}
	fprintf(p->fp, "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 "
	    "%.1f)\" text-anchor=\"middle\">domains</text>\n", CH_TOP + ph / 2,
	    CH_TOP + ph / 2);
	fprintf(p->fp, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">run "
	    "(start time, UTC)</text>\n", CH_LEFT + pw / 2, CH_H - 6);
	if (nbars == 0)
		fprintf(p->fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle"
		    "\">no audit run has kept counts yet</text>\n", CH_LEFT +
		    pw / 2, CH_TOP + ph / 2);
	slot = nbars > 0 ? pw / (double)nbars : pw;
	bw = slot * 0.7;
	every = nbars > 12 ? (nbars + 11) / 12 : 1;   /* at most ~12 labels */
	for (i = 0, k = 0; i < d->nruns; i++) {
		const struct report_run *r = &d->runs[i];

		if (!r->have_counts)
			continue;
		x = CH_LEFT + slot * (double)k + (slot - bw) / 2;
		y = CH_TOP + ph;
		fprintf(p->fp, "<g class=\"run\" data-run=\"%lld\">\n",
		    (long long)r->id);
		for (v = 0; v < DNS_V_COUNT; v++) {
			if (r->counts[v] == 0)
				continue;
			used[v] = 1;
			h = ph * (double)r->counts[v] / (double)top;
			y -= h;
			fprintf(p->fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
			    " height=\"%.1f\" fill=\"%s\"><title>", x, y, bw,
			    h, verdict_colour[v]);
			esc(p, r->command);
			fprintf(p->fp, " %lld, %s: %s %llu</title></rect>\n",
			    (long long)r->id, when(r->started, tb, sizeof(tb)),
			    dns_verdict_name((enum dns_verdict)v),
			    (unsigned long long)r->counts[v]);
		}
		if (k % every == 0) {
			struct tm tm;
			char lb[32] = "";
			time_t st = r->started;

			gmtime_r(&st, &tm);
			strftime(lb, sizeof(lb), "%m-%d %H:%M", &tm);
			fprintf(p->fp, "<text x=\"%.1f\" y=\"%d\" transform=\""
			    "rotate(-40 %.1f %d)\" text-anchor=\"end\">%s</text>"
			    "\n", x + bw / 2, CH_H - CH_BOTTOM + 14, x + bw / 2,
			    CH_H - CH_BOTTOM + 14, lb);
		}
		fputs("</g>\n", p->fp);
		k++;
	}
	/* legend: the verdicts seen, in severity order */
	fputs("<g class=\"legend\">\n", p->fp);
	for (ly = CH_TOP, v = 0; v < DNS_V_COUNT; v++) {
		if (!used[v])
			continue;
		fprintf(p->fp, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\""
		    " fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n", CH_W -
		    CH_RIGHT + 20, ly, verdict_colour[v], CH_W - CH_RIGHT + 38,
		    ly + 10, dns_verdict_name((enum dns_verdict)v));
		ly += 18;
	}
	fputs("</g>\n</svg>\n<figcaption>Domains per verdict at each audit "
	    "run (one bar per run, most severe verdict at the bottom).  Runs "
	    "that keep no counts (plan, apply) are listed below the chart."
	    "</figcaption>\n</figure>\n", p->fp);
}

static void
runs_table(struct page *p, const struct report_data *d)
{
	char b1[32], b2[32];
	size_t i;
	int v;

	fputs("<details><summary>Every run</summary>\n<table id=\"runs\">"
	    "<thead><tr><th>Run</th><th>Command</th><th>Started</th>"
	    "<th>Finished</th><th>Counts</th></tr></thead>\n<tbody>\n", p->fp);
	for (i = 0; i < d->nruns; i++) {
		const struct report_run *r = &d->runs[i];

		fprintf(p->fp, "<tr><td>%lld</td><td>", (long long)r->id);
		esc(p, r->command);
		fprintf(p->fp, "</td><td>%s</td><td>%s</td><td>", when(r->started,
		    b1, sizeof(b1)), r->finished ? when(r->finished, b2,
		    sizeof(b2)) : "did not finish");
		for (v = 0; r->have_counts && v < DNS_V_COUNT; v++)
			if (r->counts[v] > 0)
				fprintf(p->fp, "%s %llu ", dns_verdict_name(
				    (enum dns_verdict)v),
				    (unsigned long long)r->counts[v]);
		fputs("</td></tr>\n", p->fp);
	}
	fputs("</tbody></table>\n</details>\n", p->fp);
}

static void
domains_table(struct page *p, const struct report_data *d)
{
	char b[32];
	size_t i, nfixed = 0;

	for (i = 0; i < d->ndomains; i++)
		if (d->domains[i].fixed)
			nfixed++;
	fprintf(p->fp, "<p>%zu domain%s needed action: %zu fixed, %zu still "
	    "needing it.</p>\n", d->ndomains, d->ndomains == 1 ? "" : "s",
	    nfixed, d->ndomains - nfixed);
	fputs("<table id=\"domains\"><thead><tr><th>Domain</th><th>Verdict"
	    "</th><th>Seen</th><th>Route</th><th>Fixed</th></tr></thead>\n"
	    "<tbody>\n", p->fp);
	for (i = 0; i < d->ndomains; i++) {
		const struct report_domain *r = &d->domains[i];

		fputs("<tr><td class=\"dom\">", p->fp);
		esc(p, r->domain);
		fputs("</td><td>", p->fp);
		esc(p, r->verdict);
		fprintf(p->fp, "</td><td>%s</td><td>", when(r->last_bad, b,
		    sizeof(b)));
		esc(p, r->route);
		if (r->fixed)
			fprintf(p->fp, "</td><td class=\"fixed\">%s</td></tr>\n",
			    when(r->fixed, b, sizeof(b)));
		else
			fputs("</td><td class=\"open\">not yet</td></tr>\n",
			    p->fp);
	}
	fputs("</tbody></table>\n", p->fp);
}

static void
changes_table(struct page *p, const struct report_data *d)
{
	char b[32];
	size_t i;

	fprintf(p->fp, "<p>%zu change%s.</p>\n", d->nchanges, d->nchanges ==
	    1 ? "" : "s");
	fputs("<table id=\"changes\"><thead><tr><th>Time</th><th>Domain</th>"
	    "<th>Account</th><th>Outcome</th><th>Note</th></tr></thead>\n"
	    "<tbody>\n", p->fp);
	for (i = 0; i < d->nchanges; i++) {
		const struct report_change *r = &d->changes[i];
		const char *o = r->outcome;
		int known = o != NULL && (strcmp(o, "applied") == 0 ||
		    strcmp(o, "failed") == 0 || strcmp(o, "unknown") == 0);

		fprintf(p->fp, "<tr><td>%s</td><td class=\"dom\">", when(
		    r->started, b, sizeof(b)));
		esc(p, r->domain);
		fputs("</td><td>", p->fp);
		esc(p, r->account);
		/* the class is one of ours, never the stored word */
		fprintf(p->fp, "</td><td class=\"%s\">", o == NULL ? "open" :
		    known ? o : "other");
		esc(p, o != NULL ? o : "open (interrupted)");
		fputs("</td><td>", p->fp);
		esc(p, r->note);
		fputs("</td></tr>\n", p->fp);
	}
	fputs("</tbody></table>\n", p->fp);
}

static void
unlocked_list(struct page *p, const struct report_data *d)
{
	char b[32];
	size_t i;

	if (d->nunlocked == 0)
		return;
	fprintf(p->fp, "<h2 class=\"open\">%zu domain%s LEFT UNLOCKED</h2>\n"
	    "<p>dsreg unlocked them and has not read them back as locked; the "
	    "next apply locks them first.</p>\n<ul id=\"unlocked\">\n",
	    d->nunlocked, d->nunlocked == 1 ? "" : "s");
	for (i = 0; i < d->nunlocked; i++) {
		fputs("<li>", p->fp);
		esc(p, d->unlocked[i].domain);
		fputs(" (", p->fp);
		esc(p, d->unlocked[i].account);
		fprintf(p->fp, ") since %s", when(d->unlocked[i].since, b,
		    sizeof(b)));
		if (d->unlocked[i].note != NULL) {
			fputs(": ", p->fp);
			esc(p, d->unlocked[i].note);
		}
		fputs("</li>\n", p->fp);
	}
	fputs("</ul>\n", p->fp);
}

int
report_html_write(FILE *fp, const struct report_data *d)
{
	struct page p;
	char b[32];

	p.fp = fp;
	p.rc = 0;
	dsreg_buf_init(&p.b, VALUE_MAX);
	/* nothing may be fetched and nothing run, whatever a value holds */
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>dsreg report</title>\n<style>\n%s</style>\n</head>\n"
	    "<body>\n<h1>dsreg report</h1>\n<p>Written %s from the state "
	    "database: %zu run%s.</p>\n", css, when(d->generated, b,
	    sizeof(b)), d->nruns, d->nruns == 1 ? "" : "s");
	unlocked_list(&p, d);
	fputs("<h2 id=\"history\">Scorecard history</h2>\n", fp);
	chart(&p, d);
	runs_table(&p, d);
	fputs("<h2>Domains that needed action</h2>\n", fp);
	domains_table(&p, d);
	fputs("<h2>Changes at registrars</h2>\n", fp);
	changes_table(&p, d);
	fputs("</body>\n</html>\n", fp);
	dsreg_buf_free(&p.b);
	if (fflush(fp) != 0 || ferror(fp))
		return p.rc != 0 ? p.rc : DSREG_EIO;
	return p.rc;
}
