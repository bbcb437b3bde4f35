/* fix_edit.c: the edit engine the fix passes use (see fix_edit.h): the
 * log of what they did, the manifests they change as trees, the pods they
 * walk, and the few tree and byte edits they make. */
#include "validate/fix_edit.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/objects.h"
#include "document/grow.h"

/* ---------------------------------------------------------------- the log */

void fix_answer(fix_ctx *c, const char *rule)
{
	c->rule = rule;
}

static void log_v(fix_ctx *c, int applied, const ynode *at, const char *fmt, va_list ap)
{
	fix_log *r = c->log;
	/* Refusals repeat every round; the first round's (input positions) suffice. */
	if (!applied && c->iter > 0)
		return;
	/* A pass of several rules says which one it answers. */
	assert(c->rule || !strchr(c->pass->rules, ' '));
	if (GROW(r->ch, r->n, r->cap, 16)) {
		r->oom = 1;
		return;
	}
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	fix_change *x = &r->ch[r->n];
	memset(x, 0, sizeof *x);
	x->applied = applied;
	x->fix = c->pass->name;   /* static strings from the pass table */
	x->rule = c->rule ? c->rule : c->pass->rules;
	x->what = strdup(msg);
	/* Nodes that a pass created this round have no position; created
	 * nodes are reported at their parent by the passes. */
	if (at && at->line) {
		x->file = strdup(c->iter == 0 && at->file ? at->file : r->cur_name);
		x->line = at->line;
		x->col = at->col;
		if (!x->file)
			r->oom = 1;
	}
	if (!x->what)
		r->oom = 1;
	r->n++;
}

void fix_applied(fix_ctx *c, const ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(c, 1, at, fmt, ap);
	va_end(ap);
}

void fix_declined(fix_ctx *c, const ynode *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(c, 0, at, fmt, ap);
	va_end(ap);
}

void fix_log_free(fix_log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->ch[i].what);
		free((char *)l->ch[i].file);
	}
	free(l->ch);
	l->ch = NULL;
	l->n = l->cap = 0;
}

/* ------------------------------------------------------------------ trees */

ynode *fix_w(const ynode *n)
{
	/* The IR's pointers are const views of wf_set_raw's trees. */
	return (ynode *)n;
}

ynode *fix_str(fix_ctx *c, const char *s, yn_style st)
{
	ynode *n = yn_new_scalar(c->a, s, st);
	if (!n)
		c->oom = 1;
	return n;
}

ynode *fix_map(fix_ctx *c)
{
	ynode *n = yn_new_map(c->a);
	if (!n)
		c->oom = 1;
	return n;
}

ynode *fix_seq(fix_ctx *c)
{
	ynode *n = yn_new_seq(c->a);
	if (!n)
		c->oom = 1;
	return n;
}

void fix_set(fix_ctx *c, ynode *map, const char *key, ynode *val)
{
	if (!val || yn_map_set(c->a, map, key, val))
		c->oom = 1;
}

void fix_append(fix_ctx *c, ynode *seq, ynode *item)
{
	if (!item || yn_seq_append(c->a, seq, item))
		c->oom = 1;
}

void fix_insert(fix_ctx *c, ynode *seq, size_t at, ynode *item)
{
	fix_append(c, seq, item);
	if (c->oom)
		return;
	assert(at < seq->n);
	memmove(&seq->item[at + 1], &seq->item[at], (seq->n - 1 - at) * sizeof *seq->item);
	seq->item[at] = item;
}

yn_style fix_string_style(const char *s)
{
	ynode t = {.kind = YN_SCALAR, .style = YN_PLAIN, .str = s, .len = strlen(s)};
	long long i;
	double d;
	int b;
	if (!*s || yn_is_null(&t) || !yn_int(&t, &i) || !yn_number(&t, &d) || !yn_bool(&t, &b))
		return YN_SINGLE;
	return YN_PLAIN;
}

int fix_equal(const ynode *a, const ynode *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->n != b->n)
		return 0;
	if (a->kind == YN_SCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (size_t i = 0; i < a->n; i++) {
		if (a->kind == YN_SEQ) {
			if (!fix_equal(a->item[i], b->item[i]))
				return 0;
			continue;
		}
		const ynode *bv = yn_get(b, yn_str(a->key[i]) ? yn_str(a->key[i]) : "");
		if (!yn_str(a->key[i]) || !yn_get_key(b, a->key[i]->str) || !fix_equal(a->val[i], bv))
			return 0;
	}
	return 1;
}

const char *fix_basename(const char *s)
{
	const char *p = strrchr(s, '/');
	return p ? p + 1 : s;
}

int fix_templated(const char *s)
{
	return s && strstr(s, "{{");
}

size_t fix_index_in(const ynode *seq, const ynode *item)
{
	for (size_t i = 0; seq && seq->kind == YN_SEQ && i < seq->n; i++)
		if (seq->item[i] == item)
			return i;
	return (size_t)-1;
}

/* -------------------------------------------------------------- manifests */

int fix_manifests_collect(fix_ctx *c)
{
	size_t cap = 0;
	for (size_t di = 0; di < wf_set_count(c->set); di++) {
		const wf_doc *d = wf_set_doc(c->set, di);
		for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
			const wf_template *t = &d->spec.templates[ti];
			const wf_resource *r = t->resource;
			if (!r || !r->manifest)
				continue;
			fix_manifest m = {.doc = d, .tmpl = t};
			if (r->manifest_parsed && !r->templated) {
				m.docs = r->docs;
				m.ndocs = r->ndocs;
			} else if (r->templated) {
				/* The IR read "{{" as "__"; re-read the text as it is,
				 * so a changed manifest keeps its expressions. If it
				 * does not parse that way ({{x}} as a plain value
				 * starts a flow mapping), leave it alone. */
				const ynode *s = r->manifest_node;
				diag_list *scratch = diag_list_new();
				if (!scratch)
					return -1;
				int rc = yn_parse(c->a, s->file, s->str, s->len, NULL, NULL, scratch, &m.docs, &m.ndocs);
				diag_list_free(scratch);
				if (rc == -2)
					return -1;
				if (rc)
					continue;
			} else {
				continue;
			}
			if (GROW(c->mf, c->nmf, cap, 8))
				return -1;
			c->mf[c->nmf++] = m;
		}
	}
	return 0;
}

fix_manifest *fix_manifest_of(fix_ctx *c, const wf_template *t)
{
	for (size_t i = 0; i < c->nmf; i++)
		if (c->mf[i].tmpl == t)
			return &c->mf[i];
	return NULL;
}

/* Block style for every collection: a flow mapping nested in another
 * ends in "}}", which the loader (and a reader) takes for the end of an
 * Argo expression. */
static void to_block(ynode *n, unsigned depth)
{
	if (!n || n->kind == YN_SCALAR || depth > 512)
		return;
	n->style = YN_BLOCK;
	for (size_t i = 0; i < n->n; i++)
		to_block(n->kind == YN_MAP ? n->val[i] : n->item[i], depth + 1);
}

void fix_to_block(ynode *n)
{
	to_block(n, 0);
}

int fix_manifests_flush(fix_ctx *c)
{
	for (size_t i = 0; i < c->nmf; i++) {
		fix_manifest *m = &c->mf[i];
		if (!m->dirty)
			continue;
		char *text = NULL;
		size_t len = 0;
		for (size_t k = 0; k < m->ndocs; k++) {
			size_t n;
			to_block(m->docs[k].root, 0);
			char *s = yn_emit_string(m->docs[k].root, &n);
			char *t = s ? realloc(text, len + n + 5) : NULL;
			if (!t) {
				free(s);
				free(text);
				return -1;
			}
			text = t;
			if (k)
				memcpy(text + len, "---\n", 4), len += 4;
			memcpy(text + len, s, n);
			len += n;
			text[len] = 0;
			free(s);
		}
		ynode *res = fix_w(yn_get(m->tmpl->node, "resource"));
		ynode *v = text ? yn_new_scalar(c->a, text, YN_LITERAL) : NULL;
		free(text);
		if (!v || yn_map_set(c->a, res, "manifest", v))
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------- pods */

ynode *fix_pod_spec(const ynode *root)
{
	return fix_w(kobj_pod_spec(root));
}

static void pod_add(fix_pod *p, const ynode *ctr)
{
	if (ctr && ctr->kind == YN_MAP && p->nctr < sizeof p->ctr / sizeof p->ctr[0])
		p->ctr[p->nctr++] = fix_w(ctr);
}

static void pod_add_seq(fix_pod *p, const ynode *seq)
{
	if (seq && seq->kind == YN_SEQ)
		for (size_t i = 0; i < seq->n; i++)
			pod_add(p, seq->item[i]);
}

void fix_each_pod(fix_ctx *c, void (*fn)(fix_ctx *c, fix_pod *p))
{
	for (size_t di = 0; di < wf_set_count(c->set) && !c->oom; di++) {
		const wf_doc *d = wf_set_doc(c->set, di);
		for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
			const wf_template *t = &d->spec.templates[ti];
			fix_pod p = {.doc = d, .vols = {t->volumes, d->spec.volumes}};
			if (t->main)
				pod_add(&p, t->main->node);
			for (size_t k = 0; k < t->ncontainers; k++)
				pod_add(&p, t->containers[k].node);
			for (size_t k = 0; k < t->ninit; k++)
				pod_add(&p, t->init_containers[k].node);
			for (size_t k = 0; k < t->nsidecars; k++)
				pod_add(&p, t->sidecars[k].node);
			if (p.nctr)
				fn(c, &p);
		}
	}
	for (size_t i = 0; i < c->nmf && !c->oom; i++) {
		fix_manifest *m = &c->mf[i];
		for (size_t k = 0; k < m->ndocs; k++) {
			const ynode *spec = fix_pod_spec(m->docs[k].root);
			if (!spec)
				continue;
			fix_pod p = {.doc = m->doc, .vols = {yn_get(spec, "volumes"), NULL}, .mf = m};
			pod_add_seq(&p, yn_get(spec, "initContainers"));
			pod_add_seq(&p, yn_get(spec, "containers"));
			if (p.nctr)
				fn(c, &p);
		}
	}
}

void fix_touch(fix_ctx *c, fix_pod *p)
{
	c->changed = 1;
	if (p && p->mf)
		p->mf->dirty = 1;
}

/* ------------------------------------------------------------------ bytes */

void fix_replace_item(fix_ctx *c, ynode *seq, size_t i, const char *text)
{
	ynode *old = seq->item[i];
	ynode *n = fix_str(c, text, old->style);
	if (!n)
		return;
	/* It stands where the old one stood: later passes log that place. */
	n->file = old->file;
	n->line = old->line;
	n->col = old->col;
	seq->item[i] = n;
}

void fix_loc_replace(fix_ctx *c, const fix_loc *l, const char *text)
{
	const ynode *old = l->seq->item[l->idx];
	size_t tl = strlen(text);
	char *s = malloc(old->len - l->len + tl + 1);
	if (!s) {
		c->oom = 1;
		return;
	}
	memcpy(s, old->str, l->off);
	memcpy(s + l->off, text, tl);
	memcpy(s + l->off + tl, old->str + l->off + l->len, old->len - l->off - l->len);
	s[old->len - l->len + tl] = 0;
	fix_replace_item(c, l->seq, l->idx, s);
	free(s);
}
