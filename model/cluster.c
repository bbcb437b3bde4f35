/* cluster.c: quantities and lookups for the cluster model (cluster.h). */
#include "model/cluster.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cl_cpu_millis(const char *s, double *out)
{
	char *end;
	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	double v = strtod(s, &end);
	if (end == s || !isfinite(v) || v < 0)
		return -1;
	if (!strcmp(end, "m"))
		*out = v;
	else if (!*end)
		*out = v * 1000;
	else
		return -1;
	return 0;
}

int cl_bytes(const char *s, double *out)
{
	static const struct { const char *suffix; double mult; } units[] = {
		{"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0},
		{"Ti", 1099511627776.0}, {"Pi", 1125899906842624.0},
		{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"m", 1e-3},
		{"", 1.0},
	};
	char *end;
	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	double v = strtod(s, &end);
	if (end == s || !isfinite(v) || v < 0)
		return -1;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(end, units[i].suffix)) {
			*out = v * units[i].mult;
			return 0;
		}
	return -1;
}

const cl_pool *cl_find_pool(const cl_cluster *c, const char *name)
{
	for (size_t i = 0; i < c->npools; i++)
		if (!strcmp(c->pools[i].name, name))
			return &c->pools[i];
	return NULL;
}

const cl_storage_class *cl_find_class(const cl_cluster *c, const char *name)
{
	for (size_t i = 0; i < c->nclasses; i++)
		if (!strcmp(c->classes[i].name, name))
			return &c->classes[i];
	return NULL;
}

double cl_image_gb(const cl_cluster *c, const char *image)
{
	for (size_t i = 0; image && i < c->nimages; i++)
		if (!strcmp(c->images[i].name, image))
			return c->images[i].gb;
	return c->image_default_gb;
}

const char *cl_binding_name(cl_binding b)
{
	return b == CL_BIND_IMMEDIATE ? "Immediate" : "WaitForFirstConsumer";
}
