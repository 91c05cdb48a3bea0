/* engine/verify.c - after the changes: watch every parent server until each is published, take the next step */
#include "engine/internal.h"

#include <stdlib.h>
#include <unistd.h>

#define POLL_INTERVAL 2

static int
awaiting(const struct engine_item *it)
{
	return !it->published && (it->outcome == ENGINE_APPLIED ||
	    it->outcome == ENGINE_ALREADY);
}

/* A plan-clock time as real time. */
static time_t
real_time(const struct engine *e, time_t plan_time)
{
	return plan_time - (e->cfg.now - e->started);
}

/* What to do next with a planned item: a change now, or one due later. */
static void
next_step(struct engine *e, struct engine_item *it)
{
	size_t i;

	it->due = 0;
	if (it->plan.kind == DNS_PLAN_WAIT && it->plan.wait_until > 0) {
		it->due = it->plan.wait_until;
		return;
	}
	if (it->plan.kind != DNS_PLAN_CHANGE || it->acct == NULL ||
	    it->nclaims != 1)
		return;
	for (i = 0; i < e->cfg.naccounts; i++)
		if (e->runs[i].a == it->acct) {
			it->published = 0;
			engine_apply_item(&e->runs[i], it);
			if (e->runs[i].failed)
				e->failed = 1;
			return;
		}
}

void
engine_verify(struct engine *e)
{
	time_t deadline = time(NULL) + e->cfg.wait, nap, t;
	struct engine_item *it;
	size_t pending, soon;
	int pub;

	e->pending = 0;
	if (e->cfg.wait <= 0)
		return;
	/* items already waiting for the DS TTL are taken up the same way */
	for (it = e->items; it != NULL; it = it->next)
		if (it->outcome == ENGINE_NONE &&
		    it->plan.kind == DNS_PLAN_WAIT &&
		    it->plan.wait_until > 0 && it->acct != NULL &&
		    it->nclaims == 1 && real_time(e, it->plan.wait_until) <=
		    deadline) {
			it->due = it->plan.wait_until;
			e->nwait--;
		}
	for (;;) {
		pending = 0;
		soon = 0;
		nap = POLL_INTERVAL;
		for (it = e->items; it != NULL && engine_stop_signal() == 0;
		    it = it->next) {
			if (it->due != 0 && engine_clock(e) >= it->due) {
				if (engine_replan(e, it, 0, &pub) == 0)
					next_step(e, it);
				else
					it->due = 0;
			}
			if (awaiting(it)) {
				if (engine_replan(e, it, 1, &pub) != 0 || !pub) {
					pending++;
					soon++;
					continue;
				}
				it->published = 1;
				next_step(e, it);
				if (awaiting(it)) {
					pending++;
					soon++;
					continue;
				}
			}
			if (it->due != 0) {
				pending++;
				t = real_time(e, it->due);
				if (t <= deadline)
					soon++;
				t -= time(NULL);
				if (t < nap)
					nap = t > 0 ? t : 0;
			}
		}
		e->pending = pending;
		if (soon == 0 || engine_stop_signal() != 0 ||
		    time(NULL) >= deadline)
			return;
		if (nap > 0)
			sleep((unsigned)nap);
	}
}
