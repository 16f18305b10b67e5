/*
 * Every HTTP endpoint of Parley. To add one:
 *  1. write the handler in h_<resource>.c: int h_contacts_get(struct req *rq);
 *  2. declare it in handlers.h;
 *  3. add a line here; the router does auth, CSRF, JSON and size checks from the flags;
 *  4. document it in docs/api/<resource>.md (a test checks every route has a section).
 * The OpenAPI document is generated from this table and the entity tables.
 */
#include "api/handlers.h"
#include "core/entity.h"
#include "base/banned.h"

#define A ROUTE_AUTH
#define W (ROUTE_AUTH | ROUTE_WRITE | ROUTE_JSON)
#define D (ROUTE_AUTH | ROUTE_WRITE)

/* A table, aligned by hand: clang-format leaves it alone. */
// clang-format off
#define RECORD_ROUTES(path, def, noun)                                                       \
	{ "GET", "/api/v1/" path, h_records_list, A, &def, "list " noun "s" },               \
	{ "POST", "/api/v1/" path, h_records_create, W, &def, "create a " noun },            \
	{ "GET", "/api/v1/" path "/{id}", h_records_get, A, &def, "read a " noun },          \
	{ "PATCH", "/api/v1/" path "/{id}", h_records_update, W, &def, "change a " noun },   \
	{ "DELETE", "/api/v1/" path "/{id}", h_records_delete, D, &def, "delete a " noun }

const struct route routes[] = {
	/* method  path                          handler            flags                 entity */
	{ "GET", "/", h_web_index, ROUTE_PUBLIC | ROUTE_INLINE, NULL,
	  "the web UI (without one: what Parley is, with a link to the API)" },
	{ "GET", "/assets/{file}", h_web_asset, ROUTE_PUBLIC | ROUTE_INLINE, NULL,
	  "a web UI file with a content-hashed name (cached for a year)" },
	{ "GET", "/healthz", h_health, ROUTE_PUBLIC | ROUTE_INLINE, NULL, "liveness and store health" },
	{ "GET", "/unsubscribe/{token}", h_unsubscribe, ROUTE_PUBLIC | ROUTE_SECRET, NULL,
	  "the unsubscribe link in mailings (signed; no login)" },
	{ "POST", "/unsubscribe/{token}", h_unsubscribe, ROUTE_PUBLIC | ROUTE_SECRET, NULL,
	  "one-click unsubscribe (List-Unsubscribe-Post, RFC 8058)" },
	{ "GET", "/metrics", h_metrics, A | ROUTE_INLINE, NULL, "Prometheus metrics" },
	{ "GET", "/api/v1/openapi.json", h_openapi, ROUTE_PUBLIC, NULL, "this API as OpenAPI 3.1" },
	{ "POST", "/api/v1/session", h_session_create, ROUTE_JSON | ROUTE_PUBLIC, NULL, "log in" },
	{ "GET", "/api/v1/session", h_session_get, A | ROUTE_INLINE, NULL, "the current session" },
	{ "DELETE", "/api/v1/session", h_session_delete, D, NULL, "log out" },
	{ "GET", "/api/v1/me", h_me, A, NULL, "the current user" },
	{ "GET", "/api/v1/users", h_users_list, A, NULL, "list users" },
	{ "POST", "/api/v1/users", h_users_create, W | ROUTE_ADMIN, NULL, "add a user" },
	{ "GET", "/api/v1/users/{id}", h_users_get, A, NULL, "read a user" },
	{ "PATCH", "/api/v1/users/{id}", h_users_update, W, NULL, "change a user" },
	{ "POST", "/api/v1/tokens", h_tokens_create, W, NULL, "create an API token" },
	{ "GET", "/api/v1/tokens", h_tokens_list, A, NULL, "list your API tokens" },
	{ "DELETE", "/api/v1/tokens/{id}", h_tokens_delete, D, NULL, "revoke one of your API tokens" },
	{ "GET", "/api/v1/settings", h_settings_get, A, NULL, "read settings" },
	{ "PATCH", "/api/v1/settings", h_settings_update, W | ROUTE_ADMIN, NULL,
	  "change settings" },
	{ "GET", "/api/v1/events", h_events_list, A | ROUTE_ADMIN, NULL,
	  "domain events, oldest first (admins: they describe every mailbox)" },
	{ "GET", "/api/v1/mail/accounts", h_mail_accounts_list, A, NULL,
	  "list the mail accounts you can see" },
	{ "POST", "/api/v1/mail/accounts", h_mail_accounts_create, W, NULL,
	  "connect a mailbox" },
	{ "POST", "/api/v1/mail/accounts/test", h_mail_accounts_test, W, NULL,
	  "log in to IMAP and SMTP with a mailbox's settings, before saving them" },
	{ "GET", "/api/v1/mail/accounts/{id}", h_mail_accounts_get, A, NULL,
	  "read a mail account and its health" },
	{ "PATCH", "/api/v1/mail/accounts/{id}", h_mail_accounts_update, W, NULL,
	  "change a mail account" },
	{ "DELETE", "/api/v1/mail/accounts/{id}", h_mail_accounts_delete, D, NULL,
	  "disconnect a mailbox" },
	{ "POST", "/api/v1/mail/accounts/{id}/oauth", h_mail_accounts_oauth, D, NULL,
	  "start connecting a Gmail or Outlook mailbox with OAuth2 (PKCE)" },
	{ "GET", "/oauth/callback", h_oauth_callback, ROUTE_PUBLIC, NULL,
	  "where the provider sends the browser back after OAuth2 consent" },
	{ "POST", "/api/v1/mail/accounts/{id}/sync", h_mail_accounts_sync, D, NULL,
	  "sync a mailbox now" },
	{ "GET", "/api/v1/mail/threads", h_mail_threads_list, A, NULL,
	  "search threads (the query language in q)" },
	{ "GET", "/api/v1/mail/threads/{id}", h_mail_threads_get, A, NULL,
	  "a thread with its messages and links" },
	{ "PATCH", "/api/v1/mail/threads/{id}", h_mail_threads_update, W, NULL,
	  "share a thread or make it private" },
	{ "POST", "/api/v1/mail/threads/{id}/split", h_mail_threads_split, W, NULL,
	  "move messages out into a new thread" },
	{ "POST", "/api/v1/mail/threads/{id}/join", h_mail_threads_join, W, NULL,
	  "merge another thread into this one" },
	{ "POST", "/api/v1/mail/messages", h_mail_messages_send, W | ROUTE_UPLOAD, NULL,
	  "send, reply, reply to all or forward (queued in the outbox)" },
	{ "GET", "/api/v1/mail/outbox", h_mail_outbox_list, A, NULL,
	  "the outbox: queued, sending, sent, deferred and failed mail" },
	{ "GET", "/api/v1/mail/outbox/{id}", h_mail_outbox_get, A, NULL, "one outbox item" },
	{ "GET", "/api/v1/mail/messages/{id}", h_mail_messages_get, A, NULL,
	  "a message: headers, text, sanitised HTML, attachments, links" },
	{ "PATCH", "/api/v1/mail/messages/{id}", h_mail_messages_update, W, NULL,
	  "mark read or unread, flag, move to a folder" },
	{ "PUT", "/api/v1/mail/messages/{id}/links", h_mail_messages_links, W, NULL,
	  "relink a message to contacts, companies and deals" },
	{ "GET", "/api/v1/mail/messages/{id}/raw", h_mail_messages_raw, A, NULL,
	  "the message as received (message/rfc822)" },
	{ "GET", "/api/v1/mail/messages/{id}/body", h_mail_messages_body, A, NULL,
	  "the sanitised body as an HTML document for a sandboxed frame" },
	{ "GET", "/api/v1/mail/messages/{id}/cid/{cid}", h_mail_messages_cid, A, NULL,
	  "an inline part by Content-ID (images in HTML)" },
	{ "GET", "/api/v1/mail/messages/{id}/attachments/{att}", h_mail_attachments_get, A, NULL,
	  "download an attachment" },
	{ "GET", "/api/v1/templates", h_templates_list, A, NULL, "list email templates" },
	{ "POST", "/api/v1/templates", h_templates_create, W, NULL, "create an email template" },
	{ "POST", "/api/v1/templates/lint", h_templates_lint, W, NULL,
	  "check a template: syntax errors and variables the context lacks" },
	{ "GET", "/api/v1/templates/{id}", h_templates_get, A, NULL, "read a template" },
	{ "PATCH", "/api/v1/templates/{id}", h_templates_update, W, NULL,
	  "change a template (a new version)" },
	{ "DELETE", "/api/v1/templates/{id}", h_templates_delete, D, NULL,
	  "delete a template (admins)" },
	{ "GET", "/api/v1/templates/{id}/versions", h_templates_versions, A, NULL,
	  "a template's earlier versions" },
	{ "POST", "/api/v1/templates/{id}/preview", h_templates_preview, W, NULL,
	  "render a template for a contact, deal or order" },
	{ "GET", "/api/v1/rules/catalog", h_rules_catalog, A, NULL,
	  "the triggers and actions rules can use" },
	{ "GET", "/api/v1/rules/scenarios", h_scenarios_list, A, NULL,
	  "the ready scenarios and whether they are on" },
	{ "PUT", "/api/v1/rules/scenarios/{key}", h_scenarios_update, W | ROUTE_ADMIN, NULL,
	  "switch a ready scenario on or off" },
	{ "GET", "/api/v1/rules", h_rules_list, A, NULL, "list automation rules" },
	{ "POST", "/api/v1/rules", h_rules_create, W | ROUTE_ADMIN, NULL, "create a rule" },
	{ "GET", "/api/v1/rules/{id}", h_rules_get, A, NULL, "read a rule" },
	{ "PATCH", "/api/v1/rules/{id}", h_rules_update, W | ROUTE_ADMIN, NULL,
	  "change, enable or disable a rule" },
	{ "DELETE", "/api/v1/rules/{id}", h_rules_delete, D | ROUTE_ADMIN, NULL, "delete a rule" },
	{ "GET", "/api/v1/rules/{id}/runs", h_rules_runs, A, NULL,
	  "the rule's run log: what fired and what it did" },
	{ "GET", "/api/v1/notifications", h_notifications_list, A, NULL,
	  "your notifications, newest first" },
	{ "POST", "/api/v1/notifications/read", h_notifications_read, W, NULL,
	  "mark notifications read" },
	{ "GET", "/api/v1/events/stream", h_events_stream, A, NULL,
	  "your notifications, live (Server-Sent Events)" },
	RECORD_ROUTES("companies", company_def, "company"),
	{ "POST", "/api/v1/contacts/import", h_contacts_import, W, NULL,
	  "import contacts from CSV, all or nothing, with a per-row error report" },
	RECORD_ROUTES("contacts", contact_def, "contact"),
	RECORD_ROUTES("deals", deal_def, "deal"),
	RECORD_ROUTES("orders", order_def, "order"),
	RECORD_ROUTES("notes", note_def, "note"),
	RECORD_ROUTES("tasks", task_def, "task"),
	RECORD_ROUTES("activities", activity_def, "activity"),
	RECORD_ROUTES("meetings", meeting_def, "meeting"),
	{ "POST", "/api/v1/meetings/{id}/invite", h_meetings_invite, D, NULL,
	  "send the invitation (iCalendar REQUEST) to the attendees" },
	{ "GET", "/api/v1/meetings/{id}/ics", h_meetings_ics, A, NULL,
	  "the meeting as an .ics file" },
	{ "POST", "/api/v1/calendar/feed", h_calendar_feed_create, D, NULL,
	  "a new secret URL of your calendar feed (the old one stops working)" },
	{ "DELETE", "/api/v1/calendar/feed", h_calendar_feed_delete, D, NULL,
	  "turn your calendar feed off" },
	{ "GET", "/calendar/feed/{token}", h_calendar_feed_get, ROUTE_PUBLIC | ROUTE_SECRET, NULL,
	  "your meetings as iCalendar, for Google, Outlook or Apple calendars (the URL is the secret)" },
	{ "GET", "/api/v1/contacts/{id}/timeline", h_records_timeline, A, &contact_def,
	  "a contact's timeline" },
	{ "GET", "/api/v1/companies/{id}/timeline", h_records_timeline, A, &company_def,
	  "a company's timeline" },
	{ "GET", "/api/v1/deals/{id}/timeline", h_records_timeline, A, &deal_def,
	  "a deal's timeline" },
	/* Any other GET outside /api/, /assets/, /healthz, /metrics, /hooks/ is a
	   page of the web UI (/contacts/12), which routes in the browser. A
	   fallback is tried only when no other route has the path; kept last. */
	{ "GET", "/{page...}", h_web_app, ROUTE_PUBLIC | ROUTE_FALLBACK | ROUTE_INLINE, NULL,
	  "a web UI page: index.html" },
};
// clang-format on

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
