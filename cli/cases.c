/* cases.c: lists and case runs shared by compare, sweep and plan (cases.h). */
#include "cli/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "document/diag.h"
#include "reports/findings.h"

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

int cases_run(const char *cmd, const study_case *cases, size_t n, study_run **runs, cmp_case *cols,
	      store *db)
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
		(*time)[i] = cols[i].r->makespan;
		(*cost)[i] = cols[i].r->cost.total_usd;
		/* a step the perf model says runs out of memory never succeeds,
		 * whatever a simulation that does not model it says */
		(*ok)[i] = cmp_ok(&cols[i]);
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
