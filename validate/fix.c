/* fix.c: the fixer's driver -- load, apply passes, emit, reload, repeat
 * until nothing changes, then lint the output.
 *
 * Why reload between rounds instead of patching the IR: the IR is a
 * read-only view built by the loader, and a pass may add templates or
 * tasks the IR of this round does not know. Emitting and reloading gives
 * every round (and the confirming lint) exactly what a user would get
 * from the written file. Rounds are bounded; a pass that keeps changing
 * its own output is a bug reported as an error, never an endless loop. */
#include "validate/fix.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/fix_text.h"
#include "validate/fixes.h"

enum { MAX_ROUNDS = 6 };

struct fix_result {
	char *out;                /* malloc'd output text */
	size_t outlen;
	int changed;
	fix_log log;              /* what the passes said (fix_edit.h) */
	diag_list *before, *after;
	wf_set *outset;
	char *text_note;          /* why the output is the emitter's, not edits */
	size_t lines_touched;     /* input lines the edits changed */
	size_t (*ranges)[2];      /* the edits: input bytes [off, off+len) replaced */
	size_t nranges;
};

size_t fix_pass_count(void) { return fix_passes_count; }

void fix_pass_info(size_t i, const char **name, const char **rules, const char **summary)
{
	if (i >= fix_passes_count) {
		*name = *rules = *summary = NULL;
		return;
	}
	*name = fix_passes[i]->name;
	*rules = fix_passes[i]->rules;
	*summary = fix_passes[i]->summary;
}

/* The first error-severity finding the loader reported, or NULL. */
static const diag *load_error(const diag_list *d)
{
	for (size_t i = 0; i < diag_count(d); i++)
		if (diag_get(d, i)->sev == DIAG_ERROR)
			return diag_get(d, i);
	return NULL;
}

static wf_set *load(const char *name, const char *buf, size_t len, diag_list *d, char *err, size_t errlen)
{
	wf_set *s = wf_set_new();
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (wf_set_load_mem(s, name, buf, len, d, err, errlen)) {
		wf_set_free(s);
		return NULL;
	}
	return s;
}

/* One round: run every pass over s. Returns 1 if something changed, 0 if
 * not, -1 when out of memory. */
static int round_run(fix_result *r, wf_set *s, const fix_opts *o, unsigned iter)
{
	fix_ctx c = {.set = s, .a = wf_set_arena(s), .opts = o, .iter = iter, .log = &r->log};
	if (fix_manifests_collect(&c))
		return -1;
	for (size_t i = 0; i < fix_passes_count && !c.oom && !r->log.oom; i++) {
		c.pass = fix_passes[i];
		c.rule = NULL;
		c.pass->run(&c);
	}
	if (!c.oom && c.changed && fix_manifests_flush(&c))
		c.oom = 1;
	free(c.mf);
	free(c.added_svc);
	if (c.oom || r->log.oom)
		return -1;
	return c.changed;
}

/* The documents of set s, in load order, as an array (views, not copies). */
static yn_doc *raw_docs(const wf_set *s, size_t *n)
{
	*n = wf_set_raw_count(s);
	yn_doc *v = calloc(*n ? *n : 1, sizeof *v);
	for (size_t i = 0; v && i < *n; i++)
		v[i] = *wf_set_raw(s, i);
	return v;
}

/* The fixed workflow as the input with edits applied (fix_text.h): the
 * input reloaded for its positions, compared with the fixed trees `fixed`;
 * the edited text is reloaded and must hold the very same trees. Returns
 * it (malloc'd), or NULL with r->text_note saying why the emitter's text
 * is used instead. */
static char *as_edits(const char *name, const char *buf, size_t len, const wf_set *fixed, const char *out_name,
		      size_t *outlen, fix_result *r)
{
	char why[300] = "";
	ft_edits e = {0};
	size_t no = 0, nn = 0, nc = 0;
	diag_list *d = diag_list_new();
	wf_set *in = d ? load(name, buf, len, d, why, sizeof why) : NULL, *check = NULL;
	yn_doc *od = in ? raw_docs(in, &no) : NULL, *nd = raw_docs(fixed, &nn);
	char *text = NULL;
	if (!od || !nd || ft_diff(buf, len, od, no, nd, nn, &e, why, sizeof why))
		goto done;
	text = ft_apply(buf, len, &e, outlen);
	check = text ? load(out_name, text, *outlen, d, why, sizeof why) : NULL;
	yn_doc *cd = check ? raw_docs(check, &nc) : NULL;
	int ok = cd && nc == nn;
	for (size_t i = 0; ok && i < nn; i++)
		ok = ft_same(cd[i].root, nd[i].root);
	free(cd);
	if (!ok) {
		if (!why[0])
			snprintf(why, sizeof why, "the edited text does not read back as the fixed workflow");
		free(text);
		text = NULL;
	} else {
		r->lines_touched = ft_lines_touched(buf, len, &e);
		if (e.n && (r->ranges = malloc(e.n * sizeof *r->ranges)))
			for (size_t i = 0; i < e.n; i++) {
				r->ranges[i][0] = e.v[i].off;
				r->ranges[i][1] = e.v[i].len;
				r->nranges++;
			}
	}
done:
	if (!text)
		r->text_note = strdup(why[0] ? why : "out of memory");
	ft_edits_free(&e);
	free(od);
	free(nd);
	wf_set_free(in);
	wf_set_free(check);
	diag_list_free(d);
	return text;
}

int fix_run(const char *name, const char *buf, size_t len, const fix_opts *o,
	    fix_result **out, char *err, size_t errlen)
{
	static const fix_opts defaults;
	if (!o)
		o = &defaults;
	const char *out_name = o->out_name ? o->out_name : "<output>";
	*out = NULL;
	fix_result *r = calloc(1, sizeof *r);
	if (!r || !(r->before = diag_list_new()) || !(r->after = diag_list_new())) {
		snprintf(err, errlen, "out of memory");
		fix_result_free(r);
		return FIX_ERR_IO;
	}
	r->log.cur_name = name;
	int rc = FIX_ERR_IO;
	diag_list *ld = diag_list_new();
	wf_set *s = ld ? load(name, buf, len, ld, err, errlen) : NULL;
	if (!s)
		goto fail;
	const diag *bad = load_error(ld);
	if (bad) {
		snprintf(err, errlen, "%s:%u:%u: %s [%s]; fix needs a file that loads cleanly",
			 bad->file ? bad->file : name, bad->line, bad->col, bad->msg, bad->rule);
		rc = FIX_ERR_INPUT;
		goto fail;
	}
	diag_list_free(ld);
	ld = NULL;
	if (lint_run(s, o->lint, r->before)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	diag_sort(r->before);

	char *cur = NULL;           /* the latest emitted text; NULL while it is the input */
	size_t curlen = 0;
	unsigned iter = 0;
	for (;; iter++) {
		if (iter == MAX_ROUNDS) {
			snprintf(err, errlen, "fixes did not reach a fixed point after %d rounds (a bug in rehearse)",
				 MAX_ROUNDS);
			free(cur);
			goto fail;
		}
		int ch = round_run(r, s, o, iter);
		if (ch < 0) {
			snprintf(err, errlen, "out of memory");
			free(cur);
			goto fail;
		}
		if (!ch)
			break;
		size_t nlen;
		char *next = wf_set_emit(s, &nlen, err, errlen);
		if (!next) {
			free(cur);
			goto fail;
		}
		free(cur);
		cur = next;
		curlen = nlen;
		wf_set_free(s);
		diag_list *d2 = diag_list_new();
		s = d2 ? load(out_name, cur, curlen, d2, err, errlen) : NULL;
		bad = d2 ? load_error(d2) : NULL;
		diag_list_free(d2);
		if (!s || bad) {
			if (bad)
				snprintf(err, errlen, "the fixed output does not reload (a bug in rehearse)");
			free(cur);
			goto fail;
		}
		r->log.cur_name = out_name;
	}
	if (cur) {
		/* Write the fix as edits of the input's bytes; the emitted text
		 * stands in only when they cannot say it (and that is said). */
		size_t elen;
		char *edited = as_edits(name, buf, len, s, out_name, &elen, r);
		if (edited) {
			free(cur);
			cur = edited;
			curlen = elen;
			wf_set_free(s);
			diag_list *d2 = diag_list_new();
			s = d2 ? load(out_name, cur, curlen, d2, err, errlen) : NULL;
			diag_list_free(d2);
			if (!s) {
				free(cur);
				goto fail;
			}
		}
		r->out = cur;
		r->outlen = curlen;
		r->changed = 1;
	} else {
		/* Nothing changed: the input, byte for byte, comments included. */
		if (!(r->out = malloc(len + 1))) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		memcpy(r->out, buf, len);
		r->out[len] = 0;
		r->outlen = len;
		/* Positions of the output are those of the input: reload under
		 * the output's name so remaining findings point there. */
		wf_set_free(s);
		diag_list *d2 = diag_list_new();
		s = d2 ? load(out_name, r->out, len, d2, err, errlen) : NULL;
		diag_list_free(d2);
		if (!s)
			goto fail;
	}
	if (lint_run(s, o->lint, r->after)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	diag_sort(r->after);
	r->outset = s;
	*out = r;
	return FIX_OK;
fail:
	diag_list_free(ld);
	wf_set_free(s);
	fix_result_free(r);
	return rc;
}

const char *fix_output(const fix_result *r, size_t *len)
{
	if (len)
		*len = r->outlen;
	return r->out;
}

int fix_changed(const fix_result *r) { return r->changed; }
size_t fix_change_count(const fix_result *r) { return r->log.n; }
const fix_change *fix_change_at(const fix_result *r, size_t i) { return i < r->log.n ? &r->log.ch[i] : NULL; }
const diag_list *fix_before(const fix_result *r) { return r->before; }
const diag_list *fix_after(const fix_result *r) { return r->after; }
const wf_set *fix_output_set(const fix_result *r) { return r->outset; }
const char *fix_text_note(const fix_result *r) { return r->text_note; }
size_t fix_lines_touched(const fix_result *r) { return r->lines_touched; }

size_t fix_edit_count(const fix_result *r) { return r->nranges; }

void fix_edit_range(const fix_result *r, size_t i, size_t *off, size_t *len)
{
	assert(i < r->nranges);
	*off = r->ranges[i][0];
	*len = r->ranges[i][1];
}

void fix_result_free(fix_result *r)
{
	if (!r)
		return;
	fix_log_free(&r->log);
	free(r->out);
	diag_list_free(r->before);
	diag_list_free(r->after);
	wf_set_free(r->outset);
	free(r->text_note);
	free(r->ranges);
	free(r);
}
