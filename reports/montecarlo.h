/* montecarlo.h: a Monte Carlo summary (sim/montecarlo.h) as text and JSON. */
#ifndef REHEARSE_REPORTS_MONTECARLO_H
#define REHEARSE_REPORTS_MONTECARLO_H

#include <stdio.h>

#include "sim/montecarlo.h"

/* What the report names: the workflow, the scenario, the run's seed, and
 * the assumptions of one trial (the first) to print beside the figures. */
typedef struct mc_report_info {
	const char *workflow, *scenario;
	uint64_t seed;
	const char *const *notes;
	size_t nnotes;
} mc_report_info;

int report_mc_text(FILE *f, const mc_summary *s, const mc_report_info *info);
int report_mc_json(FILE *f, const mc_summary *s, const mc_report_info *info);

#endif
