/* grow.c: doubling growth of arrays (see grow.h). The array pointer is
 * read and written with memcpy: pv points to a T *, not a void *. */
#include "document/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The next capacity, or 0 when it would overflow. */
static size_t next_cap(size_t cap, size_t size, size_t first)
{
	size_t nc = cap ? cap * 2 : first;
	if (nc <= cap || nc > SIZE_MAX / size)
		return 0;
	return nc;
}

int grow_array(void *pv, size_t *cap, size_t size, size_t first)
{
	size_t nc = next_cap(*cap, size, first);
	void *old, *nv;
	if (!nc)
		return -1;
	memcpy(&old, pv, sizeof old);
	if (!(nv = realloc(old, nc * size)))
		return -1;
	memcpy(pv, &nv, sizeof nv);
	*cap = nc;
	return 0;
}

int grow_arena_array(arena *a, void *pv, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t nc = next_cap(*cap, size, first);
	void *old, *nv;
	if (!nc || !(nv = arena_alloc(a, nc * size)))
		return -1;
	memcpy(&old, pv, sizeof old);
	if (n)
		memcpy(nv, old, n * size);
	memcpy(pv, &nv, sizeof nv);
	*cap = nc;
	return 0;
}
