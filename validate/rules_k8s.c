/* rules_k8s.c: k8s-* rules -- the objects a workflow's resource templates
 * create, as Kubernetes will treat them: StatefulSets and their Services,
 * Service selectors, names that collide on the next run, cleanup in the
 * exit handler, exposure of etcd, storage binding. */
#include <stdio.h>
#include <string.h>

#include "document/torchrun.h"
#include "validate/families.h"
#include "validate/objects.h"

static int is_created(const kobj *o)
{
	return o->action && (!strcmp(o->action, "create") || !strcmp(o->action, "apply"));
}

static int known_service(const lint_ctx *c, const char *name)
{
	const lint_config *cfg = lint_cfg(c);
	for (size_t i = 0; cfg && i < cfg->nknown_services; i++)
		if (!strcmp(cfg->known_services[i], name))
			return 1;
	return 0;
}

typedef void (*doc_fn)(lint_ctx *c, const wf_doc *d, const kobj *objs, size_t n);

static void each_doc(lint_ctx *c, doc_fn fn)
{
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		kobj objs[KOBJ_MAX];
		size_t n = kobj_list(d, objs, KOBJ_MAX);
		fn(c, d, objs, n);
	}
}

static int kind_is(const kobj *o, const char *k)
{
	return o->kind && !strcmp(o->kind, k);
}

/* ----------------------------------------------------- headless Service */

static void headless(lint_ctx *c, const wf_doc *d, const kobj *objs, size_t n)
{
	(void)d;
	for (size_t i = 0; i < n; i++) {
		const kobj *o = &objs[i];
		if (!is_created(o) || !kmanifest_is(o->root, "StatefulSet"))
			continue;
		const ynode *sn = yn_get(yn_get(o->root, "spec"), "serviceName");
		const char *svc = yn_str(sn);
		if (!svc || !*svc || strstr(svc, "__") || known_service(c, svc))
			continue;
		const kobj *s = kobj_created(objs, n, "Service", svc);
		if (!s) {
			lint_report(c, "k8s-statefulset-no-headless-service", sn, NULL,
				    "StatefulSet '%s' names serviceName '%s', but the workflow creates no such "
				    "Service: its pods get no DNS names (%s-0.%s), so peers that address each other "
				    "by name never connect", o->name ? o->name : "?", svc, o->name ? o->name : "?", svc);
			continue;
		}
		const char *cip = yn_get_str(yn_get(s->root, "spec"), "clusterIP");
		if (!cip || strcmp(cip, "None"))
			lint_report(c, "k8s-statefulset-no-headless-service", sn, NULL,
				    "StatefulSet '%s' names serviceName '%s', but that Service is not headless "
				    "(clusterIP: None): the pods get no per-pod DNS names", o->name ? o->name : "?", svc);
	}
}

static void check_headless(lint_ctx *c) { each_doc(c, headless); }

/* ------------------------------------------------------ Service selector */

struct sel {
	const ynode *selector;
	int hit;
};

static int labels_match(const ynode *sel, const ynode *labels)
{
	if (!labels || labels->kind != YN_MAP)
		return 0;
	for (size_t i = 0; i < sel->n; i++) {
		const char *k = yn_str(sel->key[i]), *v = yn_str(sel->val[i]);
		const char *have = k ? yn_get_str(labels, k) : NULL;
		if (!have || !v || strcmp(have, v))
			return 0;
	}
	return 1;
}

static int sel_pod(void *u, const kpod *p)
{
	struct sel *s = u;
	if (labels_match(s->selector, p->labels))
		s->hit = 1;
	return s->hit;
}

static void selector(lint_ctx *c, const wf_doc *d, const kobj *objs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const kobj *o = &objs[i];
		if (!is_created(o) || !kind_is(o, "Service") || o->templated)
			continue;
		const ynode *sel = yn_get(yn_get(o->root, "spec"), "selector");
		if (!sel || sel->kind != YN_MAP || !sel->n)
			continue;
		struct sel s = {sel, 0};
		kpod_each(lint_set(c), objs, n, d, sel_pod, &s);
		if (!s.hit)
			lint_report(c, "k8s-service-selector-no-match", sel, NULL,
				    "Service '%s' selects pods that no pod of this workflow is labelled as: unless "
				    "they exist already, it has no endpoints and connections to it are refused",
				    o->name ? o->name : "?");
	}
}

static void check_selector(lint_ctx *c) { each_doc(c, selector); }

/* -------------------------------------------------- create, fixed name */

static void create_fixed(lint_ctx *c, const wf_doc *d, const kobj *objs, size_t n)
{
	for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
		const wf_template *t = &d->spec.templates[ti];
		const wf_resource *r = t->resource;
		if (!r || !r->action || strcmp(r->action, "create") || !r->manifest_parsed || !r->ndocs)
			continue;
		const char *fixed = NULL;
		int all = 1;
		for (size_t i = 0; i < n; i++) {
			if (objs[i].tmpl != t)
				continue;
			const ynode *md = yn_get(objs[i].root, "metadata");
			if (!objs[i].name || strstr(objs[i].name, "__") || yn_get(md, "generateName"))
				all = 0;
			else if (!fixed)
				fixed = objs[i].name;
		}
		if (!all || !fixed)
			continue;
		lint_report(c, "k8s-create-fixed-name", r->action_node, NULL,
			    "template '%s' creates '%s' with a fixed name: if it is still there from an earlier run "
			    "(a failed cleanup, a second submission) create fails with AlreadyExists and so does "
			    "the workflow", t->name ? t->name : "?", fixed);
	}
}

static void check_create(lint_ctx *c) { each_doc(c, create_fixed); }

/* ---------------------------------------------------------- exit handler */

/* Templates reachable from the exit handler. Returns how many (<= max). */
static size_t exit_templates(const wf_doc *d, const wf_template **q, size_t max)
{
	size_t nq = 0;
	const wf_template *h = d->spec.on_exit ? wf_find_template(d, d->spec.on_exit) : NULL;
	if (h && max)
		q[nq++] = h;
	for (size_t i = 0; i < nq; i++) {
		const wf_template *t = q[i];
		for (size_t j = 0; j < t->ntasks + t->ngroups; j++) {
			size_t ns = j < t->ntasks ? 1 : t->groups[j - t->ntasks].n;
			for (size_t s = 0; s < ns; s++) {
				const wf_task *k = j < t->ntasks ? &t->tasks[j] : &t->groups[j - t->ntasks].steps[s];
				const wf_template *u = k->tmpl ? wf_find_template(d, k->tmpl) : NULL;
				int seen = !u;
				for (size_t x = 0; x < nq && !seen; x++)
					seen = q[x] == u;
				if (!seen && nq < max)
					q[nq++] = u;
			}
		}
	}
	return nq;
}

static int flag_is(const ynode *flags, const char *f, size_t prefix)
{
	for (size_t i = 0; flags && flags->kind == YN_SEQ && i < flags->n; i++) {
		const char *s = yn_str(flags->item[i]);
		if (s && (prefix ? !strncmp(s, f, prefix) : !strcmp(s, f)))
			return 1;
	}
	return 0;
}

/* Does some exit delete name PVC `pvc` (pvc/x, persistentvolumeclaim/x)? */
static int pvc_deleted(const wf_template **q, size_t nq, const char *pvc)
{
	static const char *const kinds[] = {"pvc", "persistentvolumeclaim", "persistentvolumeclaims"};
	char want[600];
	for (size_t i = 0; i < nq; i++) {
		const wf_resource *r = q[i]->resource;
		if (!r || !r->action || strcmp(r->action, "delete"))
			continue;
		for (size_t k = 0; k < 3; k++) {
			if (snprintf(want, sizeof want, "%s/%s", kinds[k], pvc) >= (int)sizeof want)
				continue;
			if (flag_is(r->flags, want, 0))
				return 1;
		}
		for (size_t k = 0; k < r->ndocs; k++) {
			const ynode *root = r->docs[k].root;
			const char *kind = yn_get_str(root, "kind");
			const char *nm = yn_get_str(yn_get(root, "metadata"), "name");
			if (kind && nm && !strcmp(kind, "PersistentVolumeClaim") && !strcmp(nm, pvc))
				return 1;
		}
	}
	return 0;
}

struct kdel {
	lint_ctx *c;
	const wf_template *t;
};

/* One simple command of an exit-handler container: `kubectl delete`
 * without --ignore-not-found exits 1 on an object that is not there. */
static int kubectl_delete(void *u, const tr_word *w, size_t n, const ynode *script)
{
	struct kdel *k = u;
	size_t p = tr_program_index(w, n);
	if (p >= n)
		return 0;
	const char *b = strrchr(w[p].s, '/');
	if (strcmp(b ? b + 1 : w[p].s, "kubectl"))
		return 0;
	size_t del = n;
	for (size_t i = p + 1; i < n; i++) {
		if (!strncmp(w[i].s, "--ignore-not-found", 18) && strcmp(w[i].s, "--ignore-not-found=false"))
			return 0;
		if (del == n && !strcmp(w[i].s, "delete"))
			del = i;
	}
	if (del == n)
		return 0;
	ynode pos;
	lint_report(k->c, "k8s-exit-cleanup",
		    script ? kpos(lint_set(k->c), script, w[del].off, w[del].len, &pos) : w[del].node, NULL,
		    "exit handler template '%s' runs kubectl delete without --ignore-not-found: after a run "
		    "that failed before creating everything, kubectl exits NotFound, the exit handler fails "
		    "and the remaining cleanup does not run", k->t->name ? k->t->name : "?");
	return 0;
}

/* The exit handler's own kubectl calls (resource templates need no
 * --ignore-not-found: Argo's executor adds it to every delete). */
static void exit_kubectl(lint_ctx *c, const wf_template *t)
{
	const wf_container *wc = t->main;
	if (!wc)
		return;
	const ynode *argv[512];
	size_t n = tr_container_argv(wc, argv, 512);
	const char *a0 = n ? yn_str(argv[0]) : NULL;
	int cheap = 0;
	for (size_t i = 0; i < n && !cheap; i++)
		cheap = yn_str(argv[i]) && strstr(yn_str(argv[i]), "kubectl");
	if (!cheap && !(wc->source && strstr(wc->source, "kubectl")))
		return;
	arena *a = arena_new();
	if (!a)
		return;
	struct kdel k = {c, t};
	tr_each_command(a, argv, n, kubectl_delete, &k);
	if (wc->source_node && a0 && tr_is_shell(a0))
		tr_each_script_command(a, wc->source_node, kubectl_delete, &k);
	arena_free(a);
}

static void exit_cleanup(lint_ctx *c, const wf_doc *d, const kobj *objs, size_t n)
{
	const wf_template *q[64];
	size_t nq = exit_templates(d, q, 64);
	for (size_t i = 0; i < nq; i++) {
		exit_kubectl(c, q[i]);
		const wf_resource *r = q[i]->resource;
		if (!r || !r->action || strcmp(r->action, "delete"))
			continue;
		/* StatefulSets it deletes: by flag (sts/NAME) or by manifest */
		const ynode *fl = r->flags;
		for (size_t k = 0; k < (fl && fl->kind == YN_SEQ ? fl->n : 0) + r->ndocs; k++) {
			const char *sts = NULL;
			const ynode *at;
			if (fl && fl->kind == YN_SEQ && k < fl->n) {
				const char *f = yn_str(fl->item[k]);
				const char *slash = f ? strchr(f, '/') : NULL;
				at = fl->item[k];
				if (slash && ktype_is(f, (size_t)(slash - f), "StatefulSet"))
					sts = slash + 1;
			} else {
				const ynode *root = r->docs[k - (fl && fl->kind == YN_SEQ ? fl->n : 0)].root;
				at = root;
				if (kmanifest_is(root, "StatefulSet"))
					sts = yn_get_str(yn_get(root, "metadata"), "name");
			}
			const kobj *o = sts ? kobj_created(objs, n, "StatefulSet", sts) : NULL;
			if (!o)
				continue;
			const ynode *spec = yn_get(o->root, "spec");
			const ynode *vct = yn_get(spec, "volumeClaimTemplates");
			long long replicas = 1;
			if (yn_get(spec, "replicas") && yn_int(yn_get(spec, "replicas"), &replicas))
				continue;
			for (size_t v = 0; vct && vct->kind == YN_SEQ && v < vct->n; v++) {
				const char *vn = yn_get_str(yn_get(vct->item[v], "metadata"), "name");
				char pvc[512];
				long long missing = -1;
				for (long long m = 0; vn && m < replicas && m < 1000 && missing < 0; m++) {
					snprintf(pvc, sizeof pvc, "%s-%s-%lld", vn, sts, m);
					if (!pvc_deleted(q, nq, pvc))
						missing = m;
				}
				if (missing >= 0) {
					lint_report(c, "k8s-exit-cleanup", at, NULL,
						    "the exit handler deletes StatefulSet '%s' but not its PVCs (%s-%s-0 ...): "
						    "Kubernetes keeps them, so every run leaves %lld volume%s behind, billed "
						    "until someone deletes them", sts, vn, sts, replicas, replicas == 1 ? "" : "s");
					break;
				}
			}
		}
	}
}

static void check_exit(lint_ctx *c) { each_doc(c, exit_cleanup); }

/* ---------------------------------------------------- LoadBalancer etcd */

struct lb {
	const ynode *selector;
	int etcd_open;
	arena *a;
};

static int lb_pod(void *u, const kpod *p)
{
	struct lb *l = u;
	if (!labels_match(l->selector, p->labels))
		return 0;
	for (size_t k = 0; k < p->nctr; k++) {
		ketcd e;
		if (ketcd_read(l->a, p->ctr[k], &e) != 1)
			continue;
		const char *auth = ketcd_flag(&e, "--client-cert-auth", NULL);
		const char *urls = ketcd_flag(&e, "--listen-client-urls", NULL);
		int has_auth = 0;
		for (size_t i = 0; i < e.nflags; i++)
			has_auth |= !strcmp(e.flag[i].name, "--client-cert-auth") && (!auth || !strcmp(auth, "true"));
		if (!has_auth && !(urls && !strncmp(urls, "https", 5)))
			l->etcd_open = 1;
	}
	return l->etcd_open;
}

static void lb_etcd(lint_ctx *c, const wf_doc *d, const kobj *objs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const kobj *o = &objs[i];
		const ynode *spec = yn_get(o->root, "spec");
		const ynode *type = yn_get(spec, "type");
		const ynode *sel = yn_get(spec, "selector");
		if (!is_created(o) || !kind_is(o, "Service") || !yn_str(type) || strcmp(type->str, "LoadBalancer") ||
		    !sel || sel->kind != YN_MAP || !sel->n)
			continue;
		const char *internal = NULL;
		const ynode *ann = yn_get(yn_get(o->root, "metadata"), "annotations");
		for (size_t k = 0; ann && ann->kind == YN_MAP && k < ann->n; k++)
			if ((yn_str(ann->key[k]) && strstr(ann->key[k]->str, "internal")) ||
			    (yn_str(ann->val[k]) && (strstr(ann->val[k]->str, "Internal") || strstr(ann->val[k]->str, "internal"))))
				internal = ann->key[k]->str; /* GKE, AWS, Azure mark internal LBs by annotation */
		if (internal || yn_get(spec, "loadBalancerSourceRanges"))
			continue;
		struct lb l = {sel, 0, arena_new()};
		if (!l.a)
			return;
		kpod_each(lint_set(c), objs, n, d, lb_pod, &l);
		arena_free(l.a);
		if (l.etcd_open)
			lint_report(c, "k8s-etcd-loadbalancer", type, NULL,
				    "Service '%s' is a LoadBalancer in front of an etcd without client authentication: "
				    "on most clouds that is a public IP, and anyone who finds it can read, write or "
				    "delete every key", o->name ? o->name : "?");
	}
}

static void check_lb(lint_ctx *c) { each_doc(c, lb_etcd); }

/* ------------------------------------------------------- StorageClass */

static void storage_class(lint_ctx *c, const wf_doc *d, const kobj *objs, size_t n)
{
	(void)d;
	static const char *const zonal[] = {"kubernetes.io/gce-pd", "pd.csi.storage.gke.io", "kubernetes.io/aws-ebs",
					    "ebs.csi.aws.com", "kubernetes.io/azure-disk", "disk.csi.azure.com",
					    "kubernetes.io/cinder", "cinder.csi.openstack.org"};
	for (size_t i = 0; i < n; i++) {
		const kobj *o = &objs[i];
		if (!is_created(o) || !kind_is(o, "StorageClass") || yn_get(o->root, "allowedTopologies"))
			continue;
		const char *prov = yn_get_str(o->root, "provisioner");
		int z = 0;
		for (size_t k = 0; prov && k < sizeof zonal / sizeof zonal[0]; k++)
			z |= !strcmp(prov, zonal[k]);
		const ynode *mode = yn_get(o->root, "volumeBindingMode");
		if (!z || (yn_str(mode) && strcmp(mode->str, "Immediate")))
			continue;
		const char *rep = yn_get_str(yn_get(o->root, "parameters"), "replication-type");
		if (rep && strstr(rep, "regional"))
			continue;
		lint_report(c, "k8s-storageclass-immediate", mode ? mode : yn_get(o->root, "provisioner"), NULL,
			    "StorageClass '%s' (%s) binds volumes %s: each disk is created in some zone before "
			    "the pod is scheduled, and a GPU pod that can only run in another zone stays Pending",
			    o->name ? o->name : "?", prov, mode ? "Immediately" : "Immediately (the default)");
	}
}

static void check_sc(lint_ctx *c) { each_doc(c, storage_class); }

const rule rules_k8s[] = {
	{"k8s-statefulset-no-headless-service", DIAG_ERROR,
	 "a StatefulSet's serviceName has no headless Service",
	 "A StatefulSet's pods get stable DNS names (<pod>.<serviceName>) only from a headless Service "
	 "(clusterIP: None) of that name, which Kubernetes does not create for you. Without it, peers that "
	 "find each other by those names (etcd members, rank 0) never resolve them.",
	 "create the headless Service in the workflow before the StatefulSet, or list it in "
	 ".rehearse.yaml known_services if it exists already",
	 "kind: StatefulSet\nspec: {serviceName: etcd}\n# no Service etcd\n",
	 "kind: Service\nmetadata: {name: etcd}\nspec: {clusterIP: None, selector: {app: etcd}}\n",
	 check_headless},
	{"k8s-service-selector-no-match", DIAG_WARNING, "a Service selects no pod the workflow creates",
	 "A Service routes to the pods whose labels match its selector. If no pod the workflow creates carries "
	 "those labels (and none exists already), the Service has no endpoints: clients get connection "
	 "refused or time out.",
	 "make the selector equal to the labels of the pods it fronts",
	 "selector: {app: etcd-server}   # pods are labelled app: etcd\n", "selector: {app: etcd}\n",
	 check_selector},
	{"k8s-create-fixed-name", DIAG_WARNING, "action: create of an object with a fixed name",
	 "create fails with AlreadyExists when an object of that name exists, for example after a run whose "
	 "cleanup failed, or a second submission of the same workflow. The step fails and so does the run.",
	 "use action: apply, or metadata.generateName",
	 "resource: {action: create, manifest: 'metadata: {name: ssd}'}\n",
	 "resource: {action: apply, manifest: 'metadata: {name: ssd}'}\n", check_create},
	{"k8s-exit-cleanup", DIAG_ERROR, "an exit-handler delete that leaks PVCs, or a kubectl delete that fails on absent objects",
	 "Deleting a StatefulSet keeps the PVCs of its volumeClaimTemplates: each run leaves its disks "
	 "behind, billed. A container that runs `kubectl delete` itself exits with NotFound for an object "
	 "that does not exist; in an exit handler that runs after a partial run, the handler fails. "
	 "(A resource template's delete needs no --ignore-not-found: Argo's executor adds it, "
	 "workflow/executor/resource.go.)",
	 "delete the StatefulSet's PVCs (pvc/<template>-<sts>-<i>) too; give kubectl delete --ignore-not-found",
	 "resource: {action: delete, flags: [sts/etcd]}\n",
	 "resource: {action: delete, flags: [sts/etcd, pvc/data-etcd-0, pvc/data-etcd-1]}\n",
	 check_exit},
	{"k8s-etcd-loadbalancer", DIAG_WARNING, "a LoadBalancer Service in front of an unauthenticated etcd",
	 "A LoadBalancer Service gets an address outside the cluster (public on most clouds unless marked "
	 "internal). An etcd without client certificate auth then accepts reads, writes and deletes from "
	 "anyone who reaches it.",
	 "use a ClusterIP Service (ranks run in the cluster), an internal load balancer, or etcd TLS client auth",
	 "kind: Service\nspec: {type: LoadBalancer, selector: {app: etcd}}\n",
	 "kind: Service\nspec: {type: ClusterIP, selector: {app: etcd}}\n", check_lb},
	{"k8s-storageclass-immediate", DIAG_WARNING, "a zonal-disk StorageClass with Immediate volume binding",
	 "With Immediate binding the disk is provisioned (in some zone) as soon as the claim exists, before "
	 "the scheduler places the pod; a pod that needs GPUs available only in another zone cannot mount it "
	 "and stays Pending.",
	 "volumeBindingMode: WaitForFirstConsumer",
	 "kind: StorageClass\nprovisioner: pd.csi.storage.gke.io\n",
	 "kind: StorageClass\nprovisioner: pd.csi.storage.gke.io\nvolumeBindingMode: WaitForFirstConsumer\n",
	 check_sc},
};

const size_t rules_k8s_count = sizeof rules_k8s / sizeof rules_k8s[0];
