/* common/map.h - a small hash map from strings to pointers (open addressing, grows) */
#ifndef DSREG_COMMON_MAP_H
#define DSREG_COMMON_MAP_H

#include <stddef.h>

/*
 * Keys are NUL-terminated strings the caller keeps alive (they are not
 * copied), compared exactly, or ignoring ASCII case with fold set.
 * Zero-initialise (then fold = 0) or call dsreg_map_init; release with
 * dsreg_map_free, which frees neither keys nor values.  Not thread-safe.
 */
struct dsreg_map_slot {
	const char *key;        /* NULL: empty */
	void *value;
};

struct dsreg_map {
	struct dsreg_map_slot *slot;
	size_t cap, n;
	int fold;
};

void dsreg_map_init(struct dsreg_map *m, int fold);
void dsreg_map_free(struct dsreg_map *m);
/* The value of key, or NULL if absent. */
void *dsreg_map_get(const struct dsreg_map *m, const char *key);
/*
 * Add key -> value unless key is there: 0 added, 1 already there (*old,
 * if given, set to its value; nothing changed), or DSREG_ENOMEM.
 */
int dsreg_map_add(struct dsreg_map *m, const char *key, void *value,
    void **old);
/* The i-th slot (i < m->cap) for walking every entry; key NULL if empty. */
#define dsreg_map_slot(m, i) (&(m)->slot[(i)])

#endif
