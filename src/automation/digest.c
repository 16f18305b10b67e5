/* The email digest of unread notifications (see digest.h). A user's period is
 * due when users.digest_at is before its start; one transaction per user
 * lists the unread notifications newer than users.digest_seen, queues the
 * mail and moves both marks, so a crash before the commit only means the
 * pass runs again and the outbox key dedupes the mail. A period with nothing
 * new sends nothing. Without any mailbox to send from, the period is marked
 * done but digest_seen stays, so the notifications wait for the next one. */
#include <inttypes.h>
#include <string.h>

#include "automation/digest.h"
#include "automation/scheduler.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "store/store.h"
#include "base/banned.h"

#define DIGEST_MAX_TEXT (256 * 1024)

static int64_t floor_to(int64_t t, int64_t step, int64_t offset)
{
	int64_t x = t - offset;
	int64_t r = x % step;
	return x - (r < 0 ? r + step : r) + offset;
}

/* The plain text: one entry per notification, newest first, with its link. */
static const char *digest_text(const json_t *items, const char *base, struct arena *a)
{
	struct buf b;
	size_t n = json_array_size(items), i;
	const json_t *it;
	buf_init(&b, a, DIGEST_MAX_TEXT);
	buf_printf(&b, "You have %zu unread notification%s in Parley:\n\n", n, n == 1 ? "" : "s");
	json_array_foreach(items, i, it)
	{
		if (i == DIGEST_MAX_ITEMS) {
			buf_printf(&b, "... and %zu more.\n\n", n - i);
			break;
		}
		const char *body = json_get_str(it, "body"), *link = json_get_str(it, "link");
		buf_printf(&b, "- %s\n", json_get_str(it, "title"));
		if (body && *body)
			buf_printf(&b, "  %s\n", body);
		if (link && *link)
			buf_printf(&b, "  %s%s\n", base, link);
		buf_printf(&b, "\n");
	}
	buf_printf(&b,
		   "Open Parley: %s/\n"
		   "To change how often this mail comes: %s/settings\n",
		   base, base);
	return b.data;
}

static int digest_one(struct store *st, const struct automation_env *env, int64_t user_id,
		      int64_t seen, int64_t period, struct arena *a, int *done, struct err *err)
{
	json_t *items;
	if (store_notifications(st, user_id, true, seen, DIGEST_MAX_UNREAD, a, &items, err) < 0)
		return -1;
	size_t n = json_array_size(items);
	if (n == 0)
		return store_digest_done(st, user_id, period, seen, err);
	const char *subject =
	    arena_printf(a, "Parley: %zu unread notification%s", n, n == 1 ? "" : "s");
	/* The user chose the digest: it is theirs, from their own mailbox. */
	int r = store_outbox_to_user(
	    st, user_id, user_id, subject,
	    digest_text(items, env->base_url ? env->base_url : "", a),
	    arena_printf(a, "digest:%" PRId64 ":%" PRId64, user_id, period), a, err);
	if (r < 0)
		return -1;
	if (r == 0) /* nobody to send it from: these wait for the next period */
		return store_digest_done(st, user_id, period, seen, err);
	int64_t newest = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	if (store_digest_done(st, user_id, period, newest, err) < 0)
		return -1;
	(*done)++;
	return 0;
}

int digest_step(struct store *st, const struct automation_env *env, int64_t now, int *done_r,
		struct err *err)
{
	struct arena *a = arena_new();
	int64_t hour = floor_to(now, 3600, 0);
	int64_t day = floor_to(now, 86400, (int64_t)DIGEST_DAILY_HOUR * 3600);
	json_t *users;
	size_t i;
	const json_t *x;
	*done_r = 0;
	if (store_digest_due(st, hour, day, DIGEST_MAX_USERS, a, &users, err) < 0)
		goto fail;
	json_array_foreach(users, i, x)
	{
		int64_t id = json_integer_value(json_object_get(x, "id"));
		int64_t seen = json_integer_value(json_object_get(x, "seen"));
		int64_t period = strcmp(json_get_str(x, "digest"), "daily") == 0 ? day : hour;
		if (store_tx_begin(st, err) < 0)
			goto fail;
		if (digest_one(st, env, id, seen, period, a, done_r, err) < 0) {
			store_tx_rollback(st);
			goto fail;
		}
		if (store_tx_commit(st, err) < 0)
			goto fail;
	}
	arena_free(&a);
	return 0;
fail:
	arena_free(&a);
	return -1;
}
