/* cmd_lint.c: `rehearse lint FILE|DIR...` -- load, check, report.
 *
 * Directories are walked recursively for *.yaml, *.yml and *.json, in
 * sorted order so output is stable. Exit status: 0 when no finding reaches
 * the failing severity, 1 when one does, 2 on usage or I/O errors (an
 * unreadable file still lets the others be checked, then exits 2).
 *
 * Choices about which findings count (--select, --ignore, --strict, the
 * nearest .rehearse.yaml, `# rehearse:ignore` comments) are applied to the
 * findings after all rules ran (validate/config.h). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "document/workflow.h"
#include "reports/findings.h"
#include "validate/config.h"
#include "validate/rules.h"
#include "document/grow.h"

static const char usage[] =
	"usage: rehearse lint [OPTIONS] FILE|DIR...\n"
	"  -f, --format FMT     text (default), json, sarif (GitHub code scanning), github (annotations)\n"
	"      --select IDS     report only these rules (ids or prefixes, comma-separated, repeatable)\n"
	"      --ignore IDS     never report these rules (ids or prefixes, comma-separated, repeatable)\n"
	"      --strict         warnings fail too (exit 1)\n"
	"      --config FILE    read FILE instead of the nearest .rehearse.yaml\n"
	"      --no-config      read no config file\n"
	"      --allow-empty    exit 0 when no workflow is found (default: exit 2)\n"
	"  Options may come anywhere; -- ends them.\n"
	"  FILE may be - for standard input; DIRs are searched for *.yaml, *.yml, *.json\n"
	"  A comment '# rehearse:ignore RULE-ID' on a finding's line (or a comment line\n"
	"  right above it) silences that rule there.\n"
	"  Exit: 0 clean, 1 findings that fail (errors; warnings too with --strict), 2 usage or I/O error\n";

struct paths {
	char **v;
	size_t n, cap;
};

static int add_path(struct paths *p, const char *s)
{
	if (GROW(p->v, p->n, p->cap, 16))
		return -1;
	if (!(p->v[p->n] = strdup(s)))
		return -1;
	p->n++;
	return 0;
}

static int has_ext(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect files under dir, sorted; returns -1 on an I/O error (reported). */
static int walk(struct paths *out, const char *dir, int depth, struct paths *unread)
{
	if (depth > 64)
		return 0;
	DIR *d = opendir(dir);
	if (!d) {
		char msg[4200];
		snprintf(msg, sizeof msg, "%s: cannot open directory", dir);
		fprintf(stderr, "rehearse lint: %s\n", msg);
		add_path(unread, dir);
		add_path(unread, msg);
		return -1;
	}
	struct paths here = {0};
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = strlen(dir) + strlen(e->d_name) + 2;
		char *p = malloc(n);
		if (!p) {
			rc = -1;
			break;
		}
		size_t dl = strlen(dir);
		snprintf(p, n, "%.*s/%s", (int)(dl > 1 && dir[dl - 1] == '/' ? dl - 1 : dl), dir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && (S_ISDIR(st.st_mode) || has_ext(e->d_name)))
			if (add_path(&here, p))
				rc = -1;
		free(p);
	}
	closedir(d);
	if (here.n)
		qsort(here.v, here.n, sizeof *here.v, cmp_str);
	for (size_t i = 0; i < here.n; i++) {
		struct stat st;
		if (rc == 0 && stat(here.v[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = walk(out, here.v[i], depth + 1, unread);
		else if (rc == 0)
			rc = add_path(out, here.v[i]);
		free(here.v[i]);
	}
	free(here.v);
	return rc;
}

int cmd_lint(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"format", 'f', 1, 'f'},
		{"strict", 0, 0, 'S'},
		{"select", 0, 1, 's'},
		{"ignore", 0, 1, 'i'},
		{"config", 0, 1, 'c'},
		{"no-config", 0, 0, 'n'},
		{"allow-empty", 0, 0, 'e'},
		{"help", 'h', 0, 'h'},
		{0},
	};
	report_format fmt = REPORT_TEXT;
	int strict = 0, no_config = 0, allow_empty = 0, nargs = 0;
	const char *config = NULL;
	/* Flags are read twice: first for the config file, which the
	 * selection flags then refine. */
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int c; (c = cli_next(&p)) != CLI_DONE;) {
		switch (c) {
		case 'f':
			if (report_format_parse(p.arg, &fmt))
				return cli_usage_error(usage, "lint", "unknown format '%s'", p.arg);
			break;
		case 'S': strict = 1; break;
		case 's': case 'i': break;
		case 'c': config = p.arg; break;
		case 'n': no_config = 1; break;
		case 'e': allow_empty = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_CLEAN;
		case CLI_ARG: nargs++; break;
		default:
			return cli_usage_error(usage, "lint", "%s", p.err);
		}
	}
	if (!nargs)
		return cli_usage_error(usage, "lint", "no files given");
	lcfg *cfg = lcfg_new();
	if (!cfg) {
		fprintf(stderr, "rehearse lint: out of memory\n");
		return EXIT_USAGE;
	}
	char cfg_path[4096], err[512];
	if (!no_config && !config && lcfg_find(".", cfg_path, sizeof cfg_path))
		config = cfg_path;
	if (!no_config && config && lcfg_load(cfg, config, err, sizeof err)) {
		fprintf(stderr, "rehearse lint: config: %s\n", err);
		lcfg_free(cfg);
		return EXIT_USAGE;
	}
	struct paths files = {0}, unread = {0}; /* unread: path, message, path, message... */
	int io_error = 0;
	cli_parser_init(&p, argc, argv, opts);
	for (int c; (c = cli_next(&p)) != CLI_DONE;) {
		if ((c == 's' && lcfg_select(cfg, p.arg, err, sizeof err)) ||
		    (c == 'i' && lcfg_ignore(cfg, p.arg, err, sizeof err))) {
			lcfg_free(cfg);
			for (size_t i = 0; i < files.n; i++)
				free(files.v[i]);
			free(files.v);
			return cli_usage_error(usage, "lint", "--%s: %s", c == 's' ? "select" : "ignore", err);
		}
		if (c != CLI_ARG)
			continue;
		struct stat st;
		if (strcmp(p.arg, "-") && stat(p.arg, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (walk(&files, p.arg, 0, &unread))
				io_error = 1;
		} else if (add_path(&files, p.arg)) {
			io_error = 1;
		}
	}
	if (strict)
		lcfg_set_strict(cfg, 1);

	wf_set *set = wf_set_new();
	diag_list *d = diag_list_new();
	diag_list *shown = diag_list_new();
	report_rule *rules = calloc(rule_count() + 1, sizeof *rules);
	if (!set || !d || !shown || !rules) {
		fprintf(stderr, "rehearse lint: out of memory\n");
		wf_set_free(set);
		diag_list_free(d);
		diag_list_free(shown);
		free(rules);
		lcfg_free(cfg);
		return EXIT_USAGE;
	}
	size_t nread = 0;
	for (size_t i = 0; i < files.n; i++) {
		if (wf_set_load_file(set, files.v[i], d, err, sizeof err)) {
			fprintf(stderr, "rehearse lint: %s\n", err);
			add_path(&unread, files.v[i]);
			add_path(&unread, err);
			io_error = 1;
		} else {
			nread++;
		}
		free(files.v[i]);
	}
	free(files.v);
	if (lint_run(set, lcfg_lint(cfg), d) || lcfg_apply(cfg, set, d, shown)) {
		fprintf(stderr, "rehearse lint: out of memory\n");
		io_error = 1;
	}
	diag_sort(shown);
	for (size_t i = 0; i < rule_count(); i++) {
		const rule *r = rule_at(i);
		rules[i] = (report_rule){r->id, r->sev, r->summary, r->rationale, r->hint, r->bad, r->good};
	}
	report_info info = {.files = nread, .color = fmt == REPORT_TEXT && isatty(1) && !getenv("NO_COLOR"),
			    .rules = rules, .nrules = rule_count(), .version = REHEARSE_VERSION,
			    .unread = (const char *const *)unread.v, .nunread = unread.n / 2};
	if (report_findings(stdout, fmt, shown, set, &info) || fflush(stdout)) {
		fprintf(stderr, "rehearse lint: write error\n");
		io_error = 1;
	}
	size_t failing = diag_count_at_least(shown, lcfg_strict(cfg) ? DIAG_WARNING : DIAG_ERROR);
	/* Nothing to check is not a pass: an empty file, an empty directory or
	 * a pipe that produced nothing is usually a broken CI step. A file that
	 * failed to load has said so with an error already. */
	int empty = !io_error && !wf_set_count(set) && !diag_count_at_least(d, DIAG_ERROR);
	if (empty && !allow_empty && !nread)
		fprintf(stderr, "rehearse lint: no workflow found: no *.yaml, *.yml or *.json file in the "
			"directories given; --allow-empty accepts that\n");
	else if (empty && !allow_empty)
		fprintf(stderr, "rehearse lint: no workflow found: no Argo Workflow, WorkflowTemplate, "
			"ClusterWorkflowTemplate or CronWorkflow in the %zu file%s read; --allow-empty accepts that\n",
			nread, nread == 1 ? "" : "s");
	wf_set_free(set);
	diag_list_free(d);
	diag_list_free(shown);
	free(rules);
	lcfg_free(cfg);
	for (size_t i = 0; i < unread.n; i++)
		free(unread.v[i]);
	free(unread.v);
	if (io_error || (empty && !allow_empty))
		return EXIT_USAGE;
	return failing ? EXIT_FINDINGS : EXIT_CLEAN;
}
