/* Settings: one JSON value per key, and the view of them validation needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/id.h"
#include "base/json.h"
#include "base/time.h"
#include "core/entity.h"
#include "store/store_int.h"
#include "base/banned.h"

/* How a setting is sealed at rest: the whole value ("unsubscribe.secret",
   kept as {"sealed": "v1:..."}), or one string field of an object (the OAuth
   clients' "client_secret", kept as "client_secret_sealed"). */
static const struct {
	const char *key, *field;
} sealed[] = {
    {"unsubscribe.secret", NULL},
    {"oauth.gmail", "client_secret"},
    {"oauth.outlook", "client_secret"},
};

static int sealed_index(const char *key)
{
	for (size_t i = 0; i < sizeof(sealed) / sizeof(sealed[0]); i++)
		if (strcmp(sealed[i].key, key) == 0)
			return (int)i;
	return -1;
}

static const char *sealed_field(struct arena *a, const char *field)
{
	return arena_printf(a, "%s_sealed", field);
}

/* v as stored for sealed[i] (v itself if there is nothing to seal). */
static int seal_value(int i, const json_t *v, struct arena *a, const json_t **out_r,
		      struct err *err)
{
	char *box;
	*out_r = v;
	if (!sealed[i].field) {
		char *plain = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		int r = plain ? store_seal(plain, a, &box, err) : -1;
		free(plain);
		if (r < 0)
			return -1;
		*out_r = json_in_arena(a, json_pack("{ss}", "sealed", box));
		return 0;
	}
	const char *secret = json_get_str(v, sealed[i].field);
	if (!json_is_object(v) || !secret)
		return 0;
	if (store_seal(secret, a, &box, err) < 0)
		return -1;
	json_t *c = json_in_arena(a, json_deep_copy(v));
	json_object_del(c, sealed[i].field);
	json_object_set_new(c, sealed_field(a, sealed[i].field), json_string(box));
	*out_r = c;
	return 0;
}

/* Opens what seal_value() made, in place; plain (older) values pass. */
static int open_value(int i, json_t **v, struct arena *a, struct err *err)
{
	char *plain;
	const char *box = sealed[i].field ? json_get_str(*v, sealed_field(a, sealed[i].field))
					  : json_get_str(*v, "sealed");
	if (!json_is_object(*v) || !box)
		return 0;
	if (store_unseal(box, a, &plain, err) < 0)
		return -1;
	if (!sealed[i].field) {
		*v = json_in_arena(a, json_loads(plain, JSON_DECODE_ANY, NULL));
		return *v ? 0 : err_set(err, ERR_INTERNAL, "a sealed setting holds invalid JSON");
	}
	json_object_del(*v, sealed_field(a, sealed[i].field));
	json_object_set_new(*v, sealed[i].field, json_string(plain));
	return 0;
}

static int setting_raw(struct store *st, const char *key, struct arena *a, json_t **value_r,
		       struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT value FROM settings WHERE key = ?", &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, key);
	int r = stmt_step(s, err);
	if (r == 1) {
		*value_r = json_in_arena(a, json_loads(stmt_text(s, 0), JSON_DECODE_ANY, NULL));
		if (!*value_r)
			r = err_set(err, ERR_INTERNAL, "setting '%s' holds invalid JSON", key);
	}
	stmt_free(&s);
	return r;
}

int store_setting_get(struct store *st, const char *key, struct arena *a, json_t **value_r,
		      struct err *err)
{
	int r = setting_raw(st, key, a, value_r, err);
	int i = sealed_index(key);
	if (r == 1 && i >= 0 && open_value(i, value_r, a, err) < 0)
		return -1;
	return r;
}

int store_setting_sealed_raw(struct store *st, const char *key, struct err *err)
{
	struct arena *a = arena_new();
	json_t *v;
	int i = sealed_index(key), r = setting_raw(st, key, a, &v, err);
	if (r == 1 && i >= 0)
		r = sealed[i].field ? !json_get_str(v, sealed[i].field)
				    : json_get_str(v, "sealed") != NULL;
	else if (r == 0)
		r = 1;
	arena_free(&a);
	return r;
}

static int setting_put(struct store *st, const char *key, const json_t *value, struct err *err);

int store_setting_set(struct store *st, const char *key, const json_t *value, struct err *err)
{
	int sx = sealed_index(key);
	struct arena *a = NULL;
	if (sx >= 0) {
		a = arena_new();
		if (seal_value(sx, value, a, &value, err) < 0) {
			arena_free(&a);
			return -1;
		}
	}
	int rc = setting_put(st, key, value, err);
	if (a)
		arena_free(&a);
	return rc;
}

static int setting_put(struct store *st, const char *key, const json_t *value, struct err *err)
{
	struct stmt *s;
	/* Delete then insert: portable where upsert syntax differs. */
	if (store_tx_begin(st, err) < 0)
		return -1;
	if (store_prepare(st, "DELETE FROM settings WHERE key = ?", &s, err) < 0)
		goto fail;
	stmt_bind_text(s, 1, key);
	int r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0 ||
	    store_prepare(st, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", &s,
			  err) < 0)
		goto fail;
	char *v = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	stmt_bind_text(s, 1, key);
	stmt_bind_text(s, 2, v);
	stmt_bind_int(s, 3, time_now());
	free(v);
	r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0)
		goto fail;
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}

int store_entity_env(struct store *st, struct arena *a, struct entity_env *env, struct err *err)
{
	json_t *v;
	env->stages = entity_default_stages;
	env->default_country_code = NULL;
	env->now = time_now();
	int r = store_setting_get(st, "pipeline", a, &v, err);
	if (r < 0)
		return -1;
	if (r == 1 && json_array_size(v) > 0) {
		const char **stages = arena_alloc(a, (json_array_size(v) + 1) * sizeof(*stages));
		for (size_t i = 0; i < json_array_size(v); i++)
			stages[i] = arena_strdup(a, json_string_value(json_array_get(v, i)));
		env->stages = stages;
	}
	r = store_setting_get(st, "default_country_code", a, &v, err);
	if (r < 0)
		return -1;
	if (r == 1 && json_is_string(v))
		env->default_country_code = arena_strdup(a, json_string_value(v));
	return 0;
}

int store_secret(struct store *st, const char *key, struct arena *a, char **secret_r,
		 struct err *err)
{
	json_t *v;
	int r = store_setting_get(st, key, a, &v, err);
	if (r < 0)
		return -1;
	if (r == 1 && json_is_string(v)) {
		*secret_r = arena_strdup(a, json_string_value(v));
		return 0;
	}
	char hex[ID_TOKEN_MAX];
	id_random_hex(hex, ID_TOKEN_BYTES);
	json_t *s = json_in_arena(a, json_string(hex));
	if (store_setting_set(st, key, s, err) < 0)
		return -1;
	*secret_r = arena_strdup(a, hex);
	return 0;
}

int store_settings_expire(struct store *st, const char *prefix, int64_t before, struct err *err)
{
	struct stmt *s;
	char like[128];
	snprintf(like, sizeof(like), "%s%%", prefix);
	if (store_prepare(st, "DELETE FROM settings WHERE key LIKE ? AND updated_at < ?", &s, err) <
	    0)
		return -1;
	stmt_bind_text(s, 1, like);
	stmt_bind_int(s, 2, before);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* The limits a setting may change (docs/api/settings.md). */
const struct setting_int setting_ints[] = {
    /* personal mailboxes a manager may own (admins and shared mailboxes: no limit) */
    {SETTING_MAX_ACCOUNTS, 5, 0, 1000},
    /* mailboxes synced at once (each holds a connection and a thread) */
    {SETTING_SYNC_SLOTS, 64, 1, 256},
    /* of those, at most this many for one owner's mailboxes */
    {SETTING_SYNC_SLOTS_USER, 3, 1, 256},
    /* how long a sync waits for a mail server to connect or answer */
    {SETTING_SYNC_TIMEOUT, 20, 2, 300},
    {NULL, 0, 0, 0},
};

const struct setting_int *setting_int_find(const char *key)
{
	for (size_t i = 0; setting_ints[i].key; i++)
		if (strcmp(setting_ints[i].key, key) == 0)
			return &setting_ints[i];
	return NULL;
}

int64_t store_setting_int(struct store *st, const char *key)
{
	const struct setting_int *d = setting_int_find(key);
	struct arena *a = arena_new();
	struct err e;
	json_t *v;
	int64_t n = d ? d->dflt : 0;
	if (d && store_setting_get(st, key, a, &v, &e) == 1 && json_is_integer(v) &&
	    json_integer_value(v) >= d->min && json_integer_value(v) <= d->max)
		n = json_integer_value(v);
	arena_free(&a);
	return n;
}
