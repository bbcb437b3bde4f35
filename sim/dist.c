/* dist.c: parsing and sampling of duration distributions (dist.h). */
#include "sim/dist.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 4096

static const struct {
	const char *name;
	sim_dist_kind kind;
	const char *params[2]; /* names of positional arguments, in order */
	int nparams;           /* -1: any number of values (empirical) */
} kinds[] = {
	{"constant", SIM_DIST_CONSTANT, {"value", NULL}, 1},
	{"uniform", SIM_DIST_UNIFORM, {"min", "max"}, 2},
	{"normal", SIM_DIST_NORMAL, {"mean", "sd"}, 2},
	{"lognormal", SIM_DIST_LOGNORMAL, {"mean", "sd"}, 2},
	{"exponential", SIM_DIST_EXPONENTIAL, {"mean", NULL}, 1},
	{"empirical", SIM_DIST_EMPIRICAL, {NULL, NULL}, -1},
};

sim_dist sim_dist_constant(double v)
{
	sim_dist d = {.kind = SIM_DIST_CONSTANT, .a = v, .mean = v};
	return d;
}

static const char *skip_ws(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* A finite number at p; advances p. */
static int number(const char **pp, double *out)
{
	char *end;
	const char *p = skip_ws(*pp);
	double v = strtod(p, &end);
	if (end == p || !isfinite(v))
		return -1;
	*out = v;
	*pp = end;
	return 0;
}

/* Fill the distribution's fields from its arguments and check them. */
static int finish(sim_dist *d, const double *x, char *err, size_t errlen)
{
	switch (d->kind) {
	case SIM_DIST_CONSTANT:
		d->a = d->mean = x[0];
		return 0;
	case SIM_DIST_UNIFORM:
		if (x[1] < x[0]) {
			snprintf(err, errlen, "uniform: max (%g) is less than min (%g)", x[1], x[0]);
			return -1;
		}
		d->a = x[0], d->b = x[1], d->mean = (x[0] + x[1]) / 2;
		return 0;
	case SIM_DIST_NORMAL:
		if (x[1] < 0) {
			snprintf(err, errlen, "normal: sd must not be negative");
			return -1;
		}
		d->a = d->mean = x[0], d->b = x[1];
		return 0;
	case SIM_DIST_LOGNORMAL: {
		if (x[0] <= 0 || x[1] < 0) {
			snprintf(err, errlen, "lognormal: mean must be positive and sd not negative");
			return -1;
		}
		/* From the value's mean m and sd s to the log's mu and sigma. */
		double s2 = log(1 + (x[1] * x[1]) / (x[0] * x[0]));
		d->b = sqrt(s2);
		d->a = log(x[0]) - s2 / 2;
		d->mean = x[0];
		return 0;
	}
	case SIM_DIST_EXPONENTIAL:
		if (x[0] <= 0) {
			snprintf(err, errlen, "exponential: mean must be positive");
			return -1;
		}
		d->a = d->mean = x[0];
		return 0;
	case SIM_DIST_EMPIRICAL:
		break;
	}
	return 0;
}

static int parse(sim_dist *d, const char *spec, char *err, size_t errlen);

int sim_dist_parse(sim_dist *d, const char *spec, char *err, size_t errlen)
{
	int rc = parse(d, spec, err, errlen);
	if (rc < 0)
		sim_dist_clear(d);
	return rc;
}

void sim_dist_clear(sim_dist *d)
{
	free(d->v);
	memset(d, 0, sizeof *d);
}

/* A bare number: a constant. */
static int parse_constant(sim_dist *d, const char *spec, const char *p, char *err, size_t errlen)
{
	double v;
	if (number(&p, &v) < 0 || *skip_ws(p)) {
		snprintf(err, errlen, "'%s' is not a number or a distribution", spec);
		return -1;
	}
	*d = sim_dist_constant(v);
	return 0;
}

/* The distribution named at p (its index in kinds[]), or -1. */
static int parse_kind(const char **pp, char *err, size_t errlen)
{
	const char *p = *pp;
	size_t nl = 0;
	while (isalpha((unsigned char)p[nl]))
		nl++;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (strlen(kinds[k].name) == nl && !strncmp(kinds[k].name, p, nl)) {
			*pp = p + nl;
			return (int)k;
		}
	snprintf(err, errlen, "unknown distribution '%.*s' (want constant, uniform, "
		 "normal, lognormal, exponential or empirical)", (int)nl, p);
	return -1;
}

/* The arguments between the parentheses, as they are read. */
struct args {
	int k;                 /* index in kinds[] */
	double x[2];           /* named parameters */
	int set[2];
	double *vals;          /* empirical: the values (owned by the sim_dist) */
	size_t nv;
	int pos;               /* arguments read so far */
};

/* "name=" before an argument: the slot it names (p moves past the '='),
 * or the next positional slot when there is no name; -2 on error. */
static int arg_slot(struct args *x, const char **pp, char *err, size_t errlen)
{
	const char *p = *pp, *q = p;
	const char *name = kinds[x->k].name;
	while (isalpha((unsigned char)*q) || *q == '_')
		q++;
	if (q == p || *skip_ws(q) != '=')
		return x->pos;
	if (kinds[x->k].nparams < 0) {
		snprintf(err, errlen, "empirical takes values, not named arguments");
		return -2;
	}
	for (int i = 0; i < kinds[x->k].nparams; i++)
		if (strlen(kinds[x->k].params[i]) == (size_t)(q - p) && !strncmp(kinds[x->k].params[i], p, q - p)) {
			*pp = skip_ws(q) + 1;
			return i;
		}
	snprintf(err, errlen, "%s has no argument '%.*s'", name, (int)(q - p), p);
	return -2;
}

/* One argument, named or positional, into its slot (or the values). */
static int parse_arg(struct args *x, const char **pp, char *err, size_t errlen)
{
	const char *name = kinds[x->k].name;
	int nparams = kinds[x->k].nparams;
	int slot = arg_slot(x, pp, err, errlen);
	double v;
	if (slot == -2)
		return -1;
	if (number(pp, &v) < 0) {
		snprintf(err, errlen, "%s: expected a number at '%.12s'", name, *pp);
		return -1;
	}
	if (nparams < 0) {
		if (x->nv == MAX_ARGS) {
			snprintf(err, errlen, "empirical: more than %d values", MAX_ARGS);
			return -1;
		}
		x->vals[x->nv++] = v;
	} else if (slot >= nparams) {
		snprintf(err, errlen, "%s takes %d argument%s", name, nparams, nparams == 1 ? "" : "s");
		return -1;
	} else if (x->set[slot]) {
		snprintf(err, errlen, "%s: '%s' given twice", name, kinds[x->k].params[slot]);
		return -1;
	} else {
		x->x[slot] = v;
		x->set[slot] = 1;
	}
	x->pos++;
	return 0;
}

/* An empirical distribution's values: kept, their mean its mean. */
static int finish_empirical(sim_dist *d, struct args *x, char *err, size_t errlen)
{
	if (x->nv == 0) {
		snprintf(err, errlen, "empirical needs at least one value");
		return -1;
	}
	double sum = 0;
	for (size_t i = 0; i < x->nv; i++)
		sum += x->vals[i];
	double *fit = realloc(x->vals, x->nv * sizeof *x->vals);
	d->v = fit ? fit : x->vals, d->n = x->nv, d->mean = sum / x->nv;
	return 0;
}

/* NAME(ARG, ...), or a bare number. */
static int parse(sim_dist *d, const char *spec, char *err, size_t errlen)
{
	const char *p = skip_ws(spec ? spec : "");
	memset(d, 0, sizeof *d);
	if (!*p) {
		snprintf(err, errlen, "empty distribution");
		return -1;
	}
	if (isdigit((unsigned char)*p) || *p == '.' || *p == '-' || *p == '+')
		return parse_constant(d, spec, p, err, errlen);
	struct args x = {.k = parse_kind(&p, err, errlen)};
	if (x.k < 0)
		return -1;
	const char *name = kinds[x.k].name;
	d->kind = kinds[x.k].kind;
	p = skip_ws(p);
	if (*p != '(') {
		snprintf(err, errlen, "%s: expected '(' after the name", name);
		return -1;
	}
	p++;
	if (kinds[x.k].nparams < 0) {
		x.vals = d->v = malloc(MAX_ARGS * sizeof *x.vals); /* d owns it: freed on error */
		if (!x.vals) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	for (;;) {
		p = skip_ws(p);
		if (*p == ')' && x.pos == 0 && x.nv == 0)
			break; /* no arguments: caught below */
		if (parse_arg(&x, &p, err, errlen))
			return -1;
		p = skip_ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == ')')
			break;
		snprintf(err, errlen, "%s: expected ',' or ')' at '%.12s'", name, p);
		return -1;
	}
	if (*skip_ws(p + 1)) {
		snprintf(err, errlen, "unexpected text after ')': '%s'", skip_ws(p + 1));
		return -1;
	}
	if (kinds[x.k].nparams < 0)
		return finish_empirical(d, &x, err, errlen);
	for (int i = 0; i < kinds[x.k].nparams; i++)
		if (!x.set[i]) {
			snprintf(err, errlen, "%s: missing '%s'", name, kinds[x.k].params[i]);
			return -1;
		}
	return finish(d, x.x, err, errlen);
}

double sim_dist_sample(const sim_dist *d, sim_rng *r)
{
	switch (d->kind) {
	case SIM_DIST_CONSTANT:
		return d->a;
	case SIM_DIST_UNIFORM:
		return d->a + (d->b - d->a) * sim_rng_uniform(r);
	case SIM_DIST_NORMAL:
		return d->a + d->b * sim_rng_normal(r);
	case SIM_DIST_LOGNORMAL:
		return exp(d->a + d->b * sim_rng_normal(r));
	case SIM_DIST_EXPONENTIAL:
		return -d->a * log(sim_rng_open01(r));
	case SIM_DIST_EMPIRICAL:
		return d->v[sim_rng_below(r, d->n)];
	}
	return 0;
}

double sim_dist_duration(const sim_dist *d, sim_rng *r)
{
	double v = sim_dist_sample(d, r);
	return v > 0 ? v : 0;
}

int sim_dist_check(const sim_dist *d, const lim_range *r, char *err, size_t errlen)
{
	char spec[128], why[512];
	sim_dist_format(d, spec, sizeof spec);
	switch (d->kind) {
	case SIM_DIST_CONSTANT:
		if (lim_check(r, d->a, err, errlen))
			return -1;
		return 0;
	case SIM_DIST_UNIFORM:
		if (lim_check(r, d->a, why, sizeof why) || lim_check(r, d->b, why, sizeof why))
			goto refuse;
		return 0;
	case SIM_DIST_EMPIRICAL:
		for (size_t i = 0; i < d->n; i++)
			if (lim_check(r, d->v[i], why, sizeof why))
				goto refuse;
		return 0;
	case SIM_DIST_LOGNORMAL:
	case SIM_DIST_EXPONENTIAL: /* support (0, inf): only the mean can be too large */
		if (lim_check(r, d->mean, why, sizeof why))
			goto refuse;
		return 0;
	case SIM_DIST_NORMAL: {
		if (lim_check(r, d->a, why, sizeof why)) {
			snprintf(err, errlen, "%s: its mean: %s", spec, why);
			return -1;
		}
		/* how often a draw falls below the least value */
		double p = d->b > 0 ? 0.5 * erfc((d->a - r->min) / (d->b * sqrt(2))) : 0;
		if (p < 1e-6)
			return 0;
		if (r->above_min) {
			snprintf(err, errlen, "%s is %g %s or less in %.2g%% of draws, and it must stay above %g: "
				 "use lognormal(mean=%g,sd=%g), which does", spec, r->min, r->unit, 100 * p, r->min,
				 d->a, d->b);
			return -1;
		}
		snprintf(err, errlen, "%s is below %g %s in %.2g%% of draws; those draws are taken as %g", spec,
			 r->min, r->unit, 100 * p, r->min);
		return 1;
	}
	}
	return 0;
refuse:
	snprintf(err, errlen, "%s: %s", spec, why);
	return -1;
}

void sim_dist_format(const sim_dist *d, char *buf, size_t len)
{
	switch (d->kind) {
	case SIM_DIST_CONSTANT:
		snprintf(buf, len, "%g", d->a);
		return;
	case SIM_DIST_UNIFORM:
		snprintf(buf, len, "uniform(min=%g,max=%g)", d->a, d->b);
		return;
	case SIM_DIST_NORMAL:
		snprintf(buf, len, "normal(mean=%g,sd=%g)", d->a, d->b);
		return;
	case SIM_DIST_LOGNORMAL: {
		double s2 = d->b * d->b;
		snprintf(buf, len, "lognormal(mean=%g,sd=%g)", d->mean,
			 d->mean * sqrt(exp(s2) - 1));
		return;
	}
	case SIM_DIST_EXPONENTIAL:
		snprintf(buf, len, "exponential(mean=%g)", d->a);
		return;
	case SIM_DIST_EMPIRICAL:
		snprintf(buf, len, "empirical(%zu values, mean=%g)", d->n, d->mean);
		return;
	}
}
