/* dns/plan.h - what to change at the registrar for one audited domain, and why (pure) */
#ifndef DSREG_DNS_PLAN_H
#define DSREG_DNS_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dns/dns.h"
#include "ds/ds.h"

/*
 * The facts a plan is made from: what the audit found, plus the one fact
 * the audit cannot know (since when the target set has been seen at every
 * parent server, kept in the state database).  All borrowed.
 */
struct dns_plan_facts {
	enum dns_verdict verdict;
	const struct ds_set *parent_ds;    /* union over the parent servers */
	const struct ds_set *const *server_ds; /* each parent server's DS set */
	size_t nservers;
	const struct ds_set *validating;   /* parent DS that validate: they match
	                                      a key served by every child server
	                                      that signs the DNSKEY RRset now */
	const struct ds_set *target;       /* expected DS (keys x digests) */
	const char *target_problem;        /* NULL if every key of target is
	                                      served and signing at every child
	                                      server; else why not */
	const char *parent_problem;        /* NULL unless a parent server's
	                                      signatures over the delegation
	                                      (RRSIG over DS, no-DS proof) fail:
	                                      then the plan refuses */
	uint32_t ds_ttl;                   /* TTL of the parent's DS RRset */
	time_t target_seen_since;          /* target at every parent server since
	                                      (0: not known to be) */
	time_t now;
};

enum dns_plan_kind {
	DNS_PLAN_NOTHING = 0,  /* nothing to change */
	DNS_PLAN_CHANGE,       /* add/rem (EPP) or replace with final (OpenSRS) */
	DNS_PLAN_WAIT,         /* a safe next step exists only later */
	DNS_PLAN_REFUSE,       /* unsafe or unknown: a person must look */
};

/*
 * A plan.  add/rem are the EPP form of the change (rem_all: remove every
 * DS); final is the complete DS set after it (the OpenSRS form).  notes
 * say why, in order, for people and for the JSON "actions".
 * Zero-initialise; release with dns_plan_free.
 */
struct dns_plan {
	enum dns_plan_kind kind;
	struct ds_set add, rem, final;
	int rem_all;
	time_t wait_until;     /* DNS_PLAN_WAIT on the DS TTL: when to re-run */
	char **notes;
	size_t nnotes;
	int target_everywhere; /* the whole target is at every parent server and
	                          validates (the caller records since when) */
};

/*
 * Make the plan.  Safety rules: a DS that validates is removed only when
 * the whole target is published and validates at every parent server and
 * has been for the DS TTL; a DS is added only for a key served and signing
 * at every child server (else REFUSE); unreachable, lame or disagreeing
 * child servers give REFUSE; disagreeing parent servers give WAIT;
 * delete-requested removes every DS; broken replaces the set with the
 * target; a parent whose signatures over the delegation fail gives
 * REFUSE (the fault is the parent's: no DS change can mend it).  Returns 0 or DSREG_ENOMEM.
 */
int dns_plan_make(const struct dns_plan_facts *f, struct dns_plan *p);
void dns_plan_free(struct dns_plan *p);

const char *dns_plan_kind_name(enum dns_plan_kind k);

#endif
