/* store.c: the SQLite run store (store.h).
 *
 * The schema is a list of migrations: migrations[k] takes a database from
 * version k to k+1, and opening applies the missing ones in one
 * transaction. A run is written in one transaction (BEGIN IMMEDIATE, so
 * two writers queue on the lock instead of failing halfway); WAL lets
 * readers go on meanwhile. Inputs are keyed by a 64-bit FNV-1a hash of
 * their bytes: the same workflow run a thousand times is stored once. */
#include "reports/store.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "document/readfile.h"
#include "document/yaml.h"
#include "reports/jsonout.h"

struct store {
	sqlite3 *db;
	char *path;
	int64_t invocation;
};

/* Version k+1 is migrations[k]. Add a migration, never edit one. */
static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE inputs (\n"
	"  hash TEXT PRIMARY KEY,        -- 'fnv1a64:' and 16 hex digits of the bytes\n"
	"  kind TEXT NOT NULL,           -- 'workflow' or 'scenario'\n"
	"  path TEXT NOT NULL,           -- as first given on a command line\n"
	"  bytes INTEGER NOT NULL,\n"
	"  content BLOB                  -- the file itself (NULL: standard input)\n"
	");\n"
	"CREATE TABLE invocations (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  started_at TEXT NOT NULL,     -- UTC, ISO 8601\n"
	"  command TEXT NOT NULL,        -- simulate, compare, sweep, plan\n"
	"  argv TEXT NOT NULL,           -- the command line, a JSON array\n"
	"  version TEXT NOT NULL         -- rehearse's version\n"
	");\n"
	"CREATE TABLE runs (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  invocation_id INTEGER NOT NULL REFERENCES invocations(id),\n"
	"  label TEXT NOT NULL,          -- the case: '4 nodes h100 spot'\n"
	"  workflow TEXT NOT NULL, workflow_hash TEXT REFERENCES inputs(hash),\n"
	"  scenario TEXT NOT NULL, scenario_hash TEXT REFERENCES inputs(hash),\n"
	"  scenario_name TEXT,\n"
	"  seed INTEGER NOT NULL,\n"
	"  nodes INTEGER, gpus INTEGER, gpu TEXT, machine TEXT, micro_batch INTEGER, spot INTEGER,\n"
	"  status TEXT NOT NULL,         -- Succeeded, Failed, Stuck, CutOff, OutOfMemory\n"
	"  makespan_s REAL NOT NULL, first_step_s REAL, training_end_s REAL,\n"
	"  gpu_hours_provisioned REAL, gpu_hours_training REAL,\n"
	"  step_s REAL, bottleneck TEXT, -- the perf model's view of a step\n"
	"  cost_usd REAL, gpu_usd REAL, cpu_usd REAL, storage_usd REAL, lb_usd REAL, cluster_usd REAL,\n"
	"  per_epoch_usd REAL, per_mtokens_usd REAL, idle_gpu_hours REAL, idle_gpu_usd REAL,\n"
	"  events INTEGER,\n"
	"  nspans INTEGER NOT NULL       -- rows in spans: a check that the run is whole\n"
	");\n"
	"CREATE INDEX runs_invocation ON runs(invocation_id);\n"
	"CREATE TABLE spans (            -- one per workflow node and pod, as simulate's timeline\n"
	"  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
	"  seq INTEGER NOT NULL,\n"
	"  kind TEXT NOT NULL,           -- 'node' (DAG task, step) or 'pod'\n"
	"  name TEXT NOT NULL, template TEXT, what TEXT, depth INTEGER, attempt INTEGER,\n"
	"  start_s REAL NOT NULL, end_s REAL, status TEXT, message TEXT,\n"
	"  node TEXT, zone TEXT, gpus INTEGER,\n"
	"  PRIMARY KEY (run_id, seq)\n"
	");\n"
	"CREATE TABLE span_phases (      -- where a pod's time went: pull, download, training...\n"
	"  run_id INTEGER NOT NULL, seq INTEGER NOT NULL, phase TEXT NOT NULL, seconds REAL NOT NULL,\n"
	"  PRIMARY KEY (run_id, seq, phase)\n"
	");\n"
	"CREATE TABLE trials (           -- Monte Carlo trials of a run\n"
	"  run_id INTEGER NOT NULL REFERENCES runs(id), trial INTEGER NOT NULL, seed INTEGER,\n"
	"  status TEXT, makespan_s REAL, cost_usd REAL,\n"
	"  PRIMARY KEY (run_id, trial)\n"
	");\n"
	"CREATE TABLE findings (         -- the workflow's lint findings when it ran\n"
	"  run_id INTEGER NOT NULL REFERENCES runs(id),\n"
	"  file TEXT, line INTEGER, col INTEGER, severity TEXT, rule TEXT, message TEXT, hint TEXT\n"
	");\n"
	"CREATE TABLE notes (            -- the run's assumptions and problems, in order\n"
	"  run_id INTEGER NOT NULL REFERENCES runs(id), seq INTEGER NOT NULL,\n"
	"  kind TEXT NOT NULL,           -- 'assumption' or 'problem'\n"
	"  text TEXT NOT NULL\n"
	");\n",
};

/* The errno of the last failed system call on the database or its
 * journal (the WAL, where a run's pages go first): SQLite keeps it per
 * file; sqlite3_system_errno has often lost it by the time a COMMIT
 * returns. 0 when none is known. */
static int last_errno(store *s)
{
	int e = sqlite3_system_errno(s->db), m = 0, j = 0;
	sqlite3_file *jf = NULL;
	if (!e && sqlite3_file_control(s->db, "main", SQLITE_FCNTL_LAST_ERRNO, &m) == SQLITE_OK && m)
		e = m;
	if (!e && sqlite3_file_control(s->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &jf) == SQLITE_OK && jf &&
	    jf->pMethods && jf->pMethods->xFileControl(jf, SQLITE_FCNTL_LAST_ERRNO, &j) == SQLITE_OK)
		e = j;
	return e;
}

/* What a failed write ran into, in the user's words: SQLite says "disk
 * I/O error" for a write the system refused, so the system's reason is
 * given too. NULL when it is not a write failure. */
static const char *io_cause(store *s)
{
	int code = sqlite3_extended_errcode(s->db) & 0xff;
	int e = code == SQLITE_IOERR || code == SQLITE_FULL ? last_errno(s) : 0;
	if (code == SQLITE_FULL || (code == SQLITE_IOERR && e == ENOSPC))
		return "the disk is full";
	if (code != SQLITE_IOERR)
		return NULL;
	if (e == EFBIG)
		return "file too large: a file-size limit (ulimit -f) is reached";
	if (e == EDQUOT)
		return "disk quota exceeded";
	return e ? strerror(e) : NULL;
}

/* err: "PATH: WHAT: SQLite's words (the system's reason)". */
static int fail(store *s, char *err, size_t errlen, const char *what)
{
	/* SQLite's words for SQLITE_FULL say it already: "database or disk is full" */
	const char *cause = s && s->db && (sqlite3_extended_errcode(s->db) & 0xff) != SQLITE_FULL ? io_cause(s)
		: NULL;
	snprintf(err, errlen, "%s: %s%s%s%s%s%s", s && s->path ? s->path : "database", what ? what : "",
		 what ? ": " : "", s && s->db ? sqlite3_errmsg(s->db) : "out of memory", cause ? " (" : "",
		 cause ? cause : "", cause ? ")" : "");
	return -1;
}

static int exec_what(store *s, const char *sql, const char *what, char *err, size_t errlen)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(s, err, errlen, what);
}

static int exec(store *s, const char *sql, char *err, size_t errlen)
{
	return exec_what(s, sql, NULL, err, errlen);
}

static void rollback(store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_close(store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* Turning a store to WAL needs the file to itself, and SQLite returns
 * "locked" at once instead of calling the busy handler when another
 * connection holds it (its guard against deadlock): two writers opening
 * a new store together meet here, so the later one waits its turn, for
 * up to the minute a writer waits for a transaction. */
static int set_wal(store *s, char *err, size_t errlen)
{
	for (int waited = 0;; waited += 10) {
		int rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) & 0xff;
		if (rc == SQLITE_OK)
			return 0;
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= 60000)
			return fail(s, err, errlen, NULL);
		sqlite3_sleep(10);
	}
}

store *store_open(const char *path, char *err, size_t errlen)
{
	store *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(path))) {
		free(s);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fail(s, err, errlen, "cannot open");
		store_close(s);
		return NULL;
	}
	/* a writer waits up to a minute for another's transaction */
	sqlite3_busy_timeout(s->db, 60000);
	if (set_wal(s, err, errlen) || exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", err, errlen) ||
	    exec(s, "BEGIN IMMEDIATE", err, errlen)) {
		store_close(s);
		return NULL;
	}
	if (exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", err, errlen))
		goto bad;
	sqlite3_stmt *st = NULL;
	int version = 0, have = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT version FROM schema_version", -1, &st, NULL) != SQLITE_OK) {
		fail(s, err, errlen, "reading schema_version");
		goto bad;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0), have = 1;
	sqlite3_finalize(st);
	int known = (int)(sizeof migrations / sizeof migrations[0]);
	if (version > known) {
		snprintf(err, errlen, "%s: schema version %d is newer than this rehearse knows (%d): use a newer "
			 "rehearse", path, version, known);
		goto bad;
	}
	for (int k = version; k < known; k++)
		if (exec(s, migrations[k], err, errlen))
			goto bad;
	/* a store already at this version is not written to: it can be read
	 * on a full disk */
	char sql[128];
	snprintf(sql, sizeof sql, have ? "UPDATE schema_version SET version = %d"
		 : "INSERT INTO schema_version VALUES (%d)", known);
	if ((version < known && exec(s, sql, err, errlen)) || exec(s, "COMMIT", err, errlen))
		goto bad;
	return s;
bad:
	rollback(s);
	store_close(s);
	return NULL;
}

/* --- writing --- */

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

/* A real, or NULL when the figure is unknown (negative). */
static int bind_num(sqlite3_stmt *st, int i, double v, int have)
{
	return have && isfinite(v) ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

/* Store a file's bytes under their hash; hash gets the key, "" when the
 * file cannot be read again (standard input). */
static int put_input(store *s, const char *kind, const char *path, char *hash, size_t hashlen,
		     char *err, size_t errlen)
{
	hash[0] = 0;
	if (!strcmp(path, "-"))
		return 0;
	size_t len;
	char rerr[256];
	unsigned char *buf = (unsigned char *)read_file(path, 2 * yn_default_limits.max_bytes, &len, rerr, sizeof rerr);
	if (!buf)
		return 0; /* the run read it; a file gone or grown since is not the store's error */
	snprintf(hash, hashlen, "fnv1a64:%016llx", (unsigned long long)fnv1a(buf, len));
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO inputs (hash, kind, path, bytes, content) "
				    "VALUES (?, ?, ?, ?, ?)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		bind_text(st, 1, hash);
		bind_text(st, 2, kind);
		bind_text(st, 3, path);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
		sqlite3_bind_blob(st, 5, buf, (int)len, SQLITE_TRANSIENT);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	free(buf);
	return rc == SQLITE_OK ? 0 : fail(s, err, errlen, "storing an input");
}

int store_invocation(store *s, const char *command, int argc, char **argv, const char *version,
		     char *err, size_t errlen)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; a && i < argc; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
	char *text = a ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	sqlite3_stmt *st = NULL;
	int ok = text && sqlite3_prepare_v2(s->db, "INSERT INTO invocations (started_at, command, argv, version) "
					    "VALUES (?, ?, ?, ?)", -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		bind_text(st, 1, when);
		bind_text(st, 2, command);
		bind_text(st, 3, text);
		bind_text(st, 4, version);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	free(text);
	if (!ok)
		return fail(s, err, errlen, "recording the command line");
	s->invocation = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int put_spans(store *s, int64_t id, const sim_result *r)
{
	sqlite3_stmt *sp = NULL, *ph = NULL;
	int ok = sqlite3_prepare_v2(s->db, "INSERT INTO spans (run_id, seq, kind, name, template, what, depth, "
				    "attempt, start_s, end_s, status, message, node, zone, gpus) VALUES "
				    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &sp, NULL) == SQLITE_OK &&
		 sqlite3_prepare_v2(s->db, "INSERT INTO span_phases (run_id, seq, phase, seconds) VALUES (?,?,?,?)",
				    -1, &ph, NULL) == SQLITE_OK;
	for (size_t i = 0; ok && i < r->nrec; i++) {
		const sim_record *x = &r->rec[i];
		sqlite3_reset(sp);
		sqlite3_bind_int64(sp, 1, id);
		sqlite3_bind_int64(sp, 2, (sqlite3_int64)i);
		bind_text(sp, 3, x->kind == SIM_REC_POD ? "pod" : "node");
		bind_text(sp, 4, x->name);
		bind_text(sp, 5, x->tmpl);
		bind_text(sp, 6, x->what);
		sqlite3_bind_int(sp, 7, x->depth);
		sqlite3_bind_int(sp, 8, x->attempt);
		sqlite3_bind_double(sp, 9, x->start);
		bind_num(sp, 10, x->end, x->end >= 0);
		bind_text(sp, 11, x->status);
		bind_text(sp, 12, x->message ? x->message : "");
		bind_text(sp, 13, x->node);
		bind_text(sp, 14, x->node ? (x->zone ? x->zone : "") : NULL);
		sqlite3_bind_int(sp, 15, x->gpus);
		ok = sqlite3_step(sp) == SQLITE_DONE;
		for (int k = 0; ok && x->node && k < SIM_PH_COUNT; k++) {
			if (x->phase[k] <= 0)
				continue;
			sqlite3_reset(ph);
			sqlite3_bind_int64(ph, 1, id);
			sqlite3_bind_int64(ph, 2, (sqlite3_int64)i);
			bind_text(ph, 3, sim_phase_name((sim_phase)k));
			sqlite3_bind_double(ph, 4, x->phase[k]);
			ok = sqlite3_step(ph) == SQLITE_DONE;
		}
	}
	sqlite3_finalize(sp);
	sqlite3_finalize(ph);
	return ok ? 0 : -1;
}

static int put_notes(store *s, int64_t id, const sim_result *r, const diag_list *findings)
{
	sqlite3_stmt *st = NULL, *fs = NULL;
	int ok = sqlite3_prepare_v2(s->db, "INSERT INTO notes (run_id, seq, kind, text) VALUES (?,?,?,?)", -1,
				    &st, NULL) == SQLITE_OK &&
		 sqlite3_prepare_v2(s->db, "INSERT INTO findings (run_id, file, line, col, severity, rule, message, "
				    "hint) VALUES (?,?,?,?,?,?,?,?)", -1, &fs, NULL) == SQLITE_OK;
	size_t seq = 0;
	for (int kind = 0; kind < 2; kind++) {
		const char *const *v = kind ? r->problems : r->notes;
		size_t n = kind ? r->nproblems : r->nnotes;
		for (size_t i = 0; ok && i < n; i++) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, (sqlite3_int64)seq++);
			bind_text(st, 3, kind ? "problem" : "assumption");
			bind_text(st, 4, v[i]);
			ok = sqlite3_step(st) == SQLITE_DONE;
		}
	}
	static const char *const sev[] = {"note", "warning", "error"};
	for (size_t i = 0; ok && findings && i < diag_count(findings); i++) {
		const diag *d = diag_get(findings, i);
		sqlite3_reset(fs);
		sqlite3_bind_int64(fs, 1, id);
		bind_text(fs, 2, d->file);
		sqlite3_bind_int(fs, 3, (int)d->line);
		sqlite3_bind_int(fs, 4, (int)d->col);
		bind_text(fs, 5, (unsigned)d->sev < 3 ? sev[d->sev] : "?");
		bind_text(fs, 6, d->rule);
		bind_text(fs, 7, d->msg);
		bind_text(fs, 8, d->hint);
		ok = sqlite3_step(fs) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(fs);
	return ok ? 0 : -1;
}

static int put_trials(store *s, int64_t id, const cmp_case *c)
{
	if (c->trials <= 0 || !c->trial_rows)
		return 0;
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_prepare_v2(s->db, "INSERT INTO trials (run_id, trial, seed, status, makespan_s, cost_usd) "
				    "VALUES (?,?,?,?,?,?)", -1, &st, NULL) == SQLITE_OK;
	for (int i = 0; ok && i < c->trials; i++) {
		const study_trial *t = &c->trial_rows[i];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, i);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)t->seed);
		bind_text(st, 4, t->status);
		sqlite3_bind_double(st, 5, t->makespan);
		sqlite3_bind_double(st, 6, t->cost);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

int store_put_run(store *s, const cmp_case *c, uint64_t seed, const diag_list *findings,
		  int64_t *id, char *err, size_t errlen)
{
	const sim_result *r = c->r;
	const sim_cost *k = &r->cost;
	char wh[40], sh[40];
	if (!s->invocation) {
		snprintf(err, errlen, "%s: a run before its command line (store_invocation)", s->path);
		return -1;
	}
	if (exec(s, "BEGIN IMMEDIATE", err, errlen))
		return -1;
	if (put_input(s, "workflow", c->workflow, wh, sizeof wh, err, errlen) ||
	    put_input(s, "scenario", c->scenario, sh, sizeof sh, err, errlen))
		goto bad;
	sqlite3_stmt *st = NULL;
	int ok = sqlite3_prepare_v2(s->db,
		"INSERT INTO runs (invocation_id, label, workflow, workflow_hash, scenario, scenario_hash, "
		"scenario_name, seed, nodes, gpus, gpu, machine, micro_batch, spot, status, makespan_s, "
		"first_step_s, training_end_s, gpu_hours_provisioned, gpu_hours_training, step_s, bottleneck, "
		"cost_usd, gpu_usd, cpu_usd, storage_usd, lb_usd, cluster_usd, per_epoch_usd, per_mtokens_usd, "
		"idle_gpu_hours, idle_gpu_usd, events, nspans) VALUES "
		"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		int i = 1;
		sqlite3_bind_int64(st, i++, s->invocation);
		bind_text(st, i++, c->label ? c->label : "");
		bind_text(st, i++, c->workflow);
		bind_text(st, i++, wh[0] ? wh : NULL);
		bind_text(st, i++, c->scenario);
		bind_text(st, i++, sh[0] ? sh : NULL);
		bind_text(st, i++, r->scenario);
		sqlite3_bind_int64(st, i++, (sqlite3_int64)seed);
		sqlite3_bind_int(st, i++, r->nodes_to);
		sqlite3_bind_int(st, i++, r->ranks * (r->nproc > 0 ? r->nproc : 1));
		bind_text(st, i++, c->gpu);
		bind_text(st, i++, c->machine);
		sqlite3_bind_int(st, i++, c->micro_batch);
		sqlite3_bind_int(st, i++, k->gpu_spot);
		bind_text(st, i++, cmp_status(c));
		sqlite3_bind_double(st, i++, r->makespan);
		bind_num(st, i++, r->first_step, r->first_step >= 0);
		bind_num(st, i++, r->training_end, r->training_end >= 0);
		sqlite3_bind_double(st, i++, r->gpu_s_provisioned / 3600);
		sqlite3_bind_double(st, i++, r->gpu_s_training / 3600);
		bind_num(st, i++, c->perf.step_s, c->have_perf);
		bind_text(st, i++, c->have_perf ? perf_bound_name(c->perf.bound) : NULL);
		sqlite3_bind_double(st, i++, k->total_usd);
		sqlite3_bind_double(st, i++, k->gpu_usd);
		sqlite3_bind_double(st, i++, k->cpu_usd);
		sqlite3_bind_double(st, i++, k->storage_usd);
		sqlite3_bind_double(st, i++, k->lb_usd);
		sqlite3_bind_double(st, i++, k->cluster_usd);
		bind_num(st, i++, k->per_epoch_usd, k->per_epoch_usd >= 0);
		bind_num(st, i++, k->per_mtokens_usd, k->per_mtokens_usd >= 0);
		sqlite3_bind_double(st, i++, k->idle_gpu_hours);
		sqlite3_bind_double(st, i++, k->idle_gpu_usd);
		sqlite3_bind_int64(st, i++, (sqlite3_int64)r->events);
		sqlite3_bind_int64(st, i++, (sqlite3_int64)r->nrec);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	int64_t rid = ok ? sqlite3_last_insert_rowid(s->db) : 0;
	if (!ok || put_spans(s, rid, r) || put_notes(s, rid, r, findings) || put_trials(s, rid, c)) {
		fail(s, err, errlen, "writing a run");
		goto bad;
	}
	if (exec_what(s, "COMMIT", "writing a run", err, errlen))
		goto bad;
	if (id)
		*id = rid;
	return 0;
bad:
	/* the transaction is undone whole: say so where the user fears for the rest */
	if (io_cause(s)) {
		size_t len = strlen(err);
		snprintf(err + len, errlen - len, "; this run is not stored, the runs stored before it are kept");
	}
	rollback(s);
	return -1;
}

/* --- reading --- */

/* One row of a query as a JSON object: column names as keys, NULL as null. */
static cJSON *row_json(sqlite3_stmt *st)
{
	cJSON *o = cJSON_CreateObject();
	for (int i = 0; o && i < sqlite3_column_count(st); i++) {
		const char *name = sqlite3_column_name(st, i);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			cJSON_AddNumberToObject(o, name, (double)sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			cJSON_AddNumberToObject(o, name, sqlite3_column_double(st, i));
			break;
		case SQLITE_NULL:
			cJSON_AddNullToObject(o, name);
			break;
		default:
			cJSON_AddStringToObject(o, name, (const char *)sqlite3_column_text(st, i));
		}
	}
	return o;
}

/* Every row of sql (with ?1 bound to id when id >= 0) as a JSON array. */
static cJSON *rows_json(store *s, const char *sql, int64_t id, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fail(s, err, errlen, "reading");
		return NULL;
	}
	if (id >= 0)
		sqlite3_bind_int64(st, 1, id);
	cJSON *a = cJSON_CreateArray();
	int rc;
	while (a && (rc = sqlite3_step(st)) == SQLITE_ROW)
		cJSON_AddItemToArray(a, row_json(st));
	if (a && rc != SQLITE_DONE) {
		fail(s, err, errlen, "reading");
		cJSON_Delete(a);
		a = NULL;
	}
	sqlite3_finalize(st);
	return a;
}

static const char list_sql[] =
	"SELECT r.id, i.started_at, i.command, r.label, r.workflow, r.scenario_name AS scenario, r.seed, "
	"r.nodes, r.gpu, r.status, r.makespan_s, r.cost_usd FROM runs r JOIN invocations i "
	"ON i.id = r.invocation_id ORDER BY r.id";

int store_list(store *s, FILE *f, int json, char *err, size_t errlen)
{
	cJSON *runs = rows_json(s, list_sql, -1, err, errlen);
	if (!runs)
		return -1;
	if (json) {
		cJSON *root = cJSON_CreateObject();
		if (!root) {
			cJSON_Delete(runs);
			return -1;
		}
		cJSON_AddNumberToObject(root, "version", 1);
		cJSON_AddItemToObject(root, "runs", runs);
		return report_json_write(f, root);
	}
	fprintf(f, "%5s  %-20s  %-8s  %-22s  %-14s  %5s  %-8s  %-11s  %9s  %9s\n", "id", "started", "command",
		"case", "scenario", "nodes", "gpu", "status", "makespan", "cost");
	cJSON *r;
	cJSON_ArrayForEach(r, runs) {
		const char *label = cJSON_GetStringValue(cJSON_GetObjectItem(r, "label"));
		const char *scn = cJSON_GetStringValue(cJSON_GetObjectItem(r, "scenario"));
		const char *gpu = cJSON_GetStringValue(cJSON_GetObjectItem(r, "gpu"));
		fprintf(f, "%5.0f  %-20s  %-8s  %-22.22s  %-14.14s  %5.0f  %-8s  %-11s  %7.1f m  $%8.2f\n",
			cJSON_GetNumberValue(cJSON_GetObjectItem(r, "id")),
			cJSON_GetStringValue(cJSON_GetObjectItem(r, "started_at")),
			cJSON_GetStringValue(cJSON_GetObjectItem(r, "command")), label && *label ? label : "-",
			scn ? scn : "-", cJSON_GetNumberValue(cJSON_GetObjectItem(r, "nodes")), gpu ? gpu : "-",
			cJSON_GetStringValue(cJSON_GetObjectItem(r, "status")),
			cJSON_GetNumberValue(cJSON_GetObjectItem(r, "makespan_s")) / 60,
			cJSON_GetNumberValue(cJSON_GetObjectItem(r, "cost_usd")));
	}
	fprintf(f, "%d run%s in %s\n", cJSON_GetArraySize(runs), cJSON_GetArraySize(runs) == 1 ? "" : "s",
		s->path);
	cJSON_Delete(runs);
	return ferror(f) ? -1 : 0;
}

/* A run with its spans (phases inside), notes, findings and trials. */
static cJSON *run_json(store *s, int64_t id, char *err, size_t errlen)
{
	cJSON *rows = rows_json(s, "SELECT r.*, i.started_at, i.command, i.argv FROM runs r JOIN invocations i "
				"ON i.id = r.invocation_id WHERE r.id = ?1", id, err, errlen);
	if (!rows)
		return NULL;
	cJSON *run = cJSON_DetachItemFromArray(rows, 0);
	cJSON_Delete(rows);
	if (!run) {
		snprintf(err, errlen, "%s: no run %lld", s->path, (long long)id);
		return NULL;
	}
	cJSON *spans = rows_json(s, "SELECT * FROM spans WHERE run_id = ?1 ORDER BY seq", id, err, errlen);
	cJSON *phases = rows_json(s, "SELECT seq, phase, seconds FROM span_phases WHERE run_id = ?1 ORDER BY seq, "
				  "phase", id, err, errlen);
	cJSON *notes = rows_json(s, "SELECT kind, text FROM notes WHERE run_id = ?1 ORDER BY seq", id, err, errlen);
	cJSON *finds = rows_json(s, "SELECT file, line, col, severity, rule, message, hint FROM findings "
				 "WHERE run_id = ?1", id, err, errlen);
	cJSON *trials = rows_json(s, "SELECT trial, seed, status, makespan_s, cost_usd FROM trials WHERE "
				  "run_id = ?1 ORDER BY trial", id, err, errlen);
	if (!spans || !phases || !notes || !finds || !trials) {
		cJSON_Delete(run), cJSON_Delete(spans), cJSON_Delete(phases), cJSON_Delete(notes);
		cJSON_Delete(finds), cJSON_Delete(trials);
		return NULL;
	}
	/* phases into their spans, as simulate's JSON has them */
	cJSON *p;
	cJSON_ArrayForEach(p, phases) {
		int seq = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(p, "seq"));
		cJSON *sp = cJSON_GetArrayItem(spans, seq);
		cJSON *ph = cJSON_GetObjectItem(sp, "phases_s");
		if (sp && !ph)
			ph = cJSON_AddObjectToObject(sp, "phases_s");
		if (ph)
			cJSON_AddNumberToObject(ph, cJSON_GetStringValue(cJSON_GetObjectItem(p, "phase")),
						cJSON_GetNumberValue(cJSON_GetObjectItem(p, "seconds")));
	}
	cJSON_Delete(phases);
	cJSON *assumptions = cJSON_AddArrayToObject(run, "assumptions");
	cJSON *problems = cJSON_AddArrayToObject(run, "problems");
	cJSON *n;
	cJSON_ArrayForEach(n, notes) {
		const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(n, "kind"));
		cJSON_AddItemToArray(kind && !strcmp(kind, "problem") ? problems : assumptions,
				     cJSON_CreateString(cJSON_GetStringValue(cJSON_GetObjectItem(n, "text"))));
	}
	cJSON_Delete(notes);
	cJSON_AddItemToObject(run, "spans", spans);
	cJSON_AddItemToObject(run, "findings", finds);
	cJSON_AddItemToObject(run, "trials", trials);
	return run;
}

int store_show(store *s, int64_t id, FILE *f, int json, char *err, size_t errlen)
{
	cJSON *run = run_json(s, id, err, errlen);
	if (!run)
		return strstr(err, ": no run ") ? 1 : -1;
	if (json)
		return report_json_write(f, run);
	fprintf(f, "run %lld: %s %s\n", (long long)id, cJSON_GetStringValue(cJSON_GetObjectItem(run, "command")),
		cJSON_GetStringValue(cJSON_GetObjectItem(run, "label")));
	static const char *const keys[] = {"started_at", "workflow", "workflow_hash", "scenario", "scenario_name",
					   "seed", "nodes", "gpus", "gpu", "machine", "micro_batch", "spot",
					   "status", "makespan_s", "first_step_s", "training_end_s", "step_s",
					   "bottleneck", "cost_usd", "per_epoch_usd", "per_mtokens_usd",
					   "idle_gpu_hours", "idle_gpu_usd", NULL};
	for (int i = 0; keys[i]; i++) {
		cJSON *v = cJSON_GetObjectItem(run, keys[i]);
		if (cJSON_IsString(v))
			fprintf(f, "  %-22s %s\n", keys[i], v->valuestring);
		else if (cJSON_IsNumber(v))
			fprintf(f, "  %-22s %.10g\n", keys[i], v->valuedouble);
	}
	fprintf(f, "timeline:\n");
	cJSON *sp;
	cJSON_ArrayForEach(sp, cJSON_GetObjectItem(run, "spans")) {
		cJSON *end = cJSON_GetObjectItem(sp, "end_s");
		char e[32] = "-";
		if (cJSON_IsNumber(end))
			snprintf(e, sizeof e, "%.1f", end->valuedouble);
		fprintf(f, "  %9.1f %9s  %-10s %*s%s\n", cJSON_GetNumberValue(cJSON_GetObjectItem(sp, "start_s")), e,
			cJSON_GetStringValue(cJSON_GetObjectItem(sp, "status")),
			2 * (int)cJSON_GetNumberValue(cJSON_GetObjectItem(sp, "depth")), "",
			cJSON_GetStringValue(cJSON_GetObjectItem(sp, "name")));
	}
	cJSON *pr;
	cJSON_ArrayForEach(pr, cJSON_GetObjectItem(run, "problems"))
		fprintf(f, "problem: %s\n", pr->valuestring);
	fprintf(f, "%d finding(s), %d assumption(s); `rehearse runs show %lld --format json` has them all\n",
		cJSON_GetArraySize(cJSON_GetObjectItem(run, "findings")),
		cJSON_GetArraySize(cJSON_GetObjectItem(run, "assumptions")), (long long)id);
	cJSON_Delete(run);
	return ferror(f) ? -1 : 0;
}

int store_export(store *s, const int64_t *ids, size_t nids, FILE *f, char *err, size_t errlen)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *runs = root ? cJSON_AddArrayToObject(root, "runs") : NULL;
	if (!runs) {
		cJSON_Delete(root);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddNumberToObject(root, "schema_version", STORE_SCHEMA_VERSION);
	cJSON *all = NULL;
	if (!ids) {
		all = rows_json(s, "SELECT id FROM runs ORDER BY id", -1, err, errlen);
		if (!all) {
			cJSON_Delete(root);
			return -1;
		}
		nids = (size_t)cJSON_GetArraySize(all);
	}
	for (size_t i = 0; i < nids; i++) {
		int64_t id = ids ? ids[i]
			: (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(all, (int)i), "id"));
		cJSON *run = run_json(s, id, err, errlen);
		if (!run) {
			cJSON_Delete(all);
			cJSON_Delete(root);
			return -1;
		}
		cJSON_AddItemToArray(runs, run);
	}
	cJSON_Delete(all);
	return report_json_write(f, root) ? (snprintf(err, errlen, "write error"), -1) : 0;
}

/* Each query lists problems, one a row, in words; none: the store is sound. */
static const char *const checks[] = {
	/* SQLite's own check of every page, index and row */
	"SELECT 'integrity_check: ' || integrity_check FROM pragma_integrity_check "
	"WHERE integrity_check <> 'ok'",
	"SELECT 'foreign keys: ' || \"table\" || ' row ' || rowid || ' refers to a missing ' || parent "
	"FROM pragma_foreign_key_check",
	/* a run is whole: the spans it says it has, and every row of a run with its run */
	"SELECT 'run ' || id || ' has ' || (SELECT count(*) FROM spans s WHERE s.run_id = r.id) || ' of its ' || "
	"nspans || ' spans' FROM runs r WHERE nspans <> (SELECT count(*) FROM spans s WHERE s.run_id = r.id)",
	"SELECT count(*) || ' phase rows without their span' FROM span_phases p WHERE NOT EXISTS "
	"(SELECT 1 FROM spans s WHERE s.run_id = p.run_id AND s.seq = p.seq) HAVING count(*) > 0",
};

int store_check(store *s, FILE *f, char *err, size_t errlen)
{
	int problems = 0;
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(s->db, checks[i], -1, &st, NULL) != SQLITE_OK)
			return fail(s, err, errlen, "checking");
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			fprintf(f, "%s: %s\n", s->path, (const char *)sqlite3_column_text(st, 0)), problems++;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return fail(s, err, errlen, "checking");
	}
	sqlite3_stmt *st = NULL;
	long long runs = -1;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM runs", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		runs = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (runs < 0)
		return fail(s, err, errlen, "checking");
	if (problems)
		fprintf(f, "%s: %d problem%s in a store of %lld run%s\n", s->path, problems, problems == 1 ? "" : "s",
			runs, runs == 1 ? "" : "s");
	else
		fprintf(f, "%s: ok: %lld run%s, each whole (integrity_check ok, foreign keys ok, every span and "
			"phase with its run)\n", s->path, runs, runs == 1 ? "" : "s");
	return ferror(f) ? (snprintf(err, errlen, "write error"), -1) : problems > 0;
}

int store_merge(store *s, const char *from, char *err, size_t errlen)
{
	/* the other database must be a store this rehearse can read */
	store *o = store_open(from, err, errlen);
	if (!o)
		return -1;
	store_close(o);
	char *sql = sqlite3_mprintf(
		"ATTACH DATABASE %Q AS other;"
		"BEGIN IMMEDIATE;"
		"INSERT OR IGNORE INTO inputs SELECT * FROM other.inputs;"
		"CREATE TEMP TABLE inv_map AS SELECT id AS old, NULL AS new FROM other.invocations;"
		"CREATE TEMP TABLE run_map AS SELECT id AS old, NULL AS new FROM other.runs;"
		"INSERT INTO invocations (started_at, command, argv, version) "
		"  SELECT started_at, command, argv, version FROM other.invocations ORDER BY id;"
		"UPDATE inv_map SET new = (SELECT max(id) FROM main.invocations) - "
		"  (SELECT count(*) FROM other.invocations) + "
		"  (SELECT count(*) FROM other.invocations o2 WHERE o2.id <= inv_map.old);"
		"INSERT INTO runs SELECT NULL, (SELECT new FROM inv_map WHERE old = r.invocation_id), "
		"  r.label, r.workflow, r.workflow_hash, r.scenario, r.scenario_hash, r.scenario_name, r.seed, "
		"  r.nodes, r.gpus, r.gpu, r.machine, r.micro_batch, r.spot, r.status, r.makespan_s, "
		"  r.first_step_s, r.training_end_s, r.gpu_hours_provisioned, r.gpu_hours_training, r.step_s, "
		"  r.bottleneck, r.cost_usd, r.gpu_usd, r.cpu_usd, r.storage_usd, r.lb_usd, r.cluster_usd, "
		"  r.per_epoch_usd, r.per_mtokens_usd, r.idle_gpu_hours, r.idle_gpu_usd, r.events, r.nspans "
		"  FROM other.runs r ORDER BY r.id;"
		"UPDATE run_map SET new = (SELECT max(id) FROM main.runs) - (SELECT count(*) FROM other.runs) + "
		"  (SELECT count(*) FROM other.runs o2 WHERE o2.id <= run_map.old);"
		"INSERT INTO spans SELECT (SELECT new FROM run_map WHERE old = run_id), seq, kind, name, template, "
		"  what, depth, attempt, start_s, end_s, status, message, node, zone, gpus FROM other.spans;"
		"INSERT INTO span_phases SELECT (SELECT new FROM run_map WHERE old = run_id), seq, phase, seconds "
		"  FROM other.span_phases;"
		"INSERT INTO trials SELECT (SELECT new FROM run_map WHERE old = run_id), trial, seed, status, "
		"  makespan_s, cost_usd FROM other.trials;"
		"INSERT INTO findings SELECT (SELECT new FROM run_map WHERE old = run_id), file, line, col, "
		"  severity, rule, message, hint FROM other.findings;"
		"INSERT INTO notes SELECT (SELECT new FROM run_map WHERE old = run_id), seq, kind, text "
		"  FROM other.notes;"
		"COMMIT;"
		"DROP TABLE temp.inv_map; DROP TABLE temp.run_map;",
		from);
	if (!sql) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = exec(s, sql, err, errlen);
	sqlite3_free(sql);
	if (rc) {
		rollback(s);
		sqlite3_exec(s->db, "DROP TABLE IF EXISTS temp.inv_map; DROP TABLE IF EXISTS temp.run_map;", NULL,
			     NULL, NULL);
	}
	sqlite3_exec(s->db, "DETACH DATABASE other", NULL, NULL, NULL);
	return rc;
}
