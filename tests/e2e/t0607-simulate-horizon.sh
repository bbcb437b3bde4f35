# t0607: a training span of centuries (22 trillion tokens at 20-30 s a step,
# drawn per step: 336 million steps) ends the run at the simulator's horizon
# (1e9 s, about 31.7 years) at once, status CutOff, exit 1, with the reason:
# the horizon, when the next event was due (not the last one handled), and
# what makes the training that long; the bill says it stops there. No hang,
# no loop over the steps.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the cluster
# no failures drawn: with them the run fails long before (--max-restarts 3)
sed -e 's/^  dataset_tokens: 2.2e6 /  dataset_tokens: 2.2e13/' \
    -e 's/^    perf: true .*/    step_s: uniform(min=20,max=30)/' \
    -e 's/^  gpu_rate: 2.0e-5 /  gpu_rate: 0 /' \
    "$TOP/scenarios/gke-v100-4node.yaml" >"$TMPDIR/huge.yaml"
grep -q 'step_s: uniform' "$TMPDIR/huge.yaml" || fail "scenario edit did not apply"
grep -q '^  gpu_rate: 0 ' "$TMPDIR/huge.yaml" || fail "scenario edit did not apply"

test_expect_success 'a span past the horizon: CutOff, exit 1, the horizon and the next event named' '
	run timeout 20 "$REHEARSE" simulate --scenario "$TMPDIR/huge.yaml" "$SEED"
	expect_status 1
	expect_out "status                      CutOff (at the simulator'"'"'s horizon"
	expect_out "makespan                    1000000000.0 s"
	expect_out "the simulation was cut off at its horizon, t=1000000000 s, 31.7 years: the run had not ended, and nothing was due before t="
	expect_err "the run was cut off at the simulator'"'"'s horizon"
	expect_no_out "status                      Stuck"
'

test_expect_success 'the next event named is the training end, not the last event handled' '
	run timeout 20 "$REHEARSE" simulate --scenario "$TMPDIR/huge.yaml" "$SEED"
	# steps x mean step time: 2.2e13 / (4096 x 16) x ~25 s, about 8.4e9 s
	due=$(sed -n "s/.*nothing was due before t=\([0-9]*\) s.*/\1/p" "$OUT")
	[ -n "$due" ] || fail "no due time"
	awk -v d="$due" "BEGIN { s = 2.2e13 / (4096 * 16); exit !(d > s * 20 && d < s * 30) }" ||
		fail "due at $due s, not 20-30 s x the steps"
	grep -q "its training takes [0-9]* s ([0-9.]* years: 335[0-9]* steps of 2[0-9.]* s, from workload.dataset_tokens" "$OUT" ||
		fail "the training span is not explained"
'

test_expect_success 'the bill says it stops at the cut-off; JSON says the same' '
	run timeout 20 "$REHEARSE" simulate --scenario "$TMPDIR/huge.yaml" "$SEED"
	expect_out "cost (submission to the cut-off, 277777.78 h; the run had not ended: it costs more):"
	expect_no_out "per million tokens"
	run timeout 20 "$REHEARSE" simulate --format json --scenario "$TMPDIR/huge.yaml" "$SEED"
	expect_status 1
	python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))[\"summary\"]
c = s[\"cut_off\"]
assert s[\"status\"] == \"CutOff\", s[\"status\"]
assert c[\"by\"] == \"horizon\" and c[\"at_s\"] == 1e9 and c[\"horizon_s\"] == 1e9, c
assert c[\"next_event_s\"] > 1e9, c
assert s[\"makespan_s\"] == 1e9 and s[\"cost\"][\"per_mtokens_usd\"] is None, s
" "$OUT" || fail "JSON summary"
'

test_expect_success 'a run that ends has cut_off null' '
	run "$REHEARSE" simulate --format json --scenario "$TOP/scenarios/gke-v100-4node.yaml" "$SEED"
	expect_status 0
	python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))[\"summary\"]
assert s[\"cut_off\"] is None and s[\"status\"] == \"Succeeded\", s
" "$OUT" || fail "JSON summary"
'
test_done
