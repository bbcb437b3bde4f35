# t0622: a pod killed, a node preempted with notice or lost: its processes
# end, connections reset, the survivors' collectives fail at once. A node
# that hangs keeps its connections open: noticed only when the collective
# times out (workload.pg_timeout: torch's NCCL default 10 min, or what the
# script's init_process_group(timeout=) sets); Kubernetes marks the node
# NotReady after its grace period (40 s) and evicts the pod after the
# default 300 s not-ready toleration: only then does Argo see the pod fail.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/elastic.sh"
T=1800 NOTICE=60 GRACE=40 EVICT=300
sed "s/^  gpu_rate: .*/&\n  spot_notice: $NOTICE/" "$TMPDIR/const.yaml" >"$TMPDIR/notice.yaml"
grep -q "spot_notice: $NOTICE" "$TMPDIR/notice.yaml" || { echo "FAIL: edit"; exit 1; }
end_of() { awk -v n="$1" '$5 == n {print $2; exit}' "$OUT"; }

# the survivors fail at once, rejoin, and wait the join timeout for a
# replacement that nothing creates (no retryStrategy)
survivors_at_once() {
	expect_out "workers failed (attempt 1 of 4): connection reset by peer"
	f=$(at "workers failed (attempt 1 of 4)")
	near "$f" "$T" || fail "survivors failed at $f, not at once ($T)"
	e=$(at "RendezvousTimeoutError: 3 of 4 nodes joined")
	near "$e" $(calc "$T + $MON + $STOP + $JOIN") || fail "survivors gave up at $e"
}

test_expect_success 'pod killed: SIGTERM, the survivors fail at once, Argo sees the pod end then' '
	run "$REHEARSE" simulate --trace --inject "pod-kill rank-1 at ${T}s" --scenario "$TMPDIR/notice.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	survivors_at_once
	near "$(end_of finetune-rank-1)" "$T" || fail "killed pod ended at $(end_of finetune-rank-1)"
'

test_expect_success 'node preempted with notice: the survivors fail at once, the pod ends with the VM' '
	run "$REHEARSE" simulate --trace --inject "preempt rank-1 at ${T}s" --scenario "$TMPDIR/notice.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	expect_out "$NOTICE s notice (failures.spot_notice)"
	survivors_at_once
	near "$(end_of finetune-rank-1)" $(calc "$T + $NOTICE") || fail "preempted pod ended at $(end_of finetune-rank-1)"
'

test_expect_success 'node lost: the survivors fail at once, the pod is gone after the node grace period' '
	run "$REHEARSE" simulate --trace --inject "node-loss rank-1 at ${T}s" --scenario "$TMPDIR/notice.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	survivors_at_once
	near "$(end_of finetune-rank-1)" $(calc "$T + $GRACE") || fail "lost pod ended at $(end_of finetune-rank-1)"
'

# a hang: nothing happens until the process-group timeout
hang() { # PG_TIMEOUT
	f=$(at "workers failed (attempt 1 of 4): NCCL watchdog")
	near "$f" $(calc "$T + $1") || fail "hang noticed at $f, not $T + $1"
	expect_out "timed out after $1 s (workload.pg_timeout"
	near "$(end_of finetune-rank-0)" $(calc "$T + $GRACE + $EVICT") || fail "hung pod evicted at $(end_of finetune-rank-0)"
	expect_out "NotReady; pod evicted after the $EVICT s not-ready toleration"
	e=$(at "RendezvousTimeoutError: 3 of 4 nodes joined")
	near "$e" $(calc "$T + $1 + $MON + $STOP + $JOIN") || fail "survivors gave up at $e"
}

test_expect_success 'node hang: noticed at the NCCL timeout (10 min), evicted after NotReady + 300 s' '
	run "$REHEARSE" simulate --trace --inject "node-hang rank-0 at ${T}s" --scenario "$TMPDIR/notice.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	hang 600
	# until then, no one noticed
	awk -v t="$T" "\$1 > t && \$1 < t + 600 && /workers failed/ {exit 1}" "$OUT" || fail "a failure before the timeout"
'

test_expect_success 'init_process_group(timeout=30 min): noticed 30 min after the hang' '
	sed "s/^  pg_timeout: .*/  pg_timeout: 1800/" "$TMPDIR/notice.yaml" >"$TMPDIR/pg.yaml"
	run "$REHEARSE" simulate --trace --inject "node-hang rank-0 at ${T}s" --scenario "$TMPDIR/pg.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	hang 1800
'

test_expect_success 'workload.pg_timeout not given: the NCCL default, said' '
	sed "/^  pg_timeout: /d" "$TMPDIR/notice.yaml" >"$TMPDIR/nopg.yaml"
	run "$REHEARSE" simulate --scenario "$TMPDIR/nopg.yaml" "$TMPDIR/mon1.yaml"
	expect_status 0
	expect_out "workload.pg_timeout not given: 600 s"
'
test_done
