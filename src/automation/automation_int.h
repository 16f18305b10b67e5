/* Private to automation/: what an action runs with. */
#ifndef AUTOMATION_AUTOMATION_INT_H
#define AUTOMATION_AUTOMATION_INT_H

#include <jansson.h>
#include <stdint.h>

#include "automation/tmpl/tmpl_context.h"

struct arena;
struct store;

struct automation_ctx {
	struct store *st;
	struct arena *a;
	const json_t *rule;  /* the fired rule */
	const json_t *event; /* the event that fired it */
	json_t *ctx;	     /* the template context (contact, deal, order, orders, user...) */
	struct tmpl_subject subj;
	const char *key; /* the job's idempotency key: actions pass it on (outbox) */
	int64_t now;
	const char *base_url;
	const char *mail_host; /* for Message-IDs */
};

/* Renders a short plain-text Mustache string (task titles, notifications) against c->ctx. */
char *automation_render_text(struct automation_ctx *c, const char *tmpl);

/* The user an action addresses: "owner" (the contact's or deal's owner, else
   the rule's creator), or a user id. 0 if there is none. */
int64_t automation_user(struct automation_ctx *c, const json_t *who);

/* Who caused the mail an action sends: the event's actor, else the rule's
   author. 0 if unknown. */
int64_t automation_cause(struct automation_ctx *c);

#endif
