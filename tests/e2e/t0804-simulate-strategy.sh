# t0804: `rehearse simulate` takes the data-parallel strategy from the
# training script's arguments (llama-recipes, HF Trainer), else from the
# scenario's workload.strategy, else full-shard (llama-recipes' default),
# says which, and advises a faster one that fits without applying it.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the strategy
SCN=$TOP/scenarios/gke-v100-4node.yaml
train() { awk '$1 == "training" && $3 == "s" {print $2}' "$OUT" | head -1; }

with_args() { # with_args FILE ARG... : the seed with ARGs after the training script
	python3 - "$SEED" "$@" <<'PY'
import sys
src, out, args = sys.argv[1], sys.argv[2], sys.argv[3:]
lines = open(src).read().split("\n")
i = next(k for k, l in enumerate(lines) if l.strip() == "- /kubecon_na_23_llama2_finetune/src/talk/finetune.py")
ind = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
lines[i + 1:i + 1] = [ind + "- '" + a + "'" for a in args]
open(out, "w").write("\n".join(lines))
PY
}
# the scenario naming a strategy, and naming one that does not exist
sed 's/^  model: llama-2-7b/  strategy: hybrid-shard\n  model: llama-2-7b/' "$SCN" >"$TMPDIR/s.yaml"
sed 's/^  model: llama-2-7b/  strategy: zero9\n  model: llama-2-7b/' "$SCN" >"$TMPDIR/b.yaml"

# The seed names none: full-shard, network-bound, and the advice.
test_expect_success 'the seed names no strategy: full-shard, llama-recipes'\'' default, bound by network; hybrid-shard advised' '
	run "$REHEARSE" simulate --scenario "$SCN" "$SEED"
	expect_status 0
	expect_out "6.52 s per step, full-shard (llama-recipes'\'' default; neither the workflow nor the scenario names one), bound by network"
	expect_out "hybrid-shard would take 3.75 s per step (1.74x faster"
	train >"$TMPDIR/full-shard.train"
'

# The script's arguments, in the spellings people use.
test_expect_success 'hybrid-shard from the training script'\''s arguments, in four spellings: its step, no advice' '
	fs=$(cat "$TMPDIR/full-shard.train")
	for spelling in "--enable_fsdp --sharding_strategy HYBRID_SHARD" "--enable_fsdp --hsdp" \
			"--fsdp_config.sharding_strategy=ShardingStrategy.HYBRID_SHARD" "--fsdp hybrid_shard auto_wrap"; do
		with_args "$TMPDIR/h.yaml" $spelling
		run "$REHEARSE" simulate --scenario "$SCN" "$TMPDIR/h.yaml"
		expect_status 0
		expect_out "3.75 s per step, hybrid-shard (the training script'\''s --"
		expect_no_out "would take"
		hs=$(train)
		python3 -c "import sys; f, h = map(float, sys.argv[1:]); sys.exit(not abs(f / h - 6.517 / 3.751) < 0.01)" "$fs" "$hs" \
			|| fail "$spelling: training $hs s against full-shard'\''s $fs s"
	done
'

test_expect_success '--enable_fsdp alone is llama-recipes'\'' FULL_SHARD, named as the script'\''s' '
	with_args "$TMPDIR/f.yaml" --enable_fsdp
	run "$REHEARSE" simulate --scenario "$SCN" "$TMPDIR/f.yaml"
	expect_out "full-shard (the training script'\''s --enable_fsdp)"
'

# The scenario's key, when the script says nothing; a bad value is refused
# with its position.
test_expect_success 'the scenario'\''s workload.strategy, when the script says nothing' '
	grep -q "^  strategy: hybrid-shard" "$TMPDIR/s.yaml" || fail "scenario edit"
	run "$REHEARSE" simulate --scenario "$TMPDIR/s.yaml" "$SEED"
	expect_status 0
	expect_out "hybrid-shard (the scenario'\''s workload.strategy)"
'

test_expect_success 'the script'\''s arguments win over the scenario' '
	with_args "$TMPDIR/n.yaml" --enable_fsdp --sharding_strategy FULL_SHARD
	run "$REHEARSE" simulate --scenario "$TMPDIR/s.yaml" "$TMPDIR/n.yaml"
	expect_out "full-shard (the training script'\''s --sharding_strategy)"
'

test_expect_success 'an unknown workload.strategy is refused with its position' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/b.yaml" "$SEED"
	expect_status 2
	expect_err "b.yaml:4"
	expect_err "error: workload.strategy: is full-shard, hybrid-shard, shard-grad-op, no-shard or ddp, not '\''zero9'\''"
'

# lint and fix: the suggestion is a warning with its numbers; fix lists it
# among what remains and never changes the strategy itself.
BAD=$TOP/tests/rules/torchrun-fsdp-full-shard-slow/bad.yaml
test_expect_success 'lint: FULL_SHARD over 4 nodes is a warning, with both step times' '
	run "$REHEARSE" lint "$BAD"
	expect_out "warning: FULL_SHARD over 4 nodes x 4 GPUs"
	expect_out "against 3.75 s for hybrid-shard (5.56x faster"
	expect_out "[torchrun-fsdp-full-shard-slow]"
'

test_expect_success 'fix lists the suggestion among what remains and never changes the strategy' '
	run "$REHEARSE" fix "$BAD"
	expect_err "findings that remain in the output:"
	expect_err "[torchrun-fsdp-full-shard-slow]"
	expect_err "hint: pass --sharding_strategy HYBRID_SHARD --hsdp to the training script"
	expect_no_out "HYBRID_SHARD"
	expect_out "- --enable_fsdp"
'
test_done
