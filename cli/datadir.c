/* datadir.c: where rehearse finds the data it ships with -- the bundled
 * scenarios (scenarios/NAME.yaml) and the calibration measurements
 * (calib/h100.jsonl) -- so an installed binary works from any directory.
 *
 * Places, first match wins:
 *   $REHEARSE_DATA                          set by the user
 *   <binary's dir>/../share/rehearse        an install, wherever it was moved
 *   REHEARSE_DATADIR                        $(PREFIX)/share/rehearse, fixed at build time
 *   <binary's dir> and two levels up        a source checkout (./rehearse, build/san/rehearse),
 *                                           with calib/ read from ../shared/calib */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef REHEARSE_DATADIR
#define REHEARSE_DATADIR "/usr/local/share/rehearse"
#endif

enum { MAX_PLACES = 6 };

/* The candidate directories, in order; returns how many. */
static size_t places(char dirs[MAX_PLACES][PATH_MAX], int checkout[MAX_PLACES])
{
	size_t n = 0;
	const char *env = getenv("REHEARSE_DATA");
	if (env && *env)
		snprintf(dirs[n], PATH_MAX, "%s", env), checkout[n++] = 0;
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;
	if (len > 0 && (exe[len] = 0, slash = strrchr(exe, '/'))) {
		*slash = 0;
		snprintf(dirs[n], PATH_MAX, "%.*s/../share/rehearse", PATH_MAX - 32, exe), checkout[n++] = 0;
		char a[PATH_MAX], b[PATH_MAX];
		if (!realpath(dirs[n - 1], a) || !realpath(REHEARSE_DATADIR, b) || strcmp(a, b))
			snprintf(dirs[n], PATH_MAX, "%s", REHEARSE_DATADIR), checkout[n++] = 0;
		/* a checkout only where one is: its scenarios/ beside the binary */
		static const char *const up[] = {"", "/../.."};
		for (size_t i = 0; i < 2; i++) {
			char probe[PATH_MAX + 16];
			struct stat st;
			snprintf(dirs[n], PATH_MAX, "%.*s%s", PATH_MAX - 32, exe, up[i]);
			snprintf(probe, sizeof probe, "%s/scenarios", dirs[n]);
			if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode))
				checkout[n++] = 1;
		}
	} else {
		snprintf(dirs[n], PATH_MAX, "%s", REHEARSE_DATADIR), checkout[n++] = 0;
	}
	return n;
}

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int cli_data_file(const char *rel, char *out, size_t len)
{
	char dirs[MAX_PLACES][PATH_MAX];
	int checkout[MAX_PLACES];
	size_t n = places(dirs, checkout);
	for (size_t i = 0; i < n; i++) {
		snprintf(out, len, "%s/%s", dirs[i], rel);
		if (is_file(out))
			return 0;
		/* in a checkout the calibration set is the shared data's */
		if (checkout[i] && !strncmp(rel, "calib/", 6)) {
			snprintf(out, len, "%s/../shared/%s", dirs[i], rel);
			if (is_file(out))
				return 0;
		}
	}
	return -1;
}

void cli_data_dirs(FILE *f)
{
	char dirs[MAX_PLACES][PATH_MAX];
	int checkout[MAX_PLACES];
	size_t n = places(dirs, checkout);
	for (size_t i = 0; i < n; i++) {
		char real[PATH_MAX];
		int there = realpath(dirs[i], real) != NULL;
		fprintf(f, "  %s%s%s\n", there ? real : dirs[i],
			checkout[i] ? " (a source checkout)" : !i && getenv("REHEARSE_DATA") &&
			*getenv("REHEARSE_DATA") ? " ($REHEARSE_DATA)" : "", there ? "" : " (absent)");
	}
}
