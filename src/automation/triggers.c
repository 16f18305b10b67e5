/*
 * Every trigger a rule can name. To add one: a line here whose event is a
 * domain event some part of Parley writes (store_event_add), and, if the
 * trigger waits, its parameter ("hours" or "minutes"); then the plain words a
 * rule builder shows (the web UI's "When ..."). The scheduler fires the
 * rule when the event is read, or after the wait (email.unanswered checks then
 * that nobody answered).
 */
#include <string.h>

#include "automation/automation.h"
#include "base/banned.h"

const struct trigger triggers[] = {
    {"contact.created", "contact.created", NULL, "a contact is added", "a contact is added", NULL},
    {"contact.updated", "contact.updated", NULL, "a contact changes", "a contact changes", NULL},
    {"deal.created", "deal.created", NULL, "a deal is added", "a deal is added", NULL},
    {"deal.stage_changed", "deal.stage_changed", NULL, "a deal moves to another stage",
     "a deal moves to another stage", NULL},
    {"order.created", "order.created", NULL, "a purchase is recorded", "a purchase is recorded",
     NULL},
    {"task.created", "task.created", NULL, "a task is created", "a task is created", NULL},
    {"task.completed", "task.completed", NULL, "a task is done", "a task is done", NULL},
    {"note.created", "note.created", NULL, "a note is added", "a note is added", NULL},
    {"email.received", "email.received", NULL, "mail arrives from a client",
     "mail arrives from a client", NULL},
    {"email.sent", "email.sent", NULL, "mail to a client is sent", "mail to a client is sent",
     NULL},
    {"email.unanswered", "email.received", "hours",
     "a client's mail is still unanswered after params.hours",
     "a client's mail is still unanswered", "hours after it arrived"},
    {"meeting.upcoming", "meeting.scheduled", "minutes", "params.minutes before a meeting starts",
     "a meeting is about to start", "minutes before it starts"},
    {"call.missed", "call.missed", NULL, "a call from a client was missed",
     "a call from a client was missed", NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct trigger *trigger_find(const char *name)
{
	for (size_t i = 0; name && triggers[i].name; i++)
		if (strcmp(triggers[i].name, name) == 0)
			return &triggers[i];
	return NULL;
}
