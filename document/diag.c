/* diag.c: the list of findings every part of rehearse reports into.
 *
 * Strings are copied in, so a finding outlives whatever produced it (a
 * loaded file, a temporary message buffer). */
#include "document/diag.h"
#include "document/grow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct diag_list {
	diag *v;
	size_t n, cap;
};

diag_list *diag_list_new(void)
{
	return calloc(1, sizeof(diag_list));
}

static void diag_release(diag *d)
{
	free((char *)d->file);
	free((char *)d->rule);
	free((char *)d->msg);
	free((char *)d->hint);
	free((char *)d->suppressed);
}

void diag_list_free(diag_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		diag_release(&l->v[i]);
	free(l->v);
	free(l);
}

int diag_add(diag_list *l, diag_severity sev, const char *rule, const char *file,
	     unsigned line, unsigned col, unsigned end_line, unsigned end_col,
	     const char *hint, const char *fmt, ...)
{
	if (!l)
		return 0;
	if (GROW(l->v, l->n, l->cap, 16))
		return -1;
	char *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0 && (msg = malloc((size_t)n + 1))) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	diag d = {
		.file = strdup(file ? file : "<input>"),
		.line = line, .col = col, .end_line = end_line, .end_col = end_col,
		.sev = sev,
		.rule = strdup(rule),
		.msg = msg,
		.hint = strdup(hint ? hint : ""),
	};
	if (!d.file || !d.rule || !d.msg || !d.hint) {
		diag_release(&d);
		return -1;
	}
	l->v[l->n++] = d;
	return 0;
}

size_t diag_count(const diag_list *l)
{
	return l ? l->n : 0;
}

const diag *diag_get(const diag_list *l, size_t i)
{
	return i < l->n ? &l->v[i] : NULL;
}

static int cmp(const void *pa, const void *pb)
{
	const diag *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if ((c = strcmp(a->rule, b->rule)))
		return c;
	return strcmp(a->msg, b->msg);
}

void diag_sort(diag_list *l)
{
	if (!l || l->n < 2)
		return;
	qsort(l->v, l->n, sizeof *l->v, cmp);
	size_t w = 1;
	for (size_t r = 1; r < l->n; r++) {
		if (cmp(&l->v[w - 1], &l->v[r]) == 0)
			diag_release(&l->v[r]);
		else
			l->v[w++] = l->v[r];
	}
	l->n = w;
}

void diag_filter(diag_list *l, int (*keep)(const diag *d, void *ctx), void *ctx)
{
	size_t w = 0;
	for (size_t r = 0; r < l->n; r++) {
		if (keep(&l->v[r], ctx))
			l->v[w++] = l->v[r];
		else
			diag_release(&l->v[r]);
	}
	l->n = w;
}

size_t diag_count_at_least(const diag_list *l, diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; l && i < l->n; i++)
		n += l->v[i].sev >= sev && !l->v[i].suppressed;
	return n;
}

int diag_suppress(diag_list *l, size_t i, const char *reason)
{
	if (!l || i >= l->n)
		return 0;
	char *r = strdup(reason ? reason : "");
	if (!r)
		return -1;
	free((char *)l->v[i].suppressed);
	l->v[i].suppressed = r;
	return 0;
}

size_t diag_count_suppressed(const diag_list *l)
{
	size_t n = 0;
	for (size_t i = 0; l && i < l->n; i++)
		n += l->v[i].suppressed != NULL;
	return n;
}

const char *diag_severity_name(diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	default: return "note";
	}
}
