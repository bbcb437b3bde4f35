/* arena.c: bump allocator behind every loaded workflow set.
 *
 * Chunks are chained; a request larger than a chunk gets a chunk of its
 * own. Freeing is all at once, which is what the loader's data wants: a
 * tree of thousands of small nodes with one lifetime.
 *
 * Every chunk is CHUNK_FIRST times a power of two, and a freed arena's
 * chunks wait in a process-wide spare list per size (up to SPARE_MAX bytes
 * in all) for the next arena. Linting file after file would otherwise hand
 * megabytes back to the C library per file, which returns them to the
 * kernel, and the next file pays a page fault for every 4 KB it touches
 * again: on the corpus that was about a third of lint's time. The lists
 * are shared by threads (Monte Carlo) under one mutex, taken once per new
 * chunk and once per arena_free. Under AddressSanitizer a spare chunk is
 * poisoned, so a use after arena_free is still caught. */
#include "document/arena.h"

#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Chunks start small (most workflow files are a few KB) and double up to
 * CHUNK_MAX, so a small file costs one small malloc and a big one few. */
#define CHUNK_FIRST (8 * 1024)
#define CHUNK_MAX (256 * 1024)
#define ALIGN 16
/* Spare chunks kept between arenas, in bytes: the corpus's biggest file
 * (a 2.8 MB CRD) loads into about 20 MB. Sizes CHUNK_FIRST << 0..NSIZES-1
 * are kept; a bigger chunk is freed at once. */
#define SPARE_MAX ((size_t)64 << 20)
#define NSIZES 16

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

static pthread_mutex_t spare_mu = PTHREAD_MUTEX_INITIALIZER;
static struct chunk *spare[NSIZES]; /* spare[k]: chunks of CHUNK_FIRST << k */
static size_t spare_bytes;

arena *arena_new(void)
{
	return calloc(1, sizeof(arena));
}

/* k for a chunk of CHUNK_FIRST << k bytes, or -1 when it is not kept. */
static int size_class(size_t size)
{
	for (int k = 0; k < NSIZES; k++)
		if (size == (size_t)CHUNK_FIRST << k)
			return k;
	return -1;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	struct chunk *drop = NULL;
	pthread_mutex_lock(&spare_mu);
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		int k = size_class(c->size);
		if (k >= 0 && spare_bytes + c->size <= SPARE_MAX) {
			spare_bytes += c->size;
			POISON(c->data, c->size);
			c->next = spare[k];
			spare[k] = c;
		} else {
			c->next = drop;
			drop = c;
		}
	}
	pthread_mutex_unlock(&spare_mu);
	for (struct chunk *c = drop, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

/* A chunk of at least n bytes: CHUNK_FIRST times a power of two, a spare
 * one when there is one of that size. */
static struct chunk *get_chunk(size_t n)
{
	size_t size = CHUNK_FIRST;
	int k = 0;
	while (size < n && size <= SIZE_MAX / 2)
		size *= 2, k++;
	if (size < n || size > SIZE_MAX - sizeof(struct chunk))
		return NULL;
	struct chunk *c = NULL;
	if (k < NSIZES) {
		pthread_mutex_lock(&spare_mu);
		c = spare[k];
		if (c) {
			spare[k] = c->next;
			spare_bytes -= c->size;
		}
		pthread_mutex_unlock(&spare_mu);
	}
	if (c)
		UNPOISON(c->data, c->size);
	else if (!(c = malloc(sizeof *c + size)))
		return NULL;
	c->size = size;
	c->used = 0;
	return c;
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
		c = get_chunk(size);
		if (!c)
			return NULL;
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
