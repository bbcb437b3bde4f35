/* testutil.h: what every cmocka unit test includes.
 * cmocka needs these system headers first, in this order. */
#ifndef REHEARSE_TESTUTIL_H
#define REHEARSE_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ../shared, found relative to the checkout, or from $SHARED. */
static inline const char *test_shared_dir(void)
{
	const char *s = getenv("SHARED");
	return s && *s ? s : "../shared";
}

/* A file under ../shared (rel: "seed/fine-tune-llama.yaml"), NUL-terminated,
 * in a malloc'd buffer the test frees; fails the test when unreadable. */
static inline char *test_read_shared(const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", test_shared_dir(), rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

/* Call fn(path, ctx) for every *.yaml, *.yml and *.json file below dir
 * (hidden entries skipped). Fails the test if dir cannot be read. */
static inline void test_walk_files(const char *dir, void (*fn)(const char *path, void *ctx), void *ctx)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat st;
		assert_int_equal(stat(p, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			test_walk_files(p, fn, ctx);
			continue;
		}
		const char *dot = strrchr(e->d_name, '.');
		if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json")))
			fn(p, ctx);
	}
	closedir(d);
}
#endif
