/* cmd_simulate.c: `rehearse simulate WORKFLOW [TEMPLATE_FILE]... --scenario FILE`.
 *
 * Loads the workflow, the files holding the WorkflowTemplates it names
 * (joined in by document/workflow.h: wf_set_join) and the scenario, re-scales the torchrun fan-out when
 * --nodes (or the scenario's nodes:) asks for it -- the same model/rescale
 * that `fix --nodes` uses, applied to a copy that is emitted and loaded
 * again -- runs the simulation (sim/simulate.h) and prints the result
 * (reports/simulation.h). Exit status: 0 the workflow succeeds, 1 it fails
 * or gets stuck, 2 usage, I/O or a bad scenario (with file:line:col). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "reports/findings.h"
#include "reports/montecarlo.h"
#include "reports/simulation.h"
#include "sim/simulate.h"
#include "sim/study.h"
#include "cli/cases.h"
#include "validate/rules.h"

static const char usage[] =
	"usage: rehearse simulate WORKFLOW [TEMPLATE_FILE]... --scenario FILE [--seed N] [--nodes N [--keep-pool]]\n"
	"                         [--inject WHAT]... [--format text|json] [--trace] [--plots DIR] [--html FILE] [--db FILE]\n"
	"  TEMPLATE_FILE        files holding the WorkflowTemplates and ClusterWorkflowTemplates the\n"
	"                       workflow's workflowTemplateRef and templateRefs name (as lint reads them)\n"
	"  -s, --scenario FILE  the cluster and workload to simulate on: a file, - (standard input),\n"
	"                       or a bundled scenario's name (gke-v100-4node; `rehearse --help` says\n"
	"                       where they are read)\n"
	"      --seed N         seed of the random draws (default 1); same seed, same output\n"
	"  -n, --nodes N        re-scale the torchrun fan-out to N nodes, as `fix --nodes` does,\n"
	"                       and size the fixed GPU pool to hold them\n"
	"      --keep-pool      keep the GPU pool's size as the scenario gives it (nodes the run\n"
	"                       does not use are billed, and shown as waste)\n"
	"      --trials N       Monte Carlo: N trials, each with its own seed split from --seed;\n"
	"                       percentiles of makespan, cost and GPU-hours, the probability of\n"
	"                       success, restarts, checkpoint interval (same output whatever --threads)\n"
	"      --threads N      threads for --trials (default: the online CPUs)\n"
	"      --inject WHAT    play a what-if: 'node-loss rank-1 at 30m', 'node-hang rank-0 at 1h',\n"
	"                       'worker-exit rank-2 at 10m x4', 'pod-kill rank-1 at 30m',\n"
	"                       'preempt rank-1 at 30m', 'join-late rank-3 at 20m' (or 'at never')\n"
	"                       (time from submission; repeatable)\n"
	"      --db FILE        keep the run in the SQLite run store FILE (see `rehearse runs`)\n"
	"      --plots DIR      draw the timeline and the bill into DIR (SVG and PNG, gnuplot)\n"
	"      --html FILE      one self-contained HTML report: summary, findings, timeline, plots\n"
	"  -f, --format F       text (default) or json\n"
	"  -t, --trace          also print every event\n"
	"  Exit: 0 the workflow succeeds, 1 it fails or gets stuck, 2 usage, I/O or scenario error.\n";

static int print_findings(diag_list *d, const wf_set *src)
{
	if (!diag_count(d))
		return 0;
	diag_sort(d);
	report_info info = {0};
	info.files = 1;
	return report_text(stderr, d, src, &info);
}

/* A progress bar on a terminal: stderr only, redrawn in place. */
static void progress(void *ctx, int done, int total)
{
	int *last = ctx;
	int pct = (int)(100.0 * done / total);
	if (pct == *last && done != total)
		return;
	*last = pct;
	int w = 40, fill = w * done / total;
	fprintf(stderr, "\r  [%.*s%*s] %3d%% %d/%d trials", fill, "########################################",
		w - fill, "", pct, done, total);
	if (done == total)
		fprintf(stderr, "\n");
}

/* --trials: the summary of N trials, with the assumptions of the run with
 * the seed itself (every trial shares them). */
static int monte_carlo(const wf_doc *doc, const scenario *scn, const sim_opts *o, const sim_result *one,
		       int trials, int threads, int json)
{
	int last = -1;
	mc_opts mo = {.trials = trials, .threads = threads, .ckpt_search = 1};
	if (isatty(2)) {
		mo.progress = progress;
		mo.progress_ctx = &last;
	}
	mc_summary s;
	char err[512];
	if (mc_run(doc, scn, o, &mo, &s, err, sizeof err)) {
		fprintf(stderr, "rehearse simulate: %s\n", err);
		return EXIT_USAGE;
	}
	mc_report_info in = {.workflow = one->workflow, .scenario = one->scenario, .seed = o->seed,
			     .notes = one->notes, .nnotes = one->nnotes};
	int wr = json ? report_mc_json(stdout, &s, &in) : report_mc_text(stdout, &s, &in);
	if (fflush(stdout) || wr) {
		fprintf(stderr, "rehearse simulate: write error\n");
		return EXIT_USAGE;
	}
	return s.succeeded == s.trials ? EXIT_CLEAN : EXIT_FINDINGS;
}

int cmd_simulate(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"scenario", 's', 1, 's'},
		{"seed", 0, 1, 'S'},
		{"nodes", 'n', 1, 'n'},
		{"format", 'f', 1, 'f'},
		{"trace", 't', 0, 't'},
		{"keep-pool", 0, 0, 'K'},
		{"db", 0, 1, 'D'},
		{"plots", 0, 1, 'P'},
		{"html", 0, 1, 'H'},
		{"inject", 0, 1, 'I'},
		{"trials", 0, 1, 'T'},
		{"threads", 0, 1, 'J'},
		{"help", 'h', 0, 'h'},
		{0}};
	const char *scn_path = NULL, *wf_path = NULL;
	const char *extra[argc > 0 ? argc : 1]; /* the template files: at most argc of them */
	size_t nextra = 0;
	int json = 0, keep_pool = 0;
	const char *db_path = NULL, *plots_dir = NULL, *html_path = NULL;
	store *db = NULL;
	char fit_note[320] = "";
	const char *notes[1];
	sim_opts o = {0};
	o.seed = 1;
	enum { MAX_INJECT = 32 };
	sim_inject inject[MAX_INJECT];
	int trials = 0, threads = 0;
	size_t ninject = 0;
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int ch; (ch = cli_next(&p)) != CLI_DONE;) {
		char *end;
		switch (ch) {
		case 's':
			scn_path = p.arg;
			break;
		case 'S':
			errno = 0;
			o.seed = strtoull(p.arg, &end, 10);
			if (errno || end == p.arg || *end || p.arg[0] == '-')
				return cli_usage_error(usage, "simulate", "--seed wants a whole number, not '%s'", p.arg);
			break;
		case 'n': {
			long v = strtol(p.arg, &end, 10);
			if (end == p.arg || *end || v < 1 || v > 4096)
				return cli_usage_error(usage, "simulate", "--nodes wants a whole number from 1 to 4096, not '%s'", p.arg);
			o.nodes = (int)v;
			break;
		}
		case 'f':
			if (!strcmp(p.arg, "json"))
				json = 1;
			else if (strcmp(p.arg, "text"))
				return cli_usage_error(usage, "simulate", "--format is text or json, not '%s'", p.arg);
			break;
		case 't':
			o.trace = 1;
			break;
		case 'K':
			keep_pool = 1;
			break;
		case 'D':
			db_path = p.arg;
			break;
		case 'P':
			plots_dir = p.arg;
			break;
		case 'H':
			html_path = p.arg;
			break;
		case 'T':
		case 'J': {
			long v = strtol(p.arg, &end, 10);
			if (end == p.arg || *end || v < 1 || v > (ch == 'T' ? 10000000 : 256))
				return cli_usage_error(usage, "simulate", "--%s wants a whole number from 1 to %d, not '%s'",
						       ch == 'T' ? "trials" : "threads", ch == 'T' ? 10000000 : 256, p.arg);
			*(ch == 'T' ? &trials : &threads) = (int)v;
			break;
		}
		case 'I': {
			char ierr[256];
			if (ninject == MAX_INJECT)
				return cli_usage_error(usage, "simulate", "at most %d --inject", MAX_INJECT);
			if (sim_inject_parse(p.arg, &inject[ninject], ierr, sizeof ierr))
				return cli_usage_error(usage, "simulate", "%s", ierr);
			ninject++;
			break;
		}
		case 'h':
			fputs(usage, stdout);
			return EXIT_CLEAN;
		case CLI_ARG:
			if (!wf_path) {
				wf_path = p.arg;
				break;
			}
			if (!strcmp(p.arg, "-"))
				return cli_usage_error(usage, "simulate", "only the workflow may be standard input");
			extra[nextra++] = p.arg;
			break;
		default:
			return cli_usage_error(usage, "simulate", "%s", p.err);
		}
	}
	o.inject = ninject ? inject : NULL;
	o.ninject = ninject;
	if (!wf_path)
		return cli_usage_error(usage, "simulate", "no workflow given");
	if (!scn_path)
		return cli_usage_error(usage, "simulate", "--scenario FILE is required (see scenarios/)");
	if (!strcmp(scn_path, "-") && !strcmp(wf_path, "-"))
		return cli_usage_error(usage, "simulate", "the scenario and the workflow cannot both be standard input");

	int rc = EXIT_USAGE;
	char err[512] = "";
	diag_list *d = diag_list_new();
	wf_set *set = wf_set_new(), *run_set = NULL;
	scenario *scn = NULL;
	simulation *sim = NULL;
	fx_list *fx = NULL;
	if (!d || !set) {
		fprintf(stderr, "rehearse simulate: out of memory\n");
		goto out;
	}
	if (db_path && !(db = cases_store("simulate", db_path, argc, argv)))
		goto out;
	char bundled[4096];
	if (strcmp(scn_path, "-") && !strchr(scn_path, '/') && access(scn_path, F_OK)) {
		/* a name, not a file here: a bundled scenario */
		char rel[512];
		size_t n = strlen(scn_path);
		snprintf(rel, sizeof rel, "scenarios/%s%s", scn_path,
			 n > 5 && !strcmp(scn_path + n - 5, ".yaml") ? "" : ".yaml");
		if (!cli_data_file(rel, bundled, sizeof bundled)) {
			scn_path = bundled;
		} else {
			fprintf(stderr, "rehearse simulate: %s: no such file, nor a bundled scenario (%s) in:\n",
				scn_path, rel);
			cli_data_dirs(stderr);
			goto out;
		}
	}
	scn = scn_load_file(scn_path, d, err, sizeof err);
	if (!scn) {
		if (err[0])
			fprintf(stderr, "rehearse simulate: %s\n", err);
		print_findings(d, NULL);
		goto out;
	}
	/* the workflow first: the document to run is picked from its file */
	for (size_t i = 0; i <= nextra; i++) {
		const char *path = i ? extra[i - 1] : wf_path;
		if (wf_set_load_file(set, path, d, err, sizeof err)) {
			fprintf(stderr, "rehearse simulate: %s\n", err);
			goto out;
		}
		if (diag_count_at_least(d, DIAG_ERROR)) {
			print_findings(d, set);
			fprintf(stderr, "rehearse simulate: %s does not load; see `rehearse lint`\n", path);
			goto out;
		}
	}
	const wf_doc *doc = study_pick_doc(set);
	if (!doc) {
		fprintf(stderr, "rehearse simulate: %s holds no Argo workflow\n", wf_path);
		goto out;
	}
	/* a workflowTemplateRef: the WorkflowTemplate of another file, joined in */
	if (!(doc = wf_set_join(set, doc, err, sizeof err))) {
		fprintf(stderr, "rehearse simulate: %s\n", err);
		goto out;
	}
	/* lint's findings on the file as written: their effects play out in the
	 * run, with the positions the user sees */
	fx = fx_collect(set, doc, NULL, err, sizeof err);
	if (!fx) {
		fprintf(stderr, "rehearse simulate: %s\n", err);
		goto out;
	}
	o.effects = fx;
	int nodes = o.nodes ? o.nodes : scn->nodes, from = 0;
	run_set = set;
	if (nodes > 0) {
		run_set = study_rescale(set, doc, nodes, &from, err, sizeof err);
		if (!run_set) {
			fprintf(stderr, "rehearse simulate: %s\n", err);
			goto out;
		}
		doc = study_pick_doc(run_set);
		if (doc)
			doc = wf_set_join(run_set, doc, err, sizeof err);
		if (!doc) {
			fprintf(stderr, "rehearse simulate: %s\n", err[0] ? err : "the re-scaled workflow is gone");
			goto out;
		}
		o.nodes = nodes;
		o.nodes_from = from;
		if (!keep_pool) {
			study_fit_pools(scn, doc, nodes, fit_note, sizeof fit_note);
			if (fit_note[0])
				notes[0] = fit_note, o.notes = notes, o.nnotes = 1;
		}
	}
	sim = simulation_new(doc, scn, &o, d, err, sizeof err);
	if (!sim) {
		if (err[0])
			fprintf(stderr, "rehearse simulate: %s\n", err);
		print_findings(d, NULL);
		goto out;
	}
	int run = simulation_run(sim, err, sizeof err);
	const sim_result *r = simulation_result(sim);
	if (trials > 0) {
		rc = monte_carlo(doc, scn, &o, r, trials, threads, json);
		goto out;
	}
	int wr = json ? report_sim_json(stdout, r, o.trace) : report_sim_text(stdout, r, o.trace);
	if (fflush(stdout) || wr) {
		fprintf(stderr, "rehearse simulate: write error\n");
		goto out;
	}
	if (db || plots_dir || html_path) {
		cmp_case c = {.label = scn->name, .workflow = wf_path, .scenario = scn_path, .r = r,
			      .micro_batch = scn->workload.micro_batch};
		diag_list *lint = diag_list_new();
		int bad = !lint || lint_run(set, NULL, lint);
		if (bad)
			fprintf(stderr, "rehearse simulate: out of memory\n");
		if (!bad && db && store_put_run(db, &c, o.seed, lint, NULL, err, sizeof err)) {
			fprintf(stderr, "rehearse simulate: %s\n", err);
			bad = 1;
		}
		bad = bad || (plots_dir && cases_plots("simulate", plots_dir, &c, 1, NULL, -1)) ||
		      (html_path && cases_html("simulate", html_path, argc, argv, &c, 1, lint, plots_dir, NULL, -1, NULL));
		diag_list_free(lint);
		if (bad)
			goto out;
	}
	if (run) {
		/* cut off by a cap: the result printed says so; memory is an error */
		fprintf(stderr, "rehearse simulate: %s\n", err);
		if (strncmp(err, "out of memory", 13))
			rc = EXIT_FINDINGS;
		goto out;
	}
	rc = !strcmp(r->status, "Succeeded") ? EXIT_CLEAN : EXIT_FINDINGS;
out:
	store_close(db);
	simulation_free(sim);
	fx_free(fx);
	if (run_set != set)
		wf_set_free(run_set);
	wf_set_free(set);
	scn_free(scn);
	diag_list_free(d);
	return rc;
}
