/* tests/lab/signmany.c - sign many small zones in one process (lab scale/demo profiles)
 *
 * Reads lines "ORIGIN FLAGS PRIVATE-FILE IN-ZONEFILE OUT-ZONEFILE" on stdin and
 * writes each zone signed (NSEC, one key) with ldns.  A key is read once and
 * reused while consecutive lines name a .private file with the same content,
 * so 10,000 zones sharing one key pair sign in seconds instead of starting
 * 10,000 signer processes.  The zone file must already hold the DNSKEY.
 * Test helper only: exits 1 on the first error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < 65536 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = calloc(1, (size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int
sign_one(ldns_key *key, const char *origin, int flags, const char *in, const char *out)
{
	ldns_rdf *owner = NULL;
	ldns_zone *zone = NULL, *signed_zone = NULL;
	ldns_key_list *keys = NULL;
	ldns_rr *dnskey = NULL;
	FILE *fi = NULL, *fo = NULL;
	int rc = -1;

	owner = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_DNAME, origin);
	if (owner == NULL)
		goto out;
	ldns_key_set_pubkey_owner(key, ldns_rdf_clone(owner));
	ldns_key_set_flags(key, (uint16_t)flags);
	dnskey = ldns_key2rr(key);
	if (dnskey == NULL)
		goto out;
	ldns_key_set_keytag(key, ldns_calc_keytag(dnskey));
	if ((fi = fopen(in, "r")) == NULL)
		goto out;
	if (ldns_zone_new_frm_fp(&zone, fi, owner, 300, LDNS_RR_CLASS_IN) != LDNS_STATUS_OK)
		goto out;
	keys = ldns_key_list_new();
	ldns_key_list_push_key(keys, key);
	signed_zone = ldns_zone_sign(zone, keys);
	if (signed_zone == NULL)
		goto out;
	if ((fo = fopen(out, "w")) == NULL)
		goto out;
	ldns_zone_print(fo, signed_zone);
	if (fclose(fo) != 0) {
		fo = NULL;
		goto out;
	}
	fo = NULL;
	rc = 0;
out:
	if (fi != NULL)
		fclose(fi);
	if (fo != NULL)
		fclose(fo);
	if (keys != NULL) {
		ldns_key_list_set_key_count(keys, 0); /* the key is not ours to free */
		ldns_key_list_free(keys);
	}
	if (signed_zone != NULL)
		ldns_zone_deep_free(signed_zone);
	if (zone != NULL)
		ldns_zone_deep_free(zone);
	ldns_rr_free(dnskey);
	ldns_rdf_deep_free(owner);
	return rc;
}

int
main(void)
{
	char line[4096], origin[1024], priv[1024], in[1024], out[1024];
	char *cur_text = NULL, *text;
	ldns_key *key = NULL;
	int flags, n = 0;
	FILE *f;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (sscanf(line, "%1023s %d %1023s %1023s %1023s", origin, &flags, priv, in, out) != 5) {
			fprintf(stderr, "signmany: bad input line: %s", line);
			return 1;
		}
		if ((text = slurp(priv)) == NULL) {
			fprintf(stderr, "signmany: cannot read %s\n", priv);
			return 1;
		}
		if (cur_text == NULL || strcmp(cur_text, text) != 0) {
			if (key != NULL)
				ldns_key_deep_free(key);
			key = NULL;
			if ((f = fopen(priv, "r")) == NULL ||
			    ldns_key_new_frm_fp(&key, f) != LDNS_STATUS_OK) {
				fprintf(stderr, "signmany: cannot load key %s\n", priv);
				return 1;
			}
			fclose(f);
			free(cur_text);
			cur_text = text;
		} else {
			free(text);
		}
		if (sign_one(key, origin, flags, in, out) != 0) {
			fprintf(stderr, "signmany: cannot sign %s (%s)\n", origin, in);
			return 1;
		}
		n++;
	}
	if (key != NULL)
		ldns_key_deep_free(key);
	free(cur_text);
	fprintf(stderr, "signmany: signed %d zones\n", n);
	return 0;
}
