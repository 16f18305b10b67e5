/* stderr logger; one fprintf per record so lines from threads do not interleave. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "base/log.h"
#include "base/time.h"
#include "base/banned.h"

static _Atomic int min_level = LOG_INFO;
static const char *const level_names[] = {"debug", "info", "warn", "error", "quiet"};

void log_set_level(enum log_level level)
{
	min_level = (int)level;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if ((int)level < min_level)
		return;
	char line[2048], ts[TIME_ISO_MAX];
	time_format_iso(time_now(), ts);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s %s %s\n", ts, level_names[level], line);
}
