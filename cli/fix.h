/* cli/fix.h - what plan, apply and instructions share: audit -> plan -> account */
#ifndef DSREG_CLI_FIX_H
#define DSREG_CLI_FIX_H

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cli/accounts.h"
#include "cli/audit.h"
#include "cli/output.h"
#include "common/state.h"
#include "dns/plan.h"

enum fix_mode { FIX_PLAN, FIX_APPLY, FIX_INSTRUCTIONS };

/* A domain with something to do (or to tell). Owned by struct fix. */
struct fix_item {
	char *domain;
	char *parent;
	const struct account *acct;   /* NULL: no account may change it */
	size_t nclaims;               /* accounts claiming it (>1: conflict) */
	enum dns_verdict verdict;
	struct dns_plan plan;
	struct ds_keyset keys;        /* DNSKEYs of the plan's final DS set */
	uint32_t ds_ttl;              /* the DS TTL the plan went by */
	/* apply */
	const char *outcome;          /* "applied", "already", "failed", ... */
	char *note;
	int published;                /* seen at every parent server after */
	time_t due;                   /* apply: a next step due then (0: none) */
	struct fix_item *next;
};

struct fix;

struct fix_opts {
	struct audit_args sel;        /* --keys, --our-ns, --domains */
	int yes;                      /* apply: no confirmation */
	long wait;                    /* apply: seconds to wait for publication */
	int argc;
	char **argv;
	/* called after config, state DB and discovery, before the audit;
	 * 0 or a DSREG_* code that ends fix_prepare */
	int (*before_audit)(struct fix *f, void *arg);
	void *before_arg;
};

struct fix {
	struct cli *c;
	enum fix_mode mode;
	struct fix_opts o;
	struct audit_setup s;
	struct routing *routes;
	struct state_db *db;          /* NULL when no `state` is configured */
	int lock_fd;                  /* apply: exclusive lock beside the DB */
	pthread_mutex_t db_lock;
	int64_t run_id;
	time_t now;                   /* plan clock: DSREG_NOW overrides (tests) */
	time_t started;               /* the real time when now was read */
	struct output *out;
	struct fix_item *items, **tail;
	size_t nitems, nchange, nmanual, nrefuse, nwait, nconflict, naction;
	int failed;                   /* runtime failure seen (exit 3) */
	int state_failed;             /* a state database write failed (exit 3
	                                 in apply) */
};

/*
 * Parse the selection options (and --yes/--wait for apply): 0, CLI_HELP
 * (usage shown) or DSREG_EINVAL (usage error, printed).
 */
int fix_parse(struct cli *c, enum fix_mode mode, int argc, char **argv,
    struct fix_opts *o);

/*
 * Set up (config, key store, domains, resolvers, state DB, account
 * discovery), audit every domain, plan each one and route it to its
 * account; with an output stream each domain is written with its
 * "account" and "actions".  Items with something to do are kept in
 * f->items.  Returns 0 when the run itself worked, else a DSREG_* code
 * (message printed; DSREG_EINVAL: options or configuration).
 */
int fix_prepare(struct fix *f, struct cli *c, enum fix_mode mode,
    const struct fix_opts *o, int with_output);
void fix_free(struct fix *f);

/* The plan clock now: f->now moved on by the real time since. */
time_t fix_clock(const struct fix *f);

/*
 * Audit it->domain again; *published: every parent server serves exactly
 * its plan's final set.  Then (with check: only when published) plan it
 * anew as of fix_clock, which records in the state database since when
 * the target has been at every parent server (so a removal waiting for
 * the DS TTL counts from now), and replace it->plan and it->keys.  0 or
 * DSREG_*.
 */
int fix_replan(struct fix *f, struct fix_item *it, int check, int *published);

/*
 * The DS set each parent server answered (servers that failed or answered
 * an error are left out: *n of *nparents answered), and the smallest DS
 * TTL seen (0: none).  Release with fix_server_sets_free.
 */
int fix_server_sets(const struct dns_audit *a, struct ds_set **out,
    size_t *n, size_t *nparents, uint32_t *ttl);
void fix_server_sets_free(struct ds_set *sets, size_t n);

/* Canonical text of a DS set (sorted RDATA joined by ';'). malloc'd. */
char *fix_set_text(const struct ds_set *set);
/* output_ds_json(set, 1) as text. malloc'd. */
char *fix_set_json(const struct ds_set *set);

#endif
