/* fixes.c: the safe fixes, one pass each, in the order they run.
 *
 * "Safe" means the change cannot make a working workflow worse: it removes
 * an exact duplicate, makes explicit what the cluster needs anyway, or
 * replaces a value that provably cannot work with the one the rest of the
 * workflow already implies (the etcd peer URL is taken from the peer list,
 * the headless Service's selector and ports from the StatefulSet). When a
 * pass would have to guess (a new image tag that is not an etcd 3.5, a
 * Service of that name that exists but is not headless), it declines and
 * says why; lint then still reports the finding.
 *
 * The IR is a const view of the raw trees (workflow.h); fix is the one
 * writer allowed to change them, through W(). */
#include "validate/fixes.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/rescale.h"
#include "document/torchrun.h"
#include "validate/objects.h"

/* The etcd 3.5 image that pinning picks: 3.5 is the last minor with the
 * v2 API (removed in 3.6, see ../shared/facts.md); v3.5.21 is a 3.5 patch
 * release of 2025 (k3s-io/k3s#12132 bumps to it). */
#define ETCD_PIN_TAG "v3.5.21"

/* Rule ids the passes answer (the lint rules of issue 4). */
#define R_DUP_MOUNT    "pod-duplicate-mount"
#define R_ARGV_SPACE   "pod-argv-space"
#define R_SHM_MEDIUM   "pod-shm-not-memory"
#define R_ETCD_V2      "etcd-v2-disabled"
#define R_ETCD_IMAGE   "etcd-image-unpinned"
#define R_ETCD_PEER    "etcd-peer-url-mismatch"
#define R_HEADLESS     "k8s-statefulset-no-headless-service"
#define R_CREATE       "k8s-create-fixed-name"
#define R_EXIT_CLEANUP "k8s-exit-cleanup"
#define R_RDZV_ID      "torchrun-rdzv-id-constant"

static ynode *W(const ynode *n)
{
	/* The IR's pointers are const views of wf_set_raw's trees. */
	return (ynode *)n;
}

/* ---------------------------------------------------------------- helpers */

static ynode *new_str(fix_ctx *c, const char *s, yn_style st)
{
	ynode *n = yn_new_scalar(c->a, s, st);
	if (!n)
		c->oom = 1;
	return n;
}

static ynode *new_map(fix_ctx *c)
{
	ynode *n = yn_new_map(c->a);
	if (!n)
		c->oom = 1;
	return n;
}

static ynode *new_seq(fix_ctx *c)
{
	ynode *n = yn_new_seq(c->a);
	if (!n)
		c->oom = 1;
	return n;
}

static void set(fix_ctx *c, ynode *map, const char *key, ynode *val)
{
	if (!val || yn_map_set(c->a, map, key, val))
		c->oom = 1;
}

static void append(fix_ctx *c, ynode *seq, ynode *item)
{
	if (!item || yn_seq_append(c->a, seq, item))
		c->oom = 1;
}

static void insert_at(fix_ctx *c, ynode *seq, size_t at, ynode *item)
{
	append(c, seq, item);
	if (c->oom)
		return;
	assert(at < seq->n);
	memmove(&seq->item[at + 1], &seq->item[at], (seq->n - 1 - at) * sizeof *seq->item);
	seq->item[at] = item;
}

/* Would a plain scalar with this text read back as a string? (A command
 * word "4" or "true" must stay quoted: Kubernetes wants strings.) */
static yn_style string_style(const char *s)
{
	ynode t = {.kind = YN_SCALAR, .style = YN_PLAIN, .str = s, .len = strlen(s)};
	long long i;
	double d;
	int b;
	if (!*s || yn_is_null(&t) || !yn_int(&t, &i) || !yn_number(&t, &d) || !yn_bool(&t, &b))
		return YN_SINGLE;
	return YN_PLAIN;
}

/* Structural equality; mappings compare as sets of keys. */
static int yn_equal(const ynode *a, const ynode *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->n != b->n)
		return 0;
	if (a->kind == YN_SCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (size_t i = 0; i < a->n; i++) {
		if (a->kind == YN_SEQ) {
			if (!yn_equal(a->item[i], b->item[i]))
				return 0;
			continue;
		}
		const ynode *bv = yn_get(b, yn_str(a->key[i]) ? yn_str(a->key[i]) : "");
		if (!yn_str(a->key[i]) || !yn_get_key(b, a->key[i]->str) || !yn_equal(a->val[i], bv))
			return 0;
	}
	return 1;
}

static const char *basename_of(const char *s)
{
	const char *p = strrchr(s, '/');
	return p ? p + 1 : s;
}

static int has_template_expr(const char *s)
{
	return s && strstr(s, "{{");
}

static const wf_template *tmpl_by_name(const wf_doc *d, const char *name)
{
	return name ? wf_find_template(d, name) : NULL;
}

/* ------------------------------------------------------------ manifests */

int fix_manifests_collect(fix_ctx *c)
{
	size_t cap = 0;
	for (size_t di = 0; di < wf_set_count(c->set); di++) {
		const wf_doc *d = wf_set_doc(c->set, di);
		for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
			const wf_template *t = &d->spec.templates[ti];
			const wf_resource *r = t->resource;
			if (!r || !r->manifest)
				continue;
			fix_manifest m = {.doc = d, .tmpl = t};
			if (r->manifest_parsed && !r->templated) {
				m.docs = r->docs;
				m.ndocs = r->ndocs;
			} else if (r->templated) {
				/* The IR read "{{" as "__"; re-read the text as it is,
				 * so a changed manifest keeps its expressions. If it
				 * does not parse that way ({{x}} as a plain value
				 * starts a flow mapping), leave it alone. */
				const ynode *s = r->manifest_node;
				diag_list *scratch = diag_list_new();
				if (!scratch)
					return -1;
				int rc = yn_parse(c->a, s->file, s->str, s->len, NULL, NULL, scratch, &m.docs, &m.ndocs);
				diag_list_free(scratch);
				if (rc == -2)
					return -1;
				if (rc)
					continue;
			} else {
				continue;
			}
			if (c->nmf == cap) {
				cap = cap ? cap * 2 : 8;
				fix_manifest *v = realloc(c->mf, cap * sizeof *v);
				if (!v)
					return -1;
				c->mf = v;
			}
			c->mf[c->nmf++] = m;
		}
	}
	return 0;
}

fix_manifest *fix_manifest_of(fix_ctx *c, const wf_template *t)
{
	for (size_t i = 0; i < c->nmf; i++)
		if (c->mf[i].tmpl == t)
			return &c->mf[i];
	return NULL;
}

/* Block style for every collection: a flow mapping nested in another
 * ends in "}}", which the loader (and a reader) takes for the end of an
 * Argo expression. */
static void to_block(ynode *n, unsigned depth)
{
	if (!n || n->kind == YN_SCALAR || depth > 512)
		return;
	n->style = YN_BLOCK;
	for (size_t i = 0; i < n->n; i++)
		to_block(n->kind == YN_MAP ? n->val[i] : n->item[i], depth + 1);
}

int fix_manifests_flush(fix_ctx *c)
{
	for (size_t i = 0; i < c->nmf; i++) {
		fix_manifest *m = &c->mf[i];
		if (!m->dirty)
			continue;
		char *text = NULL;
		size_t len = 0;
		for (size_t k = 0; k < m->ndocs; k++) {
			size_t n;
			to_block(m->docs[k].root, 0);
			char *s = yn_emit_string(m->docs[k].root, &n);
			char *t = s ? realloc(text, len + n + 5) : NULL;
			if (!t) {
				free(s);
				free(text);
				return -1;
			}
			text = t;
			if (k)
				memcpy(text + len, "---\n", 4), len += 4;
			memcpy(text + len, s, n);
			len += n;
			text[len] = 0;
			free(s);
		}
		ynode *res = W(yn_get(m->tmpl->node, "resource"));
		ynode *v = text ? yn_new_scalar(c->a, text, YN_LITERAL) : NULL;
		free(text);
		if (!v || yn_map_set(c->a, res, "manifest", v))
			return -1;
	}
	return 0;
}

/* The pod spec inside a manifest object, by kind (validate/objects.h). */
static ynode *pod_spec_of(const ynode *root)
{
	return W(kobj_pod_spec(root));
}

/* ----------------------------------------------------------------- pods */

/* A pod as the passes see it: its containers and where its volumes are
 * declared (a template's own, then the workflow's; or a pod spec's). */
struct pod {
	const wf_doc *doc;
	ynode *ctr[64];
	size_t nctr;
	const ynode *vols[2];
	fix_manifest *mf;         /* set when the pod lives in a manifest */
};

static void pod_add(struct pod *p, const ynode *ctr)
{
	if (ctr && ctr->kind == YN_MAP && p->nctr < sizeof p->ctr / sizeof p->ctr[0])
		p->ctr[p->nctr++] = W(ctr);
}

static void pod_add_seq(struct pod *p, const ynode *seq)
{
	if (seq && seq->kind == YN_SEQ)
		for (size_t i = 0; i < seq->n; i++)
			pod_add(p, seq->item[i]);
}

/* Call fn on every pod of the set: each container-running template, and
 * each pod spec inside a manifest. Returns nothing; fn marks changes. */
static void each_pod(fix_ctx *c, void (*fn)(fix_ctx *c, struct pod *p))
{
	for (size_t di = 0; di < wf_set_count(c->set) && !c->oom; di++) {
		const wf_doc *d = wf_set_doc(c->set, di);
		for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
			const wf_template *t = &d->spec.templates[ti];
			struct pod p = {.doc = d, .vols = {t->volumes, d->spec.volumes}};
			if (t->main)
				pod_add(&p, t->main->node);
			for (size_t k = 0; k < t->ncontainers; k++)
				pod_add(&p, t->containers[k].node);
			for (size_t k = 0; k < t->ninit; k++)
				pod_add(&p, t->init_containers[k].node);
			for (size_t k = 0; k < t->nsidecars; k++)
				pod_add(&p, t->sidecars[k].node);
			if (p.nctr)
				fn(c, &p);
		}
	}
	for (size_t i = 0; i < c->nmf && !c->oom; i++) {
		fix_manifest *m = &c->mf[i];
		for (size_t k = 0; k < m->ndocs; k++) {
			const ynode *spec = pod_spec_of(m->docs[k].root);
			if (!spec)
				continue;
			struct pod p = {.doc = m->doc, .vols = {yn_get(spec, "volumes"), NULL}, .mf = m};
			pod_add_seq(&p, yn_get(spec, "initContainers"));
			pod_add_seq(&p, yn_get(spec, "containers"));
			if (p.nctr)
				fn(c, &p);
		}
	}
}

static void changed(fix_ctx *c, struct pod *p)
{
	c->changed = 1;
	if (p && p->mf)
		p->mf->dirty = 1;
}

/* dedupe-mounts: a volumeMounts entry identical to an earlier one. Argo
 * and Kubernetes refuse a pod with two mounts at one path; identical
 * entries carry no information, so dropping the later one is safe. Two
 * different mounts at one path need a person to choose. */
static void dedupe_pod(fix_ctx *c, struct pod *p)
{
	for (size_t k = 0; k < p->nctr; k++) {
		ynode *vm = yn_get(p->ctr[k], "volumeMounts");
		if (!vm || vm->kind != YN_SEQ)
			continue;
		for (size_t i = 1; i < vm->n; i++) {
			for (size_t j = 0; j < i; j++) {
				if (!yn_equal(vm->item[i], vm->item[j]))
					continue;
				const char *path = yn_get_str(vm->item[i], "mountPath");
				fix_log_add(c, 1, "dedupe-mounts", R_DUP_MOUNT, vm->item[i],
					    "removed a second, identical mount of '%s' at %s",
					    yn_get_str(vm->item[i], "name") ? yn_get_str(vm->item[i], "name") : "?",
					    path ? path : "?");
				yn_seq_remove(vm, i--);
				changed(c, p);
				break;
			}
		}
	}
}

static void fix_dedupe(fix_ctx *c) { each_pod(c, dedupe_pod); }

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
static size_t split_item(fix_ctx *c, struct pod *p, ynode *seq, size_t i, const char *field)
{
	ynode *it = seq->item[i];
	fix_log_add(c, 1, "split-argv", R_ARGV_SPACE, it, "split %s element '%s' into separate words",
		    field, it->str);
	char *copy = strdup(it->str);
	if (!copy) {
		c->oom = 1;
		return i;
	}
	yn_seq_remove(seq, i);
	size_t at = i;
	for (char *save, *w = strtok_r(copy, " ", &save); w && !c->oom; w = strtok_r(NULL, " ", &save))
		insert_at(c, seq, at++, new_str(c, w, string_style(w)));
	free(copy);
	changed(c, p);
	return at - 1;
}

static void split_pod(fix_ctx *c, struct pod *p)
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
		if (!yn_str(cmd->item[0]) || strcmp(basename_of(yn_str(cmd->item[0])), "torchrun") || cmd->n > 1)
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

static void fix_split(fix_ctx *c) { each_pod(c, split_pod); }

/* shm-memory: an emptyDir at /dev/shm without `medium: Memory` is a
 * directory on the node's disk: NCCL and DataLoader workers put their
 * shared memory there, and pay disk speed (or fill the disk). */
static ynode *find_volume(const struct pod *p, const char *name)
{
	for (size_t v = 0; v < 2; v++) {
		const ynode *vols = p->vols[v];
		for (size_t i = 0; vols && vols->kind == YN_SEQ && i < vols->n; i++) {
			const char *n = yn_get_str(vols->item[i], "name");
			if (n && !strcmp(n, name))
				return W(vols->item[i]);
		}
	}
	return NULL;
}

static void shm_pod(fix_ctx *c, struct pod *p)
{
	for (size_t k = 0; k < p->nctr; k++) {
		const ynode *vm = yn_get(p->ctr[k], "volumeMounts");
		for (size_t i = 0; vm && vm->kind == YN_SEQ && i < vm->n; i++) {
			const char *path = yn_get_str(vm->item[i], "mountPath");
			const char *name = yn_get_str(vm->item[i], "name");
			if (!path || !name || strcmp(path, "/dev/shm") || has_template_expr(name))
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
				set(c, vol, "emptyDir", ed = new_map(c));
				if (c->oom)
					return;
			}
			fix_log_add(c, 1, "shm-memory", R_SHM_MEDIUM, vol,
				    "volume '%s' at /dev/shm: emptyDir medium set to Memory (RAM-backed tmpfs)", name);
			set(c, ed, "medium", new_str(c, "Memory", YN_PLAIN));
			changed(c, p);
		}
	}
}

static void fix_shm(fix_ctx *c) { each_pod(c, shm_pod); }

/* ----------------------------------------------------------------- etcd */

/* Replace the script (or an argv element) keeping its scalar style. */
static void replace_item(fix_ctx *c, ynode *seq, size_t i, const char *text)
{
	ynode *old = seq->item[i];
	ynode *n = new_str(c, text, old->style);
	if (!n)
		return;
	/* It stands where the old one stood: later passes log that place. */
	n->file = old->file;
	n->line = old->line;
	n->col = old->col;
	seq->item[i] = n;
}

/* Where a value sits: bytes [off, off+len) of item seq->item[idx]. */
struct loc {
	ynode *seq;
	size_t idx, off, len;
};

/* Where bytes [off, off+len) of `node` sit in ctr's command or args
 * (the element itself, or the script element for a script): -1 if the
 * node is not one of them. */
static int loc_in_ctr(ynode *ctr, const ynode *node, size_t off, size_t len, struct loc *out)
{
	ynode *seqs[2] = {W(yn_get(ctr, "command")), W(yn_get(ctr, "args"))};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; seqs[k] && seqs[k]->kind == YN_SEQ && i < seqs[k]->n; i++)
			if (seqs[k]->item[i] == node) {
				*out = (struct loc){seqs[k], i, off, len};
				return 0;
			}
	return -1;
}

/* Where the value of etcd flag `flag` is written: -1 when the flag is
 * absent or has no value. */
static int etcd_flag_loc(ynode *ctr, const ketcd *e, const char *flag, struct loc *out)
{
	long i = ketcd_flag_index(e, flag);
	if (i < 0 || !e->flag[i].vnode)
		return -1;
	return loc_in_ctr(ctr, e->flag[i].vnode, e->flag[i].voff, e->flag[i].vlen, out);
}

static void loc_replace(fix_ctx *c, const struct loc *l, const char *text)
{
	const ynode *old = l->seq->item[l->idx];
	size_t tl = strlen(text);
	char *s = malloc(old->len - l->len + tl + 1);
	if (!s) {
		c->oom = 1;
		return;
	}
	memcpy(s, old->str, l->off);
	memcpy(s + l->off, text, tl);
	memcpy(s + l->off + tl, old->str + l->off + l->len, old->len - l->off - l->len);
	s[old->len - l->len + tl] = 0;
	replace_item(c, l->seq, l->idx, s);
	free(s);
}

/* A flag's value as etcd gets it when it is one variable ("$VAR",
 * "${VAR}", "$(VAR)") the script or env defines; the value itself when it
 * names none; NULL when it is a variable rehearse cannot resolve. */
static const char *etcd_value(const ketcd *e, const char *v)
{
	if (!v || v[0] != '$')
		return v;
	size_t n;
	if (v[1] == '{' || v[1] == '(') {
		const char *end = strchr(v, v[1] == '{' ? '}' : ')');
		if (!end || end[1])
			return NULL;
		n = (size_t)(end - v - 2);
		v += 2;
	} else {
		n = strlen(v + 1);
		v += 1;
	}
	return n ? ketcd_var(e, v, n) : NULL;
}

/* Does any torchrun in the document use an etcd rendezvous backend
 * (etcd or etcd-v2, both of which speak the v2 API)? */
static int doc_uses_etcd_rdzv(fix_ctx *c, const wf_doc *d)
{
	tr_job *jobs;
	size_t nj;
	if (tr_find(c->a, d, &jobs, &nj)) {
		c->oom = 1;
		return 0;
	}
	return tr_jobs_use_etcd(jobs, nj);
}

/* Pin an unpinned etcd image to a 3.5 release (the last with the v2 API). */
static void pin_etcd_image(fix_ctx *c, struct pod *p, ynode *ctr)
{
	static const char *const official[] = {"quay.io/coreos/etcd", "gcr.io/etcd-development/etcd"};
	ynode *in = yn_get(ctr, "image");
	const char *image = yn_str(in);
	if (!image || strchr(image, '@') || has_template_expr(image))
		return;
	const char *colon = strrchr(image, ':');
	if (colon && strchr(colon, '/'))
		colon = NULL;
	const char *tag = colon ? colon + 1 : NULL;
	size_t rl = colon ? (size_t)(colon - image) : strlen(image);
	if (tag && strcmp(tag, "latest")) {
		unsigned maj = 0, min = 0;
		if (sscanf(tag[0] == 'v' ? tag + 1 : tag, "%u.%u", &maj, &min) == 2 && (maj > 3 || (maj == 3 && min >= 6)))
			fix_log_add(c, 0, "etcd-v2", R_ETCD_IMAGE, in,
				    "etcd %s has no v2 API (removed in 3.6); not downgrading it: choose a 3.5 tag "
				    "or a c10d rendezvous", tag);
		return;
	}
	for (size_t i = 0; i < sizeof official / sizeof official[0]; i++) {
		if (strlen(official[i]) == rl && !strncmp(image, official[i], rl)) {
			char buf[256];
			snprintf(buf, sizeof buf, "%.*s:%s", (int)rl, image, ETCD_PIN_TAG);
			fix_log_add(c, 1, "etcd-v2", R_ETCD_IMAGE, in,
				    "pinned etcd image %s to %s (3.5 is the last release with the v2 API)", image, buf);
			set(c, ctr, "image", new_str(c, buf, in->style == YN_PLAIN ? YN_PLAIN : in->style));
			changed(c, p);
			return;
		}
	}
	fix_log_add(c, 0, "etcd-v2", R_ETCD_IMAGE, in,
		    "etcd image %s is not pinned and its registry's tag scheme is unknown to rehearse; "
		    "pin an etcd 3.5 tag by hand", image);
}

/* Turn the v2 API on: torchrun's etcd and etcd-v2 rendezvous talk v2,
 * which etcd 3.4 and 3.5 serve only with --enable-v2. */
static void enable_v2(fix_ctx *c, struct pod *p, ynode *ctr)
{
	const ynode *env = yn_get(ctr, "env");
	for (size_t i = 0; env && env->kind == YN_SEQ && i < env->n; i++) {
		const char *en = yn_get_str(env->item[i], "name");
		const char *ev = yn_get_str(env->item[i], "value");
		if (en && !strcmp(en, "ETCD_ENABLE_V2") && ev && !strcmp(ev, "true"))
			return;
	}
	ketcd e;
	int rc = ketcd_read(c->a, ctr, &e);
	if (rc < 0) {
		c->oom = 1;
		return;
	}
	if (rc == 0 || e.at == ctr) {
		fix_log_add(c, 0, "etcd-v2", R_ETCD_V2, ctr,
			    "cannot see how this etcd container starts etcd; add --enable-v2 by hand");
		return;
	}
	if (ketcd_flag_index(&e, "--enable-v2") >= 0) {
		struct loc l;
		const char *v = ketcd_flag(&e, "--enable-v2", NULL);
		if (v && (!strcmp(v, "false") || !strcmp(v, "0")) && !etcd_flag_loc(ctr, &e, "--enable-v2", &l)) {
			fix_log_add(c, 1, "etcd-v2", R_ETCD_V2, l.seq->item[l.idx], "--enable-v2=%s set to true", v);
			loc_replace(c, &l, "true");
			changed(c, p);
		}
		return;
	}
	if (e.script) {
		struct loc ins;
		if (loc_in_ctr(ctr, e.script, e.at_off + e.at_len, 0, &ins)) {
			fix_log_add(c, 0, "etcd-v2", R_ETCD_V2, e.script,
				    "cannot find where the script starts etcd; add --enable-v2 by hand");
			return;
		}
		fix_log_add(c, 1, "etcd-v2", R_ETCD_V2, e.script, "added --enable-v2 to the etcd command line");
		loc_replace(c, &ins, " --enable-v2");
		changed(c, p);
		return;
	}
	ynode *cmd = W(yn_get(ctr, "command")), *args = W(yn_get(ctr, "args"));
	ynode *to = args && args->kind == YN_SEQ ? args : cmd;
	fix_log_add(c, 1, "etcd-v2", R_ETCD_V2, to, "added --enable-v2 to the etcd arguments");
	append(c, to, new_str(c, "--enable-v2", YN_PLAIN));
	changed(c, p);
}

static void etcd_v2_pod(fix_ctx *c, struct pod *p)
{
	if (!p->mf || !doc_uses_etcd_rdzv(c, p->doc))
		return;
	for (size_t k = 0; k < p->nctr && !c->oom; k++) {
		if (!kimage_is_etcd(yn_get_str(p->ctr[k], "image")))
			continue;
		pin_etcd_image(c, p, p->ctr[k]);
		enable_v2(c, p, p->ctr[k]);
	}
}

static void fix_etcd_v2(fix_ctx *c) { each_pod(c, etcd_v2_pod); }

/* etcd-peer-url: a member must advertise the peer URL that --initial-cluster
 * lists for it, or etcd refuses to start ("--initial-cluster has X but
 * missing from --initial-advertise-peer-urls"). The URL is derived from
 * the list itself: each entry NAME=URL with NAME replaced by the value of
 * --name (${HOSTNAME} in a StatefulSet) must give one URL for all. */
static void peer_pod(fix_ctx *c, struct pod *p)
{
	for (size_t k = 0; k < p->nctr && !c->oom; k++) {
		if (!p->mf || !kimage_is_etcd(yn_get_str(p->ctr[k], "image")))
			continue;
		ketcd e;
		struct loc la;
		int rc = ketcd_read(c->a, p->ctr[k], &e);
		if (rc < 0) {
			c->oom = 1;
			return;
		}
		const char *name = ketcd_flag(&e, "--name", NULL);
		const char *adv = ketcd_flag(&e, "--initial-advertise-peer-urls", NULL);
		const char *cl0 = ketcd_flag(&e, "--initial-cluster", NULL);
		if (rc == 0 || !name || !adv || !cl0 || etcd_flag_loc(p->ctr[k], &e, "--initial-advertise-peer-urls", &la))
			continue;
		const char *cv = etcd_value(&e, cl0);
		char *cl = cv ? strdup(cv) : NULL;
		char *want = NULL;
		if (cv && !cl) {
			c->oom = 1;
			goto next;
		}
		if (!cl || !strchr(name, '$') || strchr(adv, ','))
			goto next; /* cannot derive the member's URL safely */
		for (char *save, *ent = strtok_r(cl, ",", &save); ent; ent = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(ent, '=');
			if (!eq)
				goto next;
			*eq = 0;
			const char *url = eq + 1;
			const char *at = strstr(url, ent);
			if (!*ent || !at)
				goto next;
			size_t nl = strlen(ent), tl = strlen(url) - nl + strlen(name);
			char *t = malloc(tl + 1);
			if (!t) {
				c->oom = 1;
				goto next;
			}
			snprintf(t, tl + 1, "%.*s%s%s", (int)(at - url), url, name, at + nl);
			if (want && strcmp(want, t)) {
				free(t);
				free(want);
				want = NULL;
				goto next; /* the entries disagree: no single rule to follow */
			}
			free(want);
			want = t;
		}
		if (want && strcmp(want, adv)) {
			fix_log_add(c, 1, "etcd-peer-url", R_ETCD_PEER, la.seq->item[la.idx],
				    "--initial-advertise-peer-urls %s changed to %s, the URL --initial-cluster lists "
				    "for this member", adv, want);
			loc_replace(c, &la, want);
			changed(c, p);
		}
next:
		free(cl);
		free(want);
	}
}

static void fix_peer(fix_ctx *c) { each_pod(c, peer_pod); }

/* ------------------------------------------------- objects the workflow creates */

/* The object of `kind` named `name` that the document creates (NULL if none). */
static const ynode *created_object(const fix_ctx *c, const wf_doc *d, const char *kind, const char *name)
{
	for (size_t i = 0; i < c->nmf; i++) {
		if (c->mf[i].doc != d)
			continue;
		for (size_t k = 0; k < c->mf[i].ndocs; k++) {
			const ynode *r = c->mf[i].docs[k].root;
			const char *rk = yn_get_str(r, "kind");
			const char *n = yn_get_str(yn_get(r, "metadata"), "name");
			if (rk && n && !strcmp(rk, kind) && !strcmp(n, name))
				return r;
		}
	}
	return NULL;
}

static int added_service(const fix_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->nadded_svc; i++)
		if (!strcmp(c->added_svc[i], name))
			return 1;
	return 0;
}

static int known_service(const fix_ctx *c, const char *name)
{
	const lint_config *cfg = c->opts->lint;
	for (size_t i = 0; cfg && i < cfg->nknown_services; i++)
		if (!strcmp(cfg->known_services[i], name))
			return 1;
	return 0;
}

/* A template name (and DAG task name) not yet used in the document. */
static const char *unique_name(fix_ctx *c, const wf_doc *d, const char *base)
{
	const char *n = arena_strdup(c->a, base);
	for (unsigned k = 2; n && (tmpl_by_name(d, n) || added_service(c, n)); k++)
		n = arena_printf(c->a, "%s-%u", base, k);
	if (!n)
		c->oom = 1;
	return n;
}

/* The headless Service a StatefulSet's serviceName needs: same selector,
 * one port per container port, DNS for pods before they are ready (etcd
 * members must find each other to become ready at all). */
static ynode *headless_service(fix_ctx *c, const ynode *sts, const char *svc)
{
	const ynode *spec = yn_get(sts, "spec");
	const ynode *sel = yn_get(yn_get(spec, "selector"), "matchLabels");
	if (!sel || sel->kind != YN_MAP || !sel->n)
		return NULL;
	ynode *root = new_map(c), *md = new_map(c), *sp = new_map(c), *ports = new_seq(c);
	if (c->oom)
		return NULL;
	set(c, root, "apiVersion", new_str(c, "v1", YN_PLAIN));
	set(c, root, "kind", new_str(c, "Service", YN_PLAIN));
	set(c, md, "name", new_str(c, svc, YN_PLAIN));
	const ynode *ns = yn_get(yn_get(sts, "metadata"), "namespace");
	if (ns)
		set(c, md, "namespace", yn_copy(c->a, ns));
	const ynode *labels = yn_get(yn_get(sts, "metadata"), "labels");
	if (labels && labels->kind == YN_MAP)
		set(c, md, "labels", yn_copy(c->a, labels));
	set(c, root, "metadata", md);
	set(c, sp, "clusterIP", new_str(c, "None", YN_PLAIN));
	set(c, sp, "publishNotReadyAddresses", new_str(c, "true", YN_PLAIN));
	set(c, sp, "selector", yn_copy(c->a, sel));
	const ynode *ctrs = yn_get(pod_spec_of(sts), "containers");
	for (size_t i = 0; ctrs && ctrs->kind == YN_SEQ && i < ctrs->n; i++) {
		const ynode *cp = yn_get(ctrs->item[i], "ports");
		for (size_t j = 0; cp && cp->kind == YN_SEQ && j < cp->n; j++) {
			const ynode *num = yn_get(cp->item[j], "containerPort");
			if (!yn_str(num))
				continue;
			ynode *port = new_map(c);
			const ynode *pn = yn_get(cp->item[j], "name");
			/* a Service with several ports must name each */
			set(c, port, "name", pn ? yn_copy(c->a, pn) : new_str(c, arena_printf(c->a, "port-%s", num->str), YN_PLAIN));
			set(c, port, "port", yn_copy(c->a, num));
			const ynode *proto = yn_get(cp->item[j], "protocol");
			if (proto)
				set(c, port, "protocol", yn_copy(c->a, proto));
			append(c, ports, port);
		}
	}
	if (ports->n)
		set(c, sp, "ports", ports);
	set(c, root, "spec", sp);
	return c->oom ? NULL : root;
}

static size_t index_in(const ynode *seq, const ynode *item)
{
	for (size_t i = 0; seq && seq->kind == YN_SEQ && i < seq->n; i++)
		if (seq->item[i] == item)
			return i;
	return (size_t)-1;
}

/* Make the task that creates the StatefulSet wait for `svc_task`. */
static void add_dependency(fix_ctx *c, const wf_template *dag, const wf_task *t, const char *svc_task)
{
	ynode *tasks = W(yn_get(yn_get(dag->node, "dag"), "tasks"));
	int uses_deps = 0;
	for (size_t i = 0; i < dag->ntasks; i++)
		uses_deps |= dag->tasks[i].dependencies != NULL;
	ynode *nt = new_map(c);
	set(c, nt, "name", new_str(c, svc_task, YN_PLAIN));
	set(c, nt, "template", new_str(c, svc_task, YN_PLAIN));
	ynode *tn = W(t->node);
	/* Argo refuses a DAG that mixes `depends` and `dependencies`. */
	if (uses_deps) {
		if (t->dependencies)
			set(c, nt, "dependencies", yn_copy(c->a, t->dependencies));
		ynode *deps = W(t->dependencies);
		if (!deps || deps->kind != YN_SEQ)
			set(c, tn, "dependencies", deps = new_seq(c));
		append(c, deps, new_str(c, svc_task, YN_PLAIN));
	} else {
		const char *old = t->depends;
		if (old && *old)
			set(c, nt, "depends", new_str(c, old, YN_PLAIN));
		const char *dep = !old || !*old ? svc_task
			: strpbrk(old, "|!") ? arena_printf(c->a, "(%s) && %s", old, svc_task)
			: arena_printf(c->a, "%s && %s", old, svc_task);
		set(c, tn, "depends", dep ? new_str(c, dep, YN_PLAIN) : NULL);
	}
	size_t at = index_in(tasks, t->node);
	if (!c->oom && at != (size_t)-1)
		insert_at(c, tasks, at, nt);
}

/* headless-service: a StatefulSet's pods get stable DNS names
 * (etcd-0.etcd) only through a headless Service named by serviceName;
 * without it the etcd peers never find each other. */
static void fix_headless(fix_ctx *c)
{
	size_t nmf = c->nmf;
	for (size_t i = 0; i < nmf && !c->oom; i++) {
		fix_manifest *m = &c->mf[i];
		const wf_doc *d = m->doc;
		for (size_t k = 0; k < m->ndocs && !c->oom; k++) {
			const ynode *sts = m->docs[k].root;
			const ynode *sn = yn_get(yn_get(sts, "spec"), "serviceName");
			const char *svc = yn_str(sn);
			if (!kmanifest_is(sts, "StatefulSet") || !svc || !*svc || has_template_expr(svc))
				continue;
			if (known_service(c, svc) || added_service(c, svc))
				continue;
			const ynode *have = created_object(c, d, "Service", svc);
			if (have) {
				if (strcmp(yn_get_str(yn_get(have, "spec"), "clusterIP") ? yn_get_str(yn_get(have, "spec"), "clusterIP") : "", "None"))
					fix_log_add(c, 0, "headless-service", R_HEADLESS, sn,
						    "the workflow creates a Service '%s' that is not headless; "
						    "make it clusterIP: None by hand (or rename one)", svc);
				continue;
			}
			/* Who runs the StatefulSet's template? */
			const wf_template *caller = NULL;
			const wf_task *task = NULL;
			for (size_t ti = 0; ti < d->spec.ntemplates && !task; ti++) {
				const wf_template *t = &d->spec.templates[ti];
				for (size_t j = 0; j < t->ntasks && !task; j++)
					if (t->tasks[j].tmpl && !strcmp(t->tasks[j].tmpl, m->tmpl->name ? m->tmpl->name : ""))
						caller = t, task = &t->tasks[j];
			}
			if (!task) {
				fix_log_add(c, 0, "headless-service", R_HEADLESS, sn,
					    "no DAG task runs the template that creates StatefulSet '%s'; add the "
					    "headless Service '%s' by hand", yn_get_str(yn_get(sts, "metadata"), "name"), svc);
				continue;
			}
			ynode *root = headless_service(c, sts, svc);
			if (!root) {
				if (!c->oom)
					fix_log_add(c, 0, "headless-service", R_HEADLESS, sn,
						    "StatefulSet has no spec.selector.matchLabels to select its pods by; "
						    "add the headless Service '%s' by hand", svc);
				continue;
			}
			const char *name = unique_name(c, d, arena_printf(c->a, "create-%s-headless-service", svc));
			size_t len;
			to_block(root, 0);
			char *text = name ? yn_emit_string(root, &len) : NULL;
			ynode *tmpl = new_map(c), *res = new_map(c);
			if (!text || c->oom) {
				free(text);
				c->oom = 1;
				return;
			}
			set(c, tmpl, "name", new_str(c, name, YN_PLAIN));
			set(c, res, "action", new_str(c, "apply", YN_PLAIN));
			set(c, res, "manifest", new_str(c, text, YN_LITERAL));
			free(text);
			set(c, tmpl, "resource", res);
			ynode *tl = W(d->spec.templates_node);
			size_t at = index_in(tl, m->tmpl->node);
			if (c->oom || at == (size_t)-1)
				return;
			insert_at(c, tl, at + 1, tmpl);
			add_dependency(c, caller, task, name);
			const char **v = realloc(c->added_svc, (c->nadded_svc + 2) * sizeof *v);
			if (!v) {
				c->oom = 1;
				return;
			}
			c->added_svc = v;
			v[c->nadded_svc++] = arena_strdup(c->a, svc);
			v[c->nadded_svc++] = name;
			fix_log_add(c, 1, "headless-service", R_HEADLESS, sn,
				    "added template '%s' (headless Service '%s' for the StatefulSet's pods) and DAG "
				    "task '%s', which '%s' now waits for", name, svc, name, task->name ? task->name : "?");
			c->changed = 1;
		}
	}
}

/* apply-not-create: `create` of an object with a fixed name fails with
 * AlreadyExists whenever the last run's object is still there (a failed
 * exit handler, a second submission); `apply` creates or updates. */
static void fix_apply(fix_ctx *c)
{
	for (size_t i = 0; i < c->nmf; i++) {
		fix_manifest *m = &c->mf[i];
		const wf_resource *r = m->tmpl->resource;
		if (!r->action || strcmp(r->action, "create") || !m->ndocs)
			continue;
		int fixed_names = 1;
		for (size_t k = 0; k < m->ndocs; k++) {
			const ynode *md = yn_get(m->docs[k].root, "metadata");
			const char *n = yn_get_str(md, "name");
			if (!n || has_template_expr(n) || yn_get(md, "generateName"))
				fixed_names = 0;
		}
		if (!fixed_names)
			continue;
		fix_log_add(c, 1, "apply-not-create", R_CREATE, r->action_node,
			    "template '%s': action create changed to apply (its objects have fixed names)",
			    m->tmpl->name ? m->tmpl->name : "?");
		set(c, W(yn_get(m->tmpl->node, "resource")), "action", new_str(c, "apply", YN_PLAIN));
		c->changed = 1;
	}
}

/* ------------------------------------------------------------ exit handler */

static int flags_have(const ynode *flags, const char *f)
{
	for (size_t i = 0; flags && flags->kind == YN_SEQ && i < flags->n; i++)
		if (yn_str(flags->item[i]) && !strcmp(flags->item[i]->str, f))
			return 1;
	return 0;
}

static void add_flag(fix_ctx *c, ynode *flags, const char *f, const char *why, const wf_template *t)
{
	if (flags_have(flags, f))
		return;
	if (f[0] == '-')
		fix_log_add(c, 1, "exit-cleanup", R_EXIT_CLEANUP, flags, "exit handler template '%s': added %s (%s)",
			    t->name ? t->name : "?", f, why);
	else
		fix_log_add(c, 1, "exit-cleanup", R_EXIT_CLEANUP, flags,
			    "exit handler template '%s' also deletes %s (%s)", t->name ? t->name : "?", f, why);
	append(c, flags, new_str(c, f, string_style(f)));
	c->changed = 1;
}

/* The deletes of one exit-handler template: tolerate objects already gone
 * (a run that failed before creating them), and take the StatefulSet's
 * PVCs and headless Service along, which Kubernetes keeps after the
 * StatefulSet is deleted: storage billed every run, forever. */
static void cleanup_template(fix_ctx *c, const wf_doc *d, const wf_template *t)
{
	const wf_resource *r = t->resource;
	ynode *flags = W(r->flags);
	/* no --ignore-not-found: Argo's executor adds it to every delete */
	if (!flags || flags->kind != YN_SEQ)
		return;
	size_t n0 = flags->n;
	for (size_t i = 0; i < n0 && !c->oom; i++) {
		const char *f = yn_str(flags->item[i]);
		const char *slash = f ? strchr(f, '/') : NULL;
		if (!slash)
			continue;
		if (!ktype_is(f, (size_t)(slash - f), "StatefulSet"))
			continue;
		const ynode *sts = created_object(c, d, "StatefulSet", slash + 1);
		if (!sts)
			continue;
		const ynode *spec = yn_get(sts, "spec");
		long long replicas = 1;
		const ynode *rn = yn_get(spec, "replicas");
		if (rn && yn_int(rn, &replicas)) {
			fix_log_add(c, 0, "exit-cleanup", R_EXIT_CLEANUP, flags->item[i],
				    "StatefulSet %s has replicas '%s': cannot name its PVCs to delete them",
				    slash + 1, yn_str(rn) ? yn_str(rn) : "?");
			continue;
		}
		const ynode *vct = yn_get(spec, "volumeClaimTemplates");
		for (size_t v = 0; vct && vct->kind == YN_SEQ && v < vct->n && replicas <= 1000; v++) {
			const char *vn = yn_get_str(yn_get(vct->item[v], "metadata"), "name");
			if (!vn)
				continue;
			for (long long k = 0; k < replicas; k++) {
				char *pvc = arena_printf(c->a, "pvc/%s-%s-%lld", vn, slash + 1, k);
				if (!pvc)
					return (void)(c->oom = 1);
				add_flag(c, flags, pvc, "StatefulSet PVCs outlive the StatefulSet", t);
			}
		}
		const char *svc = yn_get_str(spec, "serviceName");
		if (svc && (created_object(c, d, "Service", svc) || added_service(c, svc)) &&
		    !flags_have(flags, arena_printf(c->a, "service/%s", svc)) &&
		    !flags_have(flags, arena_printf(c->a, "services/%s", svc)))
			add_flag(c, flags, arena_printf(c->a, "svc/%s", svc), "the StatefulSet's headless Service", t);
	}
}

static void fix_exit(fix_ctx *c)
{
	for (size_t di = 0; di < wf_set_count(c->set) && !c->oom; di++) {
		const wf_doc *d = wf_set_doc(c->set, di);
		if (!d->spec.on_exit || !d->spec.ntemplates)
			continue;
		/* Templates reachable from the exit handler, breadth first. */
		const wf_template **q = calloc(d->spec.ntemplates, sizeof *q);
		if (!q)
			return (void)(c->oom = 1);
		size_t nq = 0;
		const wf_template *h = tmpl_by_name(d, d->spec.on_exit);
		if (h)
			q[nq++] = h;
		for (size_t i = 0; i < nq; i++) {
			const wf_template *t = q[i];
			for (size_t j = 0; j < t->ntasks + t->ngroups; j++) {
				size_t ns = j < t->ntasks ? 1 : t->groups[j - t->ntasks].n;
				for (size_t s = 0; s < ns; s++) {
					const wf_task *k = j < t->ntasks ? &t->tasks[j] : &t->groups[j - t->ntasks].steps[s];
					const wf_template *u = tmpl_by_name(d, k->tmpl);
					int seen = !u;
					for (size_t x = 0; x < nq && !seen; x++)
						seen = q[x] == u;
					if (!seen && nq < d->spec.ntemplates)
						q[nq++] = u;
				}
			}
		}
		for (size_t i = 0; i < nq && !c->oom; i++)
			if (q[i]->resource && q[i]->resource->action && !strcmp(q[i]->resource->action, "delete"))
				cleanup_template(c, d, q[i]);
		free(q);
	}
}

/* rescale (--nodes N): the torchrun fan-out to N pods; document/rescale.h
 * does the work. */
static void rescale_said(void *u, const ynode *at, const char *what)
{
	fix_log_add(u, 1, "rescale", "", at, "%s", what);
}

static void fix_rescale(fix_ctx *c)
{
	if (!c->opts || !c->opts->nodes)
		return;
	for (size_t i = 0; i < wf_set_count(c->set); i++) {
		tr_job *jobs;
		size_t nj;
		if (tr_find(c->a, wf_set_doc(c->set, i), &jobs, &nj)) {
			c->oom = 1;
			return;
		}
		for (size_t k = 0; k < nj; k++) {
			char err[512];
			int rc = rescale_job(c->a, &jobs[k], c->opts->nodes, rescale_said, c, err, sizeof err);
			if (rc > 0)
				c->changed = 1;
			else if (rc < 0 && !err[0])
				c->oom = 1;
			else if (rc < 0 && c->iter == 0)
				fix_log_add(c, 0, "rescale", "", jobs[k].cmd ? jobs[k].cmd->at : NULL,
					    "cannot re-scale template '%s' to %u nodes: %s", jobs[k].tmpl->name,
					    c->opts->nodes, err);
		}
	}
}

/* ------------------------------------------------------------ rdzv id */

/* Where an argv element lives: its sequence and index in the container. */
static int argv_loc(const wf_container *ctr, const ynode *item, ynode **seq, size_t *idx)
{
	const ynode *seqs[2] = {ctr->command, ctr->args};
	for (int s = 0; s < 2; s++) {
		size_t i = index_in(seqs[s], item);
		if (i != (size_t)-1) {
			*seq = W(seqs[s]);
			*idx = i;
			return 0;
		}
	}
	return -1;
}

#define RUN_UID "{{workflow.uid}}"

/* rdzv-id: torchrun's etcd rendezvous keeps a run's state in etcd under
 * its id; a constant id meets the last run's closed rendezvous. Argo's
 * {{workflow.uid}} is one value for all ranks of a run and new every run,
 * which is exactly what the id must be. Replaced where the constant is
 * written: the callers' argument, or the option itself. */
static void fix_rdzv_id(fix_ctx *c)
{
	for (size_t di = 0; di < wf_set_count(c->set) && !c->oom; di++) {
		const wf_doc *d = wf_set_doc(c->set, di);
		tr_job *jobs;
		size_t nj;
		if (tr_find(c->a, d, &jobs, &nj)) {
			c->oom = 1;
			return;
		}
		for (size_t i = 0; i < nj && !c->oom; i++) {
			const tr_job *j = &jobs[i];
			const tr_opt *b = tr_get(j->cmd, "rdzv-backend");
			if (!b || !b->value || strncmp(b->value, "etcd", 4) || !j->ncalls)
				continue;
			const tr_opt *o = tr_get(j->cmd, "rdzv-id");
			int constant = 1;
			for (size_t k = 0; k < j->ncalls && o; k++) {
				const char *v = tr_call_opt(c->a, j, &j->calls[k], "rdzv-id", NULL);
				constant &= v && !tr_unresolved(v);
			}
			if (!constant)
				continue;
			char pname[128];
			if (o && o->value && sscanf(o->value, "{{inputs.parameters.%127[^} ]}}", pname) == 1) {
				for (size_t k = 0; k < j->ncalls; k++) {
					const wf_io *io = &j->calls[k].task->arguments;
					const wf_param *p = NULL;
					for (size_t q = 0; q < io->nparams; q++)
						if (io->params[q].name && !strcmp(io->params[q].name, pname))
							p = &io->params[q];
					if (!p || !p->value || p->value->kind != YN_SCALAR) {
						fix_log_add(c, 0, "rdzv-id", R_RDZV_ID, j->calls[k].task->node,
							    "task '%s' passes no '%s' (the input's default is used); set it "
							    "to '" RUN_UID "' by hand", j->calls[k].task->name ? j->calls[k].task->name : "?", pname);
						continue;
					}
					if (!strcmp(p->value->str, RUN_UID))
						continue;
					fix_log_add(c, 1, "rdzv-id", R_RDZV_ID, p->value,
						    "task '%s': rendezvous id '%s' replaced by '" RUN_UID "' (one per run)",
						    j->calls[k].task->name ? j->calls[k].task->name : "?", p->value->str);
					set(c, W(p->node), "value", new_str(c, RUN_UID, YN_SINGLE));
					c->changed = 1;
				}
				continue;
			}
			ynode *seq;
			size_t idx;
			if (o && o->value && o->value_node && !argv_loc(j->ctr, o->value_node, &seq, &idx)) {
				fix_log_add(c, 1, "rdzv-id", R_RDZV_ID, o->value_node,
					    "template '%s': --rdzv-id '%s' replaced by '" RUN_UID "' (one per run)",
					    j->tmpl->name ? j->tmpl->name : "?", o->value);
				struct loc l = {seq, idx, o->off, o->len};
				loc_replace(c, &l, j->cmd->script ? "\"" RUN_UID "\"" : RUN_UID);
				/* "{{" cannot start or sit in a plain scalar in a flow list */
				if (!c->oom && seq->item[idx]->style == YN_PLAIN)
					seq->item[idx]->style = YN_SINGLE;
				c->changed = 1;
				continue;
			}
			if (!o && !j->cmd->script && j->cmd->program_node &&
			    !argv_loc(j->ctr, j->cmd->program_node, &seq, &idx)) {
				fix_log_add(c, 1, "rdzv-id", R_RDZV_ID, j->cmd->program_node,
					    "template '%s': added --rdzv-id '" RUN_UID "' (torchrun's default id is the "
					    "same every run)", j->tmpl->name ? j->tmpl->name : "?");
				insert_at(c, seq, idx, new_str(c, RUN_UID, YN_SINGLE));
				insert_at(c, seq, idx, new_str(c, "--rdzv-id", YN_PLAIN));
				c->changed = 1;
				continue;
			}
			fix_log_add(c, 0, "rdzv-id", R_RDZV_ID, o ? o->node : j->cmd->at,
				    "cannot place a per-run rendezvous id here; use --rdzv-id '" RUN_UID "' by hand");
		}
	}
}

const fix_pass fix_passes[] = {
	{"rescale", "", "with --nodes N: re-scale the torchrun fan-out (rank tasks, node ranks, per-rank "
			"volumeClaimTemplates, --nnodes) to N pods", fix_rescale},
	{"dedupe-mounts", R_DUP_MOUNT, "drop a volumeMount identical to an earlier one", fix_dedupe},
	{"split-argv", R_ARGV_SPACE, "split a command element of plain words (\"bash -c\") into argv words", fix_split},
	{"shm-memory", R_SHM_MEDIUM, "give the /dev/shm emptyDir medium: Memory", fix_shm},
	{"etcd-v2", R_ETCD_V2 " " R_ETCD_IMAGE,
	 "for an etcd rendezvous: --enable-v2 on the workflow's etcd, image pinned to etcd " ETCD_PIN_TAG, fix_etcd_v2},
	{"etcd-peer-url", R_ETCD_PEER, "advertise the peer URL that --initial-cluster lists for the member", fix_peer},
	{"headless-service", R_HEADLESS,
	 "add the headless Service a StatefulSet's serviceName names, and a DAG task before the StatefulSet", fix_headless},
	{"apply-not-create", R_CREATE, "action apply, not create, for objects with fixed names", fix_apply},
	{"exit-cleanup", R_EXIT_CLEANUP,
	 "exit-handler deletes of a StatefulSet: its PVCs and headless Service too", fix_exit},
	{"rdzv-id", R_RDZV_ID, "a per-run torchrun rendezvous id ({{workflow.uid}}) for an etcd rendezvous", fix_rdzv_id},
};

const size_t fix_passes_count = sizeof fix_passes / sizeof fix_passes[0];
