/* storage.c: storage classes and persistent volume claims.
 *
 * The two binding modes are what matter for GPU workflows:
 *   Immediate             the disk is provisioned as soon as the claim and
 *                         its class exist, in a zone chosen then (any zone
 *                         with nodes, or the class's zones); a pod that
 *                         mounts it can only run in that zone -- "volume
 *                         node affinity conflict" when no GPU node is there.
 *   WaitForFirstConsumer  the disk waits for the first pod that mounts it
 *                         and is made in that pod's node's zone.
 * A claim whose class does not exist yet waits (the PV controller retries);
 * a class created later picks its claims up. Provisioning latency comes
 * from the scenario's class of the same name, else the default. */
#include "sim/world.h"

#include <string.h>
#include <strings.h>

#include "validate/objects.h"

static sclass *add_class(world *w, const char *name, cl_binding b, const cl_storage_class *cfg)
{
	sclass *c = arena_alloc(w->a, sizeof *c);
	if (!c || vec_push(w->a, &w->classes, c)) {
		w->oom = 1;
		return NULL;
	}
	c->name = name;
	c->binding = b;
	if (cfg) {
		c->zones = cfg->zones;
		c->nzones = cfg->nzones;
	}
	char err[256];
	const char *spec = cfg && cfg->provisioning.spec ? cfg->provisioning.spec
		: "uniform(min=10,max=30)"; /* facts.md: PD-SSD 10-30 s, estimate */
	if (sim_dist_parse(&c->prov, spec, err, sizeof err))
		c->prov = sim_dist_constant(20); /* the scenario loader checked it already */
	return c;
}

void sto_init(world *w)
{
	for (size_t i = 0; i < w->cl->nclasses; i++) {
		const cl_storage_class *cfg = &w->cl->classes[i];
		if (cfg->exists)
			add_class(w, cfg->name, cfg->binding_set ? cfg->binding : CL_BIND_IMMEDIATE, cfg);
	}
}

sclass *sto_class(world *w, const char *name)
{
	for (size_t i = 0; i < w->classes.n; i++) {
		sclass *c = w->classes.v[i];
		if (!strcmp(c->name, name))
			return c;
	}
	return NULL;
}

pvc *sto_find(world *w, const char *name)
{
	for (size_t i = 0; i < w->pvcs.n; i++) {
		pvc *c = w->pvcs.v[i];
		if (!strcmp(c->name, name) && !c->deleted)
			return c;
	}
	return NULL;
}

/* Deleting a claim a pod still mounts waits for the pod in Kubernetes
 * (the pvc-protection finalizer); the model lets the pod keep its disk. */
int sto_delete(world *w, const char *kind, const char *name)
{
	if (ktype_is(kind, strlen(kind), "PersistentVolumeClaim")) {
		pvc *c = sto_find(w, name);
		if (!c)
			return -1;
		c->deleted = 1;
		c->deleted_at = sim_now(w->e);
		w_trace(w, "pvc %s deleted", name);
		return 0;
	}
	if (ktype_is(kind, strlen(kind), "StorageClass")) {
		for (size_t i = 0; i < w->classes.n; i++) {
			sclass *c = w->classes.v[i];
			if (!strcmp(c->name, name)) {
				c->name = "(deleted)";
				w_trace(w, "storage class %s deleted", name);
				return 0;
			}
		}
		return -1;
	}
	return -1;
}

static void bound(sim_engine *e, void *arg, long what)
{
	(void)e;
	world *w = arg;
	pvc *c = w->pvcs.v[what];
	c->state = PVC_BOUND;
	c->bound_at = sim_now(w->e);
	w_trace(w, "pvc %s bound: disk in zone %s", c->name, c->zone);
	sched_kick(w);
}

/* Immediate binding: the zone is chosen now, without looking at pods. */
static void provision_now(world *w, pvc *c)
{
	const char *zones[64];
	size_t nz = 0;
	if (c->cls->nzones) {
		for (size_t i = 0; i < c->cls->nzones && nz < 64; i++)
			zones[nz++] = c->cls->zones[i];
	} else {
		for (size_t i = 0; i < w->knodes.n && nz < 64; i++) {
			knode *n = w->knodes.v[i];
			size_t k;
			for (k = 0; k < nz; k++)
				if (!strcmp(zones[k], n->zone))
					break;
			if (k == nz && n->up)
				zones[nz++] = n->zone;
		}
		for (size_t i = 0; !nz && i < w->cl->nzones && nz < 64; i++)
			zones[nz++] = w->cl->zones[i];
	}
	c->state = PVC_PROVISIONING;
	c->zone = nz ? zones[sim_rng_below(&w->rng, nz)] : "(no zone)";
	double d = w_draw(w, &c->cls->prov);
	size_t idx;
	for (idx = 0; idx < w->pvcs.n && w->pvcs.v[idx] != c; idx++)
		;
	w_trace(w, "pvc %s: class %s binds Immediate: provisioning a disk in zone %s (%.0f s)",
		c->name, c->cls->name, c->zone, d);
	sim_after(w->e, d, bound, w, (long)idx);
}

static void class_ready(world *w, pvc *c)
{
	if (c->cls->binding == CL_BIND_IMMEDIATE)
		provision_now(w, c);
	else
		c->state = PVC_WAIT_CONSUMER;
}

sclass *sto_create_class(world *w, const char *name, const ynode *manifest, char *err,
			 size_t errlen)
{
	if (sto_class(w, name)) {
		snprintf(err, errlen, "storageclasses.storage.k8s.io \"%s\" already exists", name);
		return NULL;
	}
	const char *mode = yn_get_str(manifest, "volumeBindingMode");
	cl_binding b = mode && !strcmp(mode, "WaitForFirstConsumer")
		? CL_BIND_WAIT_FOR_FIRST_CONSUMER : CL_BIND_IMMEDIATE; /* the API's default */
	const cl_storage_class *cfg = cl_find_class(w->cl, name);
	if (cfg && cfg->binding_set && cfg->binding != b) {
		w_note(w, "storage class %s: the scenario sets binding %s (the manifest says %s)",
		       name, cl_binding_name(cfg->binding), cl_binding_name(b));
		b = cfg->binding;
	}
	sclass *c = add_class(w, name, b, cfg);
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w_trace(w, "storage class %s created (%s)", name, cl_binding_name(b));
	for (size_t i = 0; i < w->pvcs.n; i++) {
		pvc *p = w->pvcs.v[i];
		if (p->state == PVC_WAIT_CLASS && !strcmp(p->class_name, name)) {
			p->cls = c;
			class_ready(w, p);
		}
	}
	sched_kick(w);
	return c;
}

pvc *sto_claim(world *w, const char *name, const char *class_name, int rwo)
{
	pvc *c = sto_find(w, name);
	if (c)
		return c;
	c = arena_alloc(w->a, sizeof *c);
	if (!c || vec_push(w->a, &w->pvcs, c)) {
		w->oom = 1;
		return NULL;
	}
	if (!class_name)
		for (size_t i = 0; i < w->cl->nclasses; i++)
			if (w->cl->classes[i].is_default)
				class_name = w->cl->classes[i].name;
	c->name = name;
	c->class_name = class_name ? class_name : "standard";
	c->rwo = rwo;
	c->cls = sto_class(w, c->class_name);
	if (c->cls)
		class_ready(w, c);
	else
		c->state = PVC_WAIT_CLASS;
	return c;
}

void sto_size(pvc *c, const ynode *spec)
{
	double b;
	const char *q = yn_get_str(yn_get(yn_get(spec, "resources"), "requests"), "storage");
	if (c && q && !cl_bytes(q, &b))
		c->gib = b / 1073741824.0;
}

double sto_bind_for_pod(world *w, pod *p, knode *n)
{
	double ready = sim_now(w->e);
	for (size_t i = 0; i < p->pvcs.n; i++) {
		pvc *c = p->pvcs.v[i];
		if (c->state == PVC_WAIT_CONSUMER) {
			double d = w_draw(w, &c->cls->prov);
			c->state = PVC_BOUND;
			c->zone = n->zone;
			c->bound_at = sim_now(w->e) + d;
			w_trace(w, "pvc %s: first consumer %s on %s: provisioning a disk in zone %s (%.0f s)",
				c->name, p->name, n->name, n->zone, d);
		}
		if (c->bound_at > ready)
			ready = c->bound_at;
		if (c->rwo)
			c->attached = n;
	}
	return ready;
}
