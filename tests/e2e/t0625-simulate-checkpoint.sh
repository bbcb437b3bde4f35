# t0625: a restart loses the work since the last checkpoint and resumes by
# reading it back. A checkpoint's write and read time come from what is
# trained (LoRA adapters, or every weight, x 12 bytes: fp32 weights and two
# AdamW moments) and failures.checkpoint_mbps; training pauses for each
# write, every workload.checkpoint_interval seconds of training.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/elastic.sh"
CK=600 MBPS=200 GPUS=16 FIXED=2
ckpt() { # FILE MBPS [METHOD]
	sed -e "s/^  checkpoint_interval: .*/  checkpoint_interval: $CK/" -e "s/^  gpu_rate: .*/&\n  checkpoint_mbps: $2/" \
	    -e "s/^  method: .*/  method: ${3:-lora}/" "$TMPDIR/const.yaml" >"$1"
	grep -q "checkpoint_mbps: $2" "$1" || { echo "FAIL: edit"; exit 1; }
}
ckpt "$TMPDIR/ck.yaml" $MBPS
# the note: "a checkpoint is MB MB (...: PARAMS parameters x 12 bytes), written or read in W s"
note() { sed -n "s/.*a checkpoint is \([0-9]*\) MB (.*: \([0-9.e+]*\) parameters x 12 bytes), written or read in \([0-9.]*\) s.*/\1 \2 \3/p" "$OUT" | head -1; }

test_expect_success 'a checkpoint costs what is trained x 12 bytes at checkpoint_mbps' '
	run "$REHEARSE" simulate --trace --scenario "$TMPDIR/ck.yaml" "$TMPDIR/mon1.yaml"
	expect_status 0
	set -- $(note)
	near "$1" $(calc "$2 * 12 / 1e6") 1 || fail "$1 MB for $2 parameters"
	near "$3" $(calc "$FIXED + $1 / $MBPS") || fail "write $3 s for $1 MB at $MBPS MB/s"
	# training pauses for floor(TRAIN / CK) writes
	took=$(sed -n "s/.*first training step; training takes \([0-9]*\) s.*/\1/p" "$OUT")
	near "$took" $(calc "$TRAIN + int($TRAIN / $CK) * $3") 0.5 || fail "training took $took"
	echo "$3" >"$TMPDIR/w"
	at "ranks ready, first training step" >"$TMPDIR/f"
	awk "/^  makespan/ {print \$2}" "$OUT" >"$TMPDIR/base"
'

test_expect_success 'a restart loses the work since the last checkpoint and reads it back' '
	W=$(cat "$TMPDIR/w") F=$(cat "$TMPDIR/f") E=1000
	T=$(calc "$F + $E")
	run "$REHEARSE" simulate --trace --inject "worker-exit rank-2 at ${T}s" --scenario "$TMPDIR/ck.yaml" "$TMPDIR/mon1.yaml"
	expect_status 0
	K=$(calc "int($E / ($CK + $W))")
	KEPT=$(calc "$K * $CK")
	r=$(at "training resumes")
	near "$r" $(calc "$T + $MON + $STOP + $ROUND + $WS + $ML + $W") || fail "resumed at $r: not restart + start + load + a checkpoint read"
	took=$(sed -n "s/.*training resumes; training takes \([0-9]*\) s.*/\1/p" "$OUT")
	near "$took" $(calc "($TRAIN - $KEPT) + int(($TRAIN - $KEPT) / $CK) * $W") 0.5 || fail "resumed training took $took"
	lost=$(awk "/training lost to restarts/ {print \$5}" "$OUT")
	near "$lost" $(calc "($E - $KEPT - $K * $W) * $GPUS / 3600") 0.01 || fail "lost $lost GPU-hours"
	span=$(awk "/^  makespan/ {print \$2}" "$OUT")
	near "$span" $(calc "$(cat "$TMPDIR/base") + ($E - $KEPT - $K * $W) + $MON + $STOP + $ROUND + $WS + $ML + $W") 0.2 || fail "makespan $span"
'

test_expect_success 'a slower disk: a longer write and read' '
	ckpt "$TMPDIR/slow.yaml" 20
	run "$REHEARSE" simulate --trace --scenario "$TMPDIR/slow.yaml" "$TMPDIR/mon1.yaml"
	set -- $(note)
	near "$3" $(calc "$FIXED + $1 / 20") || fail "write $3 s for $1 MB at 20 MB/s"
	ge "$3" $(calc "$(cat "$TMPDIR/w") + 1") || fail "not slower"
'

test_expect_success 'full fine-tuning checkpoints every weight' '
	ckpt "$TMPDIR/full.yaml" $MBPS full
	run "$REHEARSE" simulate --trace --scenario "$TMPDIR/full.yaml" "$TMPDIR/mon1.yaml"
	expect_out "a checkpoint is"
	expect_out "(every weight: 6.74e+09 parameters x 12 bytes)"
	set -- $(note)
	near "$3" $(calc "$FIXED + $1 / $MBPS") || fail "write $3 s for $1 MB"
'

test_expect_success 'no checkpoints: a restart starts training over' '
	F=$(cat "$TMPDIR/f")
	run "$REHEARSE" simulate --trace --inject "worker-exit rank-2 at $(calc "$F + 1000")s" --scenario "$TMPDIR/const.yaml" "$TMPDIR/mon1.yaml"
	expect_status 0
	took=$(sed -n "s/.*training resumes; training takes \([0-9]*\) s.*/\1/p" "$OUT")
	[ "$took" = "$TRAIN" ] || fail "resumed training took $took, not all $TRAIN s"
'
test_done
