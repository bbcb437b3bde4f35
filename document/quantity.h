/* quantity.h: Kubernetes resource quantities ("500m", "1.5Gi", "2e3").
 *
 * The API server refuses a pod whose quantities do not parse, and compares
 * requests with limits by value, so rules need both: is this a quantity,
 * and how much is it. The grammar is Kubernetes' own: a signed decimal
 * number, then a binary suffix (Ki Mi Gi Ti Pi Ei), a decimal suffix
 * (n u m k M G T P E, or none) or a decimal exponent (e3, E-2). */
#ifndef REHEARSE_QUANTITY_H
#define REHEARSE_QUANTITY_H

#include <stddef.h>

/* Parse the first len bytes of s. Returns 0 and the value in *out (in base
 * units: cores, bytes, devices), or -1 when s is not a quantity. */
int quantity_parse(const char *s, size_t len, double *out);

/* One span of time at s, as Go durations, GNU sleep and `--inject` write
 * them: a non-negative number, then a unit (ms, s, m, h or d; none is
 * seconds). Returns the seconds and sets *end past what it read, or -1
 * (and *end = s) when s does not begin with such a number. A Go duration
 * ("1m30s") is a run of them. */
double duration_part(const char *s, const char **end);

#endif
