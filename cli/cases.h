/* cases.h: what compare, sweep and plan share at the command line.
 *
 * Comma-separated lists ("1,2,4,8", "v100-16,h100"), and running a list
 * of cases (sim/study.h) into columns for reports/compare.h, with the
 * inputs' findings printed where the user can act on them. */
#ifndef REHEARSE_CLI_CASES_H
#define REHEARSE_CLI_CASES_H

#include <stddef.h>

#include "reports/compare.h"
#include "sim/study.h"

/* "1,2,4" into at most max whole numbers in lo..hi: the count, or -1. */
int cases_int_list(const char *s, int *out, int max, int lo, int hi);
/* "a,b" split in place into at most max strings: the count, or -1. */
int cases_str_list(char *s, const char **out, int max);

/* Run cases[0..n) into runs and cols (labels and paths kept from the
 * cases). Progress on stderr when it is a terminal and n > 1 (a bar, for
 * sweeps). Returns 0, or -1 after printing why to stderr ("rehearse CMD:
 * ..."): the runs made so far are freed by cases_free either way. */
int cases_run(const char *cmd, const study_case *cases, size_t n, study_run **runs, cmp_case *cols);
void cases_free(study_run **runs, size_t n);

#endif
