# t0609: one large run ends as it should: the seed (as `rehearse fix` writes
# it) re-scaled to 2,000 pods of 4 GPUs, 8,000 ranks in one torchrun
# rendezvous, on a pool of 1,000 nodes with 8 V100 each (the bundled 4-node
# scenario with its pool grown). Status and ranks only: `make bench` times
# the same run (bench/montecarlo.c, part 2).
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml
FIXED=$(fixed_seed)
sed -e 's/^    nodes: 4 /    nodes: 1000 /' -e 's/count: 4, link/count: 8, link/' \
	-e 's/allocatable: {cpu: 31850m, memory: 190Gi}/allocatable: {cpu: 95000m, memory: 600Gi}/' \
	"$S4" >"$TMPDIR/big.yaml"

test_expect_success 'the grown scenario: 1,000 GPU nodes of 8 V100' '
	grep -q "^    nodes: 1000 " "$TMPDIR/big.yaml" || fail "pool not grown" &&
	grep -q "count: 8, link" "$TMPDIR/big.yaml" || fail "GPUs per node not 8" &&
	grep -q "allocatable: {cpu: 95000m, memory: 600Gi}" "$TMPDIR/big.yaml" || fail "allocatable not grown"
'

test_expect_success '2,000 pods x 4 ranks: Succeeded, every rank pod trained, two pods a node' '
	run "$REHEARSE" simulate --nodes 2000 --format json --scenario "$TMPDIR/big.yaml" "$FIXED" &&
	expect_status 0 &&
	python3 - "$OUT" >"$TMPDIR/check.txt" <<-PY || { cat "$TMPDIR/check.txt"; fail "the large run is not what it should be"; }
	import json, sys, collections
	d = json.load(open(sys.argv[1]))
	s = d["summary"]
	bad = []
	if s["status"] != "Succeeded": bad.append("status %s" % s["status"])
	if s["ranks"] != 2000: bad.append("ranks %s, want 2000" % s["ranks"])
	if d["nodes_from"] != 4 or d["nodes_to"] != 2000: bad.append("re-scaled %s -> %s" % (d["nodes_from"], d["nodes_to"]))
	ranks = [t for t in d["timeline"] if t["template"] == "fine-tune-rank-n"]
	if len(ranks) != 2000: bad.append("%d rank pods in the timeline" % len(ranks))
	if sorted(t["name"] for t in ranks) != sorted("finetune-rank-%d" % i for i in range(2000)): bad.append("rank names")
	if any(t["status"] != "Succeeded" or t["gpus"] != 4 or t["phases_s"].get("training", 0) <= 0 for t in ranks): bad.append("a rank pod did not train")
	per = collections.Counter(t["node"] for t in ranks)
	if len(per) != 1000 or max(per.values()) != 2: bad.append("%d nodes, at most %d pods each" % (len(per), max(per.values())))
	if not any("on 2000 x 4 V100" in a for a in d["assumptions"]): bad.append("no 2000 x 4 rendezvous in the assumptions")
	if d["problems"] or d["failures"]: bad.append("problems %s failures %s" % (d["problems"], d["failures"]))
	print("\n".join(bad))
	sys.exit(1 if bad else 0)
	PY
'

test_done
