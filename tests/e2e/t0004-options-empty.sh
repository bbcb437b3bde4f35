# t0004: every command takes its options anywhere (GNU order) and `--` ends
# them; lint of nothing (an empty file, an empty directory, empty stdin) is
# not a pass; --help marks commands that are not built.
. "$(dirname "$0")/lib.sh"
SEED=$TOP/scenarios/fine-tune-llama.yaml
SCN=$TOP/scenarios/gke-v100-1node.yaml

test_expect_success 'options after the positional arguments, on each command' '
	run "$REHEARSE" simulate "$SEED" --scenario "$SCN" --format json
	expect_out '\''"status"'\''
	[ "$status" = 0 ] || [ "$status" = 1 ] || fail "simulate with options after the workflow exited $status"
	run "$REHEARSE" lint "$SEED" --format=json --select torchrun; expect_out '\''"findings"'\''; expect_no_out '\''"rule":	"k8s-'\''
	run "$REHEARSE" fix "$SEED" -q -o "$TMPDIR/f.yaml"; [ -s "$TMPDIR/f.yaml" ] || fail "fix with options after the file wrote nothing"
	run "$REHEARSE" model --gpu h100 --model llama2-7b --format json; expect_status 0
	run "$REHEARSE" rules pod-no-shm --help; expect_status 0; expect_out "usage: rehearse rules"
'

test_expect_success 'short options cluster and take attached values (-qoFILE)' '
	run "$REHEARSE" fix -q -o "$TMPDIR/f.yaml" "$SEED"
	run "$REHEARSE" fix -qo"$TMPDIR/g.yaml" "$SEED"; cmp -s "$TMPDIR/f.yaml" "$TMPDIR/g.yaml" || fail "-qoFILE differs from -q -o FILE"
'

test_expect_success '`--` ends the options: what follows is a file, even if it looks like one' '
	cp "$SEED" "$TMPDIR/--strict"; cd "$TMPDIR" || fail "cd"
	run "$REHEARSE" lint --format json -- --strict; expect_out '\''"files":	1'\''
	run "$REHEARSE" lint -- --no-such-file; expect_status 2; expect_err "--no-such-file"
'

test_expect_success 'errors name the option' '
	run "$REHEARSE" simulate "$SEED" --bogus;           expect_status 2; expect_err "unknown option '\''--bogus'\''"
	run "$REHEARSE" simulate "$SEED" --scenario;        expect_status 2; expect_err "'\''--scenario'\'' wants a value"
	run "$REHEARSE" lint --strict=yes "$SEED";          expect_status 2; expect_err "takes no value"
	run "$REHEARSE" lint --s "$SEED";                   expect_status 2; expect_err "ambiguous option '\''--s'\''"
	run "$REHEARSE" fix "$SEED" "$SEED";                expect_status 2; expect_err "one file at a time"
'

test_expect_success 'nothing to lint: exit 2 with a reason, unless --allow-empty' '
	: > "$TMPDIR/empty.yaml"; mkdir -p "$TMPDIR/none"
	printf '\''apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'\'' > "$TMPDIR/cm.yaml"
	run "$REHEARSE" lint "$TMPDIR/empty.yaml";          expect_status 2; expect_err "no workflow found"
	run "$REHEARSE" lint "$TMPDIR/none";                expect_status 2; expect_err "no workflow found: no *.yaml"
	run "$REHEARSE" lint "$TMPDIR/cm.yaml";             expect_status 2; expect_err "in the 1 file read"
	run sh -c "\"$REHEARSE\" lint - </dev/null";        expect_status 2; expect_err "no workflow found"
	run sh -c "\"$REHEARSE\" lint - --allow-empty </dev/null"; expect_status 0
	run "$REHEARSE" lint --allow-empty "$TMPDIR/none";  expect_status 0
'

test_expect_success 'a file that does not load is an error finding, not "empty"' '
	printf '\''a: [\n'\'' > "$TMPDIR/broken.yaml"
	run "$REHEARSE" lint "$TMPDIR/broken.yaml";         expect_status 1; ! grep -q "no workflow found" "$ERR" || fail "broken file called empty"
'

test_expect_success '--help marks what is not built: every command is built now' '
	run "$REHEARSE" --help; expect_out "sweep "
	! grep -E '\''^  (lint|simulate|compare|sweep|plan) .*not built'\'' "$OUT" || fail "a built command marked not built"
'

test_done
