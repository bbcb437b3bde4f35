/* schema.c: see schema.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/schema.h"

static schema_obj *objs;
static size_t nobjs;
static int ready;

static int cmp_obj(const void *a, const void *b)
{
	return strcmp(((const schema_obj *)a)->name, ((const schema_obj *)b)->name);
}

static int cmp_field(const void *a, const void *b)
{
	return strcmp(((const schema_field *)a)->name, ((const schema_field *)b)->name);
}

const schema_obj *schema_obj_find(const char *name)
{
	schema_obj key = {.name = name};
	return objs ? bsearch(&key, objs, nobjs, sizeof *objs, cmp_obj) : NULL;
}

const schema_field *schema_field_find(const schema_obj *o, const char *name, size_t len)
{
	size_t lo = 0, hi = o->nfields;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *f = o->fields[mid].name;
		int c = strncmp(f, name, len);
		if (!c)
			c = f[len] ? 1 : 0;
		if (!c)
			return &o->fields[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

size_t schema_obj_count(void) { return nobjs; }
const schema_obj *schema_obj_at(size_t i) { return i < nobjs ? &objs[i] : NULL; }

const char *schema_kind_name(const schema_type *t)
{
	switch (t->kind) {
	case SK_STR: return "a string";
	case SK_INT: return "an integer";
	case SK_BOOL: return "true or false";
	case SK_NUM: return "a number";
	case SK_INTSTR: return "an integer or a string";
	case SK_SCALAR: return "a single value";
	case SK_QTY: return "a quantity";
	case SK_ANY: return "anything";
	case SK_OBJ: return "a mapping";
	case SK_LIST: return "a list";
	case SK_MAP: return "a mapping";
	}
	return "?";
}

/* Parse a type at *p ("s", "[Container]", "{q}", "[[WorkflowStep]]"). Object
 * names are kept in t->obj as a name to resolve later (cast). */
static int parse_type(const char **p, schema_type *t)
{
	const char *s = *p;
	memset(t, 0, sizeof *t);
	if (*s == '[' || *s == '{') {
		char close = *s == '[' ? ']' : '}';
		t->kind = *s == '[' ? SK_LIST : SK_MAP;
		schema_type *e = calloc(1, sizeof *e);
		if (!e)
			return -1;
		s++;
		if (parse_type(&s, e) || *s != close) {
			free(e);
			return -1;
		}
		t->elem = e;
		*p = s + 1;
		return 0;
	}
	size_t n = strcspn(s, " ]}");
	if (!n)
		return -1;
	if (n == 1) {
		static const char codes[] = "sibnxvqa";
		static const schema_kind kinds[] = {SK_STR, SK_INT, SK_BOOL, SK_NUM, SK_INTSTR, SK_SCALAR, SK_QTY, SK_ANY};
		const char *c = strchr(codes, *s);
		if (!c)
			return -1;
		t->kind = kinds[c - codes];
	} else {
		char *name = strndup(s, n);
		if (!name)
			return -1;
		t->kind = SK_OBJ;
		t->obj = (const schema_obj *)name; /* resolved in resolve() */
	}
	*p = s + n;
	return 0;
}

static int resolve(schema_type *t, char *err, size_t errlen)
{
	if (t->kind == SK_OBJ) {
		char *name = (char *)t->obj;
		t->obj = schema_obj_find(name);
		if (!t->obj) {
			snprintf(err, errlen, "schema: unknown type '%s'", name);
			free(name);
			return -1;
		}
		free(name);
		return 0;
	}
	if (t->elem)
		return resolve((schema_type *)t->elem, err, errlen);
	return 0;
}

int schema_init(char *err, size_t errlen)
{
	if (ready)
		return 0;
	size_t n = 0;
	while (schema_type_lines[n])
		n++;
	objs = calloc(n, sizeof *objs);
	if (!objs)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		const char *line = schema_type_lines[i];
		char group[16], name[64];
		int used;
		if (sscanf(line, "%15s %63s%n", group, name, &used) != 2) {
			snprintf(err, errlen, "schema: bad line '%.40s'", line);
			return -1;
		}
		schema_obj *o = &objs[nobjs++];
		o->group = strdup(group);
		o->name = strdup(name);
		size_t cap = 0;
		for (const char *c = line + used; *c; c++)
			cap += *c == ':';
		o->fields = calloc(cap ? cap : 1, sizeof *o->fields);
		if (!o->group || !o->name || !o->fields)
			goto oom;
		const char *p = line + used;
		while (*p == ' ')
			p++;
		while (*p) {
			schema_field *f = &o->fields[o->nfields++];
			size_t fl = strcspn(p, ":!");
			f->name = strndup(p, fl);
			p += fl;
			if (*p == '!') {
				f->required = 1;
				o->nrequired++;
				p++;
			}
			if (!f->name || *p != ':') {
				snprintf(err, errlen, "schema: bad field in %s", name);
				return -1;
			}
			p++;
			if (parse_type(&p, &f->type)) {
				snprintf(err, errlen, "schema: bad type of %s.%s", name, f->name);
				return -1;
			}
			while (*p == ' ')
				p++;
		}
		qsort(o->fields, o->nfields, sizeof *o->fields, cmp_field);
	}
	qsort(objs, nobjs, sizeof *objs, cmp_obj);
	for (size_t i = 0; i < nobjs; i++)
		for (size_t k = 0; k < objs[i].nfields; k++)
			if (resolve(&objs[i].fields[k].type, err, errlen))
				return -1;
	for (size_t i = 0; schema_enum_lines[i]; i++) {
		const char *line = schema_enum_lines[i];
		const char *dot = strchr(line, '.'), *eq = strchr(line, '=');
		if (!dot || !eq || eq < dot) {
			snprintf(err, errlen, "schema: bad enum line '%s'", line);
			return -1;
		}
		char tn[64];
		snprintf(tn, sizeof tn, "%.*s", (int)(dot - line), line);
		const schema_obj *o = schema_obj_find(tn);
		schema_field *f = o ? (schema_field *)schema_field_find(o, dot + 1, (size_t)(eq - dot - 1)) : NULL;
		if (!f) {
			snprintf(err, errlen, "schema: enum for unknown field '%.*s'", (int)(eq - line), line);
			return -1;
		}
		size_t cnt = 1;
		for (const char *c = eq + 1; *c; c++)
			cnt += *c == '|';
		f->enums = calloc(cnt, sizeof *f->enums);
		if (!f->enums)
			goto oom;
		const char *v = eq + 1;
		for (;;) {
			size_t vl = strcspn(v, "|");
			if (!(f->enums[f->nenums++] = strndup(v, vl)))
				goto oom;
			if (!v[vl])
				break;
			v += vl + 1;
		}
	}
	ready = 1;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}
