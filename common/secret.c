/* common/secret.c - credentials files: mode check, bounded read, wiping */
#include "common/secret.h"
#include "common/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECRET_MAX 65536

void
dsreg_secret_wipe(void *p, size_t len)
{
	volatile unsigned char *v = p;

	while (len-- > 0)
		*v++ = 0;
}

void
dsreg_secret_free(char *secret)
{
	if (secret == NULL)
		return;
	dsreg_secret_wipe(secret, strlen(secret));
	free(secret);
}

static int
check_stat(const char *path, const struct stat *st, struct dsreg_err *err)
{
	if (!S_ISREG(st->st_mode))
		return dsreg_err_set(err, DSREG_EPERM,
		    "%s: credentials file is not a regular file", path);
	if ((st->st_mode & 077) != 0)
		return dsreg_err_set(err, DSREG_EPERM,
		    "%s: credentials file is readable by group or others "
		    "(mode %04o); refusing to use it: chmod 600 %s", path,
		    (unsigned)(st->st_mode & 07777), path);
	return 0;
}

int
dsreg_secret_check_mode(const char *path, struct dsreg_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return dsreg_err_set(err, errno == ENOENT ? DSREG_ENOTFOUND :
		    DSREG_EIO, "%s: %s", path, strerror(errno));
	return check_stat(path, &st, err);
}

int
dsreg_secret_read(const char *path, char **out, size_t *len,
    struct dsreg_err *err)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	ssize_t r;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return dsreg_err_set(err, errno == ENOENT ? DSREG_ENOTFOUND :
		    DSREG_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = dsreg_err_set(err, DSREG_EIO, "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	if ((rc = check_stat(path, &st, err)) != 0)
		goto out;
	if ((buf = malloc(SECRET_MAX + 1)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "%s: out of memory",
		    path);
		goto out;
	}
	for (;;) {
		r = read(fd, buf + n, SECRET_MAX + 1 - n);
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
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if (n == 0) {
		rc = dsreg_err_set(err, DSREG_EPARSE,
		    "%s: credentials file is empty", path);
		goto out;
	}
	*out = buf;
	buf = NULL;
	if (len != NULL)
		*len = n;
out:
	if (buf != NULL) {
		dsreg_secret_wipe(buf, SECRET_MAX + 1);
		free(buf);
	}
	close(fd);
	return rc;
}
