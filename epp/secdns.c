/* epp/secdns.c - secDNS-1.1 (RFC 5910) and secDNS-1.0 (RFC 4310): infData and update */
#include "epp/internal.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"

#define PUBKEY_MAX EPP_PUBKEY_MAX
#define SET_MAX EPP_SECDNS_SET_MAX
#define NUM_TEXT 32          /* text kept of a number element */
/* Text kept of a pubKey element (base64 of PUBKEY_MAX, with room for line breaks). */
#define PUBKEY_TEXT_MAX (((PUBKEY_MAX + 2) / 3) * 4 + 1024)

/*
 * The text of the secDNS elements as a document gives it (first child of
 * each name, whitespace-trimmed, truncated to the array sizes), converted
 * by key_from_text and ds_from_text.
 */
struct key_text {
	char flags[NUM_TEXT], protocol[NUM_TEXT], alg[NUM_TEXT];
	char *pubkey;              /* malloc'd; NULL reads as "" */
};
struct ds_text {
	char key_tag[NUM_TEXT], alg[NUM_TEXT];
	char digest_type[NUM_TEXT];
	char digest[2 * DS_DIGEST_MAX + 2];
	int has_life;              /* secDNS-1.0 maxSigLife inside dsData */
	char life[NUM_TEXT];
	int has_key;               /* keyData inside dsData */
	struct key_text key;
};

void
epp_secdns_change_free(struct epp_secdns_change *chg)
{
	if (chg == NULL)
		return;
	ds_set_free(&chg->rem_ds);
	ds_set_free(&chg->add_ds);
	ds_keyset_free(&chg->rem_keys);
	ds_keyset_free(&chg->add_keys);
	memset(chg, 0, sizeof(*chg));
}

/* ---- parsing ------------------------------------------------------- */

static int
num_text(const char *text, const char *name, unsigned long max,
    unsigned long *out, struct dsreg_err *err)
{
	char *end;
	unsigned long v;

	if (text[0] < '0' || text[0] > '9')
		goto bad;
	v = strtoul(text, &end, 10);
	if (*end != '\0' || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return dsreg_err_set(err, DSREG_EPROTO,
	    "RFC 5910 §4: secDNS:%s '%s' is not a number up to %lu", name,
	    text, max);
}

/* Text of the first child named name (in ns) of parent, bounded by size. */
static void
child_text(const xmlNode *parent, const char *ns, const char *name,
    char *buf, size_t size)
{
	epp_xml_text(epp_xml_child(parent, ns, name), buf, size);
}

/* Decode base64 (whitespace allowed) into out (at most max octets). */
static int
b64_decode(const char *in, uint8_t *out, size_t max, size_t *len)
{
	char clean[((PUBKEY_MAX + 2) / 3) * 4 + 4];
	size_t n = 0, pad = 0;
	int got;

	for (; *in != '\0'; in++) {
		if (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n')
			continue;
		if (n >= sizeof(clean) - 1)
			return -1;
		clean[n++] = *in;
	}
	clean[n] = '\0';
	if (n == 0 || n % 4 != 0 || (n / 4) * 3 > max)
		return -1;
	if (clean[n - 1] == '=')
		pad++;
	if (clean[n - 2] == '=')
		pad++;
	got = EVP_DecodeBlock(out, (const unsigned char *)clean, (int)n);
	if (got < 0 || (size_t)got < pad)
		return -1;
	*len = (size_t)got - pad;
	return 0;
}

/* The domain's owner name, computed once per infData. */
struct owner {
	uint8_t wire[DS_NAME_WIRE_MAX];
	size_t len;
	const char *text;     /* NULL when the name is not a DNS name */
};

/*
 * Plain host names (letters, digits, hyphen, underscore; labels of 1..63)
 * are converted here; anything else goes through ldns.  Fast path for the
 * common case: this runs for every domain:info answer.
 */
static int
owner_plain(struct owner *o, const char *name, char *text, size_t size)
{
	size_t len = strlen(name), i, label = 0, lp = 0, w = 1;
	int c;

	if (len == 0 || len > 253 || len + 2 > size)
		return -1;
	for (i = 0; i < len; i++) {
		c = (unsigned char)name[i];
		if (c == '.') {
			if (label == 0)
				return -1;        /* empty label */
			o->wire[lp] = (uint8_t)label;
			lp = w++;
			label = 0;
		} else if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_') {
			if (++label > 63)
				return -1;
			o->wire[w++] = (uint8_t)c;
		} else
			return -1;
	}
	if (label > 0) {
		o->wire[lp] = (uint8_t)label;
		lp = w++;
	}
	o->wire[lp] = 0;          /* the root label */
	o->len = w;
	memcpy(text, name, len + 1);
	if (text[len - 1] != '.') {
		text[len] = '.';
		text[len + 1] = '\0';
	}
	o->text = text;
	return 0;
}

static void
owner_init(struct owner *o, const struct epp_domain_info *info, char *text,
    size_t size)
{
	struct dsreg_err e;
	char *t;

	o->len = 0;
	o->text = NULL;
	if (info->name == NULL || info->name[0] == '\0')
		return;
	if (owner_plain(o, info->name, text, size) == 0)
		return;
	o->len = 0;
	if (ds_name_from_text(info->name, o->wire, &o->len, &e) != 0) {
		o->len = 0;
		return;
	}
	if ((t = ds_name_to_text(o->wire, o->len)) == NULL) {
		o->len = 0;
		return;
	}
	snprintf(text, size, "%s", t);
	free(t);
	o->text = text;
}

static int
set_owner(const struct owner *o, uint8_t *wire, size_t *len, char **text)
{
	*len = 0;
	if (o->len == 0)
		return 0;
	if ((*text = strdup(o->text)) == NULL)
		return DSREG_ENOMEM;
	memcpy(wire, o->wire, o->len);
	*len = o->len;
	return 0;
}

/* One keyData from its text (RFC 5910 §4.2). */
static int
key_from_text(const struct key_text *t, const struct owner *o,
    struct epp_domain_info *info, struct dsreg_err *err)
{
	unsigned long flags, proto, alg;
	uint8_t *rdata = NULL;
	size_t klen;
	struct ds_key *key = NULL;
	int rc;

	if ((rc = num_text(t->flags, "flags", 65535, &flags, err)) != 0 ||
	    (rc = num_text(t->protocol, "protocol", 255, &proto, err)) != 0 ||
	    (rc = num_text(t->alg, "alg", 255, &alg, err)) != 0)
		return rc;
	if (info->keys.n >= SET_MAX)
		return dsreg_err_set(err, DSREG_ETOOBIG,
		    "more than %d keys in secDNS:infData", SET_MAX);
	if ((rdata = malloc(4 + PUBKEY_MAX)) == NULL ||
	    (key = calloc(1, sizeof(*key))) == NULL) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if (b64_decode(t->pubkey != NULL ? t->pubkey : "", rdata + 4,
	    PUBKEY_MAX, &klen) != 0 || klen == 0) {
		rc = dsreg_err_set(err, DSREG_EPROTO, "RFC 5910 §4.2: "
		    "secDNS:pubKey is not base64 of at most %d octets",
		    PUBKEY_MAX);
		goto out;
	}
	rdata[0] = (uint8_t)(flags >> 8);
	rdata[1] = (uint8_t)flags;
	rdata[2] = (uint8_t)proto;
	rdata[3] = (uint8_t)alg;
	key->rdata = rdata;
	rdata = NULL;
	key->rdata_len = 4 + klen;
	key->flags = (uint16_t)flags;
	key->protocol = (uint8_t)proto;
	key->algorithm = (uint8_t)alg;
	key->key_tag = ds_keytag(key->rdata, key->rdata_len);
	if ((rc = set_owner(o, key->owner, &key->owner_len,
	    &key->owner_text)) != 0 ||
	    (rc = ds_keyset_add(&info->keys, key)) != 0) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	key = NULL;
out:
	free(rdata);
	ds_key_free(key);
	return rc;
}

/* One dsData from its text (RFC 5910 §4.1; RFC 4310 §4 for 1.0). */
static int
ds_from_text(const struct ds_text *t, const struct owner *o,
    struct epp_domain_info *info, struct dsreg_err *err)
{
	unsigned long tag, alg, type, life;
	struct ds_rec *ds = NULL;
	size_t len;
	int rc;

	if ((rc = num_text(t->key_tag, "keyTag", 65535, &tag, err)) != 0 ||
	    (rc = num_text(t->alg, "alg", 255, &alg, err)) != 0 ||
	    (rc = num_text(t->digest_type, "digestType", 255, &type,
	    err)) != 0)
		return rc;
	if (info->ds.n >= SET_MAX)
		return dsreg_err_set(err, DSREG_ETOOBIG,
		    "more than %d DS in secDNS:infData", SET_MAX);
	len = strlen(t->digest);
	if (len == 0 || len % 2 != 0 || len > 2 * DS_DIGEST_MAX)
		return dsreg_err_set(err, DSREG_EPROTO, "RFC 5910 §4.1: "
		    "secDNS:digest is not hex of 1 to %d octets",
		    DS_DIGEST_MAX);
	if ((ds = calloc(1, sizeof(*ds))) == NULL)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	if (ds_hex_decode(t->digest, len, ds->digest, DS_DIGEST_MAX) < 0) {
		rc = dsreg_err_set(err, DSREG_EPROTO, "RFC 5910 §4.1: "
		    "secDNS:digest '%s' is not hex", t->digest);
		goto out;
	}
	/* Kept as the registry reports it: lengths are not policed here. */
	ds->digest_len = len / 2;
	ds->key_tag = (uint16_t)tag;
	ds->algorithm = (uint8_t)alg;
	ds->digest_type = (uint8_t)type;
	if ((rc = set_owner(o, ds->owner, &ds->owner_len,
	    &ds->owner_text)) != 0 || (rc = ds_set_add(&info->ds, ds)) != 0) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	ds = NULL;
	/* secDNS-1.0 keeps maxSigLife inside each dsData. */
	if (t->has_life && info->max_sig_life == 0) {
		if ((rc = num_text(t->life, "maxSigLife", 2147483647, &life,
		    err)) != 0)
			goto out;
		info->max_sig_life = (uint32_t)life;
	}
	if (t->has_key)
		rc = key_from_text(&t->key, o, info, err);
out:
	ds_rec_free(ds);
	return rc;
}

/* The text of a keyData element; t->pubkey is malloc'd. */
static int
key_text(const xmlNode *kd, const char *ns, struct key_text *t)
{
	child_text(kd, ns, "flags", t->flags, sizeof(t->flags));
	child_text(kd, ns, "protocol", t->protocol, sizeof(t->protocol));
	child_text(kd, ns, "alg", t->alg, sizeof(t->alg));
	t->pubkey = epp_xml_text_dup(epp_xml_child(kd, ns, "pubKey"),
	    PUBKEY_TEXT_MAX);
	return t->pubkey == NULL ? DSREG_ENOMEM : 0;
}

static int
parse_key(const xmlNode *kd, const char *ns, const struct owner *o,
    struct epp_domain_info *info, struct dsreg_err *err)
{
	struct key_text t;
	int rc;

	if (key_text(kd, ns, &t) != 0)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	rc = key_from_text(&t, o, info, err);
	free(t.pubkey);
	return rc;
}

static int
parse_ds(const xmlNode *dd, const char *ns, const struct owner *o,
    struct epp_domain_info *info, struct dsreg_err *err)
{
	struct ds_text t;
	const xmlNode *kd;
	int rc;

	memset(&t, 0, sizeof(t));
	child_text(dd, ns, "keyTag", t.key_tag, sizeof(t.key_tag));
	child_text(dd, ns, "alg", t.alg, sizeof(t.alg));
	child_text(dd, ns, "digestType", t.digest_type, sizeof(t.digest_type));
	child_text(dd, ns, "digest", t.digest, sizeof(t.digest));
	if (epp_xml_child(dd, ns, "maxSigLife") != NULL) {
		t.has_life = 1;
		child_text(dd, ns, "maxSigLife", t.life, sizeof(t.life));
	}
	if ((kd = epp_xml_child(dd, ns, "keyData")) != NULL) {
		t.has_key = 1;
		if (key_text(kd, ns, &t.key) != 0)
			return dsreg_err_set(err, DSREG_ENOMEM,
			    "out of memory");
	}
	rc = ds_from_text(&t, o, info, err);
	free(t.key.pubkey);
	return rc;
}

int
epp_secdns_parse_info(const xmlNode *inf, struct epp_domain_info *info,
    struct dsreg_err *err)
{
	const char *ns;
	unsigned long life;
	xmlNode *n;
	struct owner o;
	char otext[DS_NAME_WIRE_MAX * 4 + 2], text[NUM_TEXT];
	int rc;

	if (epp_xml_is(inf, EPP_NS_SECDNS11, "infData")) {
		ns = EPP_NS_SECDNS11;
		info->secdns = EPP_SECDNS_11;
	} else if (epp_xml_is(inf, EPP_NS_SECDNS10, "infData")) {
		ns = EPP_NS_SECDNS10;
		info->secdns = EPP_SECDNS_10;
	} else
		return 0;
	owner_init(&o, info, otext, sizeof(otext));
	if (info->secdns == EPP_SECDNS_11 &&
	    epp_xml_child(inf, ns, "maxSigLife") != NULL) {
		child_text(inf, ns, "maxSigLife", text, sizeof(text));
		if ((rc = num_text(text, "maxSigLife", 2147483647, &life,
		    err)) != 0)
			return rc;
		info->max_sig_life = (uint32_t)life;
	}
	for (n = epp_xml_child(inf, ns, "dsData"); n != NULL;
	    n = epp_xml_next(n, ns, "dsData"))
		if ((rc = parse_ds(n, ns, &o, info, err)) != 0)
			return rc;
	if (info->secdns == EPP_SECDNS_11)
		for (n = epp_xml_child(inf, ns, "keyData"); n != NULL;
		    n = epp_xml_next(n, ns, "keyData")) {
			if ((rc = parse_key(n, ns, &o, info, err)) != 0)
				return rc;
			info->key_interface = 1;
		}
	return 0;
}

/* ---- building ------------------------------------------------------ */

static int
put_key(struct dsreg_buf *b, const struct ds_key *key)
{
	char *b64;
	size_t klen;
	int rc;

	if (key->rdata_len <= 4)
		return DSREG_EINVAL;
	klen = key->rdata_len - 4;
	if ((b64 = malloc(((klen + 2) / 3) * 4 + 1)) == NULL)
		return DSREG_ENOMEM;
	EVP_EncodeBlock((unsigned char *)b64, key->rdata + 4, (int)klen);
	rc = dsreg_buf_printf(b, "<secDNS:keyData><secDNS:flags>%u"
	    "</secDNS:flags><secDNS:protocol>%u</secDNS:protocol>"
	    "<secDNS:alg>%u</secDNS:alg><secDNS:pubKey>%s</secDNS:pubKey>"
	    "</secDNS:keyData>", key->flags, key->protocol, key->algorithm,
	    b64);
	free(b64);
	return rc;
}

/* dsData; life (1.0 only) goes inside when non-zero. */
static int
put_ds(struct dsreg_buf *b, const struct ds_rec *ds, uint32_t life)
{
	char hex[2 * DS_DIGEST_MAX + 1];
	int rc;

	if (ds->digest_len == 0)
		return DSREG_EINVAL;
	ds_rec_digest_hex(ds, hex);
	rc = dsreg_buf_printf(b, "<secDNS:dsData><secDNS:keyTag>%u"
	    "</secDNS:keyTag><secDNS:alg>%u</secDNS:alg><secDNS:digestType>%u"
	    "</secDNS:digestType><secDNS:digest>%s</secDNS:digest>",
	    ds->key_tag, ds->algorithm, ds->digest_type, hex);
	if (rc == 0 && life != 0)
		rc = dsreg_buf_printf(b, "<secDNS:maxSigLife>%u"
		    "</secDNS:maxSigLife>", life);
	if (rc == 0)
		rc = dsreg_buf_appends(b, "</secDNS:dsData>");
	return rc;
}

static int
put_ds_set(struct dsreg_buf *b, const struct ds_set *set, uint32_t life)
{
	size_t i;
	int rc;

	for (i = 0; i < set->n; i++)
		if ((rc = put_ds(b, set->v[i], life)) != 0)
			return rc;
	return 0;
}

static int
put_key_set(struct dsreg_buf *b, const struct ds_keyset *set)
{
	size_t i;
	int rc;

	for (i = 0; i < set->n; i++)
		if ((rc = put_key(b, set->v[i])) != 0)
			return rc;
	return 0;
}

static int
ext_open(struct dsreg_buf *b, const char *ns, int urgent)
{
	return dsreg_buf_printf(b, "<secDNS:update xmlns:secDNS=\"%s\"%s>",
	    ns, urgent ? " urgent=\"true\"" : "");
}

/* RFC 5910 §5.2.5: rem, add, chg in that order. */
static int
build_11(struct dsreg_buf *b, const struct epp_secdns_change *chg,
    enum epp_iface iface, struct dsreg_err *err)
{
	int key = iface == EPP_IFACE_KEY, rc;
	int has_rem = chg->rem_all || (key ? chg->rem_keys.n : chg->rem_ds.n);
	int has_add = key ? chg->add_keys.n : chg->add_ds.n;

	if (key ? (chg->rem_ds.n || chg->add_ds.n) :
	    (chg->rem_keys.n || chg->add_keys.n))
		return dsreg_err_set(err, DSREG_EINVAL, "RFC 5910 §4: the %s "
		    "interface takes %s, not %s", key ? "key" : "ds",
		    key ? "keyData" : "dsData", key ? "dsData" : "keyData");
	if (!has_rem && !has_add && chg->max_sig_life == 0)
		return dsreg_err_set(err, DSREG_ENOTFOUND,
		    "nothing to change");
	if ((rc = ext_open(b, EPP_NS_SECDNS11, chg->urgent)) != 0)
		return rc;
	if (has_rem) {
		rc = dsreg_buf_appends(b, "<secDNS:rem>");
		if (rc == 0 && chg->rem_all)
			rc = dsreg_buf_appends(b,
			    "<secDNS:all>true</secDNS:all>");
		else if (rc == 0)
			rc = key ? put_key_set(b, &chg->rem_keys) :
			    put_ds_set(b, &chg->rem_ds, 0);
		if (rc == 0)
			rc = dsreg_buf_appends(b, "</secDNS:rem>");
	}
	if (rc == 0 && has_add) {
		rc = dsreg_buf_appends(b, "<secDNS:add>");
		if (rc == 0)
			rc = key ? put_key_set(b, &chg->add_keys) :
			    put_ds_set(b, &chg->add_ds, 0);
		if (rc == 0)
			rc = dsreg_buf_appends(b, "</secDNS:add>");
	}
	if (rc == 0 && chg->max_sig_life != 0)
		rc = dsreg_buf_printf(b, "<secDNS:chg><secDNS:maxSigLife>%u"
		    "</secDNS:maxSigLife></secDNS:chg>", chg->max_sig_life);
	if (rc == 0)
		rc = dsreg_buf_appends(b, "</secDNS:update>");
	return rc;
}

static int
tag_in(const struct ds_set *set, uint16_t tag)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i]->key_tag == tag)
			return 1;
	return 0;
}

/*
 * RFC 4310 §3.2.5: one of add (dsData), rem (keyTag) or chg (the whole
 * new set).  Removing by key tag takes every DS with that tag, so when
 * the current set has records to keep under a removed tag, or when
 * adding and removing at once, the new set is sent with chg.
 */
static int
build_10(struct dsreg_buf *b, const struct epp_secdns_change *chg,
    const struct epp_domain_info *cur, struct dsreg_err *err)
{
	struct ds_set keep = { 0 }, tags = { 0 };
	int use_chg = 0, rc = 0;
	size_t i;

	if (chg->rem_keys.n || chg->add_keys.n)
		return dsreg_err_set(err, DSREG_EINVAL, "RFC 4310 §4: "
		    "secDNS-1.0 carries keys only inside dsData; give DS "
		    "records");
	if (chg->rem_ds.n == 0 && !chg->rem_all && chg->add_ds.n == 0)
		return dsreg_err_set(err, chg->max_sig_life ? DSREG_EUNSUPPORTED
		    : DSREG_ENOTFOUND, chg->max_sig_life ? "RFC 4310: "
		    "secDNS-1.0 has no maxSigLife-only change" :
		    "nothing to change");
	if ((chg->rem_ds.n || chg->rem_all) && cur == NULL)
		return dsreg_err_set(err, DSREG_EINVAL, "secDNS-1.0 removal "
		    "needs the domain's current DS set");
	if (chg->rem_ds.n || chg->rem_all) {
		/* keep = current - removed (+ added) */
		for (i = 0; !chg->rem_all && i < cur->ds.n && rc == 0; i++)
			if (!ds_set_contains(&chg->rem_ds, cur->ds.v[i]))
				rc = ds_set_add_copy(&keep, cur->ds.v[i]);
		for (i = 0; i < chg->rem_ds.n && rc == 0; i++)
			if (ds_set_contains(&cur->ds, chg->rem_ds.v[i]) &&
			    !tag_in(&tags, chg->rem_ds.v[i]->key_tag))
				rc = ds_set_add_copy(&tags, chg->rem_ds.v[i]);
		for (i = 0; chg->rem_all && i < cur->ds.n && rc == 0; i++)
			if (!tag_in(&tags, cur->ds.v[i]->key_tag))
				rc = ds_set_add_copy(&tags, cur->ds.v[i]);
		for (i = 0; i < keep.n && rc == 0; i++)
			if (tag_in(&tags, keep.v[i]->key_tag))
				use_chg = 1;
		for (i = 0; i < chg->add_ds.n && rc == 0; i++) {
			use_chg = 1;
			if (!ds_set_contains(&keep, chg->add_ds.v[i]))
				rc = ds_set_add_copy(&keep, chg->add_ds.v[i]);
		}
		if (rc != 0)
			goto out;
		if (keep.n == 0)
			use_chg = 0;
		if (!use_chg && tags.n == 0) {
			rc = dsreg_err_set(err, DSREG_ENOTFOUND,
			    "nothing to remove: none of the DS is present");
			goto out;
		}
	}
	if ((rc = ext_open(b, EPP_NS_SECDNS10, chg->urgent)) != 0)
		goto out;
	if (use_chg) {
		if ((rc = dsreg_buf_appends(b, "<secDNS:chg>")) == 0 &&
		    (rc = put_ds_set(b, &keep, chg->max_sig_life)) == 0)
			rc = dsreg_buf_appends(b, "</secDNS:chg>");
	} else if (tags.n > 0) {
		rc = dsreg_buf_appends(b, "<secDNS:rem>");
		for (i = 0; i < tags.n && rc == 0; i++)
			rc = dsreg_buf_printf(b, "<secDNS:keyTag>%u"
			    "</secDNS:keyTag>", tags.v[i]->key_tag);
		if (rc == 0)
			rc = dsreg_buf_appends(b, "</secDNS:rem>");
	} else {
		if ((rc = dsreg_buf_appends(b, "<secDNS:add>")) == 0 &&
		    (rc = put_ds_set(b, &chg->add_ds, chg->max_sig_life)) == 0)
			rc = dsreg_buf_appends(b, "</secDNS:add>");
	}
	if (rc == 0)
		rc = dsreg_buf_appends(b, "</secDNS:update>");
out:
	ds_set_free(&keep);
	ds_set_free(&tags);
	return rc;
}

int
epp_build_domain_update(struct dsreg_buf *out, const char *domain,
    const struct epp_secdns_change *chg, enum epp_secdns ver,
    enum epp_iface iface, const struct epp_domain_info *cur,
    const char *cltrid, struct dsreg_err *err)
{
	struct dsreg_buf ext;
	int rc;

	dsreg_buf_init(&ext, EPP_FRAME_MAX / 2);
	if (ver == EPP_SECDNS_NONE) {
		rc = dsreg_err_set(err, DSREG_EUNSUPPORTED, "the server "
		    "announced neither secDNS-1.1 nor secDNS-1.0 (RFC 5910, "
		    "RFC 4310): it cannot take DS changes over EPP");
		goto out;
	}
	rc = ver == EPP_SECDNS_11 ? build_11(&ext, chg, iface, err) :
	    build_10(&ext, chg, cur, err);
	if (rc != 0) {
		if (err != NULL && err->code != rc)
			dsreg_err_set(err, rc, "building secDNS:update: %s",
			    dsreg_strerror(rc));
		goto out;
	}
	if ((rc = epp_open_domain_command(out, "update", domain, err)) == 0)
		rc = epp_close_domain_command(out, "update", ext.data, cltrid,
		    err);
out:
	dsreg_buf_free(&ext);
	return rc;
}

int
epp_secdns_change_applied(const struct epp_secdns_change *chg,
    const struct epp_domain_info *info)
{
	size_t i;

	/* After rem all, only what was added may remain. */
	if (chg->rem_all && !epp_info_holds_only(info, &chg->add_ds,
	    &chg->add_keys))
		return 0;
	for (i = 0; i < chg->rem_ds.n; i++)
		if (epp_info_has(info, chg->rem_ds.v[i]))
			return 0;
	for (i = 0; i < chg->add_ds.n; i++)
		if (!epp_info_has(info, chg->add_ds.v[i]))
			return 0;
	for (i = 0; i < chg->rem_keys.n; i++)
		if (epp_keyset_has(&info->keys, chg->rem_keys.v[i]))
			return 0;
	for (i = 0; i < chg->add_keys.n; i++)
		if (!epp_keyset_has(&info->keys, chg->add_keys.v[i]))
			return 0;
	if (chg->max_sig_life != 0 && info->max_sig_life != chg->max_sig_life)
		return 0;
	return 1;
}
