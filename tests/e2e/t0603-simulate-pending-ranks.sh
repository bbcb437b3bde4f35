# t0603: two V100 nodes for four ranks and no autoscaling: two ranks run and
# wait in the rendezvous, two stay pending; the simulation names them and
# stops at once instead of waiting for nodes that cannot come.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the cluster

test_expect_success 'two nodes for four ranks: two placed and waiting, two pending for want of GPUs; Stuck at once, exit 1' '
	run timeout 60 "$REHEARSE" simulate --scenario "$TOP/scenarios/gke-v100-2nodes-short.yaml" "$SEED"
	expect_status 1
	expect_out "status                      Stuck"
	expect_out "the node pools can run 2 of the 4 ranks of its torchrun group"
	[ "$(grep -c '\''^ .* Pending .*finetune-rank-'\'' "$OUT")" = 2 ] || fail "want exactly 2 pending ranks"
	[ "$(grep -c '\''^ .* Running .*finetune-rank-.*gpu-v100-'\'' "$OUT")" = 2 ] || fail "want 2 placed ranks"
	expect_out "Insufficient nvidia.com/gpu"
'

test_expect_success 'with autoscaling up to 4 nodes the same pool grows and the run succeeds' '
	sed '\''s/^    nodes: 2 .*/    nodes: 2\n    autoscaling: {min: 0, max: 4, scale_up: 300}/'\'' \
		"$TOP/scenarios/gke-v100-2nodes-short.yaml" >"$TMPDIR/as.yaml"
	run timeout 60 "$REHEARSE" simulate --scenario "$TMPDIR/as.yaml" "$SEED"
	expect_status 0
	expect_out "nodes added by autoscaler   2"
	expect_out "status                      Succeeded"
'

test_done
