/* quantity.c: see quantity.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "document/quantity.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int quantity_parse(const char *s, size_t len, double *out)
{
	size_t i = 0;
	int neg = 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	double v = 0;
	size_t digits = 0;
	for (; i < len && is_digit(s[i]); i++, digits++)
		v = v * 10 + (s[i] - '0');
	if (i < len && s[i] == '.') {
		double scale = 0.1;
		for (i++; i < len && is_digit(s[i]); i++, digits++, scale /= 10)
			v += (s[i] - '0') * scale;
	}
	if (!digits)
		return -1;
	size_t rest = len - i;
	const char *suf = s + i;
	static const struct { const char *s; double mul; } sufs[] = {
		{"Ki", 0x1p10}, {"Mi", 0x1p20}, {"Gi", 0x1p30}, {"Ti", 0x1p40}, {"Pi", 0x1p50}, {"Ei", 0x1p60},
		{"n", 1e-9}, {"u", 1e-6}, {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12},
		{"P", 1e15}, {"E", 1e18},
	};
	double mul = 1;
	if (rest) {
		size_t k;
		for (k = 0; k < sizeof sufs / sizeof sufs[0]; k++)
			if (strlen(sufs[k].s) == rest && !memcmp(suf, sufs[k].s, rest))
				break;
		if (k < sizeof sufs / sizeof sufs[0]) {
			mul = sufs[k].mul;
		} else if (suf[0] == 'e' || suf[0] == 'E') {
			/* a decimal exponent: e, an optional sign, digits */
			size_t j = 1;
			int eneg = 0;
			if (j < rest && (suf[j] == '+' || suf[j] == '-'))
				eneg = suf[j++] == '-';
			if (j == rest)
				return -1;
			int e = 0;
			for (; j < rest; j++) {
				if (!is_digit(suf[j]) || e > 1000)
					return -1;
				e = e * 10 + (suf[j] - '0');
			}
			mul = pow(10, eneg ? -e : e);
		} else {
			return -1;
		}
	}
	*out = (neg ? -v : v) * mul;
	return 0;
}

double duration_part(const char *s, const char **end)
{
	char *e;
	double v = strtod(s, &e);
	*end = s;
	if (e == s || !(v >= 0) || isinf(v))
		return -1;
	if (!strncmp(e, "ms", 2))
		v /= 1000, e += 2;
	else if (*e == 's')
		e++;
	else if (*e == 'm')
		v *= 60, e++;
	else if (*e == 'h')
		v *= 3600, e++;
	else if (*e == 'd')
		v *= 86400, e++;
	*end = e;
	return v;
}
