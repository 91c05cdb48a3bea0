/* engine/audit.c - the audit worker pool: collect, judge, hand each domain on */
#include "engine/audit.h"
#include "common/error.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define WORKER_STACK (512 * 1024)

void
engine_audit_free(struct engine_audit *s)
{
	size_t i;

	engine_selection_free(&s->sel);
	dns_ctx_free(s->ctx);
	for (i = 0; i < s->nour_ns; i++)
		free(s->our_ns[i]);
	free(s->our_ns);
	memset(s, 0, sizeof(*s));
}

/* ---- worker pool ------------------------------------------------------- */

struct pool {
	struct engine_audit *s;
	engine_prepare_fn prep;
	engine_result_fn fn;
	void *arg;
	atomic_size_t next;
	pthread_mutex_t lock;    /* serialises fn and rc */
	int rc;
};

int
engine_audit_domain(struct engine_audit *s, const char *domain, struct dns_audit **out)
{
	struct dns_judge_opts jo;
	struct dns_audit *a = NULL;
	int rc;

	if ((rc = dns_audit_new(&a, domain)) != 0)
		return rc;
	if ((rc = dns_audit_collect(s->ctx, a)) != 0)
		goto out;
	memset(&jo, 0, sizeof(jo));
	jo.now = s->now;
	jo.have_store = s->sel.have_keys;
	jo.store_keys = engine_selection_zone_keys(&s->sel, a->domain,
	    &jo.nstore_keys);
	jo.digests = s->digests;
	jo.ndigests = s->ndigests;
	jo.our_ns = s->our_ns;
	jo.nour_ns = s->nour_ns;
	if ((rc = dns_judge(a, &jo)) != 0)
		goto out;
	*out = a;
	a = NULL;
out:
	dns_audit_free(a);
	return rc;
}

static int
audit_one(struct pool *p, const char *domain)
{
	struct dns_audit *a = NULL;
	void *pre;
	int rc;

	if ((rc = engine_audit_domain(p->s, domain, &a)) != 0)
		return rc;
	pre = p->prep != NULL ? p->prep(p->arg, a) : NULL;
	pthread_mutex_lock(&p->lock);
	rc = p->fn(p->arg, a, pre);
	pthread_mutex_unlock(&p->lock);
	dns_audit_free(a);
	return rc;
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	size_t i;
	int rc;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->s->sel.n) {
		if ((rc = audit_one(p, p->s->sel.domains[i])) == 0)
			continue;
		pthread_mutex_lock(&p->lock);
		if (p->rc == 0)
			p->rc = rc;
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

int
engine_audit_run(struct engine_audit *s, engine_prepare_fn prep, engine_result_fn fn,
    void *arg)
{
	struct pool p;
	pthread_t *th;
	pthread_attr_t attr;
	size_t nth, i, started = 0;

	memset(&p, 0, sizeof(p));
	p.s = s;
	p.prep = prep;
	p.fn = fn;
	p.arg = arg;
	atomic_init(&p.next, 0);
	pthread_mutex_init(&p.lock, NULL);
	nth = (size_t)s->jobs;
	if (nth > s->sel.n)
		nth = s->sel.n;
	if (nth == 0)
		nth = 1;
	if ((th = calloc(nth, sizeof(*th))) == NULL) {
		pthread_mutex_destroy(&p.lock);
		return DSREG_ENOMEM;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	for (i = 0; i < nth; i++) {
		if (pthread_create(&th[i], &attr, worker, &p) != 0)
			break;
		started++;
	}
	pthread_attr_destroy(&attr);
	if (started == 0)
		worker(&p);   /* no threads at all: do the work here */
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&p.lock);
	return p.rc;
}
