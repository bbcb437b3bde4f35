# t0291: SARIF from a run with files that cannot be read says so under
# invocations (executionSuccessful false, one toolExecutionNotification per
# file), not as a clean run with zero results; exit status 2.
. "$(dirname "$0")/lib.sh"
SEED=$TOP/scenarios/fine-tune-llama.yaml

test_expect_success 'a file that cannot be read: exit 2, executionSuccessful false, one notification naming it; the rest still checked' '
	run "$REHEARSE" lint --format sarif "$TMPDIR/missing.yaml" "$SEED"
	expect_status 2
	python3 - "$OUT" "$TMPDIR/missing.yaml" <<-"PY" || fail "sarif invocations"
	import json, sys
	run = json.load(open(sys.argv[1]))["runs"][0]
	inv = run["invocations"]
	assert len(inv) == 1 and inv[0]["executionSuccessful"] is False, inv
	notes = inv[0]["toolExecutionNotifications"]
	assert len(notes) == 1, notes
	n = notes[0]
	assert n["level"] == "error" and "No such file" in n["message"]["text"], n
	assert n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("missing.yaml"), n
	assert len(run["results"]) > 0  # the readable file was still checked
	PY
'

test_expect_success 'every file read: one invocation, executionSuccessful true' '
	run "$REHEARSE" lint --format sarif "$SEED"
	expect_status 1
	python3 - "$OUT" <<-"PY" || fail "sarif invocations on a clean read"
	import json, sys
	inv = json.load(open(sys.argv[1]))["runs"][0]["invocations"]
	assert inv == [{"executionSuccessful": True}], inv
	PY
'

test_done
