/* tests/unit/test_epp_tls.c - epp/tls.c: the TLS files named in the config are checked before connecting */
#include "tests/unit/check_main.h"
#include "common/error.h"
#include "epp/epp.h"
#include "epp/internal.h"

#include <string.h>

/*
 * A cert_file or ca_file that does not exist is a configuration error
 * (DSREG_ENOTFOUND, exit 2), found before any connection: the host here
 * is an address nothing listens on, never reached.
 */
START_TEST(missing_tls_files_are_config_errors)
{
	static const struct {
		const char *ca, *cert, *key, *named;
	} rows[] = {
		{ NULL, "/nonexistent/dsreg/client.pem", "/nonexistent/k",
		    "/nonexistent/dsreg/client.pem: cert_file: " },
		{ "/nonexistent/dsreg/ca.pem", NULL, NULL,
		    "/nonexistent/dsreg/ca.pem: ca_file: " },
	};
	struct epp_config cfg;
	struct epp_conn *c = NULL;
	struct dsreg_err err;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.host = "127.0.0.1";
		cfg.port = 9;
		cfg.timeout_ms = 1000;
		cfg.ca_file = rows[i].ca;
		cfg.cert_file = rows[i].cert;
		cfg.key_file = rows[i].key;
		dsreg_err_clear(&err);
		ck_assert_int_eq(epp_conn_open(&c, &cfg, &err),
		    DSREG_ENOTFOUND);
		ck_assert_ptr_null(c);
		ck_assert_msg(strstr(err.msg, rows[i].named) != NULL,
		    "'%s' not in '%s'", rows[i].named, err.msg);
	}
}
END_TEST

static Suite *
epp_tls_suite(void)
{
	Suite *s = suite_create("epp_tls");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, missing_tls_files_are_config_errors);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(epp_tls_suite)
