/* cmd_compare.c: `rehearse compare` -- not built yet (planned: compare scenarios). */
#include "cli/cli.h"

int cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("compare", "planned: compare scenarios");
}
