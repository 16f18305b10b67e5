/* Contacts: people Parley talks to. Validation rules and the field table. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/entity.h"
#include "base/banned.h"

#define CONTACT_MAX_TAG 64

static const char *const contact_stages[] = {"lead", "prospect", "customer", "churned", NULL};

int norm_tag(const json_t *in, const struct entity_env *env, struct arena *a, json_t **out_r,
	     struct err *err)
{
	if (!json_is_string(in))
		return err_set(err, ERR_INVALID, "a tag must be a string");
	char *t = str_lower(a, str_trim(a, json_string_value(in)));
	if (strlen(t) > CONTACT_MAX_TAG || !str_valid_utf8(t, strlen(t)) || strpbrk(t, ",;\r\n"))
		return err_set(err, ERR_INVALID,
			       "'%s' is not a tag (at most %d bytes, no commas or semicolons)", t,
			       CONTACT_MAX_TAG);
	*out_r = json_in_arena(a, json_string(t));
	return 0;
}

static bool has_text(const json_t *merged, const char *key)
{
	const char *s = json_get_str(merged, key);
	return s && *s;
}

/* A contact needs something to call them by: a name or an address. */
static int contact_check(json_t *rec, const json_t *merged, const struct entity_env *env,
			 struct err *err)
{
	if (has_text(merged, "first_name") || has_text(merged, "last_name") ||
	    json_array_size(json_object_get(merged, "emails")) > 0 ||
	    json_array_size(json_object_get(merged, "phones")) > 0)
		return 0;
	return err_set_field(err, ERR_INVALID, "first_name",
			     "a contact needs a first or last name, an email or a phone");
}

static const struct field_def contact_fields[] = {
    {.name = "first_name", .type = FT_TEXT, .flags = FIELD_SEARCH, .max_len = 200},
    {.name = "last_name", .type = FT_TEXT, .flags = FIELD_SEARCH, .max_len = 200},
    {.name = "emails",
     .type = FT_LIST,
     .flags = FIELD_INDEXED | FIELD_SEARCH | FIELD_NOTNULL,
     .filter = "email",
     .dflt = "[]",
     .max_len = 50,
     .norm = norm_email},
    {.name = "phones",
     .type = FT_LIST,
     .flags = FIELD_INDEXED | FIELD_SEARCH | FIELD_NOTNULL,
     .filter = "phone",
     .dflt = "[]",
     .max_len = 50,
     .norm = norm_phone},
    {.name = "messengers",
     .type = FT_OBJECT,
     .flags = FIELD_NOTNULL,
     .dflt = "{}",
     .max_len = 4096},
    {.name = "company_id", .type = FT_REF, .filter = "company", .ref = "companies"},
    {.name = "owner_id", .type = FT_REF, .filter = "owner", .ref = "users"},
    {.name = "tags",
     .type = FT_LIST,
     .flags = FIELD_INDEXED | FIELD_NOTNULL,
     .filter = "tag",
     .dflt = "[]",
     .max_len = 100,
     .norm = norm_tag},
    {.name = "custom", .type = FT_OBJECT, .flags = FIELD_NOTNULL, .dflt = "{}", .max_len = 65536},
    {.name = "stage",
     .type = FT_ENUM,
     .flags = FIELD_NOTNULL,
     .filter = "stage",
     .dflt = "\"lead\"",
     .values = contact_stages},
};

static const char *const owner_only[] = {"owner_id", NULL};

const struct entity_def contact_def = {
    .name = "contact",
    .table = "contacts",
    .fields = contact_fields,
    .nfields = sizeof(contact_fields) / sizeof(contact_fields[0]),
    .perm_fields = owner_only,
    .check = contact_check,
    .has_timeline = true,
    .timeline_field = "contact_ids",
};
