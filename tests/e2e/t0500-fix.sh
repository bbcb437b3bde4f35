# t0500: `rehearse fix` end to end: stdout, -o, --in-place, --diff, what it
# says on stderr, and that it never leaves a partial or clobbered file.
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
cp "$SEED" "$TMPDIR/seed.yaml"
sum() { cksum <"$1"; }
before=$(sum "$TMPDIR/seed.yaml")

test_expect_success 'to stdout, changes and input positions on stderr, input untouched' '
	run "$REHEARSE" fix "$TMPDIR/seed.yaml"
	expect_status 0
	expect_out "clusterIP: None"
	expect_out "action: apply"
	expect_err "$TMPDIR/seed.yaml:185:9: fixed [dedupe-mounts]"
	expect_err "fixed [headless-service]"
	expect_err "fixed [exit-cleanup]"
	[ "$(sum "$TMPDIR/seed.yaml")" = "$before" ] || fail "fix wrote over its input"
	cp "$OUT" "$TMPDIR/stdout.yaml"
'

test_expect_success '-o writes the same bytes; fixing them again is a no-op; they lint clean' '
	run "$REHEARSE" fix -q -o "$TMPDIR/fixed.yaml" "$TMPDIR/seed.yaml"
	expect_status 0
	[ ! -s "$OUT" ] || fail "-o also printed to stdout"
	cmp -s "$TMPDIR/fixed.yaml" "$TMPDIR/stdout.yaml" || fail "-o and stdout differ"
	run "$REHEARSE" fix "$TMPDIR/fixed.yaml"
	expect_status 0
	cmp -s "$OUT" "$TMPDIR/fixed.yaml" || fail "fixing the output again changed it"
	run "$REHEARSE" lint "$TMPDIR/fixed.yaml"
	expect_status 0
'

test_expect_success '-o naming the input is refused; --in-place replaces it atomically' '
	run "$REHEARSE" fix -o "$TMPDIR/seed.yaml" "$TMPDIR/seed.yaml"
	expect_status 2
	expect_err "use --in-place"
	[ "$(sum "$TMPDIR/seed.yaml")" = "$before" ] || fail "refused -o still wrote"
	chmod 640 "$TMPDIR/seed.yaml"
	run "$REHEARSE" fix -q --in-place "$TMPDIR/seed.yaml"
	expect_status 0
	cmp -s "$TMPDIR/seed.yaml" "$TMPDIR/fixed.yaml" || fail "--in-place result differs from -o"
	[ "$(stat -c %a "$TMPDIR/seed.yaml")" = 640 ] || fail "--in-place lost the file mode"
	! ls -a "$TMPDIR" | grep -q rehearse- || fail "temporary file left behind"
'

test_expect_success '--diff: a unified diff of input against fix, nothing else; empty when nothing to fix' '
	run "$REHEARSE" fix -q --diff "$SEED"
	expect_status 0
	head -1 "$OUT" | grep -q "^--- a/${SEED#./}" || fail "no diff header naming the file"
	sed -n 2p "$OUT" | grep -q "^+++ b/${SEED#./}" || fail "no +++ header naming the file"
	expect_out "-      action: create"
	expect_out "+      action: apply"
	expect_out "-      - bash -c"
	expect_out "+      - bash"
	run "$REHEARSE" fix -q --diff "$TMPDIR/fixed.yaml"
	expect_status 0
	[ ! -s "$OUT" ] || fail "diff of a fixed file is not empty"
'

test_expect_success '--diff is a patch git apply and patch -p1 take; it changes only what it fixes' '
	mkdir -p "$TMPDIR/repo/wf" && cp "$SEED" "$TMPDIR/repo/wf/seed.yaml" &&
	(cd "$TMPDIR/repo" && "$REHEARSE" fix -q --diff wf/seed.yaml > ../p.diff) || fail "fix --diff"
	if command -v patch >/dev/null; then
		(cd "$TMPDIR/repo" && patch -p1 --dry-run < ../p.diff >/dev/null) || fail "patch -p1 refuses the diff"
	fi
	if command -v git >/dev/null; then
		(cd "$TMPDIR/repo" && git init -q && git apply ../p.diff) || fail "git apply refuses the diff"
		"$REHEARSE" lint "$TMPDIR/repo/wf/seed.yaml" >/dev/null || fail "the patched seed has errors"
	fi
	# the header comment and untouched lines stay: only the fixed lines leave
	grep -q "^-      action: create" "$TMPDIR/p.diff" || fail "the fix is not in the diff"
	! grep -q "^-kind: Workflow" "$TMPDIR/p.diff" || fail "an untouched line was rewritten"
'

test_expect_success 'standard input, and the hera rendering of the seed' '
	run sh -c "\"$REHEARSE\" fix -q - < \"$SHARED/seed/fine-tune-llama.hera-latest.yaml\""
	expect_status 0
	expect_out "name: create-etcd-headless-service"
	expect_out "exec etcd --enable-v2"
'

test_expect_success 'broken input: exit 1 with the position, -o target never created' '
	printf "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  templates: [\n" >"$TMPDIR/bad.yaml"
	run "$REHEARSE" fix -o "$TMPDIR/never.yaml" "$TMPDIR/bad.yaml"
	expect_status 1
	expect_err "bad.yaml:5:1:"
	expect_err "[yaml-syntax]"
	[ ! -e "$TMPDIR/never.yaml" ] || fail "output file created for broken input"
'

test_expect_success 'an unwritable target directory: exit 2, nothing written' '
	run "$REHEARSE" fix -q -o /nonexistent-dir/out.yaml "$SEED"
	expect_status 2
	expect_err "/nonexistent-dir"
'

test_expect_success '--nodes re-scales the fan-out; the result lints clean; options may follow the file' '
	run "$REHEARSE" fix "$SEED" --nodes 1 -o "$TMPDIR/n1.yaml"
	expect_status 0
	expect_err "fixed [rescale]: removed task '\''finetune-rank-3'\'' (rank 3)"
	expect_err "fixed [rescale]: --nnodes 4 changed to 1"
	! grep -q "finetune-rank-1" "$TMPDIR/n1.yaml" || fail "rank 1 still there"
	run "$REHEARSE" lint "$TMPDIR/n1.yaml"
	expect_status 0
	run "$REHEARSE" fix -q --nodes 8 "$TMPDIR/n1.yaml"
	expect_status 0
	expect_out "name: finetune-rank-7"
	expect_out "name: rank-7"
'

test_expect_success 'usage errors exit 2; --list and --help exit 0' '
	run "$REHEARSE" fix;                                  expect_status 2; expect_err "no file given"
	run "$REHEARSE" fix --nodes 0 "$SEED";                expect_status 2; expect_err "--nodes"
	run "$REHEARSE" fix --in-place -o x "$SEED";          expect_status 2
	run "$REHEARSE" fix --in-place -;                     expect_status 2
	run "$REHEARSE" fix /nonexistent.yaml;                expect_status 2; expect_err "No such file"
	run "$REHEARSE" fix --list;                           expect_status 0; expect_out "headless-service"
	run "$REHEARSE" fix --help;                           expect_status 0; expect_out "usage: rehearse fix"
'
test_done
