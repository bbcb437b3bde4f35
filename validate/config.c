/* config.c: lint choices from flags, .rehearse.yaml and inline comments.
 *
 * The config file is parsed with the same YAML loader as workflows, so a
 * mistake in it is reported with its position. Unknown keys and rule names
 * that match no rule are errors: a typo in an ignore list must not silently
 * keep a finding, or silently drop one. */
#include "validate/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/arena.h"
#include "document/readfile.h"
#include "document/yaml.h"

struct strv {
	char **v;
	size_t n;
};

struct sev_override {
	char *rule;
	int sev; /* diag_severity, or -1 for off */
};

struct lcfg {
	struct strv select, ignore, services;
	int select_from_cli;
	int strict;
	struct sev_override *sev;
	size_t nsev;
	lint_config lint;
};

lcfg *lcfg_new(void)
{
	return calloc(1, sizeof(lcfg));
}

static void strv_free(struct strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

void lcfg_free(lcfg *c)
{
	if (!c)
		return;
	strv_free(&c->select);
	strv_free(&c->ignore);
	strv_free(&c->services);
	for (size_t i = 0; i < c->nsev; i++)
		free(c->sev[i].rule);
	free(c->sev);
	free(c);
}

static int strv_push(struct strv *v, const char *s, size_t len)
{
	char **nv = realloc(v->v, (v->n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	v->v = nv;
	if (!(nv[v->n] = strndup(s, len)))
		return -1;
	v->n++;
	return 0;
}

int lcfg_pattern_matches(const char *pat, const char *id)
{
	size_t n = strlen(pat);
	if (!n || strncmp(pat, id, n))
		return 0;
	return id[n] == '\0' || pat[n - 1] == '-' || id[n] == '-';
}

static int names_a_rule(const char *pat)
{
	for (size_t i = 0, n = rule_count(); i < n; i++)
		if (lcfg_pattern_matches(pat, rule_at(i)->id))
			return 1;
	return 0;
}

/* Append the comma-separated names in s to v, checking each names a rule. */
static int add_csv(struct strv *v, const char *s, char *err, size_t errlen)
{
	while (*s) {
		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		size_t len = strcspn(s, ", \t");
		if (!len)
			break;
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)len, s);
		if (!names_a_rule(name)) {
			snprintf(err, errlen, "'%s' names no rule (see `rehearse rules`)", name);
			return -1;
		}
		if (strv_push(v, s, len)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		s += len;
	}
	return 0;
}

int lcfg_select(lcfg *c, const char *csv, char *err, size_t errlen)
{
	if (!c->select_from_cli) {
		strv_free(&c->select); /* the command line overrides the file */
		c->select_from_cli = 1;
	}
	return add_csv(&c->select, csv, err, errlen);
}

int lcfg_ignore(lcfg *c, const char *csv, char *err, size_t errlen)
{
	return add_csv(&c->ignore, csv, err, errlen);
}

void lcfg_set_strict(lcfg *c, int strict)
{
	c->strict = strict;
}

int lcfg_strict(const lcfg *c)
{
	return c->strict;
}

const lint_config *lcfg_lint(const lcfg *c)
{
	return &c->lint;
}

int lcfg_find(const char *dir, char *out, size_t outlen)
{
	char cur[PATH_MAX];
	if (!realpath(dir, cur))
		return 0;
	for (;;) {
		int n = snprintf(out, outlen, "%s/.rehearse.yaml", strcmp(cur, "/") ? cur : "");
		FILE *f = n > 0 && (size_t)n < outlen ? fopen(out, "r") : NULL;
		if (f) {
			fclose(f);
			return 1;
		}
		char *slash = strrchr(cur, '/');
		if (!slash || !strcmp(cur, "/"))
			return 0;
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/* ------------------------------------------------------------ the file */

static int at(char *err, size_t errlen, const char *path, const ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int at(char *err, size_t errlen, const char *path, const ynode *n, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%u:%u: %s", path, n ? n->line : 1, n ? n->col : 1, msg);
	return -1;
}

/* A list of names: a YAML list of strings or one comma-separated string. */
static int read_names(struct strv *v, const ynode *n, int check, const char *path, char *err, size_t errlen)
{
	if (yn_is_null(n))
		return 0;
	if (n->kind == YN_SCALAR) {
		char why[160];
		size_t before = v->n;
		if (!check) {
			if (strv_push(v, n->str, n->len))
				return at(err, errlen, path, n, "out of memory");
			return 0;
		}
		if (add_csv(v, n->str, why, sizeof why))
			return at(err, errlen, path, n, "%s", why);
		(void)before;
		return 0;
	}
	if (n->kind != YN_SEQ)
		return at(err, errlen, path, n, "expected a list of names");
	for (size_t i = 0; i < n->n; i++) {
		const ynode *it = n->item[i];
		if (it->kind != YN_SCALAR)
			return at(err, errlen, path, it, "expected a name");
		if (check && !names_a_rule(it->str))
			return at(err, errlen, path, it, "'%s' names no rule (see `rehearse rules`)", it->str);
		if (strv_push(v, it->str, it->len))
			return at(err, errlen, path, it, "out of memory");
	}
	return 0;
}

static int read_config(lcfg *c, const ynode *root, const char *path, char *err, size_t errlen)
{
	if (!root)
		return 0; /* an empty file is a valid, empty config */
	if (root->kind != YN_MAP)
		return at(err, errlen, path, root, "the config is a mapping (select, ignore, strict, known_services, severity)");
	for (size_t i = 0; i < root->n; i++) {
		const ynode *k = root->key[i], *v = root->val[i];
		const char *key = yn_str(k);
		if (!key)
			return at(err, errlen, path, k, "keys are names");
		if (!strcmp(key, "select")) {
			strv_free(&c->select);
			if (read_names(&c->select, v, 1, path, err, errlen))
				return -1;
		} else if (!strcmp(key, "ignore")) {
			if (read_names(&c->ignore, v, 1, path, err, errlen))
				return -1;
		} else if (!strcmp(key, "known_services") || !strcmp(key, "known-services")) {
			if (read_names(&c->services, v, 0, path, err, errlen))
				return -1;
		} else if (!strcmp(key, "strict")) {
			int b;
			if (yn_bool(v, &b))
				return at(err, errlen, path, v, "strict is true or false");
			c->strict = b;
		} else if (!strcmp(key, "severity")) {
			if (yn_is_null(v))
				continue;
			if (v->kind != YN_MAP)
				return at(err, errlen, path, v, "severity maps rule ids to error, warning, note or off");
			for (size_t j = 0; j < v->n; j++) {
				const char *id = yn_str(v->key[j]), *s = yn_str(v->val[j]);
				if (!id || !names_a_rule(id))
					return at(err, errlen, path, v->key[j], "'%s' names no rule", id ? id : "?");
				int sev;
				if (s && !strcmp(s, "error"))
					sev = DIAG_ERROR;
				else if (s && !strcmp(s, "warning"))
					sev = DIAG_WARNING;
				else if (s && !strcmp(s, "note"))
					sev = DIAG_NOTE;
				else if (s && (!strcmp(s, "off") || (v->val[j]->style == YN_PLAIN && !yn_bool(v->val[j], &(int){0}))))
					sev = -1; /* plain `off` reads as YAML 1.1 false; accept both */
				else
					return at(err, errlen, path, v->val[j], "severity is error, warning, note or off");
				struct sev_override *ns = realloc(c->sev, (c->nsev + 1) * sizeof *ns);
				if (!ns)
					return at(err, errlen, path, v, "out of memory");
				c->sev = ns;
				if (!(ns[c->nsev].rule = strdup(id)))
					return at(err, errlen, path, v, "out of memory");
				ns[c->nsev++].sev = sev;
			}
		} else {
			return at(err, errlen, path, k,
				  "unknown key '%s' (known: select, ignore, strict, known_services, severity)", key);
		}
	}
	c->lint.known_services = (const char *const *)c->services.v;
	c->lint.nknown_services = c->services.n;
	return 0;
}

int lcfg_load(lcfg *c, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *buf = read_file(path, 1u << 20, &len, err, errlen);
	if (!buf)
		return -1;
	arena *a = arena_new();
	diag_list *d = diag_list_new();
	yn_doc *docs = NULL;
	size_t ndocs = 0;
	int rc = -1;
	if (!a || !d) {
		snprintf(err, errlen, "%s: out of memory", path);
	} else if (yn_parse(a, path, buf, len, &yn_default_limits, NULL, d, &docs, &ndocs)) {
		const diag *e = diag_count(d) ? diag_get(d, 0) : NULL;
		if (e)
			snprintf(err, errlen, "%s:%u:%u: %s", path, e->line, e->col, e->msg);
		else
			snprintf(err, errlen, "%s: cannot parse", path);
	} else if (ndocs > 1) {
		snprintf(err, errlen, "%s: one YAML document expected, found %zu", path, ndocs);
	} else {
		rc = read_config(c, ndocs ? docs[0].root : NULL, path, err, errlen);
	}
	arena_free(a);
	diag_list_free(d);
	free(buf);
	return rc;
}

/* ------------------------------------------------------- suppressions */

/* A `# rehearse:ignore RULES [-- reason]` marker. A marker that is a
 * comment line of its own covers the YAML node that starts on the next
 * line with content, all of it: above `- name: train` it covers that
 * template, above a container that container. A marker after content on
 * a line covers that line. */
typedef struct marker {
	unsigned line, first, last;   /* where it is; the lines it covers */
	const char *rules, *rules_end; /* the id list, in the source */
	const char *why;               /* the reason after "--", or NULL */
	size_t why_len;
} marker;

/* The rule list of a `rehearse:ignore` marker inside a comment of line,
 * or NULL. Looks only after a '#' that starts a comment. */
static const char *marker_at(const char *line, size_t len, int *comment_only)
{
	static const char tag[] = "rehearse:ignore";
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	*comment_only = i < len && line[i] == '#';
	for (; i < len; i++) {
		if (line[i] != '#' || (i > 0 && line[i - 1] != ' ' && line[i - 1] != '\t'))
			continue;
		size_t j = i + 1;
		while (j < len && line[j] == ' ')
			j++;
		if (len - j > sizeof tag - 1 && !strncmp(line + j, tag, sizeof tag - 1) &&
		    (line[j + sizeof tag - 1] == ' ' || line[j + sizeof tag - 1] == '\t'))
			return line + j + sizeof tag - 1;
	}
	return NULL;
}

static int names_rule(const char *list, const char *end, const char *rule)
{
	while (list < end) {
		while (list < end && (*list == ' ' || *list == ',' || *list == '\t'))
			list++;
		size_t n = 0;
		while (list + n < end && list[n] != ' ' && list[n] != ',' && list[n] != '\t' && list[n] != '#')
			n++;
		if (!n)
			break;
		char pat[128];
		snprintf(pat, sizeof pat, "%.*s", (int)n, list);
		if (lcfg_pattern_matches(pat, rule))
			return 1;
		list += n;
		if (list < end && *list == '#')
			break; /* another comment follows */
	}
	return 0;
}

/* The last line of the node that starts on `line` (a sequence item, or a
 * mapping value whose key is there), or 0. */
static unsigned node_end(const ynode *n, unsigned line)
{
	unsigned best = 0;
	if (!n || n->line > line || n->end_line < line || n->kind == YN_SCALAR)
		return 0;
	for (size_t i = 0; i < n->n; i++) {
		const ynode *k = n->kind == YN_MAP ? n->key[i] : n->item[i];
		const ynode *v = n->kind == YN_MAP ? n->val[i] : n->item[i];
		if (k && k->line == line && v && v->end_line > best)
			best = v->end_line;
		if (v && v->line <= line && v->end_line >= line) {
			unsigned e = node_end(v, line);
			if (e > best)
				best = e;
		}
	}
	return best;
}

/* The next "rehearse:ignore" in [p, end), or NULL (the text need not end
 * in a NUL). */
static const char *find_tag(const char *p, const char *end)
{
	static const char tag[] = "rehearse:ignore";
	for (; p && end - p >= (ptrdiff_t)sizeof tag - 1; p++) {
		p = memchr(p, 'r', (size_t)(end - p) - (sizeof tag - 2));
		if (!p)
			return NULL;
		if (!memcmp(p, tag, sizeof tag - 1))
			return p;
	}
	return NULL;
}

/* Every marker of one file. Returns how many (at most max). */
static size_t file_markers(const wf_set *s, const char *file, marker *m, size_t max)
{
	size_t len, n = 0;
	const char *text = wf_set_source(s, file, &len);
	if (!text || !len)
		return 0;
	unsigned line = 1;
	const char *p = text, *end = text + len;
	for (const char *hit; n < max && (hit = find_tag(p, end));) {
		for (; p < hit; p++)
			line += *p == '\n';
		const char *ls = hit;
		while (ls > text && ls[-1] != '\n')
			ls--;
		const char *le = memchr(hit, '\n', (size_t)(end - hit));
		le = le ? le : end;
		int only;
		const char *r = marker_at(ls, (size_t)(le - ls), &only);
		p = le;
		if (!r)
			continue;
		marker *k = &m[n++];
		k->line = k->first = k->last = line;
		k->rules = r;
		k->rules_end = le;
		k->why = NULL;
		k->why_len = 0;
		for (const char *q = r; q + 1 < le; q++)
			if (q[0] == '-' && q[1] == '-' && (q == r || q[-1] == ' ')) {
				k->rules_end = q;
				k->why = q + 2;
				while (k->why < le && *k->why == ' ')
					k->why++;
				k->why_len = (size_t)(le - k->why);
				while (k->why_len && (k->why[k->why_len - 1] == ' ' || k->why[k->why_len - 1] == '\r'))
					k->why_len--;
				break;
			}
		if (!only)
			continue;
		/* the next line with content, past blank and comment lines */
		unsigned next = line;
		const char *q = le;
		while (q < end) {
			q++;
			next++;
			const char *t = q;
			while (t < end && (*t == ' ' || *t == '\t'))
				t++;
			if (t < end && *t != '\n' && *t != '#' && *t != '\r')
				break;
			q = memchr(q, '\n', (size_t)(end - q));
			if (!q)
				break;
		}
		k->first = k->last = next;
		for (size_t i = 0; i < wf_set_raw_count(s); i++) {
			const yn_doc *d = wf_set_raw(s, i);
			if (d->file && !strcmp(d->file, file)) {
				unsigned e = node_end(d->root, next);
				if (e > k->last)
					k->last = e;
			}
		}
	}
	return n;
}

enum { MARKERS_MAX = 256 };

/* The markers of the file being looked at, read once per file. */
typedef struct marker_cache {
	const char *file;
	marker m[MARKERS_MAX];
	size_t n;
} marker_cache;

static const marker *covering(const wf_set *s, marker_cache *mc, const diag *d)
{
	if (!s || !d->line)
		return NULL;
	if (!mc->file || strcmp(mc->file, d->file)) {
		mc->file = d->file;
		mc->n = file_markers(s, d->file, mc->m, MARKERS_MAX);
	}
	for (size_t i = 0; i < mc->n; i++) {
		const marker *k = &mc->m[i];
		if (d->line >= k->first && d->line <= k->last && names_rule(k->rules, k->rules_end, d->rule))
			return k;
	}
	return NULL;
}

int lcfg_suppressed(const wf_set *s, const diag *d)
{
	static marker_cache mc; /* lint runs on one thread */
	mc.file = NULL;
	return covering(s, &mc, d) != NULL;
}

/* ----------------------------------------------------------- applying */

static int enabled(const lcfg *c, const char *rule)
{
	int sel = c->select.n == 0;
	for (size_t i = 0; !sel && i < c->select.n; i++)
		sel = lcfg_pattern_matches(c->select.v[i], rule);
	if (!sel)
		return 0;
	for (size_t i = 0; i < c->ignore.n; i++)
		if (lcfg_pattern_matches(c->ignore.v[i], rule))
			return 0;
	return 1;
}

int lcfg_apply(const lcfg *c, const wf_set *s, const diag_list *in, diag_list *out)
{
	static marker_cache mc; /* lint runs on one thread */
	mc.file = NULL;
	for (size_t i = 0; i < diag_count(in); i++) {
		const diag *d = diag_get(in, i);
		if (!enabled(c, d->rule))
			continue;
		const marker *k = covering(s, &mc, d);
		int sev = (int)d->sev;
		/* The most specific override wins: the longest matching pattern. */
		size_t best = 0;
		for (size_t j = 0; j < c->nsev; j++) {
			size_t n = strlen(c->sev[j].rule);
			if (n > best && lcfg_pattern_matches(c->sev[j].rule, d->rule)) {
				best = n;
				sev = c->sev[j].sev;
			}
		}
		if (sev < 0)
			continue;
		if (diag_add(out, (diag_severity)sev, d->rule, d->file, d->line, d->col, d->end_line,
			     d->end_col, d->hint, "%s", d->msg))
			return -1;
		char why[512];
		if (k && (snprintf(why, sizeof why, "%.*s", (int)k->why_len, k->why ? k->why : ""),
			  diag_suppress(out, diag_count(out) - 1, why)))
			return -1;
	}
	return 0;
}
