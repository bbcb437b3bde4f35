# t0900: installed as users install it. `make install-data` (what `make
# install` runs besides copying the binary) puts the bundled scenarios and
# the calibration set in $(PREFIX)/share/rehearse; the binary, copied to
# $(PREFIX)/bin, finds them from any directory: simulate --scenario NAME,
# model --calib-report; --help says where data is read.
. "$(dirname "$0")/lib.sh"
P=$TMPDIR/prefix
mkdir -p "$P/bin" "$TMPDIR/elsewhere"
cp "$REHEARSE" "$P/bin/rehearse"
cd "$TMPDIR/elsewhere" || fail "cd"
R="env -u SHARED -u REHEARSE_DATA $P/bin/rehearse"

test_expect_success 'make install-data puts the scenarios and the calibration set in PREFIX/share/rehearse' '
	make -s -C "$TOP" install-data PREFIX="$P" SHARED_DIR="$SHARED" >"$OUT" 2>"$ERR" || fail "make install-data"
	[ -f "$P/share/rehearse/scenarios/gke-v100-4node.yaml" ] || fail "scenarios not installed"
	[ -f "$P/share/rehearse/calib/h100.jsonl" ] || fail "calibration set not installed"
'

test_expect_success '--help says data is read first from the installed share directory' '
	run $R --help
	expect_status 0
	expect_out "data (bundled scenarios, calibration) is read from the first of:"
	expect_out "  $(cd "$P/share/rehearse" && pwd -P)"
'

# the bundled seed as `rehearse fix` writes it (as shipped it fails in simulate)
test_expect_success 'from another directory, simulate --scenario NAME runs a bundled scenario' '
	$R fix -q -o "$TMPDIR/fixed.yaml" "$P/share/rehearse/scenarios/fine-tune-llama.yaml" || fail "fix"
	run $R simulate --scenario gke-v100-4node "$TMPDIR/fixed.yaml"
	expect_status 0
	expect_out "on scenario gke-v100-4node (seed 1)"
	run $R simulate --scenario gke-v100-1node.yaml "$TMPDIR/fixed.yaml"
	expect_status 0
	expect_out "re-scaled from 4 to 1 nodes"
'

test_expect_success 'model --calib-report with no file reads the installed calibration set' '
	run $R model --calib-report
	expect_status 0
	expect_out "26 points"
'

test_expect_success 'a name that is no bundled scenario: exit 2, the error says where it looked' '
	run $R simulate --scenario gke-tpu "$P/share/rehearse/scenarios/fine-tune-llama.yaml"
	expect_status 2
	expect_err "gke-tpu: no such file, nor a bundled scenario (scenarios/gke-tpu.yaml) in:"
	expect_err "$(cd "$P/share/rehearse" && pwd -P)"
'

test_expect_success 'REHEARSE_DATA comes first' '
	mkdir -p "$TMPDIR/mine/scenarios"
	sed "s/^scenario: gke-v100-4node/scenario: my-copy/" "$P/share/rehearse/scenarios/gke-v100-4node.yaml" \
		>"$TMPDIR/mine/scenarios/gke-v100-4node.yaml"
	run env -u SHARED REHEARSE_DATA="$TMPDIR/mine" "$P/bin/rehearse" simulate --scenario gke-v100-4node "$TMPDIR/fixed.yaml"
	expect_status 0
	expect_out "on scenario my-copy"
'
test_done
