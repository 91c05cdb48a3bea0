/* tests/bench/epp_info.c - bench driver: domain:info commands per second over one EPP session, one at a time and pipelined */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "common/error.h"
#include "common/secret.h"
#include "epp/epp.h"

#define PIPE 16

static double
wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* One figure: commands per second, and the client's share of the time. */
static void
report(const char *how, long n, double wall, double cpu)
{
	printf("epp: %ld domain:info %s: %.0f commands per second (%.2f ms "
	    "per command; client CPU %.0f us per command)\n", n, how,
	    n / wall, wall * 1e3 / n, cpu * 1e6 / n);
}

/* usage: epp-bench HOST PORT CA CERT KEY USER PWFILE DOMAIN N */
int
main(int argc, char **argv)
{
	struct epp_config cfg;
	struct epp_session *s = NULL;
	struct epp_domain_info *info, *infos[PIPE];
	struct epp_result res, results[PIPE];
	struct dsreg_err err;
	const char *names[PIPE];
	char *pw;
	size_t pwlen;
	double w0, c0;
	long i, n;
	int k;

	if (argc != 10) {
		fprintf(stderr, "usage: epp-bench HOST PORT CA CERT KEY USER "
		    "PWFILE DOMAIN N\n");
		return 2;
	}
	if (dsreg_secret_read(argv[7], &pw, &pwlen, &err) != 0) {
		fprintf(stderr, "%s\n", dsreg_err_text(&err));
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = argv[1];
	cfg.port = atoi(argv[2]);
	cfg.ca_file = argv[3];
	cfg.cert_file = argv[4];
	cfg.key_file = argv[5];
	cfg.username = argv[6];
	cfg.password = pw;
	cfg.retries = -1;          /* a failure is a bench failure */
	n = atol(argv[9]) / PIPE * PIPE;
	if (n < PIPE)
		n = PIPE;
	for (k = 0; k < PIPE; k++)
		names[k] = argv[8];
	if (epp_session_open(&s, &cfg, NULL, &res, &err) != 0) {
		fprintf(stderr, "%s\n", dsreg_err_text(&err));
		return 1;
	}
	dsreg_secret_free(pw);

	/* one command at a time: each waits for its answer */
	w0 = wall_seconds();
	c0 = cpu_seconds();
	for (i = 0; i < n; i++) {
		if (epp_domain_info(s, argv[8], &info, &res, &err) != 0 ||
		    info == NULL || info->ds.n == 0) {
			fprintf(stderr, "info %ld failed: %s (%d)\n", i,
			    dsreg_err_text(&err), res.code);
			return 1;
		}
		epp_domain_info_free(info);
	}
	report("over one session, one at a time", n, wall_seconds() - w0,
	    cpu_seconds() - c0);

	/* pipelined (RFC 5734 §3): PIPE commands in one write */
	w0 = wall_seconds();
	c0 = cpu_seconds();
	for (i = 0; i < n; i += PIPE) {
		if (epp_domain_info_many(s, names, PIPE, PIPE, infos, results,
		    &err) != 0) {
			fprintf(stderr, "pipelined info failed: %s\n",
			    dsreg_err_text(&err));
			return 1;
		}
		for (k = 0; k < PIPE; k++) {
			if (infos[k] == NULL || infos[k]->ds.n == 0) {
				fprintf(stderr, "pipelined info %d: %d\n", k,
				    results[k].code);
				return 1;
			}
			epp_domain_info_free(infos[k]);
		}
	}
	report("over the same session, pipelined 16 at a time", n,
	    wall_seconds() - w0, cpu_seconds() - c0);
	printf("epp: logins: %d (1: the session was never lost)\n",
	    epp_session_logins(s));
	epp_session_close(s);
	return 0;
}
