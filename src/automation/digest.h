/* The optional email digest: each user who asks for one ("hourly" or
 * "daily") gets their unread notifications by mail, at most once a period. */
#ifndef AUTOMATION_DIGEST_H
#define AUTOMATION_DIGEST_H

#include <stdint.h>

struct automation_env;
struct err;
struct store;

#define DIGEST_DAILY_HOUR 8   /* daily digests go out from 08:00 UTC */
#define DIGEST_MAX_ITEMS  50  /* notifications listed in one mail; the rest are counted */
#define DIGEST_MAX_USERS  100 /* users handled in one pass */
#define DIGEST_MAX_UNREAD 500 /* unread notifications a digest counts */

/* One pass at time now. For each active user whose period (the UTC hour, or
   the day from DIGEST_DAILY_HOUR UTC) has no digest yet: if notifications
   came since their last digest and are still unread, queues one plain-text
   mail to the user (from their mailbox, else a shared one) listing them with
   links under env->base_url; then marks the period done. The outbox's
   idempotency key "digest:USER:PERIOD_START" keeps it to one mail per period
   even if a pass is repeated after a crash. *done_r counts mails queued.
   0 or -1. */
int digest_step(struct store *st, const struct automation_env *env, int64_t now, int *done_r,
		struct err *err);

#endif
