/* rules.c: the registry of rule families, and running them.
 *
 * Each family file owns its rows; this file only knows the list of
 * families. Ids are unique across families (a unit test checks). */
#include "validate/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/families.h"
#include "document/grow.h"

struct family {
	const rule *v;
	const size_t *n;
};

static const struct family families[] = {
	{rules_yaml, &rules_yaml_count},
	{rules_schema, &rules_schema_count},
	{rules_dag, &rules_dag_count},
	{rules_ref, &rules_ref_count},
	{rules_tmpl, &rules_tmpl_count},
	{rules_container, &rules_container_count},
	{rules_torchrun, &rules_torchrun_count},
	{rules_etcd, &rules_etcd_count},
	{rules_k8s, &rules_k8s_count},
	{rules_pod, &rules_pod_count},
	{rules_security, &rules_security_count},
};

struct lint_ctx {
	const wf_set *set;
	const lint_config *cfg;
	diag_list *d;
	int oom;
	/* what several rules need of each document, found once per run */
	arena *memo;
	const wf_doc **job_docs;
	tr_job **jobs;
	size_t *njobs, nmemo, memo_cap;
};

const char *rule_effect_name(rule_effect e)
{
	static const char *const names[FX_COUNT] = {
		"none", "workflow refused at submission", "refused at creation", "StartError",
		"exits at start", "CrashLoopBackOff", "no DNS for its pods", "rendezvous 404",
		"rendezvous never forms", "workers crash", "stale rendezvous on a re-run"};
	return e < FX_COUNT ? names[e] : "?";
}

size_t rule_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		n += *families[i].n;
	return n;
}

const rule *rule_at(size_t i)
{
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
		if (i < *families[f].n)
			return &families[f].v[i];
		i -= *families[f].n;
	}
	return NULL;
}

const rule *rule_find(const char *id)
{
	for (size_t i = 0, n = rule_count(); i < n; i++)
		if (!strcmp(rule_at(i)->id, id))
			return rule_at(i);
	return NULL;
}

const wf_set *lint_set(const lint_ctx *c)
{
	return c->set;
}

int lint_report(lint_ctx *c, const char *id, const ynode *at, const char *hint, const char *fmt, ...)
{
	const rule *r = rule_find(id);
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* An unknown id is a programming error; report it loudly rather than lose it. */
	diag_severity sev = r ? r->sev : DIAG_ERROR;
	if (!hint)
		hint = r ? r->hint : "";
	if (yn_diag(c->d, at, sev, id, hint, "%s", msg)) {
		c->oom = 1;
		return -1;
	}
	return 0;
}

const lint_config *lint_cfg(const lint_ctx *c)
{
	return c->cfg;
}

int lint_jobs(lint_ctx *c, const wf_doc *d, tr_job **jobs, size_t *njobs)
{
	for (size_t i = 0; i < c->nmemo; i++)
		if (c->job_docs[i] == d) {
			*jobs = c->jobs[i];
			*njobs = c->njobs[i];
			return 0;
		}
	if (!c->memo && !(c->memo = arena_new()))
		return -1;
	if (c->nmemo == c->memo_cap) {
		/* three arrays, one count: each grows with its own copy of cap */
		size_t dc = c->memo_cap, jc = c->memo_cap, nc = c->memo_cap;
		if (GROW(c->job_docs, c->nmemo, dc, 8) || GROW(c->jobs, c->nmemo, jc, 8) ||
		    GROW(c->njobs, c->nmemo, nc, 8))
			return -1;
		c->memo_cap = dc;
	}
	if (tr_find(c->memo, d, jobs, njobs))
		return -1;
	c->job_docs[c->nmemo] = d;
	c->jobs[c->nmemo] = *jobs;
	c->njobs[c->nmemo++] = *njobs;
	return 0;
}

int lint_run(const wf_set *s, const lint_config *cfg, diag_list *d)
{
	static const lint_config defaults;
	lint_ctx c = {.set = s, .cfg = cfg ? cfg : &defaults, .d = d};
	/* family by family (rule_at(i) would walk the families again per row) */
	for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
		for (size_t i = 0; i < *families[f].n && !c.oom; i++)
			if (families[f].v[i].check)
				families[f].v[i].check(&c);
	arena_free(c.memo);
	free(c.job_docs);
	free(c.jobs);
	free(c.njobs);
	return c.oom ? -1 : 0;
}
