# t0613: simulate --trials: N trials, each with its own seed split from
# --seed: the same bytes whatever the number of threads; the p50 makespan
# lies between the failure-free p50 and the p90; failures drawn from the
# scenario's rates cost restarts and GPU-hours; no progress bar when
# stderr is not a terminal.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed)
# a flaky cluster: 0.2 interruptions per GPU-hour, a checkpoint every 2 minutes
sed -e 's/^  gpu_rate: 2.0e-5 .*/  gpu_rate: 0.2/' -e 's/^  checkpoint_interval: 0 .*/  checkpoint_interval: 120/' \
	"$TOP/scenarios/gke-v100-4node.yaml" >"$TMPDIR/flaky.yaml"

test_expect_success '400 trials: the success probability and the Young/Daly interval; no progress bar when stderr is not a terminal' '
	grep -q "gpu_rate: 0.2" "$TMPDIR/flaky.yaml" || fail "edit did not apply"
	run "$REHEARSE" simulate --trials 400 --threads 1 --scenario "$TMPDIR/flaky.yaml" "$SEED"
	cp "$OUT" "$TMPDIR/one.txt"
	[ ! -s "$ERR" ] || fail "stderr is not a terminal: no progress bar"
	expect_out "400 trials (seed 1)"
	expect_out "success probability"
	expect_out "Young/Daly interval"
'

test_expect_success '2 threads print the same bytes as 1' '
	run "$REHEARSE" simulate --trials 400 --threads 2 --scenario "$TMPDIR/flaky.yaml" "$SEED"
	cmp -s "$OUT" "$TMPDIR/one.txt" || fail "2 threads print other bytes than 1"
'

test_expect_success 'JSON: 7 threads print the same bytes as 1' '
	run "$REHEARSE" simulate --trials 400 --threads 7 --format json --scenario "$TMPDIR/flaky.yaml" "$SEED"
	cp "$OUT" "$TMPDIR/a.json"
	run "$REHEARSE" simulate --trials 400 --threads 1 --format json --scenario "$TMPDIR/flaky.yaml" "$SEED"
	cp "$OUT" "$TMPDIR/one.json"
	cmp -s "$OUT" "$TMPDIR/a.json" || fail "JSON differs with the thread count"
'

test_expect_success 'the p50 makespan lies between the failure-free p50 and the p90; failures cost restarts and GPU-hours' '
	python3 - "$TMPDIR/one.json" <<-"PY" || fail "percentiles"
	import json, sys
	r = json.load(open(sys.argv[1]))
	m = r["makespan_s"]
	assert r["failure_free_makespan_p50_s"] <= m["p50"] <= m["p90"] <= m["p99"], (r["failure_free_makespan_p50_s"], m)
	assert r["failures_mean"] > 0.1 and r["restarts_mean"] > 0.1 and r["gpu_hours_lost_mean"] > 0, r
	assert 0 < r["p_success"] <= 1 and r["trials"] == 400
	assert r["young_daly_s"] > 0 and len(r["checkpoint_intervals"]) == 6
	PY
'

test_expect_success 'another seed draws other trials' '
	run "$REHEARSE" simulate --trials 400 --seed 2 --format json --scenario "$TMPDIR/flaky.yaml" "$SEED"
	cmp -s "$OUT" "$TMPDIR/a.json"; [ $? = 1 ] || fail "seed 2 gave the same trials as seed 1 (or no trials of seed 1 to compare)"
'

test_expect_success 'the seed as shipped fails in every trial: exit 1, success 0' '
	run "$REHEARSE" simulate --trials 50 --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SHARED/seed/fine-tune-llama.yaml"
	expect_status 1
	expect_out "success probability        0.0000 (0 of 50 trials)"
'

test_expect_success '--trials 0 is a usage error' '
	run "$REHEARSE" simulate --trials 0 --scenario "$TMPDIR/flaky.yaml" "$SEED"
	expect_status 2
	expect_err "--trials wants a whole number"
'

test_done
