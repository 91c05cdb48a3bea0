/* tests/unit/test_engine_route.c - engine/route.c: routing domains to accounts */
#include "tests/unit/check_main.h"
#include "engine/route.h"

#include <string.h>

static char *globs_a[] = { "*.example", "Shop.Test.", NULL };
static char *globs_b[] = { "discover", NULL };
static char *globs_c[] = { "*.example", NULL };

START_TEST(globs_discovery_conflicts)
{
	struct account accts[3];
	const struct account *ptrs[3] = { &accts[0], &accts[1], &accts[2] };
	struct engine_routes *r;
	const struct account *got[4];

	memset(accts, 0, sizeof(accts));
	accts[0].name = "epp-x";
	accts[0].domains = globs_a;
	accts[0].ndomains = 2;
	accts[1].name = "tucows";
	accts[1].domains = globs_b;
	accts[1].ndomains = 1;
	ck_assert_int_eq(engine_route_new(&r, ptrs, 2), 0);
	ck_assert(!engine_route_discovers(&accts[0]));
	ck_assert(engine_route_discovers(&accts[1]));

	ck_assert_uint_eq(engine_route_lookup(r, "a.example.", got, 4), 1);
	ck_assert_ptr_eq(got[0], &accts[0]);
	ck_assert_uint_eq(engine_route_lookup(r, "deep.a.EXAMPLE", got, 4), 1);
	ck_assert_uint_eq(engine_route_lookup(r, "shop.test.", got, 4), 1);
	ck_assert_uint_eq(engine_route_lookup(r, "example.", got, 4), 0);
	ck_assert_uint_eq(engine_route_lookup(r, "nobody.org.", got, 4), 0);

	ck_assert_int_eq(engine_route_claim(r, &accts[1], "Nobody.ORG."), 0);
	ck_assert_int_eq(engine_route_claim(r, &accts[1], "b.org"), 0);
	ck_assert_int_eq(engine_route_claim(r, &accts[1], "nobody.org"), 0);
	ck_assert_uint_eq(engine_route_lookup(r, "nobody.org.", got, 4), 1);
	ck_assert_ptr_eq(got[0], &accts[1]);
	ck_assert_uint_eq(engine_route_lookup(r, "a.org.", got, 4), 0);

	/* claimed by a glob and by a listing: a conflict */
	ck_assert_int_eq(engine_route_claim(r, &accts[1], "x.example."), 0);
	ck_assert_uint_eq(engine_route_lookup(r, "x.example.", got, 4), 2);
	ck_assert_ptr_eq(got[0], &accts[0]);
	ck_assert_ptr_eq(got[1], &accts[1]);
	engine_route_free(r);

	/* two accounts with the same glob */
	accts[2].name = "epp-y";
	accts[2].domains = globs_c;
	accts[2].ndomains = 1;
	accts[1] = accts[2];
	ck_assert_int_eq(engine_route_new(&r, ptrs, 2), 0);
	ck_assert_uint_eq(engine_route_lookup(r, "q.example.", got, 1), 2);
	engine_route_free(r);
}
END_TEST

static Suite *
accounts_suite(void)
{
	Suite *s = suite_create("engine_route");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, globs_discovery_conflicts);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(accounts_suite)
