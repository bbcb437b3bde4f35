#!/bin/sh
# memcheck: the demo's commands (scenarios/demo.sh) and a few more under
# valgrind --error-exitcode=1 --leak-check=full, on a build without
# sanitizers. Each must exit as it does without valgrind and valgrind must
# report no error (invalid reads or writes, uninitialised values, leaks).
# Usage: tests/memcheck.sh PATH_TO_REHEARSE   (run from the checkout's top)
set -u
R=$1
S=scenarios
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
check() { # check EXPECTED-STATUS ARGS...
	want=$1; shift
	n=$((n+1))
	valgrind -q --error-exitcode=1 --leak-check=full --log-file="$tmp/vg.$n" "$R" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" != "$want" ] || [ -s "$tmp/vg.$n" ]; then
		echo "FAIL  memcheck: rehearse $* (status $got, want $want)"; head -40 "$tmp/vg.$n"; fail=1
	else
		echo "ok    memcheck: rehearse $*"
	fi
}
check 1 lint $S/fine-tune-llama.yaml
check 1 lint --format sarif $S/fine-tune-llama.yaml
check 0 simulate --scenario $S/gke-v100-1node.yaml $S/fine-tune-llama.yaml
check 0 simulate --scenario $S/gke-v100-4node.yaml --format json $S/fine-tune-llama.yaml
check 1 simulate --scenario $S/gke-v100-2nodes-short.yaml $S/fine-tune-llama.yaml
for nodes in 1 4; do
	check 0 model --gpu v100-16 --model llama2-7b --method lora --seq 4096 --micro-batch 1 --grad-ckpt \
		--nodes $nodes --gpus-per-node 4 --nic-gbps 32 --fp32-master --dataset-tokens 2.2e6
done
check 0 fix -q -o "$tmp/fixed.yaml" $S/fine-tune-llama.yaml
check 2 simulate --scenario "$tmp/none.yaml" $S/fine-tune-llama.yaml
[ "$fail" = 0 ] && echo "memcheck: $n commands clean under valgrind"
exit $fail
