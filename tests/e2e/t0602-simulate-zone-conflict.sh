# t0602: Immediate binding with V100s in one zone: claims get disks in a
# zone without GPU nodes and their ranks hit "volume node affinity
# conflict". The simulation says which claim and zone, and ends (exit 1).
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the cluster
SC=$TOP/scenarios/gke-v100-two-zones-immediate.yaml
# the same two zones with the seed's own class (WaitForFirstConsumer): the scenario's override removed
sed '/binding: Immediate/d' "$SC" >"$TMPDIR/wffc.yaml"

test_expect_success 'Immediate binding: a claim bound to a disk in a zone with no GPU node; the rank stays pending, the run Stuck' '
	run timeout 60 "$REHEARSE" simulate --scenario "$SC" "$SEED"
	expect_status 1
	expect_out "had volume node affinity conflict"
	expect_out "is bound to a disk in zone us-central1-b"
	expect_out "status                      Stuck"
	expect_out "the scenario sets binding Immediate"
	grep -q "^ .* Pending .*finetune-rank-" "$OUT" || fail "no rank left pending"
'

test_expect_success 'WaitForFirstConsumer: every disk follows its pod into the GPU zone and the run succeeds' '
	run timeout 60 "$REHEARSE" simulate --scenario "$TMPDIR/wffc.yaml" "$SEED"
	expect_status 0
	expect_no_out "volume node affinity conflict"
	expect_out "status                      Succeeded"
'

test_expect_success 'the same conflict from the workflow itself: its class binds Immediate' '
	sed '\''s/volumeBindingMode: WaitForFirstConsumer/volumeBindingMode: Immediate/'\'' "$SEED" >"$TMPDIR/imm.yaml"
	run timeout 60 "$REHEARSE" simulate --scenario "$TMPDIR/wffc.yaml" "$TMPDIR/imm.yaml"
	expect_status 1
	expect_out "had volume node affinity conflict"
'

test_done
