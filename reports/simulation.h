/* simulation.h: rendering a simulation's result (sim/simulate.h).
 *
 * text: a header, the per-task timeline (start, end, duration, status,
 *       where its pod ran, why it failed or waits), the time each rank pod
 *       spent per phase, the summary (makespan, time to the first training
 *       step, idle GPU time, cost), then problems and the run's
 *       assumptions. With trace, every event first, one line each.
 * json: the same fields, machine-readable (written through jsonout.h, so
 *       nothing partial is written when memory runs out).
 * The result is plain data; this reads it and nothing else of sim/.
 * Both return 0, or -1 on a write error or out of memory. */
#ifndef REHEARSE_REPORT_SIMULATION_H
#define REHEARSE_REPORT_SIMULATION_H

#include <stdio.h>

#include "sim/simulate.h"

int report_sim_text(FILE *f, const sim_result *r, int trace);
/* The cost lines and waste of a result (part of report_sim_text). */
int report_cost_text(FILE *f, const sim_result *r);
/* Adds "cost" to parent (part of report_sim_json); NULL when out of memory. */
struct cJSON;
struct cJSON *report_cost_json(struct cJSON *parent, const sim_result *r);
int report_sim_json(FILE *f, const sim_result *r, int trace);

#endif
