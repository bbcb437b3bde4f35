/* gpu.c: see gpu.h. Sources: ../shared/facts.md (vendor datasheets).
 * Memory sizes sold as "16 GB" or "80 GB" are binary (16 GiB, 80 GiB:
 * torch reports about 79.1 GiB usable on an H100 80GB). Link
 * bandwidths are per GPU and direction: NVLink totals are halved (they
 * count both directions); PCIe is the x16 slot's one-way rate. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "model/gpu.h"

#define GIB(n) ((n) * 1073741824.0)

static const gpu_spec gpus[] = {
	/* V100 SXM2: 125 TF fp16, 900 GB/s, NVLink 2 300 GB/s total (facts.md) */
	{"v100-16", "V100 SXM2 16 GB", 125e12, 0, GIB(16), 900e9, 150e9, "NVLink 2"},
	/* V100 32 GB: same chip and links, twice the memory (datasheet) */
	{"v100-32", "V100 SXM2 32 GB", 125e12, 0, GIB(32), 900e9, 150e9, "NVLink 2"},
	/* A100 SXM: 312 TF bf16, 1,555 / 2,039 GB/s, NVLink 3 600 GB/s (facts.md) */
	{"a100-40", "A100 SXM 40 GB", 312e12, 1, GIB(40), 1555e9, 300e9, "NVLink 3"},
	{"a100-80", "A100 SXM 80 GB", 312e12, 1, GIB(80), 2039e9, 300e9, "NVLink 3"},
	/* H100 SXM: 989 TF, 3,350 GB/s, NVLink 4 900 GB/s (facts.md) */
	{"h100", "H100 SXM 80 GB", 989e12, 1, GIB(80), 3350e9, 450e9, "NVLink 4"},
	/* H100 PCIe: 756 TF, 2,000 GB/s, PCIe 5 x16 about 64 GB/s one way (facts.md; link: PCIe spec) */
	{"h100-pcie", "H100 PCIe 80 GB", 756e12, 1, GIB(80), 2000e9, 64e9, "PCIe 5"},
	/* H200 SXM: 989 TF, 141 GB, 4,800 GB/s, NVLink 4 (facts.md) */
	{"h200", "H200 SXM 141 GB", 989e12, 1, GIB(141), 4800e9, 450e9, "NVLink 4"},
	/* L4: 121 TF, 24 GB, 300 GB/s, PCIe 4 x16 about 32 GB/s one way (facts.md; link: PCIe spec) */
	{"l4", "L4 24 GB", 121e12, 1, GIB(24), 300e9, GIB(32), "PCIe 4"},
};

static const struct { const char *alias, *name; } aliases[] = {
	{"v100", "v100-16"}, {"a100", "a100-80"}, {"h100-sxm", "h100"}, {"h100-80", "h100"}, {"h200-141", "h200"},
};

const gpu_spec *gpu_find(const char *name)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcasecmp(name, aliases[i].alias))
			name = aliases[i].name;
	for (size_t i = 0; i < sizeof gpus / sizeof gpus[0]; i++)
		if (!strcasecmp(name, gpus[i].name))
			return &gpus[i];
	return NULL;
}

const gpu_spec *gpu_from_label(const char *label)
{
	char l[128];
	size_t n = 0;
	for (; label[n] && n < sizeof l - 1; n++)
		l[n] = (char)tolower((unsigned char)label[n]);
	l[n] = 0;
	const gpu_spec *g = gpu_find(label);
	if (g)
		return g;
	if (strstr(l, "v100"))
		return gpu_find(strstr(l, "32") ? "v100-32" : "v100-16");
	if (strstr(l, "a100"))
		return gpu_find(strstr(l, "80") ? "a100-80" : "a100-40");
	if (strstr(l, "h100"))
		return gpu_find(strstr(l, "pcie") ? "h100-pcie" : "h100");
	if (strstr(l, "h200"))
		return gpu_find("h200");
	/* "l4" but not "l40"/"l40s", another GPU the catalog lacks */
	for (const char *at = l; (at = strstr(at, "l4")); at++)
		if (!isalnum((unsigned char)at[2]) && (at == l || !isalpha((unsigned char)at[-1])))
			return gpu_find("l4");
	return NULL;
}

size_t gpu_count(void) { return sizeof gpus / sizeof gpus[0]; }
const gpu_spec *gpu_at(size_t i) { return i < gpu_count() ? &gpus[i] : NULL; }
