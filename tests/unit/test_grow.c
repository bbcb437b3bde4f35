/* test_grow.c: GROW and ARENA_GROW (document/grow.h), the one way arrays
 * grow: doubling from `first`, contents kept, and a refusal that leaves
 * the array as it was when the size would overflow. */
#include "tests/unit/testutil.h"

#include <stdint.h>

#include "document/grow.h"

static void test_grow_heap(void **st)
{
	(void)st;
	long *v = NULL;
	size_t n = 0, cap = 0;
	for (long i = 0; i < 1000; i++) {
		assert_int_equal(GROW(v, n, cap, 4), 0);
		assert_true(n < cap);
		v[n++] = i * 3;
	}
	assert_int_equal(cap, 1024); /* 4, 8, ..., 1024 */
	for (long i = 0; i < 1000; i++)
		assert_int_equal(v[i], i * 3);
	/* room left: nothing moves */
	long *before = v;
	assert_int_equal(GROW(v, n, cap, 4), 0);
	assert_ptr_equal(v, before);
	free(v);
}

static void test_grow_overflow(void **st)
{
	(void)st;
	char big[16];
	struct { char b[16]; } *v = (void *)big;
	size_t cap = SIZE_MAX / 16, n = cap;
	assert_int_equal(GROW(v, n, cap, 4), -1);
	assert_ptr_equal(v, (void *)big);
	assert_int_equal(cap, SIZE_MAX / 16);
}

static void test_grow_arena(void **st)
{
	(void)st;
	arena *a = arena_new();
	int *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 100; i++) {
		assert_int_equal(ARENA_GROW(a, v, n, cap, 8), 0);
		v[n++] = i;
	}
	assert_int_equal(cap, 128);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	arena_free(a);
}

/* A freed arena's chunks serve the next arena (arena.c keeps them): what
 * the next one gets is still zeroed, never the old bytes, and big and small
 * requests both come back whole. */
static void test_arena_reuse_zeroed(void **st)
{
	(void)st;
	size_t sizes[] = {24, 3000, 9000, 70000, 300000, 5u << 20};
	for (int round = 0; round < 3; round++) {
		arena *a = arena_new();
		for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
			for (int j = 0; j < 20; j++) {
				unsigned char *p = arena_alloc(a, sizes[i]);
				assert_non_null(p);
				for (size_t k = 0; k < sizes[i]; k += 97)
					assert_int_equal(p[k], 0);
				assert_int_equal(p[sizes[i] - 1], 0);
				memset(p, 0xA5, sizes[i]);
			}
			char *s = arena_strndup(a, "abcdef", 3);
			assert_string_equal(s, "abc");
		}
		arena_free(a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_heap),
		cmocka_unit_test(test_grow_overflow),
		cmocka_unit_test(test_grow_arena),
		cmocka_unit_test(test_arena_reuse_zeroed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
