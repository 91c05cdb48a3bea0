/* ds/set.c - DS sets and key sets: membership, equality, difference, order */
#include "ds/ds.h"
#include "common/error.h"

#include <stdlib.h>
#include <string.h>

static int
grow(void **v, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if ((p = realloc(*v, ncap * elem)) == NULL)
		return DSREG_ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

int
ds_set_add(struct ds_set *set, struct ds_rec *ds)
{
	if (grow((void **)&set->v, &set->cap, set->n, sizeof(*set->v)) != 0)
		return DSREG_ENOMEM;
	set->v[set->n++] = ds;
	return 0;
}

int
ds_set_add_copy(struct ds_set *set, const struct ds_rec *ds)
{
	struct ds_rec *d;

	if (ds_rec_dup(&d, ds) != 0)
		return DSREG_ENOMEM;
	if (ds_set_add(set, d) != 0) {
		ds_rec_free(d);
		return DSREG_ENOMEM;
	}
	return 0;
}

int
ds_set_contains(const struct ds_set *set, const struct ds_rec *ds)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (ds_rec_equal(set->v[i], ds))
			return 1;
	return 0;
}

int
ds_set_equal(const struct ds_set *a, const struct ds_set *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!ds_set_contains(b, a->v[i]))
			return 0;
	for (i = 0; i < b->n; i++)
		if (!ds_set_contains(a, b->v[i]))
			return 0;
	return 1;
}

int
ds_set_diff(const struct ds_set *a, const struct ds_set *b,
    struct ds_set *out)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!ds_set_contains(b, a->v[i]) &&
		    !ds_set_contains(out, a->v[i]) &&
		    ds_set_add_copy(out, a->v[i]) != 0)
			return DSREG_ENOMEM;
	return 0;
}

void
ds_set_free(struct ds_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		ds_rec_free(set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = set->cap = 0;
}

static int
cmp_ds(const void *pa, const void *pb)
{
	const struct ds_rec *a = *(struct ds_rec *const *)pa;
	const struct ds_rec *b = *(struct ds_rec *const *)pb;

	if (a->key_tag != b->key_tag)
		return a->key_tag < b->key_tag ? -1 : 1;
	if (a->algorithm != b->algorithm)
		return a->algorithm < b->algorithm ? -1 : 1;
	if (a->digest_type != b->digest_type)
		return a->digest_type < b->digest_type ? -1 : 1;
	if (a->digest_len != b->digest_len)
		return a->digest_len < b->digest_len ? -1 : 1;
	return memcmp(a->digest, b->digest, a->digest_len);
}

void
ds_set_sort(struct ds_set *set)
{
	if (set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), cmp_ds);
}

int
ds_keyset_add(struct ds_keyset *set, struct ds_key *key)
{
	if (grow((void **)&set->v, &set->cap, set->n, sizeof(*set->v)) != 0)
		return DSREG_ENOMEM;
	set->v[set->n++] = key;
	return 0;
}

void
ds_keyset_free(struct ds_keyset *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		ds_key_free(set->v[i]);
	free(set->v);
	set->v = NULL;
	set->n = set->cap = 0;
}

const struct ds_key *
ds_keyset_match(const struct ds_keyset *set, const struct ds_rec *ds)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (ds_rec_matches_key(ds, set->v[i]))
			return set->v[i];
	return NULL;
}

void
ds_parse_result_free(struct ds_parse_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	ds_keyset_free(&res->keys);
	ds_set_free(&res->dss);
	for (i = 0; i < res->nwarnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	res->warnings = NULL;
	res->nwarnings = 0;
}
