/* test_readfile.c: read_file (document/readfile.h), the one way rehearse
 * takes in a file: its bytes with a NUL after them, a file of exactly the
 * limit read and one byte more refused, across the buffer's growth steps,
 * and the same words for a missing file and a directory. */
#include "tests/unit/testutil.h"

#include <unistd.h>

#include "document/readfile.h"

static char dir[] = "/tmp/rehearse-readfile-XXXXXX";

static void write_n(const char *path, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), f);
	assert_int_equal(fclose(f), 0);
}

static void test_sizes_around_the_limit(void **st)
{
	(void)st;
	/* below the first buffer, at it, and past several doublings */
	size_t sizes[] = {0, 1, 65535, 65536, 65537, 300000};
	char path[256], err[512];
	snprintf(path, sizeof path, "%s/f", dir);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t n = sizes[i], len = 12345;
		write_n(path, n);
		char *b = read_file(path, n, &len, err, sizeof err);
		assert_non_null(b);
		assert_int_equal(len, n);
		assert_int_equal(b[len], 0);
		for (size_t k = 0; k < n; k++)
			if (b[k] != 'a' + (int)(k % 26))
				fail_msg("size %zu: byte %zu differs", n, k);
		free(b);
		if (n) {
			err[0] = 0;
			assert_null(read_file(path, n - 1, &len, err, sizeof err));
			char want[300];
			snprintf(want, sizeof want, "%s: larger than %zu bytes", path, n - 1);
			assert_string_equal(err, want);
		}
	}
	unlink(path);
}

static void test_missing_and_directory(void **st)
{
	(void)st;
	char path[256], err[512];
	size_t len;
	snprintf(path, sizeof path, "%s/none", dir);
	assert_null(read_file(path, 100, &len, err, sizeof err));
	assert_non_null(strstr(err, "No such file"));
	assert_null(read_file(dir, 100, &len, err, sizeof err));
	char want[300];
	snprintf(want, sizeof want, "%s: is a directory", dir);
	assert_string_equal(err, want);
}

int main(void)
{
	assert_non_null(mkdtemp(dir));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_around_the_limit),
		cmocka_unit_test(test_missing_and_directory),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
