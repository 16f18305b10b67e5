/* Tasks: things a manager has to do, by hand or created by a rule. */
#include "core/entity.h"
#include "base/banned.h"

static const char *const task_statuses[] = {"open", "done", "cancelled", NULL};
static const char *const task_sources[] = {"manual", "rule", NULL};

static const struct field_def task_fields[] = {
    {.name = "title", .type = FT_TEXT, .flags = FIELD_REQUIRED | FIELD_SEARCH, .max_len = 500},
    {.name = "description", .type = FT_TEXT, .flags = FIELD_SEARCH, .max_len = 100000},
    {.name = "due_at", .type = FT_TIME},
    {.name = "assignee_id", .type = FT_REF, .filter = "assignee", .ref = "users"},
    {.name = "status",
     .type = FT_ENUM,
     .flags = FIELD_NOTNULL,
     .filter = "status",
     .dflt = "\"open\"",
     .values = task_statuses},
    {.name = "source",
     .type = FT_ENUM,
     .flags = FIELD_NOTNULL,
     .filter = "source",
     .dflt = "\"manual\"",
     .values = task_sources},
    {.name = "contact_id", .type = FT_REF, .filter = "contact", .ref = "contacts"},
    {.name = "company_id", .type = FT_REF, .filter = "company", .ref = "companies"},
    {.name = "deal_id", .type = FT_REF, .filter = "deal", .ref = "deals"},
    {.name = "thread_id", .type = FT_REF, .filter = "thread", .ref = "threads"},
    {.name = "completed_at", .type = FT_TIME, .flags = FIELD_READONLY},
};

static const char *const task_perm[] = {"assignee_id", "created_by", NULL};

const struct entity_def task_def = {
    .name = "task",
    .table = "tasks",
    .fields = task_fields,
    .nfields = sizeof(task_fields) / sizeof(task_fields[0]),
    .perm_fields = task_perm,
};
