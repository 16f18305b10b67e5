/* Companies: the organisations contacts work for; matched to mail by domain. */
#include "core/entity.h"
#include "base/banned.h"

static const struct field_def company_fields[] = {
    {.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED | FIELD_SEARCH, .max_len = 300},
    {.name = "domains",
     .type = FT_LIST,
     .flags = FIELD_INDEXED | FIELD_SEARCH | FIELD_NOTNULL,
     .filter = "domain",
     .dflt = "[]",
     .max_len = 50,
     .norm = norm_domain},
    {.name = "owner_id", .type = FT_REF, .filter = "owner", .ref = "users"},
    {.name = "notes", .type = FT_TEXT, .max_len = 100000},
    {.name = "custom", .type = FT_OBJECT, .flags = FIELD_NOTNULL, .dflt = "{}", .max_len = 65536},
};

static const char *const owner_only[] = {"owner_id", NULL};

const struct entity_def company_def = {
    .name = "company",
    .table = "companies",
    .fields = company_fields,
    .nfields = sizeof(company_fields) / sizeof(company_fields[0]),
    .perm_fields = owner_only,
    .has_timeline = true,
    .timeline_field = "company_ids",
};
