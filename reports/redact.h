/* redact.h: what no report may print, and bytes no terminal should get.
 *
 * Secrets: the values under `data:` and `stringData:` of every Secret in
 * the loaded files (a document of its own, or a resource template's
 * manifest), and the literal `value:` of an env variable that the same
 * container also takes from a `secretKeyRef` (the literal is the secret
 * written out). Reports mask them in source excerpts (with '*', so carets
 * keep their columns) and replace them in messages and hints with
 * "<redacted>", in every format.
 *
 * Escaping: a source line or message may hold control characters (a
 * binary file given to lint, "\x1b" in a double-quoted YAML string);
 * report_text and report_github print them as \xHH, never raw. */
#ifndef REHEARSE_REDACT_H
#define REHEARSE_REDACT_H

#include <stdio.h>

#include "document/diag.h"
#include "document/workflow.h"

typedef struct redact redact;

/* Collect the secret values of a loaded set. NULL when out of memory. */
redact *redact_collect(const wf_set *s);
void redact_free(redact *r);
size_t redact_count(const redact *r);

/* Mask with '*' the bytes of buf (a copy of line `line` of `file`, len
 * bytes) that hold a secret value. r may be NULL. */
void redact_line(const redact *r, const char *file, unsigned line, char *buf, size_t len);

/* A copy of findings `in` into `out` with secret values in messages and
 * hints replaced by "<redacted>". Returns 0, or -1 when out of memory. */
int redact_findings(const redact *r, const diag_list *in, diag_list *out);

/* Write len bytes of s with control characters (but tab), DEL, C1 controls
 * and bytes that are not UTF-8 as \xHH. Returns the columns written. */
size_t report_put_escaped(FILE *f, const char *s, size_t len);
/* The columns report_put_escaped gives the character starting at s[0]
 * (4 for an escaped byte, 1 for a printable character); *bytes gets its
 * length in bytes. */
unsigned report_escaped_width(const char *s, size_t len, size_t *bytes);

#endif
