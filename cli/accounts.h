/* cli/accounts.h - which configured account (if any) may change each domain's DS */
#ifndef DSREG_CLI_ACCOUNTS_H
#define DSREG_CLI_ACCOUNTS_H

#include <stddef.h>

#include "cli/config.h"

struct routing;

/*
 * Routing table over the accounts of cfg (borrowed: cfg must outlive it).
 * An account claims a domain when one of its `domains` globs matches
 * (fnmatch, case-insensitive, trailing dots ignored) or, for an account
 * with `domains = discover`, when its own listing named it
 * (routing_claim).  Free with routing_free.
 */
int routing_new(struct routing **out, const struct dsreg_config *cfg);
void routing_free(struct routing *r);

/* 1 if account a is configured with `domains = discover`. */
int routing_discovers(const struct account *a);

/* Record that a's own listing contains domain. */
int routing_claim(struct routing *r, const struct account *a,
    const char *domain);

/*
 * The accounts that claim domain, in config order: returns how many claim
 * it (0: nobody, "manual"; more than 1: a conflict the plan must show) and
 * stores up to max of them in out.
 */
size_t routing_lookup(const struct routing *r, const char *domain,
    const struct account **out, size_t max);

#endif
