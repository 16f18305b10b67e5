/* iCalendar in and out with libical. Times are written in the meeting's own
 * time zone (DTSTART;TZID=...) with that zone's VTIMEZONE from libical's
 * built-in database, so a client shows "14:00 London" however it is set up;
 * UTC meetings are written as UTC. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "calendar/ics.h"
#include "core/meeting.h"
#include "base/banned.h"

#define PRODID "-//Parley//Parley CRM//EN"

static const struct {
	const char *api;
	icalparameter_partstat ical;
} partstats[] = {
    {"needs-action", ICAL_PARTSTAT_NEEDSACTION},
    {"accepted", ICAL_PARTSTAT_ACCEPTED},
    {"declined", ICAL_PARTSTAT_DECLINED},
    {"tentative", ICAL_PARTSTAT_TENTATIVE},
};

static icalparameter_partstat partstat_to_ical(const char *s)
{
	for (size_t i = 0; s && i < sizeof(partstats) / sizeof(partstats[0]); i++)
		if (strcmp(partstats[i].api, s) == 0)
			return partstats[i].ical;
	return ICAL_PARTSTAT_NEEDSACTION;
}

static const char *partstat_from_ical(icalparameter_partstat p)
{
	for (size_t i = 0; i < sizeof(partstats) / sizeof(partstats[0]); i++)
		if (partstats[i].ical == p)
			return partstats[i].api;
	return NULL;
}

static icaltimezone *zone_of(const json_t *m)
{
	const char *tz = json_get_str(m, "timezone");
	return tz && strcmp(tz, "UTC") ? icaltimezone_get_builtin_timezone(tz) : NULL;
}

static icalproperty *time_prop(icalproperty *(*make)(struct icaltimetype), int64_t t,
			       icaltimezone *zone)
{
	struct icaltimetype it =
	    icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
	if (!zone)
		return make(it);
	it = icaltime_convert_to_zone(it, zone);
	icalproperty *p = make(it);
	icalproperty_add_parameter(p, icalparameter_new_tzid(icaltimezone_get_tzid(zone)));
	return p;
}

static icalproperty *person(icalproperty *p, const struct ics_person *who, bool attendee)
{
	if (who->name && *who->name)
		icalproperty_add_parameter(p, icalparameter_new_cn(who->name));
	if (attendee) {
		icalproperty_add_parameter(p, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
		icalproperty_add_parameter(
		    p, icalparameter_new_partstat(partstat_to_ical(who->partstat)));
		icalproperty_add_parameter(p, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
	}
	return p;
}

static void add_text(icalcomponent *ev, icalproperty *(*make)(const char *), const json_t *m,
		     const char *key)
{
	const char *v = json_get_str(m, key);
	if (v && *v)
		icalcomponent_add_property(ev, make(v));
}

static icalcomponent *vevent(const char *method, const struct ics_event *e, int64_t now,
			     struct arena *a)
{
	const json_t *m = e->meeting;
	icaltimezone *zone = zone_of(m);
	bool cancelled =
	    strcmp(method, "CANCEL") == 0 ||
	    strcmp(json_get_str(m, "status") ? json_get_str(m, "status") : "", "cancelled") == 0;
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalcomponent_add_property(ev, icalproperty_new_uid(json_get_str(m, "uid")));
	icalcomponent_add_property(
	    ev, icalproperty_new_sequence((int)json_integer_value(json_object_get(m, "sequence"))));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
					   (time_t)now, 0, icaltimezone_get_utc_timezone())));
	icalcomponent_add_property(ev,
				   time_prop(icalproperty_new_dtstart,
					     meeting_time(json_object_get(m, "starts_at")), zone));
	icalcomponent_add_property(
	    ev,
	    time_prop(icalproperty_new_dtend, meeting_time(json_object_get(m, "ends_at")), zone));
	add_text(ev, icalproperty_new_summary, m, "title");
	add_text(ev, icalproperty_new_location, m, "location");
	add_text(ev, icalproperty_new_url, m, "url");
	add_text(ev, icalproperty_new_description, m, "description");
	icalcomponent_add_property(
	    ev, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	if (e->organizer.email)
		icalcomponent_add_property(ev, person(icalproperty_new_organizer(arena_printf(
							  a, "mailto:%s", e->organizer.email)),
						      &e->organizer, false));
	for (size_t i = 0; i < e->nattendees; i++)
		icalcomponent_add_property(ev, person(icalproperty_new_attendee(arena_printf(
							  a, "mailto:%s", e->attendees[i].email)),
						      &e->attendees[i], true));
	return ev;
}

char *ics_build(const char *method, const struct ics_event *events, size_t n, int64_t now,
		struct arena *a)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(
	    cal, icalproperty_new_method(strcmp(method, "REQUEST") == 0	 ? ICAL_METHOD_REQUEST
					 : strcmp(method, "CANCEL") == 0 ? ICAL_METHOD_CANCEL
									 : ICAL_METHOD_PUBLISH));
	/* Each zone once, before the events that use it. */
	icaltimezone *seen[16];
	size_t nseen = 0;
	for (size_t i = 0; i < n; i++) {
		icaltimezone *z = zone_of(events[i].meeting);
		bool dup = false;
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = seen[j] == z;
		if (!z || dup)
			continue;
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = z;
		/* Only the rules from the first of these events on (the full
		   history of a zone is a hundred rules). */
		int64_t first = meeting_time(json_object_get(events[i].meeting, "starts_at"));
		for (size_t j = i + 1; j < n; j++)
			if (zone_of(events[j].meeting) == z &&
			    meeting_time(json_object_get(events[j].meeting, "starts_at")) < first)
				first =
				    meeting_time(json_object_get(events[j].meeting, "starts_at"));
		icalcomponent *vtz = icalcomponent_new_clone(icaltimezone_get_component(z));
		icaltimezone_truncate_vtimezone(
		    vtz,
		    icaltime_from_timet_with_zone((time_t)(first - 366 * 86400), 0,
						  icaltimezone_get_utc_timezone()),
		    icaltime_null_time(), 1);
		icalcomponent_add_component(cal, vtz);
	}
	for (size_t i = 0; i < n; i++)
		icalcomponent_add_component(cal, vevent(method, &events[i], now, a));
	char *s = icalcomponent_as_ical_string_r(cal);
	char *out = arena_strdup(a, s ? s : "");
	icalmemory_free_buffer(s);
	icalcomponent_free(cal);
	return out;
}

static char *address_of(const char *v, struct arena *a)
{
	if (!v)
		return NULL;
	if (strncasecmp(v, "mailto:", 7) == 0)
		v += 7;
	char *s = str_trim(a, v);
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return *s ? s : NULL;
}

int ics_parse_reply(const char *text, struct arena *a, struct ics_reply *r, struct err *err)
{
	memset(r, 0, sizeof(*r));
	icalerror_set_errors_are_fatal(0);
	icalcomponent *cal = icalparser_parse_string(text);
	if (!cal)
		return err_set(err, ERR_INVALID, "not iCalendar");
	int rc = 0;
	icalcomponent *ev = icalcomponent_isa(cal) == ICAL_VEVENT_COMPONENT
				? cal
				: icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	icalproperty *mp = icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY);
	if (!ev || !mp || icalproperty_get_method(mp) != ICAL_METHOD_REPLY)
		goto out;
	const char *uid = icalcomponent_get_uid(ev);
	icalproperty *att = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	icalparameter *ps =
	    att ? icalproperty_get_first_parameter(att, ICAL_PARTSTAT_PARAMETER) : NULL;
	const char *stat = ps ? partstat_from_ical(icalparameter_get_partstat(ps)) : NULL;
	char *who = att ? address_of(icalproperty_get_attendee(att), a) : NULL;
	if (!uid || !*uid || !who || !stat)
		goto out;
	icalproperty *sq = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
	r->uid = arena_strdup(a, uid);
	r->sequence = sq ? icalproperty_get_sequence(sq) : 0;
	r->attendee = who;
	r->partstat = arena_strdup(a, stat);
	rc = 1;
out:
	icalcomponent_free(cal);
	return rc;
}

static json_t *describe_event(icalcomponent *ev, struct arena *a)
{
	icalproperty *p;
	json_t *atts = json_array();
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p;
	     p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
		icalparameter *ps = icalproperty_get_first_parameter(p, ICAL_PARTSTAT_PARAMETER);
		const char *stat = ps ? partstat_from_ical(icalparameter_get_partstat(ps)) : NULL;
		json_array_append_new(atts, json_pack("{s:s?, s:s?}", "email",
						      address_of(icalproperty_get_attendee(p), a),
						      "partstat", stat));
	}
	struct icaltimetype start = icalcomponent_get_dtstart(ev);
	icalproperty *dt = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	icalparameter *tz = dt ? icalproperty_get_first_parameter(dt, ICAL_TZID_PARAMETER) : NULL;
	icalproperty *org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	icalproperty *sq = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
	icalproperty *st = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY);
	char when[32] = "";
	if (!icaltime_is_null_time(start)) {
		time_t t = icaltime_as_timet_with_zone(
		    start, start.zone ? start.zone : icaltimezone_get_utc_timezone());
		struct icaltimetype u =
		    icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
		if (time_in_range((int64_t)t) && u.year >= 1 && u.year <= 9999)
			snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02dZ", u.year,
				 u.month, u.day, u.hour, u.minute, u.second);
	}
	return json_pack(
	    "{s:s?, s:i, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o}", "uid",
	    icalcomponent_get_uid(ev), "sequence", sq ? icalproperty_get_sequence(sq) : 0,
	    "summary", icalcomponent_get_summary(ev), "status",
	    st ? icalproperty_status_to_string(icalproperty_get_status(st)) : NULL, "start",
	    *when ? when : NULL, "tzid", tz ? icalparameter_get_tzid(tz) : NULL, "location",
	    icalcomponent_get_location(ev), "organizer",
	    org ? address_of(icalproperty_get_organizer(org), a) : NULL, "attendees", atts);
}

int ics_describe(const char *text, struct arena *a, json_t **out_r, struct err *err)
{
	icalerror_set_errors_are_fatal(0);
	icalcomponent *cal = icalparser_parse_string(text);
	if (!cal)
		return err_set(err, ERR_INVALID, "not iCalendar");
	if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		icalcomponent_free(cal);
		return err_set(err, ERR_INVALID, "not an iCalendar VCALENDAR");
	}
	icalproperty *mp = icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY);
	json_t *evs = json_array();
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		json_array_append_new(evs, describe_event(ev, a));
	*out_r = json_in_arena(
	    a, json_pack("{s:s?, s:o}", "method",
			 mp ? icalproperty_method_to_string(icalproperty_get_method(mp)) : NULL,
			 "events", evs));
	icalcomponent_free(cal);
	return 0;
}
