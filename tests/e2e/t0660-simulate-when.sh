# t0660: `when` conditions are evaluated as Argo does (govaluate after
# substitution, {{=...}} expr-lang inside); a task whose condition Argo
# cannot evaluate errors; a result only a real run knows (a coin flip) is
# drawn per run from the values the `when`s compare it with, so the corpus'
# recursive coin flips end as they do in Argo, differently per seed and
# the same for one seed.
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml
C=$SHARED/corpus/argo-examples

cat >"$TMPDIR/when.yaml" <<'EOF'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: when-}
spec:
  entrypoint: main
  arguments:
    parameters:
    - {name: n, value: "5"}
    - {name: mode, value: fast}
    - {name: should-print, value: "true"}
  templates:
  - name: main
    steps:
    - - {name: big, template: echo, when: "{{workflow.parameters.n}} > 3"}
      - {name: small, template: echo, when: "{{workflow.parameters.n}} <= 3"}
      - {name: nine, template: echo, when: "{{workflow.parameters.n}} > 9"}
      - {name: fast-or-slow, template: echo, when: "( {{workflow.parameters.mode}} == fast || {{workflow.parameters.mode}} == slow ) && !(1 == 2)"}
      - {name: regex, template: echo, when: "{{workflow.parameters.mode}} =~ '^fa'"}
      - {name: expr-true, template: echo, when: "{{= workflow.parameters['should-print'] == 'true' && asInt(workflow.parameters.n) == 5 }}"}
      - {name: expr-false, template: echo, when: "{{=asInt(workflow.parameters.n) < 5}}"}
  - name: echo
    container: {image: busybox, command: [echo, hi]}
EOF

test_expect_success 'known values: each when decides, none is taken as true' '
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/when.yaml"
	expect_status 0
	for t in big fast-or-slow regex expr-true; do
		awk -v t=$t "\$5 == t" "$OUT" | grep -q Succeeded || fail "$t did not run"
	done
	for t in small nine expr-false; do
		awk -v t=$t "\$5 == t" "$OUT" | grep -q Skipped || fail "$t was not skipped"
	done
	expect_no_out "taken as true"
'

test_expect_success 'a condition Argo cannot evaluate errors the task, with why' '
	sed "s/when: \"{{workflow.parameters.n}} > 9\"/when: \"{{workflow.parameters.mode}} > 9\"/" \
		"$TMPDIR/when.yaml" >"$TMPDIR/bad.yaml"
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/bad.yaml"
	expect_status 1
	awk "\$5 == \"nine\"" "$OUT" | grep -q Error || fail "nine did not error"
	expect_out "invalid '"'"'when'"'"' expression '"'"'fast > 9'"'"': ordering compares two numbers or two strings"
'

test_expect_success 'coinflip-recursive ends, the draw said as an assumption' '
	run "$REHEARSE" simulate --scenario "$S4" "$C/coinflip-recursive.yaml"
	expect_status 0
	expect_out "step flip-coin'"'"'s outputs.result of template coinflip: known only when it runs; drawn per run, uniformly from {heads, tails}"
	expect_no_out "nest deeper"
	[ "$(awk "\$5 == \"heads\" && \$4 == \"Succeeded\"" "$OUT" | wc -l)" = 1 ] || fail "not exactly one heads ran"
'

test_expect_success 'the number of flips varies with the seed, geometric as in Argo (mean 2)' '
	total=0 kinds=""
	for s in $(seq 1 60); do
		"$REHEARSE" simulate --seed $s --scenario "$S4" "$C/coinflip-recursive.yaml" >"$TMPDIR/s.txt" || fail "seed $s"
		n=$(awk "\$5 == \"flip-coin\"" "$TMPDIR/s.txt" | wc -l)
		total=$((total + n))
		kinds="$kinds $n"
	done
	[ "$(echo $kinds | tr " " "\n" | sort -u | wc -l)" -ge 3 ] || fail "flip counts: $kinds"
	awk -v t=$total "BEGIN { m = t / 60; exit !(m > 1.5 && m < 2.6) }" || fail "mean flips $total/60"
'

test_expect_success 'same seed, same bytes; dag-coinflip ends too' '
	"$REHEARSE" simulate --seed 7 --scenario "$S4" "$C/dag-coinflip.yaml" >"$TMPDIR/a.txt"; a=$?
	"$REHEARSE" simulate --seed 7 --scenario "$S4" "$C/dag-coinflip.yaml" >"$TMPDIR/b.txt"
	[ $a = 0 ] || fail "dag-coinflip status $a"
	cmp -s "$TMPDIR/a.txt" "$TMPDIR/b.txt" || fail "two runs with --seed 7 differ"
	! grep -q "nest deeper" "$TMPDIR/a.txt" || fail "recursion cut off"
'

test_expect_success 'a die rolled until six, a loop counted to a limit, fibonacci: all end' '
	for f in "$SHARED/corpus/hera-examples/workflows/dags/recursive-dag.yaml" "$C/recursive-for-loop.yaml" \
		 "$C/fibonacci-seq-conditional-param.yaml"; do
		run "$REHEARSE" simulate --scenario "$S4" "$f"
		expect_status 0
		expect_out "drawn per run"
	done
'

test_expect_success '--trials: every trial ends, makespans spread with the flips' '
	run "$REHEARSE" simulate --trials 100 --seed 3 --scenario "$S4" "$C/coinflip-recursive.yaml"
	expect_status 0
	expect_out "success probability        1.0000 (100 of 100 trials)"
	python3 - "$OUT" <<-"PY" || fail "percentiles"
	import re, sys
	m = re.search(r"makespan \(s\)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)", open(sys.argv[1]).read())
	p50, p90, p99 = map(float, m.groups())
	assert p50 < p90 <= p99, (p50, p90, p99)
	PY
'

test_done
