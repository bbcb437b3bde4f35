/* test_store.c: the SQLite run store (reports/store.h).
 *
 * Read back with the sqlite3 library, a stored run equals the JSON report
 * of the same run (summary, cost, every timeline span and its phases,
 * the assumptions); two processes writing one store at once both land; a
 * writer killed with SIGKILL leaves the store readable and every run it
 * committed whole; a store from a newer rehearse is refused; merging two
 * stores keeps every run; store_check finds a run missing a row. */
#include "testutil.h"

#include <cJSON.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/simulation.h"
#include "reports/store.h"
#include "sim/study.h"
#include "validate/fix.h"

static char seed_path[4096], dir[] = "/tmp/rehearse-store-XXXXXX";

static void db_path(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static study_run *run_case(int nodes, cmp_case *c)
{
	char err[512] = "";
	diag_list *d = diag_list_new();
	study_case sc = {.workflow = seed_path, .scenario = "scenarios/gke-v100-4node.yaml", .nodes = nodes,
			 .spot = -1, .seed = 1, .label = nodes == 1 ? "one" : "four"};
	study_run *r = study_run_case(&sc, d, err, sizeof err);
	if (!r)
		fail_msg("study_run_case: %s", err);
	diag_list_free(d);
	memset(c, 0, sizeof *c);
	c->label = study_label(r);
	c->workflow = seed_path;
	c->scenario = sc.scenario;
	c->r = study_result(r);
	c->have_perf = study_perf(r, &c->perf) == 0;
	c->gpu = study_gpu(r);
	c->machine = study_machine(r);
	c->micro_batch = study_micro_batch(r);
	return r;
}

static store *open_store(const char *path)
{
	char err[512];
	store *s = store_open(path, err, sizeof err);
	if (!s)
		fail_msg("store_open: %s", err);
	char *argv[] = {"rehearse", "test"};
	assert_int_equal(store_invocation(s, "test", 2, argv, "0", err, sizeof err), 0);
	return s;
}

static double num(cJSON *o, const char *k)
{
	cJSON *v = cJSON_GetObjectItem(o, k);
	if (!cJSON_IsNumber(v))
		fail_msg("JSON lacks number %s", k);
	return v->valuedouble;
}

/* The JSON rounds to the millisecond (or the thousandth of a dollar). */
static void near(double a, double b, const char *what)
{
	if (fabs(a - b) > 1e-3 + 1e-9 * fabs(b))
		fail_msg("%s: store %.6f, JSON %.6f", what, a, b);
}

static void test_store_equals_json(void **state)
{
	(void)state;
	cmp_case c;
	study_run *r = run_case(4, &c);
	/* the JSON report of the run, as `simulate --format json` prints it */
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_int_equal(report_sim_json(mem, c.r, 0), 0);
	fclose(mem);
	cJSON *json = cJSON_Parse(text);
	assert_non_null(json);
	/* the store of the same run */
	char path[4200], err[512];
	db_path(path, sizeof path, "equal.db");
	store *s = open_store(path);
	int64_t id = 0;
	assert_int_equal(store_put_run(s, &c, 1, study_findings(r), &id, err, sizeof err), 0);
	store_close(s);
	/* read it with sqlite3 alone */
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT status, makespan_s, first_step_s, training_end_s, "
		"gpu_hours_provisioned, gpu_hours_training, cost_usd, gpu_usd, cpu_usd, storage_usd, lb_usd, "
		"cluster_usd, idle_gpu_hours, idle_gpu_usd, per_mtokens_usd, nodes, nspans, events "
		"FROM runs WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	cJSON *sum = cJSON_GetObjectItem(json, "summary"), *cost = cJSON_GetObjectItem(sum, "cost");
	assert_string_equal((const char *)sqlite3_column_text(st, 0), cJSON_GetStringValue(cJSON_GetObjectItem(sum, "status")));
	near(sqlite3_column_double(st, 1), num(sum, "makespan_s"), "makespan");
	near(sqlite3_column_double(st, 2), num(sum, "first_step_s"), "first step");
	near(sqlite3_column_double(st, 3), num(sum, "training_end_s"), "training end");
	near(sqlite3_column_double(st, 4), num(sum, "gpu_hours_provisioned"), "GPU-hours provisioned");
	near(sqlite3_column_double(st, 5), num(sum, "gpu_hours_training"), "GPU-hours training");
	near(sqlite3_column_double(st, 6), num(cost, "total_usd"), "total");
	near(sqlite3_column_double(st, 7), num(cost, "gpu_usd"), "GPU $");
	near(sqlite3_column_double(st, 8), num(cost, "cpu_usd"), "CPU $");
	near(sqlite3_column_double(st, 9), num(cost, "storage_usd"), "storage $");
	near(sqlite3_column_double(st, 10), num(cost, "lb_usd"), "LB $");
	near(sqlite3_column_double(st, 11), num(cost, "cluster_usd"), "cluster $");
	near(sqlite3_column_double(st, 12), num(cost, "idle_gpu_hours"), "idle GPU-hours");
	near(sqlite3_column_double(st, 13), num(cost, "idle_gpu_usd"), "idle GPU $");
	near(sqlite3_column_double(st, 14), num(cost, "per_mtokens_usd"), "$ per Mtok");
	assert_int_equal(sqlite3_column_int(st, 15), (int)num(json, "nodes_to"));
	cJSON *timeline = cJSON_GetObjectItem(json, "timeline");
	assert_int_equal(sqlite3_column_int(st, 16), cJSON_GetArraySize(timeline));
	assert_int_equal(sqlite3_column_int64(st, 17), (sqlite3_int64)num(sum, "events"));
	sqlite3_finalize(st);
	/* every span, in order, and its phases */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, name, template, status, start_s, end_s, node, message "
		"FROM spans WHERE run_id = ? ORDER BY seq", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	int k = 0;
	cJSON *t;
	cJSON_ArrayForEach(t, timeline) {
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), k);
		assert_string_equal((const char *)sqlite3_column_text(st, 1), cJSON_GetStringValue(cJSON_GetObjectItem(t, "name")));
		assert_string_equal((const char *)sqlite3_column_text(st, 2), cJSON_GetStringValue(cJSON_GetObjectItem(t, "template")));
		assert_string_equal((const char *)sqlite3_column_text(st, 3), cJSON_GetStringValue(cJSON_GetObjectItem(t, "status")));
		near(sqlite3_column_double(st, 4), num(t, "start_s"), "span start");
		cJSON *end = cJSON_GetObjectItem(t, "end_s");
		if (cJSON_IsNull(end))
			assert_int_equal(sqlite3_column_type(st, 5), SQLITE_NULL);
		else
			near(sqlite3_column_double(st, 5), end->valuedouble, "span end");
		cJSON *node = cJSON_GetObjectItem(t, "node");
		if (node)
			assert_string_equal((const char *)sqlite3_column_text(st, 6), node->valuestring);
		else
			assert_int_equal(sqlite3_column_type(st, 6), SQLITE_NULL);
		assert_string_equal((const char *)sqlite3_column_text(st, 7), cJSON_GetStringValue(cJSON_GetObjectItem(t, "message")));
		/* phases */
		cJSON *ph = cJSON_GetObjectItem(t, "phases_s"), *p;
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM span_phases WHERE run_id = ? AND seq = ?",
						    -1, &q, NULL), SQLITE_OK);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int(q, 2, k);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(q, 0), ph ? cJSON_GetArraySize(ph) : 0);
		sqlite3_finalize(q);
		cJSON_ArrayForEach(p, ph) {
			assert_int_equal(sqlite3_prepare_v2(db, "SELECT seconds FROM span_phases WHERE run_id = ? AND "
							    "seq = ? AND phase = ?", -1, &q, NULL), SQLITE_OK);
			sqlite3_bind_int64(q, 1, id);
			sqlite3_bind_int(q, 2, k);
			sqlite3_bind_text(q, 3, p->string, -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(q), SQLITE_ROW);
			near(sqlite3_column_double(q, 0), p->valuedouble, p->string);
			sqlite3_finalize(q);
		}
		k++;
	}
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	/* assumptions, in order */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT text FROM notes WHERE run_id = ? AND kind = 'assumption' "
					    "ORDER BY seq", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	cJSON_ArrayForEach(t, cJSON_GetObjectItem(json, "assumptions")) {
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0), t->valuestring);
	}
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	/* the inputs by content, and the findings lint had */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM inputs i JOIN runs r ON i.hash IN "
					    "(r.workflow_hash, r.scenario_hash) WHERE r.id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM findings WHERE run_id = ?", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), (int)diag_count(study_findings(r)));
	sqlite3_finalize(st);
	sqlite3_close(db);
	cJSON_Delete(json);
	free(text);
	study_run_free(r);
}

/* Write runs of c until n are written (n < 0: until killed). */
static void writer(const char *path, const cmp_case *c, int n)
{
	store *s = open_store(path);
	char err[512];
	for (int i = 0; n < 0 || i < n; i++)
		if (store_put_run(s, c, (uint64_t)i, NULL, NULL, err, sizeof err)) {
			fprintf(stderr, "writer: %s\n", err);
			_exit(1);
		}
	store_close(s);
	_exit(0);
}

static int count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_two_writers(void **state)
{
	(void)state;
	cmp_case c;
	study_run *r = run_case(1, &c);
	char path[4200];
	db_path(path, sizeof path, "two.db");
	pid_t a = fork();
	if (a == 0)
		writer(path, &c, 25);
	pid_t b = fork();
	if (b == 0)
		writer(path, &c, 25);
	int sa, sb;
	assert_int_equal(waitpid(a, &sa, 0), a);
	assert_int_equal(waitpid(b, &sb, 0), b);
	assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
	assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
	assert_int_equal(count(path, "SELECT count(*) FROM runs"), 50);
	assert_int_equal(count(path, "SELECT count(*) FROM invocations"), 2);
	assert_int_equal(count(path, "SELECT count(*) FROM runs r WHERE nspans <> "
			       "(SELECT count(*) FROM spans s WHERE s.run_id = r.id)"), 0);
	study_run_free(r);
}

static void test_sigkill_leaves_runs_whole(void **state)
{
	(void)state;
	cmp_case c;
	study_run *r = run_case(4, &c);
	char path[4200];
	db_path(path, sizeof path, "killed.db");
	pid_t a = fork();
	if (a == 0)
		writer(path, &c, -1);
	/* let it commit a few runs, then kill it wherever it is */
	for (int i = 0; i < 200; i++) {
		usleep(20000);
		if (!access(path, F_OK) && i > 10)
			break;
	}
	usleep(150000);
	kill(a, SIGKILL);
	int st;
	waitpid(a, &st, 0);
	assert_true(WIFSIGNALED(st));
	int runs = count(path, "SELECT count(*) FROM runs");
	assert_true(runs >= 1);
	assert_int_equal(count(path, "SELECT count(*) FROM runs r WHERE nspans <> "
			       "(SELECT count(*) FROM spans s WHERE s.run_id = r.id)"), 0);
	assert_int_equal(count(path, "SELECT count(*) FROM spans WHERE run_id NOT IN (SELECT id FROM runs)"), 0);
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	sqlite3_close(db);
	/* and the store takes more runs after it */
	store *s = open_store(path);
	char err[512];
	assert_int_equal(store_put_run(s, &c, 9, NULL, NULL, err, sizeof err), 0);
	store_close(s);
	assert_int_equal(count(path, "SELECT count(*) FROM runs"), runs + 1);
	study_run_free(r);
}

static void test_schema_and_merge(void **state)
{
	(void)state;
	cmp_case c;
	study_run *r = run_case(1, &c);
	char a[4200], b[4200], err[512];
	db_path(a, sizeof a, "a.db");
	db_path(b, sizeof b, "b.db");
	store *s = open_store(a);
	assert_int_equal(store_put_run(s, &c, 1, study_findings(r), NULL, err, sizeof err), 0);
	assert_int_equal(store_put_run(s, &c, 2, study_findings(r), NULL, err, sizeof err), 0);
	store_close(s);
	s = open_store(b);
	assert_int_equal(store_put_run(s, &c, 3, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(store_merge(s, a, err, sizeof err), 0);
	store_close(s);
	assert_int_equal(count(b, "SELECT count(*) FROM runs"), 3);
	assert_int_equal(count(b, "SELECT count(*) FROM invocations"), 2);
	assert_int_equal(count(b, "SELECT count(*) FROM inputs"), 2); /* one workflow, one scenario */
	assert_int_equal(count(b, "SELECT count(*) FROM runs r WHERE nspans <> "
			       "(SELECT count(*) FROM spans s WHERE s.run_id = r.id)"), 0);
	assert_int_equal(count(b, "SELECT count(*) FROM findings"), 2 * (int)diag_count(study_findings(r)));
	assert_int_equal(count(b, "SELECT version FROM schema_version"), STORE_SCHEMA_VERSION);
	/* a store from a newer rehearse is refused, untouched */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(a, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE schema_version SET version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(a, err, sizeof err));
	assert_non_null(strstr(err, "schema version 99 is newer"));
	assert_int_equal(count(a, "SELECT count(*) FROM runs"), 2);
	/* a path that cannot be a database */
	assert_null(store_open("/nonexistent-dir/x.db", err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent-dir/x.db"));
	study_run_free(r);
}

/* store_check: sound after runs are written; a run missing a span, or a
 * phase whose span is gone, is found and named (a pod's span deleted:
 * both). */
static void test_check_finds_a_broken_run(void **state)
{
	(void)state;
	cmp_case c;
	study_run *r = run_case(1, &c);
	char path[4200], err[512], *text = NULL;
	size_t len = 0;
	db_path(path, sizeof path, "check.db");
	store *s = open_store(path);
	assert_int_equal(store_put_run(s, &c, 1, NULL, NULL, err, sizeof err), 0);
	assert_int_equal(store_put_run(s, &c, 2, NULL, NULL, err, sizeof err), 0);
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(store_check(s, f, err, sizeof err), 0);
	fclose(f);
	assert_non_null(strstr(text, "ok: 2 runs, each whole"));
	free(text);
	store_close(s);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM spans WHERE run_id = 2 AND seq = "
				       "(SELECT min(seq) FROM span_phases WHERE run_id = 2)", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	s = open_store(path);
	f = open_memstream(&text, &len);
	assert_int_equal(store_check(s, f, err, sizeof err), 1);
	fclose(f);
	char want[64];
	snprintf(want, sizeof want, "run 2 has %zu of its %zu spans", c.r->nrec - 1, c.r->nrec);
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "phase rows without their span"));
	assert_non_null(strstr(text, "2 problems in a store of 2 runs"));
	assert_null(strstr(text, "ok:"));
	free(text);
	store_close(s);
	study_run_free(r);
}

static void write_fixed_seed(void)
{
	size_t len;
	char *text = test_read_shared("seed/fine-tune-llama.yaml", &len), err[512];
	fix_opts o = {.out_name = "fixed.yaml"};
	fix_result *r = NULL;
	assert_int_equal(fix_run("seed.yaml", text, len, &o, &r, err, sizeof err) < 0, 0);
	size_t olen;
	const char *out = fix_output(r, &olen);
	snprintf(seed_path, sizeof seed_path, "%s/fixed.yaml", dir);
	FILE *f = fopen(seed_path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(out, 1, olen, f), olen);
	fclose(f);
	fix_result_free(r);
	free(text);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	write_fixed_seed();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_equals_json),
		cmocka_unit_test(test_two_writers),
		cmocka_unit_test(test_sigkill_leaves_runs_whole),
		cmocka_unit_test(test_schema_and_merge),
		cmocka_unit_test(test_check_finds_a_broken_run),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd)) {
		/* a leftover temporary directory is not a test failure */
	}
	return rc;
}
