/* cmd_compare.c: `rehearse compare` -- cases side by side.
 *
 *   rehearse compare WORKFLOW --scenario A.yaml --scenario B.yaml
 *   rehearse compare WORKFLOW --scenario S --nodes 1,4
 *   rehearse compare BASE.yaml HEAD.yaml --scenario S     (what a PR changes)
 *
 * Every combination of workflow x scenario x node count x GPU is one case
 * (sim/study.h) and one column; the first is the baseline. Fixed GPU pools
 * are sized to each case's fan-out unless --keep-pool. Exit status: 0
 * every case succeeds, 1 one fails or gets stuck, 2 usage or input error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cases.h"
#include "cli/cli.h"

static const char usage[] =
	"usage: rehearse compare WORKFLOW [HEAD-WORKFLOW] --scenario FILE [--scenario FILE...]\n"
	"                        [--nodes N,N...] [--gpu GPU,GPU...] [--spot] [--keep-pool]\n"
	"                        [--seed N] [--format text|json|markdown] [--plots DIR] [--html FILE]\n"
	"                        [--db FILE]\n"
	"  -s, --scenario FILE  a scenario (repeat for one column each)\n"
	"  -n, --nodes LIST     re-scale the torchrun fan-out to each count (one column each)\n"
	"      --gpu LIST       swap each GPU machine type into the GPU pool (v100-16 a100-40\n"
	"                       a100-80 h100 l4; prices in model/machine.c)\n"
	"      --spot           bill GPU nodes at spot prices\n"
	"      --keep-pool      keep fixed GPU pools as the scenario sizes them\n"
	"      --trials N         also run each case N times, each with its own seed: success\n"
	"                         probability and makespan percentiles\n"
	"      --seed N         seed of the random draws (default 1)\n"
	"      --plots DIR        draw the timelines, the bill and the scaling curve into DIR (SVG and PNG, gnuplot)\n"
	"      --html FILE        one self-contained HTML report: summary, findings, timelines, plots\n"
	"      --db FILE          keep every case in the SQLite run store FILE (see `rehearse runs`)\n"
	"  -f, --format F       text (default), json, or markdown (a pull-request comment)\n"
	"  Two workflows compare base and head on each scenario.\n"
	"  Exit: 0 every case succeeds, 1 one fails or gets stuck, 2 usage or input error.\n";

enum { MAX_LIST = 16, MAX_CASES = 64 };

int cmd_compare(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"scenario", 's', 1, 's'}, {"spot", 0, 0, 'p'}, {"keep-pool", 0, 0, 'K'},
		{"format", 'f', 1, 'f'}, CASES_OPTS, {"help", 'h', 0, 'h'}, {0}};
	const char *scns[MAX_LIST], *wfs[2];
	int nscn = 0, nwf = 0, keep = 0, spot = -1;
	int fmt = 0; /* 0 text, 1 json, 2 markdown */
	cases_opts co;
	cases_opts_init(&co);
	store *db = NULL;
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int k; (k = cli_next(&p)) != CLI_DONE;) {
		switch (k) {
		case 's':
			if (nscn == MAX_LIST)
				return cli_usage_error(usage, "compare", "at most %d scenarios", MAX_LIST);
			scns[nscn++] = p.arg;
			break;
		case 'p':
			spot = 1;
			break;
		case 'K':
			keep = 1;
			break;
		case 'f':
			if (!strcmp(p.arg, "text"))
				fmt = 0;
			else if (!strcmp(p.arg, "json"))
				fmt = 1;
			else if (!strcmp(p.arg, "markdown") || !strcmp(p.arg, "md"))
				fmt = 2;
			else
				return cli_usage_error(usage, "compare", "--format is text, json or markdown, not '%s'", p.arg);
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_CLEAN;
		case CLI_ARG:
			if (nwf == 2)
				return cli_usage_error(usage, "compare", "at most two workflows (base and head)");
			wfs[nwf++] = p.arg;
			break;
		default: {
			int r = cases_option(&co, k, p.arg, usage, "compare");
			if (r < 0)
				return EXIT_USAGE;
			if (!r)
				return cli_usage_error(usage, "compare", "%s", p.err);
		}
		}
	}
	if (!nwf)
		return cli_usage_error(usage, "compare", "no workflow given");
	if (!nscn)
		return cli_usage_error(usage, "compare", "--scenario FILE is required (see scenarios/)");
	/* no --nodes or --gpu: one column of each, the scenario's own */
	int nnodes = co.nn ? co.nn : 1, ngpus = co.ng ? co.ng : 1;
	const int *nodes = co.nodes;
	const char *const *gpus = co.gpus;
	size_t n = (size_t)nwf * nscn * nnodes * ngpus;
	if (n < 2)
		return cli_usage_error(usage, "compare", "one case is nothing to compare: give a second "
				       "scenario, --nodes A,B, --gpu A,B, or a second workflow");
	if (n > MAX_CASES)
		return cli_usage_error(usage, "compare", "%zu cases: at most %d (use `rehearse sweep`)", n, MAX_CASES);

	study_case *cases = calloc(n, sizeof *cases);
	char (*labels)[128] = calloc(n, sizeof *labels);
	study_run **runs = calloc(n, sizeof *runs);
	cmp_case *cols = calloc(n, sizeof *cols);
	int rc = EXIT_USAGE;
	if (!cases || !labels || !runs || !cols) {
		fprintf(stderr, "rehearse compare: out of memory\n");
		goto out;
	}
	size_t i = 0;
	for (int w = 0; w < nwf; w++)
		for (int s = 0; s < nscn; s++)
			for (int k = 0; k < nnodes; k++)
				for (int g = 0; g < ngpus; g++, i++) {
					study_case *c = &cases[i];
					c->workflow = wfs[w];
					c->scenario = scns[s];
					c->nodes = co.nn ? nodes[k] : 0;
					c->gpu = co.ng ? gpus[g] : NULL;
					c->keep_pool = keep;
					c->spot = spot;
					c->seed = co.seed;
					/* the label names what varies */
					char *l = labels[i];
					size_t len = 0;
					if (nwf > 1)
						len += snprintf(l + len, 128 - len, "%s", w ? "head" : "base");
					if (nscn > 1) {
						const char *b = strrchr(scns[s], '/');
						b = b ? b + 1 : scns[s];
						len += snprintf(l + len, 128 - len, "%s%.*s", len ? " " : "",
								(int)(strstr(b, ".y") ? strstr(b, ".y") - b : (long)strlen(b)), b);
					}
					if (nnodes > 1)
						len += snprintf(l + len, 128 - len, "%s%d node%s", len ? " " : "",
								nodes[k], nodes[k] == 1 ? "" : "s");
					if (ngpus > 1)
						len += snprintf(l + len, 128 - len, "%s%s", len ? " " : "", gpus[g]);
					c->label = l;
				}
	if (co.db && !(db = cases_store("compare", co.db, argc, argv)))
		goto out;
	if (cases_run("compare", cases, n, runs, cols, db, co.trials))
		goto out;
	int wr = fmt == 1 ? report_compare_json(stdout, cols, n)
		: fmt == 2 ? report_compare_markdown(stdout, cols, n) : report_compare_text(stdout, cols, n);
	if (fflush(stdout) || wr) {
		fprintf(stderr, "rehearse compare: write error\n");
		goto out;
	}
	if (co.plots && cases_plots("compare", co.plots, cols, n, NULL, -1))
		goto out;
	if (co.html && cases_html("compare", co.html, argc, argv, cols, n, study_findings(runs[0]), co.plots,
				    NULL, -1, NULL))
		goto out;
	rc = EXIT_CLEAN;
	for (i = 0; i < n; i++)
		if (!cmp_ok(&cols[i]))
			rc = EXIT_FINDINGS;
out:
	store_close(db);
	cases_free(runs, n);
	free(cases);
	free(labels);
	free(runs);
	free(cols);
	return rc;
}
