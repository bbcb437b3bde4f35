# t0801: `rehearse model` -- LoRA target modules (--lora-targets) and fp32
# master weights (--fp32-master): trained-weight counts PEFT would print,
# memory that grows the way it must, out of memory, refusals.
. "$(dirname "$0")/lib.sh"

js() { "$REHEARSE" model --format json "$@"; }

# Default targets are q_proj and v_proj; naming them changes nothing.
test_expect_success 'the default LoRA targets are q_proj and v_proj: naming them changes nothing' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --format json
	expect_status 0
	cp "$OUT" "$TMPDIR/default.json"
	run "$REHEARSE" model --gpu h100 --model llama2-7b --lora-targets q_proj,v_proj --format json
	expect_status 0
	cmp -s "$OUT" "$TMPDIR/default.json" || fail "q_proj,v_proj differs from the default"
'

# Every linear layer: PEFT's count for 7B at r=8 is 19,988,480 trained weights;
# more memory (dropout keeps each target's input) and a longer step.
test_expect_success '--lora-targets all: PEFT'\''s count of trained weights for 7B at rank 8' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --lora-targets all
	expect_status 0
	expect_out "19.99 M trained (rank 8 on q_proj k_proj v_proj o_proj gate_proj up_proj down_proj)"
'

test_expect_success '--lora-targets all: more memory and a longer step than the default' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --lora-targets all --format json
	expect_status 0
	python3 - "$OUT" "$TMPDIR/default.json" <<"PY" || fail "all targets not costlier"
import json, sys
a, d = (json.load(open(p)) for p in sys.argv[1:3])
assert a["peak_gib"] > d["peak_gib"] + 5, (a["peak_gib"], d["peak_gib"])
assert a["step_s"] > d["step_s"], (a["step_s"], d["step_s"])
assert d["lora_targets"] == ["q_proj", "v_proj"] and len(a["lora_targets"]) == 7, (d["lora_targets"], a["lora_targets"])
PY
'

# fp32 master weights double the weights' memory; a 7B full fine-tune in mixed
# precision (16 bytes a weight) does not fit one A100 80GB, fits eight.
test_expect_success '--fp32-master doubles the weights'\'' memory' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --fp32-master --format json
	expect_status 0
	python3 - "$OUT" "$TMPDIR/default.json" <<"PY" || fail "fp32 weights"
import json, sys
m, d = (json.load(open(p)) for p in sys.argv[1:3])
assert abs(m["memory_gib"]["weights"] - 2 * d["memory_gib"]["weights"]) < 0.01
assert m["fp32_master"] is True and d["fp32_master"] is False
PY
'

test_expect_success 'a 7B full fine-tune with fp32 master weights: out of memory on one A100 80GB, fits eight' '
	run "$REHEARSE" model --gpu a100-80 --model llama2-7b --method full --seq 2048 --grad-ckpt --fp32-master
	expect_status 0
	expect_out "OUT OF MEMORY"
	expect_out "fp32 master weights"
	run "$REHEARSE" model --gpu a100-80 --model llama2-7b --method full --seq 2048 --grad-ckpt --fp32-master --gpus-per-node 8
	expect_status 0
	expect_out "GiB of 80 GiB: fits"
'

# Refusals: unknown layer, empty item, trailing comma.
test_expect_success '--lora-targets refusals: an unknown layer, an empty item, a trailing comma, no value' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --lora-targets q,lm_head; expect_status 2; expect_err "--lora-targets"
	run "$REHEARSE" model --gpu h100 --model llama2-7b --lora-targets q,,v;     expect_status 2; expect_err "--lora-targets"
	run "$REHEARSE" model --gpu h100 --model llama2-7b --lora-targets v,;       expect_status 2; expect_err "--lora-targets"
	run "$REHEARSE" model --gpu h100 --model llama2-7b --lora-targets;          expect_status 2
'
test_done
