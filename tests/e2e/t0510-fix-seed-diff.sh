# t0510: the README's review of the seed's fix diff is the real diff: its
# line counts, every hunk header and every line it shows (all but its
# abridgements) come from `rehearse fix -q --diff` on the seed as shipped.
. "$(dirname "$0")/lib.sh"
cp "$SHARED/seed/fine-tune-llama.yaml" "$TMPDIR/seed.yaml"
cd "$TMPDIR" || fail "no TMPDIR"
# the hunk headers of the README's diff block (from its '--- a/seed.yaml' to the fence)
readme_block() { sed -n '/^--- a\/seed.yaml$/,/^```$/p' "$TOP/README.md" | sed '$d'; }
readme_hunks() { readme_block | grep '^@@'; }

test_expect_success 'fix --diff on the seed as shipped' '
	run "$REHEARSE" fix -q --diff seed.yaml
	expect_status 0
	cp "$OUT" seed.diff
'

test_expect_success 'the README gives the diff'\''s line counts and the seed'\''s length' '
	out=$(grep -c "^-" seed.diff); out=$((out - 1))   # less the --- header
	in=$(grep -c "^+" seed.diff); in=$((in - 1))      # less the +++ header
	lines=$(wc -l <seed.yaml)
	grep -qF "$out lines out, $in in," "$TOP/README.md" || fail "README does not say '\''$out lines out, $in in,'\''"
	grep -qF "in a $lines-line file" "$TOP/README.md" || fail "README does not say '\''in a $lines-line file'\''"
'

test_expect_success 'every hunk header the README shows is in the diff' '
	readme_hunks >readme-hunks
	[ -s readme-hunks ] || fail "no hunk headers in the README'\''s seed diff"
	while read -r h; do
		grep -qxF -- "$h" seed.diff || fail "README shows hunk '\''$h'\'', which the diff does not have"
	done <readme-hunks
'

test_expect_success 'every line the README shows is a line of the diff (but its abridgements)' '
	readme_block | grep -v -e "\.\.\." -e "^(the same" >readme-lines
	[ -s readme-lines ] || fail "no lines in the README'\''s seed diff"
	while IFS= read -r l; do
		grep -qxF -- "$l" seed.diff || fail "README shows '\''$l'\'', which the diff does not have"
	done <readme-lines
'

test_expect_success 'the diff applies to the seed and gives fix'\''s output (where patch is installed)' '
	run "$REHEARSE" fix -q -o fixed.yaml seed.yaml
	if command -v patch >/dev/null; then
		patch -s -p1 -o patched.yaml seed.yaml <seed.diff || fail "the diff does not apply with patch -p1"
		cmp -s patched.yaml fixed.yaml || fail "patched seed differs from fix'\''s output"
	fi
'
test_done
