/* compare.h: cases side by side -- one column per case (reports for
 * `rehearse compare`, and the table `sweep` and `plan` print).
 *
 * A column is a simulated case (sim/study.h) and what the perf model says
 * of its step; the first column is the baseline that speed-up, scaling
 * efficiency and cost differences are measured against. Text for a
 * terminal, one JSON object, and GitHub-flavoured markdown for a pull
 * request comment. All return 0, or -1 on a write error or no memory. */
#ifndef REHEARSE_REPORT_COMPARE_H
#define REHEARSE_REPORT_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "model/perf.h"
#include "sim/simulate.h"
#include "sim/study.h"

typedef struct cmp_case {
	const char *label;        /* column header */
	const char *workflow, *scenario; /* what it ran: paths */
	const sim_result *r;
	int have_perf;            /* perf holds the perf model's view of a step */
	perf_out perf;
	const char *gpu;          /* GPU catalog name or label */
	const char *machine;
	int spot;
	int micro_batch;
	double nic_gbps;          /* the GPU pool's NIC */
	/* Monte Carlo (with --trials); trials 0: not run */
	int trials;
	double p_success, p50_makespan, p90_makespan, mean_cost;
	const study_trial *trial_rows;  /* trials of them */
} cmp_case;

/* Derived figures of column i against column 0. */
typedef struct cmp_derived {
	int gpus;                 /* ranks x GPUs per rank */
	double train_s;           /* training span: first step to training end; < 0 none */
	double speedup;           /* makespan of column 0 / this; 0 unknown */
	double train_speedup;     /* training time of column 0 / this */
	double efficiency;        /* train_speedup / (gpus / gpus of column 0) */
	const char *bound;        /* "compute", "network", ...; "-" unknown */
} cmp_derived;

/* The case's outcome: the simulation's status, except that a step the
 * perf model says does not fit in GPU memory is "Out of memory" whatever
 * a simulation that does not model it says. */
const char *cmp_status(const cmp_case *c);
int cmp_ok(const cmp_case *c);
void cmp_derive(const cmp_case *c, size_t n, size_t i, cmp_derived *out);
int report_compare_text(FILE *f, const cmp_case *c, size_t n);
int report_compare_json(FILE *f, const cmp_case *c, size_t n);
int report_compare_markdown(FILE *f, const cmp_case *c, size_t n);
/* The table alone, as an HTML <table> (for reports/html.c). */
int report_compare_html_table(FILE *f, const cmp_case *c, size_t n);

#endif
