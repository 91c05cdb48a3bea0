/* cli/report_html.h - the state database's history as one self-contained HTML page */
#ifndef DSREG_CLI_REPORT_HTML_H
#define DSREG_CLI_REPORT_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "common/buf.h"
#include "dns/dns.h"

/* One run of the runs table; counts only for runs that kept them (audit). */
struct report_run {
	int64_t id;
	char *command;
	time_t started, finished;     /* finished 0: did not finish */
	int have_counts;
	uint64_t counts[DNS_V_COUNT]; /* indexed by enum dns_verdict */
};

/* A domain that needed action at some point. */
struct report_domain {
	char *domain;
	char *verdict;                /* the last verdict that needed action */
	char *route;                  /* account name, "registry scanner" or
	                                 "manual" */
	time_t last_bad;
	time_t fixed;                 /* first settled result after: 0 none */
};

/* One change at a registrar: a top-level row of the journal. */
struct report_change {
	int64_t id;
	char *domain, *account, *outcome, *note;   /* outcome NULL: open */
	time_t started, finished;
};

/* A domain dsreg unlocked and has not read back as locked. */
struct report_unlocked {
	char *domain, *account, *note;   /* note may be NULL */
	time_t since;
};

/* What the report shows; every string is owned (report_data_free). */
struct report_data {
	struct report_run *runs;        /* oldest first */
	size_t nruns;
	struct report_domain *domains;  /* fixed ones first, by time */
	size_t ndomains;
	struct report_change *changes;  /* oldest first */
	size_t nchanges;
	struct report_unlocked *unlocked;
	size_t nunlocked;
	time_t generated;
};

void report_data_free(struct report_data *d);

/*
 * Write d as one HTML5 page on fp: inline CSS, no script, nothing fetched:
 * the scorecard history as an inline SVG chart (one stacked bar per run
 * that kept counts, a segment per verdict, axes and a legend), the table
 * of domains that needed action and the table of changes.  Every value
 * from the database is escaped (report_html_escape).  0, DSREG_EIO if fp
 * reports an error, DSREG_ENOMEM.
 */
int report_html_write(FILE *fp, const struct report_data *d);

/*
 * Append s to out with &, <, >, " and ' as character references (text
 * and attribute values alike).  0 or the dsreg_buf error.
 */
int report_html_escape(struct dsreg_buf *out, const char *s);

#endif
