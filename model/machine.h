/* machine.h: GPU machine types a sweep can swap into a scenario's GPU pool.
 *
 * One row per cloud machine type that carries GPUs: its GPUs (as the
 * GPU catalog, model/gpu.h, names them), what a node offers pods once the
 * cloud's reservations are taken, the NIC, the accelerator label the
 * cloud puts on the node (what a pod's nodeSelector names), and the
 * on-demand and spot prices per node-hour. Every price cites
 * ../shared/facts.md or says it is an estimate (machine.c); prices change,
 * so a scenario's own pool prices always win over these for its own
 * machine. */
#ifndef REHEARSE_MACHINE_H
#define REHEARSE_MACHINE_H

#include <stddef.h>

#include "model/cluster.h"

typedef struct machine_type {
	const char *gpu;          /* GPU catalog name: "v100-16", "h100" */
	const char *machine;      /* "n1-highmem-32" */
	const char *gpu_label;    /* pool gpu.type: "V100-SXM2-16GB" */
	int gpus;
	const char *link;
	const char *accelerator;  /* cloud.google.com/gke-accelerator value */
	double cpu_m, mem_b;      /* allocatable */
	double nic_gbps;
	double on_demand, spot;   /* $ per node-hour */
	const char *basis;        /* where the price comes from */
} machine_type;

/* By GPU catalog name ("v100-16", "a100-80", "h100"; case-insensitive)
 * or machine name; NULL if none. */
const machine_type *machine_find(const char *name);
size_t machine_count(void);
const machine_type *machine_at(size_t i);
/* Make pool a pool of m's nodes (machine, GPUs, allocatable, NIC, prices,
 * accelerator label); everything else of the pool stays. Strings are
 * static or the pool's own. */
void machine_apply(cl_pool *pool, const machine_type *m);

#endif
