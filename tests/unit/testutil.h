/* testutil.h: what every cmocka unit test includes.
 * cmocka needs these system headers first, in this order. */
#ifndef REHEARSE_TESTUTIL_H
#define REHEARSE_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* ../shared, found relative to the checkout, or from $SHARED. */
static inline const char *test_shared_dir(void)
{
	const char *s = getenv("SHARED");
	return s && *s ? s : "../shared";
}
#endif
