/* workflow.c: load files into a wf_set, and build the IR of each Argo
 * document from its ynode tree.
 *
 * The loader is deliberately forgiving: it reads what is there, leaves
 * absent fields NULL, and reports only what stops it from building the IR
 * (YAML syntax, a document that is not a mapping, a list where a mapping
 * must be). Judging the workflow is validate/'s job. */
#include "document/workflow.h"
#include "document/grow.h"
#include "document/readfile.h"

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct source {
	const char *file;
	const char *text;
	size_t len;
	size_t *line_off; /* byte offset of each line start */
	size_t nlines;
};

struct wf_set {
	arena *a;
	wf_doc **docs;
	size_t ndocs, docs_cap;
	yn_doc **raw;
	size_t nraw, raw_cap;
	struct source *src;
	size_t nsrc, src_cap;
};

wf_set *wf_set_new(void)
{
	wf_set *s = calloc(1, sizeof *s);
	if (s && !(s->a = arena_new())) {
		free(s);
		return NULL;
	}
	return s;
}

void wf_set_free(wf_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nsrc; i++)
		free(s->src[i].line_off);
	free(s->src);
	free(s->docs);
	free(s->raw);
	arena_free(s->a);
	free(s);
}

arena *wf_set_arena(wf_set *s) { return s->a; }
size_t wf_set_count(const wf_set *s) { return s->ndocs; }
const wf_doc *wf_set_doc(const wf_set *s, size_t i) { return i < s->ndocs ? s->docs[i] : NULL; }
size_t wf_set_raw_count(const wf_set *s) { return s->nraw; }
yn_doc *wf_set_raw(const wf_set *s, size_t i) { return i < s->nraw ? s->raw[i] : NULL; }

static int push(void ***v, size_t *n, size_t *cap, void *x)
{
	if (GROW(*v, *n, *cap, 16))
		return -1;
	(*v)[(*n)++] = x;
	return 0;
}

static const struct source *find_source(const wf_set *s, const char *file)
{
	for (size_t i = s->nsrc; i-- > 0;)
		if (s->src[i].file == file || !strcmp(s->src[i].file, file))
			return &s->src[i];
	return NULL;
}

const char *wf_set_source(const wf_set *s, const char *file, size_t *len)
{
	const struct source *src = find_source(s, file);
	if (!src)
		return NULL;
	if (len)
		*len = src->len;
	return src->text;
}

/* Where each line of src starts. Built on first use: most files lint clean
 * and never print a line. The index is a cache, so a const set may fill it. */
static int lines_of(const struct source *c)
{
	struct source *src = (struct source *)c;
	if (src->line_off)
		return 0;
	size_t nl = 1;
	for (const char *p = src->text, *e = src->text + src->len; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		nl++;
	if (!(src->line_off = malloc(nl * sizeof *src->line_off)))
		return -1;
	src->line_off[0] = 0;
	src->nlines = 1;
	for (const char *p = src->text, *e = src->text + src->len; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		src->line_off[src->nlines++] = (size_t)(p - src->text) + 1;
	return 0;
}

const char *wf_set_line(const wf_set *s, const char *file, unsigned line, size_t *len)
{
	const struct source *src = find_source(s, file);
	if (!src || lines_of(src) || line == 0 || line > src->nlines)
		return NULL;
	size_t b = src->line_off[line - 1];
	size_t e = b;
	while (e < src->len && src->text[e] != '\n' && src->text[e] != '\r')
		e++;
	*len = e - b;
	return src->text + b;
}

const char *wf_tmpl_kind_name(wf_tmpl_kind k)
{
	static const char *const names[] = {
		[TK_NONE] = "none", [TK_CONTAINER] = "container", [TK_SCRIPT] = "script",
		[TK_RESOURCE] = "resource", [TK_DAG] = "dag", [TK_STEPS] = "steps",
		[TK_SUSPEND] = "suspend", [TK_CONTAINERSET] = "containerSet", [TK_HTTP] = "http",
		[TK_DATA] = "data", [TK_PLUGIN] = "plugin",
	};
	return names[k];
}

const char *wf_kind_name(wf_kind k)
{
	static const char *const names[] = {
		[WF_WORKFLOW] = "Workflow", [WF_WORKFLOW_TEMPLATE] = "WorkflowTemplate",
		[WF_CLUSTER_WORKFLOW_TEMPLATE] = "ClusterWorkflowTemplate", [WF_CRON_WORKFLOW] = "CronWorkflow",
	};
	return names[k];
}

const char *wf_expr_rest(const char *s, size_t len, const char *prefix, size_t *rest_len)
{
	size_t pl = strlen(prefix);
	if (len < pl || memcmp(s, prefix, pl))
		return NULL;
	*rest_len = len - pl;
	return s + pl;
}

/* The later of two templates of one name wins it (wf_set_join puts the
 * workflow's own after its WorkflowTemplate's). */
const wf_template *wf_find_template(const wf_doc *doc, const char *name)
{
	const wf_spec *s = &doc->spec;
	if (!name)
		return NULL;
	if (!s->by_name) {
		for (size_t i = s->ntemplates; i-- > 0;)
			if (s->templates[i].name && !strcmp(s->templates[i].name, name))
				return &s->templates[i];
		return NULL;
	}
	long i = wf_name_find(s->by_name, s->nnamed, s->templates, sizeof *s->templates,
			      offsetof(wf_template, name), name, strlen(name), 1);
	return i >= 0 ? &s->templates[i] : NULL;
}

/* s->by_name, so that a workflow of n templates that calls each of them
 * (lint, simulate) looks each up in log n, not n: a DAG of 10,000 tasks
 * with a template each made 10^8 string compares. */
static void index_templates(arena *a, wf_spec *s)
{
	size_t *ix = arena_alloc(a, (s->ntemplates + 1) * sizeof *ix);
	if (!ix)
		return; /* wf_find_template searches */
	size_t n = wf_name_sort(ix, s->templates, s->ntemplates, sizeof *s->templates,
				offsetof(wf_template, name));
	if (n == (size_t)-1)
		return;
	s->by_name = ix;
	s->nnamed = n;
}

typedef struct named {
	const char *name;
	size_t i;
} named;

static int named_cmp(const void *x, const void *y)
{
	const named *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* memcmp order of name[0..len) against the string b */
static int name_cmp(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

long wf_name_find(const size_t *ix, size_t n, const void *base, size_t stride, size_t name_off,
		  const char *name, size_t len, int last)
{
#define NAME_AT(k) (*(const char *const *)((const char *)base + ix[k] * stride + name_off))
	size_t lo = 0, hi = n;
	while (lo < hi) { /* the first name above (last) or not below (first) */
		size_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(name, len, NAME_AT(mid));
		if (c > 0 || (last && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t at = last ? lo - 1 : lo;
	if ((last && !lo) || at >= n || name_cmp(name, len, NAME_AT(at)))
		return -1;
	return (long)ix[at];
#undef NAME_AT
}

size_t wf_name_sort(size_t *ix, const void *base, size_t count, size_t stride, size_t name_off)
{
	named *v = malloc((count + 1) * sizeof *v);
	if (!v)
		return (size_t)-1;
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		const char *name = *(const char *const *)((const char *)base + i * stride + name_off);
		if (name)
			v[n].name = name, v[n++].i = i;
	}
	qsort(v, n, sizeof *v, named_cmp);
	for (size_t k = 0; k < n; k++)
		ix[k] = v[k].i;
	free(v);
	return n;
}

/* ------------------------------------------------------------ references */

const wf_doc *wf_set_template_doc(const wf_set *s, const char *name, int cluster)
{
	for (size_t i = 0; name && i < s->ndocs; i++) {
		const wf_doc *o = s->docs[i];
		if (o->kind == (cluster ? WF_CLUSTER_WORKFLOW_TEMPLATE : WF_WORKFLOW_TEMPLATE) && o->name &&
		    !strcmp(o->name, name))
			return o;
	}
	return NULL;
}

const wf_template *wf_set_template_ref(const wf_set *s, const ynode *ref, const wf_doc **owner)
{
	int cluster = 0;
	(void)yn_bool(yn_get(ref, "clusterScope"), &cluster);
	const char *tn = yn_get_str(ref, "template");
	const wf_doc *o = wf_set_template_doc(s, yn_get_str(ref, "name"), cluster);
	const wf_template *t = o && tn ? wf_find_template(o, tn) : NULL;
	if (owner)
		*owner = t ? o : NULL;
	return t;
}

/* Parameters of `over` replace those of `base` with the same name; the
 * others are kept, base's first (Argo's merge of a Workflow's arguments
 * into its WorkflowTemplate's). */
static int join_io(arena *a, const wf_io *base, const wf_io *over, wf_io *out)
{
	*out = over->node ? *over : *base;
	size_t n = base->nparams + over->nparams, k = 0;
	wf_param *p = arena_alloc(a, (n ? n : 1) * sizeof *p);
	if (!p)
		return -1;
	for (size_t i = 0; i < base->nparams; i++) {
		const wf_param *b = &base->params[i], *o = NULL;
		for (size_t j = 0; b->name && j < over->nparams; j++)
			if (over->params[j].name && !strcmp(over->params[j].name, b->name))
				o = &over->params[j];
		p[k++] = o ? *o : *b;
	}
	for (size_t j = 0; j < over->nparams; j++) {
		int dup = 0;
		for (size_t i = 0; over->params[j].name && i < base->nparams; i++)
			dup |= base->params[i].name && !strcmp(base->params[i].name, over->params[j].name);
		if (!dup)
			p[k++] = over->params[j];
	}
	out->params = p;
	out->nparams = k;
	if (!over->narts) {
		out->arts = base->arts;
		out->narts = base->narts;
	}
	return 0;
}

const wf_doc *wf_set_join(wf_set *s, const wf_doc *d, char *err, size_t errlen)
{
	const ynode *ref = d->spec.workflow_template_ref;
	if (!ref)
		return d;
	int cluster = 0;
	(void)yn_bool(yn_get(ref, "clusterScope"), &cluster);
	const char *name = yn_get_str(ref, "name");
	const wf_doc *t = wf_set_template_doc(s, name, cluster);
	if (!t) {
		snprintf(err, errlen, "%s:%u:%u: workflowTemplateRef names %s '%s', which no file given holds: "
			 "give its file after the workflow's", d->file, ref->line, ref->col,
			 cluster ? "ClusterWorkflowTemplate" : "WorkflowTemplate", name ? name : "");
		return NULL;
	}
	wf_doc *j = arena_alloc(s->a, sizeof *j);
	const wf_spec *w = &d->spec, *b = &t->spec;
	size_t nt = b->ntemplates + w->ntemplates;
	wf_template *tm = arena_alloc(s->a, (nt ? nt : 1) * sizeof *tm);
	if (!j || !tm || join_io(s->a, &b->arguments, &w->arguments, &j->spec.arguments)) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	wf_io args = j->spec.arguments;
	*j = *d;
	wf_spec *o = &j->spec;
	o->arguments = args;
	/* the WorkflowTemplate's templates, then the Workflow's own: the later
	 * wins a name (wf_find_template) */
	if (b->ntemplates)
		memcpy(tm, b->templates, b->ntemplates * sizeof *tm);
	if (w->ntemplates)
		memcpy(tm + b->ntemplates, w->templates, w->ntemplates * sizeof *tm);
	o->templates = tm;
	o->ntemplates = nt;
	o->by_name = NULL;
	index_templates(s->a, o);
	if (!w->entrypoint) {
		o->entrypoint = b->entrypoint;
		o->entrypoint_node = b->entrypoint_node;
	}
	if (!w->on_exit) {
		o->on_exit = b->on_exit;
		o->on_exit_node = b->on_exit_node;
	}
#define JOIN(f) o->f = w->f ? w->f : b->f
	JOIN(volumes);
	JOIN(volume_claim_templates);
	JOIN(active_deadline);
	JOIN(service_account);
	JOIN(pod_gc);
	JOIN(ttl);
	JOIN(node_selector);
	JOIN(tolerations);
	JOIN(affinity);
	JOIN(parallelism);
	JOIN(hooks);
	JOIN(retry);
	JOIN(pod_spec_patch);
	JOIN(templates_node);
#undef JOIN
	o->workflow_template_ref = NULL;
	j->joined_from = t;
	return j;
}

/* ------------------------------------------------------------ IR builder */

struct ctx {
	wf_set *set;
	diag_list *d;
	const struct source *src;
	int oom;
};

static void *alloc_n(struct ctx *c, size_t n, size_t size)
{
	void *p = arena_alloc(c->set->a, (n ? n : 1) * size);
	if (!p)
		c->oom = 1;
	return p;
}

/* A field the IR must read as a mapping or a list. */
static const ynode *want(struct ctx *c, const ynode *map, const char *key, yn_kind kind)
{
	const ynode *v = yn_get(map, key);
	if (!v || yn_is_null(v))
		return NULL;
	if (v->kind != kind) {
		static const char *const kn[] = {"a scalar", "a mapping", "a list"};
		yn_diag(c->d, v, DIAG_ERROR, "yaml-structure",
			kind == YN_SEQ ? "write it as a YAML list (\"- item\" lines)" : "write it as a YAML mapping (key: value)",
			"'%s' must be %s, not %s", key, kn[kind], kn[v->kind]);
		return NULL;
	}
	return v;
}

static void build_io(struct ctx *c, const ynode *map, const char *key, wf_io *io)
{
	memset(io, 0, sizeof *io);
	const ynode *n = want(c, map, key, YN_MAP);
	if (!n)
		return;
	io->node = n;
	io->result = yn_get(n, "result");
	io->exit_code = yn_get(n, "exitCode");
	const ynode *ps = want(c, n, "parameters", YN_SEQ);
	if (ps) {
		io->params = alloc_n(c, ps->n, sizeof *io->params);
		for (size_t i = 0; io->params && i < ps->n; i++) {
			const ynode *p = ps->item[i];
			if (p->kind != YN_MAP)
				continue;
			io->params[io->nparams++] = (wf_param){
				.name = yn_get_str(p, "name"), .node = p, .value = yn_get(p, "value"),
				.dflt = yn_get(p, "default"), .value_from = yn_get(p, "valueFrom"),
				.enum_ = yn_get(p, "enum"), .global_name = yn_get(p, "globalName"),
			};
		}
	}
	const ynode *as = want(c, n, "artifacts", YN_SEQ);
	if (as) {
		io->arts = alloc_n(c, as->n, sizeof *io->arts);
		for (size_t i = 0; io->arts && i < as->n; i++) {
			const ynode *p = as->item[i];
			if (p->kind != YN_MAP)
				continue;
			io->arts[io->narts++] = (wf_artifact){
				.name = yn_get_str(p, "name"), .node = p, .path = yn_get(p, "path"),
				.from = yn_get(p, "from"), .optional = yn_get(p, "optional"),
			};
		}
	}
}

static void build_container(struct ctx *c, const ynode *n, wf_container *w)
{
	memset(w, 0, sizeof *w);
	w->node = n;
	w->name = yn_get_str(n, "name");
	w->image_node = yn_get(n, "image");
	w->image = yn_str(w->image_node);
	w->command = yn_get(n, "command");
	w->args = yn_get(n, "args");
	w->env = yn_get(n, "env");
	w->env_from = yn_get(n, "envFrom");
	w->resources = yn_get(n, "resources");
	w->volume_mounts = yn_get(n, "volumeMounts");
	w->ports = yn_get(n, "ports");
	w->image_pull_policy = yn_get(n, "imagePullPolicy");
	w->working_dir = yn_get(n, "workingDir");
	w->security_context = yn_get(n, "securityContext");
	w->readiness = yn_get(n, "readinessProbe");
	w->liveness = yn_get(n, "livenessProbe");
	w->source_node = yn_get(n, "source");
	w->source = yn_str(w->source_node);
	(void)c;
}

static wf_container *build_containers(struct ctx *c, const ynode *map, const char *key, size_t *count)
{
	*count = 0;
	const ynode *s = want(c, map, key, YN_SEQ);
	if (!s)
		return NULL;
	wf_container *v = alloc_n(c, s->n, sizeof *v);
	for (size_t i = 0; v && i < s->n; i++)
		if (s->item[i]->kind == YN_MAP)
			build_container(c, s->item[i], &v[(*count)++]);
	return v;
}

static void build_task(struct ctx *c, const ynode *n, wf_task *t)
{
	memset(t, 0, sizeof *t);
	t->node = n;
	t->name = yn_get_str(n, "name");
	t->tmpl_node = yn_get(n, "template");
	t->tmpl = yn_str(t->tmpl_node);
	t->tmpl_ref = yn_get(n, "templateRef");
	t->inline_tmpl = yn_get(n, "inline");
	t->depends_node = yn_get(n, "depends");
	t->depends = yn_str(t->depends_node);
	t->dependencies = want(c, n, "dependencies", YN_SEQ);
	build_io(c, n, "arguments", &t->arguments);
	t->when = yn_get(n, "when");
	t->with_items = yn_get(n, "withItems");
	t->with_param = yn_get(n, "withParam");
	t->with_sequence = yn_get(n, "withSequence");
	t->continue_on = yn_get(n, "continueOn");
	t->on_exit = yn_get(n, "onExit");
	t->hooks = yn_get(n, "hooks");
}

/* Replace "{{" and the "}}" that closes it with "__" so templated
 * manifests parse; the characters keep their positions. A `{{=expr}}`
 * expression is blanked
 * whole (its quotes, commas and brackets are not YAML), as Argo's
 * validator puts a placeholder in its place before it parses the
 * manifest; newlines stay, so lines keep their numbers. */
static char *untemplate(struct ctx *c, const char *s, size_t len, int *templated)
{
	char *t = arena_strndup(c->set->a, s, len);
	if (!t)
		return c->oom = 1, NULL;
	*templated = 0;
	int open = 0; /* "{{" not yet closed */
	for (size_t i = 0; i + 1 < len; i++) {
		if (t[i] == '{' && t[i + 1] == '{') {
			size_t j = i + 2;
			while (j < len && (t[j] == ' ' || t[j] == '\t'))
				j++;
			const char *close = j < len && t[j] == '=' ? strstr(t + j, "}}") : NULL;
			if (close) {
				for (size_t k = i; k < (size_t)(close - t) + 2; k++)
					if (t[k] != '\n')
						t[k] = '_';
				*templated = 1;
				i = (size_t)(close - t) + 1;
				continue;
			}
		}
		/* a "}}" closes a tag only after a "{{" (as Argo's template
		 * engine reads them): a flow mapping's own "}}" stays */
		if ((t[i] == '{' && t[i + 1] == '{') || (open && t[i] == '}' && t[i + 1] == '}')) {
			open += t[i] == '{' ? 1 : -1;
			t[i] = t[i + 1] = '_';
			*templated = 1;
			i++;
		}
	}
	return t;
}

static void build_resource(struct ctx *c, const ynode *n, wf_resource *r)
{
	memset(r, 0, sizeof *r);
	r->action_node = yn_get(n, "action");
	r->action = yn_str(r->action_node);
	r->manifest_node = yn_get(n, "manifest");
	r->manifest = yn_str(r->manifest_node);
	r->manifest_from = yn_get(n, "manifestFrom");
	r->flags = yn_get(n, "flags");
	r->success = yn_get(n, "successCondition");
	r->failure = yn_get(n, "failureCondition");
	r->set_owner = yn_get(n, "setOwnerReference");
	if (!r->manifest || !c->src)
		return;
	yn_posmap map;
	const ynode *m = r->manifest_node;
	if (yn_scalar_posmap(c->set->a, m, c->src->text, c->src->len, &map))
		return (void)(c->oom = 1);
	char *text = untemplate(c, m->str, m->len, &r->templated);
	if (!text)
		return;
	int rc = yn_parse(c->set->a, m->file, text, m->len, NULL, &map, c->d, &r->docs, &r->ndocs);
	if (rc == -2)
		c->oom = 1;
	r->manifest_parsed = rc == 0;
}

static void build_template(struct ctx *c, const ynode *n, wf_template *t)
{
	static const struct { const char *key; wf_tmpl_kind kind; } kinds[] = {
		{"container", TK_CONTAINER}, {"script", TK_SCRIPT}, {"resource", TK_RESOURCE},
		{"dag", TK_DAG}, {"steps", TK_STEPS}, {"suspend", TK_SUSPEND},
		{"containerSet", TK_CONTAINERSET}, {"http", TK_HTTP}, {"data", TK_DATA},
		{"plugin", TK_PLUGIN},
	};
	memset(t, 0, sizeof *t);
	t->node = n;
	t->name = yn_get_str(n, "name");
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		const ynode *b = yn_get(n, kinds[i].key);
		if (b && t->kind == TK_NONE) {
			t->kind = kinds[i].kind;
			t->body = b;
		}
	}
	build_io(c, n, "inputs", &t->inputs);
	build_io(c, n, "outputs", &t->outputs);
	t->retry = yn_get(n, "retryStrategy");
	t->node_selector = yn_get(n, "nodeSelector");
	t->affinity = yn_get(n, "affinity");
	t->tolerations = yn_get(n, "tolerations");
	t->volumes = yn_get(n, "volumes");
	t->active_deadline = yn_get(n, "activeDeadlineSeconds");
	t->metadata = yn_get(n, "metadata");
	t->pod_spec_patch = yn_get(n, "podSpecPatch");
	t->timeout = yn_get(n, "timeout");
	t->parallelism = yn_get(n, "parallelism");
	t->daemon = yn_get(n, "daemon");
	t->memoize = yn_get(n, "memoize");
	t->synchronization = yn_get(n, "synchronization");
	t->service_account = yn_get(n, "serviceAccountName");
	t->init_containers = build_containers(c, n, "initContainers", &t->ninit);
	t->sidecars = build_containers(c, n, "sidecars", &t->nsidecars);

	switch (t->kind) {
	case TK_CONTAINER:
	case TK_SCRIPT:
		if (want(c, n, t->kind == TK_SCRIPT ? "script" : "container", YN_MAP)) {
			t->main = alloc_n(c, 1, sizeof *t->main);
			if (t->main)
				build_container(c, t->body, t->main);
		}
		break;
	case TK_CONTAINERSET:
		if (want(c, n, "containerSet", YN_MAP))
			t->containers = build_containers(c, t->body, "containers", &t->ncontainers);
		break;
	case TK_RESOURCE:
		if (want(c, n, "resource", YN_MAP)) {
			t->resource = alloc_n(c, 1, sizeof *t->resource);
			if (t->resource)
				build_resource(c, t->body, t->resource);
		}
		break;
	case TK_DAG: {
		const ynode *tasks = want(c, t->body, "tasks", YN_SEQ);
		if (!want(c, n, "dag", YN_MAP) || !tasks)
			break;
		t->tasks = alloc_n(c, tasks->n, sizeof *t->tasks);
		for (size_t i = 0; t->tasks && i < tasks->n; i++)
			if (tasks->item[i]->kind == YN_MAP)
				build_task(c, tasks->item[i], &t->tasks[t->ntasks++]);
		break;
	}
	case TK_STEPS: {
		const ynode *g = want(c, n, "steps", YN_SEQ);
		if (!g)
			break;
		t->groups = alloc_n(c, g->n, sizeof *t->groups);
		for (size_t i = 0; t->groups && i < g->n; i++) {
			const ynode *gi = g->item[i];
			wf_step_group *sg = &t->groups[t->ngroups++];
			sg->node = gi;
			/* Each group is a list of parallel steps; a bare mapping is one step. */
			size_t n_in = gi->kind == YN_SEQ ? gi->n : gi->kind == YN_MAP ? 1 : 0;
			sg->steps = alloc_n(c, n_in, sizeof *sg->steps);
			for (size_t j = 0; sg->steps && j < n_in; j++) {
				const ynode *st = gi->kind == YN_SEQ ? gi->item[j] : gi;
				if (st->kind == YN_MAP)
					build_task(c, st, &sg->steps[sg->n++]);
			}
		}
		break;
	}
	default:
		break;
	}
}

static void build_spec(struct ctx *c, const ynode *spec, wf_spec *s)
{
	memset(s, 0, sizeof *s);
	s->node = spec;
	s->entrypoint_node = yn_get(spec, "entrypoint");
	s->entrypoint = yn_str(s->entrypoint_node);
	s->on_exit_node = yn_get(spec, "onExit");
	s->on_exit = yn_str(s->on_exit_node);
	build_io(c, spec, "arguments", &s->arguments);
	s->volumes = want(c, spec, "volumes", YN_SEQ);
	s->volume_claim_templates = want(c, spec, "volumeClaimTemplates", YN_SEQ);
	s->active_deadline = yn_get(spec, "activeDeadlineSeconds");
	s->service_account = yn_get(spec, "serviceAccountName");
	s->pod_gc = yn_get(spec, "podGC");
	s->ttl = yn_get(spec, "ttlStrategy");
	s->node_selector = yn_get(spec, "nodeSelector");
	s->tolerations = yn_get(spec, "tolerations");
	s->affinity = yn_get(spec, "affinity");
	s->parallelism = yn_get(spec, "parallelism");
	s->workflow_template_ref = yn_get(spec, "workflowTemplateRef");
	s->hooks = yn_get(spec, "hooks");
	s->retry = yn_get(spec, "retryStrategy");
	s->pod_spec_patch = yn_get(spec, "podSpecPatch");
	const ynode *ts = want(c, spec, "templates", YN_SEQ);
	s->templates_node = ts;
	if (!ts)
		return;
	s->templates = alloc_n(c, ts->n, sizeof *s->templates);
	for (size_t i = 0; s->templates && i < ts->n; i++) {
		const ynode *t = ts->item[i];
		if (t->kind != YN_MAP) {
			yn_diag(c->d, t, DIAG_ERROR, "yaml-structure", "each template is a mapping with a name",
				"a template must be a mapping");
			continue;
		}
		build_template(c, t, &s->templates[s->ntemplates++]);
	}
	index_templates(c->set->a, s);
}

static int argo_kind(const char *kind, wf_kind *out)
{
	static const struct { const char *name; wf_kind k; } kinds[] = {
		{"Workflow", WF_WORKFLOW}, {"WorkflowTemplate", WF_WORKFLOW_TEMPLATE},
		{"ClusterWorkflowTemplate", WF_CLUSTER_WORKFLOW_TEMPLATE}, {"CronWorkflow", WF_CRON_WORKFLOW},
	};
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i].name))
			return *out = kinds[i].k, 0;
	return -1;
}

static void build_doc(struct ctx *c, yn_doc *raw)
{
	const ynode *root = raw->root;
	if (!root)
		return; /* an empty document, e.g. after a trailing "---" */
	if (root->kind != YN_MAP) {
		yn_diag(c->d, root, DIAG_ERROR, "yaml-structure",
			"a Kubernetes object is a mapping with apiVersion, kind, metadata and spec",
			"document is %s, not a mapping", root->kind == YN_SEQ ? "a list" : "a scalar");
		return;
	}
	const char *kind = yn_get_str(root, "kind");
	const char *api = yn_get_str(root, "apiVersion");
	wf_kind k;
	if (argo_kind(kind, &k) || (api && strncmp(api, "argoproj.io/", 12))) {
		if (!kind) {
			yn_diag(c->d, root, DIAG_NOTE, "load-skipped",
				"an Argo workflow starts with apiVersion: argoproj.io/v1alpha1 and kind: Workflow",
				"document has no 'kind': not a Kubernetes object; skipped");
		} else {
			yn_diag(c->d, yn_get(root, "kind"), DIAG_NOTE, "load-skipped",
				"rehearse checks Argo Workflow, WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow documents",
				"document of kind %s%s%s is not an Argo workflow; skipped", kind,
				api ? " in " : "", api ? api : "");
		}
		return;
	}
	wf_doc *d = alloc_n(c, 1, sizeof *d);
	if (!d)
		return;
	d->set = c->set;
	d->kind = k;
	d->kind_str = kind;
	d->api_version = api;
	d->file = raw->file;
	d->index = raw->index;
	d->root = root;
	d->metadata = want(c, root, "metadata", YN_MAP);
	d->name = yn_get_str(d->metadata, "name");
	d->generate_name = yn_get_str(d->metadata, "generateName");
	d->namespace_ = yn_get_str(d->metadata, "namespace");
	const ynode *spec = want(c, root, "spec", YN_MAP);
	if (k == WF_CRON_WORKFLOW) {
		d->cron_spec = spec;
		spec = want(c, spec, "workflowSpec", YN_MAP);
	}
	build_spec(c, spec, &d->spec);
	if (push((void ***)&c->set->docs, &c->set->ndocs, &c->set->docs_cap, d))
		c->oom = 1;
}

static int add_source(wf_set *s, const char *name, const char *buf, size_t len, const struct source **out)
{
	if (GROW(s->src, s->nsrc, s->src_cap, 8))
		return -1;
	struct source src = {0};
	src.file = arena_strdup(s->a, name);
	char *text = arena_strndup(s->a, buf, len);
	if (!src.file || !text)
		return -1;
	src.text = text;
	src.len = len;
	/* the line index is built when a line is first asked for (lines_of) */
	s->src[s->nsrc] = src;
	*out = &s->src[s->nsrc++];
	return 0;
}

int wf_set_load_mem(wf_set *s, const char *name, const char *buf, size_t len,
		    diag_list *d, char *err, size_t errlen)
{
	const struct source *src;
	if (add_source(s, name, buf, len, &src)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	yn_doc *docs;
	size_t ndocs;
	int rc = yn_parse(s->a, src->file, src->text, len, NULL, NULL, d, &docs, &ndocs);
	if (rc == -2) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	/* Documents that parsed before a syntax error are still checked. */
	struct ctx c = {.set = s, .d = d, .src = src};
	for (size_t i = 0; i < ndocs && !c.oom; i++) {
		if (push((void ***)&s->raw, &s->nraw, &s->raw_cap, &docs[i]))
			c.oom = 1;
		else
			build_doc(&c, &docs[i]);
	}
	if (c.oom) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	return 0;
}

int wf_set_load_file(wf_set *s, const char *path, diag_list *d, char *err, size_t errlen)
{
	/* Read up to twice the parser's limit, so a file just past it gets the
	 * loader's yaml-too-large finding with its size, not a read error. */
	size_t len;
	char *buf = read_file(path, 2 * yn_default_limits.max_bytes, &len, err, errlen);
	if (!buf)
		return -1;
	int rc = wf_set_load_mem(s, strcmp(path, "-") ? path : "<stdin>", buf, len, d, err, errlen);
	free(buf);
	return rc;
}

char *wf_set_emit(const wf_set *s, size_t *len, char *err, size_t errlen)
{
	size_t n = wf_set_raw_count(s);
	yn_doc *docs = calloc(n ? n : 1, sizeof *docs);
	if (!docs) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		docs[i] = *wf_set_raw(s, i);
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f) {
		free(docs);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	int rc = yn_emit(f, docs, n, err, errlen);
	if (fclose(f) && !rc) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	free(docs);
	if (rc) {
		free(buf);
		return NULL;
	}
	*len = blen;
	return buf;
}
