/* fix_text.h: a fixed workflow as edits of the input's own bytes.
 *
 * The fix passes change YAML trees; writing the trees back with an emitter
 * would re-indent, re-quote and drop comments everywhere. Instead, the
 * input's trees (with their positions) are compared with the fixed trees,
 * and each difference becomes one edit of the input text, as ruff and
 * clang-tidy do it: a byte range and its replacement (a changed scalar,
 * where it stands, in its own quoting), an insertion indented like its
 * siblings (a new key, a new list item), or the lines of a removed item.
 * Edits never overlap and are applied to the original bytes; everything
 * outside them -- comments, quoting, key order, blank lines -- is the
 * user's and stays byte for byte. The caller reloads the result and checks
 * that its trees equal the fixed trees (fix.c does); ft_diff says when a
 * difference has no faithful edit, and the caller then falls back. */
#ifndef REHEARSE_FIX_TEXT_H
#define REHEARSE_FIX_TEXT_H

#include <stddef.h>

#include "document/yaml.h"

typedef struct ft_edit {
	size_t off, len;   /* bytes [off, off+len) of the input are replaced */
	char *text;        /* by this (malloc'd; "" deletes) */
} ft_edit;

typedef struct ft_edits {
	ft_edit *v;
	size_t n, cap;
} ft_edits;

/* Edits turning `src` (whose documents, loaded from src, are old[0..nold))
 * into a text whose documents equal new[0..nnew). Returns 0, or -1 with
 * why in err (a difference with no faithful text edit, or out of memory). */
int ft_diff(const char *src, size_t srclen, const yn_doc *old, size_t nold, const yn_doc *new_,
	    size_t nnew, ft_edits *out, char *err, size_t errlen);

/* The text with the edits applied (sorted by offset, never overlapping):
 * malloc'd, NUL-terminated, its length in *outlen; NULL when out of memory. */
char *ft_apply(const char *src, size_t srclen, ft_edits *e, size_t *outlen);

/* Lines of src that the edits touch (a line counts once). */
size_t ft_lines_touched(const char *src, size_t srclen, const ft_edits *e);

void ft_edits_free(ft_edits *e);

/* Do two trees hold the same values (mappings in the same key order)? */
int ft_same(const ynode *a, const ynode *b);

#endif
