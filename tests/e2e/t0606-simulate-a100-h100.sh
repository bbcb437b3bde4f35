# t0606: the same workload on the A100 and H100 scenarios. The seed pins
# V100s: that is reported as a nodeSelector no pool matches. A copy whose
# selector names the pool's accelerator runs; on 8-GPU H100 nodes two
# 4-GPU ranks share each node and its image cache (one pull per node).
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the cluster

test_expect_success 'the seed pins V100s: on H100 nodes its nodeSelector matches no pool, exit 1' '
	run timeout 60 "$REHEARSE" simulate --scenario "$TOP/scenarios/gke-h100-2node.yaml" "$SEED"
	expect_status 1
	expect_out "no node pool has the labels its nodeSelector asks for (cloud.google.com/gke-accelerator=nvidia-tesla-v100)"
'

test_expect_success 'a copy selecting A100s runs on the A100 scenario, its fourth node used' '
	sed '\''s/nvidia-tesla-v100/nvidia-tesla-a100/'\'' "$SEED" >"$TMPDIR/a100.yaml"
	run timeout 60 "$REHEARSE" simulate --scenario "$TOP/scenarios/gke-a100-4node.yaml" "$TMPDIR/a100.yaml"
	expect_status 0
	expect_out "gpu-a100-3"
	a100=$(awk '\''/^  makespan/ {print $2}'\'' "$OUT")
	echo "$a100" >"$TMPDIR/a100.makespan"
'

test_expect_success 'on 8-GPU H100 nodes two 4-GPU ranks share each node and one image pull' '
	sed '\''s/nvidia-tesla-v100/nvidia-h100-80gb/'\'' "$SEED" >"$TMPDIR/h100.yaml"
	run timeout 60 "$REHEARSE" simulate --trace --scenario "$TOP/scenarios/gke-h100-2node.yaml" "$TMPDIR/h100.yaml"
	expect_status 0
	[ "$(grep -c '\''Succeeded    finetune-rank-.*gpu-h100-0'\'' "$OUT")" = 2 ] || fail "want 2 ranks on gpu-h100-0"
	[ "$(grep -c '\''Succeeded    finetune-rank-.*gpu-h100-1'\'' "$OUT")" = 2 ] || fail "want 2 ranks on gpu-h100-1"
	[ "$(grep -c '\''node gpu-h100-[01] pulls flaviuvadan'\'' "$OUT")" = 2 ] || fail "want one pull per H100 node"
	h100=$(awk '\''/^  makespan/ {print $2}'\'' "$OUT")
	echo "$h100" >"$TMPDIR/h100.makespan"
'

test_expect_success 'the makespan: H100 < A100 < V100' '
	a100=$(cat "$TMPDIR/a100.makespan") h100=$(cat "$TMPDIR/h100.makespan")
	run timeout 60 "$REHEARSE" simulate --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SEED"
	v100=$(awk '\''/^  makespan/ {print $2}'\'' "$OUT")
	awk -v v="$v100" -v a="$a100" -v h="$h100" '\''BEGIN { exit !(h < a && a < v) }'\'' ||
		fail "want makespan H100 < A100 < V100, got $h100 $a100 $v100"
'

test_done
