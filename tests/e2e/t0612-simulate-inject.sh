# t0612: what-ifs injected into a run play out as torchrun's elastic agents
# and Kubernetes play them, at the times they would: a worker that exits
# (the whole group restarts, --max-restarts 3 allows three restarts, the
# fourth failure ends every agent), a node lost (connections reset at once,
# the pod is gone after the node grace period, the survivors wait out the
# join timeout for a replacement that never comes), a node that hangs
# (noticed at the NCCL timeout, its pod evicted after NotReady + 300 s).
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed)
# 20 epochs: about 75 minutes of training from t = 516 s
sed 's/^  epochs: 1 .*/  epochs: 20/' "$TOP/scenarios/gke-v100-4node.yaml" >"$TMPDIR/long.yaml"
end_of() { awk -v n="$1" '$5 == n {print $2; exit}' "$OUT"; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 0.05 && d > -0.05) }'; }
between() { awk -v a="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(a >= lo && a <= hi) }'; }

test_expect_success 'with nothing injected the 20-epoch run succeeds' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 0
	base=$(awk '\''/^  makespan/ {print $2}'\'' "$OUT")
	echo "$base" >"$TMPDIR/base.makespan"
'

test_expect_success 'worker-exit x4 with --max-restarts 3: four attempts, then every agent exits 1, together' '
	run "$REHEARSE" simulate --inject '\''worker-exit rank-2 at 10m x4'\'' --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 1
	expect_out "first failure, at 600.0 s (0:10:00): fine-tune-llm-sim-finetune-rank-2"
	expect_out "a worker of rank-2 exited with code 1 (--inject)"
	expect_out "worker-group restarts       3"
	expect_out "torchrun: the worker group failed 4 time(s); --max-restarts 3 is used up"
	e=$(end_of finetune-rank-0)
	# each restart: monitor 0.1 s + stop 1 s + rendezvous 1 s + worker start 13-16 s + load 3-10 s,
	# then the exit comes back in the first step; the last failure ends the agents ~2 s later
	between "$e" 650 720 || fail "the agents exited at $e s"
	[ "$(end_of finetune-rank-3)" = "$e" ] || fail "every agent exits together"
'

test_expect_success 'worker-exit x3: three restarts, then training resumes from the start (no checkpoint) and succeeds later' '
	run "$REHEARSE" simulate --inject '\''worker-exit rank-2 at 10m x3'\'' --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 0
	expect_out "worker-group restarts       3"
	base=$(cat "$TMPDIR/base.makespan")
	[ -n "$base" ] || fail "no makespan of the run without injection"
	span=$(awk '\''/^  makespan/ {print $2}'\'' "$OUT")
	awk -v s="$span" -v b="$base" '\''BEGIN { exit !(s > b + 84) }'\'' || fail "x3 makespan $span not past $base + the lost 84 s of training"
'

test_expect_success 'torchrun'\''s default --max-restarts is 0: one failure ends the agents within ~2 s' '
	sed '\''/- --max-restarts/{N;d;}'\'' "$SEED" >"$TMPDIR/norestart.yaml"
	run "$REHEARSE" simulate --inject '\''worker-exit rank-2 at 10m'\'' --scenario "$TMPDIR/long.yaml" "$TMPDIR/norestart.yaml"
	expect_status 1
	expect_out "failed 1 time(s); --max-restarts 0 is used up"
	near "$(end_of finetune-rank-1)" 602.1 || fail "agents exited at $(end_of finetune-rank-1), not 600 + 0.1 + 1 + 1"
'

test_expect_success 'node-loss: connections reset at once, the pod gone 40 s later, the survivors fail at the join timeout' '
	# node-loss: survivors fail at once and rendezvous again; the lost pod is gone 40 s later;
	# nothing replaces it, so they fail at the join timeout (600 s after 1800 + 1.1)
	run "$REHEARSE" simulate --inject '\''node-loss rank-1 at 30m'\'' --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 1
	expect_out "node gpu-v100-1 lost (--inject)"
	expect_out "connection reset by peer"
	near "$(end_of finetune-rank-1)" 1840.0 || fail "lost pod ended at $(end_of finetune-rank-1)"
	expect_out "node gpu-v100-1 is gone: the pod was deleted with it"
	near "$(end_of finetune-rank-0)" 2401.1 || fail "survivor ended at $(end_of finetune-rank-0)"
	expect_out "RendezvousTimeoutError"
'

test_expect_success 'node-hang: noticed at the NCCL timeout, the pod evicted after NotReady + 300 s, the survivors wait out the join timeout' '
	# node-hang: nothing notices until the NCCL timeout (600 s); Kubernetes evicts
	# the pod after NotReady (40 s) + the 300 s toleration; the survivors then
	# wait out the join timeout for the hung node
	run "$REHEARSE" simulate --inject '\''node-hang rank-0 at 1h'\'' --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 1
	expect_out "4200.0 s  fine-tune-llm-sim-finetune-rank-0: workers failed (attempt 1 of 4): NCCL watchdog"
	near "$(end_of finetune-rank-0)" 3940.0 || fail "hung pod evicted at $(end_of finetune-rank-0)"
	expect_out "NotReady; pod evicted after the 300 s not-ready toleration"
	near "$(end_of finetune-rank-2)" 4801.1 || fail "survivor ended at $(end_of finetune-rank-2)"
'

test_expect_success 'an injection that hits nothing says so, and the run succeeds' '
	run "$REHEARSE" simulate --inject '\''node-loss rank-7 at 30m'\'' --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 0
	expect_out "rank-7 is not running then; nothing happens"
'

test_expect_success 'an unknown kind of injection is a usage error naming the kinds' '
	run "$REHEARSE" simulate --inject '\''node-melt rank-1 at 30m'\'' --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 2
	expect_err "'\''node-melt'\'' is not node-loss, node-hang, worker-exit, pod-kill, preempt or join-late"
'

test_expect_success 'a time that is not a time is a usage error' '
	run "$REHEARSE" simulate --inject '\''node-loss rank-1 at soon'\'' --scenario "$TMPDIR/long.yaml" "$SEED"
	expect_status 2
	expect_err "is not a time"
'

test_done
