/* machine.c: the GPU machine type catalog (machine.h).
 *
 * GKE us-central1 list prices as collected in ../shared/facts.md; where
 * facts.md has only a per-GPU price the VM part is priced at its n1 rates
 * ($0.0475 per vCPU-hour, $0.0064 per GB-hour) and the row says so. Spot
 * prices are 70% off on-demand (facts.md: "about 70% less", verify per
 * date). Allocatable CPU and memory are guesses: the machine's less GKE's
 * reservations, as the bundled scenarios assume. */
#include "model/machine.h"

#include <strings.h>

static const machine_type machines[] = {
	{"v100-16", "n1-highmem-32", "V100-SXM2-16GB", 4, "NVLink 2 300 GB/s", "nvidia-tesla-v100",
	 31850, 190.0 * 1073741824, 32, 12.77, 3.83,
	 "facts.md: 4 x $2.48 V100 + 32 vCPU x $0.0475 + 208 GB x $0.0064; spot 70% off"},
	{"a100-40", "a2-highgpu-4g", "A100-SXM-40GB", 4, "NVLink 3 600 GB/s", "nvidia-tesla-a100",
	 47780, 300.0 * 1073741824, 50, 14.69, 4.41,
	 "facts.md: 4 x $2.93 A100 + VM (48 vCPU, 340 GB at n1 rates); spot 70% off"},
	{"a100-80", "a2-ultragpu-4g", "A100-SXM-80GB", 4, "NVLink 3 600 GB/s", "nvidia-a100-80gb",
	 47780, 600.0 * 1073741824, 50, 20.26, 6.08,
	 "estimate: not in facts.md; A100 40 GB's $14.69 x 1.38 (80 GB's usual premium); spot 70% off"},
	{"h100", "a3-highgpu-8g", "H100-SXM-80GB", 8, "NVLink 4 900 GB/s", "nvidia-h100-80gb",
	 207000, 1700.0 * 1073741824, 200, 88.0, 26.4,
	 "facts.md: about $88 per VM-hour for 8 H100; spot 70% off"},
	{"l4", "g2-standard-48", "L4-24GB", 4, "PCIe 4", "nvidia-l4",
	 47000, 180.0 * 1073741824, 50, 4.0, 1.2,
	 "estimate: not in facts.md (g2-standard-48 list price about $4/h); spot 70% off"},
};

const machine_type *machine_find(const char *name)
{
	for (size_t i = 0; name && i < machine_count(); i++)
		if (!strcasecmp(machines[i].gpu, name) || !strcasecmp(machines[i].machine, name))
			return &machines[i];
	return NULL;
}

size_t machine_count(void)
{
	return sizeof machines / sizeof machines[0];
}

const machine_type *machine_at(size_t i)
{
	return i < machine_count() ? &machines[i] : NULL;
}

void machine_apply(cl_pool *pool, const machine_type *m)
{
	pool->machine = m->machine;
	pool->gpu_type = m->gpu_label;
	pool->gpus = m->gpus;
	pool->gpu_link = m->link;
	pool->cpu_m = m->cpu_m;
	pool->mem_b = m->mem_b;
	pool->nic_gbps = m->nic_gbps;
	pool->price_on_demand = m->on_demand;
	pool->price_spot = m->spot;
	for (size_t i = 0; i < pool->nlabels; i++)
		if (!strcasecmp(pool->labels[i].key, "cloud.google.com/gke-accelerator"))
			pool->labels[i].value = m->accelerator;
}
