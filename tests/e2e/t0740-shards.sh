# t0740: a sweep too big for one machine: --shard I/K runs every K-th case
# from the I-th, `runs merge` joins the shards' stores, and K shards merged
# equal one unsharded sweep; --shards K --emit-workflow writes the Argo
# Workflow that does it, which lints clean and carries the inputs intact.
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
V100=$TOP/scenarios/gke-v100-4node.yaml
ARGS="--scenario $V100 --nodes 1,2,4 --gpu v100-16,h100 --micro-batch 1,8 --trials 5"
# a store's runs without ids and times, sorted
runs_rows() { "$REHEARSE" runs list --db "$1" | sed '1d;$d' | awk '{$1=$2=""; print}' | sort; }
# the workflow file the emitted Workflow carries (base64 in its data)
carried() {
	awk '/name: workflow/{f=1} f&&/data: \|/{on=1;next} on&&/^            /{sub(/^ +/,"");print;next} on{exit}' \
		"$1" | base64 -d
}

test_expect_success 'fix writes the seed with its defects repaired (the workflow swept)' '
	"$REHEARSE" fix -q -o "$TMPDIR/fixed.yaml" "$SEED" 2>/dev/null
	[ -s "$TMPDIR/fixed.yaml" ] || fail "fix wrote nothing"
'

test_expect_success 'one unsharded sweep; --shard I/3 runs 4 of the 12 cases in each shard' '
	run timeout 120 "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --db "$TMPDIR/all.db"
	for i in 1 2 3; do
		run timeout 120 "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --shard "$i/3" --db "$TMPDIR/shard-$i.db"
		expect_status 0
		expect_out "(shard $i of 3: 4 of the 12;"
	done
'

test_expect_success 'runs merge joins the three shards'\'' stores' '
	run "$REHEARSE" runs merge "$TMPDIR/shard-1.db" "$TMPDIR/shard-2.db" "$TMPDIR/shard-3.db" --db "$TMPDIR/merged.db"
	expect_status 0
'

test_expect_success 'merged shards list every case once, with the same figures as one sweep' '
	runs_rows "$TMPDIR/all.db" >"$TMPDIR/all.txt"
	runs_rows "$TMPDIR/merged.db" >"$TMPDIR/merged.txt"
	[ "$(wc -l <"$TMPDIR/all.txt")" = 12 ] || fail "the unsharded sweep has not 12 runs"
	cmp -s "$TMPDIR/all.txt" "$TMPDIR/merged.txt" || { diff "$TMPDIR/all.txt" "$TMPDIR/merged.txt"; fail "3 shards merged differ from one sweep"; }
'

test_expect_success 'merged shards export the same spans, trials and findings as one sweep' '
	for what in '\''"seq":'\'' '\''"trial":'\'' '\''"rule":'\'' '\''"makespan_s":'\''; do
		a=$("$REHEARSE" runs export --db "$TMPDIR/all.db" | grep -c "$what")
		b=$("$REHEARSE" runs export --db "$TMPDIR/merged.db" | grep -c "$what")
		[ "$a" = "$b" ] || fail "$what: $a unsharded, $b merged"
	done
'

test_expect_success '--shard 4/3 exits 2' '
	run "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --shard 4/3
	expect_status 2
'

test_expect_success '--shards 3 --emit-workflow writes an Argo Workflow that lints clean' '
	run "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --shards 3 --emit-workflow "$TMPDIR/sweep-wf.yaml" --image ghcr.io/example/rehearse:0.1.0
	expect_status 0
	expect_err "wrote $TMPDIR/sweep-wf.yaml: 3 shards"
	run "$REHEARSE" lint "$TMPDIR/sweep-wf.yaml"
	expect_status 0
	expect_out "0 errors, 0 warnings, 0 notes in 1 file"
'

test_expect_success 'the emitted workflow: shards take their index, a merge step, the options and the workflow intact' '
	grep -q -- "--shard {{inputs.parameters.index}}/3" "$TMPDIR/sweep-wf.yaml" || fail "shards do not take their index"
	grep -q "rehearse runs merge /results/shard-\*.db" "$TMPDIR/sweep-wf.yaml" || fail "no merge step"
	grep -q "'\''--trials'\'' '\''5'\''" "$TMPDIR/sweep-wf.yaml" || fail "the sweep'\''s options are not passed on"
	carried "$TMPDIR/sweep-wf.yaml" >"$TMPDIR/carried.yaml"
	cmp -s "$TMPDIR/carried.yaml" "$TMPDIR/fixed.yaml" || fail "the workflow inside is not the one swept"
'

test_expect_success '--shards and --emit-workflow without --image: exit 2, they go together' '
	run "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --shards 3 --emit-workflow "$TMPDIR/x.yaml"
	expect_status 2
	expect_err "go together"
'
test_done
