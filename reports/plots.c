/* plots.c: gnuplot scripts and data for runs and cases (plots.h).
 *
 * gnuplot is a program, not a library: this file writes the numbers and a
 * script, runs `gnuplot NAME.gp` once per plot with its stderr kept aside,
 * and renames what it drew into place. The script draws the SVG and the
 * PNG from the same commands, so the two pictures always agree. */
#include "reports/plots.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* One colour per phase (colour-blind-safe where it matters: pull,
 * download, rendezvous and training differ in hue and lightness). */
static const char *const phase_rgb[SIM_PH_COUNT] = {
	"#bbbbbb", /* schedule */
	"#999999", /* scale-up */
	"#cc79a7", /* volume */
	"#e69f00", /* pull */
	"#f0e442", /* start */
	"#56b4e9", /* run */
	"#d55e00", /* rendezvous */
	"#a6761d", /* worker-start */
	"#0072b2", /* download */
	"#66a61e", /* load */
	"#e7298a", /* sync */
	"#009e73", /* training */
};

static const char *gnuplot_prog(void)
{
	const char *g = getenv("GNUPLOT");
	return g && *g ? g : "gnuplot";
}

int plots_available(void)
{
	const char *g = gnuplot_prog();
	if (strchr(g, '/'))
		return access(g, X_OK) == 0;
	const char *path = getenv("PATH");
	if (!path)
		return 0;
	char buf[4096];
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, g);
		if (n && access(buf, X_OK) == 0)
			return 1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* A string as a gnuplot single-quoted literal ('' stands for '). */
static void gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

/* A label for a data file: double-quoted, without quotes inside. */
static void dat_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' ? '\'' : *s, f);
	fputc('"', f);
}

/* The data and the script are written under temporary names (dat_tmp,
 * gp_tmp) and renamed into place only when whole: a write that fails (a
 * full disk) leaves no half file behind. */
typedef struct plot {
	char dat[4096], gp[4096], svg[4096], png[4096], log[4096];
	char dat_tmp[4200], gp_tmp[4200];
	char qdat[8200];        /* dat inside a gnuplot '...' literal */
	FILE *d, *g;
} plot;

static int open_plot(plot *p, const char *dir, const char *name, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	if (mkdir(dir, 0777) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(p->dat, sizeof p->dat, "%s/%s.dat", dir, name);
	snprintf(p->gp, sizeof p->gp, "%s/%s.gp", dir, name);
	snprintf(p->svg, sizeof p->svg, "%s/%s.svg", dir, name);
	snprintf(p->png, sizeof p->png, "%s/%s.png", dir, name);
	snprintf(p->log, sizeof p->log, "%s/.%s.gnuplot-log", dir, name);
	size_t k = 0;
	for (const char *c = p->dat; *c && k < sizeof p->qdat - 2; c++) {
		if (*c == '\'')
			p->qdat[k++] = '\'';
		p->qdat[k++] = *c;
	}
	p->qdat[k] = 0;
	snprintf(p->dat_tmp, sizeof p->dat_tmp, "%s.tmp", p->dat);
	snprintf(p->gp_tmp, sizeof p->gp_tmp, "%s.tmp", p->gp);
	p->d = fopen(p->dat_tmp, "w");
	p->g = p->d ? fopen(p->gp_tmp, "w") : NULL;
	if (!p->d || !p->g) {
		snprintf(err, errlen, "%s: %s", p->d ? p->gp : p->dat, strerror(errno));
		if (p->d)
			fclose(p->d);
		unlink(p->dat_tmp);
		return -1;
	}
	return 0;
}

/* Give up on a plot: its temporary files go. */
static void discard(plot *p)
{
	fclose(p->d);
	fclose(p->g);
	unlink(p->dat_tmp);
	unlink(p->gp_tmp);
}

/* The script's body is written by the caller between head and tail:
 * head sets the common look, tail draws the same plot twice (SVG, PNG). */
static void head(plot *p, const char *title)
{
	fprintf(p->g, "# drawn by rehearse; data in %s\n", p->dat);
	fprintf(p->g, "set encoding utf8\nset title ");
	gp_str(p->g, title);
	fprintf(p->g, " noenhanced\nset key noenhanced outside right top\nset grid xtics ytics lc rgb '#dddddd'\n");
	fprintf(p->g, "set border 3\nset tics nomirror\n");
}

/* Close the files, run gnuplot, rename its pictures into place. */
static int draw(plot *p, const char *plot_cmd, int width, int height, char *err, size_t errlen)
{
	fprintf(p->g, "set terminal svg size %d,%d dynamic font 'sans,11' background '#ffffff'\n", width, height);
	fprintf(p->g, "set output ");
	gp_str(p->g, p->svg);
	fprintf(p->g, ".'.tmp'\n%s\nset terminal pngcairo size %d,%d font 'sans,10' background '#ffffff'\n",
		plot_cmd, width, height);
	fprintf(p->g, "set output ");
	gp_str(p->g, p->png);
	fprintf(p->g, ".'.tmp'\nreplot\nset output\n");
	errno = 0;
	int bad = ferror(p->d) ? 1 : ferror(p->g) ? 2 : 0, e = errno;
	if (fclose(p->d) && !bad)
		bad = 1, e = errno;
	if (fclose(p->g) && !bad)
		bad = 2, e = errno;
	if (!bad && (rename(p->dat_tmp, p->dat) || rename(p->gp_tmp, p->gp)))
		bad = 3, e = errno;
	if (bad) {
		snprintf(err, errlen, "%s: %s%s%s", bad == 1 ? p->dat : p->gp, bad < 3 ? "write error" : "cannot rename",
			 e ? ": " : "", e ? strerror(e) : "");
		unlink(p->dat_tmp);
		unlink(p->gp_tmp);
		return -1;
	}
	if (!plots_available())
		return 0;
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot run gnuplot: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY), log = open(p->log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (null >= 0)
			dup2(null, 1);
		if (log >= 0)
			dup2(log, 2);
		execlp(gnuplot_prog(), gnuplot_prog(), p->gp, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	char svg_tmp[4200], png_tmp[4200];
	snprintf(svg_tmp, sizeof svg_tmp, "%s.tmp", p->svg);
	snprintf(png_tmp, sizeof png_tmp, "%s.tmp", p->png);
	int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0 && !access(svg_tmp, F_OK) && !access(png_tmp, F_OK);
	if (ok && (rename(svg_tmp, p->svg) || rename(png_tmp, p->png))) {
		snprintf(err, errlen, "%s: %s", p->svg, strerror(errno));
		ok = 0;
	} else if (!ok) {
		char line[512] = "";
		FILE *l = fopen(p->log, "r");
		if (l) {
			if (!fgets(line, sizeof line, l))
				line[0] = 0;
			fclose(l);
		}
		line[strcspn(line, "\n")] = 0;
		snprintf(err, errlen, "gnuplot %s failed%s%s", p->gp, line[0] ? ": " : "", line);
	}
	unlink(svg_tmp);
	unlink(png_tmp);
	unlink(p->log);
	return ok ? 0 : -1;
}

int plot_gantt(const char *dir, const char *name, const sim_result *r, char *err, size_t errlen)
{
	plot p;
	if (open_plot(&p, dir, name, err, errlen))
		return -1;
	char title[512];
	snprintf(title, sizeof title, "%s on %s: %s in %.1f min", r->workflow, r->scenario, r->status,
		 r->makespan / 60);
	head(&p, title);
	/* rows top to bottom; the phases of a pod follow each other from its
	 * start in the order a pod lives them (sim_phase's order) */
	size_t n = r->nrec;
	fprintf(p.d, "# y  from_s  to_s  rgb  phase  task\n");
	int used[SIM_PH_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		const sim_record *x = &r->rec[i];
		double y = (double)(n - i), end = x->end >= 0 ? x->end : r->makespan;
		double t = x->start, sum = 0;
		for (int k = 0; x->node && k < SIM_PH_COUNT; k++)
			sum += x->phase[k] > 0 ? x->phase[k] : 0;
		if (!x->node || sum <= 0) {
			fprintf(p.d, "%g %.3f %.3f %d ", y, t, end, 0xd9d9d9);
			dat_str(p.d, "task");
			fputc(' ', p.d);
			dat_str(p.d, x->name);
			fputc('\n', p.d);
			continue;
		}
		for (int k = 0; k < SIM_PH_COUNT; k++) {
			if (x->phase[k] <= 0)
				continue;
			used[k] = 1;
			fprintf(p.d, "%g %.3f %.3f %ld ", y, t, t + x->phase[k], strtol(phase_rgb[k] + 1, NULL, 16));
			dat_str(p.d, sim_phase_name((sim_phase)k));
			fputc(' ', p.d);
			dat_str(p.d, x->name);
			fputc('\n', p.d);
			t += x->phase[k];
		}
	}
	fprintf(p.g, "set xlabel 'minutes from submission'\nset yrange [0.3:%zu.7]\nset ytics (", n);
	for (size_t i = 0; i < n; i++) {
		char lab[300];
		int ind = r->rec[i].depth > 6 ? 6 : r->rec[i].depth;
		snprintf(lab, sizeof lab, "%*s%s", 2 * ind, "", r->rec[i].name);
		fprintf(p.g, "%s", i ? ", " : "");
		gp_str(p.g, lab);
		fprintf(p.g, " %zu", n - i);
	}
	fprintf(p.g, ") font ',9'\nset style fill solid 0.9 noborder\nset xrange [0:*]\n");
	char cmd[12288];
	int len = snprintf(cmd, sizeof cmd,
		"plot '%s' using (($2+$3)/120):1:($2/60):($3/60):($1-0.38):($1+0.38):4 with boxxyerror "
		"lc rgb variable notitle", p.qdat);
	for (int k = 0; k < SIM_PH_COUNT && len < (int)sizeof cmd - 100; k++)
		if (used[k])
			len += snprintf(cmd + len, sizeof cmd - len, ", NaN with boxes lc rgb '%s' title '%s'",
					phase_rgb[k], sim_phase_name((sim_phase)k));
	int h = 120 + 18 * (int)n;
	return draw(&p, cmd, 1000, h < 400 ? 400 : h > 2400 ? 2400 : h, err, errlen);
}

static int gpus_of(const cmp_case *c)
{
	return c->r->ranks * (c->r->nproc > 0 ? c->r->nproc : 1);
}

static const char *gpu_name(const cmp_case *c)
{
	return c->gpu && *c->gpu ? c->gpu : "GPU";
}

int plot_scaling(const char *dir, const char *name, const cmp_case *c, size_t n, char *err, size_t errlen)
{
	plot p;
	if (open_plot(&p, dir, name, err, errlen))
		return -1;
	head(&p, "scaling: makespan and cost against GPUs");
	/* one block per GPU type (gnuplot's index), each by GPU count */
	fprintf(p.d, "# gpus  makespan_min  cost_usd  ok  gpu  case\n");
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	const char **types = malloc((n ? n : 1) * sizeof *types);
	if (!order || !types) {
		free(order), free(types);
		discard(&p);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t nt = 0;
	for (size_t i = 0; i < n; i++) {
		size_t t;
		for (t = 0; t < nt; t++)
			if (!strcmp(types[t], gpu_name(&c[i])))
				break;
		if (t == nt)
			types[nt++] = gpu_name(&c[i]);
	}
	for (size_t t = 0; t < nt; t++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(gpu_name(&c[i]), types[t]))
				order[m++] = i;
		for (size_t i = 1; i < m; i++)
			for (size_t j = i; j > 0 && gpus_of(&c[order[j]]) < gpus_of(&c[order[j - 1]]); j--) {
				size_t x = order[j];
				order[j] = order[j - 1];
				order[j - 1] = x;
			}
		for (size_t i = 0; i < m; i++) {
			const cmp_case *x = &c[order[i]];
			fprintf(p.d, "%d %.3f %.3f %d ", gpus_of(x), x->r->makespan / 60, x->r->cost.total_usd,
				cmp_ok(x));
			dat_str(p.d, types[t]);
			fputc(' ', p.d);
			dat_str(p.d, x->label);
			fputc('\n', p.d);
		}
		fprintf(p.d, "\n\n");
	}
	free(order);
	fprintf(p.g, "set xlabel 'GPUs'\nset ylabel 'makespan (min), solid'\nset y2label 'cost ($), dashed'\n"
		     "set ytics nomirror\nset y2tics\nset logscale x 2\nset yrange [0:*]\nset y2range [0:*]\n");
	char cmd[12288];
	int len = snprintf(cmd, sizeof cmd, "plot ");
	static const char *const rgb[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"};
	for (size_t t = 0; t < nt && len < (int)sizeof cmd - 800; t++)
		len += snprintf(cmd + len, sizeof cmd - len,
				"%s'%s' index %zu using 1:($4 > 0 ? $2 : NaN) with linespoints pt 7 lw 2 lc rgb '%s' "
				"title '%s makespan', '' index %zu using 1:($4 > 0 ? $3 : NaN) axes x1y2 with "
				"linespoints pt 5 lw 2 dt 2 lc rgb '%s' title '%s cost'", t ? ", " : "", p.qdat, t,
				rgb[t % 6], types[t], t, rgb[t % 6], types[t]);
	free(types);
	return draw(&p, cmd, 900, 500, err, errlen);
}

int plot_cost(const char *dir, const char *name, const cmp_case *c, size_t n, char *err, size_t errlen)
{
	plot p;
	if (open_plot(&p, dir, name, err, errlen))
		return -1;
	head(&p, "the bill, by line");
	fprintf(p.d, "# case  gpu_usd  cpu_usd  storage_usd  lb_usd  cluster_usd  idle_gpu_usd\n");
	for (size_t i = 0; i < n; i++) {
		const sim_cost *k = &c[i].r->cost;
		dat_str(p.d, c[i].label);
		fprintf(p.d, " %.4f %.4f %.4f %.4f %.4f %.4f\n", k->gpu_usd, k->cpu_usd, k->storage_usd, k->lb_usd,
			k->cluster_usd, k->idle_gpu_usd);
	}
	fprintf(p.g, "set ylabel 'dollars'\nset style data histograms\nset style histogram rowstacked\n"
		     "set style fill solid 0.9 border -1\nset boxwidth 0.6\nset yrange [0:*]\n"
		     "set xtics rotate by -30 noenhanced\n");
	char cmd[10240];
	snprintf(cmd, sizeof cmd,
		 "plot '%s' using 2:xtic(1) lc rgb '#0072b2' title 'GPU nodes', '' using 3 lc rgb '#56b4e9' "
		 "title 'CPU nodes', '' using 4 lc rgb '#e69f00' title 'storage', '' using 5 lc rgb '#cc79a7' "
		 "title 'load balancers', '' using 6 lc rgb '#999999' title 'cluster fee'", p.qdat);
	int w = 300 + 110 * (int)n;
	return draw(&p, cmd, w < 700 ? 700 : w > 2400 ? 2400 : w, 500, err, errlen);
}

int plot_pareto(const char *dir, const char *name, const cmp_case *c, size_t n, const int *front,
		long pick, char *err, size_t errlen)
{
	plot p;
	if (open_plot(&p, dir, name, err, errlen))
		return -1;
	head(&p, "time against cost: the Pareto front");
	fprintf(p.d, "# makespan_min  cost_usd  ok  front  pick  case\n");
	/* the front sorted by time, so its line runs left to right */
	for (int pass = 0; pass < 2; pass++) {
		size_t *idx = malloc((n ? n : 1) * sizeof *idx), m = 0;
		if (!idx) {
			discard(&p);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			if (!pass ? (front && front[i]) : !(front && front[i]))
				idx[m++] = i;
		for (size_t i = 1; !pass && i < m; i++)
			for (size_t j = i; j > 0 && c[idx[j]].r->makespan < c[idx[j - 1]].r->makespan; j--) {
				size_t t = idx[j];
				idx[j] = idx[j - 1];
				idx[j - 1] = t;
			}
		for (size_t k = 0; k < m; k++) {
			const cmp_case *x = &c[idx[k]];
			fprintf(p.d, "%.3f %.3f %d %d %d ", x->r->makespan / 60, x->r->cost.total_usd, cmp_ok(x), !pass,
				(long)idx[k] == pick);
			dat_str(p.d, x->label);
			fputc('\n', p.d);
		}
		free(idx);
		fprintf(p.d, "\n\n"); /* index 0: the front; index 1: the rest */
	}
	fprintf(p.g, "set xlabel 'makespan (min)'\nset ylabel 'cost ($)'\nset yrange [0:*]\n");
	char cmd[10240];
	snprintf(cmd, sizeof cmd,
		 "plot '%s' index 1 using 1:($3 > 0 ? $2 : NaN) with points pt 6 ps 1.2 lc rgb '#999999' title 'case', "
		 "'' index 1 using 1:($3 > 0 ? NaN : $2) with points pt 2 ps 1.2 lc rgb '#000000' title 'failed', "
		 "'' index 0 using 1:2 with linespoints pt 7 ps 1.4 lw 2 lc rgb '#0072b2' title 'Pareto front', "
		 "'' index 0 using 1:($5 > 0 ? $2 : NaN) with points pt 3 ps 3 lw 2 lc rgb '#d55e00' title 'chosen', "
		 "'' index 0 using 1:2:6 with labels offset 1,0.8 left font ',8' noenhanced notitle", p.qdat);
	return draw(&p, cmd, 900, 560, err, errlen);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int plot_cdf(const char *dir, const char *name, const cmp_case *c, size_t n, char *err, size_t errlen)
{
	plot p;
	if (open_plot(&p, dir, name, err, errlen))
		return -1;
	head(&p, "makespan over the trials: the share of trials done by each time");
	fprintf(p.d, "# makespan_min  share  (one block per case)\n");
	char cmd[12288];
	int len = snprintf(cmd, sizeof cmd, "plot ");
	static const char *const rgb[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"};
	size_t block = 0;
	for (size_t i = 0; i < n; i++) {
		int t = c[i].trials;
		if (t <= 0 || !c[i].trial_rows)
			continue;
		double *v = malloc((size_t)t * sizeof *v);
		if (!v) {
			discard(&p);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (int k = 0; k < t; k++)
			v[k] = c[i].trial_rows[k].makespan / 60;
		qsort(v, (size_t)t, sizeof *v, by_double);
		fprintf(p.d, "# ");
		dat_str(p.d, c[i].label);
		fprintf(p.d, "\n%.4f 0\n", v[0]);
		for (int k = 0; k < t; k++)
			fprintf(p.d, "%.4f %.4f\n", v[k], (double)(k + 1) / t);
		fprintf(p.d, "\n\n");
		free(v);
		char title[200];
		size_t q = 0;
		for (const char *x = c[i].label; *x && q < sizeof title - 2; x++) {
			if (*x == '\'')
				title[q++] = '\'';
			title[q++] = *x;
		}
		title[q] = 0;
		if (len < (int)sizeof cmd - 400)
			len += snprintf(cmd + len, sizeof cmd - len, "%s'%s' index %zu using 1:2 with steps lw 2 lc rgb "
					"'%s' title '%s'", block ? ", " : "", p.qdat, block, rgb[block % 6], title);
		block++;
	}
	if (!block) {
		discard(&p);
		return 0;
	}
	fprintf(p.g, "set xlabel 'makespan (min)'\nset ylabel 'share of trials done'\nset yrange [0:1.02]\n"
		     "set key bottom right inside\n");
	return draw(&p, cmd, 900, 500, err, errlen);
}
