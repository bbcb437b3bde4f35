# lib.sh: helpers for end-to-end scripts (sourced; POSIX sh).
# run CMD...       runs it, keeping status in $status, stdout in $TMPDIR/out, stderr in $TMPDIR/err
# expect_status N  expect_out TEXT  expect_err TEXT  expect_no_out TEXT  fail MSG  pass
#
# Titled checks, as git's test_expect_success: a script made of
#   test_expect_success 'TITLE' '
#       run "$REHEARSE" lint x.yaml
#       expect_status 0
#   '
#   ...
#   test_done
# runs every check even after one fails, prints "ok N - TITLE" or
# "not ok N - TITLE" (with the failing expectation) for each, and test_done
# exits 1 naming the checks that failed. A check runs in a subshell: what
# it must hand to a later check goes in a file under $TMPDIR. Scripts
# without titled checks work as before (the first failure ends them).
set -u
: "${TMPDIR:=/tmp}"
OUT=$TMPDIR/out ERR=$TMPDIR/err
TOP=$(cd "$(dirname "$0")/../.." && pwd)
last=""
run() { "$@" >"$OUT" 2>"$ERR"; status=$?; last="$*"; }
fail() { echo "FAIL: $*"; echo "--- command: $last"; echo "--- stdout:"; head -50 "$OUT"; echo "--- stderr:"; head -50 "$ERR"; exit 1; }
expect_status() { [ "$status" = "$1" ] || fail "status $status, want $1"; }
expect_out() { grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; }
expect_no_out() { ! grep -qF -- "$1" "$OUT" || fail "stdout has: $1"; }
pass() { echo "pass: $0"; exit 0; }

test_count=0 test_failed=0 test_failed_titles=""
test_expect_success() {
	test_count=$((test_count + 1))
	: >"$OUT"; : >"$ERR"
	if (last=""; eval "$2"); then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		test_failed=$((test_failed + 1))
		test_failed_titles="$test_failed_titles
  $test_count - $1"
	fi
}
test_done() {
	if [ "$test_failed" -gt 0 ]; then
		echo "FAIL: $0: $test_failed of $test_count checks failed:$test_failed_titles"
		exit 1
	fi
	echo "pass: $0 ($test_count checks)"
	exit 0
}
# fixed_seed: the seed as `rehearse fix` writes it (its defects repaired: the
# seed as shipped fails in simulate, as it would on the cluster); prints its path
fixed_seed() {
	"$REHEARSE" fix -q -o "$TMPDIR/seed-fixed.yaml" "$SHARED/seed/fine-tune-llama.yaml" 2>/dev/null
	echo "$TMPDIR/seed-fixed.yaml"
}
