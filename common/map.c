/* common/map.c - a small hash map from strings to pointers (open addressing, grows) */
#include "common/map.h"
#include "common/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
dsreg_map_init(struct dsreg_map *m, int fold)
{
	memset(m, 0, sizeof(*m));
	m->fold = fold;
}

void
dsreg_map_free(struct dsreg_map *m)
{
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}

/* FNV-1a, folding ASCII case when the map does */
static size_t
hash(const struct dsreg_map *m, const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (m->fold && c >= 'A' && c <= 'Z')
			c += 32;
		h = (h ^ c) * 1099511628211ULL;
	}
	return (size_t)h;
}

/* The slot holding key, or the empty slot where it would go. */
static struct dsreg_map_slot *
find(const struct dsreg_map *m, const char *key)
{
	size_t j = hash(m, key) & (m->cap - 1);

	for (; m->slot[j].key != NULL; j = (j + 1) & (m->cap - 1))
		if ((m->fold ? strcasecmp(m->slot[j].key, key) :
		    strcmp(m->slot[j].key, key)) == 0)
			break;
	return &m->slot[j];
}

void *
dsreg_map_get(const struct dsreg_map *m, const char *key)
{
	return m->cap == 0 ? NULL : find(m, key)->value;
}

static int
grow(struct dsreg_map *m)
{
	struct dsreg_map old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	if ((m->slot = calloc(m->cap, sizeof(*m->slot))) == NULL) {
		*m = old;
		return DSREG_ENOMEM;
	}
	for (i = 0; i < old.cap; i++)
		if (old.slot[i].key != NULL)
			*find(m, old.slot[i].key) = old.slot[i];
	free(old.slot);
	return 0;
}

int
dsreg_map_add(struct dsreg_map *m, const char *key, void *value,
    void **old)
{
	struct dsreg_map_slot *s;
	int rc;

	if ((m->n + 1) * 2 > m->cap && (rc = grow(m)) != 0)
		return rc;
	s = find(m, key);
	if (s->key != NULL) {
		if (old != NULL)
			*old = s->value;
		return 1;
	}
	s->key = key;
	s->value = value;
	m->n++;
	return 0;
}
