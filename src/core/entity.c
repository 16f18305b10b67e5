/* Validation of client input against the entity tables: types, limits,
 * defaults, normalisation. Pure: no I/O (references are checked by the store). */
#include <ctype.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/entity.h"
#include "base/banned.h"

/* Columns every record has besides its fields; never taken from input. */
static const char *const system_fields[] = {"id", "created_at", "updated_at", "created_by", NULL};

const struct entity_def *entity_find(const char *name)
{
	for (size_t i = 0; entities[i]; i++)
		if (strcmp(entities[i]->name, name) == 0 || strcmp(entities[i]->table, name) == 0)
			return entities[i];
	return NULL;
}

const struct field_def *entity_field(const struct entity_def *def, const char *name)
{
	for (size_t i = 0; i < def->nfields; i++)
		if (strcmp(def->fields[i].name, name) == 0)
			return &def->fields[i];
	return NULL;
}

static bool is_system_field(const char *name)
{
	for (size_t i = 0; system_fields[i]; i++)
		if (strcmp(system_fields[i], name) == 0)
			return true;
	return false;
}

static int bad(struct err *err, const struct field_def *f, const char *what)
{
	return err_set_field(err, ERR_INVALID, f->name, "'%s' %s", f->name, what);
}

static int check_text(const struct field_def *f, const json_t *v, struct arena *a, json_t **out,
		      struct err *err)
{
	if (!json_is_string(v))
		return bad(err, f, "must be a string");
	const char *s = json_string_value(v);
	if (!str_valid_utf8(s, json_string_length(v)))
		return bad(err, f, "must be valid UTF-8 without NUL bytes");
	char *t = str_trim(a, s);
	if (f->max_len && strlen(t) > f->max_len)
		return err_set_field(err, ERR_INVALID, f->name, "'%s' is longer than %zu bytes",
				     f->name, f->max_len);
	if ((f->flags & FIELD_REQUIRED) && !*t)
		return bad(err, f, "must not be empty");
	*out = json_string(t);
	return 0;
}

static int check_enum(const struct field_def *f, const json_t *v, const struct entity_env *env,
		      json_t **out, struct err *err)
{
	const char *const *values = (f->flags & FIELD_PIPELINE) ? env->stages : f->values;
	if (!json_is_string(v))
		return bad(err, f, "must be a string");
	for (size_t i = 0; values[i]; i++)
		if (strcmp(values[i], json_string_value(v)) == 0) {
			*out = json_string(values[i]);
			return 0;
		}
	char list[ERR_MSG_MAX / 2] = "";
	size_t n = 0;
	for (size_t i = 0; values[i] && n < sizeof(list) - 1; i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", values[i]);
	return err_set_field(err, ERR_INVALID, f->name, "'%s' must be one of: %s", f->name, list);
}

static int check_currency(const struct field_def *f, const json_t *v, json_t **out, struct err *err)
{
	const char *s = json_string_value(v);
	if (!s || strlen(s) != 3 || !isalpha((unsigned char)s[0]) ||
	    !isalpha((unsigned char)s[1]) || !isalpha((unsigned char)s[2]))
		return bad(err, f, "must be a three-letter ISO 4217 currency code");
	char up[4] = {(char)toupper((unsigned char)s[0]), (char)toupper((unsigned char)s[1]),
		      (char)toupper((unsigned char)s[2]), 0};
	*out = json_string(up);
	return 0;
}

static int check_time(const struct field_def *f, const json_t *v, json_t **out, struct err *err)
{
	int64_t t;
	if (json_is_integer(v)) {
		if (!time_in_range(json_integer_value(v)))
			return bad(err, f, "must be a time in the years 0001 to 9999");
		*out = json_integer(json_integer_value(v));
		return 0;
	}
	if (!json_is_string(v) || time_parse_iso(json_string_value(v), &t) < 0)
		return bad(err, f,
			   "must be an RFC 3339 time such as 2026-11-24T10:00:00Z (years 0001 to "
			   "9999)");
	*out = json_integer(t);
	return 0;
}

static int check_date(const struct field_def *f, const json_t *v, json_t **out, struct err *err)
{
	int64_t t;
	if (!json_is_string(v) || time_parse_date(json_string_value(v), &t) < 0)
		return bad(err, f, "must be a date such as 2026-11-24");
	*out = json_string(json_string_value(v));
	return 0;
}

static int check_list(const struct field_def *f, const json_t *v, const struct entity_env *env,
		      struct arena *a, json_t **out, struct err *err)
{
	if (!json_is_array(v))
		return bad(err, f, "must be an array");
	if (f->max_len && json_array_size(v) > f->max_len)
		return err_set_field(err, ERR_INVALID, f->name, "'%s' has more than %zu elements",
				     f->name, f->max_len);
	json_t *list = json_in_arena(a, json_array());
	size_t i;
	const json_t *el;
	json_array_foreach(v, i, el)
	{
		json_t *norm = NULL;
		if (f->type == FT_REFLIST) {
			if (!json_is_integer(el) || json_integer_value(el) <= 0)
				return err_set_field(err, ERR_INVALID, f->name,
						     "'%s' element %zu must be a positive id",
						     f->name, i);
			norm = json_incref((json_t *)el);
		} else if (f->norm) {
			struct err e2;
			if (f->norm(el, env, a, &norm, &e2) < 0)
				return err_set_field(err, ERR_INVALID, f->name,
						     "'%s' element %zu: %s", f->name, i, e2.msg);
			json_incref(norm);
		} else {
			if (!json_is_string(el))
				return err_set_field(err, ERR_INVALID, f->name,
						     "'%s' element %zu must be a string", f->name,
						     i);
			norm = json_string(str_trim(a, json_string_value(el)));
		}
		/* Lists are sets: a repeated element is dropped, the first kept. */
		bool dup = false;
		size_t j;
		const json_t *prev;
		json_array_foreach(list, j, prev) dup |= json_equal(prev, norm);
		if (dup || (json_is_string(norm) && !*json_string_value(norm)))
			json_decref(norm);
		else
			json_array_append_new(list, norm);
	}
	if ((f->flags & FIELD_REQUIRED) && json_array_size(list) == 0)
		return bad(err, f, "must not be empty");
	*out = json_incref(list);
	return 0;
}

/* Checks one present, non-null value; *out_r is a new reference. */
static int check_value(const struct field_def *f, const json_t *v, const struct entity_env *env,
		       struct arena *a, json_t **out, struct err *err)
{
	switch (f->type) {
	case FT_TEXT:
		return check_text(f, v, a, out, err);
	case FT_INT:
		if (!json_is_integer(v))
			return bad(err, f, "must be an integer");
		if (json_integer_value(v) < f->min)
			return err_set_field(err, ERR_INVALID, f->name,
					     "'%s' must be at least %lld", f->name, f->min);
		*out = json_integer(json_integer_value(v));
		return 0;
	case FT_BOOL:
		if (!json_is_boolean(v))
			return bad(err, f, "must be true or false");
		*out = json_boolean(json_is_true(v));
		return 0;
	case FT_TIME:
		return check_time(f, v, out, err);
	case FT_DATE:
		return check_date(f, v, out, err);
	case FT_REF:
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return bad(err, f, "must be a positive id");
		*out = json_integer(json_integer_value(v));
		return 0;
	case FT_ENUM:
		return check_enum(f, v, env, out, err);
	case FT_CURRENCY:
		return check_currency(f, v, out, err);
	case FT_OBJECT: {
		if (!json_is_object(v))
			return bad(err, f, "must be an object");
		char *s = json_dump_arena(a, v);
		if (f->max_len && strlen(s) > f->max_len)
			return err_set_field(err, ERR_INVALID, f->name,
					     "'%s' is larger than %zu bytes", f->name, f->max_len);
		*out = json_deep_copy(v);
		return 0;
	}
	case FT_LIST:
	case FT_REFLIST:
		return check_list(f, v, env, a, out, err);
	}
	return err_set(err, ERR_INTERNAL, "field '%s' has an unknown type", f->name);
}

static int apply_default(const struct field_def *f, const struct entity_env *env, json_t *rec,
			 struct err *err)
{
	if (f->flags & FIELD_PIPELINE) {
		json_object_set_new(rec, f->name, json_string(env->stages[0]));
		return 0;
	}
	if (f->type == FT_TIME && f->dflt && strcmp(f->dflt, "\"now\"") == 0) {
		json_object_set_new(rec, f->name, json_integer(env->now));
		return 0;
	}
	if (f->dflt) {
		json_t *d = json_loads(f->dflt, JSON_DECODE_ANY, NULL);
		if (!d)
			return err_set(err, ERR_INTERNAL, "bad default for '%s'", f->name);
		json_object_set_new(rec, f->name, d);
		return 0;
	}
	if (f->flags & FIELD_REQUIRED)
		return err_set_field(err, ERR_INVALID, f->name, "'%s' is required", f->name);
	return 0;
}

static int check_unknown(const struct entity_def *def, const json_t *input, struct err *err)
{
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)input, key, v)
	{
		if (!entity_field(def, key) && !is_system_field(key))
			return err_set_field(err, ERR_INVALID, key, "unknown field '%s' for a %s",
					     key, def->name);
	}
	return 0;
}

int entity_validate(const struct entity_def *def, const json_t *input, const json_t *old,
		    const struct entity_env *env, struct arena *a, json_t **rec_r, struct err *err)
{
	if (!json_is_object(input))
		return err_set(err, ERR_INVALID, "the request body must be a JSON object");
	if (check_unknown(def, input, err) < 0)
		return -1;
	json_t *rec = json_in_arena(a, json_object());
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		if (f->flags & FIELD_READONLY)
			continue;
		const json_t *v = json_object_get(input, f->name);
		if (!v) {
			if (!old && apply_default(f, env, rec, err) < 0)
				return -1;
			continue;
		}
		if (json_is_null(v)) {
			if (f->flags & (FIELD_REQUIRED | FIELD_NOTNULL))
				return err_set_field(err, ERR_INVALID, f->name,
						     "'%s' must not be null", f->name);
			json_object_set_new(rec, f->name, json_null());
			continue;
		}
		json_t *out = NULL;
		if (check_value(f, v, env, a, &out, err) < 0)
			return -1;
		json_object_set_new(rec, f->name, out);
	}
	if (def->check) {
		json_t *merged = json_in_arena(a, old ? json_deep_copy(old) : json_object());
		json_object_update(merged, rec);
		if (def->check(rec, merged, env, err) < 0)
			return -1;
	}
	*rec_r = rec;
	return 0;
}

const struct entity_def *const entities[] = {
    &company_def, &contact_def,	 &deal_def,    &order_def, &note_def,
    &task_def,	  &activity_def, &meeting_def, NULL,
};
