/* readfile.c: a whole file in memory, with a limit (see readfile.h). */
#include "document/readfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *read_stream(FILE *f, const char *name, size_t limit, size_t *len, char *err, size_t errlen)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (n > limit)
				break;
			size_t want = cap > limit / 2 ? limit + 1 : cap * 2; /* enough to see limit + 1 */
			char *nb = realloc(buf, want + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap = want;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	if (n > limit) {
		snprintf(err, errlen, "%s: larger than %zu bytes", name, limit);
		free(buf);
		return NULL;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error: %s", name, strerror(errno));
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

char *read_file(const char *path, size_t limit, size_t *len, char *err, size_t errlen)
{
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return NULL;
	}
	struct stat st;
	char *buf = NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(err, errlen, "%s: is a directory", name);
	else
		buf = read_stream(f, name, limit, len, err, errlen);
	if (!is_stdin)
		fclose(f);
	return buf;
}
