/* cmd_runs.c: `rehearse runs list|show|export|merge|check` -- the run store.
 *
 * Reads what simulate, compare, sweep and plan kept with --db FILE
 * (reports/store.h): a list of runs, one run in full, every run as one
 * JSON object, other stores merged into this one (the shards of a
 * sweep), or a check that the store is sound (after a crash, a full
 * disk). The store is --db FILE, else $REHEARSE_DB, else ./rehearse.db.
 * Exit: 0, 1 when `show` names no run or `check` finds a problem, 2 usage
 * or database error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "reports/store.h"

static const char usage[] =
	"usage: rehearse runs list [--db FILE] [--format text|json]\n"
	"       rehearse runs show ID [--db FILE] [--format text|json]\n"
	"       rehearse runs export [ID...] [--db FILE]        (one JSON object)\n"
	"       rehearse runs merge FILE... --db FILE            (copy other stores' runs in)\n"
	"       rehearse runs check [--db FILE]                  (integrity_check, every run whole)\n"
	"      --db FILE      the run store (default $REHEARSE_DB, else ./rehearse.db)\n"
	"  -f, --format F     text (default) or json\n"
	"  Exit: 0, 1 no such run or check found a problem, 2 usage or database error.\n";

enum { MAX_ARGS = 1024 };

int cmd_runs(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"db", 0, 1, 'D'}, {"format", 'f', 1, 'f'}, {"help", 'h', 0, 'h'}, {0}};
	const char *db_path = getenv("REHEARSE_DB"), *sub = NULL, *args[MAX_ARGS];
	int nargs = 0, json = 0;
	if (!db_path || !*db_path)
		db_path = "rehearse.db";
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int k; (k = cli_next(&p)) != CLI_DONE;) {
		switch (k) {
		case 'D':
			db_path = p.arg;
			break;
		case 'f':
			if (strcmp(p.arg, "text") && strcmp(p.arg, "json"))
				return cli_usage_error(usage, "runs", "--format is text or json, not '%s'", p.arg);
			json = !strcmp(p.arg, "json");
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_CLEAN;
		case CLI_ARG:
			if (!sub)
				sub = p.arg;
			else if (nargs < MAX_ARGS)
				args[nargs++] = p.arg;
			else
				return cli_usage_error(usage, "runs", "too many arguments");
			break;
		default:
			return cli_usage_error(usage, "runs", "%s", p.err);
		}
	}
	if (!sub)
		return cli_usage_error(usage, "runs", "list, show, export, merge or check?");
	int list = !strcmp(sub, "list"), show = !strcmp(sub, "show"), exp = !strcmp(sub, "export"),
	    merge = !strcmp(sub, "merge"), check = !strcmp(sub, "check");
	if (!list && !show && !exp && !merge && !check)
		return cli_usage_error(usage, "runs", "'%s' is not list, show, export, merge or check", sub);
	if ((list || check) && nargs)
		return cli_usage_error(usage, "runs", "%s takes no argument", sub);
	if ((show && nargs != 1) || (merge && !nargs))
		return cli_usage_error(usage, "runs", show ? "show takes one run id" : "merge wants the stores to copy in");
	int64_t *ids = NULL;
	if ((show || exp) && nargs) {
		ids = calloc((size_t)nargs, sizeof *ids);
		if (!ids) {
			fprintf(stderr, "rehearse runs: out of memory\n");
			return EXIT_USAGE;
		}
		for (int i = 0; i < nargs; i++) {
			char *end;
			errno = 0;
			long long v = strtoll(args[i], &end, 10);
			if (errno || end == args[i] || *end || v < 1) {
				free(ids);
				return cli_usage_error(usage, "runs", "a run id is a whole number, not '%s'", args[i]);
			}
			ids[i] = v;
		}
	}
	/* reading a store that is not there would create an empty one: say so */
	if (!merge && access(db_path, F_OK)) {
		free(ids);
		fprintf(stderr, "rehearse runs: %s: no run store here (give --db FILE, or run simulate, compare, "
			"sweep or plan with --db)\n", db_path);
		return EXIT_USAGE;
	}
	char err[512] = "";
	int rc = EXIT_USAGE;
	store *s = store_open(db_path, err, sizeof err);
	if (!s) {
		fprintf(stderr, "rehearse runs: %s\n", err);
		free(ids);
		return EXIT_USAGE;
	}
	int r = 0;
	if (list)
		r = store_list(s, stdout, json, err, sizeof err);
	else if (show)
		r = store_show(s, ids[0], stdout, json, err, sizeof err);
	else if (exp)
		r = store_export(s, nargs ? ids : NULL, (size_t)nargs, stdout, err, sizeof err);
	else if (check)
		r = store_check(s, stdout, err, sizeof err);
	else
		for (int i = 0; !r && i < nargs; i++)
			if ((r = store_merge(s, args[i], err, sizeof err)) == 0)
				fprintf(stderr, "rehearse runs: merged %s into %s\n", args[i], db_path);
	if (r == 1) {
		if (!check)
			fprintf(stderr, "rehearse runs: %s\n", err);
		rc = EXIT_FINDINGS;
	} else if (r || fflush(stdout)) {
		fprintf(stderr, "rehearse runs: %s\n", err[0] ? err : "write error");
	} else {
		rc = EXIT_CLEAN;
	}
	store_close(s);
	free(ids);
	return rc;
}
