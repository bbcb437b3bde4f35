#!/bin/sh
# The end-to-end harness itself: titled checks keep going after a failure,
# say which one broke, and make the script fail; every script is made of
# titled checks.
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
cat >"$TMPDIR/green.sh" <<'INNER'
. "$LIB"
test_expect_success 'one' 'run true; expect_status 0'
test_expect_success 'two' 'run sh -c "exit 3"; expect_status 3'
test_done
INNER
mkdir -p "$TMPDIR/inner"

# Scripts not made of titled checks yet, by file name (space-separated);
# drop a name once its script is converted.
untitled=""

# untitled_in DIR: each t[0-9]*.sh of DIR that is not titled checks ending in
# test_done, with why: no test_expect_success, a last line other than
# test_done, or a run/expect_/pass outside any check (the first failure
# there would end the script)
untitled_in() {
	for f in "$1"/t[0-9]*.sh; do
		[ -f "$f" ] || continue
		n=${f##*/}
		grep -q '^test_expect_success ' "$f" || echo "$n: no test_expect_success"
		[ "$(grep -v '^[[:space:]]*$' "$f" | tail -1)" = test_done ] || echo "$n: does not end with test_done"
		! grep -qE '^(run |expect_[a-z_]+ |pass$)' "$f" || echo "$n: an assertion outside any check"
	done
}

test_expect_success 'a failing check fails alone; the others run; the script fails naming it' '
	run env LIB="$TOP/tests/e2e/lib.sh" TMPDIR="$TMPDIR/inner" sh "$TMPDIR/inner.sh"
	expect_status 1
	expect_out "ok 1 - true passes"
	expect_out "not ok 2 - a wrong status fails this check only"
	expect_out "FAIL: status 1, want 0"
	expect_out "ok 3 - checks after a failure still run"
	expect_out "not ok 4 - a failing last command fails the check"
	expect_out "2 of 4 checks failed:"
	expect_out "  2 - a wrong status fails this check only"
'

test_expect_success 'every check passing: exit 0, the count said' '
	run env LIB="$TOP/tests/e2e/lib.sh" TMPDIR="$TMPDIR/inner" sh "$TMPDIR/green.sh"
	expect_status 0
	expect_out "pass: $TMPDIR/green.sh (2 checks)"
'

test_expect_success 'the titled-script guard finds each way a script is not titled checks' '
	mkdir -p "$TMPDIR/guard"
	cp "$TMPDIR/green.sh" "$TMPDIR/guard/t0001-good.sh"
	printf '\''run true\nexpect_status 0\npass\n'\'' >"$TMPDIR/guard/t0002-flat.sh"
	grep -v test_done "$TMPDIR/green.sh" >"$TMPDIR/guard/t0003-nodone.sh"
	{ cat "$TMPDIR/green.sh"; echo "run false"; echo test_done; } >"$TMPDIR/guard/t0004-loose.sh"
	untitled_in "$TMPDIR/guard" >"$TMPDIR/guard.txt"
	! grep -q t0001 "$TMPDIR/guard.txt" || fail "a titled script flagged: $(cat "$TMPDIR/guard.txt")"
	grep -q "^t0002-flat.sh: no test_expect_success" "$TMPDIR/guard.txt" || fail "flat script not flagged"
	grep -q "^t0002-flat.sh: does not end with test_done" "$TMPDIR/guard.txt" || fail "pass not flagged"
	grep -q "^t0003-nodone.sh: does not end with test_done" "$TMPDIR/guard.txt" || fail "missing test_done not flagged"
	grep -q "^t0004-loose.sh: an assertion outside any check" "$TMPDIR/guard.txt" || fail "loose run not flagged"
'

test_expect_success 'every e2e script is titled checks ending in test_done (but those listed untitled)' '
	untitled_in "$TOP/tests/e2e" >"$TMPDIR/untitled.txt"
	for n in $untitled; do
		grep -v "^$n: " "$TMPDIR/untitled.txt" >"$TMPDIR/u.txt"; mv "$TMPDIR/u.txt" "$TMPDIR/untitled.txt"
	done
	[ ! -s "$TMPDIR/untitled.txt" ] || fail "not titled checks: $(cat "$TMPDIR/untitled.txt")"
'

test_done
