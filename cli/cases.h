/* cases.h: what compare, sweep and plan share at the command line.
 *
 * Comma-separated lists ("1,2,4,8", "v100-16,h100"), and running a list
 * of cases (sim/study.h) into columns for reports/compare.h, with the
 * inputs' findings printed where the user can act on them. */
#ifndef REHEARSE_CLI_CASES_H
#define REHEARSE_CLI_CASES_H

#include <stddef.h>

#include "reports/compare.h"
#include "reports/store.h"
#include "sim/study.h"

/* The options compare, sweep and plan share, read one way: --nodes LIST,
 * --gpu LIST (each a GPU machine type of model/machine.h), --micro-batch
 * LIST, --seed N, --trials N, --db FILE, --plots DIR, --html FILE. Each
 * given option is also kept as written (pass, for a sharded sweep's pods). */
enum { CASES_MAX_LIST = 32 };
typedef struct cases_opts {
	int nodes[CASES_MAX_LIST], nn;     /* nn 0: not given */
	const char *gpus[CASES_MAX_LIST];
	int ng;
	int mbs[CASES_MAX_LIST], nm;
	uint64_t seed;
	int trials;
	const char *db, *plots, *html;
	const char *pass[16];
	int npass;
	char gpu_buf[512];
} cases_opts;

void cases_opts_init(cases_opts *o);
/* key is cli_next's answer, arg its value. 1: one of the shared options,
 * taken; 0: not one of them; -1: a bad value (the usage error printed). */
int cases_option(cases_opts *o, int key, const char *arg, const char *usage, const char *cmd);
/* Their rows of a cli_opt table, to splice into a command's own. */
#define CASES_OPTS {"nodes", 'n', 1, 'n'}, {"gpu", 0, 1, 'g'}, {"micro-batch", 0, 1, 'm'}, \
	{"seed", 0, 1, 'S'}, {"trials", 0, 1, 'T'}, {"db", 0, 1, 'D'}, {"plots", 0, 1, 'P'}, \
	{"html", 0, 1, 'H'}

/* "1,2,4" into at most max whole numbers in lo..hi: the count, or -1. */
int cases_int_list(const char *s, int *out, int max, int lo, int hi);
/* "a,b" split in place into at most max strings: the count, or -1. */
int cases_str_list(char *s, const char **out, int max);

/* Run cases[0..n) into runs and cols (labels and paths kept from the
 * cases). Progress on stderr when it is a terminal and n > 1 (a bar, for
 * sweeps). With trials > 0 each case is also run that many times
 * (study_trials): success probability and makespan percentiles. With db, each run is written to the store as it ends (one
 * transaction each). Returns 0, or -1 after printing why to stderr ("rehearse CMD:
 * ..."): the runs made so far are freed by cases_free either way. */
int cases_run(const char *cmd, const study_case *cases, size_t n, study_run **runs, cmp_case *cols,
	      store *db, int trials);
/* --db FILE: open the run store and record the command line; NULL after
 * printing why ("rehearse CMD: FILE: ..."). */
store *cases_store(const char *cmd, const char *path, int argc, char **argv);
void cases_free(study_run **runs, size_t n);

/* --plots DIR: the pictures that fit what ran (plots.h): a timeline per
 * case (up to 8; `gantt` for one, `gantt-N` numbered from 1), the bill,
 * and with several cases the scaling curve and, given front, the Pareto
 * front. Without gnuplot the data and scripts are written and one note
 * says so. Returns 0, or -1 after printing why. */
int cases_plots(const char *cmd, const char *dir, const cmp_case *cols, size_t n, const int *front,
		long pick);

/* --html FILE: the self-contained report (reports/html.h), with the plots
 * of plots_dir (drawn into a temporary directory first when NULL).
 * Returns 0, or -1 after printing why. */
int cases_html(const char *cmd, const char *path, int argc, char **argv, const cmp_case *cols, size_t n,
	       const diag_list *findings, const char *plots_dir, const int *front, long pick,
	       const char *decision);

/* A grid of cases: every node count x GPU x micro-batch x price (spot 0
 * and/or 1) of one workflow on one scenario. An empty list (n 0) keeps
 * the scenario's value. Labels ("4 x h100 mb 2 spot") in the returned
 * array's own storage: free(cases) frees all. *n gets the count; NULL
 * when out of memory. */
study_case *cases_grid(const char *wf, const char *scn, const int *nodes, int nn,
		       const char *const *gpus, int ng, const int *mbs, int nm, const int *spots,
		       int ns, uint64_t seed, size_t *n);
/* Time and cost of each column, and whether it succeeded: arrays of n the
 * caller frees (for study_pareto and friends). With trials: the p90
 * makespan, the mean cost, and ok when some trial succeeded. 0, or -1
 * out of memory. */
int cases_figures(const cmp_case *cols, size_t n, double **time, double **cost, int **ok);
/* --trials N: a whole number 1..100000, or -1. */
int cases_trials(const char *s);
/* The plan's deadline: "90m", "1.5h", "3600s" or seconds; -1 if not one. */
double cases_duration(const char *s);
/* What a case is, in a few words: "4 x h100 on-demand, micro-batch 1". */
const char *cases_describe(const cmp_case *c, char *buf, size_t len);

#endif
