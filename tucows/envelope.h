/* tucows/envelope.h - OpenSRS XCP "OPS_envelope" documents: value tree, builder, parser */
#ifndef DSREG_TUCOWS_ENVELOPE_H
#define DSREG_TUCOWS_ENVELOPE_H

#include <stddef.h>

#include "common/error.h"

struct dsreg_buf;
struct dsreg_err;

/*
 * The OpenSRS data model: a data_block holds one value; a value is a
 * scalar (text, possibly empty), a dt_assoc (items keyed by name) or a
 * dt_array (items keyed "0", "1", ...).  Keys are kept as written.
 */
enum osrs_type {
	OSRS_SCALAR,
	OSRS_ASSOC,
	OSRS_ARRAY,
};

struct osrs_value {
	enum osrs_type type;
	char *key;               /* key in the parent; NULL for the root */
	char *text;              /* OSRS_SCALAR: the text ("" when empty) */
	struct osrs_value **v;   /* OSRS_ASSOC / OSRS_ARRAY: children, in order */
	size_t n, cap;
};

/* Hard caps on documents (enforced by the parser and the builder). */
#define OSRS_ENVELOPE_MAX   (4u * 1024 * 1024) /* bytes of one document */
#define OSRS_DEPTH_MAX      32                 /* nested dt_assoc/dt_array */
#define OSRS_NODES_MAX      200000             /* values in one document */

/*
 * Constructors.  *out is owned by the caller and released with
 * osrs_value_free() (which frees children too; NULL is accepted).
 */
DSREG_MUST_CHECK
int osrs_value_new(struct osrs_value **out, enum osrs_type type);
DSREG_MUST_CHECK
int osrs_scalar_new(struct osrs_value **out, const char *text);
void osrs_value_free(struct osrs_value *v);

/*
 * Append child to the container parent under key (copied; for arrays pass
 * NULL to use the next index).  Ownership of child moves to parent on
 * success; on failure the caller still owns it.
 */
DSREG_MUST_CHECK
int osrs_value_add(struct osrs_value *parent, const char *key,
    struct osrs_value *child);
/* Append a scalar item (text copied). */
DSREG_MUST_CHECK
int osrs_assoc_set(struct osrs_value *parent, const char *key,
    const char *text);
/* Append a new empty container item; *out (may be NULL) is borrowed. */
DSREG_MUST_CHECK
int osrs_assoc_add_container(struct osrs_value *parent, const char *key,
    enum osrs_type type, struct osrs_value **out);

/* Item of an assoc (or array) by key, or NULL.  Borrowed. */
const struct osrs_value *osrs_value_get(const struct osrs_value *v,
    const char *key);
/* Text of a scalar item by key, or NULL if absent or not a scalar. */
const char *osrs_value_str(const struct osrs_value *v, const char *key);
/* Deep equality (types, keys, texts, order). */
int osrs_value_equal(const struct osrs_value *a, const struct osrs_value *b);

/*
 * Serialise data (the content of data_block, usually an assoc) into a
 * complete OPS_envelope document appended to out, with the XML
 * declaration and DOCTYPE OpenSRS uses.  Text is escaped; characters XML
 * 1.0 cannot carry (C0 controls other than TAB/LF/CR) give DSREG_EINVAL.
 */
DSREG_MUST_CHECK
int osrs_envelope_build(const struct osrs_value *data, struct dsreg_buf *out,
    struct dsreg_err *err);

/*
 * Parse an OPS_envelope document of len bytes.  The parser never touches
 * the network, never loads or validates a DTD and never expands entities:
 * a document larger than OSRS_ENVELOPE_MAX, a DOCTYPE with an internal
 * subset (entity declarations: XXE, billion laughs), an entity reference,
 * a malformed or truncated document, or one nested deeper than
 * OSRS_DEPTH_MAX gives DSREG_ETOOBIG or DSREG_EPARSE with a message in
 * err.  The plain DOCTYPE "<!DOCTYPE OPS_envelope SYSTEM 'ops.dtd'>" is
 * accepted (and not fetched).  On success *out is the data_block's value
 * (caller frees with osrs_value_free).
 */
DSREG_MUST_CHECK
int osrs_envelope_parse(const char *xml, size_t len, struct osrs_value **out,
    struct dsreg_err *err);

#endif
