# t0290: what lint prints is safe to print. A binary file's bytes and
# control characters in a YAML string are escaped (\xHH), never written raw
# to the terminal or a CI log, in any format; a Secret's data and the
# literal value of an env variable also taken from a secretKeyRef appear in
# no format, not even in the source excerpt (masked with '*').
. "$(dirname "$0")/lib.sh"
no_raw_controls() { # true only if python3 read the file and found no control byte but tab and newline
	[ "$(python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
print("raw" if any(c < 32 and c not in (9, 10) or c == 127 for c in b) else "clean")' "$1")" = clean ]
}
head -c 4096 "$REHEARSE" >"$TMPDIR/binary.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a\\x1b[2Jb\\x07"}\ndata:\n  x: \033[31mred\n' >"$TMPDIR/esc.yaml"

test_expect_success 'a binary file and control characters in YAML: no raw control byte on stdout or stderr, in any format' '
	for f in text json sarif github; do
		for in in binary esc; do
			run "$REHEARSE" lint --format $f "$TMPDIR/$in.yaml"
			[ "$status" = 1 ] || [ "$status" = 2 ] || fail "$f $in: status $status"
			no_raw_controls "$OUT" || fail "$f: raw control bytes on stdout for $in.yaml"
			no_raw_controls "$ERR" || fail "$f: raw control bytes on stderr for $in.yaml"
		done
	done
'

test_expect_success 'a control character is shown escaped (\xHH) and reported as yaml-encoding' '
	run "$REHEARSE" lint "$TMPDIR/esc.yaml"
	expect_out '\''  x: \x1b[31mred'\''
	expect_out '\''error: control characters are not allowed [yaml-encoding]'\''
'

test_expect_success 'a Secret'\''s data and a secretKeyRef variable'\''s literal value: in no format' '
	for f in text json sarif github; do
		run "$REHEARSE" lint --format $f "$TOP/tests/data/secrets.yaml"
		expect_status 0
		for s in hf_SuperSecretToken123 hf_OtherSecretToken456 hf_LiteralLeak789; do
			! grep -q "$s" "$OUT" "$ERR" || fail "$f: secret $s printed"
		done
	done
'

test_expect_success 'the source excerpt masks them with '\''*'\''' '
	run "$REHEARSE" lint "$TOP/tests/data/secrets.yaml"
	expect_out '\''   23 |           token: **********************'\''
	expect_out '\''   31 |       - {name: HF_TOKEN, value: *****************}'\''
	expect_out "key '\''token'\'' appears twice"
'

test_done
