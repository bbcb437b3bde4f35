#!/bin/sh
# demo: the main job on the bundled example (the seed workflow).
# Usage: scenarios/demo.sh PATH_TO_REHEARSE
R=${1:-./rehearse}
dir=$(dirname "$0")
echo "== rehearse lint $dir/fine-tune-llama.yaml"
"$R" lint "$dir/fine-tune-llama.yaml"
echo "(lint exit status $? -- 1 means the seed has error findings, as it should)"
