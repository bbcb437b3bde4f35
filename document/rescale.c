/* rescale.c: see rescale.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/rescale.h"

static ynode *W(const ynode *n)
{
	/* The IR's and the job map's pointers are const views of the raw trees. */
	return (ynode *)n;
}

typedef struct rs {
	arena *a;
	const tr_job *j;
	unsigned n;
	rescale_log log;
	void *u;
	char *err;
	size_t errlen;
	int changed;
	int dry;        /* a first pass that only checks: nothing is changed */
	/* claim_index's table: claim name -> its first index in the
	 * volumeClaimTemplates list, open addressing; made again when the list
	 * has not claims_n items (something was removed) */
	const char **claim_key;
	long *claim_at;
	size_t claim_cap, claims_n;
	/* seq_append's lists: an items array it made, and its room */
	struct room {
		ynode **item;
		size_t cap;
	} room[4];
	size_t nroom;
} rs;

static void say(rs *r, const ynode *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(rs *r, const ynode *at, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->changed = 1;
	if (r->log && !r->dry)
		r->log(r->u, at, buf);
}

static int refuse(rs *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(rs *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int set_str(rs *r, ynode *s, const char *text)
{
	if (r->dry)
		return 0;
	char *t = arena_strdup(r->a, text);
	if (!t)
		return -1;
	s->str = t;
	s->len = strlen(t);
	return 0;
}

static void seq_remove(rs *r, ynode *seq, size_t i)
{
	if (!r->dry)
		yn_seq_remove(seq, i);
}

/* Append item to seq. A re-scale appends one task, claim or item per
 * rank, and yn_seq_append copies the whole list each time (2,000 ranks:
 * 2,000 copies of a list growing to 2,000); here a list's array doubles
 * when full, and the room is known for the arrays made here. */
static int seq_append(rs *r, ynode *seq, ynode *item)
{
	if (r->dry)
		return 0;
	if (!seq || seq->kind != YN_SEQ)
		return -1;
	struct room *m = NULL;
	for (size_t i = 0; i < r->nroom && !m; i++)
		if (r->room[i].item == seq->item && seq->item)
			m = &r->room[i];
	if (!m || seq->n == m->cap) {
		size_t cap = 2 * seq->n + 8;
		ynode **v = arena_alloc(r->a, cap * sizeof *v);
		if (!v)
			return -1;
		if (seq->n)
			memcpy(v, seq->item, seq->n * sizeof *v);
		seq->item = v;
		if (!m) /* a new list: a free slot, else the first (its room is then forgotten) */
			m = &r->room[r->nroom < 4 ? r->nroom++ : 0];
		m->item = v;
		m->cap = cap;
	}
	seq->item[seq->n++] = item;
	return 0;
}

static int parse_uint(const char *s, long *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	long v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 1000000)
		return -1;
	*out = v;
	return 0;
}

/* ------------------------------------------------------ rank patterns */

/* s0 and s1 are one value at ranks 0 and 1: write it for rank k. Equal
 * values stay; otherwise they must differ by a number 0 -> 1 in the
 * middle ("rank-0" / "rank-1"). Returns 0, or -1 when they do not. */
static int pattern(const char *s0, const char *s1, long k, char *out, size_t outlen)
{
	size_t l0 = strlen(s0), l1 = strlen(s1);
	if (!strcmp(s0, s1)) {
		snprintf(out, outlen, "%s", s0);
		return 0;
	}
	size_t p = 0;
	while (p < l0 && p < l1 && s0[p] == s1[p])
		p++;
	size_t q = 0;
	while (q < l0 - p && q < l1 - p && s0[l0 - 1 - q] == s1[l1 - 1 - q])
		q++;
	/* keep whole numbers whole: "rank-10" vs "rank-11" must not share "1" */
	while (p > 0 && s0[p - 1] >= '0' && s0[p - 1] <= '9')
		p--;
	while (q > 0 && s0[l0 - q] >= '0' && s0[l0 - q] <= '9')
		q--;
	char m0[32], m1[32];
	if (l0 - p - q >= sizeof m0 || l1 - p - q >= sizeof m1)
		return -1;
	snprintf(m0, sizeof m0, "%.*s", (int)(l0 - p - q), s0 + p);
	snprintf(m1, sizeof m1, "%.*s", (int)(l1 - p - q), s1 + p);
	long a, b;
	if (parse_uint(m0, &a) || parse_uint(m1, &b) || b != a + 1)
		return -1;
	snprintf(out, outlen, "%.*s%ld%s", (int)p, s0, a + k, s0 + l0 - q);
	return 0;
}

/* With one rank to learn from: trailing digits 0 follow the rank. */
static int single_pattern(const char *s0, long k, char *out, size_t outlen)
{
	size_t l = strlen(s0);
	if (!l || s0[l - 1] != '0' || (l > 1 && s0[l - 2] >= '0' && s0[l - 2] <= '9'))
		return -1;
	snprintf(out, outlen, "%.*s%ld", (int)(l - 1), s0, k);
	return 0;
}

/* Rewrite every scalar of `copy` (a copy of rank 0's node) for rank k,
 * using rank 1's node `one` as the second point of each pattern. */
static int apply_pattern(rs *r, ynode *copy, const ynode *one, long k)
{
	if (!copy)
		return 0;
	if (copy->kind == YN_SCALAR) {
		if (!copy->str || !one || one->kind != YN_SCALAR || !one->str)
			return one && one->kind != YN_SCALAR ? -1 : 0;
		char buf[1024];
		if (pattern(copy->str, one->str, k, buf, sizeof buf))
			return refuse(r, "ranks 0 and 1 differ in '%s' / '%s' in a way rehearse cannot extend",
				      copy->str, one->str);
		return strcmp(buf, copy->str) ? set_str(r, copy, buf) : 0;
	}
	if (!one || one->kind != copy->kind)
		return refuse(r, "the calls for ranks 0 and 1 have different shapes");
	if (copy->kind == YN_SEQ) {
		if (copy->n != one->n)
			return refuse(r, "the calls for ranks 0 and 1 have lists of different lengths");
		for (size_t i = 0; i < copy->n; i++)
			if (apply_pattern(r, copy->item[i], one->item[i], k))
				return -1;
		return 0;
	}
	for (size_t i = 0; i < copy->n; i++) {
		const char *key = yn_str(copy->key[i]);
		const ynode *o = key ? yn_get(one, key) : NULL;
		if (!o)
			return refuse(r, "the call for rank 1 has no '%s' where rank 0 has one", key ? key : "?");
		if (apply_pattern(r, copy->val[i], o, k))
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ claims */

static ynode *claims_of(const tr_job *j)
{
	return W(j->doc->spec.volume_claim_templates);
}

static const char *claim_name(const ynode *claim)
{
	return yn_get_str(yn_get(claim, "metadata"), "name");
}

static size_t claim_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Note claim i of the list in the table, unless a claim before it has
 * the name (the first one is the one named). */
static void claim_note(rs *r, const char *name, long i)
{
	size_t h = claim_hash(name) & (r->claim_cap - 1);
	while (r->claim_key[h]) {
		if (!strcmp(r->claim_key[h], name))
			return;
		h = (h + 1) & (r->claim_cap - 1);
	}
	r->claim_key[h] = name;
	r->claim_at[h] = i;
}

/* The table for the list as it is, room for it to double; 0, or -1 out
 * of memory. */
static int claim_table(rs *r, const ynode *v)
{
	size_t cap = 16;
	while (cap < 4 * (v->n + 1))
		cap *= 2;
	r->claim_key = arena_alloc(r->a, cap * sizeof *r->claim_key);
	r->claim_at = arena_alloc(r->a, cap * sizeof *r->claim_at);
	if (!r->claim_key || !r->claim_at) {
		r->claim_key = NULL;
		return -1;
	}
	r->claim_cap = cap;
	r->claims_n = v->n;
	for (size_t i = 0; i < v->n; i++)
		if (claim_name(v->item[i]))
			claim_note(r, claim_name(v->item[i]), (long)i);
	return 0;
}

/* The index of the claim named name in the volumeClaimTemplates list, or
 * -1. A table, not a search: every rank added looks up its claims, and
 * 2,000 ranks searching 2,000 claims took most of a re-scale. */
static long claim_index(rs *r, const char *name)
{
	const ynode *v = claims_of(r->j);
	if (!name || !v || v->kind != YN_SEQ)
		return -1;
	if ((!r->claim_key || r->claims_n != v->n || 2 * (v->n + 1) > r->claim_cap) && claim_table(r, v)) {
		for (size_t i = 0; i < v->n; i++) /* out of memory: search */
			if (claim_name(v->item[i]) && !strcmp(claim_name(v->item[i]), name))
				return (long)i;
		return -1;
	}
	for (size_t h = claim_hash(name) & (r->claim_cap - 1); r->claim_key[h]; h = (h + 1) & (r->claim_cap - 1))
		if (!strcmp(r->claim_key[h], name))
			return r->claim_at[h];
	return -1;
}

/* Does any scalar under n name claim `name`? */
static int mentions(const ynode *n, const char *name)
{
	if (!n)
		return 0;
	if (n->kind == YN_SCALAR)
		return n->str && !strcmp(n->str, name);
	for (size_t i = 0; i < n->n; i++)
		if (mentions(n->kind == YN_SEQ ? n->item[i] : n->val[i], name))
			return 1;
	return 0;
}

/* ------------------------------------------------------- dependencies */

/* Drop task `name` from other tasks' depends ("a && b" forms) and
 * dependencies lists; refuse what is not a plain conjunction. */
static int drop_dependency(rs *r, const wf_template *parent, const char *name)
{
	for (size_t i = 0; i < parent->ntasks; i++) {
		const wf_task *t = &parent->tasks[i];
		ynode *deps = W(t->dependencies);
		for (size_t k = 0; deps && deps->kind == YN_SEQ && k < deps->n; k++)
			if (yn_str(deps->item[k]) && !strcmp(deps->item[k]->str, name)) {
				seq_remove(r, deps, r->dry ? k : k--);
				say(r, t->node, "task '%s' no longer depends on '%s'", t->name, name);
			}
		if (!t->depends || !t->depends_node)
			continue;
		/* split at && and rebuild without the term */
		char out[2048] = "";
		size_t o = 0;
		int found = 0;
		const char *p = t->depends;
		while (*p) {
			const char *e = strstr(p, "&&");
			size_t len = e ? (size_t)(e - p) : strlen(p);
			char term[256];
			size_t a = 0, b = len;
			while (a < b && p[a] == ' ')
				a++;
			while (b > a && p[b - 1] == ' ')
				b--;
			if (b - a >= sizeof term)
				return refuse(r, "task '%s': depends too long to edit", t->name);
			snprintf(term, sizeof term, "%.*s", (int)(b - a), p + a);
			size_t nl = strlen(name);
			int same = !strncmp(term, name, nl) && (!term[nl] || term[nl] == '.');
			if (same) {
				found = 1;
			} else {
				if (strpbrk(term, "|()!") && strstr(term, name))
					return refuse(r, "task '%s' depends on '%s' through \"%s\"; edit it by hand", t->name,
						      name, t->depends);
				o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? " && " : "", term);
				if (o >= sizeof out)
					return refuse(r, "task '%s': depends too long to edit", t->name);
			}
			if (!e)
				break;
			p = e + 2;
		}
		if (!found)
			continue;
		if (!o) {
			if (!r->dry)
				yn_map_remove(W(t->node), "depends");
		} else if (set_str(r, W(t->depends_node), out)) {
			return -1;
		}
		say(r, t->node, "task '%s' no longer depends on '%s'", t->name, name);
	}
	return 0;
}

/* Tasks that wait for every rank now wait for the new one too. */
static int add_dependency(rs *r, const wf_template *parent, const char *const *ranks, size_t nranks, const char *name)
{
	for (size_t i = 0; i < parent->ntasks; i++) {
		const wf_task *t = &parent->tasks[i];
		size_t hits = 0;
		for (size_t k = 0; k < nranks; k++) {
			if (t->dependencies && mentions(t->dependencies, ranks[k]))
				hits++;
			else if (t->depends && strstr(t->depends, ranks[k]))
				hits++;
		}
		if (hits != nranks || !nranks)
			continue;
		if (t->dependencies && t->dependencies->kind == YN_SEQ) {
			ynode *s = yn_new_scalar(r->a, name, YN_PLAIN);
			if (!s || seq_append(r, W(t->dependencies), s))
				return -1;
		} else if (t->depends_node) {
			if (strpbrk(t->depends, "|()!"))
				return refuse(r, "task '%s' waits for the ranks through \"%s\"; edit it by hand", t->name,
					      t->depends);
			char buf[2048];
			snprintf(buf, sizeof buf, "%s && %s", t->depends, name);
			if (set_str(r, W(t->depends_node), buf))
				return -1;
		}
		say(r, t->node, "task '%s' now also waits for '%s'", t->name, name);
	}
	return 0;
}

/* ------------------------------------------------------------- --nnodes */

static int set_nnodes(rs *r)
{
	const tr_opt *o = tr_get(r->j->cmd, "nnodes");
	if (!o || !o->value)
		return 0; /* torchrun defaults to 1:1; nothing written to change */
	char want[64];
	const char *colon = strchr(o->value, ':');
	if (colon)
		snprintf(want, sizeof want, "%u:%u", r->n, r->n);
	else
		snprintf(want, sizeof want, "%u", r->n);
	if (tr_unresolved(o->value)) {
		/* --nnodes {{inputs.parameters.X}}: set X where each call passes it */
		char p[128];
		if (sscanf(o->value, "{{inputs.parameters.%127[^}]}}", p) != 1)
			return refuse(r, "--nnodes is '%s'; set it to %s by hand", o->value, want);
		for (size_t i = 0; i < r->j->ncalls; i++) {
			ynode *v = W(tr_call_arg(&r->j->calls[i], p));
			if (!v || !v->str)
				return refuse(r, "--nnodes comes from input '%s', which a caller does not pass", p);
			if (strcmp(v->str, want)) {
				if (set_str(r, v, want))
					return -1;
				say(r, v, "argument '%s' (--nnodes) of task '%s' set to %s", p, r->j->calls[i].task->name,
				    want);
			}
		}
		return 0;
	}
	if (!strcmp(o->value, want))
		return 0;
	ynode *vn = W(o->value_node);
	if (!vn || !vn->str || o->off + o->len > vn->len)
		return refuse(r, "cannot find --nnodes' value to edit");
	char buf[4096];
	int len = snprintf(buf, sizeof buf, "%.*s%s%s", (int)o->off, vn->str, want, vn->str + o->off + o->len);
	if (len < 0 || (size_t)len >= sizeof buf)
		return refuse(r, "the command holding --nnodes is too long to edit");
	char old[64];
	snprintf(old, sizeof old, "%s", o->value);
	if (set_str(r, vn, buf))
		return -1;
	say(r, vn, "--nnodes %s changed to %s", old, want);
	return 0;
}

/* ---------------------------------------------------------------- driver */

/* The calls must be one per task (no withItems / withSequence) or one
 * task fanning out, under one parent: 0 with *fanout, or a refusal. */
static int one_loop(rs *r, int *fanout)
{
	const tr_job *j = r->j;
	const wf_task *first = j->calls[0].task;
	const wf_template *parent = j->calls[0].parent;
	*fanout = j->calls[0].item >= 0;
	for (size_t i = 1; i < j->ncalls; i++)
		if (j->calls[i].parent != parent || (j->calls[i].item >= 0) != *fanout ||
		    (*fanout && j->calls[i].task != first))
			return refuse(r, "the pods of template '%s' come from several loops or templates", j->tmpl->name);
	return 0;
}

/* One task fanning out: its withSequence count, or withItems 0..n-1. */
static int rescale_fanout(rs *r, const wf_task *first)
{
	unsigned n = r->n;
	ynode *seq = W(first->with_sequence);
	if (seq) {
		ynode *cnt = yn_get(seq, "count");
		if (!cnt || !cnt->str || yn_get(seq, "end"))
			return refuse(r, "withSequence without a plain count");
		char want[32];
		snprintf(want, sizeof want, "%u", n);
		if (strcmp(cnt->str, want)) {
			if (set_str(r, cnt, want))
				return -1;
			say(r, cnt, "withSequence count of task '%s' set to %u", first->name, n);
		}
		return 0;
	}
	ynode *items = W(first->with_items);
	for (size_t i = 0; items && i < items->n; i++) {
		long v;
		if (!yn_str(items->item[i]) || parse_uint(items->item[i]->str, &v) || v != (long)i)
			return refuse(r, "withItems of task '%s' are not the ranks 0..%zu", first->name, items->n - 1);
	}
	if (!items || items->n != n) {
		while (!r->dry && items->n > n)
			yn_seq_remove(items, items->n - 1);
		while (!r->dry && items->n < n) {
			char buf[32];
			snprintf(buf, sizeof buf, "%zu", items->n);
			ynode *s = yn_new_scalar(r->a, buf, YN_PLAIN);
			if (!s || seq_append(r, items, s))
				return -1;
		}
		say(r, items, "withItems of task '%s' set to the ranks 0..%u", first->name, n - 1);
	}
	return 0;
}

/* Explicit calls, indexed by the --node-rank each passes: 0..k-1, one
 * each, or a refusal. */
static int calls_by_rank(rs *r, const tr_call ***out)
{
	const tr_job *j = r->j;
	size_t k = j->ncalls;
	const tr_call **by_rank = arena_alloc(r->a, k * sizeof *by_rank);
	if (!by_rank)
		return -1;
	memset(by_rank, 0, k * sizeof *by_rank);
	for (size_t i = 0; i < k; i++) {
		const char *v = tr_call_opt(r->a, j, &j->calls[i], "node-rank", NULL);
		long rank;
		if (!v || parse_uint(v, &rank) || (size_t)rank >= k || by_rank[rank])
			return refuse(r, "the node ranks of the %zu calls are not 0..%zu, one each (task '%s' has "
				      "'%s')", k, k - 1, j->calls[i].task->name, v ? v : "none");
		by_rank[rank] = &j->calls[i];
	}
	*out = by_rank;
	return 0;
}

/* The sequence that holds task t: its step group, or the DAG's tasks. */
static ynode *list_of(const wf_template *parent, const wf_task *t)
{
	if (parent->kind != TK_STEPS)
		return W(yn_get(yn_get(parent->node, "dag"), "tasks"));
	for (size_t g = 0; g < parent->ngroups; g++)
		for (size_t s = 0; s < parent->groups[g].n; s++)
			if (&parent->groups[g].steps[s] == t)
				return W(parent->groups[g].node);
	return NULL;
}

/* Remove the ranks n..k-1: each call, its DAG dependents' edges, and the
 * volumeClaimTemplates that only it names. */
static int drop_ranks(rs *r, const wf_template *parent, const tr_call **by_rank, size_t k)
{
	int steps = parent->kind == TK_STEPS;
	for (size_t rk = r->n; rk < k; rk++) {
		const wf_task *t = by_rank[rk]->task;
		ynode *claims = claims_of(r->j);
		for (size_t c = 0; claims && c < claims->n; c++) {
			const char *cn = yn_get_str(yn_get(claims->item[c], "metadata"), "name");
			if (!cn || !mentions(t->node, cn))
				continue;
			int used = 0;
			for (size_t o = 0; o < r->n; o++)
				used |= mentions(by_rank[o]->task->node, cn);
			if (!used) {
				say(r, claims->item[c], "removed volumeClaimTemplate '%s' (used by rank %zu only)", cn, rk);
				seq_remove(r, claims, r->dry ? c : c--);
			}
		}
		ynode *list = list_of(parent, t);
		size_t idx = 0;
		while (list && idx < list->n && list->item[idx] != t->node)
			idx++;
		if (!list || idx == list->n)
			return refuse(r, "cannot find task '%s' in its template", t->name);
		seq_remove(r, list, idx);
		say(r, t->node, "removed %s '%s' (rank %zu)", steps ? "step" : "task", t->name, rk);
		if (!steps && drop_dependency(r, parent, t->name))
			return -1;
	}
	return 0;
}

/* With a single rank to learn from, rank rk's copy: the name ending in 0
 * becomes rk, so do the rank argument and per-rank claim names. */
static int name_from_single(rs *r, ynode *copy, long rk, const char *rank_param)
{
	char buf[512];
	ynode *nm = yn_get(copy, "name");
	if (!nm || !nm->str || single_pattern(nm->str, rk, buf, sizeof buf))
		return refuse(r, "with a single rank, its name must end in 0 (\"train-0\") to name the others");
	if (set_str(r, nm, buf))
		return -1;
	ynode *params = yn_get(yn_get(copy, "arguments"), "parameters");
	for (size_t p = 0; params && p < params->n; p++) {
		ynode *v = yn_get(params->item[p], "value");
		const char *pn = yn_get_str(params->item[p], "name");
		if (!v || !v->str || !pn)
			continue;
		if (*rank_param && !strcmp(pn, rank_param)) {
			snprintf(buf, sizeof buf, "%ld", rk);
			if (set_str(r, v, buf))
				return -1;
		} else if (claim_index(r, v->str) >= 0 && !single_pattern(v->str, rk, buf, sizeof buf)) {
			if (set_str(r, v, buf))
				return -1;
		}
	}
	return 0;
}

/* Claims a new call names that do not exist yet: copies of rank 0's. */
static int copy_claims(rs *r, ynode *copy, const tr_call *rank0)
{
	ynode *params = yn_get(yn_get(copy, "arguments"), "parameters");
	for (size_t p = 0; params && p < params->n; p++) {
		const char *v = yn_get_str(params->item[p], "value");
		const char *pn = yn_get_str(params->item[p], "name");
		if (!v || claim_index(r, v) >= 0 || !pn)
			continue;
		const char *was = yn_str(tr_call_arg(rank0, pn));
		long ci = claim_index(r, was);
		if (ci < 0)
			continue;
		ynode *claims = claims_of(r->j);
		ynode *cc = yn_copy(r->a, claims->item[ci]);
		ynode *cn = cc ? yn_get(yn_get(cc, "metadata"), "name") : NULL;
		if (!cn || (!r->dry && set_str(r, cn, v)) || seq_append(r, claims, cc))
			return -1;
		if (!r->dry && r->claim_key && r->claims_n + 1 == claims->n && claim_name(cc)) {
			/* the table follows the append (room: claim_index keeps it under half full) */
			r->claims_n = claims->n;
			claim_note(r, claim_name(cc), (long)claims->n - 1);
		}
		say(r, NULL, "added volumeClaimTemplate '%s' (a copy of '%s')", v, was);
	}
	return 0;
}

/* Add the ranks k..n-1: copies of rank 0, told apart the way ranks 0 and
 * 1 differ (or, with one rank, by its trailing 0), after the last rank. */
static int add_ranks(rs *r, const wf_template *parent, const tr_call **by_rank, size_t k)
{
	int steps = parent->kind == TK_STEPS;
	const wf_task *t0 = by_rank[0]->task;
	const wf_task *t1 = k > 1 ? by_rank[1]->task : NULL;
	ynode *list = list_of(parent, t0);
	if (!list)
		return refuse(r, "cannot find task '%s' in its template", t0->name);
	const char **names = arena_alloc(r->a, (k + r->n) * sizeof *names);
	if (!names)
		return -1;
	for (size_t i = 0; i < k; i++)
		names[i] = by_rank[i]->task->name;
	/* the rank argument, for the one-rank case */
	const tr_opt *ro = tr_get(r->j->cmd, "node-rank");
	char rank_param[128] = "";
	if (ro && ro->value)
		(void)sscanf(ro->value, "{{inputs.parameters.%127[^}]}}", rank_param);
	size_t after = 0;
	for (size_t i = 0; i < list->n; i++)
		for (size_t c = 0; c < k; c++)
			if (list->item[i] == by_rank[c]->task->node)
				after = i + 1;
	for (size_t rk = k; rk < r->n; rk++) {
		ynode *copy = yn_copy(r->a, t0->node);
		if (!copy)
			return -1;
		if (t1 ? apply_pattern(r, copy, t1->node, (long)rk) : name_from_single(r, copy, (long)rk, rank_param))
			return -1;
		const char *newname = yn_get_str(copy, "name");
		if (copy_claims(r, copy, by_rank[0]))
			return -1;
		if (!r->dry) {
			if (seq_append(r, list, copy))
				return -1;
			memmove(&list->item[after + 1], &list->item[after], (list->n - 1 - after) * sizeof *list->item);
			list->item[after++] = copy;
		}
		say(r, NULL, "added %s '%s' (rank %zu)", steps ? "step" : "task", newname ? newname : "?", rk);
		if (!steps && add_dependency(r, parent, names, k, newname ? newname : ""))
			return -1;
	}
	return 0;
}

/* One pass of rescale_job: refuse what cannot be re-scaled, then set the
 * fan-out, or drop or add explicit rank calls, and --nnodes. */
static int run(arena *a, const tr_job *j, unsigned n, rescale_log log, void *u, char *err, size_t errlen, int dry)
{
	rs r = {a, j, n, log, u, err, errlen, 0, dry, NULL, NULL, 0, 0, {{0}}, 0};
	int fanout;
	if (!n)
		return refuse(&r, "cannot re-scale to 0 pods");
	if (j->unknown_fanout)
		return refuse(&r, "the fan-out comes from withParam or an unreadable withSequence");
	if (!j->ncalls)
		return refuse(&r, "no task or step runs template '%s'", j->tmpl->name);
	if (one_loop(&r, &fanout))
		return -1;
	if (fanout) {
		if (rescale_fanout(&r, j->calls[0].task))
			return -1;
	} else {
		const tr_call **by_rank = NULL; /* gcc -O2 cannot see calls_by_rank set it */
		size_t k = j->ncalls;
		if (calls_by_rank(&r, &by_rank))
			return -1;
		if (n < k ? drop_ranks(&r, j->calls[0].parent, by_rank, k)
			  : n > k ? add_ranks(&r, j->calls[0].parent, by_rank, k) : 0)
			return -1;
	}
	if (set_nnodes(&r))
		return -1;
	return r.changed;
}

int rescale_job(arena *a, const tr_job *j, unsigned n, rescale_log log, void *u, char *err, size_t errlen)
{
	/* Check everything first, so that a refusal leaves the trees as they
	 * were; then do it. */
	if (errlen)
		err[0] = 0;
	int rc = run(a, j, n, log, u, err, errlen, 1);
	return rc <= 0 ? rc : run(a, j, n, log, u, err, errlen, 0);
}
