/* sweep.c: one row per case, the Pareto front and the decision (sweep.h). */
#include "reports/sweep.h"

#include <cJSON.h>
#include <math.h>
#include <string.h>

#include "reports/jsonout.h"

static const char *span(double s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s < 5940)
		snprintf(buf, len, "%.1f min", s / 60);
	else
		snprintf(buf, len, "%.2f h", s / 3600);
	return buf;
}

/* How many cases say note s. */
static size_t said_by(const cmp_case *c, size_t n, const char *s)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t m = 0; m < c[i].r->nnotes; m++)
			if (!strcmp(c[i].r->notes[m], s)) {
				k++;
				break;
			}
	return k;
}

/* The assumptions behind the figures: each distinct one once, with how
 * many cases rest on it; those about one case only are counted (JSON
 * lists every case's own). */
static void assumptions(FILE *f, const cmp_case *c, size_t n)
{
	size_t single = 0;
	int any = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t m = 0; m < c[i].r->nnotes; m++) {
			const char *s = c[i].r->notes[m];
			int first = 1;
			for (size_t j = 0; first && j <= i; j++)
				for (size_t q = 0; q < c[j].r->nnotes && (j < i || q < m); q++)
					if (!strcmp(c[j].r->notes[q], s)) {
						first = 0;
						break;
					}
			if (!first)
				continue;
			size_t k = said_by(c, n, s);
			if (k == 1 && n > 1) {
				single++;
				continue;
			}
			if (!any++)
				fprintf(f, "\nassumptions:\n");
			if (k == n)
				fprintf(f, "  - %s\n", s);
			else
				fprintf(f, "  - (%zu of %zu cases) %s\n", k, n, s);
		}
	if (single)
		fprintf(f, "%s  - and %zu about one case each (the perf model's step, a pool's size): "
			"--format json lists every case's own\n", any ? "" : "\nassumptions:\n", single);
}

int report_sweep_text(FILE *f, const cmp_case *c, size_t n, const sweep_view *v)
{
	char a[32], b[32];
	int mc = n && c[0].trials > 0;
	fprintf(f, "%s\n\n", v->title);
	if (mc)
		fprintf(f, "  %d trials a case: makespan is the p90 of the trials, cost their mean, P(ok) the share "
			"that succeeded\n\n", c[0].trials);
	fprintf(f, "  %5s  %-8s %3s %-9s  %-11s  %10s %10s %10s %9s %7s  %-8s%s\n", "nodes", "gpu", "mb",
		"price", "status", mc ? "p90" : "makespan", "training", "cost", "$/Mtok", "idle", "bound",
		mc ? "  P(ok)" : "");
	for (size_t i = 0; i < n; i++) {
		const sim_result *r = c[i].r;
		double train = r->first_step >= 0 && r->training_end >= 0 ? r->training_end - r->first_step : -1;
		char cost[32], per[32];
		snprintf(cost, sizeof cost, "$%.2f", r->cost.total_usd);
		if (r->cost.per_mtokens_usd >= 0)
			snprintf(per, sizeof per, "$%.2f", r->cost.per_mtokens_usd);
		else
			snprintf(per, sizeof per, "-");
		char pok[16] = "";
		if (mc) {
			snprintf(cost, sizeof cost, "$%.2f", c[i].mean_cost);
			snprintf(pok, sizeof pok, "  %4.0f%%", 100 * c[i].p_success);
		}
		fprintf(f, "%c %5d  %-8s %3d %-9s  %-11s  %10s %10s %10s %9s %6.0f%%  %-8s%s%s\n",
			(long)i == v->pick ? '>' : ' ', r->ranks, c[i].gpu, c[i].micro_batch,
			c[i].spot ? "spot" : "on-demand", cmp_status(&c[i]),
			span(mc ? c[i].p90_makespan : r->makespan, a, sizeof a),
			span(train, b, sizeof b), cost, per,
			r->gpu_s_provisioned > 0 ? 100 * r->cost.idle_gpu_hours * 3600 / r->gpu_s_provisioned : 0.0,
			c[i].have_perf ? perf_bound_name(c[i].perf.bound) : "-", pok,
			v->front && v->front[i] ? "  *" : "");
	}
	fprintf(f, "\n  * on the time/cost Pareto front: no other case is both as fast and as cheap\n");
	if (v->pick >= 0)
		fprintf(f, "  > the %s\n", v->decision);
	fprintf(f, "\n%s: %s\n", v->decision, v->why);
	assumptions(f, c, n);
	/* failures say why, once each */
	int any = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < c[i].r->nproblems && k < 1; k++) {
			if (!any++)
				fprintf(f, "\nproblems:\n");
			fprintf(f, "  - [%s] %s\n", c[i].label, c[i].r->problems[k]);
		}
	return ferror(f) ? -1 : 0;
}

static double r3(double v)
{
	return round(v * 1000) / 1000;
}

int report_sweep_json(FILE *f, const cmp_case *c, size_t n, const sweep_view *v)
{
	cJSON *root = cJSON_CreateObject();
	int bad = !root;
	cJSON *cases = root ? cJSON_AddArrayToObject(root, "cases") : NULL;
	bad |= !cases;
	for (size_t i = 0; !bad && i < n; i++) {
		const sim_result *r = c[i].r;
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(cases, o)) {
			cJSON_Delete(o);
			bad = 1;
			break;
		}
		double train = r->first_step >= 0 && r->training_end >= 0 ? r->training_end - r->first_step : -1;
		bad |= !cJSON_AddStringToObject(o, "label", c[i].label);
		bad |= !cJSON_AddNumberToObject(o, "nodes", r->ranks);
		bad |= !cJSON_AddStringToObject(o, "gpu", c[i].gpu);
		bad |= !cJSON_AddStringToObject(o, "machine", c[i].machine);
		bad |= !cJSON_AddNumberToObject(o, "micro_batch", c[i].micro_batch);
		bad |= !cJSON_AddBoolToObject(o, "spot", c[i].spot);
		bad |= !cJSON_AddStringToObject(o, "status", cmp_status(&c[i]));
		bad |= !cJSON_AddNumberToObject(o, "makespan_s", r3(r->makespan));
		bad |= !(train >= 0 ? cJSON_AddNumberToObject(o, "training_s", r3(train))
			 : cJSON_AddNullToObject(o, "training_s"));
		bad |= !cJSON_AddNumberToObject(o, "cost_usd", r3(r->cost.total_usd));
		bad |= !(r->cost.per_mtokens_usd >= 0
			 ? cJSON_AddNumberToObject(o, "cost_per_mtokens_usd", r3(r->cost.per_mtokens_usd))
			 : cJSON_AddNullToObject(o, "cost_per_mtokens_usd"));
		bad |= !cJSON_AddNumberToObject(o, "idle_gpu_hours", r3(r->cost.idle_gpu_hours));
		bad |= !cJSON_AddStringToObject(o, "bottleneck", c[i].have_perf ? perf_bound_name(c[i].perf.bound) : "");
		bad |= !cJSON_AddBoolToObject(o, "pareto", v->front && v->front[i]);
		if (c[i].trials > 0) {
			bad |= !cJSON_AddNumberToObject(o, "trials", c[i].trials);
			bad |= !cJSON_AddNumberToObject(o, "p_success", r3(c[i].p_success));
			bad |= !cJSON_AddNumberToObject(o, "makespan_p50_s", r3(c[i].p50_makespan));
			bad |= !cJSON_AddNumberToObject(o, "makespan_p90_s", r3(c[i].p90_makespan));
			bad |= !cJSON_AddNumberToObject(o, "cost_mean_usd", r3(c[i].mean_cost));
		}
		cJSON *a = cJSON_AddArrayToObject(o, "assumptions");
		bad |= !a;
		for (size_t k = 0; a && k < r->nnotes; k++)
			bad |= !cJSON_AddItemToArray(a, cJSON_CreateString(r->notes[k]));
		cJSON *p = cJSON_AddArrayToObject(o, "problems");
		bad |= !p;
		for (size_t k = 0; p && k < r->nproblems; k++)
			bad |= !cJSON_AddItemToArray(p, cJSON_CreateString(r->problems[k]));
	}
	if (!bad) {
		cJSON *d = cJSON_AddObjectToObject(root, v->decision);
		bad |= !d;
		if (d) {
			bad |= !(v->pick >= 0 ? cJSON_AddNumberToObject(d, "case", (double)v->pick)
				 : cJSON_AddNullToObject(d, "case"));
			bad |= !cJSON_AddStringToObject(d, "why", v->why);
			if (v->deadline_s > 0)
				bad |= !cJSON_AddNumberToObject(d, "deadline_s", v->deadline_s);
			if (v->budget_usd > 0)
				bad |= !cJSON_AddNumberToObject(d, "budget_usd", v->budget_usd);
		}
	}
	if (bad) {
		cJSON_Delete(root);
		return -1;
	}
	return report_json_write(f, root);
}
