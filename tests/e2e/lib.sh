# lib.sh: helpers for end-to-end scripts (sourced; POSIX sh).
# run CMD...       runs it, keeping status in $status, stdout in $TMPDIR/out, stderr in $TMPDIR/err
# expect_status N  expect_out TEXT  expect_err TEXT  expect_no_out TEXT  fail MSG  pass
set -u
: "${TMPDIR:=/tmp}"
OUT=$TMPDIR/out ERR=$TMPDIR/err
TOP=$(cd "$(dirname "$0")/../.." && pwd)
run() { "$@" >"$OUT" 2>"$ERR"; status=$?; last="$*"; }
fail() { echo "FAIL: $*"; echo "--- command: $last"; echo "--- stdout:"; head -50 "$OUT"; echo "--- stderr:"; head -50 "$ERR"; exit 1; }
expect_status() { [ "$status" = "$1" ] || fail "status $status, want $1"; }
expect_out() { grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; }
expect_no_out() { ! grep -qF -- "$1" "$OUT" || fail "stdout has: $1"; }
pass() { echo "pass: $0"; exit 0; }
