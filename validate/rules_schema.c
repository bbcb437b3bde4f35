/* rules_schema.c: the shape of each document -- fields that do not exist,
 * values of the wrong type, required fields missing, values outside an
 * enumeration, and duplicate keys -- for Argo documents and for the
 * Kubernetes objects their resource templates create.
 *
 * Argo decodes a workflow strictly (`argo lint` and the API server refuse
 * an unknown field), and kubectl validates strictly by default; a field
 * the decoder does not know is a typo that would otherwise be dropped.
 * Values with an Argo expression ({{...}}, or "__" where a templated
 * manifest had one) are left alone: their type is known only at run time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/families.h"
#include "validate/schema.h"

typedef struct walk {
	lint_ctx *c;
	int templated;   /* inside a manifest that held {{...}} */
	int partial;     /* a manifest that names an object (get, delete, patch): no required fields */
	int manifest;    /* an object kubectl sends as it is (untyped) */
} walk;

static int dynamic(const walk *w, const ynode *n)
{
	if (!n->str)
		return 0;
	return strstr(n->str, "{{") || (w->templated && strstr(n->str, "__"));
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 99;
	size_t prev[64], cur[64];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + ((a[i - 1] | 32) != (b[j - 1] | 32));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof *prev);
	}
	return prev[lb];
}

static const char *suggest(const schema_obj *o, const char *name)
{
	const char *best = NULL;
	size_t bd = 99, len = strlen(name);
	for (size_t i = 0; i < o->nfields; i++) {
		size_t d = edit_distance(name, o->fields[i].name);
		if (d < bd) {
			bd = d;
			best = o->fields[i].name;
		}
	}
	/* close enough to be the same word mistyped */
	return best && bd <= (len < 6 ? 1 : len < 12 ? 2 : 3) ? best : NULL;
}

static void dup_found(walk *w, const ynode *first, const ynode *again)
{
	lint_report(w->c, "schema-duplicate-key", again, NULL,
		    "key '%s' appears twice in this mapping (first on line %u); decoders keep only the last one",
		    again->str, first->line);
}

static int cmp_key(const void *a, const void *b)
{
	const ynode *x = *(const ynode *const *)a, *y = *(const ynode *const *)b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = memcmp(x->str, y->str, x->len);
	if (c)
		return c;
	/* equal keys in source order, so the first one is reported as first */
	return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col < y->col ? -1 : x->col > y->col);
}

static void check_dups(walk *w, const ynode *m)
{
	if (m->n <= 32) {
		for (size_t i = 1; i < m->n; i++) {
			const ynode *k = m->key[i];
			if (!yn_str(k))
				continue;
			for (size_t j = 0; j < i; j++) {
				const ynode *kj = m->key[j];
				if (yn_str(kj) && k->len == kj->len && !memcmp(k->str, kj->str, k->len)) {
					dup_found(w, kj, k);
					break;
				}
			}
		}
		return;
	}
	/* A large mapping (hostile input may hold millions of keys): sort, then
	 * compare neighbours, n log n instead of n squared. */
	const ynode **v = malloc(m->n * sizeof *v);
	size_t n = 0;
	if (!v)
		return;
	for (size_t i = 0; i < m->n; i++)
		if (yn_str(m->key[i]))
			v[n++] = m->key[i];
	qsort(v, n, sizeof *v, cmp_key);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		while (i < n && v[i]->len == v[first]->len && !memcmp(v[i]->str, v[first]->str, v[i]->len))
			dup_found(w, v[first], v[i++]);
	}
	free(v);
}

static void walk_any(walk *w, const ynode *n)
{
	if (!n || n->kind == YN_SCALAR)
		return;
	if (n->kind == YN_MAP)
		check_dups(w, n);
	for (size_t i = 0; i < n->n; i++)
		walk_any(w, n->kind == YN_SEQ ? n->item[i] : n->val[i]);
}

/* Where a value sits, for messages: "Type.field" (or a type name alone).
 * Kept as two pointers and formatted only when something is reported. */
typedef struct where {
	const char *type, *field;
} where_t;

static const char *fmt_where(where_t at, char *buf, size_t len)
{
	if (at.field)
		snprintf(buf, len, "%s.%s", at.type, at.field);
	else
		snprintf(buf, len, "%s", at.type);
	return buf;
}

static void walk_type(walk *w, const ynode *n, const schema_type *t, where_t where);

static void bad_type(walk *w, const ynode *n, const schema_type *t, where_t where, const char *got)
{
	char b[160];
	lint_report(w->c, "schema-type", n, NULL, "%s should be %s, not %s", fmt_where(where, b, sizeof b),
		    schema_kind_name(t), got);
}

static const char *node_desc(const ynode *n)
{
	if (n->kind == YN_MAP)
		return "a mapping";
	if (n->kind == YN_SEQ)
		return "a list";
	long long i;
	double d;
	int b;
	if (!yn_is_quoted(n) && !n->tag) {
		if (!yn_int(n, &i))
			return "a number";
		if (!yn_number(n, &d))
			return "a number";
		if (!yn_bool(n, &b))
			return "a boolean";
	}
	return "a string";
}

static void walk_scalar(walk *w, const ynode *n, const schema_type *t, where_t where)
{
	if (n->kind != YN_SCALAR) {
		bad_type(w, n, t, where, node_desc(n));
		return;
	}
	if (dynamic(w, n) || n->tag)
		return;
	long long i;
	double d;
	int b;
	char wb[160];
	int plain = !yn_is_quoted(n);
	switch (t->kind) {
	case SK_STR:
		if (!plain || (yn_int(n, &i) && yn_number(n, &d) && yn_bool(n, &b)))
			break;
		/* kubectl sends a manifest as it is, and the API server refuses a
		 * number where a string must be; Argo's own decoder converts
		 * (4 becomes "4", and y or no become "true" and "false"). */
		if (w->manifest)
			bad_type(w, n, t, where, node_desc(n));
		else if (!yn_bool(n, &b))
			lint_report(w->c, "schema-coerced", n, NULL,
				    "%s is read as a boolean (YAML 1.1), and Argo turns it into the string \"%s\", not "
				    "\"%s\"", fmt_where(where, wb, sizeof wb), b ? "true" : "false", n->str);
		else
			lint_report(w->c, "schema-coerced", n, NULL,
				    "%s should be a string; Argo converts the number %s, kubectl apply of the same "
				    "object would fail", fmt_where(where, wb, sizeof wb), n->str);
		break;
	case SK_INT:
		if (!plain || yn_int(n, &i))
			bad_type(w, n, t, where, plain ? node_desc(n) : "a quoted string");
		break;
	case SK_NUM:
		if (!plain || yn_number(n, &d))
			bad_type(w, n, t, where, plain ? node_desc(n) : "a quoted string");
		break;
	case SK_BOOL:
		if (!plain || yn_bool(n, &b))
			bad_type(w, n, t, where, plain ? node_desc(n) : "a quoted string");
		break;
	case SK_INTSTR:
	case SK_QTY:
		if (plain && !yn_bool(n, &b))
			bad_type(w, n, t, where, "a boolean");
		break;
	default:
		break;
	}
}

static void walk_obj(walk *w, const ynode *n, const schema_obj *o, where_t where)
{
	if (n->kind != YN_MAP) {
		char b[160];
		lint_report(w->c, "schema-type", n, NULL, "%s should be a mapping (%s), not %s",
			    fmt_where(where, b, sizeof b), o->name, node_desc(n));
		return;
	}
	check_dups(w, n);
	size_t required_seen = 0;
	for (size_t i = 0; i < n->n; i++) {
		const ynode *k = n->key[i];
		const char *name = yn_str(k);
		if (!name)
			continue;
		const schema_field *f = schema_field_find(o, name, k->len);
		if (!f) {
			if (dynamic(w, k))
				continue;
			const char *s = suggest(o, name);
			char hint[200];
			snprintf(hint, sizeof hint, s ? "did you mean '%s'?" : "remove it, or check the spelling "
									   "against `kubectl explain` / Argo's field reference",
				 s);
			lint_report(w->c, "schema-unknown-field", k, hint, "unknown field '%s' in %s%s%s%s", name,
				    o->name, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
			walk_any(w, n->val[i]);
			continue;
		}
		const ynode *v = n->val[i];
		required_seen += f->required;
		if (yn_is_null(v) && v->kind == YN_SCALAR && !yn_is_quoted(v))
			continue; /* null: the field is absent */
		where_t sub = {o->name, f->name};
		char sb[160];
		walk_type(w, v, &f->type, sub);
		if (f->nenums && v->kind == YN_SCALAR && !dynamic(w, v)) {
			size_t e;
			for (e = 0; e < f->nenums; e++)
				if (!strcmp(f->enums[e], v->str))
					break;
			if (e == f->nenums) {
				char allowed[300] = "";
				size_t o2 = 0;
				for (size_t k2 = 0; k2 < f->nenums && o2 < sizeof allowed; k2++)
					if (*f->enums[k2])
						o2 += (size_t)snprintf(allowed + o2, sizeof allowed - o2, "%s%s",
								       o2 ? ", " : "", f->enums[k2]);
				lint_report(w->c, "schema-enum", v, NULL, "%s is '%s'; it must be one of: %s",
					    fmt_where(sub, sb, sizeof sb), v->str, allowed);
			}
		}
		if (f->nenums && v->kind == YN_SEQ) /* a list of enumerated values */
			for (size_t j = 0; j < v->n; j++) {
				const ynode *it = v->item[j];
				if (it->kind != YN_SCALAR || dynamic(w, it))
					continue;
				size_t e;
				for (e = 0; e < f->nenums; e++)
					if (!strcmp(f->enums[e], it->str))
						break;
				if (e == f->nenums)
					lint_report(w->c, "schema-enum", it, NULL, "%s holds '%s', which is not one of "
						    "its allowed values", fmt_where(sub, sb, sizeof sb), it->str);
			}
	}
	/* (a duplicate key can make the count reach the total with one missing:
	 * schema-duplicate-key reports that mapping anyway) */
	for (size_t i = 0; required_seen < o->nrequired && i < o->nfields; i++) {
		const schema_field *f = &o->fields[i];
		if (f->required && !w->partial && !yn_get(n, f->name)) {
			char b[160];
			lint_report(w->c, "schema-required", n, NULL, "%s needs '%s'", fmt_where(where, b, sizeof b),
				    f->name);
		}
	}
}

static void walk_type(walk *w, const ynode *n, const schema_type *t, where_t where)
{
	switch (t->kind) {
	case SK_ANY:
	case SK_SCALAR: /* Argo's AnyString takes numbers and booleans, and lets anything else pass as "" */
		walk_any(w, n);
		return;
	case SK_OBJ:
		walk_obj(w, n, t->obj, where);
		return;
	case SK_LIST:
		if (n->kind != YN_SEQ) {
			if (!(n->kind == YN_SCALAR && dynamic(w, n)))
				bad_type(w, n, t, where, node_desc(n));
			return;
		}
		for (size_t i = 0; i < n->n; i++)
			if (!yn_is_null(n->item[i]) || n->item[i]->kind != YN_SCALAR)
				walk_type(w, n->item[i], t->elem, where);
		return;
	case SK_MAP:
		if (n->kind != YN_MAP) {
			if (!(n->kind == YN_SCALAR && dynamic(w, n)))
				bad_type(w, n, t, where, node_desc(n));
			return;
		}
		check_dups(w, n);
		for (size_t i = 0; i < n->n; i++)
			if (!yn_is_null(n->val[i]) || n->val[i]->kind != YN_SCALAR)
				walk_type(w, n->val[i], t->elem, where);
		return;
	default:
		walk_scalar(w, n, t, where);
	}
}

static const schema_obj *type_of_kind(const char *kind)
{
	static const char *const kinds[] = {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow",
					    "Pod", "Service", "StatefulSet", "Deployment", "Job",
					    "PersistentVolumeClaim", "StorageClass", "ConfigMap", "Secret"};
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i]))
			return schema_obj_find(kinds[i]);
	return NULL;
}

static void schema_check(lint_ctx *c)
{
	char err[256];
	if (schema_init(err, sizeof err))
		return; /* the unit tests catch a broken table */
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		const schema_obj *o = type_of_kind(d->kind_str);
		walk w = {c, 0, 0, 0};
		if (o && d->root)
			walk_obj(&w, d->root, o, (where_t){o->name, NULL});
		for (size_t t = 0; t < d->spec.ntemplates; t++) {
			const wf_resource *r = d->spec.templates[t].resource;
			if (!r || !r->manifest_parsed)
				continue;
			int whole = r->action && (!strcmp(r->action, "create") || !strcmp(r->action, "apply") ||
						  !strcmp(r->action, "replace"));
			walk wm = {c, r->templated, !whole, 1};
			for (size_t k = 0; k < r->ndocs; k++) {
				const ynode *root = r->docs[k].root;
				const schema_obj *mo = root ? type_of_kind(yn_get_str(root, "kind")) : NULL;
				if (mo)
					walk_obj(&wm, root, mo, (where_t){mo->name, NULL});
			}
		}
	}
}

/* Each rule is reported by the one walk; the others have no check of their own. */
const rule rules_schema[] = {
	{"schema-unknown-field", DIAG_ERROR, "a field that the type does not have",
	 "Argo decodes workflows strictly and kubectl validates objects strictly: an unknown field "
	 "(usually a typo, such as volumeMount for volumeMounts) is refused, or with lax decoding "
	 "silently dropped -- the setting you meant never takes effect.",
	 "check the spelling against the field reference",
	 "container:\n  image: alpine\n  volumeMount: []   # volumeMounts\n",
	 "container:\n  image: alpine\n  volumeMounts: []\n", schema_check},
	{"schema-type", DIAG_ERROR, "a value of the wrong type",
	 "Kubernetes and Argo decode JSON into typed fields: a quoted number where an integer must "
	 "be, a list where a mapping must be (or, in a manifest kubectl applies, a number where a "
	 "string must be) fail the whole object.",
	 "quote strings, leave numbers and booleans unquoted",
	 "ports:\n- containerPort: \"2379\"\n", "ports:\n- containerPort: 2379\n", NULL},
	{"schema-coerced", DIAG_WARNING, "a number or YAML 1.1 boolean where a string belongs",
	 "Argo's decoder turns a number or boolean into a string where the field is a string: 4 "
	 "becomes \"4\", but y, yes, on and no become \"true\" and \"false\" (YAML 1.1), so a "
	 "parameter named n is called false. kubectl apply of the same object fails instead.",
	 "quote the value",
	 "inputs:\n  parameters:\n  - name: n      # becomes \"false\"\n",
	 "inputs:\n  parameters:\n  - name: \"n\"\n", NULL},
	{"schema-required", DIAG_ERROR, "a required field is missing",
	 "The API server refuses an object without its required fields (a parameter without a name, "
	 "a volumeMount without a mountPath, a StatefulSet without a selector).",
	 "add the field", "volumeMounts:\n- name: data\n", "volumeMounts:\n- name: data\n  mountPath: /data\n", NULL},
	{"schema-enum", DIAG_ERROR, "a value outside the field's allowed values",
	 "Fields such as imagePullPolicy, a resource template's action or a StorageClass's "
	 "volumeBindingMode take one of a few words; anything else is refused.",
	 "use one of the allowed values", "imagePullPolicy: always\n", "imagePullPolicy: Always\n", NULL},
	{"schema-duplicate-key", DIAG_WARNING, "a key appears twice in one mapping",
	 "YAML forbids duplicate keys, but most decoders keep the last value silently: the first one "
	 "is ignored, whatever it says.",
	 "keep one of them", "metadata:\n  annotations: {a: x}\n  annotations: {b: y}\n",
	 "metadata:\n  annotations: {a: x, b: y}\n", NULL},
};

const size_t rules_schema_count = sizeof rules_schema / sizeof rules_schema[0];
