/* cmd_fix.c: `rehearse fix FILE` -- write the corrected workflow.
 *
 * The fixing is validate/fix.c's; this file decides where the text goes
 * and never leaves a half-written file: -o and --in-place write a
 * temporary file in the target's directory and rename it over the target,
 * so a reader sees the old file or the new one, never a mix. --diff runs
 * Debian's `diff -u` on the input and the output instead of printing the
 * output. What was fixed, what was declined and what lint still finds go
 * to stderr. Exit status: 0 when the output has no error finding, 1 when
 * one remains (or the input does not load), 2 on usage and I/O errors. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "document/readfile.h"
#include "document/yaml.h"
#include "reports/findings.h"
#include "validate/fix.h"

static const char usage[] =
	"usage: rehearse fix [-o OUT | --in-place] [--diff] [--nodes N] [--quiet] FILE\n"
	"  -o, --output OUT   write the fixed workflow to OUT (default: standard output)\n"
	"  -i, --in-place     replace FILE with the fixed workflow\n"
	"  -d, --diff         print a unified diff of FILE against the fix instead of the fix\n"
	"  -n, --nodes N      re-scale the torchrun fan-out to N nodes (pods)\n"
	"  -q, --quiet        do not list changes and remaining findings on stderr\n"
	"      --list         list the fixes rehearse knows and exit\n"
	"  FILE may be - for standard input. Exit: 0 output lints without errors, 1 errors remain,\n"
	"  2 usage or I/O error.\n";

/* Write buf to a new temporary file in `dir`; returns its malloc'd path. */
static char *write_temp(const char *dir, const char *base, const char *buf, size_t len, mode_t mode,
			char *err, size_t errlen)
{
	size_t n = strlen(dir) + strlen(base) + 32;
	char *tmp = malloc(n);
	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(tmp, n, "%s/.%s.rehearse-XXXXXX", dir, base);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a temporary file: %s", dir, strerror(errno));
		free(tmp);
		return NULL;
	}
	size_t off = 0;
	int ok = 1, e = 0;
	while (ok && off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ok = 0, e = w < 0 ? errno : ENOSPC;
		else
			off += (size_t)w;
	}
	if (ok && mode && fchmod(fd, mode))
		ok = 0, e = errno;
	if (ok && fsync(fd) && errno != EINVAL)
		ok = 0, e = errno;
	if (close(fd) && ok)
		ok = 0, e = errno;
	if (!ok) {
		/* named as the file it stands for: the temporary one is removed */
		snprintf(err, errlen, "%s/%s: write error: %s", dir, base, strerror(e));
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

/* Replace `path` atomically with buf. */
static int write_atomic(const char *path, const char *buf, size_t len, char *err, size_t errlen)
{
	char *d = strdup(path), *b = strdup(path);
	int rc = -1;
	if (!d || !b) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644;
	char *tmp = write_temp(dirname(d), basename(b), buf, len, mode, err, errlen);
	if (!tmp)
		goto out;
	if (rename(tmp, path)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
	} else {
		rc = 0;
	}
	free(tmp);
out:
	free(d);
	free(b);
	return rc;
}

/* `diff -u` of two files, labelled; returns 0 or -1 when diff failed. */
static int run_diff(const char *a, const char *alabel, const char *b, const char *blabel)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("diff", "diff", "-u", "--label", alabel, "--label", blabel, a, b, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	/* diff: 0 same, 1 different, 2 trouble */
	return WIFEXITED(st) && WEXITSTATUS(st) <= 1 ? 0 : -1;
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void list_fixes(void)
{
	for (size_t i = 0; i < fix_pass_count(); i++) {
		const char *name, *rules, *summary;
		fix_pass_info(i, &name, &rules, &summary);
		printf("%-18s %s\n%-18s   answers: %s\n", name, summary, "", rules);
	}
}

/* Findings per rule: how many the input had and the output no longer has. */
static void report_fixed(const fix_result *r)
{
	const diag_list *b = fix_before(r), *a = fix_after(r);
	for (size_t i = 0; i < diag_count(b); i++) {
		const char *rule = diag_get(b, i)->rule;
		int first = 1;
		for (size_t j = 0; j < i && first; j++)
			first = strcmp(diag_get(b, j)->rule, rule) != 0;
		if (!first)
			continue;
		size_t nb = 0, na = 0;
		for (size_t j = 0; j < diag_count(b); j++)
			nb += !strcmp(diag_get(b, j)->rule, rule);
		for (size_t j = 0; j < diag_count(a); j++)
			na += !strcmp(diag_get(a, j)->rule, rule);
		if (na < nb)
			fprintf(stderr, "rehearse fix: fixed %zu of %zu %s finding%s [%s]\n", nb - na, nb,
				diag_severity_name(diag_get(b, i)->sev), nb == 1 ? "" : "s", rule);
	}
}

int cmd_fix(int argc, char **argv)
{
	static const cli_opt opts[] = {
		{"output", 'o', 1, 'o'},
		{"in-place", 'i', 0, 'i'},
		{"diff", 'd', 0, 'd'},
		{"nodes", 'n', 1, 'n'},
		{"quiet", 'q', 0, 'q'},
		{"list", 0, 0, 'L'},
		{"help", 'h', 0, 'h'},
		{0},
	};
	const char *out = NULL, *in = NULL;
	int in_place = 0, diff = 0, quiet = 0;
	fix_opts fo = {0};
	cli_parser p;
	cli_parser_init(&p, argc, argv, opts);
	for (int c; (c = cli_next(&p)) != CLI_DONE;) {
		switch (c) {
		case 'o': out = p.arg; break;
		case 'i': in_place = 1; break;
		case 'd': diff = 1; break;
		case 'q': quiet = 1; break;
		case 'n': {
			char *end;
			errno = 0;
			long v = strtol(p.arg, &end, 10);
			if (errno || *end || end == p.arg || v < 1 || v > 4096)
				return cli_usage_error(usage, "fix", "--nodes wants a whole number from 1 to 4096, not '%s'", p.arg);
			fo.nodes = (unsigned)v;
			break;
		}
		case 'L': list_fixes(); return EXIT_CLEAN;
		case 'h': fputs(usage, stdout); return EXIT_CLEAN;
		case CLI_ARG:
			if (in)
				return cli_usage_error(usage, "fix", "one file at a time");
			in = p.arg;
			break;
		default:
			return cli_usage_error(usage, "fix", "%s", p.err);
		}
	}
	if (!in)
		return cli_usage_error(usage, "fix", "no file given");
	if (in_place && out)
		return cli_usage_error(usage, "fix", "--in-place and -o both name where to write; give one");
	if (in_place && !strcmp(in, "-"))
		return cli_usage_error(usage, "fix", "--in-place needs a file, not standard input");
	if (out && strcmp(in, "-") && same_file(in, out))
		return cli_usage_error(usage, "fix", "-o %s is the input file; use --in-place to replace it", out);

	char err[1024] = "";
	size_t len;
	char *buf = read_file(in, 2 * yn_default_limits.max_bytes, &len, err, sizeof err);
	if (!buf) {
		fprintf(stderr, "rehearse fix: %s\n", err);
		return EXIT_USAGE;
	}
	const char *name = strcmp(in, "-") ? in : "<stdin>";
	fo.out_name = in_place ? in : out ? out : "<stdout>";
	fix_result *r;
	int rc = fix_run(name, buf, len, &fo, &r, err, sizeof err);
	if (rc != FIX_OK) {
		fprintf(stderr, "rehearse fix: %s\n", err);
		free(buf);
		return rc == FIX_ERR_INPUT ? EXIT_FINDINGS : EXIT_USAGE;
	}
	size_t olen;
	const char *text = fix_output(r, &olen);
	int status = EXIT_CLEAN;

	if (!quiet) {
		for (size_t i = 0; i < fix_change_count(r); i++) {
			const fix_change *x = fix_change_at(r, i);
			if (x->file)
				fprintf(stderr, "%s:%u:%u: ", x->file, x->line, x->col);
			fprintf(stderr, "%s [%s]: %s\n", x->applied ? "fixed" : "not fixed", x->fix, x->what);
		}
		report_fixed(r);
		if (fix_text_note(r))
			fprintf(stderr, "rehearse fix: note: the output is written whole by the YAML emitter, so comments "
				"and layout are not kept: %s\n", fix_text_note(r));
		const diag_list *after = fix_after(r);
		if (diag_count_at_least(after, DIAG_WARNING)) {
			fprintf(stderr, "rehearse fix: findings that remain in the output:\n");
			report_info info = {.files = 1};
			report_text(stderr, after, fix_output_set(r), &info);
		}
	}
	if (in_place || out) {
		if (fix_changed(r) || !in_place) {
			if (write_atomic(in_place ? in : out, text, olen, err, sizeof err)) {
				fprintf(stderr, "rehearse fix: %s\n", err);
				status = EXIT_USAGE;
			}
		}
	}
	if (status == EXIT_CLEAN && diff) {
		/* diff reads files: the input (a copy if it came from stdin) and
		 * the output in temporary files. */
		/* a patch of the input file, as git diff writes one: `git apply`
		 * and `patch -p1` take it from the directory the path is relative to */
		char alabel[4096], blabel[4096];
		const char *rel = strncmp(name, "./", 2) ? name : name + 2;
		snprintf(alabel, sizeof alabel, "a/%s", rel);
		snprintf(blabel, sizeof blabel, "b/%s", rel);
		const char *tdir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
		char *tin = NULL, *tout = write_temp(tdir, "fix-out", text, olen, 0600, err, sizeof err);
		if (tout && !strcmp(in, "-"))
			tin = write_temp(tdir, "fix-in", buf, len, 0600, err, sizeof err);
		if (!tout || (!strcmp(in, "-") && !tin) ||
		    run_diff(tin ? tin : in, alabel, tout, blabel)) {
			fprintf(stderr, "rehearse fix: %s\n", *err ? err : "cannot run diff -u (Debian package diffutils)");
			status = EXIT_USAGE;
		}
		if (tout)
			unlink(tout);
		if (tin)
			unlink(tin);
		free(tout);
		free(tin);
	} else if (status == EXIT_CLEAN && !in_place && !out) {
		if (fwrite(text, 1, olen, stdout) != olen || fflush(stdout)) {
			fprintf(stderr, "rehearse fix: write error\n");
			status = EXIT_USAGE;
		}
	}
	if (status == EXIT_CLEAN && diag_count_at_least(fix_after(r), DIAG_ERROR))
		status = EXIT_FINDINGS;
	fix_result_free(r);
	free(buf);
	return status;
}
