/* rules_security.c: security-* -- what a workflow's pods may do to the
 * node and the cluster, and what they need to be allowed to do.
 *
 * kube-linter, kube-score and Polaris check Deployments; they cannot see
 * the pods inside Argo templates and resource manifests. These rules run
 * on every pod rehearse knows (validate/objects.h), within the pod rules'
 * own walk (rules_pod.c calls security_pod), so they cost no extra pass.
 * A fine-tune legitimately needs some of this (NCCL across the pods of a
 * node shares memory through the host's IPC namespace), so severities are
 * warnings, and a note where the need is common. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "validate/families.h"
#include "validate/objects.h"

static int is_true(const ynode *n)
{
	int b = 0;
	return n && !yn_bool(n, &b) && b;
}

static const char *ctr_name(const ynode *ctr)
{
	const char *n = yn_get_str(ctr, "name");
	return n ? n : "main";
}

/* Does env var `name` look like it holds a credential? */
static int secret_name(const char *name)
{
	static const char *const words[] = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY",
					    "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL"};
	char up[128];
	size_t n = 0;
	for (; name[n] && n + 1 < sizeof up; n++)
		up[n] = (char)toupper((unsigned char)name[n]);
	up[n] = 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strstr(up, words[i]))
			return 1;
	return 0;
}

static void containers(lint_ctx *c, const kpod *p)
{
	for (size_t k = 0; k < p->nctr; k++) {
		const ynode *ctr = p->ctr[k];
		const ynode *sc = yn_get(ctr, "securityContext");
		if (is_true(yn_get(sc, "privileged")))
			lint_report(c, "security-privileged", yn_get(sc, "privileged"), NULL,
				    "container '%s' runs privileged: it has every device and capability of the node, "
				    "and a compromise of it is a compromise of the node (GPUs need no privilege: the "
				    "device plugin mounts them)", ctr_name(ctr));
		if (is_true(yn_get(sc, "allowPrivilegeEscalation")))
			lint_report(c, "security-privileged", yn_get(sc, "allowPrivilegeEscalation"), NULL,
				    "container '%s' allows privilege escalation: a setuid binary in the image can "
				    "gain more than the container was given", ctr_name(ctr));
		long long uid = -1;
		if (!yn_int(yn_get(sc, "runAsUser"), &uid) && uid == 0)
			lint_report(c, "security-run-as-root", yn_get(sc, "runAsUser"), NULL,
				    "container '%s' runs as root (runAsUser: 0): files it writes to shared volumes "
				    "are root's, and an escape from it starts as root", ctr_name(ctr));
		const ynode *env = yn_get(ctr, "env");
		for (size_t i = 0; env && env->kind == YN_SEQ && i < env->n; i++) {
			const char *name = yn_get_str(env->item[i], "name");
			const ynode *v = yn_get(env->item[i], "value");
			const char *vs = yn_str(v);
			if (name && vs && *vs && !strstr(vs, "{{") && secret_name(name))
				lint_report(c, "security-secret-in-env", v, NULL,
					    "env %s of container '%s' holds its value in the workflow: anyone who can "
					    "read the workflow (or `kubectl get pod -o yaml`) reads it", name, ctr_name(ctr));
		}
	}
}

/* Pod-level: host namespaces and host paths. */
static void pod_level(lint_ctx *c, const kpod *p)
{
	const ynode *spec = p->spec;
	if (spec) {
		static const char *const ns[] = {"hostNetwork", "hostPID"};
		for (size_t i = 0; i < 2; i++)
			if (is_true(yn_get(spec, ns[i])))
				lint_report(c, "security-host-namespace", yn_get(spec, ns[i]), NULL,
					    "pod of %s '%s' uses the node's %s: it sees and can reach what the "
					    "node's other pods and daemons run", p->obj && p->obj->kind ? p->obj->kind : "object",
					    p->obj && p->obj->name ? p->obj->name : "?", i ? "process namespace" : "network");
		if (is_true(yn_get(spec, "hostIPC")))
			lint_report(c, "security-host-ipc", yn_get(spec, "hostIPC"), NULL,
				    "pod of %s '%s' shares the node's IPC namespace (NCCL uses it for shared memory "
				    "between pods of one node; it also lets them read each other's shared memory)",
				    p->obj && p->obj->kind ? p->obj->kind : "object", p->obj && p->obj->name ? p->obj->name : "?");
	}
	for (size_t s = 0; s < 2; s++) {
		const ynode *vols = p->vols[s];
		for (size_t i = 0; vols && vols->kind == YN_SEQ && i < vols->n; i++) {
			const ynode *hp = yn_get(vols->item[i], "hostPath");
			if (!hp)
				continue;
			const char *path = yn_get_str(hp, "path");
			lint_report(c, "security-host-path", yn_get_key(vols->item[i], "hostPath"), NULL,
				    "volume '%s' mounts the node's %s: what the pod writes there outlives it and "
				    "reaches the node's other pods%s", yn_get_str(vols->item[i], "name") ?
				    yn_get_str(vols->item[i], "name") : "?", path ? path : "directory",
				    path && !strcmp(path, "/dev/shm") ? " (an emptyDir with medium: Memory gives /dev/shm "
									"without it)" : "");
		}
		if (p->vols[0] == p->vols[1])
			break;
	}
}

int security_pod(lint_ctx *c, const struct kpod *p)
{
	containers(c, p);
	pod_level(c, p);
	return 0;
}

/* ------------------------------------------- Kubernetes API, RBAC needed */

/* The verbs a resource template's action needs (Argo's executor runs
 * kubectl ACTION, and reads the object back for its conditions/outputs). */
static const char *verbs(const wf_resource *r)
{
	const char *a = r->action ? r->action : "";
	int reads = r->success || r->failure;
	if (!strcmp(a, "apply"))
		return "get, create, patch";
	if (!strcmp(a, "create"))
		return reads ? "create, get" : "create";
	if (!strcmp(a, "delete"))
		return "delete";
	if (!strcmp(a, "patch"))
		return "get, patch";
	if (!strcmp(a, "replace"))
		return "get, update";
	return "get";
}

/* Is item one of the "; "-separated items of list? */
static int has_item(const char *list, const char *item)
{
	size_t len = strlen(item);
	for (const char *p = list; (p = strstr(p, item)) != NULL; p++)
		if ((p == list || (p >= list + 2 && p[-2] == ';' && p[-1] == ' ')) &&
		    (p[len] == 0 || p[len] == ';'))
			return 1;
	return 0;
}

/* One finding per workflow: every step that calls the API without a
 * ServiceAccount, and what its Role must grant, together, each grant
 * once however many steps need it. */
static void check_sa(lint_ctx *c)
{
	const wf_set *s = lint_set(c);
	for (size_t di = 0; di < wf_set_count(s); di++) {
		const wf_doc *d = wf_set_doc(s, di);
		if (d->spec.service_account || d->spec.workflow_template_ref)
			continue;
		char need[1024] = "";
		size_t o = 0, n = 0;
		const ynode *first = NULL;
		for (size_t ti = 0; ti < d->spec.ntemplates && o < sizeof need; ti++) {
			const wf_template *t = &d->spec.templates[ti];
			if (t->service_account || yn_get(yn_get(t->node, "executor"), "serviceAccountName"))
				continue;
			const wf_resource *r = t->resource;
			const wf_container *m = t->main;
			const char *img = m ? m->image : NULL;
			if (r) {
				const char *kind = r->ndocs ? yn_get_str(r->docs[0].root, "kind") : NULL;
				char item[256];
				snprintf(item, sizeof item, "%s %s", verbs(r), kind ? kind : "(the kinds its flags name)");
				if (!has_item(need, item))
					o += (size_t)snprintf(need + o, sizeof need - o, "%s%s", o ? "; " : "", item);
				first = first ? first : yn_get_key(t->node, "resource");
				n++;
			} else if (img && (kimage_is(img, "kubectl") || kimage_is(img, "k8s"))) {
				o += (size_t)snprintf(need + o, sizeof need - o, "%swhat kubectl in '%s' does",
						      o ? "; " : "", t->name ? t->name : "?");
				first = first ? first : m->image_node;
				n++;
			}
		}
		if (first)
			lint_report(c, "security-default-sa", first, NULL,
				    "%zu step%s call%s the Kubernetes API as the namespace's default ServiceAccount (no "
				    "rights unless granted to every pod there); a Role for spec.serviceAccountName "
				    "needs: %s", n, n == 1 ? "" : "s", n == 1 ? "s" : "",
				    need);
	}
}

/* ------------------------------------- automountServiceAccountToken: false */

/* A value of template t, else of spec.templateDefaults, else of the spec:
 * the order in which Argo's controller settles it. */
static const ynode *settled(const wf_doc *d, const wf_template *t, const char *key)
{
	const ynode *v = yn_get(t->node, key);
	if (!v)
		v = yn_get(yn_get(d->spec.node, "templateDefaults"), key);
	return v ? v : yn_get(d->spec.node, key);
}

/* automountServiceAccountToken: false leaves the pod without the token
 * Argo's executor (init and wait containers) talks to the API with; the
 * controller then wants executor.serviceAccountName, whose token it mounts
 * instead, and refuses to create the pod without one
 * (workflow/controller/workflowpod.go, setupServiceAccount). */
static void check_automount(lint_ctx *c)
{
	const wf_set *s = lint_set(c);
	for (size_t di = 0; di < wf_set_count(s); di++) {
		const wf_doc *d = wf_set_doc(s, di);
		for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
			const wf_template *t = &d->spec.templates[ti];
			if (t->kind != TK_CONTAINER && t->kind != TK_SCRIPT && t->kind != TK_CONTAINERSET &&
			    t->kind != TK_RESOURCE && t->kind != TK_DATA)
				continue; /* no pod of its own */
			const ynode *am = settled(d, t, "automountServiceAccountToken");
			int b = 1;
			if (!am || yn_bool(am, &b) || b)
				continue;
			const ynode *from[] = {t->node, yn_get(d->spec.node, "templateDefaults"), d->spec.node};
			const char *esa = NULL;
			for (size_t i = 0; i < 3 && !(esa && *esa); i++)
				esa = yn_get_str(yn_get(from[i], "executor"), "serviceAccountName");
			if (esa && *esa)
				continue;
			/* inherited: said on the template, whose pod is the one refused */
			int own = am == yn_get(t->node, "automountServiceAccountToken");
			const ynode *at = own ? am : yn_get(t->node, "name") ? yn_get(t->node, "name") : t->node;
			char from_line[64] = "";
			if (!own)
				snprintf(from_line, sizeof from_line, " (inherited from line %u)", am->line);
			lint_report(c, "security-automount-token", at,
				    "set executor.serviceAccountName (on the template or the spec) to an account for Argo's executor",
				    "template '%s' runs with automountServiceAccountToken: false%s and no "
				    "executor.serviceAccountName: Argo's executor needs a token to report the step, and "
				    "the controller refuses to create the pod", t->name ? t->name : "?", from_line);
		}
	}
}

const rule rules_security[] = {
	{"security-privileged", DIAG_WARNING, "a privileged container, or one that may escalate privileges",
	 "A privileged container has all of the node's devices and capabilities; allowPrivilegeEscalation "
	 "lets a setuid binary gain more than the container was given. A training job needs neither: the "
	 "GPU device plugin mounts the GPUs, and /dev/shm is an emptyDir.",
	 "drop privileged and set allowPrivilegeEscalation: false",
	 "securityContext: {privileged: true}\n", "securityContext: {allowPrivilegeEscalation: false}\n", NULL},
	{"security-run-as-root", DIAG_WARNING, "a container that runs as root (runAsUser: 0)",
	 "Root in a container is root on the node after an escape, and owns what it writes to shared "
	 "volumes (checkpoints other ranks and jobs then cannot overwrite).",
	 "run as a non-root user (runAsUser: 1000, runAsNonRoot: true)",
	 "securityContext: {runAsUser: 0}\n", "securityContext: {runAsUser: 1000, runAsNonRoot: true}\n", NULL},
	{"security-host-namespace", DIAG_WARNING, "a pod in the node's network or process namespace",
	 "hostNetwork and hostPID put the pod in the node's namespaces: it sees the node's other pods' "
	 "traffic or processes and can reach its daemons. NCCL does not need them (pod networking works; "
	 "for RDMA, a device plugin gives the NIC).",
	 "drop hostNetwork/hostPID", "spec: {hostNetwork: true}\n", "spec: {}\n", NULL},
	{"security-host-ipc", DIAG_NOTE, "a pod in the node's IPC namespace",
	 "hostIPC lets pods of one node share memory, which NCCL can use between them; it also lets any "
	 "pod on the node read that memory. A note, not a warning: multi-pod-per-node training uses it.",
	 "prefer one pod per node with all its GPUs, which needs no hostIPC",
	 "spec: {hostIPC: true}\n", "spec: {}\n", NULL},
	{"security-host-path", DIAG_WARNING, "a hostPath volume",
	 "A hostPath volume writes to the node's own filesystem: the data outlives the pod, other pods "
	 "of the node can read it, and a path such as / or /var/run exposes the node.",
	 "use an emptyDir (medium: Memory for /dev/shm) or a PVC",
	 "volumes:\n- {name: shm, hostPath: {path: /dev/shm}}\n",
	 "volumes:\n- {name: shm, emptyDir: {medium: Memory}}\n", NULL},
	{"security-secret-in-env", DIAG_WARNING, "a credential written into the workflow as an env value",
	 "An env value in the workflow is stored in the Workflow object and shown by kubectl, the Argo "
	 "UI and logs of the controller; a token or password there is readable by anyone who can read "
	 "workflows.",
	 "put it in a Secret and use valueFrom.secretKeyRef",
	 "env:\n- {name: HF_TOKEN, value: hf_abc123}\n",
	 "env:\n- name: HF_TOKEN\n  valueFrom: {secretKeyRef: {name: hf, key: token}}\n", NULL},
	{"security-default-sa", DIAG_WARNING, "a step that calls the Kubernetes API as the default ServiceAccount",
	 "Resource templates (Argo's executor runs kubectl for them) and containers that run kubectl act "
	 "with the pod's ServiceAccount. Without serviceAccountName that is the namespace's default one, "
	 "which has no rights by default: the step fails with Forbidden, or works only because someone "
	 "granted every pod of the namespace those rights. The message names the verbs and kinds the "
	 "step needs, for the Role.",
	 "set spec.serviceAccountName (or the template's) to an account whose Role grants those verbs",
	 "spec:\n  templates:\n  - name: etcd\n    resource: {action: apply, manifest: ...}\n",
	 "spec:\n  serviceAccountName: workflow-etcd\n  templates:\n  - name: etcd\n    resource: {action: apply, manifest: ...}\n",
	 check_sa},
	{"security-automount-token", DIAG_ERROR, "automountServiceAccountToken: false without an executor ServiceAccount",
	 "Turning off the pod's ServiceAccount token is good hygiene for a step that does not call the "
	 "API, but Argo's executor containers in the same pod report the step with a token: with "
	 "automountServiceAccountToken: false the controller wants executor.serviceAccountName (whose "
	 "token it mounts for them) and refuses to create the pod without it.",
	 "set executor.serviceAccountName on the template or the spec",
	 "spec:\n  automountServiceAccountToken: false\n",
	 "spec:\n  automountServiceAccountToken: false\n  executor: {serviceAccountName: argo-executor}\n",
	 check_automount},
};

const size_t rules_security_count = sizeof rules_security / sizeof rules_security[0];
