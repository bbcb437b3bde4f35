# t0802: the perf model's workload keys in a scenario -- fp32_master and
# lora_targets reach the step time and memory check of `simulate` with
# training: {perf: true}; bad values are refused with their position.
. "$(dirname "$0")/lib.sh"

SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the cluster
S=$TOP/scenarios/gke-v100-1node.yaml
step() { sed -n 's/.*: \([0-9.]*\) s per step.*/\1/p' "$OUT" | head -1; }
# the scenario edited: a full fine-tune in half precision, and with fp32
# master weights; LoRA on every layer; two bad values
sed -e 's/^  method: lora.*/  method: full/' -e 's/^  fp32_master: true .*/  fp32_master: false/' "$S" >"$TMPDIR/half.yaml"
sed -e 's/^  method: lora.*/  method: full/' "$S" >"$TMPDIR/fp32.yaml"
sed -e 's/^  fp32_master: true .*/  lora_targets: all/' "$S" >"$TMPDIR/all.yaml"
sed -e 's/^  fp32_master: true .*/  lora_targets: q,lm_head/' "$S" >"$TMPDIR/bad1.yaml"
sed -e 's/^  fp32_master: true .*/  fp32_master: maybe/' "$S" >"$TMPDIR/bad2.yaml"

test_expect_success 'the V100 scenario sets fp32_master (the edits of it rely on that)' '
	grep -q "^  fp32_master: true" "$S" || fail "the V100 scenario no longer sets fp32_master"
'

# A full fine-tune on 4 x 16 GB V100s: in bf16/fp16 throughout (8 bytes a
# weight, sharded over 4) the step fits; with fp32 master weights (16 bytes)
# the first step runs out of memory.
test_expect_success 'a full fine-tune on 4 x 16 GB V100s in half precision throughout fits' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/half.yaml" "$SEED"
	expect_status 0
	expect_out "(rehearse model)"
	if grep -q "out of memory" "$OUT"; then fail "a half-precision full fine-tune should fit"; fi
'

test_expect_success 'the same with fp32 master weights runs out of memory, and torchrun gives up' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/fp32.yaml" "$SEED"
	expect_status 1
	expect_out "CUDA out of memory"
	expect_out "torchrun: the worker group failed 4 time(s); --max-restarts 3 is used up"
'

test_expect_success 'LoRA on every linear layer: a longer step than on q_proj and v_proj' '
	run "$REHEARSE" simulate --scenario "$S" "$SEED"
	expect_status 0
	qv=$(step)
	run "$REHEARSE" simulate --scenario "$TMPDIR/all.yaml" "$SEED"
	expect_status 0
	all=$(step)
	[ -n "$qv" ] && [ -n "$all" ] || fail "no step time in the assumptions"
	python3 -c "import sys; sys.exit(not float(sys.argv[2]) > float(sys.argv[1]))" "$qv" "$all" \
		|| fail "all targets ($all s) not slower than q,v ($qv s)"
'

test_expect_success 'workload.lora_targets naming an unknown layer is refused with its position' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/bad1.yaml" "$SEED"
	expect_status 2
	expect_err "bad1.yaml:"
	expect_err "workload.lora_targets: wants names"
'

test_expect_success 'workload.fp32_master must be true or false' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/bad2.yaml" "$SEED"
	expect_status 2
	expect_err "fp32_master must be true or false"
'
test_done
