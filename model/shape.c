/* shape.c: see shape.h. Shapes are the published Hugging Face configs;
 * llama-1b is TinyLlama-1.1B's (as in ../shared/calib/measure.py). */
#include <assert.h>
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

/* name without '-', '_' and '.', lower case: "Llama-2-7B" -> "llama27b" */
static void squash(const char *s, char *out, size_t len)
{
	size_t n = 0;
	for (; *s && n < len - 1; s++)
		if (*s != '-' && *s != '_' && *s != '.')
			out[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
	out[n] = 0;
}

const model_shape *shape_find(const char *name)
{
	char want[64], have[64];
	squash(name, want, sizeof want);
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		squash(shapes[i].name, have, sizeof have);
		if (!strcmp(want, have))
			return &shapes[i];
	}
	return NULL;
}

long shape_context(const model_shape *s)
{
	/* max_position_embeddings of the Hugging Face configs; kept apart from
	 * the shapes' rows, which the perf model reads positionally */
	static const struct { const char *name; long ctx; } ctx[] = {
		{"llama-1b", 2048}, {"llama2-7b", 4096}, {"llama2-13b", 4096}, {"llama2-70b", 4096},
		{"llama3-8b", 8192}, {"llama3-70b", 8192},
	};
	for (size_t i = 0; s && i < sizeof ctx / sizeof ctx[0]; i++)
		if (!strcmp(s->name, ctx[i].name))
			return ctx[i].ctx;
	return 0;
}

const model_shape *shape_from_model_id(const char *id)
{
	const char *base = strrchr(id, '/');
	char want[128], have[64];
	squash(base ? base + 1 : id, want, sizeof want);
	const char *w = strncmp(want, "meta", 4) ? want : want + 4;
	const model_shape *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		squash(shapes[i].name, have, sizeof have);
		size_t n = strlen(have);
		if (!strncmp(w, have, n) && n > best_len && !(w[n] >= '0' && w[n] <= '9'))
			best = &shapes[i], best_len = n;
	}
	return best;
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

unsigned shape_lora_targets(const char *list)
{
	static const struct { const char *name; unsigned bit; } names[] = {
		{"q", SHAPE_Q}, {"k", SHAPE_K}, {"v", SHAPE_V}, {"o", SHAPE_O},
		{"gate", SHAPE_GATE}, {"up", SHAPE_UP}, {"down", SHAPE_DOWN},
	};
	if (!strcasecmp(list, "all"))
		return SHAPE_LORA_ALL;
	unsigned set = 0;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		/* "q_proj" and "q" name the same layer */
		size_t base = n > 5 && !strncasecmp(p + n - 5, "_proj", 5) ? n - 5 : n;
		unsigned bit = 0;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strlen(names[i].name) == base && !strncasecmp(p, names[i].name, base))
				bit = names[i].bit;
		if (!bit)
			return 0;
		set |= bit;
		p += n;
		if (*p == ',' && *++p == 0)
			return 0; /* a trailing comma */
	}
	return set;
}

void shape_linear_dims(const model_shape *s, unsigned target, double *in, double *out)
{
	double h = (double)s->hidden, kvd = (double)s->kv_heads * (double)(s->hidden / s->heads);
	double i = (double)s->intermediate;
	switch (target) {
	case SHAPE_Q: case SHAPE_O: *in = h; *out = h; break;
	case SHAPE_K: case SHAPE_V: *in = h; *out = kvd; break;
	case SHAPE_GATE: case SHAPE_UP: *in = h; *out = i; break;
	case SHAPE_DOWN: *in = i; *out = h; break;
	default: assert(0 && "one target at a time"); *in = *out = 0;
	}
}

double shape_lora_params(const model_shape *s, long rank, unsigned targets)
{
	if (!targets)
		targets = SHAPE_LORA_DEFAULT;
	/* each target: A (in x r) and B (r x out) */
	double per_layer = 0, in, out;
	for (unsigned t = 1; t <= SHAPE_DOWN; t <<= 1)
		if (targets & t) {
			shape_linear_dims(s, t, &in, &out);
			per_layer += in + out;
		}
	return (double)s->layers * (double)rank * per_layer;
}

double shape_lora_input_width(const model_shape *s, unsigned targets)
{
	if (!targets)
		targets = SHAPE_LORA_DEFAULT;
	double sum = 0, in, out;
	for (unsigned t = 1; t <= SHAPE_DOWN; t <<= 1)
		if (targets & t) {
			shape_linear_dims(s, t, &in, &out);
			sum += in;
		}
	return sum;
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
