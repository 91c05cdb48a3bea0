/* engine/route.c - routing domains to accounts by globs and by discovered listings */
#include "engine/route.h"
#include "common/error.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

struct claims {
	char **v;            /* sorted after engine_route_claim inserts */
	size_t n, cap;
};

struct engine_routes {
	const struct account *const *accounts;
	size_t naccounts;
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
engine_route_discovers(const struct account *a)
{
	size_t i;

	for (i = 0; i < a->ndomains; i++)
		if (strcmp(a->domains[i], "discover") == 0)
			return 1;
	return 0;
}

int
engine_route_new(struct engine_routes **out,
    const struct account *const *accounts, size_t naccounts)
{
	struct engine_routes *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return DSREG_ENOMEM;
	r->accounts = accounts;
	r->naccounts = naccounts;
	if (naccounts > 0 &&
	    (r->claims = calloc(naccounts, sizeof(*r->claims))) == NULL) {
		free(r);
		return DSREG_ENOMEM;
	}
	*out = r;
	return 0;
}

void
engine_route_free(struct engine_routes *r)
{
	size_t i, j;

	if (r == NULL)
		return;
	for (i = 0; i < r->naccounts; i++) {
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
index_of(const struct engine_routes *r, const struct account *a)
{
	size_t i;

	for (i = 0; i < r->naccounts; i++)
		if (r->accounts[i] == a)
			break;
	return i;
}

int
engine_route_claim(struct engine_routes *r, const struct account *a,
    const char *domain)
{
	size_t at = index_of(r, a);
	struct claims *c;
	char *name, **nv;
	size_t lo = 0, hi, mid;
	int cmp;

	if (at == r->naccounts)
		return DSREG_EINVAL;      /* not one of the table's accounts */
	c = &r->claims[at];
	hi = c->n;
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
claims(const struct engine_routes *r, size_t i, const char *name)
{
	const struct account *a = r->accounts[i];
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
engine_route_lookup(const struct engine_routes *r, const char *domain,
    const struct account **out, size_t max)
{
	size_t i, n = 0;
	char *name;

	if ((name = plain(domain)) == NULL)
		return 0;
	for (i = 0; i < r->naccounts; i++)
		if (claims(r, i, name)) {
			if (n < max)
				out[n] = r->accounts[i];
			n++;
		}
	free(name);
	return n;
}
