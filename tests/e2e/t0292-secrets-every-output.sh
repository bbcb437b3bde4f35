# t0292: a Secret's data and the literal value of an env variable also taken
# from a secretKeyRef (tests/data/secrets.yaml) appear in nothing rehearse
# reports, past lint's four formats (t0290): fix's list of changes and of
# the findings left, simulate in text, JSON, --trace and --html, compare in
# every format. fix's output itself (standard output, -o, --diff) is the
# workflow, or a patch of it, so it keeps the file's bytes: what must be
# applied cannot be masked.
. "$(dirname "$0")/lib.sh"
S4=$TOP/scenarios/gke-v100-4node.yaml
SECRETS="hf_SuperSecretToken123 hf_OtherSecretToken456 hf_LiteralLeak789"
# the same workflow with a fixable defect (bash -c as one argv element)
# next to the literal, so fix has changes to list and a diff to print
sed 's/command: \[sh, -c, "echo hi"\]/command: ["sh -c", "echo hi"]/' "$TOP/tests/data/secrets.yaml" >"$TMPDIR/wf.yaml"
grep -q '"sh -c"' "$TMPDIR/wf.yaml" || { echo "FAIL: no defect planted"; exit 1; }
no_secret() { # no_secret FILE...: none of the secret values in them
	for s in $SECRETS; do
		! grep -q "$s" "$@" || fail "secret $s printed in $*"
	done
}

test_expect_success 'fix: the changes and the findings left name no secret' '
	run "$REHEARSE" fix -o "$TMPDIR/fixed.yaml" "$TMPDIR/wf.yaml" &&
	expect_status 0 &&
	expect_err "fixed [split-argv]" &&
	expect_err "findings that remain in the output" &&
	expect_err "value: *****************}" &&
	no_secret "$ERR" &&
	run "$REHEARSE" fix --diff "$TMPDIR/wf.yaml" &&
	expect_status 0 &&
	no_secret "$ERR" &&
	# the output is the file: the secret is kept, byte for byte
	grep -q "token: hf_SuperSecretToken123" "$TMPDIR/fixed.yaml" || fail "fix changed the Secret"
'

test_expect_success 'simulate: text, JSON, --trace and the HTML report name no secret' '
	for f in text json; do
		run "$REHEARSE" simulate --format $f --scenario "$S4" "$TMPDIR/wf.yaml" &&
		[ "$status" -le 1 ] || fail "simulate --format $f: status $status" &&
		grep -q "Secret/hub" "$OUT" || fail "simulate --format $f does not mention the Secret at all" &&
		no_secret "$OUT" "$ERR" || exit 1
	done &&
	run "$REHEARSE" simulate --trace --scenario "$S4" --html "$TMPDIR/r.html" "$TMPDIR/wf.yaml" &&
	[ "$status" -le 1 ] || fail "status $status" &&
	[ -s "$TMPDIR/r.html" ] || fail "no HTML report" &&
	no_secret "$OUT" "$ERR" "$TMPDIR/r.html"
'

test_expect_success 'compare: text, markdown, JSON name no secret' '
	for f in text markdown json; do
		run "$REHEARSE" compare --format $f --scenario "$S4" "$TMPDIR/wf.yaml" "$TMPDIR/fixed.yaml" &&
		[ "$status" -le 1 ] || fail "compare --format $f: status $status" &&
		no_secret "$OUT" "$ERR" || exit 1
	done
'
test_done
