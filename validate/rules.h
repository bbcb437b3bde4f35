/* rules.h: the one table of lint rules, and how checks report into it.
 *
 * A rule has a stable id (family-prefixed: yaml-*, argo-*, dag-*, pod-*,
 * torchrun-*, etcd-*, k8s-*), a severity, a one-line summary, a rationale
 * (what goes wrong on the cluster), a default fix hint, a bad and a good
 * example, and a check function: NULL for rules the loader reports, and
 * for rules whose findings another row's check reports (one walk serving
 * several rules sits on the first of their rows, so it runs once).
 *
 * Rules live in families, one file each (validate/rules_<family>.c), each
 * exporting `const rule rules_<family>[]` and its count; validate/rules.c
 * lists the families. Adding a rule is a table row plus two test fixtures
 * (tests/rules/<id>/bad.yaml and good.yaml, see tests/unit/test_rules.c). */
#ifndef REHEARSE_RULES_H
#define REHEARSE_RULES_H

#include <stddef.h>

#include "document/diag.h"
#include "document/torchrun.h"
#include "document/workflow.h"
#include "document/yaml.h"

typedef struct lint_ctx lint_ctx;

/* What the user's configuration tells the rules (.rehearse.yaml, flags).
 * Zeroed means defaults. */
typedef struct lint_config {
	const char *const *known_services; /* Services that exist before the workflow runs */
	size_t nknown_services;
} lint_config;

/* What a finding of a rule does when the workflow runs: the simulator
 * (sim/) plays these out, so lint's knowledge of the cluster lives in one
 * place. FX_NONE: nothing a run would notice at once (a leak, a risk). */
typedef enum {
	FX_NONE,
	FX_SUBMIT_REFUSED,   /* Argo's validation refuses the workflow at submission */
	FX_OBJECT_REFUSED,   /* the API server refuses the pod or object at creation */
	FX_START_ERROR,      /* the container runtime cannot start the container */
	FX_EXIT_AT_START,    /* the program exits non-zero as soon as it starts */
	FX_CRASH_LOOP,       /* a server that exits at start: CrashLoopBackOff */
	FX_NO_DNS,           /* StatefulSet pods get no DNS names: peers never meet */
	FX_RDZV_404,         /* etcd serves, but not the v2 API torchrun's etcd rendezvous needs */
	FX_RDZV_NEVER,       /* the torchrun agents never meet: join timeout */
	FX_WORKER_CRASH,     /* workers crash at the first step: restarts, then the pod fails */
	FX_STALE_RDZV,       /* a re-run finds the last run's rendezvous closed */
	FX_COUNT
} rule_effect;

const char *rule_effect_name(rule_effect e);

typedef struct rule {
	const char *id;
	diag_severity sev;
	const char *summary;
	const char *rationale;
	const char *hint;
	const char *bad, *good;   /* short YAML examples */
	void (*check)(lint_ctx *c);
} rule;

size_t rule_count(void);
const rule *rule_at(size_t i);
const rule *rule_find(const char *id);

/* For check functions. */
const wf_set *lint_set(const lint_ctx *c);
const lint_config *lint_cfg(const lint_ctx *c);
/* Report a finding of rule `id` at node `at`, with the rule's severity and
 * its hint unless `hint` is given. */
int lint_report(lint_ctx *c, const char *id, const ynode *at, const char *hint,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The torchrun jobs of document d (document/torchrun.h), found once per lint
 * run and shared by the rules that need them; valid until lint_run returns.
 * Returns 0, or -1 when out of memory. */
int lint_jobs(lint_ctx *c, const wf_doc *d, tr_job **jobs, size_t *njobs);

/* Run every rule with a check function over the set. Returns 0, or -1 when
 * out of memory. */
int lint_run(const wf_set *s, const lint_config *cfg, diag_list *d);

#endif
