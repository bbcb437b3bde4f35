# t0671: --trials' checkpoint search picks the interval with the least
# expected time to a run that finishes (mean makespan / success
# probability: a failed run is run again), not the least mean makespan,
# which trials that fail for good shorten; text and JSON say both.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed)
sed -e 's/^  epochs: 1 .*/  epochs: 20/' -e 's/^  gpu_rate: 2.0e-5 .*/  gpu_rate: 0.05/' \
	-e 's/^  checkpoint_interval: 0 .*/  checkpoint_interval: 1800/' \
	"$TOP/scenarios/gke-v100-4node.yaml" >"$TMPDIR/flaky.yaml"

test_expect_success 'JSON: each interval has its success probability and expected time to finish; best is their least' '
	run timeout 120 "$REHEARSE" simulate --trials 100 --format json --scenario "$TMPDIR/flaky.yaml" "$SEED"
	expect_status 1
	python3 - "$OUT" <<-PY || fail "checkpoint search inconsistent"
	import json, sys
	d = json.load(open(sys.argv[1]))
	iv = d["checkpoint_intervals"]
	assert len(iv) == 6, iv
	assert any(e["p_success"] < 1 for e in iv), iv  # the case this test is about
	for e in iv:
	    want = e["mean_makespan_s"] / e["p_success"]
	    assert abs(e["expected_s_to_finish"] - want) < 0.01 * want, e
	best = min(iv, key=lambda e: e["expected_s_to_finish"])
	assert abs(best["interval_s"] - d["checkpoint_best_interval_s"]) < 0.01, (best, d["checkpoint_best_interval_s"])
	PY
'

test_expect_success 'text: success and time to a finished run beside each mean makespan, and why' '
	run timeout 120 "$REHEARSE" simulate --trials 100 --scenario "$TMPDIR/flaky.yaml" "$SEED"
	expect_status 1
	[ "$(grep -c "s to a finished run" "$OUT")" = 6 ] || fail "not every interval says its time to a finished run"
	[ "$(grep -c "<- best" "$OUT")" = 1 ] || fail "not one best"
	expect_out "the expected time to a run that finishes"
'

test_expect_success 'when every trial finishes the lines are as before: mean makespan only' '
	sed "s/^  gpu_rate: 0.05/  gpu_rate: 0.002/" "$TMPDIR/flaky.yaml" >"$TMPDIR/calm.yaml"
	run timeout 120 "$REHEARSE" simulate --trials 50 --scenario "$TMPDIR/calm.yaml" "$SEED"
	expect_status 0
	expect_out "success probability        1.0000"
	expect_no_out "to a finished run"
	[ "$(grep -c "mean makespan" "$OUT")" = 6 ] || fail "want 6 intervals"
'

test_done
