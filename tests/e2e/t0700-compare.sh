# t0700: rehearse compare -- 1 node vs 4, scenarios side by side, base vs
# head, in text, JSON and markdown; the baseline is the first column.
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
V100=$TOP/scenarios/gke-v100-4node.yaml

test_expect_success 'fix writes the seed with its defects repaired (the workflow compared)' '
	"$REHEARSE" fix -q -o "$TMPDIR/fixed.yaml" "$SEED" 2>/dev/null
	[ -s "$TMPDIR/fixed.yaml" ] || fail "fix wrote nothing"
'

test_expect_success '1 node vs 4: two columns, the pool re-sized, efficiency needs --trials' '
	run timeout 120 "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4
	expect_status 0
	expect_out "1 node"
	expect_out "4 nodes"
	expect_out "scaling efficiency"
	expect_out "n/a (needs --trials)"
	expect_out "[1 node] GPU pool gpu-v100 sized from 4 to 1 node"
	cp "$OUT" "$TMPDIR/nodes14.txt"
'

test_expect_success 'the 1-node column is the baseline: 4 nodes 2-4x faster, network-bound, dearer' '
	# the 1-node column is the baseline: 1.00x; 4 nodes train faster, not 4x
	grep -q '\''^speed-up (training) *1.00x  *[23]\.[0-9][0-9]x$'\'' "$TMPDIR/nodes14.txt" || fail "training speed-up of 4 nodes over 1 is not 2-4x"
	grep -q '\''^bottleneck *compute  *network$'\'' "$TMPDIR/nodes14.txt" || fail "1 node is compute-bound, 4 nodes over 32 Gbps network-bound"
	# 1 node is billed for one GPU node only: cheaper than 4
	grep -q '\''^cost vs first *-  *+[0-9]*%$'\'' "$TMPDIR/nodes14.txt" || fail "4 nodes should cost more than 1"
'

test_expect_success 'options after the workflow; JSON: one object, one case per column' '
	run timeout 120 "$REHEARSE" compare --format json --scenario "$V100" "$TMPDIR/fixed.yaml" --nodes 1,4
	expect_status 0
	[ "$(grep -c '\''"label":'\'' "$OUT")" = 2 ] || fail "two cases"
	expect_out '\''"bottleneck":	"compute"'\''
	expect_out '\''"p_success":	null'\''
	head -1 "$OUT" | grep -qx "{" || fail "not one JSON object"
'

test_expect_success 'base vs head on two scenarios: four markdown columns; the base fails in each' '
	run timeout 120 "$REHEARSE" compare "$SEED" "$TMPDIR/fixed.yaml" --scenario "$V100" \
		--scenario "$TOP/scenarios/gke-v100-1node.yaml" --format markdown
	expect_out "| base gke-v100-4node | base gke-v100-1node | head gke-v100-4node | head gke-v100-1node |"
	expect_out "|---|---:|---:|---:|---:|"
	expect_out "<details><summary>assumptions</summary>"
	# the base (the seed as shipped) fails as simulate says it does: lint'\''s
	# fatal findings play out in every column, never a success
	grep -Eq '\''^\| status \| (Failed|OutOfMemory) \| (Failed|OutOfMemory) \| Succeeded \| Succeeded \|$'\'' "$OUT" || fail "base columns must fail, head columns succeed"
'

test_expect_success 'the seed as shipped, 1 node vs 4: exit 1, never a success' '
	run timeout 120 "$REHEARSE" compare "$SEED" --scenario "$V100" --nodes 1,4
	expect_status 1
	grep -Eq '\''^status +(Failed|OutOfMemory) +Failed$'\'' "$OUT" || fail "the seed as shipped compared as a success"
'

test_expect_success '--gpu swaps GPUs in: the selector follows, so H100 runs' '
	run timeout 120 "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --gpu v100-16,h100
	expect_status 0
	expect_out "a3-highgpu-8g with 8 x H100-SXM-80GB swapped in"
'

test_expect_success '--trials: success probability and p90 for each column, text and JSON' '
	run timeout 120 "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4 --trials 20
	expect_status 0
	grep -q '\''^success probability *100% of 20  *100% of 20$'\'' "$OUT" || fail "success probability over 20 trials"
	expect_no_out "needs --trials"
	run timeout 120 "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4 --trials 20 --format json
	expect_out '\''"trials":	20'\''
	expect_out '\''"makespan_p90_s":'\''
'

test_expect_success 'usage errors exit 2: one case, an empty --nodes item, an unknown GPU, no scenario file' '
	run "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100"
	expect_status 2
	expect_err "one case is nothing to compare"
	run "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,,4
	expect_status 2
	run "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --gpu v100-16,tpu
	expect_status 2
	expect_err "--gpu: no GPU machine type '\''tpu'\''"
	run "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$TMPDIR/none.yaml" --nodes 1,2
	expect_status 2
'
test_done
