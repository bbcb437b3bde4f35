/* depends.h: Argo's `depends` expressions, read once for lint and simulate.
 *
 * A DAG task's `depends` names the tasks it waits for, each optionally
 * with a result (`A.Succeeded`, `B.Failed`, ...), joined by `&&`, `||`
 * and `!`, with parentheses. Lint needs the names and the first syntax
 * error with its offset; simulate needs the truth of the expression once
 * the named tasks have ended. Both walk it here, so they agree on what
 * parses: nesting is capped (DEP_MAX_DEPTH) so a hostile expression is an
 * error, never a stack overflow. */
#ifndef REHEARSE_DEPENDS_H
#define REHEARSE_DEPENDS_H

#include <stddef.h>

#define DEP_MAX_DEPTH 100 /* parentheses deeper than this are refused */

/* The result a reference asks about: `A` alone is DEP_DEFAULT (Argo reads
 * it as A.Succeeded || A.Skipped || A.Daemoned). */
typedef enum dep_result {
	DEP_DEFAULT,
	DEP_SUCCEEDED,
	DEP_FAILED,
	DEP_ERRORED,
	DEP_SKIPPED,
	DEP_OMITTED,
	DEP_DAEMONED,
	DEP_ANY_SUCCEEDED,
	DEP_ALL_FAILED,
} dep_result;

/* Called once for every task reference, left to right (all of them: the
 * operators do not short-circuit, so a caller sees every name). `off` is
 * the byte offset of the name in the expression. Returns the truth of the
 * reference. */
typedef int (*dep_ref_fn)(void *u, const char *name, size_t len, dep_result r, size_t off);

/* Parse expr, calling ref (may be NULL: every reference is false) for
 * each reference. Returns 0 and the expression's truth in *value (may be
 * NULL), or -1 with the byte offset of the first error and a message. */
int dep_eval(const char *expr, dep_ref_fn ref, void *u, int *value, size_t *err_off, const char **err_msg);

#endif
