/* cli/apply.c - dsreg apply: recover, audit and plan, apply at the registrars, verify; signals and the report */
#include "cli/fix.h"
#include "cli/metrics.h"
#include "common/error.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * SIGTERM, SIGHUP and SIGINT while changes are made: the first one lets
 * the request in flight finish and the lock be restored, starts nothing
 * new, and the run ends with 128 + the signal; a second one exits at once
 * (every request is in the journal before it is sent: the next run
 * resolves what is open).
 */
static void
say(const char *s)
{
	ssize_t n = write(STDERR_FILENO, s, strlen(s));

	(void)n;
}

static void
on_stop(int sig)
{
	if (engine_stop_signal() != 0) {
		say("dsreg: apply: ");
		say(engine_signal_name(sig));
		say(" again: exiting now; the journal holds what is in flight "
		    "and the next run resolves it\n");
		_exit(128 + sig);
	}
	engine_stop(sig);
	say("dsreg: apply: ");
	say(engine_signal_name(sig));
	say(": finishing the request in flight and the relock, starting "
	    "nothing new (a second signal exits at once)\n");
}

/* catch: 1 while the registrars are being changed, 0 default actions
 * (during the audit nothing is in flight: systemctl stop is not held up). */
static void
stop_signals(int catch)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGINT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = catch ? on_stop : SIG_DFL;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
report(struct fix *f)
{
	struct engine_item *it;
	const char *out;
	json_t *o;
	char *s;

	for (it = f->e.items; it != NULL; it = it->next) {
		const char *pub;

		if (it->outcome == ENGINE_NONE)
			continue;
		out = engine_outcome_name(it->outcome);
		pub = it->published ? "published at every parent server" :
		    it->outcome == ENGINE_FAILED ? "" :
		    "not yet published at every parent server";
		if (f->c->format == FMT_TEXT) {
			printf("%-32s %-12s %-8s %s%s%s\n", it->domain,
			    it->acct->cfg->name, out, it->note ? it->note : "",
			    *pub ? "; " : "", pub);
			continue;
		}
		if (f->c->format == FMT_CSV) {
			printf("%s,%s,%s,%d\n", it->domain, it->acct->cfg->name,
			    out, it->published);
			continue;
		}
		o = json_pack("{s:s, s:s, s:s, s:s?, s:b}", "domain",
		    it->domain, "account", it->acct->cfg->name, "change", out,
		    "note", it->note, "published", it->published);
		if ((s = json_dumps(o, JSON_COMPACT)) != NULL)
			printf("%s\n", s);
		free(s);
		json_decref(o);
	}
}

/* openmetrics: the plan's counts, then each change's outcome and the
 * accounts that took one. */
static int
write_metrics(struct fix *f, time_t started)
{
	struct metrics_run *m = output_metrics(f->out);
	struct engine_item *it;

	if (m == NULL)
		return DSREG_ENOMEM;
	m->have_changes = 1;
	for (it = f->e.items; it != NULL; it = it->next) {
		if (it->outcome == ENGINE_NONE)
			continue;
		metrics_change_add(m, engine_outcome_name(it->outcome),
		    !it->published);
		if ((it->outcome == ENGINE_APPLIED || it->outcome ==
		    ENGINE_ALREADY) && metrics_session_seen(m,
		    it->acct->cfg->name, time(NULL)) != 0)
			return DSREG_ENOMEM;
	}
	m->run_duration = difftime(time(NULL), started);
	return metrics_write(stdout, m);
}

/* --yes, or asked on a terminal; with nothing to change, --yes still
 * lets the run take the steps that are waiting. */
static int
confirm(struct fix *f)
{
	char line[16];

	if (f->e.nchange == 0)
		return f->e.nwait > 0 && f->o.yes;
	if (f->o.yes)
		return 1;
	if (!isatty(STDIN_FILENO)) {
		if (f->c->verbosity >= 0)
			fprintf(stderr, "apply: no terminal and no --yes: "
			    "nothing changed (this was the plan)\n");
		return 0;
	}
	fprintf(stderr, "apply %zu change%s at the registrars? [y/N] ",
	    f->e.nchange, f->e.nchange == 1 ? "" : "s");
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}

static void
left_unlocked(void *ctx, const char *account, const char *domain,
    time_t since, const char *note)
{
	char t[32];
	struct tm tm;

	gmtime_r(&since, &tm);
	strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%SZ", &tm);
	cli_err(ctx, "%s LEFT UNLOCKED: dsreg unlocked it at account '%s' at "
	    "%s and has not read it back as locked (%s)", domain, account, t,
	    note ? note : "no note");
}

/* The exit status, and the summary line. */
static int
finish(struct fix *f)
{
	struct engine *e = &f->e;
	size_t nunlocked = engine_unlocked_each(e, left_unlocked, f->c);
	int st;

	if (engine_stop_signal() != 0)
		st = 128 + engine_stop_signal();
	else if (e->failed || e->rec_failed || e->state_failed ||
	    nunlocked > 0)
		st = EXIT_RUNTIME;
	else if (f->audit.sel.nbad > 0 || e->nconflict > 0)
		st = EXIT_USAGE;
	else if (e->pending > 0 || e->nmanual > 0 || e->nrefuse > 0 ||
	    e->nwait > 0 || e->nscan > 0 ||
	    (e->nchange > 0 && !f->o.yes && !isatty(0)))
		st = EXIT_ACTION;
	else
		st = EXIT_OK;
	if (e->state_failed)
		cli_err(f->c, "apply: the state database could not be written "
		    "(see above): the journal may not hold every step of this "
		    "run; check the registrars and free space before the next "
		    "run");
	if (f->c->verbosity >= 0)
		fprintf(stderr, "apply: %zu change%s, %zu not yet published "
		    "or waiting, %zu manual, %zu refused, %zu waiting, %zu left "
		    "to the registry's CDS scan, %zu left unlocked\n",
		    e->nchange, e->nchange == 1 ? "" : "s", e->pending,
		    e->nmanual, e->nrefuse, e->nwait, e->nscan, nunlocked);
	return st;
}

int
cmd_apply(struct cli *c, int argc, char **argv)
{
	struct fix_opts o;
	struct fix f;
	time_t started = time(NULL);
	int st;

	signal(SIGPIPE, SIG_IGN);
	if ((st = fix_parse(c, ENGINE_APPLY, argc, argv, &o)) != 0)
		return cli_exit_status(st);
	if ((st = fix_open(&f, c, ENGINE_APPLY, &o)) != 0) {
		st = cli_exit_status(st);
		goto out;
	}
	stop_signals(1);
	engine_recover(&f.e);              /* relock, resolve open changes */
	stop_signals(0);
	if (engine_stop_signal() == 0 && (st = fix_plan(&f, 1)) != 0) {
		st = cli_exit_status(st);
		goto out;
	}
	if (engine_stop_signal() == 0 && confirm(&f)) {
		stop_signals(1);
		engine_apply(&f.e);
		engine_verify(&f.e);
		if (c->format != FMT_OPENMETRICS)
			report(&f);
	}
	st = finish(&f);
	if (c->format == FMT_OPENMETRICS && write_metrics(&f, started) != 0) {
		cli_err(c, "apply: writing the metrics failed");
		st = EXIT_RUNTIME;
	}
out:
	fix_close(&f);
	return st;
}
