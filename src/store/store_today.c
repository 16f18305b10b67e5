/* The Today page: one user's feed for one day, assembled in a few indexed
 * queries: today's meetings (meetings_starts), their open tasks due before
 * the day ends (tasks_assignee), unread client mail that is theirs
 * (contacts_owner and links_target to the mail's timeline activity, or their
 * own mailbox), and unread notifications (notifications_user); less what
 * they snoozed (today_snoozes' primary key). Each message is checked with
 * the visibility rule (STORE_MSG_VISIBLE), never through its thread. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/today.h"
#include "store/store_int.h"
#include "base/banned.h"

#define TODAY_MAX_ITEMS	   200 /* of each kind */
#define TODAY_MAX_MESSAGES 500 /* unread messages read to find the conversations */
#define TODAY_MAX_SNOOZES  1000
/* A meeting that started this long before the day and is still going shows. */
#define TODAY_MEETING_LOOKBACK (7 * 86400)

struct snooze {
	const char *kind;
	int64_t id, until, created;
};

struct today {
	struct store *st;
	const struct mail_viewer *vw;
	const struct today_span *in;
	struct arena *a;
	json_t *meetings, *overdue, *due, *mail, *mentions, *notes;
	json_t *threads; /* every conversation found, snoozed or not */
	json_t *by_link; /* "/tasks/3" -> the item, to fold notifications about it in */
	struct snooze *snoozes;
	size_t nsnoozes;
	int64_t snoozed;
};

static json_t *iso(int64_t t)
{
	char s[TIME_ISO_MAX];
	time_format_iso(t, s);
	return json_string(s);
}

static json_t *id_col(struct stmt *s, int col)
{
	return stmt_is_null(s, col) ? json_null() : json_integer(stmt_int(s, col));
}

/* Runs sql with binds b; row(t, s) for each row. */
static int each_row(struct today *t, const char *sql, const struct sql_binds *b,
		    int (*row)(struct today *t, struct stmt *s, struct err *err), struct err *err)
{
	struct stmt *s;
	if (store_prepare(t->st, sql, &s, err) < 0)
		return -1;
	int r = binds_apply(b, s, err);
	while (r == 0 && (r = stmt_step(s, err)) == 1)
		r = row(t, s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* ---- snoozes ---- */

static int snooze_row(struct today *t, struct stmt *s, struct err *err)
{
	(void)err;
	if (t->nsnoozes == TODAY_MAX_SNOOZES)
		return 0;
	t->snoozes[t->nsnoozes++] = (struct snooze){arena_strdup(t->a, stmt_text(s, 0)),
						    stmt_int(s, 1), stmt_int(s, 2), stmt_int(s, 3)};
	return 0;
}

/* True if kind id is snoozed now; a conversation is not when mail came into it
   (newest, the time Parley stored it) after it was snoozed. Counts it. */
static bool snoozed(struct today *t, const char *kind, int64_t id, int64_t newest)
{
	for (size_t i = 0; i < t->nsnoozes; i++) {
		const struct snooze *z = &t->snoozes[i];
		if (z->id == id && strcmp(z->kind, kind) == 0 && z->until > t->in->now &&
		    newest <= z->created) {
			t->snoozed++;
			return true;
		}
	}
	return false;
}

/* ---- meetings: those of the day the user owns or attends ---- */

static bool takes_part(const char *attendees, int64_t user)
{
	json_t *list = json_loads(attendees ? attendees : "[]", 0, NULL), *x;
	size_t i;
	bool in = false;
	json_array_foreach(list, i, x) in |=
	    json_integer_value(json_object_get(x, "user_id")) == user;
	json_decref(list);
	return in;
}

static int meeting_row(struct today *t, struct stmt *s, struct err *err)
{
	(void)err;
	int64_t id = stmt_int(s, 0);
	if ((stmt_is_null(s, 8) || stmt_int(s, 8) != t->vw->user_id) &&
	    !takes_part(stmt_text(s, 9), t->vw->user_id))
		return 0;
	if (json_array_size(t->meetings) == TODAY_MAX_ITEMS)
		return 0;
	/* the reminders' link (calendar/calendar.c) */
	const char *link = arena_printf(t->a, "/calendar?meeting=%" PRId64, id);
	json_t *it = json_pack(
	    "{s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s?, s:s?, s:o, s:s, s:[]}", "kind",
	    "meeting", "key", arena_printf(t->a, "meeting:%" PRId64, id), "meeting_id",
	    (json_int_t)id, "title", stmt_text(s, 1), "meeting_kind", stmt_text(s, 2), "starts_at",
	    iso(stmt_int(s, 3)), "ends_at", iso(stmt_int(s, 4)), "timezone", stmt_text(s, 5),
	    "location", stmt_text(s, 6), "url", stmt_text(s, 7), "deal_id", id_col(s, 10), "link",
	    link, "notification_ids");
	json_object_set(t->by_link, link, it);
	json_array_append_new(t->meetings, it);
	return 0;
}

static int load_meetings(struct today *t, struct err *err)
{
	struct sql_binds b = {0};
	binds_int(&b, t->in->start - TODAY_MEETING_LOOKBACK);
	binds_int(&b, t->in->end);
	binds_int(&b, t->in->start);
	return each_row(t,
			"SELECT id, title, kind, starts_at, ends_at, timezone, location, url, "
			"owner_id, attendees, deal_id FROM meetings WHERE starts_at >= ? AND "
			"starts_at < ? AND ends_at > ? AND status <> 'cancelled' ORDER BY "
			"starts_at, id",
			&b, meeting_row, err);
}

/* ---- tasks: open, assigned to the user, due before the day ends ---- */

static int task_row(struct today *t, struct stmt *s, struct err *err)
{
	(void)err;
	int64_t id = stmt_int(s, 0), due = stmt_int(s, 2);
	bool late = due < t->in->now;
	json_t *list = late ? t->overdue : t->due;
	if (json_array_size(list) == TODAY_MAX_ITEMS)
		return 0;
	const char *link = arena_printf(t->a, "/tasks/%" PRId64, id);
	json_t *it = json_pack(
	    "{s:s, s:s, s:I, s:s, s:o, s:b, s:o, s:o, s:o, s:s, s:[]}", "kind", "task", "key",
	    arena_printf(t->a, "task:%" PRId64, id), "task_id", (json_int_t)id, "title",
	    stmt_text(s, 1), "due_at", iso(due), "overdue", late, "contact_id", id_col(s, 3),
	    "company_id", id_col(s, 4), "deal_id", id_col(s, 5), "link", link, "notification_ids");
	/* a snoozed task hides the notifications about it too */
	json_object_set(t->by_link, link, it);
	if (snoozed(t, "task", id, 0))
		json_decref(it);
	else
		json_array_append_new(list, it);
	return 0;
}

static int load_tasks(struct today *t, struct err *err)
{
	struct sql_binds b = {0};
	binds_int(&b, t->vw->user_id);
	binds_int(&b, t->in->end);
	return each_row(t,
			"SELECT id, title, due_at, contact_id, company_id, deal_id FROM tasks "
			"WHERE assignee_id = ? AND status = 'open' AND due_at IS NOT NULL AND "
			"due_at < ? ORDER BY due_at, id",
			&b, task_row, err);
}

/* ---- mail: unread client mail that is the user's, by conversation ---- */

/* The folders whose unread mail is not waiting for anyone. */
static const char *const quiet_folders[] = {"\\Trash", "\\Junk", "\\Sent", "\\Drafts"};

/* Messages that are the user's: linked (through their timeline activity) to
   a contact, deal or company the user owns, or in the user's own mailbox and
   linked to any client record. Then: received, unread in a mailbox the user
   reads (their own or a shared one; not trash, junk, sent or drafts), and
   visible to them. Newest first. */
static const char mail_sql[] =
    "SELECT m.id, m.thread_id, m.subject, m.from_name, m.from_addr, m.snippet, m.date, "
    "m.created_at FROM messages m WHERE m.id IN ("
    "SELECT oa.source_id FROM contacts oc JOIN links ol ON ol.field = 'contact_ids' AND "
    "ol.target_id = oc.id AND ol.entity = 'activities' JOIN activities oa ON oa.id = "
    "ol.record_id WHERE oc.owner_id = ? AND oa.source_entity = 'message' "
    "UNION SELECT oa.source_id FROM deals od JOIN links ol ON ol.field = 'deal_ids' AND "
    "ol.target_id = od.id AND ol.entity = 'activities' JOIN activities oa ON oa.id = "
    "ol.record_id WHERE od.owner_id = ? AND oa.source_entity = 'message' "
    "UNION SELECT oa.source_id FROM companies oo JOIN links ol ON ol.field = 'company_ids' AND "
    "ol.target_id = oo.id AND ol.entity = 'activities' JOIN activities oa ON oa.id = "
    "ol.record_id WHERE oo.owner_id = ? AND oa.source_entity = 'message' "
    "UNION SELECT pl.message_ref FROM mail_accounts pa JOIN mail_folders pf ON pf.account_id = "
    "pa.id JOIN message_locations pl ON pl.folder_id = pf.id WHERE pa.owner_id = ? AND "
    "pa.shared = 0 AND (pl.flags & 1) = 0 AND EXISTS (SELECT 1 FROM activities xa JOIN links xl "
    "ON xl.entity = 'activities' AND xl.record_id = xa.id WHERE xa.source_entity = 'message' "
    "AND xa.source_id = pl.message_ref AND xl.field IN ('contact_ids', 'company_ids', "
    "'deal_ids'))) AND m.direction = 'inbound' AND m.thread_id IS NOT NULL AND EXISTS (SELECT 1 "
    "FROM message_locations ul JOIN mail_folders uf ON uf.id = ul.folder_id JOIN mail_accounts "
    "ua ON ua.id = uf.account_id WHERE ul.message_ref = m.id AND (ul.flags & 1) = 0 AND "
    "(ua.shared = 1 OR ua.owner_id = ?) AND COALESCE(uf.special_use, '') NOT IN (?, ?, ?, ?)) "
    "AND %s ORDER BY m.date DESC, m.id DESC LIMIT %d";

/* The newest unread message of each conversation makes its item; the older
   ones count. Rows come newest first. */
static int mail_row(struct today *t, struct stmt *s, struct err *err)
{
	(void)err;
	int64_t thread = stmt_int(s, 1);
	const char *key = arena_printf(t->a, "thread:%" PRId64, thread);
	json_t *it = json_object_get(t->by_link, key);
	if (it) {
		json_object_set_new(
		    it, "unread",
		    json_integer(json_integer_value(json_object_get(it, "unread")) + 1));
		if (stmt_int(s, 7) > json_integer_value(json_object_get(it, "newest_stored")))
			json_object_set_new(it, "newest_stored", json_integer(stmt_int(s, 7)));
		return 0;
	}
	if (json_array_size(t->mail) == TODAY_MAX_ITEMS)
		return 0;
	const char *link = arena_printf(t->a, "/mail/threads/%" PRId64, thread);
	it = json_pack("{s:s, s:s, s:I, s:I, s:s, s:{s:s?, s:s?}, s:s, s:o, s:i, s:s, s:[], s:I}",
		       "kind", "mail", "key", key, "thread_id", (json_int_t)thread, "message_id",
		       (json_int_t)stmt_int(s, 0), "subject", stmt_text(s, 2), "from", "name",
		       stmt_text(s, 3), "address", stmt_text(s, 4), "snippet", stmt_text(s, 5),
		       "date", iso(stmt_int(s, 6)), "unread", 1, "link", link, "notification_ids",
		       "newest_stored", (json_int_t)stmt_int(s, 7));
	json_object_set(t->by_link, key, it);
	json_object_set(t->by_link, link, it);
	json_array_append_new(t->threads, it);
	return 0;
}

static int load_mail(struct today *t, struct err *err)
{
	struct sql_binds b = {0};
	for (int i = 0; i < 5; i++)
		binds_int(&b, t->vw->user_id);
	for (size_t i = 0; i < sizeof(quiet_folders) / sizeof(quiet_folders[0]); i++)
		binds_text(&b, quiet_folders[i]);
	if (!t->vw->admin)
		binds_int(&b, t->vw->user_id);
	const char *sql = arena_printf(
	    t->a, mail_sql, t->vw->admin ? "1 = 1" : STORE_MSG_VISIBLE("m.id"), TODAY_MAX_MESSAGES);
	t->threads = json_in_arena(t->a, json_array());
	if (each_row(t, sql, &b, mail_row, err) < 0)
		return -1;
	/* newest mail first, less the snoozed (a snoozed one still takes in the
	   notifications about it, so that they hide with it) */
	size_t i;
	json_t *it;
	json_array_foreach(t->threads, i, it)
	{
		json_int_t newest = json_integer_value(json_object_get(it, "newest_stored"));
		json_object_del(it, "newest_stored");
		if (!snoozed(t, "thread", json_integer_value(json_object_get(it, "thread_id")),
			     newest))
			json_array_append(t->mail, it);
	}
	return 0;
}

/* ---- notifications: unread; those about an item above fold into it ---- */

static int notification_row(struct today *t, struct stmt *s, struct err *err)
{
	(void)err;
	int64_t id = stmt_int(s, 0);
	const char *kind = stmt_text(s, 1), *link = stmt_text(s, 4);
	json_t *about = link ? json_object_get(t->by_link, link) : NULL;
	if (about) {
		json_array_append_new(json_object_get(about, "notification_ids"), json_integer(id));
		return 0;
	}
	bool mention = strcmp(kind, "mention") == 0;
	json_t *list = mention ? t->mentions : t->notes;
	if (snoozed(t, "notification", id, 0) || json_array_size(list) == TODAY_MAX_ITEMS)
		return 0;
	int64_t thread = 0;
	if (link && strncmp(link, "/mail/threads/", 14) == 0 &&
	    str_to_int64(link + 14, &thread) < 0)
		thread = 0;
	json_t *it = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s?, s:o, s:[I]}", "kind",
			       mention ? "mention" : "notification", "key",
			       arena_printf(t->a, "notification:%" PRId64, id), "notification_id",
			       (json_int_t)id, "notification_kind", kind, "title", stmt_text(s, 2),
			       "body", stmt_text(s, 3), "link", link, "created_at",
			       iso(stmt_int(s, 5)), "notification_ids", (json_int_t)id);
	if (thread > 0)
		json_object_set_new(it, "thread_id", json_integer(thread));
	json_array_append_new(list, it);
	return 0;
}

static int load_notifications(struct today *t, struct err *err)
{
	struct sql_binds b = {0};
	binds_int(&b, t->vw->user_id);
	return each_row(t,
			"SELECT id, kind, title, body, link, created_at FROM notifications WHERE "
			"user_id = ? AND read_at IS NULL ORDER BY id DESC LIMIT 1000",
			&b, notification_row, err);
}

/* ---- the feed ---- */

/* Threads with unread mail in an inbox the viewer reads (the menu's count). */
static int unread_inbox(struct today *t, int64_t *n_r, struct err *err)
{
	return store_query_int(t->st,
			       "SELECT COUNT(DISTINCT m.thread_id) FROM message_locations l JOIN "
			       "mail_folders f ON f.id = l.folder_id JOIN messages m ON m.id = "
			       "l.message_ref WHERE (l.flags & 1) = 0 AND upper(f.name) = 'INBOX' "
			       "AND m.thread_id IS NOT NULL AND " STORE_LOC_VISIBLE("l.folder_id"),
			       n_r, err, 2, (int64_t)t->vw->admin, t->vw->user_id);
}

int store_today(struct store *st, const struct mail_viewer *viewer, const struct today_span *in,
		struct arena *a, json_t **feed_r, struct err *err)
{
	struct today t = {.st = st, .vw = viewer, .in = in, .a = a};
	t.meetings = json_in_arena(a, json_array());
	t.overdue = json_in_arena(a, json_array());
	t.due = json_in_arena(a, json_array());
	t.mail = json_in_arena(a, json_array());
	t.mentions = json_in_arena(a, json_array());
	t.notes = json_in_arena(a, json_array());
	t.by_link = json_in_arena(a, json_object());
	t.snoozes = arena_alloc(a, TODAY_MAX_SNOOZES * sizeof(*t.snoozes));
	struct sql_binds b = {0};
	binds_int(&b, viewer->user_id);
	binds_int(&b, in->now);
	int64_t unread_mail = 0, unread_notes = 0;
	if (each_row(&t,
		     "SELECT kind, ref_id, until_at, created_at FROM today_snoozes WHERE user_id = "
		     "? AND until_at > ?",
		     &b, snooze_row, err) < 0 ||
	    load_meetings(&t, err) < 0 || load_tasks(&t, err) < 0 || load_mail(&t, err) < 0 ||
	    load_notifications(&t, err) < 0 || unread_inbox(&t, &unread_mail, err) < 0 ||
	    store_query_int(
		st, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
		&unread_notes, err, 1, viewer->user_id) < 0)
		return -1;
	json_t *items = json_array();
	json_t *parts[] = {t.meetings, t.overdue, t.due, t.mail, t.mentions, t.notes};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		json_array_extend(items, parts[i]);
	size_t tasks = json_array_size(t.overdue) + json_array_size(t.due);
	*feed_r = json_in_arena(
	    a, json_pack("{s:{s:o, s:o, s:s}, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
			 "s:I, s:I, s:I}, s:o}",
			 "day", "start", iso(in->start), "end", iso(in->end), "timezone", in->tz,
			 "now", iso(in->now), "tomorrow_morning", iso(in->morning), "counts",
			 "total", (json_int_t)json_array_size(items), "meetings",
			 (json_int_t)json_array_size(t.meetings), "tasks", (json_int_t)tasks,
			 "overdue_tasks", (json_int_t)json_array_size(t.overdue), "mail",
			 (json_int_t)json_array_size(t.mail), "mentions",
			 (json_int_t)json_array_size(t.mentions), "notifications",
			 (json_int_t)json_array_size(t.notes), "snoozed", (json_int_t)t.snoozed,
			 "unread_mail", (json_int_t)unread_mail, "unread_notifications",
			 (json_int_t)unread_notes, "items", items));
	return 0;
}

/* ---- snoozing ---- */

/* 1 if item kind id is the user's to snooze (a task assigned to them, their
   notification, a conversation with a message they may read), 0 if not. */
static int snoozable(struct store *st, const struct mail_viewer *vw, const char *kind, int64_t id,
		     struct err *err)
{
	int64_t n = 0;
	if (strcmp(kind, "thread") == 0)
		return store_thread_visible(st, id, vw, err);
	const char *sql = strcmp(kind, "task") == 0
			      ? "SELECT COUNT(*) FROM tasks WHERE id = ? AND assignee_id = ?"
			      : "SELECT COUNT(*) FROM notifications WHERE id = ? AND user_id = ?";
	if (store_query_int(st, sql, &n, err, 2, id, vw->user_id) < 0)
		return -1;
	return n > 0;
}

int store_today_snooze(struct store *st, const struct mail_viewer *viewer, const char *kind,
		       int64_t id, int64_t until, int64_t now, struct err *err)
{
	if (!today_snooze_kind_ok(kind))
		return err_set(err, ERR_NOTFOUND, "nothing to snooze of kind '%s'", kind);
	int r = snoozable(st, viewer, kind, id, err);
	if (r <= 0)
		return r < 0 ? -1
			     : err_set(err, ERR_NOTFOUND, "%s %" PRId64 " not found", kind, id);
	struct stmt *s = NULL;
	if (store_tx_begin(st, err) < 0)
		return -1;
	/* the user's past snoozes go as they are replaced */
	if (store_exec_ints(st, "DELETE FROM today_snoozes WHERE user_id = ? AND until_at <= ?",
			    err, 2, viewer->user_id, now) < 0 ||
	    store_prepare(st,
			  "DELETE FROM today_snoozes WHERE user_id = ? AND kind = ? AND ref_id = ?",
			  &s, err) < 0)
		goto fail;
	stmt_bind_int(s, 1, viewer->user_id);
	stmt_bind_text(s, 2, kind);
	stmt_bind_int(s, 3, id);
	if (stmt_step(s, err) < 0)
		goto fail;
	stmt_free(&s);
	if (until > now) {
		if (store_prepare(st,
				  "INSERT INTO today_snoozes (user_id, kind, ref_id, until_at, "
				  "created_at) VALUES (?, ?, ?, ?, ?)",
				  &s, err) < 0)
			goto fail;
		stmt_bind_int(s, 1, viewer->user_id);
		stmt_bind_text(s, 2, kind);
		stmt_bind_int(s, 3, id);
		stmt_bind_int(s, 4, until);
		stmt_bind_int(s, 5, now);
		if (stmt_step(s, err) < 0)
			goto fail;
		stmt_free(&s);
	}
	return store_tx_commit(st, err);
fail:
	stmt_free(&s);
	store_tx_rollback(st);
	return -1;
}
