/* limits.c: the ranges of user-given numbers (limits.h).
 *
 * Each largest value says where it comes from; a range with no reason is
 * what the model was built and tested for, and the message says so. */
#include "model/limits.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TESTED "the largest the model is built and tested for"

const lim_range lim_seq = {"tokens", 1, 131072, 1, 0,
	"no model in the catalog has a longer context (128K tokens: Llama 3.1), and the attention "
	"and activation terms are not calibrated past it"};
const lim_range lim_micro_batch = {"sequences", 1, 4096, 1, 0, TESTED};
const lim_range lim_nodes = {"nodes", 1, 15000, 1, 0, "GKE's limit on nodes in one cluster"};
const lim_range lim_pool_nodes = {"nodes", 0, 15000, 1, 0, "GKE's limit on nodes in one cluster"};
const lim_range lim_node_gpus = {"GPUs", 0, 16, 1, 0,
	"no cloud machine has more GPUs (GCP's largest, a2-megagpu-16g, has 16)"};
const lim_range lim_gpus_per_node = {"GPUs", 1, 16, 1, 0,
	"no cloud machine has more GPUs (GCP's largest, a2-megagpu-16g, has 16)"};
const lim_range lim_lora_rank = {"", 1, 65536, 1, 0, "wider than any layer of the catalog's models"};
const lim_range lim_nic_gbps = {"Gbps", 0, 3200, 0, 1,
	"the fastest GPU VM networking sold (3,200 Gbps, GCP A3 Ultra)"};
const lim_range lim_dataset_tokens = {"tokens", 1, 1e16, 0, 0, "more than any training set written"};
const lim_range lim_epochs = {"epochs", 1, 100000, 1, 0, TESTED};
const lim_range lim_accum = {"micro-steps", 1, 1000000, 1, 0, TESTED};
const lim_range lim_shape_dim = {"", 1, 100000000, 1, 0, TESTED};
/* about three years: the simulated clock stops long before (sim's horizon) */
const lim_range lim_seconds = {"seconds", 0, 1e8, 0, 0, "about three years, past any run the simulator follows"};
const lim_range lim_positive_seconds = {"seconds", 0, 1e8, 0, 1,
	"about three years, past any run the simulator follows"};
const lim_range lim_mbps = {"MB/s", 0, 1e6, 0, 1, "1 TB/s, faster than any node's disk or network"};
const lim_range lim_image_gb = {"GB", 0, 1000, 0, 0, "no registry serves container images that large"};
const lim_range lim_model_gb = {"GB", 0, 10000, 0, 0, "10 TB of weights, past any model there is"};
const lim_range lim_price = {"$ per node-hour", 0, 100000, 0, 0, "no cloud node costs that much"};
const lim_range lim_steps = {"steps", 1, 1e9, 1, 0, TESTED};
/* a cluster fee or a load balancer: GKE's are $0.10 and $0.025 an hour */
const lim_range lim_hourly_price = {"$ per hour", 0, 10000, 0, 0, "no cluster fee or load balancer costs that much"};
/* disks: PD-SSD is $0.17 per GB-month, the dearest cloud disks a few dollars */
const lim_range lim_disk_price = {"$ per GB-month", 0, 100, 0, 0, "no cloud disk costs that much"};

void lim_describe(const lim_range *r, char *buf, size_t len)
{
	const char *u = r->unit[0] ? " of " : "";
	if (r->above_min)
		snprintf(buf, len, "a %snumber%s%s above %g, up to %g", r->whole ? "whole " : "", u, r->unit,
			 r->min, r->max);
	else
		snprintf(buf, len, "a %snumber%s%s from %g to %.15g", r->whole ? "whole " : "", u, r->unit,
			 r->min, r->max);
}

int lim_check(const lim_range *r, double v, char *err, size_t errlen)
{
	char want[160];
	lim_describe(r, want, sizeof want);
	if (isnan(v) || (r->whole && v != floor(v)) || v < r->min || (r->above_min && v <= r->min)) {
		snprintf(err, errlen, "%.15g is not %s", v, want);
		return -1;
	}
	if (v > r->max) {
		snprintf(err, errlen, "%.15g is more than %.15g%s%s: %s", v, r->max, r->unit[0] ? " " : "", r->unit,
			 r->why ? r->why : TESTED);
		return -1;
	}
	return 0;
}

int lim_parse(const lim_range *r, const char *text, double *out, char *err, size_t errlen)
{
	char want[160], *end;
	lim_describe(r, want, sizeof want);
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || isnan(v) || errno == EINVAL || (r->whole && v != floor(v)) ||
	    v < r->min || (r->above_min && v <= r->min)) {
		snprintf(err, errlen, "'%s' is not %s", text, want);
		return -1;
	}
	if (lim_check(r, v, err, errlen))
		return -1;
	*out = v;
	return 0;
}

const char *lim_seq_context(const model_shape *s, long seq, char *buf, size_t len)
{
	long ctx = shape_context(s);
	if (!ctx || seq <= ctx)
		return NULL;
	snprintf(buf, len, "a sequence of %ld tokens is beyond %s's %ld-token context: the model was not "
		 "trained on those positions (it needs RoPE scaling to use them); time and memory are "
		 "extrapolated", seq, s->name, ctx);
	return buf;
}

const char *lim_lora_rank_width(const model_shape *s, unsigned targets, long rank, char *buf, size_t len)
{
	double narrow = 0, in, out;
	if (!targets)
		targets = SHAPE_LORA_DEFAULT;
	for (unsigned t = 1; t <= SHAPE_DOWN; t <<= 1)
		if (targets & t) {
			shape_linear_dims(s, t, &in, &out);
			double w = in < out ? in : out;
			if (!narrow || w < narrow)
				narrow = w;
		}
	if (!narrow || rank <= narrow)
		return NULL;
	snprintf(buf, len, "LoRA rank %ld is more than the narrowest targeted layer of %s (%.0f wide): the "
		 "adapter would hold more weights than the layer it adapts and could express nothing more",
		 rank, s->name, narrow);
	return buf;
}
