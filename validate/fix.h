/* fix.h: `rehearse fix` -- turn a workflow into one that deploys.
 *
 * fix_run loads a file's text, applies every safe fix (validate/fixes.h)
 * to the raw YAML trees, emits them with libyaml's emitter, reloads the
 * result and repeats until no fix changes anything (a fixed point), then
 * lints the output to confirm. So fixing the output again returns it byte
 * for byte, and what no fix touched keeps its value (not its comments or
 * quoting style: the emitter writes the tree). An input that no fix
 * changes is returned as is, comments and all.
 *
 * The result says what each fix did (with the input position), what it
 * declined to do and why, and the lint findings of input and output, so
 * the caller can show which findings were fixed and which remain. */
#ifndef REHEARSE_FIX_H
#define REHEARSE_FIX_H

#include <stddef.h>

#include "document/diag.h"
#include "document/workflow.h"
#include "validate/rules.h"

typedef struct fix_opts {
	unsigned nodes;             /* --nodes N: re-scale the torchrun fan-out; 0 keeps it */
	const char *out_name;       /* file name for positions in the output ("<output>") */
	const lint_config *lint;    /* for the confirming lint; NULL for defaults */
} fix_opts;

/* One change a fix made, or one it declined (applied == 0). */
typedef struct fix_change {
	int applied;
	const char *fix;            /* the fix's name, e.g. "dedupe-mounts" */
	const char *rule;           /* the lint rule it answers, or "" */
	const char *file;           /* position in the input (NULL when unknown) */
	unsigned line, col;
	const char *what;
} fix_change;

typedef struct fix_result fix_result;

enum { FIX_OK = 0, FIX_ERR_IO = -1, FIX_ERR_INPUT = -2 };

/* Fix the text `buf` (named `name` in positions). On FIX_OK *out holds the
 * result (free with fix_result_free). FIX_ERR_INPUT: the input does not
 * load cleanly (YAML syntax, structure); err says where. FIX_ERR_IO: out of
 * memory, or the fixes did not converge (a bug), described in err. */
int fix_run(const char *name, const char *buf, size_t len, const fix_opts *o,
	    fix_result **out, char *err, size_t errlen);

/* The fixed text (the input itself when nothing changed). */
const char *fix_output(const fix_result *r, size_t *len);
/* Non-zero when the output differs from the input. */
int fix_changed(const fix_result *r);
size_t fix_change_count(const fix_result *r);
const fix_change *fix_change_at(const fix_result *r, size_t i);
/* Lint findings of the input and of the output (sorted). */
const diag_list *fix_before(const fix_result *r);
const diag_list *fix_after(const fix_result *r);
/* The output, loaded (source lines for rendering fix_after). */
const wf_set *fix_output_set(const fix_result *r);
/* NULL when the output is the input with edits applied (the usual case);
 * else why the emitter wrote it instead (comments and layout not kept). */
const char *fix_text_note(const fix_result *r);
/* Lines of the input the edits changed. */
size_t fix_lines_touched(const fix_result *r);
/* The edits the output was made with, as byte ranges of the input: edit
 * i replaced [*off, *off + *len) (len 0: an insertion). None when the
 * output is the emitter's (fix_text_note) or nothing changed. */
size_t fix_edit_count(const fix_result *r);
void fix_edit_range(const fix_result *r, size_t i, size_t *off, size_t *len);
void fix_result_free(fix_result *r);

/* How many fix passes there are, and each one's name, rule ids and summary
 * (for `rehearse fix --list` and the README). */
size_t fix_pass_count(void);
void fix_pass_info(size_t i, const char **name, const char **rules, const char **summary);

#endif
