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
bad=0
for dir in document model validate sim reports cli; do
	[ -d "$TOP/$dir" ] || fail "folder $dir missing"
	mine=$(rank $dir)
	for f in "$TOP/$dir"/*.[ch]; do
		for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*/\1/p' "$f"); do
			theirs=$(rank "$inc")
			if [ "$theirs" -gt "$mine" ]; then
				echo "$dir/$(basename "$f") includes a header of $inc/ (above $dir/)"
				bad=1
			fi
		done
	done
done
[ $bad -eq 0 ] || { last="layer check"; fail "includes point up"; }
# The document layer holds the parsing of the file; model/ holds world models only.
for f in arena diag yaml workflow quantity torchrun rescale; do
	[ -f "$TOP/document/$f.c" ] || { last="ls document"; fail "document/$f.c missing"; }
done
pass
