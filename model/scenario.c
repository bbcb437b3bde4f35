/* scenario.c: scenario files to the cluster and workload model (scenario.h).
 *
 * Parsing is strict: an unknown key is an error (a misspelt `autoscalng:`
 * must not silently mean "no autoscaling"), and every value is checked
 * for its type and its range (model/limits.h: a unit, a least and a largest
 * value, the same table `rehearse model` uses), with the position of the
 * node at fault and its key path: "cluster.pools[gpu].nodes: ...".
 * What the model cannot honour is refused or noted with the reason: a
 * LoRA rank wider than the layer is an error, a sequence past the model's
 * context is an assumption the run reports (scenario.notes). Latency
 * distributions are parsed by sim/dist.h, which checks their support
 * against their range (sim/simulate.c).
 *
 * Defaults, and where they come from (../shared/facts.md unless a guess):
 *   LoadBalancer external IP      uniform(30,90) s       facts.md, estimate
 *   PD provisioning and attach    uniform(10,30) s       facts.md, estimate
 *   GPU node scale-up             uniform(240,480) s     facts.md, estimate
 *   image pull bandwidth          50 MB/s per node       guess (3-4 GB in 1-3 min, facts.md)
 *   image size not listed         0.5 GB                 guess
 *   container create and start    uniform(1,3) s         guess
 *   Argo resource step            uniform(1,3) s         guess
 *   unrecognised container run    5 s                    guess
 *   etcd member start to ready    uniform(2,5) s         guess
 *   model weights                 13.5 GB                facts.md (Llama-2-7B fp16)
 *   Hub download bandwidth        uniform(50,100) MB/s   facts.md, estimate
 *   worker start (imports)        uniform(13,16) s       facts.md, measured on H100
 *   checkpoint load               uniform(3,10) s        facts.md, measured
 *   rendezvous join timeout       600 s                  facts.md (torch elastic default)
 */
#include "model/scenario.h"
#include "model/gpu.h"
#include "model/limits.h"
#include "model/shape.h"
#include "document/readfile.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULE "scenario"

typedef struct ld {
	arena *a;
	diag_list *d;
	int errors;
	char path[256];   /* key path of the mapping being read: "cluster.pools[gpu]" */
	scenario *s;
} ld;

/* Enter a mapping (or a list item) for the key paths of messages; returns
 * the length to give back to leave(). */
static size_t enter(ld *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t enter(ld *l, const char *fmt, ...)
{
	size_t was = strlen(l->path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->path + was, sizeof l->path - was, fmt, ap);
	va_end(ap);
	return was;
}

static void leave(ld *l, size_t was)
{
	l->path[was] = 0;
}

static void bad(ld *l, const ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad(ld *l, const ynode *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	yn_diag(l->d, n, DIAG_ERROR, RULE, "", "%s", msg);
	l->errors++;
}

/* A finding about key `key` of the current mapping: "PATH.key: msg". */
static void bad_key(ld *l, const ynode *n, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void bad_key(ld *l, const ynode *n, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	bad(l, n, "%s%s%s: %s", l->path, l->path[0] ? "." : "", key, msg);
}

/* An assumption the run reports beside its figures (scenario.notes). */
static void note(ld *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(ld *l, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	const char **v = arena_alloc(l->a, (l->s->nnotes + 1) * sizeof *v);
	char *t = arena_strdup(l->a, msg);
	if (!v || !t)
		return;
	if (l->s->nnotes)
		memcpy(v, l->s->notes, l->s->nnotes * sizeof *v);
	v[l->s->nnotes++] = t;
	l->s->notes = v;
}

/* Every key of map must be in allowed (NULL-terminated). */
static int check_map(ld *l, const ynode *n, const char *what, const char *const *allowed)
{
	if (!n || n->kind != YN_MAP) {
		bad(l, n, "%s%s%s must be a mapping", l->path, l->path[0] ? ": " : "", what);
		return -1;
	}
	for (size_t i = 0; i < n->n; i++) {
		const char *k = yn_str(n->key[i]);
		size_t j;
		for (j = 0; allowed[j]; j++)
			if (k && !strcmp(k, allowed[j]))
				break;
		if (!allowed[j]) {
			char list[512] = "";
			for (j = 0; allowed[j]; j++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 j ? ", " : "", allowed[j]);
			bad(l, n->key[i], "%s%sunknown key '%s' in %s (known: %s)", l->path,
			    l->path[0] ? ": " : "", k ? k : "?", what, list);
		}
	}
	return 0;
}

/* Typed getters: leave *out alone when the key is absent. A number is
 * checked against its range; the message names the key path and the unit. */
static void check_num(ld *l, const ynode *n, const char *key, double *out, const lim_range *r)
{
	char why[512], want[160];
	double v;
	if (yn_number(n, &v) || !isfinite(v)) {
		lim_describe(r, want, sizeof want);
		bad_key(l, n, key, "'%s' is not %s", yn_str(n) ? yn_str(n) : "(a collection)", want);
		return;
	}
	if (lim_check(r, v, why, sizeof why)) {
		bad_key(l, n, key, "%s", why);
		return;
	}
	*out = v;
}

static void get_num(ld *l, const ynode *map, const char *key, double *out, const lim_range *r)
{
	const ynode *n = yn_get(map, key);
	if (n)
		check_num(l, n, key, out, r);
}

static void get_int(ld *l, const ynode *map, const char *key, int *out, const lim_range *r)
{
	double v;
	if (!yn_get(map, key))
		return;
	v = *out;
	int errors = l->errors;
	get_num(l, map, key, &v, r);
	if (l->errors == errors)
		*out = (int)v;
}

static const char *get_str(ld *l, const ynode *map, const char *key, const char *dflt)
{
	const ynode *n = yn_get(map, key);
	if (!n)
		return dflt;
	if (n->kind != YN_SCALAR) {
		bad_key(l, n, key, "must be a string");
		return dflt;
	}
	return n->str;
}

/* A latency: a distribution spec as a string, or a number of seconds. */
static void get_lat(ld *l, const ynode *map, const char *key, cl_latency *out, const char *dflt)
{
	const ynode *n = yn_get(map, key);
	if (!n) {
		if (dflt)
			out->spec = dflt, out->node = NULL;
		return;
	}
	if (n->kind != YN_SCALAR || !n->len) {
		bad_key(l, n, key, "must be a number of seconds or a distribution such as "
			"\"uniform(min=30,max=90)\"");
		return;
	}
	out->spec = n->str;
	out->node = n;
	out->source = NULL;
}

static const char **get_list(ld *l, const ynode *map, const char *key, size_t *count)
{
	const ynode *n = yn_get(map, key);
	*count = 0;
	if (!n)
		return NULL;
	if (n->kind == YN_SCALAR) { /* one zone may be written without brackets */
		const char **v = arena_alloc(l->a, sizeof *v);
		if (v)
			v[0] = n->str, *count = 1;
		return v;
	}
	if (n->kind != YN_SEQ) {
		bad_key(l, n, key, "must be a list of strings");
		return NULL;
	}
	const char **v = arena_alloc(l->a, (n->n + 1) * sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < n->n; i++) {
		if (!yn_str(n->item[i])) {
			bad_key(l, n->item[i], key, "each item must be a string");
			return NULL;
		}
		v[i] = n->item[i]->str;
	}
	*count = n->n;
	return v;
}

static void get_quantity(ld *l, const ynode *map, const char *key, double *out, int cpu)
{
	const ynode *n = yn_get(map, key);
	if (!n)
		return;
	const char *s = yn_str(n);
	if (!s || (cpu ? cl_cpu_millis(s, out) : cl_bytes(s, out)))
		bad_key(l, n, key, "'%s' is not a Kubernetes quantity (e.g. %s)", s ? s : "?",
			cpu ? "\"8\" or \"7910m\"" : "\"26Gi\"");
	else if (*out <= 0)
		bad_key(l, n, key, "'%s' is not more than 0: a node with none can run no pod", s);
}

static const char *const pool_keys[] = {
	"name", "machine", "zones", "nodes", "autoscaling", "labels", "taints", "allocatable",
	"gpu", "nic_gbps", "price", "spot", NULL};

static void load_pool(ld *l, const ynode *n, cl_pool *p, const cl_cluster *c)
{
	static const char *const as_keys[] = {"min", "max", "scale_up", NULL};
	static const char *const alloc_keys[] = {"cpu", "memory", NULL};
	static const char *const gpu_keys[] = {"type", "count", "link", NULL};
	static const char *const price_keys[] = {"on_demand", "spot", NULL};
	static const char *const taint_keys[] = {"key", "value", "effect", NULL};
	if (check_map(l, n, "a node pool", pool_keys))
		return;
	p->node = n;
	p->name = get_str(l, n, "name", NULL);
	if (!p->name)
		bad(l, n, "a node pool needs a name");
	p->machine = get_str(l, n, "machine", "");
	p->zones = get_list(l, n, "zones", &p->nzones);
	if (!p->nzones) {
		p->zones = c->zones, p->nzones = c->nzones;
		if (!p->nzones)
			bad(l, n, "pool '%s' has no zones (set zones: here or in cluster:)",
			    p->name ? p->name : "?");
	}
	p->nodes = 0;
	get_int(l, n, "nodes", &p->nodes, &lim_pool_nodes);
	const ynode *as = yn_get(n, "autoscaling");
	p->scale_up = (cl_latency){"uniform(min=240,max=480)", NULL, "facts.md: 4-8 min, estimate"};
	size_t at = enter(l, ".autoscaling");
	if (as && !check_map(l, as, "autoscaling", as_keys)) {
		p->autoscale = 1;
		p->min_nodes = 0;
		p->max_nodes = -1;
		int errors = l->errors;
		get_int(l, as, "min", &p->min_nodes, &lim_pool_nodes);
		get_int(l, as, "max", &p->max_nodes, &lim_pool_nodes);
		get_lat(l, as, "scale_up", &p->scale_up, NULL);
		if (l->errors > errors)
			p->max_nodes = p->min_nodes; /* said already */
		else if (p->max_nodes < 0)
			bad_key(l, as, "max", "autoscaling needs max");
		else if (p->max_nodes < p->min_nodes)
			bad_key(l, yn_get(as, "max"), "max", "%d is less than min (%d)", p->max_nodes, p->min_nodes);
		leave(l, at);
		if (!yn_get(n, "nodes"))
			p->nodes = p->min_nodes;
		else if (p->nodes < p->min_nodes || p->nodes > p->max_nodes)
			bad_key(l, yn_get(n, "nodes"), "nodes", "%d is not within autoscaling min..max (%d..%d)",
				p->nodes, p->min_nodes, p->max_nodes);
	} else if (!yn_get(n, "nodes")) {
		bad(l, n, "pool '%s' needs nodes: N or autoscaling: {min, max}", p->name ? p->name : "?");
	}
	leave(l, at);
	const ynode *lab = yn_get(n, "labels");
	if (lab && lab->kind != YN_MAP)
		bad(l, lab, "labels must be a mapping of strings");
	if (lab && lab->kind == YN_MAP) {
		p->labels = arena_alloc(l->a, (lab->n + 1) * sizeof *p->labels);
		for (size_t i = 0; p->labels && i < lab->n; i++) {
			p->labels[i].key = yn_str(lab->key[i]);
			p->labels[i].value = yn_str(lab->val[i]);
			if (!p->labels[i].key || !p->labels[i].value)
				bad(l, lab->val[i], "labels: keys and values must be strings");
		}
		p->nlabels = p->labels ? lab->n : 0;
	}
	const ynode *ts = yn_get(n, "taints");
	if (ts && ts->kind != YN_SEQ)
		bad(l, ts, "taints must be a list of {key, value, effect}");
	else if (ts) {
		p->taints = arena_alloc(l->a, (ts->n + 1) * sizeof *p->taints);
		for (size_t i = 0; p->taints && i < ts->n; i++) {
			const ynode *t = ts->item[i];
			if (check_map(l, t, "a taint", taint_keys))
				continue;
			p->taints[i].key = get_str(l, t, "key", NULL);
			p->taints[i].value = get_str(l, t, "value", "");
			p->taints[i].effect = get_str(l, t, "effect", "NoSchedule");
			if (!p->taints[i].key)
				bad(l, t, "a taint needs a key");
			const char *e = p->taints[i].effect;
			if (strcmp(e, "NoSchedule") && strcmp(e, "PreferNoSchedule") && strcmp(e, "NoExecute"))
				bad(l, yn_get(t, "effect"), "taint effect must be NoSchedule, "
				    "PreferNoSchedule or NoExecute");
		}
		p->ntaints = p->taints ? ts->n : 0;
	}
	const ynode *al = yn_get(n, "allocatable");
	if (!al)
		bad(l, n, "pool '%s' needs allocatable: {cpu, memory}", p->name ? p->name : "?");
	else if (!check_map(l, al, "allocatable", alloc_keys)) {
		size_t at = enter(l, ".allocatable");
		get_quantity(l, al, "cpu", &p->cpu_m, 1);
		get_quantity(l, al, "memory", &p->mem_b, 0);
		leave(l, at);
	}
	const ynode *g = yn_get(n, "gpu");
	if (g && !check_map(l, g, "gpu", gpu_keys)) {
		p->gpu_type = get_str(l, g, "type", NULL);
		p->gpu_link = get_str(l, g, "link", NULL);
		at = enter(l, ".gpu");
		get_int(l, g, "count", &p->gpus, &lim_node_gpus);
		leave(l, at);
		if (!yn_get(g, "count"))
			bad(l, g, "gpu needs a count");
	}
	get_num(l, n, "nic_gbps", &p->nic_gbps, &lim_nic_gbps);
	const ynode *pr = yn_get(n, "price");
	at = enter(l, ".price");
	if (pr && !check_map(l, pr, "price", price_keys)) {
		get_num(l, pr, "on_demand", &p->price_on_demand, &lim_price);
		get_num(l, pr, "spot", &p->price_spot, &lim_price);
	}
	leave(l, at);
	const ynode *sp = yn_get(n, "spot");
	if (sp && yn_bool(sp, &p->spot))
		bad(l, sp, "spot must be true or false");
}

static void load_class(ld *l, const ynode *n, cl_storage_class *s)
{
	static const char *const keys[] = {"name", "provisioner", "binding", "zones",
					   "provisioning", "default", "exists", "price_gb_month", NULL};
	if (check_map(l, n, "a storage class", keys))
		return;
	s->node = n;
	s->name = get_str(l, n, "name", NULL);
	if (!s->name)
		bad(l, n, "a storage class needs a name");
	s->provisioner = get_str(l, n, "provisioner", "pd.csi.storage.gke.io");
	const ynode *b = yn_get(n, "binding");
	if (b) {
		const char *v = yn_str(b);
		s->binding_set = 1;
		if (v && !strcmp(v, "Immediate"))
			s->binding = CL_BIND_IMMEDIATE;
		else if (v && !strcmp(v, "WaitForFirstConsumer"))
			s->binding = CL_BIND_WAIT_FOR_FIRST_CONSUMER;
		else
			bad(l, b, "binding must be Immediate or WaitForFirstConsumer");
	}
	s->zones = get_list(l, n, "zones", &s->nzones);
	s->provisioning = (cl_latency){"uniform(min=10,max=30)", NULL, "facts.md: PD-SSD 10-30 s, estimate"};
	get_lat(l, n, "provisioning", &s->provisioning, NULL);
	const ynode *d = yn_get(n, "default");
	if (d && yn_bool(d, &s->is_default))
		bad(l, d, "default must be true or false");
	s->price_gib_month = -1;
	get_num(l, n, "price_gb_month", &s->price_gib_month, &lim_disk_price);
	s->exists = 1;
	const ynode *e = yn_get(n, "exists");
	if (e && yn_bool(e, &s->exists))
		bad(l, e, "exists must be true or false");
}

static void load_cluster(ld *l, const ynode *n, cl_cluster *c)
{
	static const char *const keys[] = {"zones", "pools", "storage_classes", "load_balancer_ip",
					   "images", "pod_start", "resource_action", "container_run",
					   "etcd_ready", "cluster_fee", "load_balancer_price", NULL};
	static const char *const img_keys[] = {"pull_mbps", "default_gb", "sizes", NULL};
	c->lb_ip = (cl_latency){"uniform(min=30,max=90)", NULL, "facts.md: 30-90 s, estimate"};
	c->pod_start = (cl_latency){"uniform(min=1,max=3)", NULL, "a guess"};
	c->resource_action = (cl_latency){"uniform(min=1,max=3)", NULL, "a guess"};
	c->container_run = (cl_latency){"5", NULL, "a guess"};
	c->etcd_ready = (cl_latency){"uniform(min=2,max=5)", NULL, "a guess"};
	c->pull_mbps = 50;                               /* guess: 3-4 GB in 1-3 min, facts.md */
	c->image_default_gb = 0.5;                       /* guess */
	c->cluster_fee = c->lb_price = -1;               /* CL_DEFAULT_* in the simulator */
	if (check_map(l, n, "cluster", keys))
		return;
	get_num(l, n, "cluster_fee", &c->cluster_fee, &lim_hourly_price);
	get_num(l, n, "load_balancer_price", &c->lb_price, &lim_hourly_price);
	c->zones = get_list(l, n, "zones", &c->nzones);
	get_lat(l, n, "load_balancer_ip", &c->lb_ip, NULL);
	get_lat(l, n, "pod_start", &c->pod_start, NULL);
	get_lat(l, n, "resource_action", &c->resource_action, NULL);
	get_lat(l, n, "container_run", &c->container_run, NULL);
	get_lat(l, n, "etcd_ready", &c->etcd_ready, NULL);
	const ynode *pools = yn_get(n, "pools");
	if (!pools || pools->kind != YN_SEQ || !pools->n) {
		bad(l, pools ? pools : n, "cluster needs pools: a list of node pools");
	} else {
		c->pools = arena_alloc(l->a, pools->n * sizeof *c->pools);
		if (!c->pools)
			return;
		c->npools = pools->n;
		for (size_t i = 0; i < pools->n; i++) {
			const char *pn = yn_get_str(pools->item[i], "name");
			size_t at = pn ? enter(l, ".pools[%s]", pn) : enter(l, ".pools[%zu]", i);
			load_pool(l, pools->item[i], &c->pools[i], c);
			leave(l, at);
			for (size_t j = 0; j < i; j++)
				if (c->pools[i].name && c->pools[j].name &&
				    !strcmp(c->pools[i].name, c->pools[j].name))
					bad(l, pools->item[i], "a second pool named '%s'", c->pools[i].name);
		}
	}
	/* The cluster's zones, if not given, are the pools' zones in order. */
	if (!c->nzones && c->npools) {
		size_t cap = 0;
		for (size_t i = 0; i < c->npools; i++)
			cap += c->pools[i].nzones;
		const char **z = arena_alloc(l->a, (cap + 1) * sizeof *z);
		for (size_t i = 0; z && i < c->npools; i++)
			for (size_t k = 0; k < c->pools[i].nzones; k++) {
				size_t j;
				for (j = 0; j < c->nzones; j++)
					if (!strcmp(z[j], c->pools[i].zones[k]))
						break;
				if (j == c->nzones)
					z[c->nzones++] = c->pools[i].zones[k];
			}
		c->zones = z;
	}
	const ynode *sc = yn_get(n, "storage_classes");
	if (sc && sc->kind != YN_SEQ) {
		bad(l, sc, "storage_classes must be a list");
	} else if (sc) {
		c->classes = arena_alloc(l->a, (sc->n + 1) * sizeof *c->classes);
		if (!c->classes)
			return;
		c->nclasses = sc->n;
		for (size_t i = 0; i < sc->n; i++) {
			const char *cn = yn_get_str(sc->item[i], "name");
			size_t at = cn ? enter(l, ".storage_classes[%s]", cn) : enter(l, ".storage_classes[%zu]", i);
			load_class(l, sc->item[i], &c->classes[i]);
			leave(l, at);
		}
	}
	const ynode *im = yn_get(n, "images");
	size_t at = enter(l, ".images");
	if (im && !check_map(l, im, "images", img_keys)) {
		c->pull_mbps_set = yn_get(im, "pull_mbps") != NULL;
		c->image_default_set = yn_get(im, "default_gb") != NULL;
		get_num(l, im, "pull_mbps", &c->pull_mbps, &lim_mbps);
		get_num(l, im, "default_gb", &c->image_default_gb, &lim_image_gb);
		const ynode *sz = yn_get(im, "sizes");
		if (sz && sz->kind != YN_MAP) {
			bad_key(l, sz, "sizes", "must map image names to sizes in GB");
		} else if (sz) {
			c->images = arena_alloc(l->a, (sz->n + 1) * sizeof *c->images);
			for (size_t i = 0; c->images && i < sz->n; i++) {
				c->images[i].name = yn_str(sz->key[i]);
				char key[300];
				snprintf(key, sizeof key, "sizes[%s]", c->images[i].name ? c->images[i].name : "?");
				check_num(l, sz->val[i], key, &c->images[i].gb, &lim_image_gb);
			}
			c->nimages = c->images ? sz->n : 0;
		}
	}
	leave(l, at);
}

static void load_workload(ld *l, const ynode *n, scn_workload *w)
{
	static const char *const keys[] = {
		"model", "method", "dataset_tokens", "seq", "micro_batch", "accumulation", "epochs",
		"checkpoint_interval", "model_gb", "hub_mbps", "worker_start", "model_load",
		"join_timeout", "pg_timeout", "training", "grad_ckpt", "lora_rank", "lora_targets", "fp32_master", "strategy", NULL};
	static const char *const tr_keys[] = {"duration", "steps", "step_s", "perf", NULL};
	w->model = "llama-2-7b";
	w->method = "lora";
	w->seq = 4096, w->micro_batch = 1, w->accumulation = 1, w->epochs = 1;
	w->model_gb = 13.5;                                /* facts.md: Llama-2-7B fp16 */
	w->hub_mbps = (cl_latency){"uniform(min=50,max=100)", NULL, "facts.md: 50-100 MB/s, estimate"};
	w->worker_start = (cl_latency){"uniform(min=13,max=16)", NULL, "facts.md: measured on H100"};
	w->model_load = (cl_latency){"uniform(min=3,max=10)", NULL, "facts.md: measured"};
	w->join_timeout_s = 600;                           /* facts.md: torch elastic default */
	w->pg_timeout_s = 600;                             /* facts.md: torch's NCCL default, 10 min */
	w->lora_rank = 8;                                  /* facts.md: the seed's LoRA r=8 */
	if (!n)
		return;
	if (check_map(l, n, "workload", keys))
		return;
	w->model = get_str(l, n, "model", w->model);
	w->method = get_str(l, n, "method", w->method);
	get_num(l, n, "dataset_tokens", &w->dataset_tokens, &lim_dataset_tokens);
	get_int(l, n, "seq", &w->seq, &lim_seq);
	get_int(l, n, "micro_batch", &w->micro_batch, &lim_micro_batch);
	get_int(l, n, "accumulation", &w->accumulation, &lim_accum);
	get_int(l, n, "epochs", &w->epochs, &lim_epochs);
	get_num(l, n, "checkpoint_interval", &w->checkpoint_interval_s, &lim_seconds);
	get_num(l, n, "model_gb", &w->model_gb, &lim_model_gb);
	get_lat(l, n, "hub_mbps", &w->hub_mbps, NULL);
	get_lat(l, n, "worker_start", &w->worker_start, NULL);
	get_lat(l, n, "model_load", &w->model_load, NULL);
	get_num(l, n, "join_timeout", &w->join_timeout_s, &lim_positive_seconds);
	get_num(l, n, "pg_timeout", &w->pg_timeout_s, &lim_positive_seconds);
	get_int(l, n, "lora_rank", &w->lora_rank, &lim_lora_rank);
	const ynode *gc = yn_get(n, "grad_ckpt");
	if (gc && yn_bool(gc, &w->grad_ckpt))
		bad(l, gc, "grad_ckpt must be true or false");
	const ynode *fm = yn_get(n, "fp32_master");
	if (fm && yn_bool(fm, &w->fp32_master))
		bad(l, fm, "fp32_master must be true or false");
	const char *st = get_str(l, n, "strategy", NULL);
	if (st && perf_strategy_parse(st, &w->strategy))
		bad_key(l, yn_get(n, "strategy"), "strategy",
			"is full-shard, hybrid-shard, shard-grad-op, no-shard or ddp, not '%s'", st);
	w->strategy_set = st != NULL;
	const char *lt = get_str(l, n, "lora_targets", NULL);
	if (lt && !(w->lora_targets = shape_lora_targets(lt)))
		bad_key(l, yn_get(n, "lora_targets"), "lora_targets",
			"wants names from q,k,v,o,gate,up,down (or all), not '%s'", lt);
	/* what the model cannot honour (model/limits.h) */
	const model_shape *shape = shape_find(w->model);
	char why[512];
	if (shape && !strcmp(w->method, "lora") &&
	    lim_lora_rank_width(shape, w->lora_targets, w->lora_rank, why, sizeof why))
		bad_key(l, yn_get(n, "lora_rank"), "lora_rank", "%s", why);
	if (shape && lim_seq_context(shape, w->seq, why, sizeof why))
		note(l, "workload.seq: %s", why);
	const ynode *tr = yn_get(n, "training");
	if (!tr) {
		bad(l, n, "workload needs training: {duration: ...} or {steps: N, step_s: ...}");
		return;
	}
	size_t at = enter(l, ".training");
	if (check_map(l, tr, "training", tr_keys)) {
		leave(l, at);
		return;
	}
	get_lat(l, tr, "duration", &w->duration, NULL);
	double steps = 0;
	get_num(l, tr, "steps", &steps, &lim_steps);
	w->steps = (long)steps;
	leave(l, at);
	get_lat(l, tr, "step_s", &w->step_s, NULL);
	const ynode *pf = yn_get(tr, "perf");
	if (pf && yn_bool(pf, &w->use_perf))
		bad(l, pf, "perf must be true or false");
	else if (w->use_perf && !shape_find(w->model))
		bad(l, yn_get(n, "model") ? yn_get(n, "model") : pf,
		    "perf: true needs a model the performance model knows (llama-1b, llama2-7b, llama2-13b, "
		    "llama2-70b, llama3-8b, llama3-70b), not '%s'", w->model);
	else if (w->use_perf && strcmp(w->method, "lora") && strcmp(w->method, "full"))
		bad(l, yn_get(n, "method") ? yn_get(n, "method") : pf, "perf: true needs method lora or full, not '%s'",
		    w->method);
	int modes = !!w->duration.spec + !!(w->steps || w->step_s.spec) + !!w->use_perf;
	if (modes != 1)
		bad(l, tr, "training needs exactly one of duration, steps with step_s, or perf: true");
	else if (!w->duration.spec && !w->use_perf && (!w->step_s.spec || (!w->steps && !w->dataset_tokens)))
		bad(l, tr, "training by steps needs step_s, and steps or workload.dataset_tokens");
}

/* Every default that stands in for a fact the scenario does not give is
 * said, with its basis, among the run's assumptions: never silence. */
static void note_lat(ld *l, const char *path, const cl_latency *lat, const char *unit)
{
	if (!lat->node && lat->spec && lat->source)
		note(l, "%s not given: %s %s (%s)", path, lat->spec, unit, lat->source);
}

/* failures: rates the run draws its failures from. */
static const lim_range lim_rate = {"failures per hour", 0, 1, 0, 0,
				   "more than one an hour per GPU or node is not a cluster one runs on"};
static const lim_range lim_notice = {"seconds", 0, 3600, 0, 0, "no provider gives more than an hour"};
static const lim_range lim_ckpt_mbps = {"MB/s", 0, 100000, 0, 1, "faster than any disk"};

#define GPU_RATE_DEFAULT 2.0e-5   /* facts.md: Llama 3 report, interruptions per GPU-hour */
#define SPOT_RATE_DEFAULT 0.02    /* guess: about 1 in 50 spot VMs preempted per hour */
#define SPOT_NOTICE_DEFAULT 30.0  /* GCE's preemption notice (guess: not in facts.md) */
#define CKPT_MBPS_DEFAULT 200.0   /* guess: a PD-SSD write of a sharded checkpoint */

static void load_failures(ld *l, const ynode *n, scn_failures *f)
{
	static const char *const keys[] = {"gpu_rate", "spot_preemption_rate", "spot_notice",
					   "checkpoint_mbps", "checkpoint_on_notice", NULL};
	f->gpu_rate = GPU_RATE_DEFAULT;
	f->spot_rate = SPOT_RATE_DEFAULT;
	f->spot_notice_s = SPOT_NOTICE_DEFAULT;
	f->checkpoint_mbps = CKPT_MBPS_DEFAULT;
	if (!n || check_map(l, n, "failures", keys))
		return;
	get_num(l, n, "gpu_rate", &f->gpu_rate, &lim_rate);
	get_num(l, n, "spot_preemption_rate", &f->spot_rate, &lim_rate);
	get_num(l, n, "spot_notice", &f->spot_notice_s, &lim_notice);
	get_num(l, n, "checkpoint_mbps", &f->checkpoint_mbps, &lim_ckpt_mbps);
	const ynode *con = yn_get(n, "checkpoint_on_notice");
	if (con && yn_bool(con, &f->checkpoint_on_notice))
		bad(l, con, "checkpoint_on_notice must be true or false");
}

static void note_failures(ld *l, const ynode *root)
{
	const ynode *f = yn_get(root, "failures");
	const scenario *s = l->s;
	int spot = 0;
	for (size_t i = 0; i < s->cluster.npools; i++)
		spot |= s->cluster.pools[i].spot;
	if (!yn_get(f, "gpu_rate"))
		note(l, "failures.gpu_rate not given: %g unexpected interruptions per GPU-hour (facts.md: "
		     "Llama 3 report, 419 in 54 days on 16,384 H100s)", GPU_RATE_DEFAULT);
	if (spot && !yn_get(f, "spot_preemption_rate"))
		note(l, "failures.spot_preemption_rate not given: %g preemptions per spot node-hour (a guess; "
		     "providers publish none)", SPOT_RATE_DEFAULT);
	if (spot && !yn_get(f, "checkpoint_on_notice"))
		note(l, "failures.checkpoint_on_notice not given: false, the training script writes no "
		     "checkpoint on SIGTERM (a guess: llama-recipes installs no handler)");
	if (spot && !yn_get(f, "spot_notice"))
		note(l, "failures.spot_notice not given: %g s (GCE's preemption notice; a guess, not in "
		     "facts.md)", SPOT_NOTICE_DEFAULT);
	if (!yn_get(f, "checkpoint_mbps") && s->workload.checkpoint_interval_s > 0)
		note(l, "failures.checkpoint_mbps not given: %g MB/s to write or read a checkpoint (a guess)",
		     CKPT_MBPS_DEFAULT);
}

static void note_defaults(ld *l, const ynode *root)
{
	note_failures(l, root);
	scenario *s = l->s;
	const cl_cluster *c = &s->cluster;
	const scn_workload *w = &s->workload;
	const ynode *wl = yn_get(root, "workload");
	note_lat(l, "cluster.load_balancer_ip", &c->lb_ip, "s");
	note_lat(l, "cluster.pod_start", &c->pod_start, "s");
	note_lat(l, "cluster.resource_action", &c->resource_action, "s");
	note_lat(l, "cluster.container_run", &c->container_run, "s");
	note_lat(l, "cluster.etcd_ready", &c->etcd_ready, "s");
	if (!c->pull_mbps_set)
		note(l, "cluster.images.pull_mbps not given: %g MB/s per node (a guess: 3-4 GB in 1-3 min, "
		     "facts.md)", c->pull_mbps);
	char path[300];
	for (size_t i = 0; i < c->npools; i++) {
		const cl_pool *p = &c->pools[i];
		if (p->autoscale) {
			snprintf(path, sizeof path, "cluster.pools[%s].autoscaling.scale_up", p->name);
			note_lat(l, path, &p->scale_up, "s");
		}
		if (p->gpus > 0 && !yn_get(p->node, "nic_gbps"))
			note(l, "cluster.pools[%s].nic_gbps not given: %g Gbps for the performance model's "
			     "collectives across nodes (a guess)", p->name, CL_DEFAULT_NIC_GBPS);
		if (!yn_get(p->node, "price"))
			note(l, "cluster.pools[%s].price not given: its nodes cost $0 in the totals", p->name);
		else if (p->spot && !yn_get(yn_get(p->node, "price"), "spot"))
			note(l, "cluster.pools[%s].price.spot not given: its spot nodes cost $0 in the totals",
			     p->name);
	}
	for (size_t i = 0; i < c->nclasses; i++) {
		snprintf(path, sizeof path, "cluster.storage_classes[%s].provisioning", c->classes[i].name);
		note_lat(l, path, &c->classes[i].provisioning, "s");
	}
	note_lat(l, "workload.hub_mbps", &w->hub_mbps, "MB/s");
	note_lat(l, "workload.worker_start", &w->worker_start, "s");
	note_lat(l, "workload.model_load", &w->model_load, "s");
	if (!yn_get(wl, "model_gb"))
		note(l, "workload.model_gb not given: %g GB of weights to download (facts.md: Llama-2-7B fp16)",
		     w->model_gb);
	if (!yn_get(wl, "join_timeout"))
		note(l, "workload.join_timeout not given: %g s (facts.md: torch elastic's default)",
		     w->join_timeout_s);
	if (!yn_get(wl, "pg_timeout"))
		note(l, "workload.pg_timeout not given: %g s before a hung peer is noticed (facts.md: torch's "
		     "NCCL process-group timeout, 10 min)", w->pg_timeout_s);
}

static scenario *load(scenario *s, const char *name, const char *buf, size_t len,
		      diag_list *d, char *err, size_t errlen)
{
	static const char *const keys[] = {"scenario", "description", "nodes", "cluster",
					   "workload", "failures", NULL};
	ld l = {.a = s->arena, .d = d, .s = s};
	s->file = arena_strdup(s->arena, name);
	yn_doc *docs = NULL;
	size_t ndocs = 0;
	int rc = yn_parse(s->arena, s->file, buf, len, &yn_default_limits, NULL, d, &docs, &ndocs);
	if (rc == -2 || !s->file) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	if (rc < 0)
		return NULL;
	if (ndocs != 1 || !docs[0].root) {
		diag_add(d, DIAG_ERROR, RULE, s->file, ndocs > 1 ? docs[1].line : 1, 1, 0, 0, "",
			 "a scenario file holds exactly one YAML document");
		return NULL;
	}
	const ynode *root = docs[0].root;
	if (check_map(&l, root, "a scenario", keys))
		return NULL;
	s->name = get_str(&l, root, "scenario", NULL);
	if (!s->name)
		bad(&l, root, "a scenario needs a name (scenario: NAME)");
	s->description = get_str(&l, root, "description", "");
	s->nodes_node = yn_get(root, "nodes");
	get_int(&l, root, "nodes", &s->nodes, &lim_nodes);
	const ynode *c = yn_get(root, "cluster");
	enter(&l, "cluster");
	if (!c)
		bad(&l, root, "a scenario needs cluster: with node pools");
	else
		load_cluster(&l, c, &s->cluster);
	leave(&l, 0);
	enter(&l, "workload");
	load_workload(&l, yn_get(root, "workload"), &s->workload);
	leave(&l, 0);
	enter(&l, "failures");
	load_failures(&l, yn_get(root, "failures"), &s->failures);
	leave(&l, 0);
	/* the performance model must know every GPU pool's GPU */
	for (size_t i = 0; s->workload.use_perf && i < s->cluster.npools; i++) {
		const cl_pool *p = &s->cluster.pools[i];
		if (p->gpus > 0 && (!p->gpu_type || !gpu_from_label(p->gpu_type)))
			bad(&l, p->node, "perf: true needs a GPU the performance model knows (V100, A100, H100, H200, "
			    "L4), not '%s'", p->gpu_type ? p->gpu_type : "(none)");
	}
	if (!yn_get(root, "workload"))
		bad(&l, root, "a scenario needs workload: (at least its training length)");
	if (!l.errors)
		note_defaults(&l, root);
	return l.errors ? NULL : s;
}

scenario *scn_load_mem(const char *name, const char *buf, size_t len, diag_list *d,
		       char *err, size_t errlen)
{
	scenario *s = calloc(1, sizeof *s);
	if (!s || !(s->arena = arena_new())) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	err[0] = 0;
	if (!load(s, name, buf, len, d, err, errlen)) {
		scn_free(s);
		return NULL;
	}
	return s;
}

scenario *scn_load_file(const char *path, diag_list *d, char *err, size_t errlen)
{
	size_t len;
	char *buf = read_file(path, yn_default_limits.max_bytes, &len, err, errlen);
	if (!buf)
		return NULL;
	scenario *s = scn_load_mem(strcmp(path, "-") ? path : "<stdin>", buf, len, d, err, errlen);
	free(buf);
	return s;
}

void scn_free(scenario *s)
{
	if (!s)
		return;
	arena_free(s->arena);
	free(s);
}
