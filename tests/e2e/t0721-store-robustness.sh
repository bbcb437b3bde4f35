# t0721: the run store under failure, driven through the real binary. A
# sweep killed with SIGKILL mid-run loses no run it committed and leaves
# a store that `runs check` (PRAGMA integrity_check, every run's rows
# counted) passes and that takes more runs; a file-size limit (ulimit -f,
# with SIGXFSZ not ignored by the caller) and a full disk (a small tmpfs,
# where one can be mounted) are reported, naming the file and the cause,
# exit 2, no crash, and every run stored before is the same afterwards;
# --html, --plots and fix -o leave no partial file when writing fails.
. "$(dirname "$0")/lib.sh"
V100=$TOP/scenarios/gke-v100-4node.yaml
FIXED=$(fixed_seed)
# a long sweep: 16 fan-outs x 5 GPU types x on-demand and spot, 2 trials each
BIG="--nodes 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 --gpu v100-16,a100-40,a100-80,h100,l4 --spot --trials 2"

# ulimit -f counts 512-byte blocks in POSIX sh (dash), 1024 in bash: measure it
(ulimit -f 1; trap '' XFSZ; head -c 2048 /dev/zero >"$TMPDIR/block") 2>/dev/null
BLOCK=$(wc -c <"$TMPDIR/block")
[ "$BLOCK" = 512 ] || [ "$BLOCK" = 1024 ] || { echo "FAIL: ulimit -f 1 lets $BLOCK bytes through"; exit 1; }
# blocks N: N bytes in ulimit -f's blocks
blocks() { echo $(( $1 / BLOCK )); }

# runs_count DB: how many runs `rehearse runs list` shows (0 when none yet)
runs_count() {
	"$REHEARSE" runs list --db "$1" 2>/dev/null | sed -n 's/^\([0-9]*\) runs\{0,1\} in .*/\1/p' | grep . || echo 0
}

# kill_round DB N: start the big sweep on DB, wait until at least N runs are
# committed, note them, SIGKILL the sweep; its committed runs must all be
# there afterwards, each whole, and the sweep must not have finished.
kill_round() {
	# shellcheck disable=SC2086
	"$REHEARSE" sweep --db "$1" --scenario "$V100" $BIG "$FIXED" >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ "$(runs_count "$1")" -lt "$2" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
	"$REHEARSE" runs list --db "$1" >"$TMPDIR/before.txt" 2>&1
	kill -9 $pid
	wait $pid
	st=$?
	[ $st = 137 ] || { echo "the sweep was not killed mid-sweep (status $st)"; return 1; }
	run "$REHEARSE" runs check --db "$1"
	expect_status 0
	expect_out "integrity_check ok"
	run "$REHEARSE" runs list --db "$1"
	expect_status 0
	# every run listed before the kill is there, the same row
	sed '$d' "$TMPDIR/before.txt" >"$TMPDIR/before.rows"
	head -n "$(wc -l <"$TMPDIR/before.rows")" "$OUT" | cmp -s - "$TMPDIR/before.rows" ||
		fail "a run committed before the kill is gone or changed"
}

test_expect_success 'SIGKILL mid-sweep, three times: no committed run lost, each whole' '
	kill_round "$TMPDIR/k.db" 3 &&
	kill_round "$TMPDIR/k.db" 12 &&
	kill_round "$TMPDIR/k.db" 25 &&
	n=$(runs_count "$TMPDIR/k.db") &&
	[ "$n" -ge 25 ] || fail "only $n runs after three rounds" &&
	# each run kept both its trials
	run "$REHEARSE" runs export --db "$TMPDIR/k.db" &&
	[ "$(grep -c "\"trial\":" "$OUT")" = $((2 * n)) ] || fail "trials of $n runs: $(grep -c "\"trial\":" "$OUT")" &&
	echo "$n" >"$TMPDIR/k.count"
'

test_expect_success 'after the kills the store takes a whole new sweep' '
	n=$(cat "$TMPDIR/k.count") &&
	run "$REHEARSE" sweep --db "$TMPDIR/k.db" --scenario "$V100" --nodes 1,2,4 --trials 2 "$FIXED" &&
	expect_status 0 &&
	[ "$(runs_count "$TMPDIR/k.db")" = $((n + 3)) ] || fail "want $((n + 3)) runs" &&
	run "$REHEARSE" runs check --db "$TMPDIR/k.db" &&
	expect_status 0 &&
	expect_out "$((n + 3)) runs, each whole"
'

# a store with earlier runs, and its export to compare against afterwards
"$REHEARSE" sweep --db "$TMPDIR/full.db" --scenario "$V100" --nodes 1,2,3,4 --gpu v100-16,h100 "$FIXED" >/dev/null
"$REHEARSE" runs export 1 2 3 4 5 6 7 8 --db "$TMPDIR/full.db" >"$TMPDIR/full.before"

test_expect_success 'a file-size limit mid-sweep: reported, no crash, earlier runs intact' '
	cp "$TMPDIR/full.db" "$TMPDIR/limit.db" &&
	# 64 KiB past the store
	(ulimit -f $(blocks $(( $(wc -c <"$TMPDIR/limit.db") + 65536 ))); exec "$REHEARSE" sweep --db "$TMPDIR/limit.db" --scenario "$V100" $BIG "$FIXED" \
		>"$OUT" 2>"$ERR"); status=$? &&
	expect_status 2 &&
	expect_err "rehearse sweep: $TMPDIR/limit.db: writing a run:" &&
	grep -qi "file too large" "$ERR" || fail "stderr lacks: file too large" &&
	! grep -q "Sanitizer\|core dumped" "$ERR" || fail "a crash" &&
	run "$REHEARSE" runs check --db "$TMPDIR/limit.db" &&
	expect_status 0 &&
	run "$REHEARSE" runs export 1 2 3 4 5 6 7 8 --db "$TMPDIR/limit.db" &&
	cmp -s "$OUT" "$TMPDIR/full.before" || fail "the earlier runs changed"
'

test_expect_success 'a full disk (small tmpfs) mid-sweep: reported, earlier runs intact' '
	mkdir -p "$TMPDIR/mnt" &&
	if ! unshare -rm sh -c "mount -t tmpfs -o size=64k tmpfs \"$TMPDIR/mnt\"" 2>/dev/null; then
		echo "skipped: no tmpfs can be mounted here (unshare -rm; the file-size limit check stands in)"
		exit 0
	fi
	size=$(( $(wc -c <"$TMPDIR/full.db") / 1024 + 96 )) &&
	unshare -rm sh -c "
		mount -t tmpfs -o size=${size}k tmpfs \"$TMPDIR/mnt\" || exit 9
		cp \"$TMPDIR/full.db\" \"$TMPDIR/mnt/runs.db\"
		\"$REHEARSE\" sweep --db \"$TMPDIR/mnt/runs.db\" --scenario \"$V100\" $BIG \"$FIXED\" \
			>\"$TMPDIR/tmpfs.out\" 2>\"$TMPDIR/tmpfs.err\"
		echo \$? >\"$TMPDIR/tmpfs.status\"
		# read on the full disk, then keep a copy for the checks outside
		\"$REHEARSE\" runs list --db \"$TMPDIR/mnt/runs.db\" >\"$TMPDIR/tmpfs.list\" 2>&1
		echo \$? >>\"$TMPDIR/tmpfs.status\"
		cp \"$TMPDIR/mnt/\"runs.db* \"$TMPDIR/\"
	" &&
	cp "$TMPDIR/tmpfs.err" "$ERR" &&
	[ "$(sed -n 1p "$TMPDIR/tmpfs.status")" = 2 ] || fail "status $(cat "$TMPDIR/tmpfs.status")" &&
	expect_err "/mnt/runs.db: writing a run:" &&
	expect_err "disk is full" &&
	[ "$(sed -n 2p "$TMPDIR/tmpfs.status")" = 0 ] || fail "runs list on the full disk: $(cat "$TMPDIR/tmpfs.list")" &&
	run "$REHEARSE" runs check --db "$TMPDIR/runs.db" &&
	expect_status 0 &&
	run "$REHEARSE" runs export 1 2 3 4 5 6 7 8 --db "$TMPDIR/runs.db" &&
	cmp -s "$OUT" "$TMPDIR/full.before" || fail "the earlier runs changed"
'

test_expect_success 'simulate --db on a file-size limit: reported, exit 2, runs intact' '
	cp "$TMPDIR/full.db" "$TMPDIR/sim.db" &&
	# 32 KiB: room for the WAL index (-shm), not for a run in the WAL
	(ulimit -f $(blocks 32768); exec "$REHEARSE" simulate --db "$TMPDIR/sim.db" \
		--scenario "$V100" "$FIXED" >"$OUT" 2>"$ERR"); status=$? &&
	expect_err "writing a run" &&
	expect_status 2 &&
	expect_err "$TMPDIR/sim.db" &&
	grep -qi "file too large" "$ERR" || fail "stderr lacks: file too large" &&
	run "$REHEARSE" runs check --db "$TMPDIR/sim.db" &&
	expect_status 0 &&
	run "$REHEARSE" runs export 1 2 3 4 5 6 7 8 --db "$TMPDIR/sim.db" &&
	cmp -s "$OUT" "$TMPDIR/full.before" || fail "the earlier runs changed"
'

test_expect_success '--html past a file-size limit: an error naming it, no partial file' '
	# half the size of the report: its plots (drawn first, each far smaller) fit, the report does not
	"$REHEARSE" compare --scenario "$V100" --nodes 1,2 --html "$TMPDIR/whole.html" "$FIXED" >/dev/null 2>&1 &&
	(ulimit -f $(blocks $(( $(wc -c <"$TMPDIR/whole.html") / 2 ))); exec "$REHEARSE" compare --scenario "$V100" --nodes 1,2 --html "$TMPDIR/r.html" \
		"$FIXED" >/dev/null 2>"$ERR"); status=$? &&
	expect_status 2 &&
	expect_err "$TMPDIR/r.html" &&
	grep -qi "file too large" "$ERR" || fail "stderr lacks: file too large" &&
	[ -z "$(ls "$TMPDIR" | grep "^r\.html")" ] || fail "left: $(ls "$TMPDIR" | grep "^r\.html")"
'

test_expect_success '--plots past a file-size limit: an error, no partial file' '
	(ulimit -f $(blocks 1024); exec "$REHEARSE" sweep --scenario "$V100" --nodes 1,2 --plots "$TMPDIR/p" \
		"$FIXED" >/dev/null 2>"$ERR"); status=$? &&
	expect_status 2 &&
	grep -qi "file too large" "$ERR" || fail "stderr lacks: file too large" &&
	[ -z "$(ls -A "$TMPDIR/p" | grep tmp)" ] || fail "temporary files left: $(ls -A "$TMPDIR/p")" &&
	for gp in "$TMPDIR"/p/*.gp; do
		[ -e "$gp" ] || continue
		[ "$(tail -n 1 "$gp")" = "set output" ] || fail "$gp is cut short"
		[ -e "${gp%.gp}.dat" ] || fail "$gp without its data"
	done
'

test_expect_success 'fix -o past a file-size limit: an error naming the file, no partial file' '
	(ulimit -f $(blocks 2048); exec "$REHEARSE" fix -q -o "$TMPDIR/o.yaml" "$SHARED/seed/fine-tune-llama.yaml" \
		>/dev/null 2>"$ERR"); status=$? &&
	[ $status != 0 ] || fail "status 0" &&
	[ $status -lt 128 ] || fail "killed by a signal ($status)" &&
	expect_err "$TMPDIR/o.yaml" &&
	grep -qi "file too large" "$ERR" || fail "stderr lacks: file too large" &&
	[ -z "$(ls -A "$TMPDIR" | grep "o\.yaml")" ] || fail "left: $(ls -A "$TMPDIR" | grep "o\.yaml")"
'
test_done
