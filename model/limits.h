/* limits.h: the range of every number a user gives rehearse, with its unit.
 *
 * One table serves `rehearse model`'s options and the scenario loader, so
 * `--gpus-per-node 1000` and `gpu: {count: 1000}` are refused with the same
 * reason. A range is a unit, a least and a largest value, whether it must
 * be whole, and why the largest is the largest: past it the model would
 * answer for a machine or a run that cannot exist (a 1,000-GPU node), so
 * it refuses instead. Messages read as lint's do, after the name of the
 * option or key: "'-1' is not a whole number of tokens from 1 to 131072". */
#ifndef REHEARSE_LIMITS_H
#define REHEARSE_LIMITS_H

#include <stddef.h>

#include "model/shape.h"

typedef struct lim_range {
	const char *unit;   /* "tokens", "GPUs", "Gbps", "seconds" */
	double min, max;
	int whole;          /* 1: an integer */
	int above_min;      /* 1: must be greater than min (a bandwidth > 0) */
	const char *why;    /* why max is the largest (printed past it), or NULL */
} lim_range;

extern const lim_range lim_seq, lim_micro_batch, lim_nodes, lim_gpus_per_node, lim_lora_rank,
	lim_nic_gbps, lim_dataset_tokens, lim_epochs, lim_accum, lim_shape_dim, lim_seconds,
	lim_mbps, lim_image_gb, lim_model_gb, lim_price, lim_steps, lim_pool_nodes, lim_node_gpus,
	lim_hourly_price, lim_disk_price,
	lim_positive_seconds;

/* Is v inside r? 0, or -1 with the reason in err ("1000 is more than 16
 * GPUs: ..."). */
int lim_check(const lim_range *r, double v, char *err, size_t errlen);
/* A number written as text (a flag's value): 0 with *out, or -1 with the
 * reason in err ("'x' is not a whole number of tokens from 1 to 131072"). */
int lim_parse(const lim_range *r, const char *text, double *out, char *err, size_t errlen);
/* "a whole number of tokens from 1 to 131072", for messages. */
void lim_describe(const lim_range *r, char *buf, size_t len);

/* Limits that depend on the model: a sequence past the shape's context
 * window (a warning: RoPE scaling can stretch it, but the model was not
 * trained there), a LoRA rank above the narrowest targeted layer (refused:
 * it adds weights and no expressiveness). Return NULL when fine, else the
 * reason, written to buf. */
const char *lim_seq_context(const model_shape *s, long seq, char *buf, size_t len);
const char *lim_lora_rank_width(const model_shape *s, unsigned targets, long rank, char *buf, size_t len);

#endif
