/* findings.h: rendering a list of findings for people and for machines.
 *
 * text: gcc style, "file:line:col: severity: message [rule]", the source
 *       line with a caret under the range, and the fix hint.
 * json: {"version":1,"files":N,"findings":[{file,line,column,end_line,
 *       end_column,severity,rule,message,hint}]}
 * sarif: SARIF 2.1.0 for GitHub code scanning: every rule with its help
 *       text (from report_info.rules), results with physical locations,
 *       and one invocation: executionSuccessful false, with a
 *       toolExecutionNotification per file that could not be read (so a
 *       run that read nothing is not zero results).
 * github: workflow commands, `::error file=F,line=L,col=C,title=RULE::MSG`,
 *       which GitHub Actions turns into annotations on the diff.
 * The source lines come from the loaded set (sources may be NULL: then no
 * source lines are printed). All return 0, or -1 on a write error. */
#ifndef REHEARSE_FINDINGS_H
#define REHEARSE_FINDINGS_H

#include <stdio.h>

#include "document/diag.h"
#include "document/workflow.h"

typedef enum { REPORT_TEXT, REPORT_JSON, REPORT_SARIF, REPORT_GITHUB } report_format;

/* Parse a --format name; returns 0 or -1 when unknown. */
int report_format_parse(const char *name, report_format *out);

/* What a report says about a rule (reports/ does not read the rule table
 * itself: the caller passes it, so reports depend on model/ alone). */
typedef struct report_rule {
	const char *id;
	diag_severity sev;
	const char *summary, *rationale, *hint, *bad, *good;
} report_rule;

typedef struct report_info {
	size_t files;           /* files read */
	int color;              /* ANSI colors in text */
	const report_rule *rules; /* sarif: the rule table (may be NULL) */
	size_t nrules;
	const char *version;    /* sarif: tool version */
	const char *const *unread; /* sarif: files that could not be read, as pairs (path, why) */
	size_t nunread;         /* pairs in unread */
} report_info;

int report_findings(FILE *f, report_format fmt, const diag_list *d, const wf_set *sources,
		    const report_info *info);

int report_text(FILE *f, const diag_list *d, const wf_set *sources, const report_info *info);
int report_json(FILE *f, const diag_list *d, const report_info *info);
int report_sarif(FILE *f, const diag_list *d, const report_info *info);
int report_github(FILE *f, const diag_list *d, const report_info *info);

#endif
