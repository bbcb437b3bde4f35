/* config.h: what the user chose about lint -- flags, .rehearse.yaml, inline
 * suppressions -- and applying those choices to a list of findings.
 *
 * Rules always run; choices act on their findings afterwards: --select /
 * --ignore (rule ids or family prefixes), severity overrides, and
 * `# rehearse:ignore RULE-ID` comments in the linted file. Keeping the
 * rules unaware of this means a rule author never has to think about it.
 *
 * .rehearse.yaml (found from the current directory upward):
 *     select: [schema, dag-cycle]      # ids or prefixes; default all
 *     ignore: [schema-unknown-field]
 *     strict: true                     # warnings fail too
 *     known_services: [etcd-0]         # Services that exist before runs
 *     severity: {pod-env-duplicate: error, load-skipped: off}
 * Lists may also be comma-separated strings. */
#ifndef REHEARSE_CONFIG_H
#define REHEARSE_CONFIG_H

#include <stddef.h>

#include "document/diag.h"
#include "document/workflow.h"
#include "validate/rules.h"

typedef struct lcfg lcfg;

lcfg *lcfg_new(void);
void lcfg_free(lcfg *c);

/* Find .rehearse.yaml in `dir` or its parents. Writes the path to out and
 * returns 1, or returns 0 when there is none. */
int lcfg_find(const char *dir, char *out, size_t outlen);

/* Read a config file into c. Returns 0, or -1 with "file:line:col: why"
 * in err (unreadable, not YAML, unknown key, unknown rule). */
int lcfg_load(lcfg *c, const char *path, char *err, size_t errlen);

/* Comma-separated rule ids or prefixes from a flag. A --select replaces
 * the config file's select (the first time it is given); --ignore adds.
 * Returns 0, or -1 with the unknown name in err. */
int lcfg_select(lcfg *c, const char *csv, char *err, size_t errlen);
int lcfg_ignore(lcfg *c, const char *csv, char *err, size_t errlen);
void lcfg_set_strict(lcfg *c, int strict);
int lcfg_strict(const lcfg *c);

/* The config the rules read (known services); valid while c lives. */
const lint_config *lcfg_lint(const lcfg *c);

/* Does pattern `pat` (an id, or a prefix such as "schema" or "schema-")
 * name rule `id`? */
int lcfg_pattern_matches(const char *pat, const char *id);

/* Is finding d silenced by a `# rehearse:ignore ID [-- reason]` comment:
 * on its line, or on a comment line of its own above the YAML node the
 * finding is in (the template, container or entry starting on the next
 * line, all of it)? */
int lcfg_suppressed(const wf_set *s, const diag *d);

/* Copy into `out` the findings of `in` that survive selection and ignores,
 * with severity overrides applied; findings a comment silences are copied
 * too, marked suppressed with the comment's reason (diag.suppressed), for
 * the reports that list them (JSON, SARIF). Returns 0, or -1 when out of
 * memory. */
int lcfg_apply(const lcfg *c, const wf_set *s, const diag_list *in, diag_list *out);

#endif
