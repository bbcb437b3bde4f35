/* expr.h: Argo's `when` conditions, evaluated offline.
 *
 * Argo substitutes a `when` (every {{...}} it knows), then hands the text
 * to govaluate, reading bare words as strings ("heads == heads"). A
 * {{=...}} inside is an expr-lang expression, evaluated first, its result
 * put in its place. This reader does both, for the subset the examples
 * use: == != < > <= >= =~ !~ && || ! ( ), + - * / on numbers, string and
 * number literals, true/false/nil; on the expr side also `and`/`or`/`not`,
 * a ? b : c, variable paths (inputs.parameters["x"] reads as
 * inputs.parameters.x) and asInt/asFloat.
 *
 * What is unknown offline stays unknown, three-valued: false && unknown is
 * false, true || unknown is true, anything else with an unknown is
 * unknown. A {{...}} the caller still cannot resolve is such an unknown;
 * every comparison of one with a known value is reported (expr_cmp_fn), so
 * a caller can learn which values a condition tells apart -- the values a
 * coin flip's result is compared with -- and draw one. Nothing is
 * short-circuited, so every comparison is seen.
 *
 * Pure: no allocation that outlives a call, no I/O. */
#ifndef REHEARSE_EXPR_H
#define REHEARSE_EXPR_H

#include <stddef.h>

#define EXPR_MAX_DEPTH 100 /* nesting deeper than this is refused */

/* The value of a {{name}} left in the text (or, inside {{=...}}, of a
 * variable path), or NULL when it is unknown. The string must outlive the
 * call. */
typedef const char *(*expr_ref_fn)(void *u, const char *name, size_t len);

/* A comparison of the unknown `ref` with a known value: op is "==", "!=",
 * "<", "<=", ">", ">=", "=~" or "!~", written as if ref were on the left
 * ("3 < {{x}}" arrives as "{{x}} > 3"); lit is the value's text. */
typedef void (*expr_cmp_fn)(void *u, const char *ref, size_t reflen, const char *op,
			    const char *lit, size_t litlen);

typedef struct expr_env {
	expr_ref_fn ref;   /* may be NULL: every {{...}} is unknown */
	expr_cmp_fn cmp;   /* may be NULL */
	void *u;
} expr_env;

/* Evaluate a substituted `when`. Returns 0 with its truth in *value, 1
 * when it depends on an unknown, or -1 with the byte offset of the first
 * error and a message (syntax, or a type govaluate refuses: ordering a
 * string against a number, && on a string). */
int expr_when(const char *s, const expr_env *env, int *value, size_t *err_off, const char **err_msg);

#endif
