# t0604: a bad scenario is an error at its file:line:col with exit 2 and
# nothing on stdout: a misspelt key, a bad distribution, a bad quantity,
# YAML syntax, and a file that does not exist.
. "$(dirname "$0")/lib.sh"
SEED=$(fixed_seed) # the seed with its defects fixed: this test is about the scenario
S4=$TOP/scenarios/gke-v100-4node.yaml
# bad_value SED-EXPR KEY-REGEX COL MESSAGE: the scenario edited by SED-EXPR is
# refused at the line KEY-REGEX finds and column COL, saying MESSAGE, exit 2
bad_value() {
	sed "$1" "$S4" >"$TMPDIR/v.yaml"
	line=$(grep -n "$2" "$TMPDIR/v.yaml" | head -1 | cut -d: -f1)
	run "$REHEARSE" simulate --scenario "$TMPDIR/v.yaml" "$SEED"
	expect_status 2
	expect_err "$TMPDIR/v.yaml:$line:$3: error: $4"
	[ ! -s "$OUT" ] || fail "partial output on stdout"
}

test_expect_success 'a misspelt key: its position and key path, exit 2, nothing on stdout' '
	sed '\''s/^    nodes: 4 /    nodez: 4 /'\'' "$S4" >"$TMPDIR/key.yaml"
	line=$(grep -n '\''^    nodez:'\'' "$TMPDIR/key.yaml" | cut -d: -f1)
	run "$REHEARSE" simulate --scenario "$TMPDIR/key.yaml" "$SEED"
	expect_status 2
	expect_err "$TMPDIR/key.yaml:$line:5: error: cluster.pools[gpu-v100]: unknown key '\''nodez'\'' in a node pool"
	[ ! -s "$OUT" ] || fail "partial output on stdout"
'

test_expect_success 'a bad distribution (uniform with max < min): its position, exit 2, nothing on stdout' '
	sed '\''s/^  load_balancer_ip: uniform(min=30,max=90)/  load_balancer_ip: uniform(min=90,max=30)/'\'' "$S4" >"$TMPDIR/dist.yaml"
	line=$(grep -n '\''^  load_balancer_ip:'\'' "$TMPDIR/dist.yaml" | cut -d: -f1)
	run "$REHEARSE" simulate --scenario "$TMPDIR/dist.yaml" "$SEED"
	expect_status 2
	expect_err "$TMPDIR/dist.yaml:$line:21: error: cluster.load_balancer_ip: uniform: max (30) is less than min (90)"
	[ ! -s "$OUT" ] || fail "partial output on stdout"
'

test_expect_success 'a bad quantity is not a Kubernetes quantity: its position, exit 2, nothing on stdout' '
	sed '\''s/memory: 190Gi/memory: 190Gx/'\'' "$S4" >"$TMPDIR/qty.yaml"
	run "$REHEARSE" simulate --scenario "$TMPDIR/qty.yaml" "$SEED"
	expect_status 2
	expect_err "is not a Kubernetes quantity"
	line=$(grep -n "memory: 190Gx" "$TMPDIR/qty.yaml" | head -1 | cut -d: -f1)
	expect_err "$TMPDIR/qty.yaml:$line:"
	[ ! -s "$OUT" ] || fail "partial output on stdout"
'

test_expect_success 'YAML syntax: an error at its position, exit 2, nothing on stdout' '
	printf '\''scenario: x\ncluster: [\n'\'' >"$TMPDIR/syntax.yaml"
	run "$REHEARSE" simulate --scenario "$TMPDIR/syntax.yaml" "$SEED"
	expect_status 2
	expect_err "$TMPDIR/syntax.yaml:3:1: error:"
	[ ! -s "$OUT" ] || fail "partial output on stdout"
'

# values out of range, each at its position with its key path and unit
test_expect_success 'a negative latency: seconds from 0 to 100000000' '
	bad_value '\''s/^  load_balancer_ip: .*/  load_balancer_ip: -3/'\'' '\''^  load_balancer_ip:'\'' 21 \
		"cluster.load_balancer_ip: -3 is not a number of seconds from 0 to 100000000"
'

test_expect_success 'a normal with a negative mean: its mean is not a number of seconds' '
	bad_value '\''s/^  load_balancer_ip: .*/  load_balancer_ip: normal(mean=-500,sd=1)/'\'' '\''^  load_balancer_ip:'\'' 21 \
		"cluster.load_balancer_ip: normal(mean=-500,sd=1): its mean: -500 is not a number of seconds"
'

test_expect_success 'a uniform that can draw a negative time' '
	bad_value '\''s/^  pod_start: .*/  pod_start: uniform(min=-1,max=3)/'\'' '\''^  pod_start:'\'' 14 \
		"cluster.pod_start: uniform(min=-1,max=3): -1 is not a number of seconds"
'

test_expect_success 'a bandwidth that can draw 0 or less: how often, and lognormal suggested' '
	bad_value '\''s/^  hub_mbps: .*/  hub_mbps: normal(mean=50,sd=20)/'\'' '\''^  hub_mbps:'\'' 13 \
		"workload.hub_mbps: normal(mean=50,sd=20) is 0 MB/s or less in 0.62% of draws, and it must stay above 0: use lognormal(mean=50,sd=20)"
'

test_expect_success 'a NIC of 0 Gbps' '
	bad_value '\''s/^    nic_gbps: 32 /    nic_gbps: 0 /'\'' '\''^    nic_gbps:'\'' 15 \
		"cluster.pools[gpu-v100].nic_gbps: 0 is not a number of Gbps above 0, up to 3200"
'

test_expect_success '1000 GPUs a node: no cloud machine has more than 16' '
	bad_value '\''s/count: 4,/count: 1000,/'\'' '\''count: 1000'\'' 40 \
		"cluster.pools[gpu-v100].gpu.count: 1000 is more than 16 GPUs: no cloud machine has more GPUs"
'

test_expect_success 'a sequence past 131072 tokens' '
	bad_value '\''s/^  seq: 4096 /  seq: 100000000 /'\'' '\''^  seq:'\'' 8 \
		"workload.seq: 100000000 is more than 131072 tokens"
'

test_expect_success 'an exponential with a negative mean for storage provisioning' '
	bad_value '\''s/^    provisioning: uniform(min=10,max=30)         # facts.md: PD-SSD/    provisioning: exponential(mean=-5) #/'\'' '\''exponential'\'' 19 \
		"cluster.storage_classes[ssd].provisioning: exponential: mean must be positive"
'

test_expect_success 'a normal whose tail crosses 0 is truncated, and the run says so' '
	sed '\''s/^  load_balancer_ip: .*/  load_balancer_ip: normal(mean=60,sd=40)/'\'' "$S4" >"$TMPDIR/tail.yaml"
	run "$REHEARSE" simulate --scenario "$TMPDIR/tail.yaml" "$SEED"
	expect_status 0
	expect_out "cluster.load_balancer_ip: normal(mean=60,sd=40) is below 0 seconds in 6.7% of draws; those draws are taken as 0"
'

test_expect_success 'a sequence past the model'\''s context is an assumption (in the JSON)' '
	sed '\''s/^  seq: 4096 /  seq: 8192 /'\'' "$S4" >"$TMPDIR/ctx.yaml"
	run "$REHEARSE" simulate --format json --scenario "$TMPDIR/ctx.yaml" "$SEED"
	expect_status 0
	expect_out "workload.seq: a sequence of 8192 tokens is beyond llama2-7b'\''s 4096-token context"
'

test_expect_success 'the scenario from standard input; a bad one is an error at <stdin>' '
	"$REHEARSE" simulate --scenario - "$SEED" <"$S4" >"$OUT" 2>"$ERR"; status=$?
	expect_status 0
	expect_out "on scenario gke-v100-4node"
	sed '\''s/^    provisioning: uniform(min=10,max=30)         # facts.md: PD-SSD/    provisioning: exponential(mean=-5) #/'\'' "$S4" >"$TMPDIR/stdin-bad.yaml"
	"$REHEARSE" simulate --scenario - "$SEED" <"$TMPDIR/stdin-bad.yaml" >"$OUT" 2>"$ERR"; status=$?
	expect_status 2
	expect_err "<stdin>:"
'

test_expect_success 'the scenario and the workflow cannot both be standard input' '
	run "$REHEARSE" simulate --scenario - -
	expect_status 2
	expect_err "cannot both be standard input"
'

test_expect_success 'a scenario that does not exist: exit 2, naming it' '
	run "$REHEARSE" simulate --scenario "$TMPDIR/none.yaml" "$SEED"
	expect_status 2
	expect_err "none.yaml: No such file or directory"
'

test_expect_success 'a workflow that does not load: exit 2 at its position, nothing on stdout' '
	printf '\''apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: [\n'\'' >"$TMPDIR/badwf.yaml"
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/badwf.yaml"
	expect_status 2
	expect_err "$TMPDIR/badwf.yaml:4:1: error:"
	expect_err "does not load"
	[ ! -s "$OUT" ] || fail "partial output on stdout"
'

test_expect_success 'a workflow that does not exist: exit 2, naming it' '
	run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/none-wf.yaml"
	expect_status 2
	expect_err "none-wf.yaml: No such file or directory"
'

test_expect_success 'a full disk: write error, exit 2' '
	if [ -w /dev/full ]; then
		"$REHEARSE" simulate --scenario "$S4" "$SEED" >/dev/full 2>"$ERR"; status=$?
		expect_status 2
		expect_err "write error"
	fi
'

test_done
