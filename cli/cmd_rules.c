/* cmd_rules.c: `rehearse rules [ID]` -- the rule table, for people.
 *
 * Without an id: one line per rule (id, severity, summary). With an id:
 * its rationale, fix hint and a bad and a good example, like ShellCheck's
 * wiki pages, so a finding's [rule-id] always leads to an explanation. */
#include <string.h>

#include "cli/cli.h"
#include "validate/effects.h"
#include "validate/rules.h"

static const char usage[] =
	"usage: rehearse rules [RULE-ID]\n"
	"  without RULE-ID: list every rule (id, severity, summary)\n"
	"  with RULE-ID: its rationale, hint, and a bad and a good example\n";

static void indent(const char *s)
{
	fputs("    ", stdout);
	for (; *s; s++) {
		putchar(*s);
		if (*s == '\n' && s[1])
			fputs("    ", stdout);
	}
	if (s[-1] != '\n')
		putchar('\n');
}

int cmd_rules(int argc, char **argv)
{
	static const cli_opt opts[] = {{"help", 'h', 0, 'h'}, {0}};
	const char *id = NULL;
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int c; (c = cli_next(&p)) != CLI_DONE;) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_CLEAN;
		}
		if (c == CLI_ERROR)
			return cli_usage_error(usage, "rules", "%s", p.err);
		if (id)
			return cli_usage_error(usage, "rules", "give at most one rule id");
		id = p.arg;
	}
	if (!id) {
		for (size_t i = 0; i < rule_count(); i++) {
			const rule *r = rule_at(i);
			printf("%-32s %-8s %s\n", r->id, diag_severity_name(r->sev), r->summary);
		}
		return EXIT_CLEAN;
	}
	const rule *r = rule_find(id);
	if (!r) {
		fprintf(stderr, "rehearse rules: no rule '%s' (see 'rehearse rules')\n", id);
		return EXIT_USAGE;
	}
	printf("%s (%s): %s\n\n", r->id, diag_severity_name(r->sev), r->summary);
	printf("Why:\n");
	indent(r->rationale);
	printf("\nFix:\n");
	indent(r->hint);
	if (rule_effect_of(r) != FX_NONE)
		printf("\nIn `rehearse simulate`:\n    %s\n", rule_effect_name(rule_effect_of(r)));
	if (r->bad && *r->bad) {
		printf("\nBad:\n");
		indent(r->bad);
	}
	if (r->good && *r->good) {
		printf("\nGood:\n");
		indent(r->good);
	}
	return EXIT_CLEAN;
}
