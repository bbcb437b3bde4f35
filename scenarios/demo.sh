#!/bin/sh
# demo: the main job on the bundled example (the seed workflow).
# Usage: scenarios/demo.sh PATH_TO_REHEARSE
R=${1:-./rehearse}
dir=$(dirname "$0")
echo "== rehearse lint $dir/fine-tune-llama.yaml"
"$R" lint "$dir/fine-tune-llama.yaml"
echo "(lint exit status $? -- 1 means the seed has error findings, as it should)"
for s in gke-v100-1node gke-v100-4node; do
	echo
	echo "== rehearse simulate --scenario $dir/$s.yaml $dir/fine-tune-llama.yaml"
	"$R" simulate --scenario "$dir/$s.yaml" "$dir/fine-tune-llama.yaml"
	echo "(simulate exit status $?)"
done
