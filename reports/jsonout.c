/* jsonout.c: see jsonout.h. */
#include <stdlib.h>

#include "reports/jsonout.h"

int report_json_write(FILE *f, cJSON *root)
{
	char *s = root ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!s)
		return -1;
	int rc = fprintf(f, "%s\n", s) < 0 ? -1 : 0;
	free(s);
	return rc;
}
