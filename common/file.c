/* common/file.c - opening the files dsreg reads: regular files only, sizes capped */
#include "common/file.h"
#include "common/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *
type_name(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device" :
	    S_ISBLK(m) ? "a block device" : S_ISDIR(m) ? "a directory" :
	    S_ISSOCK(m) ? "a socket" : "not a regular file";
}

int
dsreg_file_open_regular(const char *path, int extra_flags, size_t max,
    int *fd, size_t *size, struct dsreg_err *err)
{
	struct stat st;
	int f, rc = 0;

	/* O_NONBLOCK: opening a FIFO without a writer must not wait. */
	f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
	    extra_flags);
	if (f < 0)
		return dsreg_err_set(err, errno == ENOENT ? DSREG_ENOTFOUND :
		    DSREG_EIO, "%s: %s", path, strerror(errno));
	if (fstat(f, &st) != 0) {
		rc = dsreg_err_set(err, DSREG_EIO, "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = dsreg_err_set(err, DSREG_EPERM, "%s: is %s; dsreg reads "
		    "only regular files", path, type_name(st.st_mode));
		goto out;
	}
	if (max > 0 && (unsigned long long)st.st_size > max) {
		rc = dsreg_err_set(err, DSREG_ETOOBIG, "%s: %lld bytes, larger "
		    "than the limit of %zu bytes", path,
		    (long long)st.st_size, max);
		goto out;
	}
	/* A regular file: plain blocking reads from here on. */
	if (fcntl(f, F_SETFL, fcntl(f, F_GETFL) & ~O_NONBLOCK) != 0) {
		rc = dsreg_err_set(err, DSREG_EIO, "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	*fd = f;
	f = -1;
	if (size != NULL)
		*size = (size_t)st.st_size;
out:
	if (f >= 0)
		close(f);
	return rc;
}

int
dsreg_file_read_capped(int fd, const char *path, size_t max, char **out,
    size_t *len, struct dsreg_err *err)
{
	char *buf = NULL, *p;
	size_t n = 0, cap = 0;
	ssize_t r;
	int rc = 0;

	for (;;) {
		if (cap - n < 2) {   /* room to see one byte past max, and NUL */
			size_t ncap = cap == 0 ? 4096 : cap * 2;

			if (ncap > max + 2)
				ncap = max + 2;
			if (ncap <= cap) {
				rc = dsreg_err_set(err, DSREG_ETOOBIG, "%s: "
				    "larger than the limit of %zu bytes", path,
				    max);
				goto out;
			}
			if ((p = realloc(buf, ncap)) == NULL) {
				rc = dsreg_err_set(err, DSREG_ENOMEM,
				    "%s: out of memory", path);
				goto out;
			}
			buf = p;
			cap = ncap;
		}
		r = read(fd, buf + n, cap - n - 1);
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
		if (n > max) {
			rc = dsreg_err_set(err, DSREG_ETOOBIG, "%s: larger "
			    "than the limit of %zu bytes", path, max);
			goto out;
		}
	}
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "%s: out of memory",
		    path);
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	*len = n;
out:
	free(buf);
	return rc;
}

int
dsreg_file_check_regular(const char *path, size_t max, struct dsreg_err *err)
{
	int fd, rc;

	if ((rc = dsreg_file_open_regular(path, 0, max, &fd, NULL, err)) == 0)
		close(fd);
	return rc;
}

int
dsreg_file_fopen(const char *path, size_t max, FILE **out,
    struct dsreg_err *err)
{
	FILE *fp;
	int fd, rc;

	if ((rc = dsreg_file_open_regular(path, 0, max, &fd, NULL, err)) != 0)
		return rc;
	if ((fp = fdopen(fd, "r")) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "%s: %s", path,
		    strerror(errno));
		close(fd);
		return rc;
	}
	*out = fp;
	return 0;
}
