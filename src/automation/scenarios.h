/* Ready scenarios: rules Parley ships, which a user switches on and off
 * (with their templates created on first use). */
#ifndef AUTOMATION_SCENARIOS_H
#define AUTOMATION_SCENARIOS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;
struct store;

/* Every scenario with its state: {key, title, summary, enabled, rule_id, params}. */
int scenarios_list(struct store *st, struct arena *a, json_t **items_r, struct err *err);

/* Switches scenario key on or off (creating its rule and templates the first
   time); params (may be NULL) replaces the rule's trigger params, e.g.
   {"hours": 24}. Returns 1 and *rule_r, 0 for an unknown key, -1. */
int scenario_set(struct store *st, const char *key, bool enabled, const json_t *params,
		 int64_t actor, struct arena *a, json_t **rule_r, struct err *err);

/* True if a ready scenario sends a template of that name (creating it when
   switched on, or using the one of that name that exists). */
bool scenario_ships_template(const char *name);

#endif
