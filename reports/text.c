/* text.c: findings as a compiler would print them, for people and editors.
 *
 * Editors and CI log scanners already parse gcc's format; we follow it to
 * the letter on the first line and add the source line, a caret under the
 * reported range, and the hint. */
#include <stdlib.h>
#include <string.h>

#include "reports/findings.h"
#include "reports/redact.h"

static void caret_line(FILE *f, const char *line, size_t len, const diag *d, unsigned shift, int dots)
{
	/* Columns count characters; copy tabs so the caret lines up under them,
	 * and give an escaped byte (\xHH) the four columns it takes. */
	fprintf(f, "      | %s", dots ? "   " : "");
	unsigned col = 1 + shift;
	for (size_t i = 0, b; i < len && col < d->col; i += b) {
		unsigned w = report_escaped_width(line + i, len - i, &b);
		if (line[i] == '\t')
			fputc('\t', f);
		else
			fprintf(f, "%*s", (int)w, "");
		col++;
	}
	fputc('^', f);
	if (d->end_line == d->line && d->end_col > d->col)
		for (unsigned c = d->col + 1; c <= d->end_col && c - d->col < 200; c++)
			fputc('~', f);
	fputc('\n', f);
}

static int text(FILE *f, const diag_list *l, const wf_set *src, const report_info *info, const redact *rd)
{
	size_t counts[3] = {0};
	int color = info && info->color;
	static const char *const sev_color[] = {"\033[1;36m", "\033[1;35m", "\033[1;31m"};
	size_t quiet = 0;
	for (size_t i = 0; i < diag_count(l); i++) {
		const diag *d = diag_get(l, i);
		if (d->suppressed) { /* listed by JSON and SARIF, counted here */
			quiet++;
			continue;
		}
		counts[d->sev]++;
		fputs(color ? "\033[1m" : "", f);
		report_put_escaped(f, d->file, strlen(d->file));
		if (d->line)
			fprintf(f, ":%u:%u", d->line, d->col);
		fprintf(f, ":%s %s%s:%s ", color ? "\033[0m" : "", color ? sev_color[d->sev] : "",
			diag_severity_name(d->sev), color ? "\033[0m" : "");
		report_put_escaped(f, d->msg, strlen(d->msg));
		fprintf(f, " [%s]\n", d->rule);
		size_t len;
		const char *line = src && d->line ? wf_set_line(src, d->file, d->line, &len) : NULL;
		char *copy = line ? malloc(len + 1) : NULL;
		if (copy) {
			memcpy(copy, line, len);
			redact_line(rd, d->file, d->line, copy, len);
			/* a long line (minified JSON, a binary file) is cut to a
			 * window around the column */
			size_t start = 0, shown = len;
			unsigned before = 0;
			if (len > 240) {
				for (unsigned c = 1; start < len && c + 60 < d->col; c++, before++)
					do
						start++;
					while (start < len && ((unsigned char)copy[start] & 0xC0) == 0x80);
				shown = len - start > 180 ? 180 : len - start;
			}
			fprintf(f, "%5u | %s", d->line, start ? "..." : "");
			report_put_escaped(f, copy + start, shown);
			fprintf(f, "%s\n", start + shown < len ? "..." : "");
			caret_line(f, copy + start, shown, d, before, start > 0);
			free(copy);
		}
		if (d->hint[0]) {
			fputs("      = hint: ", f);
			report_put_escaped(f, d->hint, strlen(d->hint));
			fputc('\n', f);
		}
	}
	size_t files = info ? info->files : 0;
	fprintf(f, "%zu error%s, %zu warning%s, %zu note%s in %zu file%s",
		counts[DIAG_ERROR], counts[DIAG_ERROR] == 1 ? "" : "s",
		counts[DIAG_WARNING], counts[DIAG_WARNING] == 1 ? "" : "s",
		counts[DIAG_NOTE], counts[DIAG_NOTE] == 1 ? "" : "s",
		files, files == 1 ? "" : "s");
	if (quiet)
		fprintf(f, " (%zu suppressed by rehearse:ignore comments)", quiet);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

/* Secrets are masked whatever the caller: the set they come from is the
 * one the findings' source lines come from. */
static int with_redaction(FILE *f, report_format fmt, const diag_list *d, const wf_set *src,
			  const report_info *info)
{
	redact *rd = src ? redact_collect(src) : NULL;
	diag_list *clean = rd ? diag_list_new() : NULL;
	if (src && (!rd || !clean || redact_findings(rd, d, clean))) {
		redact_free(rd);
		diag_list_free(clean);
		return -1; /* out of memory: print nothing rather than a secret */
	}
	const diag_list *l = clean ? clean : d;
	int rc = -1;
	switch (fmt) {
	case REPORT_JSON: rc = report_json(f, l, info); break;
	case REPORT_TEXT: rc = text(f, l, src, info, rd); break;
	case REPORT_SARIF: rc = report_sarif(f, l, info); break;
	case REPORT_GITHUB: rc = report_github(f, l, info); break;
	}
	redact_free(rd);
	diag_list_free(clean);
	return rc;
}

int report_text(FILE *f, const diag_list *l, const wf_set *src, const report_info *info)
{
	return with_redaction(f, REPORT_TEXT, l, src, info);
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
	return with_redaction(f, fmt, d, src, info);
}
