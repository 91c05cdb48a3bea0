/* cli/accounts.c - routing domains to accounts by globs and by discovered listings */
#include "cli/accounts.h"
#include "common/error.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

struct claims {
	char **v;            /* sorted after routing_claim inserts */
	size_t n, cap;
};

struct routing {
	const struct dsreg_config *cfg;
	struct claims *claims; /* one per account */
};

/* Lower case, without the trailing dot. malloc'd. */
static char *
plain(const char *name)
{
	size_t n = strlen(name), i;
	char *s;

	if (n > 1 && name[n - 1] == '.')
		n--;
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		s[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ?
		    name[i] + 32 : name[i]);
	s[n] = '\0';
	return s;
}

int
routing_discovers(const struct account *a)
{
	size_t i;

	for (i = 0; i < a->ndomains; i++)
		if (strcmp(a->domains[i], "discover") == 0)
			return 1;
	return 0;
}

int
routing_new(struct routing **out, const struct dsreg_config *cfg)
{
	struct routing *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return DSREG_ENOMEM;
	r->cfg = cfg;
	if (cfg->naccounts > 0 &&
	    (r->claims = calloc(cfg->naccounts, sizeof(*r->claims))) == NULL) {
		free(r);
		return DSREG_ENOMEM;
	}
	*out = r;
	return 0;
}

void
routing_free(struct routing *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->cfg->naccounts; i++) {
		for (j = 0; j < r->claims[i].n; j++)
			free(r->claims[i].v[j]);
		free(r->claims[i].v);
	}
	free(r->claims);
	free(r);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t
index_of(const struct routing *r, const struct account *a)
{
	return (size_t)(a - r->cfg->accounts);
}

int
routing_claim(struct routing *r, const struct account *a, const char *domain)
{
	struct claims *c = &r->claims[index_of(r, a)];
	char *name, **nv;
	size_t lo = 0, hi = c->n, mid;
	int cmp;

	if ((name = plain(domain)) == NULL)
		return DSREG_ENOMEM;
	while (lo < hi) {          /* insertion point, sorted, no duplicates */
		mid = (lo + hi) / 2;
		cmp = strcmp(c->v[mid], name);
		if (cmp == 0) {
			free(name);
			return 0;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		if ((nv = realloc(c->v, c->cap * sizeof(*nv))) == NULL) {
			free(name);
			return DSREG_ENOMEM;
		}
		c->v = nv;
	}
	memmove(c->v + lo + 1, c->v + lo, (c->n - lo) * sizeof(*c->v));
	c->v[lo] = name;
	c->n++;
	return 0;
}

static int
claims(const struct routing *r, size_t i, const char *name)
{
	const struct account *a = &r->cfg->accounts[i];
	const struct claims *c = &r->claims[i];
	char *glob;
	size_t j;
	int hit = 0;

	if (c->n > 0 && bsearch(&name, c->v, c->n, sizeof(*c->v), cmp_str))
		return 1;
	for (j = 0; j < a->ndomains && !hit; j++) {
		if (strcmp(a->domains[j], "discover") == 0)
			continue;
		if ((glob = plain(a->domains[j])) == NULL)
			return 0;
		hit = fnmatch(glob, name, FNM_CASEFOLD) == 0;
		free(glob);
	}
	return hit;
}

size_t
routing_lookup(const struct routing *r, const char *domain,
    const struct account **out, size_t max)
{
	size_t i, n = 0;
	char *name;

	if ((name = plain(domain)) == NULL)
		return 0;
	for (i = 0; i < r->cfg->naccounts; i++)
		if (claims(r, i, name)) {
			if (n < max)
				out[n] = &r->cfg->accounts[i];
			n++;
		}
	free(name);
	return n;
}
