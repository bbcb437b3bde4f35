# t0294: a resource manifest written as a YAML flow mapping ends in "}}";
# only a "}}" that closes a "{{" is an Argo tag, so the manifest parses
# (it was reported as a YAML syntax error), and a real tag still does.
. "$(dirname "$0")/lib.sh"

wf() { # wf MANIFEST-LINE: a one-step workflow creating that manifest
	printf 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: flow-}\nspec:\n  entrypoint: mk\n  serviceAccountName: maker\n  arguments: {parameters: [{name: n, value: s1}]}\n  templates:\n  - name: mk\n    resource:\n      action: create\n      manifest: |\n        %s\n' "$1"
}

test_expect_success 'a flow-mapping manifest ending in }}: no YAML error' '
	wf "{apiVersion: v1, kind: Service, metadata: {name: s1}, spec: {ports: [{port: 80}]}}" >"$TMPDIR/flow.yaml"
	run "$REHEARSE" lint "$TMPDIR/flow.yaml"
	expect_no_out "yaml-syntax"
	expect_no_out "error:"
'

test_expect_success 'a tag inside a flow mapping still reads as a tag, the mapping'\''s own }} kept' '
	wf "{apiVersion: v1, kind: ConfigMap, metadata: {name: \"{{workflow.parameters.n}}\"}, data: {a: b}}" >"$TMPDIR/tag.yaml"
	run "$REHEARSE" lint "$TMPDIR/tag.yaml"
	expect_no_out "yaml-syntax"
	expect_no_out "error:"
'

test_expect_success 'a manifest that is not YAML is still an error at its position' '
	wf "{apiVersion: v1, kind: Service, metadata: {name: s1}" >"$TMPDIR/bad.yaml"
	run "$REHEARSE" lint "$TMPDIR/bad.yaml"
	expect_status 1
	expect_out "[yaml-syntax]"
'

test_done
