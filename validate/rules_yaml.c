/* rules_yaml.c: findings the loader reports while reading YAML.
 *
 * These have no check function: document/yaml.c and document/workflow.c report
 * them as they parse. They are listed here so that `rehearse rules` shows
 * them and --select/--ignore treat them like any other rule. */
#include "validate/families.h"

const rule rules_yaml[] = {
	{"yaml-syntax", DIAG_ERROR, "the file is not valid YAML (or JSON)",
	 "kubectl and Argo refuse a file that does not parse; nothing in it reaches the cluster. "
	 "Everything after the error is unread, so later findings may be missing.",
	 "fix the YAML syntax at this position",
	 "spec:\n  entrypoint: main\n templates: []   # indentation breaks the mapping\n",
	 "spec:\n  entrypoint: main\n  templates: []\n", NULL},
	{"yaml-encoding", DIAG_ERROR, "the file is not valid UTF-8 (or UTF-16 with a BOM)",
	 "YAML is Unicode text; a stray byte from another encoding stops every YAML parser.",
	 "save the file as UTF-8", "name: caf\\xe9   # a Latin-1 byte\n", "name: café\n", NULL},
	{"yaml-depth", DIAG_ERROR, "nesting deeper than rehearse's limit (256 levels)",
	 "No real workflow nests this deep; such input is an attack on the parser or a generator bug. "
	 "rehearse refuses it rather than use unbounded memory.",
	 "flatten the document", "a: [[[[[[ ... 10000 levels ... ]]]]]]\n", "a: [1, 2]\n", NULL},
	{"yaml-alias-bomb", DIAG_ERROR, "aliases expand to more than 4 million nodes (billion laughs)",
	 "Each alias copies its anchor when Kubernetes decodes the file; nested aliases grow exponentially "
	 "and exhaust the API server's memory. rehearse counts the expanded size and refuses the file.",
	 "write the repeated content out, or remove the alias chain",
	 "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n# ... nine levels\n",
	 "a: [x, x]\n", NULL},
	{"yaml-too-large", DIAG_ERROR, "the input is larger than 64 MiB, or holds more than 4 million YAML nodes",
	 "The Kubernetes API server refuses objects over about 1.5 MiB; a workflow file this large is "
	 "not something Argo can submit. The node count (keys, values and items over all documents) "
	 "bounds rehearse's memory on dense input such as long flow sequences.", "split the file", "(a 100 MB file)", "(a file under 1.5 MiB)", NULL},
	{"yaml-structure", DIAG_ERROR, "a field that must be a mapping or list is something else",
	 "Argo decodes the workflow into Go structs; a list where a mapping must be (or the reverse) "
	 "fails the whole submission with a decode error.",
	 "use the YAML shape the field needs",
	 "spec:\n  templates:\n    name: main   # templates is a list\n",
	 "spec:\n  templates:\n  - name: main\n", NULL},
	{"load-skipped", DIAG_NOTE, "a document that is not an Argo workflow was skipped",
	 "rehearse lints Workflow, WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow "
	 "documents; other objects in the same file (a ConfigMap, a PVC) are left alone.",
	 "nothing to do", "kind: ConfigMap\n", "kind: Workflow\n", NULL},
};

const size_t rules_yaml_count = sizeof rules_yaml / sizeof rules_yaml[0];
