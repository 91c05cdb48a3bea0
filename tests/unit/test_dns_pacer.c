/* tests/unit/test_dns_pacer.c - dns/pacer.c: the per-server-address query rate cap */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "tests/unit/check_main.h"

#define QPS 100
#define NTHREADS 4
#define PER_THREAD 40

struct run {
	struct dns_pacer *p;
	struct dns_addr a;
	int64_t slots[PER_THREAD];
};

static void *
take(void *arg)
{
	struct run *r = arg;
	int i;

	for (i = 0; i < PER_THREAD; i++)
		r->slots[i] = dns_pacer_slot(r->p, &r->a);
	return NULL;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Threads sharing one pacer: the slots of one address are 1/QPS apart. */
START_TEST(slots_spaced_across_threads)
{
	struct dns_pacer *p;
	struct run r[NTHREADS];
	pthread_t th[NTHREADS];
	int64_t all[NTHREADS * PER_THREAD], other;
	struct dns_addr b;
	int i, j, n = 0;

	ck_assert_int_eq(dns_pacer_new(&p, QPS), 0);
	for (i = 0; i < NTHREADS; i++) {
		r[i].p = p;
		ck_assert_int_eq(dns_addr_parse("192.0.2.1", &r[i].a, NULL), 0);
		pthread_create(&th[i], NULL, take, &r[i]);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NTHREADS; i++)
		for (j = 0; j < PER_THREAD; j++)
			all[n++] = r[i].slots[j];
	qsort(all, (size_t)n, sizeof(all[0]), cmp64);
	for (i = 1; i < n; i++)
		ck_assert_int_ge(all[i] - all[i - 1], 1000000000LL / QPS);
	/* another address (or port) is not held up by the first */
	ck_assert_int_eq(dns_addr_parse("192.0.2.1@5353", &b, NULL), 0);
	other = dns_pacer_slot(p, &b);
	ck_assert_int_lt(other, all[n - 1] - 1000000000LL);
	dns_pacer_free(p);
	ck_assert_int_ne(dns_pacer_new(&p, 0), 0);
}
END_TEST

static Suite *
dns_pacer_suite(void)
{
	Suite *s = suite_create("dns_pacer");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, slots_spaced_across_threads);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(dns_pacer_suite)
