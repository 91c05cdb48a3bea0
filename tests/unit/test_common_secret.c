/* tests/unit/test_common_secret.c - common/secret.c: protected secrets, the process-wide scrub */
#include "tests/unit/check_main.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/log.h"
#include "common/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *in, *out;
} scrub_cases[] = {
	{ "password pa&ss<w0rd is wrong", "password [redacted] is wrong" },
	/* XML-escaped, as a server echoing it in XML sends it */
	{ "<msg>pa&amp;ss&lt;w0rd</msg>", "<msg>[redacted]</msg>" },
	{ "twice: pa&ss<w0rdpa&ss<w0rd.", "twice: [redacted][redacted]." },
	{ "nothing here", "nothing here" },
	{ "", "" },
	{ "the API key K3y-0f-the-API!", "the API key [redacted]!" },
};

START_TEST(scrub_table)
{
	struct dsreg_buf b;
	char *pw, *key;

	ck_assert_int_eq(dsreg_secret_dup("pa&ss<w0rd", 10, &pw), 0);
	ck_assert_int_eq(dsreg_secret_dup("K3y-0f-the-API", 14, &key), 0);
	dsreg_buf_init(&b, 4096);
	ck_assert_int_eq(dsreg_secret_scrub(scrub_cases[_i].in,
	    strlen(scrub_cases[_i].in), &b), 0);
	ck_assert_str_eq(b.data != NULL ? b.data : "", scrub_cases[_i].out);
	dsreg_buf_free(&b);
	dsreg_secret_free(key);
	dsreg_secret_free(pw);
	/* freed: no longer known, no longer scrubbed */
	ck_assert_int_eq(dsreg_secret_found("pa&ss<w0rd", 10), 0);
}
END_TEST

START_TEST(scrub_in_place_truncates)
{
	char s[16], *pw;

	ck_assert_int_eq(dsreg_secret_dup("hunter2", 7, &pw), 0);
	snprintf(s, sizeof(s), "pw=hunter2;ok");
	dsreg_secret_scrub_str(s, sizeof(s));
	ck_assert_str_eq(s, "pw=[redacted];o");     /* cut at 15 */
	snprintf(s, sizeof(s), "0123456hunter2");
	dsreg_secret_scrub_str(s, sizeof(s));
	ck_assert_str_eq(s, "0123456[redacte");
	ck_assert_int_eq(dsreg_secret_found(s, strlen(s)), 0);
	dsreg_secret_free(pw);
}
END_TEST

/* Error messages and log lines pass the scrub on their way out. */
static char logged[256];

static void
capture(void *ctx, enum dsreg_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	snprintf(logged, sizeof(logged), "%s", msg);
}

START_TEST(errors_and_logs_scrubbed)
{
	struct dsreg_log log = { capture, NULL, DSREG_LOG_TRACE };
	struct dsreg_err e;
	char *pw;

	ck_assert_int_eq(dsreg_secret_dup("Secret-pw-42", 12, &pw), 0);
	dsreg_err_set(&e, DSREG_EAUTH, "server says: %s is wrong", pw);
	ck_assert_str_eq(e.msg, "server says: [redacted] is wrong");
	dsreg_err_prefix(&e, "login with %s", pw);
	ck_assert_str_eq(e.msg, "login with [redacted]: server says: "
	    "[redacted] is wrong");
	dsreg_log(&log, DSREG_LOG_TRACE, "S: <msg>%s</msg>", pw);
	ck_assert_str_eq(logged, "S: <msg>[redacted]</msg>");
	dsreg_secret_free(pw);
}
END_TEST

/* Holding a secret: not dumpable, no core file, pages out of dumps. */
START_TEST(process_protected)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	char line[512], perms[8], *pw;
	unsigned long lo, hi;
	FILE *fp;
	int dd = 0, in = 0;

	(void)setrlimit(RLIMIT_CORE, &rl);
	ck_assert_int_eq(dsreg_secret_dup("Secret-pw-42", 12, &pw), 0);
	ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_CORE, &rl), 0);
	ck_assert_uint_eq(rl.rlim_cur, 0);
	/* the page holding it carries the "dd" (do not dump) flag */
	fp = fopen("/proc/self/smaps", "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3)
			in = (unsigned long)pw >= lo && (unsigned long)pw < hi;
		else if (in && strncmp(line, "VmFlags:", 8) == 0 &&
		    strstr(line, " dd") != NULL)
			dd = 1;
	}
	fclose(fp);
	ck_assert_int_eq(dd, 1);
	dsreg_secret_free(pw);
}
END_TEST

START_TEST(secret_mode_refused)
{
	char path[] = "/tmp/dsreg-secret-XXXXXX";
	struct dsreg_err e;
	char *s = NULL;
	size_t len = 0;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "hunter2\n", 8), 8);
	close(fd);
	ck_assert_int_eq(chmod(path, 0644), 0);
	dsreg_err_clear(&e);
	ck_assert_int_eq(dsreg_secret_read(path, &s, &len, &e), DSREG_EPERM);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(e.msg, "readable by group or others"));
	ck_assert_ptr_null(strstr(e.msg, "hunter2"));
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(dsreg_secret_read(path, &s, &len, &e), 0);
	ck_assert_str_eq(s, "hunter2");
	ck_assert_uint_eq(len, 7);
	dsreg_secret_free(s);
	unlink(path);
}
END_TEST

static Suite *
secret_suite(void)
{
	Suite *s = suite_create("common_secret");
	TCase *tc = tcase_create("scrub");

	tcase_add_loop_test(tc, scrub_table, 0,
	    sizeof(scrub_cases) / sizeof(scrub_cases[0]));
	tcase_add_test(tc, scrub_in_place_truncates);
	tcase_add_test(tc, errors_and_logs_scrubbed);
	tcase_add_test(tc, process_protected);
	tcase_add_test(tc, secret_mode_refused);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(secret_suite)
