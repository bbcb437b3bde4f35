/* cmd_lint.c: `rehearse lint` -- being built (issue #2). */
#include "cli/cli.h"

int cmd_lint(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("lint", "issue #2");
}
