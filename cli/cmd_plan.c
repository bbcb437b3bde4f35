/* cmd_plan.c: `rehearse plan` -- the cheapest configuration that finishes
 * in time, or why none can.
 *
 *   rehearse plan WORKFLOW --scenario S --deadline 1h [--budget 50]
 *                 [--nodes 1,2,4,8] [--gpu v100-16,h100] [--micro-batch 1,2] [--spot]
 *
 * The search space is a sweep (node counts 1,2,4,8,16 and every GPU
 * machine type of model/machine.c unless narrowed); each case is simulated
 * once (sim/study.h) and the cheapest whose makespan meets the deadline
 * (and the budget) is chosen. When none can, it says what stands in the
 * way: the fastest case and what bounds it. Exit: 0 a plan, 1 none, 2
 * usage or input error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cases.h"
#include "cli/cli.h"
#include "model/machine.h"
#include "reports/sweep.h"

static const char usage[] =
	"usage: rehearse plan WORKFLOW --scenario FILE --deadline TIME [--budget USD]\n"
	"                     [--nodes N,N...] [--gpu GPU,GPU...] [--micro-batch N,N...] [--spot]\n"
	"                     [--seed N] [--format text|json] [--plots DIR] [--html FILE] [--db FILE]\n"
	"  -s, --scenario FILE    the scenario every case starts from\n"
	"  -d, --deadline TIME    submission to the end: 90m, 1.5h, 3600s (or seconds)\n"
	"  -b, --budget USD       the most the run may cost\n"
	"      --confidence P     with --trials: finish in time in at least this share of trials\n"
	"                         (default 0.9 when trials are on)\n"
	"  -n, --nodes LIST       fan-outs to consider (default 1,2,4,8,16)\n"
	"      --gpu LIST         GPU machine types to consider (default: all; see sweep --list-gpus)\n"
	"      --micro-batch LIST micro-batch sizes to consider (default: the scenario's)\n"
	"      --spot             consider spot VMs too\n"
	"      --plots DIR        draw the timelines, the bill, the scaling curve and the Pareto front into DIR (SVG and PNG, gnuplot)\n"
	"      --html FILE        one self-contained HTML report: summary, findings, timelines, plots\n"
	"      --db FILE          keep every case in the SQLite run store FILE (see `rehearse runs`)\n"
	"  -f, --format F         text (default) or json\n"
	"  Exit: 0 a configuration meets the terms, 1 none does, 2 usage or input error.\n";


/* Why no case meets the terms, in one line. */
static void why_none(const cmp_case *c, size_t n, const double *t, const double *cost, const int *ok,
		     double deadline, double budget, char *why, size_t len)
{
	char d[128];
	long fast = -1, in_time = -1;
	for (size_t i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		if (fast < 0 || t[i] < t[fast])
			fast = (long)i;
		if (t[i] <= deadline && (in_time < 0 || cost[i] < cost[in_time]))
			in_time = (long)i;
	}
	if (fast < 0) {
		snprintf(why, len, "none: no case succeeds (see problems)");
		return;
	}
	if (in_time >= 0) {
		snprintf(why, len, "none within the budget of $%.2f: the cheapest that finishes in time, %s, "
			 "costs $%.2f (%.1f min)", budget, cases_describe(&c[in_time], d, sizeof d), cost[in_time],
			 t[in_time] / 60);
		return;
	}
	int k = snprintf(why, len, "none finishes within %.1f min: the fastest, %s, takes %.1f min",
			 deadline / 60, cases_describe(&c[fast], d, sizeof d), t[fast] / 60);
	const cmp_case *f = &c[fast];
	double train = f->r->first_step >= 0 && f->r->training_end >= 0 ? f->r->training_end - f->r->first_step : 0;
	if (f->r->first_step >= deadline)
		k += snprintf(why + k, len - k, "; its first training step alone comes at %.1f min (pulls, "
			      "downloads, rendezvous)", f->r->first_step / 60);
	else if (f->have_perf && f->perf.bound == BOUND_NETWORK)
		k += snprintf(why + k, len - k, "; network-bound at %d nodes at %.0f Gbit/s: more nodes add "
			      "collectives, not speed", f->r->ranks, f->nic_gbps);
	else if (f->have_perf)
		k += snprintf(why + k, len - k, "; training takes %.1f min of it, bound by %s", train / 60,
			      perf_bound_name(f->perf.bound));
	(void)k;
}

int cmd_plan(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"scenario", 's', 1, 's'}, {"deadline", 'd', 1, 'd'}, {"budget", 'b', 1, 'b'},
		{"confidence", 0, 1, 'c'}, {"spot", 0, 0, 'p'}, {"format", 'f', 1, 'f'}, CASES_OPTS,
		{"help", 'h', 0, 'h'}, {0}};
	const char *scn = NULL, *wf = NULL;
	int spots[2] = {0, 1}, ns = 1, json = 0;
	double deadline = -1, budget = 0, confidence = 0;
	store *db = NULL;
	cases_opts co;
	cases_opts_init(&co);
	/* the search space unless narrowed: 1 to 16 nodes, every GPU machine type */
	static const int dflt_nodes[] = {1, 2, 4, 8, 16};
	memcpy(co.nodes, dflt_nodes, sizeof dflt_nodes);
	co.nn = 5;
	for (size_t i = 0; i < machine_count() && i < CASES_MAX_LIST; i++)
		co.gpus[co.ng++] = machine_at(i)->gpu;
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int k; (k = cli_next(&p)) != CLI_DONE;) {
		char *end;
		switch (k) {
		case 's':
			scn = p.arg;
			break;
		case 'd':
			if ((deadline = cases_duration(p.arg)) <= 0)
				return cli_usage_error(usage, "plan", "--deadline wants a time such as 90m, 1.5h or "
						       "3600s, not '%s'", p.arg);
			break;
		case 'b':
			budget = strtod(p.arg, &end);
			if (end == p.arg || *end || !(budget > 0 && budget < 1e9))
				return cli_usage_error(usage, "plan", "--budget wants a positive number of dollars, not '%s'", p.arg);
			break;
		case 'c':
			confidence = strtod(p.arg, &end);
			if (end == p.arg || *end || !(confidence > 0 && confidence <= 1))
				return cli_usage_error(usage, "plan", "--confidence wants a probability above 0, up to 1, "
						       "not '%s'", p.arg);
			break;
		case 'p':
			ns = 2;
			break;
		case 'f':
			if (strcmp(p.arg, "text") && strcmp(p.arg, "json"))
				return cli_usage_error(usage, "plan", "--format is text or json, not '%s'", p.arg);
			json = !strcmp(p.arg, "json");
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_CLEAN;
		case CLI_ARG:
			if (wf)
				return cli_usage_error(usage, "plan", "one workflow at a time");
			wf = p.arg;
			break;
		default: {
			int r = cases_option(&co, k, p.arg, usage, "plan");
			if (r < 0)
				return EXIT_USAGE;
			if (!r)
				return cli_usage_error(usage, "plan", "%s", p.err);
		}
		}
	}
	if (!wf)
		return cli_usage_error(usage, "plan", "no workflow given");
	if (!scn)
		return cli_usage_error(usage, "plan", "--scenario FILE is required (see scenarios/)");
	if (deadline <= 0)
		return cli_usage_error(usage, "plan", "--deadline TIME is required (e.g. --deadline 1h)");
	if (confidence > 0 && !co.trials)
		return cli_usage_error(usage, "plan", "--confidence needs --trials N: a probability is counted over "
				       "trials");
	if (co.trials && confidence <= 0)
		confidence = 0.9;
	size_t n = 0;
	int trials = co.trials;
	study_case *cases = cases_grid(wf, scn, co.nodes, co.nn, co.gpus, co.ng, co.mbs, co.nm, spots, ns, co.seed, &n);
	study_run **runs = calloc(n + 1, sizeof *runs);
	cmp_case *cols = calloc(n + 1, sizeof *cols);
	int *front = calloc(n + 1, sizeof *front), *ok = NULL;
	double *t = NULL, *cost = NULL;
	int rc = EXIT_USAGE;
	if (!cases || !runs || !cols || !front) {
		fprintf(stderr, "rehearse plan: out of memory\n");
		goto out;
	}
	if (co.db && !(db = cases_store("plan", co.db, argc, argv)))
		goto out;
	if (cases_run("plan", cases, n, runs, cols, db, trials))
		goto out;
	if (cases_figures(cols, n, &t, &cost, &ok)) {
		fprintf(stderr, "rehearse plan: out of memory\n");
		goto out;
	}
	study_pareto(t, cost, ok, n, front);
	/* with trials a case is in time when enough of its trials are: its
	 * time becomes 0 (in time) or past the deadline, for the same choice */
	double *in_time = NULL;
	long best_p = -1;
	double best_prob = -1;
	if (trials) {
		if (!(in_time = calloc(n + 1, sizeof *in_time))) {
			fprintf(stderr, "rehearse plan: out of memory\n");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			int k = 0;
			for (int j = 0; j < cols[i].trials; j++)
				k += cols[i].trial_rows[j].ok && cols[i].trial_rows[j].makespan <= deadline;
			double prob = cols[i].trials ? (double)k / cols[i].trials : 0;
			in_time[i] = prob >= confidence ? 0 : 2 * deadline;
			if (prob > best_prob)
				best_prob = prob, best_p = (long)i;
		}
	}
	const double *tt = trials ? in_time : t;
	long pick = study_cheapest_within(tt, cost, ok, n, deadline, budget);
	char why[768], title[512], d[128];
	size_t meet = 0;
	for (size_t i = 0; i < n; i++)
		meet += ok[i] && tt[i] <= deadline && (budget <= 0 || cost[i] <= budget);
	if (pick >= 0 && trials)
		snprintf(why, sizeof why, "%s: p90 %.1f min, $%.2f on average over %d trials, the cheapest of the %zu "
			 "(of %zu) cases that finish within %.1f min in at least %.0f%% of trials%s",
			 cases_describe(&cols[pick], d, sizeof d), cols[pick].p90_makespan / 60, cost[pick], trials, meet,
			 n, deadline / 60, 100 * confidence, budget > 0 ? " and the budget" : "");
	else if (pick >= 0)
		snprintf(why, sizeof why, "%s: %.1f min for $%.2f, the cheapest of the %zu (of %zu) cases that "
			 "finish within %.1f min%s", cases_describe(&cols[pick], d, sizeof d), t[pick] / 60,
			 cost[pick], meet, n, deadline / 60, budget > 0 ? " and the budget" : "");
	else if (trials && best_p >= 0 && best_prob < confidence)
		snprintf(why, sizeof why, "none finishes within %.1f min in %.0f%% of trials: the likeliest, %s, does "
			 "in %.0f%% of %d", deadline / 60, 100 * confidence, cases_describe(&cols[best_p], d, sizeof d),
			 100 * best_prob, trials);
	else
		why_none(cols, n, t, cost, ok, deadline, budget, why, sizeof why);
	free(in_time);
	const char *b = strrchr(wf, '/');
	snprintf(title, sizeof title, "plan: %s on %s, %zu cases, deadline %.1f min%s", b ? b + 1 : wf,
		 cols[0].r->scenario, n, deadline / 60, budget > 0 ? ", with a budget" : "");
	sweep_view v = {.title = title, .decision = "plan", .front = front, .pick = pick, .why = why,
			.deadline_s = deadline, .budget_usd = budget};
	int wr = json ? report_sweep_json(stdout, cols, n, &v) : report_sweep_text(stdout, cols, n, &v);
	if (fflush(stdout) || wr) {
		fprintf(stderr, "rehearse plan: write error\n");
		goto out;
	}
	if (co.plots && cases_plots("plan", co.plots, cols, n, front, pick))
		goto out;
	char decision[900];
	snprintf(decision, sizeof decision, "%s: %s", v.decision, v.why);
	if (co.html && cases_html("plan", co.html, argc, argv, cols, n, study_findings(runs[0]), co.plots,
				    front, pick, decision))
		goto out;
	rc = pick >= 0 ? EXIT_CLEAN : EXIT_FINDINGS;
out:
	store_close(db);
	cases_free(runs, n);
	free(cases);
	free(runs);
	free(cols);
	free(front);
	free(t);
	free(cost);
	free(ok);
	return rc;
}
