/* arena.h: bump allocation for data that lives and dies together.
 *
 * A loaded workflow set (YAML trees, IR, parsed manifests) is one arena,
 * freed at once. Allocations are zeroed and 16-byte aligned. A NULL return
 * means out of memory; the arena stays valid. */
#ifndef REHEARSE_ARENA_H
#define REHEARSE_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for memory limits and benchmarks). */
size_t arena_used(const arena *a);

#endif
