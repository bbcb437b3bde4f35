/* jsonout.h: writing a cJSON document that a report built.
 *
 * Every JSON report ends the same way: print the tree, free it, write it
 * with a newline, and tell a write error from success. One place does it,
 * so an out-of-memory print or a full disk is an error everywhere. */
#ifndef REHEARSE_JSONOUT_H
#define REHEARSE_JSONOUT_H

#include <cJSON.h>
#include <stdio.h>

/* Print `root` (NULL counts as out of memory) to f, formatted, and free it:
 * the call owns root from here. Returns 0, or -1 on no memory or a write
 * error. */
int report_json_write(FILE *f, cJSON *root);

#endif
