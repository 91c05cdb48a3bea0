/* cli/signals.c - dsreg signals: CDS/CDNSKEY (RFC 7344) and RFC 9615 bootstrapping records */
#include "cli/audit.h"
#include "common/error.h"
#include "ds/ds.h"

#include <stddef.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TTL 3600

static const char usage_text[] =
    "usage: dsreg signals [--keys DIR] [--our-ns NAME[,NAME...]] "
    "[--domains FILE]\n"
    "                     [--ns NAME[,NAME...]] [--ttl N] [DOMAIN...]\n";

/* "owner TTL IN TYPE rdata"; takes (frees) rdata. malloc'd or NULL. */
static char *
record_text(const char *owner, uint32_t ttl, const char *type, char *rdata)
{
	char *s = NULL;

	if (rdata == NULL)
		return NULL;
	if (asprintf(&s, "%s %u IN %s %s", owner, ttl, type, rdata) < 0)
		s = NULL;
	free(rdata);
	return s;
}

/* Is name at or below zone (both absolute, lower case)? */
static int
in_bailiwick(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (strcmp(zone, ".") == 0 || strcmp(name, zone) == 0)
		return 1;
	return n > z && strcmp(name + n - z, zone) == 0 && name[n - z - 1] == '.';
}

struct sig_out {
	struct cli *c;
	FILE *fp;
	int json;             /* json or jsonl output */
	json_t *all;          /* json: array of objects */
	size_t nodomain;      /* domains without expected keys */
};

/* One record line into list (json) or out (text); takes line; -1: NULL. */
static int
put_line(struct sig_out *o, json_t *list, char *line)
{
	if (line == NULL)
		return -1;
	if (list != NULL)
		json_array_append_new(list, json_string(line));
	else
		fprintf(o->fp, "%s\n", line);
	free(line);
	return 0;
}

/* Records of one owner: CDS per digest, then CDNSKEY per key. */
static int
owner_records(struct sig_out *o, const char *owner, uint32_t ttl,
    const struct ds_key *const *keys, size_t nkeys,
    const struct engine_audit *s, json_t *list)
{
	struct dsreg_err err;
	struct ds_rec *ds;
	size_t i, d;
	char *line;

	for (i = 0; i < nkeys; i++)
		for (d = 0; d < s->ndigests; d++) {
			dsreg_err_clear(&err);
			if (ds_compute(&ds, keys[i],
			    (enum ds_digest)s->digests[d], &err) != 0) {
				cli_err(o->c, "%s: %s", owner,
				    dsreg_err_text(&err));
				return -1;
			}
			line = record_text(owner, ttl, "CDS",
			    ds_rec_rdata_text(ds));
			ds_rec_free(ds);
			if (put_line(o, list, line) != 0)
				return -1;
		}
	for (i = 0; i < nkeys; i++)
		if (put_line(o, list, record_text(owner, ttl, "CDNSKEY",
		    ds_key_rdata_text(keys[i]))) != 0)
			return -1;
	return 0;
}

static int
one_domain(struct sig_out *o, const struct engine_audit *s,
    const char *domain, uint32_t ttl)
{
	const struct ds_key *const *all, **keys = NULL;
	json_t *obj = NULL, *apex = NULL, *boot = NULL, *skipped = NULL;
	uint8_t wire[DS_NAME_WIRE_MAX];
	size_t nall, n = 0, i, wlen;
	char *sig = NULL;
	int rc = 0;

	all = engine_selection_zone_keys(&s->sel, domain, &nall);
	if (nall > 0 && (keys = calloc(nall, sizeof(*keys))) == NULL)
		return -1;
	for (i = 0; i < nall; i++)
		if (ds_key_expected(all[i], s->now))
			keys[n++] = all[i];
	if (o->json) {
		obj = json_object();
		apex = json_array();
		boot = json_array();
		skipped = json_array();
		json_object_set_new(obj, "domain", json_string(domain));
		json_object_set(obj, "records", apex);
		json_object_set(obj, "dsboot", boot);
		json_object_set(obj, "skipped", skipped);
	}
	if (n == 0) {
		o->nodomain++;
		if (obj != NULL)
			json_array_append_new(skipped, json_string(
			    "no expected KSK/CSK in the key store"));
		else
			fprintf(o->fp, "; %s: no expected KSK/CSK in the key "
			    "store: no signals\n\n", domain);
		goto out;
	}
	if (obj == NULL)
		fprintf(o->fp, "; %s: CDS/CDNSKEY for the zone apex "
		    "(RFC 7344, RFC 8078)\n", domain);
	if ((rc = owner_records(o, domain, ttl, keys, n, s, apex)) != 0)
		goto out;
	for (i = 0; i < s->nour_ns; i++) {
		const char *ns = s->our_ns[i];
		if (in_bailiwick(ns, domain)) {
			if (obj != NULL)
				json_array_append_new(skipped, json_pack(
				    "s+", ns, ": in bailiwick, no RFC 9615 "
				    "signal needed"));
			else
				fprintf(o->fp, "; %s is in bailiwick of %s: "
				    "RFC 9615 signals only for out-of-bailiwick "
				    "name servers\n", ns, domain);
			continue;
		}
		free(sig);
		sig = NULL;
		/* RFC 9615 §2: _dsboot.<child>._signal.<name server> */
		if (asprintf(&sig, "_dsboot.%s_signal.%s", domain, ns) < 0) {
			rc = -1;
			goto out;
		}
		if (ds_name_from_text(sig, wire, &wlen, NULL) != 0) {
			cli_err(o->c, "%s: signaling name for %s is longer than "
			    "255 octets (RFC 9615 §4.1); not published", domain,
			    ns);
			if (obj != NULL)
				json_array_append_new(skipped, json_pack(
				    "s+", ns, ": signaling name too long"));
			continue;
		}
		if (obj == NULL)
			fprintf(o->fp, "; RFC 9615 bootstrapping signal: publish "
			    "in the signed zone that holds %s\n", ns);
		if ((rc = owner_records(o, sig, ttl, keys, n, s, boot)) != 0)
			goto out;
	}
	if (obj == NULL)
		fputc('\n', o->fp);
out:
	if (obj != NULL) {
		if (o->c->format == FMT_JSONL) {
			char *txt = json_dumps(obj, JSON_COMPACT);
			if (txt != NULL)
				fprintf(o->fp, "%s\n", txt);
			free(txt);
		} else
			json_array_append(o->all, obj);
	}
	json_decref(obj);
	json_decref(apex);
	json_decref(boot);
	json_decref(skipped);
	free(sig);
	free(keys);
	return rc;
}

struct signals_opts {
	struct audit_args sel;
	long ttl;
};

static const struct cli_opt signals_opts[] = {
	AUDIT_SELECTION_OPTS(struct signals_opts),
	{ .name = "ns", .short_name = 'N', .kind = CLI_OPT_STR,
	    .off = AUDIT_ARG_OFF(struct signals_opts, our_ns) },
	{ .name = "ttl", .short_name = 'T', .kind = CLI_OPT_NUM,
	    .off = offsetof(struct signals_opts, ttl), .max = 2147483647L,
	    .noun = "seconds" },
};

int
cmd_signals(struct cli *c, int argc, char **argv)
{
	static const struct cli_optset set = { "signals: ", usage_text, 0, 0,
		CLI_OPTS(signals_opts) };
	struct signals_opts a = { { NULL, NULL, NULL }, DEFAULT_TTL };
	struct engine_audit s;
	struct sig_out o;
	size_t i;
	int first, rc;

	memset(&s, 0, sizeof(s));
	if ((rc = cli_opts_parse(c, &set, argc, argv, &a, &first)) != 0)
		return cli_exit_status(rc);
	if ((rc = cli_audit_setup(c, &s, &a.sel, argc - first,
	    argv + first)) != 0) {
		rc = cli_exit_status(rc);
		goto out;
	}
	if (!s.sel.have_keys) {
		cli_err(c, "signals: needs the key store (--keys DIR or 'keys' "
		    "in the config)");
		rc = EXIT_USAGE;
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.c = c;
	o.fp = stdout;
	o.json = c->format == FMT_JSON || c->format == FMT_JSONL;
	if (c->format == FMT_JSON)
		o.all = json_array();
	if (c->format == FMT_TEXT && s.nour_ns == 0)
		fprintf(stdout, "; no name servers given (--ns or our_ns): "
		    "no RFC 9615 signals\n");
	for (i = 0; i < s.sel.n; i++)
		if (one_domain(&o, &s, s.sel.domains[i], (uint32_t)a.ttl) != 0) {
			rc = EXIT_RUNTIME;
			break;
		}
	if (o.all != NULL) {
		json_dumpf(o.all, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o.all);
	}
	if (rc == EXIT_OK && (o.nodomain > 0 || s.sel.nbad > 0))
		rc = s.sel.nbad > 0 ? EXIT_USAGE : EXIT_ACTION;
out:
	engine_audit_free(&s);
	return rc;
}
