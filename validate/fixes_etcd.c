/* fixes_etcd.c: fixes of the etcd a workflow runs for torchrun's etcd
 * rendezvous (etcd-* rules): the v2 API, a pinned 3.5 image, the peer URL
 * each member advertises. etcd's command line is read once, by
 * validate/objects.h (ketcd_read), as the etcd- rules read it; a pass
 * edits the bytes ketcd says a value came from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/torchrun.h"
#include "validate/fixes.h"
#include "validate/objects.h"

/* The etcd 3.5 image that pinning picks: 3.5 is the last minor with the
 * v2 API (removed in 3.6, see ../shared/facts.md); v3.5.21 is a 3.5 patch
 * release of 2025 (k3s-io/k3s#12132 bumps to it). */
#define ETCD_PIN_TAG "v3.5.21"

#define R_ETCD_V2      "etcd-v2-disabled"
#define R_ETCD_IMAGE   "etcd-image-unpinned"
#define R_ETCD_PEER    "etcd-peer-url-mismatch"

/* Where bytes [off, off+len) of `node` sit in ctr's command or args
 * (the element itself, or the script element for a script): -1 if the
 * node is not one of them. */
static int loc_in_ctr(ynode *ctr, const ynode *node, size_t off, size_t len, fix_loc *out)
{
	ynode *seqs[2] = {fix_w(yn_get(ctr, "command")), fix_w(yn_get(ctr, "args"))};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; seqs[k] && seqs[k]->kind == YN_SEQ && i < seqs[k]->n; i++)
			if (seqs[k]->item[i] == node) {
				*out = (fix_loc){seqs[k], i, off, len};
				return 0;
			}
	return -1;
}

/* Where the value of etcd flag `flag` is written: -1 when the flag is
 * absent or has no value. */
static int etcd_flag_loc(ynode *ctr, const ketcd *e, const char *flag, fix_loc *out)
{
	long i = ketcd_flag_index(e, flag);
	if (i < 0 || !e->flag[i].vnode)
		return -1;
	return loc_in_ctr(ctr, e->flag[i].vnode, e->flag[i].voff, e->flag[i].vlen, out);
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
static void pin_etcd_image(fix_ctx *c, fix_pod *p, ynode *ctr)
{
	fix_answer(c, R_ETCD_IMAGE);
	static const char *const official[] = {"quay.io/coreos/etcd", "gcr.io/etcd-development/etcd"};
	ynode *in = yn_get(ctr, "image");
	const char *image = yn_str(in);
	if (!image || strchr(image, '@') || fix_templated(image))
		return;
	const char *colon = strrchr(image, ':');
	if (colon && strchr(colon, '/'))
		colon = NULL;
	const char *tag = colon ? colon + 1 : NULL;
	size_t rl = colon ? (size_t)(colon - image) : strlen(image);
	if (tag && strcmp(tag, "latest")) {
		unsigned maj = 0, min = 0;
		if (sscanf(tag[0] == 'v' ? tag + 1 : tag, "%u.%u", &maj, &min) == 2 && (maj > 3 || (maj == 3 && min >= 6)))
			fix_declined(c, in,
				    "etcd %s has no v2 API (removed in 3.6); not downgrading it: choose a 3.5 tag "
				    "or a c10d rendezvous", tag);
		return;
	}
	for (size_t i = 0; i < sizeof official / sizeof official[0]; i++) {
		if (strlen(official[i]) == rl && !strncmp(image, official[i], rl)) {
			char buf[256];
			snprintf(buf, sizeof buf, "%.*s:%s", (int)rl, image, ETCD_PIN_TAG);
			fix_applied(c, in,
				    "pinned etcd image %s to %s (3.5 is the last release with the v2 API)", image, buf);
			fix_set(c, ctr, "image", fix_str(c, buf, in->style == YN_PLAIN ? YN_PLAIN : in->style));
			fix_touch(c, p);
			return;
		}
	}
	fix_declined(c, in,
		    "etcd image %s is not pinned and its registry's tag scheme is unknown to rehearse; "
		    "pin an etcd 3.5 tag by hand", image);
}

/* Turn the v2 API on: torchrun's etcd and etcd-v2 rendezvous talk v2,
 * which etcd 3.4 and 3.5 serve only with --enable-v2. */
static void enable_v2(fix_ctx *c, fix_pod *p, ynode *ctr)
{
	fix_answer(c, R_ETCD_V2);
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
		fix_declined(c, ctr,
			    "cannot see how this etcd container starts etcd; add --enable-v2 by hand");
		return;
	}
	if (ketcd_flag_index(&e, "--enable-v2") >= 0) {
		fix_loc l;
		const char *v = ketcd_flag(&e, "--enable-v2", NULL);
		if (v && (!strcmp(v, "false") || !strcmp(v, "0")) && !etcd_flag_loc(ctr, &e, "--enable-v2", &l)) {
			fix_applied(c, l.seq->item[l.idx], "--enable-v2=%s set to true", v);
			fix_loc_replace(c, &l, "true");
			fix_touch(c, p);
		}
		return;
	}
	if (e.script) {
		fix_loc ins;
		if (loc_in_ctr(ctr, e.script, e.at_off + e.at_len, 0, &ins)) {
			fix_declined(c, e.script,
				    "cannot find where the script starts etcd; add --enable-v2 by hand");
			return;
		}
		fix_applied(c, e.script, "added --enable-v2 to the etcd command line");
		fix_loc_replace(c, &ins, " --enable-v2");
		fix_touch(c, p);
		return;
	}
	ynode *cmd = fix_w(yn_get(ctr, "command")), *args = fix_w(yn_get(ctr, "args"));
	ynode *to = args && args->kind == YN_SEQ ? args : cmd;
	fix_applied(c, to, "added --enable-v2 to the etcd arguments");
	fix_append(c, to, fix_str(c, "--enable-v2", YN_PLAIN));
	fix_touch(c, p);
}

static void etcd_v2_pod(fix_ctx *c, fix_pod *p)
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

static void fix_etcd_v2(fix_ctx *c) { fix_each_pod(c, etcd_v2_pod); }

/* etcd-peer-url: a member must advertise the peer URL that --initial-cluster
 * lists for it, or etcd refuses to start ("--initial-cluster has X but
 * missing from --initial-advertise-peer-urls"). The URL is derived from
 * the list itself: each entry NAME=URL with NAME replaced by the value of
 * --name (${HOSTNAME} in a StatefulSet) must give one URL for all. */
static void peer_pod(fix_ctx *c, fix_pod *p)
{
	for (size_t k = 0; k < p->nctr && !c->oom; k++) {
		if (!p->mf || !kimage_is_etcd(yn_get_str(p->ctr[k], "image")))
			continue;
		ketcd e;
		fix_loc la;
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
			fix_applied(c, la.seq->item[la.idx],
				    "--initial-advertise-peer-urls %s changed to %s, the URL --initial-cluster lists "
				    "for this member", adv, want);
			fix_loc_replace(c, &la, want);
			fix_touch(c, p);
		}
next:
		free(cl);
		free(want);
	}
}

static void fix_peer(fix_ctx *c) { fix_each_pod(c, peer_pod); }

const fix_pass fix_pass_etcd_v2 = {"etcd-v2", R_ETCD_V2 " " R_ETCD_IMAGE,
	"for an etcd rendezvous: --enable-v2 on the workflow's etcd, image pinned to etcd " ETCD_PIN_TAG, fix_etcd_v2};
const fix_pass fix_pass_etcd_peer_url = {"etcd-peer-url", R_ETCD_PEER,
	"advertise the peer URL that --initial-cluster lists for the member", fix_peer};
