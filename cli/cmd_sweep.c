/* cmd_sweep.c: `rehearse sweep` -- not built yet (planned: parameter sweeps). */
#include "cli/cli.h"

int cmd_sweep(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("sweep", "planned: parameter sweeps");
}
