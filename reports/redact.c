/* redact.c: secret values of a loaded set, masked in every report, and
 * escaping of bytes a terminal must not get (redact.h).
 *
 * Secrets are found by walking every tree of the set, documents and
 * manifests alike: a mapping with `kind: Secret` gives the scalars under
 * its data and stringData; an `env:` list gives the literal values of the
 * names that another of its items takes from a secretKeyRef. */
#include "reports/redact.h"
#include "document/grow.h"

#include <stdlib.h>
#include <string.h>

typedef struct secret {
	const char *file, *text;
	size_t len;
	unsigned line, col, end_line, end_col;
} secret;

struct redact {
	secret *v;
	size_t n, cap;
	int oom;
};

static void add(redact *r, const ynode *n)
{
	if (!n || n->kind != YN_SCALAR || !n->len)
		return;
	if (GROW(r->v, r->n, r->cap, 16)) {
		r->oom = 1;
		return;
	}
	r->v[r->n++] = (secret){n->file, n->str, n->len, n->line, n->col, n->end_line, n->end_col};
}

/* Every scalar under n (a Secret's data value may be any shape). */
static void add_all(redact *r, const ynode *n, int depth)
{
	if (!n || depth > 64)
		return;
	if (n->kind == YN_SCALAR) {
		add(r, n);
		return;
	}
	for (size_t i = 0; i < n->n; i++)
		add_all(r, n->kind == YN_MAP ? n->val[i] : n->item[i], depth + 1);
}

static void env_list(redact *r, const ynode *env)
{
	for (size_t i = 0; i < env->n; i++) {
		const ynode *e = env->item[i];
		if (!yn_get(yn_get(e, "valueFrom"), "secretKeyRef"))
			continue;
		const char *name = yn_get_str(e, "name");
		for (size_t j = 0; name && j < env->n; j++)
			if (j != i && yn_get_str(env->item[j], "name") &&
			    !strcmp(yn_get_str(env->item[j], "name"), name))
				add(r, yn_get(env->item[j], "value"));
	}
}

/* Trees may share nodes through aliases; the loader bounds their expanded
 * size, and depth bounds the walk. */
static void walk(redact *r, const ynode *n, int depth)
{
	if (!n || n->kind == YN_SCALAR || depth > 300 || r->oom)
		return;
	if (n->kind == YN_MAP) {
		const char *kind = yn_get_str(n, "kind");
		if (kind && !strcmp(kind, "Secret")) {
			add_all(r, yn_get(n, "data"), 0);
			add_all(r, yn_get(n, "stringData"), 0);
		}
		const ynode *env = yn_get(n, "env");
		if (env && env->kind == YN_SEQ)
			env_list(r, env);
		for (size_t i = 0; i < n->n; i++)
			walk(r, n->val[i], depth + 1);
	} else {
		for (size_t i = 0; i < n->n; i++)
			walk(r, n->item[i], depth + 1);
	}
}

redact *redact_collect(const wf_set *s)
{
	redact *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	for (size_t i = 0; s && i < wf_set_raw_count(s); i++)
		walk(r, wf_set_raw(s, i)->root, 0);
	/* manifests are trees of their own */
	for (size_t i = 0; s && i < wf_set_count(s); i++) {
		const wf_spec *sp = &wf_set_doc(s, i)->spec;
		for (size_t t = 0; t < sp->ntemplates; t++) {
			const wf_resource *res = sp->templates[t].resource;
			for (size_t k = 0; res && k < res->ndocs; k++)
				walk(r, res->docs[k].root, 0);
		}
	}
	if (r->oom) {
		redact_free(r);
		return NULL;
	}
	return r;
}

void redact_free(redact *r)
{
	if (!r)
		return;
	free(r->v);
	free(r);
}

size_t redact_count(const redact *r)
{
	return r ? r->n : 0;
}

/* Byte offset of 1-based character column col in buf (len bytes). */
static size_t col_byte(const char *buf, size_t len, unsigned col)
{
	size_t i = 0;
	for (unsigned c = 1; i < len && c < col; c++) {
		i++;
		while (i < len && ((unsigned char)buf[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

void redact_line(const redact *r, const char *file, unsigned line, char *buf, size_t len)
{
	for (size_t i = 0; r && i < r->n; i++) {
		const secret *s = &r->v[i];
		unsigned end_line = s->end_line ? s->end_line : s->line;
		if (line < s->line || line > end_line || !s->file || !file || strcmp(s->file, file))
			continue;
		size_t from = line == s->line ? col_byte(buf, len, s->col) : 0;
		size_t to = line == end_line && s->end_col ? col_byte(buf, len, s->end_col + 1) : len;
		for (size_t b = from; b < to && b < len; b++)
			if (line == s->line || buf[b] != ' ') /* keep a block's indentation */
				buf[b] = '*';
	}
}

/* s with every secret replaced; malloc'd, or NULL when out of memory. */
static char *scrub(const redact *r, const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	memcpy(out, s, len + 1);
	for (size_t i = 0; r && i < r->n; i++) {
		const secret *sec = &r->v[i];
		if (sec->len < 3) /* "a", "1": too common to be told apart from the message's words */
			continue;
		char *hit;
		while ((hit = strstr(out, sec->text))) {
			static const char mark[] = "<redacted>";
			size_t pre = (size_t)(hit - out), post = strlen(hit + sec->len);
			char *n = malloc(pre + sizeof mark - 1 + post + 1);
			if (!n) {
				free(out);
				return NULL;
			}
			memcpy(n, out, pre);
			memcpy(n + pre, mark, sizeof mark - 1);
			memcpy(n + pre + sizeof mark - 1, hit + sec->len, post + 1);
			free(out);
			out = n;
		}
	}
	return out;
}

int redact_findings(const redact *r, const diag_list *in, diag_list *out)
{
	for (size_t i = 0; i < diag_count(in); i++) {
		const diag *d = diag_get(in, i);
		char *msg = scrub(r, d->msg), *hint = scrub(r, d->hint);
		int rc = !msg || !hint ||
			 diag_add(out, d->sev, d->rule, d->file, d->line, d->col, d->end_line, d->end_col, hint,
				  "%s", msg) ||
			 (d->suppressed && diag_suppress(out, diag_count(out) - 1, d->suppressed));
		free(msg);
		free(hint);
		if (rc)
			return -1;
	}
	return 0;
}

unsigned report_escaped_width(const char *s, size_t len, size_t *bytes)
{
	const unsigned char *u = (const unsigned char *)s;
	*bytes = 1;
	if (u[0] == '\t' || (u[0] >= 0x20 && u[0] < 0x7f))
		return 1;
	if (u[0] < 0x80 || u[0] < 0xC2 || u[0] > 0xF4)
		return 4; /* C0 control, DEL, or a byte no UTF-8 character starts with */
	size_t need = u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
	if (need > len)
		return 4;
	for (size_t k = 1; k < need; k++)
		if ((u[k] & 0xC0) != 0x80)
			return 4;
	if (u[0] == 0xC2 && u[1] < 0xA0)
		return 4; /* a C1 control (U+0080..U+009F) */
	*bytes = need;
	return 1;
}

size_t report_put_escaped(FILE *f, const char *s, size_t len)
{
	size_t cols = 0;
	for (size_t i = 0, b; i < len; i += b) {
		unsigned w = report_escaped_width(s + i, len - i, &b);
		if (w == 4)
			fprintf(f, "\\x%02x", (unsigned char)s[i]);
		else
			fwrite(s + i, 1, b, f);
		cols += w;
	}
	return cols;
}
