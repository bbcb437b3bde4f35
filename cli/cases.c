/* cases.c: lists and case runs shared by compare, sweep and plan (cases.h). */
#include "cli/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

#include "cli/cli.h"
#include "document/diag.h"
#include "reports/findings.h"
#include "model/machine.h"
#include "reports/html.h"
#include "reports/plots.h"

int cases_int_list(const char *s, int *out, int max, int lo, int hi)
{
	int n = 0;
	const char *p = s;
	while (*p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v < lo || v > hi || n == max || (*end && *end != ','))
			return -1;
		out[n++] = (int)v;
		p = *end ? end + 1 : end;
		if (*end && !*p)
			return -1;
	}
	return n ? n : -1;
}

int cases_str_list(char *s, const char **out, int max)
{
	int n = 0;
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		if (n == max)
			return -1;
		out[n++] = tok;
	}
	return n ? n : -1;
}

static void progress(size_t done, size_t n)
{
	int w = 40, k = (int)(w * done / n);
	fprintf(stderr, "\r  [%.*s%*s] %zu/%zu cases", k, "========================================",
		w - k, "", done, n);
	if (done == n)
		fprintf(stderr, "\r%*s\r", w + 30, "");
}

store *cases_store(const char *cmd, const char *path, int argc, char **argv)
{
	char err[512];
	store *s = store_open(path, err, sizeof err);
	if (!s || store_invocation(s, cmd, argc, argv, REHEARSE_VERSION, err, sizeof err)) {
		fprintf(stderr, "rehearse %s: %s\n", cmd, err);
		store_close(s);
		return NULL;
	}
	return s;
}

void cases_opts_init(cases_opts *o)
{
	memset(o, 0, sizeof *o);
	o->seed = 1;
}

/* Keep an option as written, for the shards of a sweep. */
static void keep(cases_opts *o, const char *opt, const char *arg)
{
	if (o->npass + 2 <= (int)(sizeof o->pass / sizeof o->pass[0])) {
		o->pass[o->npass++] = opt;
		o->pass[o->npass++] = arg;
	}
}

int cases_option(cases_opts *o, int key, const char *arg, const char *usage, const char *cmd)
{
	char *end;
	switch (key) {
	case 'n':
		if ((o->nn = cases_int_list(arg, o->nodes, CASES_MAX_LIST, 1, 4096)) < 0)
			return cli_usage_error(usage, cmd, "--nodes wants whole numbers from 1 to 4096 separated by "
					       "commas (at most %d), not '%s'", CASES_MAX_LIST, arg), -1;
		keep(o, "--nodes", arg);
		return 1;
	case 'm':
		if ((o->nm = cases_int_list(arg, o->mbs, CASES_MAX_LIST, 1, 4096)) < 0)
			return cli_usage_error(usage, cmd, "--micro-batch wants whole numbers from 1 to 4096 separated "
					       "by commas, not '%s'", arg), -1;
		keep(o, "--micro-batch", arg);
		return 1;
	case 'g':
		snprintf(o->gpu_buf, sizeof o->gpu_buf, "%s", arg);
		if ((o->ng = cases_str_list(o->gpu_buf, o->gpus, CASES_MAX_LIST)) < 0)
			return cli_usage_error(usage, cmd, "--gpu wants GPU names separated by commas, not '%s'", arg), -1;
		for (int i = 0; i < o->ng; i++)
			if (!machine_find(o->gpus[i]))
				return cli_usage_error(usage, cmd, "--gpu: no GPU machine type '%s' (see `rehearse sweep "
						       "--list-gpus`)", o->gpus[i]), -1;
		keep(o, "--gpu", arg);
		return 1;
	case 'S':
		errno = 0;
		o->seed = strtoull(arg, &end, 10);
		if (errno || end == arg || *end || arg[0] == '-')
			return cli_usage_error(usage, cmd, "--seed wants a whole number, not '%s'", arg), -1;
		keep(o, "--seed", arg);
		return 1;
	case 'T':
		if ((o->trials = cases_trials(arg)) < 0)
			return cli_usage_error(usage, cmd, "--trials wants a whole number from 1 to 100000, not '%s'", arg), -1;
		keep(o, "--trials", arg);
		return 1;
	case 'D':
		o->db = arg;
		return 1;
	case 'P':
		o->plots = arg;
		return 1;
	case 'H':
		o->html = arg;
		return 1;
	}
	return 0;
}

int cases_trials(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return end == s || *end || v < 1 || v > 100000 ? -1 : (int)v;
}

int cases_run(const char *cmd, const study_case *cases, size_t n, study_run **runs, cmp_case *cols,
	      store *db, int trials)
{
	int bar = n > 1 && isatty(2);
	for (size_t i = 0; i < n; i++) {
		char err[512] = "";
		diag_list *d = diag_list_new();
		if (!d) {
			fprintf(stderr, "rehearse %s: out of memory\n", cmd);
			return -1;
		}
		runs[i] = study_run_case(&cases[i], d, err, sizeof err);
		if (!runs[i]) {
			if (bar)
				fprintf(stderr, "\n");
			if (diag_count(d)) {
				diag_sort(d);
				report_info info = {0};
				info.files = 1;
				report_text(stderr, d, NULL, &info);
			}
			fprintf(stderr, "rehearse %s: %s%s%s\n", cmd, cases[i].label ? cases[i].label : "",
				cases[i].label ? ": " : "", err[0] ? err : "the inputs cannot be simulated");
			diag_list_free(d);
			return -1;
		}
		diag_list_free(d);
		cmp_case *c = &cols[i];
		memset(c, 0, sizeof *c);
		c->label = study_label(runs[i]);
		c->workflow = cases[i].workflow;
		c->scenario = cases[i].scenario;
		c->r = study_result(runs[i]);
		c->have_perf = study_perf(runs[i], &c->perf) == 0;
		c->gpu = study_gpu(runs[i]);
		c->machine = study_machine(runs[i]);
		c->spot = c->r->cost.gpu_spot;
		c->micro_batch = study_micro_batch(runs[i]);
		c->nic_gbps = study_nic_gbps(runs[i]);
		if (trials > 0) {
			study_mc mc;
			if (study_trials(runs[i], trials, &mc, err, sizeof err)) {
				if (bar)
					fprintf(stderr, "\n");
				fprintf(stderr, "rehearse %s: %s: trials: %s\n", cmd, c->label, err);
				return -1;
			}
			int nt;
			c->trials = mc.trials;
			c->p_success = mc.p_success;
			c->p50_makespan = mc.p50_makespan;
			c->p90_makespan = mc.p90_makespan;
			c->mean_cost = mc.mean_cost;
			c->trial_rows = study_trial_rows(runs[i], &nt);
		}
		if (db && store_put_run(db, c, cases[i].seed ? cases[i].seed : 1, study_findings(runs[i]), NULL,
					err, sizeof err)) {
			if (bar)
				fprintf(stderr, "\n");
			fprintf(stderr, "rehearse %s: %s\n", cmd, err);
			return -1;
		}
		if (bar)
			progress(i + 1, n);
	}
	return 0;
}

void cases_free(study_run **runs, size_t n)
{
	for (size_t i = 0; runs && i < n; i++)
		study_run_free(runs[i]);
}

study_case *cases_grid(const char *wf, const char *scn, const int *nodes, int nn,
		       const char *const *gpus, int ng, const int *mbs, int nm, const int *spots,
		       int ns, uint64_t seed, size_t *n)
{
	int dn = nn ? nn : 1, dg = ng ? ng : 1, dm = nm ? nm : 1, ds = ns ? ns : 1;
	size_t total = (size_t)dn * dg * dm * ds;
	enum { LABEL = 96 };
	/* the cases, then their labels, in one block */
	study_case *cases = calloc(1, total * (sizeof *cases + LABEL));
	if (!cases)
		return NULL;
	char *labels = (char *)(cases + total);
	size_t i = 0;
	for (int a = 0; a < dn; a++)
		for (int b = 0; b < dg; b++)
			for (int m = 0; m < dm; m++)
				for (int s = 0; s < ds; s++, i++) {
					study_case *c = &cases[i];
					c->workflow = wf;
					c->scenario = scn;
					c->nodes = nn ? nodes[a] : 0;
					c->gpu = ng ? gpus[b] : NULL;
					c->micro_batch = nm ? mbs[m] : 0;
					c->spot = ns ? spots[s] : -1;
					c->seed = seed;
					char *l = labels + i * LABEL;
					int len = 0;
					if (nn)
						len += snprintf(l + len, LABEL - len, "%d node%s", nodes[a], nodes[a] == 1 ? "" : "s");
					if (ng)
						len += snprintf(l + len, LABEL - len, "%s%s", len ? " " : "", gpus[b]);
					if (nm)
						len += snprintf(l + len, LABEL - len, "%smb %d", len ? " " : "", mbs[m]);
					if (ns)
						len += snprintf(l + len, LABEL - len, "%s%s", len ? " " : "",
								spots[s] ? "spot" : "on-demand");
					c->label = len ? l : NULL;
				}
	*n = total;
	return cases;
}

int cases_figures(const cmp_case *cols, size_t n, double **time, double **cost, int **ok)
{
	*time = calloc(n + 1, sizeof **time);
	*cost = calloc(n + 1, sizeof **cost);
	*ok = calloc(n + 1, sizeof **ok);
	if (!*time || !*cost || !*ok) {
		free(*time), free(*cost), free(*ok);
		*time = *cost = NULL, *ok = NULL;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const cmp_case *c = &cols[i];
		(*time)[i] = c->trials > 0 ? c->p90_makespan : c->r->makespan;
		(*cost)[i] = c->trials > 0 ? c->mean_cost : c->r->cost.total_usd;
		/* a step the perf model says runs out of memory never succeeds,
		 * whatever a simulation that does not model it says (cmp_ok, and
		 * study_trials counts no such trial a success) */
		(*ok)[i] = c->trials > 0 ? c->p_success > 0 : cmp_ok(c);
	}
	return 0;
}

double cases_duration(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || !(v > 0) || v > 1e9)
		return -1;
	if (!*end || !strcmp(end, "s"))
		return v;
	if (!strcmp(end, "m") || !strcmp(end, "min"))
		return v * 60;
	if (!strcmp(end, "h"))
		return v * 3600;
	if (!strcmp(end, "d"))
		return v * 86400;
	return -1;
}

const char *cases_describe(const cmp_case *c, char *buf, size_t len)
{
	snprintf(buf, len, "%d x %s%s%s, micro-batch %d", c->r->ranks, c->gpu && *c->gpu ? c->gpu : "GPU",
		 c->machine && *c->machine ? "" : "", c->spot ? " spot" : " on-demand", c->micro_batch);
	return buf;
}

int cases_plots(const char *cmd, const char *dir, const cmp_case *cols, size_t n, const int *front,
		long pick)
{
	char err[600] = "", name[32];
	int rc = 0;
	for (size_t i = 0; !rc && i < n && i < 8; i++) {
		if (n == 1)
			snprintf(name, sizeof name, "gantt");
		else
			snprintf(name, sizeof name, "gantt-%zu", i + 1);
		rc = plot_gantt(dir, name, cols[i].r, err, sizeof err);
	}
	if (!rc)
		rc = plot_cost(dir, "cost", cols, n, err, sizeof err);
	if (!rc && n > 1)
		rc = plot_scaling(dir, "scaling", cols, n, err, sizeof err);
	if (!rc && n > 1 && front)
		rc = plot_pareto(dir, "pareto", cols, n, front, pick, err, sizeof err);
	if (!rc && n && cols[0].trials > 0)
		rc = plot_cdf(dir, "cdf", cols, n, err, sizeof err);
	if (rc) {
		fprintf(stderr, "rehearse %s: --plots: %s\n", cmd, err);
		return -1;
	}
	if (!plots_available())
		fprintf(stderr, "rehearse %s: note: gnuplot is not installed: the plots' data and scripts are in "
			"%s, but no pictures (install Debian's gnuplot-nox, or set GNUPLOT)\n", cmd, dir);
	return 0;
}

/* Remove a directory of plots this process made (its files only). */
static void remove_plots(const char *dir)
{
	static const char *const names[] = {"cost", "scaling", "pareto", "cdf", "gantt", "gantt-1", "gantt-2",
					    "gantt-3", "gantt-4", "gantt-5", "gantt-6", "gantt-7", "gantt-8"};
	static const char *const ext[] = {"dat", "gp", "svg", "png"};
	char path[4200];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		for (size_t k = 0; k < 4; k++) {
			snprintf(path, sizeof path, "%s/%s.%s", dir, names[i], ext[k]);
			unlink(path);
		}
	rmdir(dir);
}

int cases_html(const char *cmd, const char *path, int argc, char **argv, const cmp_case *cols, size_t n,
	       const diag_list *findings, const char *plots_dir, const int *front, long pick,
	       const char *decision)
{
	char tmpdir[4096], line[4096] = "rehearse", err[600];
	const char *tdir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	const char *dir = plots_dir;
	if ((size_t)snprintf(tmpdir, sizeof tmpdir, "%s/rehearse-plots-XXXXXX", tdir) >= sizeof tmpdir) {
		fprintf(stderr, "rehearse %s: --html: TMPDIR is too long\n", cmd);
		return -1;
	}
	if (!dir) {
		if (!mkdtemp(tmpdir)) {
			fprintf(stderr, "rehearse %s: --html: %s: %s\n", cmd, tmpdir, strerror(errno));
			return -1;
		}
		dir = tmpdir;
		/* the pictures, quietly: a missing gnuplot is said once, below */
		if (plots_available() && cases_plots(cmd, dir, cols, n, front, pick)) {
			remove_plots(tmpdir);
			return -1;
		}
	}
	size_t len = strlen(line);
	for (int i = 0; i < argc && len < sizeof line - 2; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, " %s", argv[i]);
	char title[512];
	snprintf(title, sizeof title, "rehearse %s: %s", cmd, n == 1 ? cols[0].label : "");
	for (size_t i = 0; n > 1 && i < n && strlen(title) < sizeof title - 80; i++)
		snprintf(title + strlen(title), sizeof title - strlen(title), "%s%s", i ? (i + 1 == n ? " and " : ", ")
			 : "", cols[i].label);
	if (n > 6)
		snprintf(title, sizeof title, "rehearse %s: %zu cases", cmd, n);
	html_view v = {.title = title, .command = line, .cases = cols, .n = n, .findings = findings,
		       .plots_dir = dir, .decision = decision, .version = REHEARSE_VERSION};
	int rc = report_html(path, &v, err, sizeof err);
	if (rc)
		fprintf(stderr, "rehearse %s: --html: %s\n", cmd, err);
	else if (!plots_available())
		fprintf(stderr, "rehearse %s: note: gnuplot is not installed: %s has no plots (install Debian's "
			"gnuplot-nox)\n", cmd, path);
	if (!plots_dir)
		remove_plots(tmpdir);
	return rc;
}
