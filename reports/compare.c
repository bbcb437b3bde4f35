/* compare.c: cases side by side (compare.h).
 *
 * The rows are built once as strings (label, one cell per case) and then
 * laid out as text or markdown, so the two can never disagree; JSON is
 * written from the numbers. A figure a case does not have is "-", and one
 * that needs Monte Carlo says so rather than inventing it. */
#include "reports/compare.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/html.h"
#include "reports/jsonout.h"

enum { CELL = 48, MAX_ROWS = 24 };

typedef struct row {
	const char *label;
	char (*cell)[CELL];
} row;

static double train_span(const sim_result *r)
{
	return r->first_step >= 0 && r->training_end >= r->first_step ? r->training_end - r->first_step : -1;
}

const char *cmp_status(const cmp_case *c)
{
	return c->have_perf && !c->perf.fits ? "OutOfMemory" : c->r->status;
}

int cmp_ok(const cmp_case *c)
{
	return !strcmp(cmp_status(c), "Succeeded");
}

void cmp_derive(const cmp_case *c, size_t n, size_t i, cmp_derived *d)
{
	(void)n;
	const sim_result *r = c[i].r, *b = c[0].r;
	memset(d, 0, sizeof *d);
	d->gpus = r->ranks * (r->nproc > 0 ? r->nproc : 1);
	int bgpus = b->ranks * (b->nproc > 0 ? b->nproc : 1);
	d->train_s = train_span(r);
	double bt = train_span(b);
	int ok = cmp_ok(&c[i]), bok = cmp_ok(&c[0]);
	if (ok && bok && r->makespan > 0)
		d->speedup = b->makespan / r->makespan;
	if (ok && bok && d->train_s > 0 && bt > 0) {
		d->train_speedup = bt / d->train_s;
		if (d->gpus > 0 && bgpus > 0)
			d->efficiency = d->train_speedup / ((double)d->gpus / bgpus);
	}
	d->bound = c[i].have_perf ? perf_bound_name(c[i].perf.bound) : "-";
}

static const char *mins(double s, char *buf)
{
	if (s < 0)
		snprintf(buf, CELL, "-");
	else if (s < 5940)
		snprintf(buf, CELL, "%.1f min", s / 60);
	else
		snprintf(buf, CELL, "%.2f h", s / 3600);
	return buf;
}

/* The table: rows of cells, n columns. Returns the row count, or -1. */
static int build(const cmp_case *c, size_t n, row *rows)
{
	static const char *const labels[MAX_ROWS] = {
		"status", "workflow", "scenario", "GPUs", "makespan", "time to first step", "training time",
		"speed-up (makespan)", "speed-up (training)", "scaling efficiency", "step time (perf model)",
		"bottleneck", "cost", "cost vs first", "cost per epoch", "cost per million tokens",
		"idle GPU-hours", "idle GPU cost", "success probability", "makespan p90"};
	int nrows = 20;
	for (int k = 0; k < nrows; k++) {
		rows[k].label = labels[k];
		rows[k].cell = calloc(n ? n : 1, CELL);
		if (!rows[k].cell) {
			for (int j = 0; j < k; j++)
				free(rows[j].cell);
			return -1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const sim_result *r = c[i].r;
		const sim_cost *co = &r->cost;
		cmp_derived d;
		cmp_derive(c, n, i, &d);
		int k = 0;
		snprintf(rows[k++].cell[i], CELL, "%s", cmp_status(&c[i]));
		const char *wf = strrchr(c[i].workflow, '/');
		snprintf(rows[k++].cell[i], CELL, "%s", wf ? wf + 1 : c[i].workflow);
		snprintf(rows[k++].cell[i], CELL, "%s", r->scenario ? r->scenario : "-");
		snprintf(rows[k++].cell[i], CELL, "%d x %d %s%s", r->ranks, r->nproc > 0 ? r->nproc : 1,
			 c[i].gpu && *c[i].gpu ? c[i].gpu : "GPU", co->gpu_spot ? " spot" : "");
		mins(r->makespan, rows[k++].cell[i]);
		mins(r->first_step, rows[k++].cell[i]);
		mins(d.train_s, rows[k++].cell[i]);
		if (d.speedup > 0)
			snprintf(rows[k++].cell[i], CELL, "%.2fx", d.speedup);
		else
			snprintf(rows[k++].cell[i], CELL, "-");
		if (d.train_speedup > 0)
			snprintf(rows[k++].cell[i], CELL, "%.2fx", d.train_speedup);
		else
			snprintf(rows[k++].cell[i], CELL, "-");
		if (d.efficiency > 0)
			snprintf(rows[k++].cell[i], CELL, "%.0f%%", 100 * d.efficiency);
		else
			snprintf(rows[k++].cell[i], CELL, "-");
		if (c[i].have_perf)
			snprintf(rows[k++].cell[i], CELL, "%.2f s%s", c[i].perf.step_s,
				 c[i].perf.fits ? "" : " (OOM)");
		else
			snprintf(rows[k++].cell[i], CELL, "-");
		snprintf(rows[k++].cell[i], CELL, "%s", d.bound);
		snprintf(rows[k++].cell[i], CELL, "$%.2f", co->total_usd);
		if (i == 0 || c[0].r->cost.total_usd <= 0)
			snprintf(rows[k++].cell[i], CELL, "-");
		else
			snprintf(rows[k++].cell[i], CELL, "%+.0f%%",
				 100 * (co->total_usd / c[0].r->cost.total_usd - 1));
		if (co->per_epoch_usd >= 0)
			snprintf(rows[k++].cell[i], CELL, "$%.2f", co->per_epoch_usd);
		else
			snprintf(rows[k++].cell[i], CELL, "-");
		if (co->per_mtokens_usd >= 0)
			snprintf(rows[k++].cell[i], CELL, "$%.2f", co->per_mtokens_usd);
		else
			snprintf(rows[k++].cell[i], CELL, "-");
		snprintf(rows[k++].cell[i], CELL, "%.2f (%.0f%%)", co->idle_gpu_hours,
			 r->gpu_s_provisioned > 0 ? 100 * co->idle_gpu_hours * 3600 / r->gpu_s_provisioned : 0.0);
		snprintf(rows[k++].cell[i], CELL, "$%.2f", co->idle_gpu_usd);
		if (c[i].trials > 0) {
			snprintf(rows[k++].cell[i], CELL, "%.0f%% of %d", 100 * c[i].p_success, c[i].trials);
			mins(c[i].p90_makespan, rows[k++].cell[i]);
		} else {
			snprintf(rows[k++].cell[i], CELL, "n/a (needs --trials)");
			snprintf(rows[k++].cell[i], CELL, "n/a (needs --trials)");
		}
	}
	return nrows;
}

static void drop(row *rows, int nrows)
{
	for (int k = 0; k < nrows; k++)
		free(rows[k].cell);
}

/* Notes every case shares are said once; the rest per case. */
static void notes(FILE *f, const cmp_case *c, size_t n, const char *bullet)
{
	int any = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < c[i].r->nnotes; k++) {
			const char *s = c[i].r->notes[k];
			size_t shared = 0, seen = 0;
			for (size_t j = 0; j < n; j++)
				for (size_t m = 0; m < c[j].r->nnotes; m++)
					if (!strcmp(c[j].r->notes[m], s)) {
						shared++;
						if (j < i || (j == i && m < k))
							seen = 1;
						break;
					}
			if (seen)
				continue;
			if (!any++)
				fprintf(f, "\nassumptions:\n");
			if (shared == n)
				fprintf(f, "%s %s\n", bullet, s);
			else
				fprintf(f, "%s [%s] %s\n", bullet, c[i].label, s);
		}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < c[i].r->nproblems; k++)
			fprintf(f, "%s [%s] problem: %s\n", bullet, c[i].label, c[i].r->problems[k]);
}

int report_compare_text(FILE *f, const cmp_case *c, size_t n)
{
	row rows[MAX_ROWS];
	int nr = build(c, n, rows);
	if (nr < 0)
		return -1;
	size_t w0 = 24;
	size_t *w = calloc(n ? n : 1, sizeof *w);
	if (!w) {
		drop(rows, nr);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		w[i] = strlen(c[i].label);
		for (int k = 0; k < nr; k++)
			if (strlen(rows[k].cell[i]) > w[i])
				w[i] = strlen(rows[k].cell[i]);
	}
	fprintf(f, "%-*s", (int)w0, "");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %*s", (int)w[i], c[i].label);
	fprintf(f, "\n");
	for (int k = 0; k < nr; k++) {
		fprintf(f, "%-*s", (int)w0, rows[k].label);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "  %*s", (int)w[i], rows[k].cell[i]);
		fprintf(f, "\n");
	}
	notes(f, c, n, "  -");
	free(w);
	drop(rows, nr);
	return ferror(f) ? -1 : 0;
}

int report_compare_markdown(FILE *f, const cmp_case *c, size_t n)
{
	row rows[MAX_ROWS];
	int nr = build(c, n, rows);
	if (nr < 0)
		return -1;
	fprintf(f, "### rehearse compare\n\n|  |");
	for (size_t i = 0; i < n; i++)
		fprintf(f, " %s |", c[i].label);
	fprintf(f, "\n|---|");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "---:|");
	fprintf(f, "\n");
	for (int k = 0; k < nr; k++) {
		fprintf(f, "| %s |", rows[k].label);
		for (size_t i = 0; i < n; i++)
			fprintf(f, " %s |", rows[k].cell[i]);
		fprintf(f, "\n");
	}
	fprintf(f, "\n<details><summary>assumptions</summary>\n");
	notes(f, c, n, "-");
	fprintf(f, "\n</details>\n\nEvery figure is a prediction of `rehearse simulate`; the assumptions say what it "
		   "rests on.\n");
	drop(rows, nr);
	return ferror(f) ? -1 : 0;
}

int report_compare_html_table(FILE *f, const cmp_case *c, size_t n)
{
	row rows[MAX_ROWS];
	int nr = build(c, n, rows);
	if (nr < 0)
		return -1;
	fprintf(f, "<table class=\"cmp\">\n<tr><th></th>");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<th>");
		html_text(f, c[i].label);
		fprintf(f, "</th>");
	}
	fprintf(f, "</tr>\n");
	for (int k = 0; k < nr; k++) {
		fprintf(f, "<tr><th>");
		html_text(f, rows[k].label);
		fprintf(f, "</th>");
		for (size_t i = 0; i < n; i++) {
			fprintf(f, "<td>");
			html_text(f, rows[k].cell[i]);
			fprintf(f, "</td>");
		}
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table>\n");
	drop(rows, nr);
	return ferror(f) ? -1 : 0;
}

static double r3(double v)
{
	return round(v * 1000) / 1000;
}

static int num_or_null(cJSON *o, const char *k, double v, int have)
{
	return have ? !cJSON_AddNumberToObject(o, k, r3(v)) : !cJSON_AddNullToObject(o, k);
}

int report_compare_json(FILE *f, const cmp_case *c, size_t n)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *cases = root ? cJSON_AddArrayToObject(root, "cases") : NULL;
	int bad = !cases || !cJSON_AddNumberToObject(root, "version", 1);
	for (size_t i = 0; !bad && i < n; i++) {
		const sim_result *r = c[i].r;
		cmp_derived d;
		cmp_derive(c, n, i, &d);
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(cases, o)) {
			cJSON_Delete(o);
			bad = 1;
			break;
		}
		bad |= !cJSON_AddStringToObject(o, "label", c[i].label);
		bad |= !cJSON_AddStringToObject(o, "workflow", c[i].workflow);
		bad |= !cJSON_AddStringToObject(o, "scenario", r->scenario ? r->scenario : "");
		bad |= !cJSON_AddStringToObject(o, "status", cmp_status(&c[i]));
		bad |= !cJSON_AddNumberToObject(o, "nodes", r->nodes_to);
		bad |= !cJSON_AddNumberToObject(o, "gpus", d.gpus);
		bad |= !cJSON_AddStringToObject(o, "gpu", c[i].gpu ? c[i].gpu : "");
		bad |= !cJSON_AddStringToObject(o, "machine", c[i].machine ? c[i].machine : "");
		bad |= !cJSON_AddBoolToObject(o, "spot", r->cost.gpu_spot);
		bad |= !cJSON_AddNumberToObject(o, "micro_batch", c[i].micro_batch);
		bad |= !cJSON_AddNumberToObject(o, "makespan_s", r3(r->makespan));
		bad |= num_or_null(o, "first_step_s", r->first_step, r->first_step >= 0);
		bad |= num_or_null(o, "training_s", d.train_s, d.train_s >= 0);
		bad |= num_or_null(o, "speedup", d.speedup, d.speedup > 0);
		bad |= num_or_null(o, "training_speedup", d.train_speedup, d.train_speedup > 0);
		bad |= num_or_null(o, "scaling_efficiency", d.efficiency, d.efficiency > 0);
		bad |= num_or_null(o, "step_s", c[i].perf.step_s, c[i].have_perf);
		bad |= !cJSON_AddStringToObject(o, "bottleneck", d.bound);
		bad |= !cJSON_AddNumberToObject(o, "cost_usd", r3(r->cost.total_usd));
		bad |= num_or_null(o, "cost_per_epoch_usd", r->cost.per_epoch_usd, r->cost.per_epoch_usd >= 0);
		bad |= num_or_null(o, "cost_per_mtokens_usd", r->cost.per_mtokens_usd, r->cost.per_mtokens_usd >= 0);
		bad |= !cJSON_AddNumberToObject(o, "idle_gpu_hours", r3(r->cost.idle_gpu_hours));
		bad |= !cJSON_AddNumberToObject(o, "idle_gpu_usd", r3(r->cost.idle_gpu_usd));
		bad |= num_or_null(o, "trials", c[i].trials, c[i].trials > 0);
		bad |= num_or_null(o, "p_success", c[i].p_success, c[i].trials > 0);
		bad |= num_or_null(o, "makespan_p50_s", c[i].p50_makespan, c[i].trials > 0);
		bad |= num_or_null(o, "makespan_p90_s", c[i].p90_makespan, c[i].trials > 0);
		cJSON *a = cJSON_AddArrayToObject(o, "assumptions");
		bad |= !a;
		for (size_t k = 0; a && k < r->nnotes; k++)
			bad |= !cJSON_AddItemToArray(a, cJSON_CreateString(r->notes[k]));
		cJSON *p = cJSON_AddArrayToObject(o, "problems");
		bad |= !p;
		for (size_t k = 0; p && k < r->nproblems; k++)
			bad |= !cJSON_AddItemToArray(p, cJSON_CreateString(r->problems[k]));
	}
	if (bad) {
		cJSON_Delete(root);
		return -1;
	}
	return report_json_write(f, root);
}
