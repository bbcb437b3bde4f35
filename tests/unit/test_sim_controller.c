/* test_sim_controller.c: Argo semantics in the simulator (sim/controller.c
 * with the scheduler, pods and storage): depends, Omitted and failure
 * handling, retries, deadlines, steps, fan-out, when, the exit handler,
 * and pods that can never be placed. Latencies are constants, so every
 * time below is exact. */
#include "tests/unit/testutil.h"

#include <math.h>

#include "model/scenario.h"
#include "sim/simulate.h"

static const char scn_text[] =
	"scenario: unit\n"
	"cluster:\n"
	"  zones: [z1]\n"
	"  pod_start: 0\n"
	"  resource_action: 1\n"
	"  container_run: 5\n"
	"  etcd_ready: 1\n"
	"  load_balancer_ip: 10\n"
	"  images: {pull_mbps: 100, default_gb: 0}\n"
	"  pools:\n"
	"  - name: cpu\n"
	"    nodes: 2\n"
	"    allocatable: {cpu: \"8\", memory: 32Gi}\n"
	"  - name: gpu\n"
	"    nodes: 2\n"
	"    labels: {accel: v100}\n"
	"    taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]\n"
	"    allocatable: {cpu: \"32\", memory: 190Gi}\n"
	"    gpu: {count: 4}\n"
	"  storage_classes:\n"
	"  - {name: standard, binding: WaitForFirstConsumer, provisioning: 3, default: true}\n"
	"workload:\n"
	"  training: {duration: 100}\n";

typedef struct run {
	wf_set *set;
	scenario *scn;
	simulation *sim;
	const sim_result *r;
	diag_list *d;
} run;

static void sim_yaml_on(run *x, const char *scn, const char *wf)
{
	char err[256] = "";
	x->d = diag_list_new();
	x->set = wf_set_new();
	assert_non_null(x->d);
	x->scn = scn_load_mem("unit.yaml", scn, strlen(scn), x->d, err, sizeof err);
	assert_non_null(x->scn);
	assert_int_equal(wf_set_load_mem(x->set, "wf.yaml", wf, strlen(wf), x->d, err, sizeof err), 0);
	assert_int_equal(diag_count_at_least(x->d, DIAG_ERROR), 0);
	assert_true(wf_set_count(x->set) >= 1);
	sim_opts o = {0};
	o.seed = 1;
	x->sim = simulation_new(wf_set_doc(x->set, 0), x->scn, &o, x->d, err, sizeof err);
	assert_non_null(x->sim);
	assert_int_equal(simulation_run(x->sim, err, sizeof err), 0);
	x->r = simulation_result(x->sim);
}

static void sim_yaml(run *x, const char *wf)
{
	sim_yaml_on(x, scn_text, wf);
}

static void done(run *x)
{
	simulation_free(x->sim);
	scn_free(x->scn);
	wf_set_free(x->set);
	diag_list_free(x->d);
}

static const sim_record *rec(const run *x, const char *name)
{
	for (size_t i = 0; i < x->r->nrec; i++)
		if (!strcmp(x->r->rec[i].name, name))
			return &x->r->rec[i];
	return NULL;
}

static size_t count_prefix(const run *x, const char *prefix)
{
	size_t n = 0;
	for (size_t i = 0; i < x->r->nrec; i++)
		n += !strncmp(x->r->rec[i].name, prefix, strlen(prefix));
	return n;
}

#define HEAD "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
#define ECHO "  - name: echo\n    container: {image: 'alpine:3.19', command: [echo]}\n"
#define SLOW "  - name: slow\n    activeDeadlineSeconds: 2\n    container: {image: 'alpine:3.19', command: [sleep, '60']}\n"

static void test_dag_depends_order(void **state)
{
	(void)state;
	run x;
	sim_yaml(&x, HEAD "  entrypoint: main\n  templates:\n"
		 "  - name: main\n    dag:\n      tasks:\n"
		 "      - {name: a, template: echo}\n"
		 "      - {name: b, template: echo, depends: a}\n"
		 "      - {name: c, template: echo, dependencies: [a]}\n"
		 "      - {name: d, template: echo, depends: b && c}\n" ECHO);
	const sim_record *a = rec(&x, "a"), *b = rec(&x, "b"), *c = rec(&x, "c"), *d = rec(&x, "d");
	assert_non_null(a);
	assert_non_null(d);
	assert_true(fabs(a->start) < 1e-9 && fabs(a->end - 5) < 1e-9);
	assert_true(fabs(b->start - 5) < 1e-9 && fabs(c->start - 5) < 1e-9);
	assert_true(fabs(d->start - 10) < 1e-9 && fabs(d->end - 15) < 1e-9);
	assert_string_equal(x.r->status, "Succeeded");
	assert_true(fabs(x.r->makespan - 15) < 1e-9);
	/* two pods at once spread over the two CPU nodes (least allocated) */
	assert_string_not_equal(b->node, c->node);
	done(&x);
}

static void test_failure_omitted_and_handled(void **state)
{
	(void)state;
	run x;
	sim_yaml(&x, HEAD "  entrypoint: main\n  templates:\n"
		 "  - name: main\n    dag:\n      tasks:\n"
		 "      - {name: a, template: slow}\n"
		 "      - {name: next, template: echo, depends: a}\n"
		 "      - {name: cleanup, template: echo, depends: a.Failed}\n" ECHO SLOW);
	const sim_record *a = rec(&x, "a"), *n = rec(&x, "next"), *c = rec(&x, "cleanup");
	assert_string_equal(a->status, "Failed");
	assert_non_null(strstr(a->message, "activeDeadlineSeconds"));
	assert_true(fabs(a->end - 2) < 1e-9);
	assert_string_equal(n->status, "Omitted");
	assert_string_equal(c->status, "Succeeded");
	/* the failure was handled by a.Failed: the DAG succeeds */
	assert_string_equal(x.r->status, "Succeeded");
	done(&x);
}

static void test_retry_then_fail_then_exit_handler(void **state)
{
	(void)state;
	run x;
	sim_yaml(&x, HEAD "  entrypoint: main\n  onExit: bye\n  templates:\n"
		 "  - name: main\n    dag:\n      tasks:\n"
		 "      - {name: a, template: flaky}\n"
		 "      - {name: b, template: echo, depends: a}\n"
		 "  - name: flaky\n    retryStrategy: {limit: 2, backoff: {duration: 10s}}\n"
		 "    activeDeadlineSeconds: 2\n    container: {image: 'alpine:3.19', command: [sleep, '60']}\n"
		 "  - name: bye\n    container: {image: 'alpine:3.19', command: [echo]}\n" ECHO);
	/* attempt 0 at 0-2, retries at 12-14 and 24-26 */
	const sim_record *a0 = rec(&x, "a"), *a1 = rec(&x, "a(1)"), *a2 = rec(&x, "a(2)");
	assert_non_null(a0);
	assert_non_null(a1);
	assert_non_null(a2);
	assert_null(rec(&x, "a(3)"));
	assert_true(fabs(a1->start - 12) < 1e-9 && fabs(a2->end - 26) < 1e-9);
	assert_int_equal(a2->attempt, 2);
	assert_string_equal(rec(&x, "b")->status, "Omitted");
	const sim_record *bye = rec(&x, "w.onExit");
	assert_non_null(bye);
	assert_true(fabs(bye->start - 26) < 1e-9);
	assert_string_equal(bye->status, "Succeeded");
	assert_string_equal(x.r->status, "Failed");
	assert_true(fabs(x.r->makespan - 31) < 1e-9);
	done(&x);
}

static void test_steps_fanout_when_and_outputs(void **state)
{
	(void)state;
	run x;
	sim_yaml(&x, HEAD "  entrypoint: main\n  templates:\n"
		 "  - name: main\n    steps:\n"
		 "    - - name: mk\n        template: mk-svc\n"
		 "    - - name: fan\n        template: echo\n        withItems: [x, y, z]\n"
		 "      - name: off\n        template: echo\n"
		 "        when: \"'{{steps.mk.outputs.parameters.svc}}' == other\"\n"
		 "      - name: on\n        template: echo\n"
		 "        when: \"'{{steps.mk.outputs.parameters.svc}}' == 'my-svc'\"\n"
		 "  - name: mk-svc\n    outputs:\n      parameters:\n"
		 "      - name: svc\n        valueFrom: {jsonPath: '{.metadata.name}'}\n"
		 "    resource:\n      action: create\n      manifest: |\n"
		 "        apiVersion: v1\n        kind: Service\n        metadata: {name: my-svc}\n"
		 "        spec: {type: ClusterIP}\n" ECHO);
	assert_string_equal(x.r->status, "Succeeded");
	assert_true(fabs(rec(&x, "mk")->end - 1) < 1e-9);
	assert_int_equal(count_prefix(&x, "fan("), 3);
	assert_non_null(rec(&x, "fan(1:y)"));
	assert_true(fabs(rec(&x, "fan(2:z)")->start - 1) < 1e-9);
	assert_string_equal(rec(&x, "off")->status, "Skipped");
	assert_string_equal(rec(&x, "on")->status, "Succeeded");
	assert_true(fabs(x.r->makespan - 6) < 1e-9);
	done(&x);
}

static void test_unplaceable_pod_ends_the_run(void **state)
{
	(void)state;
	run x;
	sim_yaml(&x, HEAD "  entrypoint: big\n  templates:\n"
		 "  - name: big\n    nodeSelector: {accel: v100}\n"
		 "    tolerations: [{key: nvidia.com/gpu, operator: Exists}]\n"
		 "    container:\n      image: 'alpine:3.19'\n"
		 "      resources: {limits: {nvidia.com/gpu: '8'}}\n");
	assert_string_equal(x.r->status, "Stuck");
	const sim_record *r = rec(&x, "w");
	assert_non_null(r);
	assert_string_equal(r->status, "Pending");
	assert_non_null(strstr(r->message, "can never be scheduled"));
	assert_int_equal(x.r->nproblems, 1);
	assert_non_null(strstr(x.r->problems[0], "Insufficient nvidia.com/gpu"));
	done(&x);
}

static void test_taint_keeps_plain_pods_off_gpu_nodes(void **state)
{
	(void)state;
	run x;
	/* six parallel pods asking 3 CPUs each: 2 per CPU node fit (8 CPUs),
	 * the GPU nodes are tainted, so two wait for the first four */
	sim_yaml(&x, HEAD "  entrypoint: main\n  templates:\n"
		 "  - name: main\n    dag:\n      tasks:\n"
		 "      - {name: p, template: cpu3, withSequence: {count: '6'}}\n"
		 "  - name: cpu3\n    container:\n      image: 'alpine:3.19'\n"
		 "      resources: {requests: {cpu: '3'}}\n");
	assert_string_equal(x.r->status, "Succeeded");
	int late = 0;
	for (size_t i = 0; i < x.r->nrec; i++) {
		const sim_record *r = &x.r->rec[i];
		if (strncmp(r->name, "p(", 2))
			continue;
		assert_non_null(r->node);
		assert_non_null(strstr(r->node, "cpu-"));
		late += fabs(r->end - 10) < 1e-9;
	}
	assert_int_equal(late, 2);
	assert_true(fabs(x.r->makespan - 10) < 1e-9);
	done(&x);
}

static void test_same_seed_same_result(void **state)
{
	(void)state;
	const char *wf = HEAD "  entrypoint: main\n  templates:\n"
		"  - name: main\n    dag:\n      tasks:\n"
		"      - {name: a, template: echo}\n" ECHO;
	run x, y;
	sim_yaml(&x, wf);
	sim_yaml(&y, wf);
	assert_int_equal(x.r->nrec, y.r->nrec);
	for (size_t i = 0; i < x.r->nrec; i++) {
		assert_string_equal(x.r->rec[i].name, y.r->rec[i].name);
		assert_true(x.r->rec[i].start == y.r->rec[i].start);
		assert_true(x.r->rec[i].end == y.r->rec[i].end);
	}
	done(&x);
	done(&y);
}

static void test_workflow_deadline_stops_steps(void **state)
{
	(void)state;
	run x;
	sim_yaml(&x, HEAD "  entrypoint: main\n  activeDeadlineSeconds: 7\n  templates:\n"
		 "  - name: main\n    steps:\n"
		 "    - - {name: one, template: echo}\n"
		 "    - - {name: two, template: echo}\n" ECHO);
	/* one runs 0-5, two starts at 5 and is stopped at 7 */
	assert_string_equal(rec(&x, "one")->status, "Succeeded");
	const sim_record *two = rec(&x, "two");
	assert_string_equal(two->status, "Failed");
	assert_true(fabs(two->end - 7) < 1e-9);
	assert_non_null(strstr(two->message, "deadline"));
	assert_string_equal(x.r->status, "Failed");
	assert_true(x.r->nproblems >= 1);
	done(&x);
}

static void test_ip_poll_on_cluster_ip_service_is_stuck(void **state)
{
	(void)state;
	run x;
	/* a LoadBalancer IP wait on a ClusterIP Service would loop forever:
	 * the run says so and ends */
	sim_yaml(&x, HEAD "  entrypoint: main\n  templates:\n"
		 "  - name: main\n    dag:\n      tasks:\n"
		 "      - {name: svc, template: svc}\n"
		 "      - {name: wait, template: wait, depends: svc}\n"
		 "  - name: svc\n    resource:\n      action: create\n      manifest: |\n"
		 "        apiVersion: v1\n        kind: Service\n        metadata: {name: s1}\n"
		 "        spec: {type: ClusterIP}\n"
		 "  - name: wait\n    container:\n      image: 'alpine:3.19'\n"
		 "      command: [sh, -c]\n      args: ['until kubectl get svc s1 --template="
		 "\"{{range .status.loadBalancer.ingress}}{{.ip}}{{end}}\" | grep .; do sleep 10; done']\n");
	assert_string_equal(x.r->status, "Stuck");
	const sim_record *w = rec(&x, "wait");
	assert_non_null(w);
	assert_non_null(strstr(w->message, "polls forever"));
	assert_non_null(strstr(w->message, "ClusterIP"));
	done(&x);
}

static void test_lb_ip_wait_ends_at_first_poll_after_ip(void **state)
{
	(void)state;
	run x;
	/* the IP comes at 1 + 10 = 11 s; the loop polls at 1, 11, ... (sleep 4:
	 * 1, 5, 9, 13): it sees the IP at 13 */
	sim_yaml(&x, HEAD "  entrypoint: main\n  templates:\n"
		 "  - name: main\n    dag:\n      tasks:\n"
		 "      - {name: svc, template: svc}\n"
		 "      - {name: wait, template: wait, depends: svc}\n"
		 "  - name: svc\n    resource:\n      action: create\n      manifest: |\n"
		 "        apiVersion: v1\n        kind: Service\n        metadata: {name: s1}\n"
		 "        spec: {type: LoadBalancer}\n"
		 "  - name: wait\n    container:\n      image: 'alpine:3.19'\n"
		 "      command: [sh, -c]\n      args: ['until kubectl get svc s1 --template="
		 "\"{{range .status.loadBalancer.ingress}}{{.ip}}{{end}}\" | grep .; do sleep 4; done']\n");
	assert_string_equal(x.r->status, "Succeeded");
	assert_true(fabs(rec(&x, "wait")->end - 13) < 1e-9);
	done(&x);
}

static void test_rwo_claim_keeps_pods_on_one_node(void **state)
{
	(void)state;
	run x;
	/* two pods mount one ReadWriteOnce claim and ask 5 of a node's 8 CPUs:
	 * they cannot share a node, and the claim cannot follow the second to
	 * the other node, so it waits for the first to end */
	sim_yaml(&x, HEAD "  entrypoint: main\n"
		 "  volumeClaimTemplates:\n  - metadata: {name: data}\n"
		 "    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n"
		 "  templates:\n"
		 "  - name: main\n    dag:\n      tasks:\n"
		 "      - {name: a, template: use}\n      - {name: b, template: use}\n"
		 "  - name: use\n    container:\n      image: 'alpine:3.19'\n"
		 "      resources: {requests: {cpu: '5'}}\n"
		 "      volumeMounts: [{name: data, mountPath: /data}]\n");
	assert_string_equal(x.r->status, "Succeeded");
	const sim_record *a = rec(&x, "a"), *b = rec(&x, "b");
	/* a: provisioning 3 s (first consumer) + 5 s; b: from 8 s on a's node */
	assert_true(fabs(a->end - 8) < 1e-9);
	assert_true(fabs(b->end - 13) < 1e-9);
	done(&x);
}

static void test_missing_storage_class_is_reported(void **state)
{
	(void)state;
	run x;
	sim_yaml(&x, HEAD "  entrypoint: use\n"
		 "  volumeClaimTemplates:\n  - metadata: {name: data}\n"
		 "    spec: {storageClassName: nope, accessModes: [ReadWriteOnce]}\n"
		 "  templates:\n"
		 "  - name: use\n    container:\n      image: 'alpine:3.19'\n"
		 "      volumeMounts: [{name: data, mountPath: /data}]\n");
	assert_string_equal(x.r->status, "Stuck");
	assert_int_equal(x.r->nproblems, 1);
	assert_non_null(strstr(x.r->problems[0], "storageclass \"nope\" not found"));
	done(&x);
}

#define RANKS(nnodes) HEAD "  entrypoint: main\n  templates:\n" \
	"  - name: main\n    dag:\n      tasks:\n" \
	"      - {name: r0, template: rank, arguments: {parameters: [{name: rank, value: '0'}]}}\n" \
	"      - {name: r1, template: rank, arguments: {parameters: [{name: rank, value: '1'}]}}\n" \
	"  - name: rank\n    inputs: {parameters: [{name: rank}]}\n" \
	"    nodeSelector: {accel: v100}\n" \
	"    tolerations: [{key: nvidia.com/gpu, operator: Exists}]\n" \
	"    container:\n      image: 'trainer:1'\n" \
	"      command: [torchrun, --nnodes, '" nnodes "', --nproc-per-node, '4', --rdzv-backend, c10d,\n" \
	"                --rdzv-endpoint, 'r0:29400', --rdzv-id, job, --node-rank, '{{inputs.parameters.rank}}', train.py]\n" \
	"      resources: {limits: {nvidia.com/gpu: '4'}}\n"

static void test_training_span_from_steps(void **state)
{
	(void)state;
	/* dataset 81920 tokens / (seq 1024 x micro-batch 1 x accumulation 1 x
	 * 2 nodes x 4 GPUs) = 10 steps per epoch, 2 epochs, 3 s a step */
	static const char steps_scn[] =
		"scenario: steps\n"
		"cluster:\n  zones: [z1]\n  pod_start: 0\n  images: {pull_mbps: 100, default_gb: 0}\n"
		"  pools:\n  - name: gpu\n    nodes: 2\n    labels: {accel: v100}\n"
		"    allocatable: {cpu: '32', memory: 190Gi}\n    gpu: {count: 4}\n"
		"workload:\n  dataset_tokens: 81920\n  seq: 1024\n  epochs: 2\n"
		"  model_gb: 0\n  worker_start: 0\n  model_load: 0\n"
		"  training: {step_s: 3}\n";
	run x;
	sim_yaml_on(&x, steps_scn, RANKS("2"));
	assert_string_equal(x.r->status, "Succeeded");
	assert_true(fabs(x.r->first_step) < 1e-9);
	assert_true(fabs(x.r->makespan - 60) < 1e-9);
	assert_int_equal(x.r->ranks, 2);
	assert_true(fabs(x.r->gpu_s_training - 2 * 4 * 60) < 1e-9);
	assert_string_not_equal(rec(&x, "r0")->node, rec(&x, "r1")->node);
	done(&x);

	/* --nnodes 3 with two pods: the rendezvous never completes, each
	 * agent times out after the join timeout and the run ends */
	run y;
	sim_yaml_on(&y, steps_scn, RANKS("3"));
	assert_string_equal(y.r->status, "Failed");
	assert_non_null(strstr(rec(&y, "r0")->message, "RendezvousTimeoutError: 2 of 3 nodes joined"));
	assert_true(fabs(y.r->makespan - 600) < 1e-9);
	assert_true(y.r->first_step < 0);
	done(&y);
}

static void test_when_expressions(void **state)
{
	(void)state;
	run x;
	sim_yaml(&x, HEAD "  entrypoint: main\n  arguments: {parameters: [{name: n, value: '7'}]}\n"
		 "  templates:\n  - name: main\n    steps:\n"
		 "    - - {name: lt, template: echo, when: '{{workflow.parameters.n}} < 10 && a == a'}\n"
		 "      - {name: gt, template: echo, when: '{{workflow.parameters.n}} > 10 || b == c'}\n"
		 "      - {name: ne, template: echo, when: 'x != y'}\n"
		 "      - {name: rt, template: echo, when: '{{steps.nope.outputs.result}} == heads'}\n"
		 "      - {name: dash, template: echo, when: 'my-svc == my-svc'}\n" ECHO);
	assert_string_equal(rec(&x, "lt")->status, "Succeeded");
	assert_string_equal(rec(&x, "gt")->status, "Skipped");
	assert_string_equal(rec(&x, "ne")->status, "Succeeded");
	/* a value only a real run knows: runs, with a note */
	assert_string_equal(rec(&x, "rt")->status, "Succeeded");
	int noted = 0;
	for (size_t i = 0; i < x.r->nnotes; i++)
		noted |= strstr(x.r->notes[i], "rt: when") != NULL;
	assert_true(noted);
	/* a bare word with a dash is a subtraction to govaluate: Argo errors the step */
	assert_string_equal(rec(&x, "dash")->status, "Error");
	assert_string_equal(x.r->status, "Failed");
	done(&x);
}

/* A coin flip's result is drawn per run from the values the `when`s
 * compare it with: the recursion ends, after a number of flips that
 * varies with the seed (geometric, mean 2), one seed one outcome. */
static void test_when_draws_unknown_results(void **state)
{
	(void)state;
	static const char wf[] = HEAD "  entrypoint: coinflip\n  templates:\n"
		"  - name: coinflip\n    steps:\n"
		"    - - {name: flip, template: flip}\n"
		"    - - {name: heads, template: echo, when: '{{steps.flip.outputs.result}} == heads'}\n"
		"      - {name: tails, template: coinflip, when: '{{steps.flip.outputs.result}} == tails'}\n"
		"  - name: flip\n    script: {image: 'python:3', command: [python], source: 'print(1)'}\n" ECHO;
	size_t total = 0, seen[8] = {0};
	for (uint64_t seed = 1; seed <= 200; seed++) {
		char err[256] = "";
		diag_list *d = diag_list_new();
		wf_set *set = wf_set_new();
		scenario *scn = scn_load_mem("unit.yaml", scn_text, strlen(scn_text), d, err, sizeof err);
		assert_int_equal(wf_set_load_mem(set, "wf.yaml", wf, strlen(wf), d, err, sizeof err), 0);
		sim_opts o = {0};
		o.seed = seed;
		simulation *s = simulation_new(wf_set_doc(set, 0), scn, &o, d, err, sizeof err);
		assert_non_null(s);
		assert_int_equal(simulation_run(s, err, sizeof err), 0);
		const sim_result *r = simulation_result(s);
		assert_string_equal(r->status, "Succeeded");
		size_t flips = 0, heads = 0;
		for (size_t i = 0; i < r->nrec; i++) {
			flips += !strcmp(r->rec[i].name, "flip");
			heads += !strcmp(r->rec[i].name, "heads") && !strcmp(r->rec[i].status, "Succeeded");
		}
		assert_int_equal(heads, 1);
		total += flips;
		seen[flips < 7 ? flips : 7]++;
		int noted = 0;
		for (size_t i = 0; i < r->nnotes; i++)
			noted |= strstr(r->notes[i], "drawn per run, uniformly from {heads, tails}") != NULL;
		assert_true(noted);
		simulation_free(s);
		scn_free(scn);
		wf_set_free(set);
		diag_list_free(d);
	}
	/* P(1 flip) = 1/2, P(2) = 1/4: with 200 runs both are common */
	assert_true(seen[1] > 70 && seen[1] < 130);
	assert_true(seen[2] > 25 && seen[2] < 75);
	assert_true(total > 300 && total < 500);
}

#define SPREAD(anti) HEAD "  entrypoint: main\n  templates:\n" \
	"  - name: main\n    dag:\n      tasks:\n" \
	"      - {name: r, template: rank, withSequence: {count: '3'}}\n" \
	"  - name: rank\n    metadata: {labels: {job: ft}}\n" \
	"    nodeSelector: {accel: v100}\n" \
	"    tolerations: [{key: nvidia.com/gpu, operator: Exists}]\n" anti \
	"    container:\n      image: 'trainer:1'\n" \
	"      command: [torchrun, --nnodes, '3', --nproc-per-node, '2', --rdzv-backend, c10d,\n" \
	"                --rdzv-endpoint, 'r0:29400', --rdzv-id, job, train.py]\n" \
	"      resources: {limits: {nvidia.com/gpu: '2'}}\n"

static void test_pod_anti_affinity_spreads_ranks(void **state)
{
	(void)state;
	/* 3 ranks of 2 GPUs on two 4-GPU nodes: they fit two on one node */
	run x;
	sim_yaml(&x, SPREAD(""));
	assert_string_equal(x.r->status, "Succeeded");
	done(&x);
	/* one rank a node (anti-affinity on hostname): only 2 of 3 can run */
	run y;
	sim_yaml(&y, SPREAD("    affinity:\n      podAntiAffinity:\n"
			    "        requiredDuringSchedulingIgnoredDuringExecution:\n"
			    "        - labelSelector: {matchLabels: {job: ft}}\n"
			    "          topologyKey: kubernetes.io/hostname\n"));
	assert_string_equal(y.r->status, "Stuck");
	assert_true(y.r->nproblems >= 1);
	assert_non_null(strstr(y.r->problems[0], "can run 2 of the 3 ranks"));
	assert_non_null(strstr(y.r->problems[0], "didn't match pod anti-affinity rules"));
	done(&y);
}

static void test_parallelism(void **state)
{
	(void)state;
	/* three 5 s tasks at once, limited to 1 (workflow) and 2 (template) */
	run x;
	sim_yaml(&x, HEAD "  entrypoint: main\n  parallelism: 1\n  templates:\n"
		 "  - name: main\n    dag:\n      tasks:\n"
		 "      - {name: p, template: echo, withItems: [a, b, c]}\n" ECHO);
	assert_string_equal(x.r->status, "Succeeded");
	assert_true(fabs(x.r->makespan - 15) < 1e-9);
	done(&x);
	run y;
	sim_yaml(&y, HEAD "  entrypoint: main\n  templates:\n"
		 "  - name: main\n    parallelism: 2\n    dag:\n      tasks:\n"
		 "      - {name: p, template: echo, withItems: [a, b, c]}\n" ECHO);
	assert_true(fabs(y.r->makespan - 10) < 1e-9);
	assert_true(fabs(rec(&y, "p(2:c)")->start - 5) < 1e-9);
	assert_true(fabs(rec(&y, "p(2:c)")->end - 10) < 1e-9);
	done(&y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dag_depends_order),
		cmocka_unit_test(test_failure_omitted_and_handled),
		cmocka_unit_test(test_retry_then_fail_then_exit_handler),
		cmocka_unit_test(test_steps_fanout_when_and_outputs),
		cmocka_unit_test(test_unplaceable_pod_ends_the_run),
		cmocka_unit_test(test_taint_keeps_plain_pods_off_gpu_nodes),
		cmocka_unit_test(test_same_seed_same_result),
		cmocka_unit_test(test_parallelism),
		cmocka_unit_test(test_pod_anti_affinity_spreads_ranks),
		cmocka_unit_test(test_when_expressions),
		cmocka_unit_test(test_training_span_from_steps),
		cmocka_unit_test(test_rwo_claim_keeps_pods_on_one_node),
		cmocka_unit_test(test_missing_storage_class_is_reported),
		cmocka_unit_test(test_workflow_deadline_stops_steps),
		cmocka_unit_test(test_ip_poll_on_cluster_ip_service_is_stuck),
		cmocka_unit_test(test_lb_ip_wait_ends_at_first_poll_after_ip),
		cmocka_unit_test(test_when_draws_unknown_results),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
