# t0610: the bill: cost lines in simulate's text and JSON, prices a
# scenario sets win over the defaults, and `model --price-per-gpu-hour`.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the bill
SCN=$TOP/scenarios/gke-v100-4node.yaml
# a scenario with prices of its own: a $1000/h cluster fee, free load balancers, $0.5/GB-month disks
sed -e 's/^  zones: \[us-central1-a\]$/  zones: [us-central1-a]\n  cluster_fee: 1000\n  load_balancer_price: 0/' \
    -e 's/^    exists: false$/    exists: false\n    price_gb_month: 0.5/' "$SCN" >"$TMPDIR/priced.yaml"

test_expect_success 'the bill in text: each line, the cost per million tokens, the waste, where the fee comes from' '
	run timeout 60 "$REHEARSE" simulate --scenario "$SCN" "$SEED"
	expect_out "GPU nodes (on-demand)"
	expect_out "storage (class ssd)"
	expect_out "load balancers"
	expect_out "cluster fee"
	expect_out "per million tokens"
	expect_out "waste: idle GPU time"
	expect_out "the cluster fee is GKE'\''s \$0.10 an hour (facts.md)"
'

test_expect_success 'prices from the scenario replace the defaults and their notes (JSON)' '
	grep -q cluster_fee "$TMPDIR/priced.yaml" || fail "edit did not apply"
	run timeout 60 "$REHEARSE" simulate --format json --scenario "$TMPDIR/priced.yaml" "$SEED"
	expect_out '\''"usd_per_gib_month":	0.5'\''
	expect_out '\''"lb_usd":	0,'\''
	expect_no_out "the cluster fee is GKE'\''s"
	grep -q '\''"cluster_usd":	[12][0-9][0-9]\.'\'' "$OUT" || fail "a fee of \$1000/h for ~12 min is not ~\$200"
'

test_expect_success 'in text too: the scenario'\''s fee replaces GKE'\''s note' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/priced.yaml" "$SEED"
	expect_status 0
	expect_no_out "the cluster fee is GKE'\''s"
'

test_expect_success 'a negative cluster fee is refused with its unit (exit 2)' '
	sed '\''s/cluster_fee: 1000/cluster_fee: -1/'\'' "$TMPDIR/priced.yaml" >"$TMPDIR/bad.yaml"
	run "$REHEARSE" simulate --scenario "$TMPDIR/bad.yaml" "$SEED"
	expect_status 2
	expect_err "cluster.cluster_fee: -1 is not a number of $ per hour"
'

test_expect_success 'model --price-per-gpu-hour: the cost per million tokens and of the run, text and JSON' '
	run "$REHEARSE" model --gpu v100-16 --model llama2-7b --grad-ckpt --nodes 4 --gpus-per-node 4 \
		--nic-gbps 32 --fp32-master --dataset-tokens 2.2e6 --price-per-gpu-hour 3.19 --strategy full-shard
	expect_status 0
	expect_out "cost      \$1.41 per million tokens at \$3.19 per GPU-hour x 16 GPUs; training \$3.14 (0.98 GPU-hours"
	run "$REHEARSE" model --gpu h100 --model llama2-7b --price-per-gpu-hour 11 --format json
	expect_out '\''"usd_per_mtokens":'\''
'

test_expect_success 'a negative price per GPU-hour is a usage error (exit 2)' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --price-per-gpu-hour -3
	expect_status 2
'

test_done
