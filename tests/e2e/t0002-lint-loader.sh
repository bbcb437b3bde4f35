# t0002: `rehearse lint` on good, broken and unreadable input: formats, positions, exit codes.
. "$(dirname "$0")/lib.sh"

printf 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  entrypoint: main\n  templates: [\n' >"$TMPDIR/bad.yaml"
printf 'a: 1\nb: [x,\n' >"$TMPDIR/caret.yaml"
printf '{"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "spec": {"entrypoint": "m", "templates": [{"name": "m", "container": {"image": "alpine:3.19"}}]}}' >"$TMPDIR/w.json"
# A billion-laughs file.
{
	echo 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'
	i=1
	while [ $i -lt 10 ]; do
		p=$((i - 1))
		echo "a$i: &a$i [*a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p, *a$p]"
		i=$((i + 1))
	done
} >"$TMPDIR/lol.yaml"

test_expect_success 'the seed scenario lints (exit 0 or 1) and one file is counted' '
	run "$REHEARSE" lint "$TOP/scenarios/fine-tune-llama.yaml"
	[ "$status" = 0 ] || [ "$status" = 1 ] || fail "lint of the seed exited $status"
	expect_out "in 1 file"
'

test_expect_success 'broken YAML: exit 1, an error at file:line:col, the summary' '
	run "$REHEARSE" lint "$TMPDIR/bad.yaml"
	expect_status 1
	expect_out "$TMPDIR/bad.yaml:6:1: error:"
	expect_out "[yaml-syntax]"
	expect_out "1 error, 0 warnings"
'

test_expect_success 'JSON output is one object with the finding'\''s fields' '
	run "$REHEARSE" lint --format json "$TMPDIR/bad.yaml"
	expect_status 1
	expect_out "\"version\":	1"
	expect_out "\"rule\":	\"yaml-syntax\""
	expect_out "\"line\":	6"
'

test_expect_success 'source line and caret under the finding, with a hint' '
	run "$REHEARSE" lint "$TMPDIR/caret.yaml"
	expect_status 1
	expect_out "    3 | "
	expect_out "= hint: "
'

test_expect_success 'a missing file is an I/O error (2); the other files are still checked' '
	run "$REHEARSE" lint /nonexistent.yaml "$TMPDIR/bad.yaml"
	expect_status 2
	expect_err "/nonexistent.yaml: No such file or directory"
	expect_out "[yaml-syntax]"
'

test_expect_success 'JSON input on standard input' '
	run sh -c "\"$REHEARSE\" lint - < \"$TMPDIR/w.json\""
	expect_status 0
'

test_expect_success 'a directory: recursing into *.yaml/*.yml/*.json only' '
	mkdir -p "$TMPDIR/d/sub"
	cp "$TMPDIR/w.json" "$TMPDIR/d/sub/a.json"
	cp "$TMPDIR/bad.yaml" "$TMPDIR/d/b.yml"
	echo "not: [yaml" >"$TMPDIR/d/notes.txt"
	run "$REHEARSE" lint "$TMPDIR/d"
	expect_status 1
	expect_out "in 2 files"
	expect_out "b.yml:6:1"
'

test_expect_success 'a billion-laughs file is refused with a finding, not a crash' '
	run "$REHEARSE" lint "$TMPDIR/lol.yaml"
	expect_status 1
	expect_out "[yaml-alias-bomb]"
'

test_expect_success 'usage errors exit 2; --help exits 0' '
	run "$REHEARSE" lint;                  expect_status 2; expect_err "no files given"
	run "$REHEARSE" lint --bogus x.yaml;   expect_status 2; expect_err "unknown option"
	run "$REHEARSE" lint --format xml x;   expect_status 2; expect_err "unknown format"
	run "$REHEARSE" lint --help;           expect_status 0; expect_out "usage: rehearse lint"
'
test_done
