/* yaml.h: YAML documents as trees that remember where every node came from.
 *
 * libyaml parses; this module builds a tree of ynode in an arena, with the
 * file, line and column (1-based) of every node. Nothing is dropped:
 * fields no model uses stay reachable here, so `fix` can write a document
 * back out whole. Hostile input is bounded: nesting depth, alias expansion
 * (billion laughs) and input size have limits, and a syntax error becomes
 * a finding with its position, never a crash.
 *
 * Aliases are resolved by sharing: *alias points at the anchored node, so a
 * tree may be a DAG. Merge keys (<<) are applied while building. Duplicate
 * mapping keys are kept in order (so lint can report them); yn_get returns
 * the last, as Kubernetes' decoders do.
 *
 * YAML embedded in scalars (Argo resource `manifest:` strings) is parsed
 * with a position map, so its nodes point into the outer file: exact for
 * literal blocks and for double-quoted strings, the scalar's first line
 * for other styles. */
#ifndef REHEARSE_YAML_H
#define REHEARSE_YAML_H

#include <stddef.h>
#include <stdio.h>

#include "document/arena.h"
#include "document/diag.h"

typedef enum { YN_SCALAR, YN_MAP, YN_SEQ } yn_kind;

typedef enum {
	YN_PLAIN, YN_SINGLE, YN_DOUBLE, YN_LITERAL, YN_FOLDED, /* scalars */
	YN_BLOCK, YN_FLOW                                      /* collections */
} yn_style;

typedef struct ynode ynode;
struct ynode {
	yn_kind kind;
	yn_style style;
	const char *tag;    /* explicit tag ("!!str", "!foo") or NULL */
	const char *anchor; /* &name or NULL */
	const char *str;    /* scalar: value, NUL-terminated; else NULL */
	size_t len;         /* scalar: bytes in str (may hold NULs) */
	size_t n;           /* seq: items; map: key/value pairs */
	ynode **item;       /* seq items */
	ynode **key;        /* map keys (scalars, usually) */
	ynode **val;        /* map values, val[i] belongs to key[i] */
	const char *file;
	unsigned line, col;         /* first character */
	unsigned end_line, end_col; /* last character (inclusive) */
};

/* One document of a stream. */
typedef struct yn_doc {
	ynode *root;      /* NULL for an empty document */
	const char *file;
	unsigned index;   /* 0-based position in its stream */
	unsigned line;    /* where it starts */
} yn_doc;

typedef struct yn_limits {
	unsigned max_depth;        /* nesting of collections */
	size_t max_nodes;          /* nodes in a stream, aliases expanded */
	size_t max_bytes;          /* input size */
} yn_limits;

/* Defaults: depth 256, 4 M expanded nodes, 64 MiB. */
extern const yn_limits yn_default_limits;

/* Output position of each input byte of an embedded document: byte i of
 * the parsed buffer came from (line[i], col[i]) of `file`. */
typedef struct yn_posmap {
	const char *file;
	size_t n;
	unsigned *line, *col;
} yn_posmap;

/* Parse a stream (YAML or JSON) into documents allocated in `a`. Syntax and
 * limit errors are added to `d` (rules yaml-syntax, yaml-depth,
 * yaml-alias-bomb, yaml-too-large, yaml-encoding) and make it return -1;
 * documents before the error are still returned. `map` may be NULL.
 * Returns 0 on success, -1 on a finding, -2 when out of memory. */
int yn_parse(arena *a, const char *file, const char *buf, size_t len,
	     const yn_limits *lim, const yn_posmap *map, diag_list *d,
	     yn_doc **docs, size_t *ndocs);

/* Build the position map for the decoded value of scalar `s`, whose source
 * is `src` (the whole outer file, `srclen` bytes). */
int yn_scalar_posmap(arena *a, const ynode *s, const char *src, size_t srclen,
		     yn_posmap *out);

/* Lookups. All accept NULL and wrong kinds, returning NULL / failure. */
ynode *yn_get(const ynode *map, const char *key);
ynode *yn_get_key(const ynode *map, const char *key); /* the key node */
const char *yn_str(const ynode *n);                 /* scalar text or NULL */
const char *yn_get_str(const ynode *map, const char *key);
int yn_is_null(const ynode *n);  /* absent, ~, null, or empty plain scalar */
int yn_is_quoted(const ynode *n);
/* Typed scalars as Kubernetes' YAML decoding reads them. Return 0 on
 * success, -1 when the scalar is not of that type. */
int yn_bool(const ynode *n, int *out);
int yn_int(const ynode *n, long long *out);
int yn_number(const ynode *n, double *out);

/* Building and changing trees (for fix). Strings are copied into `a`. */
ynode *yn_new_scalar(arena *a, const char *s, yn_style style);
ynode *yn_new_map(arena *a);
ynode *yn_new_seq(arena *a);
int yn_map_set(arena *a, ynode *map, const char *key, ynode *val); /* replace or append */
int yn_map_remove(ynode *map, const char *key);                    /* all with that key */
int yn_seq_append(arena *a, ynode *seq, ynode *item);
int yn_seq_remove(ynode *seq, size_t i);
ynode *yn_copy(arena *a, const ynode *n); /* deep copy (aliases expanded) */

/* Write documents as YAML with libyaml's emitter ("---" between them).
 * Returns 0, or -1 with a message in err. */
int yn_emit(FILE *f, const yn_doc *docs, size_t ndocs, char *err, size_t errlen);
/* Emit one node to a malloc'd string (caller frees). */
char *yn_emit_string(const ynode *n, size_t *len);

/* Add a finding at node n (its full range). */
int yn_diag(diag_list *d, const ynode *n, diag_severity sev, const char *rule,
	    const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
