# t0611: lint's error findings play out in `simulate` as the cluster would
# play them, each named with its rule and position: a crash-looping etcd
# (agents wait out the join timeout), a pod the API server refuses (Error,
# retried only by retryPolicy Always/OnError, failing the same way), and a
# workflow Argo refuses at submission.
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml
SEED=$SHARED/seed/fine-tune-llama.yaml

# argv and mounts repaired: etcd crash-loops (peer URL mismatch), the
# ranks wait for a rendezvous that never comes, then fail at the join timeout
python3 - "$SEED" "$TMPDIR/etcd.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("      - bash -c\n", "      - bash\n      - -c\n")
dup = "      - mountPath: /dev/shm\n        name: gpu-comm\n"
s = s.replace(dup + dup, dup)
open(sys.argv[2], "w").write(s)
PY

test_expect_success 'argv and mounts repaired: etcd crash-loops on its peer URL, named with its rule; the ranks never meet' '
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/etcd.yaml"
	expect_status 1
	expect_out "first failure, at "
	expect_out "): etcd-0"
	expect_out "[etcd-peer-url-mismatch]"
	expect_out "CrashLoopBackOff"
	expect_out "RendezvousTimeoutError: 0 of 4 nodes joined within the join timeout (600 s); etcd never served"
'

test_expect_success 'the agents come up after the LB wait, the disk and the image pull (~215 s), then wait out the 600 s join timeout' '
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/etcd.yaml"
	grep -q "rendezvous        600.0 s" "$OUT" || fail "ranks did not wait the 600 s join timeout"
	end=$(awk '\''/finetune-rank-0 / {print $2; exit}'\'' "$OUT")
	awk -v e="$end" '\''BEGIN { exit !(e > 780 && e < 900) }'\'' || fail "rank 0 ended at $end"
'

test_expect_success 'the kubelet'\''s back-off doubles from 10 s to 5 min: 7 restarts in ~13 min' '
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/etcd.yaml"
	grep -q "CrashLoopBackOff (7 restarts)" "$OUT" || fail "restart count"
'

# argv repaired only: the rank template still mounts /dev/shm twice
python3 - "$SEED" "$TMPDIR/mount.yaml" <<'PY'
import sys
s = open(sys.argv[1]).read()
s = s.replace("      - bash -c\n", "      - bash\n      - -c\n")
open(sys.argv[2], "w").write(s)
PY

test_expect_success 'argv repaired only: the rank pods are refused at creation (Error), with the API server'\''s words, the rule and position' '
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/mount.yaml"
	expect_status 1
	grep -q "Error        finetune-rank-0" "$OUT" || fail "rank 0 should end in Error"
	expect_out "pods \"fine-tune-llm-sim-finetune-rank-0\" is invalid: container '\''main'\'' mounts volume '\''gpu-comm'\'' at /dev/shm twice"
	expect_out "[pod-duplicate-mount $TMPDIR/mount.yaml:186:9]"
'

test_expect_success 'the default retryPolicy (OnFailure) does not retry a pod refused at creation' '
	sed '\''s/^    name: fine-tune-rank-n$/    name: fine-tune-rank-n\n    retryStrategy: {limit: 2}/'\'' "$TMPDIR/mount.yaml" >"$TMPDIR/retry1.yaml"
	grep -q '\''retryStrategy: {limit: 2}'\'' "$TMPDIR/retry1.yaml" || fail "edit did not apply"
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/retry1.yaml"
	expect_status 1
	expect_no_out "finetune-rank-0(1)"
'

test_expect_success 'retryPolicy Always retries it, and every attempt is refused the same way' '
	sed '\''s/^    name: fine-tune-rank-n$/    name: fine-tune-rank-n\n    retryStrategy: {limit: 2, retryPolicy: Always}/'\'' "$TMPDIR/mount.yaml" >"$TMPDIR/retry2.yaml"
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/retry2.yaml"
	expect_status 1
	grep -q "Error        finetune-rank-0(2)" "$OUT" || fail "third attempt should be refused too"
'

test_expect_success 'a template that does not exist: Argo refuses the workflow at submission, nothing runs' '
	sed '\''s/^        template: create-ssd-storage-class$/        template: create-ssd-storageclass/'\'' "$SEED" >"$TMPDIR/ref.yaml"
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/ref.yaml"
	expect_status 1
	expect_out "Argo'\''s validation refuses the workflow at submission"
	expect_out "[ref-template]"
	expect_out "makespan                    0.0 s"
'

test_done
