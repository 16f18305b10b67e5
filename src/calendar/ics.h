/* iCalendar (RFC 5545, iTIP RFC 5546) with libical: invitations and
 * cancellations out, replies in, and the per-user feed. */
#ifndef CALENDAR_ICS_H
#define CALENDAR_ICS_H

#include <jansson.h>
#include <stdint.h>

struct arena;
struct err;

/* Who is invited, resolved to an address. */
struct ics_person {
	const char *email;
	const char *name;     /* or NULL */
	const char *partstat; /* "needs-action", "accepted", ... (API spelling) */
};

/* method: "REQUEST", "CANCEL" or "PUBLISH". meeting is the stored record
   (uid, sequence, title, starts_at, ...). organizer may have a NULL email
   (feeds). */
struct ics_event {
	const json_t *meeting;
	struct ics_person organizer;
	const struct ics_person *attendees;
	size_t nattendees;
};

/* A VCALENDAR with one VEVENT per event (and each time zone they use),
   CRLF-terminated lines, allocated in a. */
char *ics_build(const char *method, const struct ics_event *events, size_t n, int64_t now,
		struct arena *a);

/* What an attendee answered (METHOD:REPLY). */
struct ics_reply {
	char *uid;
	int sequence;
	char *attendee; /* lower-cased address without mailto: */
	char *partstat; /* API spelling */
};

/* Parses text as iCalendar. 1 and *r (allocated in a) when it is a REPLY
   with a UID and an attendee whose PARTSTAT Parley knows, 0 when it is
   iCalendar of another kind, -1 with err when it is not iCalendar. */
int ics_parse_reply(const char *text, struct arena *a, struct ics_reply *r, struct err *err);

/* What an iCalendar text says, as JSON for people and tests: {method,
   events: [{uid, sequence, summary, status, start (UTC), tzid, location,
   organizer, attendees: [{email, partstat}]}]}. -1 with err if it is not
   iCalendar. */
int ics_describe(const char *text, struct arena *a, json_t **out_r, struct err *err);

#endif
