/* common/registrar.h - one interface to every registrar dsreg changes DS records at */
#ifndef DSREG_COMMON_REGISTRAR_H
#define DSREG_COMMON_REGISTRAR_H

#include <stddef.h>

#include "common/error.h"

struct account;
struct ds_keyset;
struct ds_set;
struct dsreg_log;

/*
 * A registrar implementation (epp/registrar.c, tucows/registrar.c, the fake
 * of the unit tests) fills one struct registrar_ops; the engine reaches a
 * registrar only through it.  Every call returns 0 or a DSREG_* code and
 * fills err; none prints.  One struct registrar is used by one thread at a
 * time.
 */
struct registrar;

/* The requests of a change, each journalled before it is sent. */
enum registrar_step {
	REGISTRAR_STEP_UNLOCK,   /* lift the registrar lock */
	REGISTRAR_STEP_SET,      /* replace the whole DS set (OpenSRS) */
	REGISTRAR_STEP_UPDATE,   /* add and remove DS or keys (EPP) */
	REGISTRAR_STEP_RELOCK,   /* put the lock back */
};
/* "unlock", "set-ds", "update", "relock": the journal's step words. */
const char *registrar_step_name(enum registrar_step step);

/* What a change is to achieve: the plan's target for one domain. */
struct registrar_change {
	const char *domain;             /* absolute, lower case */
	const char *parent;             /* its parent zone, NULL when not
	                                   known (recovery) */
	const struct ds_set *final;     /* the whole DS set to be published */
	const struct ds_set *add;       /* of final: DS to add */
	const struct ds_set *rem;       /* DS to remove */
	int rem_all;                    /* remove every DS, then add final */
	const struct ds_keyset *keys;   /* the DNSKEYs behind final (for a
	                                   registry that takes keys) */
	const struct ds_set *current;   /* what the parent's servers serve
	                                   now (the union the plan went by);
	                                   NULL when not known (recovery) */
	const char *notify_to;          /* the "notify" route: the parent's
	                                   DSYNC target, "ADDR@PORT" */
	unsigned notify_type;           /* and the type to notify (59 CDS,
	                                   60 CDNSKEY) */
};

/*
 * Called around each request that can change the registrar.  before:
 * returns 0 to send it, anything else to not send it (the journal could
 * not be written, or a stop was asked); a relock is sent whatever before
 * returns.  after: the request's code and a one-line note (response code
 * and text; no secret).
 */
struct registrar_hook {
	int (*before)(void *ctx, const char *domain, enum registrar_step step);
	void (*after)(void *ctx, const char *domain, enum registrar_step step,
	    int rc, const char *note);
	void *ctx;
};

/* How a change ended, beyond its return code. */
enum registrar_outcome {
	REGISTRAR_APPLIED,       /* the registrar took the change */
	REGISTRAR_ALREADY,       /* it already held the target: nothing sent */
	REGISTRAR_NOT_SENT,      /* nothing was sent (hook said no, or a
	                            failure before the first request) */
	REGISTRAR_REFUSED,       /* sent, and clearly refused: not applied */
	REGISTRAR_UNKNOWN,       /* sent, answer lost: it may have been
	                            applied (recovery reads it back) */
};
/* "applied", "already", "not-sent", "refused", "unknown". */
const char *registrar_outcome_name(enum registrar_outcome o);

struct registrar_report {
	enum registrar_outcome outcome;
	int unlock_sent;         /* the domain was unlocked on the way (the
	                            engine reads the lock back) */
	int relock_failed;       /* the domain may be left unlocked */
	char note[512];          /* what happened, one line (no secret) */
};

struct registrar_ops {
	const char *type;        /* the config's `type` word */
	int has_locks;           /* get_lock/set_lock work */
	int has_list;            /* list works (domains = discover) */

	/* Connect and log in for account a (credentials read here; log
	 * kept for the session's life).  *out is released with close. */
	int (*open)(struct registrar **out, const struct account *a,
	    const struct dsreg_log *log, struct dsreg_err *err);
	void (*close)(struct registrar *r);

	/* What the registrar holds for domain: DS records, and for a
	 * registry that holds keys, the keys (either may be empty). */
	int (*read)(struct registrar *r, const char *domain,
	    struct ds_set *ds, struct ds_keyset *keys, struct dsreg_err *err);

	/* *holds = 1 when the registrar holds exactly c->final (as DS
	 * records, or as the keys they refer to), else 0. */
	int (*holds)(struct registrar *r, const struct registrar_change *c,
	    int *holds, struct dsreg_err *err);

	/* Make the registrar hold c->final, sending only what is missing
	 * (nothing when it holds it already: rep->outcome ALREADY); each
	 * request goes through h.  rep is filled on every path. */
	int (*apply)(struct registrar *r, const struct registrar_change *c,
	    const struct registrar_hook *h, struct registrar_report *rep,
	    struct dsreg_err *err);

	/* The registrar lock (has_locks only). */
	int (*get_lock)(struct registrar *r, const char *domain, int *locked,
	    struct dsreg_err *err);
	int (*set_lock)(struct registrar *r, const char *domain, int locked,
	    struct dsreg_err *err);

	/* Every domain of the account, one call of fn each (has_list only);
	 * a non-zero return of fn stops and is returned. */
	int (*list)(struct registrar *r,
	    int (*fn)(void *ctx, const char *domain), void *ctx,
	    struct dsreg_err *err);
};

#endif
