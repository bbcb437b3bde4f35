# t0730: --plots DIR (gnuplot run as a program: SVG and PNG, data and
# script beside them), no gnuplot (one note, every other output written),
# --html FILE (self-contained: inline SVG, no script, nothing fetched), and
# the HTML rendered by headless Chromium (skipped, saying so, without it).
. "$(dirname "$0")/lib.sh"
SEED=$SHARED/seed/fine-tune-llama.yaml
V100=$TOP/scenarios/gke-v100-4node.yaml
H=$TMPDIR/report.html

test_expect_success 'fix writes the seed with its defects repaired (the workflow compared)' '
	"$REHEARSE" fix -q -o "$TMPDIR/fixed.yaml" "$SEED" 2>/dev/null
	[ -s "$TMPDIR/fixed.yaml" ] || fail "fix wrote nothing"
'

if command -v gnuplot >/dev/null 2>&1; then
	test_expect_success 'compare --plots: SVG, PNG, data and script for each plot; no distribution without trials' '
		run timeout 120 "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4 --plots "$TMPDIR/plots"
		expect_status 0
		for f in gantt-1 gantt-2 cost scaling; do
			for e in dat gp svg png; do
				[ -s "$TMPDIR/plots/$f.$e" ] || fail "no $f.$e"
			done
			grep -q "<svg" "$TMPDIR/plots/$f.svg" || fail "$f.svg is not SVG"
			head -c 8 "$TMPDIR/plots/$f.png" | od -An -c | grep -q "P   N   G" || fail "$f.png is not PNG"
		done
		grep -q "finetune-rank-3" "$TMPDIR/plots/gantt-2.dat" || fail "the 4-node timeline lacks rank 3"
		[ ! -e "$TMPDIR/plots/cdf.svg" ] || fail "a makespan distribution without trials"
		grep -q "\"download\"" "$TMPDIR/plots/gantt-2.dat" || fail "the timeline is not coloured by phase"
		! ls "$TMPDIR/plots" | grep -q tmp || fail "a temporary picture left behind"
	'

	test_expect_success 'compare --trials 20 --plots: the makespan distribution, 2 x (20 trials + 1) points' '
		run timeout 120 "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4 --trials 20 --plots "$TMPDIR/mc"
		[ -s "$TMPDIR/mc/cdf.svg" ] || fail "no makespan distribution with --trials"
		[ "$(grep -c "^[0-9]" "$TMPDIR/mc/cdf.dat")" = 42 ] || fail "the distribution is not 2 x (20 trials + 1)"
	'

	test_expect_success 'sweep --plots: the Pareto front, one chosen case on it' '
		run timeout 120 "$REHEARSE" sweep "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,2 --gpu v100-16,h100 --plots "$TMPDIR/sw"
		[ -s "$TMPDIR/sw/pareto.svg" ] || fail "sweep drew no Pareto front"
		[ "$(awk '\''$3 == 1 && $4 == 1 && $5 == 1'\'' "$TMPDIR/sw/pareto.dat" | wc -l)" = 1 ] || fail "not one chosen case on the front"
	'
else
	echo "skip: gnuplot is not installed (make deps installs gnuplot-nox)"
fi

test_expect_success 'no gnuplot: one note; the table, the scripts and the HTML still written; exit 0' '
	GNUPLOT=/nonexistent/gnuplot run timeout 120 "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" \
		--nodes 1,4 --plots "$TMPDIR/none" --html "$TMPDIR/none.html"
	expect_status 0
	expect_out "scaling efficiency"
	[ "$(grep -c "gnuplot is not installed" "$ERR")" -ge 1 ] || fail "no note about gnuplot"
	[ -s "$TMPDIR/none/cost.gp" ] || fail "no script written without gnuplot"
	[ ! -e "$TMPDIR/none/cost.svg" ] || fail "a picture without gnuplot?"
	[ -s "$TMPDIR/none.html" ] || fail "no HTML without gnuplot"
	grep -q "No plots" "$TMPDIR/none.html" || fail "the HTML does not say why it has no plots"
'

test_expect_success '--html: one file (table, findings, timeline, inline plots), no script, nothing fetched' '
	run timeout 120 "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4 --html "$H"
	expect_status 0
	grep -q "<table class=\"cmp\">" "$H" || fail "no summary table"
	grep -q "scaling efficiency" "$H" || fail "no comparison rows"
	grep -q "pod-latest-always" "$H" || fail "no lint findings"
	grep -q "finetune-rank-3" "$H" || fail "no timeline"
	! grep -qi "<script" "$H" || fail "the report runs a script"
	! grep -qiE '\''(src|href)="(https?:)?//'\'' "$H" || fail "the report fetches from the network"
	for d in "$TMPDIR"/rehearse-plots-*; do
		[ ! -e "$d" ] || fail "temporary plots left in $d"
	done
	if command -v gnuplot >/dev/null 2>&1; then
		[ "$(grep -c "<svg" "$H")" -ge 3 ] || fail "plots not inline"
	fi
'

test_expect_success '--html into a directory that does not exist: exit 2, naming it' '
	run "$REHEARSE" compare "$TMPDIR/fixed.yaml" --scenario "$V100" --nodes 1,4 --html "$TMPDIR/no/dir/r.html"
	expect_status 2
	expect_err "no/dir/r.html"
'

# headless Chromium: the first figure of the report, alone on a page, is
# drawn (its screenshot holds far more than a blank page's)
CHROME=$(command -v chromium || command -v chromium-browser || true)
figure_pages() { # the report's first figure alone on a page, and a blank page
	awk '/<figure>/{on=1} on{print} /<\/figure>/{if(on) exit}' "$H" >"$TMPDIR/fig.body"
	grep -q '<svg' "$TMPDIR/fig.body" || fail "no figure to render"
	{ echo '<!DOCTYPE html><html><body style="margin:0;background:#fff">'; cat "$TMPDIR/fig.body"; echo '</body></html>'; } >"$TMPDIR/fig.html"
	echo '<!DOCTYPE html><html><body style="margin:0;background:#fff"></body></html>' >"$TMPDIR/blank.html"
}
shot() {
	ud=$(mktemp -d)
	timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$ud" --window-size=1000,800 --screenshot="$2" "file://$1" >/dev/null 2>&1
	rm -rf "$ud"
	[ -s "$2" ] || fail "chromium wrote no screenshot of $1"
}
if [ -z "$CHROME" ] || ! command -v gnuplot >/dev/null 2>&1; then
	echo "skip: headless Chromium test (needs Debian's chromium and gnuplot; \`make test-browser\` installs them)"
else
	test_expect_success 'headless Chromium draws the report'\''s first figure (far more than a blank page)' '
		figure_pages
		shot "$TMPDIR/fig.html" "$TMPDIR/fig.png"
		shot "$TMPDIR/blank.html" "$TMPDIR/blank.png"
		f=$(wc -c <"$TMPDIR/fig.png") b=$(wc -c <"$TMPDIR/blank.png")
		echo "screenshot bytes: figure $f, blank page $b"
		[ "$f" -gt $((b * 5)) ] || fail "the figure did not render (screenshot $f bytes, blank $b)"
	'
fi
test_done
