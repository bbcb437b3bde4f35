# elastic.sh: shared set-up of the torchrun failure tests (t0621-t0629),
# sourced after lib.sh. Latencies become constants, so that every time a
# test asserts is derived from the rules it checks and these figures:
#   $TMPDIR/const.yaml  the bundled 4-node scenario with worker start WS s,
#                       model load ML s, the Hub at HUB MB/s and TRAIN s of
#                       training (everything before the rendezvous still draws)
#   $TMPDIR/mon1.yaml   the seed as `rehearse fix` writes it (etcd-v2,
#                       --max-restarts 3), with --monitor-interval MON
# Helpers: at TEXT (the time of the first trace line with TEXT), near A B
# [TOL] (|A - B| <= TOL, default 0.05), ge A B.
WS=15 ML=5 HUB=100 TRAIN=3600 MON=1
MODEL_GB=13.5     # the scenario's workload.model_gb: each node downloads it once
JOIN=600          # the scenario's workload.join_timeout
# torchrun's agent, as sim/training.c takes it (observed: a restart ~3 s
# after the failure with --monitor-interval 1, the agents gone ~2 s after
# the last one): stopping the workers, one rendezvous round, exiting
STOP=1 ROUND=1 EXIT=1
SEED=$(fixed_seed)
sed -e "s/^  hub_mbps: .*/  hub_mbps: $HUB/" -e "s/^  worker_start: .*/  worker_start: $WS/" \
    -e "s/^  model_load: .*/  model_load: $ML/" -e "s/^    perf: true .*/    duration: $TRAIN/" \
    "$TOP/scenarios/gke-v100-4node.yaml" >"$TMPDIR/const.yaml"
grep -q "duration: $TRAIN" "$TMPDIR/const.yaml" || { echo "FAIL: elastic.sh: scenario edit"; exit 1; }
grep -q "model_gb: $MODEL_GB " "$TMPDIR/const.yaml" || { echo "FAIL: elastic.sh: model_gb"; exit 1; }
sed "/- --max-restarts/i\\      - --monitor-interval\\n      - \"$MON\"" "$SEED" >"$TMPDIR/mon1.yaml"
grep -q -- "--monitor-interval" "$TMPDIR/mon1.yaml" || { echo "FAIL: elastic.sh: workflow edit"; exit 1; }
at() { awk -v p="$1" '$1 ~ /^[0-9.]+$/ && index($0, p) {print $1; exit}' "$OUT"; }
near() { awk -v a="$1" -v b="$2" -v t="${3:-0.05}" 'BEGIN { d = a - b; exit !(a != "" && d <= t && d >= -t) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }'; }
calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }
