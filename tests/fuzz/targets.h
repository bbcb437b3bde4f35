/* targets.h: what each fuzz target does with one input. Shared by the
 * libFuzzer entry points (tests/fuzz/fuzz_<target>.c, `make fuzz` and the
 * short pass of `make test`) and by the replay of every input that once
 * broke one (tests/fuzz/regress/<target>/, tests/unit/test_fuzz_regress.c),
 * so a crash found becomes a regression test of the same code.
 *
 * A target returns 0; a property that does not hold aborts (libFuzzer and
 * the sanitizers report crashes, leaks and hangs themselves):
 *   load      the loader and every lint rule: never a crash
 *   fix       an output that fix_run produces re-loads, and lints with no
 *             error of a rule that had none on the input
 *   scenario  the scenario loader; a scenario that loads simulates the
 *             bundled seed to an end within the event budget
 *   simulate  a workflow that loads simulates on the bundled 4-node
 *             scenario to an end within the event budget
 * Paths (scenarios/) are relative to the checkout: run from its top. */
#ifndef REHEARSE_FUZZ_TARGETS_H
#define REHEARSE_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_MAX_EVENTS 200000 /* the event budget: no input runs longer */

int fuzz_load_one(const uint8_t *data, size_t size);
int fuzz_fix_one(const uint8_t *data, size_t size);
int fuzz_scenario_one(const uint8_t *data, size_t size);
int fuzz_simulate_one(const uint8_t *data, size_t size);

/* By name ("load", "fix", "scenario", "simulate"), or NULL. */
typedef int (*fuzz_target)(const uint8_t *data, size_t size);
fuzz_target fuzz_target_named(const char *name);

#endif
