# t0950: the README's "Limits" table, row by row: the largest inputs
# rehearse accepts and what it says past them (the rows other tests back
# are named there: t0607, t0803, test_yaml).
. "$(dirname "$0")/lib.sh"
SEED=$TOP/scenarios/fine-tune-llama.yaml
S4=$TOP/scenarios/gke-v100-4node.yaml

# file size: 64 MiB
head -c 67108865 /dev/zero | tr '\0' '#' >"$TMPDIR/big.yaml"
run "$REHEARSE" lint "$TMPDIR/big.yaml"
expect_status 1
expect_out "error: input is 67108865 bytes, over the 67108864-byte limit [yaml-too-large]"
run "$REHEARSE" simulate --scenario "$TMPDIR/big.yaml" "$SEED"
expect_status 2
expect_err "larger than 67108864 bytes"
rm -f "$TMPDIR/big.yaml"

# nesting: 256 levels
python3 -c 'print("a: " + "[" * 300 + "]" * 300)' >"$TMPDIR/deep.yaml"
run "$REHEARSE" lint "$TMPDIR/deep.yaml"
expect_status 1
expect_out "[yaml-depth]"

# documents: no count of its own (bounded by size and the 4 M-node cap): 20,000 are read
python3 -c 'print("\n".join("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c%d}" % i for i in range(20000)))' \
	>"$TMPDIR/docs.yaml"
run "$REHEARSE" lint --allow-empty "$TMPDIR/docs.yaml"
expect_status 0
expect_out "0 errors, 0 warnings, 20000 notes in 1 file"

# tasks: lint takes 2,000 templates; simulate follows 2,000 tasks and pods, then stops with the reason
wf() { python3 -c "
n = $1
print('apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: big-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks:')
for i in range(n): print('      - {name: t%d, template: s%d}' % (i, i))
for i in range(n): print('  - name: s%d\n    container: {image: alpine:3.19, command: [\"true\"]}' % i)
"; }
wf 2000 >"$TMPDIR/t2000.yaml"
run "$REHEARSE" lint "$TMPDIR/t2000.yaml"
expect_status 0
wf 500 >"$TMPDIR/t500.yaml"
run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/t500.yaml"
expect_status 0
expect_out "Succeeded"
run timeout 120 "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/t2000.yaml"
expect_status 1
expect_out "the workflow runs more than 2000 tasks and pods: the simulation stops here"

# nodes: 15,000 per pool (GKE's cluster limit); simulate --nodes up to 4,096; model --nodes 15,000
sed 's/^    nodes: 4 /    nodes: 15001 /' "$S4" >"$TMPDIR/nodes.yaml"
run "$REHEARSE" simulate --scenario "$TMPDIR/nodes.yaml" "$SEED"
expect_status 2
expect_err "cluster.pools[gpu-v100].nodes: 15001 is more than 15000 nodes: GKE's limit on nodes in one cluster"
run "$REHEARSE" simulate --nodes 4097 --scenario "$S4" "$SEED"
expect_status 2
expect_err "--nodes wants a whole number from 1 to 4096"
run "$REHEARSE" model --gpu h100 --model llama2-7b --nodes 15001
expect_status 2
expect_err "--nodes: 15001 is more than 15000 nodes"

# ranks: 16 GPUs a node, so at most 15,000 x 16 = 240,000
run "$REHEARSE" model --gpu h100 --model llama2-7b --nodes 15000 --gpus-per-node 16 --format json
expect_status 0
expect_out '"world_size":	240000'
run "$REHEARSE" model --gpu h100 --model llama2-7b --gpus-per-node 17
expect_status 2
expect_err "--gpus-per-node: 17 is more than 16 GPUs"
pass
