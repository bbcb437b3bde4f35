/* cluster.c: quantities and lookups for the cluster model (cluster.h). */
#include "model/cluster.h"

#include "document/quantity.h"

#include <math.h>
#include <string.h>

/* Kubernetes' own grammar (document/quantity.h); negative amounts are no
 * resource a node or pod can have. */
int cl_cpu_millis(const char *s, double *out)
{
	double v;
	if (!s || quantity_parse(s, strlen(s), &v) || !isfinite(v) || v < 0)
		return -1;
	*out = v * 1000;
	return 0;
}

int cl_bytes(const char *s, double *out)
{
	double v;
	if (!s || quantity_parse(s, strlen(s), &v) || !isfinite(v) || v < 0)
		return -1;
	*out = v;
	return 0;
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
	const char *why;
	return cl_image_size(c, image, &why);
}

double cl_image_size(const cl_cluster *c, const char *image, const char **why)
{
	*why = NULL;
	for (size_t i = 0; image && i < c->nimages; i++)
		if (!strcmp(c->images[i].name, image))
			return c->images[i].gb;
	/* Training images are what makes a pull slow: a name that says PyTorch
	 * or CUDA gets facts.md's 3-4 GB, not the small default. */
	static const char *const heavy[] = {"pytorch", "cuda", "nvcr.io/", "nvidia/", "tensorflow", "deepspeed",
					    "huggingface", "vllm", NULL};
	for (size_t i = 0; image && heavy[i]; i++)
		if (strstr(image, heavy[i])) {
			*why = "a PyTorch/CUDA image: 3-4 GB compressed, facts.md";
			return 4.0;
		}
	*why = c->image_default_set ? "cluster.images.default_gb" : "cluster.images.default_gb not given: a guess";
	return c->image_default_gb;
}

const char *cl_binding_name(cl_binding b)
{
	return b == CL_BIND_IMMEDIATE ? "Immediate" : "WaitForFirstConsumer";
}
