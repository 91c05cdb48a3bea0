/* engine/command.c - the command-hook registrar: the operator's program, run once per change with the change as JSON */
#include "engine/command.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/account.h"
#include "common/error.h"
#include "common/secret.h"
#include "ds/ds.h"
#include "engine/engine.h"

#define OUT_KEEP 4096        /* stdout kept: the note is its first line */
#define NOTE_MAX 300         /* characters of that line kept */
#define TERM_GRACE_MS 2000   /* SIGTERM, then SIGKILL after this */
#define HOOK_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:" \
	"/sbin:/bin"

#define ARGS_MAX 64

struct cmd_registrar {
	char *program;           /* argv[0] */
	char *words;             /* the command, NUL between its words */
	char *argv[ARGS_MAX + 1];
	char *account;
	int timeout;             /* seconds */
};

static struct cmd_registrar *
me(struct registrar *reg)
{
	return (struct cmd_registrar *)(void *)reg;
}

/* ---- the JSON on the hook's stdin ----------------------------------- */

static json_t *
keys_json(const struct ds_keyset *ks)
{
	json_t *arr = json_array();
	char *t;
	size_t i;

	for (i = 0; arr != NULL && ks != NULL && i < ks->n; i++) {
		if ((t = ds_key_rdata_text(ks->v[i])) == NULL ||
		    json_array_append_new(arr, json_string(t)) != 0) {
			free(t);
			json_decref(arr);
			return NULL;
		}
		free(t);
	}
	return arr;
}

char *
engine_command_json(const struct registrar_change *c)
{
	static const struct ds_set none = { NULL, 0, 0 };
	const struct ds_set *cur = c->current != NULL ? c->current : &none;
	json_t *j;
	char *s = NULL, *line = NULL;

	j = json_pack("{s:s, s:s?, s:o, s:o, s:o, s:o, s:b, s:o}",
	    "domain", c->domain, "parent", c->parent,
	    "current_ds", engine_ds_json(cur, 1),
	    "target_ds", engine_ds_json(c->final != NULL ? c->final : &none, 1),
	    "add", engine_ds_json(c->add != NULL ? c->add : &none, 1),
	    "remove", engine_ds_json(c->rem_all ? cur :
	    c->rem != NULL ? c->rem : &none, 1),
	    "remove_all", c->rem_all,
	    "dnskey", keys_json(c->keys));
	if (j != NULL && (s = json_dumps(j, JSON_COMPACT)) != NULL &&
	    asprintf(&line, "%s\n", s) < 0)
		line = NULL;
	free(s);
	json_decref(j);
	return line;
}

/* ---- running the program --------------------------------------------- */

enum ran { RAN_EXITED, RAN_SIGNALED, RAN_TIMEOUT };

struct run_result {
	enum ran how;
	int code;                /* exit status or signal */
	char out[OUT_KEEP];      /* the start of its stdout */
	size_t nout;
};

static long
ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * In the child, between fork and exec: only async-signal-safe calls.
 * Default signal handling, an empty signal mask, a process group of its
 * own, stdin and stdout on the sockets, every other descriptor but 2
 * closed at exec.  An exec failure is reported as errno on errfd.
 */
static void __attribute__((noreturn))
child(int in, int out, int errfd, long maxfd, char *const argv[],
    char *const envp[])
{
	static const int sigs[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT,
	    SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	sigset_t none;
	size_t i;
	long fd;
	int e;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0)
		_exit(127);
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
		for (fd = 3; fd < maxfd; fd++)
			if (fd != errfd)
				fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	execve(argv[0], argv, envp);
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Stop the program's process group: SIGTERM, SIGKILL after a grace. */
static void
kill_group(pid_t pid, int *status)
{
	int i;

	kill(-pid, SIGTERM);
	for (i = 0; i < TERM_GRACE_MS / 50; i++) {
		if (waitpid(pid, status, WNOHANG) == pid) {
			kill(-pid, SIGKILL);   /* what it left behind */
			return;
		}
		usleep(50 * 1000);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

static void
free_env(char **envp)
{
	size_t i;

	for (i = 0; envp[i] != NULL; i++)
		free(envp[i]);
}

/*
 * Run the program with input on its stdin for at most timeout seconds.
 * 0: it ran (res says how it ended); else it did not start (err says why).
 */
static int
run_program(struct cmd_registrar *r, const char *domain,
    const char *input, struct run_result *res, struct dsreg_err *err)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, ep[2] = { -1, -1 };
	char *envp[5] = { NULL };
	const char *v;
	struct timespec deadline;
	struct pollfd pfd[2];
	size_t len = strlen(input), sent = 0, n = 0;
	long maxfd = sysconf(_SC_OPEN_MAX), left;
	char buf[4096];
	int status = 0, rc = 0, e = 0, nfd, exited = 0;
	ssize_t k;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	if (asprintf(&envp[n++], "PATH=%s", HOOK_PATH) < 0 ||
	    ((v = getenv("HOME")) != NULL &&
	    asprintf(&envp[n++], "HOME=%s", v) < 0) ||
	    ((v = getenv("LANG")) != NULL &&
	    asprintf(&envp[n++], "LANG=%s", v) < 0) ||
	    asprintf(&envp[n++], "DSREG_DOMAIN=%s", domain) < 0) {
		envp[n - 1] = NULL;
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, out) != 0 ||
	    pipe2(ep, O_CLOEXEC) != 0) {
		rc = dsreg_err_set(err, DSREG_EIO, "command %s: not run: %s",
		    r->program, strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		rc = dsreg_err_set(err, DSREG_EIO, "command %s: not run: "
		    "fork: %s", r->program, strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(in[1], out[1], ep[1], maxfd, r->argv, envp);
	setpgid(pid, pid);       /* also here: no race with kill(-pid) */
	close(in[1]);
	close(out[1]);
	close(ep[1]);
	in[1] = out[1] = ep[1] = -1;
	while ((k = read(ep[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	if (k == (ssize_t)sizeof(e)) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		rc = dsreg_err_set(err, e == ENOENT ? DSREG_ENOTFOUND :
		    DSREG_EIO, "command %s: not run: %s", r->program,
		    strerror(e));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += r->timeout;
	for (;;) {
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		nfd = 0;
		if (in[0] >= 0) {
			pfd[nfd].fd = in[0];
			pfd[nfd++].events = POLLOUT;
		}
		if (out[0] >= 0) {
			pfd[nfd].fd = out[0];
			pfd[nfd++].events = POLLIN;
		}
		if (exited && (nfd == 0 || poll(pfd, (nfds_t)nfd, 0) <= 0))
			break;      /* it ended; what it wrote is read */
		if ((left = ms_left(&deadline)) <= 0) {
			kill_group(pid, &status);
			res->how = RAN_TIMEOUT;
			res->code = r->timeout;
			goto out;
		}
		if (nfd == 0) {
			usleep(20 * 1000);
			continue;
		}
		if (poll(pfd, (nfds_t)nfd, left < 100 ? (int)left : 100) <= 0)
			continue;
		if (in[0] >= 0 && (pfd[0].revents & (POLLOUT | POLLERR |
		    POLLHUP))) {
			k = send(in[0], input + sent, len - sent,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
			if (k > 0)
				sent += (size_t)k;
			if ((k < 0 && errno != EAGAIN && errno != EINTR) ||
			    sent == len) {
				close(in[0]);    /* EOF for the hook */
				in[0] = -1;
			}
		}
		if (out[0] >= 0) {
			k = recv(out[0], buf, sizeof(buf), MSG_DONTWAIT);
			if (k > 0) {
				size_t keep = sizeof(res->out) - 1 - res->nout;
				if ((size_t)k < keep)
					keep = (size_t)k;
				memcpy(res->out + res->nout, buf, keep);
				res->nout += keep;
			} else if (k == 0 || (errno != EAGAIN &&
			    errno != EINTR)) {
				close(out[0]);
				out[0] = -1;
			}
		}
	}
	if (WIFSIGNALED(status)) {
		res->how = RAN_SIGNALED;
		res->code = WTERMSIG(status);
	} else {
		res->how = RAN_EXITED;
		res->code = WEXITSTATUS(status);
	}
out:
	res->out[res->nout] = '\0';
	for (n = 0; n < 2; n++) {
		if (in[n] >= 0)
			close(in[n]);
		if (out[n] >= 0)
			close(out[n]);
		if (ep[n] >= 0)
			close(ep[n]);
	}
	free_env(envp);
	return rc;
}

/* The first line of what the program wrote, printable, capped. */
static void
first_line(const char *out, char *line, size_t size)
{
	size_t i, n = 0;

	for (i = 0; out[i] != '\0' && out[i] != '\n' && n + 1 < size &&
	    n < NOTE_MAX; i++) {
		if (out[i] == '\r')
			continue;
		line[n++] = (unsigned char)out[i] < 0x20 || out[i] == 0x7f ?
		    '?' : out[i];
	}
	line[n] = '\0';
	dsreg_secret_scrub_str(line, size);
}

/* ---- the operations -------------------------------------------------- */

static void cmd_close(struct registrar *reg);

static int
cmd_open(struct registrar **out, const struct account *a,
    const struct dsreg_log *log, struct dsreg_err *err)
{
	struct cmd_registrar *r;
	struct stat st;
	char *p, *save = NULL;
	size_t n = 0;
	int rc;

	(void)log;
	if (a->type != ACCOUNT_COMMAND || a->command == NULL)
		return dsreg_err_set(err, DSREG_EINVAL, "account %s: not a "
		    "command account with a command", a->name);
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->words = strdup(a->command)) == NULL ||
	    (r->account = strdup(a->name)) == NULL) {
		if (r != NULL)
			free(r->words);
		free(r);
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	}
	/* the program and its arguments, split on blanks (no shell) */
	for (p = strtok_r(r->words, " \t", &save); p != NULL;
	    p = strtok_r(NULL, " \t", &save)) {
		if (n == ARGS_MAX) {
			cmd_close((struct registrar *)(void *)r);
			return dsreg_err_set(err, DSREG_EINVAL, "account %s: "
			    "command: more than %d words", a->name, ARGS_MAX);
		}
		r->argv[n++] = p;
	}
	r->program = r->argv[0];
	if (r->program == NULL || r->program[0] != '/' ||
	    stat(r->program, &st) != 0 || !S_ISREG(st.st_mode) ||
	    access(r->program, X_OK) != 0) {
		rc = dsreg_err_set(err, DSREG_ENOTFOUND, "account %s: command "
		    "%s: not an executable file", a->name, r->program != NULL ?
		    r->program : "(empty)");
		cmd_close((struct registrar *)(void *)r);
		return rc;
	}
	r->timeout = a->timeout > 0 ? a->timeout : ENGINE_COMMAND_TIMEOUT;
	*out = (struct registrar *)(void *)r;
	return 0;
}

static void
cmd_close(struct registrar *reg)
{
	if (reg == NULL)
		return;
	free(me(reg)->words);
	free(me(reg)->account);
	free(reg);
}

static int
cmd_read(struct registrar *reg, const char *domain, struct ds_set *ds,
    struct ds_keyset *keys, struct dsreg_err *err)
{
	(void)ds;
	(void)keys;
	return dsreg_err_set(err, DSREG_EUNSUPPORTED, "account %s: a command "
	    "hook cannot be read back (%s)", me(reg)->account, domain);
}

/* Nothing to read back: never "holds" (see command.h). */
static int
cmd_holds(struct registrar *reg, const struct registrar_change *c,
    int *holds, struct dsreg_err *err)
{
	(void)reg;
	(void)c;
	(void)err;
	*holds = 0;
	return 0;
}

static int
cmd_apply(struct registrar *reg, const struct registrar_change *c,
    const struct registrar_hook *h, struct registrar_report *rep,
    struct dsreg_err *err)
{
	struct cmd_registrar *r = me(reg);
	struct run_result *res = NULL;
	char line[NOTE_MAX + 1], note[sizeof(rep->note)];
	char *input = NULL;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rep->outcome = REGISTRAR_NOT_SENT;
	if ((input = engine_command_json(c)) == NULL ||
	    (res = calloc(1, sizeof(*res))) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if (h != NULL && h->before != NULL &&
	    h->before(h->ctx, c->domain, REGISTRAR_STEP_UPDATE) != 0) {
		rc = dsreg_err_set(err, DSREG_ESTATE, "command %s: not run",
		    r->program);
		goto out;
	}
	if ((rc = run_program(r, c->domain, input, res, err)) != 0) {
		snprintf(note, sizeof(note), "%s", dsreg_err_text(err));
		if (h != NULL && h->after != NULL)
			h->after(h->ctx, c->domain, REGISTRAR_STEP_UPDATE,
			    DSREG_EREMOTE, note);
		goto out;
	}
	first_line(res->out, line, sizeof(line));
	switch (res->how) {
	case RAN_EXITED:
		if (res->code == 0) {
			rep->outcome = REGISTRAR_APPLIED;
			snprintf(note, sizeof(note), "%s", line[0] != '\0' ?
			    line : "command exited 0");
			break;
		}
		rep->outcome = REGISTRAR_REFUSED;
		rc = dsreg_err_set(err, DSREG_EREMOTE, "command %s exited %d%s%s",
		    r->program, res->code, line[0] != '\0' ? ": " : "", line);
		break;
	case RAN_SIGNALED:
		rep->outcome = REGISTRAR_UNKNOWN;
		rc = dsreg_err_set(err, DSREG_EPROTO, "command %s killed by "
		    "signal %d (it may have made the change)%s%s", r->program,
		    res->code, line[0] != '\0' ? ": " : "", line);
		break;
	case RAN_TIMEOUT:
		rep->outcome = REGISTRAR_UNKNOWN;
		rc = dsreg_err_set(err, DSREG_ETIMEOUT, "command %s still "
		    "running after %d s: killed (it may have made the change)",
		    r->program, res->code);
		break;
	}
	if (rc != 0)
		snprintf(note, sizeof(note), "%s", dsreg_err_text(err));
	snprintf(rep->note, sizeof(rep->note), "%s", note);
	if (h != NULL && h->after != NULL)
		h->after(h->ctx, c->domain, REGISTRAR_STEP_UPDATE, rc, note);
out:
	if (rc != 0 && rep->note[0] == '\0')
		snprintf(rep->note, sizeof(rep->note), "%s",
		    dsreg_err_text(err));
	free(res);
	free(input);
	return rc;
}

const struct registrar_ops engine_command_registrar_ops = {
	.type = "command",
	.has_locks = 0,
	.has_list = 0,
	.open = cmd_open,
	.close = cmd_close,
	.read = cmd_read,
	.holds = cmd_holds,
	.apply = cmd_apply,
};
