/* cmd_model.c: `rehearse model` -- not built yet (issue #6). */
#include "cli/cli.h"

int cmd_model(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_not_built("model", "issue #6");
}
