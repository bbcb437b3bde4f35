/* main.c: git-style dispatch of `rehearse <command> [options] [args]`.
 *
 * The table below is the one list of commands; `rehearse --help` prints it.
 * Each command parses its own options (see cli/cmd_*.c). */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
	int planned;	/* 1: not built yet; --help says so, the command exits 2 */
};

static const struct command commands[] = {
	{"lint",     cmd_lint,     "check workflows offline: Argo semantics and distributed training", 0},
	{"rules",    cmd_rules,    "list every lint rule, or explain one", 0},
	{"fix",      cmd_fix,      "write a corrected workflow that deploys", 0},
	{"simulate", cmd_simulate, "run the workflow on a modelled GPU node pool", 0},
	{"model",    cmd_model,    "predict training step time and peak GPU memory", 0},
	{"compare",  cmd_compare,  "cases side by side: scenarios, node counts, GPUs, base vs head", 0},
	{"sweep",    cmd_sweep,    "every combination of nodes, GPUs, micro-batch, spot: the time/cost front", 0},
	{"plan",     cmd_plan,     "the cheapest configuration that meets a deadline (and a budget)", 0},
	{"runs",     cmd_runs,     "the SQLite run store: list, show, export, merge, check", 0},
};

static void print_help(FILE *f)
{
	fprintf(f, "usage: rehearse <command> [options] [args]\n"
		   "       rehearse --version | --help\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s%s\n", commands[i].name, commands[i].summary,
			commands[i].planned ? " (not built yet)" : "");
	fprintf(f, "\n`rehearse <command> --help` for a command's options; options may come\n"
		   "before or after the arguments, and -- ends them.\n"
		   "exit status: 0 clean, 1 findings, 2 usage or I/O error\n"
		   "data (bundled scenarios, calibration) is read from the first of:\n");
	cli_data_dirs(f);
}

int cli_usage_error(const char *usage, const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "rehearse %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return EXIT_USAGE;
}

int cli_number(const char *usage, const char *cmd, const char *opt, const lim_range *r, const char *text,
	       double *out)
{
	char why[512];
	if (!lim_parse(r, text, out, why, sizeof why))
		return 0;
	return cli_usage_error(usage, cmd, "%s: %s", opt, why);
}

int cli_not_built(const char *cmd, const char *what)
{
	fprintf(stderr, "rehearse %s: not built yet (%s)\n", cmd, what);
	return EXIT_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* Past a file-size limit (ulimit -f) a write then fails with EFBIG,
	 * which each writer reports with the file's name, instead of the
	 * signal killing rehearse halfway through a file. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		print_help(stdout);
		return EXIT_CLEAN;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("rehearse %s\n", REHEARSE_VERSION);
		return EXIT_CLEAN;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "rehearse: '%s' is not a command (see 'rehearse --help')\n", argv[1]);
	print_help(stderr);
	return EXIT_USAGE;
}
