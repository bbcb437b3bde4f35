/* text.c: findings as a compiler would print them, for people and editors.
 *
 * Editors and CI log scanners already parse gcc's format; we follow it to
 * the letter on the first line and add the source line, a caret under the
 * reported range, and the hint. */
#include <string.h>

#include "reports/findings.h"

static void caret_line(FILE *f, const char *line, size_t len, const diag *d)
{
	/* Columns count characters; copy tabs so the caret lines up under them. */
	fprintf(f, "      | ");
	unsigned col = 1;
	for (size_t i = 0; i < len && col < d->col; i++) {
		unsigned char ch = (unsigned char)line[i];
		if ((ch & 0xC0) == 0x80)
			continue;
		fputc(ch == '\t' ? '\t' : ' ', f);
		col++;
	}
	fputc('^', f);
	if (d->end_line == d->line && d->end_col > d->col)
		for (unsigned c = d->col + 1; c <= d->end_col && c - d->col < 200; c++)
			fputc('~', f);
	fputc('\n', f);
}

int report_text(FILE *f, const diag_list *l, const wf_set *src, const report_info *info)
{
	size_t counts[3] = {0};
	int color = info && info->color;
	static const char *const sev_color[] = {"\033[1;36m", "\033[1;35m", "\033[1;31m"};
	for (size_t i = 0; i < diag_count(l); i++) {
		const diag *d = diag_get(l, i);
		counts[d->sev]++;
		if (d->line)
			fprintf(f, "%s%s:%u:%u:%s ", color ? "\033[1m" : "", d->file, d->line, d->col, color ? "\033[0m" : "");
		else
			fprintf(f, "%s%s:%s ", color ? "\033[1m" : "", d->file, color ? "\033[0m" : "");
		fprintf(f, "%s%s:%s %s [%s]\n", color ? sev_color[d->sev] : "", diag_severity_name(d->sev),
			color ? "\033[0m" : "", d->msg, d->rule);
		size_t len;
		const char *line = src && d->line ? wf_set_line(src, d->file, d->line, &len) : NULL;
		if (line) {
			fprintf(f, "%5u | %.*s\n", d->line, (int)len, line);
			caret_line(f, line, len, d);
		}
		if (d->hint[0])
			fprintf(f, "      = hint: %s\n", d->hint);
	}
	size_t files = info ? info->files : 0;
	fprintf(f, "%zu error%s, %zu warning%s, %zu note%s in %zu file%s\n",
		counts[DIAG_ERROR], counts[DIAG_ERROR] == 1 ? "" : "s",
		counts[DIAG_WARNING], counts[DIAG_WARNING] == 1 ? "" : "s",
		counts[DIAG_NOTE], counts[DIAG_NOTE] == 1 ? "" : "s",
		files, files == 1 ? "" : "s");
	return ferror(f) ? -1 : 0;
}

int report_format_parse(const char *name, report_format *out)
{
	static const struct { const char *name; report_format f; } fmts[] = {
		{"text", REPORT_TEXT}, {"json", REPORT_JSON}, {"sarif", REPORT_SARIF}, {"github", REPORT_GITHUB},
	};
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
		if (!strcmp(name, fmts[i].name))
			return *out = fmts[i].f, 0;
	return -1;
}

int report_findings(FILE *f, report_format fmt, const diag_list *d, const wf_set *src,
		    const report_info *info)
{
	switch (fmt) {
	case REPORT_JSON: return report_json(f, d, info);
	case REPORT_TEXT: return report_text(f, d, src, info);
	case REPORT_SARIF: return report_sarif(f, d, info);
	case REPORT_GITHUB: return report_github(f, d, info);
	}
	return -1;
}
