/* cmd_fix.c: `rehearse fix` -- not built yet (issue #4). */
#include "cli/cli.h"

int cmd_fix(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("fix", "issue #4");
}
