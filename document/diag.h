/* diag.h: findings -- what lint, the loader and the fixer report.
 *
 * A finding has a stable rule id, a severity, a source range (1-based line
 * and column; end is inclusive, 0 when unknown), a one-line message and a
 * one-line fix hint. The list owns copies of every string it is given, so
 * callers may pass temporaries. Reports (reports/) render a list; rules
 * (validate/) fill it. */
#ifndef REHEARSE_DIAG_H
#define REHEARSE_DIAG_H

#include <stddef.h>

typedef enum { DIAG_NOTE = 0, DIAG_WARNING = 1, DIAG_ERROR = 2 } diag_severity;

typedef struct diag {
	const char *file;
	unsigned line, col, end_line, end_col;
	diag_severity sev;
	const char *rule;
	const char *msg;
	const char *hint; /* may be "" but never NULL */
	const char *suppressed; /* NULL, or why a `# rehearse:ignore` silenced it ("" without a reason) */
} diag;

typedef struct diag_list diag_list;

diag_list *diag_list_new(void);
void diag_list_free(diag_list *l);

/* Add a finding; returns 0, or -1 when out of memory (the finding is lost). */
int diag_add(diag_list *l, diag_severity sev, const char *rule, const char *file,
	     unsigned line, unsigned col, unsigned end_line, unsigned end_col,
	     const char *hint, const char *fmt, ...) __attribute__((format(printf, 10, 11)));

size_t diag_count(const diag_list *l);
const diag *diag_get(const diag_list *l, size_t i);
/* Sort by file, line, column, rule; drop exact duplicates. */
void diag_sort(diag_list *l);
/* Keep only findings for which keep() returns non-zero. */
void diag_filter(diag_list *l, int (*keep)(const diag *d, void *ctx), void *ctx);
/* Findings at sev or above that are not suppressed. */
size_t diag_count_at_least(const diag_list *l, diag_severity sev);
/* Mark finding i suppressed, with the reason given (copied). Returns 0, or
 * -1 when out of memory. */
int diag_suppress(diag_list *l, size_t i, const char *reason);
/* Findings that are suppressed. */
size_t diag_count_suppressed(const diag_list *l);
const char *diag_severity_name(diag_severity sev);

#endif
