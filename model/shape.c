/* shape.c: see shape.h. Shapes are the published Hugging Face configs;
 * llama-1b is TinyLlama-1.1B's (as in ../shared/calib/measure.py). */
#include <string.h>
#include <strings.h>

#include "model/shape.h"

static const model_shape shapes[] = {
	{"llama-1b", 2048, 5632, 22, 32, 4, 32000},
	{"llama2-7b", 4096, 11008, 32, 32, 32, 32000},
	{"llama2-13b", 5120, 13824, 40, 40, 40, 32000},
	{"llama2-70b", 8192, 28672, 80, 64, 8, 32000},
	{"llama3-8b", 4096, 14336, 32, 32, 8, 128256},
	{"llama3-70b", 8192, 28672, 80, 64, 8, 128256},
};

const model_shape *shape_find(const char *name)
{
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		if (!strcasecmp(name, shapes[i].name))
			return &shapes[i];
	return NULL;
}

size_t shape_count(void) { return sizeof shapes / sizeof shapes[0]; }
const model_shape *shape_at(size_t i) { return i < shape_count() ? &shapes[i] : NULL; }

double shape_layer_matmul_params(const model_shape *s)
{
	double h = (double)s->hidden, kvd = (double)s->kv_heads * (double)(s->hidden / s->heads);
	return 2 * h * h + 2 * h * kvd + 3 * h * (double)s->intermediate;
}

double shape_params(const model_shape *s)
{
	double h = (double)s->hidden;
	return (double)s->layers * (shape_layer_matmul_params(s) + 2 * h) + 2 * (double)s->vocab * h + h;
}

double shape_lora_params(const model_shape *s, long rank)
{
	double h = (double)s->hidden, kvd = (double)s->kv_heads * (double)(s->hidden / s->heads);
	/* q: A (h x r) and B (r x h); v: A (h x r) and B (r x kv_dim) */
	return (double)s->layers * (double)rank * (h + h + h + kvd);
}

const char *shape_check(const model_shape *s)
{
	if (s->hidden <= 0 || s->intermediate <= 0 || s->layers <= 0 || s->heads <= 0 || s->kv_heads <= 0 ||
	    s->vocab <= 0)
		return "every dimension must be positive";
	if (s->hidden % s->heads)
		return "--heads must divide --hidden";
	if (s->heads % s->kv_heads)
		return "--kv-heads must divide --heads";
	if (s->hidden > 1 << 20 || s->intermediate > 1 << 22 || s->layers > 100000 || s->vocab > 1 << 24)
		return "a dimension is too large to be a real model";
	return NULL;
}
