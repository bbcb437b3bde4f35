/* github.c: findings as GitHub Actions workflow commands.
 *
 * A line `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=RULE::MSG`
 * printed by a step becomes an annotation on the pull request's diff.
 * GitHub parses these lines itself, so values are escaped by its rules:
 * in the message %, CR and LF; in properties also ':' and ','. */
#include <string.h>

#include "reports/findings.h"
#include "reports/redact.h"

static void put_escaped(FILE *f, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", f); break;
		case '\r': fputs("%0D", f); break;
		case '\n': fputs("%0A", f); break;
		case ':': property ? fputs("%3A", f) : fputc(':', f); break;
		case ',': property ? fputs("%2C", f) : fputc(',', f); break;
		default: {
			size_t b;
			if (report_escaped_width(s, strlen(s), &b) == 4) {
				fprintf(f, "\\x%02x", (unsigned char)*s); /* no raw control bytes in a CI log */
				break;
			}
			fwrite(s, 1, b, f);
			s += b - 1;
		}
		}
	}
}

int report_github(FILE *f, const diag_list *l, const report_info *info)
{
	(void)info;
	for (size_t i = 0; i < diag_count(l); i++) {
		const diag *d = diag_get(l, i);
		if (d->suppressed)
			continue;
		fprintf(f, "::%s file=", d->sev == DIAG_ERROR ? "error" : d->sev == DIAG_WARNING ? "warning" : "notice");
		put_escaped(f, d->file, 1);
		if (d->line) {
			fprintf(f, ",line=%u,col=%u", d->line, d->col ? d->col : 1);
			if (d->end_line >= d->line && d->end_col)
				fprintf(f, ",endLine=%u,endColumn=%u", d->end_line, d->end_col);
		}
		fputs(",title=", f);
		put_escaped(f, d->rule, 1);
		fputs("::", f);
		put_escaped(f, d->msg, 0);
		if (d->hint[0]) {
			fputs(" (hint: ", f);
			put_escaped(f, d->hint, 0);
			fputc(')', f);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
