/* schema.h: the field tables lint checks documents against -- which
 * fields each Argo and Kubernetes type has, of which type, which are
 * required and which values an enumeration allows.
 *
 * The tables are text (validate/schema_tables.c), read once into sorted
 * arrays on first use; lookups are binary searches, so checking a document
 * costs a few comparisons per node. */
#ifndef REHEARSE_SCHEMA_H
#define REHEARSE_SCHEMA_H

#include <stddef.h>

typedef enum {
	SK_STR, SK_INT, SK_BOOL, SK_NUM, SK_INTSTR, SK_SCALAR, SK_QTY, SK_ANY, SK_OBJ, SK_LIST, SK_MAP
} schema_kind;

typedef struct schema_obj schema_obj;

typedef struct schema_type {
	schema_kind kind;
	const schema_obj *obj;            /* SK_OBJ */
	const struct schema_type *elem;   /* SK_LIST, SK_MAP */
} schema_type;

typedef struct schema_field {
	const char *name;
	int required;
	schema_type type;
	const char **enums;               /* allowed values, or NULL */
	size_t nenums;
} schema_field;

struct schema_obj {
	const char *group;                /* argo, core, meta, k8s */
	const char *name;
	schema_field *fields;             /* sorted by name */
	size_t nfields;
	size_t nrequired;                 /* fields marked required */
};

/* The table lines (schema_tables.c). */
extern const char *const schema_type_lines[];
extern const char *const schema_enum_lines[];

/* Read the tables (once). Returns 0, or -1 when out of memory or a line
 * is malformed (a bug: tests catch it), with the reason in err. */
int schema_init(char *err, size_t errlen);

size_t schema_obj_count(void);
const schema_obj *schema_obj_at(size_t i);
const schema_obj *schema_obj_find(const char *name);
const schema_field *schema_field_find(const schema_obj *o, const char *name, size_t len);
const char *schema_kind_name(const schema_type *t);

#endif
