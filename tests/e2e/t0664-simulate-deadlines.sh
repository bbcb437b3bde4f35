# t0664: deadlines end what can never finish, at the time Argo would.
# spec.activeDeadlineSeconds stops a workflow whose pod can never be
# scheduled (argo-examples timeouts-workflow.yaml: before, the run stopped
# Stuck at 0 s); a template's timeout kills its step; a container that
# says `sleep 1d` runs a day, not container_run's guess.
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml
C=$SHARED/corpus/argo-examples

# the row of task $1 in the timeline: start end duration status
row() { awk -v t="$1" '$5 == t { print $1, $2, $3, $4; exit }' "$OUT"; }

test_expect_success 'activeDeadlineSeconds: an unschedulable pod fails at 30 s, exit 1' '
	run "$REHEARSE" simulate --scenario "$S4" "$C/timeouts-workflow.yaml"
	expect_status 1
	expect_out "status                      Failed"
	expect_out "makespan                    30.0 s"
	expect_out "ran past activeDeadlineSeconds (30 s)"
	[ "$(row "unschedulable(0:1)")" = "0.0 30.0 30.0 Failed" ] || fail "unschedulable(0:1): $(row "unschedulable(0:1)")"
	[ "$(row "sleep-one-day(0:1)")" = "0.0 30.0 30.0 Failed" ] || fail "sleep-one-day(0:1): $(row "sleep-one-day(0:1)")"
	grep -A1 "unschedulable(0:1)" "$OUT" | grep -q "Step exceeded its deadline" || fail "no deadline message"
	expect_no_out "Stuck"
'

test_expect_success 'without the deadline the same workflow stays Stuck, honestly' '
	grep -v activeDeadlineSeconds "$C/timeouts-workflow.yaml" >"$TMPDIR/nodeadline.yaml"
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/nodeadline.yaml"
	expect_status 1
	expect_out "status                      Stuck"
	expect_out "can never be scheduled"
	expect_out "would wait here until someone stops it"
'

test_expect_success 'a template timeout kills its step when its time is up' '
	run "$REHEARSE" simulate --scenario "$S4" "$C/step-level-timeout.yaml"
	expect_status 1
	[ "$(row sleep1)" = "0.0 10.0 10.0 Failed" ] || fail "sleep1: $(row sleep1)"
	[ "$(row sleep2)" = "0.0 10.0 10.0 Failed" ] || fail "sleep2: $(row sleep2)"
	sed "s/value: \"10s\"/value: \"1m30s\"/" "$C/step-level-timeout.yaml" >"$TMPDIR/t90.yaml"
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/t90.yaml"
	expect_status 0
	expect_out "status                      Succeeded"
'

test_expect_success 'sleep 1d runs a day; sleep infinity never ends' '
	cat >"$TMPDIR/sleep.yaml" <<-EOT
	apiVersion: argoproj.io/v1alpha1
	kind: Workflow
	metadata: {generateName: sleepy-}
	spec:
	  entrypoint: main
	  templates:
	  - name: main
	    container: {image: busybox, command: [sh, -c, "echo start; sleep 1d"]}
	EOT
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/sleep.yaml"
	expect_status 0
	d=$(row sleepy-sim | cut -d" " -f3)
	awk -v d="$d" "BEGIN { exit !(d >= 86400 && d < 86400 + 120) }" || fail "duration $d, want a day"
	sed "s/sleep 1d/sleep infinity/; s/entrypoint: main/activeDeadlineSeconds: 3600\n  entrypoint: main/" \
		"$TMPDIR/sleep.yaml" >"$TMPDIR/forever.yaml"
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/forever.yaml"
	expect_status 1
	expect_out "makespan                    3600.0 s"
'

test_done
