/* shape.h: transformer shapes (Llama family) and what follows from them:
 * parameter counts and the matmul work per token. */
#ifndef REHEARSE_SHAPE_H
#define REHEARSE_SHAPE_H

#include <stddef.h>

typedef struct model_shape {
	const char *name;
	long hidden, intermediate, layers, heads, kv_heads, vocab;
} model_shape;

/* A named shape ("llama2-7b"; case, '-', '_' and '.' do not matter, so
 * "Llama-2-7B" is the same), or NULL. */
const model_shape *shape_find(const char *name);
/* The shape of a Hugging Face model id as training scripts name it
 * ("meta-llama/Llama-2-7b-hf", "Meta-Llama-3-8B-Instruct"): the catalog
 * shape whose name starts its last path part, or NULL. */
const model_shape *shape_from_model_id(const char *id);
size_t shape_count(void);
const model_shape *shape_at(size_t i);

/* Weights of one decoder layer's matmuls (q, k, v, o, gate, up, down). */
double shape_layer_matmul_params(const model_shape *s);
/* Every weight: layers (with their two norms), embedding, lm_head, final norm. */
double shape_params(const model_shape *s);
/* The linear layers LoRA can target, as a bit set. q_proj and v_proj are
 * the seed's and the calibration's targets (SHAPE_LORA_DEFAULT). */
enum {
	SHAPE_Q = 1, SHAPE_K = 2, SHAPE_V = 4, SHAPE_O = 8, SHAPE_GATE = 16, SHAPE_UP = 32, SHAPE_DOWN = 64,
	SHAPE_LORA_DEFAULT = SHAPE_Q | SHAPE_V, SHAPE_LORA_ALL = 127
};
/* Parses "q_proj,v_proj" or "q,v" (or "all") into a target set; 0 when a
 * name is not a Llama linear layer. */
unsigned shape_lora_targets(const char *list);
/* Input and output widths of one target's linear layer. */
void shape_linear_dims(const model_shape *s, unsigned target, double *in, double *out);
/* Weights LoRA of rank r adds on the targets (0 means SHAPE_LORA_DEFAULT). */
double shape_lora_params(const model_shape *s, long rank, unsigned targets);
/* Per token and layer, the sum of the targets' input widths (0 means
 * SHAPE_LORA_DEFAULT): what LoRA's dropout keeps for backward. */
double shape_lora_input_width(const model_shape *s, unsigned targets);
/* The context window the model was trained with (published configs'
 * max_position_embeddings), or 0 when unknown (a custom shape). */
long shape_context(const model_shape *s);
/* 0 when the shape is consistent, else why not (heads divide hidden, ...). */
const char *shape_check(const model_shape *s);

#endif
