/* Calendar entries: meetings and scheduled calls, with a time zone, attendees
 * (users, contacts or bare addresses, each with an RSVP status), a place or a
 * link, a deal, and reminder offsets. The contacts among the attendees are
 * kept as contact_ids, so filters and timelines work as for other records. */
#include <stdio.h>
#include <string.h>

#include <libical/ical.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/address.h"
#include "core/entity.h"
#include "core/meeting.h"
#include "base/banned.h"

static const char *const kinds[] = {"meeting", "call", NULL};
static const char *const statuses[] = {"scheduled", "cancelled", NULL};
const char *const meeting_partstats[] = {"needs-action", "accepted", "declined", "tentative", NULL};

static bool one_of(const char *s, const char *const *set)
{
	for (size_t i = 0; s && set[i]; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

/* {user_id} | {contact_id} | {email, name?}, each with status (default
   needs-action). */
int norm_attendee(const json_t *in, const struct entity_env *env, struct arena *a, json_t **out_r,
		  struct err *err)
{
	if (!json_is_object(in))
		return err_set(
		    err, ERR_INVALID,
		    "an attendee is an object: {user_id}, {contact_id} or {email, name}");
	const char *key;
	const json_t *v;
	int who = 0;
	json_t *o = json_in_arena(a, json_object());
	json_object_foreach((json_t *)in, key, v)
	{
		if (strcmp(key, "user_id") == 0 || strcmp(key, "contact_id") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) <= 0)
				return err_set(err, ERR_INVALID, "'%s' must be a positive id", key);
			json_object_set_new(o, key, json_integer(json_integer_value(v)));
			who++;
		} else if (strcmp(key, "email") == 0) {
			json_t *e;
			if (norm_email(v, env, a, &e, err) < 0)
				return -1;
			json_object_set(o, key, e);
			who++;
		} else if (strcmp(key, "name") == 0) {
			const char *s = json_string_value(v);
			if (!s || strlen(s) > 200 || !str_valid_utf8(s, strlen(s)) ||
			    strpbrk(s, "\r\n"))
				return err_set(err, ERR_INVALID,
					       "'name' must be one line of at most 200 bytes");
			json_object_set_new(o, key, json_string(str_trim(a, s)));
		} else if (strcmp(key, "status") == 0) {
			if (!one_of(json_string_value(v), meeting_partstats))
				return err_set(
				    err, ERR_INVALID,
				    "'status' must be needs-action, accepted, declined or "
				    "tentative");
			json_object_set(o, key, (json_t *)v);
		} else {
			return err_set(err, ERR_INVALID, "unknown attendee field '%s'", key);
		}
	}
	if (who != 1)
		return err_set(err, ERR_INVALID,
			       "an attendee needs exactly one of user_id, contact_id or email");
	if (!json_object_get(o, "status"))
		json_object_set_new(o, "status", json_string("needs-action"));
	*out_r = o;
	return 0;
}

/* Minutes before the start, 0 to 4 weeks. */
static int norm_offset(const json_t *in, const struct entity_env *env, struct arena *a,
		       json_t **out_r, struct err *err)
{
	if (!json_is_integer(in) || json_integer_value(in) < 0 ||
	    json_integer_value(in) > MEETING_MAX_REMINDER_MIN)
		return err_set(err, ERR_INVALID, "a reminder is minutes before the start, 0 to %d",
			       MEETING_MAX_REMINDER_MIN);
	*out_r = json_in_arena(a, json_integer(json_integer_value(in)));
	return 0;
}

bool meeting_timezone_ok(const char *tz)
{
	return tz && (strcmp(tz, "UTC") == 0 || icaltimezone_get_builtin_timezone(tz) != NULL);
}

static bool same_person(const json_t *x, const json_t *y)
{
	static const char *const keys[] = {"user_id", "contact_id", "email"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const json_t *a = json_object_get(x, keys[i]), *b = json_object_get(y, keys[i]);
		if (a && b && json_equal(a, b))
			return true;
	}
	return false;
}

int64_t meeting_time(const json_t *v)
{
	int64_t t = 0;
	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_string(v) && time_parse_iso(json_string_value(v), &t) < 0)
		t = 0;
	return t;
}

void meeting_time_text(long long t, const char *tz, char out[MEETING_TIME_TEXT_MAX])
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	icaltimezone *utc = icaltimezone_get_utc_timezone();
	icaltimezone *zone = tz && strcmp(tz, "UTC") ? icaltimezone_get_builtin_timezone(tz) : NULL;
	struct icaltimetype it = icaltime_from_timet_with_zone((time_t)t, 0, utc);
	if (zone)
		it = icaltime_convert_to_zone(it, zone);
	snprintf(out, MEETING_TIME_TEXT_MAX, "%s %d %s %d, %02d:%02d (%s)",
		 wd[icaltime_day_of_week(it) - 1], it.day, mon[(it.month - 1) % 12], it.year,
		 it.hour, it.minute, zone ? tz : "UTC");
}

static int meeting_check(json_t *rec, const json_t *merged, const struct entity_env *env,
			 struct err *err)
{
	int64_t s = meeting_time(json_object_get(merged, "starts_at")),
		e = meeting_time(json_object_get(merged, "ends_at"));
	if (s && e && e < s)
		return err_set_field(err, ERR_INVALID, "ends_at",
				     "'ends_at' is before 'starts_at'");
	const char *tz = json_get_str(rec, "timezone");
	if (tz && !meeting_timezone_ok(tz))
		return err_set_field(err, ERR_INVALID, "timezone",
				     "'timezone' must be a time zone name such as Europe/Paris");
	const char *url = json_get_str(rec, "url");
	if (url && *url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return err_set_field(err, ERR_INVALID, "url", "'url' must be an http(s) link");
	const json_t *att = json_object_get(rec, "attendees");
	if (json_is_array(att)) {
		json_t *contacts = json_array();
		size_t i;
		const json_t *x;
		json_array_foreach(att, i, x)
		{
			for (size_t j = 0; j < i; j++)
				if (same_person(json_array_get(att, j), x)) {
					json_decref(contacts);
					return err_set_field(err, ERR_INVALID, "attendees",
							     "attendee %zu is listed twice", i);
				}
			const json_t *c = json_object_get(x, "contact_id");
			if (c)
				json_array_append(contacts, (json_t *)c);
		}
		json_object_set_new(rec, "contact_ids", contacts);
	}
	return 0;
}

static const struct field_def meeting_fields[] = {
    {.name = "title", .type = FT_TEXT, .flags = FIELD_REQUIRED | FIELD_SEARCH, .max_len = 500},
    {.name = "kind",
     .type = FT_ENUM,
     .flags = FIELD_NOTNULL,
     .filter = "kind",
     .dflt = "\"meeting\"",
     .values = kinds},
    {.name = "status",
     .type = FT_ENUM,
     .flags = FIELD_NOTNULL,
     .filter = "status",
     .dflt = "\"scheduled\"",
     .values = statuses},
    {.name = "starts_at", .type = FT_TIME, .flags = FIELD_REQUIRED},
    {.name = "ends_at", .type = FT_TIME, .flags = FIELD_REQUIRED},
    {.name = "timezone", .type = FT_TEXT, .flags = FIELD_NOTNULL, .dflt = "\"UTC\"", .max_len = 64},
    {.name = "location", .type = FT_TEXT, .flags = FIELD_SEARCH, .max_len = 500},
    {.name = "url", .type = FT_TEXT, .max_len = 2000},
    {.name = "description", .type = FT_TEXT, .flags = FIELD_SEARCH, .max_len = 100000},
    {.name = "owner_id", .type = FT_REF, .filter = "owner", .ref = "users"},
    {.name = "deal_id", .type = FT_REF, .filter = "deal", .ref = "deals"},
    {.name = "attendees",
     .type = FT_LIST,
     .flags = FIELD_NOTNULL,
     .dflt = "[]",
     .max_len = MEETING_MAX_ATTENDEES,
     .norm = norm_attendee},
    {.name = "reminders",
     .type = FT_LIST,
     .flags = FIELD_NOTNULL,
     .dflt = "[15]",
     .max_len = 10,
     .norm = norm_offset},
    {.name = "contact_ids",
     .type = FT_REFLIST,
     .flags = FIELD_READONLY,
     .filter = "contact",
     .ref = "contacts"},
    {.name = "uid", .type = FT_TEXT, .flags = FIELD_READONLY},
    {.name = "sequence", .type = FT_INT, .flags = FIELD_READONLY},
    {.name = "invited_at", .type = FT_TIME, .flags = FIELD_READONLY},
};

static const char *const meeting_perm[] = {"owner_id", "created_by", NULL};

const struct entity_def meeting_def = {
    .name = "meeting",
    .table = "meetings",
    .fields = meeting_fields,
    .nfields = sizeof(meeting_fields) / sizeof(meeting_fields[0]),
    .perm_fields = meeting_perm,
    .check = meeting_check,
};
