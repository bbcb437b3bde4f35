# t0710: rehearse sweep (every combination, the Pareto front, one
# recommendation) and rehearse plan (the cheapest that meets a deadline,
# or why none can).
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
V100=$TOP/scenarios/gke-v100-4node.yaml

test_expect_success 'fix writes the seed with its defects repaired (the workflow swept)' '
	"$REHEARSE" fix -q -o "$TMPDIR/fixed.yaml" "$SEED" 2>/dev/null
	[ -s "$TMPDIR/fixed.yaml" ] || fail "fix wrote nothing"
'

test_expect_success 'sweep of nodes x GPUs x micro-batch x spot: 24 cases, one row each, a recommendation' '
	run timeout 120 "$REHEARSE" sweep "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,2,4 \
		--gpu v100-16,h100 --micro-batch 1,8 --spot
	expect_status 0
	expect_out "24 cases"
	[ "$(grep -c "Succeeded\|OutOfMemory" "$OUT")" = 24 ] || fail "one row per case"
	expect_out "recommendation: "
	expect_out "spot preemption is not modelled"
	cp "$OUT" "$TMPDIR/sweep24"
'

test_expect_success 'micro-batch 8 of 7B on a 16 GB V100 does not fit: never a success, never on the front' '
	! grep -E '\''^ +[0-9]+  v100-16 +8 '\'' "$TMPDIR/sweep24" | grep -v OutOfMemory || fail "V100 micro-batch 8 fits?"
	! grep -E '\''OutOfMemory.*\*$'\'' "$TMPDIR/sweep24" || fail "an out-of-memory case on the front"
'

test_expect_success 'a Pareto front, and the recommended row is on it' '
	grep -q "^> " "$TMPDIR/sweep24" || fail "no recommended row"
	grep -q " \*\$" "$TMPDIR/sweep24" || fail "no Pareto front"
	[ -z "$(grep "^> " "$TMPDIR/sweep24" | grep -v " \*\$")" ] || fail "the recommendation is not on the front"
'

test_expect_success 'sweep JSON: one case per GPU, the recommendation, the front marked' '
	run timeout 120 "$REHEARSE" sweep --format json --gpu v100-16,h100 --scenario "$V100" "$TMPDIR/fixed.yaml"
	expect_status 0
	[ "$(grep -c '\''"label":'\'' "$OUT")" = 2 ] || fail "two cases"
	expect_out '\''"recommendation":'\''
	expect_out '\''"pareto":	true'\''
'

test_expect_success '--list-gpus names the machine types and their source; an unknown GPU exits 2' '
	run "$REHEARSE" sweep --list-gpus
	expect_status 0
	expect_out "a3-highgpu-8g"
	expect_out "facts.md"
	run "$REHEARSE" sweep "$TMPDIR/fixed.yaml" --scenario "$V100" --gpu tpu
	expect_status 2
	expect_err "no GPU machine type '\''tpu'\''"
'

test_expect_success 'plan: a deadline that can be met, the cheapest that meets it' '
	run timeout 120 "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100" --deadline 15m --gpu v100-16,h100
	expect_status 0
	expect_out "plan: "
	expect_out "(of 10) cases that finish within 15.0 min"
'

test_expect_success 'plan: a deadline before any first step: none (exit 1), and why' '
	run timeout 120 "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100" --deadline 5m --gpu v100-16,h100
	expect_status 1
	expect_out "none finishes within 5.0 min: the fastest"
	expect_out "its first training step alone comes at"
'

test_expect_success 'plan: a budget too small: none (exit 1)' '
	run timeout 120 "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100" --deadline 1h --budget 0.5 --gpu v100-16
	expect_status 1
	expect_out "none within the budget of \$0.50"
'

test_expect_success 'plan JSON: the plan and its deadline in seconds' '
	run timeout 120 "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100" --deadline 1h --gpu v100-16 --format json
	expect_status 0
	expect_out '\''"plan":'\''
	expect_out '\''"deadline_s":	3600'\''
'

test_expect_success 'plan usage errors exit 2: a bad deadline, none, --confidence without --trials' '
	run "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100" --deadline soon
	expect_status 2
	run "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100"
	expect_status 2
	expect_err "--deadline TIME is required"
	run "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100" --deadline 1h --confidence 0.9
	expect_status 2
	expect_err "--confidence needs --trials N"
'

test_expect_success 'sweep --trials: the front on p90 and mean cost; the same seed gives the same trials' '
	run timeout 120 "$REHEARSE" sweep "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4 --gpu v100-16 --trials 30
	expect_status 0
	expect_out "30 trials a case: makespan is the p90 of the trials"
	expect_out "P(ok)"
	cp "$OUT" "$TMPDIR/sweep1"
	run timeout 120 "$REHEARSE" sweep "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4 --gpu v100-16 --trials 30
	cmp -s "$OUT" "$TMPDIR/sweep1" || fail "same seed, different trials"
'

test_expect_success 'plan --trials: met in 80% of trials; none in 90%, and the likeliest' '
	run timeout 120 "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100" --deadline 20m --gpu v100-16 \
		--nodes 1,4 --trials 30 --confidence 0.8
	expect_status 0
	expect_out "in at least 80% of trials"
	run timeout 120 "$REHEARSE" plan "$TMPDIR/fixed.yaml" --scenario "$V100" --deadline 12m --gpu v100-16 \
		--nodes 1 --trials 30
	expect_status 1
	expect_out "none finishes within 12.0 min in 90% of trials: the likeliest"
'

test_expect_success 'sweep --trials 0 exits 2' '
	run "$REHEARSE" sweep "$TMPDIR/fixed.yaml" --scenario "$V100" --trials 0
	expect_status 2
'
test_done
