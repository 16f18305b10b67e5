/* Notes: a manager's free text on a contact, company or deal. */
#include "base/err.h"
#include "core/entity.h"
#include "base/banned.h"

static int note_check(json_t *rec, const json_t *merged, const struct entity_env *env,
		      struct err *err)
{
	if (json_is_integer(json_object_get(merged, "contact_id")) ||
	    json_is_integer(json_object_get(merged, "company_id")) ||
	    json_is_integer(json_object_get(merged, "deal_id")))
		return 0;
	return err_set_field(err, ERR_INVALID, "contact_id",
			     "a note needs one of 'contact_id', 'company_id' or 'deal_id'");
}

static const struct field_def note_fields[] = {
    {.name = "body", .type = FT_TEXT, .flags = FIELD_REQUIRED | FIELD_SEARCH, .max_len = 100000},
    {.name = "contact_id", .type = FT_REF, .filter = "contact", .ref = "contacts"},
    {.name = "company_id", .type = FT_REF, .filter = "company", .ref = "companies"},
    {.name = "deal_id", .type = FT_REF, .filter = "deal", .ref = "deals"},
    {.name = "mention_ids",
     .type = FT_REFLIST,
     .flags = FIELD_NOTNULL,
     .ref = "users",
     .dflt = "[]",
     .max_len = 50},
};

static const char *const creator_only[] = {"created_by", NULL};

const struct entity_def note_def = {
    .name = "note",
    .table = "notes",
    .fields = note_fields,
    .nfields = sizeof(note_fields) / sizeof(note_fields[0]),
    .perm_fields = creator_only,
    .check = note_check,
};
