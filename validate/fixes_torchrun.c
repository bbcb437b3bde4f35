/* fixes_torchrun.c: fixes of the torchrun command lines (torchrun-*
 * rules) and `fix --nodes N`, which re-scales the torchrun fan-out
 * (document/rescale.h does the work). */
#include <stdio.h>
#include <string.h>

#include "document/rescale.h"
#include "document/torchrun.h"
#include "validate/fixes.h"

#define R_RDZV_ID      "torchrun-rdzv-id-constant"

/* rescale (--nodes N): the torchrun fan-out to N pods; document/rescale.h
 * does the work. */
static void rescale_said(void *u, const ynode *at, const char *what)
{
	fix_applied(u, at, "%s", what);
}

static void fix_rescale(fix_ctx *c)
{
	if (!c->opts || !c->opts->nodes)
		return;
	for (size_t i = 0; i < wf_set_count(c->set); i++) {
		tr_job *jobs;
		size_t nj;
		if (tr_find(c->a, wf_set_doc(c->set, i), &jobs, &nj)) {
			c->oom = 1;
			return;
		}
		for (size_t k = 0; k < nj; k++) {
			char err[512];
			int rc = rescale_job(c->a, &jobs[k], c->opts->nodes, rescale_said, c, err, sizeof err);
			if (rc > 0)
				c->changed = 1;
			else if (rc < 0 && !err[0])
				c->oom = 1;
			else if (rc < 0 && c->iter == 0)
				fix_declined(c, jobs[k].cmd ? jobs[k].cmd->at : NULL,
					    "cannot re-scale template '%s' to %u nodes: %s", jobs[k].tmpl->name,
					    c->opts->nodes, err);
		}
	}
}

/* ------------------------------------------------------------ rdzv id */

/* Where an argv element lives: its sequence and index in the container. */
static int argv_loc(const wf_container *ctr, const ynode *item, ynode **seq, size_t *idx)
{
	const ynode *seqs[2] = {ctr->command, ctr->args};
	for (int s = 0; s < 2; s++) {
		size_t i = fix_index_in(seqs[s], item);
		if (i != (size_t)-1) {
			*seq = fix_w(seqs[s]);
			*idx = i;
			return 0;
		}
	}
	return -1;
}

#define RUN_UID "{{workflow.uid}}"

/* rdzv-id: torchrun's etcd rendezvous keeps a run's state in etcd under
 * its id; a constant id meets the last run's closed rendezvous. Argo's
 * {{workflow.uid}} is one value for all ranks of a run and new every run,
 * which is exactly what the id must be. Replaced where the constant is
 * written: the callers' argument, or the option itself. */
static void fix_rdzv_id(fix_ctx *c)
{
	for (size_t di = 0; di < wf_set_count(c->set) && !c->oom; di++) {
		const wf_doc *d = wf_set_doc(c->set, di);
		tr_job *jobs;
		size_t nj;
		if (tr_find(c->a, d, &jobs, &nj)) {
			c->oom = 1;
			return;
		}
		for (size_t i = 0; i < nj && !c->oom; i++) {
			const tr_job *j = &jobs[i];
			const tr_opt *b = tr_get(j->cmd, "rdzv-backend");
			if (!b || !tr_backend_is_etcd(b->value) || !j->ncalls)
				continue;
			const tr_opt *o = tr_get(j->cmd, "rdzv-id");
			int constant = 1;
			for (size_t k = 0; k < j->ncalls && o; k++) {
				const char *v = tr_call_opt(c->a, j, &j->calls[k], "rdzv-id", NULL);
				constant &= v && !tr_unresolved(v);
			}
			if (!constant)
				continue;
			char pname[128];
			if (o && o->value && sscanf(o->value, "{{inputs.parameters.%127[^} ]}}", pname) == 1) {
				for (size_t k = 0; k < j->ncalls; k++) {
					const wf_io *io = &j->calls[k].task->arguments;
					const wf_param *p = NULL;
					for (size_t q = 0; q < io->nparams; q++)
						if (io->params[q].name && !strcmp(io->params[q].name, pname))
							p = &io->params[q];
					if (!p || !p->value || p->value->kind != YN_SCALAR) {
						fix_declined(c, j->calls[k].task->node,
							    "task '%s' passes no '%s' (the input's default is used); set it "
							    "to '" RUN_UID "' by hand", j->calls[k].task->name ? j->calls[k].task->name : "?", pname);
						continue;
					}
					if (!strcmp(p->value->str, RUN_UID))
						continue;
					fix_applied(c, p->value,
						    "task '%s': rendezvous id '%s' replaced by '" RUN_UID "' (one per run)",
						    j->calls[k].task->name ? j->calls[k].task->name : "?", p->value->str);
					fix_set(c, fix_w(p->node), "value", fix_str(c, RUN_UID, YN_SINGLE));
					c->changed = 1;
				}
				continue;
			}
			ynode *seq;
			size_t idx;
			if (o && o->value && o->value_node && !argv_loc(j->ctr, o->value_node, &seq, &idx)) {
				fix_applied(c, o->value_node,
					    "template '%s': --rdzv-id '%s' replaced by '" RUN_UID "' (one per run)",
					    j->tmpl->name ? j->tmpl->name : "?", o->value);
				fix_loc l = {seq, idx, o->off, o->len};
				fix_loc_replace(c, &l, j->cmd->script ? "\"" RUN_UID "\"" : RUN_UID);
				/* "{{" cannot start or sit in a plain scalar in a flow list */
				if (!c->oom && seq->item[idx]->style == YN_PLAIN)
					seq->item[idx]->style = YN_SINGLE;
				c->changed = 1;
				continue;
			}
			if (!o && !j->cmd->script && j->cmd->program_node &&
			    !argv_loc(j->ctr, j->cmd->program_node, &seq, &idx)) {
				fix_applied(c, j->cmd->program_node,
					    "template '%s': added --rdzv-id '" RUN_UID "' (torchrun's default id is the "
					    "same every run)", j->tmpl->name ? j->tmpl->name : "?");
				fix_insert(c, seq, idx, fix_str(c, RUN_UID, YN_SINGLE));
				fix_insert(c, seq, idx, fix_str(c, "--rdzv-id", YN_PLAIN));
				c->changed = 1;
				continue;
			}
			fix_declined(c, o ? o->node : j->cmd->at,
				    "cannot place a per-run rendezvous id here; use --rdzv-id '" RUN_UID "' by hand");
		}
	}
}

const fix_pass fix_pass_rescale = {"rescale", "",
	"with --nodes N: re-scale the torchrun fan-out (rank tasks, node ranks, per-rank "
	"volumeClaimTemplates, --nnodes) to N pods", fix_rescale};
const fix_pass fix_pass_rdzv_id = {"rdzv-id", R_RDZV_ID,
	"a per-run torchrun rendezvous id ({{workflow.uid}}) for an etcd rendezvous", fix_rdzv_id};
