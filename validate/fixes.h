/* fixes.h: the catalogue of safe fixes that `rehearse fix` applies, in the
 * order they run.
 *
 * "Safe" means the change cannot make a working workflow worse: it removes
 * an exact duplicate, makes explicit what the cluster needs anyway, or
 * replaces a value that provably cannot work with the one the rest of the
 * workflow already implies (the etcd peer URL is taken from the peer list,
 * the headless Service's selector and ports from the StatefulSet). When a
 * pass would have to guess (a new image tag that is not an etcd 3.5, a
 * Service of that name that exists but is not headless), it declines and
 * says why; lint then still reports the finding.
 *
 * Passes live by family, like the rules: fixes_pod.c, fixes_etcd.c,
 * fixes_k8s.c, fixes_torchrun.c; each row (name, rule ids, summary, pass)
 * stands beside its code, and fixes.c puts them in order. A pass edits
 * through the engine (validate/fix_edit.h) and never sees the driver. */
#ifndef REHEARSE_FIXES_H
#define REHEARSE_FIXES_H

#include <stddef.h>

#include "validate/fix_edit.h"

/* The passes, in the order each round runs them. */
extern const fix_pass *const fix_passes[];
extern const size_t fix_passes_count;

/* The rows, defined in fixes_<family>.c. */
extern const fix_pass fix_pass_rescale, fix_pass_rdzv_id;                               /* torchrun */
extern const fix_pass fix_pass_dedupe_mounts, fix_pass_split_argv, fix_pass_shm_memory; /* pod */
extern const fix_pass fix_pass_etcd_v2, fix_pass_etcd_peer_url;                         /* etcd */
extern const fix_pass fix_pass_headless_service, fix_pass_apply_not_create, fix_pass_exit_cleanup; /* k8s */

#endif
