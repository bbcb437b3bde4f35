/* sharding.h: a sweep too large for one machine, as an Argo Workflow.
 *
 * The workflow runs K shard pods in parallel, each `rehearse sweep ...
 * --shard i/K --db /results/shard-i.db` over its share of the cases, then
 * one pod that merges the shards' stores (`rehearse runs merge`) into
 * /results/sweep.db and lists it. The sweep's workflow and scenario travel
 * inside the emitted file as base64 raw artifacts (Argo substitutes {{...}}
 * in raw data, so the files cannot go in as text). The shards share a
 * ReadWriteMany volume (a Filestore class on GKE: standard-rwx). */
#ifndef REHEARSE_REPORT_SHARDING_H
#define REHEARSE_REPORT_SHARDING_H

#include <stdio.h>

typedef struct shard_spec {
	int shards;
	const char *image;          /* holds rehearse (and sh, base64) */
	const char *storage_class;  /* ReadWriteMany */
	const char *workflow_path, *scenario_path;
	const char *const *sweep_args; /* the sweep's options, without --shards/--emit-workflow/--image/--db */
	int nargs;
} shard_spec;

/* Write the workflow to f. Returns 0, or -1 with why in err (an input
 * that cannot be read, a write error). */
int report_shard_workflow(FILE *f, const shard_spec *s, char *err, size_t errlen);

#endif
