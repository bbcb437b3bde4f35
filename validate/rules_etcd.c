/* rules_etcd.c: etcd-* rules -- an etcd cluster that the workflow creates
 * for torchrun's etcd rendezvous: will its members form a cluster, and will
 * it serve the v2 API that the rendezvous speaks?
 *
 * etcd's flags are read from the container's argv or its `sh -c` script
 * (validate/objects.h, ketcd_*); ${HOSTNAME} is each StatefulSet member's
 * pod name, <name>-<ordinal>. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/torchrun.h"
#include "validate/families.h"
#include "validate/objects.h"

struct ectx {
	lint_ctx *c;
	arena *a;
	int mode;
};

typedef void (*etcd_fn)(struct ectx *x, const kpod *p, const ketcd *e);

struct each {
	struct ectx *x;
	etcd_fn fn;
	int need_rdzv;
};

static int etcd_pod(void *u, const kpod *p)
{
	struct each *ea = u;
	for (size_t k = 0; k < p->nctr; k++) {
		ketcd e;
		if (!kimage_is_etcd(yn_get_str(p->ctr[k], "image")) && !p->obj)
			continue;
		if (ketcd_read(ea->x->a, p->ctr[k], &e) == 1)
			ea->fn(ea->x, p, &e);
	}
	return 0;
}

/* Does a torchrun of the document use an etcd rendezvous (v2 API)? */
static int uses_etcd_rdzv(lint_ctx *c, const wf_doc *d)
{
	tr_job *jobs;
	size_t nj;
	if (lint_jobs(c, d, &jobs, &nj))
		return 0;
	return tr_jobs_use_etcd(jobs, nj);
}

static void each_etcd(lint_ctx *c, etcd_fn fn, int need_rdzv, int mode)
{
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		kobj objs[KOBJ_MAX];
		size_t n = kobj_list(d, objs, KOBJ_MAX);
		struct ectx x = {c, arena_new(), mode};
		if (!x.a)
			return;
		struct each ea = {&x, fn, need_rdzv};
		if (!need_rdzv || uses_etcd_rdzv(c, d))
			kpod_each(s, objs, n, d, etcd_pod, &ea);
		arena_free(x.a);
	}
}

/* The pod names of an etcd pod: StatefulSet members, or NULL (unknown). */
static size_t members(const kpod *p, const char **names, size_t max, arena *a)
{
	if (!p->obj || !kmanifest_is(p->obj->root, "StatefulSet") || !p->obj->name)
		return 0;
	size_t n = 0;
	for (long long k = 0; k < p->replicas && n < max; k++)
		names[n++] = arena_printf(a, "%s-%lld", p->obj->name, k);
	return n;
}

/* Entry `name` of an --initial-cluster list, as a fresh string, or NULL. */
static char *cluster_url(const char *list, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t el = comma ? (size_t)(comma - p) : strlen(p);
		if (el > nl && !strncmp(p, name, nl) && p[nl] == '=')
			return strndup(p + nl + 1, el - nl - 1);
		p = comma ? comma + 1 : NULL;
	}
	return NULL;
}

static int list_has(const char *list, const char *url)
{
	size_t ul = strlen(url);
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t el = comma ? (size_t)(comma - p) : strlen(p);
		if (el == ul && !strncmp(p, url, ul))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* ----------------------------------------------------------- peer URL */

static void peer_url(struct ectx *x, const kpod *p, const ketcd *e)
{
	const ynode *at;
	ynode pos;
	size_t off = 0, len = 0;
	const char *name = ketcd_flag(e, "--name", NULL);
	const char *adv = ketcd_flag_at(e, "--initial-advertise-peer-urls", &at, &off, &len);
	const char *cl = ketcd_flag(e, "--initial-cluster", NULL);
	if (!name || !adv || !cl)
		return;
	const char *hosts[16];
	size_t nh = members(p, hosts, 16, x->a);
	if (!nh) {
		if (strchr(name, '$'))
			return;
		hosts[nh++] = NULL;
	}
	for (size_t i = 0; i < nh; i++) {
		const char *nm = ketcd_expand(x->a, e, name, hosts[i]);
		const char *av = ketcd_expand(x->a, e, adv, hosts[i]);
		const char *cx = ketcd_expand(x->a, e, cl, hosts[i]);
		if (!nm || !av || !cx || strchr(nm, '$') || strchr(av, '$') || strchr(cx, '$'))
			return;
		char *want = cluster_url(cx, nm);
		if (!want)
			continue; /* etcd-peer-list-mismatch's business */
		if (!list_has(av, want)) {
			lint_report(x->c, "etcd-peer-url-mismatch", kpos(lint_set(x->c), at, off, len, &pos), NULL,
				    "member %s advertises peer URL %s, but --initial-cluster lists %s=%s: etcd "
				    "refuses to start (advertised URLs must match the cluster list), so the "
				    "StatefulSet crash-loops and the rendezvous never has an etcd",
				    nm, av, nm, want);
			free(want);
			return;
		}
		free(want);
	}
}

static void check_peer_url(lint_ctx *c) { each_etcd(c, peer_url, 0, 0); }

/* ---------------------------------------------------------- peer list */

static void peer_list(struct ectx *x, const kpod *p, const ketcd *e)
{
	const ynode *at;
	ynode pos;
	size_t off = 0, len = 0;
	const char *cl = ketcd_flag_at(e, "--initial-cluster", &at, &off, &len);
	const char *state = ketcd_flag(e, "--initial-cluster-state", NULL);
	const char *hosts[64];
	size_t nh = members(p, hosts, 64, x->a);
	if (!cl || !nh || (state && !strcmp(state, "existing")))
		return;
	at = kpos(lint_set(x->c), at, off, len, &pos);
	const char *cx = ketcd_expand(x->a, e, cl, "$HOSTNAME");
	if (!cx || strchr(cx, '$'))
		return;
	const char *svc = yn_get_str(yn_get(p->obj->root, "spec"), "serviceName");
	size_t entries = 1;
	for (const char *q = cx; *q; q++)
		entries += *q == ',';
	if (entries != nh) {
		lint_report(x->c, "etcd-peer-list-mismatch", at, NULL,
			    "--initial-cluster lists %zu member%s but StatefulSet '%s' has %zu replica%s: %s", entries,
			    entries == 1 ? "" : "s", p->obj->name, nh, nh == 1 ? "" : "s",
			    entries > nh ? "the cluster waits for members that never start and has no quorum"
					 : "pods beyond the list are not members and etcd refuses to start them");
		return;
	}
	for (size_t i = 0; i < nh; i++) {
		char *url = cluster_url(cx, hosts[i]);
		if (!url) {
			lint_report(x->c, "etcd-peer-list-mismatch", at, NULL,
				    "--initial-cluster has no entry for member %s (StatefulSet pods are named "
				    "<name>-<ordinal>): that member refuses to start", hosts[i]);
			return;
		}
		const char *h = strstr(url, "://");
		h = h ? h + 3 : url;
		size_t hl = strlen(hosts[i]);
		int ok = !svc || (!strncmp(h, hosts[i], hl) && h[hl] == '.' && !strncmp(h + hl + 1, svc, strlen(svc)) &&
				  strchr(".:/", h[hl + 1 + strlen(svc)] ? h[hl + 1 + strlen(svc)] : '/'));
		if (!ok) {
			lint_report(x->c, "etcd-peer-list-mismatch", at, NULL,
				    "--initial-cluster gives member %s the URL %s, which is not its DNS name under "
				    "serviceName '%s' (%s.%s): peers dial an address that does not resolve to it",
				    hosts[i], url, svc, hosts[i], svc);
			free(url);
			return;
		}
		free(url);
	}
}

static void check_peer_list(lint_ctx *c) { each_etcd(c, peer_list, 0, 0); }

/* --------------------------------------------------------- v2 API */

/* etcd's minor version from the image tag: 34 for v3.4.x; -1 unknown. */
static int etcd_version(const char *image)
{
	char buf[64];
	const char *tag = kimage_tag(image, buf, sizeof buf);
	unsigned maj, min;
	if (!tag || sscanf(tag[0] == 'v' ? tag + 1 : tag, "%u.%u", &maj, &min) != 2)
		return -1;
	return (int)(maj * 10 + min);
}

static void v2(struct ectx *x, const kpod *p, const ketcd *e)
{
	(void)p;
	const ynode *in = yn_get(e->ctr, "image");
	const char *image = yn_str(in);
	int ver = etcd_version(image);
	if (x->mode == 1) {
		char buf[64];
		const char *tag = kimage_tag(image, buf, sizeof buf);
		if (tag && !strcmp(tag, "latest") && !strstr(image, "{{"))
			lint_report(x->c, "etcd-image-unpinned", in, NULL,
				    "etcd image %s is not pinned: the torchrun etcd rendezvous needs the v2 API, "
				    "which etcd 3.6 removed, and :latest may be 3.6 on the next pull", image);
		return;
	}
	if (ver >= 0 && ver < 34)
		return; /* v2 on by default before 3.4 */
	if (ver >= 36) {
		lint_report(x->c, "etcd-v2-disabled", in, NULL,
			    "etcd %s has no v2 API (removed in 3.6) but torchrun's etcd rendezvous speaks v2: "
			    "every rank fails to connect", image);
		return;
	}
	const char *flag = ketcd_flag(e, "--enable-v2", NULL);
	int on = 0;
	for (size_t i = 0; i < e->nflags; i++)
		if (!strcmp(e->flag[i].name, "--enable-v2"))
			on = !flag || !strcmp(flag, "true");
	for (size_t i = 0; i < e->nvars; i++)
		if (!strcmp(e->var[i].name, "ETCD_ENABLE_V2"))
			on = !strcmp(e->var[i].value, "true");
	if (on)
		return;
	ynode pos;
	lint_report(x->c, "etcd-v2-disabled", kpos(lint_set(x->c), e->at, e->at_off, e->at_len, &pos), NULL,
		    "this etcd (%s) starts without --enable-v2, but torchrun's etcd/etcd-v2 rendezvous uses "
		    "the v2 API, which etcd serves only when enabled from 3.4: the ranks get 404s and fail",
		    image ? image : "?");
}

static void check_v2(lint_ctx *c) { each_etcd(c, v2, 1, 0); }
static void check_image(lint_ctx *c) { each_etcd(c, v2, 1, 1); }

const rule rules_etcd[] = {
	{"etcd-peer-url-mismatch", DIAG_ERROR, "an etcd member advertises a peer URL its --initial-cluster entry does not have",
	 "At bootstrap etcd checks that --initial-advertise-peer-urls matches the URL --initial-cluster gives "
	 "the member named by --name; if not it exits ('--initial-cluster has ... but missing from "
	 "--initial-advertise-peer-urls'). Every member crash-loops and the workflow's etcd never exists.",
	 "advertise the URL of the member's entry: http://${HOSTNAME}.<serviceName>:2380",
	 "--initial-advertise-peer-urls http://${HOSTNAME}:2380\n--initial-cluster etcd-0=http://etcd-0.etcd:2380,...\n",
	 "--initial-advertise-peer-urls http://${HOSTNAME}.etcd:2380\n--initial-cluster etcd-0=http://etcd-0.etcd:2380,...\n",
	 check_peer_url},
	{"etcd-peer-list-mismatch", DIAG_ERROR, "the etcd peer list does not match the StatefulSet's replicas or serviceName",
	 "A new etcd cluster needs a quorum of the members --initial-cluster lists. Entries for pods that do "
	 "not exist (replicas too low), pods missing from the list, or URLs that are not the pods' DNS names "
	 "under the StatefulSet's serviceName leave the cluster without quorum: it never serves.",
	 "list <name>-<i>=http://<name>-<i>.<serviceName>:2380 for i in 0..replicas-1",
	 "replicas: 3\n--initial-cluster etcd-0=http://etcd-0.etcd:2380,etcd-1=http://etcd-1.etcd:2380\n",
	 "replicas: 3\n--initial-cluster etcd-0=http://etcd-0.etcd:2380,etcd-1=...,etcd-2=http://etcd-2.etcd:2380\n",
	 check_peer_list},
	{"etcd-v2-disabled", DIAG_ERROR, "torchrun's etcd rendezvous needs the v2 API, which this etcd does not serve",
	 "torchrun's etcd and etcd-v2 rendezvous backends use etcd's v2 keys API. etcd 3.4 and 3.5 serve it only "
	 "with --enable-v2 (or ETCD_ENABLE_V2=true); 3.6 removed it. Without it the agents get errors from "
	 "etcd at rendezvous and every rank fails after the pods have started (and pulled their images).",
	 "start etcd 3.5 with --enable-v2, or switch torchrun to --rdzv-backend c10d",
	 "image: quay.io/coreos/etcd:v3.5.21\ncommand: [etcd, --name, $(HOSTNAME)]\n",
	 "image: quay.io/coreos/etcd:v3.5.21\ncommand: [etcd, --name, $(HOSTNAME), --enable-v2]\n", check_v2},
	{"etcd-image-unpinned", DIAG_ERROR, "the etcd for a torchrun etcd rendezvous runs an unpinned (:latest) image",
	 "The rendezvous depends on the v2 API, which exists only up to etcd 3.5. :latest is whatever the "
	 "registry points it at when a node pulls: a node pulling after a 3.6 release gets an etcd without v2 "
	 "(and which rejects --enable-v2), and the training run fails at rendezvous.",
	 "pin an etcd 3.5 tag, e.g. quay.io/coreos/etcd:v3.5.21",
	 "image: quay.io/coreos/etcd:latest\n", "image: quay.io/coreos/etcd:v3.5.21\n", check_image},
};

const size_t rules_etcd_count = sizeof rules_etcd / sizeof rules_etcd[0];
