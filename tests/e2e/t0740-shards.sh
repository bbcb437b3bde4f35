# t0740: a sweep too big for one machine: --shard I/K runs every K-th case
# from the I-th, `runs merge` joins the shards' stores, and K shards merged
# equal one unsharded sweep; --shards K --emit-workflow writes the Argo
# Workflow that does it, which lints clean and carries the inputs intact.
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
V100=$TOP/scenarios/gke-v100-4node.yaml
"$REHEARSE" fix -q -o "$TMPDIR/fixed.yaml" "$SEED" 2>/dev/null
ARGS="--scenario $V100 --nodes 1,2,4 --gpu v100-16,h100 --micro-batch 1,8 --trials 5"

run timeout 120 "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --db "$TMPDIR/all.db"
for i in 1 2 3; do
	run timeout 120 "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --shard "$i/3" --db "$TMPDIR/shard-$i.db"
	expect_status 0
	expect_out "(shard $i of 3: 4 of the 12;"
done
run "$REHEARSE" runs merge "$TMPDIR/shard-1.db" "$TMPDIR/shard-2.db" "$TMPDIR/shard-3.db" --db "$TMPDIR/merged.db"
expect_status 0
# every case once, with the same figures: the list without ids and times, sorted
"$REHEARSE" runs list --db "$TMPDIR/all.db" | sed '1d;$d' | awk '{$1=$2=""; print}' | sort >"$TMPDIR/all.txt"
"$REHEARSE" runs list --db "$TMPDIR/merged.db" | sed '1d;$d' | awk '{$1=$2=""; print}' | sort >"$TMPDIR/merged.txt"
[ "$(wc -l <"$TMPDIR/all.txt")" = 12 ] || fail "the unsharded sweep has not 12 runs"
cmp -s "$TMPDIR/all.txt" "$TMPDIR/merged.txt" || { diff "$TMPDIR/all.txt" "$TMPDIR/merged.txt"; fail "3 shards merged differ from one sweep"; }
# and the full records: the same spans, trials and findings in all
for what in '"seq":' '"trial":' '"rule":' '"makespan_s":'; do
	a=$("$REHEARSE" runs export --db "$TMPDIR/all.db" | grep -c "$what")
	b=$("$REHEARSE" runs export --db "$TMPDIR/merged.db" | grep -c "$what")
	[ "$a" = "$b" ] || fail "$what: $a unsharded, $b merged"
done
run "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --shard 4/3
expect_status 2

# the workflow that runs it on Argo
run "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --shards 3 --emit-workflow "$TMPDIR/sweep-wf.yaml" --image ghcr.io/example/rehearse:0.1.0
expect_status 0
expect_err "wrote $TMPDIR/sweep-wf.yaml: 3 shards"
run "$REHEARSE" lint "$TMPDIR/sweep-wf.yaml"
expect_status 0
expect_out "0 errors, 0 warnings, 0 notes in 1 file"
grep -q -- "--shard {{inputs.parameters.index}}/3" "$TMPDIR/sweep-wf.yaml" || fail "shards do not take their index"
grep -q "rehearse runs merge /results/shard-\*.db" "$TMPDIR/sweep-wf.yaml" || fail "no merge step"
grep -q "'--trials' '5'" "$TMPDIR/sweep-wf.yaml" || fail "the sweep's options are not passed on"
awk '/name: workflow/{f=1} f&&/data: \|/{on=1;next} on&&/^            /{sub(/^ +/,"");print;next} on{exit}' \
	"$TMPDIR/sweep-wf.yaml" | base64 -d >"$TMPDIR/carried.yaml"
cmp -s "$TMPDIR/carried.yaml" "$TMPDIR/fixed.yaml" || fail "the workflow inside is not the one swept"
run "$REHEARSE" sweep "$TMPDIR/fixed.yaml" $ARGS --shards 3 --emit-workflow "$TMPDIR/x.yaml"
expect_status 2
expect_err "go together"
pass
