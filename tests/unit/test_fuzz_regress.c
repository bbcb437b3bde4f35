/* test_fuzz_regress.c: every input that once broke a fuzz target
 * (the files in tests/fuzz/regress/TARGET/) is replayed through the same target code
 * (tests/fuzz/targets.h) under ASan/UBSan in every `make test`, with or
 * without clang: a crash found by `make fuzz` stays fixed. */
#include "tests/unit/testutil.h"

#include "tests/fuzz/targets.h"

static void replay_dir(const char *target)
{
	char dir[512];
	snprintf(dir, sizeof dir, "tests/fuzz/regress/%s", target);
	fuzz_target fn = fuzz_target_named(target);
	assert_non_null(fn);
	DIR *d = opendir(dir);
	if (!d)
		return; /* none found yet */
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		uint8_t *buf = malloc(1 << 20);
		assert_non_null(buf);
		size_t len = fread(buf, 1, 1 << 20, f);
		fclose(f);
		fprintf(stderr, "replay %s\n", path);
		assert_int_equal(fn(buf, len), 0);
		free(buf);
		n++;
	}
	closedir(d);
	fprintf(stderr, "%s: %zu inputs replayed\n", target, n);
}

static void test_replay_load(void **state) { (void)state; replay_dir("load"); }
static void test_replay_fix(void **state) { (void)state; replay_dir("fix"); }
static void test_replay_scenario(void **state) { (void)state; replay_dir("scenario"); }
static void test_replay_simulate(void **state) { (void)state; replay_dir("simulate"); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_load),
		cmocka_unit_test(test_replay_fix),
		cmocka_unit_test(test_replay_scenario),
		cmocka_unit_test(test_replay_simulate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
