/* dag.h: the dependency graph of one DAG template, for rules that reason
 * about order (cycles, ancestors, whose outputs a task may read).
 *
 * Edges come from `depends` (Argo's grammar, read by document/depends.h)
 * or `dependencies` (a list of names). Names that match no task are left
 * out of the graph; rules report them. */
#ifndef REHEARSE_DAG_H
#define REHEARSE_DAG_H

#include <stddef.h>

#include "document/workflow.h"

typedef struct dag_graph dag_graph;

/* The graph of DAG template t (NULL when out of memory). */
dag_graph *dag_graph_new(const wf_template *t);
void dag_graph_free(dag_graph *g);

/* Index of the task named `name`, or -1. */
long dag_task_index(const dag_graph *g, const char *name, size_t len);
/* Is task a an ancestor of task b (b waits for a, directly or not)? */
int dag_is_ancestor(const dag_graph *g, size_t a, size_t b);
/* A cycle through task `start` (if any): writes up to max indexes of the
 * tasks along it to path and returns how many (0: no cycle through it). */
size_t dag_cycle_from(const dag_graph *g, size_t start, size_t *path, size_t max);
/* For each task, 1 if some cycle runs through it (malloc'd, the caller
 * frees it), or NULL when out of memory. */
unsigned char *dag_on_cycle(const dag_graph *g);

#endif
