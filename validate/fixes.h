/* fixes.h: the table of safe fixes that validate/fix.c applies, and the
 * context they share.
 *
 * A fix is a pass over one loaded wf_set: it finds a defect the way the
 * matching lint rule does, changes the raw ynode trees (wf_set_raw) and
 * logs each change with the position it had. Passes read the IR to find
 * their way (its pointers are views of the raw trees) and must be
 * idempotent: on a tree they already fixed they change nothing, which is
 * how the driver reaches its fixed point. What a pass sees but cannot fix
 * safely it logs as "declined" so the user learns why a finding remains.
 *
 * Resource manifests are changed as trees (fix_manifest), and written back
 * into their `manifest:` scalar as a literal block once all passes ran. */
#ifndef REHEARSE_FIXES_H
#define REHEARSE_FIXES_H

#include <stddef.h>

#include "document/workflow.h"
#include "document/yaml.h"
#include "validate/fix.h"

/* The parsed manifest of one resource template, as fixes change it. */
typedef struct fix_manifest {
	const wf_doc *doc;
	const wf_template *tmpl;
	yn_doc *docs;      /* the manifest's documents (the IR's, or a raw reparse) */
	size_t ndocs;
	int dirty;         /* a pass changed it: re-emit into the scalar */
} fix_manifest;

typedef struct fix_ctx {
	wf_set *set;
	arena *a;
	const fix_opts *opts;
	unsigned iter;            /* 0 on the input; later rounds run on re-emitted output */
	fix_manifest *mf;
	size_t nmf;
	/* Services a pass added this round (the IR does not see them yet). */
	const char **added_svc;
	size_t nadded_svc;
	int changed;              /* some pass changed a tree this round */
	int oom;
	/* the driver's log; see fix_log_add */
	void *log;
} fix_ctx;

typedef struct fix_pass {
	const char *name;         /* short, stable: "dedupe-mounts" */
	const char *rules;        /* rule ids whose findings it removes, space-separated */
	const char *summary;      /* one line for the README and --help */
	void (*run)(fix_ctx *c);
} fix_pass;

extern const fix_pass fix_passes[];
extern const size_t fix_passes_count;

/* Log a change (applied=1) or a refusal (applied=0) at node `at` (may be
 * NULL). Implemented by the driver. */
void fix_log_add(fix_ctx *c, int applied, const char *fix, const char *rule, const ynode *at,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The parsed manifest of template t (NULL when it has none or it cannot be
 * changed safely, e.g. a templated manifest that does not parse raw). */
fix_manifest *fix_manifest_of(fix_ctx *c, const wf_template *t);

/* Write every dirty manifest back into its scalar. Returns 0 or -1 (oom). */
int fix_manifests_flush(fix_ctx *c);
/* Build c->mf for the set. Returns 0 or -1 (oom). */
int fix_manifests_collect(fix_ctx *c);

#endif
