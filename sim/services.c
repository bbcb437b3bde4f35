/* services.c: Services and StatefulSets the workflow creates (etcd).
 *
 * A LoadBalancer Service gets its external IP after the scenario's
 * latency. A StatefulSet starts its pods one at a time (OrderedReady, the
 * default: pod i+1 is created when pod i is Ready) or all at once
 * (podManagementPolicy: Parallel); each member gets its own claims from
 * volumeClaimTemplates ("data-etcd-0"). An etcd StatefulSet serves once a
 * majority of its members is Ready; torchrun agents that came up before
 * that wait for it (training.c). Deleting a StatefulSet ends its pods. */
#include "sim/world.h"

#include <string.h>
#include <strings.h>

#include "validate/objects.h"

svc *svc_find(world *w, const char *name)
{
	for (size_t i = 0; i < w->svcs.n; i++) {
		svc *s = w->svcs.v[i];
		if (!strcmp(s->name, name) && !s->deleted)
			return s;
	}
	return NULL;
}

static void ip_assigned(sim_engine *e, void *arg, long what)
{
	(void)e;
	world *w = arg;
	svc *s = w->svcs.v[what];
	if (s->deleted)
		return;
	s->ip_at = sim_now(w->e);
	w_trace(w, "service %s: LoadBalancer external IP assigned", s->name);
}

svc *svc_create(world *w, const char *name, const char *type)
{
	svc *s = arena_alloc(w->a, sizeof *s);
	if (!s || vec_push(w->a, &w->svcs, s)) {
		w->oom = 1;
		return NULL;
	}
	s->name = name;
	s->type = type ? type : "ClusterIP";
	s->ip_at = -1;
	s->created_at = sim_now(w->e);
	if (!strcmp(s->type, "LoadBalancer")) {
		double d = w_draw(w, &w->lb_ip);
		w_trace(w, "service %s (LoadBalancer): external IP in %.0f s", name, d);
		sim_after(w->e, d, ip_assigned, w, (long)(w->svcs.n - 1));
	}
	return s;
}

sts *sts_find(world *w, const char *name)
{
	for (size_t i = 0; i < w->stss.n; i++) {
		sts *s = w->stss.v[i];
		if (!strcmp(s->name, name) && !s->deleted)
			return s;
	}
	return NULL;
}

/* Member i: its pod, its claims, submitted to the scheduler. */
static void start_member(world *w, sts *s, int i)
{
	const char *name = arena_printf(w->a, "%s-%d", s->name, i);
	const ynode *spec = yn_get(s->tmpl, "spec");
	const ynode *cs = yn_get(spec, "containers");
	const ynode *c0 = cs && cs->kind == YN_SEQ && cs->n ? cs->item[0] : NULL;
	size_t rec = w_record(w, SIM_REC_POD, name, arena_printf(w->a, "sts/%s", s->name),
			      "StatefulSet pod", 1);
	pod *p = pod_new(w, name, s->is_etcd ? POD_ETCD : POD_GENERIC, NULL, rec);
	if (!p)
		return;
	p->set = s;
	p->ordinal = i;
	pod_fill_from_spec(w, p, c0, spec);
	p->labels = yn_get(yn_get(s->tmpl, "metadata"), "labels");
	p->run_s = -1; /* a server: runs until deleted */
	for (size_t k = 0; s->vcts && s->vcts->kind == YN_SEQ && k < s->vcts->n; k++) {
		const ynode *v = s->vcts->item[k];
		const char *vn = yn_get_str(yn_get(v, "metadata"), "name");
		const ynode *vs = yn_get(v, "spec");
		if (!vn)
			continue;
		const char *modes = NULL;
		const ynode *am = yn_get(vs, "accessModes");
		if (am && am->kind == YN_SEQ && am->n)
			modes = yn_str(am->item[0]);
		pvc *c = sto_claim(w, arena_printf(w->a, "%s-%s", vn, name),
				   yn_get_str(vs, "storageClassName"),
				   !modes || !strcmp(modes, "ReadWriteOnce"));
		sto_size(c, vs);
		if (c)
			vec_push(w->a, &p->pvcs, c);
	}
	vec_push(w->a, &s->pods, p);
	w_trace(w, "statefulset %s: pod %s created", s->name, name);
	pod_submit(w, p);
}

sts *sts_create(world *w, const ynode *m, char *err, size_t errlen)
{
	const char *name = yn_get_str(yn_get(m, "metadata"), "name");
	if (!name) {
		snprintf(err, errlen, "StatefulSet manifest has no metadata.name");
		return NULL;
	}
	if (sts_find(w, name)) {
		snprintf(err, errlen, "statefulsets.apps \"%s\" already exists", name);
		return NULL;
	}
	sts *s = arena_alloc(w->a, sizeof *s);
	if (!s || vec_push(w->a, &w->stss, s)) {
		w->oom = 1;
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	const ynode *spec = yn_get(m, "spec");
	long long r = 1;
	if (yn_get(spec, "replicas") && (yn_int(yn_get(spec, "replicas"), &r) || r < 0 || r > 1000))
		r = 1;
	s->name = name;
	s->replicas = (int)r;
	s->tmpl = yn_get(spec, "template");
	s->vcts = yn_get(spec, "volumeClaimTemplates");
	s->quorum_at = -1;
	const ynode *cs = yn_get(yn_get(s->tmpl, "spec"), "containers");
	s->image = cs && cs->kind == YN_SEQ && cs->n ? yn_get_str(cs->item[0], "image") : NULL;
	s->is_etcd = kimage_is_etcd(s->image);
	const char *policy = yn_get_str(spec, "podManagementPolicy");
	s->parallel = policy && !strcmp(policy, "Parallel");
	for (int i = 0; i < s->replicas && (s->parallel || i == 0); i++)
		start_member(w, s, i);
	return s;
}

void sts_pod_ready(world *w, pod *p)
{
	sts *s = p->set;
	if (!s || s->deleted)
		return;
	s->ready++;
	w_trace(w, "statefulset %s: %s Ready (%d/%d)", s->name, p->name, s->ready, s->replicas);
	if (s->is_etcd && s->quorum_at < 0 && s->ready >= s->replicas / 2 + 1) {
		s->quorum_at = sim_now(w->e);
		w_trace(w, "etcd %s: a majority of members is Ready: it serves", s->name);
		trn_etcd_up(w);
	}
	if (!s->parallel && (int)s->pods.n < s->replicas)
		start_member(w, s, (int)s->pods.n);
}

double etcd_available_at(world *w)
{
	for (size_t i = 0; i < w->stss.n; i++) {
		sts *s = w->stss.v[i];
		if (s->is_etcd && !s->deleted && s->quorum_at >= 0)
			return s->quorum_at;
	}
	return -1;
}

int svc_delete(world *w, const char *kind, const char *name)
{
	if (ktype_is(kind, strlen(kind), "Service")) {
		svc *s = svc_find(w, name);
		if (!s)
			return -1;
		s->deleted = 1;
		s->deleted_at = sim_now(w->e);
		w_trace(w, "service %s deleted", name);
		return 0;
	}
	if (ktype_is(kind, strlen(kind), "StatefulSet")) {
		sts *s = sts_find(w, name);
		if (!s)
			return -1;
		s->deleted = 1;
		for (size_t i = 0; i < s->pods.n; i++)
			pod_kill(w, s->pods.v[i], "deleted with its StatefulSet");
		w_trace(w, "statefulset %s deleted", name);
		return 0;
	}
	return -1;
}
