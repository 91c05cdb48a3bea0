/* tests/unit/test_state_journal.c - common/state.c schema 2: journal, seen-since, report */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "common/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static void
setup(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/dsreg-journal-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(path);
}

static void
teardown(void)
{
	char p[80];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

struct seen {
	int n;
	int64_t ids[8];
	char steps[8][16];
	char outcomes[8][16];
};

static int
collect(void *ctx, const struct state_journal_row *r)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->ids[s->n] = r->id;
		snprintf(s->steps[s->n], 16, "%s", r->step);
		snprintf(s->outcomes[s->n], 16, "%s",
		    r->outcome ? r->outcome : "-");
	}
	s->n++;
	return 0;
}

START_TEST(journal_survives_reopen)
{
	struct state_db *db;
	struct dsreg_err err;
	int64_t run, change, unlock, change2;
	struct seen s;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_schema_version(db), STATE_SCHEMA_VERSION);
	ck_assert_int_eq(state_run_begin(db, "apply", 100, &run, &err), 0);
	/* a result batch is open: a journal row must still be durable */
	ck_assert_int_eq(state_result_add(db, run, 100, "a.example.", "missing",
	    NULL, NULL, NULL, &err), 0);
	ck_assert_int_eq(state_journal_begin(db, run, 0, "tucows", "a.example.",
	    "change", "{\"final\":[]}", 101, &change, &err), 0);
	ck_assert_int_eq(state_journal_begin(db, run, change, "tucows",
	    "a.example.", "unlock", NULL, 102, &unlock, &err), 0);
	ck_assert_int_eq(state_journal_end(db, unlock, "ok", NULL, 103, &err), 0);
	ck_assert_int_eq(state_journal_begin(db, run, 0, "tucows", "b.example.",
	    "change", NULL, 104, &change2, &err), 0);
	ck_assert_int_eq(state_journal_end(db, change2, "applied", "x", 105,
	    &err), 0);
	/* Each row was committed when written: a second handle sees them
	 * while the first is still open, as a run after a crash would. */
	{
		struct state_db *db2;
		ck_assert_int_eq(state_open(&db2, path, &err), 0);
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(state_journal_each(db2, 1, 0, collect, &s,
		    &err), 0);
		ck_assert_int_eq(s.n, 1);
		ck_assert(s.ids[0] == change);
		ck_assert_str_eq(s.outcomes[0], "-");
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(state_journal_each(db2, 0, change, collect, &s,
		    &err), 0);
		ck_assert_int_eq(s.n, 1);
		ck_assert_str_eq(s.steps[0], "unlock");
		ck_assert_str_eq(s.outcomes[0], "ok");
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(state_journal_each(db2, 0, 0, collect, &s,
		    &err), 0);
		ck_assert_int_eq(s.n, 2);
		state_close(db2);
	}
	state_close(db);
}
END_TEST

START_TEST(seen_since_keeps_first_time)
{
	struct state_db *db;
	struct dsreg_err err;
	time_t since;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_seen_get(db, "a.", "1 13 2 AA", &since, &err), 0);
	ck_assert_int_eq((long)since, 0);
	ck_assert_int_eq(state_seen_set(db, "a.", "1 13 2 AA", 500, &err), 0);
	ck_assert_int_eq(state_seen_set(db, "a.", "1 13 2 AA", 900, &err), 0);
	ck_assert_int_eq(state_seen_get(db, "a.", "1 13 2 AA", &since, &err), 0);
	ck_assert_int_eq((long)since, 500);
	/* another target starts the clock again */
	ck_assert_int_eq(state_seen_get(db, "a.", "2 13 2 BB", &since, &err), 0);
	ck_assert_int_eq((long)since, 0);
	ck_assert_int_eq(state_seen_set(db, "a.", "2 13 2 BB", 950, &err), 0);
	ck_assert_int_eq(state_seen_get(db, "a.", "2 13 2 BB", &since, &err), 0);
	ck_assert_int_eq((long)since, 950);
	ck_assert_int_eq(state_seen_set(db, "a.", NULL, 0, &err), 0);
	ck_assert_int_eq(state_seen_get(db, "a.", "2 13 2 BB", &since, &err), 0);
	ck_assert_int_eq((long)since, 0);
	state_close(db);
}
END_TEST

struct fixed {
	int n;
	char domain[4][32];
	long fixed[4];
};

static int
collect_fixed(void *ctx, const char *domain, const char *verdict,
    time_t last_bad, time_t fixed)
{
	struct fixed *f = ctx;

	(void)verdict;
	(void)last_bad;
	if (f->n < 4) {
		snprintf(f->domain[f->n], 32, "%s", domain);
		f->fixed[f->n] = (long)fixed;
	}
	f->n++;
	return 0;
}

/* Verdict words that need no action (dns_verdict_needs_action). */
static const char *const settled[] = { "not-ours", "unsigned", "ok" };
static const char *const settled_stale[] = { "not-ours", "unsigned", "ok",
	"stale" };

START_TEST(report_fixed_domains)
{
	struct state_db *db;
	struct dsreg_err err;
	struct fixed f;
	int64_t r1, r2;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_run_begin(db, "audit", 10, &r1, &err), 0);
	state_result_add(db, r1, 10, "a.", "missing", NULL, NULL, NULL, &err);
	state_result_add(db, r1, 10, "b.", "stale", NULL, NULL, NULL, &err);
	state_result_add(db, r1, 10, "c.", "ok", NULL, NULL, NULL, &err);
	ck_assert_int_eq(state_run_end(db, r1, 11, "{\"missing\":1}", &err), 0);
	ck_assert_int_eq(state_run_begin(db, "audit", 20, &r2, &err), 0);
	state_result_add(db, r2, 20, "a.", "ok", NULL, NULL, NULL, &err);
	state_result_add(db, r2, 20, "b.", "stale", NULL, NULL, NULL, &err);
	state_result_add(db, r2, 20, "c.", "ok", NULL, NULL, NULL, &err);
	ck_assert_int_eq(state_run_end(db, r2, 21, NULL, &err), 0);
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(state_fixed_each(db, settled, 3, collect_fixed, &f,
	    &err), 0);
	ck_assert_int_eq(f.n, 2);
	ck_assert_str_eq(f.domain[0], "a.");
	ck_assert_int_eq(f.fixed[0], 20);
	ck_assert_str_eq(f.domain[1], "b.");
	ck_assert_int_eq(f.fixed[1], 0);
	/* the words come from the caller: with "stale" among the settled
	 * ones, b. never needed action */
	memset(&f, 0, sizeof(f));
	ck_assert_int_eq(state_fixed_each(db, settled_stale, 4, collect_fixed,
	    &f, &err), 0);
	ck_assert_int_eq(f.n, 1);
	ck_assert_str_eq(f.domain[0], "a.");
	state_close(db);
}
END_TEST

struct unl {
	int n;
	char domains[4][32];
	time_t since[4];
	char notes[4][32];
};

static int
collect_unlocked(void *ctx, const struct state_unlocked_row *r)
{
	struct unl *u = ctx;

	if (u->n < 4) {
		snprintf(u->domains[u->n], 32, "%s", r->domain);
		snprintf(u->notes[u->n], 32, "%s", r->note ? r->note : "");
		u->since[u->n] = r->since;
	}
	u->n++;
	return 0;
}

/* A domain stays listed as unlocked (first time, last note) across a
 * reopen until it is cleared; clearing one leaves the others. */
START_TEST(unlocked_until_cleared)
{
	struct state_db *db;
	struct dsreg_err err;
	struct unl u;

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	ck_assert_int_eq(state_unlocked_add(db, "tucows", "a.example.", 100,
	    "unlock sent", &err), 0);
	ck_assert_int_eq(state_unlocked_add(db, "tucows", "b.example.", 150,
	    NULL, &err), 0);
	ck_assert_int_eq(state_unlocked_add(db, "tucows", "a.example.", 200,
	    "relock failed", &err), 0);
	ck_assert_int_eq(state_unlocked_add(db, "tucows", "a.example.", 300,
	    NULL, &err), 0);
	state_close(db);

	ck_assert_int_eq(state_open(&db, path, &err), 0);
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(state_unlocked_each(db, collect_unlocked, &u, &err), 0);
	ck_assert_int_eq(u.n, 2);
	ck_assert_str_eq(u.domains[0], "a.example.");
	ck_assert_int_eq(u.since[0], 100);
	ck_assert_str_eq(u.notes[0], "relock failed");
	ck_assert_str_eq(u.domains[1], "b.example.");
	ck_assert_str_eq(u.notes[1], "");
	ck_assert_int_eq(state_unlocked_clear(db, "tucows", "a.example.",
	    &err), 0);
	ck_assert_int_eq(state_unlocked_clear(db, "other", "b.example.",
	    &err), 0);
	memset(&u, 0, sizeof(u));
	ck_assert_int_eq(state_unlocked_each(db, collect_unlocked, &u, &err), 0);
	ck_assert_int_eq(u.n, 1);
	ck_assert_str_eq(u.domains[0], "b.example.");
	state_close(db);
}
END_TEST

static Suite *
state_journal_suite(void)
{
	Suite *s = suite_create("state_journal");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, journal_survives_reopen);
	tcase_add_test(tc, seen_since_keeps_first_time);
	tcase_add_test(tc, report_fixed_domains);
	tcase_add_test(tc, unlocked_until_cleared);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(state_journal_suite)
