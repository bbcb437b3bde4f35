#!/bin/sh
# demo: the main job on the bundled example (the seed workflow).
# Usage: scenarios/demo.sh PATH_TO_REHEARSE
R=${1:-./rehearse}
dir=$(dirname "$0")
echo "== rehearse lint $dir/fine-tune-llama.yaml"
"$R" lint "$dir/fine-tune-llama.yaml"
echo "(lint exit status $? -- 1 means the seed has error findings, as it should)"
echo
echo "== rehearse simulate --scenario $dir/gke-v100-4node.yaml $dir/fine-tune-llama.yaml"
"$R" simulate --scenario "$dir/gke-v100-4node.yaml" "$dir/fine-tune-llama.yaml"
echo "(simulate exit status $? -- 1: the seed as shipped fails on the cluster, as lint says)"
fixed=$(mktemp "${TMPDIR:-/tmp}/rehearse-demo.XXXXXX")
trap 'rm -f "$fixed"' EXIT
"$R" fix -q -o "$fixed" "$dir/fine-tune-llama.yaml"
for s in gke-v100-1node gke-v100-4node; do
	echo
	echo "== rehearse fix -o fixed.yaml $dir/fine-tune-llama.yaml && rehearse simulate --scenario $dir/$s.yaml fixed.yaml"
	"$R" simulate --scenario "$dir/$s.yaml" "$fixed"
	echo "(simulate exit status $?)"
done
# The seed's workload (facts.md): Llama-2-7B, LoRA r=8 on q_proj/v_proj, samsum
# packed into 4096-token sequences (about 2.2 M tokens: an estimate), micro-batch 1
# per GPU, 1 epoch, fp16 on 16 GB V100s, 4 per node; llama-recipes turns on
# activation checkpointing under FSDP and, without pure_bf16, keeps the weights it
# loaded in fp32 and casts them to fp16 for compute (--fp32-master). The NIC figure is the low end of GKE's
# 32-50 Gbps for a 4-V100 VM (facts.md: verify).
for n in 1 4; do
	echo
	echo "== rehearse model --gpu v100-16 --model llama2-7b --method lora --seq 4096 --micro-batch 1 --grad-ckpt --nodes $n --gpus-per-node 4 --nic-gbps 32 --fp32-master --dataset-tokens 2.2e6"
	"$R" model --gpu v100-16 --model llama2-7b --method lora --seq 4096 --micro-batch 1 --grad-ckpt \
		--nodes "$n" --gpus-per-node 4 --nic-gbps 32 --fp32-master --dataset-tokens 2.2e6
done

# The decision, written to out/ (or $OUT): what lint finds, the workflow as
# `fix` corrects it, 1 node against 4 for the corrected workflow (text,
# markdown for a pull request, JSON), the plots, one HTML report, and the
# run store the comparison was kept in.
out=${OUT:-out}
mkdir -p "$out" || exit 2
echo
echo "== writing $out/"
"$R" lint "$dir/fine-tune-llama.yaml" >"$out/findings.txt"
"$R" lint --format json "$dir/fine-tune-llama.yaml" >"$out/findings.json"
"$R" fix -o "$out/fixed.yaml" "$dir/fine-tune-llama.yaml" 2>"$out/fix.log" || { cat "$out/fix.log"; exit 1; }
"$R" lint "$out/fixed.yaml" >"$out/fixed-findings.txt"
rm -f "$out/runs.db" "$out/runs.db-wal" "$out/runs.db-shm"
"$R" compare "$out/fixed.yaml" --scenario "$dir/gke-v100-4node.yaml" --nodes 1,4 \
	--plots "$out/plots" --html "$out/report.html" --db "$out/runs.db" >"$out/compare.txt" || exit 1
"$R" compare "$out/fixed.yaml" --scenario "$dir/gke-v100-4node.yaml" --nodes 1,4 --format markdown >"$out/compare.md"
"$R" compare "$out/fixed.yaml" --scenario "$dir/gke-v100-4node.yaml" --nodes 1,4 --format json >"$out/compare.json"
cat "$out/compare.txt"
echo
echo "written:"
echo "  $out/findings.txt, $out/findings.json   lint findings of the seed ($(tail -1 "$out/findings.txt"))"
echo "  $out/fixed.yaml                         the corrected workflow ($(tail -1 "$out/fixed-findings.txt")); what fix did: $out/fix.log"
echo "  $out/compare.txt, .md, .json            1 node against 4 nodes"
echo "  $out/plots/                             timelines, the bill, the scaling curve (SVG and PNG)"
echo "  $out/report.html                        all of it in one page"
echo "  $out/runs.db                            the run store (rehearse runs list --db $out/runs.db)"
