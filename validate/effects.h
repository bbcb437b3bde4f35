/* effects.h: what lint's findings would do to a run, for the simulator.
 *
 * Rules name the runtime consequence of their findings (rule.effect in
 * validate/rules.h). This module runs lint over a workflow and turns each
 * error finding that has one into an effect placed on the template it
 * lands in: the pod of a container template is refused, a resource
 * template's StatefulSet crash-loops, a torchrun template's agents never
 * meet. sim/ consumes the list and plays each effect out at the moment
 * the cluster would; validate/ knows nothing of sim/. */
#ifndef REHEARSE_EFFECTS_H
#define REHEARSE_EFFECTS_H

#include <stddef.h>

#include "document/workflow.h"
#include "validate/rules.h"

/* What an error finding of rule r does at run time (FX_NONE: nothing a
 * run notices at once). */
rule_effect rule_effect_of(const rule *r);

typedef struct fx {
	rule_effect kind;
	const char *rule;          /* the finding's rule id */
	const char *file;          /* and where it was found */
	unsigned line, col;
	const char *msg;           /* the finding's message */
	const char *tmpl;          /* the template it lands in; NULL: the workflow as a whole */
	int in_manifest;           /* inside a resource template's manifest */
} fx;

typedef struct fx_list fx_list;

/* Lint the set and keep the effects of error findings that land in doc
 * (the document to be simulated). NULL with err when out of memory. */
fx_list *fx_collect(const wf_set *s, const wf_doc *doc, const lint_config *cfg,
		    char *err, size_t errlen);
/* The same from findings already made (lint's diag list for the set). */
fx_list *fx_from_findings(const wf_set *s, const wf_doc *doc, const diag_list *d,
			  char *err, size_t errlen);
size_t fx_count(const fx_list *l);
const fx *fx_at(const fx_list *l, size_t i);
/* The first effect of `kind` on template `tmpl` (NULL tmpl: on the
 * workflow as a whole), or NULL. */
const fx *fx_find(const fx_list *l, const char *tmpl, rule_effect kind);
void fx_free(fx_list *l);

#endif
