/* cmd_simulate.c: `rehearse simulate` -- not built yet (issue #5). */
#include "cli/cli.h"

int cmd_simulate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("simulate", "issue #5");
}
