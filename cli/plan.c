/* cli/plan.c - dsreg plan and dsreg instructions */
#include "cli/fix.h"
#include "common/error.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
summary_status(const struct fix *f)
{
	const struct engine *e = &f->e;

	if (e->failed)
		return EXIT_RUNTIME;
	if (f->audit.sel.nbad > 0 || e->nconflict > 0)
		return EXIT_USAGE;
	return e->naction > 0 || e->nitems > 0 ? EXIT_ACTION : EXIT_OK;
}

static void
summary(const struct fix *f, const char *what)
{
	const struct engine *e = &f->e;

	if (f->c->verbosity < 0)
		return;
	fprintf(stderr, "%s: %zu change%s at accounts, %zu manual, %zu "
	    "refused, %zu waiting, %zu left to the registry's CDS scan, %zu "
	    "claimed by several accounts\n", what, e->nchange,
	    e->nchange == 1 ? "" : "s", e->nmanual, e->nrefuse, e->nwait,
	    e->nscan, e->nconflict);
}

int
cmd_plan(struct cli *c, int argc, char **argv)
{
	struct fix_opts o;
	struct fix f;
	int st;

	if ((st = fix_parse(c, ENGINE_PLAN, argc, argv, &o)) != 0)
		return cli_exit_status(st);
	if ((st = fix_open(&f, c, ENGINE_PLAN, &o)) == 0)
		st = fix_plan(&f, 1);
	st = cli_exit_status(st);
	/* openmetrics: verdicts and plan kinds per account, once planned */
	if (st == EXIT_OK && c->format == FMT_OPENMETRICS &&
	    metrics_write(stdout, output_metrics(f.out)) != 0) {
		cli_err(c, "plan: writing the metrics failed");
		st = EXIT_RUNTIME;
	} else if (st == EXIT_OK) {
		if (c->format != FMT_OPENMETRICS)
			summary(&f, "plan");
		st = summary_status(&f);
	}
	fix_close(&f);
	return st;
}

/* ---- instructions ---------------------------------------------------- */

static void
ds_block(FILE *fp, const char *domain, const struct ds_rec *ds)
{
	char hex[2 * DS_DIGEST_MAX + 1];
	const char *alg = ds_alg_name(ds->algorithm);
	const char *dig = ds_digest_name(ds->digest_type);

	ds_rec_digest_hex(ds, hex);
	fprintf(fp, "  %s IN DS %u %u %u %s\n", domain, ds->key_tag,
	    ds->algorithm, ds->digest_type, hex);
	fprintf(fp, "      Key tag:     %u\n", ds->key_tag);
	fprintf(fp, "      Algorithm:   %u (%s)\n", ds->algorithm,
	    alg ? alg : "unknown");
	fprintf(fp, "      Digest type: %u (%s)\n", ds->digest_type,
	    dig ? dig : "unknown");
	fprintf(fp, "      Digest:      %s\n", hex);
}

static const struct ds_key *
key_of(const struct engine_item *it, const struct ds_rec *ds)
{
	return ds_keyset_match(&it->keys, ds);
}

/* What the parent's registry does by itself, for a person. */
static void
text_policy(FILE *fp, const struct engine_item *it)
{
	const struct engine_policy_row *r = it->policy;
	const char *zone = it->parent ? it->parent : "the parent";

	if (r == NULL)
		return;
	if (engine_policy_scans(r)) {
		fprintf(fp, "The registry of %s reads %s records from the zone "
		    "and installs the DS by itself (RFC 7344, RFC 8078): "
		    "publish them (dsreg signals) and it follows after its "
		    "checks, without the registrar", zone,
		    r->reads == ENGINE_READS_CDNSKEY ? "CDNSKEY (not CDS)" :
		    r->reads == ENGINE_READS_BOTH ? "CDS and CDNSKEY" : "CDS");
		if (r->scan_delay_hours > 0)
			fprintf(fp, ", within about %u hour%s",
			    r->scan_delay_hours, r->scan_delay_hours == 1 ?
			    "" : "s");
		fprintf(fp, ".\n");
		if (r->bootstrap == ENGINE_BOOT_RFC9615)
			fprintf(fp, "An unsigned delegation is secured at once "
			    "from authenticated RFC 9615 signals (dsreg signals "
			    "--ns), else after its waiting period.\n");
		else if (r->bootstrap == ENGINE_BOOT_DELAY)
			fprintf(fp, "An unsigned delegation is secured only "
			    "after its waiting period.\n");
	} else if (r->reads == ENGINE_READS_NONE)
		fprintf(fp, "The registry of %s does not read CDS/CDNSKEY: the "
		    "registrar must install the DS.\n", zone);
	fprintf(fp, "(policy of %s: %s)\n", r->zone, r->source ? r->source :
	    "no source");
}

static void
text_item(struct fix *f, const struct engine_item *it)
{
	const struct dns_plan *p = &it->plan;
	FILE *fp = stdout;
	char note[256];
	size_t i;
	char *r;

	fprintf(fp, "== %s (%s; parent %s)\n", it->domain,
	    dns_verdict_name(it->verdict), it->parent ? it->parent : "?");
	if (it->route == ENGINE_ROUTE_SCAN)
		fprintf(fp, "Nothing needs to be sent: %s.\n",
		    engine_policy_scan_note(it->policy, it->parent ?
		    it->parent : "the parent", note, sizeof(note)));
	if (p->kind == DNS_PLAN_CHANGE) {
		if (it->route == ENGINE_ROUTE_SCAN)
			fprintf(fp, "The DS set it will then publish, should "
			    "the registrar be asked after all:\n");
		else if (p->final.n == 0)
			fprintf(fp, "Ask the registrar of %s to remove ALL DS "
			    "records (turn DNSSEC off at the registry); the zone "
			    "asks for it.\n", it->domain);
		else
			fprintf(fp, "Ask the registrar of %s to publish exactly "
			    "these DS records at the registry, and no others:\n",
			    it->domain);
		if (p->final.n > 0) {
			for (i = 0; i < p->final.n; i++)
				ds_block(fp, it->domain, p->final.v[i]);
			fprintf(fp, "If the registrar asks for the public key "
			    "(DNSKEY) instead:\n");
			for (i = 0; i < p->final.n; i++) {
				const struct ds_key *k = key_of(it,
				    p->final.v[i]);
				if (k == NULL || (r = ds_key_rdata_text(k)) ==
				    NULL) {
					fprintf(fp, "  (key %u: not known here; "
					    "give the DS above)\n",
					    p->final.v[i]->key_tag);
					continue;
				}
				fprintf(fp, "  %s IN DNSKEY %s\n", it->domain, r);
				fprintf(fp, "      Flags: %u  Protocol: %u  "
				    "Algorithm: %u\n", k->flags, k->protocol,
				    k->algorithm);
				free(r);
			}
		}
		if (p->rem.n > 0) {
			fprintf(fp, "These DS records must go:\n");
			for (i = 0; i < p->rem.n; i++) {
				r = ds_rec_rdata_text(p->rem.v[i]);
				fprintf(fp, "  %s IN DS %s\n", it->domain,
				    r ? r : "?");
				free(r);
			}
		}
	} else if (it->route != ENGINE_ROUTE_SCAN)
		fprintf(fp, "Nothing to forward to the registrar yet:\n");
	fprintf(fp, "Why:\n");
	for (i = 0; i < p->nnotes; i++)
		fprintf(fp, "  - %s\n", p->notes[i]);
	text_policy(fp, it);
	fputc('\n', fp);
}

static json_t *
json_item(struct fix *f, const struct engine_item *it)
{
	const struct dns_plan *p = &it->plan;
	json_t *o = json_object(), *keys = json_array(), *notes = json_array();
	size_t i;
	char *r;

	json_object_set_new(o, "domain", json_string(it->domain));
	json_object_set_new(o, "parent", it->parent ?
	    json_string(it->parent) : json_null());
	json_object_set_new(o, "verdict",
	    json_string(dns_verdict_name(it->verdict)));
	json_object_set_new(o, "plan", json_string(dns_plan_kind_name(p->kind)));
	json_object_set_new(o, "publish", output_ds_json(&p->final, 1));
	json_object_set_new(o, "remove", output_ds_json(&p->rem, 1));
	for (i = 0; i < p->final.n; i++) {
		const struct ds_key *k = key_of(it, p->final.v[i]);
		if (k != NULL && (r = ds_key_rdata_text(k)) != NULL) {
			json_array_append_new(keys, json_string(r));
			free(r);
		}
	}
	json_object_set_new(o, "dnskey", keys);
	for (i = 0; i < p->nnotes; i++)
		json_array_append_new(notes, json_string(p->notes[i]));
	json_object_set_new(o, "actions", notes);
	json_object_set_new(o, "registry_reads_cds",
	    json_boolean(engine_policy_scans(it->policy)));
	json_object_set_new(o, "route", json_string(engine_item_route(it)));
	json_object_set_new(o, "policy", it->policy != NULL ?
	    engine_policy_json(it->policy) : json_null());
	return o;
}

int
cmd_instructions(struct cli *c, int argc, char **argv)
{
	struct engine_item *it;
	struct fix_opts o;
	struct fix f;
	json_t *all = NULL, *j;
	size_t n = 0;
	char *s;
	int st;

	if ((st = fix_parse(c, ENGINE_INSTRUCTIONS, argc, argv, &o)) != 0)
		return cli_exit_status(st);
	if ((st = fix_open(&f, c, ENGINE_INSTRUCTIONS, &o)) != 0 ||
	    (st = fix_plan(&f, 0)) != 0) {
		st = cli_exit_status(st);
		goto out;
	}
	if (c->format == FMT_JSON)
		all = json_array();
	for (it = f.e.items; it != NULL; it = it->next) {
		if (it->acct != NULL || it->nclaims > 1 ||
		    it->plan.kind == DNS_PLAN_NOTHING)
			continue;
		n++;
		if (c->format == FMT_TEXT || c->format == FMT_CSV) {
			text_item(&f, it);
			continue;
		}
		j = json_item(&f, it);
		if (all != NULL)
			json_array_append_new(all, j);
		else {
			if ((s = json_dumps(j, JSON_COMPACT)) != NULL)
				printf("%s\n", s);
			free(s);
			json_decref(j);
		}
	}
	if (all != NULL) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(all);
	}
	if (c->format == FMT_TEXT && c->verbosity >= 0)
		fprintf(stderr, "instructions: %zu domain%s without an account "
		    "need the registrar or the customer\n", n, n == 1 ? "" :
		    "s");
	st = f.e.failed ? EXIT_RUNTIME : n > 0 ? EXIT_ACTION : EXIT_OK;
out:
	fix_close(&f);
	return st;
}
