# t0620: every default that stands in for a fact the scenario does not give
# is an assumption line of the report, in text and in JSON: latencies,
# pull and download bandwidth, NIC, price, spot preemption, the size of an
# image the scenario does not list (a PyTorch image is not 0.5 GB).
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the scenario's defaults
sed -e '/^  load_balancer_ip/d;/^    pull_mbps/d;/^  hub_mbps/d;/^    nic_gbps/d;/^  join_timeout/d' \
    -e 's/^    price: {on_demand: 12.77.*/    spot: true/' "$S4" >"$TMPDIR/defaults.yaml"
sed 's#flaviuvadan/kubecon-na-23-finetune-llama2:latest#pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime#' \
    "$SEED" >"$TMPDIR/pt.yaml"

want="cluster.load_balancer_ip not given: uniform(min=30,max=90) s (facts.md: 30-90 s, estimate)
cluster.images.pull_mbps not given: 50 MB/s per node
cluster.pools[gpu-v100].nic_gbps not given: 10 Gbps
cluster.pools[gpu-v100].price not given: its nodes cost \$0 in the totals
failures.spot_preemption_rate not given: 0.02 preemptions per spot node-hour (a guess; providers publish none)
workload.hub_mbps not given: uniform(min=50,max=100) MB/s
workload.join_timeout not given: 600 s
image pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime is not in cluster.images.sizes: taken as 4 GB (a PyTorch/CUDA image"
printf '%s\n' "$want" >"$TMPDIR/want.txt"

test_expect_success 'every default standing in for a missing figure is an assumption line in the text' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/defaults.yaml" "$TMPDIR/pt.yaml"
	expect_status 0
	while IFS= read -r line; do
		grep -qF -- "  - $line" "$OUT" || fail "text lacks assumption: $line"
	done <"$TMPDIR/want.txt"
'

test_expect_success 'an image the scenario does not list is taken as 4 GB: its pull takes 80 s at 50 MB/s, not 10 s' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/defaults.yaml" "$TMPDIR/pt.yaml"
	python3 - "$OUT" <<-"PY" || fail "pull time"
	import re, sys
	m = re.search(r"^\s+pull\s+([0-9.]+) s", open(sys.argv[1]).read(), re.M)
	assert m and float(m.group(1)) >= 80, m and m.group(1)
	PY
'

test_expect_success 'JSON carries the same assumptions' '
	run "$REHEARSE" simulate --format json --scenario "$TMPDIR/defaults.yaml" "$TMPDIR/pt.yaml"
	expect_status 0
	python3 - "$OUT" "$TMPDIR/want.txt" <<-"PY" || fail "JSON assumptions"
	import json, sys
	want = [l for l in open(sys.argv[2]).read().splitlines() if l]
	got = json.load(open(sys.argv[1]))["assumptions"]
	for w in want:
	    assert any(w in g for g in got), w
	PY
'

test_expect_success 'the bundled scenario gives every figure: no "not given" line' '
	run "$REHEARSE" simulate --scenario "$S4" "$SEED"
	expect_status 0
	expect_no_out "not given"
'

test_done
