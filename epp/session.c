/* epp/session.c - EPP session: greeting, login/logout, commands with retry classes */
#include "epp/internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/log.h"
#include "common/secret.h"

#define DEFAULT_RETRIES 3
#define DEFAULT_BACKOFF_MS 1000
#define BACKOFF_CAP_MS 60000
#define LOGIN_ROOM 4096          /* a login command, with its password */

struct epp_session {
	struct epp_config cfg;       /* strings below are our copies */
	char *host, *server_name, *ca_file, *cert_file, *key_file;
	char *username, *password, *prefix;
	const struct dsreg_log *log;
	struct epp_conn *conn;       /* NULL while disconnected */
	struct epp_io io;
	struct epp_greeting greeting;
	enum epp_secdns ver;
	enum epp_iface iface;
	unsigned long seq;
	char cltrid[EPP_TRID_MAX];   /* of the command in flight */
	long started;
	unsigned long pid;
	int logins;
	long last_cmd_ms;
	struct dsreg_buf in;         /* the last answer's XML */
	struct epp_response resp;    /* the last answer, parsed */
	struct dsreg_buf out, trace;
	int out_secret;              /* out holds the password: wipe once sent */
};

typedef int (*build_fn)(struct dsreg_buf *out, const void *arg,
    const char *cltrid, struct dsreg_err *err);

static void
sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

static int
retries(const struct epp_session *s)
{
	return s->cfg.retries < 0 ? 0 : s->cfg.retries == 0 ?
	    DEFAULT_RETRIES : s->cfg.retries;
}

/* Delay before attempt n (1-based) of a retry; 2502 waits 4 times longer. */
static long
backoff(const struct epp_session *s, int n, int session_limit)
{
	long ms = s->cfg.backoff_ms > 0 ? s->cfg.backoff_ms :
	    s->cfg.backoff_ms < 0 ? 0 : DEFAULT_BACKOFF_MS;

	while (--n > 0 && ms < BACKOFF_CAP_MS)
		ms *= 2;
	if (session_limit)
		ms *= 4;
	return ms > BACKOFF_CAP_MS ? BACKOFF_CAP_MS : ms;
}

/* Append v in base (10 or 16, lower case) at p; the end. */
static char *
put_num(char *p, unsigned long v, unsigned base)
{
	char tmp[3 * sizeof(v)];
	size_t n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/*
 * Unique per process run: "PREFIX-start-pid-seq" (prefix cut at 20
 * characters, start time and pid in hex).  Per command, so no printf.
 */
static void
new_cltrid(struct epp_session *s, char *buf, size_t size)
{
	char id[20 + 3 * (3 * sizeof(unsigned long) + 1) + 1], *p = id;
	size_t len = strnlen(s->prefix, 20);

	memcpy(p, s->prefix, len);
	p += len;
	*p++ = '-';
	p = put_num(p, (unsigned long)s->started, 16);
	*p++ = '-';
	p = put_num(p, s->pid, 16);
	*p++ = '-';
	p = put_num(p, ++s->seq, 10);
	len = (size_t)(p - id);
	if (len > size - 1)
		len = size - 1;
	if (len > sizeof(s->cltrid) - 1)
		len = sizeof(s->cltrid) - 1;
	memcpy(buf, id, len);
	buf[len] = '\0';
	memcpy(s->cltrid, id, len);
	s->cltrid[len] = '\0';
}

static void
trace(struct epp_session *s, const char *dir, const char *xml, size_t len)
{
	if (!dsreg_log_enabled(s->log, DSREG_LOG_TRACE))
		return;
	dsreg_buf_reset(&s->trace);
	if (epp_redact(xml, len, &s->trace) != 0)
		dsreg_log(s->log, DSREG_LOG_TRACE, "%s (%zu bytes, not shown: "
		    "too large to redact)", dir, len);
	else
		dsreg_log(s->log, DSREG_LOG_TRACE, "%s %s", dir,
		    s->trace.data);
}

static void
disconnect(struct epp_session *s)
{
	epp_conn_close(s->conn);
	s->conn = NULL;
}

/* Read one frame from the server into s->in. */
static int
receive(struct epp_session *s, struct dsreg_err *err)
{
	int rc;

	epp_conn_frame_start(s->conn);
	if ((rc = epp_frame_read(&s->io, &s->in, EPP_FRAME_MAX, err)) != 0) {
		disconnect(s);
		return rc;
	}
	trace(s, "S:", s->in.data, s->in.len);
	return 0;
}

/* Parse s->in (a greeting or a response) into s->resp and res. */
static int
parse_in(struct epp_session *s, struct epp_result *res,
    struct dsreg_err *err)
{
	epp_response_free(&s->resp);
	return epp_response_parse(s->in.data, s->in.len, &s->resp, res, err);
}

/*
 * Send s->out, read and parse the answer (it stays in s->resp until the
 * next answer).  C errors drop the connection.
 */
static int
exchange(struct epp_session *s, struct epp_result *res,
    struct dsreg_err *err)
{
	long gap;
	int rc;

	if (s->conn == NULL)
		return dsreg_err_set(err, DSREG_ESTATE, "not connected");
	if (s->cfg.rate > 0) {
		gap = (long)(1000.0 / s->cfg.rate) - (epp_now_ms() -
		    s->last_cmd_ms);
		sleep_ms(gap);
	}
	s->last_cmd_ms = epp_now_ms();
	trace(s, "C:", s->out.data, s->out.len);
	rc = epp_frame_write(&s->io, s->out.data, s->out.len, err);
	if (s->out_secret) {      /* no copy of the password while we wait */
		dsreg_secret_wipe(s->out.data, s->out.len);
		s->out_secret = 0;
	}
	if (rc != 0) {
		disconnect(s);
		return rc;
	}
	if ((rc = receive(s, err)) != 0)
		return rc;
	if ((rc = parse_in(s, res, err)) != 0) {
		disconnect(s);
		return rc;
	}
	/*
	 * RFC 5730 §2.6: the answer echoes our clTRID.  Another one (or a
	 * greeting) means the stream is out of step: never trust it.
	 */
	if (s->resp.greeting || (res->cltrid[0] != '\0' &&
	    strcmp(res->cltrid, s->cltrid) != 0)) {
		rc = dsreg_err_set(err, DSREG_EPROTO, "%s: RFC 5730 §2.6: "
		    "answer %s, expected clTRID %s", s->host, s->resp.greeting ?
		    "is a greeting" : "carries another clTRID", s->cltrid);
		disconnect(s);
		return rc;
	}
	/* 2500-2502: the server closes the connection after answering. */
	if (res->code >= 2500)
		disconnect(s);
	return 0;
}

static int
choose_secdns(struct epp_session *s, struct dsreg_err *err)
{
	int has11 = epp_greeting_has(&s->greeting, EPP_NS_SECDNS11);
	int has10 = epp_greeting_has(&s->greeting, EPP_NS_SECDNS10);

	if (!epp_greeting_has(&s->greeting, EPP_NS_DOMAIN))
		return dsreg_err_set(err, DSREG_EUNSUPPORTED, "%s: the "
		    "greeting does not offer %s (RFC 5731)", s->host,
		    EPP_NS_DOMAIN);
	switch (s->cfg.secdns) {
	case EPP_SECDNS_PREF_11:
		if (!has11)
			return dsreg_err_set(err, DSREG_EUNSUPPORTED, "%s: "
			    "secdns = 1.1 but the greeting does not offer %s",
			    s->host, EPP_NS_SECDNS11);
		s->ver = EPP_SECDNS_11;
		break;
	case EPP_SECDNS_PREF_10:
		if (!has10)
			return dsreg_err_set(err, DSREG_EUNSUPPORTED, "%s: "
			    "secdns = 1.0 but the greeting does not offer %s",
			    s->host, EPP_NS_SECDNS10);
		s->ver = EPP_SECDNS_10;
		break;
	default:
		s->ver = has11 ? EPP_SECDNS_11 : has10 ? EPP_SECDNS_10 :
		    EPP_SECDNS_NONE;
		if (s->ver == EPP_SECDNS_NONE)
			dsreg_log(s->log, DSREG_LOG_WARN, "%s: the greeting "
			    "offers no secDNS extension: DS changes are not "
			    "possible over EPP", s->host);
		else if (s->ver == EPP_SECDNS_10)
			dsreg_log(s->log, DSREG_LOG_INFO, "%s: only "
			    "secDNS-1.0 offered; using RFC 4310", s->host);
	}
	return 0;
}

static int
build_login(struct dsreg_buf *out, const void *arg, const char *cltrid,
    struct dsreg_err *err)
{
	const struct epp_session *s = arg;

	return epp_build_login(out, s->username, s->password, s->ver,
	    cltrid, err);
}

/* One connection attempt: TLS, greeting, login. */
static int
connect_once(struct epp_session *s, struct epp_result *res,
    struct dsreg_err *err)
{
	char cltrid[EPP_TRID_MAX];
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = epp_conn_open(&s->conn, &s->cfg, err)) != 0)
		return rc;
	epp_conn_io(s->conn, &s->io);
	/* The first read also completes TLS 1.3 client authentication. */
	if ((rc = receive(s, err)) != 0) {
		dsreg_err_prefix(err, "reading the greeting");
		return rc;
	}
	if ((rc = parse_in(s, res, err)) == 0)
		rc = epp_greeting_from(&s->resp, &s->greeting, err);
	if (rc == 0)
		rc = choose_secdns(s, err);
	if (rc != 0) {
		disconnect(s);
		return rc;
	}
	dsreg_buf_reset(&s->out);
	new_cltrid(s, cltrid, sizeof(cltrid));
	/* Room first: a realloc would leave a copy of the password behind. */
	if ((rc = dsreg_buf_reserve(&s->out, LOGIN_ROOM)) != 0 ||
	    (rc = build_login(&s->out, s, cltrid, err)) != 0) {
		if (s->out.data != NULL)
			dsreg_secret_wipe(s->out.data, s->out.cap);
		disconnect(s);
		return rc == DSREG_ENOMEM ? dsreg_err_set(err, rc, "out of "
		    "memory") : rc;
	}
	s->out_secret = 1;
	rc = exchange(s, res, err);
	dsreg_secret_wipe(s->out.data, s->out.len);   /* held the password */
	s->out_secret = 0;
	if (rc != 0)
		return rc;
	res->attempts = 1;
	if (!epp_code_ok(res->code)) {
		disconnect(s);
		return dsreg_err_set(err, res->cls == DSREG_RETRY_AUTH ?
		    DSREG_EAUTH : DSREG_EREMOTE, "%s: login as %s refused: "
		    "%d %s%s%s", s->host, s->username, res->code, res->msg,
		    res->reason[0] ? ": " : "", res->reason);
	}
	s->logins++;
	dsreg_log(s->log, DSREG_LOG_DEBUG, "%s: logged in as %s (%s), "
	    "svTRID %s", s->host, s->username, s->ver == EPP_SECDNS_11 ?
	    "secDNS-1.1" : s->ver == EPP_SECDNS_10 ? "secDNS-1.0" :
	    "no secDNS", res->svtrid);
	return 0;
}

/* Connect and log in, with backoff on dropped connections and 2502. */
static int
login(struct epp_session *s, struct epp_result *res, struct dsreg_err *err)
{
	int n, rc, limit;

	for (n = 0;; n++) {
		rc = connect_once(s, res, err);
		if (rc == 0)
			return 0;
		limit = res->code == 2502;
		/* Configuration, TLS and authentication problems are final. */
		if (rc != DSREG_ENET && rc != DSREG_ETIMEOUT &&
		    rc != DSREG_EPROTO && !(rc == DSREG_EREMOTE &&
		    (limit || res->code == 2500 || res->code == 2400)))
			return rc;
		if (n >= retries(s))
			return rc;
		dsreg_log(s->log, DSREG_LOG_WARN, "%s; %s in %ld ms (attempt "
		    "%d of %d)", dsreg_err_text(err), limit ? "session limit "
		    "(2502): backing off, retrying" : "reconnecting",
		    backoff(s, n + 1, limit), n + 2, retries(s) + 1);
		sleep_ms(backoff(s, n + 1, limit));
	}
}

static char *
secret_dup_or_null(const char *s, int *fail)
{
	char *d = NULL;

	if (s != NULL && dsreg_secret_dup(s, strlen(s), &d) != 0)
		*fail = 1;
	return d;
}

static char *
dup_or_null(const char *s, int *fail)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*fail = 1;
	return d;
}

int
epp_session_open(struct epp_session **out, const struct epp_config *cfg,
    const struct dsreg_log *log, struct epp_result *res,
    struct dsreg_err *err)
{
	struct epp_session *s;
	struct epp_result tmp;
	int rc, fail = 0;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	if (cfg->host == NULL || cfg->username == NULL ||
	    cfg->password == NULL)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "EPP session needs host, username and password");
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	s->cfg = *cfg;
	s->cfg.host = s->host = dup_or_null(cfg->host, &fail);
	s->cfg.server_name = s->server_name = dup_or_null(cfg->server_name,
	    &fail);
	s->cfg.ca_file = s->ca_file = dup_or_null(cfg->ca_file, &fail);
	s->cfg.cert_file = s->cert_file = dup_or_null(cfg->cert_file, &fail);
	s->cfg.key_file = s->key_file = dup_or_null(cfg->key_file, &fail);
	s->cfg.username = s->username = dup_or_null(cfg->username, &fail);
	s->cfg.password = s->password = secret_dup_or_null(cfg->password,
	    &fail);
	s->cfg.cltrid_prefix = s->prefix = dup_or_null(cfg->cltrid_prefix ?
	    cfg->cltrid_prefix : "DSREG", &fail);
	s->log = log;
	s->iface = cfg->iface;
	s->started = (long)time(NULL);
	s->pid = (unsigned long)getpid();
	dsreg_buf_init(&s->in, EPP_FRAME_MAX);
	dsreg_buf_init(&s->out, EPP_FRAME_MAX - 4);
	dsreg_buf_init(&s->trace, 2 * EPP_FRAME_MAX);
	if (fail) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = login(s, res, err)) != 0)
		goto out;
	*out = s;
	s = NULL;
out:
	epp_session_close(s);
	return rc;
}

void
epp_session_close(struct epp_session *s)
{
	struct epp_result res;
	struct dsreg_err err;
	char cltrid[EPP_TRID_MAX];

	if (s == NULL)
		return;
	if (s->conn != NULL) {
		dsreg_buf_reset(&s->out);
		new_cltrid(s, cltrid, sizeof(cltrid));
		if (epp_build_logout(&s->out, cltrid) == 0)
			(void)exchange(s, &res, &err);
		disconnect(s);
	}
	epp_greeting_clear(&s->greeting);
	free(s->host);
	free(s->server_name);
	free(s->ca_file);
	free(s->cert_file);
	free(s->key_file);
	free(s->username);
	dsreg_secret_free(s->password);
	free(s->prefix);
	if (s->out.data != NULL)      /* held the login command */
		dsreg_secret_wipe(s->out.data, s->out.cap);
	if (s->trace.data != NULL)
		dsreg_secret_wipe(s->trace.data, s->trace.cap);
	if (s->in.data != NULL)       /* a server may echo the password */
		dsreg_secret_wipe(s->in.data, s->in.cap);
	epp_response_free(&s->resp);
	dsreg_buf_free(&s->in);
	dsreg_buf_free(&s->out);
	dsreg_buf_free(&s->trace);
	free(s);
}

const struct epp_greeting *
epp_session_greeting(const struct epp_session *s)
{
	return &s->greeting;
}

enum epp_secdns
epp_session_secdns(const struct epp_session *s)
{
	return s->ver;
}

enum epp_iface
epp_session_iface(const struct epp_session *s)
{
	return s->iface;
}

int
epp_session_logins(const struct epp_session *s)
{
	return s->logins;
}

/* Make sure we are logged in (after a drop), quietly keeping res clean. */
static int
ensure(struct epp_session *s, struct dsreg_err *err)
{
	struct epp_result res;

	if (s->conn != NULL)
		return 0;
	return login(s, &res, err);
}

/*
 * Run a read-only command with the retry classes: 2400 retried after a
 * pause, 2500 and lost connections after reconnecting, 2502 after a
 * longer pause; everything else is returned.  On success s->resp holds
 * the parsed answer.
 */
static int
readonly(struct epp_session *s, const char *what, build_fn build,
    const void *arg, struct epp_result *res, struct dsreg_err *err)
{
	char cltrid[EPP_TRID_MAX];
	int n, rc, limit;

	for (n = 0;; n++) {
		memset(res, 0, sizeof(*res));
		if ((rc = ensure(s, err)) != 0)
			return rc;
		dsreg_buf_reset(&s->out);
		new_cltrid(s, cltrid, sizeof(cltrid));
		if ((rc = build(&s->out, arg, cltrid, err)) != 0)
			return rc;
		rc = exchange(s, res, err);
		res->attempts = n + 1;
		if (rc == 0 && !dsreg_retry_may_succeed(res->cls))
			return 0;
		if (rc != 0 && rc != DSREG_ENET && rc != DSREG_ETIMEOUT &&
		    rc != DSREG_EPROTO && rc != DSREG_ETOOBIG)
			return rc;
		if (n >= retries(s)) {
			if (rc == 0)   /* the last answer is the result */
				return dsreg_err_set(err, DSREG_EREMOTE,
				    "%s: %s: %d %s (gave up after %d "
				    "attempts)", s->host, what, res->code,
				    res->msg, n + 1);
			dsreg_err_prefix(err, "%s (gave up after %d attempts)",
			    what, n + 1);
			return rc;
		}
		limit = rc == 0 && res->code == 2502;
		if (rc == 0)
			dsreg_log(s->log, DSREG_LOG_WARN, "%s: %s: %d %s (%s): "
			    "retrying in %ld ms", s->host, what, res->code,
			    res->msg, dsreg_retry_name(res->cls),
			    backoff(s, n + 1, limit));
		else
			dsreg_log(s->log, DSREG_LOG_WARN, "%s: %s: %s: "
			    "reconnecting in %ld ms", s->host, what,
			    dsreg_err_text(err), backoff(s, n + 1, 0));
		sleep_ms(backoff(s, n + 1, limit));
	}
}

int
epp_hello(struct epp_session *s, struct dsreg_err *err)
{
	struct epp_result res;
	int rc;

	if ((rc = ensure(s, err)) != 0)
		return rc;
	dsreg_buf_reset(&s->out);
	if ((rc = epp_build_hello(&s->out)) != 0)
		return dsreg_err_set(err, rc, "hello: %s", dsreg_strerror(rc));
	trace(s, "C:", s->out.data, s->out.len);
	if ((rc = epp_frame_write(&s->io, s->out.data, s->out.len,
	    err)) != 0 || (rc = receive(s, err)) != 0) {
		disconnect(s);
		return rc;
	}
	if ((rc = parse_in(s, &res, err)) != 0)
		return rc;
	return epp_greeting_from(&s->resp, &s->greeting, err);
}

static int
build_info(struct dsreg_buf *out, const void *arg, const char *cltrid,
    struct dsreg_err *err)
{
	return epp_build_domain_info(out, arg, cltrid, err);
}

/* Learn the interface from what the registry shows (RFC 5910 gives no in-band signal). */
static void
learn_iface(struct epp_session *s, const struct epp_domain_info *info)
{
	enum epp_iface seen;

	if (info->secdns != EPP_SECDNS_11 || (info->ds.n == 0 &&
	    info->keys.n == 0))
		return;
	seen = info->key_interface ? EPP_IFACE_KEY : EPP_IFACE_DS;
	if (seen != s->iface)
		dsreg_log(s->log, DSREG_LOG_INFO, "%s: %s answered with %s: "
		    "using the %s interface", s->host, info->name,
		    seen == EPP_IFACE_KEY ? "keyData" : "dsData",
		    seen == EPP_IFACE_KEY ? "key" : "ds");
	s->iface = seen;
}

int
epp_domain_info(struct epp_session *s, const char *domain,
    struct epp_domain_info **out, struct epp_result *res,
    struct dsreg_err *err)
{
	struct epp_domain_info *info = NULL;
	struct epp_result tmp;
	int rc;

	*out = NULL;
	if (res == NULL)
		res = &tmp;
	if ((rc = readonly(s, "domain:info", build_info, domain, res,
	    err)) != 0)
		return rc;
	if (epp_code_ok(res->code)) {
		rc = epp_domain_info_from(&s->resp, &info, err);
		if (rc == 0) {
			learn_iface(s, info);
			*out = info;
		}
	}
	return rc;
}

#define PIPE_MAX 64

/* Parse one pipelined answer for entry i; 1 if it needs a retry. */
static int
pipe_answer(struct epp_session *s, const char *domain, const char *cltrid,
    struct epp_domain_info **out, struct epp_result *res,
    struct dsreg_err *err)
{
	int rc;

	if ((rc = parse_in(s, res, err)) != 0)
		return rc;
	if (s->resp.greeting || strcmp(res->cltrid, cltrid) != 0) {
		return dsreg_err_set(err, DSREG_EPROTO, "%s: RFC 5730 §2.6: "
		    "pipelined answer for %s does not echo clTRID %s",
		    s->host, domain, cltrid);
	}
	res->attempts = 1;
	if (dsreg_retry_may_succeed(res->cls))
		rc = 1;
	else if (epp_code_ok(res->code) &&
	    (rc = epp_domain_info_from(&s->resp, out, err)) == 0)
		learn_iface(s, *out);
	if (res->code >= 2500)
		disconnect(s);
	return rc;
}

int
epp_domain_info_many(struct epp_session *s, const char *const *domains,
    size_t n, size_t window, struct epp_domain_info **out,
    struct epp_result *res, struct dsreg_err *err)
{
	char trids[PIPE_MAX][EPP_TRID_MAX];
	struct dsreg_buf batch;
	size_t next = 0, done, i, k;
	int rc = 0, again;
	char *retry = NULL;

	for (i = 0; i < n; i++) {
		out[i] = NULL;
		memset(&res[i], 0, sizeof(res[i]));
	}
	if (window < 1 || s->cfg.rate > 0)
		window = 1;
	if (window > PIPE_MAX)
		window = PIPE_MAX;
	dsreg_buf_init(&batch, EPP_FRAME_MAX * 2);
	if ((retry = calloc(n ? n : 1, 1)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	while (next < n) {
		if ((rc = ensure(s, err)) != 0)
			goto out;
		/* send up to window commands in one write */
		dsreg_buf_reset(&batch);
		for (k = 0; k < window && next + k < n; k++) {
			dsreg_buf_reset(&s->out);
			new_cltrid(s, trids[k], sizeof(trids[k]));
			if ((rc = epp_build_domain_info(&s->out, domains[next + k],
			    trids[k], err)) != 0)
				goto out;
			trace(s, "C:", s->out.data, s->out.len);
			if ((rc = epp_frame_append(&batch, s->out.data,
			    s->out.len, err)) != 0)
				goto out;
		}
		if ((rc = s->io.write(s->io.ctx, batch.data, batch.len,
		    err)) != 0) {
			dsreg_log(s->log, DSREG_LOG_WARN, "%s: pipelined "
			    "domain:info: %s; asking one by one", s->host,
			    dsreg_err_text(err));
			disconnect(s);
			for (i = next; i < n; i++)
				retry[i] = 1;
			rc = 0;
			break;
		}
		/* read the answers, in order */
		for (done = 0; done < k; done++) {
			if ((rc = receive(s, err)) != 0)
				break;
			rc = pipe_answer(s, domains[next + done], trids[done],
			    &out[next + done], &res[next + done], err);
			if (rc == 1)
				retry[next + done] = 1;
			else if (rc != 0)
				break;
			if (s->conn == NULL) {   /* 2500-2502 closed it */
				done++;
				break;
			}
		}
		if (done < k || rc < 0) {
			/* connection lost or out of step: the unanswered ones
			 * go through the one-by-one path */
			if (rc < 0)
				dsreg_log(s->log, DSREG_LOG_WARN, "%s: pipelined "
				    "domain:info: %s; asking the rest one by "
				    "one", s->host, dsreg_err_text(err));
			disconnect(s);
			for (i = next + done; i < n; i++)
				retry[i] = 1;
			rc = 0;
			break;
		}
		next += k;
	}
	/* whatever needs a retry: one by one, with the retry classes */
	for (i = 0, again = 0; i < n; i++) {
		if (!retry[i])
			continue;
		again++;
		epp_domain_info_free(out[i]);
		out[i] = NULL;
		if ((rc = epp_domain_info(s, domains[i], &out[i], &res[i],
		    err)) != 0)
			goto out;
	}
	if (again > 0)
		dsreg_log(s->log, DSREG_LOG_DEBUG, "%s: %d of %zu domain:info "
		    "asked again one by one", s->host, again, n);
out:
	free(retry);
	dsreg_buf_free(&batch);
	return rc;
}

struct update_arg {
	struct epp_session *s;
	const char *domain;
	const struct epp_secdns_change *chg;
	const struct epp_domain_info *cur;
};

static int
needs_current(const struct epp_session *s,
    const struct epp_secdns_change *chg)
{
	return s->ver == EPP_SECDNS_10 && (chg->rem_all || chg->rem_ds.n);
}

/*
 * After an unknown outcome: re-read the domain.  Returns 0 with *applied
 * set, or the error of the info.
 */
static int
verify(struct epp_session *s, const char *domain,
    const struct epp_secdns_change *chg, int *applied,
    struct epp_result *ires, struct dsreg_err *err)
{
	struct epp_domain_info *info = NULL;
	int rc;

	*applied = 0;
	if ((rc = epp_domain_info(s, domain, &info, ires, err)) != 0)
		return rc;
	if (info == NULL)
		return dsreg_err_set(err, DSREG_EREMOTE, "%s: domain:info %s "
		    "after the update: %d %s", s->host, domain, ires->code,
		    ires->msg);
	*applied = epp_secdns_change_applied(chg, info);
	epp_domain_info_free(info);
	return 0;
}

int
epp_domain_update_secdns(struct epp_session *s, const char *domain,
    const struct epp_secdns_change *chg, struct epp_result *res,
    struct dsreg_err *err)
{
	struct epp_domain_info *cur = NULL;
	struct epp_result ires, tmp;
	char cltrid[EPP_TRID_MAX], why[DSREG_ERR_MAX];
	int n, rc, applied, limit;

	if (res == NULL)
		res = &tmp;
	for (n = 0;; n++) {
		memset(res, 0, sizeof(*res));
		epp_domain_info_free(cur);
		cur = NULL;
		if ((rc = ensure(s, err)) != 0)
			goto out;
		if (needs_current(s, chg)) {
			if ((rc = epp_domain_info(s, domain, &cur, res,
			    err)) != 0 || cur == NULL)
				goto out;   /* an error result is the answer */
		}
		dsreg_buf_reset(&s->out);
		new_cltrid(s, cltrid, sizeof(cltrid));
		if ((rc = epp_build_domain_update(&s->out, domain, chg, s->ver,
		    s->iface, cur, cltrid, err)) != 0)
			goto out;
		rc = exchange(s, res, err);
		res->attempts = n + 1;
		if (rc == 0) {
			if (!dsreg_retry_may_succeed(res->cls)) {
				if (res->code == 2306)
					dsreg_log(s->log, DSREG_LOG_WARN,
					    "%s: %s: 2306 from the registry: "
					    "wrong interface (using %s) or "
					    "policy: %s", s->host, domain,
					    s->iface == EPP_IFACE_KEY ? "key" :
					    "ds", res->reason[0] ? res->reason :
					    res->msg);
				goto out;
			}
			snprintf(why, sizeof(why), "%d %s", res->code,
			    res->msg);
		} else if (rc == DSREG_ENET || rc == DSREG_ETIMEOUT ||
		    rc == DSREG_EPROTO || rc == DSREG_ETOOBIG)
			snprintf(why, sizeof(why), "%s", dsreg_err_text(err));
		else
			goto out;
		/* Outcome unknown or refused for now: never resend blindly. */
		limit = rc == 0 && res->code == 2502;
		dsreg_log(s->log, DSREG_LOG_WARN, "%s: domain:update %s: %s: "
		    "re-reading the domain before deciding", s->host, domain,
		    why);
		if (s->conn == NULL)
			sleep_ms(backoff(s, n + 1, limit));
		if ((rc = verify(s, domain, chg, &applied, &ires, err)) != 0) {
			dsreg_err_prefix(err, "domain:update %s: outcome "
			    "unknown (%s); domain:info failed", domain, why);
			goto out;
		}
		if (applied) {
			*res = ires;
			res->attempts = n + 1;
			res->recovered = 1;
			snprintf(res->msg, sizeof(res->msg), "change verified "
			    "by domain:info after: %s", why);
			dsreg_log(s->log, DSREG_LOG_WARN, "%s: domain:update "
			    "%s: domain:info shows the change in place",
			    s->host, domain);
			rc = 0;
			goto out;
		}
		if (n >= retries(s)) {
			rc = dsreg_err_set(err, DSREG_EREMOTE, "%s: "
			    "domain:update %s not applied after %d attempts: "
			    "%s", s->host, domain, n + 1, why);
			goto out;
		}
		dsreg_log(s->log, DSREG_LOG_WARN, "%s: domain:update %s: not "
		    "applied according to domain:info; sending it again in "
		    "%ld ms", s->host, domain, backoff(s, n + 1, limit));
		sleep_ms(backoff(s, n + 1, limit));
	}
out:
	epp_domain_info_free(cur);
	return rc;
}
