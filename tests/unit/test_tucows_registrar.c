/* tests/unit/test_tucows_registrar.c - tucows/registrar.c: step and outcome mapping, the client from an [account], the ops table */
#include "tests/unit/check_main.h"
#include "tests/unit/hookrec.h"
#include "common/account.h"
#include "common/error.h"
#include "common/registrar.h"
#include "ds/ds.h"
#include "tucows/registrar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

START_TEST(step_mapping)
{
	ck_assert_int_eq(osrs_registrar_step(OSRS_STEP_UNLOCK),
	    REGISTRAR_STEP_UNLOCK);
	ck_assert_int_eq(osrs_registrar_step(OSRS_STEP_SET_DS),
	    REGISTRAR_STEP_SET);
	ck_assert_int_eq(osrs_registrar_step(OSRS_STEP_RELOCK),
	    REGISTRAR_STEP_RELOCK);
	/* the journal's words stay those of the OpenSRS sequence */
	ck_assert_str_eq(registrar_step_name(osrs_registrar_step(
	    OSRS_STEP_SET_DS)), osrs_step_name(OSRS_STEP_SET_DS));
}
END_TEST

/* How osrs_domain_replace_ds ended -> the interface's outcome. */
static const struct {
	const char *name;
	int rc;
	struct osrs_replace_report rep;
	enum registrar_outcome want;
} ocases[] = {
	{ "replaced, lock as found", 0,
	  { 1, 1, 1, 1, 1, 1, 0, 200 }, REGISTRAR_APPLIED },
	{ "replaced, unlocked domain", 0,
	  { 0, 0, 1, 1, 0, 0, 0, 200 }, REGISTRAR_APPLIED },
	{ "replaced, relock failed", DSREG_ESTATE,
	  { 1, 1, 1, 1, 1, 0, 1, 200 }, REGISTRAR_APPLIED },
	{ "lock state not read", DSREG_ENET,
	  { -1, 0, 0, 0, 0, 0, 0, 0 }, REGISTRAR_NOT_SENT },
	{ "unlock refused", DSREG_EREMOTE,
	  { 1, 1, 0, 0, 0, 0, 0, 0 }, REGISTRAR_NOT_SENT },
	{ "hook said no before the set", DSREG_ESTATE,
	  { 1, 1, 0, 0, 1, 1, 0, 0 }, REGISTRAR_NOT_SENT },
	{ "set refused: 465 invalid data", DSREG_EREMOTE,
	  { 1, 1, 1, 0, 1, 1, 0, 465 }, REGISTRAR_REFUSED },
	{ "set refused: 415 not authorised", DSREG_EREMOTE,
	  { 0, 0, 1, 0, 0, 0, 0, 415 }, REGISTRAR_REFUSED },
	{ "set answered 705 registry timeout", DSREG_EREMOTE,
	  { 0, 0, 1, 0, 0, 0, 0, 705 }, REGISTRAR_UNKNOWN },
	{ "set answered 405 registry error", DSREG_EREMOTE,
	  { 0, 0, 1, 0, 0, 0, 0, 405 }, REGISTRAR_UNKNOWN },
	{ "set: connection lost", DSREG_ENET,
	  { 1, 1, 1, 0, 1, 1, 0, 0 }, REGISTRAR_UNKNOWN },
	{ "set: timeout, relock failed", DSREG_ESTATE,
	  { 1, 1, 1, 0, 1, 0, 1, 0 }, REGISTRAR_UNKNOWN },
};

START_TEST(outcome_mapping)
{
	ck_assert_msg(osrs_replace_outcome(ocases[_i].rc, &ocases[_i].rep) ==
	    ocases[_i].want, "%s: want %s, got %s", ocases[_i].name,
	    registrar_outcome_name(ocases[_i].want), registrar_outcome_name(
	    osrs_replace_outcome(ocases[_i].rc, &ocases[_i].rep)));
}
END_TEST

#define KEY "K3y-0f-the-API-do-not-show"

/* A key file with mode, its path in path (PATH_MAX). */
static void
key_file(char *path, size_t size, mode_t mode)
{
	FILE *f;
	int fd;

	snprintf(path, size, "/tmp/dsreg-osrs-key-XXXXXX");
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fprintf(f, "%s\n", KEY);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static struct account
opensrs_account(void)
{
	struct account a;

	memset(&a, 0, sizeof(a));
	a.name = "tucows";
	a.type = ACCOUNT_OPENSRS;
	a.url = "https://127.0.0.1:1/";
	a.username = "alpha";
	a.relock = 1;
	return a;
}

START_TEST(client_from_account_errors)
{
	struct account a = opensrs_account();
	struct osrs_client *cl = NULL;
	struct dsreg_err err;
	char path[64];

	dsreg_err_clear(&err);
	a.type = ACCOUNT_EPP;
	ck_assert_int_eq(osrs_client_from_account(&a, NULL, &cl, &err),
	    DSREG_EINVAL);
	ck_assert_str_eq(dsreg_err_text(&err),
	    "account tucows is not of type opensrs");
	a.type = ACCOUNT_OPENSRS;
	dsreg_err_clear(&err);
	ck_assert_int_eq(osrs_client_from_account(&a, NULL, &cl, &err),
	    DSREG_EINVAL);
	ck_assert_str_eq(dsreg_err_text(&err),
	    "account tucows: key_file is not set");

	/* readable by others: refused, the key not shown */
	key_file(path, sizeof(path), 0644);
	a.key_file = path;
	dsreg_err_clear(&err);
	ck_assert_int_eq(osrs_client_from_account(&a, NULL, &cl, &err),
	    DSREG_EINVAL);
	ck_assert_msg(strncmp(dsreg_err_text(&err), "account tucows: ", 16) ==
	    0, "%s", dsreg_err_text(&err));
	ck_assert_ptr_nonnull(strstr(dsreg_err_text(&err), path));
	ck_assert_ptr_null(strstr(dsreg_err_text(&err), KEY));

	/* a plain-http URL: refused by the client, prefixed the same */
	ck_assert_int_eq(chmod(path, 0600), 0);
	a.url = "http://127.0.0.1:1/";
	dsreg_err_clear(&err);
	ck_assert_int_eq(osrs_client_from_account(&a, NULL, &cl, &err),
	    DSREG_EINVAL);
	ck_assert_msg(strncmp(dsreg_err_text(&err), "account tucows: ", 16) ==
	    0, "%s", dsreg_err_text(&err));
	ck_assert_ptr_null(strstr(dsreg_err_text(&err), KEY));
	ck_assert_ptr_null(cl);

	/* all set: a client (nothing is sent yet) */
	a.url = "https://127.0.0.1:1/";
	ck_assert_int_eq(osrs_client_from_account(&a, NULL, &cl, &err), 0);
	ck_assert_ptr_nonnull(cl);
	ck_assert_str_eq(osrs_client_host(cl), "127.0.0.1");
	osrs_client_free(cl);
	unlink(path);
}
END_TEST

START_TEST(ops_table)
{
	const struct registrar_ops *ops = &osrs_registrar_ops;
	struct account a = opensrs_account();
	struct registrar *r = NULL;
	struct dsreg_err err;

	ck_assert_str_eq(ops->type, "opensrs");
	ck_assert_int_eq(ops->has_locks, 1);
	ck_assert_int_eq(ops->has_list, 1);
	ck_assert_ptr_nonnull(ops->open);
	ck_assert_ptr_nonnull(ops->close);
	ck_assert_ptr_nonnull(ops->read);
	ck_assert_ptr_nonnull(ops->holds);
	ck_assert_ptr_nonnull(ops->apply);
	ck_assert_ptr_nonnull(ops->get_lock);
	ck_assert_ptr_nonnull(ops->set_lock);
	ck_assert_ptr_nonnull(ops->list);
	ops->close(NULL);
	dsreg_err_clear(&err);
	ck_assert_int_eq(ops->open(&r, &a, NULL, &err), DSREG_EINVAL);
	ck_assert_str_eq(dsreg_err_text(&err),
	    "account tucows: key_file is not set");
	ck_assert_ptr_null(r);
}
END_TEST

/* ---- against the OpenSRS emulator (tests/system/osrs_registrar.sh) -- */

/*
 * Only when DSREG_LIVE_OSRS_URL is set, with DSREG_LIVE_OSRS_KEY (key
 * file of reseller alpha), _CA and _FAULTS (the emulator's faults file),
 * for the data of tests/opensrs/lib.sh: locked.lab (locked, one DS),
 * open.lab (unlocked, no DS), other.lab (another reseller's).
 */
static struct registrar *
live_open(struct account *a)
{
	struct registrar *r = NULL;
	struct dsreg_err err;

	*a = opensrs_account();
	a->url = getenv("DSREG_LIVE_OSRS_URL");
	a->key_file = getenv("DSREG_LIVE_OSRS_KEY");
	a->ca_file = getenv("DSREG_LIVE_OSRS_CA");
	a->timeout = 5;
	dsreg_err_clear(&err);
	ck_assert_msg(osrs_registrar_ops.open(&r, a, NULL, &err) == 0,
	    "open: %s", dsreg_err_text(&err));
	return r;
}

static void
live_faults(const char *json)
{
	const char *path = getenv("DSREG_LIVE_OSRS_FAULTS");
	char tmp[512];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert_ptr_nonnull(f = fopen(tmp, "w"));
	fprintf(f, "%s\n", json);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
}

static struct ds_rec *
mkds(uint16_t tag, uint8_t fill)
{
	uint8_t d[32];
	struct ds_rec *ds;

	memset(d, fill, sizeof(d));
	ck_assert_int_eq(ds_rec_new(&ds, NULL, 0, tag, 13, 2, d, sizeof(d),
	    NULL), 0);
	return ds;
}

struct names {
	int n, locked, open, other;
	int stop_at;
};

static int
name_seen(void *ctx, const char *domain)
{
	struct names *s = ctx;

	s->n++;
	s->locked += strcmp(domain, "locked.lab") == 0;
	s->open += strcmp(domain, "open.lab") == 0;
	s->other += strcmp(domain, "other.lab") == 0;
	return s->n == s->stop_at ? 7 : 0;
}

static int
live_locked(struct registrar *r, const char *domain)
{
	struct dsreg_err err;
	int locked = -1;

	ck_assert_msg(osrs_registrar_ops.get_lock(r, domain, &locked,
	    &err) == 0, "get_lock %s: %s", domain, dsreg_err_text(&err));
	return locked;
}

/* apply c with a hook refusing step refuse; the trace in h. */
static int
live_apply(struct registrar *r, const struct registrar_change *c,
    int refuse, struct hookrec *h, struct registrar_report *rep,
    struct dsreg_err *err)
{
	hookrec_init(h, refuse);
	dsreg_err_clear(err);
	return osrs_registrar_ops.apply(r, c, &h->hook, rep, err);
}

START_TEST(live)
{
	const struct registrar_ops *ops = &osrs_registrar_ops;
	struct registrar_change c;
	struct registrar_report rep;
	struct ds_set a = { 0 }, b = { 0 }, got = { 0 };
	struct ds_keyset keys = { 0 };
	struct names names;
	struct hookrec h;
	struct dsreg_err err;
	struct account acct;
	struct registrar *r = live_open(&acct);
	int holds = -1;

	ck_assert_int_eq(ds_set_add(&a, mkds(4242, 0xa1)), 0);
	ck_assert_int_eq(ds_set_add(&b, mkds(4343, 0xb2)), 0);
	memset(&c, 0, sizeof(c));

	/* list: the reseller's domains, and a stop */
	memset(&names, 0, sizeof(names));
	ck_assert_int_eq(ops->list(r, name_seen, &names, &err), 0);
	ck_assert_int_ge(names.n, 25);
	ck_assert_int_eq(names.locked + names.open, 2);
	ck_assert_int_eq(names.other, 0);
	memset(&names, 0, sizeof(names));
	names.stop_at = 2;
	ck_assert_int_eq(ops->list(r, name_seen, &names, &err), 7);
	ck_assert_int_eq(names.n, 2);

	/* read */
	ck_assert_int_eq(ops->read(r, "locked.lab", &got, &keys, &err), 0);
	ck_assert_uint_eq(got.n, 1);
	ck_assert_uint_eq(got.v[0]->key_tag, 11111);
	ck_assert_uint_eq(keys.n, 0);
	ds_set_free(&got);
	ck_assert_int_eq(live_locked(r, "locked.lab"), 1);
	ck_assert_int_eq(live_locked(r, "open.lab"), 0);

	/* an unlocked domain: the set only */
	c.domain = "open.lab";
	c.final = &a;
	ck_assert_int_eq(ops->holds(r, &c, &holds, &err), 0);
	ck_assert_int_eq(holds, 0);
	ck_assert_int_eq(live_apply(r, &c, -1, &h, &rep, &err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "applied");
	ck_assert_str_eq(rep.note, "DS set replaced");
	ck_assert_str_eq(h.trace, "+set-ds -set-ds(0) ");
	ck_assert_msg(strncmp(h.note, "200 ", 4) == 0, "%s", h.note);
	ck_assert_int_eq(rep.unlock_sent, 0);
	ck_assert_int_eq(ops->holds(r, &c, &holds, &err), 0);
	ck_assert_int_eq(holds, 1);
	/* again: nothing sent */
	ck_assert_int_eq(live_apply(r, &c, -1, &h, &rep, &err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "already");
	ck_assert_str_eq(rep.note, "the registrar already holds this DS set; "
	    "waiting for the registry to publish it");
	ck_assert_str_eq(h.trace, "");

	/* a locked domain: unlock, set, relock */
	c.domain = "locked.lab";
	ck_assert_int_eq(live_apply(r, &c, -1, &h, &rep, &err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "applied");
	ck_assert_str_eq(rep.note, "unlocked, DS set replaced, locked again");
	ck_assert_str_eq(h.trace, "+unlock -unlock(0) +set-ds -set-ds(0) "
	    "+relock -relock(0) ");
	ck_assert_int_eq(rep.unlock_sent, 1);
	ck_assert_int_eq(rep.relock_failed, 0);
	ck_assert_int_eq(live_locked(r, "locked.lab"), 1);

	/* the hook says no to the set: not sent, locked again all the same */
	c.final = &b;
	ck_assert_int_eq(live_apply(r, &c, REGISTRAR_STEP_SET, &h, &rep, &err),
	    DSREG_ESTATE);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "not-sent");
	ck_assert_str_eq(h.trace, "+unlock -unlock(0) +set-ds +relock "
	    "-relock(0) ");
	ck_assert_int_eq(live_locked(r, "locked.lab"), 1);
	ck_assert_int_eq(ops->read(r, "locked.lab", &got, &keys, &err), 0);
	ck_assert(ds_set_equal(&got, &a));
	ds_set_free(&got);
	/* ... no to the relock: it is sent whatever the hook says */
	ck_assert_int_eq(live_apply(r, &c, REGISTRAR_STEP_RELOCK, &h, &rep,
	    &err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "applied");
	ck_assert_str_eq(h.trace, "+unlock -unlock(0) +set-ds -set-ds(0) "
	    "+relock -relock(0) ");
	ck_assert_int_eq(live_locked(r, "locked.lab"), 1);

	/* the set refused (465): refused */
	c.domain = "open.lab";
	live_faults("[{\"match\": {\"action\": \"SET_DNSSEC_INFO\"}, "
	    "\"fault\": \"code\", \"code\": 465, \"text\": "
	    "\"Invalid DS data\"}]");
	ck_assert_int_eq(live_apply(r, &c, -1, &h, &rep, &err), DSREG_EREMOTE);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "refused");
	ck_assert_str_eq(h.note, "465 Invalid DS data");
	ck_assert_ptr_nonnull(strstr(rep.note, "465"));
	/* applied, but the answer lost: unknown */
	live_faults("[{\"match\": {\"action\": \"SET_DNSSEC_INFO\"}, "
	    "\"fault\": \"close_after_apply\", \"count\": 1}]");
	ck_assert_int_ne(live_apply(r, &c, -1, &h, &rep, &err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "unknown");
	ck_assert_msg(strncmp(h.trace, "+set-ds -set-ds(-", 17) == 0, "%s",
	    h.trace);
	ck_assert_int_eq(rep.unlock_sent, 0);
	ck_assert_int_eq(ops->holds(r, &c, &holds, &err), 0);
	ck_assert_int_eq(holds, 1);
	live_faults("[]");

	/* locks */
	ck_assert_int_eq(ops->set_lock(r, "open.lab", 1, &err), 0);
	ck_assert_int_eq(live_locked(r, "open.lab"), 1);
	ck_assert_int_eq(ops->set_lock(r, "open.lab", 0, &err), 0);
	ck_assert_int_eq(live_locked(r, "open.lab"), 0);
	/* another reseller's domain */
	ck_assert_int_ne(ops->read(r, "other.lab", &got, &keys, &err), 0);

	ds_set_free(&a);
	ds_set_free(&b);
	ds_set_free(&got);
	ops->close(r);
}
END_TEST

static Suite *
tucows_registrar_suite(void)
{
	Suite *s = suite_create("tucows_registrar");
	TCase *tc = tcase_create("registrar");

	tcase_add_test(tc, step_mapping);
	tcase_add_loop_test(tc, outcome_mapping, 0,
	    (int)(sizeof(ocases) / sizeof(ocases[0])));
	tcase_add_test(tc, client_from_account_errors);
	tcase_add_test(tc, ops_table);
	suite_add_tcase(s, tc);
	if (getenv("DSREG_LIVE_OSRS_URL") != NULL) {
		tc = tcase_create("live");
		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, live);
		suite_add_tcase(s, tc);
	}
	return s;
}

UNIT_SUITE(tucows_registrar_suite)
