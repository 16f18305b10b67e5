/* The calendar's work beyond storing meetings: invitations by mail
 * (iTIP REQUEST / CANCEL through the outbox), attendees' replies found in
 * synced mail, reminders, and each user's ICS feed. */
#ifndef CALENDAR_CALENDAR_H
#define CALENDAR_CALENDAR_H

#include <jansson.h>
#include <stdint.h>

struct arena;
struct err;
struct store;

#define CALENDAR_BATCH		100
#define CALENDAR_FEED_PAST_DAYS 90 /* how far back a feed goes */

struct calendar_env {
	const char *base_url; /* links in reminder mail */
	const char *blob_dir; /* where attachments (reply .ics files) are */
};

/* Sends the meeting's invitation (method "REQUEST") or cancellation
   ("CANCEL") to every attendee with an address, through the outbox, from the
   mailbox of actor (the user who sends it: their own, else a shared one;
   never the owner's when the owner is someone else); once per meeting,
   sequence and method. *result_r: {method, sequence, outbox_id, recipients}.
   1, 0 if the meeting does not exist, -1 (ERR_INVALID: no attendee address
   or no mailbox). */
int calendar_invite(struct store *st, int64_t meeting_id, const char *method, int64_t actor,
		    int64_t now, struct arena *a, json_t **result_r, struct err *err);

/* One pass: new events (changed or deleted meetings that were sent out are
   updated or cancelled by mail; replies in received mail update attendees)
   and due reminders (in-app, and by mail to the user through their mailbox).
   *done_r counts what was done. 0 or -1. */
int calendar_step(struct store *st, const struct calendar_env *env, int64_t now, int *done_r,
		  struct err *err);

/* User's meetings (owned or attended, from CALENDAR_FEED_PAST_DAYS ago on)
   as an iCalendar feed (METHOD:PUBLISH), allocated in a. */
int calendar_feed(struct store *st, int64_t user_id, int64_t now, struct arena *a, char **ics_r,
		  struct err *err);

/* A new secret for user's feed (the old one stops working); *token_r is
   allocated in a and shown once. The user whose token it is: 1 and *user_r,
   0 if none. */
int calendar_feed_token_new(struct store *st, int64_t user_id, struct arena *a, char **token_r,
			    struct err *err);
int calendar_feed_token_user(struct store *st, const char *token, int64_t *user_r, struct err *err);
int calendar_feed_token_revoke(struct store *st, int64_t user_id, struct err *err);

#endif
