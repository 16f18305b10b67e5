/* Rules: validation of what clients send, and conditions evaluated against the
 * client's context. Pure but for template look-ups done by the actions. */
#include <string.h>

#include "automation/automation.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/banned.h"

const struct rule_op rule_ops[] = {
    {"eq", "is"},	    {"ne", "is not"},	   {"gt", "is more than"},   {"gte", "is at least"},
    {"lt", "is less than"}, {"lte", "is at most"}, {"contains", "contains"}, {"in", "is one of"},
    {"exists", "is set"},   {NULL, NULL},
};

const struct rule_field rule_fields[] = {
    {"deal.stage", "the deal's stage", "stage"},
    {"deal.amount", "the deal's amount (in cents)", "number"},
    {"deal.title", "the deal's title", "text"},
    {"contact.stage", "the contact's stage", "text"},
    {"contact.tags", "the contact's tags", "tags"},
    {"company.name", "the company's name", "text"},
    {"order.total", "the purchase's total (in cents)", "number"},
    {"orders.count", "the client's number of purchases", "number"},
    {"orders.total_spent", "what the client spent in all (in cents)", "number"},
    {"event.payload.subject", "the mail's subject", "text"},
    {NULL, NULL, NULL},
};

static bool known_op(const char *op)
{
	for (size_t i = 0; op && rule_ops[i].name; i++)
		if (strcmp(rule_ops[i].name, op) == 0)
			return true;
	return false;
}

/* The value at a dotted path ("deal.stage", "orders.last.total"), or NULL. */
static const json_t *lookup(const json_t *ctx, const char *path)
{
	char part[128];
	const json_t *v = ctx;
	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
		path += n + (path[n] == '.');
	}
	return v;
}

static int compare(const json_t *a, const json_t *b, bool *ok)
{
	*ok = true;
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);
		return x < y ? -1 : x > y;
	}
	if (json_is_string(a) && json_is_string(b))
		return strcmp(json_string_value(a), json_string_value(b));
	*ok = false;
	return 0;
}

static bool contains(const json_t *hay, const json_t *needle)
{
	size_t i;
	const json_t *v;
	if (json_is_array(hay)) {
		json_array_foreach(hay, i,
				   v) if (json_equal(v, needle) ||
					  (json_is_string(v) && json_is_string(needle) &&
					   str_eq_ci(json_string_value(v),
						     json_string_value(needle)))) return true;
		return false;
	}
	if (json_is_string(hay) && json_is_string(needle))
		return strstr(json_string_value(hay), json_string_value(needle)) != NULL;
	return false;
}

static bool holds(const json_t *cond, const json_t *ctx)
{
	const char *op = json_get_str(cond, "op");
	const json_t *v = lookup(ctx, json_get_str(cond, "field"));
	const json_t *want = json_object_get(cond, "value");
	bool ok;
	if (strcmp(op, "exists") == 0)
		return (v && !json_is_null(v)) == !json_is_false(want);
	if (!v)
		return strcmp(op, "ne") == 0;
	if (strcmp(op, "contains") == 0)
		return contains(v, want);
	if (strcmp(op, "in") == 0)
		return contains(want, v);
	if (strcmp(op, "eq") == 0)
		return json_equal(v, want);
	if (strcmp(op, "ne") == 0)
		return !json_equal(v, want);
	int c = compare(v, want, &ok);
	if (!ok)
		return false;
	return strcmp(op, "gt") == 0	? c > 0
	       : strcmp(op, "gte") == 0 ? c >= 0
	       : strcmp(op, "lt") == 0	? c < 0
					: c <= 0;
}

bool rule_conditions_hold(const json_t *conditions, const json_t *ctx)
{
	size_t i;
	const json_t *c;
	json_array_foreach(conditions, i, c) if (!holds(c, ctx)) return false;
	return true;
}

static int check_conditions(const json_t *conds, struct err *err)
{
	size_t i;
	const json_t *c;
	if (!json_is_array(conds) || json_array_size(conds) > RULE_MAX_CONDITIONS)
		return err_set_field(
		    err, ERR_INVALID, "conditions",
		    "'conditions' must be an array of at most %d {field, op, value}",
		    RULE_MAX_CONDITIONS);
	json_array_foreach(conds, i, c)
	{
		const char *f = json_get_str(c, "field");
		if (!json_is_object(c) || !f || !*f || strlen(f) > 100 ||
		    !known_op(json_get_str(c, "op")) ||
		    (!json_object_get(c, "value") && strcmp(json_get_str(c, "op"), "exists") != 0))
			return err_set_field(
			    err, ERR_INVALID, "conditions",
			    "condition %zu needs a field, an op (eq ne gt gte lt lte "
			    "contains in exists) and a value",
			    i);
	}
	return 0;
}

static int check_actions(struct store *st, json_t *acts, struct err *err)
{
	size_t i;
	json_t *ac;
	size_t n = json_array_size(acts);
	if (!json_is_array(acts) || n == 0 || n > RULE_MAX_ACTIONS)
		return err_set_field(err, ERR_INVALID, "actions",
				     "'actions' must be an array of 1 to %d actions",
				     RULE_MAX_ACTIONS);
	json_array_foreach(acts, i, ac)
	{
		const struct action *a = action_find(json_get_str(ac, "type"));
		struct err e2 = {0};
		if (!json_is_object(ac) || !a)
			return err_set_field(
			    err, ERR_INVALID, "actions",
			    "action %zu has an unknown type (send_template, "
			    "create_task, notify, set_deal_stage, add_tag, webhook)",
			    i);
		const json_t *d = json_object_get(ac, "delay_minutes");
		if (d && (!json_is_integer(d) || json_integer_value(d) < 0 ||
			  json_integer_value(d) > RULE_MAX_DELAY_MINUTES))
			return err_set_field(err, ERR_INVALID, "actions",
					     "action %zu: 'delay_minutes' must be 0 to %d", i,
					     RULE_MAX_DELAY_MINUTES);
		if (a->validate(st, ac, &e2) < 0)
			return err_set_field(err, e2.code, "actions", "action %zu (%s): %s", i,
					     a->name, e2.msg);
	}
	return 0;
}

static int check_params(const struct trigger *t, const json_t *params, struct err *err)
{
	if (!json_is_object(params))
		return err_set_field(err, ERR_INVALID, "params", "'params' must be an object");
	if (!t->param)
		return 0;
	const json_t *v = json_object_get(params, t->param);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 24 * 365 * 60)
		return err_set_field(err, ERR_INVALID, "params",
				     "trigger '%s' needs params.%s, a whole number", t->name,
				     t->param);
	return 0;
}

int rule_validate(struct store *st, const json_t *in, const json_t *old, struct arena *a,
		  json_t **rec_r, struct err *err)
{
	static const char *const keys[] = {"name",    "trigger", "params", "conditions",
					   "actions", "enabled", NULL};
	const char *key;
	const json_t *v;
	if (!json_is_object(in))
		return err_set(err, ERR_INVALID, "the request body must be a JSON object");
	json_object_foreach((json_t *)in, key, v)
	{
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], key) != 0)
			i++;
		if (!keys[i] && strcmp(key, "id") && strcmp(key, "scenario") &&
		    strcmp(key, "created_at") && strcmp(key, "updated_at"))
			return err_set_field(err, ERR_INVALID, key, "unknown field '%s'", key);
	}
	json_t *rec =
	    json_in_arena(a, old ? json_deep_copy(old)
				 : json_pack("{s{}s[]sb}", "params", "conditions", "enabled", 1));
	for (size_t i = 0; keys[i]; i++)
		if ((v = json_object_get(in, keys[i])))
			json_object_set(rec, keys[i], (json_t *)v);
	const char *name = json_get_str(rec, "name");
	const struct trigger *t = trigger_find(json_get_str(rec, "trigger"));
	if (!name || !*name || strlen(name) > 200)
		return err_set_field(err, ERR_INVALID, "name",
				     "'name' is required (at most 200 bytes)");
	if (!t)
		return err_set_field(
		    err, ERR_INVALID, "trigger",
		    "'trigger' must be one of the triggers (GET /api/v1/rules/catalog)");
	if (!json_is_boolean(json_object_get(rec, "enabled")))
		return err_set_field(err, ERR_INVALID, "enabled",
				     "'enabled' must be true or false");
	if (check_params(t, json_object_get(rec, "params"), err) < 0 ||
	    check_conditions(json_object_get(rec, "conditions"), err) < 0 ||
	    check_actions(st, json_object_get(rec, "actions"), err) < 0)
		return -1;
	*rec_r = rec;
	return 0;
}
