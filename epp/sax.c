/* epp/sax.c - stream (SAX2) parsing of EPP responses: result, trIDs, domain:infData with secDNS */
#include "epp/internal.h"

#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"

/*
 * The tree path (xml.c, response.c, domain.c, secdns.c) builds a whole
 * libxml2 tree per answer and walks it; here the parser's events are
 * followed instead and only what the tree path would read is kept: the
 * first child of each name it looks up, every child of those it loops
 * over, text truncated at the same lengths.  Checks and conversions run
 * after the document has been parsed, in the tree path's order, so that
 * errors and results are the same.
 */

#define OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
	XML_PARSE_NOCDATA | XML_PARSE_COMPACT)
#define LEVELS 16                  /* deeper elements are never looked at */
#define SET_MAX EPP_SECDNS_SET_MAX
#define LIST_MAX EPP_INFO_LIST_MAX

/* The elements the tree path looks at, by where they are. */
enum node {
	N_OTHER = 0,
	N_EPP, N_RESPONSE, N_RESULT, N_MSG, N_EXTVALUE, N_REASON,
	N_TRID, N_CLTRID, N_SVTRID,
	N_RESDATA, N_DINF, N_NAME, N_ROID, N_CLID, N_STATUS, N_NS,
	N_HOSTOBJ, N_HOSTATTR, N_HOSTNAME,
	N_EXT, N_SINF, N_SLIFE, N_DSDATA, N_DSTAG, N_DSALG, N_DSTYPE,
	N_DSDIGEST, N_DSLIFE, N_KEYDATA, N_KFLAGS, N_KPROTO, N_KALG, N_KPUB,
};

enum ns { NS_EPP, NS_DOMAIN, NS_SECDNS11, NS_SECDNS10, NS_COUNT };

struct level {
	uint8_t node;
	uint64_t seen;       /* children met so far, by enum node bit */
};

struct block {
	enum epp_secdns ver;
	enum ns ns;
	int has_life;
	char life[EPP_NUM_TEXT];
	size_t nds, nkeys;   /* its entries in ds[] and keys[] */
};

struct epp_sax {
	xmlParserCtxt *ctxt;
	struct dsreg_buf text;         /* text of the element being read */

	/* ---- per document ---- */
	int stop;                      /* DSREG_* that stopped the parser */
	int doctype;
	int depth;
	struct level lv[LEVELS];
	int text_depth;                /* depth whose direct text we keep; -1 */
	size_t text_max;
	int root;                      /* 1: <epp>, -1: another root */
	const xmlChar *uri[NS_COUNT];  /* namespace URIs met (see is()) */
	int greeting, response;
	/* result */
	int results;
	int code_ok;
	unsigned long code;
	char code_text[17];            /* '%.16s' of the first code */
	char rcode[9];                 /* '%.8s' of a later result's code */
	char rmsg[EPP_TEXT_MAX];       /* msg of a later result */
	char pending[EPP_TEXT_MAX];    /* reasons of the result being read */
	struct epp_result res;
	/* domain:infData */
	int dinf;
	struct epp_domain_info *info;
	int status_over, ns_over;
	char host[EPP_NAME_TEXT_MAX + 1];
	/* secDNS:infData */
	struct block blocks[EPP_SECDNS_INFDATA_MAX + 1];
	size_t nblocks;
	struct block *block;           /* the one being read, or NULL */
	struct epp_ds_text *ds;        /* every block's dsData, in order */
	size_t nds, ds_cap;
	struct epp_key_text *keys;     /* every block's 1.1 keyData */
	size_t nkeys, keys_cap;
	struct epp_key_text *key;      /* keyData being read */
};

static void
halt(struct epp_sax *p, int rc)
{
	if (p->stop == 0)
		p->stop = rc;
	xmlStopParser(p->ctxt);
}

static const char *const ns_uri[NS_COUNT] = {
	EPP_NS_EPP, EPP_NS_DOMAIN, EPP_NS_SECDNS11, EPP_NS_SECDNS10,
};

/*
 * Element name and namespace URI.  libxml2 hands out URIs from its
 * dictionary, which keeps a string at one address for the whole
 * document: once a pointer has compared equal, later ones are compared
 * by address (the cache is cleared for every document).
 */
static int
is(struct epp_sax *p, const xmlChar *uri, const xmlChar *name, enum ns ns,
    const char *want)
{
	if (strcmp((const char *)name, want) != 0 || uri == NULL)
		return 0;
	if (uri == p->uri[ns])
		return 1;
	if (strcmp((const char *)uri, ns_uri[ns]) != 0)
		return 0;
	p->uri[ns] = uri;
	return 1;
}

/* n unless the parent has had such a child already (tree: first child). */
static enum node
first(struct level *parent, enum node n)
{
	uint64_t bit = (uint64_t)1 << n;

	if (parent->seen & bit)
		return N_OTHER;
	parent->seen |= bit;
	return n;
}

/* Attribute value with the parser's "&#38;" (for '&') decoded; malloc'd. */
static char *
attr_dup(const xmlChar *v, const xmlChar *end)
{
	size_t len = (size_t)(end - v), i, o = 0;
	char *s;

	if ((s = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		s[o++] = (char)v[i];
		if (v[i] == '&' && len - i >= 5 &&
		    memcmp(v + i, "&#38;", 5) == 0)
			i += 4;
	}
	s[o] = '\0';
	return s;
}

/* The attribute named name (any namespace, first one: xmlGetProp). */
static char *
attr(const xmlChar **attrs, int n, const char *name, int *present)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp((const char *)attrs[5 * i], name) == 0) {
			*present = 1;
			return attr_dup(attrs[5 * i + 3], attrs[5 * i + 4]);
		}
	*present = 0;
	return NULL;
}

static void
result_start(struct epp_sax *p, const xmlChar **attrs, int nattrs)
{
	char *code;
	int present;

	code = attr(attrs, nattrs, "code", &present);
	if (present && code == NULL) {
		halt(p, DSREG_ENOMEM);
		return;
	}
	if (p->results++ == 0) {
		p->code_ok = code != NULL && epp_uint_parse(code,
		    strlen(code), 1000, 2502, &p->code) == 0;
		snprintf(p->code_text, sizeof(p->code_text), "%.16s",
		    code != NULL ? code : "");
	} else
		snprintf(p->rcode, sizeof(p->rcode), "%.8s",
		    code != NULL ? code : "?");
	p->rmsg[0] = '\0';
	p->pending[0] = '\0';
	free(code);
}

static void
result_end(struct epp_sax *p)
{
	char more[EPP_TEXT_MAX + 16];

	if (p->results > 1) {
		snprintf(more, sizeof(more), "%s %s", p->rcode, p->rmsg);
		epp_reason_add(p->res.reason, sizeof(p->res.reason), more);
	}
	epp_reason_add(p->res.reason, sizeof(p->res.reason), p->pending);
}

static void
status_add(struct epp_sax *p, const xmlChar **attrs, int nattrs)
{
	char *s;
	int present, rc;

	if (p->info->statuses.n >= LIST_MAX) {
		p->status_over = 1;
		return;
	}
	s = attr(attrs, nattrs, "s", &present);
	if (present && s == NULL) {
		halt(p, DSREG_ENOMEM);
		return;
	}
	rc = epp_strv_add(&p->info->statuses, s != NULL ? s : "");
	free(s);
	if (rc != 0)
		halt(p, DSREG_ENOMEM);
}

static void
ns_add(struct epp_sax *p, const char *host)
{
	if (p->info->ns.n >= LIST_MAX)
		p->ns_over = 1;
	else if (epp_strv_add(&p->info->ns, host) != 0)
		halt(p, DSREG_ENOMEM);
}

/*
 * One more element of `size` octets at the end of the array *arr (n in
 * use, cap allocated), zeroed; NULL past SET_MAX (the tree path stops
 * before those) or out of memory (the parse is halted).
 */
static void *
append(struct epp_sax *p, void **arr, size_t *n, size_t *cap, size_t size)
{
	void *v;
	size_t c;

	if (*n > SET_MAX)
		return NULL;
	if (*n == *cap) {
		c = *cap ? 2 * *cap : 4;
		if ((v = realloc(*arr, c * size)) == NULL) {
			halt(p, DSREG_ENOMEM);
			return NULL;
		}
		*arr = v;
		*cap = c;
	}
	v = (char *)*arr + (*n)++ * size;
	memset(v, 0, size);
	return v;
}

static struct epp_ds_text *
ds_new(struct epp_sax *p)
{
	void *arr = p->ds;
	struct epp_ds_text *d;

	d = append(p, &arr, &p->nds, &p->ds_cap, sizeof(*d));
	p->ds = arr;
	if (d != NULL)
		p->block->nds++;
	return d;
}

static struct epp_key_text *
key_new(struct epp_sax *p)
{
	void *arr = p->keys;
	struct epp_key_text *k;

	k = append(p, &arr, &p->nkeys, &p->keys_cap, sizeof(*k));
	p->keys = arr;
	if (k != NULL)
		p->block->nkeys++;
	return k;
}

/* What an element is, given its parent; side effects for some. */
static enum node
classify(struct epp_sax *p, struct level *up, const xmlChar *name,
    const xmlChar *uri, const xmlChar **attrs, int nattrs)
{
	enum ns sns;
	enum epp_secdns ver;

	switch (up->node) {
	case N_EPP:
		if (is(p, uri, name, NS_EPP, "greeting"))
			p->greeting = 1;
		else if (is(p, uri, name, NS_EPP, "response") &&
		    first(up, N_RESPONSE)) {
			p->response = 1;
			return N_RESPONSE;
		}
		return N_OTHER;
	case N_RESPONSE:
		if (is(p, uri, name, NS_EPP, "result")) {
			result_start(p, attrs, nattrs);
			return N_RESULT;
		}
		if (is(p, uri, name, NS_EPP, "resData"))
			return first(up, N_RESDATA);
		if (is(p, uri, name, NS_EPP, "extension"))
			return first(up, N_EXT);
		if (is(p, uri, name, NS_EPP, "trID"))
			return first(up, N_TRID);
		return N_OTHER;
	case N_RESULT:
		if (is(p, uri, name, NS_EPP, "msg"))
			return first(up, N_MSG);
		if (is(p, uri, name, NS_EPP, "extValue"))
			return N_EXTVALUE;
		return N_OTHER;
	case N_EXTVALUE:
		return is(p, uri, name, NS_EPP, "reason") ?
		    first(up, N_REASON) : N_OTHER;
	case N_TRID:
		if (is(p, uri, name, NS_EPP, "clTRID"))
			return first(up, N_CLTRID);
		if (is(p, uri, name, NS_EPP, "svTRID"))
			return first(up, N_SVTRID);
		return N_OTHER;
	case N_RESDATA:
		if (!is(p, uri, name, NS_DOMAIN, "infData") ||
		    first(up, N_DINF) == N_OTHER)
			return N_OTHER;
		if ((p->info = calloc(1, sizeof(*p->info))) == NULL) {
			halt(p, DSREG_ENOMEM);
			return N_OTHER;
		}
		p->dinf = 1;
		return N_DINF;
	case N_DINF:
		if (is(p, uri, name, NS_DOMAIN, "name"))
			return first(up, N_NAME);
		if (is(p, uri, name, NS_DOMAIN, "roid"))
			return first(up, N_ROID);
		if (is(p, uri, name, NS_DOMAIN, "clID"))
			return first(up, N_CLID);
		if (is(p, uri, name, NS_DOMAIN, "status")) {
			status_add(p, attrs, nattrs);
			return N_OTHER;
		}
		if (is(p, uri, name, NS_DOMAIN, "ns"))
			return first(up, N_NS);
		return N_OTHER;
	case N_NS:
		if (is(p, uri, name, NS_DOMAIN, "hostObj"))
			return N_HOSTOBJ;
		if (is(p, uri, name, NS_DOMAIN, "hostAttr")) {
			p->host[0] = '\0';
			return N_HOSTATTR;
		}
		return N_OTHER;
	case N_HOSTATTR:
		return is(p, uri, name, NS_DOMAIN, "hostName") ?
		    first(up, N_HOSTNAME) : N_OTHER;
	case N_EXT:
		/* Any infData in either secDNS namespace, one block each. */
		if (is(p, uri, name, NS_SECDNS11, "infData"))
			ver = EPP_SECDNS_11;
		else if (is(p, uri, name, NS_SECDNS10, "infData"))
			ver = EPP_SECDNS_10;
		else
			return N_OTHER;
		if (p->nblocks > EPP_SECDNS_INFDATA_MAX)
			return N_OTHER;    /* the tree path stops before these */
		p->block = &p->blocks[p->nblocks++];
		memset(p->block, 0, sizeof(*p->block));
		p->block->ver = ver;
		p->block->ns = ver == EPP_SECDNS_11 ? NS_SECDNS11 :
		    NS_SECDNS10;
		if (p->nblocks > EPP_SECDNS_INFDATA_MAX)
			p->block = NULL;   /* counted, never read */
		return N_SINF;
	case N_SINF:
		if (p->block == NULL)
			return N_OTHER;
		sns = p->block->ns;
		if (is(p, uri, name, sns, "maxSigLife") &&
		    first(up, N_SLIFE) != N_OTHER) {
			p->block->has_life = 1;
			return N_SLIFE;
		}
		if (is(p, uri, name, sns, "dsData"))
			return ds_new(p) != NULL ? N_DSDATA : N_OTHER;
		if (is(p, uri, name, sns, "keyData") &&
		    p->block->ver == EPP_SECDNS_11 &&
		    (p->key = key_new(p)) != NULL)
			return N_KEYDATA;
		return N_OTHER;
	case N_DSDATA:
		sns = p->block->ns;
		if (is(p, uri, name, sns, "keyTag"))
			return first(up, N_DSTAG);
		if (is(p, uri, name, sns, "alg"))
			return first(up, N_DSALG);
		if (is(p, uri, name, sns, "digestType"))
			return first(up, N_DSTYPE);
		if (is(p, uri, name, sns, "digest"))
			return first(up, N_DSDIGEST);
		if (is(p, uri, name, sns, "maxSigLife") &&
		    first(up, N_DSLIFE) != N_OTHER) {
			p->ds[p->nds - 1].has_life = 1;
			return N_DSLIFE;
		}
		if (is(p, uri, name, sns, "keyData") &&
		    first(up, N_KEYDATA) != N_OTHER) {
			p->ds[p->nds - 1].has_key = 1;
			p->key = &p->ds[p->nds - 1].key;
			return N_KEYDATA;
		}
		return N_OTHER;
	case N_KEYDATA:
		sns = p->block->ns;
		if (is(p, uri, name, sns, "flags"))
			return first(up, N_KFLAGS);
		if (is(p, uri, name, sns, "protocol"))
			return first(up, N_KPROTO);
		if (is(p, uri, name, sns, "alg"))
			return first(up, N_KALG);
		if (is(p, uri, name, sns, "pubKey"))
			return first(up, N_KPUB);
		return N_OTHER;
	default:
		return N_OTHER;
	}
}

/* Longest text kept of an element (as the tree path's buffers). */
static size_t
text_max(enum node n)
{
	switch (n) {
	case N_MSG:
	case N_REASON:
		return EPP_TEXT_MAX - 1;
	case N_CLTRID:
	case N_SVTRID:
		return EPP_TRID_MAX - 1;
	case N_NAME:
	case N_HOSTOBJ:
	case N_HOSTNAME:
		return EPP_NAME_TEXT_MAX;
	case N_ROID:
		return EPP_ROID_TEXT_MAX;
	case N_CLID:
		return EPP_CLID_TEXT_MAX;
	case N_SLIFE:
	case N_DSTAG:
	case N_DSALG:
	case N_DSTYPE:
	case N_DSLIFE:
	case N_KFLAGS:
	case N_KPROTO:
	case N_KALG:
		return EPP_NUM_TEXT - 1;
	case N_DSDIGEST:
		return 2 * DS_DIGEST_MAX + 1;
	case N_KPUB:
		return EPP_PUBKEY_TEXT_MAX;
	default:
		return 0;
	}
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The kept text, whitespace-trimmed (epp_xml_text); *len its length. */
static const char *
trimmed(struct epp_sax *p, size_t *len)
{
	char *s = p->text.data != NULL ? p->text.data : "";
	size_t n = p->text.len;

	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	*len = n;
	return s;
}

/* Copy the kept text into buf (size > the element's text_max). */
static void
take(struct epp_sax *p, char *buf)
{
	size_t len;
	const char *s = trimmed(p, &len);

	memcpy(buf, s, len);
	buf[len] = '\0';
}

static char *
take_dup(struct epp_sax *p)
{
	size_t len;
	const char *s = trimmed(p, &len);
	char *d;

	if ((d = malloc(len + 1)) == NULL) {
		halt(p, DSREG_ENOMEM);
		return NULL;
	}
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

/* An element's end: deliver its text where the tree path would read it. */
static void
finish(struct epp_sax *p, enum node n)
{
	char text[EPP_TEXT_MAX];
	struct epp_ds_text *ds = p->nds > 0 ? &p->ds[p->nds - 1] : NULL;

	switch (n) {
	case N_RESULT:
		result_end(p);
		break;
	case N_MSG:
		take(p, p->results == 1 ? p->res.msg : p->rmsg);
		break;
	case N_REASON:
		take(p, text);
		epp_reason_add(p->pending, sizeof(p->pending), text);
		break;
	case N_CLTRID:
		take(p, p->res.cltrid);
		break;
	case N_SVTRID:
		take(p, p->res.svtrid);
		break;
	case N_NAME:
		p->info->name = take_dup(p);
		break;
	case N_ROID:
		p->info->roid = take_dup(p);
		break;
	case N_CLID:
		p->info->clid = take_dup(p);
		break;
	case N_HOSTOBJ:
		take(p, p->host);
		ns_add(p, p->host);
		break;
	case N_HOSTNAME:
		take(p, p->host);
		break;
	case N_HOSTATTR:
		ns_add(p, p->host);
		break;
	case N_SINF:
		p->block = NULL;
		break;
	case N_SLIFE:
		take(p, p->block->life);
		break;
	case N_DSTAG:
		take(p, ds->key_tag);
		break;
	case N_DSALG:
		take(p, ds->alg);
		break;
	case N_DSTYPE:
		take(p, ds->digest_type);
		break;
	case N_DSDIGEST:
		take(p, ds->digest);
		break;
	case N_DSLIFE:
		take(p, ds->life);
		break;
	case N_KFLAGS:
		take(p, p->key->flags);
		break;
	case N_KPROTO:
		take(p, p->key->protocol);
		break;
	case N_KALG:
		take(p, p->key->alg);
		break;
	case N_KPUB:
		p->key->pubkey = take_dup(p);
		break;
	default:
		break;
	}
}

static void
on_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattrs,
    int ndefaulted, const xmlChar **attrs)
{
	struct epp_sax *p = ((xmlParserCtxt *)ctx)->_private;
	enum node n = N_OTHER;
	size_t max;

	if (p->depth == 0) {
		p->root = is(p, uri, name, NS_EPP, "epp") ? 1 : -1;
		n = p->root == 1 ? N_EPP : N_OTHER;
	} else if (p->depth <= LEVELS &&
	    p->lv[p->depth - 1].node != N_OTHER)
		n = classify(p, &p->lv[p->depth - 1], name, uri,
		    (const xmlChar **)attrs, nattrs + ndefaulted);
	if (p->depth < LEVELS) {
		p->lv[p->depth].node = (uint8_t)n;
		p->lv[p->depth].seen = 0;
	}
	p->depth++;
	if ((max = text_max(n)) > 0) {
		dsreg_buf_reset(&p->text);
		p->text_depth = p->depth;
		p->text_max = max;
	}
}

static void
on_end(void *ctx, const xmlChar *name, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct epp_sax *p = ((xmlParserCtxt *)ctx)->_private;

	p->depth--;
	if (p->depth == p->text_depth - 1)
		p->text_depth = -1;
	if (p->depth < LEVELS)
		finish(p, p->lv[p->depth].node);
}

/* Text and CDATA: kept when it is the direct text of an element we read. */
static void
on_text(void *ctx, const xmlChar *s, int len)
{
	struct epp_sax *p = ((xmlParserCtxt *)ctx)->_private;
	size_t n = (size_t)len;

	if (p->depth != p->text_depth || p->text.len >= p->text_max)
		return;
	if (n > p->text_max - p->text.len)
		n = p->text_max - p->text.len;
	if (dsreg_buf_append(&p->text, s, n) != 0)
		halt(p, DSREG_ENOMEM);
}

/* Any DOCTYPE: stop before its internal subset is even read. */
static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
    const xmlChar *sid)
{
	struct epp_sax *p = ((xmlParserCtxt *)ctx)->_private;

	p->doctype = 1;
	halt(p, DSREG_EPROTO);
}

int
epp_sax_new(struct epp_sax **out)
{
	struct epp_sax *p;
	xmlSAXHandler sax;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return DSREG_ENOMEM;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.cdataBlock = on_text;
	sax.internalSubset = on_doctype;
	sax.externalSubset = on_doctype;
	dsreg_buf_init(&p->text, EPP_PUBKEY_TEXT_MAX);
	/* userData NULL: callbacks get the context, which points to p. */
	if ((p->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0,
	    NULL)) == NULL) {
		free(p);
		return DSREG_ENOMEM;
	}
	*out = p;
	return 0;
}

/* Drop what the last document left. */
static void
clear(struct epp_sax *p)
{
	size_t i;

	for (i = 0; i < p->nds; i++)
		free(p->ds[i].key.pubkey);
	for (i = 0; i < p->nkeys; i++)
		free(p->keys[i].pubkey);
	epp_domain_info_free(p->info);
	p->info = NULL;
	p->nds = p->nkeys = p->nblocks = 0;
	p->block = NULL;
	p->key = NULL;
	p->stop = p->doctype = p->depth = p->root = 0;
	p->greeting = p->response = p->results = p->code_ok = 0;
	p->dinf = p->status_over = p->ns_over = 0;
	p->text_depth = -1;
	p->code = 0;
	memset(p->uri, 0, sizeof(p->uri));
	memset(&p->res, 0, sizeof(p->res));
}

void
epp_sax_free(struct epp_sax *p)
{
	if (p == NULL)
		return;
	clear(p);
	free(p->ds);
	free(p->keys);
	dsreg_buf_free(&p->text);
	if (p->ctxt != NULL)
		xmlFreeParserCtxt(p->ctxt);
	free(p);
}

/* 1 if libxml2 reads the document as UTF-16 or UCS-4. */
static int
wide(const char *xml, size_t len)
{
	switch (len < 4 ? XML_CHAR_ENCODING_NONE :
	    xmlDetectCharEncoding((const unsigned char *)xml, (int)len)) {
	case XML_CHAR_ENCODING_UTF16LE:
	case XML_CHAR_ENCODING_UTF16BE:
	case XML_CHAR_ENCODING_UCS4LE:
	case XML_CHAR_ENCODING_UCS4BE:
	case XML_CHAR_ENCODING_UCS4_2143:
	case XML_CHAR_ENCODING_UCS4_3412:
		return 1;
	default:
		return 0;
	}
}

int
epp_sax_parse(struct epp_sax *p, const char *xml, size_t len,
    struct epp_result *res, int *greeting, struct dsreg_err *err)
{
	xmlParserCtxt *c = p->ctxt;
	const xmlError *xe;
	const char *nul;
	size_t head;

	memset(res, 0, sizeof(*res));
	*greeting = 0;
	clear(p);
	if (len > EPP_FRAME_MAX)
		return dsreg_err_set(err, DSREG_ETOOBIG,
		    "EPP document of %zu bytes exceeds the %d byte cap", len,
		    EPP_FRAME_MAX);
	/*
	 * The tree path's parser (xmlReadMemory) takes a NUL character for
	 * the end of the document: what follows is never looked at.  So here,
	 * for documents in UTF-8 or another encoding where NUL is one byte.
	 */
	if (!wide(xml, len) && (nul = memchr(xml, '\0', len)) != NULL)
		len = (size_t)(nul - xml);
	head = len < 4 ? len : 4;
	/*
	 * As epp_xml_parse: XML_PARSE_NONET, no XML_PARSE_NOENT (entities are
	 * not substituted), no DTD loading; and any DOCTYPE stops the parser
	 * (on_doctype).  The first bytes go with the reset: they tell the
	 * encoding.
	 */
	if (xmlCtxtResetPush(c, xml, (int)head, NULL, NULL) != 0) {
		xmlStopParser(c);
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	}
	xmlCtxtUseOptions(c, OPTS);
	c->_private = p;
	xmlParseChunk(c, xml + head, (int)(len - head), 1);
	if (p->doctype)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "EPP document carries a DOCTYPE; refused (no DTDs or "
		    "entities in EPP, RFC 5730 §2)");
	if (p->stop != 0)
		return dsreg_err_set(err, p->stop, "out of memory");
	if (!c->wellFormed || p->root == 0) {
		xe = xmlCtxtGetLastError(c);
		return dsreg_err_set(err, DSREG_EPROTO,
		    "EPP document is not well-formed XML (RFC 5730 §2): "
		    "line %d: %s", xe ? xe->line : 0,
		    xe && xe->message ? xe->message : "parse error");
	}
	if (p->root != 1)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §2: root element is not <epp> in %s",
		    EPP_NS_EPP);
	if (p->greeting) {
		*greeting = 1;
		return 0;
	}
	if (!p->response)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §2: <epp> holds neither <greeting> nor "
		    "<response>");
	if (p->results == 0)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §2.6: <response> without <result>");
	if (!p->code_ok)
		return dsreg_err_set(err, DSREG_EPROTO,
		    "RFC 5730 §3: result code '%s' is not 1000-2502",
		    p->code_text);
	p->res.code = (int)p->code;
	p->res.cls = epp_code_class(p->res.code);
	epp_result_scrub(&p->res);
	*res = p->res;
	return 0;
}

static int
fill(char **s)
{
	if (*s == NULL && (*s = strdup("")) == NULL)
		return DSREG_ENOMEM;
	return 0;
}

int
epp_sax_domain_info(struct epp_sax *p, struct epp_domain_info **out,
    struct dsreg_err *err)
{
	struct epp_secdns_text t;
	struct epp_domain_info *info = p->info;
	size_t i, di = 0, ki = 0;
	int rc = 0;

	if (!p->dinf || info == NULL)
		return dsreg_err_set(err, DSREG_EPROTO, "RFC 5731 §3.1.2: "
		    "successful domain:info answer without domain:infData");
	p->info = NULL;
	if (fill(&info->name) != 0 || fill(&info->roid) != 0 ||
	    fill(&info->clid) != 0) {
		rc = dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
		goto out;
	}
	if (info->name[0] == '\0') {
		rc = dsreg_err_set(err, DSREG_EPROTO, "RFC 5731 §3.1.2: "
		    "domain:infData without domain:name");
		goto out;
	}
	if (p->status_over || p->ns_over) {
		rc = dsreg_err_set(err, DSREG_ETOOBIG,
		    "domain:infData: more than %d entries in a list",
		    LIST_MAX);
		goto out;
	}
	for (i = 0; i < p->nblocks; i++) {
		if (i == EPP_SECDNS_INFDATA_MAX) {
			rc = dsreg_err_set(err, DSREG_ETOOBIG, "more than %d "
			    "secDNS:infData elements in one answer",
			    EPP_SECDNS_INFDATA_MAX);
			goto out;
		}
		memset(&t, 0, sizeof(t));
		t.ver = p->blocks[i].ver;
		t.has_life = p->blocks[i].has_life;
		memcpy(t.life, p->blocks[i].life, sizeof(t.life));
		t.nds = p->blocks[i].nds;
		t.ds = t.nds > 0 ? &p->ds[di] : NULL;
		t.nkeys = p->blocks[i].nkeys;
		t.keys = t.nkeys > 0 ? &p->keys[ki] : NULL;
		di += t.nds;
		ki += t.nkeys;
		if ((rc = epp_secdns_info_from_text(&t, info, err)) != 0)
			goto out;
	}
	*out = info;
	info = NULL;
out:
	epp_domain_info_free(info);
	return rc;
}

/* ---- the public one-shot parsers (epp.h) ---------------------------- */

int
epp_response_parse_result(const char *xml, size_t len,
    struct epp_result *res, struct dsreg_err *err)
{
	struct epp_sax *p = NULL;
	struct epp_result tmp;
	int rc, greeting;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	if (epp_sax_new(&p) != 0)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	rc = epp_sax_parse(p, xml, len, res, &greeting, err);
	if (rc == 0 && greeting)
		rc = dsreg_err_set(err, DSREG_EPROTO,
		    "expected a <response>, got a <greeting>");
	epp_sax_free(p);
	return rc;
}

int
epp_domain_info_parse(const char *xml, size_t len,
    struct epp_domain_info **out, struct epp_result *res,
    struct dsreg_err *err)
{
	struct epp_sax *p = NULL;
	struct epp_result tmp;
	int rc, greeting;

	*out = NULL;
	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	if (epp_sax_new(&p) != 0)
		return dsreg_err_set(err, DSREG_ENOMEM, "out of memory");
	rc = epp_sax_parse(p, xml, len, res, &greeting, err);
	if (rc == 0 && greeting)
		rc = dsreg_err_set(err, DSREG_EPROTO,
		    "expected a <response>, got a <greeting>");
	else if (rc == 0 && epp_code_ok(res->code))
		rc = epp_sax_domain_info(p, out, err);
	epp_sax_free(p);
	return rc;
}
