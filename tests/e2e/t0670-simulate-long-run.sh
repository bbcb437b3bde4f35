# t0670: runs of weeks and months simulate to their end. A 115-day
# fine-tune (workload.dataset_tokens 1e11 on the seed's 4 x 4 V100) ends
# Succeeded with its whole bill; the longest training.duration a scenario
# accepts (1e8 s, about three years) ends inside the horizon; a longer one
# is refused at its key before anything runs (exit 2); a long run is
# reproducible byte for byte; and a months-long run with a failure every
# few hours restarts thousands of times in well under a second of events,
# its failures listed up to 1000 and the rest counted.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about time
S4=$TOP/scenarios/gke-v100-4node.yaml
# no failures drawn where the test is about the span: with them a run of
# months fails after --max-restarts 3 on some seeds
sed -e 's/^  dataset_tokens: 2.2e6 /  dataset_tokens: 1e11 /' -e 's/^  gpu_rate: 2.0e-5 /  gpu_rate: 0 /' \
    "$S4" >"$TMPDIR/long.yaml"
grep -q '^  dataset_tokens: 1e11 ' "$TMPDIR/long.yaml" || fail "scenario edit did not apply"
grep -q '^  gpu_rate: 0 ' "$TMPDIR/long.yaml" || fail "scenario edit did not apply"

test_expect_success 'a 115-day run ends Succeeded, exit 0, makespan > 100 days' '
	run timeout 20 "$REHEARSE" simulate --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 0
	expect_out "status                      Succeeded"
	expect_no_out "cut off"
	ms=$(sed -n "s/^  makespan  *\([0-9.]*\) s .*/\1/p" "$OUT")
	awk -v m="$ms" "BEGIN { exit !(m > 100 * 86400 && m < 130 * 86400) }" || fail "makespan $ms s"
	grep -q "^  makespan .*, 11[0-9].[0-9] days)$" "$OUT" || fail "makespan not also in days"
'

test_expect_success 'its training is steps x the step time, its bill the node-hours it ran' '
	run timeout 20 "$REHEARSE" simulate --format json --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 0
	# steps: 1e11 tokens / (4096 tokens x 1 x 1 x 16 GPUs), rounded up; the
	# step time is the one the perf model notes, to the hundredth
	python3 -c "
import json, math, re, sys
d = json.load(open(sys.argv[1])); s = d[\"summary\"]; c = s[\"cost\"]
steps = math.ceil(1e11 / (4096 * 16))
step = float(re.search(r\"([0-9.]+) s per step\", \" \".join(d[\"assumptions\"])).group(1))
span = s[\"training_end_s\"] - s[\"first_step_s\"]
assert abs(span - steps * step) < steps * 0.005 + 60, (span, steps * step)
assert s[\"status\"] == \"Succeeded\" and s[\"cut_off\"] is None, s[\"status\"]
assert abs(c[\"gpu_node_hours\"] - 4 * s[\"makespan_s\"] / 3600) < 1, c[\"gpu_node_hours\"]
assert abs(c[\"gpu_usd\"] - c[\"gpu_node_hours\"] * 12.77) < 1, c[\"gpu_usd\"]
assert c[\"per_mtokens_usd\"] is not None and c[\"per_mtokens_usd\"] > 0, c
" "$OUT" || fail "the span or the bill does not add up"
'

test_expect_success 'a long run: same seed, same bytes (text and JSON); another seed differs' '
	for fmt in text json; do
		"$REHEARSE" simulate --format $fmt --seed 5 --scenario "$TMPDIR/long.yaml" "$SEED" >"$TMPDIR/a.$fmt" ||
			fail "run a"
		"$REHEARSE" simulate --format $fmt --seed 5 --scenario "$TMPDIR/long.yaml" "$SEED" >"$TMPDIR/b.$fmt" ||
			fail "run b"
		cmp -s "$TMPDIR/a.$fmt" "$TMPDIR/b.$fmt" || fail "$fmt differs between identical runs"
	done
	"$REHEARSE" simulate --seed 6 --scenario "$TMPDIR/long.yaml" "$SEED" >"$TMPDIR/c.text" || fail "run c"
	grep -v "^simulate: " "$TMPDIR/a.text" >"$TMPDIR/a2" && grep -v "^simulate: " "$TMPDIR/c.text" >"$TMPDIR/c2"
	! cmp -s "$TMPDIR/a2" "$TMPDIR/c2" || fail "seeds 5 and 6 drew the same run"
'

test_expect_success 'training.duration past 1e8 s is refused at its key, exit 2, before anything runs' '
	sed -e "s/^    perf: true .*/    duration: 1e12/" "$S4" >"$TMPDIR/dur.yaml"
	line=$(grep -n "^    duration: 1e12" "$TMPDIR/dur.yaml" | cut -d: -f1)
	[ -n "$line" ] || fail "scenario edit did not apply"
	run "$REHEARSE" simulate --scenario "$TMPDIR/dur.yaml" "$SEED"
	expect_status 2
	expect_err "$TMPDIR/dur.yaml:$line:15: error: workload.training.duration: 1000000000000 is more than 100000000 seconds: about three years, past any run the simulator follows [scenario]"
	[ ! -s "$OUT" ] || fail "something was simulated"
'

test_expect_success 'the longest accepted duration (1e8 s) ends inside the horizon, Succeeded' '
	sed -e "s/^    perf: true .*/    duration: 1e8/" -e "s/^  gpu_rate: 2.0e-5 /  gpu_rate: 0 /" "$S4" >"$TMPDIR/dmax.yaml"
	grep -q "^    duration: 1e8" "$TMPDIR/dmax.yaml" || fail "scenario edit did not apply"
	run timeout 20 "$REHEARSE" simulate --scenario "$TMPDIR/dmax.yaml" "$SEED"
	expect_status 0
	expect_out "status                      Succeeded"
	ms=$(sed -n "s/^  makespan  *\([0-9.]*\) s .*/\1/p" "$OUT")
	awk -v m="$ms" "BEGIN { exit !(m > 1e8 && m < 1e9) }" || fail "makespan $ms s"
'

test_expect_success 'months with a failure every few hours: thousands of restarts, failures past 1000 counted' '
	# --max-restarts 100000 instead of the seed'"'"'s 3; a GPU failure rate of
	# 0.05 an hour (one every 1.25 h over 16 GPUs), a checkpoint an hour
	awk "{ print } /^      - --max-restarts\$/ { getline; print \"      - '"'"'100000'"'"'\" }" "$SEED" >"$TMPDIR/many.yaml"
	grep -q "100000" "$TMPDIR/many.yaml" || fail "workflow edit did not apply"
	sed -e "s/^  dataset_tokens: 2.2e6 /  dataset_tokens: 1e11 /" -e "s/^  gpu_rate: 2.0e-5 /  gpu_rate: 0.05 /" \
	    -e "s/^  checkpoint_interval: 0 /  checkpoint_interval: 3600 /" "$S4" >"$TMPDIR/fail.yaml"
	[ "$(grep -c "dataset_tokens: 1e11 \|gpu_rate: 0.05 \|checkpoint_interval: 3600 " "$TMPDIR/fail.yaml")" = 3 ] ||
		fail "scenario edit did not apply"
	run timeout 20 "$REHEARSE" simulate --format json --scenario "$TMPDIR/fail.yaml" "$TMPDIR/many.yaml"
	expect_status 0
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1])); s = d[\"summary\"]
assert s[\"status\"] == \"Succeeded\" and s[\"cut_off\"] is None, s[\"status\"]
assert s[\"restarts\"] > 1000, s[\"restarts\"]
assert s[\"events\"] < 40 * s[\"restarts\"], (s[\"events\"], s[\"restarts\"])
assert s[\"makespan_s\"] > 115 * 86400, s[\"makespan_s\"]
assert len(d[\"failures\"]) == 1000, len(d[\"failures\"])
assert len(d[\"failures\"]) + d[\"failures_unlisted\"] == s[\"restarts\"], d[\"failures_unlisted\"]
" "$OUT" || fail "restarts, events or failures"
	run timeout 20 "$REHEARSE" simulate --scenario "$TMPDIR/fail.yaml" "$TMPDIR/many.yaml"
	grep -q "^  \.\.\. and [0-9]* more, not listed (the first 1000 are)$" "$OUT" || fail "no count of the rest"
'

test_expect_success 'failures faster than training survives them, no checkpoints: cut off, and the restarts named as why' '
	# a failure an hour over 16 GPUs, restarts without end, training only checkpointed at its end
	awk "{ print } /^      - --max-restarts\$/ { getline; print \"      - '"'"'100000000'"'"'\" }" "$SEED" >"$TMPDIR/endless.yaml"
	sed -e "s/^  dataset_tokens: 2.2e6 /  dataset_tokens: 1e11 /" -e "s/^  gpu_rate: 2.0e-5 /  gpu_rate: 0.0625 /" \
	    "$S4" >"$TMPDIR/hourly.yaml"
	[ "$(grep -c "dataset_tokens: 1e11 \|gpu_rate: 0.0625 " "$TMPDIR/hourly.yaml")" = 2 ] || fail "scenario edit did not apply"
	run timeout 60 "$REHEARSE" simulate --scenario "$TMPDIR/hourly.yaml" "$TMPDIR/endless.yaml"
	expect_status 1
	expect_out "status                      CutOff"
	grep -q "(\([0-9]*\) worker-group restarts: failures, one every 3600 s on average, come faster than training gets done between them; checkpoint more often (workload.checkpoint_interval)" "$OUT" ||
		fail "the cut-off does not name the restarts as its cause"
	expect_no_out "a span that long?"
'
test_done
