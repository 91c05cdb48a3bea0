/* epp/tls.c - RFC 5734 transport: TCP + TLS 1.2+ with client certificate, verified server */
#include "epp/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "common/file.h"
#include "common/secret.h"

struct epp_conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	int timeout_ms;
	int rcvtimeo_ms;    /* SO_RCVTIMEO now set on fd */
	long deadline;      /* of the frame being read (0: none yet) */
	const struct epp_config *cfg;  /* the session's, outlives us */
	char peer[300];     /* "host:port" for messages */
};

long
epp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Wait for fd to become ready for events before deadline. */
static int
wait_fd(int fd, short events, long deadline)
{
	struct pollfd p;
	long left;
	int n;

	for (;;) {
		left = deadline - epp_now_ms();
		if (left <= 0)
			return DSREG_ETIMEOUT;
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0)
			return DSREG_ETIMEOUT;
		if (errno != EINTR)
			return DSREG_EIO;
	}
}

/* Text of the first queued OpenSSL error (and clear the queue). */
static const char *
ssl_reason(char *buf, size_t size)
{
	unsigned long e = ERR_get_error();

	if (e == 0)
		snprintf(buf, size, "no details");
	else
		ERR_error_string_n(e, buf, size);
	ERR_clear_error();
	return buf;
}

static int
tcp_connect(struct epp_conn *c, const char *host, int port, long deadline,
    struct dsreg_err *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char service[16];
	int fd = -1, gai, rc = DSREG_ENET, soerr, one = 1;
	socklen_t len;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%d", port);
	if ((gai = getaddrinfo(host, service, &hints, &res)) != 0)
		return dsreg_err_set(err, DSREG_ENET, "%s: cannot resolve: %s",
		    c->peer, gai_strerror(gai));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS &&
		    (rc = wait_fd(fd, POLLOUT, deadline)) == 0) {
			len = sizeof(soerr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &len) == 0 && soerr == 0)
				break;
			errno = soerr;
			rc = DSREG_ENET;
		} else if (errno != EINPROGRESS)
			rc = DSREG_ENET;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return dsreg_err_set(err, rc, "%s: cannot connect: %s",
		    c->peer, rc == DSREG_ETIMEOUT ? "timed out" :
		    strerror(errno));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->fd = fd;
	return 0;
}

static int
is_ip(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 ||
	    inet_pton(AF_INET6, s, buf) == 1;
}

/*
 * A file named in the account that is not there is the operator's to fix
 * (DSREG_ENOTFOUND, like a missing key_file), not a TLS failure.
 */
static int
tls_file_check(const char *path, const char *key, struct dsreg_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return dsreg_err_set(err, errno == ENOENT || errno == ENOTDIR ?
		    DSREG_ENOTFOUND : errno == EACCES ? DSREG_EPERM : DSREG_EIO,
		    "%s: %s: %s", path, key, strerror(errno));
	return 0;
}

/* OpenSSL opens these files by name: a FIFO there would block it. */
static int
check_files(const struct epp_config *cfg, struct dsreg_err *err)
{
	const char *files[] = { cfg->ca_file, cfg->cert_file, cfg->key_file };
	size_t i;
	int rc;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (files[i] != NULL && (rc = dsreg_file_check_regular(
		    files[i], DSREG_FILE_TEXT_MAX, err)) != 0)
			return rc;
	return 0;
}

static int
setup_ctx(struct epp_conn *c, const struct epp_config *cfg,
    struct dsreg_err *err)
{
	char why[256];
	int fc, rc;

	if (cfg->ca_file != NULL &&
	    (fc = tls_file_check(cfg->ca_file, "ca_file", err)) != 0)
		return fc;
	if (cfg->cert_file != NULL &&
	    (fc = tls_file_check(cfg->cert_file, "cert_file", err)) != 0)
		return fc;

	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "TLS: %s",
		    ssl_reason(why, sizeof(why)));
	/* RFC 5734 §9 and BCP 195: TLS 1.2 or newer. */
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	/* Verification is always on; only the trust anchors can change. */
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	if ((rc = check_files(cfg, err)) != 0)
		return rc;
	if (cfg->ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(c->ctx, cfg->ca_file,
		    NULL) != 1)
			return dsreg_err_set(err, DSREG_ETLS,
			    "%s: cannot load CA file: %s", cfg->ca_file,
			    ssl_reason(why, sizeof(why)));
	} else if (SSL_CTX_set_default_verify_paths(c->ctx) != 1)
		return dsreg_err_set(err, DSREG_ETLS,
		    "cannot load the system CA store: %s",
		    ssl_reason(why, sizeof(why)));
	if (cfg->cert_file != NULL) {
		if (SSL_CTX_use_certificate_chain_file(c->ctx,
		    cfg->cert_file) != 1)
			return dsreg_err_set(err, DSREG_ETLS,
			    "%s: cannot load client certificate: %s",
			    cfg->cert_file, ssl_reason(why, sizeof(why)));
		if (cfg->key_file == NULL)
			return dsreg_err_set(err, DSREG_EINVAL,
			    "cert_file given without key_file");
	}
	if (cfg->key_file != NULL) {
		if ((rc = dsreg_secret_check_mode(cfg->key_file, err)) != 0)
			return rc;
		if (SSL_CTX_use_PrivateKey_file(c->ctx, cfg->key_file,
		    SSL_FILETYPE_PEM) != 1)
			return dsreg_err_set(err, DSREG_ETLS,
			    "%s: cannot load client key: %s", cfg->key_file,
			    ssl_reason(why, sizeof(why)));
		if (SSL_CTX_check_private_key(c->ctx) != 1)
			return dsreg_err_set(err, DSREG_ETLS,
			    "%s: key does not match certificate %s",
			    cfg->key_file, cfg->cert_file ? cfg->cert_file :
			    "(none)");
	}
	SSL_CTX_set_mode(c->ctx, SSL_MODE_AUTO_RETRY);
	/*
	 * A server that closes TCP without close_notify ends the stream; the
	 * frame reader then reports a truncated or missing frame.  Truncation
	 * attacks cannot hide anything here: every frame carries its length.
	 */
	SSL_CTX_set_options(c->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* Read whole TCP segments at once: one read(2) per answer, not two per record. */
	SSL_CTX_set_read_ahead(c->ctx, 1);
	return 0;
}

/* Explain a failed handshake or first read in words an operator acts on. */
static int
tls_failure(struct epp_conn *c, const struct epp_config *cfg,
    const char *stage, struct dsreg_err *err)
{
	char why[256];
	long vr = SSL_get_verify_result(c->ssl);
	unsigned long e = ERR_peek_error();
	int reason = ERR_GET_REASON(e);

	if (vr != X509_V_OK) {
		ERR_clear_error();
		return dsreg_err_set(err, DSREG_ETLS, "%s: TLS %s: server "
		    "certificate not accepted: %s (trust anchors: %s; "
		    "name checked: %s)", c->peer, stage,
		    X509_verify_cert_error_string(vr),
		    cfg->ca_file ? cfg->ca_file : "system CA store",
		    cfg->server_name ? cfg->server_name : cfg->host);
	}
	if (reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED ||
	    reason == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE ||
	    reason == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE ||
	    reason == SSL_R_TLSV1_ALERT_UNKNOWN_CA ||
	    reason == SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN) {
		ssl_reason(why, sizeof(why));
		return dsreg_err_set(err, DSREG_ETLS, "%s: TLS %s: the server "
		    "refused our client certificate%s (%s); RFC 5734 §9 "
		    "requires one: check cert_file and key_file", c->peer,
		    stage, cfg->cert_file ? "" : " (none configured)", why);
	}
	return dsreg_err_set(err, DSREG_ETLS, "%s: TLS %s failed: %s",
	    c->peer, stage, ssl_reason(why, sizeof(why)));
}

/* Drive an SSL operation until done, waiting with poll up to deadline. */
static int
ssl_wait(struct epp_conn *c, int ret, long deadline)
{
	switch (SSL_get_error(c->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		return wait_fd(c->fd, POLLIN, deadline) == 0 ? 1 :
		    DSREG_ETIMEOUT;
	case SSL_ERROR_WANT_WRITE:
		return wait_fd(c->fd, POLLOUT, deadline) == 0 ? 1 :
		    DSREG_ETIMEOUT;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SSL:
		return DSREG_ETLS;
	default:
		return DSREG_ENET;
	}
}

int
epp_conn_open(struct epp_conn **out, const struct epp_config *cfg,
    struct dsreg_err *err)
{
	struct epp_conn *c;
	const char *name = cfg->server_name ? cfg->server_name : cfg->host;
	struct timeval tv;
	long deadline;
	int rc, ret;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	c->fd = -1;
	c->cfg = cfg;
	c->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
	snprintf(c->peer, sizeof(c->peer), "%s:%d", cfg->host,
	    cfg->port > 0 ? cfg->port : 700);
	deadline = epp_now_ms() + c->timeout_ms;
	if ((rc = setup_ctx(c, cfg, err)) != 0 ||
	    (rc = tcp_connect(c, cfg->host, cfg->port > 0 ? cfg->port : 700,
	    deadline, err)) != 0)
		goto out;
	if ((c->ssl = SSL_new(c->ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "TLS: out of memory");
		goto out;
	}
	if (is_ip(name)) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl),
		    name) != 1) {
			rc = dsreg_err_set(err, DSREG_EINVAL,
			    "server_name '%s': bad address", name);
			goto out;
		}
	} else if (SSL_set_tlsext_host_name(c->ssl, name) != 1 ||
	    SSL_set1_host(c->ssl, name) != 1) {
		rc = dsreg_err_set(err, DSREG_EINVAL,
		    "server_name '%s': not usable as a host name", name);
		goto out;
	}
	while ((ret = SSL_connect(c->ssl)) != 1) {
		rc = ssl_wait(c, ret, deadline);
		if (rc == 1)
			continue;
		if (rc == DSREG_ETIMEOUT)
			rc = dsreg_err_set(err, DSREG_ETIMEOUT, "%s: TLS "
			    "handshake timed out after %d ms", c->peer,
			    c->timeout_ms);
		else if (rc == DSREG_ENET && ERR_peek_error() == 0)
			rc = dsreg_err_set(err, DSREG_ENET, "%s: connection "
			    "closed during the TLS handshake", c->peer);
		else
			rc = tls_failure(c, cfg, "handshake", err);
		goto out;
	}
	/*
	 * From here on the socket blocks with kernel timeouts: an answer is
	 * read with one read(2) instead of poll(2) + read(2).  A timeout
	 * shows as EAGAIN and is told apart by the deadline (ssl_wait).
	 */
	tv.tv_sec = c->timeout_ms / 1000;
	tv.tv_usec = (c->timeout_ms % 1000) * 1000L;
	c->rcvtimeo_ms = c->timeout_ms;
	if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
	    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
		rc = dsreg_err_set(err, DSREG_EIO, "%s: socket options: %s",
		    c->peer, strerror(errno));
		goto out;
	}
	*out = c;
	c = NULL;
	rc = 0;
out:
	epp_conn_close(c);
	return rc;
}

void
epp_conn_close(struct epp_conn *c)
{
	if (c == NULL)
		return;
	if (c->ssl != NULL) {
		SSL_shutdown(c->ssl);   /* close_notify; the peer's is not awaited */
		SSL_free(c->ssl);
	}
	if (c->ctx != NULL)
		SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

/* Set SO_RCVTIMEO to ms (0 on success). */
static int
set_rcvtimeo(struct epp_conn *c, long ms)
{
	struct timeval tv;

	if (ms < 1)
		ms = 1;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000L;
	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
		return -1;
	c->rcvtimeo_ms = (int)ms;
	return 0;
}

void
epp_conn_frame_start(struct epp_conn *c)
{
	c->deadline = epp_now_ms() + c->timeout_ms;
	/* Back to the whole timeout if a slow frame had lowered it. */
	if (c->rcvtimeo_ms != c->timeout_ms)
		(void)set_rcvtimeo(c, c->timeout_ms);
}

/*
 * A blocking read(2) must not outlast the frame's deadline: lower
 * SO_RCVTIMEO to what is left (only when that matters, so that a quick
 * answer still costs one read(2) and no setsockopt).  0, or
 * DSREG_ETIMEOUT when the deadline has passed.
 */
static int
bound_read(struct epp_conn *c, long deadline)
{
	long left = deadline - epp_now_ms(), slack = c->timeout_ms / 20;

	if (left <= 0)
		return DSREG_ETIMEOUT;
	if (slack < 10)
		slack = 10;
	if (c->rcvtimeo_ms > left + slack)
		(void)set_rcvtimeo(c, left);
	return 0;
}

static int
conn_read(void *ctx, void *buf, size_t len, size_t *got,
    struct dsreg_err *err)
{
	struct epp_conn *c = ctx;
	/* The deadline is per frame (epp_conn_frame_start), not per read. */
	long deadline = c->deadline > 0 ? c->deadline :
	    epp_now_ms() + c->timeout_ms;
	size_t n;
	int rc;

	ERR_clear_error();
	for (;;) {
		if (!SSL_has_pending(c->ssl) &&
		    bound_read(c, deadline) == DSREG_ETIMEOUT)
			return dsreg_err_set(err, DSREG_ETIMEOUT, "%s: no "
			    "answer within %d ms (the server sends too "
			    "slowly or not at all)", c->peer, c->timeout_ms);
		if (SSL_read_ex(c->ssl, buf, len, &n) == 1) {
			*got = n;
			return 0;
		}
		rc = ssl_wait(c, 0, deadline);
		if (rc == 1)
			continue;
		if (rc == 0) {
			*got = 0;   /* close_notify: end of stream */
			return 0;
		}
		if (rc == DSREG_ETIMEOUT)
			return dsreg_err_set(err, DSREG_ETIMEOUT, "%s: no "
			    "answer within %d ms (the server sends too "
			    "slowly or not at all)", c->peer, c->timeout_ms);
		if (rc == DSREG_ETLS)
			return tls_failure(c, c->cfg, "session", err);
		if (ERR_peek_error() == 0) {
			*got = 0;   /* TCP closed without close_notify */
			return 0;
		}
		return dsreg_err_set(err, DSREG_ENET, "%s: read failed",
		    c->peer);
	}
}

static int
conn_write(void *ctx, const void *buf, size_t len, struct dsreg_err *err)
{
	struct epp_conn *c = ctx;
	long deadline = epp_now_ms() + c->timeout_ms;
	size_t done = 0, n;
	int ret, rc;

	while (done < len) {
		ERR_clear_error();
		ret = SSL_write_ex(c->ssl, (const char *)buf + done,
		    len - done, &n);
		if (ret == 1) {
			done += n;
			continue;
		}
		rc = ssl_wait(c, ret, deadline);
		if (rc == 1)
			continue;
		if (rc == DSREG_ETIMEOUT)
			return dsreg_err_set(err, DSREG_ETIMEOUT, "%s: write "
			    "timed out after %d ms", c->peer, c->timeout_ms);
		return dsreg_err_set(err, DSREG_ENET, "%s: connection lost "
		    "while sending", c->peer);
	}
	return 0;
}

void
epp_conn_io(struct epp_conn *c, struct epp_io *io)
{
	io->read = conn_read;
	io->write = conn_write;
	io->ctx = c;
	io->peer = c->peer;
}
