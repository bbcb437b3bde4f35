# t0200: lint for CI -- the machine formats (json, sarif, github), choosing
# rules (--select, --ignore, .rehearse.yaml found upward, inline
# rehearse:ignore), --strict, directories, and the exit codes.
. "$(dirname "$0")/lib.sh"
W=$TMPDIR/repo
mkdir -p "$W/flows/sub"
cat >"$W/flows/a.yaml" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: a-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine:3.19
      imagePullPolicy: always
      env:
      - name: X
        value: "1"
      - name: X
        value: "2"
YAML
cat >"$W/flows/sub/b.yml" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: b-
spec:
  entrypoint: mian
  templates:
  - name: main
    container:
      image: alpine:3.19
YAML
echo "not: [yaml" >"$W/flows/sub/ignored.txt"
cd "$W" || fail "cd"

test_expect_success 'directories are searched for *.yaml and *.yml, not .txt; exit 1 on errors' '
	run "$REHEARSE" lint flows
	expect_status 1
	expect_out "flows/a.yaml:11:24: error:"
	expect_out "[schema-enum]"
	expect_out "flows/sub/b.yml:6:15: error: entrypoint '\''mian'\'' names no template"
	expect_out "[container-env-duplicate]"
	expect_out "2 errors, 1 warning"
	expect_no_out "ignored.txt"
'

test_expect_success 'JSON: the documented shape' '
	run "$REHEARSE" lint --format json flows
	expect_status 1
	python3 - "$OUT" <<-"PY" || fail "json shape"
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["version"] == 1 and d["files"] == 2, d
	keys = {"file", "line", "column", "end_line", "end_column", "severity", "rule", "message", "hint"}
	assert all(set(f) == keys for f in d["findings"]), d["findings"]
	assert {f["rule"] for f in d["findings"]} == {"schema-enum", "ref-entrypoint", "container-env-duplicate"}
	PY
'

test_expect_success 'SARIF 2.1.0 as GitHub code scanning reads it' '
	run "$REHEARSE" lint --format sarif flows
	expect_status 1
	python3 - "$OUT" <<-"PY" || fail "sarif shape"
	import json, sys
	d = json.load(open(sys.argv[1]))
	assert d["version"] == "2.1.0"
	run = d["runs"][0]
	rules = run["tool"]["driver"]["rules"]
	ids = [r["id"] for r in rules]
	assert "schema-enum" in ids and "ref-entrypoint" in ids
	assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
	res = run["results"]
	assert len(res) == 3
	for r in res:
	    loc = r["locations"][0]["physicalLocation"]
	    assert loc["artifactLocation"]["uri"].startswith("flows/")
	    assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
	    assert ids[r["ruleIndex"]] == r["ruleId"]
	    assert r["level"] in ("error", "warning", "note")
	PY
'

test_expect_success 'GitHub annotations: ::error and ::warning with file, line, col and the rule' '
	run "$REHEARSE" lint --format github flows
	expect_status 1
	expect_out "::error file=flows/a.yaml,line=11,col=24"
	expect_out "title=schema-enum::"
	expect_out "::warning file=flows/a.yaml,line=15"
'

test_expect_success '--select and --ignore choose rules by id and by prefix' '
	run "$REHEARSE" lint --select ref flows
	expect_status 1
	expect_out "[ref-entrypoint]"
	expect_no_out "[schema-enum]"
	run "$REHEARSE" lint --ignore schema-enum,ref-entrypoint flows
	expect_status 0
	expect_out "0 errors, 1 warning"
	run "$REHEARSE" lint --select container-env-duplicate flows
	expect_status 0
'

test_expect_success '--strict: warnings fail too' '
	run "$REHEARSE" lint --strict --select container-env-duplicate flows
	expect_status 1
'

test_expect_success 'an unknown rule id is a usage error (exit 2) naming it' '
	run "$REHEARSE" lint --select no-such-rule flows
	expect_status 2
	expect_err "no-such-rule"
'

test_expect_success '.rehearse.yaml is found from the current directory upward; --no-config skips it' '
	trap '\''rm -f "$W/.rehearse.yaml"'\'' EXIT
	printf '\''ignore: [schema]\nstrict: true\n'\'' >"$W/.rehearse.yaml"
	cd "$W/flows/sub" || fail "cd"
	run "$REHEARSE" lint ../a.yaml
	expect_status 1
	expect_no_out "[schema-enum]"
	expect_out "[container-env-duplicate]"
	run "$REHEARSE" lint --no-config ../a.yaml
	expect_out "[schema-enum]"
'

test_expect_success 'a .rehearse.yaml that does not parse is an error at its position (exit 2)' '
	trap '\''rm -f "$W/.rehearse.yaml"'\'' EXIT
	printf '\''ignore: [schema\n'\'' >"$W/.rehearse.yaml"
	cd "$W/flows/sub" || fail "cd"
	run "$REHEARSE" lint ../a.yaml
	expect_status 2
	expect_err ".rehearse.yaml:"
	rm "$W/.rehearse.yaml"
'

test_expect_success 'inline rehearse:ignore, on the finding'\''s line or on a comment line above it' '
	sed -e '\''s/imagePullPolicy: always/imagePullPolicy: always  # rehearse:ignore schema-enum/'\'' \
	    -e '\''s/^      - name: X$/      # rehearse:ignore container-env-duplicate\n      - name: X/'\'' flows/a.yaml >flows/c.yaml
	run "$REHEARSE" lint flows/c.yaml
	expect_no_out "[schema-enum]"
	run "$REHEARSE" lint --strict flows/c.yaml
	expect_status 0
'

test_expect_success 'a rehearse:ignore marker for another rule does not silence this one' '
	sed '\''s/imagePullPolicy: always/imagePullPolicy: always  # rehearse:ignore ref-template/'\'' flows/a.yaml >flows/d.yaml
	run "$REHEARSE" lint flows/d.yaml
	expect_out "[schema-enum]"
'

test_expect_success 'an unknown --format is a usage error (exit 2)' '
	run "$REHEARSE" lint --format xml flows
	expect_status 2
'

test_expect_success 'a missing file: exit 2, and the other files are still checked' '
	run "$REHEARSE" lint flows/missing.yaml flows/sub/b.yml
	expect_status 2
	expect_err "missing.yaml"
	expect_out "entrypoint '\''mian'\''"
'

test_done
