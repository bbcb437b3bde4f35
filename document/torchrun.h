/* torchrun.h: torchrun command lines, and the workflow tasks that run them.
 *
 * Two halves. The parser reads a container's argv (command + args) or a
 * shell script (`bash -c SCRIPT`, a script template's source) and finds
 * each `torchrun ...` or `python -m torch.distributed.run ...`, with its
 * options as torchrun's argparse reads them: `--opt value` or
 * `--opt=value`, dashes or underscores, unique prefixes; then the training
 * script (or module) and its own arguments. Each option keeps the ynode it
 * came from and the bytes of its value there, so a rule can point at it
 * and a fixer can rewrite it.
 *
 * The finder maps a workflow document to its torchrun "jobs": each
 * container/script template that runs torchrun, with every DAG task or
 * step that calls it, one tr_call per pod (withItems / withSequence fan
 * out). tr_resolve() reads a value as one call site sees it:
 * {{inputs.parameters.X}} becomes the task's argument (or the input's
 * default), {{item}} the call's item, {{workflow.parameters.X}} the
 * workflow's argument. Rules compare --nnodes with the number of calls and
 * check node ranks; `fix --nodes N` uses the same map to re-scale.
 *
 * Everything is allocated in the caller's arena (usually the wf_set's). */
#ifndef REHEARSE_TORCHRUN_H
#define REHEARSE_TORCHRUN_H

#include <stddef.h>

#include "document/arena.h"
#include "document/workflow.h"
#include "document/yaml.h"

typedef struct tr_opt {
	const char *name;          /* canonical: no leading dashes, '-' for '_', prefixes
				    * expanded ("nproc-per-node"); short -m/-r/-t become
				    * "module", "redirects", "tee" */
	const char *given;         /* as written, up to any '=' ("--nproc_per_node") */
	const char *value;         /* unquoted; NULL for a flag (--standalone) or a
				    * missing value */
	const ynode *node;         /* argv element or script holding the option */
	const ynode *value_node;   /* holding the value (== node for --opt=value, scripts) */
	size_t off, len;           /* the value's bytes in value_node->str, as written
				    * (quotes included); 0,0 when there is no value */
	int eq_form;               /* written --opt=value */
} tr_opt;

typedef struct tr_cmd {
	const ynode *at;           /* the element naming the launcher, or the script */
	const ynode *script;       /* the shell script it was found in, or NULL */
	size_t script_off;         /* where the command starts in the script */
	int python_module;         /* python -m torch.distributed.run */
	tr_opt *opts;              /* in order; argparse lets the last of a name win */
	size_t nopts;
	const char *program;       /* training script (the module with -m), or NULL */
	const ynode *program_node;
	const char **args;         /* the training script's own arguments */
	const ynode **arg_nodes;
	size_t nargs;
} tr_cmd;

/* Find launcher commands in an argv (elements that are not scalars are
 * skipped). A shell with -c reads its script. Appends to *cmds (arena).
 * Returns the number found (>= 0), or -1 when out of memory. */
int tr_parse_argv(arena *a, const ynode *const *argv, size_t argc, tr_cmd **cmds, size_t *ncmds);
/* Find launcher commands in a shell script: commands split at newlines,
 * ';', '&&', '||', '|', '&', backslash-newline continuations joined,
 * single and double quotes removed, `exec`, `env` and VAR=value prefixes
 * skipped. */
int tr_parse_script(arena *a, const ynode *script, tr_cmd **cmds, size_t *ncmds);
/* A container's command + args (and, for a script template, its source
 * when the command is a shell). */
int tr_parse_container(arena *a, const wf_container *c, tr_cmd **cmds, size_t *ncmds);

/* The shell reading the parser uses, for rules that look at other
 * programs in the same scripts (etcd's flags, wait loops). A word is
 * unquoted text and the bytes [off, off+len) of `node` it was read from. */
typedef struct tr_word {
	const char *s;
	const ynode *node;
	size_t off, len;
} tr_word;
/* Called once per simple command; `script` is the script it came from
 * (NULL for argv itself). A nonzero return stops the walk. */
typedef int (*tr_command_fn)(void *ctx, const tr_word *w, size_t n, const ynode *script);
/* Every simple command of argv, then those of its `sh -c` script if it
 * is one. Returns the first nonzero of fn, or -1 when out of memory. */
int tr_each_command(arena *a, const ynode *const *argv, size_t argc, tr_command_fn fn, void *ctx);
/* Every simple command of a script. */
int tr_each_script_command(arena *a, const ynode *script, tr_command_fn fn, void *ctx);
/* Index of the program word of a command: past `exec`, `env`, VAR=value
 * and shell keywords (then, do, ...). n when there is none. */
size_t tr_program_index(const tr_word *w, size_t n);
/* A command's argv (command + args) as one array; returns its length
 * (at most max). */
size_t tr_container_argv(const wf_container *c, const ynode **argv, size_t max);
/* Is this program name a POSIX-ish shell (sh, bash, ...)? */
int tr_is_shell(const char *prog);

/* The option `name` (any spelling: "nnodes", "--nproc_per_node") as
 * argparse would settle it: the last occurrence. NULL when absent. */
const tr_opt *tr_get(const tr_cmd *c, const char *name);
/* Canonical form of an option name into out (see tr_opt.name). */
void tr_canon(const char *given, char *out, size_t outlen);

/* One pod that runs a torchrun template: a task or step, and for a
 * withItems / withSequence fan-out, which item. */
typedef struct tr_call {
	const wf_template *parent; /* the dag or steps template */
	const wf_task *task;
	long item;                 /* index in the fan-out, -1 without one */
	const ynode *item_node;    /* the withItems element (NULL for withSequence) */
	const char *item_str;      /* what {{item}} reads as; NULL if not a scalar */
} tr_call;

typedef struct tr_job {
	const wf_doc *doc;
	const wf_template *tmpl;   /* the container or script template */
	const wf_container *ctr;
	const tr_cmd *cmd;         /* the first launcher the container runs */
	size_t ncmds;              /* launchers it runs (more than one is odd) */
	tr_call *calls;
	size_t ncalls;
	const ynode *unknown_fanout; /* a caller's withParam or unreadable
				      * withSequence: ncalls is a lower bound */
} tr_job;

/* Every torchrun job of a document, in template order. Returns 0, or -1
 * when out of memory. */
int tr_find(arena *a, const wf_doc *d, tr_job **jobs, size_t *njobs);

/* `text` as the call sees it (see the file comment). Expressions it cannot
 * resolve stay as written. NULL when out of memory. */
const char *tr_resolve(arena *a, const tr_job *j, const tr_call *c, const char *text);
/* The value node a call passes for input parameter `name`: the task's
 * arguments.parameters[].value, else NULL. */
const ynode *tr_call_arg(const tr_call *c, const char *name);
/* Option `name` of the job's launcher, its value resolved for call c.
 * NULL when absent or a flag; *o (if given) gets the option. */
const char *tr_call_opt(arena *a, const tr_job *j, const tr_call *c, const char *name, const tr_opt **o);

/* Does rendezvous backend `b` talk to an etcd server (torchrun's "etcd"
 * and "etcd-v2", both over etcd's v2 API)? */
int tr_backend_is_etcd(const char *b);
/* Does any of these jobs' launchers use an etcd rendezvous backend? */
int tr_jobs_use_etcd(const tr_job *jobs, size_t njobs);

/* Does a resolved value still hold an Argo expression ("{{")? */
int tr_unresolved(const char *v);

#endif
