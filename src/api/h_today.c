/* The Today page: the feed (GET /api/v1/today), its counts for the menu and
 * the bell (GET /api/v1/today/counts), and snoozing an item of it
 * (PUT and DELETE /api/v1/today/snoozes/{kind}/{id}). "Today" is the day on
 * the wall clock of the time zone the client names (the browser's). */
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/json.h"
#include "base/time.h"
#include "core/meeting.h"
#include "core/today.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

static struct mail_viewer viewer_of(struct req *rq)
{
	return (struct mail_viewer){rq->user->id, rq->user->role == USER_ADMIN};
}

/* The day for the time zone in tz (NULL: UTC); -1 with a 400 for a zone
   Parley does not know. */
static int span_of(struct req *rq, const char *tz, struct today_span *sp)
{
	if (!tz || !*tz)
		tz = "UTC";
	if (!meeting_timezone_ok(tz))
		return err_set_field(&rq->err, ERR_INVALID, "timezone",
				     "'timezone' must be a time zone name such as Europe/Paris");
	sp->tz = tz;
	sp->now = time_now();
	today_span(sp->now, tz, &sp->start, &sp->end, &sp->morning);
	return 0;
}

static int feed(struct req *rq, json_t **feed_r)
{
	struct today_span sp;
	struct mail_viewer v = viewer_of(rq);
	if (span_of(rq, req_query(rq, "timezone"), &sp) < 0)
		return -1;
	return store_today(rq->store, &v, &sp, rq->arena, feed_r, &rq->err);
}

int h_today_get(struct req *rq)
{
	json_t *f;
	if (feed(rq, &f) < 0)
		return -1;
	return req_json(rq, 200, json_incref(f));
}

int h_today_counts(struct req *rq)
{
	json_t *f;
	if (feed(rq, &f) < 0)
		return -1;
	json_t *c = json_object_get(f, "counts");
	json_int_t overdue = json_integer_value(json_object_get(c, "overdue_tasks"));
	json_int_t notes = json_integer_value(json_object_get(c, "unread_notifications"));
	json_object_set_new(c, "bell", json_integer(overdue + notes));
	return req_json(rq, 200, json_incref(c));
}

/* The kind ({kind}) and id ({id}) of the snooze route. */
static int snooze_target(struct req *rq, const char **kind_r, int64_t *id_r)
{
	*kind_r = rq->params[0];
	if (!today_snooze_kind_ok(*kind_r))
		return err_set(&rq->err, ERR_NOTFOUND, "nothing to snooze of kind '%s'", *kind_r);
	return req_param_id(rq, 1, id_r);
}

int h_today_snooze(struct req *rq)
{
	static const char *const keys[] = {"until", "timezone", NULL};
	const char *kind;
	int64_t id, until;
	struct today_span sp;
	if (snooze_target(rq, &kind, &id) < 0 || req_only_keys(rq, keys) < 0 ||
	    span_of(rq, json_get_str(rq->json, "timezone"), &sp) < 0)
		return -1;
	const char *u = json_get_str(rq->json, "until");
	if (u && strcmp(u, "tomorrow") == 0)
		until = sp.morning;
	else if (u && strcmp(u, "later") == 0)
		until = sp.now + (int64_t)TODAY_LATER_HOURS * 3600;
	else if (!u || time_parse_iso(u, &until) < 0 || until <= sp.now)
		return err_set_field(&rq->err, ERR_INVALID, "until",
				     "'until' must be \"tomorrow\", \"later\" or a time in the "
				     "future (RFC 3339)");
	struct mail_viewer v = viewer_of(rq);
	if (store_today_snooze(rq->store, &v, kind, id, until, sp.now, &rq->err) < 0)
		return -1;
	char t[TIME_ISO_MAX];
	time_format_iso(until, t);
	return req_json(
	    rq, 200, json_pack("{s:s, s:I, s:s}", "kind", kind, "id", (json_int_t)id, "until", t));
}

int h_today_unsnooze(struct req *rq)
{
	const char *kind;
	int64_t id;
	struct mail_viewer v = viewer_of(rq);
	if (snooze_target(rq, &kind, &id) < 0 ||
	    store_today_snooze(rq->store, &v, kind, id, 0, time_now(), &rq->err) < 0)
		return -1;
	rq->status = 204;
	rq->content_type = "application/json";
	return 0;
}
