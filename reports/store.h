/* store.h: the run store -- every simulated case kept in SQLite (--db FILE).
 *
 * simulate, compare, sweep and plan write each case they run as one row
 * of `runs`, with its timeline (`spans`, `span_phases`), its lint findings
 * and, by content hash, the workflow and scenario it ran (`inputs`), so a
 * result can be found, compared and re-run later with the user's own SQL.
 * The database is in WAL mode and each run is written in one transaction:
 * two processes may write one file at once (each waits for the other's
 * transaction), and a process killed mid-run leaves every earlier run
 * whole. `schema_version` records the schema; opening an older database
 * migrates it, a newer one is refused. The schema is in store.c (and in
 * README, for users' SQL). `rehearse runs` reads it back.
 *
 * Errors are returned with a message (the file name and SQLite's words);
 * nothing here prints except the readers, to the FILE they are given. */
#ifndef REHEARSE_REPORT_STORE_H
#define REHEARSE_REPORT_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "document/diag.h"
#include "reports/compare.h"

typedef struct store store;

#define STORE_SCHEMA_VERSION 1

/* Open (creating, or migrating to STORE_SCHEMA_VERSION) the database at
 * path. NULL with why in err. */
store *store_open(const char *path, char *err, size_t errlen);
void store_close(store *s);

/* One invocation of rehearse (the command line, rehearse's version); runs
 * written after it belong to it. Returns 0, or -1 with err. */
int store_invocation(store *s, const char *command, int argc, char **argv, const char *version,
		     char *err, size_t errlen);

/* One run: the case (its result, perf view, GPU), the seed, and the
 * workflow's lint findings (NULL: none known). Written in one
 * transaction; *id gets the run's id. Returns 0, or -1 with err. */
int store_put_run(store *s, const cmp_case *c, uint64_t seed, const diag_list *findings,
		  int64_t *id, char *err, size_t errlen);

/* Readers for `rehearse runs`: text to f, or one JSON object. */
int store_list(store *s, FILE *f, int json, char *err, size_t errlen);
/* One run in full; 1 when there is no such run. */
int store_show(store *s, int64_t id, FILE *f, int json, char *err, size_t errlen);
/* Every run (ids NULL) or the listed ones, as one JSON object. */
int store_export(store *s, const int64_t *ids, size_t nids, FILE *f, char *err, size_t errlen);
/* `runs check`: SQLite's integrity_check and foreign keys, and every run
 * whole (as many spans as it says, each phase with its span). One line a
 * problem, then the verdict, to f. 0 sound, 1 problems, -1 with err. */
int store_check(store *s, FILE *f, char *err, size_t errlen);
/* Copy every run of the database at from into s (inputs deduplicated by
 * hash, invocations and runs renumbered), in one transaction. */
int store_merge(store *s, const char *from, char *err, size_t errlen);

#endif
