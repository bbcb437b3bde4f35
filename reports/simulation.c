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

/* A span of days or more also in days (or years): 2762:17:04 is 115.1 days. */
static const char *days(double s, char *buf, size_t len)
{
	if (s >= 365.25 * 86400)
		snprintf(buf, len, ", %.1f years", s / (365.25 * 86400));
	else if (s >= 86400)
		snprintf(buf, len, ", %.1f days", s / 86400);
	else
		snprintf(buf, len, "%s", "");
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

static void cost_line(FILE *f, const char *label, double qty, const char *unit, double usd,
		      const char *extra)
{
	if (unit)
		fprintf(f, "  %-28s %9.2f %-11s $%9.2f%s\n", label, qty, unit, usd, extra);
	else
		fprintf(f, "  %-28s %9s %-11s $%9.2f%s\n", label, "", "", usd, extra);
}

int report_cost_text(FILE *f, const sim_result *r)
{
	const sim_cost *c = &r->cost;
	char label[64], extra[96];
	if (r->cut)
		fprintf(f, "\ncost (submission to the cut-off, %.2f h; the run had not ended: it costs more):\n",
			c->cluster_hours);
	else
		fprintf(f, "\ncost (submission to end, %.2f h):\n", c->cluster_hours);
	cost_line(f, c->gpu_spot ? "GPU nodes (spot)" : "GPU nodes (on-demand)", c->gpu_node_hours,
		  "node-hours", c->gpu_usd, "");
	cost_line(f, "CPU nodes", c->cpu_node_hours, "node-hours", c->cpu_usd, "");
	for (size_t i = 0; i < c->nstorage; i++) {
		snprintf(label, sizeof label, "storage (class %s)", c->storage[i].cls);
		snprintf(extra, sizeof extra, "  at $%.3f/GiB-month", c->storage[i].price_gib_month);
		cost_line(f, label, c->storage[i].gib_hours, "GiB-hours", c->storage[i].usd, extra);
	}
	if (c->lb_hours > 0)
		cost_line(f, "load balancers", c->lb_hours, "hours", c->lb_usd, "");
	cost_line(f, "cluster fee", c->cluster_hours, "hours", c->cluster_usd, "");
	cost_line(f, "total", 0, NULL, c->total_usd, "");
	if (c->per_epoch_usd >= 0) {
		snprintf(extra, sizeof extra, "  (%d epoch%s)", c->epochs, c->epochs == 1 ? "" : "s");
		cost_line(f, "per epoch", 0, NULL, c->per_epoch_usd, extra);
	}
	if (c->per_mtokens_usd >= 0) {
		snprintf(extra, sizeof extra, "  (%.3g tokens trained)", c->tokens);
		cost_line(f, "per million tokens", 0, NULL, c->per_mtokens_usd, extra);
	}
	fprintf(f, "\nwaste: idle GPU time %.2f GPU-hours of %.2f, $%.2f of the GPU nodes' $%.2f\n",
		c->idle_gpu_hours, r->gpu_s_provisioned / 3600, c->idle_gpu_usd, c->gpu_usd);
	for (int k = 0; k < SIM_PH_COUNT; k++)
		if (c->idle_phase_gpu_hours[k] >= 0.005)
			fprintf(f, "  %-28s %9.2f GPU-hours\n", sim_phase_name((sim_phase)k),
				c->idle_phase_gpu_hours[k]);
	if (c->idle_empty_gpu_hours >= 0.005)
		fprintf(f, "  %-28s %9.2f GPU-hours\n", "no GPU pod on the node", c->idle_empty_gpu_hours);
	if (c->unused_gpu_nodes)
		fprintf(f, "  %d of %d GPU nodes never ran a GPU pod: $%.2f for nothing (a fixed pool larger "
			"than the run needs)\n", c->unused_gpu_nodes, c->gpu_nodes, c->unused_gpu_usd);
	return ferror(f) ? -1 : 0;
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
	fprintf(f, "  status                      %s%s\n", r->status,
		r->cut == SIM_CUT_HORIZON ? " (at the simulator's horizon: the figures stop there)"
		: r->cut == SIM_CUT_EVENTS ? " (at the simulator's event cap: the figures stop there)" : "");
	fprintf(f, "  makespan                    %.1f s (%s%s)\n", r->makespan, hms(r->makespan, a, sizeof a),
		days(r->makespan, b, sizeof b));
	fprintf(f, "  time to first training step %s s (%s)\n", num(r->first_step, b, sizeof b),
		hms(r->first_step, c, sizeof c));
	fprintf(f, "  training ended              %s s\n", num(r->training_end, a, sizeof a));
	fprintf(f, "  GPU time provisioned        %.2f GPU-hours\n", r->gpu_s_provisioned / 3600);
	fprintf(f, "  GPU time training           %.2f GPU-hours\n", r->gpu_s_training / 3600);
	fprintf(f, "  idle GPU time               %.2f GPU-hours (%.0f%%)\n", idle / 3600,
		r->gpu_s_provisioned > 0 ? 100 * idle / r->gpu_s_provisioned : 0.0);
	fprintf(f, "  nodes added by autoscaler   %d\n", r->nodes_added);
	if (r->restarts || r->gpu_s_lost > 0) {
		fprintf(f, "  worker-group restarts       %d\n", r->restarts);
		fprintf(f, "  training lost to restarts   %.2f GPU-hours\n", r->gpu_s_lost / 3600);
	}
	fprintf(f, "  events                      %llu\n", (unsigned long long)r->events);
	report_cost_text(f, r);
	if (r->nfailures) {
		const sim_failure *x = &r->failures[0];
		fprintf(f, "\nfirst failure, at %.1f s (%s): %s\n  %s\n", x->t, hms(x->t, a, sizeof a), x->who,
			x->what);
		if (x->rule)
			fprintf(f, "  why: %s:%u:%u [%s] (see `rehearse lint`, `rehearse rules %s`)\n", x->file,
				x->line, x->col, x->rule, x->rule);
		fprintf(f, "  burned by then: %.2f GPU-hours, $%.2f of node time; the whole run: %.2f GPU-hours, "
			"$%.2f in all, in %s\n", x->gpu_s / 3600, x->cost, r->gpu_s_provisioned / 3600,
			r->cost.total_usd, hms(r->makespan, b, sizeof b));
		if (r->nfailures > 1) {
			fprintf(f, "\nfailures, in order:\n");
			for (size_t i = 0; i < r->nfailures; i++) {
				x = &r->failures[i];
				fprintf(f, "  %9.1f s  %s: %s", x->t, x->who, x->what);
				if (x->rule)
					fprintf(f, " [%s %s:%u:%u]", x->rule, x->file, x->line, x->col);
				fprintf(f, "\n");
			}
			if (r->failures_unlisted)
				fprintf(f, "  ... and %zu more, not listed (the first %zu are)\n", r->failures_unlisted,
					r->nfailures);
		}
	}
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

cJSON *report_cost_json(cJSON *parent, const sim_result *r)
{
	const sim_cost *c = &r->cost;
	cJSON *o = cJSON_AddObjectToObject(parent, "cost");
	int bad = !o;
	if (bad)
		return NULL;
	bad |= !cJSON_AddNumberToObject(o, "gpu_node_hours", ms(c->gpu_node_hours));
	bad |= !cJSON_AddNumberToObject(o, "gpu_usd", ms(c->gpu_usd));
	bad |= !cJSON_AddBoolToObject(o, "gpu_spot", c->gpu_spot);
	bad |= !cJSON_AddNumberToObject(o, "cpu_node_hours", ms(c->cpu_node_hours));
	bad |= !cJSON_AddNumberToObject(o, "cpu_usd", ms(c->cpu_usd));
	cJSON *st = cJSON_AddArrayToObject(o, "storage");
	bad |= !st;
	for (size_t i = 0; st && i < c->nstorage; i++) {
		cJSON *x = cJSON_CreateObject();
		if (!x || !cJSON_AddItemToArray(st, x)) {
			cJSON_Delete(x);
			return NULL;
		}
		bad |= !cJSON_AddStringToObject(x, "class", c->storage[i].cls);
		bad |= !cJSON_AddNumberToObject(x, "gib_hours", ms(c->storage[i].gib_hours));
		bad |= !cJSON_AddNumberToObject(x, "usd", ms(c->storage[i].usd));
		bad |= !cJSON_AddNumberToObject(x, "usd_per_gib_month", c->storage[i].price_gib_month);
	}
	bad |= !cJSON_AddNumberToObject(o, "storage_usd", ms(c->storage_usd));
	bad |= !cJSON_AddNumberToObject(o, "lb_hours", ms(c->lb_hours));
	bad |= !cJSON_AddNumberToObject(o, "lb_usd", ms(c->lb_usd));
	bad |= !cJSON_AddNumberToObject(o, "cluster_hours", ms(c->cluster_hours));
	bad |= !cJSON_AddNumberToObject(o, "cluster_usd", ms(c->cluster_usd));
	bad |= !cJSON_AddNumberToObject(o, "total_usd", ms(c->total_usd));
	bad |= !(c->per_epoch_usd >= 0 ? cJSON_AddNumberToObject(o, "per_epoch_usd", ms(c->per_epoch_usd))
		 : cJSON_AddNullToObject(o, "per_epoch_usd"));
	bad |= !(c->per_mtokens_usd >= 0 ? cJSON_AddNumberToObject(o, "per_mtokens_usd", ms(c->per_mtokens_usd))
		 : cJSON_AddNullToObject(o, "per_mtokens_usd"));
	bad |= !cJSON_AddNumberToObject(o, "idle_gpu_hours", ms(c->idle_gpu_hours));
	bad |= !cJSON_AddNumberToObject(o, "idle_gpu_usd", ms(c->idle_gpu_usd));
	cJSON *ph = cJSON_AddObjectToObject(o, "idle_gpu_hours_by_phase");
	bad |= !ph;
	for (int k = SIM_PH_VOLUME; ph && k < SIM_PH_COUNT; k++)
		if (k != SIM_PH_TRAINING)
			bad |= !cJSON_AddNumberToObject(ph, sim_phase_name((sim_phase)k),
							ms(c->idle_phase_gpu_hours[k]));
	bad |= !cJSON_AddNumberToObject(o, "idle_gpu_hours_no_pod", ms(c->idle_empty_gpu_hours));
	bad |= !cJSON_AddNumberToObject(o, "gpu_nodes", c->gpu_nodes);
	bad |= !cJSON_AddNumberToObject(o, "unused_gpu_nodes", c->unused_gpu_nodes);
	bad |= !cJSON_AddNumberToObject(o, "unused_gpu_usd", ms(c->unused_gpu_usd));
	return bad ? NULL : o;
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
			if (r->cut) { /* the figures stop at the cut: the run had not ended */
				cJSON *c = cJSON_AddObjectToObject(s, "cut_off");
				bad |= !c;
				if (c) {
					bad |= !cJSON_AddStringToObject(c, "by", r->cut == SIM_CUT_HORIZON
									? "horizon" : "events");
					bad |= !cJSON_AddNumberToObject(c, "at_s", ms(r->cut_at));
					bad |= !cJSON_AddNumberToObject(c, "horizon_s", ms(r->horizon));
					bad |= !(isinf(r->next_event) ? cJSON_AddNullToObject(c, "next_event_s")
						 : cJSON_AddNumberToObject(c, "next_event_s", ms(r->next_event)));
				}
			} else {
				bad |= !cJSON_AddNullToObject(s, "cut_off");
			}
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
			bad |= !report_cost_json(s, r);
			bad |= !cJSON_AddNumberToObject(s, "restarts", r->restarts);
			bad |= !cJSON_AddNumberToObject(s, "gpu_hours_lost", ms(r->gpu_s_lost / 3600));
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
		cJSON *fl = cJSON_AddArrayToObject(root, "failures");
		bad |= !fl;
		bad |= !cJSON_AddNumberToObject(root, "failures_unlisted", (double)r->failures_unlisted);
		for (size_t i = 0; fl && i < r->nfailures; i++) {
			const sim_failure *x = &r->failures[i];
			cJSON *o = cJSON_CreateObject();
			if (!o || !cJSON_AddItemToArray(fl, o)) {
				cJSON_Delete(o);
				bad = 1;
				break;
			}
			bad |= !cJSON_AddNumberToObject(o, "t_s", ms(x->t));
			bad |= !cJSON_AddStringToObject(o, "who", x->who);
			bad |= !cJSON_AddStringToObject(o, "what", x->what);
			if (x->rule) {
				bad |= !cJSON_AddStringToObject(o, "rule", x->rule);
				bad |= !cJSON_AddStringToObject(o, "file", x->file ? x->file : "");
				bad |= !cJSON_AddNumberToObject(o, "line", x->line);
				bad |= !cJSON_AddNumberToObject(o, "col", x->col);
			} else {
				bad |= !cJSON_AddNullToObject(o, "rule");
			}
			bad |= !cJSON_AddNumberToObject(o, "gpu_hours_burned", ms(x->gpu_s / 3600));
			bad |= !cJSON_AddNumberToObject(o, "cost_usd_burned", ms(x->cost));
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
