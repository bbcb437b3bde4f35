# t0600: `rehearse simulate` runs the seed on the bundled 4-node scenario.
# As shipped, the seed fails the way the cluster would fail it: its helper
# container cannot start (`bash -c` as one argv element) 12 s in, and the
# summary names the rule and the line and what had been burned. As `rehearse
# fix` writes it, it runs to the end: every rank on its own V100 node,
# training after etcd and the LoadBalancer IP, the exit handler deleting
# etcd; JSON agrees with text.
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml
SHIPPED=$SHARED/seed/fine-tune-llama.yaml
SEED=$(fixed_seed)

test_expect_success 'the seed as shipped fails at its helper'\''s StartError, the summary naming the rule, the line and what was burned' '
	run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$SHIPPED"
	expect_status 1
	expect_out "status                      Failed"
	expect_out "first failure, at "
	expect_out "wait-for-etcd-load-balancer-ip"
	expect_out "StartError: command '\''bash -c'\'' is one argv element"
	expect_out "why: $SHARED/seed/fine-tune-llama.yaml:127:9 [pod-argv-space]"
	grep -q '\''^  burned by then: [0-9.]* GPU-hours, \$[0-9.]* of node time; the whole run: '\'' "$OUT" || fail "no money burned"
'

test_expect_success 'the ranks never start: their task depends on the step that failed' '
	run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$SHIPPED"
	grep -q "Omitted      finetune-rank-0" "$OUT" || fail "rank 0 should be omitted"
'

test_expect_success 'the failure comes after the helper pod'\''s image pull, well before any training' '
	run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$SHIPPED"
	t=$(sed -n '\''s/^first failure, at \([0-9.]*\) s.*/\1/p'\'' "$OUT")
	awk -v t="$t" '\''BEGIN { exit !(t > 3 && t < 60) }'\'' || fail "first failure at $t s"
'

test_expect_success 'the summary warns that a re-run on the same etcd data finds the rendezvous closed' '
	run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$SHIPPED"
	expect_out "a re-run with the same etcd data would find the last run'\''s rendezvous closed"
'

test_expect_success 'JSON names the failure'\''s rule and line' '
	run timeout 60 "$REHEARSE" simulate --format json --scenario "$S4" "$SHIPPED"
	expect_status 1
	expect_out '\''"rule":	"pod-argv-space"'\''
	expect_out '\''"line":	127'\''
'

test_expect_success 'the fixed seed succeeds with four ranks, each on its own V100 node' '
	run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$SEED"
	expect_status 0
	expect_out "scenario gke-v100-4node"
	expect_out "torchrun fan-out: 4 nodes"
	for r in 0 1 2 3; do
		grep -q "Succeeded    finetune-rank-$r .*gpu-v100-[0-3] (us-central1-a)" "$OUT" ||
			fail "rank $r did not run on a V100 node"
	done
	# four ranks on four distinct nodes (each asks for all 4 GPUs of a node)
	[ "$(grep -o '\''finetune-rank-[0-3] *gpu-v100-[0-9]'\'' "$OUT" | awk '\''{print $2}'\'' | sort -u | wc -l)" = 4 ] ||
		fail "ranks share a node"
	expect_out "status                      Succeeded"
	expect_out "delete-etcd-pod"
'

test_expect_success 'the first training step comes after the LB wait ends and before the makespan' '
	run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$SEED"
	first=$(awk '\''/time to first training step/ {print $6}'\'' "$OUT")
	echo "$first" >"$TMPDIR/first-step"
	lbend=$(awk '\''/wait-for-etcd-load-balancer-ip/ {print $2; exit}'\'' "$OUT")
	span=$(awk '\''/^  makespan/ {print $2}'\'' "$OUT")
	awk -v f="$first" -v l="$lbend" -v s="$span" '\''BEGIN { exit !(f > l && f < s) }'\'' ||
		fail "first step $first not between LB wait end $lbend and makespan $span"
'

test_expect_success 'JSON agrees with text: the status, the ranks, the first step' '
	run timeout 60 "$REHEARSE" simulate --format json --scenario "$S4" "$SEED"
	expect_status 0
	expect_out '\''"status":	"Succeeded"'\''
	expect_out '\''"name":	"finetune-rank-3"'\''
	first=$(cat "$TMPDIR/first-step")
	jfirst=$(sed -n '\''s/.*"first_step_s":[^0-9]*\([0-9.]*\).*/\1/p'\'' "$OUT")
	[ -n "$first" ] && [ -n "$jfirst" ] || fail "first step: text '\''$first'\'', json '\''$jfirst'\''"
	awk -v a="$first" -v b="$jfirst" '\''BEGIN { d = a - b; exit !(d < 0.06 && d > -0.06) }'\'' ||
		fail "json first step $jfirst differs from text $first"
'

test_expect_success 'the fixed seed: no failure, the headless Service created, the exit handler succeeds' '
	run timeout 60 "$REHEARSE" simulate --scenario "$S4" "$SEED"
	expect_no_out "first failure"
	expect_out "create-etcd-headless-service"
	grep -q "Succeeded    delete-etcd-pod" "$OUT" || fail "the fixed exit handler did not succeed"
'

test_expect_success 'no --scenario is a usage error (exit 2)' '
	run "$REHEARSE" simulate "$SHIPPED"
	expect_status 2
	expect_err "--scenario FILE is required"
'

test_done
