/* objects.c: manifests and pods of a workflow (see objects.h). */
#include "validate/objects.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "document/quantity.h"
#include "document/torchrun.h"

size_t kobj_list(const wf_doc *d, kobj *out, size_t max)
{
	size_t n = 0;
	for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
		const wf_template *t = &d->spec.templates[ti];
		const wf_resource *r = t->resource;
		if (!r || !r->manifest_parsed)
			continue;
		for (size_t k = 0; k < r->ndocs && n < max; k++) {
			const ynode *root = r->docs[k].root;
			if (!root || root->kind != YN_MAP)
				continue;
			out[n++] = (kobj){d, t, r->action, root, yn_get_str(root, "kind"),
					  yn_get_str(yn_get(root, "metadata"), "name"), r->templated};
		}
	}
	return n;
}

const kobj *kobj_created(const kobj *v, size_t n, const char *kind, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].action && (!strcmp(v[i].action, "create") || !strcmp(v[i].action, "apply")) && v[i].kind &&
		    v[i].name && !strcmp(v[i].kind, kind) && !strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static const ynode *tmpl_spec(const ynode *root)
{
	return yn_get(yn_get(yn_get(root, "spec"), "template"), "spec");
}

const ynode *kobj_pod_spec(const ynode *root)
{
	static const char *const templated[] = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"};
	const char *kind = yn_get_str(root, "kind");
	if (!kind)
		return NULL;
	if (!strcmp(kind, "Pod"))
		return yn_get(root, "spec");
	if (!strcmp(kind, "CronJob"))
		return tmpl_spec(yn_get(yn_get(root, "spec"), "jobTemplate"));
	for (size_t i = 0; i < sizeof templated / sizeof templated[0]; i++)
		if (!strcmp(kind, templated[i]))
			return tmpl_spec(root);
	return NULL;
}

static void add(kpod *p, const ynode *c, const wf_container *w)
{
	if (c && c->kind == YN_MAP && p->nctr < KPOD_MAX_CTR) {
		p->wctr[p->nctr] = w;
		p->ctr[p->nctr++] = c;
	}
}

int kpod_each(const wf_set *s, const kobj *objs, size_t nobjs, const wf_doc *only, kpod_fn fn, void *ctx)
{
	for (size_t di = 0; di < wf_set_count(s); di++) {
		const wf_doc *d = wf_set_doc(s, di);
		if (only && d != only)
			continue;
		for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
			const wf_template *t = &d->spec.templates[ti];
			kpod p = {.doc = d, .tmpl = t, .main_idx = -1, .replicas = 1,
				  .vols = {t->volumes, d->spec.volumes},
				  .node_selector = {t->node_selector, d->spec.node_selector},
				  .tolerations = {t->tolerations, d->spec.tolerations},
				  .affinity = {t->affinity, d->spec.affinity},
				  .labels = yn_get(t->metadata, "labels")};
			if (t->main) {
				p.main_idx = (int)p.nctr;
				add(&p, t->main->node, t->main);
			}
			for (size_t k = 0; k < t->ncontainers; k++)
				add(&p, t->containers[k].node, &t->containers[k]);
			for (size_t k = 0; k < t->nsidecars; k++)
				add(&p, t->sidecars[k].node, &t->sidecars[k]);
			for (size_t k = 0; k < t->ninit; k++)
				add(&p, t->init_containers[k].node, &t->init_containers[k]);
			if (p.nctr) {
				int rc = fn(ctx, &p);
				if (rc)
					return rc;
			}
		}
	}
	for (size_t i = 0; i < nobjs; i++) {
		const kobj *o = &objs[i];
		if (only && o->doc != only)
			continue;
		const ynode *spec = kobj_pod_spec(o->root);
		if (!spec || spec->kind != YN_MAP)
			continue;
		kpod p = {.doc = o->doc, .tmpl = o->tmpl, .obj = o, .spec = spec, .main_idx = -1, .replicas = 1,
			  .vols = {yn_get(spec, "volumes"), NULL},
			  .node_selector = {yn_get(spec, "nodeSelector"), NULL},
			  .tolerations = {yn_get(spec, "tolerations"), NULL},
			  .affinity = {yn_get(spec, "affinity"), NULL}};
		const char *kind = o->kind ? o->kind : "";
		p.labels = !strcmp(kind, "Pod") ? yn_get(yn_get(o->root, "metadata"), "labels")
			   : yn_get(yn_get(yn_get(yn_get(o->root, "spec"), "template"), "metadata"), "labels");
		long long r;
		if (!yn_int(yn_get(yn_get(o->root, "spec"), "replicas"), &r))
			p.replicas = r;
		const ynode *cs = yn_get(spec, "containers");
		for (size_t k = 0; cs && cs->kind == YN_SEQ && k < cs->n; k++)
			add(&p, cs->item[k], NULL);
		cs = yn_get(spec, "initContainers");
		for (size_t k = 0; cs && cs->kind == YN_SEQ && k < cs->n; k++)
			add(&p, cs->item[k], NULL);
		if (p.nctr) {
			int rc = fn(ctx, &p);
			if (rc)
				return rc;
		}
	}
	return 0;
}

const ynode *kpod_volume(const kpod *p, const char *name)
{
	for (int v = 0; v < 2; v++) {
		const ynode *vols = p->vols[v];
		for (size_t i = 0; vols && vols->kind == YN_SEQ && i < vols->n; i++) {
			const char *n = yn_get_str(vols->item[i], "name");
			if (n && !strcmp(n, name))
				return vols->item[i];
		}
	}
	return NULL;
}

double kctr_gpus(const ynode *ctr)
{
	static const char *const keys[] = {"nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915", "gpu.intel.com/xe"};
	const ynode *res = yn_get(ctr, "resources");
	const char *which[] = {"limits", "requests"};
	for (int w = 0; w < 2; w++)
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			const ynode *q = yn_get(yn_get(res, which[w]), keys[k]);
			const char *s = yn_str(q);
			double v;
			if (!s)
				continue;
			if (strstr(s, "{{") || quantity_parse(s, strlen(s), &v))
				return -1;
			return v;
		}
	return 0;
}

int kimage_is(const char *image, const char *base)
{
	if (!image)
		return 0;
	const char *b = strrchr(image, '/');
	b = b ? b + 1 : image;
	size_t n = strcspn(b, ":@");
	return strlen(base) == n && !strncmp(b, base, n);
}

int kimage_is_etcd(const char *image)
{
	static const char *const arch[] = {"etcd-amd64", "etcd-arm64", "etcd-arm", "etcd-ppc64le", "etcd-s390x"};
	if (kimage_is(image, "etcd"))
		return 1;
	for (size_t i = 0; i < sizeof arch / sizeof arch[0]; i++)
		if (kimage_is(image, arch[i]))
			return 1;
	return 0;
}

/* The resource types whose names the rules and the simulator read. */
static const struct ktype {
	const char *kind, *plural, *shortname, *group; /* group "" is the core group */
} ktypes[] = {
	{"Pod", "pods", "po", ""},
	{"Service", "services", "svc", ""},
	{"PersistentVolumeClaim", "persistentvolumeclaims", "pvc", ""},
	{"ConfigMap", "configmaps", "cm", ""},
	{"Secret", "secrets", NULL, ""},
	{"StatefulSet", "statefulsets", "sts", "apps"},
	{"Deployment", "deployments", "deploy", "apps"},
	{"DaemonSet", "daemonsets", "ds", "apps"},
	{"ReplicaSet", "replicasets", "rs", "apps"},
	{"Job", "jobs", NULL, "batch"},
	{"CronJob", "cronjobs", "cj", "batch"},
	{"StorageClass", "storageclasses", "sc", "storage.k8s.io"},
};

static int word_is(const char *s, size_t len, const char *w)
{
	return w && strlen(w) == len && !strncasecmp(s, w, len);
}

/* Does the qualifier after the type word (".apps", ".v1.apps") name group? */
static int qualifier_is(const char *q, size_t len, const char *group)
{
	if (!len)
		return 1;
	if (q[0] != '.' || !*group)
		return 0;
	q++, len--;
	if (word_is(q, len, group))
		return 1;
	const char *dot = memchr(q, '.', len);
	return dot && q[0] == 'v' && word_is(dot + 1, len - (size_t)(dot + 1 - q), group);
}

const char *ktype_kind(const char *type, size_t len)
{
	if (!type)
		return NULL;
	size_t wl = 0;
	while (wl < len && type[wl] != '.')
		wl++;
	for (size_t i = 0; i < sizeof ktypes / sizeof ktypes[0]; i++) {
		const struct ktype *t = &ktypes[i];
		if ((word_is(type, wl, t->kind) || word_is(type, wl, t->plural) || word_is(type, wl, t->shortname)) &&
		    qualifier_is(type + wl, len - wl, t->group))
			return t->kind;
	}
	return NULL;
}

int ktype_is(const char *type, size_t len, const char *kind)
{
	const char *k = ktype_kind(type, len);
	return k && !strcmp(k, kind);
}

int kmanifest_is(const ynode *root, const char *kind)
{
	const char *k = yn_get_str(root, "kind");
	if (!k || strcmp(k, kind))
		return 0;
	const char *av = yn_get_str(root, "apiVersion");
	if (!av || strstr(av, "{{"))
		return 1;
	const char *group = "";
	for (size_t i = 0; i < sizeof ktypes / sizeof ktypes[0]; i++)
		if (!strcmp(ktypes[i].kind, kind))
			group = ktypes[i].group;
	const char *slash = strchr(av, '/');
	size_t gl = slash ? (size_t)(slash - av) : 0;
	return strlen(group) == gl && !strncmp(av, group, gl);
}

const char *kimage_tag(const char *image, char *buf, size_t len)
{
	if (!image || strchr(image, '@'))
		return NULL;
	const char *slash = strrchr(image, '/');
	const char *colon = strrchr(slash ? slash : image, ':');
	const char *tag = colon ? colon + 1 : "latest";
	size_t n = strlen(tag);
	if (len == 0)
		return buf;
	if (n >= len)
		n = len - 1; /* cut as snprintf would */
	memcpy(buf, tag, n);
	buf[n] = 0;
	return buf;
}

/* ------------------------------------------------------------- etcd */

static int is_assign(const char *w)
{
	const char *eq = strchr(w, '=');
	if (!eq || eq == w)
		return 0;
	for (const char *p = w; p < eq; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (p > w && *p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

struct eread {
	arena *a;
	ketcd *e;
	int found;
};

static int etcd_cmd(void *u, const tr_word *w, size_t n, const ynode *script)
{
	struct eread *r = u;
	ketcd *e = r->e;
	size_t i = 0;
	if (n && !strcmp(w[0].s, "export"))
		i = 1;
	size_t p = tr_program_index(w, n);
	/* assignments: PEERS="a=...,b=..." on a line of their own */
	for (size_t k = i; k < (p < n ? p : n); k++)
		if (is_assign(w[k].s) && e->nvars < KETCD_MAX) {
			const char *eq = strchr(w[k].s, '=');
			e->var[e->nvars].name = arena_strndup(r->a, w[k].s, (size_t)(eq - w[k].s));
			e->var[e->nvars++].value = eq + 1;
		}
	if (p >= n || r->found)
		return 0;
	const char *b = strrchr(w[p].s, '/');
	b = b ? b + 1 : w[p].s;
	if (strcmp(b, "etcd"))
		return 0;
	r->found = 1;
	e->at = script ? script : w[p].node;
	e->at_off = w[p].off;
	e->at_len = w[p].len;
	e->script = script;
	for (size_t k = p + 1; k < n && e->nflags < KETCD_MAX; k++) {
		const char *s = w[k].s;
		if (s[0] != '-')
			continue;
		const char *eq = strchr(s, '=');
		const char *name = eq ? arena_strndup(r->a, s, (size_t)(eq - s)) : s;
		const char *val = eq ? eq + 1 : NULL;
		size_t fk = k;
		if (!eq && k + 1 < n && w[k + 1].s[0] != '-')
			val = w[++k].s;
		if (!name)
			return -1;
		e->flag[e->nflags] = (struct ketcd_opt){.name = name, .value = val, .node = w[fk].node,
							    .off = w[fk].off, .len = w[fk].len};
		if (val && eq) {
			/* the '=' in the raw bytes: flag names are not quoted in practice */
			const char *raw = w[fk].node->str + w[fk].off;
			const char *req = memchr(raw, '=', w[fk].len);
			size_t at = req ? (size_t)(req - raw) + 1 : w[fk].len;
			e->flag[e->nflags].vnode = w[fk].node;
			e->flag[e->nflags].voff = w[fk].off + at;
			e->flag[e->nflags].vlen = w[fk].len - at;
		} else if (val) {
			e->flag[e->nflags].vnode = w[k].node;
			e->flag[e->nflags].voff = w[k].off;
			e->flag[e->nflags].vlen = w[k].len;
		}
		e->nflags++;
	}
	return 0;
}

int ketcd_read(arena *a, const ynode *ctr, ketcd *e)
{
	memset(e, 0, sizeof *e);
	e->ctr = ctr;
	const ynode *argv[256];
	size_t n = 0;
	const ynode *seqs[2] = {yn_get(ctr, "command"), yn_get(ctr, "args")};
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; seqs[s] && seqs[s]->kind == YN_SEQ && i < seqs[s]->n && n < 256; i++)
			argv[n++] = seqs[s]->item[i];
	struct eread r = {a, e, 0};
	if (tr_each_command(a, argv, n, etcd_cmd, &r) < 0)
		return -1;
	if (!r.found && kimage_is_etcd(yn_get_str(ctr, "image")) && !n) {
		/* the image's entrypoint is etcd: configuration by env only */
		r.found = 1;
		e->at = ctr;
	}
	const ynode *env = yn_get(ctr, "env");
	for (size_t i = 0; env && env->kind == YN_SEQ && i < env->n && e->nvars < KETCD_MAX; i++) {
		const char *en = yn_get_str(env->item[i], "name");
		const char *ev = yn_get_str(env->item[i], "value");
		const char *fp = yn_get_str(yn_get(yn_get(env->item[i], "valueFrom"), "fieldRef"), "fieldPath");
		if (!en)
			continue;
		if (!ev && fp && !strcmp(fp, "metadata.name"))
			ev = "$HOSTNAME";
		if (ev) {
			e->var[e->nvars].name = en;
			e->var[e->nvars++].value = ev;
		}
	}
	return r.found;
}

long ketcd_flag_index(const ketcd *e, const char *name)
{
	for (size_t i = e->nflags; i-- > 0;)
		if (!strcmp(e->flag[i].name, name))
			return (long)i;
	return -1;
}

const char *ketcd_flag_at(const ketcd *e, const char *name, const ynode **node, size_t *off, size_t *len)
{
	long i = ketcd_flag_index(e, name);
	if (i < 0)
		return NULL;
	if (node)
		*node = e->flag[i].node;
	if (off)
		*off = e->flag[i].off, *len = e->flag[i].len;
	return e->flag[i].value;
}

static const char *var_of(const ketcd *e, const char *name, size_t nl, const char *hostname)
{
	if (nl == 8 && !strncmp(name, "HOSTNAME", 8))
		return hostname;
	for (size_t i = e->nvars; i-- > 0;)
		if (strlen(e->var[i].name) == nl && !strncmp(e->var[i].name, name, nl))
			return e->var[i].value;
	return NULL;
}

const char *ketcd_var(const ketcd *e, const char *name, size_t len)
{
	return var_of(e, name, len, NULL);
}

static const char *expand(arena *a, const ketcd *e, const char *s, const char *hostname, int depth)
{
	if (!s || !strchr(s, '$') || depth > 4)
		return s;
	size_t cap = strlen(s) + 1;
	char *out = NULL;
	size_t n = 0;
	for (const char *p = s; *p;) {
		const char *val = NULL;
		const char *end = p + 1;
		if (*p == '$') {
			const char *nb = p + 1, *ne;
			if (*nb == '{' || *nb == '(') {
				ne = strchr(nb, *nb == '{' ? '}' : ')');
				if (ne) {
					val = var_of(e, nb + 1, (size_t)(ne - nb - 1), hostname);
					end = ne + 1;
				}
			} else {
				for (ne = nb; *ne == '_' || (*ne >= 'A' && *ne <= 'Z') || (*ne >= 'a' && *ne <= 'z') ||
					      (*ne >= '0' && *ne <= '9');
				     ne++)
					;
				if (ne > nb) {
					val = var_of(e, nb, (size_t)(ne - nb), hostname);
					end = ne;
				}
			}
			if (val)
				val = expand(a, e, val, hostname, depth + 1);
		}
		const char *piece = val ? val : p;
		size_t pl = val ? strlen(val) : (size_t)(val ? 0 : (end - p));
		if (!val) {
			end = p + 1;
			pl = 1;
		}
		if (!out || n + pl + 1 > cap) {
			cap = (n + pl + 1) * 2;
			char *t = arena_alloc(a, cap);
			if (!t)
				return NULL;
			if (out)
				memcpy(t, out, n);
			out = t;
		}
		memcpy(out + n, piece, pl);
		n += pl;
		out[n] = 0;
		p = end;
	}
	return out ? out : s;
}

const char *ketcd_expand(arena *a, const ketcd *e, const char *s, const char *hostname)
{
	return expand(a, e, s, hostname, 0);
}

const ynode *kpos(const wf_set *s, const ynode *n, size_t off, size_t len, ynode *out)
{
	if (!n || n->kind != YN_SCALAR || n->style != YN_LITERAL || off + len > n->len || !len)
		return n;
	/* content line k of a literal block is source line node->line + 1 + k */
	unsigned k = 0;
	size_t bol = 0;
	for (size_t i = 0; i < off; i++)
		if (n->str[i] == '\n')
			k++, bol = i + 1;
	if (memchr(n->str + off, '\n', len))
		return n;
	size_t sl;
	const char *src = wf_set_line(s, n->file, n->line + 1 + k, &sl);
	if (!src)
		return n;
	/* the block's indentation: where this content line starts in the source */
	size_t ind = 0;
	while (ind < sl && src[ind] == ' ')
		ind++;
	/* lines indented deeper than the block keep their extra spaces in str */
	size_t extra = 0;
	while (bol + extra < off && n->str[bol + extra] == ' ')
		extra++;
	if (ind < extra)
		return n;
	size_t col = ind - extra + (off - bol);
	if (col + len > sl || memcmp(src + col, n->str + off, len))
		return n; /* not where we thought: keep the scalar's own position */
	*out = *n;
	out->line = out->end_line = n->line + 1 + k;
	out->col = (unsigned)col + 1;
	out->end_col = (unsigned)(col + len);
	return out;
}
