# t0803: `rehearse model` names the option at fault and refuses values no
# machine or model can honour (model/limits.h), with the reason; a sequence
# past the model's context is predicted with a warning.
. "$(dirname "$0")/lib.sh"
M="$REHEARSE model --gpu h100 --model llama2-7b"

bad() { # bad 'ARGS' 'expected stderr'
	run $M $1
	expect_status 2
	expect_err "$2"
	[ ! -s "$OUT" ] || fail "output on stdout for $1"
}

test_expect_success '--seq: not a whole number, or past every model'\''s context: exit 2, nothing on stdout' '
	bad "--seq -1"               "rehearse model: --seq: '\''-1'\'' is not a whole number of tokens from 1 to 131072"
	bad "--seq=abc"              "--seq: '\''abc'\'' is not a whole number of tokens"
	bad "--seq 1000000"          "--seq: 1000000 is more than 131072 tokens: no model in the catalog has a longer context"
'

test_expect_success '--gpus-per-node and --nodes past any machine or GKE'\''s limit: exit 2' '
	bad "--gpus-per-node 1000"   "--gpus-per-node: 1000 is more than 16 GPUs: no cloud machine has more GPUs"
	bad "--gpus-per-node 0"      "--gpus-per-node: '\''0'\'' is not a whole number of GPUs from 1 to 16"
	bad "--nodes 100000"         "--nodes: 100000 is more than 15000 nodes: GKE'\''s limit"
'

test_expect_success '--lora-rank past 65536 or wider than the narrowest targeted layer: exit 2' '
	bad "--lora-rank 100000"     "--lora-rank: 100000 is more than 65536"
	bad "--lora-rank 5000"       "--lora-rank: LoRA rank 5000 is more than the narrowest targeted layer of llama2-7b (4096 wide)"
'

test_expect_success '--micro-batch, --nic-gbps, --dataset-tokens, --epochs out of range: exit 2' '
	bad "--micro-batch 1.5"      "--micro-batch: '\''1.5'\'' is not a whole number of sequences"
	bad "--nic-gbps 0"           "--nic-gbps: '\''0'\'' is not a number of Gbps above 0"
	bad "--nic-gbps 100000"      "--nic-gbps: 100000 is more than 3200 Gbps"
	bad "--dataset-tokens -5"    "--dataset-tokens: '\''-5'\'' is not a number of tokens"
	bad "--epochs 0"             "--epochs: '\''0'\'' is not a whole number of epochs"
'

test_expect_success 'the edges themselves are accepted: 16 GPUs a node, 15000 nodes, 3200 Gbps' '
	run $M --gpus-per-node 16 --nodes 15000 --nic-gbps 3200
	expect_status 0
'

# llama3-8b's k_proj and v_proj are 1024 wide (8 KV heads x 128): rank 1024 is fine, 1025 is not
test_expect_success 'llama3-8b'\''s k_proj and v_proj are 1024 wide: LoRA rank 1025 is refused, 1024 is fine' '
	run "$REHEARSE" model --gpu h100 --model llama3-8b --lora-targets q,k,v --lora-rank 1025
	expect_status 2
	expect_err "narrowest targeted layer of llama3-8b (1024 wide)"
	run "$REHEARSE" model --gpu h100 --model llama3-8b --lora-targets q,k,v --lora-rank 1024
	expect_status 0
'

test_expect_success 'past the context: predicted, with a warning that says why; none within it' '
	run $M --seq 8192
	expect_status 0
	expect_out "seq 8192"
	expect_err "warning: --seq: a sequence of 8192 tokens is beyond llama2-7b'\''s 4096-token context"
	run $M --seq 4096
	expect_status 0
	[ ! -s "$ERR" ] || fail "a warning within the context"
'
test_done
