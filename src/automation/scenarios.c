/*
 * The ready scenarios. To add one: a line in scenarios[] with the rule as JSON
 * (validated like any rule) and the templates it sends, if any.
 */
#include <string.h>

#include "automation/automation.h"
#include "automation/scenarios.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "store/store.h"
#include "base/banned.h"

struct scenario_template {
	const char *name, *subject, *body;
};

static const struct {
	const char *key, *title, *summary;
	const char *rule; /* JSON without name and enabled */
	struct scenario_template tmpl;
} scenarios[] = {
    {"thank_you",
     "Thank-you mail after a purchase",
     "When an order is recorded, the client gets a thank-you mail listing what they bought.",
     "{\"trigger\":\"order.created\",\"actions\":[{\"type\":\"send_template\","
     "\"template\":\"Thank you for your order\"}]}",
     {"Thank you for your order", "Thank you for your order, {{contact.first_name|there}}",
      "Hello {{contact.first_name|there}},\n\nthank you for your order. Here is what you "
      "bought:\n\n{{#order.items}}- {{qty}} × {{name}}\n{{/order.items}}\n\nTotal: "
      "**{{order.total_formatted}}**\n\nIf anything is not right, just reply to this "
      "mail.\n\n{{user.signature}}"}},
    {"meeting_reminder",
     "Reminder before a meeting",
     "An hour before a meeting, the client gets a reminder and the manager a notification.",
     "{\"trigger\":\"meeting.upcoming\",\"params\":{\"minutes\":60},\"actions\":["
     "{\"type\":\"send_template\",\"template\":\"Meeting reminder\"},"
     "{\"type\":\"notify\",\"user\":\"owner\",\"title\":\"Meeting soon: "
     "{{event.payload.title}}\"}]}",
     {"Meeting reminder", "Reminder: {{event.payload.title}}",
      "Hello {{contact.first_name|there}},\n\na reminder of our meeting "
      "**{{event.payload.title}}** on {{event.payload.starts_at_text}}.\n\n"
      "{{#event.payload.location}}Where: {{event.payload.location}}\n\n{{/event.payload.location}}"
      "{{#event.payload.url}}Join: {{event.payload.url}}\n\n{{/event.payload.url}}"
      "See you soon,\n\n{{user.signature}}"}},
    {"unanswered_followup",
     "Follow-up task for unanswered mail",
     "When a client's mail has no answer after 24 hours, the owner gets a task.",
     "{\"trigger\":\"email.unanswered\",\"params\":{\"hours\":24},\"actions\":["
     "{\"type\":\"create_task\",\"title\":\"Answer {{contact.name}}: {{event.payload.subject}}\","
     "\"due_in_hours\":4,\"assignee\":\"owner\"}]}",
     {NULL, NULL, NULL}},
    {"missed_call_task",
     "Task for a missed call",
     "When a client's call is missed, the owner gets a task to call back.",
     "{\"trigger\":\"call.missed\",\"actions\":[{\"type\":\"create_task\","
     "\"title\":\"Call back {{contact.name}}\",\"due_in_hours\":2,\"assignee\":\"owner\"}]}",
     {NULL, NULL, NULL}},
    {"welcome",
     "Welcome mail for a new contact",
     "A new contact with an email address gets a welcome mail from their owner.",
     "{\"trigger\":\"contact.created\",\"conditions\":[{\"field\":\"contact.email\","
     "\"op\":\"exists\",\"value\":true}],\"actions\":[{\"type\":\"send_template\","
     "\"template\":\"Welcome\"}]}",
     {"Welcome", "Welcome, {{contact.first_name|there}}",
      "Hello {{contact.first_name|there}},\n\nwelcome! I am {{user.name}} and I will be "
      "your contact here. Reply to this mail whenever you need anything.\n\n"
      "{{user.signature}}"}},
};

#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

bool scenario_ships_template(const char *name)
{
	for (size_t i = 0; name && i < NSCENARIOS; i++)
		if (scenarios[i].tmpl.name && strcmp(scenarios[i].tmpl.name, name) == 0)
			return true;
	return false;
}

static int find_rule(struct store *st, const char *key, struct arena *a, json_t **rule_r,
		     struct err *err)
{
	json_t *rules;
	size_t i;
	json_t *r;
	*rule_r = NULL;
	if (store_rule_list(st, false, a, &rules, err) < 0)
		return -1;
	json_array_foreach(rules, i, r)
	{
		const char *s = json_get_str(r, "scenario");
		if (s && strcmp(s, key) == 0)
			*rule_r = r;
	}
	return 0;
}

int scenarios_list(struct store *st, struct arena *a, json_t **items_r, struct err *err)
{
	json_t *items = json_in_arena(a, json_array()), *rule;
	for (size_t i = 0; i < NSCENARIOS; i++) {
		if (find_rule(st, scenarios[i].key, a, &rule, err) < 0)
			return -1;
		json_t *def = json_loads(scenarios[i].rule, 0, NULL);
		json_t *params =
		    rule ? json_object_get(rule, "params") : json_object_get(def, "params");
		json_array_append_new(
		    items,
		    json_pack("{sssssssbsoso}", "key", scenarios[i].key, "title",
			      scenarios[i].title, "summary", scenarios[i].summary, "enabled",
			      rule && json_is_true(json_object_get(rule, "enabled")), "rule_id",
			      rule ? json_incref(json_object_get(rule, "id")) : json_null(),
			      "params", params ? json_incref(params) : json_object()));
		json_decref(def);
	}
	*items_r = items;
	return 0;
}

static int ensure_template(struct store *st, const struct scenario_template *t, int64_t actor,
			   struct arena *a, struct err *err)
{
	json_t *found;
	int64_t id;
	if (!t->name)
		return 0;
	int r = store_template_by_name(st, t->name, a, &found, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	return store_template_create(st, t->name, t->subject, t->body, "markdown", actor, &id, err);
}

int scenario_set(struct store *st, const char *key, bool enabled, const json_t *params,
		 int64_t actor, struct arena *a, json_t **rule_r, struct err *err)
{
	size_t i = 0;
	json_t *rule, *rec;
	int64_t id;
	while (i < NSCENARIOS && strcmp(scenarios[i].key, key) != 0)
		i++;
	if (i == NSCENARIOS)
		return 0;
	if (ensure_template(st, &scenarios[i].tmpl, actor, a, err) < 0 ||
	    find_rule(st, key, a, &rule, err) < 0)
		return -1;
	json_t *in =
	    json_in_arena(a, rule ? json_object() : json_loads(scenarios[i].rule, 0, NULL));
	json_object_set_new(in, "enabled", json_boolean(enabled));
	if (!rule)
		json_object_set_new(in, "name", json_string(scenarios[i].title));
	if (params)
		json_object_set(in, "params", (json_t *)params);
	if (rule_validate(st, in, rule, a, &rec, err) < 0)
		return -1;
	json_object_set_new(rec, "scenario", json_string(key));
	if (store_rule_save(st, rule ? json_integer_value(json_object_get(rule, "id")) : 0, rec,
			    actor, &id, err) < 0 ||
	    store_rule_get(st, id, a, rule_r, err) < 0)
		return -1;
	return 1;
}
