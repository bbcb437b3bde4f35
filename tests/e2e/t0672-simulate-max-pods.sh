# t0672: a node runs at most 110 pods at once (the kubelet's --max-pods
# default, which GKE Standard keeps), and scoring never counts a node's
# free share below 0 (kube-scheduler's LeastAllocated), so request-less
# pods past a node's size neither pile onto one node nor wait forever.
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml

# wide N: a DAG of N independent request-less tasks of 600 s each
wide() {
	python3 - "$1" <<-PY
	import sys
	print("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: wide-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks:")
	for i in range(int(sys.argv[1])):
	    print("      - {name: t%d, template: work}" % i)
	print("  - name: work\n    container: {image: busybox, command: [sleep, \"600\"]}")
	PY
}

test_expect_success '1500 tasks on 3 CPU nodes: 330 at a time, 5 waves of 600 s, all Succeeded' '
	wide 1500 >"$TMPDIR/wide.yaml"
	run timeout 120 "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/wide.yaml"
	expect_status 0
	expect_out "status                      Succeeded"
	[ "$(awk "\$4 == \"Succeeded\" && \$5 ~ /^t[0-9]/" "$OUT" | wc -l)" = 1500 ] || fail "not 1500 tasks succeeded"
	m=$(sed -n "s/^  makespan *\([0-9.]*\) s.*/\1/p" "$OUT")
	awk -v m="$m" "BEGIN { exit !(m >= 3000 && m < 3600) }" || fail "makespan $m s, want 5 waves of 600 s"
'

test_expect_success '300 tasks fit at once (under 330): one wave' '
	wide 300 >"$TMPDIR/w300.yaml"
	run timeout 120 "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/w300.yaml"
	expect_status 0
	m=$(sed -n "s/^  makespan *\([0-9.]*\) s.*/\1/p" "$OUT")
	awk -v m="$m" "BEGIN { exit !(m >= 600 && m < 1200) }" || fail "makespan $m s, want one wave"
	for n in 0 1 2; do
		c=$(awk -v n="default-pool-$n" "\$4 == \"Succeeded\" && \$6 == n" "$OUT" | wc -l)
		[ "$c" -ge 90 ] && [ "$c" -le 110 ] || fail "default-pool-$n ran $c tasks, want about a third"
	done
'

test_done
