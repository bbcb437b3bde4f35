/* montecarlo.c: print a Monte Carlo summary (reports/montecarlo.h).
 *
 * Figures are rounded before printing (text to what the table shows, JSON
 * to the millisecond), so the same summary prints the same bytes. */
#include "reports/montecarlo.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>

static const char *hms(double s, char *buf, size_t len)
{
	long t = (long)(s + 0.5);
	snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	return buf;
}

static void row(FILE *f, const char *name, const mc_stat *s, const char *fmt)
{
	fprintf(f, "  %-16s", name);
	double v[4] = {s->p50, s->p90, s->p99, s->mean};
	for (int i = 0; i < 4; i++) {
		char b[32];
		snprintf(b, sizeof b, fmt, v[i]);
		fprintf(f, " %12s", b);
	}
	fprintf(f, "\n");
}

int report_mc_text(FILE *f, const mc_summary *s, const mc_report_info *in)
{
	char a[32], b[32];
	fprintf(f, "simulate: workflow %s on scenario %s, %d trials (seed %llu)\n\n", in->workflow,
		in->scenario, s->trials, (unsigned long long)in->seed);
	fprintf(f, "  %-16s %12s %12s %12s %12s\n", "", "p50", "p90", "p99", "mean");
	row(f, "makespan (s)", &s->makespan_s, "%.1f");
	row(f, "cost ($)", &s->cost_usd, "%.2f");
	row(f, "GPU-hours", &s->gpu_hours, "%.2f");
	fprintf(f, "\n  success probability        %.4f (%d of %d trials)\n", s->p_success, s->succeeded,
		s->trials);
	fprintf(f, "  makespan p50               %s\n", hms(s->makespan_s.p50, a, sizeof a));
	if (s->failure_free_p50_s >= 0)
		fprintf(f, "  failure-free makespan p50  %.1f s (%s; the same trials, no failures drawn)\n",
			s->failure_free_p50_s, hms(s->failure_free_p50_s, b, sizeof b));
	fprintf(f, "  failures per trial         %.4f\n", s->failures_mean);
	fprintf(f, "  restarts per trial         %.4f (torchrun worker-group restarts)\n", s->restarts_mean);
	fprintf(f, "  GPU-hours lost per trial   %.4f (training redone after restarts)\n", s->gpu_hours_lost_mean);
	fprintf(f, "\ncheckpointing:\n");
	if (s->mtbf_s > 0) {
		fprintf(f, "  the job's MTBF             %.0f h (its GPUs and spot nodes at the scenario's failure rates)\n",
			s->mtbf_s / 3600);
		fprintf(f, "  one checkpoint write       %.1f s\n", s->ckpt_cost_s);
		if (s->young_daly_s > 0)
			fprintf(f, "  Young/Daly interval        %.0f s = sqrt(2 x %.1f s x %.0f s)\n", s->young_daly_s,
				s->ckpt_cost_s, s->mtbf_s);
		int any_failed = 0;
		for (int k = 0; k < s->ckpt_tried; k++)
			any_failed |= s->ckpt_p_success[k] < 1;
		for (int k = 0; k < s->ckpt_tried; k++) {
			char fin[96] = "";
			if (any_failed && s->ckpt_p_success[k] > 0)
				snprintf(fin, sizeof fin, ", success %.3f: %.1f s to a finished run",
					 s->ckpt_p_success[k], s->ckpt_mean_s[k] / s->ckpt_p_success[k]);
			else if (any_failed)
				snprintf(fin, sizeof fin, ", no trial finishes");
			int best = s->ckpt_interval_s[k] > 0 ? s->ckpt_interval_s[k] == s->ckpt_best_s : s->ckpt_best_s == 0;
			if (s->ckpt_interval_s[k] > 0)
				fprintf(f, "  every %9.0f s           mean makespan %.1f s%s%s\n", s->ckpt_interval_s[k],
					s->ckpt_mean_s[k], fin, best ? "  <- best" : "");
			else
				fprintf(f, "  no checkpoints             mean makespan %.1f s%s%s\n", s->ckpt_mean_s[k],
					fin, best ? "  <- best" : "");
		}
		if (any_failed)
			fprintf(f, "  (some trials fail for good: the best interval is the one with the least mean makespan /\n"
				   "   success probability, the expected time to a run that finishes if a failed run is run again)\n");
	} else {
		fprintf(f, "  no training ran (or no failure rate): nothing to say\n");
	}
	if (in->nnotes) {
		fprintf(f, "\nassumptions (of the first trial):\n");
		for (size_t i = 0; i < in->nnotes; i++)
			fprintf(f, "  - %s\n", in->notes[i]);
	}
	return ferror(f) ? -1 : 0;
}

static double ms(double v)
{
	return round(v * 1000) / 1000;
}

static int add_stat(cJSON *o, const char *key, const mc_stat *s)
{
	cJSON *x = cJSON_AddObjectToObject(o, key);
	return x && cJSON_AddNumberToObject(x, "p50", ms(s->p50)) && cJSON_AddNumberToObject(x, "p90", ms(s->p90)) &&
		cJSON_AddNumberToObject(x, "p99", ms(s->p99)) && cJSON_AddNumberToObject(x, "mean", ms(s->mean)) &&
		cJSON_AddNumberToObject(x, "min", ms(s->min)) && cJSON_AddNumberToObject(x, "max", ms(s->max));
}

int report_mc_json(FILE *f, const mc_summary *s, const mc_report_info *in)
{
	cJSON *r = cJSON_CreateObject();
	int ok = r && cJSON_AddStringToObject(r, "workflow", in->workflow) &&
		cJSON_AddStringToObject(r, "scenario", in->scenario) &&
		cJSON_AddNumberToObject(r, "seed", (double)in->seed) &&
		cJSON_AddNumberToObject(r, "trials", s->trials) &&
		cJSON_AddNumberToObject(r, "succeeded", s->succeeded) &&
		cJSON_AddNumberToObject(r, "p_success", ms(s->p_success)) &&
		add_stat(r, "makespan_s", &s->makespan_s) && add_stat(r, "cost_usd", &s->cost_usd) &&
		add_stat(r, "gpu_hours", &s->gpu_hours) &&
		cJSON_AddNumberToObject(r, "failure_free_makespan_p50_s", ms(s->failure_free_p50_s)) &&
		cJSON_AddNumberToObject(r, "failures_mean", ms(s->failures_mean)) &&
		cJSON_AddNumberToObject(r, "restarts_mean", ms(s->restarts_mean)) &&
		cJSON_AddNumberToObject(r, "gpu_hours_lost_mean", ms(s->gpu_hours_lost_mean)) &&
		cJSON_AddNumberToObject(r, "mtbf_s", ms(s->mtbf_s)) &&
		cJSON_AddNumberToObject(r, "checkpoint_cost_s", ms(s->ckpt_cost_s)) &&
		cJSON_AddNumberToObject(r, "young_daly_s", ms(s->young_daly_s));
	if (ok && s->ckpt_tried)
		ok &= cJSON_AddNumberToObject(r, "checkpoint_best_interval_s", ms(s->ckpt_best_s)) != NULL;
	cJSON *c = ok ? cJSON_AddArrayToObject(r, "checkpoint_intervals") : NULL;
	for (int k = 0; c && k < s->ckpt_tried; k++) {
		cJSON *e = cJSON_CreateObject();
		ok &= e && cJSON_AddItemToArray(c, e) && cJSON_AddNumberToObject(e, "interval_s", ms(s->ckpt_interval_s[k])) &&
			cJSON_AddNumberToObject(e, "mean_makespan_s", ms(s->ckpt_mean_s[k])) &&
			cJSON_AddNumberToObject(e, "p_success", s->ckpt_p_success[k]) &&
			(s->ckpt_p_success[k] > 0
			 ? cJSON_AddNumberToObject(e, "expected_s_to_finish", ms(s->ckpt_mean_s[k] / s->ckpt_p_success[k]))
			 : cJSON_AddNullToObject(e, "expected_s_to_finish"));
	}
	cJSON *a = ok ? cJSON_AddArrayToObject(r, "assumptions") : NULL;
	for (size_t i = 0; a && i < in->nnotes; i++)
		ok &= cJSON_AddItemToArray(a, cJSON_CreateString(in->notes[i]));
	char *text = ok && c && a ? cJSON_Print(r) : NULL;
	cJSON_Delete(r);
	if (!text)
		return -1;
	fprintf(f, "%s\n", text);
	free(text);
	return ferror(f) ? -1 : 0;
}
