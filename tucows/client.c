/* tucows/client.c - OpenSRS XML API client: signing, HTTPS via libcurl, reply checks, retries */
#include "tucows/client.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/secret.h"

#define REQUEST_MAX (1024u * 1024)
#define USERNAME_MAX 128

struct osrs_client {
	CURL *curl;
	char *url;
	char *host;
	char *username;
	char *key;
	char *sig;                  /* X-Signature of the last request */
	size_t key_len;
	char *subreseller;
	int timeout;
	int connect_timeout;
	double rate;
	int max_attempts;
	unsigned backoff_ms;
	struct dsreg_log log;
	struct timespec last;     /* when the previous request was sent */
	int have_last;
	struct dsreg_buf reply;   /* capped at OSRS_ENVELOPE_MAX */
	int reply_toobig;
	char errbuf[CURL_ERROR_SIZE];
};

/* ---- retry classes and results ------------------------------------ */

enum dsreg_retry
osrs_retry_class(int code)
{
	switch (code) {
	case 300: case 310: case 350: case 437: case 486: case 705:
		return DSREG_RETRY_LATER;
	case 400: case 410: case 415: case 435:
		return DSREG_RETRY_NEVER;
	case 430: case 460: case 465: case 480:
		return DSREG_RETRY_FIX;
	}
	if (code >= 200 && code < 300)
		return DSREG_RETRY_NONE;
	return DSREG_RETRY_UNKNOWN;
}

void
osrs_result_init(struct osrs_result *res)
{
	memset(res, 0, sizeof(*res));
}

void
osrs_result_free(struct osrs_result *res)
{
	if (res == NULL)
		return;
	free(res->response_text);
	osrs_value_free(res->reply);
	osrs_result_init(res);
}

/* ---- signing ------------------------------------------------------- */

static void
hex_lower(const unsigned char *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
md5_two(const void *a, size_t alen, const void *b, size_t blen, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return DSREG_ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, a, alen) == 1 &&
	    (blen == 0 || EVP_DigestUpdate(ctx, b, blen) == 1) &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return DSREG_EUNSUPPORTED;
	hex_lower(md, 16, out);
	dsreg_secret_wipe(md, sizeof(md));
	return 0;
}

void
osrs_md5_hex(const void *data, size_t len, char out[33])
{
	if (md5_two(data, len, NULL, 0, out) != 0)
		out[0] = '\0';
}

int
osrs_signature(const char *body, size_t body_len, const char *key,
    size_t key_len, char out[33])
{
	char inner[33];
	int rc;

	if ((rc = md5_two(body, body_len, key, key_len, inner)) == 0)
		rc = md5_two(inner, 32, key, key_len, out);
	dsreg_secret_wipe(inner, sizeof(inner));
	return rc;
}

/* ---- client -------------------------------------------------------- */

static int
dup_opt(char **dst, const char *src)
{
	if (src == NULL)
		return 0;
	return (*dst = strdup(src)) == NULL ? DSREG_ENOMEM : 0;
}

/* "https://host:port/path" -> "host" (brackets kept for IPv6). */
static char *
url_host(const char *url)
{
	const char *p = url + strlen("https://"), *e;

	if (*p == '[')
		e = strchr(p, ']') != NULL ? strchr(p, ']') + 1 : p + strlen(p);
	else
		e = p + strcspn(p, ":/?#");
	return strndup(p, (size_t)(e - p));
}

void
osrs_client_free(struct osrs_client *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	dsreg_secret_free(c->key);
	dsreg_secret_free(c->sig);
	free(c->url);
	free(c->host);
	free(c->username);
	free(c->subreseller);
	dsreg_buf_free(&c->reply);
	free(c);
	curl_global_cleanup();
}

const char *
osrs_client_host(const struct osrs_client *c)
{
	return c->host;
}

const struct dsreg_log *
osrs_client_log(const struct osrs_client *c)
{
	return &c->log;
}

int
osrs_client_new(struct osrs_client **out, const struct osrs_client_opts *o,
    struct dsreg_err *err)
{
	struct osrs_client *c = NULL;
	int rc = 0;

	if (o->url == NULL || strncasecmp(o->url, "https://", 8) != 0 ||
	    o->url[8] == '\0')
		return dsreg_err_set(err, DSREG_EINVAL,
		    "OpenSRS url must be https://HOST:PORT/ (got '%s')",
		    o->url != NULL ? o->url : "");
	if (o->username == NULL || *o->username == '\0' ||
	    strlen(o->username) > USERNAME_MAX ||
	    strpbrk(o->username, "\r\n") != NULL)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "OpenSRS username is missing, longer than %d characters "
		    "or not one line", USERNAME_MAX);
	if (o->key == NULL || o->key_len == 0)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "OpenSRS API key is empty");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return dsreg_err_set(err, DSREG_ENOMEM,
		    "libcurl initialisation failed");
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		curl_global_cleanup();
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	}
	dsreg_buf_init(&c->reply, OSRS_ENVELOPE_MAX);
	if ((rc = dup_opt(&c->url, o->url)) != 0 ||
	    (rc = dup_opt(&c->username, o->username)) != 0 ||
	    (rc = dup_opt(&c->subreseller, o->subreseller)) != 0)
		goto out;
	if ((c->host = url_host(o->url)) == NULL ||
	    dsreg_secret_dup(o->key, o->key_len, &c->key) != 0) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	c->key_len = o->key_len;
	c->timeout = o->timeout > 0 ? o->timeout : 60;
	c->connect_timeout = o->connect_timeout > 0 ? o->connect_timeout : 15;
	if (c->connect_timeout > c->timeout)
		c->connect_timeout = c->timeout;
	c->rate = o->rate > 0 ? o->rate : 0;
	c->max_attempts = o->max_attempts > 0 ? o->max_attempts : 3;
	c->backoff_ms = o->backoff_ms > 0 ? o->backoff_ms : 1000;
	c->log = o->log;
	if ((c->curl = curl_easy_init()) == NULL) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	/* libcurl opens it by name: a FIFO there would block it. */
	if (o->ca_file != NULL && (rc = dsreg_file_check_regular(o->ca_file,
	    DSREG_FILE_TEXT_MAX, err)) != 0)
		goto out;
	if (o->ca_file != NULL &&
	    curl_easy_setopt(c->curl, CURLOPT_CAINFO, o->ca_file) != CURLE_OK) {
		rc = DSREG_ENOMEM;
		goto out;
	}
	*out = c;
	c = NULL;
out:
	if (rc == DSREG_ENOMEM)
		dsreg_err_set(err, rc, "out of memory");
	osrs_client_free(c);
	return rc;
}

/* ---- transport ----------------------------------------------------- */

static size_t
write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct osrs_client *c = userp;
	size_t n = size * nmemb;

	if (dsreg_buf_append(&c->reply, data, n) != 0) {
		c->reply_toobig = 1;
		return 0; /* abort the transfer */
	}
	return n;
}

/* Log one block of header lines with a prefix, secrets redacted. */
static void
log_headers(struct osrs_client *c, const char *prefix, const char *data,
    size_t size)
{
	const char *p = data, *end = data + size, *nl;
	size_t n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == '\n'))
			n--;
		if (n > 0) {
			if (n >= 12 && strncasecmp(p, "X-Signature:", 12) == 0)
				dsreg_log(&c->log, DSREG_LOG_TRACE,
				    "%s X-Signature: [redacted]", prefix);
			else if (n >= 14 &&
			    strncasecmp(p, "Authorization:", 14) == 0)
				dsreg_log(&c->log, DSREG_LOG_TRACE,
				    "%s Authorization: [redacted]", prefix);
			else
				dsreg_log(&c->log, DSREG_LOG_TRACE, "%s %.*s",
				    prefix, (int)n, p);
		}
		p = nl != NULL ? nl + 1 : end;
	}
}

static int
debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
	struct osrs_client *c = userp;

	(void)h;
	switch (type) {
	case CURLINFO_TEXT:
		log_headers(c, "*", data, size);
		break;
	case CURLINFO_HEADER_OUT:
		log_headers(c, ">", data, size);
		break;
	case CURLINFO_HEADER_IN:
		log_headers(c, "<", data, size);
		break;
	default:
		break; /* bodies are logged whole by osrs_call */
	}
	return 0;
}

static void
sleep_ms(unsigned long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static unsigned long
backoff_ms(const struct osrs_client *c, int attempt)
{
	unsigned long ms = c->backoff_ms;

	while (--attempt > 0 && ms < 60000)
		ms *= 2;
	return ms < 60000 ? ms : 60000;
}

void
osrs_client_backoff(const struct osrs_client *c, int attempt)
{
	sleep_ms(backoff_ms(c, attempt));
}

static void
rate_wait(struct osrs_client *c)
{
	struct timespec now;
	double gap, elapsed;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (c->rate > 0 && c->have_last) {
		gap = 1.0 / c->rate;
		elapsed = (double)(now.tv_sec - c->last.tv_sec) +
		    (double)(now.tv_nsec - c->last.tv_nsec) / 1e9;
		if (elapsed < gap) {
			sleep_ms((unsigned long)((gap - elapsed) * 1000.0) + 1);
			clock_gettime(CLOCK_MONOTONIC, &now);
		}
	}
	c->last = now;
	c->have_last = 1;
}

static int
curl_failure(struct osrs_client *c, CURLcode cc, struct dsreg_err *err)
{
	const char *detail = c->errbuf[0] != '\0' ? c->errbuf :
	    curl_easy_strerror(cc);

	if ((cc == CURLE_UNSUPPORTED_PROTOCOL ||
	    cc == CURLE_WEIRD_SERVER_REPLY) && strstr(detail, "HTTP/0.9"))
		return dsreg_err_set(err, DSREG_EPROTO,
		    "%s: reply without an HTTP status line: is this host's IP "
		    "on the reseller's API allow-list?", c->host);
	switch (cc) {
	case CURLE_OPERATION_TIMEDOUT:
		return dsreg_err_set(err, DSREG_ETIMEOUT,
		    "%s: no complete reply within %d s (the request may have "
		    "been applied)", c->host, c->timeout);
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		return dsreg_err_set(err, DSREG_ENET,
		    "%s: cannot connect: %s", c->host, detail);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
		return dsreg_err_set(err, DSREG_ETLS, "%s: TLS: %s", c->host,
		    detail);
	case CURLE_WRITE_ERROR:
		if (c->reply_toobig)
			return dsreg_err_set(err, DSREG_ETOOBIG,
			    "%s: reply exceeds the %u byte cap: refused",
			    c->host, OSRS_ENVELOPE_MAX);
		break;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return dsreg_err_set(err, DSREG_ENET,
		    "%s: connection closed before a complete reply (%s); the "
		    "request may have been applied", c->host, detail);
	default:
		break;
	}
	return dsreg_err_set(err, DSREG_ENET, "%s: %s", c->host, detail);
}

static int
add_header(struct curl_slist **list, const char *line)
{
	struct curl_slist *h = curl_slist_append(*list, line);

	if (h == NULL)
		return DSREG_ENOMEM;
	*list = h;
	return 0;
}

/*
 * POST body; on success c->reply holds the reply body of an HTTP 200.
 *
 * A change (fresh = 1) always goes over a new connection: when a reused
 * connection dies before any reply byte, libcurl silently sends the
 * request again on a new one, and a server that had applied it (and then
 * dropped the connection) would apply it twice.  libcurl only does that
 * on reused connections, so a fresh one makes every change go out once.
 */
static int
post(struct osrs_client *c, const char *body, size_t len, int fresh,
    struct dsreg_err *err)
{
	struct curl_slist *hdrs = NULL, *h;
	char sig[33], line[USERNAME_MAX + 16];
	long status = 0;
	CURLcode cc;
	int rc = 0;

	if ((rc = osrs_signature(body, len, c->key, c->key_len, sig)) != 0) {
		dsreg_err_set(err, rc, "cannot compute the MD5 signature");
		goto out;
	}
	/*
	 * Registered until the next request: a server echoing it in the
	 * reply (parsed and traced after this) gets it scrubbed.
	 */
	dsreg_secret_free(c->sig);
	c->sig = NULL;
	if (dsreg_secret_dup(sig, strlen(sig), &c->sig) != 0) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(line, sizeof(line), "X-Signature: %s", sig);
	rc = add_header(&hdrs, line);
	dsreg_secret_wipe(line, sizeof(line));
	snprintf(line, sizeof(line), "X-Username: %s", c->username);
	if (rc != 0 || add_header(&hdrs, "Content-Type: text/xml") != 0 ||
	    add_header(&hdrs, "Expect:") != 0 ||
	    add_header(&hdrs, line) != 0) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	dsreg_buf_reset(&c->reply);
	c->reply_toobig = 0;
	c->errbuf[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, c->url);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c->curl, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->curl, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, (long)c->connect_timeout);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, (long)c->timeout);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "dsreg");
	if (dsreg_log_enabled(&c->log, DSREG_LOG_TRACE)) {
		curl_easy_setopt(c->curl, CURLOPT_DEBUGFUNCTION, debug_cb);
		curl_easy_setopt(c->curl, CURLOPT_DEBUGDATA, c);
		curl_easy_setopt(c->curl, CURLOPT_VERBOSE, 1L);
	}
	rate_wait(c);
	cc = curl_easy_perform(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	/* The header list (with the signature) is no longer needed. */
	for (h = hdrs; h != NULL; h = h->next)
		dsreg_secret_wipe(h->data, strlen(h->data));
	if (cc != CURLE_OK) {
		rc = curl_failure(c, cc, err);
		goto out;
	}
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		rc = dsreg_err_set(err, DSREG_EPROTO,
		    "%s: HTTP status %ld from the API (expected 200)", c->host,
		    status);
		goto out;
	}
out:
	dsreg_secret_wipe(sig, sizeof(sig));
	curl_slist_free_all(hdrs);
	return rc;
}

/* ---- one call ------------------------------------------------------ */

static int
parse_code(const char *s)
{
	char *end;
	long v;

	if (s == NULL)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < 0 || v > 9999 || errno != 0)
		return 0;
	return (int)v;
}

/*
 * A copy of server text fit for a terminal and a log line: C0 and C1
 * control characters (newlines, U+009B CSI, ...; XML 1.0 already keeps
 * out ESC) become '?'.
 */
char *
osrs_text_printable(const char *s)
{
	struct dsreg_buf b;
	unsigned char *t = NULL, *p;

	/* Server text: registered secrets (the API key) never get through. */
	dsreg_buf_init(&b, SIZE_MAX / 2);
	if (dsreg_secret_scrub(s, strlen(s), &b) == 0)
		t = (unsigned char *)dsreg_buf_steal(&b, NULL);
	dsreg_buf_free(&b);

	for (p = t; p != NULL && *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			*p = '?';
			*++p = '?';
		}
	}
	return (char *)t;
}

/* Turn a parsed reply into res; 0 or DSREG_EREMOTE or DSREG_EPROTO. */
static int
read_result(struct osrs_client *c, const char *action, const char *object,
    struct osrs_value *reply, struct osrs_result *res, struct dsreg_err *err)
{
	const char *succ, *code, *text;
	const struct osrs_value *attrs;
	int ok;

	if (reply->type != OSRS_ASSOC) {
		osrs_value_free(reply);
		return dsreg_err_set(err, DSREG_EPROTO,
		    "%s: %s %s: reply data_block is not a dt_assoc", c->host,
		    action, object);
	}
	succ = osrs_value_str(reply, "is_success");
	code = osrs_value_str(reply, "response_code");
	text = osrs_value_str(reply, "response_text");
	if (succ == NULL || (code == NULL && strcmp(succ, "1") != 0)) {
		osrs_value_free(reply);
		return dsreg_err_set(err, DSREG_EPROTO,
		    "%s: %s %s: reply lacks is_success/response_code", c->host,
		    action, object);
	}
	osrs_result_free(res);
	res->response_code = parse_code(code);
	if (text != NULL && (res->response_text = osrs_text_printable(text)) == NULL) {
		osrs_value_free(reply);
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	}
	text = res->response_text;
	attrs = osrs_value_get(reply, "attributes");
	res->attributes = attrs != NULL && attrs->type != OSRS_SCALAR ?
	    attrs : NULL;
	res->reply = reply;
	/* Both must say yes: is_success=1 and a 2xx code. */
	ok = strcmp(succ, "1") == 0 &&
	    (code == NULL || (res->response_code >= 200 &&
	    res->response_code < 300));
	res->is_success = ok;
	res->retry = ok ? DSREG_RETRY_NONE :
	    osrs_retry_class(res->response_code);
	if (ok)
		return 0;
	return dsreg_err_set(err, DSREG_EREMOTE, "%s: %s %s: %d %s%s",
	    c->host, action, object, res->response_code,
	    text != NULL ? text : "(no response_text)",
	    strcmp(succ, "1") == 0 ? " (is_success=1 contradicts the code)" :
	    "");
}

static int
build_request(struct osrs_client *c, const char *action, const char *object,
    const char *domain, struct osrs_value **attributes, struct dsreg_buf *body,
    struct dsreg_err *err)
{
	struct osrs_value *req = NULL, *attrs = *attributes;
	int rc;

	*attributes = NULL;
	if (attrs == NULL && (rc = osrs_value_new(&attrs, OSRS_ASSOC)) != 0)
		goto out;
	if (c->subreseller != NULL &&
	    (rc = osrs_assoc_set(attrs, "as_subreseller", c->subreseller)) != 0)
		goto out;
	if ((rc = osrs_value_new(&req, OSRS_ASSOC)) != 0 ||
	    (rc = osrs_assoc_set(req, "protocol", "XCP")) != 0 ||
	    (rc = osrs_assoc_set(req, "action", action)) != 0 ||
	    (rc = osrs_assoc_set(req, "object", object)) != 0)
		goto out;
	if (domain != NULL && (rc = osrs_assoc_set(req, "domain", domain)) != 0)
		goto out;
	if ((rc = osrs_value_add(req, "attributes", attrs)) != 0)
		goto out;
	attrs = NULL;
	rc = osrs_envelope_build(req, body, err);
out:
	if (rc == DSREG_ENOMEM)
		dsreg_err_set(err, rc, "out of memory");
	osrs_value_free(attrs);
	osrs_value_free(req);
	return rc;
}

int
osrs_call(struct osrs_client *c, const char *action, const char *object,
    const char *domain, struct osrs_value *attributes,
    struct osrs_result *res, struct dsreg_err *err)
{
	struct dsreg_buf body;
	struct osrs_value *reply = NULL;
	int rc, attempt, read_only;

	osrs_result_free(res);
	/* GET, GET_DOMAINS_BY_EXPIREDATE, ...: queries, safe to resend. */
	read_only = strncmp(action, "GET", 3) == 0;
	dsreg_buf_init(&body, REQUEST_MAX);
	if ((rc = build_request(c, action, object, domain, &attributes, &body,
	    err)) != 0)
		goto out;
	for (attempt = 1;; attempt++) {
		dsreg_log(&c->log, DSREG_LOG_DEBUG, "%s: %s %s%s%s (attempt %d)",
		    c->host, action, object, domain != NULL ? " " : "",
		    domain != NULL ? domain : "", attempt);
		dsreg_log(&c->log, DSREG_LOG_TRACE, "request to %s:\n%s",
		    c->host, body.data);
		if ((rc = post(c, body.data, body.len, !read_only, err)) != 0)
			goto out;
		dsreg_log(&c->log, DSREG_LOG_TRACE, "reply from %s:\n%s",
		    c->host, c->reply.data != NULL ? c->reply.data : "");
		if ((rc = osrs_envelope_parse(c->reply.data, c->reply.len,
		    &reply, err)) != 0) {
			dsreg_err_prefix(err, "%s: %s %s", c->host, action,
			    object);
			goto out;
		}
		rc = read_result(c, action, object, reply, res, err);
		reply = NULL;
		res->attempts = attempt;
		if (rc != DSREG_EREMOTE || res->retry != DSREG_RETRY_LATER ||
		    attempt >= c->max_attempts)
			break;
		dsreg_log(&c->log, DSREG_LOG_WARN,
		    "%s: %s %s: %d %s: retrying in %lu ms (attempt %d of %d)",
		    c->host, action, object, res->response_code,
		    res->response_text != NULL ? res->response_text : "",
		    backoff_ms(c, attempt), attempt + 1, c->max_attempts);
		osrs_client_backoff(c, attempt);
	}
out:
	osrs_value_free(attributes);
	dsreg_buf_free(&body);
	return rc;
}
