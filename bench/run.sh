#!/bin/sh
# Run the benchmarks; `make bench` builds them first.
# Every program in build/bench/ (one per bench/*.c) runs here in name order;
# a benchmark that is a script rather than a program gets its own line below.
status=0
for b in build/bench/*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b")"
	"$b" || status=1
done
exit $status
