# t0604: a bad scenario is an error at its file:line:col with exit 2 and
# nothing on stdout: a misspelt key, a bad distribution, a bad quantity,
# YAML syntax, and a file that does not exist.
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
S4=$TOP/scenarios/gke-v100-4node.yaml

sed 's/^    nodes: 4 /    nodez: 4 /' "$S4" >"$TMPDIR/key.yaml"
line=$(grep -n '^    nodez:' "$TMPDIR/key.yaml" | cut -d: -f1)
run "$REHEARSE" simulate --scenario "$TMPDIR/key.yaml" "$SEED"
expect_status 2
expect_err "$TMPDIR/key.yaml:$line:5: error: unknown key 'nodez' in a node pool"
[ ! -s "$OUT" ] || fail "partial output on stdout"

sed 's/^  load_balancer_ip: uniform(min=30,max=90)/  load_balancer_ip: uniform(min=90,max=30)/' "$S4" >"$TMPDIR/dist.yaml"
line=$(grep -n '^  load_balancer_ip:' "$TMPDIR/dist.yaml" | cut -d: -f1)
run "$REHEARSE" simulate --scenario "$TMPDIR/dist.yaml" "$SEED"
expect_status 2
expect_err "$TMPDIR/dist.yaml:$line:21: error: load_balancer_ip"
[ ! -s "$OUT" ] || fail "partial output on stdout"

sed 's/memory: 190Gi/memory: 190Gx/' "$S4" >"$TMPDIR/qty.yaml"
run "$REHEARSE" simulate --scenario "$TMPDIR/qty.yaml" "$SEED"
expect_status 2
expect_err "is not a Kubernetes quantity"

printf 'scenario: x\ncluster: [\n' >"$TMPDIR/syntax.yaml"
run "$REHEARSE" simulate --scenario "$TMPDIR/syntax.yaml" "$SEED"
expect_status 2
expect_err "$TMPDIR/syntax.yaml:3:1: error:"

run "$REHEARSE" simulate --scenario "$TMPDIR/none.yaml" "$SEED"
expect_status 2
expect_err "none.yaml: No such file or directory"
# a workflow that does not load, a missing workflow, a full disk
printf 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: [\n' >"$TMPDIR/badwf.yaml"
run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/badwf.yaml"
expect_status 2
expect_err "$TMPDIR/badwf.yaml:4:1: error:"
expect_err "does not load"
[ ! -s "$OUT" ] || fail "partial output on stdout"
run "$REHEARSE" simulate --scenario "$S4" "$TMPDIR/none-wf.yaml"
expect_status 2
expect_err "none-wf.yaml: No such file or directory"
if [ -w /dev/full ]; then
	"$REHEARSE" simulate --scenario "$S4" "$SEED" >/dev/full 2>"$ERR"; status=$?
	expect_status 2
	expect_err "write error"
fi
pass
