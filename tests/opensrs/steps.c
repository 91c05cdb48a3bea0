/* tests/opensrs/steps.c - drive osrs_domain_replace_ds with a step callback (a journal stand-in) */
/*
 * usage: steps URL USER KEYFILE CAFILE DOMAIN MODE [DS...]
 * MODE: record | cancel-unlock | cancel-set | cancel-relock
 * Prints one line per callback ("before unlock", "after set-ds rc=0
 * code=200"), "cancel" when it refuses a step, then the report and the
 * return code.  Built and run by tests/system/opensrs_steps.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/secret.h"
#include "ds/ds.h"
#include "tucows/client.h"
#include "tucows/domain.h"

static int
journal(void *ctx, const struct osrs_step_info *in)
{
	const char *mode = ctx;
	const char *name = osrs_step_name(in->step);

	if (in->before) {
		printf("before %s\n", name);
		if (strncmp(mode, "cancel-", 7) == 0 &&
		    strcmp(mode + 7, name[0] == 's' ? "set" : name) == 0) {
			printf("cancel\n");
			return DSREG_ESTATE;
		}
		return 0;
	}
	printf("after %s rc=%d code=%d\n", name, in->rc,
	    in->res != NULL ? in->res->response_code : -1);
	return 0;
}

int
main(int argc, char **argv)
{
	struct osrs_client_opts o;
	struct osrs_client *c = NULL;
	struct osrs_replace_opts ro;
	struct osrs_replace_report rep;
	struct osrs_result res;
	struct ds_set set = { NULL, 0, 0 };
	struct dsreg_err err;
	char *key = NULL;
	size_t key_len = 0;
	int rc;

	if (argc < 7) {
		fprintf(stderr, "usage: steps URL USER KEYFILE CAFILE DOMAIN "
		    "MODE [DS...]\n");
		return 2;
	}
	dsreg_err_clear(&err);
	osrs_result_init(&res);
	if (dsreg_secret_read(argv[3], &key, &key_len, &err) != 0 ||
	    (argc > 7 && ds_rec_parse_args(argc - 7, argv + 7, &set,
	    &err) != 0)) {
		fprintf(stderr, "steps: %s\n", dsreg_err_text(&err));
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.url = argv[1];
	o.username = argv[2];
	o.key = key;
	o.key_len = key_len;
	o.ca_file = argv[4];
	o.timeout = 10;
	o.max_attempts = 1;
	rc = osrs_client_new(&c, &o, &err);
	dsreg_secret_free(key);
	if (rc != 0) {
		fprintf(stderr, "steps: %s\n", dsreg_err_text(&err));
		return 2;
	}
	ro.relock = 1;
	ro.step = journal;
	ro.step_ctx = argv[6];
	rc = osrs_domain_replace_ds(c, argv[5], &set, &ro, &rep, &res, &err);
	printf("was_locked=%d unlock_sent=%d set_sent=%d set_ok=%d "
	    "relock_sent=%d relocked=%d relock_failed=%d\n", rep.was_locked,
	    rep.unlock_sent, rep.set_sent, rep.set_ok, rep.relock_sent,
	    rep.relocked, rep.relock_failed);
	printf("rc=%s%s%s\n", rc == 0 ? "ok" : dsreg_strerror(rc),
	    rc != 0 ? ": " : "", rc != 0 ? dsreg_err_text(&err) : "");
	osrs_result_free(&res);
	osrs_client_free(c);
	ds_set_free(&set);
	return rc == 0 ? 0 : 3;
}
