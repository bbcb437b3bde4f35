/* readfile.h: a whole file, or standard input, in memory -- the one way
 * every reader of rehearse takes in its bytes (workflows, scenarios, lint
 * configs, fix's input, the run store's copies, the HTML report's plots),
 * so each says the same thing about a missing file, a directory, a read
 * error, a file past its limit, or memory running out.
 *
 *	size_t len;
 *	char *buf = read_file(path, limit, &len, err, sizeof err);
 *	if (!buf)
 *		return -1;              (err: "PATH: why")
 *	...
 *	free(buf);
 */
#ifndef REHEARSE_READFILE_H
#define REHEARSE_READFILE_H

#include <stddef.h>
#include <stdio.h>

/* The bytes of path ("-" reads standard input, named "<stdin>" in
 * messages), with a NUL after them that *len does not count; malloc'd,
 * the caller frees. NULL when the file cannot be opened, is a directory,
 * fails to read, holds more than `limit` bytes ("PATH: larger than LIMIT
 * bytes"; a file of exactly `limit` bytes is read) or memory runs out,
 * with err set to "PATH: why". */
char *read_file(const char *path, size_t limit, size_t *len, char *err, size_t errlen);

/* The same from a stream already open; name is used in messages only.
 * The stream is left open. */
char *read_stream(FILE *f, const char *name, size_t limit, size_t *len, char *err, size_t errlen);

#endif
