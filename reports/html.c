/* html.c: the self-contained HTML report (html.h).
 *
 * Plain HTML with a small inline stylesheet; plots are gnuplot's SVG
 * pasted in (its XML prolog dropped), so the page needs nothing but
 * itself. Everything that comes from a user's files is escaped. */
#include "reports/html.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document/readfile.h"

void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

/* Paste DIR/NAME.svg in, from its <svg element on; 0 when it is not there. */
static int inline_svg(FILE *f, const char *dir, const char *name, const char *caption)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s.svg", dir, name);
	char err[256];
	size_t len;
	char *buf = read_file(path, (size_t)64 << 20, &len, err, sizeof err);
	if (!buf)
		return 0;
	char *svg = strstr(buf, "<svg");
	if (svg) {
		fprintf(f, "<figure>\n");
		fputs(svg, f);
		fprintf(f, "<figcaption>");
		html_text(f, caption);
		fprintf(f, "</figcaption></figure>\n");
	}
	free(buf);
	return svg != NULL;
}

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}"
	"h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}"
	"table{border-collapse:collapse;margin:.5em 0;font-size:.9em}"
	"td,th{border:1px solid #ddd;padding:.25em .6em;text-align:right;vertical-align:top}"
	"th{background:#f6f6f6}table.cmp th:first-child,table.list td{text-align:left}"
	"figure{margin:1em 0}figure svg{width:100%;height:auto;border:1px solid #eee}"
	"figcaption{color:#555;font-size:.9em}.error{color:#b00020}.warning{color:#9a6700}"
	"code,pre{font-family:ui-monospace,monospace;font-size:.9em}.note{color:#555}";

static void findings(FILE *f, const diag_list *d)
{
	static const char *const sev[] = {"note", "warning", "error"};
	fprintf(f, "<h2 id=\"findings\">Lint findings</h2>\n");
	if (!d || !diag_count(d)) {
		fprintf(f, "<p>None: <code>rehearse lint</code> finds nothing in the workflow.</p>\n");
		return;
	}
	fprintf(f, "<table class=\"list\"><tr><th>where</th><th>severity</th><th>rule</th><th>finding</th></tr>\n");
	for (size_t i = 0; i < diag_count(d); i++) {
		const diag *x = diag_get(d, i);
		const char *s = (unsigned)x->sev < 3 ? sev[x->sev] : "?";
		fprintf(f, "<tr><td><code>");
		html_text(f, x->file);
		fprintf(f, ":%u:%u</code></td><td class=\"%s\">%s</td><td><code>", x->line, x->col, s, s);
		html_text(f, x->rule);
		fprintf(f, "</code></td><td>");
		html_text(f, x->msg);
		if (x->hint && *x->hint) {
			fprintf(f, "<br><span class=\"note\">hint: ");
			html_text(f, x->hint);
			fprintf(f, "</span>");
		}
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n");
}

static void timeline(FILE *f, const cmp_case *c)
{
	const sim_result *r = c->r;
	fprintf(f, "<details><summary>timeline of ");
	html_text(f, c->label);
	fprintf(f, " (seconds from submission)</summary>\n<table class=\"list\"><tr><th>start</th><th>end</th>"
		   "<th>status</th><th>task</th><th>node</th><th>why</th></tr>\n");
	for (size_t i = 0; i < r->nrec; i++) {
		const sim_record *x = &r->rec[i];
		fprintf(f, "<tr><td>%.1f</td><td>", x->start);
		if (x->end >= 0)
			fprintf(f, "%.1f", x->end);
		else
			fprintf(f, "-");
		fprintf(f, "</td><td>");
		html_text(f, x->status);
		fprintf(f, "</td><td>%*s", 0, "");
		for (int k = 0; k < x->depth && k < 8; k++)
			fprintf(f, "&nbsp;&nbsp;");
		html_text(f, x->name);
		fprintf(f, "</td><td>");
		html_text(f, x->node ? x->node : "");
		fprintf(f, "</td><td>");
		html_text(f, x->message);
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table></details>\n");
}

static int write_report(FILE *f, const html_view *v)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
	html_text(f, v->title);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>", style);
	html_text(f, v->title);
	fprintf(f, "</h1>\n<p class=\"note\">rehearse %s: <code>", v->version ? v->version : "");
	html_text(f, v->command);
	fprintf(f, "</code>. Every figure is a prediction of the simulator and the performance model; "
		   "the assumptions at the end say what each rests on.</p>\n");
	if (v->decision) {
		fprintf(f, "<p><strong>");
		html_text(f, v->decision);
		fprintf(f, "</strong></p>\n");
	}
	fprintf(f, "<h2 id=\"summary\">Summary</h2>\n");
	if (report_compare_html_table(f, v->cases, v->n))
		return -1;
	findings(f, v->findings);
	fprintf(f, "<h2 id=\"timeline\">Timeline</h2>\n");
	char name[32], cap[300];
	int any = 0;
	for (size_t i = 0; v->plots_dir && i < v->n && i < 8; i++) {
		snprintf(name, sizeof name, v->n == 1 ? "gantt" : "gantt-%zu", i + 1);
		snprintf(cap, sizeof cap, "%s: each task and pod, coloured by what it was doing", v->cases[i].label);
		any |= inline_svg(f, v->plots_dir, name, cap);
	}
	if (!any)
		fprintf(f, "<p class=\"note\">No timeline picture: %s.</p>\n", v->plots_dir
			? "gnuplot did not draw one (is it installed?)" : "give --plots DIR to draw one");
	for (size_t i = 0; i < v->n && i < 8; i++)
		timeline(f, &v->cases[i]);
	fprintf(f, "<h2 id=\"plots\">Plots</h2>\n");
	any = 0;
	int mc = 0;
	if (v->plots_dir) {
		any |= inline_svg(f, v->plots_dir, "cost", "the bill of each case, by line");
		any |= inline_svg(f, v->plots_dir, "scaling", "makespan and cost against the number of GPUs");
		any |= inline_svg(f, v->plots_dir, "pareto", "time against cost: the Pareto front and the choice");
		mc = inline_svg(f, v->plots_dir, "cdf", "makespan over the trials: the share done by each time");
		any |= mc;
	}
	if (!any)
		fprintf(f, "<p class=\"note\">No plots: %s.</p>\n", v->plots_dir
			? "gnuplot did not draw them (is it installed?)" : "give --plots DIR to draw them");
	if (!mc)
		fprintf(f, "<p class=\"note\">No makespan distribution: it needs trials (--trials N).</p>\n");
	fprintf(f, "<h2 id=\"assumptions\">Assumptions and problems</h2>\n");
	for (size_t i = 0; i < v->n; i++) {
		const sim_result *r = v->cases[i].r;
		fprintf(f, "<h3>");
		html_text(f, v->cases[i].label);
		fprintf(f, "</h3>\n<ul>\n");
		for (size_t k = 0; k < r->nproblems; k++) {
			fprintf(f, "<li class=\"error\">problem: ");
			html_text(f, r->problems[k]);
			fprintf(f, "</li>\n");
		}
		for (size_t k = 0; k < r->nnotes; k++) {
			fprintf(f, "<li>");
			html_text(f, r->notes[k]);
			fprintf(f, "</li>\n");
		}
		fprintf(f, "</ul>\n");
	}
	fprintf(f, "</body></html>\n");
	return ferror(f) ? -1 : 0;
}

int report_html(const char *path, const html_view *v, char *err, size_t errlen)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int bad = write_report(f, v), e = 0;
	if (bad) {
		/* errno is long gone (the report reads its plots' files after): one
		 * more byte, which fails as the first did, tells why */
		clearerr(f);
		errno = 0;
		if (fputc('\n', f) == EOF || fflush(f))
			e = errno;
	}
	if (fclose(f) && !bad)
		bad = 1, e = errno;
	if (bad || rename(tmp, path)) {
		/* the temporary file goes: no report rather than half of one */
		if (!bad)
			e = errno;
		snprintf(err, errlen, "%s: %s%s%s", path, bad ? "write error" : "", bad && e ? ": " : "",
			 e ? strerror(e) : "");
		unlink(tmp);
		return -1;
	}
	return 0;
}
