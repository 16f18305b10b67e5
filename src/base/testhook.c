/* PARLEY_TEST_CRASH: see testhook.h. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/testhook.h"
#include "base/banned.h"

static const char *crash_at;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	crash_at = getenv("PARLEY_TEST_CRASH");
}

void testhook_crash(const char *point)
{
	pthread_once(&once, load);
	if (!crash_at || strcmp(crash_at, point) != 0)
		return;
	log_error("PARLEY_TEST_CRASH: killing the process at %s", point);
	raise(SIGKILL);
}
