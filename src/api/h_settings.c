/* Settings (the deal pipeline, the default phone country code, working
 * hours, OAuth clients) and the domain event feed. */
#include <ctype.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "automation/automation.h"
#include "automation/work_hours.h"
#include "base/arena.h"
#include "base/json.h"
#include "base/str.h"
#include "core/entity.h"
#include "store/store.h"
#include "base/banned.h"

#define PIPELINE_MAX_STAGES 20
#define STAGE_MAX_LEN	    40
#define EVENTS_MAX_LIMIT    1000

int h_settings_get(struct req *rq)
{
	struct entity_env env;
	if (store_entity_env(rq->store, rq->arena, &env, &rq->err) < 0)
		return -1;
	json_t *stages = json_array();
	for (size_t i = 0; env.stages[i]; i++)
		json_array_append_new(stages, json_string(env.stages[i]));
	json_t *out = json_pack("{s:o, s:s?}", "pipeline", stages, "default_country_code",
				env.default_country_code);
	json_t *wh;
	int has = store_setting_get(rq->store, WORK_HOURS_SETTING, rq->arena, &wh, &rq->err);
	if (has < 0) {
		json_decref(out);
		return -1;
	}
	json_object_set(out, WORK_HOURS_SETTING, has == 1 ? wh : json_null());
	json_t *tm;
	has = store_setting_get(rq->store, TEMPLATES_MANAGERS_SETTING, rq->arena, &tm, &rq->err);
	if (has < 0) {
		json_decref(out);
		return -1;
	}
	json_object_set_new(out, TEMPLATES_MANAGERS_SETTING,
			    json_boolean(has == 1 && json_is_true(tm)));
	for (size_t i = 0; setting_ints[i].key; i++)
		json_object_set_new(
		    out, setting_ints[i].key,
		    json_integer(store_setting_int(rq->store, setting_ints[i].key)));
	static const char *const presets[] = {"gmail", "outlook"};
	for (size_t i = 0; i < 2; i++) {
		json_t *c;
		const char *key = arena_printf(rq->arena, "oauth.%s", presets[i]);
		int r = store_setting_get(rq->store, key, rq->arena, &c, &rq->err);
		if (r < 0) {
			json_decref(out);
			return -1;
		}
		if (r == 1 && json_is_object(c)) { /* the client secret never leaves */
			json_t *shown = json_deep_copy(c);
			json_object_set_new(shown, "client_secret",
					    json_boolean(json_get_str(c, "client_secret") != NULL));
			json_object_set_new(out, key, shown);
		}
	}
	return req_json(rq, 200, out);
}

static int check_url(struct req *rq, const char *key, const json_t *v, bool required)
{
	const char *s = json_string_value(v);
	if (!v && !required)
		return 0;
	if (!s || strlen(s) > 2000 || (strncmp(s, "https://", 8) && strncmp(s, "http://", 7)))
		return err_set_field(&rq->err, ERR_INVALID, key, "'%s' must be an http(s) URL",
				     key);
	return 0;
}

static int check_oauth(struct req *rq, const char *key, const json_t *v)
{
	static const char *const keys[] = {"client_id",	    "client_secret",  "redirect_uri",
					   "auth_endpoint", "token_endpoint", NULL};
	const char *k;
	const json_t *x;
	if (!json_is_object(v))
		return err_set_field(&rq->err, ERR_INVALID, key,
				     "'%s' must be {client_id, client_secret, redirect_uri}", key);
	json_object_foreach((json_t *)v, k, x)
	{
		size_t i = 0;
		while (keys[i] && strcmp(keys[i], k))
			i++;
		if (!keys[i] || !json_is_string(x) || strlen(json_string_value(x)) > 2000)
			return err_set_field(&rq->err, ERR_INVALID, key,
					     "'%s.%s' is not allowed here", key, k);
	}
	if (!json_get_str(v, "client_id"))
		return err_set_field(&rq->err, ERR_INVALID, key, "'%s.client_id' is required", key);
	return check_url(rq, key, json_object_get(v, "redirect_uri"), true) < 0 ||
		       check_url(rq, key, json_object_get(v, "auth_endpoint"), false) < 0 ||
		       check_url(rq, key, json_object_get(v, "token_endpoint"), false) < 0
		   ? -1
		   : 0;
}

static int check_pipeline(struct req *rq, const json_t *v)
{
	size_t n = json_array_size(v);
	if (!json_is_array(v) || n < 2 || n > PIPELINE_MAX_STAGES)
		return err_set_field(&rq->err, ERR_INVALID, "pipeline",
				     "'pipeline' must be an array of 2 to %d stage names",
				     PIPELINE_MAX_STAGES);
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(v, i));
		bool ok = s && *s && strlen(s) <= STAGE_MAX_LEN;
		for (const char *p = s; ok && *p; p++)
			ok = islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
			     *p == '_' || *p == '-';
		for (size_t j = 0; ok && j < i; j++)
			ok = strcmp(s, json_string_value(json_array_get(v, j))) != 0;
		if (!ok)
			return err_set_field(&rq->err, ERR_INVALID, "pipeline",
					     "stage %zu must be a new name of lower-case letters, "
					     "digits, '-' or '_' (at most %d)",
					     i, STAGE_MAX_LEN);
	}
	return 0;
}

static int check_country_code(struct req *rq, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = s ? strlen(s) : 0;
	bool ok = json_is_null(v) || (n >= 1 && n <= 3 && s[0] != '0');
	for (size_t i = 0; ok && s && i < n; i++)
		ok = isdigit((unsigned char)s[i]);
	if (!ok)
		return err_set_field(&rq->err, ERR_INVALID, "default_country_code",
				     "'default_country_code' must be 1 to 3 digits such as \"44\", "
				     "or null");
	return 0;
}

/* The integer limits (store/store_settings.c setting_ints[]); null resets one. */
static int check_int_setting(struct req *rq, const char *key, const json_t *v)
{
	const struct setting_int *d = setting_int_find(key);
	if (json_is_null(v) || (json_is_integer(v) && json_integer_value(v) >= d->min &&
				json_integer_value(v) <= d->max))
		return 0;
	return err_set_field(&rq->err, ERR_INVALID, key,
			     "'%s' must be an integer from %lld to %lld", key, (long long)d->min,
			     (long long)d->max);
}

static int check_work_hours(struct req *rq, const json_t *v)
{
	struct work_hours wh;
	return json_is_null(v) ? 0 : work_hours_parse(v, &wh, &rq->err);
}

static int check_bool(struct req *rq, const char *key, const json_t *v)
{
	return json_is_boolean(v)
		   ? 0
		   : err_set_field(&rq->err, ERR_INVALID, key, "'%s' must be true or false", key);
}

int h_settings_update(struct req *rq)
{
	const char *key;
	json_t *v;
	if (!json_is_object(rq->json))
		return err_set(&rq->err, ERR_INVALID, "the request body must be a JSON object");
	json_object_foreach(rq->json, key, v)
	{
		if (strcmp(key, "pipeline") == 0 ? check_pipeline(rq, v) < 0
		    : (strcmp(key, "oauth.gmail") == 0 || strcmp(key, "oauth.outlook") == 0)
			? check_oauth(rq, key, v) < 0
		    : strcmp(key, "default_country_code") == 0	   ? check_country_code(rq, v) < 0
		    : strcmp(key, WORK_HOURS_SETTING) == 0	   ? check_work_hours(rq, v) < 0
		    : strcmp(key, TEMPLATES_MANAGERS_SETTING) == 0 ? check_bool(rq, key, v) < 0
		    : setting_int_find(key) ? check_int_setting(rq, key, v) < 0
					    : err_set_field(&rq->err, ERR_INVALID, key,
							    "unknown setting '%s'", key) < 0)
			return -1;
	}
	if (store_tx_begin(rq->store, &rq->err) < 0)
		return -1;
	json_object_foreach(rq->json, key, v)
	{
		if (store_setting_set(rq->store, key, v, &rq->err) < 0) {
			store_tx_rollback(rq->store);
			return -1;
		}
	}
	if (store_tx_commit(rq->store, &rq->err) < 0)
		return -1;
	return h_settings_get(rq);
}

int h_events_list(struct req *rq)
{
	int64_t after = 0, limit = 100;
	const char *a = req_query(rq, "after"), *l = req_query(rq, "limit");
	if (a && (str_to_int64(a, &after) < 0 || after < 0))
		return err_set_field(&rq->err, ERR_INVALID, "after", "'after' must be an event id");
	if (l && (str_to_int64(l, &limit) < 0 || limit < 1 || limit > EVENTS_MAX_LIMIT))
		return err_set_field(&rq->err, ERR_INVALID, "limit", "'limit' must be from 1 to %d",
				     EVENTS_MAX_LIMIT);
	json_t *items;
	if (store_event_list(rq->store, after, (size_t)limit, rq->arena, &items, &rq->err) < 0)
		return -1;
	size_t n = json_array_size(items);
	json_t *last = n ? json_object_get(json_array_get(items, n - 1), "id") : NULL;
	char *next = (size_t)limit == n && last
			 ? arena_printf(rq->arena, "%lld", (long long)json_integer_value(last))
			 : NULL;
	return req_json(rq, 200, json_pack("{s:Os:s?}", "items", items, "next_cursor", next));
}
