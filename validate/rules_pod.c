/* rules_pod.c: pod-* rules -- what the kubelet and the container runtime
 * will do with the pods a workflow runs: mounts, argv, shared memory, wait
 * loops, image pulls, GPU scheduling.
 *
 * Pods are both the workflow's own templates and the pod templates inside
 * resource manifests (validate/objects.h). Generic container checks
 * (volumeMount names, two volumes at one path) are the container-* rules'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/torchrun.h"
#include "validate/families.h"
#include "validate/objects.h"

struct pctx {
	lint_ctx *c;
	const ynode *seen[KOBJ_MAX];  /* volumes already reported (shared by templates) */
	size_t nseen;
};

static int seen(struct pctx *x, const ynode *n)
{
	for (size_t i = 0; i < x->nseen; i++)
		if (x->seen[i] == n)
			return 1;
	if (x->nseen < KOBJ_MAX)
		x->seen[x->nseen++] = n;
	return 0;
}

/* Could this container run torchrun? (Parsing its command line costs far
 * more than looking for the word; most containers never mention it.) */
static int mentions_torch(const ynode *ctr)
{
	static const char *const keys[] = {"command", "args", "source"};
	for (size_t k = 0; k < 3; k++) {
		const ynode *v = yn_get(ctr, keys[k]);
		if (v && v->kind == YN_SCALAR && v->str && strstr(v->str, "torch"))
			return 1;
		for (size_t i = 0; v && v->kind == YN_SEQ && i < v->n; i++)
			if (v->item[i]->kind == YN_SCALAR && v->item[i]->str && strstr(v->item[i]->str, "torch"))
				return 1;
	}
	return 0;
}

static const char *ctr_name(const ynode *ctr)
{
	const char *n = yn_get_str(ctr, "name");
	return n ? n : "main";
}

/* ------------------------------------------------------ duplicate mount */

static int dup_mount(void *u, const kpod *p)
{
	struct pctx *x = u;
	for (size_t k = 0; k < p->nctr; k++) {
		const ynode *vm = yn_get(p->ctr[k], "volumeMounts");
		for (size_t i = 1; vm && vm->kind == YN_SEQ && i < vm->n; i++) {
			const char *path = yn_get_str(vm->item[i], "mountPath");
			const char *name = yn_get_str(vm->item[i], "name");
			if (!path || !name)
				continue;
			for (size_t j = 0; j < i; j++) {
				const char *pj = yn_get_str(vm->item[j], "mountPath");
				const char *nj = yn_get_str(vm->item[j], "name");
				if (!pj || !nj || strcmp(path, pj) || strcmp(name, nj))
					continue;
				lint_report(x->c, "pod-duplicate-mount", vm->item[i], NULL,
					    "container '%s' mounts volume '%s' at %s twice; Kubernetes refuses the pod "
					    "(mountPath must be unique) and the step never starts",
					    ctr_name(p->ctr[k]), name, path);
				break;
			}
		}
	}
	return 0;
}


/* ----------------------------------------------------------- argv space */

static int has_space(const char *s)
{
	return s && strchr(s, ' ');
}

/* "bash -c", "python3 -u": plain words and nothing a shell would read.
 * A whole script in command[0] is a different mistake (it needs a shell,
 * not a split), and an unambiguous finding is worth more than a guess. */
static int plain_words(const char *s)
{
	if (!s || *s == ' ')
		return 0;
	for (; *s; s++)
		if (!(*s == ' ' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("_./:=+-,@%", *s)))
			return 0;
	return s[-1] != ' ';
}

static int argv_space(void *u, const kpod *p)
{
	struct pctx *x = u;
	for (size_t k = 0; k < p->nctr; k++) {
		const ynode *cmd = yn_get(p->ctr[k], "command");
		const ynode *first = cmd && cmd->kind == YN_SEQ && cmd->n ? cmd->item[0] : NULL;
		const char *s = yn_str(first);
		if (has_space(s) && plain_words(s))
			lint_report(x->c, "pod-argv-space", first, NULL,
				    "command '%s' is one argv element: the runtime looks for a program named "
				    "\"%s\" (spaces included), finds none, and the container fails to start",
				    s, s);
		/* torchrun's own options written as one element ("--nnodes 4") */
		if (!mentions_torch(p->ctr[k]))
			continue;
		const ynode *argv[512];
		size_t n = 0;
		const ynode *seqs[2] = {cmd, yn_get(p->ctr[k], "args")};
		for (int q = 0; q < 2; q++)
			for (size_t i = 0; seqs[q] && seqs[q]->kind == YN_SEQ && i < seqs[q]->n && n < 512; i++)
				argv[n++] = seqs[q]->item[i];
		arena *a = arena_new();
		tr_cmd *cmds = NULL;
		size_t nc = 0;
		if (!a)
			return 0;
		if (tr_parse_argv(a, argv, n, &cmds, &nc) > 0)
			for (size_t ci = 0; ci < nc; ci++) {
				if (cmds[ci].script)
					continue;
				for (size_t oi = 0; oi < cmds[ci].nopts; oi++)
					if (has_space(cmds[ci].opts[oi].given))
						lint_report(x->c, "pod-argv-space", cmds[ci].opts[oi].node, NULL,
							    "torchrun option '%s' is one argv element; torchrun's parser "
							    "reads it as one unknown option and exits before training",
							    cmds[ci].opts[oi].given);
			}
		arena_free(a);
	}
	return 0;
}


/* ------------------------------------------------------------ /dev/shm */

static int is_shm(const char *path)
{
	return path && (!strcmp(path, "/dev/shm") || !strcmp(path, "/dev/shm/"));
}

static int shm_medium(void *u, const kpod *p)
{
	struct pctx *x = u;
	for (size_t k = 0; k < p->nctr; k++) {
		const ynode *vm = yn_get(p->ctr[k], "volumeMounts");
		for (size_t i = 0; vm && vm->kind == YN_SEQ && i < vm->n; i++) {
			const char *name = yn_get_str(vm->item[i], "name");
			if (!is_shm(yn_get_str(vm->item[i], "mountPath")) || !name)
				continue;
			const ynode *vol = kpod_volume(p, name);
			if (!vol || !yn_get_key(vol, "emptyDir"))
				continue;
			const char *medium = yn_get_str(yn_get(vol, "emptyDir"), "medium");
			if ((medium && !strcmp(medium, "Memory")) || seen(x, vol))
				continue;
			lint_report(x->c, "pod-shm-not-memory", vol, NULL,
				    "volume '%s' is mounted at /dev/shm but is a disk-backed emptyDir: NCCL and "
				    "DataLoader shared memory goes to the node's disk (slow, and it fills the disk)",
				    name);
		}
	}
	return 0;
}


/* torchrun's --nproc-per-node in container k of p when it is a number,
 * else 0 (no torchrun, "gpu", "auto", an expression). */
static long nproc_of(const kpod *p, size_t k)
{
	long v = 0;
	if (p->wctr[k] && mentions_torch(p->ctr[k])) {
		arena *a = arena_new();
		tr_cmd *cmds = NULL;
		size_t nc = 0;
		if (a && tr_parse_container(a, p->wctr[k], &cmds, &nc) > 0) {
			const tr_opt *o = tr_get(&cmds[0], "nproc-per-node");
			char *end;
			if (o && o->value && ((v = strtol(o->value, &end, 10)) < 0 || *end))
				v = 0;
		}
		arena_free(a);
	}
	return v;
}

/* Processes per pod, for the shm rule: the GPUs, or torchrun's
 * --nproc-per-node when the container runs torchrun. */
static long procs_of(const kpod *p, size_t k)
{
	double g = kctr_gpus(p->ctr[k]);
	long procs = g > 0 ? (long)g : 0, np = nproc_of(p, k);
	return np > procs ? np : procs;
}

static int no_shm(void *u, const kpod *p)
{
	struct pctx *x = u;
	for (size_t k = 0; k < p->nctr; k++) {
		long procs = procs_of(p, k);
		if (procs < 2)
			continue;
		const ynode *vm = yn_get(p->ctr[k], "volumeMounts");
		int has = 0;
		for (size_t i = 0; vm && vm->kind == YN_SEQ && i < vm->n; i++)
			has |= is_shm(yn_get_str(vm->item[i], "mountPath"));
		if (has)
			continue;
		lint_report(x->c, "pod-no-shm", p->ctr[k], NULL,
			    "container '%s' runs %ld GPU processes with the runtime's default /dev/shm (64 MiB): "
			    "NCCL and DataLoader workers die with bus errors once they need more",
			    ctr_name(p->ctr[k]), procs);
	}
	return 0;
}


/* -------------------------------------------------------- wait loops */

struct loops {
	lint_ctx *c;
	const ynode *at;
	int kind[16];       /* 1 while/until, 2 for/select */
	int bounded[16];
	tr_word word[16];   /* the keyword that opened the loop */
	int depth;
};

static int bound_word(const char *w)
{
	static const char *const b[] = {"-lt", "-le", "-gt", "-ge", "timeout", "read", "seq"};
	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
		if (!strcmp(w, b[i]))
			return 1;
	return strstr(w, "SECONDS") || strstr(w, "$((") || !strncmp(w, "((", 2);
}

static int loop_cmd(void *u, const tr_word *w, size_t n, const ynode *script)
{
	struct loops *l = u;
	if (!n)
		return 0;
	const char *first = w[0].s;
	if (!strcmp(first, "while") || !strcmp(first, "until") || !strcmp(first, "for") || !strcmp(first, "select")) {
		if (l->depth < 16) {
			l->kind[l->depth] = first[0] == 'w' || first[0] == 'u' ? 1 : 2;
			l->bounded[l->depth] = 0;
			l->word[l->depth] = w[0];
		}
		l->depth++;
	}
	for (size_t i = 0; i < n && l->depth > 0 && l->depth <= 16; i++)
		if (bound_word(w[i].s))
			l->bounded[l->depth - 1] = 1;
	if (!strcmp(first, "done") && l->depth > 0) {
		l->depth--;
		ynode pos;
		const tr_word *kw = &l->word[l->depth < 16 ? l->depth : 0];
		if (l->depth < 16 && l->kind[l->depth] == 1 && !l->bounded[l->depth])
			lint_report(l->c, "pod-unbounded-wait",
				    script ? kpos(lint_set(l->c), script, kw->off, kw->len, &pos) : kw->node, NULL,
				    "this shell loop has no bound (no counter, no timeout) and the workflow has no "
				    "activeDeadlineSeconds: if what it waits for never happens, the pod runs, "
				    "and bills, until someone notices");
	}
	return 0;
}

static int unbounded(void *u, const kpod *p)
{
	struct pctx *x = u;
	if (p->obj || p->doc->spec.active_deadline || p->tmpl->active_deadline || p->tmpl->timeout ||
	    p->tmpl->daemon)
		return 0;
	/* main and init containers: sidecars are stopped when main ends */
	for (size_t k = 0; k < p->nctr; k++) {
		const wf_container *wc = p->wctr[k];
		int is_sidecar = 0;
		for (size_t s = 0; s < p->tmpl->nsidecars; s++)
			is_sidecar |= wc == &p->tmpl->sidecars[s];
		if (!wc || is_sidecar)
			continue;
		const ynode *argv[512];
		size_t n = tr_container_argv(wc, argv, 512);
		arena *a = arena_new();
		if (!a)
			return 0;
		struct loops l = {.c = x->c};
		const char *a0 = n ? yn_str(argv[0]) : NULL;
		char first[64];
		/* "bash -c" as one element does not run, but it says what was meant */
		if (a0 && has_space(a0) && sscanf(a0, "%63s", first) == 1 && tr_is_shell(first) && strstr(a0, " -") &&
		    n > 1)
			tr_each_script_command(a, argv[1], loop_cmd, &l);
		else
			tr_each_command(a, argv, n, loop_cmd, &l);
		if (wc->source_node && a0 && tr_is_shell(a0)) {
			struct loops l2 = {.c = x->c};
			tr_each_script_command(a, wc->source_node, loop_cmd, &l2);
		}
		arena_free(a);
	}
	return 0;
}


/* ---------------------------------------------------- latest + Always */

static int latest_always(void *u, const kpod *p)
{
	struct pctx *x = u;
	for (size_t k = 0; k < p->nctr; k++) {
		const char *image = yn_get_str(p->ctr[k], "image");
		const ynode *pol = yn_get(p->ctr[k], "imagePullPolicy");
		char buf[128];
		const char *tag = kimage_tag(image, buf, sizeof buf);
		if (!tag || strcmp(tag, "latest") || !yn_str(pol) || strcmp(pol->str, "Always") || strstr(image, "{{"))
			continue;
		lint_report(x->c, "pod-latest-always", pol, NULL,
			    "image %s is pulled again at every pod start (imagePullPolicy: Always on :latest): "
			    "pods of one run may get different images if the tag moves, and each start pays the pull",
			    image);
	}
	return 0;
}


/* ------------------------------------------------------ GPU scheduling */

static int mentions_gpu(const ynode *n, int depth)
{
	if (!n || depth > 16)
		return 0;
	if (n->kind == YN_SCALAR) {
		const char *s = n->str;
		return strstr(s, "gpu") || strstr(s, "GPU") || strstr(s, "accelerator") || strstr(s, "nvidia");
	}
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == YN_MAP && mentions_gpu(n->key[i], depth + 1))
			return 1;
		if (mentions_gpu(n->kind == YN_MAP ? n->val[i] : n->item[i], depth + 1))
			return 1;
	}
	return 0;
}

static int tolerates_gpu(const ynode *tol)
{
	for (size_t i = 0; tol && tol->kind == YN_SEQ && i < tol->n; i++) {
		const char *key = yn_get_str(tol->item[i], "key");
		const char *op = yn_get_str(tol->item[i], "operator");
		if ((key && strstr(key, "gpu")) || (!key && op && !strcmp(op, "Exists")))
			return 1;
	}
	return 0;
}

static int gpu_sched(void *u, const kpod *p)
{
	struct pctx *x = u;
	const ynode *gpu_ctr = NULL;
	for (size_t k = 0; k < p->nctr && !gpu_ctr; k++)
		if (kctr_gpus(p->ctr[k]) > 0)
			gpu_ctr = p->ctr[k];
	if (!gpu_ctr || (p->tmpl && p->tmpl->pod_spec_patch) || (p->doc->spec.pod_spec_patch && !p->obj))
		return 0;
	int tol = tolerates_gpu(p->tolerations[0]) || tolerates_gpu(p->tolerations[1]);
	int sel = mentions_gpu(p->node_selector[0], 0) || mentions_gpu(p->node_selector[1], 0) ||
		  mentions_gpu(p->affinity[0], 0) || mentions_gpu(p->affinity[1], 0);
	if (tol && sel)
		return 0;
	lint_report(x->c, "pod-gpu-no-toleration", gpu_ctr, NULL,
		    "container '%s' asks for GPUs but its pod has %s%s%s: %s", ctr_name(gpu_ctr),
		    tol ? "" : "no toleration for the GPU nodes' taint", !tol && !sel ? " and " : "",
		    sel ? "" : "no node selector or affinity for the GPU pool",
		    !tol ? "on clusters that taint GPU nodes (and do not add it for you) it stays Pending"
			 : "the scheduler may pick any node pool that has the device, not the one you sized for");
	return 0;
}


/* ------------------------------------------------------ GPU visibility */

/* The literal value an env entry gives its variable (an entry without
 * value or valueFrom is the empty string); NULL when it is taken from
 * elsewhere or holds an expression. */
static const char *env_literal(const ynode *item)
{
	const ynode *val = yn_get(item, "value");
	const char *v = yn_str(val) ? val->str : yn_get(item, "valueFrom") || val ? NULL : "";
	return v && (strstr(v, "{{") || strstr(v, "$(")) ? NULL : v;
}

/* How many GPUs CUDA shows under CUDA_VISIBLE_DEVICES=v in a container
 * that holds g of them (numbered 0..g-1 there): the entries before the
 * first invalid one. -1 when it cannot be known (UUIDs, MIG names). */
static long cuda_visible(const char *v, long g, long *bad)
{
	long n = 0;
	*bad = -1;
	for (const char *p = v; *p;) {
		while (*p == ' ')
			p++;
		char *end;
		if (*p < '0' || *p > '9')
			return *p ? -1 : n;
		long i = strtol(p, &end, 10);
		while (*end == ' ')
			end++;
		if (*end && *end != ',')
			return -1;
		if (i >= g) {
			*bad = i;
			return n;
		}
		n++;
		p = *end ? end + 1 : end;
	}
	return n;
}

static int gpu_visible(void *u, const kpod *p)
{
	struct pctx *x = u;
	for (size_t k = 0; k < p->nctr; k++) {
		/* one pass over env for both variables (the last entry wins, as in
		 * Kubernetes); most containers set neither */
		const ynode *env = yn_get(p->ctr[k], "env"), *cuda = NULL, *nv = NULL;
		for (size_t i = 0; env && env->kind == YN_SEQ && i < env->n; i++) {
			const char *n = yn_get_str(env->item[i], "name");
			if (n && !strcmp(n, "CUDA_VISIBLE_DEVICES"))
				cuda = env->item[i];
			else if (n && !strcmp(n, "NVIDIA_VISIBLE_DEVICES"))
				nv = env->item[i];
		}
		if (!cuda && !nv)
			continue;
		const ynode *at = cuda && yn_get(cuda, "value") ? yn_get(cuda, "value") : cuda;
		double g = kctr_gpus(p->ctr[k]);
		const char *v = cuda ? env_literal(cuda) : NULL;
		long bad, vis;
		if (v && g > 0 && (vis = cuda_visible(v, (long)g, &bad)) >= 0) {
			long np = nproc_of(p, k), need = np > 0 ? (np < (long)g ? np : (long)g) : 1;
			char why[96] = "";
			if (bad >= 0)
				snprintf(why, sizeof why, ": index %ld is past the container's GPUs, and CUDA stops there", bad);
			if (vis < need)
				lint_report(x->c, "pod-gpu-visible-devices", at, NULL,
					    "CUDA_VISIBLE_DEVICES='%s' in container '%s', which holds %g GPU%s (numbered "
					    "0..%ld inside it, whatever the node calls them)%s; CUDA shows %ld, %s",
					    v, ctr_name(p->ctr[k]), g, g == 1 ? "" : "s", (long)g - 1, why, vis,
					    vis == 0 ? "so the program finds no GPU at all"
						     : "so workers past that fail with 'invalid device ordinal'");
		}
		if (p->obj && p->obj->kind && !strcmp(p->obj->kind, "DaemonSet"))
			continue; /* node agents (the device plugin, DCGM) see every GPU on purpose */
		v = nv ? env_literal(nv) : NULL;
		at = nv && yn_get(nv, "value") ? yn_get(nv, "value") : nv;
		if (!v || !*v || !strcmp(v, "void") || !strcmp(v, "none"))
			continue;
		if (g > 0)
			lint_report(x->c, "pod-nvidia-visible-devices", at, NULL,
				    "container '%s' holds %g GPU%s and sets NVIDIA_VISIBLE_DEVICES='%s': the device "
				    "plugin sets that variable to the GPUs it allocated, so this value is either "
				    "overridden or, where the runtime honours it, gives the container GPUs other pods hold",
				    ctr_name(p->ctr[k]), g, g == 1 ? "" : "s", v);
		else
			lint_report(x->c, "pod-nvidia-visible-devices", at, NULL,
				    "container '%s' asks for no GPU but sets NVIDIA_VISIBLE_DEVICES='%s': on a GPU node "
				    "the NVIDIA runtime exposes those GPUs behind the scheduler's back, to be shared "
				    "unknowingly with the pods it gave them to", ctr_name(p->ctr[k]), v);
	}
	return 0;
}


/* All pod rules in one walk over the pods (each rule keeps its own state):
 * listing a document's pods costs more than most checks on them. */
static int security(void *u, const kpod *p)
{
	return security_pod(((struct pctx *)u)->c, p);
}

static const kpod_fn pod_checks[] = {dup_mount, argv_space, shm_medium, no_shm, unbounded, latest_always, gpu_sched,
				     gpu_visible, security};
enum { NPOD_CHECKS = sizeof pod_checks / sizeof pod_checks[0] };

struct pod_mux {
	struct pctx x[NPOD_CHECKS];
	int done[NPOD_CHECKS];
};

static int pod_mux_fn(void *u, const kpod *p)
{
	struct pod_mux *m = u;
	for (size_t i = 0; i < NPOD_CHECKS; i++)
		if (!m->done[i] && pod_checks[i](&m->x[i], p))
			m->done[i] = 1; /* that rule has seen enough */
	return 0;
}

static void check_pods(lint_ctx *c)
{
	/* The seen lists are large and almost always empty: start each check
	 * with an empty list rather than clearing all of it (that cost more
	 * than the checks on a typical file). */
	struct pod_mux m;
	for (size_t i = 0; i < NPOD_CHECKS; i++) {
		m.x[i].c = c;
		m.x[i].nseen = 0;
		m.done[i] = 0;
	}
	const wf_set *s = lint_set(c);
	kobj objs[KOBJ_MAX];
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		size_t n = kobj_list(d, objs, KOBJ_MAX);
		kpod_each(s, objs, n, d, pod_mux_fn, &m);
	}
}

const rule rules_pod[] = {
	{"pod-duplicate-mount", DIAG_ERROR, "a container mounts the same volume at the same path twice",
	 "The API server validates a pod's volumeMounts: each mountPath must be unique in a container. "
	 "Argo's pod is refused at creation, so the step fails before its container exists (and every "
	 "retry fails the same way).",
	 "delete the repeated volumeMounts entry",
	 "volumeMounts:\n- {name: shm, mountPath: /dev/shm}\n- {name: shm, mountPath: /dev/shm}\n",
	 "volumeMounts:\n- {name: shm, mountPath: /dev/shm}\n", check_pods},
	{"pod-argv-space", DIAG_ERROR, "an argv element holds a program and its arguments together",
	 "Kubernetes passes command and args to exec() as they are, without a shell. command: [\"bash -c\"] "
	 "asks for a program literally named \"bash -c\", which does not exist, so the container fails with "
	 "'no such file or directory'. A torchrun option with its value in one element (\"--nnodes 4\") is "
	 "one unknown option to torchrun's parser, which exits.",
	 "split the element into separate list items: [bash, -c]",
	 "command: [\"bash -c\"]\nargs: [\"echo hi\"]\n", "command: [bash, -c]\nargs: [\"echo hi\"]\n",
	 NULL},
	{"pod-shm-not-memory", DIAG_WARNING, "the /dev/shm emptyDir is not memory-backed",
	 "An emptyDir without medium: Memory is a directory on the node's disk. Mounted at /dev/shm it gives "
	 "NCCL and DataLoader workers disk-speed shared memory, and large batches fill the node's disk "
	 "(then the kubelet evicts the pod).",
	 "set emptyDir.medium: Memory (and a sizeLimit)",
	 "volumes:\n- name: shm\n  emptyDir: {sizeLimit: 50Gi}\n",
	 "volumes:\n- name: shm\n  emptyDir: {medium: Memory, sizeLimit: 50Gi}\n", NULL},
	{"pod-no-shm", DIAG_ERROR, "a multi-GPU container has no /dev/shm volume",
	 "Container runtimes give a container 64 MiB of /dev/shm. NCCL's shared-memory transport and "
	 "PyTorch DataLoader workers between processes of one pod need far more; they die with 'Bus error' "
	 "or NCCL 'unhandled system error' a few steps into training (pytorch/pytorch#16979: DataLoader bus "
	 "errors in a Kubernetes pod).",
	 "mount an emptyDir with medium: Memory at /dev/shm",
	 "resources: {limits: {nvidia.com/gpu: 4}}\n# no /dev/shm mount\n",
	 "resources: {limits: {nvidia.com/gpu: 4}}\nvolumeMounts: [{name: shm, mountPath: /dev/shm}]\n",
	 NULL},
	{"pod-unbounded-wait", DIAG_WARNING, "a shell wait loop with no bound, in a workflow with no deadline",
	 "A `while [ -z $x ]; do ...; sleep 10; done` loop waits for something outside the pod (a load "
	 "balancer IP, a file). If it never comes -- quota, a typo in a name -- the pod loops forever and "
	 "the workflow never ends: GPUs already allocated by other steps stay billed.",
	 "bound the loop (a counter or `timeout`) or set activeDeadlineSeconds on the workflow",
	 "args: ['while [ -z \"$ip\" ]; do sleep 10; ip=$(get-ip); done']\n",
	 "args: ['for i in $(seq 60); do ip=$(get-ip) && [ -n \"$ip\" ] && break; sleep 10; done']\n",
	 NULL},
	{"pod-latest-always", DIAG_WARNING, "a :latest image with imagePullPolicy: Always",
	 "Every pod start pulls the tag again: ranks that start minutes apart (or a retried rank) can run "
	 "different images if someone pushes in between, and each start waits for a multi-GB pull.",
	 "pin the image to a version tag or digest; then IfNotPresent is safe",
	 "image: trainer:latest\nimagePullPolicy: Always\n", "image: trainer:1.4.2\nimagePullPolicy: IfNotPresent\n",
	 NULL},
	{"pod-gpu-no-toleration", DIAG_WARNING, "a GPU pod without a GPU-taint toleration or a GPU-pool selector",
	 "GPU node pools are usually tainted (nvidia.com/gpu=present:NoSchedule); a pod without the "
	 "toleration stays Pending unless an admission plugin adds it. Without a node selector or affinity "
	 "the scheduler picks any pool that has the device, not the GPU model the job was sized for.",
	 "add a toleration for the GPU taint and a nodeSelector for the GPU pool",
	 "container: {resources: {limits: {nvidia.com/gpu: 4}}}\n",
	 "nodeSelector: {cloud.google.com/gke-accelerator: nvidia-tesla-v100}\n"
	 "tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]\n",
	 NULL},
	{"pod-gpu-visible-devices", DIAG_ERROR, "CUDA_VISIBLE_DEVICES shows the container fewer GPUs than its processes need",
	 "A container sees only the GPUs of its nvidia.com/gpu limit, numbered 0..N-1 inside it whatever their "
	 "numbers on the node. CUDA_VISIBLE_DEVICES copied from a bare-metal script ('4,5,6,7' for the second "
	 "half of a box) names devices the container does not have: CUDA stops at the first invalid index, so "
	 "the program sees no GPU, or fewer than torchrun starts workers, and those fail with 'invalid device "
	 "ordinal' (pytorch/torchtitan#423; NVIDIA/k8s-device-plugin#1294 for env set against the limit).",
	 "drop CUDA_VISIBLE_DEVICES: the device plugin already limits the container to its GPUs",
	 "env: [{name: CUDA_VISIBLE_DEVICES, value: '4,5,6,7'}]\nresources: {limits: {nvidia.com/gpu: 4}}\n",
	 "resources: {limits: {nvidia.com/gpu: 4}}\n", NULL},
	{"pod-nvidia-visible-devices", DIAG_WARNING, "NVIDIA_VISIBLE_DEVICES set in a pod's env",
	 "The NVIDIA container runtime exposes the GPUs NVIDIA_VISIBLE_DEVICES names. The device plugin sets it "
	 "to the GPUs it allocated; set by hand it is overridden, or it hands the container GPUs the scheduler "
	 "gave to other pods (NVIDIA/k8s-device-plugin#61: without a GPU request 'all the GPUs on the machine "
	 "will be exposed'; #1294: a value set beside a limit of 1 showed two GPUs). Training pods then share "
	 "GPUs they believe are theirs, and run out of memory or slow down unpredictably.",
	 "remove it and ask for GPUs with resources.limits (NVIDIA_VISIBLE_DEVICES=none to hide them)",
	 "env: [{name: NVIDIA_VISIBLE_DEVICES, value: all}]\n",
	 "resources: {limits: {nvidia.com/gpu: 4}}\n", NULL},
};

const size_t rules_pod_count = sizeof rules_pod / sizeof rules_pod[0];
