/* cmd_model.c: `rehearse model` -- step time and peak GPU memory of a
 * fine-tune (model/perf.h), and `--calib-report`, the model against the
 * calibration measurements. */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/perf.h"
#include "reports/jsonout.h"

static const char usage[] =
	"usage: rehearse model --gpu GPU --model SHAPE [options]\n"
	"       rehearse model --calib-report [FILE]\n"
	"  -g, --gpu GPU           v100-16 v100-32 a100-40 a100-80 h100 h100-pcie h200 l4\n"
	"  -m, --model SHAPE       llama-1b llama2-7b llama2-13b llama2-70b llama3-8b llama3-70b, or custom\n"
	"      --hidden N --intermediate N --layers N --heads N --kv-heads N --vocab N   (custom shape)\n"
	"      --method lora|full  (default lora)      --lora-rank R (default 8)\n"
	"      --lora-targets LIST q,k,v,o,gate,up,down (or q_proj,...; or all; default q,v)\n"
	"      --fp32-master       weights, gradients and AdamW state in fp32, matmuls in fp16/bf16\n"
	"                          (FSDP mixed precision, as llama-recipes on V100); default: all fp16/bf16\n"
	"      --seq N (default 4096)  --micro-batch N (default 1)\n"
	"      --recompute none|full|selective  activations recomputed in backward (default none;\n"
	"                          selective: attention only); --grad-ckpt is --recompute full\n"
	"      --tp N              tensor parallelism over N GPUs of a node (default 1)\n"
	"      --nodes N (default 1)   --gpus-per-node G (default 1)  --nic-gbps X (default 50)\n"
	"      --strategy auto|full-shard|hybrid-shard|shard-grad-op|no-shard|ddp  (default auto:\n"
	"                          every strategy ranked, the fastest that fits recommended)\n"
	"      --dataset-tokens N [--epochs E] [--accum A]   also: steps and training time\n"
	"      --price-per-gpu-hour P   also: what training costs at $P per GPU-hour\n"
	"  -f, --format text|json  (default text)\n"
	"      --calib-report [FILE]  predicted vs measured for calib/h100.jsonl: in $SHARED, ../shared\n"
	"                          or the data directories (`rehearse --help`), or FILE\n";

/* The training run: steps = dataset tokens / (seq x micro-batch x world x
 * accumulation), rounded up, x epochs; each optimizer step runs `accum`
 * micro-steps. */
typedef struct run_plan {
	double tokens;
	long epochs, accum;
	double price;             /* $ per GPU-hour; 0: not given */
} run_plan;

/* What the GPUs cost while training (steps only: no start-up, no idle
 * time -- `rehearse simulate` counts those): per million tokens from the
 * step's throughput, and for the run when its tokens are known. */
/* Far above any GPU's list price (an H200 is about $10 a GPU-hour). */
static const lim_range lim_gpu_price = {"$ per GPU-hour", 0, 1000, 0, 1,
					"no cloud GPU costs that much"};

typedef struct run_cost {
	double usd_per_mtokens, usd, gpu_hours;
} run_cost;

static run_cost plan_cost(const perf_in *in, const perf_out *o, const run_plan *r, double steps)
{
	run_cost c = {0};
	double gpus = (double)(in->nodes * in->gpus_per_node);
	if (o->tokens_per_s > 0)
		c.usd_per_mtokens = 1e6 / o->tokens_per_s * gpus * r->price / 3600;
	if (steps > 0) {
		c.gpu_hours = steps * (double)r->accum * o->step_s * gpus / 3600;
		c.usd = c.gpu_hours * r->price;
	}
	return c;
}

/* Data-parallel ranks: each takes its own micro-batches; the GPUs of a
 * tensor-parallel group share theirs. */
static long dp_ranks(const perf_in *in)
{
	return in->nodes * in->gpus_per_node / (in->tp > 1 ? in->tp : 1);
}

static double plan_steps(const perf_in *in, const run_plan *r)
{
	double per = (double)in->seq * (double)in->micro_batch * (double)dp_ranks(in) * (double)r->accum;
	return ceil(r->tokens / per) * (double)r->epochs;
}

/* The recommendation: the fastest strategy that fits, and why, against
 * full-shard (what llama-recipes and the seed run). opt is ranked. */
static void advice(const perf_in *in, const perf_option *opt, char *buf, size_t len)
{
	const double GiB = 1073741824.0;
	const perf_option *fs = opt;
	while (fs->strategy != PERF_FULL_SHARD)
		fs++;
	int best = perf_recommend(opt);
	const perf_out *b = &opt[best < 0 ? 0 : best].out;
	const char *name = perf_strategy_name(opt[best < 0 ? 0 : best].strategy);
	if (best < 0) {
		snprintf(buf, len, "no strategy fits; full-shard %s%s", fs->why,
			 in->grad_ckpt != PERF_CKPT_FULL ? " (try --grad-ckpt)"
			 : in->gpus_per_node > 1 && in->tp <= 1 ? " (try --tp)" : " (try more GPUs)");
		return;
	}
	char where[64];
	if (in->nodes > 1)
		snprintf(where, sizeof where, "at %g Gbit/s", in->nic_bps / 1e9);
	else
		snprintf(where, sizeof where, "over %s", in->gpu->link);
	if (fs->out.fits && b->step_s >= fs->out.step_s / (1 + PERF_TIE))
		snprintf(buf, len, "%s: as fast as any that fits (%.2f s a step %s) and the least memory: %.2f GiB of %.0f",
			 name, b->step_s, where, b->peak_bytes / GiB, in->gpu->mem_bytes / GiB);
	else if (!fs->out.fits)
		snprintf(buf, len, "%s: the fastest that fits (%.2f s a step %s; full-shard does not fit); fits in %.2f GiB of %.0f",
			 name, b->step_s, where, b->peak_bytes / GiB, in->gpu->mem_bytes / GiB);
	else
		snprintf(buf, len, "%s: %.2fx faster than full-shard %s; fits in %.2f GiB of %.0f", name,
			 fs->out.step_s / b->step_s, where, b->peak_bytes / GiB, in->gpu->mem_bytes / GiB);
}

static void strategy_table(const perf_in *in, const perf_option *opt)
{
	const double GiB = 1073741824.0;
	printf("strategy        step s   peak GiB  bound by / why not          collectives per step: GPU link, NIC\n");
	for (int i = 0; i < PERF_NSTRATEGY; i++) {
		const perf_out *o = &opt[i].out;
		printf("%-14s %7.3f %10.2f  ", perf_strategy_name(opt[i].strategy), o->step_s, o->peak_bytes / GiB);
		if (!o->fits) {
			printf("DOES NOT FIT: %s\n", opt[i].why);
			continue;
		}
		printf("%-27s %6.2f GB, %6.2f GB", perf_bound_name(o->bound), o->bytes_link / 1e9,
		       in->nodes > 1 ? o->bytes_nic / 1e9 : 0);
		if (o->allreduce)
			printf(" (all-reduce: %s)", o->allreduce);
		printf("%s\n", i == perf_recommend(opt) ? "  <- recommended" : "");
	}
	char why[300];
	advice(in, opt, why, sizeof why);
	printf("recommended: %s\n\n", why);
}

static void text_report(const perf_in *in, const perf_out *o, const run_plan *r, const perf_option *opt)
{
	const double GiB = 1073741824.0;
	static const char *const ckpt[] = {"", ", gradient checkpointing", ", selective recompute (attention)"};
	printf("%s on %s, %s%s, seq %ld x micro-batch %ld%s, %ld node%s x %ld GPU%s", in->shape->name,
	       in->gpu->label, in->lora ? "LoRA" : "full fine-tune", in->lora ? "" : "",
	       in->seq, in->micro_batch, ckpt[in->grad_ckpt], in->nodes,
	       in->nodes == 1 ? "" : "s", in->gpus_per_node, in->gpus_per_node == 1 ? "" : "s");
	if (in->tp > 1)
		printf(", tensor parallel over %ld", in->tp);
	printf("\n");
	printf("  %s%s, %.2f B parameters, %.4g M trained", in->gpu->bf16 ? "bf16" : "fp16 (no bf16 on this GPU)",
	       in->fp32_master ? " matmuls, fp32 master weights" : "", o->params / 1e9, o->trainable / 1e6);
	if (in->lora) {
		static const char *const names[] = {"q", "k", "v", "o", "gate", "up", "down"};
		unsigned t = in->lora_targets ? in->lora_targets : SHAPE_LORA_DEFAULT;
		printf(" (rank %ld on", in->lora_rank);
		for (int i = 0; i < 7; i++)
			if (t & (1u << i))
				printf(" %s_proj", names[i]);
		printf(")");
	}
	printf("\n");
	if (opt)
		strategy_table(in, opt);
	if (dp_ranks(in) > 1)
		printf("%s%s\n", opt ? "details of " : "strategy: ", perf_strategy_name(in->strategy));
	printf("step      %8.3f s   %9.0f tokens/s   MFU %.0f%%   bound by %s\n", o->step_s, o->tokens_per_s,
	       o->mfu * 100, perf_bound_name(o->bound));
	printf("  matmuls            %8.3f s\n", o->t_matmul);
	printf("  attention          %8.3f s\n", o->t_attention);
	printf("  memory-bound ops   %8.3f s\n", o->t_memory);
	printf("  optimizer          %8.3f s\n", o->t_optimizer);
	if (o->t_comm > 0)
		printf("  collectives        %8.3f s (%.3f s not hidden behind compute; GPU link %.3f s, NIC %.3f s)\n",
		       o->t_comm, o->t_comm_exposed, o->t_link, o->t_nic);
	if (o->t_tp > 0)
		printf("  tensor parallel    %8.3f s (all-reduces of activations, not hidden)\n", o->t_tp);
	printf("  GPU total          %8.3f s;  host launching kernels %.3f s\n", o->t_gpu, o->t_host);
	printf("memory    %8.2f GiB of %.0f GiB: %s\n", o->peak_bytes / GiB, in->gpu->mem_bytes / GiB,
	       o->fits ? "fits" : "OUT OF MEMORY");
	if (o->shard > 1)
		printf("  weights            %8.2f GiB (sharded over %.0f GPUs)\n", o->m_weights / GiB,
		       o->shard * (in->tp > 1 ? (double)in->tp : 1));
	else
		printf("  weights            %8.2f GiB%s\n", o->m_weights / GiB,
		       in->tp > 1 ? " (a tensor-parallel slice)" : dp_ranks(in) > 1 ? " (a replica on every GPU)" : "");
	if (o->m_gathered > 0)
		printf("  gathered layers    %8.2f GiB%s\n", o->m_gathered / GiB,
		       in->strategy == PERF_SHARD_GRAD_OP && o->shard > 1 ? " (all of them, forward to backward)" : "");
	printf("  %-18s %8.2f GiB\n", in->lora ? "LoRA adapters" : "optimizer state", o->m_trainable / GiB);
	if (o->m_grads > 0)
		printf("  gradients          %8.2f GiB (beyond the activations they replace)\n", o->m_grads / GiB);
	if (o->m_buckets > 0)
		printf("  DDP buckets        %8.2f GiB (a copy of the gradients)\n", o->m_buckets / GiB);
	printf("  activations        %8.2f GiB\n", o->m_activations / GiB);
	printf("  logits             %8.2f GiB\n", o->m_logits / GiB);
	printf("  workspace          %8.2f GiB\n", o->m_overhead / GiB);
	if (r->tokens > 0) {
		double steps = plan_steps(in, r), secs = steps * (double)r->accum * o->step_s;
		double gpu_h = secs * (double)(in->nodes * in->gpus_per_node) / 3600;
		printf("training  %.0f steps (%.3g tokens, %ld epoch%s, accumulation %ld): %.0f s (%.1f min), %.*f GPU-hours\n",
		       steps, r->tokens, r->epochs, r->epochs == 1 ? "" : "s", r->accum, secs, secs / 60,
		       gpu_h < 100 ? 2 : 0, gpu_h);
	}
	if (r->price > 0) {
		run_cost c = plan_cost(in, o, r, r->tokens > 0 ? plan_steps(in, r) : 0);
		long gpus = in->nodes * in->gpus_per_node;
		printf("cost      $%.2f per million tokens at $%.2f per GPU-hour x %ld GPU%s", c.usd_per_mtokens,
		       r->price, gpus, gpus == 1 ? "" : "s");
		if (r->tokens > 0)
			printf("; training $%.2f (%.2f GPU-hours, $%.2f per epoch)", c.usd, c.gpu_hours,
			       c.usd / (double)r->epochs);
		printf("\n          steps only: start-up, downloads and idle GPUs are not counted "
		       "(rehearse simulate counts them)\n");
	}
}

static int json_report(const perf_in *in, const perf_out *o, const run_plan *rp, const perf_option *opt)
{
	const double GiB = 1073741824.0;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "strategy", perf_strategy_name(in->strategy));
	if (opt) {
		char why[300];
		advice(in, opt, why, sizeof why);
		cJSON_AddStringToObject(r, "recommendation", why);
		/* the factor over full-shard, when both fit: a number for CI */
		int best = perf_recommend(opt), fs = 0;
		while (opt[fs].strategy != PERF_FULL_SHARD)
			fs++;
		if (best >= 0 && opt[fs].out.fits)
			cJSON_AddNumberToObject(r, "speedup_vs_full_shard",
						round(opt[fs].out.step_s / opt[best].out.step_s * 1000) / 1000);
		cJSON *a = cJSON_AddArrayToObject(r, "strategies");
		for (int i = 0; i < PERF_NSTRATEGY; i++) {
			const perf_out *x = &opt[i].out;
			cJSON *e = cJSON_CreateObject();
			cJSON_AddItemToArray(a, e);
			cJSON_AddStringToObject(e, "strategy", perf_strategy_name(opt[i].strategy));
			cJSON_AddNumberToObject(e, "step_s", round(x->step_s * 1e5) / 1e5);
			cJSON_AddNumberToObject(e, "peak_gib", round(x->peak_bytes / GiB * 1000) / 1000);
			cJSON_AddBoolToObject(e, "fits", x->fits);
			cJSON_AddStringToObject(e, "bound", perf_bound_name(x->bound));
			cJSON_AddNumberToObject(e, "link_gb", round(x->bytes_link / 1e6) / 1e3);
			cJSON_AddNumberToObject(e, "nic_gb", round(x->bytes_nic / 1e6) / 1e3);
			if (!x->fits)
				cJSON_AddStringToObject(e, "why_not", opt[i].why);
		}
	}
	cJSON_AddStringToObject(r, "gpu", in->gpu->name);
	cJSON_AddStringToObject(r, "model", in->shape->name);
	cJSON_AddStringToObject(r, "method", in->lora ? "lora" : "full");
	if (in->lora) {
		static const char *const names[] = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
		unsigned t = in->lora_targets ? in->lora_targets : SHAPE_LORA_DEFAULT;
		cJSON_AddNumberToObject(r, "lora_rank", (double)in->lora_rank);
		cJSON *ts = cJSON_AddArrayToObject(r, "lora_targets");
		for (int i = 0; i < 7; i++)
			if (t & (1u << i))
				cJSON_AddItemToArray(ts, cJSON_CreateString(names[i]));
	}
	cJSON_AddNumberToObject(r, "seq", (double)in->seq);
	cJSON_AddNumberToObject(r, "micro_batch", (double)in->micro_batch);
	static const char *const ckpt[] = {"none", "full", "selective"};
	cJSON_AddBoolToObject(r, "grad_ckpt", in->grad_ckpt == PERF_CKPT_FULL);
	cJSON_AddStringToObject(r, "recompute", ckpt[in->grad_ckpt]);
	cJSON_AddNumberToObject(r, "tp", in->tp > 1 ? (double)in->tp : 1);
	cJSON_AddBoolToObject(r, "fp32_master", in->fp32_master);
	cJSON_AddNumberToObject(r, "world_size", (double)(in->nodes * in->gpus_per_node));
	cJSON_AddNumberToObject(r, "step_s", round(o->step_s * 1e5) / 1e5);
	cJSON_AddNumberToObject(r, "tokens_per_s", round(o->tokens_per_s));
	cJSON_AddNumberToObject(r, "peak_gib", round(o->peak_bytes / GiB * 1000) / 1000);
	cJSON_AddBoolToObject(r, "fits", o->fits);
	cJSON_AddNumberToObject(r, "mfu", round(o->mfu * 1000) / 1000);
	cJSON_AddStringToObject(r, "bound", perf_bound_name(o->bound));
	if (rp->tokens > 0) {
		double steps = plan_steps(in, rp);
		cJSON_AddNumberToObject(r, "steps", steps);
		cJSON_AddNumberToObject(r, "train_s", round(steps * (double)rp->accum * o->step_s * 10) / 10);
		cJSON_AddNumberToObject(r, "train_gpu_hours",
					round(steps * (double)rp->accum * o->step_s * (double)(in->nodes * in->gpus_per_node) /
					      3600 * 1000) / 1000);
	}
	if (rp->price > 0) {
		run_cost c = plan_cost(in, o, rp, rp->tokens > 0 ? plan_steps(in, rp) : 0);
		cJSON_AddNumberToObject(r, "price_per_gpu_hour", rp->price);
		cJSON_AddNumberToObject(r, "usd_per_mtokens", round(c.usd_per_mtokens * 1000) / 1000);
		if (rp->tokens > 0) {
			cJSON_AddNumberToObject(r, "train_usd", round(c.usd * 1000) / 1000);
		}
	}
	cJSON *t = cJSON_AddObjectToObject(r, "time_s");
	cJSON_AddNumberToObject(t, "matmul", o->t_matmul);
	cJSON_AddNumberToObject(t, "attention", o->t_attention);
	cJSON_AddNumberToObject(t, "memory_bound", o->t_memory);
	cJSON_AddNumberToObject(t, "optimizer", o->t_optimizer);
	cJSON_AddNumberToObject(t, "collectives", o->t_comm);
	cJSON_AddNumberToObject(t, "collectives_exposed", o->t_comm_exposed);
	cJSON_AddNumberToObject(t, "collectives_link", o->t_link);
	cJSON_AddNumberToObject(t, "collectives_nic", o->t_nic);
	cJSON_AddNumberToObject(t, "tensor_parallel", o->t_tp);
	cJSON_AddNumberToObject(t, "host", o->t_host);
	cJSON *m = cJSON_AddObjectToObject(r, "memory_gib");
	cJSON_AddNumberToObject(m, "weights", o->m_weights / GiB);
	cJSON_AddNumberToObject(m, "gathered", o->m_gathered / GiB);
	cJSON_AddNumberToObject(m, "trainable_state", o->m_trainable / GiB);
	cJSON_AddNumberToObject(m, "gradients", o->m_grads / GiB);
	cJSON_AddNumberToObject(m, "ddp_buckets", o->m_buckets / GiB);
	cJSON_AddNumberToObject(m, "activations", o->m_activations / GiB);
	cJSON_AddNumberToObject(m, "logits", o->m_logits / GiB);
	cJSON_AddNumberToObject(m, "workspace", o->m_overhead / GiB);
	return report_json_write(stdout, r) ? EXIT_USAGE : EXIT_CLEAN;
}

/* One calibration line: the fields the model needs, by hand from cJSON. */
static int calib_report(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "rehearse model: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	char line[4096];
	double es[256], em[256];
	size_t n = 0, lineno = 0;
	printf("%-11s %-4s %5s %3s %4s | %8s %8s %6s | %7s %7s %6s\n", "shape", "mode", "seq", "mb", "ckpt",
	       "step_s", "measured", "err", "GiB", "measured", "err");
	while (fgets(line, sizeof line, f) && n < 256) {
		lineno++;
		cJSON *j = cJSON_Parse(line);
		const cJSON *step = cJSON_GetObjectItemCaseSensitive(j, "step_s");
		if (!j || !cJSON_IsNumber(step)) {
			cJSON_Delete(j);
			continue; /* a header or a skipped configuration */
		}
		const char *sh = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "shape"));
		const char *mode = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "mode"));
		perf_in in = {gpu_find("h100"), sh ? shape_find(sh) : NULL, mode && !strcmp(mode, "lora"), 8,
			      (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "seq")),
			      (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "micro_batch")),
			      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "grad_ckpt")), 1, 1, 50e9, 0, 0, PERF_FULL_SHARD, 1};
		double ms = step->valuedouble;
		double mg = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "peak_gib"));
		perf_out o;
		char err[200];
		if (!in.shape || perf_estimate(&in, &o, err, sizeof err)) {
			fprintf(stderr, "rehearse model: %s:%zu: cannot model this point\n", path, lineno);
			cJSON_Delete(j);
			fclose(f);
			return EXIT_USAGE;
		}
		double pg = o.peak_bytes / 1073741824.0;
		es[n] = fabs(o.step_s / ms - 1);
		em[n] = fabs(pg / mg - 1);
		printf("%-11s %-4s %5ld %3ld %4s | %8.3f %8.3f %+5.0f%% | %7.1f %7.1f %+5.0f%%\n", sh, mode, in.seq,
		       in.micro_batch, in.grad_ckpt ? "yes" : "no", o.step_s, ms, 100 * (o.step_s / ms - 1), pg, mg,
		       100 * (pg / mg - 1));
		n++;
		cJSON_Delete(j);
	}
	fclose(f);
	if (!n) {
		fprintf(stderr, "rehearse model: %s: no measurements\n", path);
		return EXIT_USAGE;
	}
	/* medians by insertion sort (a few dozen points) */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && es[k] < es[k - 1]; k--) {
			double t = es[k]; es[k] = es[k - 1]; es[k - 1] = t;
		}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && em[k] < em[k - 1]; k--) {
			double t = em[k]; em[k] = em[k - 1]; em[k - 1] = t;
		}
	printf("%zu points: step time median error %.1f%%, largest %.1f%%; peak memory median error %.1f%%, "
	       "largest %.1f%%\n", n, 100 * es[n / 2], 100 * es[n - 1], 100 * em[n / 2], 100 * em[n - 1]);
	printf("targets: step median <= 10%%, every point <= 25%%, memory median <= 10%%: %s\n",
	       es[n / 2] <= 0.10 && es[n - 1] <= 0.25 && em[n / 2] <= 0.10 ? "met" : "NOT met");
	return EXIT_CLEAN;
}

int cmd_model(int argc, char **argv)
{
	enum { O_HIDDEN = 256, O_INTER, O_LAYERS, O_HEADS, O_KV, O_VOCAB, O_METHOD, O_RANK, O_SEQ, O_MB, O_CKPT,
	       O_NODES, O_GPN, O_NIC, O_CALIB, O_TOKENS, O_EPOCHS, O_ACCUM,
	       O_TARGETS, O_MASTER, O_STRATEGY, O_PRICE, O_TP, O_RECOMPUTE };
	static const cli_opt opts[] = {
		{"gpu", 'g', 1, 'g'}, {"model", 'm', 1, 'm'},
		{"format", 'f', 1, 'f'}, {"hidden", 0, 1, O_HIDDEN},
		{"intermediate", 0, 1, O_INTER}, {"layers", 0, 1, O_LAYERS},
		{"heads", 0, 1, O_HEADS}, {"kv-heads", 0, 1, O_KV},
		{"vocab", 0, 1, O_VOCAB}, {"method", 0, 1, O_METHOD},
		{"lora-rank", 0, 1, O_RANK}, {"seq", 0, 1, O_SEQ},
		{"micro-batch", 0, 1, O_MB}, {"grad-ckpt", 0, 0, O_CKPT},
		{"nodes", 0, 1, O_NODES}, {"gpus-per-node", 0, 1, O_GPN},
		{"nic-gbps", 0, 1, O_NIC}, {"calib-report", 0, 0, O_CALIB},
		{"dataset-tokens", 0, 1, O_TOKENS}, {"epochs", 0, 1, O_EPOCHS},
		{"accum", 0, 1, O_ACCUM}, {"lora-targets", 0, 1, O_TARGETS},
		{"fp32-master", 0, 0, O_MASTER}, {"strategy", 0, 1, O_STRATEGY},
		{"price-per-gpu-hour", 0, 1, O_PRICE}, {"tp", 0, 1, O_TP},
		{"recompute", 0, 1, O_RECOMPUTE}, {"help", 'h', 0, 'h'},
		{0},
	};
	perf_in in = {NULL, NULL, 1, 8, 4096, 1, 0, 1, 1, 50e9, 0, 0, PERF_FULL_SHARD, 1};
	model_shape custom = {"custom", 0, 0, 0, 0, 0, 32000};
	int have_custom = 0, json = 0, calib = 0, pick = 1;
	run_plan plan = {0, 1, 1, 0};
	const char *shape_name = NULL;
	const char *calib_path = NULL;
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int c; (c = cli_next(&p)) != CLI_DONE;) {
		double v = 0;
		const char *a = p.arg;
		const char *opt = p.opt;
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_CLEAN;
		case CLI_ARG:
			if (calib_path)
				return cli_usage_error(usage, "model", "unexpected argument '%s'", a);
			calib_path = a;
			break;
		case 'g':
			if (!(in.gpu = gpu_find(a)))
				return cli_usage_error(usage, "model", "unknown GPU '%s'", a);
			break;
		case 'm':
			shape_name = a;
			break;
		case 'f':
			if (strcmp(a, "text") && strcmp(a, "json"))
				return cli_usage_error(usage, "model", "unknown format '%s'", a);
			json = !strcmp(a, "json");
			break;
		case O_METHOD:
			if (strcmp(a, "lora") && strcmp(a, "full"))
				return cli_usage_error(usage, "model", "--method is lora or full, not '%s'", a);
			in.lora = !strcmp(a, "lora");
			break;
		case O_CKPT:
			in.grad_ckpt = PERF_CKPT_FULL;
			break;
		case O_RECOMPUTE:
			if (!strcmp(a, "none"))
				in.grad_ckpt = PERF_CKPT_NONE;
			else if (!strcmp(a, "full"))
				in.grad_ckpt = PERF_CKPT_FULL;
			else if (!strcmp(a, "selective"))
				in.grad_ckpt = PERF_CKPT_SELECTIVE;
			else
				return cli_usage_error(usage, "model", "--recompute is none, full or selective, not '%s'", a);
			break;
		case O_CALIB:
			calib = 1;
			break;
		case O_MASTER:
			in.fp32_master = 1;
			break;
		case O_STRATEGY:
			pick = !strcmp(a, "auto");
			if (!pick && perf_strategy_parse(a, &in.strategy))
				return cli_usage_error(usage, "model", "--strategy is auto, full-shard, hybrid-shard, "
						       "shard-grad-op, no-shard or ddp, not '%s'", a);
			break;
		case O_TARGETS:
			if (!(in.lora_targets = shape_lora_targets(a)))
				return cli_usage_error(usage, "model",
						       "--lora-targets wants names from q,k,v,o,gate,up,down (or all), not '%s'", a);
			break;
		case O_TOKENS:
			if (cli_number(usage, "model", opt, &lim_dataset_tokens, a, &plan.tokens))
				return EXIT_USAGE;
			break;
		case O_NIC:
			if (cli_number(usage, "model", opt, &lim_nic_gbps, a, &v))
				return EXIT_USAGE;
			in.nic_bps = v * 1e9;
			break;
		case O_PRICE:
			if (cli_number(usage, "model", opt, &lim_gpu_price, a, &plan.price))
				return EXIT_USAGE;
			break;
		case CLI_ERROR:
			return cli_usage_error(usage, "model", "%s", p.err);
		default: {
			const lim_range *r = c == O_RANK ? &lim_lora_rank : c == O_SEQ ? &lim_seq
				: c == O_MB ? &lim_micro_batch : c == O_NODES ? &lim_nodes
				: c == O_GPN || c == O_TP ? &lim_gpus_per_node : c == O_EPOCHS ? &lim_epochs
				: c == O_ACCUM ? &lim_accum : &lim_shape_dim;
			if (cli_number(usage, "model", opt, r, a, &v))
				return EXIT_USAGE;
			switch (c) {
			case O_HIDDEN: custom.hidden = (long)v; have_custom = 1; break;
			case O_INTER: custom.intermediate = (long)v; have_custom = 1; break;
			case O_LAYERS: custom.layers = (long)v; have_custom = 1; break;
			case O_HEADS: custom.heads = (long)v; have_custom = 1; break;
			case O_KV: custom.kv_heads = (long)v; have_custom = 1; break;
			case O_VOCAB: custom.vocab = (long)v; have_custom = 1; break;
			case O_RANK: in.lora_rank = (long)v; break;
			case O_SEQ: in.seq = (long)v; break;
			case O_MB: in.micro_batch = (long)v; break;
			case O_NODES: in.nodes = (long)v; break;
			case O_GPN: in.gpus_per_node = (long)v; break;
			case O_TP: in.tp = (long)v; break;
			case O_EPOCHS: plan.epochs = (long)v; break;
			case O_ACCUM: plan.accum = (long)v; break;
			}
		}
		}
	}
	if (calib) {
		/* $SHARED (the shared data of a checkout) first, then the data
		 * directories (cli/datadir.c) */
		const char *shared = getenv("SHARED");
		char path[4096];
		snprintf(path, sizeof path, "%s/calib/h100.jsonl", shared && *shared ? shared : "../shared");
		if (!calib_path && access(path, F_OK) && cli_data_file("calib/h100.jsonl", path, sizeof path)) {
			fprintf(stderr, "rehearse model: no calibration set: calib/h100.jsonl is not in $SHARED, "
				"../shared, nor in:\n");
			cli_data_dirs(stderr);
			return EXIT_USAGE;
		}
		return calib_report(calib_path ? calib_path : path);
	}
	if (calib_path)
		return cli_usage_error(usage, "model", "unexpected argument '%s'", calib_path);
	if (!in.gpu)
		return cli_usage_error(usage, "model", "--gpu is required");
	if (shape_name && have_custom)
		return cli_usage_error(usage, "model", "give --model or the custom shape flags, not both");
	if (shape_name && !(in.shape = shape_find(shape_name)))
		return cli_usage_error(usage, "model", "unknown model '%s'", shape_name);
	if (have_custom) {
		if (!custom.kv_heads)
			custom.kv_heads = custom.heads;
		in.shape = &custom;
	}
	if (!in.shape)
		return cli_usage_error(usage, "model", "--model (or --hidden --intermediate --layers --heads) is required");
	/* what the chosen model cannot honour: a rank wider than its layers is
	 * refused, a sequence past its context is predicted with a warning */
	char why[512];
	if (in.lora && lim_lora_rank_width(in.shape, in.lora_targets, in.lora_rank, why, sizeof why))
		return cli_usage_error(usage, "model", "--lora-rank: %s", why);
	if (lim_seq_context(in.shape, in.seq, why, sizeof why))
		fprintf(stderr, "rehearse model: warning: --seq: %s\n", why);
	perf_out o;
	char err[256];
	perf_option opt[PERF_NSTRATEGY];
	int ranked = pick && dp_ranks(&in) > 1;
	if (ranked) {
		if (perf_rank(&in, opt, err, sizeof err))
			return cli_usage_error(usage, "model", "%s", err);
		/* the details are the recommendation's, or full-shard's when
		 * nothing fits */
		int best = perf_recommend(opt);
		if (best < 0)
			for (best = 0; opt[best].strategy != PERF_FULL_SHARD;)
				best++;
		in.strategy = opt[best].strategy;
		o = opt[best].out;
	} else {
		if (pick)
			in.strategy = PERF_NO_SHARD; /* one GPU: nothing to share */
		if (perf_estimate(&in, &o, err, sizeof err))
			return cli_usage_error(usage, "model", "%s", err);
	}
	if (json)
		return json_report(&in, &o, &plan, ranked ? opt : NULL);
	text_report(&in, &o, &plan, ranked ? opt : NULL);
	return EXIT_CLEAN;
}
