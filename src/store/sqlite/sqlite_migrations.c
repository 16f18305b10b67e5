/* The SQLite schema as numbered, append-only migrations. Never edit a released
 * migration: add a new one at the end of migrations[]. */
#include "store/store_int.h"
#include "store/sqlite/sqlite_int.h"
#include "base/banned.h"

/* Columns every domain record has (kept in step with core/entity.c). */
#define RECORD_TAIL                                                                                \
	"created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "                                 \
	"created_by INTEGER REFERENCES users(id) ON DELETE SET NULL"

static const char m1_core[] =
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " role TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, password_hash TEXT,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE sessions ("
    " token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE api_tokens ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, token_hash TEXT NOT NULL UNIQUE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,"
    " created_at BIGINT NOT NULL, last_used_at BIGINT);"
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE companies ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, domains TEXT NOT NULL DEFAULT '[]',"
    " owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, notes TEXT,"
    " custom TEXT NOT NULL DEFAULT '{}', " RECORD_TAIL ");"
    "CREATE TABLE contacts ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, first_name TEXT, last_name TEXT,"
    " emails TEXT NOT NULL DEFAULT '[]', phones TEXT NOT NULL DEFAULT '[]',"
    " messengers TEXT NOT NULL DEFAULT '{}',"
    " company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
    " owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " tags TEXT NOT NULL DEFAULT '[]', custom TEXT NOT NULL DEFAULT '{}',"
    " stage TEXT NOT NULL DEFAULT 'lead', " RECORD_TAIL ");"
    "CREATE INDEX contacts_company ON contacts(company_id);"
    "CREATE INDEX contacts_owner ON contacts(owner_id);"
    "CREATE TABLE deals ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, amount BIGINT NOT NULL DEFAULT 0,"
    " currency TEXT NOT NULL DEFAULT 'USD', stage TEXT NOT NULL,"
    " contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
    " company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
    " owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " expected_close TEXT, closed_at BIGINT, " RECORD_TAIL ");"
    "CREATE INDEX deals_contact ON deals(contact_id);"
    "CREATE INDEX deals_company ON deals(company_id);"
    "CREATE TABLE deal_stage_history ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, deal_id INTEGER NOT NULL REFERENCES deals(id) ON "
    "DELETE CASCADE,"
    " from_stage TEXT, to_stage TEXT NOT NULL, changed_at BIGINT NOT NULL,"
    " changed_by INTEGER REFERENCES users(id) ON DELETE SET NULL);"
    "CREATE INDEX deal_stage_history_deal ON deal_stage_history(deal_id);"
    "CREATE TABLE orders ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT NULL REFERENCES contacts(id) ON "
    "DELETE RESTRICT,"
    " deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,"
    " items TEXT NOT NULL DEFAULT '[]', total BIGINT NOT NULL, currency TEXT NOT NULL,"
    " placed_at BIGINT NOT NULL, status TEXT NOT NULL, " RECORD_TAIL ");"
    "CREATE INDEX orders_contact ON orders(contact_id);"
    "CREATE TABLE notes ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL,"
    " contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
    " company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
    " deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL, " RECORD_TAIL ");"
    "CREATE TABLE tasks ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, description TEXT, due_at BIGINT,"
    " assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " status TEXT NOT NULL DEFAULT 'open', source TEXT NOT NULL DEFAULT 'manual',"
    " contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
    " company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,"
    " deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,"
    " completed_at BIGINT, " RECORD_TAIL ");"
    "CREATE INDEX tasks_assignee ON tasks(assignee_id, status);"
    "CREATE TABLE activities ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, channel TEXT, direction TEXT NOT "
    "NULL,"
    " occurred_at BIGINT NOT NULL, actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " summary TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL DEFAULT '{}',"
    " source_entity TEXT, source_id BIGINT, " RECORD_TAIL ");"
    "CREATE INDEX activities_source ON activities(source_entity, source_id);"
    "CREATE TABLE links ("
    " entity TEXT NOT NULL, record_id BIGINT NOT NULL, field TEXT NOT NULL, target_id BIGINT NOT "
    "NULL,"
    " PRIMARY KEY (entity, record_id, field, target_id));"
    "CREATE INDEX links_target ON links(field, target_id, record_id);"
    "CREATE TABLE list_values ("
    " entity TEXT NOT NULL, record_id BIGINT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);"
    "CREATE INDEX list_values_record ON list_values(entity, record_id);"
    "CREATE INDEX list_values_value ON list_values(entity, field, value);"
    "CREATE TABLE events ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, entity TEXT NOT NULL, entity_id "
    "BIGINT,"
    " actor_id INTEGER, payload TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL);"
    "CREATE INDEX events_type ON events(type, id);";

static const char m2_mail[] =
    "CREATE TABLE mail_accounts ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, email TEXT NOT NULL,"
    " imap_url TEXT NOT NULL, smtp_url TEXT NOT NULL, username TEXT NOT NULL,"
    " auth TEXT NOT NULL DEFAULT 'password', preset TEXT, secret TEXT,"
    " owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " shared INTEGER NOT NULL DEFAULT 0, enabled INTEGER NOT NULL DEFAULT 1,"
    " health TEXT NOT NULL DEFAULT 'new', last_error TEXT, last_error_at BIGINT,"
    " progress TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL);"
    "CREATE TABLE mail_folders ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, special_use TEXT, sync INTEGER NOT NULL DEFAULT 0,"
    " uidvalidity BIGINT NOT NULL DEFAULT 0, uidnext BIGINT NOT NULL DEFAULT 0,"
    " highestmodseq BIGINT NOT NULL DEFAULT 0, synced_uid BIGINT NOT NULL DEFAULT 0,"
    " oldest_uid BIGINT NOT NULL DEFAULT 0, total BIGINT NOT NULL DEFAULT 0,"
    " synced_at BIGINT, UNIQUE (account_id, name));"
    "CREATE TABLE threads ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, subject TEXT NOT NULL DEFAULT '', last_date BIGINT NOT "
    "NULL DEFAULT 0,"
    " message_count BIGINT NOT NULL DEFAULT 0, shared INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX threads_last ON threads(last_date);"
    "CREATE TABLE thread_ids ("
    " message_id TEXT PRIMARY KEY, thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE "
    "CASCADE);"
    "CREATE INDEX thread_ids_thread ON thread_ids(thread_id);"
    "CREATE TABLE messages ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL UNIQUE,"
    " thread_id INTEGER REFERENCES threads(id) ON DELETE SET NULL,"
    " subject TEXT NOT NULL DEFAULT '', subject_key TEXT NOT NULL DEFAULT '',"
    " from_name TEXT, from_addr TEXT,"
    " to_json TEXT NOT NULL DEFAULT '[]', cc_json TEXT NOT NULL DEFAULT '[]',"
    " bcc_json TEXT NOT NULL DEFAULT '[]', reply_to_json TEXT NOT NULL DEFAULT '[]',"
    " date BIGINT NOT NULL, in_reply_to TEXT, refs TEXT NOT NULL DEFAULT '[]',"
    " thread_index TEXT, text_body TEXT, html_body TEXT, snippet TEXT NOT NULL DEFAULT '',"
    " has_attachments INTEGER NOT NULL DEFAULT 0, size BIGINT NOT NULL DEFAULT 0,"
    " raw_sha256 TEXT, malformed INTEGER NOT NULL DEFAULT 0,"
    " direction TEXT NOT NULL DEFAULT 'inbound', created_at BIGINT NOT NULL);"
    "CREATE INDEX messages_thread ON messages(thread_id, date);"
    "CREATE INDEX messages_date ON messages(date);"
    "CREATE INDEX messages_subject_key ON messages(subject_key, date);"
    "CREATE TABLE message_locations ("
    " message_ref INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
    " folder_id INTEGER NOT NULL REFERENCES mail_folders(id) ON DELETE CASCADE,"
    " uid BIGINT NOT NULL, flags INTEGER NOT NULL DEFAULT 0, modseq BIGINT NOT NULL DEFAULT 0,"
    " PRIMARY KEY (folder_id, uid));"
    "CREATE INDEX message_locations_message ON message_locations(message_ref);"
    "CREATE TABLE attachments ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " message_ref INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
    " filename TEXT, content_type TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL,"
    " content_id TEXT, inline INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX attachments_message ON attachments(message_ref);"
    "CREATE TABLE outbox ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,"
    " status TEXT NOT NULL DEFAULT 'queued', message_id TEXT NOT NULL, raw_sha256 TEXT,"
    " draft TEXT,"
    " envelope_from TEXT NOT NULL, recipients TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '',"
    " send_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_at BIGINT NOT NULL, last_error TEXT, sent_at BIGINT,"
    " in_reply_to INTEGER REFERENCES messages(id) ON DELETE SET NULL,"
    " deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL, idempotency_key TEXT UNIQUE,"
    " created_by INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL);"
    "CREATE INDEX outbox_due ON outbox(status, next_attempt_at);"
    "CREATE TABLE mail_ops ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,"
    " folder_id INTEGER NOT NULL REFERENCES mail_folders(id) ON DELETE CASCADE,"
    " uid BIGINT NOT NULL, op TEXT NOT NULL, arg TEXT NOT NULL DEFAULT '',"
    " created_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);"
    "CREATE INDEX mail_ops_account ON mail_ops(account_id, id);"
    "ALTER TABLE mail_accounts ADD COLUMN sync_requested_at BIGINT;"
    "CREATE VIRTUAL TABLE message_fts USING fts5(subject, body, participants, filenames,"
    " tokenize = 'unicode61 remove_diacritics 2');";

static const char m3_automation[] =
    "CREATE TABLE templates ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, subject TEXT NOT NULL,"
    " body TEXT NOT NULL, format TEXT NOT NULL DEFAULT 'markdown', version INTEGER NOT NULL "
    "DEFAULT 1,"
    " created_by INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL);"
    "CREATE TABLE template_versions ("
    " template_id INTEGER NOT NULL REFERENCES templates(id) ON DELETE CASCADE,"
    " version INTEGER NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, format TEXT NOT NULL,"
    " created_by INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (template_id, version));"
    "CREATE TABLE rules ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, trigger TEXT NOT NULL,"
    " params TEXT NOT NULL DEFAULT '{}', conditions TEXT NOT NULL DEFAULT '[]',"
    " actions TEXT NOT NULL DEFAULT '[]', enabled INTEGER NOT NULL DEFAULT 1, scenario TEXT UNIQUE,"
    " created_by INTEGER REFERENCES users(id) ON DELETE SET NULL, created_at BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL);"
    "CREATE TABLE jobs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, rule_id INTEGER REFERENCES rules(id) ON DELETE CASCADE,"
    " event_id BIGINT, kind TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}',"
    " run_at BIGINT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
    " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, idempotency_key TEXT NOT NULL UNIQUE,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX jobs_due ON jobs(status, run_at);"
    "CREATE TABLE rule_runs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, rule_id INTEGER REFERENCES rules(id) ON DELETE CASCADE,"
    " event_id BIGINT, job_id BIGINT, status TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}',"
    " created_at BIGINT NOT NULL);"
    "CREATE INDEX rule_runs_rule ON rule_runs(rule_id, id);"
    "CREATE TABLE notifications ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users(id) ON "
    "DELETE CASCADE,"
    " kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '', link TEXT,"
    " read_at BIGINT, created_at BIGINT NOT NULL);"
    "CREATE INDEX notifications_user ON notifications(user_id, id);";

static const char m4_calendar[] =
    "CREATE TABLE meetings ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, kind TEXT NOT NULL DEFAULT "
    "'meeting',"
    " status TEXT NOT NULL DEFAULT 'scheduled', starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,"
    " timezone TEXT NOT NULL DEFAULT 'UTC', location TEXT, url TEXT, description TEXT,"
    " owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " deal_id INTEGER REFERENCES deals(id) ON DELETE SET NULL,"
    " attendees TEXT NOT NULL DEFAULT '[]', reminders TEXT NOT NULL DEFAULT '[15]',"
    " uid TEXT UNIQUE, sequence INTEGER, invited_at BIGINT, " RECORD_TAIL ");"
    "CREATE INDEX meetings_starts ON meetings(starts_at);"
    "CREATE INDEX meetings_owner ON meetings(owner_id, starts_at);"
    /* One row per reminder given, so that each is given once. */
    "CREATE TABLE meeting_reminders ("
    " meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " starts_at BIGINT NOT NULL, offset_min INTEGER NOT NULL, sent_at BIGINT NOT NULL,"
    " PRIMARY KEY (meeting_id, user_id, starts_at, offset_min));"
    /* The secret of each user's ICS feed URL, hashed like API tokens. */
    "CREATE TABLE calendar_feeds ("
    " user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
    " token_hash TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL);";

/* The email digest of unread notifications: how often (off, hourly, daily),
   the start of the last period handled, and the newest notification mailed. */
static const char m5_digest[] =
    "ALTER TABLE users ADD COLUMN digest TEXT NOT NULL DEFAULT 'off';"
    "ALTER TABLE users ADD COLUMN digest_at BIGINT;"
    "ALTER TABLE users ADD COLUMN digest_seen BIGINT NOT NULL DEFAULT 0;";

/* Visibility is a property of each message, never of its thread: a share is one
   message made visible to everyone by a user whose mailbox holds it. Shared
   threads become shares of their messages when one user's mailboxes held all
   of the thread's personal mail (that user shared it); a thread mixing two
   users' private mail is made private again, since who agreed cannot be told. */
static const char m6_message_shares[] =
    "CREATE TABLE message_shares ("
    " message_ref INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (message_ref, user_id));"
    "CREATE INDEX message_shares_user ON message_shares(user_id);"
    "INSERT INTO message_shares (message_ref, user_id, created_at) SELECT DISTINCT m.id,"
    " a.owner_id, 0 FROM threads t JOIN messages m ON m.thread_id = t.id JOIN message_locations"
    " l ON l.message_ref = m.id JOIN mail_folders f ON f.id = l.folder_id JOIN mail_accounts a ON"
    " a.id = f.account_id WHERE t.shared = 1 AND a.owner_id IS NOT NULL AND (SELECT COUNT("
    "DISTINCT a2.owner_id) FROM messages m2 JOIN message_locations l2 ON l2.message_ref = m2.id"
    " JOIN mail_folders f2 ON f2.id = l2.folder_id JOIN mail_accounts a2 ON a2.id = f2.account_id"
    " WHERE m2.thread_id = t.id AND a2.owner_id IS NOT NULL) = 1;"
    "UPDATE threads SET shared = 0;";

/* Who really caused each outbox item: the user of the API request, the actor
   of the event a rule or the calendar acted on, or the rule's author. */
static const char m7_caused_by[] =
    "ALTER TABLE outbox ADD COLUMN caused_by INTEGER REFERENCES users(id) ON DELETE SET NULL;";

/* Issue 11: API tokens expire; a mailbox may reach private and loopback
   addresses only when an admin set its hosts (shared mailboxes, admins' own
   and unowned ones are taken as set by an admin). */
static const char m8_auth[] =
    "ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;"
    "ALTER TABLE mail_accounts ADD COLUMN private_hosts INTEGER NOT NULL DEFAULT 0;"
    "UPDATE mail_accounts SET private_hosts = 1 WHERE shared = 1 OR owner_id IS NULL OR"
    " owner_id IN (SELECT id FROM users WHERE role = 'admin');";

/* Message HTML sanitised once, when stored or first viewed (not on every view):
   html_safe with remote loads blocked, html_safe_remote with them allowed (made
   on the first view that asks), the count of remote loads blocked. NULL: not
   sanitised yet. */
static const char m9_html_safe[] =
    "ALTER TABLE messages ADD COLUMN html_safe TEXT;"
    "ALTER TABLE messages ADD COLUMN html_safe_remote TEXT;"
    "ALTER TABLE messages ADD COLUMN html_remote_blocked INTEGER NOT NULL DEFAULT 0;";

/* Outbound mail's timeline entries credited to who caused the mail (the
   outbox item's caused_by; none for a rule's mail, marked payload.automated)
   rather than the mailbox's owner: an index to find the item by Message-ID,
   and the entries written before. */
static const char m10_sent_by[] =
    "CREATE INDEX outbox_message_id ON outbox(message_id);"
    "UPDATE activities SET actor_id = (SELECT CASE WHEN o.draft LIKE '%auto_submitted%'"
    " THEN NULL ELSE o.caused_by END FROM outbox o JOIN messages m ON m.message_id = o.message_id"
    " WHERE m.id = activities.source_id AND o.status = 'sent' ORDER BY o.id DESC LIMIT 1)"
    " WHERE source_entity = 'message' AND direction = 'outbound' AND EXISTS (SELECT 1 FROM outbox o"
    " JOIN messages m ON m.message_id = o.message_id WHERE m.id = activities.source_id AND"
    " o.status = 'sent');"
    "UPDATE activities SET payload = json_set(payload, '$.automated', json('true'))"
    " WHERE source_entity = 'message' AND direction = 'outbound' AND EXISTS (SELECT 1 FROM outbox o"
    " JOIN messages m ON m.message_id = o.message_id WHERE m.id = activities.source_id AND"
    " o.status = 'sent' AND o.draft LIKE '%auto_submitted%');";

/* Drafts kept by the server as they are written: one per user and key (the
   client's name for it: a conversation, a new message), private to the user. */
static const char m11_mail_drafts[] =
    "CREATE TABLE mail_drafts (user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " key TEXT NOT NULL, fields TEXT NOT NULL, updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (user_id, key));";

/* Issue 12: saved mail searches, per user. */
static const char m12_saved_searches[] =
    "CREATE TABLE saved_searches ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL REFERENCES users(id) ON "
    "DELETE CASCADE,"
    " name TEXT NOT NULL, q TEXT NOT NULL, created_at BIGINT NOT NULL,"
    " UNIQUE (user_id, name));";

/* Issue 12, the Today page: a user puts an item of their feed (a task, a
   notification, a conversation) out of sight until a time. One row per user
   and item; a conversation comes back early when new mail arrives in it
   after created_at. */
static const char m14_today_snoozes[] =
    "CREATE TABLE today_snoozes ("
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, ref_id BIGINT NOT NULL, until_at BIGINT NOT NULL,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (user_id, kind, ref_id));";

/* Issue 12 (the conversation side panel, internal comments): a task may
   follow up a mail thread; comments are the team's notes on a thread, never
   sent, readable by whoever may see one of its messages; mention_ids is a
   JSON array of the user ids they mention. */
static const char m13_thread_panel[] =
    "ALTER TABLE tasks ADD COLUMN thread_id INTEGER REFERENCES threads(id) ON DELETE SET NULL;"
    "CREATE INDEX tasks_thread ON tasks(thread_id);"
    "CREATE TABLE thread_comments ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER NOT NULL REFERENCES threads(id) ON "
    "DELETE CASCADE,"
    " author_id INTEGER REFERENCES users(id) ON DELETE SET NULL, body TEXT NOT NULL,"
    " mention_ids TEXT NOT NULL DEFAULT '[]', created_at BIGINT NOT NULL);"
    "CREATE INDEX thread_comments_thread ON thread_comments(thread_id, id);";

/*
 * Every migration, in order. To add one: append a line with the next number;
 * write the same change for PostgreSQL when that backend lands.
 */
static const struct store_migration migrations[] = {
    {1, "core", m1_core},
    {2, "mail", m2_mail},
    {3, "automation", m3_automation},
    {4, "calendar", m4_calendar},
    {5, "digest", m5_digest},
    {6, "message_shares", m6_message_shares},
    {7, "caused_by", m7_caused_by},
    {8, "auth", m8_auth},
    {9, "html_safe", m9_html_safe},
    {10, "sent_by", m10_sent_by},
    {11, "mail_drafts", m11_mail_drafts},
    {12, "saved_searches", m12_saved_searches},
    {13, "thread_panel", m13_thread_panel},
    {14, "today_snoozes", m14_today_snoozes},
};

int sqlite_migrate(struct store *st, struct err *err)
{
	return store_apply_migrations(st, migrations,
				      (int)(sizeof(migrations) / sizeof(migrations[0])), err);
}
