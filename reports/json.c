/* json.c: findings as JSON for scripts and dashboards (cJSON builds it). */
#include <cJSON.h>
#include <stdlib.h>

#include "reports/findings.h"
#include "reports/jsonout.h"

int report_json(FILE *f, const diag_list *l, const report_info *info)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *arr = cJSON_CreateArray();
	if (!root || !arr) {
		cJSON_Delete(root);
		cJSON_Delete(arr);
		return -1;
	}
	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddNumberToObject(root, "files", info ? (double)info->files : 0);
	cJSON_AddItemToObject(root, "findings", arr);
	for (size_t i = 0; i < diag_count(l); i++) {
		const diag *d = diag_get(l, i);
		cJSON *o = cJSON_CreateObject();
		if (!o) { /* never a partial list */
			cJSON_Delete(root);
			return -1;
		}
		cJSON_AddStringToObject(o, "file", d->file);
		cJSON_AddNumberToObject(o, "line", d->line);
		cJSON_AddNumberToObject(o, "column", d->col);
		cJSON_AddNumberToObject(o, "end_line", d->end_line);
		cJSON_AddNumberToObject(o, "end_column", d->end_col);
		cJSON_AddStringToObject(o, "severity", diag_severity_name(d->sev));
		cJSON_AddStringToObject(o, "rule", d->rule);
		cJSON_AddStringToObject(o, "message", d->msg);
		cJSON_AddStringToObject(o, "hint", d->hint);
		if (d->suppressed) {
			cJSON *sup = cJSON_AddObjectToObject(o, "suppressed");
			if (sup)
				cJSON_AddStringToObject(sup, "reason", d->suppressed);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return report_json_write(f, root);
}
