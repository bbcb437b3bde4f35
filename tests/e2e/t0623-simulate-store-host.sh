# t0623: where the rendezvous keeps its store decides what a lost node
# costs. c10d keeps it in the agent on the --rdzv-endpoint host (taken as
# node rank 0): if that node goes, the survivors cannot rendezvous again and
# their agents fail at once, whatever --max-restarts says (only Argo
# restarting every rank pod, a new job with a new store, gets past it). etcd / etcd-v2 keep
# it outside: the survivors wait, up to the join timeout, for a replacement
# pod (which Argo's retryStrategy or a StatefulSet must create).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/elastic.sh"
T=1800
sed "s/^      - etcd-v2\$/      - c10d/" "$TMPDIR/mon1.yaml" >"$TMPDIR/c10d.yaml"
grep -q "^      - c10d\$" "$TMPDIR/c10d.yaml" || { echo "FAIL: edit"; exit 1; }
# a replacement pod for a lost rank: Argo retries the rank step
sed "/^    name: fine-tune-rank-n/a\\    retryStrategy:\\n      limit: 2" "$TMPDIR/mon1.yaml" >"$TMPDIR/retry.yaml"
sed "/^    name: fine-tune-rank-n/a\\    retryStrategy:\\n      limit: 2" "$TMPDIR/c10d.yaml" >"$TMPDIR/c10d-retry.yaml"
grep -q "retryStrategy" "$TMPDIR/c10d-retry.yaml" || { echo "FAIL: edit"; exit 1; }

test_expect_success 'c10d: the store host (rank 0) lost: every survivor fails at once, restarts left or not' '
	run "$REHEARSE" simulate --trace --inject "node-loss rank-0 at ${T}s" --scenario "$TMPDIR/const.yaml" "$TMPDIR/c10d-retry.yaml"
	expect_status 1
	expect_out "c10d keeps its store in the agent of node rank 0"
	expect_out "workers failed (attempt 1 of 4)"
	for k in 1 2 3; do
		e=$(at "pod fine-tune-llm-sim-finetune-rank-$k failed: RendezvousConnectionError: the c10d store")
		near "$e" $(calc "$T + $MON + $STOP") || fail "rank-$k failed at $e, not when it tried to rendezvous again"
	done
	expect_no_out "restart 1 of 3"
'

test_expect_success 'c10d: another node lost: the survivors rendezvous again and wait the join timeout' '
	run "$REHEARSE" simulate --trace --inject "node-loss rank-1 at ${T}s" --scenario "$TMPDIR/const.yaml" "$TMPDIR/c10d.yaml"
	expect_status 1
	expect_no_out "RendezvousConnectionError"
	e=$(at "RendezvousTimeoutError: 3 of 4 nodes joined")
	near "$e" $(calc "$T + $MON + $STOP + $JOIN") || fail "survivors gave up at $e"
'

test_expect_success 'etcd-v2: rank 0 lost is no worse than any other: the survivors wait the join timeout' '
	run "$REHEARSE" simulate --trace --inject "node-loss rank-0 at ${T}s" --scenario "$TMPDIR/const.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	expect_no_out "RendezvousConnectionError"
	e=$(at "RendezvousTimeoutError: 3 of 4 nodes joined")
	near "$e" $(calc "$T + $MON + $STOP + $JOIN") || fail "survivors gave up at $e"
'

test_expect_success 'etcd-v2 with a retryStrategy: a replacement pod joins in time and training resumes' '
	run "$REHEARSE" simulate --trace --inject "pod-kill rank-0 at ${T}s" --scenario "$TMPDIR/const.yaml" "$TMPDIR/retry.yaml"
	expect_status 0
	expect_out "node finetune-rank-0 failed; retry 1 of 2"
	r=$(at "complete: 4 of 4 nodes (restart 1 of 3)")
	ge "$r" "$T" || fail "no rendezvous after the kill"
	ge $(calc "$T + $MON + $STOP + $JOIN") "$r" || fail "the replacement came after the join timeout"
	# the replacement pod is new on the node: it downloads the weights again
	ready=$(awk -v r="$r" "\$1 >= r && /training resumes/ {print \$1; exit}" "$OUT")
	near "$ready" $(calc "$r + $WS + $MODEL_GB * 1000 / $HUB + $ML") || fail "resumed at $ready"
'

test_expect_success 'c10d with a retryStrategy: every survivor fails too; Argo must restart all four pods' '
	run "$REHEARSE" simulate --trace --inject "pod-kill rank-0 at ${T}s" --scenario "$TMPDIR/const.yaml" "$TMPDIR/c10d-retry.yaml"
	expect_status 0
	for k in 1 2 3; do
		e=$(at "pod fine-tune-llm-sim-finetune-rank-$k failed: RendezvousConnectionError: the c10d store")
		near "$e" $(calc "$T + $MON + $STOP") || fail "rank-$k failed at $e"
		expect_out "node finetune-rank-$k failed; retry 1 of 2"
	done
	# with etcd-v2 only the killed rank is retried
	run "$REHEARSE" simulate --trace --inject "pod-kill rank-0 at ${T}s" --scenario "$TMPDIR/const.yaml" "$TMPDIR/retry.yaml"
	expect_status 0
	expect_no_out "node finetune-rank-1 failed; retry"
'
test_done
