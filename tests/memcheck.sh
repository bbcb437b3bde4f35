#!/bin/sh
# memcheck: the demo's commands (scenarios/demo.sh) and a few more under
# valgrind --error-exitcode=1 --leak-check=full, on a build without
# sanitizers. Each must exit as it does without valgrind and valgrind must
# report no error (invalid reads or writes, uninitialised values, leaks).
# Usage: tests/memcheck.sh PATH_TO_REHEARSE   (run from the checkout's top)
# (Exit statuses are those of the same command run without valgrind: this
# checks memory, not what the commands decide.)
set -u
R=$1
S=scenarios
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
check() { # check ARGS...: the status without valgrind is the one wanted
	n=$((n+1))
	"$R" "$@" >"$tmp/out" 2>&1
	want=$?
	valgrind -q --error-exitcode=1 --leak-check=full --log-file="$tmp/vg.$n" "$R" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" != "$want" ] || [ -s "$tmp/vg.$n" ]; then
		echo "FAIL  memcheck: rehearse $* (status $got, want $want)"; head -40 "$tmp/vg.$n"; fail=1
	else
		echo "ok    memcheck: rehearse $*"
	fi
}
check lint $S/fine-tune-llama.yaml
check lint --format sarif $S/fine-tune-llama.yaml
check simulate --scenario $S/gke-v100-1node.yaml $S/fine-tune-llama.yaml
check simulate --scenario $S/gke-v100-4node.yaml --format json $S/fine-tune-llama.yaml
check simulate --scenario $S/gke-v100-2nodes-short.yaml $S/fine-tune-llama.yaml
for nodes in 1 4; do
	check model --gpu v100-16 --model llama2-7b --method lora --seq 4096 --micro-batch 1 --grad-ckpt \
		--nodes $nodes --gpus-per-node 4 --nic-gbps 32 --fp32-master --dataset-tokens 2.2e6
done
check fix -q -o "$tmp/fixed.yaml" $S/fine-tune-llama.yaml
check simulate --scenario $S/gke-v100-4node.yaml "$tmp/fixed.yaml"
# the rest of the demo: lint's JSON, compare with plots (gnuplot is its own
# process, not followed), the HTML report and the run store, markdown
check lint --format json $S/fine-tune-llama.yaml
check compare "$tmp/fixed.yaml" --scenario $S/gke-v100-4node.yaml --nodes 1,4 \
	--plots "$tmp/plots" --html "$tmp/report.html" --db "$tmp/runs.db"
check compare "$tmp/fixed.yaml" --scenario $S/gke-v100-4node.yaml --nodes 1,4 --format markdown
check runs list --db "$tmp/runs.db"
check simulate --scenario "$tmp/none.yaml" $S/fine-tune-llama.yaml
[ "$fail" = 0 ] && echo "memcheck: $n commands clean under valgrind"
exit $fail
