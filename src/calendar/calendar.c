/* Invitations, replies, reminders and feeds. Everything a pass does is in one
 * transaction with the event cursor, so a crash repeats the pass rather than
 * losing or doubling a mail (outbox items are keyed once as well). */
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/id.h"
#include "base/json.h"
#include "base/log.h"
#include "base/str.h"
#include "base/time.h"
#include "calendar/calendar.h"
#include "calendar/ics.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/mail_link.h"
#include "core/meeting.h"
#include "core/user.h"
#include "store/blob.h"
#include "store/store.h"
#include "base/banned.h"

#define CURSOR_KEY	  "calendar.cursor"
#define FEED_MAX_MEETINGS 5000

/* ---- who is invited ---- */

static const char *contact_name(const json_t *c, struct arena *a)
{
	const char *f = json_get_str(c, "first_name"), *l = json_get_str(c, "last_name");
	return str_trim(a, arena_printf(a, "%s %s", f ? f : "", l ? l : ""));
}

/* The address and name of attendee x; *email_r NULL when it has none. */
static int attendee_address(struct store *st, const json_t *x, struct arena *a,
			    const char **email_r, const char **name_r, json_t **all_r,
			    struct err *err)
{
	*email_r = json_get_str(x, "email");
	*name_r = json_get_str(x, "name");
	if (all_r)
		*all_r = NULL;
	const json_t *c = json_object_get(x, "contact_id"), *u = json_object_get(x, "user_id");
	if (c) {
		json_t *rec;
		int r = store_record_get(st, &contact_def, json_integer_value(c), a, &rec, err);
		if (r <= 0)
			return r;
		json_t *emails = json_object_get(rec, "emails");
		*email_r = json_string_value(json_array_get(emails, 0));
		*name_r = contact_name(rec, a);
		if (all_r)
			*all_r = emails;
	} else if (u) {
		struct user *usr;
		int r = store_user_get(st, json_integer_value(u), a, &usr, err);
		if (r <= 0)
			return r;
		*email_r = usr->email;
		*name_r = usr->name;
	}
	return 0;
}

/* Every attendee with an address other than skip, as iCalendar people. */
static int attendees_of(struct store *st, const json_t *m, const char *skip, struct arena *a,
			struct ics_person **people_r, size_t *n_r, struct err *err)
{
	const json_t *list = json_object_get(m, "attendees");
	struct ics_person *p = arena_alloc(a, (json_array_size(list) + 1) * sizeof(*p));
	size_t n = 0, i;
	const json_t *x;
	json_array_foreach(list, i, x)
	{
		const char *email, *name;
		if (attendee_address(st, x, a, &email, &name, NULL, err) < 0)
			return -1;
		if (!email || (skip && strcasecmp(email, skip) == 0))
			continue;
		p[n++] = (struct ics_person){email, name, json_get_str(x, "status")};
	}
	*people_r = p;
	*n_r = n;
	return 0;
}

/* ---- invitations and cancellations ---- */

/* Whether the meeting's invitations went out (invited_at is a time). */
static bool was_sent(const json_t *m)
{
	return meeting_time(json_object_get(m, "invited_at")) != 0;
}

static const char *base64(const char *data, struct arena *a)
{
	size_t n = strlen(data);
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *out = arena_alloc(a, len);
	sodium_bin2base64(out, len, (const unsigned char *)data, n, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

static const char *invite_text(const json_t *m, const char *method, const char *organizer,
			       struct arena *a)
{
	char when[MEETING_TIME_TEXT_MAX];
	meeting_time_text(meeting_time(json_object_get(m, "starts_at")),
			  json_get_str(m, "timezone"), when);
	const char *loc = json_get_str(m, "location"), *url = json_get_str(m, "url"),
		   *desc = json_get_str(m, "description");
	const char *head =
	    strcmp(method, "CANCEL") == 0
		? arena_printf(a, "This meeting is cancelled: %s", json_get_str(m, "title"))
		: arena_printf(a, "%s invites you to: %s", organizer, json_get_str(m, "title"));
	return arena_printf(a, "%s\n\nWhen: %s\n%s%s%s%s%s%s%s\n", head, when,
			    loc && *loc ? "Where: " : "", loc && *loc ? loc : "",
			    loc && *loc ? "\n" : "", url && *url ? "Join: " : "",
			    url && *url ? url : "", url && *url ? "\n" : "",
			    desc && *desc ? arena_printf(a, "\n%s\n", desc) : "");
}

/* Mails meeting m (a stored record, possibly already deleted) to its
   attendees with method, from the mailbox of actor, the user who causes the
   send (their own, else a shared one; only a shared one when actor is 0),
   never from the owner's when someone else acts. */
static int send_meeting(struct store *st, const json_t *m, const char *method, int64_t actor,
			int64_t now, struct arena *a, json_t **result_r, struct err *err)
{
	int64_t owner = json_integer_value(json_object_get(m, "owner_id"));
	int64_t id = json_integer_value(json_object_get(m, "id"));
	int64_t seq = json_integer_value(json_object_get(m, "sequence"));
	struct mail_account *from;
	struct user *u = NULL;
	int r = store_account_sender(st, actor, a, &from, err);
	if (r <= 0)
		return r < 0 ? -1
			     : err_set(err, ERR_INVALID,
				       "no mailbox to send the invitation from (connect one)");
	if (actor && store_user_get(st, actor, a, &u, err) < 0)
		return -1;
	struct ics_event ev = {m, {from->email, u ? u->name : NULL, NULL}, NULL, 0};
	struct ics_person *people;
	if (attendees_of(st, m, from->email, a, &people, &ev.nattendees, err) < 0)
		return -1;
	ev.attendees = people;
	if (!ev.nattendees)
		return err_set_field(err, ERR_INVALID, "attendees",
				     "no attendee has an email address to invite");
	const char *ics = ics_build(method, &ev, 1, now, a);
	const char *title = json_get_str(m, "title");
	char when[MEETING_TIME_TEXT_MAX];
	meeting_time_text(meeting_time(json_object_get(m, "starts_at")),
			  json_get_str(m, "timezone"), when);
	const char *subject =
	    strcmp(method, "CANCEL") == 0 ? arena_printf(a, "Cancelled: %s", title)
	    : seq > 0 ? arena_printf(a, "Updated invitation: %s @ %s", title, when)
		      : arena_printf(a, "Invitation: %s @ %s", title, when);
	json_t *to = json_in_arena(a, json_array());
	for (size_t i = 0; i < ev.nattendees; i++)
		json_array_append_new(to, json_string(people[i].email));
	int64_t deal = json_integer_value(json_object_get(m, "deal_id"));
	const char *organizer = u ? u->name : from->email;
	struct outbox_item it = {
	    .account_id = from->id,
	    .message_id = mail_message_id_new(a, deal, strrchr(from->email, '@') + 1),
	    .envelope_from = from->email,
	    .recipients = to,
	    .subject = (char *)subject,
	    .deal_id = deal,
	    .created_by = owner,
	    .caused_by = actor,
	    .draft = json_in_arena(
		a, json_pack(
		       "{s:s?, s:s, s:O, s:s, s:s, s:[{s:s, s:s, s:s}]}", "from_name",
		       u ? u->name : NULL, "from_addr", from->email, "to", to, "subject", subject,
		       "text", invite_text(m, method, organizer, a), "attachments", "filename",
		       strcmp(method, "CANCEL") == 0 ? "cancel.ics" : "invite.ics", "content_type",
		       arena_printf(a, "text/calendar; method=%s; charset=UTF-8", method),
		       "content", base64(ics, a))),
	};
	int64_t oid;
	if (store_outbox_enqueue(
		st, &it, arena_printf(a, "invite:%" PRId64 ":%" PRId64 ":%s", id, seq, method),
		&oid, err) < 0)
		return -1;
	if (result_r)
		*result_r = json_in_arena(a, json_pack("{s:s, s:I, s:I, s:O}", "method", method,
						       "sequence", (json_int_t)seq, "outbox_id",
						       (json_int_t)oid, "recipients", to));
	return 1;
}

int calendar_invite(struct store *st, int64_t meeting_id, const char *method, int64_t actor,
		    int64_t now, struct arena *a, json_t **result_r, struct err *err)
{
	json_t *m;
	if (store_tx_begin(st, err) < 0)
		return -1;
	int r = store_record_get(st, &meeting_def, meeting_id, a, &m, err);
	bool cancel = strcmp(method, "CANCEL") == 0;
	if (r == 1 && cancel && !was_sent(m))
		r = err_set(err, ERR_CONFLICT, "the meeting was never sent out: nothing to cancel");
	/* A cancellation, or sending again what changed since, is a new revision. */
	if (r == 1 && was_sent(m) &&
	    (store_meeting_sent(st, meeting_id, true, now, err) < 0 ||
	     store_record_get(st, &meeting_def, meeting_id, a, &m, err) < 0))
		r = -1;
	if (r == 1 && !cancel && strcmp(json_get_str(m, "status"), "cancelled") == 0)
		r = err_set(err, ERR_CONFLICT, "the meeting is cancelled");
	if (r == 1)
		r = send_meeting(st, m, method, actor, now, a, result_r, err);
	if (r == 1 && store_meeting_sent(st, meeting_id, false, now, err) < 0)
		r = -1;
	if (r != 1) {
		store_tx_rollback(st);
		return r;
	}
	return store_tx_commit(st, err) < 0 ? -1 : 1;
}

/* ---- reacting to events ---- */

/* The user who caused an event, 0 for Parley itself. */
static int64_t actor_of(const json_t *ev)
{
	return json_integer_value(json_object_get(ev, "actor_id"));
}

static bool same_people(const json_t *x, const json_t *y)
{
	static const char *const keys[] = {"user_id", "contact_id", "email"};
	if (json_array_size(x) != json_array_size(y))
		return false;
	for (size_t i = 0; i < json_array_size(x); i++)
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!json_equal(json_object_get(json_array_get(x, i), keys[k]),
					json_object_get(json_array_get(y, i), keys[k])) &&
			    (json_object_get(json_array_get(x, i), keys[k]) ||
			     json_object_get(json_array_get(y, i), keys[k])))
				return false;
	return true;
}

/* Whether a change matters to the people invited (an RSVP does not). */
static bool invitees_care(const json_t *changes)
{
	static const char *const keys[] = {"title",    "starts_at", "ends_at",	   "timezone",
					   "location", "url",	    "description", "status"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_get(changes, keys[i]))
			return true;
	const json_t *att = json_object_get(changes, "attendees");
	return att && !same_people(json_array_get(att, 0), json_array_get(att, 1));
}

static int on_meeting_updated(struct store *st, const json_t *ev, int64_t now, struct arena *a,
			      struct err *err)
{
	const json_t *changes = json_object_get(json_object_get(ev, "payload"), "changes");
	int64_t id = json_integer_value(json_object_get(ev, "entity_id"));
	json_t *m;
	if (!invitees_care(changes))
		return 0;
	int r = store_record_get(st, &meeting_def, id, a, &m, err);
	if (r <= 0 || !was_sent(m))
		return r < 0 ? -1 : 0;
	bool cancelled = strcmp(json_get_str(m, "status"), "cancelled") == 0;
	if (cancelled && !json_object_get(changes, "status"))
		return 0; /* edits to a cancelled meeting are nobody's business */
	if (store_meeting_sent(st, id, true, now, err) < 0 ||
	    store_record_get(st, &meeting_def, id, a, &m, err) < 0)
		return -1;
	struct err e2 = {0};
	if (send_meeting(st, m, cancelled ? "CANCEL" : "REQUEST", actor_of(ev), now, a, NULL, &e2) <
	    0) {
		if (e2.code != ERR_INVALID)
			return err_set(err, e2.code, "%s", e2.msg);
		log_warn("calendar: meeting %" PRId64 " not sent: %s", id, e2.msg);
	}
	return 1;
}

static int on_meeting_deleted(struct store *st, const json_t *ev, int64_t now, struct arena *a,
			      struct err *err)
{
	json_t *m = json_object_get(json_object_get(ev, "payload"), "record");
	if (!was_sent(m) ||
	    strcmp(json_get_str(m, "status") ? json_get_str(m, "status") : "", "cancelled") == 0)
		return 0;
	m = json_in_arena(a, json_deep_copy(m));
	json_object_set_new(m, "sequence",
			    json_integer(json_integer_value(json_object_get(m, "sequence")) + 1));
	struct err e2 = {0};
	if (send_meeting(st, m, "CANCEL", actor_of(ev), now, a, NULL, &e2) < 0) {
		if (e2.code != ERR_INVALID)
			return err_set(err, e2.code, "%s", e2.msg);
		log_warn("calendar: cancellation not sent: %s", e2.msg);
	}
	return 1;
}

/* An attendee's answer: their status on the meeting, and a word to its owner. */
static int apply_reply(struct store *st, const struct ics_reply *rp, struct arena *a,
		       struct err *err)
{
	int64_t id;
	json_t *m;
	int r = store_meeting_by_uid(st, rp->uid, &id, err);
	if (r == 1)
		r = store_record_get(st, &meeting_def, id, a, &m, err);
	if (r <= 0)
		return r;
	json_t *list = json_in_arena(a, json_deep_copy(json_object_get(m, "attendees")));
	size_t i;
	json_t *x;
	const char *who = NULL;
	json_array_foreach(list, i, x)
	{
		const char *email, *name;
		json_t *all;
		if (attendee_address(st, x, a, &email, &name, &all, err) < 0)
			return -1;
		bool hit = email && strcasecmp(email, rp->attendee) == 0;
		for (size_t k = 0; !hit && k < json_array_size(all); k++)
			hit = strcasecmp(json_string_value(json_array_get(all, k)), rp->attendee) ==
			      0;
		if (!hit)
			continue;
		who = name && *name ? name : rp->attendee;
		if (strcmp(json_get_str(x, "status"), rp->partstat) == 0)
			return 0;
		json_object_set_new(x, "status", json_string(rp->partstat));
		break;
	}
	if (!who) {
		log_info("calendar: a reply from %s is not from an attendee of meeting %" PRId64,
			 rp->attendee, id);
		return 0;
	}
	json_t *out, *ch = json_in_arena(a, json_pack("{s:O}", "attendees", list));
	if (store_record_update(st, &meeting_def, id, ch, 0, a, &out, err) < 0)
		return -1;
	int64_t owner = json_integer_value(json_object_get(m, "owner_id"));
	if (!owner)
		return 1;
	return store_notify(
		   st, owner, "calendar",
		   arena_printf(a, "%s %s: %s", who, rp->partstat, json_get_str(m, "title")), "",
		   arena_printf(a, "/calendar?meeting=%" PRId64, id), err) < 0
		   ? -1
		   : 1;
}

static bool is_calendar_part(const json_t *att)
{
	const char *ct = json_get_str(att, "content_type"), *fn = json_get_str(att, "filename");
	size_t n = fn ? strlen(fn) : 0;
	return (ct && (strncasecmp(ct, "text/calendar", 13) == 0 ||
		       strncasecmp(ct, "application/ics", 15) == 0)) ||
	       (n > 4 && strcasecmp(fn + n - 4, ".ics") == 0);
}

static int on_mail(struct store *st, const struct calendar_env *env, const json_t *ev,
		   struct arena *a, struct err *err)
{
	json_t *msg;
	struct mail_viewer all = {0, true};
	int64_t id = json_integer_value(json_object_get(ev, "entity_id"));
	int r = store_message_get(st, id, &all, a, &msg, err);
	if (r <= 0)
		return r;
	size_t i;
	json_t *att;
	int done = 0;
	json_array_foreach(json_object_get(msg, "attachments"), i, att)
	{
		char *data;
		size_t n;
		struct ics_reply rp;
		struct err e2 = {0};
		if (!is_calendar_part(att) ||
		    blob_get(env->blob_dir, json_get_str(att, "sha256"), a, &data, &n, &e2) < 0)
			continue;
		if (ics_parse_reply(arena_strndup(a, data, n), a, &rp, &e2) != 1)
			continue;
		r = apply_reply(st, &rp, a, err);
		if (r < 0)
			return -1;
		done += r;
	}
	return done;
}

static int h_updated(struct store *st, const struct calendar_env *env, const json_t *ev,
		     int64_t now, struct arena *a, struct err *err)
{
	return on_meeting_updated(st, ev, now, a, err);
}

static int h_deleted(struct store *st, const struct calendar_env *env, const json_t *ev,
		     int64_t now, struct arena *a, struct err *err)
{
	return on_meeting_deleted(st, ev, now, a, err);
}

static int h_mail(struct store *st, const struct calendar_env *env, const json_t *ev, int64_t now,
		  struct arena *a, struct err *err)
{
	return on_mail(st, env, ev, a, err);
}

/* The events the calendar reacts to. */
static const struct {
	const char *type;
	int (*fn)(struct store *st, const struct calendar_env *env, const json_t *ev, int64_t now,
		  struct arena *a, struct err *err);
} handlers[] = {
    {"meeting.updated", h_updated},
    {"meeting.deleted", h_deleted},
    {"email.received", h_mail},
};

static int intake(struct store *st, const struct calendar_env *env, int64_t now, struct arena *a,
		  int *done, struct err *err)
{
	json_t *cur, *events;
	int64_t last;
	int r = store_setting_get(st, CURSOR_KEY, a, &cur, err);
	if (r < 0)
		return -1;
	if (r == 0) { /* first start: history is not replayed */
		if (store_event_last(st, &last, err) < 0)
			return -1;
		return store_setting_set(st, CURSOR_KEY, json_in_arena(a, json_integer(last)), err);
	}
	int64_t cursor = json_integer_value(cur);
	if (store_event_list(st, cursor, CALENDAR_BATCH, a, &events, err) < 0)
		return -1;
	if (!json_array_size(events))
		return 0;
	if (store_tx_begin(st, err) < 0)
		return -1;
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		const char *type = json_get_str(ev, "type");
		for (size_t k = 0; k < sizeof(handlers) / sizeof(handlers[0]); k++) {
			if (strcmp(handlers[k].type, type) != 0)
				continue;
			int n = handlers[k].fn(st, env, ev, now, a, err);
			if (n < 0)
				goto fail;
			*done += n;
		}
		cursor = json_integer_value(json_object_get(ev, "id"));
	}
	if (store_setting_set(st, CURSOR_KEY, json_in_arena(a, json_integer(cursor)), err) < 0)
		goto fail;
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}

/* ---- reminders ---- */

static int remind_by_mail(struct store *st, const struct calendar_env *env, const json_t *m,
			  int64_t user, int64_t offset, const char *when, struct arena *a,
			  struct err *err)
{
	int64_t id = json_integer_value(json_object_get(m, "id"));
	const char *title = json_get_str(m, "title"), *loc = json_get_str(m, "location"),
		   *url = json_get_str(m, "url");
	const char *text = arena_printf(
	    a, "%s\n\nWhen: %s\n%s%s%s%s%s%s\nIn Parley: %s/calendar?meeting=%" PRId64 "\n", title,
	    when, loc && *loc ? "Where: " : "", loc && *loc ? loc : "", loc && *loc ? "\n" : "",
	    url && *url ? "Join: " : "", url && *url ? url : "", url && *url ? "\n" : "",
	    env->base_url ? env->base_url : "", id);
	/* From the user's own mailbox only if they made the meeting themselves. */
	int64_t maker = json_integer_value(json_object_get(m, "created_by"));
	return store_outbox_to_user(
	    st, user, maker ? maker : json_integer_value(json_object_get(m, "owner_id")),
	    arena_printf(a, "Reminder: %s at %s", title, when), text,
	    arena_printf(a, "remind:%" PRId64 ":%" PRId64 ":%" PRId64 ":%" PRId64, id, user,
			 meeting_time(json_object_get(m, "starts_at")), offset),
	    a, err);
}

/* The users to remind: the owner and every user attendee, once each. */
static size_t users_of(const json_t *m, int64_t *out, size_t max)
{
	size_t n = 0, i;
	const json_t *x;
	int64_t owner = json_integer_value(json_object_get(m, "owner_id"));
	if (owner)
		out[n++] = owner;
	json_array_foreach(json_object_get(m, "attendees"), i, x)
	{
		int64_t u = json_integer_value(json_object_get(x, "user_id"));
		bool dup = !u || !strcmp(json_get_str(x, "status"), "declined");
		for (size_t k = 0; k < n && !dup; k++)
			dup = out[k] == u;
		if (!dup && n < max)
			out[n++] = u;
	}
	return n;
}

static int remind_one(struct store *st, const struct calendar_env *env, const json_t *m,
		      int64_t now, struct arena *a, int *done, struct err *err)
{
	int64_t id = json_integer_value(json_object_get(m, "id"));
	int64_t starts = meeting_time(json_object_get(m, "starts_at"));
	int64_t users[MEETING_MAX_ATTENDEES + 1], smallest = -1;
	size_t nu = users_of(m, users, MEETING_MAX_ATTENDEES + 1), i;
	const json_t *o;
	json_array_foreach(json_object_get(m, "reminders"), i, o)
	{
		int64_t off = json_integer_value(o);
		if (starts - off * 60 <= now && (smallest < 0 || off < smallest))
			smallest = off;
	}
	if (smallest < 0)
		return 0;
	char when[MEETING_TIME_TEXT_MAX];
	meeting_time_text(starts, json_get_str(m, "timezone"), when);
	for (size_t k = 0; k < nu; k++) {
		/* Every due offset is marked; one reminder goes out for them. */
		bool fresh = false;
		json_array_foreach(json_object_get(m, "reminders"), i, o)
		{
			int64_t off = json_integer_value(o);
			if (starts - off * 60 > now)
				continue;
			int r = store_reminder_once(st, id, users[k], starts, off, now, err);
			if (r < 0)
				return -1;
			fresh |= r == 1;
		}
		if (!fresh)
			continue;
		const char *title =
		    arena_printf(a, "%s in %" PRId64 " min: %s",
				 strcmp(json_get_str(m, "kind"), "call") == 0 ? "Call" : "Meeting",
				 (starts - now + 59) / 60, json_get_str(m, "title"));
		if (store_notify(st, users[k], "calendar", title, when,
				 arena_printf(a, "/calendar?meeting=%" PRId64, id), err) < 0 ||
		    remind_by_mail(st, env, m, users[k], smallest, when, a, err) < 0)
			return -1;
		(*done)++;
	}
	return 0;
}

static int reminders(struct store *st, const struct calendar_env *env, int64_t now, struct arena *a,
		     int *done, struct err *err)
{
	json_t *ids;
	if (store_meeting_ids(st, now, now + (int64_t)MEETING_MAX_REMINDER_MIN * 60, true, a, &ids,
			      err) < 0)
		return -1;
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		json_t *m;
		if (store_tx_begin(st, err) < 0)
			return -1;
		int r = store_record_get(st, &meeting_def, json_integer_value(id), a, &m, err);
		if ((r == 1 && remind_one(st, env, m, now, a, done, err) < 0) || r < 0) {
			store_tx_rollback(st);
			return -1;
		}
		if (store_tx_commit(st, err) < 0)
			return -1;
	}
	return 0;
}

int calendar_step(struct store *st, const struct calendar_env *env, int64_t now, int *done_r,
		  struct err *err)
{
	struct arena *a = arena_new();
	*done_r = 0;
	int rc = intake(st, env, now, a, done_r, err);
	if (rc == 0)
		rc = reminders(st, env, now, a, done_r, err);
	arena_free(&a);
	return rc;
}

/* ---- feeds ---- */

static bool takes_part(const json_t *m, int64_t user)
{
	size_t i;
	const json_t *x;
	if (json_integer_value(json_object_get(m, "owner_id")) == user)
		return true;
	json_array_foreach(json_object_get(m, "attendees"), i,
			   x) if (json_integer_value(json_object_get(x, "user_id")) ==
				  user) return true;
	return false;
}

int calendar_feed(struct store *st, int64_t user_id, int64_t now, struct arena *a, char **ics_r,
		  struct err *err)
{
	json_t *ids;
	if (store_meeting_ids(st, now - (int64_t)CALENDAR_FEED_PAST_DAYS * 86400, INT64_MAX / 2,
			      false, a, &ids, err) < 0)
		return -1;
	struct ics_event *evs = arena_alloc(a, (json_array_size(ids) + 1) * sizeof(*evs));
	size_t n = 0, i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		json_t *m;
		if (n == FEED_MAX_MEETINGS)
			break;
		int r = store_record_get(st, &meeting_def, json_integer_value(id), a, &m, err);
		if (r < 0)
			return -1;
		if (r == 0 || !takes_part(m, user_id))
			continue;
		struct ics_person *people;
		evs[n] = (struct ics_event){m, {NULL, NULL, NULL}, NULL, 0};
		if (attendees_of(st, m, NULL, a, &people, &evs[n].nattendees, err) < 0)
			return -1;
		evs[n++].attendees = people;
	}
	*ics_r = ics_build("PUBLISH", evs, n, now, a);
	return 0;
}

int calendar_feed_token_new(struct store *st, int64_t user_id, struct arena *a, char **token_r,
			    struct err *err)
{
	char tok[ID_TOKEN_MAX], hash[65];
	id_random_hex(tok, ID_TOKEN_BYTES);
	id_sha256_hex(tok, hash);
	if (store_feed_set(st, user_id, hash, time_now(), err) < 0)
		return -1;
	*token_r = arena_strdup(a, tok);
	return 0;
}

int calendar_feed_token_user(struct store *st, const char *token, int64_t *user_r, struct err *err)
{
	char hash[65];
	id_sha256_hex(token, hash);
	return store_feed_user(st, hash, user_r, err);
}

int calendar_feed_token_revoke(struct store *st, int64_t user_id, struct err *err)
{
	return store_feed_set(st, user_id, NULL, 0, err);
}
