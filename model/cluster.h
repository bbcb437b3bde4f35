/* cluster.h: the modelled Kubernetes cluster a workflow would run on.
 *
 * Node pools (machine, zones, size or autoscaling bounds, labels, taints,
 * allocatable resources, GPUs, NIC, prices), storage classes, the
 * LoadBalancer IP latency and the image registry. Filled by the scenario
 * loader (model/scenario.h), read by the simulator (sim/). Latencies are
 * distribution specs ("uniform(min=30,max=90)") kept as text with the node
 * they came from; sim/dist.h parses them, so a bad one is reported at its
 * file:line:col. Everything lives in the scenario's arena. */
#ifndef REHEARSE_CLUSTER_H
#define REHEARSE_CLUSTER_H

#include <stddef.h>

#include "document/yaml.h"

/* A latency: a distribution spec, where it came from (NULL for a built-in
 * default) and, for defaults, the source the figure is taken from. */
typedef struct cl_latency {
	const char *spec;
	const ynode *node;
	const char *source;        /* a default's basis ("facts.md: 30-90 s, estimate"), for the report */
} cl_latency;

typedef struct cl_label {
	const char *key, *value;
} cl_label;

typedef struct cl_taint {
	const char *key, *value, *effect;
} cl_taint;

typedef struct cl_pool {
	const char *name, *machine;
	const ynode *node;
	const char **zones;
	size_t nzones;
	int nodes;                 /* nodes at the start */
	int autoscale;             /* 1: may grow up to max_nodes */
	int min_nodes, max_nodes;
	cl_latency scale_up;       /* request to a Ready node */
	cl_label *labels;
	size_t nlabels;
	cl_taint *taints;
	size_t ntaints;
	double cpu_m;              /* allocatable CPU, millicores */
	double mem_b;              /* allocatable memory, bytes */
	int gpus;                  /* GPUs per node */
	const char *gpu_type, *gpu_link;
	double nic_gbps;
	double price_on_demand, price_spot; /* $ per node-hour */
	int spot;                  /* 1: nodes are spot VMs (priced as such) */
} cl_pool;

typedef enum { CL_BIND_IMMEDIATE, CL_BIND_WAIT_FOR_FIRST_CONSUMER } cl_binding;

typedef struct cl_storage_class {
	const char *name, *provisioner;
	const ynode *node;
	int binding_set;           /* 0: take the binding mode from the manifest */
	cl_binding binding;
	const char **zones;        /* NULL: any zone of the cluster */
	size_t nzones;
	cl_latency provisioning;   /* claim to bound volume, attach included */
	int is_default;
	int exists;                /* 1: in the cluster before the workflow runs */
	double price_gib_month;    /* $ per GiB-month of disk; < 0: not given */
} cl_storage_class;

typedef struct cl_image {
	const char *name;          /* as written in the pod spec */
	double gb;                 /* compressed size */
} cl_image;

typedef struct cl_cluster {
	const char **zones;        /* all zones, in order */
	size_t nzones;
	cl_pool *pools;
	size_t npools;
	cl_storage_class *classes;
	size_t nclasses;
	cl_latency lb_ip;          /* LoadBalancer Service to external IP */
	cl_image *images;
	size_t nimages;
	double image_default_gb;   /* images the scenario does not list */
	double pull_mbps;          /* per node, MB/s */
	int image_default_set, pull_mbps_set; /* 0: the loader's guess stands in (an assumption) */
	cl_latency pod_start;      /* container create and start, after the pull */
	cl_latency resource_action;/* an Argo resource step (create/apply/delete) */
	cl_latency container_run;  /* a container the model does not recognise */
	cl_latency etcd_ready;     /* an etcd member from start to ready */
	double cluster_fee;        /* $ per cluster-hour (managed control plane); < 0: not given */
	double lb_price;           /* $ per LoadBalancer Service hour; < 0: not given */
} cl_cluster;

/* Defaults for prices a scenario leaves out (../shared/facts.md, GKE
 * us-central1 list prices): the simulator says when one stood in. */
#define CL_DEFAULT_CLUSTER_FEE 0.10   /* GKE cluster management, $ per hour */
#define CL_DEFAULT_LB_PRICE 0.025     /* network LB forwarding rule, $ per hour */
#define CL_DEFAULT_DISK_PRICE 0.17    /* PD-SSD, $ per GB-month */

/* Kubernetes quantities: "8", "500m" (CPU, to millicores); "112Gi",
 * "1.5G", "1e9" (to bytes). Return 0, or -1 when not a quantity. */
int cl_cpu_millis(const char *s, double *out);
int cl_bytes(const char *s, double *out);

const cl_pool *cl_find_pool(const cl_cluster *c, const char *name);
const cl_storage_class *cl_find_class(const cl_cluster *c, const char *name);
/* The image's size in GB: listed, else the default. */
double cl_image_gb(const cl_cluster *c, const char *image);
/* The same, and when the scenario does not list the image, what stood in
 * for its size (*why, else NULL): a PyTorch or CUDA image is taken as 4 GB
 * (facts.md: 3-4 GB compressed), any other as images.default_gb. */
double cl_image_size(const cl_cluster *c, const char *image, const char **why);
/* A GPU pool without nic_gbps: what the performance model takes (a guess). */
#define CL_DEFAULT_NIC_GBPS 10.0
const char *cl_binding_name(cl_binding b);

#endif
