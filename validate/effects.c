/* effects.c: lint findings placed on templates as runtime effects.
 *
 * A finding carries a position; the template whose YAML holds that
 * position is the one the effect lands on. Where the finding sits inside
 * a resource template's manifest, the object is what fails: a pod spec
 * Argo would refuse at submission is, inside a StatefulSet, an object the
 * API server refuses when the step creates it; a container that cannot
 * start is, inside a StatefulSet, a pod the kubelet restarts forever. */
#include "validate/effects.h"

#include <stdlib.h>
#include <string.h>

#include "document/grow.h"

/* The runtime consequence of each rule that has one. Rules of a schema,
 * reference or DAG family are Argo's own validation: the workflow is
 * refused when submitted. */
static const struct {
	const char *id;
	rule_effect effect;
} table[] = {
	{"dag-unknown-task", FX_SUBMIT_REFUSED},
	{"dag-depends-syntax", FX_SUBMIT_REFUSED},
	{"dag-depends-and-dependencies", FX_SUBMIT_REFUSED},
	{"dag-continue-on-depends", FX_SUBMIT_REFUSED},
	{"dag-cycle", FX_SUBMIT_REFUSED},
	{"dag-not-ancestor", FX_SUBMIT_REFUSED},
	{"ref-entrypoint", FX_SUBMIT_REFUSED},
	{"ref-template", FX_SUBMIT_REFUSED},
	{"ref-name-invalid", FX_SUBMIT_REFUSED},
	{"ref-name-duplicate", FX_SUBMIT_REFUSED},
	{"ref-missing-argument", FX_SUBMIT_REFUSED},
	{"ref-variable", FX_SUBMIT_REFUSED},
	{"schema-unknown-field", FX_SUBMIT_REFUSED},
	{"schema-type", FX_SUBMIT_REFUSED},
	{"schema-required", FX_SUBMIT_REFUSED},
	{"schema-enum", FX_SUBMIT_REFUSED},
	{"container-quantity", FX_SUBMIT_REFUSED},
	{"container-unknown-volume", FX_OBJECT_REFUSED},
	{"container-mount-path-duplicate", FX_OBJECT_REFUSED},
	{"container-request-over-limit", FX_OBJECT_REFUSED},
	{"container-extended-resource", FX_OBJECT_REFUSED},
	{"pod-duplicate-mount", FX_OBJECT_REFUSED},
	{"security-automount-token", FX_OBJECT_REFUSED},
	{"pod-argv-space", FX_START_ERROR},
	{"torchrun-rdzv-backend-unknown", FX_EXIT_AT_START},
	{"torchrun-max-restarts-invalid", FX_EXIT_AT_START},
	{"torchrun-node-rank-range", FX_EXIT_AT_START},
	{"etcd-peer-url-mismatch", FX_CRASH_LOOP},
	{"etcd-peer-list-mismatch", FX_CRASH_LOOP},
	{"k8s-statefulset-no-headless-service", FX_NO_DNS},
	{"etcd-v2-disabled", FX_RDZV_404},
	{"torchrun-rdzv-endpoint-missing", FX_RDZV_NEVER},
	{"torchrun-c10d-endpoint-local", FX_RDZV_NEVER},
	{"torchrun-node-rank-duplicate", FX_RDZV_NEVER},
	{"torchrun-nproc-exceeds-gpus", FX_WORKER_CRASH},
	{"pod-no-shm", FX_WORKER_CRASH},
	{"torchrun-socket-ifname-loopback", FX_WORKER_CRASH},
	{"pod-gpu-visible-devices", FX_WORKER_CRASH},
	{"torchrun-rdzv-id-constant", FX_STALE_RDZV},
	/* torchrun-rwo-volume-shared has none here: sim/ places the claim
	 * itself (a ReadWriteOnce claim keeps its pods on one node) */
};

rule_effect rule_effect_of(const rule *r)
{
	for (size_t i = 0; r && i < sizeof table / sizeof table[0]; i++)
		if (!strcmp(table[i].id, r->id))
			return table[i].effect;
	return FX_NONE;
}

struct fx_list {
	arena *a;
	fx *v;
	size_t n, cap;
};

static int before(unsigned l1, unsigned c1, unsigned l2, unsigned c2)
{
	return l1 < l2 || (l1 == l2 && c1 <= c2);
}

static int inside(const ynode *n, unsigned line, unsigned col)
{
	if (!n || !n->line)
		return 0;
	unsigned el = n->end_line ? n->end_line : n->line, ec = n->end_line ? n->end_col : ~0u;
	return before(n->line, n->col, line, col) && before(line, col, el, ec);
}

static int in_doc(const wf_doc *doc, const diag *g)
{
	return doc->file && !strcmp(g->file, doc->file) && inside(doc->root, g->line, g->col);
}

static int push(fx_list *l, const fx *e)
{
	for (size_t i = 0; i < l->n; i++) /* one effect per rule and template */
		if (l->v[i].kind == e->kind && !strcmp(l->v[i].rule, e->rule) &&
		    (l->v[i].tmpl == e->tmpl || (l->v[i].tmpl && e->tmpl && !strcmp(l->v[i].tmpl, e->tmpl))))
			return 0;
	if (GROW(l->v, l->n, l->cap, 8))
		return -1;
	fx *c = &l->v[l->n];
	*c = *e;
	c->rule = arena_strdup(l->a, e->rule);
	c->file = arena_strdup(l->a, e->file ? e->file : "");
	c->msg = arena_strdup(l->a, e->msg ? e->msg : "");
	c->tmpl = e->tmpl ? arena_strdup(l->a, e->tmpl) : NULL;
	if (!c->rule || !c->file || !c->msg || (e->tmpl && !c->tmpl))
		return -1;
	l->n++;
	return 0;
}

fx_list *fx_from_findings(const wf_set *s, const wf_doc *doc, const diag_list *d,
			  char *err, size_t errlen)
{
	fx_list *l = calloc(1, sizeof *l);
	if (!l || !(l->a = arena_new())) {
		free(l);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	(void)s;
	for (size_t i = 0; i < diag_count(d); i++) {
		const diag *g = diag_get(d, i);
		const rule *r = g->rule ? rule_find(g->rule) : NULL;
		/* in the workflow, or in the WorkflowTemplate its workflowTemplateRef
		 * joined in (document/workflow.h: wf_set_join) */
		const wf_doc *in = doc;
		if (!r || rule_effect_of(r) == FX_NONE || g->sev < DIAG_ERROR || !g->file)
			continue;
		if (!in_doc(doc, g) && !((in = doc->joined_from) && in_doc(in, g)))
			continue;
		fx e = {.kind = rule_effect_of(r), .rule = r->id, .file = g->file, .line = g->line,
			.col = g->col, .msg = g->msg};
		for (size_t k = 0; k < doc->spec.ntemplates; k++) {
			const wf_template *t = &doc->spec.templates[k];
			if (!t->node || !t->node->file || strcmp(t->node->file, g->file) ||
			    !inside(t->node, g->line, g->col))
				continue;
			e.tmpl = t->name;
			e.in_manifest = t->resource && inside(t->resource->manifest_node, g->line, g->col);
			break;
		}
		if (e.in_manifest && (e.kind == FX_SUBMIT_REFUSED))
			e.kind = FX_OBJECT_REFUSED;
		if (e.in_manifest && (e.kind == FX_START_ERROR || e.kind == FX_EXIT_AT_START))
			e.kind = FX_CRASH_LOOP;
		if (push(l, &e)) {
			fx_free(l);
			snprintf(err, errlen, "out of memory");
			return NULL;
		}
	}
	return l;
}

fx_list *fx_collect(const wf_set *s, const wf_doc *doc, const lint_config *cfg,
		    char *err, size_t errlen)
{
	diag_list *d = diag_list_new();
	if (!d || lint_run(s, cfg, d)) {
		diag_list_free(d);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fx_list *l = fx_from_findings(s, doc, d, err, errlen);
	diag_list_free(d);
	return l;
}

size_t fx_count(const fx_list *l)
{
	return l ? l->n : 0;
}

const fx *fx_at(const fx_list *l, size_t i)
{
	return l && i < l->n ? &l->v[i] : NULL;
}

const fx *fx_find(const fx_list *l, const char *tmpl, rule_effect kind)
{
	for (size_t i = 0; l && i < l->n; i++) {
		const fx *e = &l->v[i];
		if (e->kind != kind)
			continue;
		if (!tmpl ? !e->tmpl : e->tmpl && !strcmp(e->tmpl, tmpl))
			return e;
	}
	return NULL;
}

void fx_free(fx_list *l)
{
	if (!l)
		return;
	arena_free(l->a);
	free(l->v);
	free(l);
}
