/* opts.c: the one option parser every command uses.
 *
 * GNU order, as users of git, gcc and ruff expect: options may come before,
 * between or after the positional arguments, `--` ends the options, a lone
 * `-` is an argument (standard input). getopt_long does most of that, but
 * its permutation is global state, turns off under POSIXLY_CORRECT or a
 * leading '+', and reports errors through optind arithmetic each command
 * re-did; this parser hands a command its options and its arguments in the
 * order given, one at a time, with the error message already written. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

void cli_parser_init(cli_parser *p, int argc, char **argv, const cli_opt *opts)
{
	memset(p, 0, sizeof *p);
	p->argc = argc;
	p->argv = argv;
	p->opts = opts;
	p->i = 1;
}

/* A long option by exact name, else by a prefix no other option shares
 * (as getopt_long allows): NULL with p->err when none or ambiguous. */
static const cli_opt *find_long(cli_parser *p, const char *name, size_t n)
{
	const cli_opt *hit = NULL;
	int hits = 0;
	for (const cli_opt *o = p->opts; o->name || o->short_name; o++) {
		if (!o->name || strncmp(o->name, name, n))
			continue;
		if (strlen(o->name) == n)
			return o;
		hit = o;
		hits++;
	}
	if (hits == 1)
		return hit;
	snprintf(p->err, sizeof p->err, "%s option '--%.*s'", hits ? "ambiguous" : "unknown", (int)n, name);
	return NULL;
}

static const cli_opt *find_short(const cli_parser *p, char c)
{
	for (const cli_opt *o = p->opts; o->name || o->short_name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

int cli_next(cli_parser *p)
{
	p->arg = NULL;
	if (p->cluster && *p->cluster) {
		/* the rest of a cluster of short options: -qd, -oFILE */
		char c = *p->cluster++;
		const cli_opt *o = find_short(p, c);
		snprintf(p->opt, sizeof p->opt, "-%c", c);
		if (!o) {
			snprintf(p->err, sizeof p->err, "unknown option '-%c'", c);
			return CLI_ERROR;
		}
		if (o->has_arg) {
			if (*p->cluster) {
				p->arg = p->cluster;
			} else if (p->i < p->argc) {
				p->arg = p->argv[p->i++];
			} else {
				snprintf(p->err, sizeof p->err, "option '-%c' wants a value", c);
				return CLI_ERROR;
			}
			p->cluster = NULL;
		}
		return o->key;
	}
	if (p->i >= p->argc)
		return CLI_DONE;
	char *a = p->argv[p->i++];
	if (p->dashdash || a[0] != '-' || !a[1]) {
		p->arg = a;
		return CLI_ARG;
	}
	if (!strcmp(a, "--")) {
		p->dashdash = 1;
		return cli_next(p);
	}
	if (a[1] != '-') {
		p->cluster = a + 1;
		return cli_next(p);
	}
	const char *name = a + 2, *eq = strchr(name, '=');
	size_t n = eq ? (size_t)(eq - name) : strlen(name);
	const cli_opt *o = find_long(p, name, n);
	if (!o)
		return CLI_ERROR;
	snprintf(p->opt, sizeof p->opt, "--%s", o->name);
	if (!o->has_arg && eq) {
		snprintf(p->err, sizeof p->err, "option '--%s' takes no value", o->name);
		return CLI_ERROR;
	}
	if (o->has_arg) {
		if (eq) {
			p->arg = eq + 1;
		} else if (p->i < p->argc) {
			p->arg = p->argv[p->i++];
		} else {
			snprintf(p->err, sizeof p->err, "option '--%s' wants a value", o->name);
			return CLI_ERROR;
		}
	}
	return o->key;
}
