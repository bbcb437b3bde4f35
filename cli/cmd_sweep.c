/* cmd_sweep.c: `rehearse sweep` -- every combination, the Pareto front,
 * one recommendation.
 *
 *   rehearse sweep WORKFLOW --scenario S --nodes 1,2,4,8 --gpu v100-16,a100-80,h100
 *                  [--micro-batch 1,2,4] [--spot]
 *
 * Each combination is a case (sim/study.h: the fan-out re-scaled, the
 * fixed GPU pool sized to it, the GPU machine type swapped in with the
 * pods' selector following it); the time/cost Pareto front and its knee
 * come from sim/study.h, the table from reports/sweep.h. A progress bar
 * on stderr when it is a terminal. Exit: 0 at least one case succeeds, 1
 * none does, 2 usage or input error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cases.h"
#include "cli/cli.h"
#include "model/machine.h"
#include "reports/sharding.h"
#include "reports/sweep.h"

static const char usage[] =
	"usage: rehearse sweep WORKFLOW --scenario FILE [--nodes N,N...] [--gpu GPU,GPU...]\n"
	"                      [--micro-batch N,N...] [--spot] [--trials N] [--seed N] [--format text|json]\n"
	"                      [--plots DIR] [--html FILE] [--db FILE] [--shard I/K]\n"
	"       rehearse sweep WORKFLOW --scenario FILE ... --shards K --emit-workflow FILE --image IMAGE\n"
	"       rehearse sweep --list-gpus\n"
	"  -s, --scenario FILE    the scenario every case starts from\n"
	"  -n, --nodes LIST       torchrun fan-outs (default: the workflow's)\n"
	"      --gpu LIST         GPU machine types to swap in (default: the scenario's)\n"
	"      --micro-batch LIST micro-batch sizes (default: the scenario's)\n"
	"      --spot             each case on-demand and on spot VMs\n"
	"      --list-gpus        the GPU machine types, their prices and where they come from\n"
	"      --trials N         also run each case N times, each with its own seed: success\n"
	"                         probability and makespan percentiles (the front then uses p90 and mean cost)\n"
	"      --shard I/K        run only the I-th of K shares of the cases (a shard of a big sweep)\n"
	"      --shards K --emit-workflow FILE --image IMAGE [--storage-class C]\n"
	"                         write an Argo Workflow that runs the sweep as K shard pods and\n"
	"                         merges their stores (C: a ReadWriteMany class, default standard-rwx)\n"
	"      --seed N           seed of the random draws (default 1)\n"
	"      --plots DIR        draw the timelines, the bill, the scaling curve and the Pareto front into DIR (SVG and PNG, gnuplot)\n"
	"      --html FILE        one self-contained HTML report: summary, findings, timelines, plots\n"
	"      --db FILE          keep every case in the SQLite run store FILE (see `rehearse runs`)\n"
	"  -f, --format F         text (default) or json\n"
	"  Exit: 0 a case succeeds, 1 none does, 2 usage or input error.\n";

enum { MAX_CASES = 4096 };

static int list_gpus(void)
{
	printf("%-8s %-15s %-5s %9s %9s  %s\n", "gpu", "machine", "GPUs", "$/h", "spot $/h", "price basis");
	for (size_t i = 0; i < machine_count(); i++) {
		const machine_type *m = machine_at(i);
		printf("%-8s %-15s %-5d %9.2f %9.2f  %s\n", m->gpu, m->machine, m->gpus, m->on_demand, m->spot,
		       m->basis);
	}
	return ferror(stdout) ? EXIT_USAGE : EXIT_CLEAN;
}

/* The recommendation: the knee of the front, with the fastest and the
 * cheapest beside it so the trade is visible. */
static void recommend(const cmp_case *c, size_t n, const double *t, const double *cost,
		      const int *front, long pick, char *why, size_t len)
{
	char d[128], e[128];
	if (pick < 0) {
		snprintf(why, len, "none: no case succeeds (see problems)");
		return;
	}
	long fast = -1, cheap = -1;
	for (size_t i = 0; i < n; i++) {
		if (!front[i])
			continue;
		if (fast < 0 || t[i] < t[fast])
			fast = (long)i;
		if (cheap < 0 || cost[i] < cost[cheap])
			cheap = (long)i;
	}
	int k = snprintf(why, len, "%s: %.1f min for $%.2f", cases_describe(&c[pick], d, sizeof d),
			 t[pick] / 60, cost[pick]);
	if (fast == pick && cheap == pick)
		snprintf(why + k, len - k, ", both the fastest and the cheapest");
	else
		snprintf(why + k, len - k, ", the balance of time and cost on the front (fastest: %s, %.1f min "
			 "for $%.2f; cheapest: %s, %.1f min for $%.2f)",
			 cases_describe(&c[fast], d, sizeof d), t[fast] / 60, cost[fast],
			 cases_describe(&c[cheap], e, sizeof e), t[cheap] / 60, cost[cheap]);
}

/* --shards K --emit-workflow FILE: the Argo Workflow that runs the sweep
 * in K shards (reports/sharding.h), written to a temporary file renamed
 * into place. */
static int emit_workflow(const char *path, int shards, const char *image, const char *storage_class,
			 const char *wf, const char *scn, const char *const *args, int nargs)
{
	char tmp[4200], err[512];
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "rehearse sweep: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	shard_spec s = {.shards = shards, .image = image, .storage_class = storage_class, .workflow_path = wf,
			.scenario_path = scn, .sweep_args = args, .nargs = nargs};
	int bad = report_shard_workflow(f, &s, err, sizeof err);
	if (fclose(f) && !bad) {
		snprintf(err, sizeof err, "%s: write error", path);
		bad = 1;
	}
	if (bad || rename(tmp, path)) {
		fprintf(stderr, "rehearse sweep: %s\n", bad ? err : strerror(errno));
		unlink(tmp);
		return EXIT_USAGE;
	}
	fprintf(stderr, "rehearse sweep: wrote %s: %d shards, then a merge (submit it with `argo submit %s`)\n",
		path, shards, path);
	return EXIT_CLEAN;
}

int cmd_sweep(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"scenario", 's', 1, 's'}, {"spot", 0, 0, 'p'}, {"format", 'f', 1, 'f'},
		{"list-gpus", 0, 0, 'L'}, CASES_OPTS,
		{"shard", 0, 1, 'x'}, {"shards", 0, 1, 'X'}, {"emit-workflow", 0, 1, 'E'}, {"image", 0, 1, 'I'},
		{"storage-class", 0, 1, 'C'}, {"help", 'h', 0, 'h'}, {0}};
	const char *scn = NULL, *wf = NULL;
	int spots[2] = {0, 1}, ns = 0, json = 0;
	int shard = 0, shard_of = 0, shards = 0;
	const char *emit = NULL, *image = NULL, *storage_class = "standard-rwx";
	cases_opts co;
	cases_opts_init(&co);
	store *db = NULL;
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int k; (k = cli_next(&p)) != CLI_DONE;) {
		char *end;
		switch (k) {
		case 's':
			scn = p.arg;
			break;
		case 'p':
			ns = 2;
			break;
		case 'f':
			if (strcmp(p.arg, "text") && strcmp(p.arg, "json"))
				return cli_usage_error(usage, "sweep", "--format is text or json, not '%s'", p.arg);
			json = !strcmp(p.arg, "json");
			break;
		case 'L':
			return list_gpus();
		case 'x':
			if (sscanf(p.arg, "%d/%d", &shard, &shard_of) != 2 || shard_of < 1 || shard_of > 10000 ||
			    shard < 1 || shard > shard_of || !strchr(p.arg, '/'))
				return cli_usage_error(usage, "sweep", "--shard wants I/K with 1 <= I <= K, not '%s'", p.arg);
			break;
		case 'X':
			shards = (int)strtol(p.arg, &end, 10);
			if (end == p.arg || *end || shards < 1 || shards > 10000)
				return cli_usage_error(usage, "sweep", "--shards wants a whole number from 1 to 10000, not '%s'", p.arg);
			break;
		case 'E':
			emit = p.arg;
			break;
		case 'I':
			image = p.arg;
			break;
		case 'C':
			storage_class = p.arg;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_CLEAN;
		case CLI_ARG:
			if (wf)
				return cli_usage_error(usage, "sweep", "one workflow at a time");
			wf = p.arg;
			break;
		default: {
			int r = cases_option(&co, k, p.arg, usage, "sweep");
			if (r < 0)
				return EXIT_USAGE;
			if (!r)
				return cli_usage_error(usage, "sweep", "%s", p.err);
		}
		}
	}
	if (!wf)
		return cli_usage_error(usage, "sweep", "no workflow given");
	if (!scn)
		return cli_usage_error(usage, "sweep", "--scenario FILE is required (see scenarios/)");
	if (emit || shards) {
		if (!emit || !shards || !image)
			return cli_usage_error(usage, "sweep", "--shards K, --emit-workflow FILE and --image IMAGE go together");
		if (shard)
			return cli_usage_error(usage, "sweep", "--shard runs one shard; --shards writes the workflow that runs them");
		const char *pass[17];
		int npass = co.npass;
		memcpy(pass, co.pass, sizeof co.pass);
		if (ns)
			pass[npass++] = "--spot";
		return emit_workflow(emit, shards, image, storage_class, wf, scn, pass, npass);
	}
	size_t n = 0;
	if ((size_t)(co.nn ? co.nn : 1) * (co.ng ? co.ng : 1) * (co.nm ? co.nm : 1) * (ns ? ns : 1) > MAX_CASES)
		return cli_usage_error(usage, "sweep", "more than %d cases", MAX_CASES);
	study_case *cases = cases_grid(wf, scn, co.nodes, co.nn, co.gpus, co.ng, co.mbs, co.nm, spots, ns, co.seed, &n);
	size_t all = n;
	if (cases && shard) {
		/* this shard's share: every K-th case of the grid, from the I-th */
		size_t k = 0;
		for (size_t i = (size_t)(shard - 1); i < n; i += (size_t)shard_of)
			cases[k++] = cases[i];
		n = k;
	}
	study_run **runs = calloc(n + 1, sizeof *runs);
	cmp_case *cols = calloc(n + 1, sizeof *cols);
	int *front = calloc(n + 1, sizeof *front), *ok = NULL;
	double *t = NULL, *cost = NULL;
	int rc = EXIT_USAGE;
	if (!cases || !runs || !cols || !front) {
		fprintf(stderr, "rehearse sweep: out of memory\n");
		goto out;
	}
	if (co.db && !(db = cases_store("sweep", co.db, argc, argv)))
		goto out;
	if (cases_run("sweep", cases, n, runs, cols, db, co.trials))
		goto out;
	if (cases_figures(cols, n, &t, &cost, &ok)) {
		fprintf(stderr, "rehearse sweep: out of memory\n");
		goto out;
	}
	study_pareto(t, cost, ok, n, front);
	long pick = study_knee(t, cost, front, n);
	char why[768], title[512];
	recommend(cols, n, t, cost, front, pick, why, sizeof why);
	const char *b = strrchr(wf, '/');
	snprintf(title, sizeof title, "sweep: %s on %s, %zu case%s", b ? b + 1 : wf, n ? cols[0].r->scenario : scn, n,
		 n == 1 ? "" : "s");
	if (shard)
		snprintf(title + strlen(title), sizeof title - strlen(title), " (shard %d of %d: %zu of the %zu; "
			 "`rehearse runs merge` joins the shards)", shard, shard_of, n, all);
	sweep_view v = {.title = title, .decision = "recommendation", .front = front, .pick = pick, .why = why};
	int wr = json ? report_sweep_json(stdout, cols, n, &v) : report_sweep_text(stdout, cols, n, &v);
	if (fflush(stdout) || wr) {
		fprintf(stderr, "rehearse sweep: write error\n");
		goto out;
	}
	if (co.plots && cases_plots("sweep", co.plots, cols, n, front, pick))
		goto out;
	char decision[900];
	snprintf(decision, sizeof decision, "%s: %s", v.decision, v.why);
	if (co.html && cases_html("sweep", co.html, argc, argv, cols, n, study_findings(runs[0]), co.plots,
				    front, pick, decision))
		goto out;
	/* a shard whose cases all fail has done its work: the merge decides */
	rc = pick >= 0 || shard ? EXIT_CLEAN : EXIT_FINDINGS;
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
