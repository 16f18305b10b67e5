/* Automation rules over HTTP: the catalog of triggers and actions, CRUD,
 * the run log, and the ready scenarios switched on and off. Everyone may read
 * rules; admins change them. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "automation/automation.h"
#include "automation/scenarios.h"
#include "base/arena.h"
#include "base/json.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

static json_t *action_fields(const struct action_field *f)
{
	json_t *out = json_array();
	for (size_t i = 0; f && f[i].name; i++)
		json_array_append_new(out, json_pack("{s:ss:ss:bs:ss:s?}", "name", f[i].name,
						     "type", f[i].type, "required", f[i].required,
						     "label", f[i].label, "hint", f[i].hint));
	return out;
}

int h_rules_catalog(struct req *rq)
{
	json_t *t = json_array(), *a = json_array(), *o = json_array(), *f = json_array();
	for (size_t i = 0; triggers[i].name; i++)
		json_array_append_new(t, json_pack("{s:ss:s?s:ss:ss:s?}", "name", triggers[i].name,
						   "param", triggers[i].param, "summary",
						   triggers[i].summary, "label", triggers[i].label,
						   "param_label", triggers[i].param_label));
	for (size_t i = 0; actions[i].name; i++)
		json_array_append_new(a, json_pack("{ssssssso}", "name", actions[i].name, "summary",
						   actions[i].summary, "label", actions[i].label,
						   "fields", action_fields(actions[i].fields)));
	for (size_t i = 0; rule_ops[i].name; i++)
		json_array_append_new(
		    o, json_pack("{ssss}", "name", rule_ops[i].name, "label", rule_ops[i].label));
	for (size_t i = 0; rule_fields[i].path; i++)
		json_array_append_new(f,
				      json_pack("{ssssss}", "path", rule_fields[i].path, "label",
						rule_fields[i].label, "type", rule_fields[i].type));
	return req_json(rq, 200,
			json_pack("{sosososo}", "triggers", t, "actions", a, "operators", o,
				  "condition_fields", f));
}

int h_rules_list(struct req *rq)
{
	json_t *items;
	if (store_rule_list(rq->store, false, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

static int load(struct req *rq, int64_t *id_r, json_t **rule_r)
{
	if (req_param_id(rq, 0, id_r) < 0)
		return -1;
	int r = store_rule_get(rq->store, *id_r, rq->arena, rule_r, &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "rule %" PRId64 " not found", *id_r);
	return r < 0 ? -1 : 0;
}

int h_rules_create(struct req *rq)
{
	json_t *rec, *out;
	int64_t id;
	if (rule_validate(rq->store, rq->json, NULL, rq->arena, &rec, &rq->err) < 0 ||
	    store_rule_save(rq->store, 0, rec, rq->user->id, &id, &rq->err) < 0 ||
	    store_rule_get(rq->store, id, rq->arena, &out, &rq->err) < 0)
		return -1;
	req_add_header(rq, "Location", arena_printf(rq->arena, "/api/v1/rules/%" PRId64, id));
	return req_json(rq, 201, json_incref(out));
}

int h_rules_get(struct req *rq)
{
	int64_t id;
	json_t *rule;
	if (load(rq, &id, &rule) < 0)
		return -1;
	return req_json(rq, 200, json_incref(rule));
}

int h_rules_update(struct req *rq)
{
	int64_t id, got;
	json_t *old, *rec, *out;
	if (load(rq, &id, &old) < 0 ||
	    rule_validate(rq->store, rq->json, old, rq->arena, &rec, &rq->err) < 0 ||
	    store_rule_save(rq->store, id, rec, rq->user->id, &got, &rq->err) < 0 ||
	    store_rule_get(rq->store, id, rq->arena, &out, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_incref(out));
}

int h_rules_delete(struct req *rq)
{
	int64_t id;
	json_t *rule;
	if (load(rq, &id, &rule) < 0 || store_rule_delete(rq->store, id, &rq->err) < 0)
		return -1;
	rq->status = 204;
	return 0;
}

int h_rules_runs(struct req *rq)
{
	int64_t id;
	json_t *rule, *items;
	if (load(rq, &id, &rule) < 0 ||
	    store_rule_runs(rq->store, id, 200, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

int h_scenarios_list(struct req *rq)
{
	json_t *items;
	if (scenarios_list(rq->store, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

int h_scenarios_update(struct req *rq)
{
	const char *key = rq->nparams ? rq->params[0] : "";
	json_t *enabled = json_object_get(rq->json, "enabled"), *rule;
	if (!json_is_object(rq->json) || !json_is_boolean(enabled))
		return err_set_field(&rq->err, ERR_INVALID, "enabled",
				     "send {\"enabled\": true} or {\"enabled\": false}");
	int r =
	    scenario_set(rq->store, key, json_is_true(enabled), json_object_get(rq->json, "params"),
			 rq->user->id, rq->arena, &rule, &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "no ready scenario '%s'", key);
	return r < 0 ? -1 : req_json(rq, 200, json_incref(rule));
}
