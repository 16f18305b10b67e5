/*
 * Every trigger a rule can name. To add one: a line here whose event is a
 * domain event some part of Parley writes (store_event_add), and, if the
 * trigger waits, its parameter ("hours" or "minutes"). The scheduler fires the
 * rule when the event is read, or after the wait (email.unanswered checks then
 * that nobody answered).
 */
#include <string.h>

#include "automation/automation.h"
#include "base/banned.h"

const struct trigger triggers[] = {
    {"contact.created", "contact.created", NULL, "a contact is added"},
    {"contact.updated", "contact.updated", NULL, "a contact changes"},
    {"deal.created", "deal.created", NULL, "a deal is added"},
    {"deal.stage_changed", "deal.stage_changed", NULL, "a deal moves to another stage"},
    {"order.created", "order.created", NULL, "a purchase is recorded"},
    {"task.created", "task.created", NULL, "a task is created"},
    {"task.completed", "task.completed", NULL, "a task is done"},
    {"note.created", "note.created", NULL, "a note is added"},
    {"email.received", "email.received", NULL, "mail arrives from a client"},
    {"email.sent", "email.sent", NULL, "mail to a client is sent"},
    {"email.unanswered", "email.received", "hours",
     "a client's mail is still unanswered after params.hours"},
    {"meeting.upcoming", "meeting.scheduled", "minutes", "params.minutes before a meeting starts"},
    {"call.missed", "call.missed", NULL, "a call from a client was missed"},
    {NULL, NULL, NULL, NULL},
};

const struct trigger *trigger_find(const char *name)
{
	for (size_t i = 0; name && triggers[i].name; i++)
		if (strcmp(triggers[i].name, name) == 0)
			return &triggers[i];
	return NULL;
}
