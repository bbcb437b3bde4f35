/* cases.c: lists and case runs shared by compare, sweep and plan (cases.h). */
#include "cli/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int cases_run(const char *cmd, const study_case *cases, size_t n, study_run **runs, cmp_case *cols)
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
