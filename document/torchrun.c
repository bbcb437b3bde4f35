/* torchrun.c: finding torchrun in argv and shell scripts, and the workflow
 * tasks that run it (see torchrun.h).
 *
 * The shell reading is deliberately small: words, quotes, escapes and the
 * separators between commands. That is what people write in `bash -c`
 * wrappers around torchrun; anything cleverer (functions, eval, variables
 * holding the whole command) is not found, and rules stay quiet then. */
#include "document/torchrun.h"
#include "document/grow.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lexed scripts are arrays of tr_word; a separator between commands is a
 * word with s == NULL. */
struct words {
	tr_word *v;
	size_t n, cap;
};

static int push(struct words *w, tr_word x)
{
	if (GROW(w->v, w->n, w->cap, 32))
		return -1;
	w->v[w->n++] = x;
	return 0;
}

static const char *base_of(const char *s)
{
	const char *p = strrchr(s, '/');
	return p ? p + 1 : s;
}

int tr_is_shell(const char *s)
{
	static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh"};
	s = base_of(s);
	for (size_t i = 0; i < sizeof shells / sizeof shells[0]; i++)
		if (!strcmp(s, shells[i]))
			return 1;
	return 0;
}

static int is_python(const char *s)
{
	s = base_of(s);
	if (strncmp(s, "python", 6))
		return 0;
	for (s += 6; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

static int is_assignment(const char *w)
{
	if (!isalpha((unsigned char)w[0]) && w[0] != '_')
		return 0;
	for (; *w && *w != '='; w++)
		if (!isalnum((unsigned char)*w) && *w != '_')
			return 0;
	return *w == '=';
}

/* ------------------------------------------------------------ options */

/* torchrun's options (torch/distributed/run.py, torch 2.x), canonical. */
static const char *const known_opts[] = {
	"nnodes", "nproc-per-node", "rdzv-backend", "rdzv-endpoint", "rdzv-id", "rdzv-conf",
	"standalone", "max-restarts", "monitor-interval", "start-method", "role", "module",
	"no-python", "run-path", "log-dir", "redirects", "tee", "local-ranks-filter", "node-rank",
	"master-addr", "master-port", "local-addr", "logs-specs", "event-log-handler",
	"numa-binding", "signals-to-handle",
};

/* store_true options: they take no value. */
static int is_flag(const char *canon)
{
	return !strcmp(canon, "standalone") || !strcmp(canon, "module") || !strcmp(canon, "no-python") ||
	       !strcmp(canon, "run-path");
}

void tr_canon(const char *given, char *out, size_t outlen)
{
	assert(outlen > 0);
	size_t dashes = 0;
	while (given[dashes] == '-' && dashes < 2)
		dashes++;
	const char *s = given + dashes;
	if (dashes == 1 && s[0] && !s[1]) {
		const char *m = s[0] == 'm' ? "module" : s[0] == 'r' ? "redirects" : s[0] == 't' ? "tee" : NULL;
		if (m) {
			snprintf(out, outlen, "%s", m);
			return;
		}
	}
	size_t n = 0;
	for (; *s && *s != '=' && n + 1 < outlen; s++)
		out[n++] = *s == '_' ? '-' : *s;
	out[n] = 0;
	/* argparse accepts a unique prefix of a long option */
	const char *hit = NULL;
	for (size_t i = 0; i < sizeof known_opts / sizeof known_opts[0]; i++) {
		if (!strcmp(known_opts[i], out))
			return;
		if (n && !strncmp(known_opts[i], out, n))
			hit = hit ? "" : known_opts[i];
	}
	if (hit && *hit && dashes == 2)
		snprintf(out, outlen, "%s", hit);
}

const tr_opt *tr_get(const tr_cmd *c, const char *name)
{
	char want[64], have[64];
	if (!c)
		return NULL;
	tr_canon(name, want, sizeof want);
	for (size_t i = c->nopts; i-- > 0;) {
		tr_canon(c->opts[i].name, have, sizeof have);
		if (!strcmp(want, have))
			return &c->opts[i];
	}
	return NULL;
}

/* ------------------------------------------------------------ commands */

struct out {
	arena *a;
	tr_cmd **cmds;
	size_t *n;
	size_t cap;
	int found;
};

static tr_cmd *new_cmd(struct out *o)
{
	tr_cmd *v = arena_alloc(o->a, (*o->n + 1) * sizeof *v);
	if (!v)
		return NULL;
	if (*o->n)
		memcpy(v, *o->cmds, *o->n * sizeof *v);
	*o->cmds = v;
	o->found++;
	return &v[(*o->n)++];
}

/* The option words w[j..e) after the launcher, into c. */
static int parse_opts(arena *a, const tr_word *w, size_t j, size_t e, tr_cmd *c)
{
	c->opts = arena_alloc(a, (e - j + 1) * sizeof *c->opts);
	if (!c->opts)
		return -1;
	while (j < e) {
		const char *s = w[j].s;
		if (!strcmp(s, "--")) {
			j++;
			break;
		}
		if (s[0] != '-' || !s[1])
			break;
		tr_opt *o = &c->opts[c->nopts++];
		char canon[64];
		tr_canon(s, canon, sizeof canon);
		const char *eq = s[1] == '-' ? strchr(s, '=') : NULL;
		o->name = arena_strdup(a, canon);
		o->given = eq ? arena_strndup(a, s, (size_t)(eq - s)) : arena_strdup(a, s);
		o->node = w[j].node;
		if (!o->name || !o->given)
			return -1;
		if (eq) {
			o->eq_form = 1;
			o->value = eq + 1;
			o->value_node = w[j].node;
			/* the '=' in the raw bytes: names are not quoted in practice */
			const char *raw = w[j].node->str + w[j].off;
			const char *req = memchr(raw, '=', w[j].len);
			size_t at = req ? (size_t)(req - raw) + 1 : w[j].len;
			o->off = w[j].off + at;
			o->len = w[j].len - at;
		} else if (!is_flag(canon) && j + 1 < e) {
			j++;
			o->value = w[j].s;
			o->value_node = w[j].node;
			o->off = w[j].off;
			o->len = w[j].len;
		}
		j++;
	}
	if (j < e) {
		c->program = w[j].s;
		c->program_node = w[j].node;
		j++;
	}
	c->nargs = e - j;
	c->args = arena_alloc(a, (c->nargs + 1) * sizeof *c->args);
	c->arg_nodes = arena_alloc(a, (c->nargs + 1) * sizeof *c->arg_nodes);
	if (!c->args || !c->arg_nodes)
		return -1;
	for (size_t k = 0; k < c->nargs; k++) {
		c->args[k] = w[j + k].s;
		c->arg_nodes[k] = w[j + k].node;
	}
	return 0;
}

size_t tr_program_index(const tr_word *w, size_t n)
{
	static const char *const prefixes[] = {"exec", "env", "nohup", "time", "then", "do", "else", "elif",
					       "if", "while", "until", "{", "!", "command"};
	size_t b = 0;
	int after_env = 0;
	while (b < n) {
		const char *s = w[b].s;
		int skip = is_assignment(s) || (after_env && s[0] == '-');
		for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0] && !skip; i++)
			skip = !strcmp(s, prefixes[i]);
		if (!skip)
			break;
		after_env = !strcmp(s, "env") || (after_env && (s[0] == '-' || is_assignment(s)));
		b++;
	}
	return b;
}

/* One simple command w[b..e): a launcher, a shell -c, or neither. */
static int one_command(void *ctx, const tr_word *w, size_t b, size_t e, const ynode *script)
{
	struct out *o = ctx;
	b += tr_program_index(w + b, e - b);
	if (b >= e)
		return 0;
	const char *prog = w[b].s;
	size_t j = 0;
	int module = 0;
	if (!strcmp(base_of(prog), "torchrun")) {
		j = b + 1;
	} else if (is_python(prog)) {
		for (size_t k = b + 1; k < e && w[k].s[0] == '-'; k++) {
			const char *s = w[k].s;
			const char *mod = !strcmp(s, "-m") && k + 1 < e ? w[k + 1].s : !strncmp(s, "-m", 2) ? s + 2 : NULL;
			if (mod) {
				if (!strcmp(mod, "torch.distributed.run"))
					j = (!strcmp(s, "-m") ? k + 2 : k + 1), module = 1;
				break;
			}
			if (!strcmp(s, "-c"))
				break;
			if (!strcmp(s, "-X") || !strcmp(s, "-W"))
				k++;
		}
		if (!j)
			return 0;
	} else {
		return 0;
	}
	tr_cmd *c = new_cmd(o);
	if (!c)
		return -1;
	c->at = script ? script : w[b].node;
	c->script = script;
	c->script_off = script ? w[b].off : 0;
	c->python_module = module;
	return parse_opts(o->a, w, j, e, c);
}

/* Split a script into words and separators. */
static int lex(arena *a, const ynode *sn, struct words *out)
{
	const char *s = sn->str;
	size_t n = sn->len, i = 0;
	char *buf = malloc(n + 1);
	if (!buf)
		return -1;
	while (i < n) {
		char ch = s[i];
		if (ch == '\\' && i + 1 < n && s[i + 1] == '\n') {
			i += 2;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			i++;
			continue;
		}
		if (ch == '#') {
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		if (strchr("\n;&|()", ch)) {
			size_t b = i++;
			if (i < n && (ch == '&' || ch == '|' || ch == ';') && s[i] == ch)
				i++;
			if (push(out, (tr_word){NULL, sn, b, i - b}))
				goto oom;
			continue;
		}
		size_t b = i, bl = 0;
		while (i < n && !strchr(" \t\r\n;&|()", s[i])) {
			char c = s[i];
			if (c == '\\' && i + 1 < n) {
				if (s[i + 1] != '\n')
					buf[bl++] = s[i + 1];
				i += 2;
			} else if (c == '\'') {
				for (i++; i < n && s[i] != '\''; i++)
					buf[bl++] = s[i];
				i++;
			} else if (c == '"') {
				for (i++; i < n && s[i] != '"'; i++) {
					if (s[i] == '\\' && i + 1 < n && strchr("\"\\$`\n", s[i + 1]))
						i++;
					buf[bl++] = s[i];
				}
				i++;
			} else if (c == '$' && i + 1 < n && s[i + 1] == '(') {
				/* $(...) is one piece of the word, separators and all */
				int d = 0;
				for (; i < n; i++) {
					buf[bl++] = s[i];
					d += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
					if (d == 0 && s[i] == ')') {
						i++;
						break;
					}
				}
			} else {
				buf[bl++] = c;
				i++;
			}
		}
		if (i > n)
			i = n;
		char *t = arena_strndup(a, buf, bl);
		if (!t || push(out, (tr_word){t, sn, b, i - b}))
			goto oom;
	}
	free(buf);
	return 0;
oom:
	free(buf);
	return -1;
}

typedef int (*walk_fn)(void *ctx, const tr_word *w, size_t b, size_t e, const ynode *script);

/* Call fn on each simple command of a script. */
static int walk_script(arena *a, const ynode *sn, walk_fn fn, void *ctx)
{
	if (!sn || sn->kind != YN_SCALAR)
		return 0;
	struct words w = {0};
	if (lex(a, sn, &w)) {
		free(w.v);
		return -1;
	}
	size_t b = 0;
	int rc = 0;
	for (size_t i = 0; i <= w.n && !rc; i++) {
		if (i < w.n && w.v[i].s)
			continue;
		if (i > b)
			rc = fn(ctx, w.v, b, i, sn);
		b = i + 1;
	}
	free(w.v);
	return rc;
}

/* Call fn on argv, then on the commands of its script when argv is
 * `sh -c SCRIPT` (with -e, -x, -ec...): the script is its own element,
 * with its own positions. Shells inside scripts are not followed. */
static int walk_argv(arena *a, const ynode *const *argv, size_t argc, walk_fn fn, void *ctx)
{
	tr_word *w = calloc(argc + 1, sizeof *w);
	if (!w)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < argc; i++) {
		const ynode *x = argv[i];
		if (x && x->kind == YN_SCALAR)
			w[n++] = (tr_word){x->str, x, 0, x->len};
	}
	int rc = n ? fn(ctx, w, 0, n, NULL) : 0;
	size_t p = tr_program_index(w, n);
	if (!rc && p < n && tr_is_shell(w[p].s))
		for (size_t k = p + 1; k + 1 < n && w[k].s[0] == '-'; k++)
			if (w[k].s[1] != '-' && strchr(w[k].s, 'c')) {
				rc = walk_script(a, w[k + 1].node, fn, ctx);
				break;
			}
	free(w);
	return rc;
}

int tr_parse_script(arena *a, const ynode *script, tr_cmd **cmds, size_t *ncmds)
{
	struct out o = {.a = a, .cmds = cmds, .n = ncmds};
	if (walk_script(a, script, one_command, &o))
		return -1;
	return o.found;
}

int tr_parse_argv(arena *a, const ynode *const *argv, size_t argc, tr_cmd **cmds, size_t *ncmds)
{
	struct out o = {.a = a, .cmds = cmds, .n = ncmds};
	if (walk_argv(a, argv, argc, one_command, &o))
		return -1;
	return o.found;
}

struct each {
	tr_command_fn fn;
	void *ctx;
};

static int each_cb(void *ctx, const tr_word *w, size_t b, size_t e, const ynode *script)
{
	struct each *x = ctx;
	return x->fn(x->ctx, w + b, e - b, script);
}

int tr_each_command(arena *a, const ynode *const *argv, size_t argc, tr_command_fn fn, void *ctx)
{
	struct each x = {fn, ctx};
	return walk_argv(a, argv, argc, each_cb, &x);
}

int tr_each_script_command(arena *a, const ynode *script, tr_command_fn fn, void *ctx)
{
	struct each x = {fn, ctx};
	return walk_script(a, script, each_cb, &x);
}

size_t tr_container_argv(const wf_container *c, const ynode **argv, size_t max)
{
	size_t n = 0;
	const ynode *seqs[2] = {c->command, c->args};
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; seqs[s] && seqs[s]->kind == YN_SEQ && i < seqs[s]->n && n < max; i++)
			argv[n++] = seqs[s]->item[i];
	return n;
}

int tr_parse_container(arena *a, const wf_container *c, tr_cmd **cmds, size_t *ncmds)
{
	const ynode *argv[512];
	size_t n = tr_container_argv(c, argv, 512);
	int found = tr_parse_argv(a, argv, n, cmds, ncmds);
	if (found < 0)
		return -1;
	/* A script template: `command: [bash]` and the script in source. */
	if (c->source_node && n && yn_str(argv[0]) && tr_is_shell(argv[0]->str)) {
		int more = tr_parse_script(a, c->source_node, cmds, ncmds);
		if (more < 0)
			return -1;
		found += more;
	}
	return found;
}

/* ------------------------------------------------------------- finder */

static int add_call(arena *a, tr_job *j, tr_call c, size_t *cap)
{
	if (ARENA_GROW(a, j->calls, j->ncalls, *cap, 8))
		return -1;
	j->calls[j->ncalls++] = c;
	return 0;
}

#define MAX_FANOUT 4096

static int seq_field(const ynode *m, const char *k, long long *v)
{
	/* Argo takes these as strings or numbers ("3" or 3) */
	const char *s = yn_str(yn_get(m, k));
	char *end;
	if (!s || !*s)
		return 0;
	*v = strtoll(s, &end, 10);
	return !*end && *v > -1000000 && *v < 1000000;
}

/* The pods one task or step starts for job j. */
static int add_task(arena *a, tr_job *j, const wf_template *parent, const wf_task *t, size_t *cap)
{
	tr_call base = {.parent = parent, .task = t, .item = -1};
	if (t->with_param) {
		if (!j->unknown_fanout)
			j->unknown_fanout = t->with_param;
		return 0;
	}
	if (t->with_items) {
		const ynode *it = t->with_items;
		if (it->kind != YN_SEQ) {
			if (!j->unknown_fanout)
				j->unknown_fanout = it;
			return 0;
		}
		for (size_t i = 0; i < it->n && i < MAX_FANOUT; i++) {
			tr_call c = base;
			c.item = (long)i;
			c.item_node = it->item[i];
			c.item_str = yn_str(it->item[i]);
			if (add_call(a, j, c, cap))
				return -1;
		}
		return 0;
	}
	if (t->with_sequence) {
		long long count, start = 0, end;
		const ynode *s = t->with_sequence;
		seq_field(s, "start", &start);
		long long first, last;
		if (seq_field(s, "count", &count)) {
			if (count <= 0)
				return 0;
			first = start, last = start + count - 1;
		} else if (seq_field(s, "end", &end)) {
			first = start, last = end;
		} else {
			if (!j->unknown_fanout)
				j->unknown_fanout = s;
			return 0;
		}
		long long step = last >= first ? 1 : -1;
		long idx = 0;
		for (long long v = first; (step > 0 ? v <= last : v >= last) && idx < MAX_FANOUT; v += step, idx++) {
			tr_call c = base;
			c.item = idx;
			c.item_str = arena_printf(a, "%lld", v);
			if (!c.item_str || add_call(a, j, c, cap))
				return -1;
		}
		return 0;
	}
	return add_call(a, j, base, cap);
}

int tr_find(arena *a, const wf_doc *d, tr_job **jobs, size_t *njobs)
{
	*jobs = NULL;
	*njobs = 0;
	size_t n = 0;
	tr_job *v = arena_alloc(a, (d->spec.ntemplates + 1) * sizeof *v);
	if (!v)
		return -1;
	for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
		const wf_template *t = &d->spec.templates[ti];
		if (!t->main)
			continue;
		tr_cmd *cmds = NULL;
		size_t nc = 0;
		int found = tr_parse_container(a, t->main, &cmds, &nc);
		if (found < 0)
			return -1;
		if (!nc)
			continue;
		tr_job *j = &v[n++];
		*j = (tr_job){.doc = d, .tmpl = t, .ctr = t->main, .cmd = &cmds[0], .ncmds = nc};
		size_t cap = 0;
		if (!t->name)
			continue;
		for (size_t pi = 0; pi < d->spec.ntemplates; pi++) {
			const wf_template *p = &d->spec.templates[pi];
			for (size_t k = 0; k < p->ntasks; k++)
				if (p->tasks[k].tmpl && !strcmp(p->tasks[k].tmpl, t->name) &&
				    add_task(a, j, p, &p->tasks[k], &cap))
					return -1;
			for (size_t g = 0; g < p->ngroups; g++)
				for (size_t k = 0; k < p->groups[g].n; k++)
					if (p->groups[g].steps[k].tmpl && !strcmp(p->groups[g].steps[k].tmpl, t->name) &&
					    add_task(a, j, p, &p->groups[g].steps[k], &cap))
						return -1;
		}
	}
	*jobs = v;
	*njobs = n;
	return 0;
}

/* ------------------------------------------------------------ resolve */

const ynode *tr_call_arg(const tr_call *c, const char *name)
{
	const wf_io *io = &c->task->arguments;
	for (size_t i = io->nparams; i-- > 0;)
		if (io->params[i].name && !strcmp(io->params[i].name, name))
			return io->params[i].value;
	return NULL;
}

struct buf {
	char *s;
	size_t n, cap;
	int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *t = realloc(b->s, cap);
		if (!t) {
			b->oom = 1;
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

enum scope { IN_TEMPLATE, IN_CALLER };

static const char *param_value(const wf_io *io, const char *name, size_t nl)
{
	for (size_t i = 0; i < io->nparams; i++) {
		const char *pn = io->params[i].name;
		if (pn && strlen(pn) == nl && !strncmp(pn, name, nl)) {
			const char *v = yn_str(io->params[i].value);
			return v ? v : yn_str(io->params[i].dflt);
		}
	}
	return NULL;
}

static void resolve_into(struct buf *b, const tr_job *j, const tr_call *c, const char *text, enum scope sc, int depth)
{
	const char *p = text;
	while (*p && !b->oom) {
		const char *open = strstr(p, "{{");
		const char *close = open ? strstr(open + 2, "}}") : NULL;
		if (!close) {
			put(b, p, strlen(p));
			return;
		}
		put(b, p, (size_t)(open - p));
		const char *e = open + 2, *ee = close;
		while (e < ee && *e == ' ')
			e++;
		while (ee > e && ee[-1] == ' ')
			ee--;
		size_t el = (size_t)(ee - e);
		const char *val = NULL;
		enum scope vsc = sc;
		const char *name;
		size_t nl = 0;
		if (sc == IN_TEMPLATE && c && (name = wf_expr_rest(e, el, "inputs.parameters.", &nl)) && nl) {
			char nm[256];
			snprintf(nm, sizeof nm, "%.*s", (int)nl, name);
			const ynode *arg = nl < sizeof nm ? tr_call_arg(c, nm) : NULL;
			if (arg) {
				val = yn_str(arg);
				vsc = IN_CALLER;
			} else {
				val = param_value(&j->tmpl->inputs, name, nl);
			}
		} else if (sc == IN_CALLER && c && el == 4 && !strncmp(e, "item", 4)) {
			val = c->item_str;
		} else if (sc == IN_CALLER && c && (name = wf_expr_rest(e, el, "item.", &nl)) && nl) {
			char k[256];
			snprintf(k, sizeof k, "%.*s", (int)nl, name);
			val = yn_get_str(c->item_node, k);
		} else if ((name = wf_expr_rest(e, el, "workflow.parameters.", &nl)) && nl) {
			val = param_value(&j->doc->spec.arguments, name, nl);
		}
		if (val && depth < 4)
			resolve_into(b, j, c, val, vsc, depth + 1);
		else
			put(b, open, (size_t)(close + 2 - open));
		p = close + 2;
	}
}

const char *tr_resolve(arena *a, const tr_job *j, const tr_call *c, const char *text)
{
	if (!text)
		return NULL;
	if (!strstr(text, "{{"))
		return text;
	struct buf b = {0};
	put(&b, "", 0);
	resolve_into(&b, j, c, text, IN_TEMPLATE, 0);
	const char *r = b.oom ? NULL : arena_strdup(a, b.s);
	free(b.s);
	return r;
}

const char *tr_call_opt(arena *a, const tr_job *j, const tr_call *c, const char *name, const tr_opt **o)
{
	const tr_opt *x = tr_get(j->cmd, name);
	if (o)
		*o = x;
	if (!x || !x->value)
		return NULL;
	return tr_resolve(a, j, c, x->value);
}

int tr_backend_is_etcd(const char *b)
{
	return b && (!strcmp(b, "etcd") || !strcmp(b, "etcd-v2"));
}

int tr_jobs_use_etcd(const tr_job *jobs, size_t njobs)
{
	for (size_t i = 0; i < njobs; i++) {
		const tr_opt *o = tr_get(jobs[i].cmd, "rdzv-backend");
		if (o && tr_backend_is_etcd(o->value))
			return 1;
	}
	return 0;
}

int tr_unresolved(const char *v)
{
	return v && strstr(v, "{{") != NULL;
}
