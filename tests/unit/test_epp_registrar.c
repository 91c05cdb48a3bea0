/* tests/unit/test_epp_registrar.c - epp/registrar.c: what the registry holds (dsData or keyData), the secDNS delta, DS -> keyData, the ops table */
#include "tests/unit/check_main.h"
#include "common/account.h"
#include "common/error.h"
#include "common/registrar.h"
#include "epp/epp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A key of a.example. (ECDSA P-256 shaped RDATA, flags 257). */
static struct ds_key *
mkkey(uint8_t fill)
{
	uint8_t owner[DS_NAME_WIRE_MAX], rdata[68];
	size_t olen;
	struct ds_key *key;

	ck_assert_int_eq(ds_name_from_text("a.example.", owner, &olen, NULL),
	    0);
	rdata[0] = 1;
	rdata[1] = 1;
	rdata[2] = 3;
	rdata[3] = 13;
	memset(rdata + 4, fill, 64);
	ck_assert_int_eq(ds_key_new(&key, owner, olen, rdata, sizeof(rdata),
	    NULL), 0);
	return key;
}

/* The SHA-256 DS of key. */
static struct ds_rec *
ds_of(const struct ds_key *key)
{
	struct ds_rec *ds;

	ck_assert_int_eq(ds_compute(&ds, key, DS_DIGEST_SHA256, NULL), 0);
	return ds;
}

static void
add_ds(struct ds_set *set, const struct ds_key *key)
{
	ck_assert_int_eq(ds_set_add(set, ds_of(key)), 0);
}

static void
add_key(struct ds_keyset *set, const struct ds_key *key)
{
	struct ds_key *d;

	ck_assert_int_eq(ds_key_dup(&d, key), 0);
	ck_assert_int_eq(ds_keyset_add(set, d), 0);
}

/* Keys A..D, the DS of each, and an empty registry answer. */
struct fx {
	struct ds_key *k[4];
	struct ds_rec *ds[4];
	struct epp_domain_info info;
	struct ds_set final, add, rem;
	struct ds_keyset keys;
	struct registrar_change c;
	struct epp_secdns_change chg;
	struct dsreg_err err;
};

static void
fx_init(struct fx *f)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < 4; i++) {
		f->k[i] = mkkey((uint8_t)(0x10 * (i + 1)));
		f->ds[i] = ds_of(f->k[i]);
	}
	f->c.domain = "a.example.";
	f->c.final = &f->final;
	f->c.add = &f->add;
	f->c.rem = &f->rem;
	f->c.keys = &f->keys;
	dsreg_err_clear(&f->err);
}

static void
fx_free(struct fx *f)
{
	int i;

	for (i = 0; i < 4; i++) {
		ds_key_free(f->k[i]);
		ds_rec_free(f->ds[i]);
	}
	ds_set_free(&f->info.ds);
	ds_keyset_free(&f->info.keys);
	ds_set_free(&f->final);
	ds_set_free(&f->add);
	ds_set_free(&f->rem);
	ds_keyset_free(&f->keys);
	epp_secdns_change_free(&f->chg);
}

enum { A, B, C, D };

/* ---- epp_info_has / epp_info_holds ---------------------------------- */

START_TEST(has_dsdata_or_keydata)
{
	struct fx f;

	fx_init(&f);
	ck_assert(!epp_info_has(&f.info, f.ds[A]));
	add_ds(&f.info.ds, f.k[A]);
	add_key(&f.info.keys, f.k[B]);
	ck_assert(epp_info_has(&f.info, f.ds[A]));     /* dsData */
	ck_assert(epp_info_has(&f.info, f.ds[B]));     /* keyData */
	ck_assert(!epp_info_has(&f.info, f.ds[C]));
	fx_free(&f);
}
END_TEST

/* A case: what the registry holds, the final set, holds exactly? */
struct holds_case {
	const char *name;
	int info_ds[4], info_keys[4];   /* 1: held in that form */
	int final[4];
	int holds;
};

static const struct holds_case hcases[] = {
	{ "nothing, nothing", { 0 }, { 0 }, { 0 }, 1 },
	{ "dsData A, final A", { 1 }, { 0 }, { 1 }, 1 },
	{ "keyData A, final A", { 0 }, { 1 }, { 1 }, 1 },
	{ "dsData A + its keyData (1.0), final A", { 1 }, { 1 }, { 1 }, 1 },
	{ "dsData A, keyData B, final A B", { 1 }, { 0, 1 }, { 1, 1 }, 1 },
	{ "dsData A, final A B", { 1 }, { 0 }, { 1, 1 }, 0 },
	{ "keyData A, final B", { 0 }, { 1 }, { 0, 1 }, 0 },
	{ "dsData A B, final A", { 1, 1 }, { 0 }, { 1 }, 0 },
	{ "keyData A B, final A", { 0 }, { 1, 1 }, { 1 }, 0 },
	{ "dsData A, final nothing", { 1 }, { 0 }, { 0 }, 0 },
	{ "keyData A, final nothing", { 0 }, { 1 }, { 0 }, 0 },
};

START_TEST(holds_exactly)
{
	const struct holds_case *hc = &hcases[_i];
	struct fx f;
	int i;

	fx_init(&f);
	for (i = 0; i < 4; i++) {
		if (hc->info_ds[i])
			add_ds(&f.info.ds, f.k[i]);
		if (hc->info_keys[i])
			add_key(&f.info.keys, f.k[i]);
		if (hc->final[i])
			add_ds(&f.final, f.k[i]);
	}
	ck_assert_msg(epp_info_holds(&f.info, &f.final) == hc->holds,
	    "%s: holds should be %d", hc->name, hc->holds);
	fx_free(&f);
}
END_TEST

/* ---- epp_secdns_delta ----------------------------------------------- */

START_TEST(delta_rem_all)
{
	struct fx f;

	fx_init(&f);
	add_ds(&f.info.ds, f.k[C]);
	add_ds(&f.final, f.k[A]);
	add_ds(&f.final, f.k[B]);
	f.c.rem_all = 1;
	ck_assert_int_eq(epp_secdns_delta(&f.c, &f.info, EPP_IFACE_DS,
	    &f.chg, &f.err), 0);
	ck_assert_int_eq(f.chg.rem_all, 1);
	ck_assert(ds_set_equal(&f.chg.add_ds, &f.final));
	ck_assert_uint_eq(f.chg.rem_ds.n, 0);
	fx_free(&f);
}
END_TEST

/* Only what the registry lacks is added, only what it holds removed. */
START_TEST(delta_sends_only_what_is_missing)
{
	struct fx f;

	fx_init(&f);
	add_ds(&f.info.ds, f.k[A]);         /* held as dsData */
	add_key(&f.info.keys, f.k[C]);      /* held as keyData */
	add_ds(&f.add, f.k[A]);
	add_ds(&f.add, f.k[B]);
	add_ds(&f.rem, f.k[C]);
	add_ds(&f.rem, f.k[D]);
	ck_assert_int_eq(epp_secdns_delta(&f.c, &f.info, EPP_IFACE_DS,
	    &f.chg, &f.err), 0);
	ck_assert_int_eq(f.chg.rem_all, 0);
	ck_assert_uint_eq(f.chg.add_ds.n, 1);
	ck_assert(ds_rec_equal(f.chg.add_ds.v[0], f.ds[B]));
	ck_assert_uint_eq(f.chg.rem_ds.n, 1);
	ck_assert(ds_rec_equal(f.chg.rem_ds.v[0], f.ds[C]));
	ck_assert_uint_eq(f.chg.add_keys.n + f.chg.rem_keys.n, 0);
	fx_free(&f);
}
END_TEST

START_TEST(delta_nothing_to_send)
{
	struct fx f;

	fx_init(&f);
	add_key(&f.info.keys, f.k[A]);
	add_ds(&f.add, f.k[A]);             /* held, as keyData */
	add_ds(&f.rem, f.k[B]);             /* not held */
	ck_assert_int_eq(epp_secdns_delta(&f.c, &f.info, EPP_IFACE_KEY,
	    &f.chg, &f.err), DSREG_ENOTFOUND);
	ck_assert_uint_eq(f.chg.add_ds.n + f.chg.rem_ds.n, 0);
	fx_free(&f);
}
END_TEST

/* RFC 5910 §4.2: a key-interface registry gets DNSKEYs for the DS. */
START_TEST(delta_key_interface)
{
	struct fx f;

	fx_init(&f);
	add_key(&f.info.keys, f.k[C]);
	add_ds(&f.add, f.k[B]);
	add_key(&f.keys, f.k[A]);
	add_key(&f.keys, f.k[B]);
	add_ds(&f.rem, f.k[C]);
	ck_assert_int_eq(epp_secdns_delta(&f.c, &f.info, EPP_IFACE_KEY,
	    &f.chg, &f.err), 0);
	ck_assert_uint_eq(f.chg.add_ds.n + f.chg.rem_ds.n, 0);
	ck_assert_uint_eq(f.chg.add_keys.n, 1);
	ck_assert(ds_rec_matches_key(f.ds[B], f.chg.add_keys.v[0]));
	ck_assert_uint_eq(f.chg.rem_keys.n, 1);
	ck_assert(ds_rec_matches_key(f.ds[C], f.chg.rem_keys.v[0]));
	fx_free(&f);
}
END_TEST

START_TEST(delta_key_interface_rem_all)
{
	struct fx f;

	fx_init(&f);
	add_key(&f.info.keys, f.k[C]);
	add_ds(&f.final, f.k[A]);
	add_key(&f.keys, f.k[A]);
	f.c.rem_all = 1;
	ck_assert_int_eq(epp_secdns_delta(&f.c, &f.info, EPP_IFACE_KEY,
	    &f.chg, &f.err), 0);
	ck_assert_int_eq(f.chg.rem_all, 1);
	ck_assert_uint_eq(f.chg.add_ds.n, 0);
	ck_assert_uint_eq(f.chg.add_keys.n, 1);
	ck_assert(ds_rec_matches_key(f.ds[A], f.chg.add_keys.v[0]));
	fx_free(&f);
}
END_TEST

/* A DS to add whose DNSKEY is not known cannot go to a key registry. */
START_TEST(delta_key_missing_add)
{
	struct fx f;
	char want[96];

	fx_init(&f);
	add_ds(&f.add, f.k[B]);
	add_key(&f.keys, f.k[A]);
	ck_assert_int_eq(epp_secdns_delta(&f.c, &f.info, EPP_IFACE_KEY,
	    &f.chg, &f.err), DSREG_EINVAL);
	snprintf(want, sizeof(want), "the registry takes keys (keyData) but "
	    "a DNSKEY for DS %u is not known", f.ds[B]->key_tag);
	ck_assert_str_eq(dsreg_err_text(&f.err), want);
	/* *chg is written only on success */
	ck_assert_uint_eq(f.chg.add_keys.n + f.chg.add_ds.n, 0);
	/* the same change on a ds registry is fine */
	ck_assert_int_eq(epp_secdns_delta(&f.c, &f.info, EPP_IFACE_DS,
	    &f.chg, &f.err), 0);
	ck_assert_uint_eq(f.chg.add_ds.n, 1);
	fx_free(&f);
}
END_TEST

/* A DS to remove that the registry holds as dsData, not as a key. */
START_TEST(delta_key_missing_rem)
{
	struct fx f;

	fx_init(&f);
	add_ds(&f.info.ds, f.k[C]);
	add_ds(&f.rem, f.k[C]);
	f.c.keys = NULL;
	ck_assert_int_eq(epp_secdns_delta(&f.c, &f.info, EPP_IFACE_KEY,
	    &f.chg, &f.err), DSREG_EINVAL);
	ck_assert_ptr_nonnull(strstr(dsreg_err_text(&f.err),
	    "a DNSKEY for DS"));
	fx_free(&f);
}
END_TEST

/* ---- the ops table -------------------------------------------------- */

START_TEST(ops_table)
{
	const struct registrar_ops *ops = &epp_registrar_ops;
	struct registrar *r = NULL;
	struct account a;
	struct dsreg_err err;

	ck_assert_str_eq(ops->type, "epp");
	ck_assert_int_eq(ops->has_locks, 0);
	ck_assert_int_eq(ops->has_list, 0);
	ck_assert_ptr_nonnull(ops->open);
	ck_assert_ptr_nonnull(ops->close);
	ck_assert_ptr_nonnull(ops->read);
	ck_assert_ptr_nonnull(ops->holds);
	ck_assert_ptr_nonnull(ops->apply);
	ops->close(NULL);

	memset(&a, 0, sizeof(a));
	a.name = "reg1";
	a.type = ACCOUNT_OPENSRS;
	dsreg_err_clear(&err);
	ck_assert_int_eq(ops->open(&r, &a, NULL, &err), DSREG_EINVAL);
	ck_assert_str_eq(dsreg_err_text(&err),
	    "account reg1 is not of type epp");
	a.type = ACCOUNT_EPP;
	a.host = "127.0.0.1";
	dsreg_err_clear(&err);
	ck_assert_int_eq(ops->open(&r, &a, NULL, &err), DSREG_EINVAL);
	ck_assert_str_eq(dsreg_err_text(&err),
	    "[account reg1] needs host, username and password_file");
	a.username = "u";
	a.password_file = "/nonexistent/dsreg-pw";
	dsreg_err_clear(&err);
	ck_assert_int_ne(ops->open(&r, &a, NULL, &err), 0);
	ck_assert_ptr_nonnull(strstr(dsreg_err_text(&err), "[account reg1]: "));
	ck_assert_ptr_null(r);
}
END_TEST

static Suite *
epp_registrar_suite(void)
{
	Suite *s = suite_create("epp_registrar");
	TCase *tc = tcase_create("registrar");

	tcase_add_test(tc, has_dsdata_or_keydata);
	tcase_add_loop_test(tc, holds_exactly, 0,
	    (int)(sizeof(hcases) / sizeof(hcases[0])));
	tcase_add_test(tc, delta_rem_all);
	tcase_add_test(tc, delta_sends_only_what_is_missing);
	tcase_add_test(tc, delta_nothing_to_send);
	tcase_add_test(tc, delta_key_interface);
	tcase_add_test(tc, delta_key_interface_rem_all);
	tcase_add_test(tc, delta_key_missing_add);
	tcase_add_test(tc, delta_key_missing_rem);
	tcase_add_test(tc, ops_table);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(epp_registrar_suite)
