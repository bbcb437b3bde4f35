# t0663: the A100 and H100 scenarios derive training from the performance
# model, as the V100 ones do: steps from the dataset tokens, each as long as
# `rehearse model` says for the pool's GPU, the rendezvous' 4 x 4 ranks and
# the pool's NIC. The simulated training time is checked against `rehearse
# model` run on its own, so the GPUs differ by the model's ratio, and the
# run prints the step time it used among its assumptions.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the training time

# training phase (mean over the rank pods) of a simulate --format json run
train_s() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["rank_phase_mean_s"]["training"])' "$OUT"; }
# train_s and step_s of `rehearse model` for the seed's workload (what the scenarios say)
model() { # GPU NIC_GBPS FIELD
	"$REHEARSE" model --gpu "$1" --model llama2-7b --nodes 4 --gpus-per-node 4 --nic-gbps "$2" \
		--strategy full-shard --grad-ckpt --fp32-master --dataset-tokens 2.2e6 --format json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$3"
}
near() { awk -v a="$1" -v b="$2" -v tol="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= tol * b) }'; }

test_expect_success 'the A100 and H100 scenarios use the perf model, no fixed duration' '
	for s in gke-a100-4node gke-h100-2node; do
		grep -q "^    perf: true" "$TOP/scenarios/$s.yaml" || fail "$s: no training: perf: true"
		! grep -q "^    duration:" "$TOP/scenarios/$s.yaml" || fail "$s: a fixed training duration"
	done
'

test_expect_success 'H100: training is steps x the model step time, the basis printed' '
	sed "s/nvidia-tesla-v100/nvidia-h100-80gb/" "$SEED" >"$TMPDIR/h100.yaml"
	run "$REHEARSE" simulate --scenario gke-h100-2node "$TMPDIR/h100.yaml"
	expect_status 0
	step=$(model h100 200 step_s)
	expect_out "llama2-7b on 4 x 4 H100 SXM 80 GB: $(printf %.2f "$step") s per step, full-shard"
	run "$REHEARSE" simulate --format json --scenario gke-h100-2node "$TMPDIR/h100.yaml"
	expect_status 0
	train_s >"$TMPDIR/h100.s"
	want=$(model h100 200 train_s)
	near "$(cat "$TMPDIR/h100.s")" "$want" 0.01 || fail "H100 training $(cat "$TMPDIR/h100.s") s, model says $want s"
'

test_expect_success 'A100: training is steps x the model step time, the basis printed' '
	sed "s/nvidia-tesla-v100/nvidia-tesla-a100/" "$SEED" >"$TMPDIR/a100.yaml"
	run "$REHEARSE" simulate --scenario gke-a100-4node "$TMPDIR/a100.yaml"
	expect_status 0
	expect_out "llama2-7b on 4 x 4 A100 SXM 40 GB: $(printf %.2f "$(model a100-40 50 step_s)") s per step"
	run "$REHEARSE" simulate --format json --scenario gke-a100-4node "$TMPDIR/a100.yaml"
	train_s >"$TMPDIR/a100.s"
	want=$(model a100-40 50 train_s)
	near "$(cat "$TMPDIR/a100.s")" "$want" 0.01 || fail "A100 training $(cat "$TMPDIR/a100.s") s, model says $want s"
'

test_expect_success 'V100 over H100 training is the model step-time ratio' '
	run "$REHEARSE" simulate --format json --scenario gke-v100-4node "$SEED"
	expect_status 0
	v=$(train_s)
	h=$(cat "$TMPDIR/h100.s")
	ratio=$(awk -v a="$(model v100-16 32 step_s)" -v b="$(model h100 200 step_s)" "BEGIN { print a / b }")
	near "$(awk -v v="$v" -v h="$h" "BEGIN { print v / h }")" "$ratio" 0.02 ||
		fail "V100/H100 training $v/$h, the model step ratio is $ratio"
	awk -v r="$ratio" "BEGIN { exit !(r > 2) }" || fail "the model gives H100 only $ratio x V100"
'
test_done
