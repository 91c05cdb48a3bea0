/* tests/unit/test_epp_registrar.c - epp/registrar.c: what the registry holds (dsData or keyData), the secDNS delta, DS -> keyData, the ops table */
#include "tests/unit/check_main.h"
#include "tests/unit/hookrec.h"
#include "common/account.h"
#include "common/error.h"
#include "common/registrar.h"
#include "epp/epp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A key of name (ECDSA P-256 shaped RDATA, flags 257). */
static struct ds_key *
mkkey_of(const char *name, uint8_t fill)
{
	uint8_t owner[DS_NAME_WIRE_MAX], rdata[68];
	size_t olen;
	struct ds_key *key;

	ck_assert_int_eq(ds_name_from_text(name, owner, &olen, NULL), 0);
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
fx_init_for(struct fx *f, const char *domain)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < 4; i++) {
		f->k[i] = mkkey_of(domain, (uint8_t)(0x10 * (i + 1)));
		f->ds[i] = ds_of(f->k[i]);
	}
	f->c.domain = domain;
	f->c.final = &f->final;
	f->c.add = &f->add;
	f->c.rem = &f->rem;
	f->c.keys = &f->keys;
	dsreg_err_clear(&f->err);
}

static void
fx_init(struct fx *f)
{
	fx_init_for(f, "a.example.");
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

/* ---- against the test registry (tests/system/epp_registrar.sh) ------ */

/*
 * Only when DSREG_LIVE_EPP_DIR is set: the directory of tests/epp/lib.sh
 * (pki/, reg1.pw), with DSREG_LIVE_EPP_HOST, _PORT and _IFACE (ds or key)
 * for a server holding live.lab (no DS) and locked.lab
 * (clientUpdateProhibited).
 */
struct live {
	struct account a;
	char ca[512], cert[512], key[512], pw[512];
	struct registrar *r;
};

static void
live_open(struct live *l)
{
	const char *dir = getenv("DSREG_LIVE_EPP_DIR");
	struct dsreg_err err;

	memset(l, 0, sizeof(*l));
	snprintf(l->ca, sizeof(l->ca), "%s/pki/ca.pem", dir);
	snprintf(l->cert, sizeof(l->cert), "%s/pki/client.pem", dir);
	snprintf(l->key, sizeof(l->key), "%s/pki/client.key", dir);
	snprintf(l->pw, sizeof(l->pw), "%s/reg1.pw", dir);
	l->a.name = "reg";
	l->a.type = ACCOUNT_EPP;
	l->a.host = getenv("DSREG_LIVE_EPP_HOST");
	l->a.port = atoi(getenv("DSREG_LIVE_EPP_PORT"));
	l->a.ca_file = l->ca;
	l->a.cert_file = l->cert;
	l->a.key_file = l->key;
	l->a.username = "reg1";
	l->a.password_file = l->pw;
	l->a.interface = getenv("DSREG_LIVE_EPP_IFACE");
	l->a.timeout = 5;
	dsreg_err_clear(&err);
	ck_assert_msg(epp_registrar_ops.open(&l->r, &l->a, NULL, &err) == 0,
	    "open: %s", dsreg_err_text(&err));
}

/* What the registry holds for domain: *nds DS and *nkeys keys. */
static void
live_read(struct live *l, const char *domain, struct ds_set *ds,
    struct ds_keyset *keys)
{
	struct dsreg_err err;

	ds_set_free(ds);
	ds_keyset_free(keys);
	ck_assert_msg(epp_registrar_ops.read(l->r, domain, ds, keys,
	    &err) == 0, "read %s: %s", domain, dsreg_err_text(&err));
}

static void
set_to(struct ds_set *set, const struct ds_key *k1, const struct ds_key *k2)
{
	ds_set_free(set);
	if (k1 != NULL)
		add_ds(set, k1);
	if (k2 != NULL)
		add_ds(set, k2);
}

#define OK_NOTE "1000 Command completed successfully svTRID "

/* The ds interface: apply, already, a refused hook, a refusal, info errors. */
START_TEST(live_ds)
{
	const struct registrar_ops *ops = &epp_registrar_ops;
	struct registrar_report rep;
	struct ds_set ds = { 0 };
	struct ds_keyset keys = { 0 };
	struct hookrec h;
	struct live l;
	struct fx f;
	int holds = -1;

	live_open(&l);
	fx_init_for(&f, "live.lab");
	live_read(&l, "live.lab", &ds, &keys);
	ck_assert_uint_eq(ds.n + keys.n, 0);

	/* add A */
	set_to(&f.final, f.k[A], NULL);
	set_to(&f.add, f.k[A], NULL);
	ck_assert_int_eq(ops->holds(l.r, &f.c, &holds, &f.err), 0);
	ck_assert_int_eq(holds, 0);
	hookrec_init(&h, -1);
	ck_assert_msg(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err) == 0, "%s",
	    dsreg_err_text(&f.err));
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "applied");
	ck_assert_str_eq(h.trace, "+update -update(0) ");
	ck_assert_msg(strncmp(rep.note, OK_NOTE, strlen(OK_NOTE)) == 0,
	    "note: %s", rep.note);
	ck_assert_str_eq(h.note, rep.note);
	ck_assert_int_eq(ops->holds(l.r, &f.c, &holds, &f.err), 0);
	ck_assert_int_eq(holds, 1);
	live_read(&l, "live.lab", &ds, &keys);
	ck_assert_uint_eq(ds.n, 1);
	ck_assert(ds_rec_equal(ds.v[0], f.ds[A]));

	/* again: nothing sent */
	hookrec_init(&h, -1);
	ck_assert_int_eq(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "already");
	ck_assert_str_eq(rep.note, "the registry already holds this DS set; "
	    "waiting for it to be published");
	ck_assert_str_eq(h.trace, "");

	/* A -> B, the hook says no: nothing sent, A still there */
	set_to(&f.final, f.k[B], NULL);
	set_to(&f.add, f.k[B], NULL);
	set_to(&f.rem, f.k[A], NULL);
	hookrec_init(&h, REGISTRAR_STEP_UPDATE);
	ck_assert_int_eq(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err),
	    DSREG_ESTATE);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "not-sent");
	ck_assert_str_eq(h.trace, "+update ");
	live_read(&l, "live.lab", &ds, &keys);
	ck_assert_uint_eq(ds.n, 1);
	ck_assert(ds_rec_equal(ds.v[0], f.ds[A]));
	/* ... and then yes */
	hookrec_init(&h, -1);
	ck_assert_int_eq(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "applied");
	live_read(&l, "live.lab", &ds, &keys);
	ck_assert_uint_eq(ds.n, 1);
	ck_assert(ds_rec_equal(ds.v[0], f.ds[B]));

	/* rem all, then A and C */
	set_to(&f.final, f.k[A], f.k[C]);
	ds_set_free(&f.add);
	ds_set_free(&f.rem);
	f.c.rem_all = 1;
	ck_assert_int_eq(ops->apply(l.r, &f.c, NULL, &rep, &f.err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "applied");
	live_read(&l, "live.lab", &ds, &keys);
	ck_assert(ds_set_equal(&ds, &f.final));
	f.c.rem_all = 0;

	/* the registry says no (2304): refused */
	f.c.domain = "locked.lab";
	set_to(&f.add, f.k[A], NULL);
	hookrec_init(&h, -1);
	ck_assert_int_eq(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err),
	    DSREG_EREMOTE);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "refused");
	/* the hook sees the refusal (the journal writes "failed") */
	ck_assert_str_eq(h.trace, "+update -update(-15) ");
	ck_assert_msg(strncmp(rep.note, "2304 ", 5) == 0, "note: %s",
	    rep.note);
	ck_assert_ptr_nonnull(strstr(dsreg_err_text(&f.err), rep.note));

	/* no such domain: domain:info fails, nothing sent */
	f.c.domain = "nope.lab";
	hookrec_init(&h, -1);
	ck_assert_int_eq(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err),
	    DSREG_EREMOTE);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "not-sent");
	ck_assert_str_eq(rep.note, "domain:info: 2303 Object does not exist");
	ck_assert_str_eq(h.trace, "");
	ck_assert_int_eq(ops->holds(l.r, &f.c, &holds, &f.err), DSREG_EREMOTE);

	ds_set_free(&ds);
	ds_keyset_free(&keys);
	fx_free(&f);
	ops->close(l.r);
}
END_TEST

/* The key interface: keys go in for the DS; a DS without its key stays out. */
START_TEST(live_key)
{
	const struct registrar_ops *ops = &epp_registrar_ops;
	struct registrar_report rep;
	struct ds_set ds = { 0 };
	struct ds_keyset keys = { 0 };
	struct hookrec h;
	struct live l;
	struct fx f;
	int holds = -1;
	char want[128];

	live_open(&l);
	fx_init_for(&f, "live.lab");
	set_to(&f.final, f.k[A], NULL);
	set_to(&f.add, f.k[A], NULL);
	add_key(&f.keys, f.k[A]);
	hookrec_init(&h, -1);
	ck_assert_msg(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err) == 0, "%s",
	    dsreg_err_text(&f.err));
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "applied");
	ck_assert_str_eq(h.trace, "+update -update(0) ");
	live_read(&l, "live.lab", &ds, &keys);
	ck_assert_uint_eq(ds.n, 0);
	ck_assert_uint_eq(keys.n, 1);
	ck_assert(ds_rec_matches_key(f.ds[A], keys.v[0]));
	ck_assert_int_eq(ops->holds(l.r, &f.c, &holds, &f.err), 0);
	ck_assert_int_eq(holds, 1);
	ck_assert_int_eq(ops->apply(l.r, &f.c, NULL, &rep, &f.err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "already");

	/* A -> B without B's key: not sent */
	set_to(&f.final, f.k[B], NULL);
	set_to(&f.add, f.k[B], NULL);
	set_to(&f.rem, f.k[A], NULL);
	hookrec_init(&h, -1);
	ck_assert_int_eq(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err),
	    DSREG_EINVAL);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "not-sent");
	snprintf(want, sizeof(want), "the registry takes keys (keyData) but "
	    "a DNSKEY for DS %u is not known", f.ds[B]->key_tag);
	ck_assert_str_eq(rep.note, want);
	ck_assert_str_eq(h.trace, "");
	/* with it: A's key out, B's in */
	add_key(&f.keys, f.k[B]);
	ck_assert_int_eq(ops->apply(l.r, &f.c, &h.hook, &rep, &f.err), 0);
	ck_assert_str_eq(registrar_outcome_name(rep.outcome), "applied");
	live_read(&l, "live.lab", &ds, &keys);
	ck_assert_uint_eq(keys.n, 1);
	ck_assert(ds_rec_matches_key(f.ds[B], keys.v[0]));

	ds_set_free(&ds);
	ds_keyset_free(&keys);
	fx_free(&f);
	ops->close(l.r);
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
	if (getenv("DSREG_LIVE_EPP_DIR") != NULL) {
		tc = tcase_create("live");
		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, getenv("DSREG_LIVE_EPP_IFACE") != NULL &&
		    strcmp(getenv("DSREG_LIVE_EPP_IFACE"), "key") == 0 ?
		    live_key : live_ds);
		suite_add_tcase(s, tc);
	}
	return s;
}

UNIT_SUITE(epp_registrar_suite)
