# t0800: `rehearse model` -- text and JSON, the seed's workload on 1 and 4
# V100 nodes, out of memory, custom shapes, the calibration report, usage errors.
. "$(dirname "$0")/lib.sh"

test_expect_success 'JSON for a calibrated H100 point: the fields; step time and memory as measured' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --method lora --seq 4096 --micro-batch 1 --format json
	expect_status 0
	python3 - "$OUT" <<"PY" || fail "json fields"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("step_s", "tokens_per_s", "peak_gib", "fits", "mfu", "bound"):
    assert k in d, k
# the calibration measured 0.350 s and 35.4 GiB for this point
assert abs(d["step_s"] / 0.350 - 1) < 0.10, d["step_s"]
assert abs(d["peak_gib"] / 35.43 - 1) < 0.05, d["peak_gib"]
assert d["fits"] is True and 0 < d["mfu"] < 1
PY
'

# The seed: 4 V100s per node, 1 node vs 4 nodes; text says what bounds the step.
test_expect_success 'the seed on 1 node of 4 V100s: fp16 (no bf16), bound by compute, 135 steps' '
	run "$REHEARSE" model --gpu v100-16 --model llama2-7b --grad-ckpt --gpus-per-node 4 --dataset-tokens 2.2e6
	expect_status 0
	expect_out "fp16 (no bf16 on this GPU)"
	expect_out "bound by compute"
	expect_out "training  135 steps"
'

test_expect_success 'the seed on 4 nodes at 32 Gbit/s, full-shard: bound by network, 34 steps, no advice' '
	run "$REHEARSE" model --gpu v100-16 --model llama2-7b --grad-ckpt --nodes 4 --gpus-per-node 4 --nic-gbps 32 --dataset-tokens 2.2e6 --strategy full-shard
	expect_status 0
	expect_out "strategy: full-shard"
	expect_out "bound by network"
	expect_out "collectives"
	expect_out "training  34 steps"
	expect_no_out "recommended"
'

# --strategy auto (the default): every strategy ranked, the seed's shape
# (fp32 master weights) recommends hybrid-shard; the ones that do not fit
# say why; the details are the recommendation's.
test_expect_success '--strategy auto: every strategy ranked, hybrid-shard recommended, misfits say why' '
	run "$REHEARSE" model --gpu v100-16 --model llama2-7b --grad-ckpt --fp32-master --nodes 4 --gpus-per-node 4 --nic-gbps 32 --dataset-tokens 2.2e6
	expect_status 0
	expect_out "strategy        step s   peak GiB"
	expect_out "recommended: hybrid-shard: 1.74x faster than full-shard at 32 Gbit/s"
	expect_out "DOES NOT FIT: needs 29.0 GiB of 16; the largest part is"
	expect_out "the weights (a full replica on every GPU)"
	expect_out "details of hybrid-shard"
	expect_out "sharded over 4 GPUs"
'

test_expect_success '--strategy auto in JSON: the ranking, the 1.74x factor and the NIC traffic behind it' '
	run "$REHEARSE" model --gpu v100-16 --model llama2-7b --grad-ckpt --fp32-master --nodes 4 --gpus-per-node 4 --nic-gbps 32 --format json
	expect_status 0
	python3 - "$OUT" <<"PY" || fail "strategy json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["strategy"] == "hybrid-shard", d["strategy"]
assert d["recommendation"].startswith("hybrid-shard: 1.74x faster than full-shard"), d["recommendation"]
assert abs(d["speedup_vs_full_shard"] - 1.737) < 0.002, d["speedup_vs_full_shard"]
s = {e["strategy"]: e for e in d["strategies"]}
assert sorted(s) == ["ddp", "full-shard", "hybrid-shard", "no-shard", "shard-grad-op"], sorted(s)
fs, hs = s["full-shard"], s["hybrid-shard"]
assert fs["fits"] and hs["fits"] and not s["ddp"]["fits"] and not s["no-shard"]["fits"]
assert "why_not" in s["ddp"] and "why_not" not in hs
# the factor is the ratio of the two step times, and only the weights'\''
# gathers leave the NIC: full-shard moves (2 x 13.5 GB + 8 MB) x 15/16 through it
assert abs(fs["step_s"] / hs["step_s"] - 1.74) < 0.01
assert abs(fs["nic_gb"] - (2 * 6738415616 * 2 + 4194304 * 2) * 15 / 16 / 1e9) < 0.01, fs["nic_gb"]
assert hs["nic_gb"] < 0.05, hs["nic_gb"]
ranked = [e["step_s"] for e in d["strategies"] if e["fits"]]
assert ranked == sorted(ranked)
PY
'

test_expect_success 'an unknown --strategy exits 2' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --strategy zero4; expect_status 2; expect_err "--strategy is auto"
'

# Recompute: selective sits between none and full, in memory and time;
# --grad-ckpt is --recompute full.
test_expect_success 'selective recompute sits between none and full in memory and time; --grad-ckpt is full' '
	for r in none selective full; do
		run "$REHEARSE" model --gpu h100 --model llama2-7b --recompute $r --format json
		expect_status 0
		cp "$OUT" "$TMPDIR/$r.json"
	done
	run "$REHEARSE" model --gpu h100 --model llama2-7b --grad-ckpt --format json
	cmp -s "$OUT" "$TMPDIR/full.json" || fail "--grad-ckpt differs from --recompute full"
	python3 - "$TMPDIR/none.json" "$TMPDIR/selective.json" "$TMPDIR/full.json" <<"PY" || fail "recompute order"
import json, sys
n, s, f = (json.load(open(p)) for p in sys.argv[1:4])
assert s["recompute"] == "selective" and f["grad_ckpt"] is True and s["grad_ckpt"] is False
assert f["peak_gib"] < s["peak_gib"] < n["peak_gib"], (f["peak_gib"], s["peak_gib"], n["peak_gib"])
assert n["step_s"] < s["step_s"] < f["step_s"], (n["step_s"], s["step_s"], f["step_s"])
PY
'

test_expect_success 'an unknown --recompute exits 2' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --recompute some; expect_status 2; expect_err "--recompute is none, full or selective"
'

# Tensor parallelism inside a node: Llama 3 8B LoRA on 4 x 8192 tokens per
# GPU over 8 A100 40GB does not fit under any strategy (the logits of a
# 128k vocabulary), fits with --tp 4: 2 data-parallel ranks, ranked.
test_expect_success 'Llama 3 8B, 4 x 8192 tokens on 8 A100 40GB: no strategy fits (the logits), try --tp' '
	run "$REHEARSE" model --gpu a100-40 --model llama3-8b --grad-ckpt --gpus-per-node 8 --seq 8192 --micro-batch 4
	expect_status 0
	expect_out "recommended: no strategy fits"
	expect_out "the largest part is the logits"
	expect_out "(try --tp)"
'

test_expect_success 'the same with --tp 4 fits: tensor parallel over 4, strategies ranked' '
	run "$REHEARSE" model --gpu a100-40 --model llama3-8b --grad-ckpt --gpus-per-node 8 --seq 8192 --micro-batch 4 --tp 4
	expect_status 0
	expect_out "tensor parallel over 4"
	expect_out "tensor parallel   "
	expect_out "details of"
	expect_no_out "no strategy fits"
'

test_expect_success 'a --tp that does not divide the GPUs of a node exits 2' '
	run "$REHEARSE" model --gpu h100 --model llama2-7b --gpus-per-node 8 --tp 3; expect_status 2; expect_err "tensor parallelism of 3 must divide"
'

test_expect_success 'out of memory is predicted, not an error' '
	run "$REHEARSE" model --gpu h100 --model llama2-70b --method full
	expect_status 0
	expect_out "OUT OF MEMORY"
'

test_expect_success 'a custom shape with the llama-1b numbers gives the named shape'\''s answer' '
	run "$REHEARSE" model --gpu h100 --model llama-1b --format json
	cp "$OUT" "$TMPDIR/named.json"
	run "$REHEARSE" model --gpu h100 --hidden 2048 --intermediate 5632 --layers 22 --heads 32 --kv-heads 4 --vocab 32000 --format json
	expect_status 0
	python3 - "$OUT" "$TMPDIR/named.json" <<"PY" || fail "custom shape differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["step_s"] == b["step_s"] and a["peak_gib"] == b["peak_gib"]
PY
'

test_expect_success 'the calibration report meets its targets' '
	run "$REHEARSE" model --calib-report "$SHARED/calib/h100.jsonl"
	expect_status 0
	expect_out "26 points"
	expect_out ": met"
'

test_expect_success 'usage errors exit 2' '
	run "$REHEARSE" model --model llama2-7b;                     expect_status 2; expect_err "--gpu is required"
	run "$REHEARSE" model --gpu k80 --model llama2-7b;           expect_status 2; expect_err "unknown GPU"
	run "$REHEARSE" model --gpu h100 --model gpt5;               expect_status 2; expect_err "unknown model"
	run "$REHEARSE" model --gpu h100 --model llama2-7b --seq 0;  expect_status 2
	run "$REHEARSE" model --gpu h100 --model llama2-7b --method qlora; expect_status 2
	run "$REHEARSE" model --gpu h100 --hidden 1000 --intermediate 10 --layers 2 --heads 3; expect_status 2; expect_err "heads"
	run "$REHEARSE" model --calib-report /nonexistent.jsonl;     expect_status 2
'
test_done
