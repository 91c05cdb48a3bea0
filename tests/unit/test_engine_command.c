/* tests/unit/test_engine_command.c - engine/command.c: the JSON a hook reads, and how its run ends */
#include "tests/unit/check_main.h"
#include "common/account.h"
#include "common/error.h"
#include "ds/ds.h"
#include "engine/command.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DS_KSK "60485 13 2 " \
	"D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A"
#define DS_OLD "11111 8 2 " \
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
/* RFC 6605 §6.1 */
#define KEY "257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF6" \
	"4cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA=="

static void
set_of(struct ds_set *s, const char *rdata)
{
	struct ds_rec *r;

	ck_assert_int_eq(ds_rec_parse_rdata(&r, rdata, NULL), 0);
	ck_assert_int_eq(ds_set_add(s, r), 0);
}

static void
key_of(struct ds_keyset *ks, const char *rdata)
{
	char text[512];
	struct ds_key *k;
	ldns_rr *rr = NULL;

	snprintf(text, sizeof(text), "example.net. 3600 IN DNSKEY %s", rdata);
	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL),
	    LDNS_STATUS_OK);
	ck_assert_int_eq(ds_key_from_ldns(&k, rr, NULL), 0);
	ck_assert_int_eq(ds_keyset_add(ks, k), 0);
	ldns_rr_free(rr);
}

struct world {
	struct ds_set cur, fin, add, rem;
	struct ds_keyset keys;
	struct registrar_change c;
};

/* A roll from DS_OLD to DS_KSK: add the new, remove the old. */
static void
world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	set_of(&w->cur, DS_OLD);
	set_of(&w->fin, DS_KSK);
	set_of(&w->add, DS_KSK);
	set_of(&w->rem, DS_OLD);
	key_of(&w->keys, KEY);
	w->c.domain = "example.net.";
	w->c.parent = "net.";
	w->c.final = &w->fin;
	w->c.add = &w->add;
	w->c.rem = &w->rem;
	w->c.keys = &w->keys;
	w->c.current = &w->cur;
}

static void
world_free(struct world *w)
{
	ds_set_free(&w->cur);
	ds_set_free(&w->fin);
	ds_set_free(&w->add);
	ds_set_free(&w->rem);
	ds_keyset_free(&w->keys);
}

START_TEST(json_change)
{
	struct world w;
	char *j;

	world_init(&w);
	j = engine_command_json(&w.c);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(j, "{\"domain\":\"example.net.\",\"parent\":\"net.\","
	    "\"current_ds\":[\"" DS_OLD "\"],\"target_ds\":[\"" DS_KSK "\"],"
	    "\"add\":[\"" DS_KSK "\"],\"remove\":[\"" DS_OLD "\"],"
	    "\"remove_all\":false,\"dnskey\":[\"" KEY "\"]}\n");
	free(j);
	world_free(&w);
}
END_TEST

/* remove all: "remove" lists every DS served now */
START_TEST(json_remove_all)
{
	struct world w;
	struct ds_set none = { 0 };
	char *j;

	world_init(&w);
	set_of(&w.cur, DS_KSK);
	w.c.rem = &none;
	w.c.rem_all = 1;
	w.c.parent = NULL;
	j = engine_command_json(&w.c);
	ck_assert_ptr_nonnull(j);
	ck_assert_ptr_nonnull(strstr(j, "\"parent\":null,"));
	ck_assert_ptr_nonnull(strstr(j, "\"remove\":[\"" DS_OLD "\",\""
	    DS_KSK "\"],\"remove_all\":true,"));
	free(j);
	world_free(&w);
}
END_TEST

/* Not known (recovery): empty arrays, never a crash. */
START_TEST(json_nothing_known)
{
	struct registrar_change c;
	char *j;

	memset(&c, 0, sizeof(c));
	c.domain = "example.net.";
	j = engine_command_json(&c);
	ck_assert_str_eq(j, "{\"domain\":\"example.net.\",\"parent\":null,"
	    "\"current_ds\":[],\"target_ds\":[],\"add\":[],\"remove\":[],"
	    "\"remove_all\":false,\"dnskey\":[]}\n");
	free(j);
}
END_TEST

/* ---- a run of a script through the interface ------------------------- */

struct hooked {
	int before, after, rc;
	char note[512];
};

static int
h_before(void *ctx, const char *domain, enum registrar_step step)
{
	(void)domain;
	ck_assert_int_eq(step, REGISTRAR_STEP_UPDATE);
	((struct hooked *)ctx)->before++;
	return 0;
}

static void
h_after(void *ctx, const char *domain, enum registrar_step step, int rc,
    const char *note)
{
	struct hooked *h = ctx;

	(void)domain;
	(void)step;
	h->after++;
	h->rc = rc;
	snprintf(h->note, sizeof(h->note), "%s", note);
}

static const struct {
	const char *name;
	const char *script;        /* after #!/bin/sh */
	int timeout;
	int rc;
	enum registrar_outcome outcome;
	const char *note;
} runs[] = {
	{ "exit 0", "cat > /dev/null; echo 'done: 1 DS'; echo more", 5, 0,
	    REGISTRAR_APPLIED, "done: 1 DS" },
	{ "exit 0, silent", "cat > /dev/null", 5, 0, REGISTRAR_APPLIED,
	    "command exited 0" },
	{ "exit 4", "echo 'no such domain'; exit 4", 5, DSREG_EREMOTE,
	    REGISTRAR_REFUSED, "exited 4: no such domain" },
	{ "stdin unread, exit 1", "exit 1", 5, DSREG_EREMOTE,
	    REGISTRAR_REFUSED, "exited 1" },
	{ "hangs", "echo started; exec sleep 30", 1, DSREG_ETIMEOUT,
	    REGISTRAR_UNKNOWN, "still running after 1 s: killed" },
	{ "killed", "kill -9 $$", 5, DSREG_EPROTO, REGISTRAR_UNKNOWN,
	    "killed by signal 9" },
	{ "arguments and environment", "test \"$1\" = --flag -a \"$2\" = x "
	    "-a \"$DSREG_DOMAIN\" = example.net. -a -z \"$DSREG_UNIT_LEAK\" "
	    "|| exit 9; cat > /dev/null", 5, 0, REGISTRAR_APPLIED,
	    "command exited 0" },
};

START_TEST(run_outcome)
{
	char path[] = "/tmp/dsreg-hook-XXXXXX", cmd[128];
	struct registrar_report rep;
	struct registrar_hook h;
	struct registrar *r = NULL;
	struct account a;
	struct hooked hk;
	struct dsreg_err err;
	struct world w;
	time_t t0;
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fprintf(fp, "#!/bin/sh\n%s\n", runs[_i].script);
	fclose(fp);
	ck_assert_int_eq(chmod(path, 0700), 0);
	snprintf(cmd, sizeof(cmd), "%s --flag x", path);
	memset(&a, 0, sizeof(a));
	a.name = "hook";
	a.type = ACCOUNT_COMMAND;
	a.command = cmd;
	a.timeout = runs[_i].timeout;
	setenv("DSREG_UNIT_LEAK", "leak", 1);
	dsreg_err_clear(&err);
	ck_assert_msg(engine_command_registrar_ops.open(&r, &a, NULL,
	    &err) == 0, "%s", err.msg);
	world_init(&w);
	memset(&hk, 0, sizeof(hk));
	h.before = h_before;
	h.after = h_after;
	h.ctx = &hk;
	t0 = time(NULL);
	ck_assert_int_eq(engine_command_registrar_ops.apply(r, &w.c, &h, &rep,
	    &err), runs[_i].rc);
	ck_assert_int_le(time(NULL) - t0, runs[_i].timeout + 3);
	ck_assert_int_eq(rep.outcome, runs[_i].outcome);
	ck_assert_int_eq(hk.before, 1);
	ck_assert_int_eq(hk.after, 1);
	ck_assert_int_eq(hk.rc, runs[_i].rc);
	ck_assert_msg(strstr(hk.note, runs[_i].note) != NULL, "%s: note '%s'",
	    runs[_i].name, hk.note);
	ck_assert_msg(strstr(rep.note, runs[_i].note) != NULL, "%s: '%s'",
	    runs[_i].name, rep.note);
	unsetenv("DSREG_UNIT_LEAK");
	engine_command_registrar_ops.close(r);
	world_free(&w);
	unlink(path);
}
END_TEST

START_TEST(no_read_back)
{
	struct registrar *r = NULL;
	struct account a;
	struct dsreg_err err;
	struct ds_set ds = { 0 };
	struct world w;
	int holds = 1;

	memset(&a, 0, sizeof(a));
	a.name = "hook";
	a.type = ACCOUNT_COMMAND;
	a.command = "/bin/true";
	ck_assert_int_eq(engine_command_registrar_ops.open(&r, &a, NULL, &err),
	    0);
	ck_assert_int_eq(engine_command_registrar_ops.read(r, "example.net.",
	    &ds, NULL, &err), DSREG_EUNSUPPORTED);
	world_init(&w);
	ck_assert_int_eq(engine_command_registrar_ops.holds(r, &w.c, &holds,
	    &err), 0);
	ck_assert_int_eq(holds, 0);
	ck_assert(!engine_command_registrar_ops.has_locks);
	ck_assert(!engine_command_registrar_ops.has_list);
	engine_command_registrar_ops.close(r);
	world_free(&w);
	/* a program that is not there is refused at open */
	a.command = "/nonexistent/hook --x";
	ck_assert_int_eq(engine_command_registrar_ops.open(&r, &a, NULL, &err),
	    DSREG_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/hook: not an "
	    "executable file"));
}
END_TEST

static Suite *
engine_command_suite(void)
{
	Suite *s = suite_create("engine_command");
	TCase *tj = tcase_create("json");
	TCase *tr = tcase_create("run");

	tcase_add_test(tj, json_change);
	tcase_add_test(tj, json_remove_all);
	tcase_add_test(tj, json_nothing_known);
	suite_add_tcase(s, tj);
	tcase_set_timeout(tr, 30);
	tcase_add_loop_test(tr, run_outcome, 0,
	    (int)(sizeof(runs) / sizeof(runs[0])));
	tcase_add_test(tr, no_read_back);
	suite_add_tcase(s, tr);
	return s;
}

UNIT_SUITE(engine_command_suite)
