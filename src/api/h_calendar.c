/* The calendar beyond meeting records: sending invitations, a meeting as an
 * .ics file, and each user's ICS feed (a secret URL calendar apps poll). */
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/arena.h"
#include "base/json.h"
#include "base/time.h"
#include "calendar/calendar.h"
#include "calendar/ics.h"
#include "core/entity.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

static const char *origin(struct req *rq)
{
	const char *host = req_header(rq, "Host");
	const char *proto = req_header(rq, "X-Forwarded-Proto");
	return arena_printf(rq->arena, "%s://%s",
			    proto && strcmp(proto, "https") == 0 ? "https" : "http",
			    host ? host : "localhost");
}

static int load_meeting(struct req *rq, int64_t *id_r, json_t **m_r)
{
	if (req_param_id(rq, 0, id_r) < 0)
		return -1;
	int r = store_record_get(rq->store, &meeting_def, *id_r, rq->arena, m_r, &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "meeting %lld not found", (long long)*id_r);
	return r < 0 ? -1 : 0;
}

int h_meetings_invite(struct req *rq)
{
	int64_t id;
	json_t *m, *res;
	if (load_meeting(rq, &id, &m) < 0)
		return -1;
	if (!user_may_change(rq->user, m, meeting_def.perm_fields))
		return err_set(&rq->err, ERR_FORBIDDEN,
			       "managers may send invitations only for meetings they own");
	if (calendar_invite(rq->store, id, "REQUEST", rq->user->id, time_now(), rq->arena, &res,
			    &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_incref(res));
}

int h_meetings_ics(struct req *rq)
{
	int64_t id;
	json_t *m;
	if (load_meeting(rq, &id, &m) < 0)
		return -1;
	struct ics_event ev = {m, {NULL, NULL, NULL}, NULL, 0};
	rq->status = 200;
	rq->content_type = "text/calendar; charset=utf-8";
	req_add_header(rq, "Content-Disposition", "attachment; filename=\"meeting.ics\"");
	buf_puts(&rq->resp, ics_build("PUBLISH", &ev, 1, time_now(), rq->arena));
	return 0;
}

int h_calendar_feed_create(struct req *rq)
{
	char *tok;
	if (calendar_feed_token_new(rq->store, rq->user->id, rq->arena, &tok, &rq->err) < 0)
		return -1;
	const char *url = arena_printf(rq->arena, "%s/calendar/feed/%s.ics", origin(rq), tok);
	return req_json(rq, 201,
			json_pack("{s:s, s:s}", "url", url, "webcal",
				  arena_printf(rq->arena, "webcal%s", strchr(url, ':'))));
}

int h_calendar_feed_delete(struct req *rq)
{
	if (calendar_feed_token_revoke(rq->store, rq->user->id, &rq->err) < 0)
		return -1;
	rq->status = 204;
	return 0;
}

int h_calendar_feed_get(struct req *rq)
{
	const char *p = rq->params[0];
	size_t n = strlen(p);
	if (n > 4 && strcmp(p + n - 4, ".ics") == 0)
		n -= 4;
	char *tok = arena_strndup(rq->arena, p, n);
	int64_t user;
	char *ics;
	int r = calendar_feed_token_user(rq->store, tok, &user, &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "no such calendar feed");
	if (r < 0 || calendar_feed(rq->store, user, time_now(), rq->arena, &ics, &rq->err) < 0)
		return -1;
	rq->status = 200;
	rq->content_type = "text/calendar; charset=utf-8";
	req_add_header(rq, "Cache-Control", "private, max-age=300");
	buf_puts(&rq->resp, ics);
	return 0;
}
