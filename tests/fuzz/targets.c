/* targets.c: the fuzz targets (targets.h). */
#include "tests/fuzz/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/workflow.h"
#include "model/scenario.h"
#include "sim/simulate.h"
#include "validate/fix.h"
#include "validate/rules.h"

/* A property does not hold: say which, and crash so the fuzzer keeps the input. */
static void broken(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: property broken: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

int fuzz_load_one(const uint8_t *data, size_t size)
{
	wf_set *set = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	if (set && d && wf_set_load_mem(set, "fuzz.yaml", (const char *)data, size, d, err, sizeof err) == 0)
		lint_run(set, NULL, d);
	wf_set_free(set);
	diag_list_free(d);
	return 0;
}

static int had_error(const diag_list *l, const char *rule)
{
	for (size_t i = 0; i < diag_count(l); i++)
		if (diag_get(l, i)->sev == DIAG_ERROR && !strcmp(diag_get(l, i)->rule, rule))
			return 1;
	return 0;
}

static int declined(const fix_result *r, const char *rule)
{
	for (size_t i = 0; i < fix_change_count(r); i++) {
		const fix_change *c = fix_change_at(r, i);
		if (c->applied)
			continue;
		if (c->rule && strstr(c->rule, rule))
			return 1;
		for (size_t k = 0; k < fix_pass_count(); k++) { /* the rules the declining pass answers */
			const char *name, *rules, *summary;
			fix_pass_info(k, &name, &rules, &summary);
			if (name && c->fix && !strcmp(name, c->fix) && rules && strstr(rules, rule))
				return 1;
		}
	}
	return 0;
}

/* split-argv makes a command line readable ("--nnodes 4" as one word
 * becomes two): every rule that reads what a container runs (torchrun's
 * options, etcd's flags, the GPU processes that need /dev/shm) then sees
 * it, and may find what it could not before. */
static int unmasked(const fix_result *r, const char *rule)
{
	(void)rule;
	for (size_t i = 0; i < fix_change_count(r); i++)
		if (fix_change_at(r, i)->applied && !strcmp(fix_change_at(r, i)->fix, "split-argv"))
			return 1;
	return 0;
}

int fuzz_fix_one(const uint8_t *data, size_t size)
{
	fix_opts o = {0};
	fix_result *r = NULL;
	char err[512];
	int rc = fix_run("fuzz.yaml", (const char *)data, size, &o, &r, err, sizeof err);
	if (rc == FIX_ERR_IO && strstr(err, "a bug in rehearse"))
		broken("fix failed on its own output", err);
	if (rc != FIX_OK)
		return 0;
	size_t len;
	const char *out = fix_output(r, &len);
	wf_set *set = wf_set_new();
	diag_list *d = diag_list_new();
	if (!set || !d || wf_set_load_mem(set, "fixed.yaml", out, len, d, err, sizeof err))
		broken("fix's output does not load", err);
	for (size_t i = 0; i < diag_count(d); i++)
		if (diag_get(d, i)->sev == DIAG_ERROR && !strncmp(diag_get(d, i)->rule, "yaml-", 5))
			broken("fix's output is not valid YAML", diag_get(d, i)->msg);
	/* A fix may unmask a finding (a split argv makes a torchrun line
	 * readable): fine when fix said so, declining that rule's fix. */
	const diag_list *before = fix_before(r), *after = fix_after(r);
	for (size_t i = 0; i < diag_count(after); i++) {
		const diag *a = diag_get(after, i);
		if (a->sev != DIAG_ERROR || had_error(before, a->rule) || declined(r, a->rule) ||
		    unmasked(r, a->rule))
			continue;
		broken("fix's output has an error the input did not, and fix did not say why", a->rule);
	}
	wf_set_free(set);
	diag_list_free(d);
	fix_result_free(r);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		broken("cannot read (run from the checkout's top)", path);
	char *buf = malloc(1 << 20);
	*len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	return buf;
}

/* Simulate doc on scn with the event budget; the result must be whole. */
static void simulate(const wf_doc *doc, const scenario *scn)
{
	diag_list *d = diag_list_new();
	char err[512];
	sim_opts o = {0};
	o.seed = 1;
	o.max_events = FUZZ_MAX_EVENTS;
	simulation *sim = d ? simulation_new(doc, scn, &o, d, err, sizeof err) : NULL;
	if (sim) {
		simulation_run(sim, err, sizeof err);
		const sim_result *r = simulation_result(sim);
		if (!r || !r->status)
			broken("a simulation ended without a status", NULL);
		simulation_free(sim);
	}
	diag_list_free(d);
}

/* The bundled seed and scenario, loaded once per process. */
static const wf_doc *seed_doc(void)
{
	static wf_set *set;
	if (!set) {
		size_t len;
		char *buf = slurp("scenarios/fine-tune-llama.yaml", &len);
		diag_list *d = diag_list_new();
		char err[256];
		set = wf_set_new();
		if (!buf || !set || !d || wf_set_load_mem(set, "seed.yaml", buf, len, d, err, sizeof err) ||
		    !wf_set_count(set))
			broken("the bundled seed does not load", NULL);
		free(buf);
		diag_list_free(d);
	}
	return wf_set_doc(set, 0);
}

static const scenario *seed_scenario(void)
{
	static scenario *s;
	if (!s) {
		diag_list *d = diag_list_new();
		char err[256];
		if (!d || !(s = scn_load_file("scenarios/gke-v100-4node.yaml", d, err, sizeof err)))
			broken("the bundled scenario does not load", err);
		diag_list_free(d);
	}
	return s;
}

int fuzz_scenario_one(const uint8_t *data, size_t size)
{
	const wf_doc *doc = seed_doc();
	diag_list *d = diag_list_new();
	char err[512] = "";
	scenario *s = d ? scn_load_mem("fuzz.yaml", (const char *)data, size, d, err, sizeof err) : NULL;
	if (!s && d && !diag_count(d) && !err[0])
		broken("a scenario refused without a reason", NULL);
	if (s)
		simulate(doc, s);
	scn_free(s);
	diag_list_free(d);
	return 0;
}

int fuzz_simulate_one(const uint8_t *data, size_t size)
{
	const scenario *scn = seed_scenario();
	wf_set *set = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	if (set && d && wf_set_load_mem(set, "fuzz.yaml", (const char *)data, size, d, err, sizeof err) == 0 &&
	    !diag_count_at_least(d, DIAG_ERROR)) {
		for (size_t i = 0; i < wf_set_count(set); i++) {
			const wf_doc *doc = wf_set_doc(set, i);
			if (doc->kind == WF_WORKFLOW || doc->kind == WF_WORKFLOW_TEMPLATE) {
				simulate(doc, scn);
				break;
			}
		}
	}
	wf_set_free(set);
	diag_list_free(d);
	return 0;
}

fuzz_target fuzz_target_named(const char *name)
{
	static const struct { const char *name; fuzz_target fn; } t[] = {
		{"load", fuzz_load_one}, {"fix", fuzz_fix_one},
		{"scenario", fuzz_scenario_one}, {"simulate", fuzz_simulate_one},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(name, t[i].name))
			return t[i].fn;
	return NULL;
}
