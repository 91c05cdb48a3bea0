/* common/secret.c - credentials: reading, memory kept out of core dumps, wiping, scrubbing */
#include "common/secret.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECRET_MAX 65536
#define SECRET_MAGIC 0x5ec7e75ec7e7ULL

/*
 * One secret: a header at the start of its own pages, then the secret
 * and its XML-escaped form (what a server echoing it in XML shows), both
 * NUL-terminated.
 */
struct secret {
	uint64_t magic;
	struct secret *next, *prev;  /* the registry */
	size_t map_len;
	size_t len, xlen;            /* xlen 0: escaping changes nothing */
	char *xml;
	char data[];
};

/*
 * The registry of live secrets.  A process-wide list by design: every
 * text a server sends passes through dsreg_secret_scrub, whoever read the
 * secret.
 */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct secret *registry;

void
dsreg_secret_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		OPENSSL_cleanse(p, len);
}

void
dsreg_secret_protect_process(void)
{
	struct rlimit rl;

	/* No core file, and (also for a core_pattern pipe) not dumpable. */
	if (getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur != 0) {
		rl.rlim_cur = 0;
		(void)setrlimit(RLIMIT_CORE, &rl);
	}
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Pages for n bytes of secrets, kept out of dumps and swap; NULL on ENOMEM. */
static struct secret *
secret_map(size_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = sizeof(struct secret) + n;
	struct secret *s;
	void *p;

	if (page <= 0)
		page = 4096;
	len = (len + (size_t)page - 1) / (size_t)page * (size_t)page;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	(void)madvise(p, len, MADV_DONTDUMP);
	(void)mlock(p, len);          /* best effort: RLIMIT_MEMLOCK */
	s = p;
	s->magic = SECRET_MAGIC;
	s->map_len = len;
	return s;
}

static void
secret_unmap(struct secret *s)
{
	size_t len = s->map_len;

	OPENSSL_cleanse(s, len);
	(void)munlock(s, len);
	(void)munmap(s, len);
}

static size_t
xml_escaped_len(const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += s[i] == '&' ? 5 : s[i] == '<' || s[i] == '>' ? 4 :
		    s[i] == '"' || s[i] == '\'' ? 6 : 1;
	return n;
}

static void
xml_escape(const char *s, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		const char *e = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" :
		    s[i] == '>' ? "&gt;" : s[i] == '"' ? "&quot;" :
		    s[i] == '\'' ? "&apos;" : NULL;

		if (e == NULL)
			*out++ = s[i];
		else {
			memcpy(out, e, strlen(e));
			out += strlen(e);
		}
	}
	*out = '\0';
}

int
dsreg_secret_dup(const char *src, size_t len, char **out)
{
	size_t xlen = xml_escaped_len(src, len);
	struct secret *s;

	dsreg_secret_protect_process();
	if ((s = secret_map(len + 1 + xlen + 1)) == NULL)
		return DSREG_ENOMEM;
	memcpy(s->data, src, len);
	s->data[len] = '\0';
	s->len = len;
	if (xlen != len) {
		s->xml = s->data + len + 1;
		xml_escape(src, len, s->xml);
		s->xlen = xlen;
	}
	pthread_mutex_lock(&registry_lock);
	s->next = registry;
	if (registry != NULL)
		registry->prev = s;
	registry = s;
	pthread_mutex_unlock(&registry_lock);
	*out = s->data;
	return 0;
}

void
dsreg_secret_free(char *secret)
{
	struct secret *s;

	if (secret == NULL)
		return;
	s = (struct secret *)(void *)(secret - offsetof(struct secret, data));
	if (s->magic != SECRET_MAGIC)
		abort();          /* not ours: a programming error */
	pthread_mutex_lock(&registry_lock);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		registry = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	pthread_mutex_unlock(&registry_lock);
	secret_unmap(s);
}

static int
check_mode(const char *path, mode_t mode, struct dsreg_err *err)
{
	if ((mode & 077) != 0)
		return dsreg_err_set(err, DSREG_EPERM,
		    "%s: credentials file is readable by group or others "
		    "(mode %04o); refusing to use it: chmod 600 %s", path,
		    (unsigned)(mode & 07777), path);
	return 0;
}

int
dsreg_secret_check_mode(const char *path, struct dsreg_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return dsreg_err_set(err, errno == ENOENT ? DSREG_ENOTFOUND :
		    DSREG_EIO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return dsreg_err_set(err, DSREG_EPERM,
		    "%s: credentials file is not a regular file", path);
	return check_mode(path, st.st_mode, err);
}

int
dsreg_secret_read(const char *path, char **out, size_t *len,
    struct dsreg_err *err)
{
	struct secret *tmp = NULL;
	struct stat st;
	size_t n = 0;
	ssize_t r;
	int fd = -1, rc = 0;

	dsreg_secret_protect_process();
	if ((rc = dsreg_file_open_regular(path, O_NOFOLLOW, SECRET_MAX, &fd,
	    NULL, err)) != 0) {
		if (rc == DSREG_EPERM || rc == DSREG_ETOOBIG)
			dsreg_err_prefix(err, "credentials file");
		return rc;
	}
	if (fstat(fd, &st) != 0) {
		rc = dsreg_err_set(err, DSREG_EIO, "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	if ((rc = check_mode(path, st.st_mode, err)) != 0)
		goto out;
	/* Read straight into protected pages: no copy on the heap. */
	if ((tmp = secret_map(SECRET_MAX + 1)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "%s: out of memory",
		    path);
		goto out;
	}
	for (;;) {
		r = read(fd, tmp->data + n, SECRET_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = dsreg_err_set(err, DSREG_EIO, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > SECRET_MAX) {
			rc = dsreg_err_set(err, DSREG_ETOOBIG,
			    "%s: credentials file larger than %d bytes", path,
			    SECRET_MAX);
			goto out;
		}
	}
	while (n > 0 && (tmp->data[n - 1] == '\n' || tmp->data[n - 1] == '\r'))
		n--;
	if (n == 0) {
		rc = dsreg_err_set(err, DSREG_EPARSE,
		    "%s: credentials file is empty", path);
		goto out;
	}
	if ((rc = dsreg_secret_dup(tmp->data, n, out)) != 0) {
		rc = dsreg_err_set(err, rc, "%s: out of memory", path);
		goto out;
	}
	if (len != NULL)
		*len = n;
out:
	if (tmp != NULL)
		secret_unmap(tmp);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* ---- scrubbing ---------------------------------------------------- */

/*
 * First occurrence in p[0..n) of a registered secret (as is or
 * XML-escaped); its length in *mlen.  The caller holds the lock.
 */
static const char *
first_match(const char *p, size_t n, size_t *mlen)
{
	const struct secret *s;
	const char *best = NULL, *q;

	if (p == NULL || n == 0)
		return NULL;            /* nothing to find in (memmem wants p) */
	for (s = registry; s != NULL; s = s->next) {
		if (s->len > 0 && (q = memmem(p, n, s->data, s->len)) != NULL &&
		    (best == NULL || q < best || (q == best && s->len > *mlen))) {
			best = q;
			*mlen = s->len;
		}
		if (s->xml != NULL && (q = memmem(p, n, s->xml, s->xlen)) !=
		    NULL && (best == NULL || q < best || (q == best &&
		    s->xlen > *mlen))) {
			best = q;
			*mlen = s->xlen;
		}
	}
	return best;
}

int
dsreg_secret_found(const char *text, size_t len)
{
	size_t mlen = 0;
	int found;

	pthread_mutex_lock(&registry_lock);
	found = registry != NULL && first_match(text, len, &mlen) != NULL;
	pthread_mutex_unlock(&registry_lock);
	return found;
}

int
dsreg_secret_scrub(const char *text, size_t len, struct dsreg_buf *out)
{
	const char *p = text, *end = text + len, *m;
	size_t mlen = 0;
	int rc = 0;

	pthread_mutex_lock(&registry_lock);
	while (p < end) {
		m = registry != NULL ? first_match(p, (size_t)(end - p), &mlen) :
		    NULL;
		if (m == NULL) {
			rc = dsreg_buf_append(out, p, (size_t)(end - p));
			break;
		}
		if ((rc = dsreg_buf_append(out, p, (size_t)(m - p))) != 0 ||
		    (rc = dsreg_buf_appends(out, DSREG_SECRET_MARK)) != 0)
			break;
		p = m + mlen;
	}
	pthread_mutex_unlock(&registry_lock);
	return rc;
}

void
dsreg_secret_scrub_str(char *s, size_t size)
{
	static const char mark[] = DSREG_SECRET_MARK;
	const size_t mk = sizeof(mark) - 1;
	size_t len, mlen = 0, pos = 0, keep;
	char *m;

	if (s == NULL || size == 0)
		return;
	pthread_mutex_lock(&registry_lock);
	len = strnlen(s, size - 1);
	s[len] = '\0';
	while (registry != NULL && pos < len &&
	    (m = (char *)first_match(s + pos, len - pos, &mlen)) != NULL) {
		size_t at = (size_t)(m - s), tail = len - at - mlen;

		/* s = s[0..at) + mark + s[at+mlen..len), cut at size - 1 */
		keep = at + mk > size - 1 ? 0 : size - 1 - at - mk;
		if (keep > tail)
			keep = tail;
		memmove(s + at + (at + mk > size - 1 ? size - 1 - at : mk),
		    m + mlen, keep);
		memcpy(s + at, mark, at + mk > size - 1 ? size - 1 - at : mk);
		len = at + (at + mk > size - 1 ? size - 1 - at : mk) + keep;
		s[len] = '\0';
		pos = at + mk;
		mlen = 0;
	}
	pthread_mutex_unlock(&registry_lock);
}
