/* lint.c: how fast `rehearse lint` reads and checks workflows, against the
 * floor and against the usual tool.
 *
 * The corpus (../shared/corpus, or $SHARED/corpus) is read into memory once.
 * Then, for ROUNDS passes over every file:
 *   - parse: libyaml's event parser run to the end of each stream and
 *     nothing else -- the least any YAML linter must do (the floor);
 *   - lint:  what `rehearse lint` does per file: load into YAML trees with
 *     positions and the workflow IR (manifests parsed too), run every rule.
 * And once, as a separate process over the same files:
 *   - yamllint (Debian's package, `-d relaxed`), a YAML linter that checks
 *     syntax and style only.
 * Targets (issue 3): lint costs at most 1.5x the bare parse, and runs at
 * least 20x faster than yamllint. rehearse's two sides are timed in CPU
 * time, yamllint (another process) on the wall clock. Prints, never asserts. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <yaml.h>

#include "document/workflow.h"
#include "validate/rules.h"

enum { ROUNDS = 10, BATCHES = 11, MAXFILES = 4096 };

static char *names[MAXFILES], *bufs[MAXFILES];
static size_t lens[MAXFILES], nfiles, nbytes;

/* CPU time of this process: other work on the machine (a build, another
 * benchmark) slows the wall clock of both sides unevenly, not this. */
static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void read_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	/* sorted, so every run reads the files in the same order */
	struct dirent **list;
	closedir(d);
	int n = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *e = list[i]->d_name;
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", dir, e);
		struct stat st;
		if (e[0] != '.' && !stat(p, &st)) {
			const char *dot = strrchr(e, '.');
			if (S_ISDIR(st.st_mode)) {
				read_tree(p);
			} else if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json")) &&
				   nfiles < MAXFILES) {
				FILE *f = fopen(p, "rb");
				char *b = f ? malloc((size_t)st.st_size + 1) : NULL;
				if (b && fread(b, 1, (size_t)st.st_size, f) == (size_t)st.st_size) {
					b[st.st_size] = 0;
					names[nfiles] = strdup(p);
					bufs[nfiles] = b;
					lens[nfiles++] = (size_t)st.st_size;
					nbytes += (size_t)st.st_size;
				} else {
					free(b);
				}
				if (f)
					fclose(f);
			}
		}
		free(list[i]);
	}
	free(list);
}

static size_t bare_parse(const char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_event_t e;
	size_t events = 0;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &e))
			break;
		int end = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		events++;
		if (end)
			break;
	}
	yaml_parser_delete(&p);
	return events;
}

static size_t lint_one(const char *name, const char *buf, size_t len)
{
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	size_t n = 0;
	if (s && d && !wf_set_load_mem(s, name, buf, len, d, err, sizeof err) && !lint_run(s, NULL, d))
		n = diag_count(d);
	wf_set_free(s);
	diag_list_free(d);
	return n;
}

static size_t parse_pass(void)
{
	size_t n = 0;
	for (size_t i = 0; i < nfiles; i++)
		n += bare_parse(bufs[i], lens[i]);
	return n;
}

static size_t lint_pass(void)
{
	size_t n = 0;
	for (size_t i = 0; i < nfiles; i++)
		n += lint_one(names[i], bufs[i], lens[i]);
	return n;
}

static double yamllint_seconds(const char *corpus)
{
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "command -v yamllint >/dev/null 2>&1 && yamllint -d relaxed -f parsable '%s' "
		 ">/dev/null 2>&1; command -v yamllint >/dev/null 2>&1", corpus);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = system(cmd);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double t = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
	return rc == 0 ? t : -1;
}

int main(void)
{
	const char *shared = getenv("SHARED");
	char corpus[4096];
	snprintf(corpus, sizeof corpus, "%s/corpus", shared && *shared ? shared : "../shared");
	read_tree(corpus);
	if (!nfiles) {
		fprintf(stderr, "bench lint: no files under %s\n", corpus);
		return 1;
	}
	printf("corpus: %zu files, %.1f MiB; best of %d interleaved batches of %d passes\n", nfiles,
	       nbytes / 1048576.0, BATCHES, ROUNDS);
	/* Interleaved, so that both see the same machine (other load, clock
	 * speed); the best batch of each counts, in seconds per corpus pass. */
	double tp = 1e30, tl = 1e30;
	volatile size_t sink = 0;
	for (int k = 0; k < BATCHES; k++) {
		double t0 = seconds();
		for (int r = 0; r < ROUNDS; r++)
			sink += parse_pass();
		double t1 = seconds();
		for (int r = 0; r < ROUNDS; r++)
			sink += lint_pass();
		double t2 = seconds();
		if ((t1 - t0) / ROUNDS < tp)
			tp = (t1 - t0) / ROUNDS;
		if ((t2 - t1) / ROUNDS < tl)
			tl = (t2 - t1) / ROUNDS;
	}
	(void)sink;
	double ty = yamllint_seconds(corpus);
	printf("  libyaml bare parse   %9.0f files/s   (the floor)\n", nfiles / tp);
	printf("  rehearse lint        %9.0f files/s   %zu findings per pass\n", nfiles / tl, lint_pass());
	if (ty > 0)
		printf("  yamllint -d relaxed  %9.0f files/s   (one run, a separate process)\n", nfiles / ty);
	else
		printf("  yamllint             not installed (apt-get install yamllint)\n");
	printf("lint cost vs bare parse: %.2fx (target <= 1.5x): %s\n", tl / tp, tl / tp <= 1.5 ? "met" : "NOT met");
	if (ty > 0)
		printf("lint speed vs yamllint:  %.0fx (target >= 20x): %s\n", ty / tl, ty / tl >= 20 ? "met" : "NOT met");
	return 0;
}
