# t0950: the README's "Limits" table, row by row: the largest inputs
# rehearse accepts (each edge accepted) and what it says one past them
# (the rows other tests back are named there: t0607, t0721, t0803, test_yaml).
. "$(dirname "$0")/lib.sh"
SEED=$TOP/scenarios/fine-tune-llama.yaml
S4=$TOP/scenarios/gke-v100-4node.yaml
FIXED=$(fixed_seed)

test_expect_success 'file size: 64 MiB read, one byte more refused (lint, fix, simulate workflow and scenario)' '
	# a scenario of exactly 67108864 bytes (the bundled one and a comment) runs
	n=$(wc -c <"$S4") &&
	{ cat "$S4"; printf "#"; head -c $((67108864 - n - 2)) /dev/zero | tr "\0" "#"; printf "\n"; } >"$TMPDIR/s64.yaml" &&
	[ "$(wc -c <"$TMPDIR/s64.yaml")" = 67108864 ] || fail "s64.yaml is not 64 MiB" &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/s64.yaml" "$FIXED" &&
	expect_status 0 &&
	expect_out "on scenario gke-v100-4node" &&
	printf "\n" >>"$TMPDIR/s64.yaml" &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/s64.yaml" "$FIXED" &&
	expect_status 2 &&
	expect_err "rehearse simulate: $TMPDIR/s64.yaml: larger than 67108864 bytes" &&
	[ ! -s "$OUT" ] || fail "output past the limit" &&
	rm -f "$TMPDIR/s64.yaml" &&
	head -c 67108864 /dev/zero | tr "\0" "#" >"$TMPDIR/big.yaml" &&
	run "$REHEARSE" lint --allow-empty "$TMPDIR/big.yaml" &&
	expect_status 0 &&
	printf "#" >>"$TMPDIR/big.yaml" &&
	run "$REHEARSE" lint "$TMPDIR/big.yaml" &&
	expect_status 1 &&
	expect_out "big.yaml:1:1: error: input is 67108865 bytes, over the 67108864-byte limit [yaml-too-large]" &&
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/big.yaml" &&
	expect_status 2 &&
	expect_err "big.yaml:1:1: error: input is 67108865 bytes, over the 67108864-byte limit [yaml-too-large]" &&
	run "$REHEARSE" fix -o "$TMPDIR/fixed.yaml" "$TMPDIR/big.yaml" &&
	expect_status 1 &&
	expect_err "input is 67108865 bytes, over the 67108864-byte limit [yaml-too-large]" &&
	[ ! -e "$TMPDIR/fixed.yaml" ] || fail "fix wrote a file past the limit"
	rc=$?; rm -f "$TMPDIR/big.yaml"; exit $rc
'

test_expect_success 'nesting: 256 levels' '
	python3 -c "print(\"a: \" + \"[\" * 255 + \"]\" * 255)" >"$TMPDIR/deep.yaml" &&
	run "$REHEARSE" lint --allow-empty "$TMPDIR/deep.yaml" &&
	expect_status 0 &&
	python3 -c "print(\"a: \" + \"[\" * 256 + \"]\" * 256)" >"$TMPDIR/deep.yaml" &&
	run "$REHEARSE" lint "$TMPDIR/deep.yaml" &&
	expect_status 1 &&
	expect_out "error: nesting deeper than 256 levels; refused [yaml-depth]"
'

test_expect_success 'documents: no count of their own, 4,194,304 YAML nodes over all of them' '
	python3 -c "print(\"\n\".join(\"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}\" % i for i in range(20000)))" \
		>"$TMPDIR/docs.yaml" &&
	run "$REHEARSE" lint --allow-empty "$TMPDIR/docs.yaml" &&
	expect_status 0 &&
	expect_out "0 errors, 0 warnings, 20000 notes in 1 file" &&
	# 1,001 documents of 4,203 nodes each: the 998th passes the cap
	python3 -c "print(\"\n\".join(\"---\nkind: ConfigMap\nx: [\" + \"0,\" * 4199 + \"0]\" for i in range(1001)))" \
		>"$TMPDIR/docs.yaml" &&
	run "$REHEARSE" lint --allow-empty "$TMPDIR/docs.yaml" &&
	expect_status 1 &&
	expect_out "error: the file holds more than 4194304 YAML nodes (keys, values and items, over all its documents); refused [yaml-too-large]" &&
	expect_no_out "alias" &&
	expect_out "1 error, 0 warnings, 997 notes in 1 file"
'

wf() { python3 -c "
n = $1
print('apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: big-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks:')
for i in range(n): print('      - {name: t%d, template: s%d}' % (i, i))
for i in range(n): print('  - name: s%d\n    container: {image: alpine:3.19, command: [\"true\"]}' % i)
"; }
test_expect_success 'templates and tasks: simulate follows 10,000 nodes (a DAG of 9,999 tasks), then stops with the reason' '
	wf 9999 >"$TMPDIR/t9999.yaml" &&
	run "$REHEARSE" lint "$TMPDIR/t9999.yaml" &&
	expect_status 0 &&
	run timeout 120 "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/t9999.yaml" &&
	expect_status 0 &&
	grep -q "^  status  *Succeeded" "$OUT" || fail "status is not Succeeded" &&
	[ "$(grep -c "^ .*Succeeded    t[0-9]" "$OUT")" = 9999 ] || fail "not 9,999 tasks Succeeded" &&
	expect_no_out "more than 10000" &&
	wf 10000 >"$TMPDIR/t10000.yaml" &&
	run "$REHEARSE" lint "$TMPDIR/t10000.yaml" &&
	expect_status 0 &&
	run timeout 120 "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/t10000.yaml" &&
	expect_status 1 &&
	expect_out "the workflow runs more than 10000 nodes (itself, its steps, tasks, retries and pods, as Argo'"'"'s status.nodes counts them): the simulation stops here (the simulator follows at most 10000, so that one run stays within seconds)" &&
	grep -q "^  status  *Error" "$OUT" || fail "status is not Error"
'

test_expect_success 'nodes: 15,000 per pool (nodes, autoscaling.max) and model --nodes; simulate --nodes 4,096' '
	sed "s/^    nodes: 4 /    nodes: 15000 /" "$S4" >"$TMPDIR/nodes.yaml" &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/nodes.yaml" "$FIXED" &&
	expect_status 0 &&
	sed "s/^    nodes: 4 /    nodes: 15001 /" "$S4" >"$TMPDIR/nodes.yaml" &&
	line=$(grep -n "^    nodes: 15001" "$TMPDIR/nodes.yaml" | cut -d: -f1) &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/nodes.yaml" "$SEED" &&
	expect_status 2 &&
	expect_err "$TMPDIR/nodes.yaml:$line:12: error: cluster.pools[gpu-v100].nodes: 15001 is more than 15000 nodes: GKE'"'"'s limit on nodes in one cluster" &&
	sed "s/^    nodes: 4 .*/    autoscaling: {min: 0, max: 15001}/" "$S4" >"$TMPDIR/as.yaml" &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/as.yaml" "$SEED" &&
	expect_status 2 &&
	expect_err "cluster.pools[gpu-v100].autoscaling.max: 15001 is more than 15000 nodes" &&
	run "$REHEARSE" simulate --nodes 4096 --scenario "$S4" "$FIXED" &&
	[ "$status" != 2 ] || fail "--nodes 4096 refused" &&
	expect_out "torchrun fan-out re-scaled from 4 to 4096 nodes" &&
	run "$REHEARSE" simulate --nodes 4097 --scenario "$S4" "$SEED" &&
	expect_status 2 &&
	expect_err "--nodes wants a whole number from 1 to 4096" &&
	run "$REHEARSE" model --gpu h100 --model llama2-7b --nodes 15001 &&
	expect_status 2 &&
	expect_err "rehearse model: --nodes: 15001 is more than 15000 nodes: GKE'"'"'s limit on nodes in one cluster"
'

test_expect_success 'GPUs per node and ranks: 16 a node, so 240,000 ranks in model' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --nodes 15000 --gpus-per-node 16 --format json &&
	expect_status 0 &&
	expect_out "\"world_size\":	240000" &&
	run "$REHEARSE" model --gpu h100 --model llama2-7b --gpus-per-node 17 &&
	expect_status 2 &&
	expect_err "rehearse model: --gpus-per-node: 17 is more than 16 GPUs: no cloud machine has more GPUs (GCP'"'"'s largest, a2-megagpu-16g, has 16)" &&
	sed "s/count: 4,/count: 17,/" "$S4" >"$TMPDIR/gpus.yaml" &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/gpus.yaml" "$SEED" &&
	expect_status 2 &&
	expect_err "error: cluster.pools[gpu-v100].gpu.count: 17 is more than 16 GPUs: no cloud machine has more GPUs"
'

test_expect_success "sequence length: 131,072 tokens (model and a scenario)" '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --seq 131073 &&
	expect_status 2 &&
	expect_err "rehearse model: --seq: 131073 is more than 131072 tokens: no model in the catalog has a longer context" &&
	sed "s/^  seq: 4096 /  seq: 131073 /" "$S4" >"$TMPDIR/seq.yaml" &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/seq.yaml" "$SEED" &&
	expect_status 2 &&
	expect_err "error: workload.seq: 131073 is more than 131072 tokens"
'

test_expect_success "a scenario's durations: 100,000,000 s each" '
	sed "s/^  pod_start: .*/  pod_start: 100000000/" "$S4" >"$TMPDIR/dur.yaml" &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/dur.yaml" "$SEED" &&
	[ "$status" != 2 ] || fail "100000000 s refused" &&
	sed "s/^  pod_start: .*/  pod_start: 100000001/" "$S4" >"$TMPDIR/dur.yaml" &&
	line=$(grep -n "^  pod_start:" "$TMPDIR/dur.yaml" | cut -d: -f1) &&
	run "$REHEARSE" simulate --scenario "$TMPDIR/dur.yaml" "$SEED" &&
	expect_status 2 &&
	expect_err "$TMPDIR/dur.yaml:$line:14: error: cluster.pod_start: 100000001 is more than 100000000 seconds: about three years, past any run the simulator follows [scenario]"
'
test_done
