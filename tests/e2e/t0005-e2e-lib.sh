#!/bin/sh
# The end-to-end harness itself: titled checks keep going after a failure,
# say which one broke, and make the script fail.
. "$(dirname "$0")/lib.sh"
cat >"$TMPDIR/inner.sh" <<'INNER'
. "$LIB"
test_expect_success 'true passes' '
	run true
	expect_status 0
'
test_expect_success 'a wrong status fails this check only' '
	run false
	expect_status 0
'
test_expect_success 'checks after a failure still run' '
	run sh -c "echo hello"
	expect_out hello
'
test_expect_success 'a failing last command fails the check' '
	[ 1 = 2 ]
'
test_done
INNER
mkdir -p "$TMPDIR/inner"
run env LIB="$TOP/tests/e2e/lib.sh" TMPDIR="$TMPDIR/inner" sh "$TMPDIR/inner.sh"
expect_status 1
expect_out "ok 1 - true passes"
expect_out "not ok 2 - a wrong status fails this check only"
expect_out "FAIL: status 1, want 0"
expect_out "ok 3 - checks after a failure still run"
expect_out "not ok 4 - a failing last command fails the check"
expect_out "2 of 4 checks failed:"
expect_out "  2 - a wrong status fails this check only"

cat >"$TMPDIR/green.sh" <<'INNER'
. "$LIB"
test_expect_success 'one' 'run true; expect_status 0'
test_expect_success 'two' 'run sh -c "exit 3"; expect_status 3'
test_done
INNER
run env LIB="$TOP/tests/e2e/lib.sh" TMPDIR="$TMPDIR/inner" sh "$TMPDIR/green.sh"
expect_status 0
expect_out "pass: $TMPDIR/green.sh (2 checks)"
pass
