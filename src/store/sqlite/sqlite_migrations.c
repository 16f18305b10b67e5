/* The SQLite schema as numbered, append-only migrations. Never edit a released
 * migration: add a new one at the end of migrations[]. */
#include "store/store_int.h"
#include "store/sqlite/sqlite_int.h"
#include "base/banned.h"

/* Columns every domain record has (kept in step with core/entity.c). */
#define RECORD_TAIL                                                     \
	"created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "     \
	"created_by INTEGER REFERENCES users(id) ON DELETE SET NULL"

static const char m1_core[] =
	"CREATE TABLE users ("
	" id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	" role TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, password_hash TEXT,"
	" created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
	"CREATE TABLE sessions ("
	" token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	" csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE api_tokens ("
	" id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"
	" user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,"
	" created_at BIGINT NOT NULL, last_used_at BIGINT);"
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL);"
	"CREATE TABLE companies ("
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, domains TEXT NOT NULL DEFAULT '[]',"
	" owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, notes TEXT,"
	" custom TEXT NOT NULL DEFAULT '{}', " RECORD_TAIL ");"
	"CREATE TABLE contacts ("
	" id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT,"
	" emails TEXT NOT NULL DEFAULT '[]', phones TEXT NOT NULL DEFAULT '[]',"
	" messengers TEXT NOT NULL DEFAULT '{}',"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	" tags TEXT NOT NULL DEFAULT '[]', custom TEXT NOT NULL DEFAULT '{}',"
	" stage TEXT NOT NULL DEFAULT 'lead', " RECORD_TAIL ");"
	"CREATE INDEX contacts_company ON contacts(company_id);"
	"CREATE INDEX contacts_owner ON contacts(owner_id);"
	"CREATE TABLE deals ("
	" id INTEGER PRIMARY KEY, title TEXT NOT NULL, amount BIGINT NOT NULL DEFAULT 0,"
	" currency TEXT NOT NULL DEFAULT 'USD', stage TEXT NOT NULL,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	" expected_close TEXT, closed_at BIGINT, " RECORD_TAIL ");"
	"CREATE INDEX deals_contact ON deals(contact_id);"
	"CREATE INDEX deals_company ON deals(company_id);"
	"CREATE TABLE deal_stage_history ("
	" id INTEGER PRIMARY KEY, deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,"
	" from_stage TEXT, to_stage TEXT NOT NULL, changed_at BIGINT NOT NULL,"
	" changed_by INTEGER REFERENCES users(id) ON DELETE SET NULL);"
	"CREATE INDEX deal_stage_history_deal ON deal_stage_history(deal_id);"
	"CREATE TABLE orders ("
	" id INTEGER PRIMARY KEY, contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE RESTRICT,"
	" deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,"
	" items TEXT NOT NULL DEFAULT '[]', total BIGINT NOT NULL, currency TEXT NOT NULL,"
	" placed_at BIGINT NOT NULL, status TEXT NOT NULL, " RECORD_TAIL ");"
	"CREATE INDEX orders_contact ON orders(contact_id);"
	"CREATE TABLE notes ("
	" id INTEGER PRIMARY KEY, body TEXT NOT NULL,"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL, " RECORD_TAIL ");"
	"CREATE TABLE tasks ("
	" id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT, due_at BIGINT,"
	" assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	" status TEXT NOT NULL DEFAULT 'open', source TEXT NOT NULL DEFAULT 'manual',"
	" contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
	" company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
	" deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,"
	" completed_at BIGINT, " RECORD_TAIL ");"
	"CREATE INDEX tasks_assignee ON tasks(assignee_id, status);"
	"CREATE TABLE activities ("
	" id INTEGER PRIMARY KEY, kind TEXT NOT NULL, channel TEXT, direction TEXT NOT NULL,"
	" occurred_at BIGINT NOT NULL, actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
	" summary TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL DEFAULT '{}',"
	" source_entity TEXT, source_id BIGINT, " RECORD_TAIL ");"
	"CREATE INDEX activities_source ON activities(source_entity, source_id);"
	"CREATE TABLE links ("
	" entity TEXT NOT NULL, record_id BIGINT NOT NULL, field TEXT NOT NULL, target_id BIGINT NOT NULL,"
	" PRIMARY KEY (entity, record_id, field, target_id));"
	"CREATE INDEX links_target ON links(field, target_id, record_id);"
	"CREATE TABLE list_values ("
	" entity TEXT NOT NULL, record_id BIGINT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);"
	"CREATE INDEX list_values_record ON list_values(entity, record_id);"
	"CREATE INDEX list_values_value ON list_values(entity, field, value);"
	"CREATE TABLE events ("
	" id INTEGER PRIMARY KEY, type TEXT NOT NULL, entity TEXT NOT NULL, entity_id BIGINT,"
	" actor_id INTEGER, payload TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL);"
	"CREATE INDEX events_type ON events(type, id);";

/*
 * Every migration, in order. To add one: append a line with the next number;
 * write the same change for PostgreSQL when that backend lands.
 */
static const struct store_migration migrations[] = {
	{ 1, "core", m1_core },
};

int sqlite_migrate(struct store *st, struct err *err)
{
	return store_apply_migrations(st, migrations,
				      (int)(sizeof(migrations) / sizeof(migrations[0])), err);
}
