/* cli/ds.c - dsreg ds: DS/CDS records from keys, as BIND's dnssec-dsfromkey prints them */
#include "cli/cli.h"
#include "common/buf.h"
#include "common/error.h"
#include "ds/ds.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ds_opts {
	int digests[256];     /* digest types requested, by number */
	int ndigests;
	int cds;
	long ttl;             /* --ttl; -1: not given */
	int zsk;
	const char *kdir;
	const char *zonefile;
	int allow_include;    /* zone files may $INCLUDE others */
	int bad_input;        /* some input was skipped with an error */
};

static const char usage_text[] =
    "usage: dsreg ds [-a sha1|sha256|sha384]... [-1] [-2] [--cds] "
    "[--ttl N] [--zsk] [--allow-include]\n"
    "                [-K DIR [ZONE|KEYFILE...] | -f ZONEFILE [ZONE] | "
    "FILE... | -]\n";

static void
usage(void)
{
	fputs(usage_text, stderr);
}

/* Print the DS records of one key; 0 or an error already reported. */
static int
emit(struct cli *c, struct ds_opts *o, const struct ds_key *key)
{
	struct dsreg_err err;
	struct ds_rec *ds;
	char *text;
	int t;

	for (t = 0; t < 256; t++) {
		if (!o->digests[t])
			continue;
		dsreg_err_clear(&err);
		if (ds_compute(&ds, key, (enum ds_digest)t, &err) != 0) {
			cli_err(c, "%s: %s", key->owner_text,
			    dsreg_err_text(&err));
			return -1;
		}
		ds->cds = o->cds;
		ds->ttl = (uint32_t)(o->ttl >= 0 ? o->ttl : 0);
		text = ds_rec_to_text(ds, o->ttl >= 0);
		ds_rec_free(ds);
		if (text == NULL) {
			cli_err(c, "out of memory");
			return -1;
		}
		puts(text);
		free(text);
	}
	return 0;
}

/* Should this key get a DS?  Explicit: the user named this very key. */
static int
selected(struct cli *c, const struct ds_opts *o, const struct ds_key *key,
    int explicit)
{
	if (ds_key_is_revoked(key)) {
		if (explicit)
			cli_err(c, "%s: key %u is revoked (RFC 5011); no DS "
			    "for it", key->source ? key->source :
			    key->owner_text, key->key_tag);
		return 0;
	}
	if (o->zsk || ds_key_is_sep(key))
		return 1;
	if (explicit)
		cli_err(c, "%s: key %u is a zone-signing key (SEP bit clear); "
		    "skipped, use --zsk to include it", key->source ?
		    key->source : key->owner_text, key->key_tag);
	return 0;
}

/* RFC 4034 §6.3 order of RDATA, then owner; duplicates are adjacent. */
static int
cmp_key(const void *pa, const void *pb)
{
	const struct ds_key *a = *(struct ds_key *const *)pa;
	const struct ds_key *b = *(struct ds_key *const *)pb;
	size_t n = a->rdata_len < b->rdata_len ? a->rdata_len : b->rdata_len;
	int r;

	if ((r = memcmp(a->rdata, b->rdata, n)) != 0)
		return r;
	return a->rdata_len < b->rdata_len ? -1 :
	    a->rdata_len > b->rdata_len ? 1 : 0;
}

/* Keys read from records (zone file, stdin): grouped by owner in order of
 * first appearance, each group in canonical order, like an RRset. */
static int
emit_records(struct cli *c, struct ds_opts *o, struct ds_keyset *ks)
{
	struct ds_key **group = NULL;
	size_t i, j, n;
	int rc = 0;
	char *done;

	if (ks->n == 0)
		return 0;
	if ((done = calloc(ks->n, 1)) == NULL ||
	    (group = calloc(ks->n, sizeof(*group))) == NULL) {
		cli_err(c, "out of memory");
		rc = -1;
		goto out;
	}
	for (i = 0; i < ks->n; i++) {
		if (done[i])
			continue;
		n = 0;
		for (j = i; j < ks->n; j++)
			if (!done[j] && ds_name_equal(ks->v[i]->owner,
			    ks->v[i]->owner_len, ks->v[j]->owner,
			    ks->v[j]->owner_len)) {
				done[j] = 1;
				if (!ks->v[j]->cdnskey)
					group[n++] = ks->v[j];
			}
		qsort(group, n, sizeof(*group), cmp_key);
		for (j = 0; j < n; j++) {
			if (j > 0 && cmp_key(&group[j - 1], &group[j]) == 0)
				continue;
			if (selected(c, o, group[j], 0) &&
			    emit(c, o, group[j]) != 0)
				rc = -1;
		}
	}
out:
	free(done);
	free(group);
	return rc;
}

/*
 * DNSKEY records from a file or standard input.  As a zone (-f, -): loaded
 * the way dnssec-dsfromkey -f loads one.  Otherwise a key file named as an
 * argument: its keys must pass every check, as BIND's key file reader
 * requires.
 */
static int
from_records(struct cli *c, struct ds_opts *o, const char *path,
    const char *zone, int as_zone)
{
	struct ds_parse_result res;
	struct dsreg_buf buf;
	struct dsreg_err err;
	const char *name = strcmp(path, "-") ? path : "standard input";
	size_t i;
	int rc, flags;

	flags = DS_PARSE_NEED_DNSKEY | (as_zone ? DS_PARSE_ZONE : 0) |
	    (zone != NULL ? DS_PARSE_APEX_ONLY : 0) |
	    (o->allow_include ? DS_PARSE_INCLUDE : 0);
	memset(&res, 0, sizeof(res));
	dsreg_err_clear(&err);
	if (strcmp(path, "-") == 0) {
		dsreg_buf_init(&buf, 256u << 20);
		rc = dsreg_buf_read_stream(&buf, stdin, "standard input", &err);
		if (rc == 0)
			rc = ds_parse_buffer(buf.data, buf.len, name, zone,
			    flags, &res, &err);
		dsreg_buf_free(&buf);
	} else
		rc = ds_parse_file(path, zone, flags, &res, &err);
	for (i = 0; i < res.nwarnings; i++)
		cli_err(c, "warning: %s", res.warnings[i]);
	if (rc != 0) {
		cli_err(c, "%s", dsreg_err_text(&err));
		ds_parse_result_free(&res);
		return -1;
	}
	rc = emit_records(c, o, &res.keys);
	ds_parse_result_free(&res);
	return rc;
}

static int
looks_like_kfile(const char *arg)
{
	const char *base = strrchr(arg, '/');

	base = base ? base + 1 : arg;
	return base[0] == 'K' && strchr(base, '+') != NULL;
}

/* A K-file argument: "Kzone+alg+tag", ".key" or ".private". */
static char *
kfile_path(const char *dir, const char *arg)
{
	char *p, *s;
	size_t n = strlen(arg);

	if (n > 8 && strcmp(arg + n - 8, ".private") == 0)
		n -= 8;
	else if (n > 4 && strcmp(arg + n - 4, ".key") == 0)
		n -= 4;
	if (dir != NULL && arg[0] != '/') {
		if (asprintf(&s, "%s/%.*s.key", dir, (int)n, arg) < 0)
			return NULL;
	} else if (asprintf(&s, "%.*s.key", (int)n, arg) < 0)
		return NULL;
	p = s;
	return p;
}

static int
from_kfile(struct cli *c, struct ds_opts *o, const char *dir,
    const char *arg)
{
	struct dsreg_err err;
	struct ds_key *key;
	char *path;
	int rc = 0;

	if ((path = kfile_path(dir, arg)) == NULL) {
		cli_err(c, "out of memory");
		return -1;
	}
	dsreg_err_clear(&err);
	if (ds_kfile_read(path, &key, &err) != 0) {
		cli_err(c, "%s", dsreg_err_text(&err));
		free(path);
		return -1;
	}
	if (selected(c, o, key, 1))
		rc = emit(c, o, key);
	ds_key_free(key);
	free(path);
	return rc;
}

static void
report_skipped(void *ctx, const struct dsreg_err *err)
{
	struct cli *c = ctx;

	cli_err(c, "%s (skipped)", dsreg_err_text(err));
}

static int
from_dir(struct cli *c, struct ds_opts *o, int nzones, char **zones)
{
	struct ds_keyset ks = { NULL, 0, 0 };
	uint8_t wire[DS_NAME_WIRE_MAX];
	struct dsreg_err err;
	size_t i, wlen;
	int z, rc = 0, match;

	/* Key file names among the arguments are read directly. */
	for (z = 0; z < nzones; z++)
		if (looks_like_kfile(zones[z]))
			rc |= from_kfile(c, o, o->kdir, zones[z]);
	for (z = 0, match = 0; z < nzones; z++)
		match += !looks_like_kfile(zones[z]);
	if (nzones > 0 && match == 0)
		return rc;
	dsreg_err_clear(&err);
	if (ds_kdir_read(o->kdir, 1, &ks, report_skipped, c, &err) != 0) {
		if (err.code != DSREG_EPARSE || ks.n == 0)
			cli_err(c, "%s", dsreg_err_text(&err));
		o->bad_input = 1;
	}
	for (i = 0; i < ks.n; i++) {
		const struct ds_key *key = ks.v[i];
		if (match > 0) {
			int hit = 0;
			for (z = 0; z < nzones && !hit; z++) {
				if (looks_like_kfile(zones[z]))
					continue;
				hit = ds_name_from_text(zones[z], wire, &wlen,
				    NULL) == 0 && (ds_name_equal(wire, wlen,
				    key->owner, key->owner_len) ||
				    (wlen > 1 && ds_name_equal(wire, wlen - 1,
				    key->owner, key->owner_len - 1)));
			}
			if (!hit)
				continue;
		}
		if (selected(c, o, key, 0) && emit(c, o, key) != 0)
			rc = -1;
	}
	ds_keyset_free(&ks);
	return rc;
}

/* -a NAME, -1 (sha1), -2 (sha256) */
static int
opt_digest(struct cli *c, void *dst, const struct cli_opt *opt,
    const char *arg)
{
	struct ds_opts *o = dst;
	enum ds_digest d;

	if (opt->short_name == '1')
		d = DS_DIGEST_SHA1;
	else if (opt->short_name == '2')
		d = DS_DIGEST_SHA256;
	else if (ds_digest_from_name(arg, &d) != 0) {
		cli_err(c, "ds: -a: unknown digest '%s' (sha1, sha256 or "
		    "sha384)", arg);
		return DSREG_EINVAL;
	} else if (d == DS_DIGEST_GOST) {
		cli_err(c, "ds: -a: GOST digests are not supported (RFC 9904: "
		    "MUST NOT be used for delegation)");
		return DSREG_EINVAL;
	}
	o->digests[d] = 1;
	o->ndigests++;
	return 0;
}

static const struct cli_opt ds_options[] = {
	{ .name = "digest", .short_name = 'a', .kind = CLI_OPT_FN,
	    .fn = opt_digest },
	{ .short_name = '1', .kind = CLI_OPT_CALL, .fn = opt_digest },
	{ .short_name = '2', .kind = CLI_OPT_CALL, .fn = opt_digest },
	{ .name = "cds", .short_name = 'C', .kind = CLI_OPT_SET,
	    .off = offsetof(struct ds_opts, cds), .value = 1 },
	{ .name = "ttl", .short_name = 'T', .kind = CLI_OPT_NUM,
	    .off = offsetof(struct ds_opts, ttl), .max = 2147483647L,
	    .noun = "seconds (RFC 2181 §8)" },
	{ .name = "zsk", .short_name = 'A', .kind = CLI_OPT_SET,
	    .off = offsetof(struct ds_opts, zsk), .value = 1 },
	{ .name = "allow-include", .kind = CLI_OPT_SET,
	    .off = offsetof(struct ds_opts, allow_include), .value = 1 },
	{ .short_name = 'K', .kind = CLI_OPT_STR,
	    .off = offsetof(struct ds_opts, kdir) },
	{ .short_name = 'f', .kind = CLI_OPT_STR,
	    .off = offsetof(struct ds_opts, zonefile) },
};

int
cmd_ds(struct cli *c, int argc, char **argv)
{
	static const struct cli_optset set = { "ds: ", usage_text, 0, 0,
		CLI_OPTS(ds_options) };
	struct ds_opts o;
	int first, i, rc = 0;

	memset(&o, 0, sizeof(o));
	o.ttl = -1;
	if ((rc = cli_opts_parse(c, &set, argc, argv, &o, &first)) != 0)
		return cli_exit_status(rc);
	if (o.ndigests == 0)
		o.digests[DS_DIGEST_SHA256] = 1;
	argc -= first;
	argv += first;
	if (o.zonefile != NULL) {
		if (argc > 1) {
			cli_err(c, "ds: -f takes one ZONE name at most");
			usage();
			return EXIT_USAGE;
		}
		rc = from_records(c, &o, o.zonefile, argc ? argv[0] : NULL,
		    1);
	} else if (o.kdir != NULL) {
		rc = from_dir(c, &o, argc, argv);
	} else if (argc == 0) {
		cli_err(c, "ds: give -K DIR, -f ZONEFILE, key files, or - for "
		    "standard input");
		usage();
		return EXIT_USAGE;
	} else {
		for (i = 0; i < argc; i++) {
			if (strcmp(argv[i], "-") == 0)
				rc |= from_records(c, &o, "-", NULL, 1);
			else if (looks_like_kfile(argv[i]))
				rc |= from_kfile(c, &o, NULL, argv[i]);
			else
				rc |= from_records(c, &o, argv[i], NULL, 0);
		}
	}
	if (rc != 0 || o.bad_input)
		return EXIT_USAGE;
	return EXIT_OK;
}
