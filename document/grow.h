/* grow.h: the one way rehearse grows an array -- double its capacity when
 * it is full -- so no file hand-writes the realloc dance and its overflow
 * and out-of-memory cases.
 *
 *	if (GROW(w->v, w->n, w->cap, 32))
 *		return -1;             (out of memory: w->v and w->cap unchanged)
 *	w->v[w->n++] = x;
 *
 * v is the array pointer (an lvalue, any element type), n the elements in
 * use, cap (an lvalue of type size_t) the elements allocated, first the
 * capacity of the first allocation. The common case, room left, is one
 * comparison. ARENA_GROW does the same for an array that lives in an
 * arena (the old block stays there until the arena is freed). Parallel
 * arrays sharing one count grow with a copy of cap each. */
#ifndef REHEARSE_GROW_H
#define REHEARSE_GROW_H

#include <stddef.h>

#include "document/arena.h"

#define GROW(v, n, cap, first) ((n) < (cap) ? 0 : grow_array(&(v), &(cap), sizeof *(v), (first)))
#define ARENA_GROW(a, v, n, cap, first) \
	((n) < (cap) ? 0 : grow_arena_array((a), &(v), (n), &(cap), sizeof *(v), (first)))

/* Behind GROW: *pv (the address of an array pointer) reallocated to twice
 * *cap elements of `size` bytes (first when *cap is 0). Returns 0, or -1
 * when out of memory or the size overflows, with *pv and *cap unchanged. */
int grow_array(void *pv, size_t *cap, size_t size, size_t first);
/* Behind ARENA_GROW: the same in arena a, copying the n elements in use. */
int grow_arena_array(arena *a, void *pv, size_t n, size_t *cap, size_t size, size_t first);

#endif
