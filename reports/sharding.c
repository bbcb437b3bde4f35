/* sharding.c: the Argo Workflow of a sharded sweep (sharding.h).
 *
 * Written as YAML text: every value is either ours (names, numbers) or
 * quoted as a YAML double-quoted string, and the inputs are base64, so
 * nothing a user wrote can change the document's structure. */
#include "reports/sharding.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A YAML double-quoted scalar. */
static void q(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The file as base64, 76 characters a line, each line indented. */
static int base64_block(FILE *f, const char *path, int indent, char *err, size_t errlen)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	FILE *in = fopen(path, "rb");
	if (!in) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	unsigned char b[57];
	size_t n;
	while ((n = fread(b, 1, sizeof b, in)) > 0) {
		fprintf(f, "%*s", indent, "");
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = b[i] << 16 | (i + 1 < n ? b[i + 1] << 8 : 0) | (i + 2 < n ? b[i + 2] : 0);
			fputc(abc[v >> 18 & 63], f);
			fputc(abc[v >> 12 & 63], f);
			fputc(i + 1 < n ? abc[v >> 6 & 63] : '=', f);
			fputc(i + 2 < n ? abc[v & 63] : '=', f);
		}
		fputc('\n', f);
	}
	int bad = ferror(in);
	fclose(in);
	if (bad) {
		snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	return 0;
}

int report_shard_workflow(FILE *f, const shard_spec *s, char *err, size_t errlen)
{
	fprintf(f, "# A sweep in %d shards, written by `rehearse sweep --shards %d --emit-workflow`.\n"
		   "# Each shard pod sweeps its share of the cases into /results/shard-N.db; the merge\n"
		   "# pod joins them into /results/sweep.db (`rehearse runs list --db` reads it).\n",
		s->shards, s->shards);
	fprintf(f, "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: rehearse-sweep-\n"
		   "spec:\n  entrypoint: sweep\n  activeDeadlineSeconds: 86400\n  volumeClaimTemplates:\n"
		   "  - metadata:\n      name: results\n    spec:\n      accessModes: [ReadWriteMany]\n"
		   "      storageClassName: ");
	q(f, s->storage_class);
	fprintf(f, "\n      resources:\n        requests:\n          storage: 1Ti\n  templates:\n"
		   "  - name: sweep\n    dag:\n      tasks:\n      - name: shard\n        template: shard\n"
		   "        arguments:\n          parameters:\n          - name: index\n            value: \"{{item}}\"\n"
		   "        withSequence:\n          start: \"1\"\n          end: \"%d\"\n"
		   "      - name: merge\n        template: merge\n        depends: shard\n", s->shards);
	/* the shard: decode the inputs, sweep its share */
	fprintf(f, "  - name: shard\n    inputs:\n      parameters:\n      - name: index\n      artifacts:\n"
		   "      - name: workflow\n        path: /in/workflow.b64\n        raw:\n          data: |\n");
	if (base64_block(f, s->workflow_path, 12, err, errlen))
		return -1;
	fprintf(f, "      - name: scenario\n        path: /in/scenario.b64\n        raw:\n          data: |\n");
	if (base64_block(f, s->scenario_path, 12, err, errlen))
		return -1;
	fprintf(f, "    container:\n      image: ");
	q(f, s->image);
	fprintf(f, "\n      command: [sh, -c]\n      args:\n      - ");
	char cmd[8192];
	int len = snprintf(cmd, sizeof cmd, "set -e; base64 -d /in/workflow.b64 > /tmp/workflow.yaml; "
			   "base64 -d /in/scenario.b64 > /tmp/scenario.yaml; exec rehearse sweep /tmp/workflow.yaml "
			   "--scenario /tmp/scenario.yaml");
	for (int i = 0; i < s->nargs && len < (int)sizeof cmd - 300; i++) {
		/* the sweep's own options, single-quoted for the shell */
		len += snprintf(cmd + len, sizeof cmd - len, " '");
		for (const char *c = s->sweep_args[i]; *c && len < (int)sizeof cmd - 300; c++)
			len += *c == '\'' ? snprintf(cmd + len, sizeof cmd - len, "'\\''")
				: snprintf(cmd + len, sizeof cmd - len, "%c", *c);
		len += snprintf(cmd + len, sizeof cmd - len, "'");
	}
	snprintf(cmd + len, sizeof cmd - len, " --shard {{inputs.parameters.index}}/%d "
		 "--db /results/shard-{{inputs.parameters.index}}.db", s->shards);
	q(f, cmd);
	fprintf(f, "\n      resources:\n        requests: {cpu: \"1\", memory: 1Gi}\n        limits: {memory: 2Gi}\n"
		   "      volumeMounts:\n      - name: results\n        mountPath: /results\n");
	fprintf(f, "  - name: merge\n    container:\n      image: ");
	q(f, s->image);
	fprintf(f, "\n      command: [sh, -c]\n      args:\n      - \"set -e; rm -f /results/sweep.db; "
		   "rehearse runs merge /results/shard-*.db --db /results/sweep.db; "
		   "rehearse runs list --db /results/sweep.db\"\n"
		   "      resources:\n        requests: {cpu: \"1\", memory: 1Gi}\n        limits: {memory: 2Gi}\n"
		   "      volumeMounts:\n      - name: results\n        mountPath: /results\n");
	return ferror(f) ? (snprintf(err, errlen, "write error"), -1) : 0;
}
