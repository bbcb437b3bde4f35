/* objects.h: what a workflow puts on the cluster besides its own steps --
 * the objects its resource templates create, and every pod it runs
 * (template pods and pod templates inside manifests) -- as the pod-,
 * etcd- and k8s- rules see them.
 *
 * Views only: every pointer is into the loaded wf_set and lives as long
 * as it. Lists are bounded (a workflow with more pods or objects than the
 * bounds is read partially, never overrun). */
#ifndef REHEARSE_OBJECTS_H
#define REHEARSE_OBJECTS_H

#include <stddef.h>

#include "document/workflow.h"
#include "document/yaml.h"

#define KOBJ_MAX 256
#define KPOD_MAX_CTR 32

/* An object in a resource template's manifest. */
typedef struct kobj {
	const wf_doc *doc;
	const wf_template *tmpl;
	const char *action;        /* create, apply, delete, get, patch, replace */
	const ynode *root;
	const char *kind, *name;   /* name NULL with generateName */
	int templated;             /* the manifest held {{...}} (read as "__") */
} kobj;

/* Every manifest object of a document's resource templates. */
size_t kobj_list(const wf_doc *d, kobj *out, size_t max);
/* The object of kind/name that the document creates (create or apply). */
const kobj *kobj_created(const kobj *v, size_t n, const char *kind, const char *name);

/* A pod the workflow runs. */
typedef struct kpod {
	const wf_doc *doc;
	const wf_template *tmpl;       /* the Argo template (its resource template for a manifest) */
	const kobj *obj;               /* the manifest object, or NULL for a template pod */
	const ynode *spec;             /* manifest: the pod spec; NULL for template pods */
	const ynode *ctr[KPOD_MAX_CTR];
	const wf_container *wctr[KPOD_MAX_CTR]; /* template pods: the IR's containers */
	size_t nctr;
	int main_idx;                  /* template pods: index of main, else -1 */
	const ynode *vols[2];          /* where volumes are declared, first wins */
	const ynode *node_selector[2], *tolerations[2], *affinity[2];
	const ynode *labels;           /* manifest: pod template labels; template: metadata.labels */
	long long replicas;            /* manifest: spec.replicas (1 if absent) */
} kpod;

/* Call fn on every pod of every document; fn returning nonzero stops. */
typedef int (*kpod_fn)(void *ctx, const kpod *p);
int kpod_each(const wf_set *s, const kobj *objs, size_t nobjs, const wf_doc *only, kpod_fn fn, void *ctx);
/* The pod spec inside a manifest object, by kind (NULL if it has none). */
const ynode *kobj_pod_spec(const ynode *root);
/* The volume named `name` of pod p (NULL if none). */
const ynode *kpod_volume(const kpod *p, const char *name);
/* GPUs a container asks for: the first GPU resource (nvidia.com/gpu,
 * amd.com/gpu, gpu.intel.com/i915, gpu.intel.com/xe) in limits, else in
 * requests -- Kubernetes takes an extended resource's request from its
 * limit and refuses a pod where they differ, so the limit is the number.
 * 0 if none; -1 when the quantity is not a number. */
double kctr_gpus(const ynode *ctr);
/* Image without registry/path and tag: "quay.io/coreos/etcd:v3" -> "etcd". */
int kimage_is(const char *image, const char *base);
/* An etcd server image: "etcd", or an arch build "etcd-amd64" (the old
 * gcr.io/google_containers ones), any registry and tag; not etcd-operator. */
int kimage_is_etcd(const char *image);

/* The Kind kubectl means by a resource type word as `kubectl delete
 * TYPE/NAME` reads it: plural, singular, short name or Kind, any case,
 * optionally qualified by its API group ("statefulset.apps") or version
 * and group ("statefulsets.v1.apps"). NULL for a type rehearse does not
 * know. */
const char *ktype_kind(const char *type, size_t len);
/* Does type word `type` (len bytes) name Kind `kind` ("StatefulSet")? */
int ktype_is(const char *type, size_t len, const char *kind);
/* Is manifest `root` of Kind `kind`: its kind exactly, and its
 * apiVersion (when given) in the Kind's group -- apps/v1 for a
 * StatefulSet, not apps.kruise.io/v1beta1's look-alike. */
int kmanifest_is(const ynode *root, const char *kind);
/* The image's tag ("latest" when there is none); NULL for a digest. */
const char *kimage_tag(const char *image, char *buf, size_t len);


/* How an etcd container is started: its flags (from argv, or from the
 * `etcd` command of its `sh -c` script) and the variables that script or
 * the container's env defines. This is the one reading of an etcd command
 * line: the etcd- rules report at its positions and fix edits there. */
#define KETCD_MAX 64
typedef struct ketcd {
	const ynode *ctr;
	const ynode *at;           /* the word naming etcd (its script, for a script;
				    * ctr itself when the image's entrypoint runs etcd) */
	size_t at_off, at_len;     /* the word's bytes in `at` */
	const ynode *script;       /* the `sh -c` script etcd is started from, or NULL */
	size_t nflags;
	struct ketcd_opt {
		const char *name, *value;  /* value unquoted; NULL for a bare flag */
		const ynode *node;         /* the flag word's scalar (the script for a script) */
		size_t off, len;           /* the flag word's bytes there ("--name=x" whole) */
		const ynode *vnode;        /* the value's scalar (NULL without a value) */
		size_t voff, vlen;         /* the value's bytes there, as written */
	} flag[KETCD_MAX];
	size_t nvars;
	struct { const char *name, *value; } var[KETCD_MAX];
} ketcd;

/* Read container ctr's etcd command into e (strings in arena a). Returns
 * 1 when it runs etcd, 0 when not, -1 when out of memory. */
int ketcd_read(arena *a, const ynode *ctr, ketcd *e);
/* The value of flag "--name" (last one), or NULL; *node gets where (the
 * flag word's bytes [*off, *off+*len) in it; off and len may be NULL). */
const char *ketcd_flag_at(const ketcd *e, const char *name, const ynode **node, size_t *off, size_t *len);
#define ketcd_flag(e, name, node) ketcd_flag_at(e, name, node, NULL, NULL)
/* Index in e->flag of flag "--name" (the last one), or -1. */
long ketcd_flag_index(const ketcd *e, const char *name);
/* The value the script or env gives variable name[0..len) (the last
 * assignment), or NULL. */
const char *ketcd_var(const ketcd *e, const char *name, size_t len);
/* s with $VAR, ${VAR} and $(VAR) expanded from the script and env;
 * HOSTNAME (and env taken from metadata.name) becomes `hostname` when
 * given. Unknown variables stay. NULL when out of memory. */
const char *ketcd_expand(arena *a, const ketcd *e, const char *s, const char *hostname);


/* Where bytes [off, off+len) of scalar n stand in the source: for a block
 * scalar (a script in `args: [|...]`, also inside a literal manifest),
 * the line and column of those bytes, checked against the source text.
 * Fills *out (a copy of n with the new range) and returns out, or returns
 * n when the place cannot be known exactly (quoted, folded, mapped). */
const ynode *kpos(const wf_set *s, const ynode *n, size_t off, size_t len, ynode *out);

#endif
