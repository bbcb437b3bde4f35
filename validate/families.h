/* families.h: the rule families rules.c lists (one line per family). */
#ifndef REHEARSE_FAMILIES_H
#define REHEARSE_FAMILIES_H

#include "validate/rules.h"

extern const rule rules_yaml[];
extern const size_t rules_yaml_count;

extern const rule rules_dag[];
extern const size_t rules_dag_count;

extern const rule rules_ref[];
extern const size_t rules_ref_count;

extern const rule rules_container[];
extern const size_t rules_container_count;

#endif
