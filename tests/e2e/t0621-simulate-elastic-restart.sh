# t0621: a worker failure restarts the worker group on every node, as
# torchrun's elastic agents do: noticed at the next --monitor-interval tick,
# the workers stopped, a fresh rendezvous (about 3 s in all with
# --monitor-interval 1), then every node pays worker start and model load
# again; --max-restarts N allows N restarts (N+1 attempts), after the last
# failure every agent exits 1 about 2 s later; the default is 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/elastic.sh"
RDZV="complete: 4 of 4 nodes"

test_expect_success 'a failure restarts the group ~3 s later; each attempt pays worker start and load' '
	run "$REHEARSE" simulate --trace --inject "worker-exit rank-2 at 10m x2" --scenario "$TMPDIR/const.yaml" "$TMPDIR/mon1.yaml"
	expect_status 0
	t1=$(at "workers failed (attempt 1 of 4)")
	near "$t1" 600 || fail "first failure at $t1"
	r1=$(at "$RDZV (restart 1 of 3)")
	near "$r1" $(calc "$t1 + $MON + $STOP + $ROUND") || fail "restart 1 at $r1, not $t1 + $MON + $STOP + $ROUND"
	# every node rejoins, not only the failing one
	for k in 0 1 2 3; do
		awk -v t="$t1" -v r="$r1" -v p="finetune-rank-$k joins" "\$1 > t && \$1 <= r && index(\$0, p) {f=1} END {exit !f}" "$OUT" ||
			fail "rank-$k did not rejoin between $t1 and $r1"
	done
	ready=$(awk -v r="$r1" "\$1 >= r && /training resumes/ {print \$1; exit}" "$OUT")
	near "$ready" $(calc "$r1 + $WS + $ML") || fail "workers ready at $ready, not $r1 + $WS (start) + $ML (load)"
	t2=$(at "workers failed (attempt 2 of 4)")
	ge "$t2" "$ready" || fail "attempt 2 failed at $t2, before its workers were up at $ready"
	# x2: the third attempt trains to the end
	expect_out "worker-group restarts       2"
'

test_expect_success '--max-restarts 3: 4 attempts, then every agent exits 1 about 2 s after the last' '
	run "$REHEARSE" simulate --trace --inject "worker-exit rank-2 at 10m x4" --scenario "$TMPDIR/const.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	expect_out "worker-group restarts       3"
	expect_no_out "attempt 5"
	t4=$(at "workers failed (attempt 4 of 4)")
	[ -n "$t4" ] || fail "no fourth attempt"
	for k in 0 1 2 3; do
		e=$(at "pod fine-tune-llm-sim-finetune-rank-$k failed: torchrun: the worker group failed 4 time(s); --max-restarts 3 is used up")
		near "$e" $(calc "$t4 + $MON + $STOP + $EXIT") || fail "rank-$k agent exited at $e, not $t4 + $MON + $STOP + $EXIT"
	done
'

test_expect_success 'torchrun default --max-restarts 0: one failure ends every agent' '
	sed "/- --max-restarts/{N;d;}" "$TMPDIR/mon1.yaml" >"$TMPDIR/norestart.yaml"
	! grep -q -- "--max-restarts" "$TMPDIR/norestart.yaml" || fail "edit"
	run "$REHEARSE" simulate --trace --inject "worker-exit rank-2 at 10m" --scenario "$TMPDIR/const.yaml" "$TMPDIR/norestart.yaml"
	expect_status 1
	expect_out "workers failed (attempt 1 of 1)"
	e=$(at "pod fine-tune-llm-sim-finetune-rank-0 failed: torchrun: the worker group failed 1 time(s); --max-restarts 0 is used up")
	near "$e" $(calc "600 + $MON + $STOP + $EXIT") || fail "agents exited at $e"
'

test_expect_success 'the default --monitor-interval (0.1 s) notices sooner' '
	run "$REHEARSE" simulate --trace --inject "worker-exit rank-2 at 10m" --scenario "$TMPDIR/const.yaml" "$SEED"
	expect_status 0
	r1=$(at "$RDZV (restart 1 of 3)")
	near "$r1" $(calc "600 + 0.1 + $STOP + $ROUND") || fail "restart at $r1"
'
test_done
