/* fix_edit.h: the edit engine of `rehearse fix` -- what a fix pass may do
 * to a loaded workflow, and how it says what it did.
 *
 * A pass (validate/fixes.h lists them) finds a defect the way the matching
 * lint rule does and changes the raw ynode trees (wf_set_raw) through the
 * helpers here. It reports each change with fix_applied() and each defect
 * it sees but will not touch with fix_declined(); the engine records the
 * pass's name and the rule id it answers, and the position the node had
 * in the input. Passes must be idempotent: on a tree they already fixed
 * they change nothing, which is how the driver (validate/fix.c) reaches
 * its fixed point.
 *
 * Resource manifests are changed as trees (fix_manifest) and written back
 * into their `manifest:` scalar as a literal block once all passes ran.
 *
 * Layering: fix.c (driver) -> fixes*.c (catalogue) -> fix_edit.c (engine);
 * the engine knows no pass, the catalogue knows no driver. */
#ifndef REHEARSE_FIX_EDIT_H
#define REHEARSE_FIX_EDIT_H

#include <stddef.h>

#include "document/workflow.h"
#include "document/yaml.h"
#include "validate/fix.h"

typedef struct fix_ctx fix_ctx;

/* One row of the catalogue. */
typedef struct fix_pass {
	const char *name;         /* short, stable: "dedupe-mounts" */
	const char *rules;        /* rule ids whose findings it removes, space-separated */
	const char *summary;      /* one line for the README and --help */
	void (*run)(fix_ctx *c);
} fix_pass;

/* The parsed manifest of one resource template, as fixes change it. */
typedef struct fix_manifest {
	const wf_doc *doc;
	const wf_template *tmpl;
	yn_doc *docs;      /* the manifest's documents (the IR's, or a raw reparse) */
	size_t ndocs;
	int dirty;         /* a pass changed it: re-emit into the scalar */
} fix_manifest;

/* What the passes said, across rounds (owned by the driver). */
typedef struct fix_log {
	fix_change *ch;
	size_t n, cap;
	const char *cur_name;     /* file name positions of this round are logged under */
	int oom;
} fix_log;

struct fix_ctx {
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
	fix_log *log;
	const fix_pass *pass;     /* the pass running (set by the driver) */
	const char *rule;         /* the rule its logs answer (see fix_answer) */
};

/* ---------------------------------------------------------------- the log */

/* Log a change the running pass made at node `at` (may be NULL; a node a
 * pass created this round has no position: log its parent). */
void fix_applied(fix_ctx *c, const ynode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Log a defect the running pass will not fix, and why. Refusals repeat
 * every round; only the first round's (input positions) are kept. */
void fix_declined(fix_ctx *c, const ynode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A pass answering several rules names the one its next logs answer; by
 * default it is the pass's only rule. */
void fix_answer(fix_ctx *c, const char *rule);
void fix_log_free(fix_log *l);

/* -------------------------------------------------------------- manifests */

/* Build c->mf for the set. Returns 0 or -1 (oom). */
int fix_manifests_collect(fix_ctx *c);
/* The parsed manifest of template t (NULL when it has none or it cannot be
 * changed safely, e.g. a templated manifest that does not parse raw). */
fix_manifest *fix_manifest_of(fix_ctx *c, const wf_template *t);
/* Block style for every collection under n: a flow mapping nested in
 * another ends in "}}", which the loader (and a reader) takes for the end
 * of an Argo expression. */
void fix_to_block(ynode *n);
/* Write every dirty manifest back into its scalar. Returns 0 or -1 (oom). */
int fix_manifests_flush(fix_ctx *c);

/* ------------------------------------------------------------------- pods */

/* A pod as the passes see it: its containers and where its volumes are
 * declared (a template's own, then the workflow's; or a pod spec's). */
typedef struct fix_pod {
	const wf_doc *doc;
	ynode *ctr[64];
	size_t nctr;
	const ynode *vols[2];
	fix_manifest *mf;         /* set when the pod lives in a manifest */
} fix_pod;

/* Call fn on every pod of the set: each container-running template, and
 * each pod spec inside a manifest. */
void fix_each_pod(fix_ctx *c, void (*fn)(fix_ctx *c, fix_pod *p));
/* Mark pod p (NULL: no pod) changed: this round changed something, and a
 * manifest it lives in is re-emitted. */
void fix_touch(fix_ctx *c, fix_pod *p);
/* The pod spec inside a manifest object (validate/objects.h), writable. */
ynode *fix_pod_spec(const ynode *root);

/* ------------------------------------------------------------------ trees */

/* The IR's pointers are const views of wf_set_raw's trees; fix is the one
 * writer allowed to change them, through this. */
ynode *fix_w(const ynode *n);
/* New nodes in the set's arena (NULL and c->oom set when out of memory). */
ynode *fix_str(fix_ctx *c, const char *s, yn_style st);
ynode *fix_map(fix_ctx *c);
ynode *fix_seq(fix_ctx *c);
/* map[key] = val; seq += item; seq[at] = item, the rest moved up. A NULL
 * val or item (a failed allocation) sets c->oom. */
void fix_set(fix_ctx *c, ynode *map, const char *key, ynode *val);
void fix_append(fix_ctx *c, ynode *seq, ynode *item);
void fix_insert(fix_ctx *c, ynode *seq, size_t at, ynode *item);
/* The style a new scalar with text s needs to read back as a string (a
 * command word "4" or "true" must stay quoted: Kubernetes wants strings). */
yn_style fix_string_style(const char *s);
/* Structural equality; mappings compare as sets of keys. */
int fix_equal(const ynode *a, const ynode *b);
/* Index of item in seq, or (size_t)-1. */
size_t fix_index_in(const ynode *seq, const ynode *item);
/* "a/b/c" -> "c". */
const char *fix_basename(const char *s);
/* Does s hold an Argo expression ("{{")? */
int fix_templated(const char *s);

/* ------------------------------------------------------------------ bytes */

/* Where a value sits: bytes [off, off+len) of item seq->item[idx]. */
typedef struct fix_loc {
	ynode *seq;
	size_t idx, off, len;
} fix_loc;

/* Replace seq->item[i] by a scalar of `text` in the same style, standing
 * where the old one stood (later passes log that place). */
void fix_replace_item(fix_ctx *c, ynode *seq, size_t i, const char *text);
/* Replace the bytes at l by `text` (len 0: insert). */
void fix_loc_replace(fix_ctx *c, const fix_loc *l, const char *text);

#endif
