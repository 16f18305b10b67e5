/* Deals: opportunities moving through the pipeline. The stages come from the
 * settings (entity_env); the default pipeline is below. */
#include "core/entity.h"
#include "base/banned.h"

const char *const entity_default_stages[] = {"new", "qualified", "proposal", "negotiation",
					     "won", "lost",	 NULL};

static const struct field_def deal_fields[] = {
    {.name = "title", .type = FT_TEXT, .flags = FIELD_REQUIRED | FIELD_SEARCH, .max_len = 300},
    {.name = "amount", .type = FT_INT, .flags = FIELD_NOTNULL, .dflt = "0", .min = 0},
    {.name = "currency", .type = FT_CURRENCY, .flags = FIELD_NOTNULL, .dflt = "\"USD\""},
    {.name = "stage", .type = FT_ENUM, .flags = FIELD_PIPELINE | FIELD_NOTNULL, .filter = "stage"},
    {.name = "contact_id", .type = FT_REF, .filter = "contact", .ref = "contacts"},
    {.name = "company_id", .type = FT_REF, .filter = "company", .ref = "companies"},
    {.name = "owner_id", .type = FT_REF, .filter = "owner", .ref = "users"},
    {.name = "expected_close", .type = FT_DATE},
    {.name = "closed_at", .type = FT_TIME, .flags = FIELD_READONLY},
};

static const char *const owner_only[] = {"owner_id", NULL};

const struct entity_def deal_def = {
    .name = "deal",
    .table = "deals",
    .fields = deal_fields,
    .nfields = sizeof(deal_fields) / sizeof(deal_fields[0]),
    .perm_fields = owner_only,
    .has_timeline = true,
    .timeline_field = "deal_ids",
};
