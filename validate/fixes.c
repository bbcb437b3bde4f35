/* fixes.c: the order the fix passes run in (see fixes.h).
 *
 * Where one pass builds on another the order matters: rescale first, so
 * every later pass sees the final fan-out; headless-service before
 * exit-cleanup, which also deletes the Service added this round. The log
 * lists changes in this order. */
#include "validate/fixes.h"

const fix_pass *const fix_passes[] = {
	&fix_pass_rescale,
	&fix_pass_dedupe_mounts,
	&fix_pass_split_argv,
	&fix_pass_shm_memory,
	&fix_pass_etcd_v2,
	&fix_pass_etcd_peer_url,
	&fix_pass_headless_service,
	&fix_pass_apply_not_create,
	&fix_pass_exit_cleanup,
	&fix_pass_rdzv_id,
};

const size_t fix_passes_count = sizeof fix_passes / sizeof fix_passes[0];
