# t0293: security-default-sa names each grant a Role needs once, however
# many steps need it (two steps creating a Service ask for one 'create
# Service'), and counts every step.
. "$(dirname "$0")/lib.sh"

test_expect_success 'two creates and a delete of Services: create Service, delete Service, 3 steps' '
	cat >"$TMPDIR/sa.yaml" <<-EOT
	apiVersion: argoproj.io/v1alpha1
	kind: Workflow
	metadata: {generateName: sa-}
	spec:
	  entrypoint: main
	  templates:
	  - name: main
	    steps:
	    - - {name: a, template: mk1}
	    - - {name: b, template: mk2}
	    - - {name: c, template: del}
	  - name: mk1
	    resource:
	      action: create
	      manifest: |
	        {apiVersion: v1, kind: Service, metadata: {name: s1}, spec: {selector: {app: x}, ports: [{port: 80}]}}
	  - name: mk2
	    resource:
	      action: create
	      manifest: |
	        {apiVersion: v1, kind: Service, metadata: {name: s2}, spec: {selector: {app: x}, ports: [{port: 80}]}}
	  - name: del
	    resource:
	      action: delete
	      manifest: |
	        {apiVersion: v1, kind: Service, metadata: {name: s1}}
	EOT
	run "$REHEARSE" lint "$TMPDIR/sa.yaml"
	expect_status 0
	expect_out "3 steps call the Kubernetes API as the namespace'\''s default ServiceAccount"
	expect_out "a Role for spec.serviceAccountName needs: create Service; delete Service [security-default-sa]"
'

test_expect_success 'the seed: each kind once, the kubectl step named' '
	run "$REHEARSE" lint "$SHARED/seed/fine-tune-llama.yaml"
	line=$(grep "\[security-default-sa\]" "$OUT")
	[ -n "$line" ] || fail "no security-default-sa finding"
	for item in "create StorageClass" "create StatefulSet" "create Service" "what kubectl in '\''wait-for-etcd-load-balancer-ip'\'' does"; do
		n=$(printf "%s\n" "$line" | grep -o "$item" | wc -l)
		[ "$n" = 1 ] || fail "$item listed $n times"
	done
'

test_done
