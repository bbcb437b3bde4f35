/* plots.h: pictures of runs, drawn by gnuplot (run as a program).
 *
 * Each plot is three files in a directory: NAME.dat (the numbers, one
 * row per bar or point, so a user can re-plot them), NAME.gp (the gnuplot
 * script) and what gnuplot draws from them, NAME.svg and NAME.png. The
 * pictures are written under temporary names and renamed, so a failed
 * gnuplot leaves no half picture. Without gnuplot on PATH nothing is
 * drawn and plots_available() says so; the .dat and .gp files are still
 * written.
 *
 *   gantt    one run: a bar per workflow task and pod, coloured by phase
 *            (pull, download, rendezvous, training...): where the time went
 *   scaling  cases by GPU count: makespan and cost against GPUs
 *   cost     cases: the bill, stacked by line (GPU, CPU, storage, LB, fee)
 *   pareto   cases: time against cost, the front and the choice marked
 *   cdf      cases with trials: the makespan's distribution over them
 *
 * All return 0, or -1 with why in err (a file that cannot be written,
 * gnuplot failing). */
#ifndef REHEARSE_REPORT_PLOTS_H
#define REHEARSE_REPORT_PLOTS_H

#include <stddef.h>

#include "reports/compare.h"

/* 1 when a gnuplot can be run (GNUPLOT names it, else `gnuplot` on PATH). */
int plots_available(void);

int plot_gantt(const char *dir, const char *name, const sim_result *r, char *err, size_t errlen);
int plot_scaling(const char *dir, const char *name, const cmp_case *c, size_t n, char *err, size_t errlen);
int plot_cost(const char *dir, const char *name, const cmp_case *c, size_t n, char *err, size_t errlen);
int plot_cdf(const char *dir, const char *name, const cmp_case *c, size_t n, char *err, size_t errlen);
int plot_pareto(const char *dir, const char *name, const cmp_case *c, size_t n, const int *front,
		long pick, char *err, size_t errlen);

#endif
