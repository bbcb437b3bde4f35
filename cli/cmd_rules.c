/* cmd_rules.c: `rehearse rules` -- not built yet (issue #3). */
#include "cli/cli.h"

int cmd_rules(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("rules", "issue #3");
}
