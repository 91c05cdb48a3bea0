/* tests/unit/fake_registrar.h - a registrar in memory, with faults, behind struct registrar_ops */
#ifndef DSREG_TESTS_FAKE_REGISTRAR_H
#define DSREG_TESTS_FAKE_REGISTRAR_H

#include "common/registrar.h"
#include "ds/ds.h"

/* What the fake registrar does wrong, once set (cleared by fake_reset). */
enum fake_fault {
	FAKE_OK = 0,
	FAKE_REFUSE,          /* the change is refused (a registry error) */
	FAKE_LOSE_ANSWER,     /* the change is made, its answer is lost */
	FAKE_RELOCK_FAILS,    /* every lock request is refused */
	FAKE_OPEN_FAILS,      /* the login is refused */
};

/* Its one account's domains (a registrar of the whole test). */
struct fake_domain {
	const char *name;
	struct ds_set ds;
	int locked;
};

#define FAKE_MAX_DOMAINS 8
struct fake_world {
	struct fake_domain d[FAKE_MAX_DOMAINS];
	size_t n;
	enum fake_fault fault;
	int locks;               /* has_locks (OpenSRS-like) */
	/* what was asked */
	int opens, changes_sent, unlocks, relocks, reads;
	char steps[256];         /* the steps seen, "unlock set-ds relock " */
};

extern struct fake_world fake;
extern const struct registrar_ops fake_registrar_ops;

/* Empty the world; locks: the registrar has locks. */
void fake_reset(int locks);
/* Add a domain holding the DS records of `ds` (RDATA texts, ';'
 * separated; "" none), locked or not. */
struct fake_domain *fake_add(const char *name, const char *ds, int locked);
struct fake_domain *fake_find(const char *name);
/* Parse a ';' separated list of DS RDATA into set. */
void fake_set(struct ds_set *set, const char *ds);

#endif
