/* sweep.h: many cases, one row each, with the time/cost Pareto front and a
 * decision (reports for `rehearse sweep` and `rehearse plan`).
 *
 * Rows are cmp_case (reports/compare.h). front[i] marks the Pareto front;
 * pick is the row the decision chose (-1: none) and why says why in one
 * line (the recommendation, or why no case meets the plan's terms). All
 * return 0, or -1 on a write error or no memory. */
#ifndef REHEARSE_REPORT_SWEEP_H
#define REHEARSE_REPORT_SWEEP_H

#include <stdio.h>

#include "reports/compare.h"

typedef struct sweep_view {
	const char *title;        /* "sweep: fixed.yaml on gke-v100-4node, 12 cases" */
	const char *decision;     /* "recommendation" or "plan" */
	const int *front;
	long pick;
	const char *why;
	double deadline_s, budget_usd; /* plan's terms; <= 0 when not given */
} sweep_view;

int report_sweep_text(FILE *f, const cmp_case *c, size_t n, const sweep_view *v);
int report_sweep_json(FILE *f, const cmp_case *c, size_t n, const sweep_view *v);

#endif
