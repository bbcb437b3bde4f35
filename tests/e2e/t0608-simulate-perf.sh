# t0608: with `perf: true` the simulation's training span is steps x the
# step time of the performance model -- the same figure `rehearse model`
# prints for the seed's workload on the bundled V100 scenarios (full-shard:
# llama-recipes' default; the seed names no other strategy).
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the cluster
# trains_as_model N SCENARIO: simulate on SCENARIO trains as long as
# `rehearse model` says N nodes of 4 V100s take (within 1% + 1 s)
trains_as_model() {
	n=$1 scn=$2
	run "$REHEARSE" model --gpu v100-16 --model llama2-7b --method lora --seq 4096 --micro-batch 1 --grad-ckpt \
		--nodes "$n" --gpus-per-node 4 --nic-gbps 32 --dataset-tokens 2.2e6 --strategy full-shard --format json
	expect_status 0
	want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["train_s"])' "$OUT")
	run "$REHEARSE" simulate --scenario "$TOP/scenarios/$scn.yaml" "$SEED"
	expect_status 0
	expect_out "(rehearse model)"
	got=$(awk '$1 == "training" && $3 == "s" {print $2}' "$OUT" | head -1)
	[ -n "$got" ] || fail "no training phase in the summary"
	python3 -c 'import sys; w, g = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(w - g) > 0.01 * w + 1)' "$want" "$got" \
		|| fail "$n node(s): simulate trains $got s, the model says $want s"
}

test_expect_success '1 node: simulate'\''s training span is the performance model'\''s' '
	trains_as_model 1 gke-v100-1node
'

test_expect_success '4 nodes: simulate'\''s training span is the performance model'\''s' '
	trains_as_model 4 gke-v100-4node
'

test_expect_success 'a scenario model the performance model does not know is refused at its position (exit 2)' '
	sed '\''s/^  model: llama-2-7b .*/  model: gpt-neo-2b/'\'' "$TOP/scenarios/gke-v100-4node.yaml" >"$TMPDIR/unknown.yaml"
	run "$REHEARSE" simulate --scenario "$TMPDIR/unknown.yaml" "$SEED"
	expect_status 2
	expect_err "unknown.yaml:"
	expect_err "gpt-neo-2b"
'

test_done
