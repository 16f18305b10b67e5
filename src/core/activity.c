/* Activities: the one timeline record for every interaction, linked to any
 * number of contacts, companies and deals. */
#include "core/entity.h"
#include "base/banned.h"

static const char *const activity_kinds[] = {"email", "call", "chat",  "meeting", "note",
					     "task",  "sms",  "order", "system",  NULL};
static const char *const directions[] = {"inbound", "outbound", "internal", NULL};

static const struct field_def activity_fields[] = {
    {.name = "kind",
     .type = FT_ENUM,
     .flags = FIELD_REQUIRED,
     .filter = "kind",
     .values = activity_kinds},
    {.name = "channel", .type = FT_TEXT, .filter = "channel", .max_len = 100},
    {.name = "direction",
     .type = FT_ENUM,
     .flags = FIELD_NOTNULL,
     .filter = "direction",
     .dflt = "\"internal\"",
     .values = directions},
    {.name = "occurred_at", .type = FT_TIME, .flags = FIELD_NOTNULL, .dflt = "\"now\""},
    {.name = "actor_id", .type = FT_REF, .filter = "actor", .ref = "users"},
    {.name = "summary",
     .type = FT_TEXT,
     .flags = FIELD_SEARCH | FIELD_NOTNULL,
     .dflt = "\"\"",
     .max_len = 2000},
    {.name = "payload", .type = FT_OBJECT, .flags = FIELD_NOTNULL, .dflt = "{}", .max_len = 262144},
    {.name = "contact_ids",
     .type = FT_REFLIST,
     .flags = FIELD_NOTNULL,
     .filter = "contact",
     .ref = "contacts",
     .dflt = "[]",
     .max_len = 100},
    {.name = "company_ids",
     .type = FT_REFLIST,
     .flags = FIELD_NOTNULL,
     .filter = "company",
     .ref = "companies",
     .dflt = "[]",
     .max_len = 100},
    {.name = "deal_ids",
     .type = FT_REFLIST,
     .flags = FIELD_NOTNULL,
     .filter = "deal",
     .ref = "deals",
     .dflt = "[]",
     .max_len = 100},
    {.name = "source_entity", .type = FT_TEXT, .flags = FIELD_READONLY},
    {.name = "source_id", .type = FT_INT, .flags = FIELD_READONLY},
};

static const char *const activity_perm[] = {"actor_id", "created_by", NULL};

const struct entity_def activity_def = {
    .name = "activity",
    .table = "activities",
    .fields = activity_fields,
    .nfields = sizeof(activity_fields) / sizeof(activity_fields[0]),
    .perm_fields = activity_perm,
};
