/* test_schema_tables.c: rehearse's field tables against Argo's published
 * JSON schema (../shared/corpus/argo-schema/schema.json, read here and
 * never shipped). Every field the tables name must exist in the schema's
 * definition of that type, and every field the schema gives an Argo type
 * must be in the tables -- so a new Argo field shows up here, not as a
 * false "unknown field" on a user's workflow. Kubernetes objects the schema
 * does not describe (group k8s) are checked by the rule fixtures instead. */
#include "tests/unit/testutil.h"

#include <cJSON.h>
#include <stdio.h>

#include "validate/schema.h"

static cJSON *load_schema(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/corpus/argo-schema/schema.json", test_shared_dir());
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	cJSON *j = cJSON_Parse(buf);
	free(buf);
	assert_non_null(j);
	return j;
}

static const char *prefix(const char *group)
{
	if (!strcmp(group, "argo"))
		return "io.argoproj.workflow.v1alpha1.";
	if (!strcmp(group, "core"))
		return "io.k8s.api.core.v1.";
	if (!strcmp(group, "meta"))
		return "io.k8s.apimachinery.pkg.apis.meta.v1.";
	return NULL;
}

static void test_tables_match_schema(void **state)
{
	(void)state;
	char err[256];
	if (schema_init(err, sizeof err))
		fail_msg("%s", err);
	cJSON *root = load_schema();
	cJSON *defs = cJSON_GetObjectItemCaseSensitive(root, "definitions");
	assert_non_null(defs);
	size_t checked = 0, fields = 0, bad = 0;
	for (size_t i = 0; i < schema_obj_count(); i++) {
		const schema_obj *o = schema_obj_at(i);
		const char *p = prefix(o->group);
		if (!p)
			continue;
		char name[256];
		snprintf(name, sizeof name, "%s%s", p, o->name);
		cJSON *def = cJSON_GetObjectItemCaseSensitive(defs, name);
		if (!def) {
			fprintf(stderr, "%s: not in the schema\n", name);
			bad++;
			continue;
		}
		cJSON *props = cJSON_GetObjectItemCaseSensitive(def, "properties");
		checked++;
		for (size_t k = 0; k < o->nfields; k++, fields++)
			if (!cJSON_GetObjectItemCaseSensitive(props, o->fields[k].name)) {
				fprintf(stderr, "%s.%s: the schema has no such field\n", o->name, o->fields[k].name);
				bad++;
			}
		if (strcmp(o->group, "argo"))
			continue;
		for (cJSON *pr = props ? props->child : NULL; pr; pr = pr->next)
			if (!schema_field_find(o, pr->string, strlen(pr->string))) {
				fprintf(stderr, "%s.%s: in the schema, missing from the tables\n", o->name, pr->string);
				bad++;
			}
	}
	printf("schema tables: %zu types and %zu fields checked against Argo's schema, %zu differences\n",
	       checked, fields, bad);
	cJSON_Delete(root);
	assert_true(checked >= 60);
	assert_int_equal(bad, 0);
}

static void test_lookup(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(schema_init(err, sizeof err), 0);
	const schema_obj *c = schema_obj_find("Container");
	assert_non_null(c);
	const schema_field *f = schema_field_find(c, "volumeMounts", 12);
	assert_non_null(f);
	assert_int_equal(f->type.kind, SK_LIST);
	assert_string_equal(f->type.elem->obj->name, "VolumeMount");
	assert_null(schema_field_find(c, "volumeMount", 11));
	f = schema_field_find(c, "imagePullPolicy", 15);
	assert_int_equal(f->nenums, 3);
	/* prefixes of a name are not the name */
	assert_null(schema_field_find(c, "volumeMountsX", 13));
	assert_non_null(schema_field_find(c, "volumeMountsX", 12));
	const schema_obj *t = schema_obj_find("Template");
	f = schema_field_find(t, "steps", 5);
	assert_int_equal(f->type.kind, SK_LIST);
	assert_int_equal(f->type.elem->kind, SK_LIST);
	assert_null(schema_obj_find("NoSuchType"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_match_schema),
		cmocka_unit_test(test_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
