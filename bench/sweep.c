/* sweep.c: a sweep of 200 configurations x 100 trials, timed.
 *
 * The configurations are what `rehearse sweep` would run for the seed (as
 * `rehearse fix` corrects it) on the 4-node V100 scenario: node counts
 * 1..8, 10, 12 x the five GPU machine types x micro-batch 1, 2 x on-demand
 * and spot; each case simulated once (sim/study.h, as the command does)
 * and then 100 times more as trials. Target: the whole under 30 s on this
 * 2-core machine. Prints, never asserts (make bench). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/machine.h"
#include "sim/study.h"
#include "validate/fix.h"

enum { TRIALS = 100 };

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	*len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	return buf;
}

int main(void)
{
	const char *shared = getenv("SHARED");
	char seed[4096], fixed[] = "/tmp/rehearse-bench-sweep-XXXXXX.yaml", err[512];
	snprintf(seed, sizeof seed, "%s/seed/fine-tune-llama.yaml", shared && *shared ? shared : "../shared");
	size_t len;
	char *text = read_file(seed, &len);
	fix_result *fr = NULL;
	fix_opts fo = {.out_name = "fixed.yaml"};
	if (!text || fix_run("seed.yaml", text, len, &fo, &fr, err, sizeof err) < 0) {
		fprintf(stderr, "bench sweep: %s: %s\n", seed, text ? err : "unreadable");
		return 1;
	}
	size_t olen;
	const char *out = fix_output(fr, &olen);
	int fd = mkstemps(fixed, 5);
	if (fd < 0 || write(fd, out, olen) != (ssize_t)olen) {
		fprintf(stderr, "bench sweep: cannot write %s\n", fixed);
		return 1;
	}
	close(fd);
	fix_result_free(fr);
	free(text);

	static const int nodes[] = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12};
	static const int mbs[] = {1, 2};
	int cases = 0, ok_trials = 0, failed = 0;
	double t0 = seconds();
	for (size_t a = 0; a < sizeof nodes / sizeof nodes[0]; a++)
		for (size_t g = 0; g < machine_count(); g++)
			for (size_t m = 0; m < 2; m++)
				for (int spot = 0; spot < 2; spot++) {
					study_case c = {.workflow = fixed, .scenario = "scenarios/gke-v100-4node.yaml",
							.nodes = nodes[a], .gpu = machine_at(g)->gpu,
							.micro_batch = mbs[m], .spot = spot, .seed = 1};
					diag_list *d = diag_list_new();
					study_run *r = study_run_case(&c, d, err, sizeof err);
					study_mc mc;
					if (!r || study_trials(r, TRIALS, &mc, err, sizeof err)) {
						fprintf(stderr, "bench sweep: %s\n", err);
						failed = 1;
					} else {
						ok_trials += mc.succeeded;
					}
					study_run_free(r);
					diag_list_free(d);
					cases++;
				}
	double dt = seconds() - t0;
	unlink(fixed);
	if (failed)
		return 1;
	printf("sweep: %d configurations x %d trials (+1 each) = %d simulations, %d trials succeeded\n", cases,
	       TRIALS, cases * (TRIALS + 1), ok_trials);
	printf("  time                 %8.2f s   (%.2f ms a simulation)\n", dt, 1e3 * dt / (cases * (TRIALS + 1)));
	printf("  target                 < 30 s: %s (%.1fx under)\n", dt < 30 ? "met" : "NOT MET", 30 / dt);
	return 0;
}
