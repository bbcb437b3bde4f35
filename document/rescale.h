/* rescale.h: re-scale a torchrun fan-out to N pods (`fix --nodes N`,
 * `simulate --nodes N`).
 *
 * A torchrun job (document/torchrun.h) runs one pod per node: DAG tasks or
 * steps that call the same template, each with its --node-rank, often its
 * own volumeClaimTemplate, and a shared --nnodes. Re-scaling keeps the
 * job's shape and changes its size:
 *   - fewer pods: the calls with ranks N and above go, with the
 *     volumeClaimTemplates only they used, and other tasks stop depending
 *     on them;
 *   - more pods: new calls are copies of rank 0, each value that differs
 *     between ranks 0 and 1 written for the new rank (the task name
 *     "train-rank-1" gives "train-rank-5", the claim "rank-1" gives
 *     "rank-5", which is added as a copy of rank 0's claim); with a single
 *     rank to learn from, trailing 0s of the name, the rank argument and
 *     per-rank claims follow the rank;
 *   - withSequence count / withItems ranks are set instead when the job
 *     fans out that way;
 *   - --nnodes becomes N where it is written (literal, or the argument or
 *     workflow parameter it comes from).
 * --nproc-per-node stays: the GPUs of each pod do not change.
 *
 * It edits the raw trees the document was loaded from (the IR's nodes are
 * views of them); reload to see the result. When the job is not regular
 * enough to re-scale safely, nothing is changed and the reason is given. */
#ifndef REHEARSE_RESCALE_H
#define REHEARSE_RESCALE_H

#include "document/arena.h"
#include "document/torchrun.h"

/* Called for each change (at: where, in the input; NULL when new). */
typedef void (*rescale_log)(void *u, const ynode *at, const char *what);

/* Re-scale job j to n pods. Returns 1 when something changed, 0 when the
 * job already has n pods and --nnodes says n, -1 when it cannot be done
 * (why in err) or memory ran out. */
int rescale_job(arena *a, const tr_job *j, unsigned n, rescale_log log, void *u, char *err, size_t errlen);

#endif
