/* scheduler.c: kube-scheduler and the cluster autoscaler, as one process.
 *
 * A scheduling pass runs whenever something changed (a pod appeared or
 * ended, a node came up, a volume bound): every pending pod, oldest first,
 * goes through the filters kube-scheduler applies -- node selector and
 * required node affinity, taints and tolerations, volume zone and
 * ReadWriteOnce, allocatable CPU, memory and GPUs -- and the feasible node
 * with the most room left wins (LeastAllocated; ties to the first node).
 * A pod that fits nowhere asks the autoscaler for a node from a pool that
 * could take it. The reasons are counted per node and kept as the pod's
 * message in kube-scheduler's words ("0/5 nodes are available: ...").
 *
 * A pod that no node could ever take, even an empty one from a pool at its
 * maximum, is stuck; so are torchrun ranks when the pools cannot hold a
 * whole rendezvous group at once (the placed ranks would wait for the
 * others until their join timeout). Either ends the simulation with the
 * reason: it never waits for what cannot come. */
#include "sim/world.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

knode *sched_add_node(world *w, const cl_pool *pool, const char *zone, int up)
{
	knode *n = arena_alloc(w->a, sizeof *n);
	if (!n || vec_push(w->a, &w->knodes, n)) {
		w->oom = 1;
		return NULL;
	}
	if (!w->pool_nodes && !(w->pool_nodes = arena_alloc(w->a, (w->cl->npools + 1) * sizeof *w->pool_nodes))) {
		w->oom = 1;
		return NULL;
	}
	n->pool = pool;
	n->pool_index = (size_t)(pool - w->cl->pools);
	n->name = arena_printf(w->a, "%s-%d", pool->name, w->pool_nodes[n->pool_index]++);
	n->zone = zone;
	n->up = up;
	n->up_at = up ? sim_now(w->e) : -1;
	if (!up && vec_push(w->a, &w->soon, n))
		w->oom = 1;
	return n;
}

void sched_node_down(world *w, knode *n)
{
	if (n->down)
		return;
	n->down = 1;
	w->pool_nodes[n->pool_index]--;
}

/* --- filters --- */

/* Pods a node runs at once: the kubelet's --max-pods default, which GKE
 * Standard node pools keep (a default, not read from the scenario). */
#define MAX_PODS_PER_NODE 110

static const char *node_label(const cl_pool *pool, const char *zone, const char *name,
			      const char *key)
{
	for (size_t i = 0; i < pool->nlabels; i++)
		if (!strcmp(pool->labels[i].key, key))
			return pool->labels[i].value;
	if (!strcmp(key, "topology.kubernetes.io/zone") ||
	    !strcmp(key, "failure-domain.beta.kubernetes.io/zone"))
		return zone;
	/* labels every Linux amd64 node carries */
	if (!strcmp(key, "kubernetes.io/os") || !strcmp(key, "beta.kubernetes.io/os"))
		return "linux";
	if (!strcmp(key, "kubernetes.io/arch") || !strcmp(key, "beta.kubernetes.io/arch"))
		return "amd64";
	if (!strcmp(key, "kubernetes.io/hostname"))
		return name;
	if (!strcmp(key, "cloud.google.com/gke-nodepool"))
		return pool->name;
	if (!strcmp(key, "node.kubernetes.io/instance-type") && pool->machine && *pool->machine)
		return pool->machine;
	return NULL;
}

static int match_expr(const ynode *ex, const cl_pool *pool, const char *zone, const char *name)
{
	const char *key = yn_get_str(ex, "key"), *op = yn_get_str(ex, "operator");
	const ynode *vals = yn_get(ex, "values");
	if (!key || !op)
		return 0;
	const char *v = node_label(pool, zone, name, key);
	if (!strcmp(op, "Exists"))
		return v != NULL;
	if (!strcmp(op, "DoesNotExist"))
		return v == NULL;
	int in = 0;
	for (size_t i = 0; v && vals && vals->kind == YN_SEQ && i < vals->n; i++)
		if (yn_str(vals->item[i]) && !strcmp(yn_str(vals->item[i]), v))
			in = 1;
	if (!strcmp(op, "In"))
		return in;
	if (!strcmp(op, "NotIn"))
		return !in;
	if ((!strcmp(op, "Gt") || !strcmp(op, "Lt")) && v && vals && vals->kind == YN_SEQ && vals->n) {
		double a = atof(v), b = atof(yn_str(vals->item[0]) ? yn_str(vals->item[0]) : "0");
		return op[0] == 'G' ? a > b : a < b;
	}
	return 0;
}

static int selector_ok(const pod *p, const cl_pool *pool, const char *zone, const char *name)
{
	const ynode *sel = p->selector;
	for (size_t i = 0; sel && sel->kind == YN_MAP && i < sel->n; i++) {
		const char *v = node_label(pool, zone, name, yn_str(sel->key[i]) ? yn_str(sel->key[i]) : "");
		if (!v || !yn_str(sel->val[i]) || strcmp(v, yn_str(sel->val[i])))
			return 0;
	}
	const ynode *terms = yn_get(yn_get(yn_get(p->affinity, "nodeAffinity"),
		"requiredDuringSchedulingIgnoredDuringExecution"), "nodeSelectorTerms");
	if (!terms || terms->kind != YN_SEQ || !terms->n)
		return 1;
	for (size_t t = 0; t < terms->n; t++) {
		const ynode *exs = yn_get(terms->item[t], "matchExpressions");
		int ok = 1;
		for (size_t i = 0; exs && exs->kind == YN_SEQ && i < exs->n; i++)
			ok &= match_expr(exs->item[i], pool, zone, name);
		if (ok)
			return 1;
	}
	return 0;
}

static int tolerated(const pod *p, const cl_taint *t)
{
	const ynode *tols = p->tolerations;
	for (size_t i = 0; tols && tols->kind == YN_SEQ && i < tols->n; i++) {
		const ynode *o = tols->item[i];
		const char *key = yn_get_str(o, "key"), *op = yn_get_str(o, "operator");
		const char *val = yn_get_str(o, "value"), *eff = yn_get_str(o, "effect");
		int exists = op && !strcmp(op, "Exists");
		if (key && *key && strcmp(key, t->key))
			continue;
		if ((!key || !*key) && !exists)
			continue;
		if (!exists && strcmp(val ? val : "", t->value ? t->value : ""))
			continue;
		if (eff && *eff && strcmp(eff, t->effect))
			continue;
		return 1;
	}
	return 0;
}

/* Does a labelSelector (matchLabels, matchExpressions) select labels? */
static int selects(const ynode *sel, const ynode *labels)
{
	if (!sel || sel->kind != YN_MAP)
		return 0;
	const ynode *ml = yn_get(sel, "matchLabels");
	for (size_t i = 0; ml && ml->kind == YN_MAP && i < ml->n; i++) {
		const char *v = yn_get_str(labels, yn_str(ml->key[i]) ? yn_str(ml->key[i]) : "");
		if (!v || !yn_str(ml->val[i]) || strcmp(v, yn_str(ml->val[i])))
			return 0;
	}
	const ynode *me = yn_get(sel, "matchExpressions");
	for (size_t i = 0; me && me->kind == YN_SEQ && i < me->n; i++) {
		const char *key = yn_get_str(me->item[i], "key"), *op = yn_get_str(me->item[i], "operator");
		const ynode *vals = yn_get(me->item[i], "values");
		const char *v = key ? yn_get_str(labels, key) : NULL;
		int in = 0;
		for (size_t k = 0; v && vals && vals->kind == YN_SEQ && k < vals->n; k++)
			in |= yn_str(vals->item[k]) && !strcmp(yn_str(vals->item[k]), v);
		if (!op || (!strcmp(op, "In") && !in) || (!strcmp(op, "NotIn") && in) ||
		    (!strcmp(op, "Exists") && !v) || (!strcmp(op, "DoesNotExist") && v))
			return 0;
	}
	return 1;
}

/* Required pod affinity and anti-affinity on a real node n: a term holds
 * when a running pod its selector picks shares n's topology domain
 * (hostname, zone). The first pod of a group that selects itself may go
 * anywhere, as in kube-scheduler. */
static const char *pod_terms(world *w, const pod *p, const knode *n)
{
	static const char *const kinds[2] = {"podAffinity", "podAntiAffinity"};
	for (int anti = 0; anti < 2; anti++) {
		const ynode *terms = yn_get(yn_get(p->affinity, kinds[anti]),
					    "requiredDuringSchedulingIgnoredDuringExecution");
		for (size_t t = 0; terms && terms->kind == YN_SEQ && t < terms->n; t++) {
			const ynode *sel = yn_get(terms->item[t], "labelSelector");
			const char *key = yn_get_str(terms->item[t], "topologyKey");
			const char *dom = key ? node_label(n->pool, n->zone, n->name, key) : NULL;
			int near = 0, anywhere = 0;
			for (size_t i = 0; dom && i < w->pods.n; i++) {
				const pod *q = w->pods.v[i];
				if (q == p || !q->node || q->state == P_DONE || !selects(sel, q->labels))
					continue;
				anywhere = 1;
				const char *qd = node_label(q->node->pool, q->node->zone, q->node->name, key);
				near |= qd && !strcmp(qd, dom);
			}
			if (anti && near)
				return "didn't match pod anti-affinity rules";
			if (!anti && !near && (anywhere || !selects(sel, p->labels)))
				return "didn't match pod affinity rules";
		}
	}
	return NULL;
}

/* A taint's reason, made once per run: a pass asks it of every pending
 * pod on every tainted node, and must not allocate each time. */
static const char *taint_why(world *w, const cl_taint *t)
{
	for (size_t i = 0; i + 1 < w->taint_why.n; i += 2)
		if (w->taint_why.v[i] == t)
			return w->taint_why.v[i + 1];
	const char *why = arena_printf(w->a, "had untolerated taint {%s: %s}", t->key, t->value);
	if (!why || vec_push(w->a, &w->taint_why, (void *)t) || vec_push(w->a, &w->taint_why, (void *)why)) {
		w->oom = 1;
		return "had untolerated taint";
	}
	return why;
}

/* The first filter pod p fails on a node of pool in zone with the given
 * usage, in kube-scheduler's words; NULL when it fits. n is the real node
 * (for ReadWriteOnce), NULL for a node that does not exist yet. */
static const char *filter(world *w, const pod *p, const cl_pool *pool, const char *zone,
			  const char *name, const knode *n, double cpu, double mem, int gpu)
{
	if (!selector_ok(p, pool, zone, name))
		return "didn't match Pod's node affinity/selector";
	for (size_t i = 0; i < pool->ntaints; i++) {
		const cl_taint *t = &pool->taints[i];
		if (!strcmp(t->effect, "PreferNoSchedule") || tolerated(p, t))
			continue;
		return taint_why(w, t);
	}
	const char *pt = n ? pod_terms(w, p, n) : NULL;
	if (pt)
		return pt;
	for (size_t i = 0; i < p->pvcs.n; i++) {
		const pvc *c = p->pvcs.v[i];
		if (c->zone && strcmp(c->zone, zone))
			return "had volume node affinity conflict";
		if (!c->zone && c->cls && c->cls->nzones) {
			size_t k;
			for (k = 0; k < c->cls->nzones; k++)
				if (!strcmp(c->cls->zones[k], zone))
					break;
			if (k == c->cls->nzones)
				return "didn't find available persistent volumes to bind";
		}
		if (c->rwo && c->attached && n && c->attached != n)
			return "volume is already used by a pod on another node (ReadWriteOnce)";
	}
	if (n && n->pods.n >= MAX_PODS_PER_NODE)
		return "Too many pods";
	/* every resource short, as NodeResourcesFit lists them */
	static const char *const short_of[8] = {
		NULL, "Insufficient cpu", "Insufficient memory", "Insufficient cpu, Insufficient memory",
		"Insufficient nvidia.com/gpu", "Insufficient cpu, Insufficient nvidia.com/gpu",
		"Insufficient memory, Insufficient nvidia.com/gpu",
		"Insufficient cpu, Insufficient memory, Insufficient nvidia.com/gpu"};
	int sc = p->cpu_m > pool->cpu_m - cpu, sm = p->mem_b > pool->mem_b - mem,
	    sg = p->gpus > pool->gpus - gpu;
	return short_of[sc | sm << 1 | sg << 2];
}

/* Claims that must bind before the pod can be scheduled at all. */
static const char *unbound_reason(world *w, const pod *p)
{
	for (size_t i = 0; i < p->pvcs.n; i++) {
		const pvc *c = p->pvcs.v[i];
		if (c->state == PVC_WAIT_CLASS) {
			/* said at every pass while it waits: made once */
			pvc *m = p->pvcs.v[i];
			if (!m->no_class)
				m->no_class = arena_printf(w->a, "persistentvolumeclaim \"%s\": storageclass "
							   "\"%s\" not found", c->name, c->class_name);
			return m->no_class ? m->no_class : "storageclass not found";
		}
		if (c->state == PVC_PROVISIONING && c->cls && c->cls->binding == CL_BIND_IMMEDIATE)
			return "pod has unbound immediate PersistentVolumeClaims";
	}
	return NULL;
}

static int pool_count(world *w, const cl_pool *pool)
{
	return w->pool_nodes ? w->pool_nodes[pool - w->cl->pools] : 0;
}

static int pool_max(const cl_pool *pool)
{
	return pool->autoscale ? pool->max_nodes : pool->nodes;
}

/* How many copies of pod p one empty node of pool in zone holds. */
static int fits_per_node(world *w, const pod *p, const cl_pool *pool, const char *zone)
{
	if (filter(w, p, pool, zone, "(new)", NULL, 0, 0, 0))
		return 0;
	double k = INFINITY;
	if (p->cpu_m > 0)
		k = fmin(k, floor(pool->cpu_m / p->cpu_m));
	if (p->mem_b > 0)
		k = fmin(k, floor(pool->mem_b / p->mem_b));
	if (p->gpus > 0)
		k = fmin(k, floor((double)pool->gpus / p->gpus));
	/* required anti-affinity to its own kind per hostname: one a node */
	const ynode *terms = yn_get(yn_get(p->affinity, "podAntiAffinity"),
				    "requiredDuringSchedulingIgnoredDuringExecution");
	for (size_t t = 0; terms && terms->kind == YN_SEQ && t < terms->n; t++) {
		const char *key = yn_get_str(terms->item[t], "topologyKey");
		if (key && !strcmp(key, "kubernetes.io/hostname") &&
		    selects(yn_get(terms->item[t], "labelSelector"), p->labels))
			k = fmin(k, 1);
	}
	return isinf(k) || k > MAX_PODS_PER_NODE ? MAX_PODS_PER_NODE : (int)k;
}

/* How far a pod got through the filters: a reason from a pool that at
 * least matched its selector and taints says more than one that did not. */
static int depth_of(const char *why)
{
	if (strstr(why, "node affinity/selector"))
		return 0;
	if (strstr(why, "untolerated taint"))
		return 1;
	return 2;
}

/* Could any node, now or after scale-up, ever take p? Else the reason. */
static const char *never_fits(world *w, const pod *p)
{
	const char *why = NULL, *raw = NULL;
	for (size_t i = 0; i < w->cl->npools; i++) {
		const cl_pool *pool = &w->cl->pools[i];
		if (pool_max(pool) <= 0)
			continue;
		for (size_t z = 0; z < pool->nzones; z++) {
			const char *r = filter(w, p, pool, pool->zones[z], "(new)", NULL, 0, 0, 0);
			if (!r)
				return NULL;
			if (!raw || depth_of(r) > depth_of(raw)) {
				raw = r;
				why = arena_printf(w->a, "pool %s (zone %s) %s", pool->name,
						   pool->zones[z], r);
			}
		}
	}
	if (raw && depth_of(raw) == 0) {
		char sel[512] = "";
		const ynode *m = p->selector;
		for (size_t i = 0; m && m->kind == YN_MAP && i < m->n; i++)
			snprintf(sel + strlen(sel), sizeof sel - strlen(sel), "%s%s=%s", i ? ", " : "",
				 yn_str(m->key[i]) ? yn_str(m->key[i]) : "?",
				 yn_str(m->val[i]) ? yn_str(m->val[i]) : "?");
		why = *sel ? arena_printf(w->a, "no node pool has the labels its nodeSelector asks "
					  "for (%s)", sel)
			: "no node pool matches its required node affinity";
	}
	if (raw && strstr(raw, "volume node affinity conflict"))
		for (size_t i = 0; i < p->pvcs.n; i++) {
			const pvc *c = p->pvcs.v[i];
			if (c->zone)
				why = arena_printf(w->a, "%s: claim %s is bound to a disk in zone %s, "
						   "where no node it may run on can exist", why, c->name, c->zone);
		}
	return why ? why : "the cluster has no nodes and no pool that can grow";
}

/* The most ranks shaped like p the pools can hold at once. */
static int gang_capacity(world *w, const pod *p)
{
	int cap = 0;
	for (size_t i = 0; i < w->cl->npools; i++) {
		const cl_pool *pool = &w->cl->pools[i];
		int best = 0;
		for (size_t z = 0; z < pool->nzones; z++) {
			int k = fits_per_node(w, p, pool, pool->zones[z]);
			if (k > best)
				best = k;
		}
		cap += best * pool_max(pool);
	}
	return cap;
}

static void node_up(sim_engine *e, void *arg, long what)
{
	(void)e;
	world *w = arg;
	knode *n = w->knodes.v[what];
	n->up = 1;
	n->up_at = sim_now(w->e);
	for (size_t i = 0; i < w->soon.n; i++)
		if (w->soon.v[i] == n) {
			memmove(&w->soon.v[i], &w->soon.v[i + 1], (w->soon.n - i - 1) * sizeof *w->soon.v);
			w->soon.n--;
			break;
		}
	w_trace(w, "node %s (pool %s, zone %s) is Ready", n->name, n->pool->name, n->zone);
	sched_kick(w);
}

/* Count p on a node that is coming up, as the cluster autoscaler does
 * before it adds another (it bin-packs pending pods onto upcoming nodes):
 * the node is not reserved for p, whichever pod fits first when it is
 * Ready takes it. 1 if one can take p. The search starts at *from (the
 * nodes before it cannot take p) and leaves there the node that took p,
 * or the end of the list. */
static int on_upcoming(world *w, pod *p, size_t *from)
{
	for (size_t i = *from; i < w->soon.n; i++) {
		knode *n = w->soon.v[i];
		if (filter(w, p, n->pool, n->zone, "(new)", NULL, n->plan_cpu, n->plan_mem, n->plan_gpu))
			continue;
		n->plan_cpu += p->cpu_m;
		n->plan_mem += p->mem_b;
		n->plan_gpu += p->gpus;
		*from = i;
		return 1;
	}
	*from = w->soon.n;
	return 0;
}

/* Ask for one node that would take p; 1 if one is coming. */
static int scale_up(world *w, pod *p)
{
	for (size_t i = 0; i < w->cl->npools; i++) {
		const cl_pool *pool = &w->cl->pools[i];
		if (!pool->autoscale || pool_count(w, pool) >= pool->max_nodes)
			continue;
		/* spread new nodes over the pool's zones, like the autoscaler's
		 * balancing: start from the zone after the pool's last node */
		int k = pool_count(w, pool);
		for (size_t z = 0; z < pool->nzones; z++) {
			const char *zone = pool->zones[(k + z) % pool->nzones];
			if (filter(w, p, pool, zone, "(new)", NULL, 0, 0, 0))
				continue;
			knode *n = sched_add_node(w, pool, zone, 0);
			if (!n)
				return 0;
			double d = w_draw(w, &w->scale_up[i]);
			sim_after(w->e, d, node_up, w, (long)(w->knodes.n - 1));
			n->plan_cpu = p->cpu_m;
			n->plan_mem = p->mem_b;
			n->plan_gpu = p->gpus;
			p->scale_pending = 1;
			pod_set_phase(w, p, SIM_PH_SCALE_UP);
			w_trace(w, "autoscaler: pool %s +1 node (%s, zone %s) for pod %s, ready in %.0f s",
				pool->name, n->name, zone, p->name, d);
			return 1;
		}
	}
	return 0;
}

static int scale_ups_in_flight(world *w)
{
	return w->soon.n > 0;
}

/* For scoring, kube-scheduler counts a pod without requests as 100m CPU
 * and 200 MB (NonZeroRequested), so such pods still spread over nodes. */
static double nz_cpu(const pod *p)
{
	return p->cpu_m > 0 ? p->cpu_m : 100;
}

static double nz_mem(const pod *p)
{
	return p->mem_b > 0 ? p->mem_b : 200.0 * 1024 * 1024;
}

/* Try to place p now; 1 if placed. Leaves the reason in p->msg. */
static int place(world *w, pod *p)
{
	const char *ub = unbound_reason(w, p);
	if (ub) {
		p->msg = ub;
		return 0;
	}
	knode *best = NULL;
	double best_score = -1;
	const char *reasons[16];
	int counts[16], nreasons = 0, total = 0;
	for (size_t i = 0; i < w->knodes.n; i++) {
		knode *n = w->knodes.v[i];
		if (!n->up || n->down)
			continue;
		total++;
		const char *r = filter(w, p, n->pool, n->zone, n->name, n, n->cpu_used, n->mem_used,
				       n->gpu_used);
		if (r) {
			int k;
			for (k = 0; k < nreasons; k++)
				if (!strcmp(reasons[k], r))
					break;
			if (k == nreasons && nreasons < 16)
				reasons[nreasons] = r, counts[nreasons++] = 0;
			if (k < 16)
				counts[k]++;
			continue;
		}
		/* LeastAllocated: the free share of each resource, 0 (never less)
		 * once the pods' requests, as scoring counts them, pass it */
		double fc = n->pool->cpu_m > 0 ? (n->pool->cpu_m - n->score_cpu - nz_cpu(p)) / n->pool->cpu_m : 0;
		double fm = n->pool->mem_b > 0 ? (n->pool->mem_b - n->score_mem - nz_mem(p)) / n->pool->mem_b : 0;
		fc = fc > 0 ? fc : 0;
		fm = fm > 0 ? fm : 0;
		double score = (fc + fm) / 2;
		if (score > best_score)
			best = n, best_score = score;
	}
	if (best) {
		best->cpu_used += p->cpu_m;
		best->mem_used += p->mem_b;
		best->gpu_used += p->gpus;
		best->score_cpu += nz_cpu(p);
		best->score_mem += nz_mem(p);
		best->ran_gpu_pod |= p->gpus > 0;
		p->node_slot = best->pods.n;
		if (vec_push(w->a, &best->pods, p))
			w->oom = 1;
		w->placed++;
		pod_placed(w, p, best);
		return 1;
	}
	char msg[512];
	int len = snprintf(msg, sizeof msg, "0/%d nodes are available", total);
	for (int k = 0; k < nreasons && len < (int)sizeof msg; k++)
		len += snprintf(msg + len, sizeof msg - len, "%s %d node(s) %s", k ? "," : ":",
				counts[k], reasons[k]);
	/* a pod waits through many passes: a new copy only when the words change */
	if (!p->msg || strcmp(p->msg, msg)) {
		const char *m = arena_strdup(w->a, msg);
		if (!m)
			w->oom = 1;
		p->msg = m ? m : "0 nodes are available";
	}
	return 0;
}

/* Claims that hold no node back: bound or waiting for their first
 * consumer, in no zone yet, attached nowhere, of a class not limited to
 * some zones. Every filter passes them, on every node. */
static int claims_neutral(const pod *p)
{
	for (size_t i = 0; i < p->pvcs.n; i++) {
		const pvc *c = p->pvcs.v[i];
		if (c->zone || c->attached || !c->cls || c->cls->nzones || c->state == PVC_WAIT_CLASS ||
		    (c->state == PVC_PROVISIONING && c->cls->binding == CL_BIND_IMMEDIATE))
			return 0;
	}
	return 1;
}

/* Two pods the filters cannot tell apart: the same requests, node
 * selector, affinity, tolerations and labels, and no claim that holds a
 * node back. Until the next placement, what place() found for one holds
 * for the other, and so does where on_upcoming() stopped. */
static int same_shape(const pod *a, const pod *b)
{
	return a->cpu_m == b->cpu_m && a->mem_b == b->mem_b && a->gpus == b->gpus &&
	       a->selector == b->selector && a->affinity == b->affinity &&
	       a->tolerations == b->tolerations && a->labels == b->labels && claims_neutral(a) &&
	       claims_neutral(b);
}

static void stuck(world *w, pod *p, const char *why)
{
	p->stuck = 1;
	sim_record *r = w_rec(w, p->rec);
	r->message = arena_printf(w->a, "can never be scheduled: %s", why);
	w_problem(w, "%s can never be scheduled: %s (%s)", p->name, why, p->msg ? p->msg : "");
	w_trace(w, "pod %s can never be scheduled: %s", p->name, why);
}

static void pass(sim_engine *e, void *arg, long what)
{
	(void)e;
	(void)what;
	world *w = arg;
	w->sched_queued = 0;
	int stop = 0;
	for (size_t i = 0; i < w->soon.n; i++) {
		knode *n = w->soon.v[i];
		n->plan_cpu = n->plan_mem = 0;
		n->plan_gpu = 0;
	}
	/* Many pending pods are alike (a fan-out of one template): the first
	 * that no node takes speaks for the next ones until a pod is placed. */
	pod *like = NULL;
	unsigned long like_at = 0;
	int like_can_fit = 0; /* never_fits(like) said it can */
	size_t like_soon = 0; /* the upcoming nodes before it cannot take one like it */
	size_t keep = 0;
	for (size_t i = 0; i < w->pending.n; i++) {
		pod *p = w->pending.v[i];
		if (p->state != P_PENDING || p->stuck)
			continue; /* placed, ended or stuck: out of the list for good */
		const char *before = p->msg;
		int alike = like && like_at == w->placed && same_shape(like, p);
		if (alike) {
			if (p->msg != like->msg && (!p->msg || strcmp(p->msg, like->msg)))
				p->msg = like->msg;
		} else if (place(w, p)) {
			continue;
		} else {
			like = p, like_at = w->placed, like_can_fit = 0, like_soon = 0;
		}
		w->pending.v[keep++] = p;
		if (p->msg != before && (!before || strcmp(before, p->msg)))
			w_trace(w, "pod %s pending: %s", p->name, p->msg);
		if (unbound_reason(w, p))
			continue;
		size_t from = alike ? like_soon : 0;
		p->scale_pending = on_upcoming(w, p, &from);
		like_soon = from; /* p is like, or alike */
		if (p->scale_pending) {
			if (p->phase == SIM_PH_SCHEDULE)
				pod_set_phase(w, p, SIM_PH_SCALE_UP);
			continue;
		}
		if (scale_up(w, p))
			continue;
		const char *why = alike && like_can_fit ? NULL : never_fits(w, p);
		if (why) {
			stuck(w, p, why);
			keep--; /* the last one kept */
			stop = 1;
			continue;
		}
		if (p == like)
			like_can_fit = 1;
		rgroup *g = p->group;
		if (g && !scale_ups_in_flight(w)) {
			int cap = gang_capacity(w, p);
			if (cap < g->size) {
				stuck(w, p, arena_printf(w->a, "the node pools can run %d of the %d ranks "
					"of its torchrun group at once (each asks %d GPU(s), %.0f CPU, "
					"%.0f GiB)", cap, g->size, p->gpus, p->cpu_m / 1000,
					p->mem_b / 1073741824.0));
				keep--;
				stop = 1;
			}
		}
	}
	w->pending.n = keep;
	if (stop)
		w_stop_stuck(w);
}

void sched_kick(world *w)
{
	if (w->sched_queued)
		return;
	w->sched_queued = 1;
	sim_after(w->e, 0, pass, w, 0);
}

void sched_release(world *w, pod *p)
{
	knode *n = p->node;
	if (!n)
		return;
	n->cpu_used -= p->cpu_m;
	n->mem_used -= p->mem_b;
	n->gpu_used -= p->gpus;
	n->score_cpu -= nz_cpu(p);
	n->score_mem -= nz_mem(p);
	assert(n->gpu_used >= 0);
	assert(p->node_slot < n->pods.n && n->pods.v[p->node_slot] == p);
	pod *last = n->pods.v[--n->pods.n];
	n->pods.v[p->node_slot] = last;
	last->node_slot = p->node_slot;
	for (size_t i = 0; i < p->pvcs.n; i++) {
		pvc *c = p->pvcs.v[i];
		if (c->attached == n) {
			/* ReadWriteOnce: the disk stays attached while another pod here mounts it */
			int other = 0;
			for (size_t j = 0; j < n->pods.n; j++) {
				pod *q = n->pods.v[j];
				for (size_t k = 0; k < q->pvcs.n; k++)
					other |= q->pvcs.v[k] == c;
			}
			if (!other)
				c->attached = NULL;
		}
	}
	sched_kick(w);
}
