# t0607: a training span of decades (a trillion-token dataset at 20-30 s a
# step, drawn per step) ends the run at the 30-day horizon at once, with
# the reason, exit 1 -- no hang, no loop over 34 million steps.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the cluster
sed -e 's/^  dataset_tokens: 2.2e6 /  dataset_tokens: 2.2e12/' \
    -e 's/^    perf: true .*/    step_s: uniform(min=20,max=30)/' \
    "$TOP/scenarios/gke-v100-4node.yaml" >"$TMPDIR/huge.yaml"
grep -q 'step_s: uniform' "$TMPDIR/huge.yaml" || fail "scenario edit did not apply"
run timeout 20 "$REHEARSE" simulate --scenario "$TMPDIR/huge.yaml" "$SEED"
expect_status 1
expect_out "beyond its 30-day horizon"
expect_err "the model did not settle"
pass
