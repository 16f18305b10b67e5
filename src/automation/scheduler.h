/* The automation scheduler: reads new domain events, turns them into durable
 * jobs (rule firings, delayed actions, built-in notifications) and runs the
 * jobs that are due. Safe to run in several processes: jobs are claimed. */
#ifndef AUTOMATION_SCHEDULER_H
#define AUTOMATION_SCHEDULER_H

#include <stdint.h>

struct err;
struct store;

#define SCHEDULER_EVENT_BATCH  200
#define SCHEDULER_MAX_ATTEMPTS 6
#define SCHEDULER_RETRY_BASE   60 /* seconds; doubled per attempt */
/* A job "running" this long means its process died: it is run again. */
#define SCHEDULER_RUNNING_TIMEOUT (10 * 60)

struct automation_env {
	const char *base_url;  /* for links in mail (unsubscribe), e.g. http://127.0.0.1:8080 */
	const char *mail_host; /* the host part of Message-IDs Parley makes */
};

/* One pass at time now: events into jobs, then up to max_jobs due jobs.
 *done_r counts events read and jobs run (0: idle). */
int scheduler_step(struct store *st, const struct automation_env *env, int64_t now, int max_jobs,
		   int *done_r, struct err *err);

#endif
