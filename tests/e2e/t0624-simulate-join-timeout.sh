# t0624: a node that never joins: the others wait in the rendezvous until
# their join timeout, then fail (RendezvousTimeoutError). The timeout is
# the scenario's (torch's 600 s default) unless --rdzv-conf sets it: the
# dynamic rendezvous (c10d, etcd-v2) reads join_timeout=, the legacy etcd
# backend timeout= (both default to 600 s in torch.distributed.elastic).
# A late node: the early ones idle until it arrives.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/elastic.sh"
conf() { # FILE BACKEND CONF
	sed -e "s/^      - etcd-v2\$/      - $2/" -e "/- --max-restarts/i\\      - --rdzv-conf\\n      - $3" "$TMPDIR/mon1.yaml" >"$1"
	grep -q -- "- $3" "$1" || { echo "FAIL: edit"; exit 1; }
}
# each early agent gives up JOIN_S after it joined
gave_up_after() { # JOIN_S
	for k in 0 1 2; do
		j=$(at "finetune-rank-$k joins rendezvous")
		e=$(at "pod fine-tune-llm-sim-finetune-rank-$k failed: RendezvousTimeoutError")
		near "$e" $(calc "$j + $1") || fail "rank-$k joined at $j, gave up at $e, not $1 s later"
	done
	expect_out "within the join timeout ($1 s)"
}

test_expect_success 'a node that never joins: the others fail at the join timeout' '
	run "$REHEARSE" simulate --trace --inject "join-late rank-3 at never" --scenario "$TMPDIR/const.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	gave_up_after "$JOIN"
	expect_no_out "ranks ready, first training step"
'

test_expect_success 'etcd-v2 and --rdzv-conf join_timeout=300' '
	conf "$TMPDIR/jt.yaml" etcd-v2 join_timeout=300
	run "$REHEARSE" simulate --trace --inject "join-late rank-3 at never" --scenario "$TMPDIR/const.yaml" "$TMPDIR/jt.yaml"
	expect_status 1
	gave_up_after 300
'

test_expect_success 'c10d and --rdzv-conf join_timeout=120' '
	conf "$TMPDIR/c10d.yaml" c10d join_timeout=120
	run "$REHEARSE" simulate --trace --inject "join-late rank-3 at never" --scenario "$TMPDIR/const.yaml" "$TMPDIR/c10d.yaml"
	expect_status 1
	gave_up_after 120
'

test_expect_success 'the legacy etcd backend reads timeout=, not join_timeout= (said)' '
	conf "$TMPDIR/etcd-jt.yaml" etcd join_timeout=300
	run "$REHEARSE" simulate --trace --inject "join-late rank-3 at never" --scenario "$TMPDIR/const.yaml" "$TMPDIR/etcd-jt.yaml"
	expect_status 1
	expect_out "--rdzv-conf join_timeout=300 is not read by the etcd backend (it reads timeout=)"
	gave_up_after "$JOIN"
	conf "$TMPDIR/etcd-t.yaml" etcd timeout=300
	run "$REHEARSE" simulate --trace --inject "join-late rank-3 at never" --scenario "$TMPDIR/const.yaml" "$TMPDIR/etcd-t.yaml"
	expect_status 1
	gave_up_after 300
'

test_expect_success 'a late node: the early ones idle until it comes, then training starts' '
	LATE=600
	run "$REHEARSE" simulate --trace --inject "join-late rank-3 at ${LATE}s" --scenario "$TMPDIR/const.yaml" "$TMPDIR/mon1.yaml"
	expect_status 0
	c=$(at "complete: 4 of 4 nodes")
	near "$c" "$LATE" || fail "rendezvous complete at $c"
	f=$(at "ranks ready, first training step")
	near "$f" $(calc "$LATE + $WS + $MODEL_GB * 1000 / $HUB + $ML") || fail "first step at $f"
	# the early ones idled in the rendezvous from their join until the late one
	# came: the mean over the 4 rank pods of the rendezvous phase
	j0=$(at "finetune-rank-0 joins rendezvous") j1=$(at "finetune-rank-1 joins rendezvous") j2=$(at "finetune-rank-2 joins rendezvous")
	m=$(awk "/^time per phase, mean over 4 torchrun/ {f=1} f && \$1 == \"rendezvous\" {print \$2; exit}" "$OUT")
	near "$m" $(calc "(3 * $LATE - $j0 - $j1 - $j2) / 4") 0.1 || fail "mean rendezvous wait $m"
'

test_expect_success 'a node later than the join timeout: the early ones have given up' '
	run "$REHEARSE" simulate --trace --inject "join-late rank-3 at 20m" --scenario "$TMPDIR/const.yaml" "$TMPDIR/mon1.yaml"
	expect_status 1
	gave_up_after "$JOIN"
'
test_done
