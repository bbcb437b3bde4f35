# t0661: simulate takes the files holding the WorkflowTemplates a workflow
# names (as lint does): a workflowTemplateRef is joined in, a templateRef
# to another file runs the real template (and the templates it calls, in
# its own document), lint's defects in the template file play out; a
# CronWorkflow runs its workflowSpec once, said as an assumption; without
# the file, a workflowTemplateRef is refused with its position.
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml
C=$SHARED/corpus/argo-examples

cat >"$TMPDIR/wf.yaml" <<'EOF'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: train-}
spec:
  workflowTemplateRef: {name: shared-train}
  arguments:
    parameters:
    - {name: epochs, value: "3"}
EOF
cat >"$TMPDIR/tmpl.yaml" <<'EOF'
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: shared-train}
spec:
  entrypoint: main
  arguments:
    parameters:
    - {name: epochs, value: "1"}
  templates:
  - name: main
    steps:
    - - {name: prep, template: echo}
    - - name: train
        template: echo
        when: "{{workflow.parameters.epochs}} > 2"
    - - name: from-lib
        templateRef: {name: lib, template: two, clusterScope: true}
  - name: echo
    container: {image: busybox, command: [echo, hi]}
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterWorkflowTemplate
metadata: {name: lib}
spec:
  templates:
  - name: two
    steps:
    - - {name: first, template: shout}
    - - {name: second, template: shout}
  - name: shout
    container: {image: busybox, command: [echo, LOUD]}
EOF

test_expect_success 'workflowTemplateRef across two files: joined, its arguments win (train runs: epochs 3 > 2)' '
	run "$REHEARSE" simulate "$TMPDIR/wf.yaml" "$TMPDIR/tmpl.yaml" --scenario "$S4"
	expect_status 0
	expect_out "workflowTemplateRef: the workflow runs WorkflowTemplate shared-train (from $TMPDIR/tmpl.yaml)"
	for t in prep train first second; do
		awk -v t=$t "\$5 == t" "$OUT" | grep -q Succeeded || fail "$t did not run"
	done
	expect_no_out "is not in the document"
	expect_no_out "no file given holds it"
'

test_expect_success 'the templateRef runs the real template, its steps in their own document' '
	run "$REHEARSE" simulate "$TMPDIR/wf.yaml" "$TMPDIR/tmpl.yaml" --scenario "$S4"
	expect_status 0
	e=$(awk "\$5 == \"from-lib\" {print \$2}" "$OUT")
	s=$(awk "\$5 == \"second\" {print \$2}" "$OUT")
	[ -n "$e" ] && [ "$e" = "$s" ] || fail "from-lib ends at $e, its last step at $s"
'

test_expect_success 'without the template file: refused with the reference'"'"'s position' '
	run "$REHEARSE" simulate "$TMPDIR/wf.yaml" --scenario "$S4"
	expect_status 2
	expect_err "wf.yaml:5:24: workflowTemplateRef names WorkflowTemplate '"'"'shared-train'"'"', which no file given holds"
	[ ! -s "$OUT" ] || fail "partial output"
'

test_expect_success 'a templateRef whose file is not given: an opaque step, said so' '
	sed "s/clusterScope: true/clusterScope: false/" "$TMPDIR/tmpl.yaml" >"$TMPDIR/tmpl2.yaml"
	run "$REHEARSE" simulate "$TMPDIR/wf.yaml" "$TMPDIR/tmpl2.yaml" --scenario "$S4"
	expect_status 0
	expect_out "from-lib: templateRef lib/two: no file given holds it"
'

test_expect_success 'a defect in the template file plays out, with its position there' '
	sed "s/command: \[echo, hi\]/command: [\"echo hi\"]/" "$TMPDIR/tmpl.yaml" >"$TMPDIR/bad.yaml"
	run "$REHEARSE" simulate "$TMPDIR/wf.yaml" "$TMPDIR/bad.yaml" --scenario "$S4"
	expect_status 1
	expect_out "why: $TMPDIR/bad.yaml:19:"
	expect_out "[pod-argv-space]"
'

test_expect_success 'a CronWorkflow runs its workflowSpec once' '
	run "$REHEARSE" simulate "$C/cron-workflow.yaml" --scenario "$S4"
	expect_status 0
	expect_out "CronWorkflow hello-world: its workflowSpec is simulated once, as one scheduled run (schedule '"'"'* * * * *'"'"'"
'

test_expect_success 'a CronWorkflow whose workflowSpec names a WorkflowTemplate in another file' '
	run "$REHEARSE" simulate "$C/dag-inline-cronworkflow.yaml" --scenario "$S4"
	expect_status 2
	run "$REHEARSE" simulate "$C/dag-inline-cronworkflow.yaml" "$C/dag-inline-workflowtemplate.yaml" --scenario "$S4"
	expect_status 0
	expect_out "CronWorkflow dag-inline: its workflowSpec is simulated once"
	expect_out "the workflow runs WorkflowTemplate dag-inline"
'

test_expect_success 'the corpus'"'"'s ClusterWorkflowTemplate DAG runs its nested templates' '
	run "$REHEARSE" simulate "$C/cluster-workflow-template/cluster-wftmpl-dag.yaml" \
		"$C/cluster-workflow-template/clustertemplates.yaml" --scenario "$S4"
	expect_status 0
	for t in inner-A inner-B inner-C inner-D; do
		awk -v t=$t "\$5 == t" "$OUT" | grep -q Succeeded || fail "$t did not run"
	done
	expect_no_out "no file given holds it"
'

test_expect_success 'only the workflow may be standard input' '
	run "$REHEARSE" simulate "$TMPDIR/wf.yaml" - --scenario "$S4"
	expect_status 2
	expect_err "only the workflow may be standard input"
'

test_done
