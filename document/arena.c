/* arena.c: bump allocator behind every loaded workflow set.
 *
 * Chunks are chained; a request larger than a chunk gets a chunk of its
 * own. Freeing is all at once, which is what the loader's data wants: a
 * tree of thousands of small nodes with one lifetime. */
#include "document/arena.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chunks start small (most workflow files are a few KB) and double up to
 * CHUNK_MAX, so a small file costs one small malloc and a big one few. */
#define CHUNK_FIRST (8 * 1024)
#define CHUNK_MAX (256 * 1024)
#define ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(ALIGN) unsigned char data[];
};

struct arena {
	struct chunk *head;
	size_t total;
	size_t next_size;  /* size of the next regular chunk */
};

arena *arena_new(void)
{
	return calloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

/* Uninitialised memory; arena_alloc zeroes it. */
static void *alloc_raw(arena *a, size_t n)
{
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t regular = a->next_size ? a->next_size : CHUNK_FIRST;
		size_t size = n > regular / 4 ? n : regular;
		if (size == regular && regular < CHUNK_MAX)
			a->next_size = regular * 2;
		if (size > SIZE_MAX - sizeof *c)
			return NULL;
		c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		if (size == n && a->head) {
			/* Big one-off: keep the current chunk in front for small requests. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->data + c->used;
	c->used += n;
	a->total += n;
	assert(((uintptr_t)p & (ALIGN - 1)) == 0);
	return p;
}

void *arena_alloc(arena *a, size_t n)
{
	void *p = alloc_raw(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = n < SIZE_MAX ? alloc_raw(a, n + 1) : NULL; /* every byte is written below */
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const arena *a)
{
	return a->total;
}
