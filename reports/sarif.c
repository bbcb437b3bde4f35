/* sarif.c: findings as SARIF 2.1.0, the format GitHub code scanning reads.
 *
 * One run with the whole rule table under tool.driver.rules (so every
 * result's ruleIndex points at its rationale and examples), and one result
 * per finding with a physical location. SARIF's endColumn is exclusive and
 * ours inclusive, hence the +1; columns count Unicode code points, which
 * the run declares with columnKind. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "reports/findings.h"
#include "reports/jsonout.h"

static const char *level(diag_severity s)
{
	return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

/* A file path as a URI reference: relative paths stay relative (GitHub
 * resolves them against the repository root), absolute ones become
 * file:// URIs; bytes outside the unreserved set are percent-encoded. */
static char *path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	size_t n = strlen(path);
	char *u = malloc(n * 3 + 8);
	if (!u)
		return NULL;
	char *o = u;
	if (path[0] == '/')
		o += sprintf(o, "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return u;
}

static cJSON *text_obj(const char *key, const char *text)
{
	cJSON *o = cJSON_CreateObject();
	if (o)
		cJSON_AddStringToObject(o, key, text ? text : "");
	return o;
}

static char *help_text(const report_rule *r, int markdown)
{
	const char *bad = r->bad ? r->bad : "", *good = r->good ? r->good : "";
	size_t n = strlen(r->rationale) + strlen(r->hint) + strlen(bad) + strlen(good) + 128;
	char *s = malloc(n);
	if (!s)
		return NULL;
	if (markdown)
		snprintf(s, n, "%s\n\n**Fix:** %s\n\nBad:\n```yaml\n%s\n```\n\nGood:\n```yaml\n%s\n```\n",
			 r->rationale, r->hint, bad, good);
	else
		snprintf(s, n, "%s\n\nFix: %s\n\nBad:\n%s\n\nGood:\n%s\n", r->rationale, r->hint, bad, good);
	return s;
}

static cJSON *rule_obj(const report_rule *r)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "id", r->id);
	cJSON_AddItemToObject(o, "shortDescription", text_obj("text", r->summary));
	cJSON_AddItemToObject(o, "fullDescription", text_obj("text", r->rationale));
	char *h = help_text(r, 0), *m = help_text(r, 1);
	cJSON *help = text_obj("text", h);
	if (help && m)
		cJSON_AddStringToObject(help, "markdown", m);
	cJSON_AddItemToObject(o, "help", help);
	free(h);
	free(m);
	cJSON *dc = cJSON_CreateObject();
	if (dc)
		cJSON_AddStringToObject(dc, "level", level(r->sev));
	cJSON_AddItemToObject(o, "defaultConfiguration", dc);
	return o;
}

static cJSON *result_obj(const diag *d, const report_info *info)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "ruleId", d->rule);
	for (size_t i = 0; info && i < info->nrules; i++)
		if (!strcmp(info->rules[i].id, d->rule))
			cJSON_AddNumberToObject(o, "ruleIndex", (double)i);
	cJSON_AddStringToObject(o, "level", level(d->sev));
	if (d->suppressed) { /* SARIF 2.1.0 3.35: silenced in the source, with why */
		cJSON *sups = cJSON_AddArrayToObject(o, "suppressions"), *sup = cJSON_CreateObject();
		if (sups && sup) {
			cJSON_AddStringToObject(sup, "kind", "inSource");
			if (d->suppressed[0])
				cJSON_AddStringToObject(sup, "justification", d->suppressed);
			cJSON_AddItemToArray(sups, sup);
		} else {
			cJSON_Delete(sup);
		}
	}
	size_t n = strlen(d->msg) + strlen(d->hint) + 16;
	char *msg = malloc(n);
	if (msg)
		snprintf(msg, n, d->hint[0] ? "%s (hint: %s)" : "%s%s", d->msg, d->hint);
	cJSON_AddItemToObject(o, "message", text_obj("text", msg ? msg : d->msg));
	free(msg);
	cJSON *locs = cJSON_AddArrayToObject(o, "locations");
	cJSON *loc = cJSON_CreateObject(), *phys = cJSON_CreateObject(), *art = cJSON_CreateObject();
	char *uri = path_uri(d->file);
	if (!locs || !loc || !phys || !art || !uri) {
		cJSON_Delete(loc);
		cJSON_Delete(phys);
		cJSON_Delete(art);
		free(uri);
		cJSON_Delete(o);
		return NULL;
	}
	cJSON_AddStringToObject(art, "uri", uri);
	free(uri);
	cJSON_AddItemToObject(phys, "artifactLocation", art);
	if (d->line) {
		cJSON *reg = cJSON_CreateObject();
		if (reg) {
			unsigned col = d->col ? d->col : 1;
			unsigned el = d->end_line >= d->line ? d->end_line : d->line;
			unsigned ec = d->end_col ? d->end_col + 1 : col + 1;
			if (el == d->line && ec <= col)
				ec = col + 1;
			cJSON_AddNumberToObject(reg, "startLine", d->line);
			cJSON_AddNumberToObject(reg, "startColumn", col);
			cJSON_AddNumberToObject(reg, "endLine", el);
			cJSON_AddNumberToObject(reg, "endColumn", ec);
			cJSON_AddItemToObject(phys, "region", reg);
		}
	}
	cJSON_AddItemToObject(loc, "physicalLocation", phys);
	cJSON_AddItemToArray(locs, loc);
	return o;
}

int report_sarif(FILE *f, const diag_list *l, const report_info *info)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return -1;
	cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(root, "version", "2.1.0");
	cJSON *runs = cJSON_AddArrayToObject(root, "runs");
	cJSON *run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);
	cJSON *tool = cJSON_AddObjectToObject(run, "tool");
	cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
	cJSON_AddStringToObject(driver, "name", "rehearse");
	cJSON_AddStringToObject(driver, "version", info && info->version ? info->version : "0");
	cJSON_AddStringToObject(driver, "informationUri", "https://github.com/rehearse/rehearse");
	cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
	for (size_t i = 0; info && i < info->nrules; i++)
		cJSON_AddItemToArray(rules, rule_obj(&info->rules[i]));
	cJSON *invs = cJSON_AddArrayToObject(run, "invocations"), *inv = cJSON_CreateObject();
	cJSON_AddItemToArray(invs, inv);
	size_t nunread = info ? info->nunread : 0;
	cJSON_AddBoolToObject(inv, "executionSuccessful", nunread == 0);
	if (nunread) {
		cJSON *notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
		for (size_t i = 0; i < nunread; i++) {
			cJSON *n = cJSON_CreateObject(), *locs = cJSON_CreateArray(), *loc = cJSON_CreateObject();
			cJSON *phys = cJSON_CreateObject(), *art = cJSON_CreateObject();
			char *uri = path_uri(info->unread[2 * i]);
			cJSON_AddStringToObject(n, "level", "error");
			cJSON_AddItemToObject(n, "message", text_obj("text", info->unread[2 * i + 1]));
			cJSON_AddStringToObject(art, "uri", uri ? uri : info->unread[2 * i]);
			free(uri);
			cJSON_AddItemToObject(phys, "artifactLocation", art);
			cJSON_AddItemToObject(loc, "physicalLocation", phys);
			cJSON_AddItemToArray(locs, loc);
			cJSON_AddItemToObject(n, "locations", locs);
			cJSON_AddItemToArray(notes, n);
		}
	}
	cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
	cJSON *results = cJSON_AddArrayToObject(run, "results");
	int bad = !runs || !run || !tool || !driver || !rules || !results;
	for (size_t i = 0; !bad && i < diag_count(l); i++) {
		cJSON *r = result_obj(diag_get(l, i), info);
		if (!r)
			bad = 1;
		else
			cJSON_AddItemToArray(results, r);
	}
	if (bad) {
		cJSON_Delete(root);
		return -1;
	}
	return report_json_write(f, root);
}
