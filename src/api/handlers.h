/* Private to api/: every route handler. Each reads rq->params, rq->json and
   rq->user, fills the response with req_json() and returns 0, or returns -1
   with rq->err set. Handlers never check auth or parse bodies themselves. */
#ifndef API_HANDLERS_H
#define API_HANDLERS_H

#include <stdbool.h>

#include "api/router.h"

/* h_meta.c */
route_fn h_index, h_health, h_metrics, h_openapi;
/* h_web.c */
route_fn h_web_index, h_web_asset, h_web_app;
/* h_session.c */
route_fn h_session_create, h_session_get, h_session_delete;
/* h_users.c */
route_fn h_me, h_users_list, h_users_create, h_users_get, h_users_update, h_tokens_create,
    h_tokens_list, h_tokens_delete;
/* h_settings.c */
route_fn h_settings_get, h_settings_update, h_events_list;
/* h_mail_accounts.c */
route_fn h_mail_accounts_list, h_mail_accounts_create, h_mail_accounts_get, h_mail_accounts_update,
    h_mail_accounts_delete, h_mail_accounts_test;
/* h_mail.c */
route_fn h_mail_threads_list, h_mail_threads_get, h_mail_threads_update, h_mail_threads_split,
    h_mail_threads_join, h_mail_messages_get, h_mail_messages_update, h_mail_messages_links,
    h_mail_messages_raw, h_mail_messages_body, h_mail_messages_cid, h_mail_attachments_get,
    h_mail_accounts_sync;
/* h_mail_links.c */
route_fn h_mail_threads_links;
/* h_saved_searches.c */
route_fn h_saved_searches_list, h_saved_searches_create, h_saved_searches_delete;
/* h_thread_comments.c */
route_fn h_thread_comments_list, h_thread_comments_create;
/* h_mail_send.c */
route_fn h_mail_messages_send, h_mail_outbox_list, h_mail_outbox_get;
route_fn h_mail_drafts_list, h_mail_drafts_get, h_mail_drafts_put, h_mail_drafts_delete;
/* h_templates.c */
route_fn h_templates_list, h_templates_create, h_templates_get, h_templates_update,
    h_templates_delete, h_templates_versions, h_templates_preview, h_templates_lint;
/* h_rules.c */
route_fn h_rules_catalog, h_rules_list, h_rules_create, h_rules_get, h_rules_update, h_rules_delete,
    h_rules_runs, h_scenarios_list, h_scenarios_update;
/* h_notifications.c */
route_fn h_notifications_list, h_notifications_read, h_events_stream;
/* h_today.c */
route_fn h_today_get, h_today_counts, h_today_snooze, h_today_unsnooze;
/* h_import.c */
route_fn h_contacts_import;
/* h_unsubscribe.c */
route_fn h_unsubscribe;
/* h_session.c: true when the browser reaches Parley over TLS (the public URL
   $PARLEY_PUBLIC_URL is https, or a proxy in $PARLEY_TRUSTED_PROXIES says so):
   cookies are then Secure. */
bool req_behind_tls(struct req *rq);
/* h_oauth.c */
route_fn h_mail_accounts_oauth, h_oauth_callback;
/* h_records.c: one set for every entity in core/entity.h */
route_fn h_records_list, h_records_create, h_records_get, h_records_update, h_records_delete,
    h_records_timeline;

/* h_calendar.c */
int h_meetings_invite(struct req *rq);
int h_meetings_ics(struct req *rq);
int h_calendar_feed_create(struct req *rq);
int h_calendar_feed_delete(struct req *rq);
int h_calendar_feed_get(struct req *rq);

#endif
