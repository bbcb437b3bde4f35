#!/bin/sh
# Folders depend one way: cli -> reports -> sim -> validate -> model -> document.
# No file includes a header of a folder above its own.
. "$(dirname "$0")/lib.sh"
rank() {
	case $1 in
	document) echo 0 ;; model) echo 1 ;; validate) echo 2 ;;
	sim) echo 3 ;; reports) echo 4 ;; cli) echo 5 ;; *) echo 9 ;;
	esac
}

test_expect_success 'includes point one way: cli -> reports -> sim -> validate -> model -> document' '
	bad=0
	for dir in document model validate sim reports cli; do
		[ -d "$TOP/$dir" ] || fail "folder $dir missing"
		mine=$(rank $dir)
		for f in "$TOP/$dir"/*.[ch]; do
			for inc in $(sed -n "s/^#include \"\([a-z]*\)\/.*/\1/p" "$f"); do
				if [ "$(rank "$inc")" -gt "$mine" ]; then
					echo "$dir/$(basename "$f") includes a header of $inc/ (above $dir/)"
					bad=1
				fi
			done
		done
	done
	[ $bad -eq 0 ]
'

test_expect_success 'the document layer holds the parsing of the file' '
	for f in arena diag yaml workflow quantity torchrun depends rescale; do
		[ -f "$TOP/document/$f.c" ] || fail "document/$f.c missing"
	done
'

test_expect_success 'the fixer has no loop: the engine knows no pass, the catalogue no driver' '
	! grep -l "#include \"validate/fixes.h\"" "$TOP"/validate/fix_edit.[ch] || fail "the engine includes the catalogue"
	! grep -l "fix_run\|fix_result" "$TOP"/validate/fixes*.c || fail "the catalogue calls the driver"
'
test_expect_success 'README names every .c file in How it fits together' '
	section=$(sed -n "/^## How it fits together/,/^## /p" "$TOP/README.md")
	[ -n "$section" ] || fail "README has no How it fits together section"
	missing=0
	for dir in document model validate sim reports cli; do
		for f in "$TOP/$dir"/*.c; do
			name="$dir/$(basename "$f")"
			if ! printf "%s\n" "$section" | grep -qF "\`$name\`"; then
				echo "README: How it fits together does not name $name"
				missing=1
			fi
		done
	done
	[ $missing -eq 0 ]
'
test_done
