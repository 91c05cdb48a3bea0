/* tests/unit/test_dns_plan.c - dns/plan.c: the safety rules, case by case */
#include "tests/unit/check_main.h"
#include "dns/plan.h"

#include <stdlib.h>
#include <string.h>

/* Distinct SHA-256 DS records by key tag; 1000+ are SHA-1. */
static struct ds_rec *
mk(unsigned tag)
{
	uint8_t dig[48];
	struct ds_rec *ds = NULL;
	int sha1 = tag >= 1000;

	memset(dig, 0, sizeof(dig));
	dig[0] = (uint8_t)tag;
	dig[1] = (uint8_t)(tag >> 8);
	ck_assert_int_eq(ds_rec_new(&ds, NULL, 0, (uint16_t)tag, 13,
	    sha1 ? DS_DIGEST_SHA1 : DS_DIGEST_SHA256, dig, sha1 ? 20 : 32,
	    NULL), 0);
	return ds;
}

/* Set from a 0-terminated list of tags. */
static void
set_of(struct ds_set *s, const unsigned *tags)
{
	memset(s, 0, sizeof(*s));
	for (; *tags != 0; tags++)
		ck_assert_int_eq(ds_set_add(s, mk(*tags)), 0);
}

struct world {
	struct ds_set parent, s1, s2, valid, target;
	const struct ds_set *servers[2];
	struct dns_plan_facts f;
};

#define T(...) ((const unsigned[]){ __VA_ARGS__, 0 })

static void
world(struct world *w, enum dns_verdict v, const unsigned *parent,
    const unsigned *s2, const unsigned *valid, const unsigned *target)
{
	memset(w, 0, sizeof(*w));
	set_of(&w->parent, parent);
	set_of(&w->s1, parent);
	set_of(&w->s2, s2 ? s2 : parent);
	set_of(&w->valid, valid);
	set_of(&w->target, target);
	w->servers[0] = &w->s1;
	w->servers[1] = &w->s2;
	w->f.verdict = v;
	w->f.parent_ds = &w->parent;
	w->f.server_ds = w->servers;
	w->f.nservers = 2;
	w->f.validating = &w->valid;
	w->f.target = &w->target;
	w->f.ds_ttl = 3600;
	w->f.now = 1000000;
}

static void
world_free(struct world *w)
{
	ds_set_free(&w->parent);
	ds_set_free(&w->s1);
	ds_set_free(&w->s2);
	ds_set_free(&w->valid);
	ds_set_free(&w->target);
}

static int
has(const struct ds_set *s, unsigned tag)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i]->key_tag == tag)
			return 1;
	return 0;
}

static int
noted(const struct dns_plan *p, const char *frag)
{
	size_t i;

	for (i = 0; i < p->nnotes; i++)
		if (strstr(p->notes[i], frag) != NULL)
			return 1;
	return 0;
}

START_TEST(nothing_for_good_states)
{
	static const enum dns_verdict v[] = { DNS_V_OK, DNS_V_UNSIGNED,
		DNS_V_NOT_OURS };
	struct dns_plan p;
	struct world w;
	size_t i;

	for (i = 0; i < 3; i++) {
		world(&w, v[i], T(1), NULL, T(1), T(1));
		ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
		ck_assert_int_eq(p.kind, DNS_PLAN_NOTHING);
		ck_assert_uint_eq(p.add.n + p.rem.n, 0);
		dns_plan_free(&p);
		world_free(&w);
	}
}
END_TEST

START_TEST(missing_adds_target)
{
	struct dns_plan p;
	struct world w;

	world(&w, DNS_V_MISSING, T(0), NULL, T(0), T(5, 6));
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	ck_assert_uint_eq(p.add.n, 2);
	ck_assert_uint_eq(p.rem.n, 0);
	ck_assert_uint_eq(p.final.n, 2);
	ck_assert(noted(&p, "add DS 5 13 2"));
	dns_plan_free(&p);
	/* a key that is not served and signing everywhere: refuse */
	w.f.target_problem = "key 6 is not served by ns2.example (192.0.2.2)";
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_REFUSE);
	ck_assert_uint_eq(p.add.n, 0);
	ck_assert(noted(&p, "not served by ns2.example"));
	dns_plan_free(&p);
	/* signed but no expected key at all */
	w.f.target_problem = NULL;
	ds_set_free(&w.target);
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_REFUSE);
	dns_plan_free(&p);
	world_free(&w);
}
END_TEST

START_TEST(stale_removed_at_once)
{
	struct dns_plan p;
	struct world w;

	/* 7 validates and is the target; 9 matches no served key */
	world(&w, DNS_V_STALE, T(7, 9), NULL, T(7), T(7));
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	ck_assert_uint_eq(p.add.n, 0);
	ck_assert_uint_eq(p.rem.n, 1);
	ck_assert(has(&p.rem, 9));
	ck_assert_uint_eq(p.final.n, 1);
	ck_assert(has(&p.final, 7));
	ck_assert(noted(&p, "validates nothing"));
	dns_plan_free(&p);
	world_free(&w);
}
END_TEST

START_TEST(rollover_add_then_wait_then_remove)
{
	struct dns_plan p;
	struct world w;

	/* step 1: old KSK 1 validates, new KSK 2 expected, old retired */
	world(&w, DNS_V_INCOMPLETE, T(1), NULL, T(1), T(2));
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	ck_assert(has(&p.add, 2));
	ck_assert_uint_eq(p.rem.n, 0);   /* never remove what validates now */
	ck_assert(has(&p.final, 1) && has(&p.final, 2));
	ck_assert(noted(&p, "keep DS 1 13 2"));
	ck_assert(!p.target_everywhere);
	dns_plan_free(&p);
	world_free(&w);

	/* step 2: both published at one server only: still keep */
	world(&w, DNS_V_INCONSISTENT_PARENT, T(1, 2), T(1), T(1, 2), T(2));
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_WAIT);
	ck_assert_uint_eq(p.rem.n, 0);
	dns_plan_free(&p);
	world_free(&w);

	/* step 3: everywhere, first seen just now: wait the DS TTL */
	world(&w, DNS_V_STALE, T(1, 2), NULL, T(1, 2), T(2));
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert(p.target_everywhere);
	ck_assert_int_eq(p.kind, DNS_PLAN_WAIT);
	ck_assert_uint_eq(p.rem.n, 0);
	ck_assert_int_eq((long)p.wait_until, (long)(w.f.now + 3600));
	dns_plan_free(&p);
	w.f.target_seen_since = w.f.now - 3599;
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_WAIT);
	ck_assert_int_eq((long)p.wait_until, (long)(w.f.now + 1));
	dns_plan_free(&p);

	/* step 4: the TTL has passed: remove the old DS */
	w.f.target_seen_since = w.f.now - 3600;
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	ck_assert_uint_eq(p.add.n, 0);
	ck_assert(has(&p.rem, 1));
	ck_assert_uint_eq(p.final.n, 1);
	ck_assert(has(&p.final, 2));
	dns_plan_free(&p);
	world_free(&w);
}
END_TEST

START_TEST(deprecated_digest_replaced_safely)
{
	struct dns_plan p;
	struct world w;

	/* SHA-1 DS 1001 validates; the target is the SHA-256 DS 1 */
	world(&w, DNS_V_DEPRECATED_DIGEST, T(1001), NULL, T(1001), T(1));
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	ck_assert(has(&p.add, 1));
	ck_assert_uint_eq(p.rem.n, 0);
	dns_plan_free(&p);
	world_free(&w);
}
END_TEST

START_TEST(broken_replaced_delete_removed)
{
	struct dns_plan p;
	struct world w;

	world(&w, DNS_V_BROKEN, T(3, 4), NULL, T(0), T(5));
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	ck_assert(p.rem_all);
	ck_assert(has(&p.rem, 3) && has(&p.rem, 4));
	ck_assert(has(&p.add, 5));
	ck_assert_uint_eq(p.final.n, 1);
	ck_assert(has(&p.final, 5));
	dns_plan_free(&p);
	w.f.target_problem = "key 5 does not sign the DNSKEY RRset at ns1";
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_REFUSE);
	dns_plan_free(&p);
	world_free(&w);

	world(&w, DNS_V_DELETE_REQUESTED, T(3), NULL, T(3), T(0));
	ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
	ck_assert_int_eq(p.kind, DNS_PLAN_CHANGE);
	ck_assert(p.rem_all);
	ck_assert_uint_eq(p.final.n, 0);
	ck_assert(noted(&p, "RFC 8078"));
	dns_plan_free(&p);
	world_free(&w);
}
END_TEST

START_TEST(unknown_states_refused)
{
	static const enum dns_verdict v[] = { DNS_V_UNREACHABLE, DNS_V_LAME,
		DNS_V_INCONSISTENT_CHILD };
	struct dns_plan p;
	struct world w;
	size_t i;

	for (i = 0; i < 3; i++) {
		world(&w, v[i], T(1), NULL, T(0), T(2));
		ck_assert_int_eq(dns_plan_make(&w.f, &p), 0);
		ck_assert_int_eq(p.kind, DNS_PLAN_REFUSE);
		ck_assert_uint_eq(p.add.n + p.rem.n, 0);
		dns_plan_free(&p);
		world_free(&w);
	}
}
END_TEST

static Suite *
dns_plan_suite(void)
{
	Suite *s = suite_create("dns_plan");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, nothing_for_good_states);
	tcase_add_test(tc, missing_adds_target);
	tcase_add_test(tc, stale_removed_at_once);
	tcase_add_test(tc, rollover_add_then_wait_then_remove);
	tcase_add_test(tc, deprecated_digest_replaced_safely);
	tcase_add_test(tc, broken_replaced_delete_removed);
	tcase_add_test(tc, unknown_states_refused);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(dns_plan_suite)
