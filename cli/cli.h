/* cli.h: the command-line edge of rehearse.
 *
 * Every command is `int cmd_<name>(int argc, char **argv)` in its own file
 * cli/cmd_<name>.c, listed once in the table in cli/main.c. argv[0] is the
 * command name. A command returns the process exit status:
 *   0 success / clean, 1 findings or a failed check, 2 usage or I/O error.
 * Only this folder may print usage or decide exit codes; library code
 * returns errors. */
#ifndef REHEARSE_CLI_H
#define REHEARSE_CLI_H

#include <stdio.h>

#include "model/limits.h"

#define REHEARSE_VERSION "0.1.0"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

int cmd_lint(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_runs(int argc, char **argv);

/* Print "rehearse CMD: MSG" and the usage line to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A number option's value against its range (model/limits.h): 0 with *out,
 * else "rehearse CMD: --opt: 'x' is not a whole number of ..." (naming the
 * option, not only the value) and the usage, and returns EXIT_USAGE. */
int cli_number(const char *usage, const char *cmd, const char *opt, const lim_range *r, const char *text,
	       double *out);

/* Bundled data (cli/datadir.c): the path of `rel` ("scenarios/x.yaml",
 * "calib/h100.jsonl") in the first data directory that has it; 0, or -1
 * when none does. cli_data_dirs prints the directories searched, in order. */
int cli_data_file(const char *rel, char *out, size_t len);
void cli_data_dirs(FILE *f);

/* For commands a later issue fills in: says so plainly, returns EXIT_USAGE. */
int cli_not_built(const char *cmd, const char *what);

/* True if argv holds -h or --help before any "--". */
int cli_wants_help(int argc, char **argv);

/* Options, read by cli/opts.c for every command in GNU order: options and
 * arguments in any order, `--` ends the options, `-` is an argument, short
 * options cluster (-qd, -oFILE), long ones take `--opt=V` or `--opt V` and
 * unambiguous prefixes. A command lists its options in a table ending with
 * {0} and loops:
 *
 *	cli_parser p;
 *	cli_parser_init(&p, argc, argv, opts);
 *	for (int k; (k = cli_next(&p)) != CLI_DONE;)
 *		switch (k) {
 *		case CLI_ARG: ...p.arg is the next positional argument...
 *		case CLI_ERROR: return cli_usage_error(usage, "cmd", "%s", p.err);
 *		case 'f': ...p.arg is the option's value...
 *		}
 */
typedef struct cli_opt {
	const char *name; /* long name without "--", or NULL */
	char short_name;  /* one-letter form, or 0 */
	int has_arg;      /* 1: the option takes a value */
	int key;          /* what cli_next returns for it (not CLI_*) */
} cli_opt;

enum { CLI_DONE = -1, CLI_ARG = -2, CLI_ERROR = -3 };

typedef struct cli_parser {
	int argc;
	char **argv;
	const cli_opt *opts;
	int i;               /* next argv element */
	const char *cluster; /* the rest of a cluster of short options */
	int dashdash;        /* `--` seen: the rest are arguments */
	const char *arg;     /* the option's value, or the argument */
	char opt[64];        /* the option as its long name (for messages) */
	char err[160];       /* why CLI_ERROR */
} cli_parser;

void cli_parser_init(cli_parser *p, int argc, char **argv, const cli_opt *opts);
/* The next option's key, CLI_ARG, CLI_DONE, or CLI_ERROR with p->err. */
int cli_next(cli_parser *p);

#endif
