/* ds/kfile.c - BIND K-files (K<zone>+<alg>+<tag>.key): key, timing metadata, directories */
#include "ds/ds.h"
#include "common/buf.h"
#include "common/error.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define KFILE_MAX_BYTES (64u * 1024)
#define KDIR_DEPTH 16

/* "20261128013740" -> time_t (UTC); 0 on a malformed stamp. */
static time_t
parse_stamp(const char *s)
{
	struct tm tm;
	int i;

	for (i = 0; i < 14; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[4] - '0') * 10 + (s[5] - '0') - 1;
	tm.tm_mday = (s[6] - '0') * 10 + (s[7] - '0');
	tm.tm_hour = (s[8] - '0') * 10 + (s[9] - '0');
	tm.tm_min = (s[10] - '0') * 10 + (s[11] - '0');
	tm.tm_sec = (s[12] - '0') * 10 + (s[13] - '0');
	return timegm(&tm);
}

/* Timing comments: "; Publish: 20261128013740 (Sat Nov 28 ...)". */
static int
parse_timing(const char *data, const char *path, struct ds_timing *t,
    struct dsreg_err *err)
{
	static const struct {
		const char *label;
		size_t off;
	} fields[] = {
		{ "Created", offsetof(struct ds_timing, created) },
		{ "Publish", offsetof(struct ds_timing, publish) },
		{ "Activate", offsetof(struct ds_timing, activate) },
		{ "Revoke", offsetof(struct ds_timing, revoke) },
		{ "Inactive", offsetof(struct ds_timing, inactive) },
		{ "Delete", offsetof(struct ds_timing, delete_) },
		{ "SyncPublish", offsetof(struct ds_timing, syncpublish) },
		{ "SyncDelete", offsetof(struct ds_timing, syncdelete) },
	};
	const char *line = data, *p;
	unsigned lineno = 1;
	size_t i, n;
	time_t when;

	memset(t, 0, sizeof(*t));
	while (*line != '\0') {
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == ';') {
			p++;
			while (*p == ' ')
				p++;
			for (i = 0; i < sizeof(fields) / sizeof(fields[0]);
			    i++) {
				n = strlen(fields[i].label);
				if (strncmp(p, fields[i].label, n) != 0 ||
				    p[n] != ':')
					continue;
				p += n + 1;
				while (*p == ' ')
					p++;
				if ((when = parse_stamp(p)) == 0 ||
				    (p[14] != '\0' && p[14] != ' ' &&
				    p[14] != '\n'))
					return dsreg_err_set(err, DSREG_EPARSE,
					    "%s:%u: %s: expected a time stamp "
					    "YYYYMMDDHHMMSS", path, lineno,
					    fields[i].label);
				*(time_t *)((char *)t + fields[i].off) = when;
				break;
			}
		}
		if ((p = strchr(line, '\n')) == NULL)
			break;
		line = p + 1;
		lineno++;
	}
	return 0;
}

/*
 * Split a K-file base name "Kexample.com.+013+02831.key" into zone text,
 * algorithm and tag.  Returns 0 if the name has that form.
 */
static int
split_kname(const char *base, char *zone, size_t zlen, unsigned *alg,
    unsigned *tag)
{
	const char *plus2, *plus1, *end;
	size_t n = strlen(base);

	if (n < 4 || strcmp(base + n - 4, ".key") != 0 || base[0] != 'K')
		return -1;
	end = base + n - 4;
	if (end - base < 1 + 1 + 4 + 6)
		return -1;
	plus2 = end - 6;
	plus1 = plus2 - 4;
	if (*plus2 != '+' || *plus1 != '+')
		return -1;
	if (sscanf(plus1 + 1, "%3u", alg) != 1 ||
	    sscanf(plus2 + 1, "%5u", tag) != 1)
		return -1;
	if ((size_t)(plus1 - base - 1) >= zlen)
		return -1;
	memcpy(zone, base + 1, (size_t)(plus1 - base - 1));
	zone[plus1 - base - 1] = '\0';
	return 0;
}

static int
check_name(const char *path, const struct ds_key *key, struct dsreg_err *err)
{
	uint8_t wire[DS_NAME_WIRE_MAX];
	const char *base = strrchr(path, '/');
	char zone[1100];
	unsigned alg, tag;
	size_t wlen;

	base = base ? base + 1 : path;
	if (split_kname(base, zone, sizeof(zone), &alg, &tag) != 0)
		return 0; /* not named like a K-file: nothing to compare */
	if (alg != key->algorithm)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "%s:%u: file name says algorithm %u but the key is "
		    "algorithm %u", path, key->line, alg, key->algorithm);
	if (tag != key->key_tag)
		return dsreg_err_set(err, DSREG_EPARSE,
		    "%s:%u: file name says key tag %u but the key's tag is %u "
		    "(RFC 4034 Appendix B)", path, key->line, tag,
		    key->key_tag);
	if (ds_name_from_text(zone, wire, &wlen, NULL) != 0 ||
	    !ds_name_equal(wire, wlen, key->owner, key->owner_len))
		return dsreg_err_set(err, DSREG_EPARSE,
		    "%s:%u: file name says zone '%s' but the key's owner is "
		    "another name", path, key->line, zone);
	return 0;
}

int
ds_kfile_read(const char *path, struct ds_key **out, struct dsreg_err *err)
{
	struct ds_parse_result res;
	struct dsreg_buf buf;
	struct ds_timing timing;
	int rc;

	memset(&res, 0, sizeof(res));
	dsreg_buf_init(&buf, KFILE_MAX_BYTES);
	if ((rc = dsreg_buf_read_file(&buf, path, err)) != 0)
		goto out;
	if ((rc = ds_parse_buffer(buf.data, buf.len, path, NULL,
	    DS_PARSE_PRIVATE, &res, err)) != 0)
		goto out;
	if (res.keys.n != 1 || res.dss.n != 0) {
		rc = dsreg_err_set(err, DSREG_EPARSE,
		    "%s: a K-file holds exactly one DNSKEY record, found %zu "
		    "DNSKEY/CDNSKEY and %zu DS/CDS", path, res.keys.n,
		    res.dss.n);
		goto out;
	}
	if (res.keys.v[0]->cdnskey) {
		rc = dsreg_err_set(err, DSREG_EPARSE,
		    "%s:%u: a K-file holds a DNSKEY record, not CDNSKEY",
		    path, res.keys.v[0]->line);
		goto out;
	}
	if ((rc = parse_timing(buf.data, path, &timing, err)) != 0)
		goto out;
	if ((rc = check_name(path, res.keys.v[0], err)) != 0)
		goto out;
	res.keys.v[0]->timing = timing;
	*out = res.keys.v[0];
	res.keys.v[0] = NULL;
	res.keys.n = 0;
out:
	ds_parse_result_free(&res);
	dsreg_buf_free(&buf);
	return rc;
}

struct pathlist {
	char **v;
	size_t n, cap;
};

static int
pathlist_add(struct pathlist *pl, char *path)
{
	char **nv;

	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 64;
		if ((nv = realloc(pl->v, pl->cap * sizeof(*nv))) == NULL)
			return DSREG_ENOMEM;
		pl->v = nv;
	}
	pl->v[pl->n++] = path;
	return 0;
}

static int
is_kfile_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] == 'K' && n > 5 && strcmp(name + n - 4, ".key") == 0;
}

static int
scan(const char *dir, int recursive, int depth, struct pathlist *pl,
    struct dsreg_err *err)
{
	struct dirent *de;
	struct stat st;
	char *path;
	DIR *d;
	int rc = 0;

	if (depth > KDIR_DEPTH)
		return dsreg_err_set(err, DSREG_EINVAL,
		    "%s: directories nested deeper than %d", dir, KDIR_DEPTH);
	if ((d = opendir(dir)) == NULL)
		return dsreg_err_set(err, errno == ENOENT ? DSREG_ENOTFOUND :
		    DSREG_EIO, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (!is_kfile_name(de->d_name) && !recursive)
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
			break;
		}
		if (is_kfile_name(de->d_name)) {
			if (pathlist_add(pl, path) != 0) {
				free(path);
				rc = dsreg_err_set(err, DSREG_ENOMEM,
				    "out of memory");
				break;
			}
			continue;
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rc = scan(path, recursive, depth + 1, pl, err);
		free(path);
		if (rc != 0)
			break;
	}
	closedir(d);
	return rc;
}

static int
cmp_path(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa, *b = *(char *const *)pb;
	const char *ba = strrchr(a, '/'), *bb = strrchr(b, '/');
	int c;

	/* File name first (zone, algorithm, tag), then the whole path. */
	if ((c = strcmp(ba ? ba + 1 : a, bb ? bb + 1 : b)) != 0)
		return c;
	return strcmp(a, b);
}

int
ds_kdir_read(const char *dir, int recursive, struct ds_keyset *out,
    ds_kdir_error_fn on_error, void *ctx, struct dsreg_err *err)
{
	struct pathlist pl = { NULL, 0, 0 };
	struct dsreg_err ferr;
	struct ds_key *key;
	size_t i;
	int rc, skipped = 0;

	if ((rc = scan(dir, recursive, 0, &pl, err)) != 0)
		goto out;
	if (pl.n > 1)
		qsort(pl.v, pl.n, sizeof(*pl.v), cmp_path);
	for (i = 0; i < pl.n; i++) {
		dsreg_err_clear(&ferr);
		if (ds_kfile_read(pl.v[i], &key, &ferr) != 0) {
			skipped++;
			if (on_error != NULL)
				on_error(ctx, &ferr);
			continue;
		}
		if (ds_keyset_add(out, key) != 0) {
			ds_key_free(key);
			rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (skipped > 0)
		rc = dsreg_err_set(err, DSREG_EPARSE,
		    "%s: %d key file(s) could not be read", dir, skipped);
out:
	for (i = 0; i < pl.n; i++)
		free(pl.v[i]);
	free(pl.v);
	return rc;
}
