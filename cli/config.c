/* cli/config.c - parse dsreg.conf with libinih */
#include "cli/config.h"
#include "common/error.h"
#include "common/file.h"
#include "dns/dns.h"
#include "ds/ds.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Longest line, newline excluded: room for a path of PATH_MAX (4096) and
 * more.  libinih's default buffer (INI_MAX_LINE, 200) is raised for the
 * parse through Debian's run-time ini_max_line, with room for "\r\n\0".
 */
#define CONFIG_LINE_MAX 8192
#define SEEN_MAX 64

struct seen {
	char name[64];
	unsigned line;
};

struct parse_state {
	struct dsreg_config *cfg;
	struct account *cur;   /* current [account] section, or NULL */
	struct account_lines *cur_lines;   /* where its keys were set */
	int in_dsreg;          /* inside [dsreg] */
	char tld[256];         /* ZONE of the current [tld ZONE], or "" */
	char section[256];     /* last section seen (to detect new ones) */
	int failed;            /* handler or reader failed at least once */
	unsigned errline;      /* line of the first failure */
	char msg[DSREG_ERR_MAX];
	int stop;              /* end the parse (read_line returns NULL) */
	int skip;              /* ignore the keys of this section */
	int hdr_dup;           /* this section's header was a repeat */
	unsigned hdr_line;     /* line of the last section header */
	unsigned at_line;      /* the next failure is at this line, not lineno */
	/* collecting every problem (config_load_all) */
	config_problem_fn report;
	void *report_ctx;
	unsigned nproblems;
	/* the line reader (read_line) */
	FILE *fp;
	unsigned lineno;       /* line inih is parsing */
	int cont;              /* it starts with white space (continuation) */
	int after_key;         /* a key line came since the last section */
	int read_errno;        /* reading failed */
	unsigned dsreg_line;   /* the [dsreg] header, 0: none yet */
	struct seen accounts[SEEN_MAX];  /* [account NAME] headers */
	size_t naccounts;
	struct seen tlds[SEEN_MAX];      /* [tld ZONE] headers */
	size_t ntlds;
	struct seen keys[SEEN_MAX];      /* single-valued keys of this section */
	size_t nkeys;
};

void
config_strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
config_split(const char *s, char ***out, size_t *n)
{
	char **v = NULL, **nv;
	size_t cnt = 0;
	const char *p = s, *start;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		nv = realloc(v, (cnt + 2) * sizeof(*v));
		if (nv == NULL)
			goto nomem;
		v = nv;
		if ((v[cnt] = strndup(start, (size_t)(p - start))) == NULL)
			goto nomem;
		cnt++;
		v[cnt] = NULL;
	}
	*out = v;
	*n = cnt;
	return 0;
nomem:
	config_strv_free(v, cnt);
	return DSREG_ENOMEM;
}

static void
account_free(struct account *a)
{
	free(a->name);
	free(a->username);
	free(a->key_file);
	free(a->ca_file);
	config_strv_free(a->domains, a->ndomains);
	free(a->url);
	free(a->subreseller);
	free(a->host);
	free(a->server_name);
	free(a->cert_file);
	free(a->password_file);
	free(a->secdns);
	free(a->interface);
	free(a->zone);
	free(a->server);
	free(a->tsig_key_file);
	free(a->command);
}

void
config_free(struct dsreg_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	free(cfg->path);
	config_strv_free(cfg->resolvers, cfg->nresolvers);
	free(cfg->keys);
	config_strv_free(cfg->our_ns, cfg->nour_ns);
	config_strv_free(cfg->digests, cfg->ndigests);
	free(cfg->state);
	config_strv_free(cfg->cds_tlds, cfg->ncds_tlds);
	engine_policy_free(&cfg->policy);
	for (i = 0; i < cfg->naccounts; i++)
		account_free(&cfg->accounts[i]);
	free(cfg->accounts);
	free(cfg->lines);
	free(cfg);
}

int
config_empty(struct dsreg_config **out)
{
	struct dsreg_config *cfg;
	struct dsreg_err err;
	int rc;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		return DSREG_ENOMEM;
	if ((rc = engine_policy_builtin(&cfg->policy, &err)) != 0) {
		config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

const struct account *
config_account(const struct dsreg_config *cfg, const char *name)
{
	size_t i;

	if (cfg == NULL)
		return NULL;
	for (i = 0; i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].name, name) == 0)
			return &cfg->accounts[i];
	return NULL;
}

/* Record the first failure, at the line being parsed; returns 0 for inih. */
static int fail(struct parse_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
fail(struct parse_state *st, const char *fmt, ...)
{
	va_list ap;
	unsigned line;

	if (st->failed && st->report == NULL)
		return 0;
	va_start(ap, fmt);
	vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
	va_end(ap);
	line = st->at_line != 0 ? st->at_line : st->lineno;
	st->at_line = 0;
	if (!st->failed)
		st->errline = line;
	st->failed = 1;
	if (st->report != NULL) {
		st->report(st->report_ctx, line, st->msg);
		st->nproblems++;
	} else
		st->stop = 1;
	return 0;
}

static int
set_str(char **dst, const char *value)
{
	char *p = strdup(value);

	if (p == NULL)
		return 0;
	free(*dst);
	*dst = p;
	return 1;
}

/*
 * Lists grow: a key given again, or a continuation line (starting with
 * white space), adds to the list, so long lists can span lines.
 */
static int
set_list(char ***dst, size_t *n, const char *value)
{
	char **v, **nv;
	size_t cnt, i;

	if (config_split(value, &v, &cnt) != 0)
		return 0;
	if ((nv = realloc(*dst, (*n + cnt + 1) * sizeof(*nv))) == NULL) {
		config_strv_free(v, cnt);
		return 0;
	}
	for (i = 0; i < cnt; i++)
		nv[*n + i] = v[i];
	nv[*n + cnt] = NULL;
	*dst = nv;
	*n += cnt;
	free(v);
	return 1;
}

static int
parse_bool(const char *v, int *out)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0)
		*out = 1;
	else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

static int
parse_int(const char *v, long lo, long hi, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static int
new_account(struct parse_state *st, const char *name)
{
	struct dsreg_config *cfg = st->cfg;
	struct account *na;
	struct account_lines *nl;
	size_t i;

	if (*name == '\0') {
		st->skip = 1;
		return fail(st, "[account] needs a name: [account NAME]");
	}
	for (i = 0; i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].name, name) == 0) {
			st->skip = 1;
			if (st->hdr_dup)    /* section_header said so */
				return 0;
			return fail(st, "account '%s' defined twice", name);
		}
	nl = realloc(cfg->lines, (cfg->naccounts + 1) * sizeof(*nl));
	if (nl == NULL)
		return fail(st, "out of memory");
	cfg->lines = nl;
	st->cur_lines = &nl[cfg->naccounts];
	memset(st->cur_lines, 0, sizeof(*st->cur_lines));
	st->cur_lines->header = st->hdr_line;
	na = realloc(cfg->accounts, (cfg->naccounts + 1) * sizeof(*na));
	if (na == NULL)
		return fail(st, "out of memory");
	cfg->accounts = na;
	st->cur = &na[cfg->naccounts];
	memset(st->cur, 0, sizeof(*st->cur));
	st->cur->type = -1;
	st->cur->relock = 1;
	st->cur->port = 700;
	if ((st->cur->name = strdup(name)) == NULL)
		return fail(st, "out of memory");
	cfg->naccounts++;
	return 1;
}

/*
 * `cds_tlds = ZONE...`: shorthand for [tld ZONE] reads = cds, for zones
 * whose row does not already say the registry reads CDS or CDNSKEY.
 */
static int
cds_tlds_key(struct parse_state *st, const char *value)
{
	struct dsreg_config *cfg = st->cfg;
	const struct engine_policy_row *r;
	const char *msg, *z;
	char buf[256];
	size_t i, n0 = cfg->ncds_tlds;
	int rc;

	if (!set_list(&cfg->cds_tlds, &cfg->ncds_tlds, value))
		return 0;
	for (i = n0; i < cfg->ncds_tlds; i++) {
		z = cfg->cds_tlds[i][0] == '.' ? cfg->cds_tlds[i] + 1 :
		    cfg->cds_tlds[i];
		r = engine_policy_find(&cfg->policy, z);
		if (engine_policy_scans(r))
			continue;
		rc = engine_policy_set(&cfg->policy, z, "reads", "cds", buf,
		    sizeof(buf), &msg);
		if (rc == 0 && (r == NULL || r->source == NULL)) {
			snprintf(buf, sizeof(buf), "%s:%u (cds_tlds)",
			    cfg->path ? cfg->path : "config", st->lineno);
			rc = engine_policy_set(&cfg->policy, z, "source", buf,
			    buf, sizeof(buf), &msg);
		}
		if (rc != 0)
			return fail(st, "cds_tlds: %s", msg);
	}
	return 1;
}

/* A key of [tld ZONE]: a column of the zone's policy row. */
static int
tld_key(struct parse_state *st, const char *name, const char *value)
{
	const char *msg;
	char buf[256];

	if (engine_policy_set(&st->cfg->policy, st->tld, name, value, buf,
	    sizeof(buf), &msg) != 0)
		return fail(st, "[tld %s]: %s", st->tld, msg);
	return 1;
}

/*
 * A [tld ZONE] section starts: the zone's row (added when the table has
 * none) now comes (also) from this line of the config.
 */
static int
new_tld(struct parse_state *st, const char *zone)
{
	struct dsreg_config *cfg = st->cfg;
	const struct engine_policy_row *r;
	const char *msg;
	char buf[256], *src = NULL;
	int rc;

	if (*zone == '\0')
		return fail(st, "[tld] needs a zone: [tld ZONE]");
	r = engine_policy_find(&cfg->policy, zone);
	if (asprintf(&src, "%s:%u%s%s", cfg->path ? cfg->path : "config",
	    st->ntlds > 0 ? st->tlds[st->ntlds - 1].line : st->lineno,
	    r != NULL && r->source != NULL ? " over " : "",
	    r != NULL && r->source != NULL ? r->source : "") < 0)
		return fail(st, "out of memory");
	rc = engine_policy_set(&cfg->policy, zone, "source", src, buf,
	    sizeof(buf), &msg);
	free(src);
	if (rc != 0)
		return fail(st, "[tld %s]: %s", zone, msg);
	snprintf(st->tld, sizeof(st->tld), "%s", zone);
	return 1;
}

static int
dsreg_key(struct parse_state *st, const char *name, const char *value)
{
	struct dsreg_config *cfg = st->cfg;

	if (strcmp(name, "resolver") == 0)
		return set_list(&cfg->resolvers, &cfg->nresolvers, value);
	if (strcmp(name, "keys") == 0) {
		cfg->keys_line = st->lineno;
		return set_str(&cfg->keys, value);
	}
	if (strcmp(name, "our_ns") == 0)
		return set_list(&cfg->our_ns, &cfg->nour_ns, value);
	if (strcmp(name, "digests") == 0)
		return set_list(&cfg->digests, &cfg->ndigests, value);
	if (strcmp(name, "state") == 0) {
		cfg->state_line = st->lineno;
		return set_str(&cfg->state, value);
	}
	if (strcmp(name, "cds_tlds") == 0)
		return cds_tlds_key(st, value);
	if (strcmp(name, "max_qps_per_server") == 0) {
		if (parse_int(value, 0, 1000000, &cfg->max_qps_per_server) != 0)
			return fail(st, "max_qps_per_server: expected 0 (no cap) "
			    "to 1000000, got '%s'", value);
		cfg->max_qps_set = 1;
		return 1;
	}
	return fail(st, "[dsreg]: unknown key '%s'", name);
}

static int
account_key(struct parse_state *st, const char *name, const char *value)
{
	struct account *a = st->cur;
	struct account_lines *l = st->cur_lines;

	if (strcmp(name, "type") == 0) {
		l->type = st->lineno;
		if (strcmp(value, "opensrs") == 0)
			a->type = ACCOUNT_OPENSRS;
		else if (strcmp(value, "epp") == 0)
			a->type = ACCOUNT_EPP;
		else if (strcmp(value, "dnsupdate") == 0)
			a->type = ACCOUNT_DNSUPDATE;
		else if (strcmp(value, "command") == 0)
			a->type = ACCOUNT_COMMAND;
		else
			return fail(st, "type: expected opensrs, epp, dnsupdate "
			    "or command, got '%s'", value);
		return 1;
	}
	if (strcmp(name, "username") == 0)
		return set_str(&a->username, value);
	if (strcmp(name, "key_file") == 0) {
		l->key_file = st->lineno;
		return set_str(&a->key_file, value);
	}
	if (strcmp(name, "ca_file") == 0) {
		l->ca_file = st->lineno;
		return set_str(&a->ca_file, value);
	}
	if (strcmp(name, "domains") == 0)
		return set_list(&a->domains, &a->ndomains, value);
	if (strcmp(name, "url") == 0)
		return set_str(&a->url, value);
	if (strcmp(name, "subreseller") == 0)
		return set_str(&a->subreseller, value);
	if (strcmp(name, "relock") == 0) {
		if (parse_bool(value, &a->relock) != 0)
			return fail(st, "relock: expected yes or no, got "
			    "'%s'", value);
		return 1;
	}
	if (strcmp(name, "host") == 0)
		return set_str(&a->host, value);
	if (strcmp(name, "port") == 0) {
		if (parse_int(value, 1, 65535, &a->port) != 0)
			return fail(st, "port: expected 1-65535, got '%s'",
			    value);
		return 1;
	}
	if (strcmp(name, "server_name") == 0)
		return set_str(&a->server_name, value);
	if (strcmp(name, "cert_file") == 0) {
		l->cert_file = st->lineno;
		return set_str(&a->cert_file, value);
	}
	if (strcmp(name, "password_file") == 0) {
		l->password_file = st->lineno;
		return set_str(&a->password_file, value);
	}
	if (strcmp(name, "secdns") == 0) {
		if (strcmp(value, "auto") != 0 && strcmp(value, "1.1") != 0 &&
		    strcmp(value, "1.0") != 0)
			return fail(st, "secdns: expected auto, 1.1 or 1.0, "
			    "got '%s'", value);
		return set_str(&a->secdns, value);
	}
	if (strcmp(name, "interface") == 0) {
		if (strcmp(value, "ds") != 0 && strcmp(value, "key") != 0)
			return fail(st, "interface: expected ds or key, got "
			    "'%s'", value);
		return set_str(&a->interface, value);
	}
	if (strcmp(name, "rate") == 0) {
		char *end;
		a->rate = strtod(value, &end);
		if (*value == '\0' || *end != '\0' || a->rate < 0)
			return fail(st, "rate: expected a number of commands "
			    "per second, got '%s'", value);
		return 1;
	}
	if (strcmp(name, "timeout") == 0) {
		if (parse_int(value, 1, 3600, &a->timeout) != 0)
			return fail(st, "timeout: expected 1-3600 seconds, "
			    "got '%s'", value);
		return 1;
	}
	if (strcmp(name, "zone") == 0) {
		uint8_t wire[DS_NAME_WIRE_MAX];
		size_t wlen = sizeof(wire);
		char *z = NULL;
		if (ds_name_from_text(value, wire, &wlen, NULL) != 0 ||
		    strchr(value, ' ') != NULL || strchr(value, '\t') != NULL ||
		    (z = dns_name_norm(value)) == NULL) {
			free(z);
			return fail(st, "zone: expected a zone name, got '%s'",
			    value);
		}
		free(a->zone);
		a->zone = z;
		return 1;
	}
	if (strcmp(name, "server") == 0) {
		struct dns_addr addr;
		if (dns_addr_parse(value, &addr, NULL) != 0)
			return fail(st, "server: expected ADDR[@PORT] (an IPv4 "
			    "or IPv6 address), got '%s'", value);
		return set_str(&a->server, value);
	}
	if (strcmp(name, "tsig_key_file") == 0)
		return set_str(&a->tsig_key_file, value);
	if (strcmp(name, "command") == 0) {
		if (value[0] != '/')
			return fail(st, "command: expected the absolute path of "
			    "a program (then its arguments; no shell), got "
			    "'%s'", value);
		return set_str(&a->command, value);
	}
	return fail(st, "[account %s]: unknown key '%s'", a->name, name);
}

/* The NAME of an [account NAME] section, or NULL for another section. */
static const char *
account_section(const char *section)
{
	if (strncmp(section, "account", 7) != 0 || (section[7] != ' ' &&
	    section[7] != '\t' && section[7] != '\0'))
		return NULL;
	for (section += 7; isspace((unsigned char)*section); section++)
		;
	return section;
}

/* The ZONE of a [tld ZONE] section, or NULL for another section. */
static const char *
tld_section(const char *section)
{
	if (strncmp(section, "tld", 3) != 0 || (section[3] != ' ' &&
	    section[3] != '\t' && section[3] != '\0'))
		return NULL;
	for (section += 3; isspace((unsigned char)*section); section++)
		;
	return section;
}

/* Keys that are lists: they may be given again and continued on indented lines. */
static int
is_list_key(const char *name)
{
	static const char *const lists[] = {
		"resolver", "our_ns", "digests", "cds_tlds", "domains",
	};
	size_t i;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (strcmp(name, lists[i]) == 0)
			return 1;
	return 0;
}

/* A single-valued key given again in its section, or continued: an error naming both lines. */
static int
check_repeat(struct parse_state *st, const char *section, const char *name)
{
	struct seen *k;
	size_t i;

	if (is_list_key(name))
		return 1;
	for (i = 0; i < st->nkeys; i++) {
		k = &st->keys[i];
		if (strcmp(k->name, name) != 0)
			continue;
		if (st->cont)
			return fail(st, "[%s]: '%s' takes one value (line %u); "
			    "only lists continue on indented lines", section,
			    name, k->line);
		return fail(st, "[%s]: '%s' given twice (first at line %u)",
		    section, name, k->line);
	}
	if (st->nkeys < SEEN_MAX && strlen(name) < sizeof(k->name)) {
		k = &st->keys[st->nkeys++];
		snprintf(k->name, sizeof(k->name), "%s", name);
		k->line = st->lineno;
	}
	return 1;
}

static int
handle(struct parse_state *st, const char *section, const char *name,
    const char *value)
{
	const char *acct, *tld;

	if (strcmp(section, st->section) != 0) {
		snprintf(st->section, sizeof(st->section), "%s", section);
		st->cur = NULL;
		st->in_dsreg = 0;
		st->tld[0] = '\0';
		if (strcmp(section, "dsreg") == 0)
			st->in_dsreg = 1;
		else if ((acct = account_section(section)) != NULL) {
			if (!new_account(st, acct))
				return 0;
		} else if ((tld = tld_section(section)) != NULL) {
			if (!new_tld(st, tld))
				return 0;
		} else {
			st->skip = 1;
			if (st->report != NULL)  /* at its header, said once */
				st->at_line = st->hdr_line;
			return fail(st, "unknown section [%s]", section);
		}
	}
	if (name == NULL) /* section header only (INI_CALL_HANDLER_ON_NEW_SECTION) */
		return 1;
	if (st->skip)     /* its header was the problem, said once */
		return st->report != NULL;
	if (st->in_dsreg)
		return check_repeat(st, section, name) &&
		    dsreg_key(st, name, value);
	if (st->cur != NULL)
		return check_repeat(st, section, name) &&
		    account_key(st, name, value);
	if (st->tld[0] != '\0')
		return check_repeat(st, section, name) &&
		    tld_key(st, name, value);
	return fail(st, "key '%s' outside of any section", name);
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	unsigned before = st->nproblems;
	int rc;

	rc = handle(st, section, name, value);
	if (st->report == NULL)
		return rc;
	/* Collecting: go on; a failure that said nothing is memory. */
	if (rc == 0 && st->nproblems == before && !st->skip)
		fail(st, "out of memory");
	return 1;
}

/*
 * A section header read: [dsreg] or an [account NAME] given twice is an
 * error naming both lines (libinih merges repeated sections silently).
 */
static void
section_header(struct parse_state *st, char *line)
{
	const char *acct, *tld;
	char *end;
	size_t i;

	if ((end = strchr(line, ']')) == NULL)
		return;             /* not a header: inih says so */
	*end = '\0';
	st->nkeys = 0;
	st->after_key = 0;
	st->skip = 0;
	st->hdr_dup = 0;
	st->hdr_line = st->lineno;
	if (strcmp(line, "dsreg") == 0) {
		if (st->dsreg_line != 0)
			fail(st, "[dsreg] defined twice (first at line %u)",
			    st->dsreg_line);
		st->dsreg_line = st->lineno;
	} else if ((acct = account_section(line)) != NULL) {
		for (i = 0; i < st->naccounts; i++)
			if (strcmp(st->accounts[i].name, acct) == 0) {
				fail(st, "account '%s' defined twice (first "
				    "at line %u)", acct, st->accounts[i].line);
				st->hdr_dup = st->skip = 1;
			}
		if (st->naccounts < SEEN_MAX) {
			snprintf(st->accounts[st->naccounts].name,
			    sizeof(st->accounts[0].name), "%s", acct);
			st->accounts[st->naccounts++].line = st->lineno;
		}
	} else if ((tld = tld_section(line)) != NULL) {
		if (*tld == '\0')
			fail(st, "[tld] needs a zone: [tld ZONE]");
		else if (!engine_policy_zone_ok(tld))
			fail(st, "[tld %s]: '%s' is not a zone name", tld, tld);
		for (i = 0; i < st->ntlds; i++)
			if (strcasecmp(st->tlds[i].name, tld) == 0)
				fail(st, "[tld %s] defined twice (first at line "
				    "%u)", tld, st->tlds[i].line);
		if (st->ntlds < SEEN_MAX) {
			snprintf(st->tlds[st->ntlds].name,
			    sizeof(st->tlds[0].name), "%s", tld);
			st->tlds[st->ntlds++].line = st->lineno;
		}
	}
	*end = ']';
}

/*
 * The line reader given to libinih: one line of st->fp into buf (size
 * bytes, CONFIG_LINE_MAX + 3), keeping the line number and noting what
 * inih cannot tell: a NUL byte, a line too long, a repeated section.
 * NULL ends the parse (end of file or a failure recorded in st).
 */
static char *
read_line(char *buf, int size, void *arg)
{
	struct parse_state *st = arg;
	size_t n = 0;
	char *p;
	int ch = EOF;

	if (st->stop)
		return NULL;
	while ((ch = getc(st->fp)) != EOF) {
		if (n + 1 >= (size_t)size) {
			st->lineno++;
			fail(st, "line longer than %d characters: continue a "
			    "long list on lines that start with white space",
			    CONFIG_LINE_MAX);
			st->stop = 1;
			return NULL;
		}
		if (ch == '\0') {
			st->lineno++;
			fail(st, "NUL byte at column %zu: a config file is "
			    "text", n + 1);
			st->stop = 1;
			return NULL;
		}
		buf[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	if (ch == EOF && ferror(st->fp)) {
		st->read_errno = errno != 0 ? errno : EIO;
		return NULL;
	}
	if (n == 0)
		return NULL;
	buf[n] = '\0';
	st->lineno++;
	st->cont = buf[0] == ' ' || buf[0] == '\t';
	for (p = buf; *p == ' ' || *p == '\t'; p++)
		;
	if (st->lineno == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;             /* UTF-8 BOM, as inih allows */
	if (*p == '[' && !(st->cont && st->after_key))
		section_header(st, p + 1);
	else if (*p != '\0' && *p != '\r' && *p != '\n' && *p != ';' &&
	    *p != '#')
		st->after_key = 1;
	return buf;
}

/*
 * The required keys of each account.  Stopping at the first with a
 * message naming the account (config_load), or reporting each one at the
 * account's header line (config_load_all: a `type` given but not
 * understood was said already).
 */
static int
check_accounts(struct parse_state *st, struct dsreg_err *err)
{
	struct dsreg_config *cfg = st->cfg;
	static const char *const opensrs[] = { "url", "username", "key_file" };
	static const char *const epp[] = { "host", "username", "password_file" };
	static const char *const upd[] = { "zone", "server", "tsig_key_file" };
	static const char *const cmd[] = { "command" };
	const char *const *keys;
	const char *type = NULL;   /* named in the message of newer types */
	const void *set[3];
	size_t i, k, nkeys;

	for (i = 0; i < cfg->naccounts; i++) {
		struct account *a = &cfg->accounts[i];

		nkeys = 3;
		type = NULL;
		if ((int)a->type == -1) {
			if (cfg->lines[i].type != 0)
				continue;
			keys = NULL;
		} else if (a->type == ACCOUNT_OPENSRS) {
			keys = opensrs;
			set[0] = a->url;
			set[1] = a->username;
			set[2] = a->key_file;
		} else if (a->type == ACCOUNT_DNSUPDATE) {
			keys = upd;
			type = "dnsupdate";
			set[0] = a->zone;
			set[1] = a->server;
			set[2] = a->tsig_key_file;
		} else if (a->type == ACCOUNT_COMMAND) {
			keys = cmd;
			type = "command";
			nkeys = 1;
			set[0] = a->command;
		} else {
			keys = epp;
			set[0] = a->host;
			set[1] = a->username;
			set[2] = a->password_file;
		}
		for (k = 0; k < nkeys; k++) {
			const char *missing = keys == NULL ? "type" :
			    set[k] == NULL ? keys[k] : NULL;

			if (missing == NULL)
				continue;
			if (st->report == NULL && type != NULL)
				return dsreg_err_set(err, DSREG_EPARSE,
				    "%s:%u: [account %s]: missing required key "
				    "'%s' (type %s)", cfg->path,
				    cfg->lines[i].header, a->name, missing,
				    type);
			if (st->report == NULL)
				return dsreg_err_set(err, DSREG_EPARSE,
				    "%s: [account %s]: missing required key "
				    "'%s'", cfg->path, a->name, missing);
			st->at_line = cfg->lines[i].header;
			fail(st, "[account %s]: missing required key '%s'%s%s%s",
			    a->name, missing, type ? " (type " : "",
			    type ? type : "", type ? ")" : "");
			if (keys == NULL)
				break;
		}
	}
	return 0;
}

/* Parse path into st->cfg: 0, or the first problem (config_load). */
static int
load(struct parse_state *st, const char *path, struct dsreg_err *err)
{
	int line, rc;

	if ((rc = config_empty(&st->cfg)) != 0)
		return dsreg_err_set(err, rc, "%s: %s", path, rc ==
		    DSREG_ENOMEM ? "out of memory" : "the built-in policy "
		    "table does not parse");
	if ((st->cfg->path = strdup(path)) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	if ((rc = dsreg_file_fopen(path, DSREG_FILE_TEXT_MAX, &st->fp,
	    err)) != 0)
		return rc;
	ini_max_line = CONFIG_LINE_MAX + 3;
	line = ini_parse_stream(read_line, st, handler, st);
	fclose(st->fp);
	if (st->report != NULL) {
		if (st->read_errno != 0 || line < 0)
			goto unreadable;
		/* handler never fails here: a line inih could not parse */
		if (line > 0) {
			st->at_line = (unsigned)line;
			fail(st, "not an INI line (expected [section] or "
			    "key = value)");
		}
		return check_accounts(st, err);
	}
	if (line > 0 && (!st->failed || (unsigned)line < st->errline))
		return dsreg_err_set(err, DSREG_EPARSE, "%s:%d: not an INI line "
		    "(expected [section] or key = value)", path, line);
	if (st->failed)
		return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: %s", path,
		    st->errline, st->msg);
	if (line != 0 || st->read_errno != 0)
		goto unreadable;
	return check_accounts(st, err);
unreadable:
	return dsreg_err_set(err, line == -2 ? DSREG_ENOMEM : DSREG_EIO,
	    "%s: cannot read: %s", path, strerror(st->read_errno != 0 ?
	    st->read_errno : ENOMEM));
}

int
config_load(struct dsreg_config **out, const char *path,
    struct dsreg_err *err)
{
	struct parse_state st;
	int rc;

	memset(&st, 0, sizeof(st));
	if ((rc = load(&st, path, err)) == 0) {
		*out = st.cfg;
		st.cfg = NULL;
	}
	config_free(st.cfg);
	return rc;
}

int
config_load_all(struct dsreg_config **out, const char *path,
    config_problem_fn fn, void *ctx, struct dsreg_err *err)
{
	struct parse_state st;
	int rc;

	memset(&st, 0, sizeof(st));
	st.report = fn;
	st.report_ctx = ctx;
	if ((rc = load(&st, path, err)) == 0) {
		*out = st.cfg;
		st.cfg = NULL;
		rc = (int)st.nproblems;
	}
	config_free(st.cfg);
	return rc;
}

int
config_cds_tld(const struct dsreg_config *cfg, const char *domain)
{
	struct engine_policy builtin = { NULL, 0 };
	struct dsreg_err err;
	int scans;

	if (cfg != NULL)
		return engine_policy_scans(engine_policy_lookup(&cfg->policy,
		    domain, NULL));
	if (engine_policy_builtin(&builtin, &err) != 0) {
		engine_policy_free(&builtin);
		return 0;
	}
	scans = engine_policy_scans(engine_policy_lookup(&builtin, domain,
	    NULL));
	engine_policy_free(&builtin);
	return scans;
}
