/* engine/route.h - which configured account (if any) may change each domain's DS */
#ifndef DSREG_ENGINE_ROUTE_H
#define DSREG_ENGINE_ROUTE_H

#include <stddef.h>

#include "common/account.h"

struct engine_routes;

/*
 * Routing table over the configured accounts (the array and the accounts
 * are borrowed: they must outlive it; the claim functions take one of
 * these pointers).
 * An account claims a domain when one of its `domains` globs matches
 * (fnmatch, case-insensitive, trailing dots ignored) or, for an account
 * with `domains = discover`, when its own listing named it
 * (engine_route_claim).  Free with engine_route_free.
 */
int engine_route_new(struct engine_routes **out,
    const struct account *const *accounts, size_t naccounts);
void engine_route_free(struct engine_routes *r);

/* 1 if account a is configured with `domains = discover`. */
int engine_route_discovers(const struct account *a);

/* Record that a's own listing contains domain. */
int engine_route_claim(struct engine_routes *r, const struct account *a,
    const char *domain);

/*
 * The accounts that claim domain, in config order: returns how many claim
 * it (0: nobody, "manual"; more than 1: a conflict the plan must show) and
 * stores up to max of them in out.
 */
size_t engine_route_lookup(const struct engine_routes *r, const char *domain,
    const struct account **out, size_t max);

#endif
