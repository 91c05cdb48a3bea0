/* tests/unit/test_dns_plan.c - dns/plan.c: the safety rules, case by case, from the scenario files in tests/unit/data/dns_plan */
#include "tests/unit/check_main.h"
#include "tests/unit/casefile.h"
#include "dns/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASES "tests/unit/data/dns_plan"

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

/* The set of the tags in words tok[from..]: numbers, or "none". */
static void
set_of(const struct casefile *cf, const struct case_line *l, int from,
    struct ds_set *s)
{
	char *end;
	unsigned long tag;
	int i;

	ds_set_free(s);
	memset(s, 0, sizeof(*s));
	if (l->ntok == from + 1 && strcmp(l->tok[from], "none") == 0)
		return;
	ck_assert_msg(l->ntok > from, "%s:%d: a set: numbers or none",
	    cf->path, l->lineno);
	for (i = from; i < l->ntok; i++) {
		tag = strtoul(l->tok[i], &end, 10);
		ck_assert_msg(*end == '\0' && tag > 0 && tag < 65536,
		    "%s:%d: '%s' is no key tag", cf->path, l->lineno,
		    l->tok[i]);
		ck_assert_int_eq(ds_set_add(s, mk((unsigned)tag)), 0);
	}
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

/* got holds every tag of want (and, exactly: nothing else). */
static void
check_set(const struct casefile *cf, const struct case_line *l,
    const struct ds_set *got, int exactly)
{
	struct ds_set want = { NULL, 0, 0 };
	size_t i;

	set_of(cf, l, 2, &want);
	for (i = 0; i < want.n; i++)
		ck_assert_msg(has(got, want.v[i]->key_tag), "%s:%d: %s lacks "
		    "%u", cf->path, l->lineno, l->tok[1], want.v[i]->key_tag);
	if (exactly)
		ck_assert_msg(got->n == want.n, "%s:%d: %s has %zu DS, not "
		    "%zu", cf->path, l->lineno, l->tok[1], got->n, want.n);
	ds_set_free(&want);
}

static int
yes(const struct casefile *cf, const struct case_line *l)
{
	ck_assert_msg(l->ntok == 3 && (strcmp(l->tok[2], "yes") == 0 ||
	    strcmp(l->tok[2], "no") == 0), "%s:%d: yes or no", cf->path,
	    l->lineno);
	return strcmp(l->tok[2], "yes") == 0;
}

static void
expect_line(const struct casefile *cf, const struct case_line *l,
    const struct dns_plan_facts *f, const struct dns_plan *p)
{
	const char *what = l->ntok > 1 ? l->tok[1] : "";
	size_t i;
	int found;

	if (strcmp(what, "kind") == 0 && l->ntok == 3)
		ck_assert_msg(strcmp(dns_plan_kind_name(p->kind), l->tok[2]) ==
		    0, "%s:%d: plan %s (%s)", cf->path, l->lineno,
		    dns_plan_kind_name(p->kind), p->nnotes > 0 ? p->notes[0] :
		    "no note");
	else if (strcmp(what, "add") == 0 || strcmp(what, "add-has") == 0)
		check_set(cf, l, &p->add, what[3] == '\0');
	else if (strcmp(what, "rem") == 0 || strcmp(what, "rem-has") == 0)
		check_set(cf, l, &p->rem, what[3] == '\0');
	else if (strcmp(what, "final") == 0 || strcmp(what, "final-has") == 0)
		check_set(cf, l, &p->final, what[5] == '\0');
	else if (strcmp(what, "rem-all") == 0)
		ck_assert_msg(!p->rem_all == !yes(cf, l), "%s:%d: rem_all %d",
		    cf->path, l->lineno, p->rem_all);
	else if (strcmp(what, "target-everywhere") == 0)
		ck_assert_msg(!p->target_everywhere == !yes(cf, l), "%s:%d: "
		    "target_everywhere %d", cf->path, l->lineno,
		    p->target_everywhere);
	else if (strcmp(what, "wait-until") == 0 && l->ntok == 3)
		ck_assert_msg((long)p->wait_until == (long)f->now +
		    strtol(l->tok[2], NULL, 10), "%s:%d: wait until now%+ld",
		    cf->path, l->lineno, (long)(p->wait_until - f->now));
	else if (strcmp(what, "note") == 0 && l->ntok == 3) {
		for (found = 0, i = 0; i < p->nnotes; i++)
			if (strstr(p->notes[i], l->tok[2]) != NULL)
				found = 1;
		ck_assert_msg(found, "%s:%d: no note contains '%s'", cf->path,
		    l->lineno, l->tok[2]);
	} else
		ck_abort_msg("%s:%d: unknown expectation", cf->path, l->lineno);
}

/* Read the facts of one case file, make the plan, check the expect lines. */
static void
run_case_file(const char *name)
{
	struct casefile cf;
	struct ds_set parent = { NULL, 0, 0 }, s2 = { NULL, 0, 0 },
	    valid = { NULL, 0, 0 }, target = { NULL, 0, 0 };
	const struct ds_set *servers[2] = { &parent, &parent };
	struct dns_plan_facts f;
	struct dns_plan p;
	size_t i;
	int made = 0, v;

	casefile_read(&cf, CASES, name);
	memset(&f, 0, sizeof(f));
	memset(&p, 0, sizeof(p));
	f.verdict = DNS_V_COUNT;
	f.parent_ds = &parent;
	f.server_ds = servers;
	f.nservers = 2;
	f.validating = &valid;
	f.target = &target;
	f.ds_ttl = 3600;
	f.now = 1000000;
	for (i = 0; i < cf.nlines; i++) {
		const struct case_line *l = &cf.lines[i];
		const char *kw = l->tok[0];

		ck_assert_msg(!made || strcmp(kw, "expect") == 0, "%s:%d: '%s' "
		    "after the first expect", cf.path, l->lineno, kw);
		if (strcmp(kw, "verdict") == 0 && l->ntok == 2) {
			v = dns_verdict_from_name(l->tok[1]);
			ck_assert_msg(v >= 0, "%s:%d: no verdict '%s'", cf.path,
			    l->lineno, l->tok[1]);
			f.verdict = (enum dns_verdict)v;
		} else if (strcmp(kw, "parent") == 0)
			set_of(&cf, l, 1, &parent);
		else if (strcmp(kw, "parent2") == 0) {
			set_of(&cf, l, 1, &s2);
			servers[1] = &s2;
		} else if (strcmp(kw, "validating") == 0)
			set_of(&cf, l, 1, &valid);
		else if (strcmp(kw, "target") == 0)
			set_of(&cf, l, 1, &target);
		else if (strcmp(kw, "target-problem") == 0 && l->ntok == 2)
			f.target_problem = l->tok[1];
		else if (strcmp(kw, "parent-problem") == 0 && l->ntok == 2)
			f.parent_problem = l->tok[1];
		else if (strcmp(kw, "ds-ttl") == 0 && l->ntok == 2)
			f.ds_ttl = (uint32_t)strtoul(l->tok[1], NULL, 10);
		else if (strcmp(kw, "seen-since") == 0 && l->ntok == 2)
			f.target_seen_since = f.now + strtol(l->tok[1], NULL,
			    10);
		else if (strcmp(kw, "expect") == 0) {
			if (!made) {
				ck_assert_msg(f.verdict != DNS_V_COUNT, "%s: no "
				    "verdict line", cf.path);
				ck_assert_int_eq(dns_plan_make(&f, &p), 0);
				made = 1;
			}
			expect_line(&cf, l, &f, &p);
		} else
			ck_abort_msg("%s:%d: unknown line '%s'", cf.path,
			    l->lineno, kw);
	}
	ck_assert_msg(made, "%s: no expect line", cf.path);
	dns_plan_free(&p);
	ds_set_free(&parent);
	ds_set_free(&s2);
	ds_set_free(&valid);
	ds_set_free(&target);
	casefile_free(&cf);
}

static char **case_names;
static size_t ncases;

START_TEST(plan_cases)
{
	run_case_file(case_names[_i]);
}
END_TEST

/* The cases were found, and every plan kind has one. */
START_TEST(every_kind_covered)
{
	static const char *const kinds[] = { "nothing", "change", "wait",
		"refuse" };
	struct casefile cf;
	int seen[4] = { 0 };
	size_t i, k, j;

	ck_assert_msg(ncases > 0, "no %s/*.case (run from the source tree)",
	    CASES);
	for (i = 0; i < ncases; i++) {
		casefile_read(&cf, CASES, case_names[i]);
		for (k = 0; k < cf.nlines; k++)
			for (j = 0; j < 4; j++)
				if (cf.lines[k].ntok == 3 && strcmp(
				    cf.lines[k].tok[1], "kind") == 0 &&
				    strcmp(cf.lines[k].tok[2], kinds[j]) == 0)
					seen[j] = 1;
		casefile_free(&cf);
	}
	for (j = 0; j < 4; j++)
		ck_assert_msg(seen[j], "no case for plan %s", kinds[j]);
}
END_TEST

static Suite *
dns_plan_suite(void)
{
	Suite *s = suite_create("dns_plan");
	TCase *tc = tcase_create("core");

	ncases = casefile_names(CASES, &case_names);
	tcase_add_loop_test(tc, plan_cases, 0, (int)ncases);
	tcase_add_test(tc, every_kind_covered);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(dns_plan_suite)
