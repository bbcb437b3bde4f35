#!/bin/sh
# Run every unit test binary and every end-to-end script; fail if any fails.
# Usage: tests/run.sh BUILD_DIR   (BUILD_DIR holds rehearse and tests/)
# End-to-end scripts get REHEARSE (the binary under test), SHARED (../shared),
# and TMPDIR (a fresh directory removed afterwards).
set -u
dir=$1
top=$(pwd)
REHEARSE=$top/$dir/rehearse
SHARED=${SHARED:-$(cd "$top/../shared" 2>/dev/null && pwd || echo /work/shared)}
export REHEARSE SHARED
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0 fail=0 failed=""
for t in "$dir"/tests/test_*; do
	[ -x "$t" ] || continue
	if "$t" >"$t.log" 2>&1; then pass=$((pass+1)); echo "ok    $(basename "$t")"
	else fail=$((fail+1)); failed="$failed $t"; echo "FAIL  $(basename "$t")"; cat "$t.log"; fi
done
for t in tests/e2e/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	tmp=$(mktemp -d)
	if TMPDIR=$tmp sh "$t" >"$tmp.log" 2>&1; then pass=$((pass+1)); echo "ok    $t"
	else fail=$((fail+1)); failed="$failed $t"; echo "FAIL  $t"; cat "$tmp.log"; fi
	rm -rf "$tmp" "$tmp.log"
done
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
