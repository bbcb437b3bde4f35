# t0720: --db FILE on simulate, compare, sweep and plan, and `rehearse runs`
# reading it back: list, show, export (one JSON object), merge; two
# processes writing one store at once; errors a user can reach.
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
V100=$TOP/scenarios/gke-v100-4node.yaml
DB=$TMPDIR/runs.db
"$REHEARSE" fix -q -o "$TMPDIR/fixed.yaml" "$SEED" 2>/dev/null

test_expect_success 'simulate, compare, sweep and plan record their runs with --db' '
	run timeout 60 "$REHEARSE" simulate --db "$DB" --scenario "$V100" "$TMPDIR/fixed.yaml"
	expect_status 0
	run timeout 60 "$REHEARSE" compare --db "$DB" --scenario "$V100" --nodes 1,2 --trials 5 "$TMPDIR/fixed.yaml"
	expect_status 0
	run timeout 60 "$REHEARSE" sweep --db "$DB" --scenario "$V100" --nodes 1,2 --gpu v100-16 "$TMPDIR/fixed.yaml"
	expect_status 0
	run timeout 60 "$REHEARSE" plan --db "$DB" --scenario "$V100" --deadline 1h --nodes 1 --gpu v100-16 "$TMPDIR/fixed.yaml"
	expect_status 0
'

test_expect_success 'runs list: six runs, each command named' '
	run "$REHEARSE" runs list --db "$DB"
	expect_status 0
	expect_out "6 runs in $DB"
	expect_out "simulate"
	expect_out "compare"
	expect_out "sweep"
	expect_out "plan"
'

test_expect_success 'REHEARSE_DB names the store; --format json lists the same six runs' '
	REHEARSE_DB=$DB run "$REHEARSE" runs list --format json
	expect_out '\''"runs":'\''
	[ "$(grep -c '\''"id":'\'' "$OUT")" = 6 ] || fail "six runs in the JSON list"
'

test_expect_success 'runs show: one run'\''s case and its spans, in text and JSON' '
	run "$REHEARSE" runs show 2 --db "$DB"
	expect_status 0
	expect_out "run 2: compare 1 node"
	expect_out "finetune-rank-0"
	run "$REHEARSE" runs show 2 --db "$DB" --format json
	expect_out '\''"trial":	4'\''
	expect_out '\''"spans":'\''
	expect_out '\''"phases_s":'\''
	expect_out '\''"findings":'\''
'

test_expect_success 'runs export holds every run' '
	run "$REHEARSE" runs export --db "$DB"
	expect_status 0
	[ "$(grep -c '\''"invocation_id":'\'' "$OUT")" = 6 ] || fail "export holds every run"
'

test_expect_success 'runs show of a run that is not there: exit 1, naming it' '
	run "$REHEARSE" runs show 99 --db "$DB"
	expect_status 1
	expect_err "no run 99"
'

test_expect_success 'two processes writing one store at once: both land' '
	"$REHEARSE" sweep --db "$TMPDIR/both.db" --scenario "$V100" --nodes 1,2,3,4 "$TMPDIR/fixed.yaml" >/dev/null &
	a=$!
	"$REHEARSE" sweep --db "$TMPDIR/both.db" --scenario "$V100" --nodes 1,2,3,4 --spot "$TMPDIR/fixed.yaml" >/dev/null &
	b=$!
	wait $a || fail "first writer failed"
	wait $b || fail "second writer failed"
	run "$REHEARSE" runs list --db "$TMPDIR/both.db"
	expect_out "12 runs in"
'

test_expect_success 'runs merge: the shards'\'' runs, all of them' '
	run "$REHEARSE" runs merge "$DB" "$TMPDIR/both.db" --db "$TMPDIR/merged.db"
	expect_status 0
	run "$REHEARSE" runs list --db "$TMPDIR/merged.db"
	expect_out "18 runs in"
'

test_expect_success 'reading a store that is not there: exit 2, and no store created' '
	run "$REHEARSE" runs list --db "$TMPDIR/none.db"
	expect_status 2
	expect_err "no run store here"
	[ ! -e "$TMPDIR/none.db" ] || fail "reading created a store"
'

test_expect_success 'a --db in a directory that is not there: exit 2, naming it' '
	run timeout 60 "$REHEARSE" simulate --db "$TMPDIR/no/such/dir.db" --scenario "$V100" "$TMPDIR/fixed.yaml"
	expect_status 2
	expect_err "no/such/dir.db"
'

test_expect_success 'a --db that is not a database: exit 2, naming it' '
	echo "not a database" > "$TMPDIR/text.db"
	run "$REHEARSE" runs list --db "$TMPDIR/text.db"
	expect_status 2
	expect_err "text.db"
'

test_expect_success 'an unknown runs subcommand is a usage error' '
	run "$REHEARSE" runs frob --db "$DB"
	expect_status 2
'

test_done
