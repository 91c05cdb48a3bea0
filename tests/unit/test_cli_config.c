/* tests/unit/test_cli_config.c - cli/config.c: the INTERFACE.md config file */
#include "tests/unit/check_main.h"
#include "cli/config.h"
#include "common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

/* The file holds len bytes of text (which may contain NUL bytes). */
static void
write_conf_n(const char *text, size_t len)
{
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/dsreg-conf-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	fclose(fp);
}

static void
write_conf(const char *text)
{
	write_conf_n(text, strlen(text));
}

static const char full[] =
    "[dsreg]\n"
    "resolver = 127.0.0.1 ::1@5353          ; optional\n"
    "keys = /var/lib/bind/keys\n"
    "our_ns = ns1.example.net ns2.example.net\n"
    "digests = sha256 sha384\n"
    "state = /var/lib/dsreg/state.db\n"
    "\n"
    "[account tucows]\n"
    "type = opensrs\n"
    "url = https://rr-n1-tor.opensrs.net:55443/\n"
    "username = myreseller\n"
    "key_file = /etc/dsreg/tucows.key\n"
    "ca_file = /path/ca.pem\n"
    "domains = discover\n"
    "relock = yes\n"
    "\n"
    "[account registry-x]\n"
    "type = epp\n"
    "host = epp.registry.example\n"
    "port = 700\n"
    "server_name = epp.registry.example\n"
    "ca_file = /path/ca.pem\n"
    "cert_file = /etc/dsreg/client.pem\n"
    "key_file = /etc/dsreg/client.key\n"
    "username = CLID\n"
    "password_file = /etc/dsreg/registry-x.pw\n"
    "secdns = auto\n"
    "interface = ds\n"
    "domains = *.example other.test\n";

START_TEST(interface_example_parses)
{
	struct dsreg_config *cfg = NULL;
	const struct account *a;
	struct dsreg_err err;

	write_conf(full);
	ck_assert_msg(config_load(&cfg, path, &err) == 0, "%s",
	    dsreg_err_text(&err));
	ck_assert_uint_eq(cfg->nresolvers, 2);
	ck_assert_str_eq(cfg->resolvers[1], "::1@5353");
	ck_assert_str_eq(cfg->keys, "/var/lib/bind/keys");
	ck_assert_uint_eq(cfg->nour_ns, 2);
	ck_assert_uint_eq(cfg->ndigests, 2);
	ck_assert_uint_eq(cfg->naccounts, 2);
	a = config_account(cfg, "tucows");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->type, ACCOUNT_OPENSRS);
	ck_assert_int_eq(a->relock, 1);
	ck_assert_str_eq(a->domains[0], "discover");
	a = config_account(cfg, "registry-x");
	ck_assert_int_eq(a->type, ACCOUNT_EPP);
	ck_assert_int_eq(a->port, 700);
	ck_assert_uint_eq(a->ndomains, 2);
	ck_assert_str_eq(a->domains[1], "other.test");
	ck_assert_ptr_null(config_account(cfg, "nope"));
	config_free(cfg);
	unlink(path);
}
END_TEST

/* The example shipped in the package (/usr/share/doc/dsreg/examples) loads
 * as it is, with the paths dsreg.service expects. */
START_TEST(shipped_example_parses)
{
	struct dsreg_config *cfg = NULL;
	const struct account *a;
	struct dsreg_err err;

	dsreg_err_clear(&err);
	ck_assert_msg(config_load(&cfg, "docs/examples/dsreg.conf", &err) == 0,
	    "%s", dsreg_err_text(&err));
	ck_assert_str_eq(cfg->state, "/var/lib/dsreg/state.db");
	ck_assert_str_eq(cfg->keys, "/var/lib/bind/keys");
	ck_assert_uint_eq(cfg->nresolvers, 0);
	ck_assert_uint_eq(cfg->nour_ns, 2);
	ck_assert_uint_eq(cfg->ndigests, 1);
	ck_assert_str_eq(cfg->digests[0], "sha256");
	ck_assert_uint_eq(cfg->naccounts, 2);
	a = config_account(cfg, "tucows");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->type, ACCOUNT_OPENSRS);
	ck_assert_str_eq(a->key_file, "/etc/dsreg/tucows.key");
	ck_assert_ptr_null(a->ca_file);
	ck_assert_int_eq(a->relock, 1);
	a = config_account(cfg, "registry-x");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->type, ACCOUNT_EPP);
	ck_assert_int_eq(a->port, 700);
	ck_assert_str_eq(a->password_file, "/etc/dsreg/registry-x.pw");
	ck_assert_str_eq(a->secdns, "auto");
	ck_assert_str_eq(a->interface, "ds");
	ck_assert_str_eq(a->domains[0], "*.example");
	config_free(cfg);
}
END_TEST

static void
expect_bad_n(const char *text, size_t len, const char *frag)
{
	struct dsreg_config *cfg = NULL;
	struct dsreg_err err;

	write_conf_n(text, len);
	dsreg_err_clear(&err);
	ck_assert_int_eq(config_load(&cfg, path, &err), DSREG_EPARSE);
	ck_assert_ptr_null(cfg);
	ck_assert_msg(strstr(err.msg, frag) != NULL, "'%s' not in '%s'", frag,
	    err.msg);
	ck_assert_msg(strstr(err.msg, path) != NULL, "no file name in '%s'",
	    err.msg);
	unlink(path);
}

static void
expect_bad(const char *text, const char *frag)
{
	expect_bad_n(text, strlen(text), frag);
}

START_TEST(bad_configs_name_file_and_line)
{
	expect_bad("[dsreg]\nkeys = /k\nbogus = 1\n", ":3: [dsreg]: unknown key 'bogus'");
	expect_bad("[dsreg]\n[weird]\nx = 1\n", ":3: unknown section [weird]");
	expect_bad("[account a]\ntype = ftp\n", ":2: type: expected opensrs, epp, "
	    "dnsupdate or command, got 'ftp'");
	expect_bad("[account a]\ntype = epp\nport = 99999\n", ":3: port: expected 1-65535");
	expect_bad("[account a]\ntype = epp\nhost = h\n", "missing required key 'username'");
	expect_bad("[account a]\ntype = opensrs\nurl = https://x/\nusername = u\n",
	    "missing required key 'key_file'");
	expect_bad("[account a]\ntype = epp\n[account a]\ntype = epp\n",
	    ":3: account 'a' defined twice (first at line 1)");
	expect_bad("[dsreg]\nthis is not ini\n", ":2: not an INI line");
	expect_bad("[account x]\ntype = epp\nsecdns = 2.0\n", "secdns: expected auto");
	{
		char longline[8300];
		memset(longline, 'a', sizeof(longline));
		memcpy(longline, "[dsreg]\nour_ns = ", 17);
		longline[sizeof(longline) - 2] = '\n';
		longline[sizeof(longline) - 1] = '\0';
		expect_bad(longline, ":2: line longer than 8192 characters");
	}
}
END_TEST

static const char channels[] =
    "[dsreg]\n"
    "keys = /k\n"
    "\n"
    "[account corp]\n"
    "type = dnsupdate                  ; RFC 2136 UPDATE\n"
    "zone = Corp.Example               ; the parent zone\n"
    "server = 192.0.2.53@5300\n"
    "tsig_key_file = /etc/dsreg/corp.tsig\n"
    "domains = *.corp.example\n"
    "\n"
    "[account other-reseller]\n"
    "type = command\n"
    "command = /usr/local/libexec/push-ds --account other   ; no shell\n"
    "timeout = 60\n"
    "domains = *.am *.ly\n";

START_TEST(channel_accounts_parse)
{
	struct dsreg_config *cfg = NULL;
	const struct account *a;
	struct dsreg_err err;

	write_conf(channels);
	ck_assert_msg(config_load(&cfg, path, &err) == 0, "%s",
	    dsreg_err_text(&err));
	a = config_account(cfg, "corp");
	ck_assert_int_eq(a->type, ACCOUNT_DNSUPDATE);
	ck_assert_str_eq(a->zone, "corp.example.");
	ck_assert_str_eq(a->server, "192.0.2.53@5300");
	ck_assert_str_eq(a->tsig_key_file, "/etc/dsreg/corp.tsig");
	ck_assert_str_eq(a->domains[0], "*.corp.example");
	a = config_account(cfg, "other-reseller");
	ck_assert_int_eq(a->type, ACCOUNT_COMMAND);
	ck_assert_str_eq(a->command, "/usr/local/libexec/push-ds --account "
	    "other");
	ck_assert_int_eq(a->timeout, 60);
	ck_assert_uint_eq(a->ndomains, 2);
	config_free(cfg);
	unlink(path);
}
END_TEST

/* A missing key names the [account] line; bad values their own line. */
START_TEST(channel_accounts_checked)
{
	expect_bad("[dsreg]\nkeys = /k\n[account corp]\ntype = dnsupdate\n"
	    "server = 192.0.2.1\ntsig_key_file = /k.tsig\n",
	    ":3: [account corp]: missing required key 'zone' (type dnsupdate)");
	expect_bad("[account corp]\ntype = dnsupdate\nzone = corp.example\n"
	    "tsig_key_file = /k.tsig\n",
	    ":1: [account corp]: missing required key 'server'");
	expect_bad("[account corp]\ntype = dnsupdate\nzone = corp.example\n"
	    "server = 192.0.2.1\n",
	    ":1: [account corp]: missing required key 'tsig_key_file'");
	expect_bad("[account h]\ntype = command\ntimeout = 5\n",
	    ":1: [account h]: missing required key 'command' (type command)");
	expect_bad("[account corp]\ntype = dnsupdate\nserver = ns1.example\n",
	    ":3: server: expected ADDR[@PORT]");
	expect_bad("[account corp]\ntype = dnsupdate\nserver = 192.0.2.1@0\n",
	    ":3: server: expected ADDR[@PORT]");
	expect_bad("[account corp]\ntype = dnsupdate\nzone = a..b\n",
	    ":3: zone: expected a zone name");
	expect_bad("[account h]\ntype = command\ncommand = push-ds --x\n",
	    ":3: command: expected the absolute path of a program");
	expect_bad("[account h]\ntype = command\ncommand = /bin/x\n"
	    "timeout = 0\n", ":4: timeout: expected 1-3600 seconds");
}
END_TEST

/* Sections and single-valued keys given twice: an error naming both lines. */
START_TEST(repeats_are_errors)
{
	expect_bad("[dsreg]\nkeys = /k\n\n[account a]\ntype = epp\n"
	    "[dsreg]\nstate = /s\n", ":6: [dsreg] defined twice (first at "
	    "line 1)");
	expect_bad("[dsreg]\nkeys = /k\n[dsreg]\n", ":3: [dsreg] defined "
	    "twice (first at line 1)");
	expect_bad("[account a]\ntype = epp\nhost = h\n[account b]\n"
	    "type = epp\n[account a]\nhost = i\n", ":6: account 'a' defined "
	    "twice (first at line 1)");
	expect_bad("[dsreg]\nkeys = /a\nstate = /s\nkeys = /b\n",
	    ":4: [dsreg]: 'keys' given twice (first at line 2)");
	expect_bad("[dsreg]\nstate = /s\n; comment\nstate = /t\n",
	    ":4: [dsreg]: 'state' given twice (first at line 2)");
	expect_bad("[account a]\ntype = epp\nhost = h\nusername = u\n"
	    "host = i\n", ":5: [account a]: 'host' given twice (first at "
	    "line 3)");
	expect_bad("[account a]\ntype = epp\nport = 700\nport = 701\n",
	    ":4: [account a]: 'port' given twice (first at line 3)");
	expect_bad("[account a]\ntype = epp\ntype = opensrs\n",
	    ":3: [account a]: 'type' given twice (first at line 2)");
	/* a continuation line would silently replace a single value */
	expect_bad("[dsreg]\nkeys = /a\n   /b\n", ":3: [dsreg]: 'keys' "
	    "takes one value (line 2); only lists continue on indented lines");
}
END_TEST

/* Lists may be given again and continued; the same key in two sections too. */
START_TEST(lists_may_repeat)
{
	struct dsreg_config *cfg = NULL;
	struct dsreg_err err;

	write_conf("[dsreg]\nresolver = 127.0.0.1\nresolver = ::1\n"
	    "our_ns = a.example\nour_ns = b.example\ndigests = sha256\n"
	    "digests = sha384\ncds_tlds = ch\ncds_tlds = se\n"
	    "[account a]\ntype = epp\nhost = h\nusername = u\n"
	    "password_file = /p\n"
	    "[account b]\ntype = epp\nhost = h\nusername = u\n"
	    "password_file = /p\n");
	ck_assert_msg(config_load(&cfg, path, &err) == 0, "%s",
	    dsreg_err_text(&err));
	ck_assert_uint_eq(cfg->nresolvers, 2);
	ck_assert_uint_eq(cfg->nour_ns, 2);
	ck_assert_uint_eq(cfg->ndigests, 2);
	ck_assert_uint_eq(cfg->ncds_tlds, 2);
	ck_assert_uint_eq(cfg->naccounts, 2);
	config_free(cfg);
	unlink(path);
}
END_TEST

START_TEST(nul_byte_named)
{
	static const char text[] = "[dsreg]\nkeys = /k\nstate = /s\0x\n";

	expect_bad_n(text, sizeof(text) - 1, ":3: NUL byte");
}
END_TEST

/* A path as long as PATH_MAX allows, on one line; errors after it keep their line. */
START_TEST(long_paths)
{
	struct dsreg_config *cfg = NULL;
	struct dsreg_err err;
	char *text, *p;
	size_t plen = 4000;

	text = malloc(plen + 200);
	ck_assert_ptr_nonnull(text);
	p = text + sprintf(text, "[dsreg]\nstate = /");
	memset(p, 'd', plen - 1);
	p += plen - 1;
	strcpy(p, "   ; a comment\nkeys = /k\n");
	write_conf(text);
	ck_assert_msg(config_load(&cfg, path, &err) == 0, "%s",
	    dsreg_err_text(&err));
	ck_assert_uint_eq(strlen(cfg->state), plen);
	ck_assert_str_eq(cfg->keys, "/k");
	config_free(cfg);
	unlink(path);
	strcpy(p, "\nbogus = 1\n");
	expect_bad(text, ":3: [dsreg]: unknown key 'bogus'");
	free(text);
}
END_TEST

START_TEST(lists_continue_over_lines)
{
	struct dsreg_config *cfg = NULL;
	struct dsreg_err err;

	write_conf("[account e]\ntype = epp\nhost = h\nusername = u\n"
	    "password_file = /p\ndomains = a.example b.example\n"
	    "    c.example\n\td.example e.example\n"
	    "domains = f.example\n");
	ck_assert_msg(config_load(&cfg, path, &err) == 0, "%s",
	    dsreg_err_text(&err));
	ck_assert_uint_eq(cfg->accounts[0].ndomains, 6);
	ck_assert_str_eq(cfg->accounts[0].domains[2], "c.example");
	ck_assert_str_eq(cfg->accounts[0].domains[5], "f.example");
	ck_assert_ptr_null(cfg->accounts[0].domains[6]);
	config_free(cfg);
	unlink(path);
}
END_TEST

START_TEST(split_lists)
{
	char **v;
	size_t n;

	ck_assert_int_eq(config_split(" a, b\tc,,d ", &v, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(v[0], "a");
	ck_assert_str_eq(v[3], "d");
	ck_assert_ptr_null(v[4]);
	config_strv_free(v, n);
	ck_assert_int_eq(config_split("   ", &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	config_strv_free(v, n);
}
END_TEST

/* [tld ZONE] sections override or add policy rows; cds_tlds is a
 * shorthand for reads = cds; config_cds_tld answers from the table. */
START_TEST(tld_sections_and_cds_tlds)
{
	struct dsreg_config *cfg = NULL;
	const struct engine_policy_row *r;
	struct dsreg_err err;
	char want[128];

	write_conf("[dsreg]\ncds_tlds = .example\n"
	    "[tld ch]\nrefuses = sha1\n"
	    "[tld lab]                 ; the lab's parent\nreads = cdnskey\n"
	    "bootstrap = rfc9615\nscan_delay_hours = 2\nmax_ds = 3\n"
	    "refuses = sha1,gost\ninterface = keyData\n"
	    "[tld dk]\nreads = cds\nsource = https://example.net/dk\n");
	ck_assert_msg(config_load(&cfg, path, &err) == 0, "%s",
	    dsreg_err_text(&err));
	/* an override keeps the built-in columns it does not name */
	r = engine_policy_find(&cfg->policy, "ch");
	ck_assert_int_eq(r->reads, ENGINE_READS_CDS);
	ck_assert_int_eq(r->bootstrap, ENGINE_BOOT_RFC9615);
	ck_assert_uint_eq(r->refuses, 1u << 1);
	snprintf(want, sizeof(want), "%s:3 over https://www.nic.ch/", path);
	ck_assert_msg(strncmp(r->source, want, strlen(want)) == 0, "%s",
	    r->source);
	r = engine_policy_find(&cfg->policy, "lab");
	ck_assert_int_eq(r->reads, ENGINE_READS_CDNSKEY);
	ck_assert_int_eq(r->bootstrap, ENGINE_BOOT_RFC9615);
	ck_assert_uint_eq(r->scan_delay_hours, 2);
	ck_assert_uint_eq(r->max_ds, 3);
	ck_assert_uint_eq(r->refuses, 1u << 1 | 1u << 3);
	ck_assert_int_eq(r->iface, ENGINE_IFACE_KEYDATA);
	snprintf(want, sizeof(want), "%s:5", path);
	ck_assert_str_eq(r->source, want);
	ck_assert_str_eq(engine_policy_find(&cfg->policy, "dk")->source,
	    "https://example.net/dk");
	/* cds_tlds: a row that reads CDS */
	r = engine_policy_find(&cfg->policy, "example");
	ck_assert_int_eq(r->reads, ENGINE_READS_CDS);
	snprintf(want, sizeof(want), "%s:2 (cds_tlds)", path);
	ck_assert_str_eq(r->source, want);
	ck_assert_int_eq(config_cds_tld(cfg, "shop.example."), 1);
	ck_assert_int_eq(config_cds_tld(cfg, "shop.lab"), 1);
	ck_assert_int_eq(config_cds_tld(cfg, "shop.dk"), 1);
	/* the built-in rows stay */
	ck_assert_int_eq(config_cds_tld(cfg, "shop.se."), 1);
	ck_assert_int_eq(config_cds_tld(cfg, "shop.com."), 0);
	config_free(cfg);
	unlink(path);
	/* no config file: the built-in table */
	ck_assert_int_eq(config_empty(&cfg), 0);
	ck_assert_int_eq(config_cds_tld(cfg, "a.cz"), 1);
	ck_assert_int_eq(config_cds_tld(cfg, "a.at"), 0);
	config_free(cfg);
	ck_assert_int_eq(config_cds_tld(NULL, "a.li."), 1);
}
END_TEST

START_TEST(tld_errors_name_file_and_line)
{
	expect_bad("[dsreg]\n[tld lab]\nreads = cdx\n",
	    ":3: [tld lab]: reads: expected cds, cdnskey, both, none or "
	    "unknown, got 'cdx'");
	expect_bad("[tld lab]\nbootstrap = soon\n", ":2: [tld lab]: "
	    "bootstrap: expected rfc9615, delay, none or unknown");
	expect_bad("[tld lab]\nmax_ds = many\n", ":2: [tld lab]: max_ds:");
	expect_bad("[tld lab]\nrefuses = md5\n", ":2: [tld lab]: refuses: "
	    "unknown digest type 'md5'");
	expect_bad("[tld lab]\ninterface = rest\n", ":2: [tld lab]: "
	    "interface: expected dsData, keyData or unknown");
	expect_bad("[tld lab]\nscan_delay_hours = 1\ncolour = red\n",
	    ":3: [tld lab]: unknown key 'colour'");
	expect_bad("[tld lab]\nreads = cds\nreads = none\n",
	    ":3: [tld lab]: 'reads' given twice (first at line 2)");
	expect_bad("[tld lab]\nreads = cds\n[tld LAB]\nmax_ds = 2\n",
	    ":3: [tld LAB] defined twice (first at line 1)");
	expect_bad("[tld a..b]\nreads = cds\n", ":1: [tld a..b]: 'a..b' is "
	    "not a zone name");
	expect_bad("[tld]\nreads = cds\n", ":1: [tld] needs a zone");
	expect_bad("[dsreg]\ncds_tlds = ch *x\n", ":2: cds_tlds: '*x' is not "
	    "a zone name");
}
END_TEST

/* config_load_all: every problem, one per line, in the order found. */
struct problems {
	char text[2048];    /* "LINE: MSG\n" each */
};

static void
on_problem(void *ctx, unsigned line, const char *msg)
{
	struct problems *p = ctx;
	size_t n = strlen(p->text);

	snprintf(p->text + n, sizeof(p->text) - n, "%u: %s\n", line, msg);
}

static const struct {
	const char *conf;
	const char *problems;
} all_cases[] = {
	{ "[dsreg]\nkeys = /k\n", "" },
	/* unknown key, bad type and a repeated account: all three, each at its line */
	{ "[dsreg]\nbogus = 1\nkeys = /k\n"
	  "[account a]\ntype = ftp\nusername = u\n"
	  "[account b]\ntype = opensrs\nurl = https://x/\nusername = u\n"
	  "key_file = /k\nfoo = 2\n"
	  "[account a]\ntype = epp\n",
	  "2: [dsreg]: unknown key 'bogus'\n"
	  "5: type: expected opensrs, epp, dnsupdate or command, got 'ftp'\n"
	  "12: [account b]: unknown key 'foo'\n"
	  "13: account 'a' defined twice (first at line 4)\n" },
	/* the keys of an unknown section are not problems of their own */
	{ "[weird]\nx = 1\ny = 2\n[dsreg]\nkeys = /k\nkeys = /j\n",
	  "1: unknown section [weird]\n"
	  "6: [dsreg]: 'keys' given twice (first at line 5)\n" },
	/* missing required keys: each, at the header of the account */
	{ "[dsreg]\n\n[account e]\ntype = epp\nport = 0\n[account n]\nusername = u\n",
	  "5: port: expected 1-65535, got '0'\n"
	  "3: [account e]: missing required key 'host'\n"
	  "3: [account e]: missing required key 'username'\n"
	  "3: [account e]: missing required key 'password_file'\n"
	  "6: [account n]: missing required key 'type'\n" },
	/* a line inih cannot parse, after other problems */
	{ "[dsreg]\nbad = 1\nthis is not ini\n",
	  "2: [dsreg]: unknown key 'bad'\n"
	  "3: not an INI line (expected [section] or key = value)\n" },
	/* a NUL byte ends the parse */
	{ "[dsreg]\nbad = 1\nx\0y\nworse = 2\n",
	  "2: [dsreg]: unknown key 'bad'\n"
	  "3: NUL byte at column 2: a config file is text\n" },
};

START_TEST(load_all_finds_every_problem)
{
	struct dsreg_config *cfg = NULL;
	struct problems p;
	struct dsreg_err err;
	const char *conf = all_cases[_i].conf;
	size_t len = strlen(conf);
	unsigned n = 0;
	const char *q;
	int rc;

	if (strstr(all_cases[_i].problems, "NUL byte") != NULL)
		len += 1 + strlen(conf + len + 1);
	write_conf_n(conf, len);
	memset(&p, 0, sizeof(p));
	rc = config_load_all(&cfg, path, on_problem, &p, &err);
	for (q = all_cases[_i].problems; (q = strchr(q, '\n')) != NULL; q++)
		n++;
	ck_assert_msg(rc == (int)n, "case %d: %d problems, expected %u:\n%s",
	    _i, rc, n, p.text);
	ck_assert_str_eq(p.text, all_cases[_i].problems);
	ck_assert_ptr_nonnull(cfg);
	config_free(cfg);
	unlink(path);
}
END_TEST

START_TEST(load_all_unreadable)
{
	struct dsreg_config *cfg = NULL;
	struct problems p;
	struct dsreg_err err;

	memset(&p, 0, sizeof(p));
	dsreg_err_clear(&err);
	ck_assert_int_eq(config_load_all(&cfg, "/nonexistent/dsreg.conf",
	    on_problem, &p, &err), DSREG_ENOTFOUND);
	ck_assert_ptr_null(cfg);
	ck_assert_str_eq(p.text, "");
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/dsreg.conf"));
}
END_TEST

/* Where each file-naming key was set, for check-config's messages. */
START_TEST(key_lines_recorded)
{
	struct dsreg_config *cfg = NULL;
	const struct account_lines *l;
	struct dsreg_err err;

	write_conf(full);
	ck_assert_int_eq(config_load(&cfg, path, &err), 0);
	ck_assert_uint_eq(cfg->keys_line, 3);
	ck_assert_uint_eq(cfg->state_line, 6);
	ck_assert_str_eq(cfg->accounts[0].name, "tucows");
	l = &cfg->lines[0];
	ck_assert_uint_eq(l->header, 8);
	ck_assert_uint_eq(l->type, 9);
	ck_assert_uint_eq(l->key_file, 12);
	ck_assert_uint_eq(l->ca_file, 13);
	ck_assert_uint_eq(l->cert_file, 0);
	ck_assert_str_eq(cfg->accounts[1].name, "registry-x");
	l = &cfg->lines[1];
	ck_assert_uint_eq(l->header, 17);
	ck_assert_uint_eq(l->ca_file, 22);
	ck_assert_uint_eq(l->cert_file, 23);
	ck_assert_uint_eq(l->key_file, 24);
	ck_assert_uint_eq(l->password_file, 26);
	config_free(cfg);
	unlink(path);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("cli_config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, interface_example_parses);
	tcase_add_test(tc, shipped_example_parses);
	tcase_add_test(tc, bad_configs_name_file_and_line);
	tcase_add_test(tc, channel_accounts_parse);
	tcase_add_test(tc, channel_accounts_checked);
	tcase_add_test(tc, split_lists);
	tcase_add_test(tc, lists_continue_over_lines);
	tcase_add_test(tc, repeats_are_errors);
	tcase_add_test(tc, lists_may_repeat);
	tcase_add_test(tc, nul_byte_named);
	tcase_add_test(tc, long_paths);
	tcase_add_test(tc, tld_sections_and_cds_tlds);
	tcase_add_test(tc, tld_errors_name_file_and_line);
	tcase_add_loop_test(tc, load_all_finds_every_problem, 0,
	    (int)(sizeof(all_cases) / sizeof(all_cases[0])));
	tcase_add_test(tc, load_all_unreadable);
	tcase_add_test(tc, key_lines_recorded);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(config_suite)
