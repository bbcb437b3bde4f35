/* shape.h: transformer shapes (Llama family) and what follows from them:
 * parameter counts and the matmul work per token. */
#ifndef REHEARSE_SHAPE_H
#define REHEARSE_SHAPE_H

#include <stddef.h>

typedef struct model_shape {
	const char *name;
	long hidden, intermediate, layers, heads, kv_heads, vocab;
} model_shape;

/* A named shape ("llama2-7b", ...), or NULL. */
const model_shape *shape_find(const char *name);
size_t shape_count(void);
const model_shape *shape_at(size_t i);

/* Weights of one decoder layer's matmuls (q, k, v, o, gate, up, down). */
double shape_layer_matmul_params(const model_shape *s);
/* Every weight: layers (with their two norms), embedding, lm_head, final norm. */
double shape_params(const model_shape *s);
/* Weights LoRA of rank r adds on q_proj and v_proj (the seed's and the
 * calibration's targets). */
double shape_lora_params(const model_shape *s, long rank);
/* 0 when the shape is consistent, else why not (heads divide hidden, ...). */
const char *shape_check(const model_shape *s);

#endif
