# t0400: the distributed-training rules on the seed: at least 8 distinct
# real defects, each message saying what the cluster will do; the fixed
# seed (and a re-scaled one) lints with no error; the general Argo corpus
# gets no error from the torchrun-/etcd-/k8s-/pod- families.
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml

test_expect_success 'the seed: exit 1, each defect named by its rule with what the cluster will do' '
	run "$REHEARSE" lint "$SEED"
	expect_status 1
	# Each defect, by rule id, with the consequence its message must name.
	while IFS='\''|'\'' read -r id words; do
		grep -F "[$id]" "$OUT" | grep -qF -- "$words" || fail "no $id finding saying '\''$words'\''"
	done <<-"LIST"
	pod-duplicate-mount|Kubernetes refuses the pod
	pod-argv-space|fails to start
	pod-shm-not-memory|node'\''s disk
	pod-unbounded-wait|activeDeadlineSeconds
	pod-latest-always|different images
	etcd-v2-disabled|v2 API
	etcd-image-unpinned|3.6
	etcd-peer-url-mismatch|etcd refuses to start
	k8s-statefulset-no-headless-service|no DNS names
	k8s-create-fixed-name|AlreadyExists
	k8s-exit-cleanup|PVCs
	k8s-etcd-loadbalancer|LoadBalancer
	torchrun-rdzv-id-constant|closed
	LIST
'

test_expect_success 'the seed: at least 8 distinct distributed-training rules fire' '
	run "$REHEARSE" lint "$SEED"
	n=$(grep -oE '\''\[(torchrun|etcd|k8s|pod)-[a-z0-9-]+\]$'\'' "$OUT" | sort -u | wc -l)
	[ "$n" -ge 8 ] || fail "only $n distinct distributed-training rules fired on the seed"
'

test_expect_success 'positions point into the file (the etcd manifest is a quoted string)' '
	run "$REHEARSE" lint "$SEED"
	expect_out "fine-tune-llama.yaml:185:9: error:"
	expect_out "fine-tune-llama.yaml:29:20: error:"
'

test_expect_success 'a resource template'\''s delete needs no --ignore-not-found (Argo'\''s executor adds it)' '
	run "$REHEARSE" lint "$SEED"
	expect_status 1
	expect_no_out "deletes without --ignore-not-found"
'

# Hera's current rendering (block-scalar manifests): the same defects,
# with positions on the exact line and column inside the etcd script.
test_expect_success 'Hera'\''s block-scalar rendering: the same defects, positioned inside the etcd script' '
	run "$REHEARSE" lint "$SHARED/seed/fine-tune-llama.hera-latest.yaml"
	expect_status 1
	n=$(grep -oE '\''\[(torchrun|etcd|k8s|pod)-[a-z0-9-]+\]$'\'' "$OUT" | sort -u | wc -l)
	[ "$n" -ge 8 ] || fail "only $n distinct distributed-training rules fired on the Hera seed"
	expect_out "fine-tune-llama.hera-latest.yaml:131:249: error: member etcd-0 advertises peer URL http://etcd-0:2380"
'

# A Service declared as pre-existing in .rehearse.yaml silences the
# headless-Service rule, and nothing else.
test_expect_success 'a Service known to exist (.rehearse.yaml known_services) silences the headless-Service rule, nothing else' '
	printf '\''known_services: [etcd]\n'\'' > "$TMPDIR/known.yaml"
	run "$REHEARSE" lint --config "$TMPDIR/known.yaml" "$SEED"
	expect_no_out "[k8s-statefulset-no-headless-service]"
	expect_out "[etcd-peer-url-mismatch]"
'

test_expect_success 'the fixed seed, and the seed re-scaled to 1 and 8 nodes: no error left' '
	for nodes in 0 1 8; do
		if [ "$nodes" = 0 ]; then set -- ; else set -- --nodes "$nodes"; fi
		run "$REHEARSE" fix -q "$@" -o "$TMPDIR/fixed$nodes.yaml" "$SEED"
		expect_status 0
		run "$REHEARSE" lint "$TMPDIR/fixed$nodes.yaml"
		expect_status 0
		expect_out "0 errors"
		expect_no_out "[torchrun-"
	done
'

test_expect_success 'fix on Hera'\''s rendering exits 0' '
	run "$REHEARSE" fix -q -o "$TMPDIR/hera.yaml" "$SHARED/seed/fine-tune-llama.hera-latest.yaml"
	expect_status 0
'

test_expect_success 'the general Argo examples get no error from the torchrun, etcd, k8s and pod rules' '
	run "$REHEARSE" lint "$SHARED/corpus"
	[ "$status" = 0 ] || [ "$status" = 1 ] || fail "lint of the corpus exited $status"
	expect_out " files"
	if grep -E '\''error: .*\[(torchrun|etcd|k8s|pod)-[a-z0-9-]+\]$'\'' "$OUT" >/dev/null; then
		fail "error findings of the distributed rules on the corpus"
	fi
'

test_done
