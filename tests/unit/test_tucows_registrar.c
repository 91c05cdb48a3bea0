/* tests/unit/test_tucows_registrar.c - tucows/registrar.c: step and outcome mapping, the client from an [account], the ops table */
#include "tests/unit/check_main.h"
#include "common/account.h"
#include "common/error.h"
#include "common/registrar.h"
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
	return s;
}

UNIT_SUITE(tucows_registrar_suite)
