/* fixes_pod.c: fixes of the pods a workflow runs (pod-* rules): mounts,
 * argv words, /dev/shm. See fixes.h for what makes a fix safe. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "validate/fixes.h"

#define R_DUP_MOUNT    "pod-duplicate-mount"
#define R_ARGV_SPACE   "pod-argv-space"
#define R_SHM_MEDIUM   "pod-shm-not-memory"

/* dedupe-mounts: a volumeMounts entry identical to an earlier one. Argo
 * and Kubernetes refuse a pod with two mounts at one path; identical
 * entries carry no information, so dropping the later one is safe. Two
 * different mounts at one path need a person to choose. */
static void dedupe_pod(fix_ctx *c, fix_pod *p)
{
	for (size_t k = 0; k < p->nctr; k++) {
		ynode *vm = yn_get(p->ctr[k], "volumeMounts");
		if (!vm || vm->kind != YN_SEQ)
			continue;
		for (size_t i = 1; i < vm->n; i++) {
			for (size_t j = 0; j < i; j++) {
				if (!fix_equal(vm->item[i], vm->item[j]))
					continue;
				const char *path = yn_get_str(vm->item[i], "mountPath");
				fix_applied(c, vm->item[i],
					    "removed a second, identical mount of '%s' at %s",
					    yn_get_str(vm->item[i], "name") ? yn_get_str(vm->item[i], "name") : "?",
					    path ? path : "?");
				yn_seq_remove(vm, i--);
				fix_touch(c, p);
				break;
			}
		}
	}
}

static void fix_dedupe(fix_ctx *c) { fix_each_pod(c, dedupe_pod); }

/* split-argv: `command: ["bash -c"]` asks the kubelet to exec a program
 * named "bash -c", which does not exist. When the element is plain words
 * (no quotes, no shell syntax) the intent is unambiguous. */
static int word_char(char ch)
{
	return isalnum((unsigned char)ch) || strchr("_./:=+-,@%", ch);
}

static int splittable(const ynode *n)
{
	if (!n || n->kind != YN_SCALAR || n->len != strlen(n->str) || !strchr(n->str, ' '))
		return 0;
	const char *s = n->str;
	if (s[0] == ' ' || s[n->len - 1] == ' ')
		return 0;
	for (; *s; s++)
		if (*s != ' ' && !word_char(*s))
			return 0;
	return 1;
}

/* Split element i of seq into its words; returns the index of the last. */
static size_t split_item(fix_ctx *c, fix_pod *p, ynode *seq, size_t i, const char *field)
{
	ynode *it = seq->item[i];
	fix_applied(c, it, "split %s element '%s' into separate words",
		    field, it->str);
	char *copy = strdup(it->str);
	if (!copy) {
		c->oom = 1;
		return i;
	}
	yn_seq_remove(seq, i);
	size_t at = i;
	for (char *save, *w = strtok_r(copy, " ", &save); w && !c->oom; w = strtok_r(NULL, " ", &save))
		fix_insert(c, seq, at++, fix_str(c, w, fix_string_style(w)));
	free(copy);
	fix_touch(c, p);
	return at - 1;
}

static void split_pod(fix_ctx *c, fix_pod *p)
{
	for (size_t k = 0; k < p->nctr && !c->oom; k++) {
		/* Only the program name: later elements may be a script for
		 * `sh -c` ("sleep 10"), which must stay one element. */
		ynode *cmd = yn_get(p->ctr[k], "command");
		if (!cmd || cmd->kind != YN_SEQ || !cmd->n)
			continue;
		if (splittable(cmd->item[0]))
			split_item(c, p, cmd, 0, "command");
		/* torchrun's own options given as "--nnodes 4" in one element:
		 * argparse sees an unknown option. Only before the script
		 * (the first element not starting with "-" that is no option's
		 * value is the training script; its arguments are its own). */
		if (!yn_str(cmd->item[0]) || strcmp(fix_basename(yn_str(cmd->item[0])), "torchrun") || cmd->n > 1)
			continue;
		ynode *args = yn_get(p->ctr[k], "args");
		for (size_t i = 0; args && args->kind == YN_SEQ && i < args->n && !c->oom; i++) {
			const char *s = yn_str(args->item[i]);
			if (!s || s[0] != '-')
				break; /* an option's value, or the script: stop at the first non-option */
			if (splittable(args->item[i]) && s[1] == '-' && strchr(s, ' ') == strrchr(s, ' ')) {
				i = split_item(c, p, args, i, "args");
				continue;
			}
			if (!strchr(s, '='))
				i++; /* skip the option's value */
		}
	}
}

static void fix_split(fix_ctx *c) { fix_each_pod(c, split_pod); }

/* shm-memory: an emptyDir at /dev/shm without `medium: Memory` is a
 * directory on the node's disk: NCCL and DataLoader workers put their
 * shared memory there, and pay disk speed (or fill the disk). */
static ynode *find_volume(const fix_pod *p, const char *name)
{
	for (size_t v = 0; v < 2; v++) {
		const ynode *vols = p->vols[v];
		for (size_t i = 0; vols && vols->kind == YN_SEQ && i < vols->n; i++) {
			const char *n = yn_get_str(vols->item[i], "name");
			if (n && !strcmp(n, name))
				return fix_w(vols->item[i]);
		}
	}
	return NULL;
}

static void shm_pod(fix_ctx *c, fix_pod *p)
{
	for (size_t k = 0; k < p->nctr; k++) {
		const ynode *vm = yn_get(p->ctr[k], "volumeMounts");
		for (size_t i = 0; vm && vm->kind == YN_SEQ && i < vm->n; i++) {
			const char *path = yn_get_str(vm->item[i], "mountPath");
			const char *name = yn_get_str(vm->item[i], "name");
			if (!path || !name || strcmp(path, "/dev/shm") || fix_templated(name))
				continue;
			ynode *vol = find_volume(p, name);
			ynode *ed = yn_get(vol, "emptyDir");
			if (!yn_get_key(vol, "emptyDir"))
				continue;
			const char *medium = yn_get_str(ed, "medium");
			if (medium && *medium)
				continue;
			if (!ed || ed->kind != YN_MAP) {
				if (ed && !yn_is_null(ed))
					continue;
				fix_set(c, vol, "emptyDir", ed = fix_map(c));
				if (c->oom)
					return;
			}
			fix_applied(c, vol,
				    "volume '%s' at /dev/shm: emptyDir medium set to Memory (RAM-backed tmpfs)", name);
			fix_set(c, ed, "medium", fix_str(c, "Memory", YN_PLAIN));
			fix_touch(c, p);
		}
	}
}

static void fix_shm(fix_ctx *c) { fix_each_pod(c, shm_pod); }

const fix_pass fix_pass_dedupe_mounts = {"dedupe-mounts", R_DUP_MOUNT,
	"drop a volumeMount identical to an earlier one", fix_dedupe};
const fix_pass fix_pass_split_argv = {"split-argv", R_ARGV_SPACE,
	"split a command element of plain words (\"bash -c\") into argv words", fix_split};
const fix_pass fix_pass_shm_memory = {"shm-memory", R_SHM_MEDIUM,
	"give the /dev/shm emptyDir medium: Memory", fix_shm};
