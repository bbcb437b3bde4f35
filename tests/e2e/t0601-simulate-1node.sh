# t0601: the seed on the bundled 1-node scenario: the scenario's `nodes: 1`
# re-scales the torchrun fan-out (as `fix --nodes 1` does) and the one rank
# trains alone; --nodes on the command line does the same on the 4-node
# scenario, and a fan-out the pools cannot hold is reported, not hung on.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the cluster

test_expect_success 'the 1-node scenario re-scales the fan-out: one rank trains alone, no rendezvous wait' '
	run timeout 60 "$REHEARSE" simulate --scenario "$TOP/scenarios/gke-v100-1node.yaml" "$SEED"
	expect_status 0
	expect_out "torchrun fan-out re-scaled from 4 to 1 nodes"
	expect_out "finetune-rank-0"
	expect_no_out "finetune-rank-1"
	expect_out "status                      Succeeded"
	! grep -q "^  rendezvous" "$OUT" || fail "a single node has no peers to wait for"
'

test_expect_success '--nodes 2 on the 4-node scenario: two ranks, exit 0' '
	run timeout 60 "$REHEARSE" simulate --nodes 2 --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SEED"
	expect_status 0
	expect_out "torchrun fan-out re-scaled from 4 to 2 nodes"
	expect_out "finetune-rank-1"
	expect_no_out "finetune-rank-2"
'

test_expect_success '--nodes 6: the GPU pool is sized to 6 nodes, and says so' '
	run timeout 60 "$REHEARSE" simulate --nodes 6 --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SEED"
	expect_out "GPU pool gpu-v100 sized from 4 to 6 nodes for 6 rank pods of 4 GPUs"
	expect_no_out "never ran a GPU pod"
'

test_expect_success '--nodes 1: one GPU node billed, not four' '
	run timeout 60 "$REHEARSE" simulate --nodes 1 --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SEED"
	expect_out "GPU pool gpu-v100 sized from 4 to 1 node for 1 rank pod"
	expect_no_out "never ran a GPU pod"
'

test_expect_success '--keep-pool: the four nodes are billed, three of them shown as waste' '
	run timeout 60 "$REHEARSE" simulate --nodes 1 --keep-pool --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SEED"
	expect_out "3 of 4 GPU nodes never ran a GPU pod"
'

test_expect_success '--nodes 6 on 4 GPU nodes kept: the ranks that do not fit stay pending, reported, exit 1' '
	run timeout 60 "$REHEARSE" simulate --nodes 6 --keep-pool --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SEED"
	expect_status 1
	expect_out "the node pools can run 4 of the 6 ranks"
	expect_out "status                      Stuck"
'

test_expect_success '--nnodes from an environment variable: the template'\''s pods are the group' '
	sed "s/      - '\''4'\''\$/      - \$(NNODES)/" "$SEED" >"$TMPDIR/env.yaml"
	grep -q '\''NNODES'\'' "$TMPDIR/env.yaml" || fail "edit did not apply"
	run timeout 60 "$REHEARSE" simulate --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$TMPDIR/env.yaml"
	expect_status 0
	expect_out "the group is taken as the 4 pod(s) that run the template"
'

test_expect_success '--nodes 0 is a usage error (exit 2)' '
	run "$REHEARSE" simulate --nodes 0 --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SEED"
	expect_status 2
'

test_done
