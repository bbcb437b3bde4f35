# t0410: the rules from what breaks in the field: each cites the upstream
# issue it comes from, fires on its bad fixture with the exit status its
# severity means and stays quiet on its good one; the README's rule count
# is the table's.
. "$(dirname "$0")/lib.sh"
R=$TOP/tests/rules

test_expect_success 'every field rule'\''s rationale cites the upstream issue it comes from (owner/repo#N)' '
	for id in torchrun-rwo-volume-shared torchrun-socket-ifname-loopback torchrun-rdzv-timeout-short \
		pod-gpu-visible-devices pod-nvidia-visible-devices; do
		run "$REHEARSE" rules "$id"
		expect_status 0
		grep -qE '\''[A-Za-z0-9-]+/[A-Za-z0-9._-]+#[0-9]+'\'' "$OUT" || fail "$id: no upstream issue cited"
	done
'

test_expect_success 'each fires on its bad fixture, exit 1 for an error and 0 for a warning' '
	while IFS='\''|'\'' read -r id file want words; do
		run "$REHEARSE" lint "$R/$id/$file"
		expect_status "$want"
		grep -F "[$id]" "$OUT" | grep -qF -- "$words" || fail "$id: no finding saying '\''$words'\''"
	done <<-"LIST"
	torchrun-rwo-volume-shared|bad.yaml|1|Multi-Attach
	torchrun-socket-ifname-loopback|bad.yaml|1|loopback
	pod-gpu-visible-devices|bad.yaml|1|finds no GPU at all
	torchrun-rdzv-timeout-short|bad.yaml|0|read_timeout 60 s
	pod-nvidia-visible-devices|bad.yaml|0|NVIDIA_VISIBLE_DEVICES='\''all'\''
	LIST
'

test_expect_success 'a warning rule'\''s bad fixture fails with --strict (exit 1)' '
	for id in torchrun-rdzv-timeout-short pod-nvidia-visible-devices; do
		run "$REHEARSE" lint --strict "$R/$id/bad.yaml"
		expect_status 1
		expect_out "[$id]"
	done
'

test_expect_success 'each stays quiet on its good fixture, even with --strict' '
	for id in torchrun-rwo-volume-shared torchrun-socket-ifname-loopback pod-gpu-visible-devices \
		torchrun-rdzv-timeout-short pod-nvidia-visible-devices; do
		run "$REHEARSE" lint --strict "$R/$id/good.yaml"
		expect_no_out "[$id]"
	done
'

test_expect_success 'the README'\''s rule count is what rehearse rules lists' '
	n=$("$REHEARSE" rules | wc -l)
	grep -qF "$n rules in" "$TOP/README.md" || fail "README does not say '\''$n rules in'\'' (rehearse rules lists $n)"
'

test_done
