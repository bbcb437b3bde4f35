/* families.h: the rule families rules.c lists (one line per family). */
#ifndef REHEARSE_FAMILIES_H
#define REHEARSE_FAMILIES_H

#include "validate/rules.h"

extern const rule rules_yaml[];
extern const size_t rules_yaml_count;

extern const rule rules_dag[];
extern const size_t rules_dag_count;
extern const rule rules_torchrun[];
extern const size_t rules_torchrun_count;
extern const rule rules_etcd[];
extern const size_t rules_etcd_count;
extern const rule rules_k8s[];
extern const size_t rules_k8s_count;
extern const rule rules_pod[];
extern const size_t rules_pod_count;

extern const rule rules_ref[];
extern const size_t rules_ref_count;

extern const rule rules_tmpl[];
extern const size_t rules_tmpl_count;

extern const rule rules_security[];
extern const size_t rules_security_count;
/* The security- checks of one pod, run inside the pod rules' walk
 * (rules_pod.c) so they cost no pass of their own. */
struct kpod;
int security_pod(lint_ctx *c, const struct kpod *p);

extern const rule rules_container[];
extern const size_t rules_container_count;

extern const rule rules_schema[];
extern const size_t rules_schema_count;

#endif
