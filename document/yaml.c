/* yaml.c: libyaml events -> ynode trees with positions, limits and merges.
 *
 * The builder keeps its own explicit stack (no recursion), so nesting depth
 * costs heap, not C stack, and is bounded by yn_limits.max_depth. Aliases
 * share the anchored node; every node carries its "expanded weight" (what
 * it would cost if aliases were copied), and the stream is refused once the
 * expanded total passes max_nodes: a billion-laughs file fails in
 * microseconds with a few kilobytes allocated. */
#include "document/yaml.h"
#include "document/grow.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const yn_limits yn_default_limits = {
	.max_depth = 256,
	.max_nodes = 4u << 20,
	.max_bytes = 64u << 20,
};

/* ---------------------------------------------------------------- builder */

struct anchor {
	const char *name;
	ynode *node;
	size_t weight;
};

struct frame {
	ynode *node;
	size_t first;     /* its kids are the builder's kids[first..]: seq items,
			     or key,value,key,value... for maps */
	size_t weight;    /* 1 + expanded weight of kids so far */
	const char *anchor;
};

struct builder {
	arena *a;
	const char *file;
	const yn_posmap *map;
	const yn_limits *lim;
	diag_list *d;
	struct frame *stack;
	size_t depth, stack_cap;
	/* The kids of every open collection, innermost last: one array for the
	 * whole stream rather than one allocation per collection. */
	ynode **kids;
	size_t nkids, kids_cap;
	struct anchor *anchors;
	size_t nanchors, anchors_cap;
	size_t expanded;
	int aliased;      /* an alias was met: expansion, not size, passed the cap */
	int oom;
	/* the documents read so far, and the one being read */
	yn_doc *docs;
	size_t ndocs, docs_cap;
	ynode *root;
	unsigned doc_line;
};

static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Character index -> outer position, through the posmap when embedded. */
static void mark_pos(const struct builder *b, const yaml_mark_t *m, unsigned *line, unsigned *col)
{
	if (b->map && b->map->n) {
		size_t i = m->index < b->map->n ? m->index : b->map->n - 1;
		*line = b->map->line[i];
		*col = b->map->col[i];
		return;
	}
	*line = (unsigned)(m->line + 1);
	*col = (unsigned)(m->column + 1);
}

static void set_range(const struct builder *b, ynode *n, const yaml_mark_t *s, const yaml_mark_t *e)
{
	n->file = b->file;
	mark_pos(b, s, &n->line, &n->col);
	yaml_mark_t last = *e;
	if (last.index > s->index) {
		last.index--;
		if (last.column > 0)
			last.column--;
	}
	mark_pos(b, &last, &n->end_line, &n->end_col);
	if (n->end_line < n->line || (n->end_line == n->line && n->end_col < n->col)) {
		n->end_line = n->line;
		n->end_col = n->col;
	}
}

static int push_kid(struct builder *b, struct frame *f, ynode *kid, size_t weight)
{
	if (GROW(b->kids, b->nkids, b->kids_cap, 64))
		return b->oom = 1, -1;
	b->kids[b->nkids++] = kid;
	f->weight = sat_add(f->weight, weight);
	return 0;
}

static const char *adup(struct builder *b, const unsigned char *s)
{
	if (!s)
		return NULL;
	char *p = arena_strdup(b->a, (const char *)s);
	if (!p)
		b->oom = 1;
	return p;
}

static void add_anchor(struct builder *b, const char *name, ynode *n, size_t weight)
{
	if (!name)
		return;
	n->anchor = name;
	/* A redefined anchor shadows the earlier one, as the YAML spec says. */
	if (GROW(b->anchors, b->nanchors, b->anchors_cap, 16)) {
		b->oom = 1;
		return;
	}
	b->anchors[b->nanchors++] = (struct anchor){name, n, weight};
}

static const struct anchor *find_anchor(const struct builder *b, const char *name)
{
	for (size_t i = b->nanchors; i-- > 0;)
		if (!strcmp(b->anchors[i].name, name))
			return &b->anchors[i];
	return NULL;
}

static int is_merge_key(const ynode *k)
{
	return k && k->kind == YN_SCALAR && k->style == YN_PLAIN && !strcmp(k->str, "<<");
}

static int map_has_key(ynode **kids, size_t npairs, const char *key)
{
	for (size_t i = 0; i < npairs; i++) {
		const ynode *k = kids[2 * i];
		if (k && k->kind == YN_SCALAR && !is_merge_key(k) && !strcmp(k->str, key))
			return 1;
	}
	return 0;
}

/* Close a mapping: apply merge keys (<<: *base, or a list of them), with
 * explicit keys winning, then move pairs into the arena. */
static int finish_map(struct builder *b, struct frame *f, const char **err)
{
	ynode *n = f->node;
	ynode **kids = b->kids + f->first;
	size_t np = (b->nkids - f->first) / 2;
	size_t extra = 0;
	for (size_t i = 0; i < np; i++) {
		if (!is_merge_key(kids[2 * i]))
			continue;
		const ynode *v = kids[2 * i + 1];
		size_t nsrc = v->kind == YN_SEQ ? v->n : 1;
		for (size_t j = 0; j < nsrc; j++) {
			const ynode *src = v->kind == YN_SEQ ? v->item[j] : v;
			if (src->kind != YN_MAP) {
				*err = "merge key (<<) value must be a mapping or a list of mappings";
				return -1;
			}
			extra += src->n;
		}
	}
	n->key = arena_alloc(b->a, (np + extra + 1) * sizeof *n->key);
	n->val = arena_alloc(b->a, (np + extra + 1) * sizeof *n->val);
	if (!n->key || !n->val)
		return b->oom = 1, -1;
	size_t w = 0;
	for (size_t i = 0; i < np; i++) {
		if (is_merge_key(kids[2 * i]))
			continue;
		n->key[w] = kids[2 * i];
		n->val[w++] = kids[2 * i + 1];
	}
	for (size_t i = 0; i < np; i++) {
		if (!is_merge_key(kids[2 * i]))
			continue;
		const ynode *v = kids[2 * i + 1];
		size_t nsrc = v->kind == YN_SEQ ? v->n : 1;
		for (size_t j = 0; j < nsrc; j++) {
			const ynode *src = v->kind == YN_SEQ ? v->item[j] : v;
			for (size_t k = 0; k < src->n; k++) {
				const char *ks = yn_str(src->key[k]);
				if (ks && (map_has_key(kids, np, ks) || yn_get(n, ks)))
					continue;
				n->key[w] = src->key[k];
				n->val[w++] = src->val[k];
				n->n = w; /* so yn_get above sees merged keys too */
			}
		}
	}
	n->n = w;
	return 0;
}

static int finish_seq(struct builder *b, struct frame *f)
{
	ynode *n = f->node;
	size_t nkids = b->nkids - f->first;
	n->item = arena_alloc(b->a, (nkids + 1) * sizeof *n->item);
	if (!n->item)
		return b->oom = 1, -1;
	if (nkids)
		memcpy(n->item, b->kids + f->first, nkids * sizeof *n->item);
	n->n = nkids;
	return 0;
}

static ynode *new_node(struct builder *b, yn_kind kind)
{
	ynode *n = arena_alloc(b->a, sizeof *n);
	if (!n)
		b->oom = 1;
	else
		n->kind = kind;
	return n;
}

static int errorf(struct builder *b, const char *rule, unsigned line, unsigned col, const char *hint,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int errorf(struct builder *b, const char *rule, unsigned line, unsigned col, const char *hint,
		  const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_add(b->d, DIAG_ERROR, rule, b->file, line, col, line, col, hint, "%s", msg);
	return -1;
}

/* Attach a finished node (weight w) to the open collection, if any; returns
 * the document root when the stack is empty. */
static int attach(struct builder *b, ynode *n, size_t w, ynode **root, const yaml_mark_t *m)
{
	b->expanded = sat_add(b->expanded, w);
	if (b->expanded > b->lim->max_nodes) {
		unsigned l, c;
		mark_pos(b, m, &l, &c);
		/* Without aliases the file itself is that big: say so, not
		 * "billion laughs". The count runs over the whole stream. */
		if (!b->aliased)
			return errorf(b, "yaml-too-large", l, c, "split the file",
				      "the file holds more than %zu YAML nodes (keys, values and items, over all its "
				      "documents); refused", b->lim->max_nodes);
		return errorf(b, "yaml-alias-bomb", l, c,
			      "remove the alias chain, or write the repeated content out",
			      "document expands to more than %zu nodes through aliases (billion-laughs pattern); refused",
			      b->lim->max_nodes);
	}
	if (b->depth == 0) {
		*root = n;
		return 0;
	}
	return push_kid(b, &b->stack[b->depth - 1], n, w);
}

static yn_style scalar_style(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return YN_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return YN_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return YN_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return YN_FOLDED;
	default: return YN_PLAIN;
	}
}

static const char *problem_rule(yaml_error_type_t t)
{
	return t == YAML_READER_ERROR ? "yaml-encoding" : "yaml-syntax";
}

/* libyaml refused the text: one finding at the problem's position. Returns
 * -1, or -2 when libyaml ran out of memory. */
static int on_parse_error(struct builder *b, const yaml_parser_t *p, const char *buf, size_t len)
{
	unsigned l, c;
	yaml_mark_t pm = p->problem_mark;
	if (p->error == YAML_MEMORY_ERROR)
		return -2;
	if (p->error == YAML_READER_ERROR) {
		/* The reader reports a byte offset, not a mark. */
		pm.line = pm.column = pm.index = 0;
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if ((buf[i] & 0xC0) == 0x80)
				continue;
			pm.index++;
			if (buf[i] == '\n')
				pm.line++, pm.column = 0;
			else
				pm.column++;
		}
	}
	mark_pos(b, &pm, &l, &c);
	if (p->context) {
		unsigned cl, cc;
		mark_pos(b, &p->context_mark, &cl, &cc);
		errorf(b, problem_rule(p->error), l, c, "fix the YAML syntax at this position",
		       "%s (%s at line %u)", p->problem ? p->problem : "syntax error", p->context, cl);
	} else {
		errorf(b, problem_rule(p->error), l, c, "fix the YAML syntax at this position",
		       "%s", p->problem ? p->problem : "syntax error");
	}
	return -1;
}

static int on_document_start(struct builder *b, const yaml_event_t *e)
{
	unsigned c;
	mark_pos(b, &e->start_mark, &b->doc_line, &c);
	b->root = NULL;
	b->nanchors = 0; /* anchors are per document */
	return 0;
}

/* A document ends: keep its root (none for an empty document). */
static int on_document_end(struct builder *b)
{
	ynode *root = b->root;
	if (GROW(b->docs, b->ndocs, b->docs_cap, 4))
		return -2;
	if (root && root->kind == YN_SCALAR && root->style == YN_PLAIN && !root->tag && root->len == 0)
		root = NULL;
	b->docs[b->ndocs] = (yn_doc){.root = root, .file = b->file, .index = (unsigned)b->ndocs, .line = b->doc_line};
	b->ndocs++;
	return 0;
}

/* *name: the anchored node again, its weight counted again (alias bombs). */
static int on_alias(struct builder *b, const yaml_event_t *e)
{
	const struct anchor *an = find_anchor(b, (const char *)e->data.alias.anchor);
	if (!an) {
		unsigned l, c;
		mark_pos(b, &e->start_mark, &l, &c);
		return errorf(b, "yaml-syntax", l, c, "define the anchor (&name) before using it",
			      "unknown anchor '*%s'", (const char *)e->data.alias.anchor);
	}
	b->aliased = 1;
	return attach(b, an->node, an->weight, &b->root, &e->start_mark);
}

static int on_scalar(struct builder *b, const yaml_event_t *e)
{
	ynode *n = new_node(b, YN_SCALAR);
	if (!n)
		return -2;
	n->style = scalar_style(e->data.scalar.style);
	n->tag = adup(b, e->data.scalar.tag);
	n->str = arena_strndup(b->a, (const char *)e->data.scalar.value, e->data.scalar.length);
	n->len = e->data.scalar.length;
	if (!n->str)
		b->oom = 1;
	set_range(b, n, &e->start_mark, &e->end_mark);
	add_anchor(b, adup(b, e->data.scalar.anchor), n, 1);
	return attach(b, n, 1, &b->root, &e->start_mark);
}

/* A mapping or sequence opens: a frame collects its kids until it ends. */
static int on_collection_start(struct builder *b, const yaml_event_t *e)
{
	int is_map = e->type == YAML_MAPPING_START_EVENT;
	if (b->depth >= b->lim->max_depth) {
		unsigned l, c;
		mark_pos(b, &e->start_mark, &l, &c);
		return errorf(b, "yaml-depth", l, c, "flatten the document", "nesting deeper than %u levels; refused",
			      b->lim->max_depth);
	}
	ynode *n = new_node(b, is_map ? YN_MAP : YN_SEQ);
	if (!n)
		return -2;
	int flow = is_map ? e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
			  : e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	n->style = flow ? YN_FLOW : YN_BLOCK;
	n->tag = adup(b, is_map ? e->data.mapping_start.tag : e->data.sequence_start.tag);
	set_range(b, n, &e->start_mark, &e->end_mark);
	if (GROW(b->stack, b->depth, b->stack_cap, 16))
		return -2;
	b->stack[b->depth++] = (struct frame){
		.node = n, .first = b->nkids, .weight = 1,
		.anchor = adup(b, is_map ? e->data.mapping_start.anchor : e->data.sequence_start.anchor),
	};
	return 0;
}

/* A mapping or sequence closes: its kids become the node's, and the node
 * joins its parent. */
static int on_collection_end(struct builder *b, const yaml_event_t *e)
{
	assert(b->depth > 0);
	struct frame f = b->stack[--b->depth];
	const char *err = NULL;
	int r = f.node->kind == YN_MAP ? finish_map(b, &f, &err) : finish_seq(b, &f);
	b->nkids = f.first; /* the kids now belong to the node */
	if (r)
		return err ? errorf(b, "yaml-syntax", f.node->line, f.node->col, "merge only mappings", "%s", err) : -2;
	unsigned el, ec;
	mark_pos(b, &e->end_mark, &el, &ec);
	if (el > f.node->end_line || (el == f.node->end_line && ec > f.node->end_col)) {
		f.node->end_line = el;
		f.node->end_col = ec > 1 ? ec - 1 : 1;
	}
	add_anchor(b, f.anchor, f.node, f.weight);
	/* The collection itself was counted at 1; add its kids. */
	b->expanded = b->expanded > f.weight - 1 ? b->expanded - (f.weight - 1) : 0;
	return attach(b, f.node, f.weight, &b->root, &e->start_mark);
}

/* One handler per libyaml event; the loop ends at the stream's end or the
 * first error. */
int yn_parse(arena *a, const char *file, const char *buf, size_t len,
	     const yn_limits *lim, const yn_posmap *map, diag_list *d,
	     yn_doc **docs_out, size_t *ndocs_out)
{
	struct builder b = {.a = a, .file = file, .map = map, .lim = lim ? lim : &yn_default_limits, .d = d,
			    .doc_line = 1};
	int rc = 0;
	*docs_out = NULL;
	*ndocs_out = 0;

	if (len > b.lim->max_bytes) {
		errorf(&b, "yaml-too-large", 1, 1, "split the file, or raise the limit",
		       "input is %zu bytes, over the %zu-byte limit", len, b.lim->max_bytes);
		return -1;
	}
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return -2;
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);

	for (int done = 0; !done && rc == 0;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			rc = on_parse_error(&b, &p, buf, len);
			break;
		}
		switch (e.type) {
		case YAML_DOCUMENT_START_EVENT:
			rc = on_document_start(&b, &e);
			break;
		case YAML_DOCUMENT_END_EVENT:
			rc = on_document_end(&b);
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(&b, &e);
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&b, &e);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			rc = on_collection_start(&b, &e);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_collection_end(&b, &e);
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
		if (b.oom)
			rc = -2;
	}
	yaml_parser_delete(&p);
	free(b.kids);
	free(b.stack);
	free(b.anchors);
	if (b.ndocs) {
		yn_doc *v = arena_alloc(a, b.ndocs * sizeof *v);
		if (!v) {
			rc = -2;
			b.ndocs = 0;
		} else {
			memcpy(v, b.docs, b.ndocs * sizeof *v);
		}
		*docs_out = v;
	}
	free(b.docs);
	*ndocs_out = b.ndocs;
	return rc;
}

/* ------------------------------------------------------- scalar posmaps */

/* A growable map under construction: one (line, col) per decoded character. */
struct pm {
	unsigned *line, *col;
	size_t n, cap;
	int oom;
};

static void pm_put(struct pm *m, unsigned line, unsigned col)
{
	if (m->n == m->cap) {
		/* two arrays, one count: each grows with its own copy of cap */
		size_t lc = m->cap, cc = m->cap;
		if (GROW(m->line, m->n, lc, 256) || GROW(m->col, m->n, cc, 256)) {
			m->oom = 1;
			return;
		}
		m->cap = lc;
	}
	m->line[m->n] = line;
	m->col[m->n++] = col;
}

static int is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Byte offset of (line, col) -- 1-based, col in characters -- in src. */
static size_t offset_of(const char *src, size_t len, unsigned line, unsigned col)
{
	size_t i = 0;
	for (unsigned l = 1; l < line && i < len; i++)
		if (src[i] == '\n')
			l++;
	for (unsigned c = 1; c < col && i < len && src[i] != '\n'; c++) {
		i++;
		while (i < len && is_cont((unsigned char)src[i]))
			i++;
	}
	return i;
}

/* Decode a flow scalar (plain, '...', "...") from src[i..] and record where
 * each output character came from. Follows YAML's line folding: a single
 * line break becomes a space, n+1 breaks become n newlines, whitespace
 * around breaks is dropped; in "..." a backslash before a break joins. */
static void pm_flow(struct pm *m, const char *src, size_t len, size_t i, unsigned line, unsigned col,
		    char quote, size_t nchars)
{
	if (quote) {
		i++;
		col++;
	}
	size_t trail = 0; /* trailing blanks output on the current line, undone at a break */
	while (i < len && m->n < nchars + 1 && !m->oom) {
		unsigned char ch = (unsigned char)src[i];
		if (quote && ch == (unsigned char)quote) {
			if (quote == '\'' && i + 1 < len && src[i + 1] == '\'') {
				pm_put(m, line, col);
				i += 2;
				col += 2;
				trail = 0;
				continue;
			}
			break;
		}
		if (ch == '\n' || ch == '\r') {
			m->n -= trail < m->n ? trail : m->n;
			size_t breaks = 0;
			unsigned bl = line, bc = col;
			while (i < len && (src[i] == '\n' || src[i] == '\r' || src[i] == ' ' || src[i] == '\t')) {
				if (src[i] == '\n') {
					breaks++;
					line++;
					col = 1;
				} else if (src[i] != '\r') {
					col++;
				}
				i++;
			}
			if (breaks <= 1)
				pm_put(m, bl, bc);
			else
				for (size_t k = 1; k < breaks; k++)
					pm_put(m, bl + (unsigned)k, 1);
			trail = 0;
			continue;
		}
		if (quote == '"' && ch == '\\' && i + 1 < len) {
			char e = src[i + 1];
			if (e == '\n' || e == '\r') {
				/* escaped line break: join, skipping the next line's indentation */
				i += 1;
				while (i < len && (src[i] == '\n' || src[i] == '\r'))
					i++;
				line++;
				col = 1;
				while (i < len && (src[i] == ' ' || src[i] == '\t')) {
					i++;
					col++;
				}
				trail = 0;
				continue;
			}
			size_t w = e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
			pm_put(m, line, col);
			i += w;
			col += (unsigned)w;
			trail = 0;
			continue;
		}
		pm_put(m, line, col);
		trail = (ch == ' ' || ch == '\t') ? trail + 1 : 0;
		i++;
		while (i < len && is_cont((unsigned char)src[i]))
			i++;
		col++;
	}
}

/* Literal and folded blocks: content lines start after the header line,
 * indented by the first non-blank line's indentation. */
static void pm_block(struct pm *m, const char *src, size_t len, size_t i, unsigned line, size_t nchars)
{
	while (i < len && src[i] != '\n') /* header: | or > with indicators, comment */
		i++;
	unsigned indent = 0;
	for (size_t j = i + 1; j < len;) {
		unsigned k = 0;
		while (j + k < len && src[j + k] == ' ')
			k++;
		if (j + k < len && src[j + k] != '\n') {
			indent = k;
			break;
		}
		j += k + 1;
	}
	while (i < len && m->n < nchars + 1 && !m->oom) {
		i++; /* past '\n' */
		line++;
		size_t s = i;
		unsigned k = 0;
		while (i < len && src[i] == ' ')
			k++, i++;
		if (i >= len)
			break;
		int blank = src[i] == '\n';
		if (!blank && k < indent)
			break;
		unsigned col = indent + 1;
		for (size_t j = s + (blank ? 0 : indent); j < len && src[j] != '\n'; j++) {
			if (is_cont((unsigned char)src[j]))
				continue;
			pm_put(m, line, col++);
		}
		while (i < len && src[i] != '\n')
			i++;
		pm_put(m, line, col); /* the line break (or the space it folds to) */
	}
}

int yn_scalar_posmap(arena *a, const ynode *s, const char *src, size_t srclen, yn_posmap *out)
{
	memset(out, 0, sizeof *out);
	out->file = s->file;
	size_t nchars = 0;
	for (size_t i = 0; i < s->len; i++)
		nchars += !is_cont((unsigned char)s->str[i]);
	struct pm m = {0};
	size_t off = offset_of(src, srclen, s->line, s->col);
	switch (s->style) {
	case YN_DOUBLE: pm_flow(&m, src, srclen, off, s->line, s->col, '"', nchars); break;
	case YN_SINGLE: pm_flow(&m, src, srclen, off, s->line, s->col, '\'', nchars); break;
	case YN_PLAIN: pm_flow(&m, src, srclen, off, s->line, s->col, 0, nchars); break;
	case YN_LITERAL: pm_block(&m, src, srclen, off, s->line, nchars); break;
	case YN_FOLDED: pm_block(&m, src, srclen, off, s->line, nchars); break;
	default: break;
	}
	/* Folded blocks and unusual escapes may not line up exactly; then every
	 * character maps to the scalar's start, which is still the right line. */
	int exact = !m.oom && m.n >= nchars && s->style != YN_FOLDED;
	size_t n = nchars + 1;
	out->line = arena_alloc(a, n * sizeof *out->line);
	out->col = arena_alloc(a, n * sizeof *out->col);
	if (!out->line || !out->col) {
		free(m.line);
		free(m.col);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (exact && i < m.n) {
			out->line[i] = m.line[i];
			out->col[i] = m.col[i];
		} else if (exact && i > 0) {
			out->line[i] = out->line[i - 1];
			out->col[i] = out->col[i - 1] + 1;
		} else {
			out->line[i] = s->line;
			out->col[i] = s->col;
		}
	}
	out->n = n;
	free(m.line);
	free(m.col);
	return 0;
}

/* --------------------------------------------------------------- lookups */

/* Index of the last key equal to `key` in map, or -1. The loader and the
 * rules look up a few dozen names per mapping; comparing the first byte
 * and the length before the bytes keeps that cheap. */
static long key_index(const ynode *map, const char *key)
{
	if (!map || map->kind != YN_MAP)
		return -1;
	size_t len = strlen(key);
	for (size_t i = map->n; i-- > 0;) {
		const ynode *k = map->key[i];
		if (k->kind == YN_SCALAR && k->len == len && k->str[0] == key[0] && !memcmp(k->str, key, len))
			return (long)i;
	}
	return -1;
}

ynode *yn_get(const ynode *map, const char *key)
{
	long i = key_index(map, key);
	return i < 0 ? NULL : map->val[i];
}

ynode *yn_get_key(const ynode *map, const char *key)
{
	long i = key_index(map, key);
	return i < 0 ? NULL : map->key[i];
}

const char *yn_str(const ynode *n)
{
	return n && n->kind == YN_SCALAR ? n->str : NULL;
}

const char *yn_get_str(const ynode *map, const char *key)
{
	return yn_str(yn_get(map, key));
}

int yn_is_quoted(const ynode *n)
{
	return n && n->kind == YN_SCALAR && n->style != YN_PLAIN;
}

int yn_is_null(const ynode *n)
{
	if (!n)
		return 1;
	if (n->kind != YN_SCALAR || n->style != YN_PLAIN)
		return 0;
	if (n->tag && strcmp(n->tag, "tag:yaml.org,2002:null"))
		return 0;
	if (n->len == 0)
		return 1;
	if (n->str[0] != '~' && n->str[0] != 'n' && n->str[0] != 'N') /* most scalars: one compare */
		return 0;
	return !strcmp(n->str, "~") || !strcmp(n->str, "null") || !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

int yn_bool(const ynode *n, int *out)
{
	/* YAML 1.1 booleans, as go-yaml v2 (behind sigs.k8s.io/yaml) reads them. */
	static const char *const t[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"};
	static const char *const f[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"};
	if (!n || n->kind != YN_SCALAR || n->style != YN_PLAIN || !n->len || !strchr("tTyYoOfFnN", n->str[0]))
		return -1;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (!strcmp(n->str, t[i]))
			return *out = 1, 0;
		if (!strcmp(n->str, f[i]))
			return *out = 0, 0;
	}
	return -1;
}

int yn_int(const ynode *n, long long *out)
{
	if (!n || n->kind != YN_SCALAR || n->style != YN_PLAIN || n->len == 0)
		return -1;
	const char *s = n->str;
	if (!strchr("0123456789+- \t\n\v\f\r", s[0]))
		return -1; /* most strings: one compare (strtoll takes leading space, a sign, digits) */
	int base = 10;
	const char *p = s + (*s == '-' || *s == '+');
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16;
	else if (p[0] == '0' && p[1] == 'o')
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, base);
	if (errno || *end || end == s)
		return -1;
	*out = v;
	return 0;
}

int yn_number(const ynode *n, double *out)
{
	long long i;
	if (yn_int(n, &i) == 0)
		return *out = (double)i, 0;
	if (!n || n->kind != YN_SCALAR || n->style != YN_PLAIN || n->len == 0)
		return -1;
	const char *s = n->str;
	if (!s[0] || !strchr("0123456789+-.", s[0]))
		return -1; /* most strings: one compare */
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, "+.inf"))
		return *out = INFINITY, 0;
	if (!strcmp(s, "-.inf") || !strcmp(s, "-.Inf"))
		return *out = -INFINITY, 0;
	if (!strcmp(s, ".nan") || !strcmp(s, ".NaN"))
		return *out = NAN, 0;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || end == s || !strpbrk(s, "0123456789"))
		return -1;
	/* hex floats, "infinity" and "nan" are strings in YAML */
	if (strpbrk(s, "xXnN"))
		return -1;
	*out = v;
	return 0;
}

/* -------------------------------------------------------------- building */

ynode *yn_new_scalar(arena *a, const char *s, yn_style style)
{
	ynode *n = arena_alloc(a, sizeof *n);
	if (!n)
		return NULL;
	n->kind = YN_SCALAR;
	n->style = style;
	n->len = strlen(s);
	n->str = arena_strndup(a, s, n->len);
	return n->str ? n : NULL;
}

static ynode *new_coll(arena *a, yn_kind k)
{
	ynode *n = arena_alloc(a, sizeof *n);
	if (n) {
		n->kind = k;
		n->style = YN_BLOCK;
	}
	return n;
}

ynode *yn_new_map(arena *a) { return new_coll(a, YN_MAP); }
ynode *yn_new_seq(arena *a) { return new_coll(a, YN_SEQ); }

static int grow(arena *a, ynode ***v, size_t n)
{
	ynode **nv = arena_alloc(a, (n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	if (n && *v)
		memcpy(nv, *v, n * sizeof *nv);
	*v = nv;
	return 0;
}

int yn_map_set(arena *a, ynode *map, const char *key, ynode *val)
{
	if (!map || map->kind != YN_MAP)
		return -1;
	for (size_t i = map->n; i-- > 0;)
		if (map->key[i]->kind == YN_SCALAR && !strcmp(map->key[i]->str, key))
			return map->val[i] = val, 0;
	ynode *k = yn_new_scalar(a, key, YN_PLAIN);
	if (!k || grow(a, &map->key, map->n) || grow(a, &map->val, map->n))
		return -1;
	map->key[map->n] = k;
	map->val[map->n++] = val;
	return 0;
}

int yn_map_remove(ynode *map, const char *key)
{
	if (!map || map->kind != YN_MAP)
		return -1;
	size_t w = 0;
	for (size_t r = 0; r < map->n; r++) {
		if (map->key[r]->kind == YN_SCALAR && !strcmp(map->key[r]->str, key))
			continue;
		map->key[w] = map->key[r];
		map->val[w++] = map->val[r];
	}
	int removed = w != map->n;
	map->n = w;
	return removed ? 0 : -1;
}

int yn_seq_append(arena *a, ynode *seq, ynode *item)
{
	if (!seq || seq->kind != YN_SEQ || grow(a, &seq->item, seq->n))
		return -1;
	seq->item[seq->n++] = item;
	return 0;
}

int yn_seq_remove(ynode *seq, size_t i)
{
	if (!seq || seq->kind != YN_SEQ || i >= seq->n)
		return -1;
	memmove(&seq->item[i], &seq->item[i + 1], (seq->n - i - 1) * sizeof *seq->item);
	seq->n--;
	return 0;
}

ynode *yn_copy(arena *a, const ynode *n)
{
	if (!n)
		return NULL;
	ynode *c = arena_alloc(a, sizeof *c);
	if (!c)
		return NULL;
	*c = *n;
	c->anchor = NULL;
	if (n->kind == YN_SCALAR)
		return c;
	c->item = c->key = c->val = NULL;
	if (n->kind == YN_SEQ) {
		if (grow(a, &c->item, n->n))
			return NULL;
		for (size_t i = 0; i < n->n; i++)
			if (!(c->item[i] = yn_copy(a, n->item[i])))
				return NULL;
	} else {
		if (grow(a, &c->key, n->n) || grow(a, &c->val, n->n))
			return NULL;
		for (size_t i = 0; i < n->n; i++)
			if (!(c->key[i] = yn_copy(a, n->key[i])) || !(c->val[i] = yn_copy(a, n->val[i])))
				return NULL;
	}
	return c;
}

/* -------------------------------------------------------------- emitting */

static yaml_scalar_style_t emit_style(yn_style s)
{
	switch (s) {
	case YN_SINGLE: return YAML_SINGLE_QUOTED_SCALAR_STYLE;
	case YN_DOUBLE: return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	case YN_LITERAL: return YAML_LITERAL_SCALAR_STYLE;
	case YN_FOLDED: return YAML_FOLDED_SCALAR_STYLE;
	default: return YAML_PLAIN_SCALAR_STYLE;
	}
}

/* Iterative walk: an explicit stack of (node, next child) pairs, so deep
 * trees cannot overflow the C stack here either. */
static int emit_node(yaml_emitter_t *em, const ynode *root)
{
	struct it { const ynode *n; size_t i; } *st = NULL;
	size_t depth = 0, cap = 0;
	yaml_event_t e;
	const ynode *n = root;
	int rc = 0;
	for (;;) {
		if (n) {
			if (n->kind == YN_SCALAR) {
				yaml_scalar_style_t style = emit_style(n->style);
				int plain_ok = n->style == YN_PLAIN;
				if (!yaml_scalar_event_initialize(&e, NULL, (yaml_char_t *)n->tag,
								  (yaml_char_t *)n->str, (int)n->len,
								  plain_ok || !n->tag, !n->tag && !plain_ok, style) ||
				    !yaml_emitter_emit(em, &e)) {
					rc = -1;
					break;
				}
			} else {
				int flow = n->style == YN_FLOW;
				int ok = n->kind == YN_MAP
					? yaml_mapping_start_event_initialize(&e, NULL, (yaml_char_t *)n->tag, !n->tag,
						flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE)
					: yaml_sequence_start_event_initialize(&e, NULL, (yaml_char_t *)n->tag, !n->tag,
						flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
				if (!ok || !yaml_emitter_emit(em, &e)) {
					rc = -1;
					break;
				}
				if (GROW(st, depth, cap, 32)) {
					rc = -1;
					break;
				}
				st[depth++] = (struct it){n, 0};
			}
		}
		if (depth == 0)
			break;
		struct it *top = &st[depth - 1];
		size_t total = top->n->kind == YN_MAP ? 2 * top->n->n : top->n->n;
		if (top->i < total) {
			size_t i = top->i++;
			n = top->n->kind == YN_MAP ? (i % 2 ? top->n->val[i / 2] : top->n->key[i / 2]) : top->n->item[i];
			if (!n) {
				static const ynode null_node = {.kind = YN_SCALAR, .str = "", .style = YN_PLAIN};
				n = &null_node;
			}
			continue;
		}
		int ok = top->n->kind == YN_MAP ? yaml_mapping_end_event_initialize(&e)
						: yaml_sequence_end_event_initialize(&e);
		if (!ok || !yaml_emitter_emit(em, &e)) {
			rc = -1;
			break;
		}
		depth--;
		n = NULL;
		if (depth == 0)
			break;
	}
	free(st);
	return rc;
}

static int emit_docs(yaml_emitter_t *em, const yn_doc *docs, const ynode *const *nodes, size_t n)
{
	yaml_event_t e;
	yaml_emitter_set_unicode(em, 1);
	yaml_emitter_set_width(em, 100);
	yaml_emitter_set_indent(em, 2);
	if (!yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING) || !yaml_emitter_emit(em, &e))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const ynode *root = docs ? docs[i].root : nodes[i];
		if (!yaml_document_start_event_initialize(&e, NULL, NULL, NULL, i == 0) || !yaml_emitter_emit(em, &e))
			return -1;
		if (root) {
			if (emit_node(em, root))
				return -1;
		} else {
			if (!yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)"", 0, 1, 0,
							  YAML_PLAIN_SCALAR_STYLE) || !yaml_emitter_emit(em, &e))
				return -1;
		}
		if (!yaml_document_end_event_initialize(&e, 1) || !yaml_emitter_emit(em, &e))
			return -1;
	}
	if (!yaml_stream_end_event_initialize(&e) || !yaml_emitter_emit(em, &e))
		return -1;
	return 0;
}

static int file_writer(void *data, unsigned char *buf, size_t size)
{
	return fwrite(buf, 1, size, (FILE *)data) == size;
}

int yn_emit(FILE *f, const yn_doc *docs, size_t ndocs, char *err, size_t errlen)
{
	yaml_emitter_t em;
	if (!yaml_emitter_initialize(&em)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	yaml_emitter_set_output(&em, file_writer, f);
	int rc = emit_docs(&em, docs, NULL, ndocs);
	if (rc)
		snprintf(err, errlen, "cannot emit YAML: %s", em.problem ? em.problem : "write error");
	else if (!yaml_emitter_flush(&em) || fflush(f))
		snprintf(err, errlen, "write error"), rc = -1;
	yaml_emitter_delete(&em);
	return rc;
}

struct membuf {
	char *p;
	size_t n, cap;
};

static int mem_writer(void *data, unsigned char *buf, size_t size)
{
	struct membuf *m = data;
	if (m->n + size + 1 > m->cap) {
		size_t cap = (m->n + size + 1) * 2;
		char *p = realloc(m->p, cap);
		if (!p)
			return 0;
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->n, buf, size);
	m->n += size;
	m->p[m->n] = 0;
	return 1;
}

char *yn_emit_string(const ynode *n, size_t *len)
{
	yaml_emitter_t em;
	struct membuf m = {0};
	if (!yaml_emitter_initialize(&em))
		return NULL;
	yaml_emitter_set_output(&em, mem_writer, &m);
	int rc = emit_docs(&em, NULL, &n, 1);
	if (!rc && !yaml_emitter_flush(&em))
		rc = -1;
	yaml_emitter_delete(&em);
	if (rc) {
		free(m.p);
		return NULL;
	}
	if (len)
		*len = m.n;
	return m.p ? m.p : strdup("");
}

int yn_diag(diag_list *d, const ynode *n, diag_severity sev, const char *rule,
	    const char *hint, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!n)
		return diag_add(d, sev, rule, NULL, 0, 0, 0, 0, hint, "%s", msg);
	return diag_add(d, sev, rule, n->file, n->line, n->col, n->end_line, n->end_col, hint, "%s", msg);
}
