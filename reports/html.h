/* html.h: one self-contained HTML report (--html FILE).
 *
 * The summary of every case (compare's table), the workflow's lint
 * findings, each case's timeline, the plots inline as SVG (read from the
 * --plots directory when gnuplot drew them), the decision of a sweep or
 * plan, and every assumption and problem. No script, no stylesheet or
 * font from the network: the file reads the same opened from a disk, a CI
 * artifact or a mail. */
#ifndef REHEARSE_REPORT_HTML_H
#define REHEARSE_REPORT_HTML_H

#include <stdio.h>

#include "document/diag.h"
#include "reports/compare.h"

typedef struct html_view {
	const char *title;          /* "rehearse compare: fixed.yaml, 1 node vs 4 nodes" */
	const char *command;        /* the command line, shown as is */
	const cmp_case *cases;
	size_t n;
	const diag_list *findings;  /* the workflow's lint findings, or NULL */
	const char *plots_dir;      /* where the SVGs are, or NULL */
	const char *decision;       /* "recommendation: ...", or NULL */
	const char *version;
} html_view;

/* text with &, <, > and " escaped. */
void html_text(FILE *f, const char *s);

/* Write the report to path (a temporary file renamed into place, so an
 * error leaves no partial file). Returns 0, or -1 with err. */
int report_html(const char *path, const html_view *v, char *err, size_t errlen);

#endif
