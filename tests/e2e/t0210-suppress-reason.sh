# t0210: `# rehearse:ignore RULE -- reason` on a comment line of its own
# silences that rule in the whole template or container that follows (not
# elsewhere, not other rules), and the reason is reported: JSON
# "suppressed": {"reason"}, SARIF "suppressions" with a justification.
. "$(dirname "$0")/lib.sh"
cat > "$TMPDIR/w.yaml" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: sup-
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: train}
      - {name: b, template: eval}
  # rehearse:ignore pod-latest-always -- the dev cluster rebuilds :latest on every push
  - name: train
    container:
      image: trainer:latest
      imagePullPolicy: Always
  - name: eval
    container:
      image: evaluator:latest
      imagePullPolicy: Always
YAML

test_expect_success 'the marker silences its rule on the template that follows, not the next one; the summary counts it' '
	run "$REHEARSE" lint --strict "$TMPDIR/w.yaml"
	expect_status 1
	expect_out "w.yaml:20:24: warning"
	expect_no_out "w.yaml:16:"
	expect_out "(1 suppressed by rehearse:ignore comments)"
'

test_expect_success 'JSON: the suppressed finding carries its reason' '
	run "$REHEARSE" lint --format json "$TMPDIR/w.yaml"
	python3 - "$OUT" <<-"PY" || fail "JSON does not carry the suppression"
	import json, sys
	f = json.load(open(sys.argv[1]))["findings"]
	s = [x for x in f if "suppressed" in x]
	assert len(s) == 1 and s[0]["line"] == 16, s
	assert s[0]["suppressed"]["reason"] == "the dev cluster rebuilds :latest on every push", s
	assert not any("suppressed" in x for x in f if x["line"] == 20)
	PY
'

test_expect_success 'SARIF: an inSource suppression with the reason as its justification' '
	run "$REHEARSE" lint --format sarif "$TMPDIR/w.yaml"
	python3 - "$OUT" <<-"PY" || fail "SARIF does not carry the suppression"
	import json, sys
	r = json.load(open(sys.argv[1]))["runs"][0]["results"]
	s = [x for x in r if x.get("suppressions")]
	assert len(s) == 1, r
	assert s[0]["suppressions"] == [{"kind": "inSource", "justification": "the dev cluster rebuilds :latest on every push"}], s
	PY
'

test_expect_success 'a marker silences only the rule it names' '
	sed '\''s/pod-latest-always -- /pod-gpu-no-toleration -- /'\'' "$TMPDIR/w.yaml" > "$TMPDIR/other.yaml"
	run "$REHEARSE" lint --format json "$TMPDIR/other.yaml"
	expect_no_out '\''"suppressed"'\''
'

test_expect_success 'GitHub annotations leave suppressed findings out' '
	run "$REHEARSE" lint --format github "$TMPDIR/w.yaml"
	[ "$(grep -c '\''^::warning'\'' "$OUT")" = 1 ] || fail "github format shows a suppressed finding"
'

test_done
