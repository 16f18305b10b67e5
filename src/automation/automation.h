/* Automation: rules that react to domain events (triggers), check conditions
 * against what Parley knows about the client, and act (actions): send a
 * template, create a task, notify, move a deal, tag, call a webhook. The
 * scheduler turns events into durable jobs and runs them exactly once each. */
#ifndef AUTOMATION_AUTOMATION_H
#define AUTOMATION_AUTOMATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;
struct store;

#define RULE_MAX_CONDITIONS    20
#define RULE_MAX_ACTIONS       10
#define RULE_MAX_DELAY_MINUTES (60 * 24 * 365)

/* One trigger: the domain event that fires it, and the parameter it takes. */
struct trigger {
	const char *name;  /* as rules name it: "order.created", "email.unanswered" */
	const char *event; /* the event type that starts it */
	const char *param; /* "hours" or "minutes" (a wait before it fires), or NULL */
	const char *summary;
	const char *label; /* plain words for a rule builder: "a deal moves to another stage" */
	const char
	    *param_label; /* the words after the parameter's number: "hours later", or NULL */
};

/* Every trigger; NULL-terminated by name. */
extern const struct trigger triggers[];
const struct trigger *trigger_find(const char *name);

struct automation_ctx; /* what an action runs with: see actions.c */

/* One field of an action as a rule builder shows it (GET /rules/catalog). */
struct action_field {
	const char *name; /* the key in the action's JSON; NULL ends a list */
	const char *type; /* text, mustache, number, user, stage, template, url, secret */
	bool required;
	const char *label; /* plain words: "Title" */
	const char *hint;  /* or NULL */
};

/* One action kind. */
struct action {
	const char *name; /* "send_template", "create_task", ... */
	const char *summary;
	/* Checks the action's JSON (name already checked); may normalise it. */
	int (*validate)(struct store *st, json_t *action, struct err *err);
	/* Runs it for one fired rule; ctx holds the rule, event and client context. */
	int (*run)(struct automation_ctx *c, const json_t *action, json_t *detail, struct err *err);
	const char *label;		   /* plain words: "Create a task" */
	const struct action_field *fields; /* its fields but type and delay_minutes */
};

extern const struct action actions[];
const struct action *action_find(const char *name);

/* The setting that lets managers change the templates automation sends
   (true/false; unset: only admins may). */
#define TEMPLATES_MANAGERS_SETTING "templates.managers_edit_automation"

/* Whether automation sends template id (0: none yet) or name (may be NULL):
   a rule, on or off, whose send_template names it, or a ready scenario that
   ships one of that name. 1, 0, -1. */
int automation_template_in_use(struct store *st, int64_t id, const char *name, struct arena *a,
			       struct err *err);

/* Validates a rule from a client (name, trigger, params, conditions, actions,
   enabled) into *rec_r (tied to a). For an update, old is the stored rule. */
int rule_validate(struct store *st, const json_t *in, const json_t *old, struct arena *a,
		  json_t **rec_r, struct err *err);

/* The comparisons conditions use, in plain words ("gte": "is at least");
   NULL-terminated by name. */
struct rule_op {
	const char *name;
	const char *label;
};
extern const struct rule_op rule_ops[];

/* Context paths a condition commonly looks at, in plain words, with the kind
   of value (text, number, stage, tags); any other dotted path works too.
   NULL-terminated by path. */
struct rule_field {
	const char *path; /* "deal.stage" */
	const char *label;
	const char *type;
};
extern const struct rule_field rule_fields[];

/* True if every condition holds in ctx (a JSON object: contact, deal, order,
   orders, company, event...). Conditions: [{field, op, value}], ops eq ne gt
   gte lt lte contains in exists. */
bool rule_conditions_hold(const json_t *conditions, const json_t *ctx);

#endif
