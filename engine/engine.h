/* engine/engine.h - the reconcile engine: recover, audit and plan, apply through the registrars, verify */
#ifndef DSREG_ENGINE_ENGINE_H
#define DSREG_ENGINE_ENGINE_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/account.h"
#include "common/error.h"
#include "common/log.h"
#include "common/registrar.h"
#include "common/state.h"
#include "dns/plan.h"
#include "engine/audit.h"
#include "engine/policy.h"

/*
 * A run goes: engine_open (state database, apply lock, accounts that list
 * their domains), engine_recover (apply: relock what an earlier run left
 * unlocked, resolve changes a crash left open), engine_plan (audit every
 * domain, plan it, route it to the account that may change it),
 * engine_apply (each account's changes in a thread of its own, every
 * request journalled before it is sent), engine_verify (wait until every
 * parent server publishes the change, then take the next step of the
 * plan), engine_close.  The engine prints nothing: messages for the user
 * go to config.say, everything else to the log.
 */

enum engine_mode { ENGINE_PLAN, ENGINE_APPLY, ENGINE_INSTRUCTIONS };

/* How apply ended for one domain. */
enum engine_outcome {
	ENGINE_NONE = 0,          /* not attempted */
	ENGINE_APPLIED,           /* the registrar took the change */
	ENGINE_ALREADY,           /* the registrar held it already */
	ENGINE_FAILED,
	ENGINE_INTERRUPTED,       /* a stop signal: not sent */
};
/* "", "applied", "already", "failed", "interrupted" */
const char *engine_outcome_name(enum engine_outcome o);

/*
 * The journal's words (common/state.h): a change is a top-level row of
 * step "change"; each request of it a child row named by
 * registrar_step_name; each row ends with one of these outcomes.
 */
enum engine_jout {
	ENGINE_JOUT_OK,           /* a request: done */
	ENGINE_JOUT_FAILED,       /* refused, or not sent */
	ENGINE_JOUT_UNKNOWN,      /* sent; its answer was lost */
	ENGINE_JOUT_APPLIED,      /* a change: the registrar holds it */
	ENGINE_JOUT_NOT_APPLIED,  /* a change: it does not */
};
/* "ok", "failed", "unknown", "applied", "not-applied" */
const char *engine_jout_name(enum engine_jout o);

/* A configured account and the registrar implementation of its type. */
struct engine_account {
	const struct account *cfg;
	const struct registrar_ops *ops;
};

/* A domain with something to do (or to tell).  Owned by the engine. */
struct engine_item {
	char *domain;
	char *parent;
	const struct engine_account *acct; /* NULL: no account may change it */
	const struct engine_account *claims[2]; /* the first claimants */
	size_t nclaims;               /* accounts claiming it (>1: conflict) */
	enum dns_verdict verdict;
	struct dns_plan plan;
	struct ds_keyset keys;        /* DNSKEYs of the plan's final DS set */
	struct ds_set current;        /* DS the parent's servers serve (their
	                                 union) when it was planned */
	uint32_t ds_ttl;              /* the DS TTL the plan went by */
	const struct engine_policy_row *policy; /* the parent's row (borrowed
	                                 from cfg.policy), or NULL */
	enum engine_route_kind route; /* how the change is made (JSON "route",
	                                 engine_item_route) */
	/*
	 * NOTIFY(CDS) via DSYNC (RFC 9859): the target the parent announces
	 * (malloc'd), set by the DSYNC discovery when it finds one; the route
	 * is then notify (checked before registry-scan).  NULL: none.
	 */
	char *notify_target;
	unsigned notify_type;         /* the type to notify: CDS or CDNSKEY */
	/* apply */
	enum engine_outcome outcome;
	char *note;
	int published;                /* seen at every parent server after */
	time_t due;                   /* a next step due then (0: none) */
	struct engine_item *next;
};

struct engine_config {
	enum engine_mode mode;
	const char *state_path;       /* NULL: no state database */
	const struct engine_account *accounts;
	size_t naccounts;
	struct engine_audit *audit;   /* domains, resolvers, judgement
	                                 (borrowed) */
	time_t now;                   /* the plan clock (tests move it) */
	long wait;                    /* apply: seconds to wait for
	                                 publication */
	const struct dsreg_log *log;
	const struct engine_policy *policy; /* per parent zone: what its
	                                 registry reads, refuses, accepts
	                                 (borrowed; NULL: no rows) */
	/* a message for the user (printed by the caller) */
	void (*say)(void *ctx, const char *msg);
	void *say_ctx;
	/* engine_plan: each audited and planned domain, serialised; a
	 * non-zero return ends the plan with that code */
	int (*on_domain)(void *ctx, const struct dns_audit *a,
	    const struct engine_item *it);
	void *on_domain_ctx;
};

struct engine_books;
struct engine_run;

struct engine {
	struct engine_config cfg;
	struct engine_routes *routes;
	const struct account **accts; /* the accounts' configs, for routes */
	struct state_db *db;          /* NULL without a state database */
	int lock_fd;                  /* apply: exclusive lock beside it */
	pthread_mutex_t db_lock;
	int64_t run_id;
	time_t started;               /* the real time cfg.now was read */
	struct engine_run *runs;      /* one per account, then the notify
	                                 route's */
	size_t nruns;
	/* RFC 9859: a domain no account may change whose parent announces a
	 * DSYNC target, and whose CDS/CDNSKEY are right, is routed to this
	 * built-in account (type and name "notify") */
	struct account notify_cfg;
	struct engine_account notify_acct;
	struct engine_books *still;   /* left unlocked, not read back locked */
	struct engine_item *items, **tail;
	size_t nitems, nchange, nmanual, nrefuse, nwait, nconflict, naction;
	size_t nscan;                 /* changes left to the registry's
	                                 CDS/CDNSKEY scan (route registry-scan) */
	size_t pending;               /* after verify: not yet published or
	                                 waiting */
	int failed;                   /* a registrar change failed */
	int rec_failed;               /* recovery could not resolve all */
	int state_failed;             /* a state database write failed */
};

/*
 * Open the state database (apply: required, and locked against a second
 * apply), start the run, and let accounts with `domains = discover` list
 * their domains.  0 or DSREG_* (said why).  engine_close also after a
 * failure.
 */
DSREG_MUST_CHECK
int engine_open(struct engine *e, const struct engine_config *cfg);
void engine_close(struct engine *e);

/*
 * Apply, before the audit: relock every domain an earlier run left
 * unlocked (those that stay unlocked are not changed in this run), then
 * resolve each change a crash left open by reading the registrar.  0, or
 * DSREG_ESTATE when not all could be resolved (e->rec_failed).
 */
int engine_recover(struct engine *e);

/* Audit, plan and route every selected domain.  0 or DSREG_*. */
DSREG_MUST_CHECK
int engine_plan(struct engine *e);

/* Carry out every change an account may make, one thread per account. */
void engine_apply(struct engine *e);

/*
 * Poll every parent server until each change is published or cfg.wait
 * runs out; a published change is planned again right away (which records
 * since when it is published), and a next step that falls due within the
 * wait is carried out.  Sets e->pending.
 */
void engine_verify(struct engine *e);

/*
 * The JSON "route" word of an item: the account's type word (opensrs,
 * epp, ...) when an account makes the change, else "notify",
 * "registry-scan", "manual" or "none".
 */
const char *engine_item_route(const struct engine_item *it);

/* The plan clock now: cfg.now moved on by the real time since. */
time_t engine_clock(const struct engine *e);

/*
 * The domains dsreg unlocked and has not read back as locked, one call of
 * fn each (account, domain, since, note).  Returns how many.
 */
size_t engine_unlocked_each(struct engine *e, void (*fn)(void *ctx,
    const char *account, const char *domain, time_t since,
    const char *note), void *ctx);

/* A JSON array of a DS set's RDATA (rdata_only) or whole records, in
 * presentation form: the journal's form, and the output's.  NULL: ENOMEM. */
typedef struct json_t json_t;
json_t *engine_ds_json(const struct ds_set *set, int rdata_only);

/*
 * Stop asked (async-signal-safe): the request in flight and the relock
 * finish, nothing new starts.  engine_stop_signal: the signal, or 0.
 */
void engine_stop(int sig);
int engine_stop_signal(void);
/* "SIGTERM", "SIGHUP", "SIGINT" or "a signal". */
const char *engine_signal_name(int sig);

#endif
