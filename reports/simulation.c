/* simulation.c: text and JSON renderings of a simulation (simulation.h).
 *
 * Times are seconds from submission. The text form also gives long spans
 * as h:mm:ss, because a makespan of 7260 s means little at a glance. */
#include "reports/simulation.h"

#include <cJSON.h>
#include <math.h>
#include <string.h>

#include "reports/jsonout.h"

static const char *hms(double s, char *buf, size_t len)
{
	if (s < 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	long t = lround(s);
	snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	return buf;
}

static const char *num(double v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", v);
	return buf;
}

int report_sim_text(FILE *f, const sim_result *r, int trace)
{
	char a[32], b[32], c[32];
	if (trace) {
		fprintf(f, "trace:\n");
		for (size_t i = 0; i < r->ntrace; i++)
			fprintf(f, "  %10.1f  %s\n", r->trace[i].t, r->trace[i].text);
		fprintf(f, "\n");
	}
	fprintf(f, "simulate: workflow %s on scenario %s (seed %llu)\n", r->workflow, r->scenario,
		(unsigned long long)r->seed);
	if (r->nodes_to > 0) {
		if (r->nodes_from != r->nodes_to)
			fprintf(f, "torchrun fan-out re-scaled from %d to %d nodes\n", r->nodes_from,
				r->nodes_to);
		else
			fprintf(f, "torchrun fan-out: %d nodes\n", r->nodes_to);
	}
	fprintf(f, "\ntimeline (seconds from submission):\n");
	fprintf(f, "  %9s %9s %9s  %-9s  %-40s %s\n", "start", "end", "duration", "status", "task",
		"node (zone)");
	for (size_t i = 0; i < r->nrec; i++) {
		const sim_record *x = &r->rec[i];
		char name[256];
		int ind = x->depth > 8 ? 8 : x->depth;
		snprintf(name, sizeof name, "%*s%s", 2 * ind, "", x->name);
		fprintf(f, "  %9.1f %9s %9s  %-9s  %-40s", x->start, num(x->end, a, sizeof a),
			x->end >= 0 ? num(x->end - x->start, b, sizeof b) : "-", x->status, name);
		if (x->node)
			fprintf(f, " %s (%s)", x->node, x->zone ? x->zone : "?");
		fprintf(f, "\n");
		if (x->message && *x->message)
			fprintf(f, "  %9s %9s %9s  %-9s  %*s  ^ %s\n", "", "", "", "", 2 * ind, "",
				x->message);
	}
	double any = 0;
	for (int k = 0; k < SIM_PH_COUNT; k++)
		any += r->phase_rank_mean[k];
	if (r->ranks && any > 0) {
		fprintf(f, "\ntime per phase, mean over %d torchrun rank pod(s):\n", r->ranks);
		for (int k = 0; k < SIM_PH_COUNT; k++)
			if (r->phase_rank_mean[k] > 0)
				fprintf(f, "  %-13s %9.1f s  %s\n", sim_phase_name((sim_phase)k),
					r->phase_rank_mean[k], hms(r->phase_rank_mean[k], a, sizeof a));
	}
	double idle = r->gpu_s_provisioned - r->gpu_s_training;
	fprintf(f, "\nsummary:\n");
	fprintf(f, "  status                      %s\n", r->status);
	fprintf(f, "  makespan                    %.1f s (%s)\n", r->makespan, hms(r->makespan, a, sizeof a));
	fprintf(f, "  time to first training step %s s (%s)\n", num(r->first_step, b, sizeof b),
		hms(r->first_step, c, sizeof c));
	fprintf(f, "  training ended              %s s\n", num(r->training_end, a, sizeof a));
	fprintf(f, "  GPU time provisioned        %.2f GPU-hours\n", r->gpu_s_provisioned / 3600);
	fprintf(f, "  GPU time training           %.2f GPU-hours\n", r->gpu_s_training / 3600);
	fprintf(f, "  idle GPU time               %.2f GPU-hours (%.0f%%)\n", idle / 3600,
		r->gpu_s_provisioned > 0 ? 100 * idle / r->gpu_s_provisioned : 0.0);
	fprintf(f, "  node cost                   $%.2f\n", r->node_cost);
	fprintf(f, "  nodes added by autoscaler   %d\n", r->nodes_added);
	fprintf(f, "  events                      %llu\n", (unsigned long long)r->events);
	if (r->nproblems) {
		fprintf(f, "\nproblems:\n");
		for (size_t i = 0; i < r->nproblems; i++)
			fprintf(f, "  - %s\n", r->problems[i]);
	}
	if (r->nnotes) {
		fprintf(f, "\nassumptions:\n");
		for (size_t i = 0; i < r->nnotes; i++)
			fprintf(f, "  - %s\n", r->notes[i]);
	}
	return ferror(f) ? -1 : 0;
}

/* cJSON stores numbers as doubles; round to the millisecond so that the
 * printed digits do not depend on the last bits of a sum. */
static double ms(double v)
{
	return v < 0 ? -1 : round(v * 1000) / 1000;
}

static int strings(cJSON *o, const char *key, const char *const *v, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);
	for (size_t i = 0; a && i < n; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(v[i])))
			return -1;
	return a ? 0 : -1;
}

int report_sim_json(FILE *f, const sim_result *r, int trace)
{
	cJSON *root = cJSON_CreateObject();
	int bad = !root;
	if (!bad) {
		bad |= !cJSON_AddNumberToObject(root, "version", 1);
		bad |= !cJSON_AddStringToObject(root, "workflow", r->workflow);
		bad |= !cJSON_AddStringToObject(root, "scenario", r->scenario);
		bad |= !cJSON_AddNumberToObject(root, "seed", (double)r->seed);
		bad |= !cJSON_AddNumberToObject(root, "nodes_from", r->nodes_from);
		bad |= !cJSON_AddNumberToObject(root, "nodes_to", r->nodes_to);
		cJSON *s = cJSON_AddObjectToObject(root, "summary");
		bad |= !s;
		if (s) {
			bad |= !cJSON_AddStringToObject(s, "status", r->status);
			bad |= !cJSON_AddNumberToObject(s, "makespan_s", ms(r->makespan));
			bad |= !cJSON_AddNumberToObject(s, "first_step_s", ms(r->first_step));
			bad |= !cJSON_AddNumberToObject(s, "training_end_s", ms(r->training_end));
			bad |= !cJSON_AddNumberToObject(s, "gpu_hours_provisioned", ms(r->gpu_s_provisioned / 3600));
			bad |= !cJSON_AddNumberToObject(s, "gpu_hours_training", ms(r->gpu_s_training / 3600));
			bad |= !cJSON_AddNumberToObject(s, "gpu_hours_idle",
							ms((r->gpu_s_provisioned - r->gpu_s_training) / 3600));
			bad |= !cJSON_AddNumberToObject(s, "node_cost_usd", ms(r->node_cost));
			bad |= !cJSON_AddNumberToObject(s, "nodes_added", r->nodes_added);
			bad |= !cJSON_AddNumberToObject(s, "ranks", r->ranks);
			bad |= !cJSON_AddNumberToObject(s, "events", (double)r->events);
			cJSON *ph = cJSON_AddObjectToObject(s, "rank_phase_mean_s");
			bad |= !ph;
			for (int k = 0; ph && k < SIM_PH_COUNT; k++)
				bad |= !cJSON_AddNumberToObject(ph, sim_phase_name((sim_phase)k),
								ms(r->phase_rank_mean[k]));
		}
		cJSON *tasks = cJSON_AddArrayToObject(root, "timeline");
		bad |= !tasks;
		for (size_t i = 0; tasks && i < r->nrec && !bad; i++) {
			const sim_record *x = &r->rec[i];
			cJSON *t = cJSON_CreateObject();
			if (!t || !cJSON_AddItemToArray(tasks, t)) {
				cJSON_Delete(t);
				bad = 1;
				break;
			}
			bad |= !cJSON_AddStringToObject(t, "name", x->name);
			bad |= !cJSON_AddStringToObject(t, "template", x->tmpl);
			bad |= !cJSON_AddStringToObject(t, "what", x->what);
			bad |= !cJSON_AddNumberToObject(t, "depth", x->depth);
			bad |= !cJSON_AddNumberToObject(t, "attempt", x->attempt);
			bad |= !cJSON_AddNumberToObject(t, "start_s", ms(x->start));
			bad |= !(x->end >= 0 ? cJSON_AddNumberToObject(t, "end_s", ms(x->end))
				 : cJSON_AddNullToObject(t, "end_s"));
			bad |= !cJSON_AddStringToObject(t, "status", x->status);
			bad |= !cJSON_AddStringToObject(t, "message", x->message ? x->message : "");
			if (x->node) {
				bad |= !cJSON_AddStringToObject(t, "node", x->node);
				bad |= !cJSON_AddStringToObject(t, "zone", x->zone ? x->zone : "");
				bad |= !cJSON_AddNumberToObject(t, "gpus", x->gpus);
				cJSON *ph = cJSON_AddObjectToObject(t, "phases_s");
				bad |= !ph;
				for (int k = 0; ph && k < SIM_PH_COUNT; k++)
					if (x->phase[k] > 0)
						bad |= !cJSON_AddNumberToObject(ph, sim_phase_name((sim_phase)k),
										ms(x->phase[k]));
			}
		}
		bad |= strings(root, "problems", r->problems, r->nproblems);
		bad |= strings(root, "assumptions", r->notes, r->nnotes);
		if (trace) {
			cJSON *tr = cJSON_AddArrayToObject(root, "trace");
			bad |= !tr;
			for (size_t i = 0; tr && i < r->ntrace && !bad; i++) {
				cJSON *e = cJSON_CreateObject();
				if (!e || !cJSON_AddItemToArray(tr, e)) {
					cJSON_Delete(e);
					bad = 1;
					break;
				}
				bad |= !cJSON_AddNumberToObject(e, "t", ms(r->trace[i].t));
				bad |= !cJSON_AddStringToObject(e, "event", r->trace[i].text);
			}
		}
	}
	if (bad) {
		cJSON_Delete(root);
		return -1;
	}
	return report_json_write(f, root);
}
