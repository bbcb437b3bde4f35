/* workflow.h: the typed in-memory model (IR) of Argo workflows.
 *
 * A wf_set is every document loaded for one run of rehearse (several files,
 * several documents each), in one arena. Each Argo document (Workflow,
 * WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow) becomes a wf_doc.
 * The IR names the fields rehearse reasons about and keeps, for each, the
 * ynode it came from (position, and everything the IR does not model). A
 * field that is absent is NULL / 0. The IR is read-only for its users:
 * tools that change a workflow change the ynode trees (wf_set_raw) and
 * reload.
 *
 * Resource templates' `manifest:` strings are parsed too; their nodes point
 * into the outer file (see yaml.h). */
#ifndef REHEARSE_WORKFLOW_H
#define REHEARSE_WORKFLOW_H

#include <stddef.h>

#include "document/arena.h"
#include "document/diag.h"
#include "document/yaml.h"

typedef enum {
	WF_WORKFLOW, WF_WORKFLOW_TEMPLATE, WF_CLUSTER_WORKFLOW_TEMPLATE, WF_CRON_WORKFLOW
} wf_kind;

typedef enum {
	TK_NONE, TK_CONTAINER, TK_SCRIPT, TK_RESOURCE, TK_DAG, TK_STEPS, TK_SUSPEND,
	TK_CONTAINERSET, TK_HTTP, TK_DATA, TK_PLUGIN
} wf_tmpl_kind;

typedef struct wf_param {
	const char *name;
	const ynode *node;                       /* the parameter's map */
	const ynode *value, *dflt, *value_from, *enum_, *global_name;
} wf_param;

typedef struct wf_artifact {
	const char *name;
	const ynode *node;
	const ynode *path, *from, *optional;
} wf_artifact;

/* inputs, outputs and arguments share one shape */
typedef struct wf_io {
	const ynode *node;
	wf_param *params;
	size_t nparams;
	wf_artifact *arts;
	size_t narts;
	const ynode *result, *exit_code;         /* outputs only */
} wf_io;

/* A container of a container/script template, a containerSet member, an
 * init container or a sidecar. */
typedef struct wf_container {
	const char *name;
	const ynode *node;
	const char *image;
	const ynode *image_node, *command, *args, *env, *env_from, *resources,
		*volume_mounts, *ports, *image_pull_policy, *working_dir,
		*security_context, *readiness, *liveness;
	const char *source;                      /* script: the code */
	const ynode *source_node;
} wf_container;

typedef struct wf_resource {
	const char *action;
	const ynode *action_node, *manifest_node, *manifest_from, *flags,
		*success, *failure, *set_owner;
	const char *manifest;                    /* NULL when absent */
	yn_doc *docs;                            /* the manifest, parsed */
	size_t ndocs;
	int manifest_parsed;                     /* 0 when absent or it has a syntax error */
	int templated;                           /* it held {{...}}: parsed with each "{{" and
						  * "}}" read as "__", same length */
} wf_resource;

/* A DAG task or a step. */
typedef struct wf_task {
	const char *name;
	const ynode *node;
	const char *tmpl;                        /* template: name, or NULL */
	const ynode *tmpl_node, *tmpl_ref, *inline_tmpl;
	const char *depends;
	const ynode *depends_node, *dependencies;
	wf_io arguments;
	const ynode *when, *with_items, *with_param, *with_sequence,
		*continue_on, *on_exit, *hooks;
} wf_task;

typedef struct wf_step_group {               /* steps that run in parallel */
	const ynode *node;
	wf_task *steps;
	size_t n;
} wf_step_group;

typedef struct wf_template {
	const char *name;
	const ynode *node;                       /* the template's map */
	wf_tmpl_kind kind;
	const ynode *body;                       /* container:, dag:, ... */
	wf_io inputs, outputs;
	wf_container *main;                      /* container or script */
	wf_container *containers;                /* containerSet */
	size_t ncontainers;
	wf_container *init_containers, *sidecars;
	size_t ninit, nsidecars;
	wf_resource *resource;
	wf_task *tasks;                          /* dag */
	size_t ntasks;
	wf_step_group *groups;                   /* steps */
	size_t ngroups;
	const ynode *retry, *node_selector, *affinity, *tolerations, *volumes,
		*active_deadline, *metadata, *pod_spec_patch, *timeout, *parallelism,
		*daemon, *memoize, *synchronization, *service_account;
} wf_template;

typedef struct wf_spec {
	const ynode *node;
	const char *entrypoint, *on_exit;
	const ynode *entrypoint_node, *on_exit_node;
	wf_io arguments;
	wf_template *templates;
	size_t ntemplates;
	size_t *by_name;  /* the named templates' indexes by name, then index (wf_find_template); NULL: search */
	size_t nnamed;
	const ynode *volumes, *volume_claim_templates, *active_deadline,
		*service_account, *pod_gc, *ttl, *node_selector, *tolerations,
		*affinity, *parallelism, *workflow_template_ref, *hooks, *retry,
		*pod_spec_patch, *templates_node;
} wf_spec;

typedef struct wf_set wf_set;

typedef struct wf_doc {
	const wf_set *set;                       /* the set it was loaded into */
	wf_kind kind;
	const char *kind_str, *api_version;
	const char *file;
	unsigned index;                          /* document index in its file */
	const ynode *root, *metadata;
	const char *name, *generate_name, *namespace_;
	wf_spec spec;                            /* CronWorkflow: spec.workflowSpec */
	const ynode *cron_spec;                  /* CronWorkflow: its own spec */
	const struct wf_doc *joined_from;        /* wf_set_join: the WorkflowTemplate joined in */
} wf_doc;

wf_set *wf_set_new(void);
void wf_set_free(wf_set *s);

/* Load every document of a file (or of a buffer named `name`). Findings on
 * syntax and structure go to d. Returns 0 when the input was read (whatever
 * its findings), -1 on an I/O or memory error, described in err. Documents
 * that are not Argo workflows are skipped with a note. */
int wf_set_load_file(wf_set *s, const char *path, diag_list *d, char *err, size_t errlen);
int wf_set_load_mem(wf_set *s, const char *name, const char *buf, size_t len,
		    diag_list *d, char *err, size_t errlen);

size_t wf_set_count(const wf_set *s);
const wf_doc *wf_set_doc(const wf_set *s, size_t i);

/* Every raw document loaded, Argo or not, in load order (for fix). */
size_t wf_set_raw_count(const wf_set *s);
yn_doc *wf_set_raw(const wf_set *s, size_t i);

/* Line `line` (1-based) of a loaded file, without its newline; NULL if
 * out of range. For printing source lines under findings. */
const char *wf_set_line(const wf_set *s, const char *file, unsigned line, size_t *len);
/* The whole source text of a loaded file. */
const char *wf_set_source(const wf_set *s, const char *file, size_t *len);

/* Every raw document of the set, emitted by libyaml (yaml.h) into one
 * malloc'd buffer the caller frees; NULL with why in err. For tools that
 * change the trees and reload them. */
char *wf_set_emit(const wf_set *s, size_t *len, char *err, size_t errlen);

arena *wf_set_arena(wf_set *s);

/* Fill ix with the indexes of the elements of base[count] (each stride
 * bytes, a const char * name at name_off) that have a name, sorted by
 * name, equal names in index order; the count filled, or (size_t)-1 when
 * out of memory. For lookups by name in log n. */
size_t wf_name_sort(size_t *ix, const void *base, size_t count, size_t stride, size_t name_off);
/* In such an index of n, the element named name[0..len): the first of
 * equal names, or the last when `last`; -1 if none. */
long wf_name_find(const size_t *ix, size_t n, const void *base, size_t stride, size_t name_off,
		  const char *name, size_t len, int last);

/* Template of a document by name, or NULL. */
const wf_template *wf_find_template(const wf_doc *doc, const char *name);
/* An Argo expression name that begins with `prefix` ("inputs.parameters.x"
 * with "inputs.parameters."): the text after it, *rest_len bytes (maybe
 * none); NULL when s (len bytes) does not begin with prefix. */
const char *wf_expr_rest(const char *s, size_t len, const char *prefix, size_t *rest_len);
const char *wf_tmpl_kind_name(wf_tmpl_kind k);

/* References across the documents of a set, resolved as Argo resolves
 * them against the cluster's WorkflowTemplates -- here, against every file
 * of the run (lint and simulate read the same files the same way).
 *
 * The WorkflowTemplate (cluster: ClusterWorkflowTemplate) named `name`, or
 * NULL when no document of the set is. */
const wf_doc *wf_set_template_doc(const wf_set *s, const char *name, int cluster);
/* The template a `templateRef: {name, template, clusterScope}` names, and
 * in *owner (may be NULL) the document holding it; NULL when the set holds
 * none. */
const wf_template *wf_set_template_ref(const wf_set *s, const ynode *ref, const wf_doc **owner);
/* The workflow Argo runs for d: d itself, or, when d has a
 * workflowTemplateRef, d joined onto the WorkflowTemplate it names (its
 * templates, then d's; d's arguments replacing the template's by name;
 * d's entrypoint, onExit and spec fields where it sets them, else the
 * template's), allocated in s. NULL with file:line:col and why in err when
 * the set holds no such template. */
const wf_doc *wf_set_join(wf_set *s, const wf_doc *d, char *err, size_t errlen);
const char *wf_kind_name(wf_kind k);

#endif
