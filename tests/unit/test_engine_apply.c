/* tests/unit/test_engine_apply.c - engine/apply.c, recover.c, journal.c: apply and recovery through the fake registrar */
#include "tests/unit/check_main.h"
#include "tests/unit/fake_registrar.h"
#include "engine/internal.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DS_A "11111 13 2 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define DS_B "22222 13 2 BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

struct bench {
	char dir[64], db[96];
	struct account acct;
	struct engine_account ea;
	struct engine_audit audit;
	struct engine e;
	char said[2048];
};

static void
said(void *ctx, const char *msg)
{
	struct bench *b = ctx;
	size_t n = strlen(b->said);

	snprintf(b->said + n, sizeof(b->said) - n, "%s\n", msg);
}

/* An apply engine over one fake account, with a state database of its
 * own (a directory per test: `keep` reuses b->dir for a second run). */
static void
open_engine(struct bench *b, int keep)
{
	struct engine_config ec;

	if (!keep) {
		memset(b, 0, sizeof(*b));
		snprintf(b->dir, sizeof(b->dir), "/tmp/dsreg-engine.XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(b->dir));
		snprintf(b->db, sizeof(b->db), "%s/state.db", b->dir);
	}
	b->said[0] = '\0';
	b->acct.name = "fake";
	b->ea.cfg = &b->acct;
	b->ea.ops = &fake_registrar_ops;
	memset(&ec, 0, sizeof(ec));
	ec.mode = ENGINE_APPLY;
	ec.state_path = b->db;
	ec.accounts = &b->ea;
	ec.naccounts = 1;
	ec.audit = &b->audit;
	ec.now = time(NULL);
	ec.say = said;
	ec.say_ctx = b;
	ck_assert_int_eq(engine_open(&b->e, &ec), 0);
}

static void
close_engine(struct bench *b, int keep)
{
	char path[128];

	engine_close(&b->e);
	if (keep)
		return;
	snprintf(path, sizeof(path), "%s/state.db", b->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/state.db.lock", b->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/state.db-wal", b->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/state.db-shm", b->dir);
	unlink(path);
	rmdir(b->dir);
}

/* A planned change of domain to the DS set `final` (fake_set form). */
static struct engine_item *
change(struct bench *b, const char *domain, const char *final)
{
	struct engine_item *it = calloc(1, sizeof(*it));

	ck_assert_ptr_nonnull(it);
	it->domain = strdup(domain);
	it->acct = &b->ea;
	it->claims[0] = &b->ea;
	it->nclaims = 1;
	it->plan.kind = DNS_PLAN_CHANGE;
	fake_set(&it->plan.final, final);
	fake_set(&it->plan.add, final);
	*b->e.tail = it;
	b->e.tail = &it->next;
	b->e.nitems++;
	b->e.nchange++;
	return it;
}

/* The journal rows of domain as "step=outcome ..." (top level first). */
struct rows {
	char text[512];
};

static int
row_text(void *ctx, const struct state_journal_row *r)
{
	struct rows *w = ctx;
	size_t n = strlen(w->text);

	snprintf(w->text + n, sizeof(w->text) - n, "%s%s=%s", n ? " " : "",
	    r->step, r->outcome ? r->outcome : "open");
	return 0;
}

static int
top_rows(void *ctx, const struct state_journal_row *r)
{
	struct state_db *db = ((void **)ctx)[0];
	struct rows *w = ((void **)ctx)[1];

	row_text(w, r);
	return state_journal_each(db, 0, r->id, row_text, w, NULL);
}

static const char *
journal(struct bench *b, struct rows *w)
{
	void *ctx[2] = { b->e.db, w };

	w->text[0] = '\0';
	ck_assert_int_eq(state_journal_each(b->e.db, 0, 0, top_rows, ctx,
	    NULL), 0);
	return w->text;
}

START_TEST(applies_and_journals)
{
	struct bench b;
	struct engine_item *it;
	struct ds_set want = { 0 };
	struct rows w;

	fake_reset(0);
	fake_add("a.test.", DS_A, 0);
	open_engine(&b, 0);
	it = change(&b, "a.test.", DS_A ";" DS_B);
	engine_apply(&b.e);
	ck_assert_int_eq(it->outcome, ENGINE_APPLIED);
	ck_assert_int_eq(fake.changes_sent, 1);
	fake_set(&want, DS_A ";" DS_B);
	ck_assert(ds_set_equal(&fake_find("a.test.")->ds, &want));
	ck_assert_str_eq(journal(&b, &w), "change=applied update=ok");
	ck_assert(!b.e.failed);
	ds_set_free(&want);
	close_engine(&b, 0);
}
END_TEST

/* A registrar that holds the target already is not sent it again. */
START_TEST(already_held_is_not_sent)
{
	struct bench b;
	struct engine_item *it;
	struct rows w;

	fake_reset(0);
	fake_add("a.test.", DS_B, 0);
	open_engine(&b, 0);
	it = change(&b, "a.test.", DS_B);
	engine_apply(&b.e);
	ck_assert_int_eq(it->outcome, ENGINE_ALREADY);
	ck_assert_int_eq(fake.changes_sent, 0);
	ck_assert_str_eq(journal(&b, &w), "change=applied");
	close_engine(&b, 0);
}
END_TEST

START_TEST(refused_fails_the_run)
{
	struct bench b;
	struct engine_item *it;
	struct rows w;

	fake_reset(0);
	fake_add("a.test.", DS_A, 0);
	fake.fault = FAKE_REFUSE;
	open_engine(&b, 0);
	it = change(&b, "a.test.", DS_B);
	engine_apply(&b.e);
	ck_assert_int_eq(it->outcome, ENGINE_FAILED);
	ck_assert_ptr_nonnull(strstr(it->note, "2306"));
	ck_assert(b.e.failed);
	ck_assert_str_eq(journal(&b, &w), "change=failed update=failed");
	close_engine(&b, 0);
}
END_TEST

/* The answer to a change is lost: "unknown" in the journal; a change a
 * crash left open is resolved by the next run from what the registrar
 * holds, without sending anything. */
START_TEST(lost_answer_and_crash_recovery)
{
	struct bench b;
	struct engine_item *it;
	struct dns_plan p;
	struct rows w;
	char *detail;
	int64_t id;

	fake_reset(0);
	fake_add("a.test.", DS_A, 0);
	fake_add("b.test.", DS_A, 0);
	fake.fault = FAKE_LOSE_ANSWER;
	open_engine(&b, 0);
	it = change(&b, "a.test.", DS_B);
	engine_apply(&b.e);
	ck_assert_int_eq(it->outcome, ENGINE_FAILED);
	ck_assert_str_eq(journal(&b, &w), "change=unknown update=unknown");
	/* a crash after the journal entry: one change open per domain, the
	 * first made at the registrar, the second not */
	memset(&p, 0, sizeof(p));
	fake_set(&p.final, DS_B);
	fake_set(&p.add, DS_B);
	detail = engine_change_detail("fake", &p);
	ck_assert_ptr_nonnull(detail);
	ck_assert_int_ge(id = engine_jbegin(&b.e, 0, &b.ea, "a.test.",
	    "change", detail), 1);
	ck_assert_int_ge(engine_jbegin(&b.e, 0, &b.ea, "b.test.", "change",
	    detail), 1);
	free(detail);
	dns_plan_free(&p);
	close_engine(&b, 1);

	fake.fault = FAKE_OK;
	fake.changes_sent = 0;
	open_engine(&b, 1);
	ck_assert_int_eq(engine_recover(&b.e), 0);
	ck_assert_int_eq(fake.changes_sent, 0);
	journal(&b, &w);
	ck_assert_msg(strstr(w.text, "change=open") == NULL, "%s", w.text);
	ck_assert_msg(strstr(w.text, "change=applied change=not-applied") !=
	    NULL, "%s", w.text);
	close_engine(&b, 0);
}
END_TEST

/*
 * A locked domain is unlocked, changed and locked again; a relock that
 * fails leaves it on the books (LEFT UNLOCKED, the run fails), and the
 * next run locks it first.
 */
START_TEST(unlock_relock_and_the_books)
{
	struct bench b;
	struct engine_item *it;
	struct rows w;
	size_t n;

	fake_reset(1);
	fake_add("a.test.", DS_A, 1);
	fake_add("b.test.", DS_A, 1);
	open_engine(&b, 0);
	it = change(&b, "a.test.", DS_B);
	engine_apply(&b.e);
	ck_assert_int_eq(it->outcome, ENGINE_APPLIED);
	ck_assert_str_eq(fake.steps, "unlock set-ds relock ");
	ck_assert(fake_find("a.test.")->locked);
	ck_assert_str_eq(journal(&b, &w), "change=applied unlock=ok "
	    "set-ds=ok relock=ok");
	ck_assert_uint_eq(b.e.still->n, 0);
	close_engine(&b, 1);

	fake.fault = FAKE_RELOCK_FAILS;
	open_engine(&b, 1);
	it = change(&b, "b.test.", DS_B);
	engine_apply(&b.e);
	ck_assert_int_eq(it->outcome, ENGINE_FAILED);
	ck_assert_ptr_nonnull(strstr(it->note, "LEFT UNLOCKED"));
	ck_assert(!fake_find("b.test.")->locked);
	ck_assert(b.e.failed);
	n = engine_unlocked_each(&b.e, NULL, NULL);
	ck_assert_uint_eq(n, 1);
	close_engine(&b, 1);

	/* still refused: it stays on the books and is not changed */
	open_engine(&b, 1);
	ck_assert_int_eq(engine_recover(&b.e), 0);
	ck_assert_uint_eq(b.e.still->n, 1);
	ck_assert_ptr_nonnull(strstr(b.said, "b.test. LEFT UNLOCKED"));
	it = change(&b, "b.test.", DS_A);
	fake.changes_sent = 0;
	engine_apply(&b.e);
	ck_assert_int_eq(it->outcome, ENGINE_FAILED);
	ck_assert_int_eq(fake.changes_sent, 0);
	close_engine(&b, 1);

	/* the registrar takes the lock again: the next run locks it first */
	fake.fault = FAKE_OK;
	open_engine(&b, 1);
	ck_assert_int_eq(engine_recover(&b.e), 0);
	ck_assert(fake_find("b.test.")->locked);
	ck_assert_uint_eq(b.e.still->n, 0);
	ck_assert_uint_eq(engine_unlocked_each(&b.e, NULL, NULL), 0);
	close_engine(&b, 0);
}
END_TEST

/* After a stop signal nothing new is started. */
START_TEST(stop_starts_nothing)
{
	struct bench b;
	struct engine_item *it;

	fake_reset(0);
	fake_add("a.test.", DS_A, 0);
	open_engine(&b, 0);
	it = change(&b, "a.test.", DS_B);
	engine_stop(SIGTERM);
	engine_apply(&b.e);
	engine_stop(0);
	ck_assert_int_eq(it->outcome, ENGINE_INTERRUPTED);
	ck_assert_int_eq(fake.changes_sent, 0);
	ck_assert_int_eq(fake.opens, 0);
	close_engine(&b, 0);
}
END_TEST

/* A registrar that cannot be opened: every change of it fails, said once. */
START_TEST(open_fails_once)
{
	struct bench b;
	struct engine_item *i1, *i2;

	fake_reset(0);
	fake_add("a.test.", DS_A, 0);
	fake_add("b.test.", DS_A, 0);
	fake.fault = FAKE_OPEN_FAILS;
	open_engine(&b, 0);
	i1 = change(&b, "a.test.", DS_B);
	i2 = change(&b, "b.test.", DS_B);
	engine_apply(&b.e);
	ck_assert_int_eq(i1->outcome, ENGINE_FAILED);
	ck_assert_int_eq(i2->outcome, ENGINE_FAILED);
	ck_assert_int_eq(fake.opens, 1);
	ck_assert_ptr_nonnull(strstr(b.said, "login refused"));
	close_engine(&b, 0);
}
END_TEST

static Suite *
engine_apply_suite(void)
{
	Suite *s = suite_create("engine_apply");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, applies_and_journals);
	tcase_add_test(tc, already_held_is_not_sent);
	tcase_add_test(tc, refused_fails_the_run);
	tcase_add_test(tc, lost_answer_and_crash_recovery);
	tcase_add_test(tc, unlock_relock_and_the_books);
	tcase_add_test(tc, stop_starts_nothing);
	tcase_add_test(tc, open_fails_once);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(engine_apply_suite)
