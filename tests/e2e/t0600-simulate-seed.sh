# t0600: `rehearse simulate` runs the seed on the bundled 4-node scenario to
# the end: every rank on its own V100 node, training after etcd and the
# LoadBalancer IP, the exit handler deleting etcd; JSON agrees with text.
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
S4=$TOP/scenarios/gke-v100-4node.yaml

run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$SEED"
expect_status 0
expect_out "scenario gke-v100-4node"
expect_out "torchrun fan-out: 4 nodes"
for r in 0 1 2 3; do
	grep -q "Succeeded    finetune-rank-$r .*gpu-v100-[0-3] (us-central1-a)" "$OUT" ||
		fail "rank $r did not run on a V100 node"
done
# four ranks on four distinct nodes (each asks for all 4 GPUs of a node)
[ "$(grep -o 'finetune-rank-[0-3] *gpu-v100-[0-9]' "$OUT" | awk '{print $2}' | sort -u | wc -l)" = 4 ] ||
	fail "ranks share a node"
expect_out "status                      Succeeded"
expect_out "delete-etcd-pod"
# the first step comes after the LB wait ends and before the makespan
first=$(awk '/time to first training step/ {print $6}' "$OUT")
lbend=$(awk '/wait-for-etcd-load-balancer-ip/ {print $2; exit}' "$OUT")
span=$(awk '/^  makespan/ {print $2}' "$OUT")
awk -v f="$first" -v l="$lbend" -v s="$span" 'BEGIN { exit !(f > l && f < s) }' ||
	fail "first step $first not between LB wait end $lbend and makespan $span"

run timeout 60 "$REHEARSE" simulate --format json --scenario "$S4" "$SEED"
expect_status 0
expect_out '"status":	"Succeeded"'
expect_out '"name":	"finetune-rank-3"'
jfirst=$(sed -n 's/.*"first_step_s":[^0-9]*\([0-9.]*\).*/\1/p' "$OUT")
awk -v a="$first" -v b="$jfirst" 'BEGIN { d = a - b; exit !(d < 0.06 && d > -0.06) }' ||
	fail "json first step $jfirst differs from text $first"

# the seed as `rehearse fix` writes it (headless Service, apply, per-run
# rendezvous id, cleanup of the etcd claims with --ignore-not-found) runs too
"$REHEARSE" fix -q -o "$TMPDIR/fixed.yaml" "$SEED" || fail "fix failed"
run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/fixed.yaml"
expect_status 0
expect_out "create-etcd-headless-service"
grep -q "Succeeded    delete-etcd-pod" "$OUT" || fail "the fixed exit handler did not succeed"

# usage errors exit 2
run "$REHEARSE" simulate "$SEED"
expect_status 2
expect_err "--scenario FILE is required"
pass
