/* Settings: one JSON value per key, and the view of them validation needs. */
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

int store_setting_get(struct store *st, const char *key, struct arena *a, json_t **value_r,
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

int store_setting_set(struct store *st, const char *key, const json_t *value, struct err *err)
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
