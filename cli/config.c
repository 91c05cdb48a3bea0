/* cli/config.c - parse dsreg.conf with libinih */
#include "cli/config.h"
#include "common/error.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libinih's line buffer (INI_MAX_LINE) holds this much, newline included. */
#define INI_LINE_MAX (INI_MAX_LINE)

struct parse_state {
	struct dsreg_config *cfg;
	struct account *cur;   /* current [account] section, or NULL */
	int in_dsreg;          /* inside [dsreg] */
	char section[256];     /* last section seen (to detect new ones) */
	int failed;            /* handler failed at least once */
	char msg[DSREG_ERR_MAX];
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
	for (i = 0; i < cfg->naccounts; i++)
		account_free(&cfg->accounts[i]);
	free(cfg->accounts);
	free(cfg);
}

int
config_empty(struct dsreg_config **out)
{
	struct dsreg_config *cfg;

	if ((cfg = calloc(1, sizeof(*cfg))) == NULL)
		return DSREG_ENOMEM;
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

static int
fail(struct parse_state *st, const char *fmt, const char *a, const char *b)
{
	snprintf(st->msg, sizeof(st->msg), fmt, a, b);
	st->failed = 1;
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
	size_t i;

	if (*name == '\0')
		return fail(st, "[account] needs a name: [account NAME]%s%s",
		    "", "");
	for (i = 0; i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].name, name) == 0)
			return fail(st, "account '%s' defined twice%s", name,
			    "");
	na = realloc(cfg->accounts, (cfg->naccounts + 1) * sizeof(*na));
	if (na == NULL)
		return fail(st, "out of memory%s%s", "", "");
	cfg->accounts = na;
	st->cur = &na[cfg->naccounts];
	memset(st->cur, 0, sizeof(*st->cur));
	st->cur->type = -1;
	st->cur->relock = 1;
	st->cur->port = 700;
	if ((st->cur->name = strdup(name)) == NULL)
		return fail(st, "out of memory%s%s", "", "");
	cfg->naccounts++;
	return 1;
}

static int
dsreg_key(struct parse_state *st, const char *name, const char *value)
{
	struct dsreg_config *cfg = st->cfg;

	if (strcmp(name, "resolver") == 0)
		return set_list(&cfg->resolvers, &cfg->nresolvers, value);
	if (strcmp(name, "keys") == 0)
		return set_str(&cfg->keys, value);
	if (strcmp(name, "our_ns") == 0)
		return set_list(&cfg->our_ns, &cfg->nour_ns, value);
	if (strcmp(name, "digests") == 0)
		return set_list(&cfg->digests, &cfg->ndigests, value);
	if (strcmp(name, "state") == 0)
		return set_str(&cfg->state, value);
	if (strcmp(name, "cds_tlds") == 0)
		return set_list(&cfg->cds_tlds, &cfg->ncds_tlds, value);
	if (strcmp(name, "max_qps_per_server") == 0) {
		if (parse_int(value, 0, 1000000, &cfg->max_qps_per_server) != 0)
			return fail(st, "max_qps_per_server: expected 0 (no cap) "
			    "to 1000000, got '%s'%s", value, "");
		cfg->max_qps_set = 1;
		return 1;
	}
	return fail(st, "[dsreg]: unknown key '%s'%s", name, "");
}

static int
account_key(struct parse_state *st, const char *name, const char *value)
{
	struct account *a = st->cur;

	if (strcmp(name, "type") == 0) {
		if (strcmp(value, "opensrs") == 0)
			a->type = ACCOUNT_OPENSRS;
		else if (strcmp(value, "epp") == 0)
			a->type = ACCOUNT_EPP;
		else
			return fail(st, "type: expected opensrs or epp, got "
			    "'%s'%s", value, "");
		return 1;
	}
	if (strcmp(name, "username") == 0)
		return set_str(&a->username, value);
	if (strcmp(name, "key_file") == 0)
		return set_str(&a->key_file, value);
	if (strcmp(name, "ca_file") == 0)
		return set_str(&a->ca_file, value);
	if (strcmp(name, "domains") == 0)
		return set_list(&a->domains, &a->ndomains, value);
	if (strcmp(name, "url") == 0)
		return set_str(&a->url, value);
	if (strcmp(name, "subreseller") == 0)
		return set_str(&a->subreseller, value);
	if (strcmp(name, "relock") == 0) {
		if (parse_bool(value, &a->relock) != 0)
			return fail(st, "relock: expected yes or no, got "
			    "'%s'%s", value, "");
		return 1;
	}
	if (strcmp(name, "host") == 0)
		return set_str(&a->host, value);
	if (strcmp(name, "port") == 0) {
		if (parse_int(value, 1, 65535, &a->port) != 0)
			return fail(st, "port: expected 1-65535, got '%s'%s",
			    value, "");
		return 1;
	}
	if (strcmp(name, "server_name") == 0)
		return set_str(&a->server_name, value);
	if (strcmp(name, "cert_file") == 0)
		return set_str(&a->cert_file, value);
	if (strcmp(name, "password_file") == 0)
		return set_str(&a->password_file, value);
	if (strcmp(name, "secdns") == 0) {
		if (strcmp(value, "auto") != 0 && strcmp(value, "1.1") != 0 &&
		    strcmp(value, "1.0") != 0)
			return fail(st, "secdns: expected auto, 1.1 or 1.0, "
			    "got '%s'%s", value, "");
		return set_str(&a->secdns, value);
	}
	if (strcmp(name, "interface") == 0) {
		if (strcmp(value, "ds") != 0 && strcmp(value, "key") != 0)
			return fail(st, "interface: expected ds or key, got "
			    "'%s'%s", value, "");
		return set_str(&a->interface, value);
	}
	if (strcmp(name, "rate") == 0) {
		char *end;
		a->rate = strtod(value, &end);
		if (*value == '\0' || *end != '\0' || a->rate < 0)
			return fail(st, "rate: expected a number of commands "
			    "per second, got '%s'%s", value, "");
		return 1;
	}
	if (strcmp(name, "timeout") == 0) {
		if (parse_int(value, 1, 3600, &a->timeout) != 0)
			return fail(st, "timeout: expected 1-3600 seconds, "
			    "got '%s'%s", value, "");
		return 1;
	}
	return fail(st, "[account %s]: unknown key '%s'", a->name, name);
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;

	if (strcmp(section, st->section) != 0) {
		snprintf(st->section, sizeof(st->section), "%s", section);
		st->cur = NULL;
		st->in_dsreg = 0;
		if (strcmp(section, "dsreg") == 0)
			st->in_dsreg = 1;
		else if (strncmp(section, "account", 7) == 0 &&
		    (section[7] == ' ' || section[7] == '\t' ||
		    section[7] == '\0')) {
			const char *n = section + 7;
			while (isspace((unsigned char)*n))
				n++;
			if (!new_account(st, n))
				return 0;
		} else
			return fail(st, "unknown section [%s]%s", section, "");
	}
	if (name == NULL) /* section header only (INI_CALL_HANDLER_ON_NEW_SECTION) */
		return 1;
	if (st->in_dsreg)
		return dsreg_key(st, name, value);
	if (st->cur != NULL)
		return account_key(st, name, value);
	return fail(st, "key '%s' outside of any section%s", name, "");
}

static int
check_accounts(struct dsreg_config *cfg, struct dsreg_err *err)
{
	size_t i;

	for (i = 0; i < cfg->naccounts; i++) {
		struct account *a = &cfg->accounts[i];
		const char *missing = NULL;

		if ((int)a->type == -1)
			missing = "type";
		else if (a->type == ACCOUNT_OPENSRS) {
			if (a->url == NULL)
				missing = "url";
			else if (a->username == NULL)
				missing = "username";
			else if (a->key_file == NULL)
				missing = "key_file";
		} else {
			if (a->host == NULL)
				missing = "host";
			else if (a->username == NULL)
				missing = "username";
			else if (a->password_file == NULL)
				missing = "password_file";
		}
		if (missing != NULL)
			return dsreg_err_set(err, DSREG_EPARSE,
			    "%s: [account %s]: missing required key '%s'",
			    cfg->path, a->name, missing);
	}
	return 0;
}

/*
 * libinih does not report a repeated section header, so look at the
 * headers first: an account defined twice is an error naming both lines.
 */
static int
check_sections(FILE *fp, const char *path, struct dsreg_err *err)
{
	char line[1024], seen[64][256];
	unsigned lines[64], lineno = 0;
	size_t n = 0, i, len;
	char *p, *end;

	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > 0 && line[len - 1] != '\n' && !feof(fp))
			len = sizeof(line);
		if (len >= INI_LINE_MAX)
			return dsreg_err_set(err, DSREG_EPARSE, "%s:%u: line "
			    "longer than %d characters: continue a long list "
			    "on lines that start with white space", path,
			    lineno, INI_LINE_MAX - 2);
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p != '[' || (end = strchr(p, ']')) == NULL)
			continue;
		*end = '\0';
		p++;
		if (strncmp(p, "account", 7) != 0)
			continue;
		for (p += 7; *p == ' ' || *p == '\t'; p++)
			;
		len = strlen(p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			p[--len] = '\0';
		for (i = 0; i < n; i++)
			if (strcmp(seen[i], p) == 0)
				return dsreg_err_set(err, DSREG_EPARSE,
				    "%s:%u: account '%s' defined twice (first "
				    "at line %u)", path, lineno, p, lines[i]);
		if (n < 64) {
			snprintf(seen[n], sizeof(seen[n]), "%s", p);
			lines[n++] = lineno;
		}
	}
	rewind(fp);
	return 0;
}

int
config_load(struct dsreg_config **out, const char *path,
    struct dsreg_err *err)
{
	struct parse_state st;
	FILE *fp;
	int line, rc;

	memset(&st, 0, sizeof(st));
	if ((rc = config_empty(&st.cfg)) != 0)
		return dsreg_err_set(err, rc, "%s: out of memory", path);
	if ((st.cfg->path = strdup(path)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		rc = dsreg_err_set(err, errno == ENOENT ? DSREG_ENOTFOUND :
		    DSREG_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((rc = check_sections(fp, path, err)) != 0) {
		fclose(fp);
		goto out;
	}
	line = ini_parse_file(fp, handler, &st);
	fclose(fp);
	if (line != 0) {
		if (line < 0)
			rc = dsreg_err_set(err, DSREG_EIO, "%s: cannot read",
			    path);
		else if (st.failed)
			rc = dsreg_err_set(err, DSREG_EPARSE, "%s:%d: %s",
			    path, line, st.msg);
		else
			rc = dsreg_err_set(err, DSREG_EPARSE,
			    "%s:%d: not an INI line (expected [section] or "
			    "key = value)", path, line);
		goto out;
	}
	if ((rc = check_accounts(st.cfg, err)) != 0)
		goto out;
	*out = st.cfg;
	st.cfg = NULL;
out:
	config_free(st.cfg);
	return rc;
}

int
config_cds_tld(const struct dsreg_config *cfg, const char *domain)
{
	static char *builtin[] = { "ch", "li", "se", "nu", "cz", "sk" };
	char *const *v = builtin;
	size_t n = sizeof(builtin) / sizeof(builtin[0]), i, len, tl;
	const char *tld;

	if (cfg != NULL && cfg->cds_tlds != NULL) {
		v = cfg->cds_tlds;
		n = cfg->ncds_tlds;
	}
	len = strlen(domain);
	if (len > 0 && domain[len - 1] == '.')
		len--;
	for (tld = domain + len; tld > domain && tld[-1] != '.'; tld--)
		;
	tl = (size_t)(domain + len - tld);
	for (i = 0; i < n; i++) {
		const char *t = v[i][0] == '.' ? v[i] + 1 : v[i];
		size_t l = strlen(t);
		if (l > 0 && t[l - 1] == '.')
			l--;
		if (l == tl && strncasecmp(t, tld, l) == 0)
			return 1;
	}
	return 0;
}
