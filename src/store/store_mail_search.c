/* Mail search: a query tree (core/mail_query.h) compiled into one SQL WHERE
 * clause over messages m, with the backend's full-text search for words and
 * phrases (store_fts_predicate()); results grouped
 * into threads, newest first, limited to what the viewer may see. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/mail_query.h"
#include "store/store_int.h"
#include "base/banned.h"

#define SQL_MAX (64 * 1024)

static const char visible_sql[] = STORE_MSG_VISIBLE("m.id");

static const char *like(struct arena *a, const char *v)
{
	struct buf p;
	buf_init(&p, a, 4096);
	buf_putc(&p, '%');
	for (const char *c = str_lower(a, v); *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			buf_putc(&p, '\\');
		buf_putc(&p, *c);
	}
	buf_putc(&p, '%');
	return p.data;
}

/* contact:, company:, deal: the link field, and the records whose name
   matches (a lower-cased substring, one parameter) for a name. */
static const struct {
	const char *field, *by_name;
} link_fields[] = {
    [MQ_CONTACT] = {"contact_ids",
		    "SELECT id FROM contacts WHERE lower(COALESCE(first_name, '') || ' ' || "
		    "COALESCE(last_name, '')) LIKE ? ESCAPE '\\'"},
    [MQ_COMPANY] = {"company_ids", "SELECT id FROM companies WHERE lower(name) LIKE ? ESCAPE '\\'"},
    [MQ_DEAL] = {"deal_ids", "SELECT id FROM deals WHERE lower(title) LIKE ? ESCAPE '\\'"},
};

static void bind_viewer(struct sql_binds *b, const struct mail_viewer *v)
{
	binds_int(b, v->admin);
	binds_int(b, v->user_id);
}

static void term_sql(struct store *st, struct buf *w, struct sql_binds *b, const struct mq_node *n,
		     const struct mail_viewer *vw, struct arena *a)
{
	const char *v = n->value;
	switch (n->field) {
	case MQ_TEXT:
	case MQ_SUBJECT: {
		/* words match as prefixes: "propos" finds "proposal" */
		const char *param;
		buf_puts(w, store_fts_predicate(st, a, n->field == MQ_SUBJECT ? "subject" : NULL, v,
						n->phrase, !n->phrase, &param));
		binds_text(b, param);
		return;
	}
	case MQ_FROM:
		buf_puts(w, "(lower(COALESCE(m.from_addr, '')) LIKE ? ESCAPE '\\' OR "
			    "lower(COALESCE(m.from_name, '')) LIKE ? ESCAPE '\\')");
		binds_text(b, like(a, v));
		binds_text(b, like(a, v));
		return;
	case MQ_TO:
	case MQ_CC:
		buf_printf(w, "lower(m.%s) LIKE ? ESCAPE '\\'",
			   n->field == MQ_TO ? "to_json" : "cc_json");
		binds_text(b, like(a, v));
		return;
	case MQ_HAS:
		buf_puts(w, "m.has_attachments = 1");
		return;
	case MQ_FILENAME:
		buf_puts(w, "EXISTS (SELECT 1 FROM attachments at WHERE at.message_ref = m.id AND "
			    "lower(COALESCE(at.filename, '')) LIKE ? ESCAPE '\\')");
		binds_text(b, like(a, v));
		return;
	case MQ_IS: {
		if (str_eq_ci(v, "linked") || str_eq_ci(v, "unlinked")) {
			/* linked: its email activity links some contact, company or deal */
			buf_printf(w,
				   "%sEXISTS (SELECT 1 FROM activities lt JOIN links ll ON "
				   "ll.entity = 'activities' AND ll.record_id = lt.id WHERE "
				   "lt.source_entity = 'message' AND lt.source_id = m.id AND "
				   "ll.field IN ('contact_ids', 'company_ids', 'deal_ids'))",
				   str_eq_ci(v, "unlinked") ? "NOT " : "");
			return;
		}
		bool seen = str_eq_ci(v, "read") || str_eq_ci(v, "unread");
		bool neg = str_eq_ci(v, "read") || str_eq_ci(v, "unflagged");
		/* unread: some location the viewer sees lacks \Seen; flagged: has \Flagged */
		buf_printf(
		    w,
		    "%sEXISTS (SELECT 1 FROM message_locations fl WHERE fl.message_ref = "
		    "m.id AND (fl.flags & %d) %s 0 AND " STORE_LOC_VISIBLE("fl.folder_id") ")",
		    neg ? "NOT " : "", seen ? 1 : 4, seen ? "=" : "<>");
		bind_viewer(b, vw);
		return;
	}
	case MQ_IN:
		buf_puts(w,
			 "EXISTS (SELECT 1 FROM message_locations il JOIN mail_folders iff ON "
			 "iff.id = il.folder_id WHERE il.message_ref = m.id AND (lower(iff.name) = "
			 "? OR lower(COALESCE(iff.special_use, '')) = ?) AND " STORE_LOC_VISIBLE(
			     "il.folder_id") ")");
		binds_text(b, str_lower(a, v));
		binds_text(b, arena_printf(a, "\\%s", str_lower(a, v)));
		bind_viewer(b, vw);
		return;
	case MQ_ACCOUNT:
		buf_puts(w, "EXISTS (SELECT 1 FROM message_locations al JOIN mail_folders af ON "
			    "af.id = al.folder_id JOIN mail_accounts aa ON aa.id = af.account_id "
			    "WHERE al.message_ref = m.id AND (aa.name = ? OR aa.email = ? OR "
			    "CAST(aa.id AS TEXT) = ?) AND (? = 1 OR aa.shared = 1 OR aa.owner_id = "
			    "?))");
		binds_text(b, v);
		binds_text(b, str_lower(a, v));
		binds_text(b, v);
		bind_viewer(b, vw);
		return;
	case MQ_BEFORE:
	case MQ_AFTER:
		buf_printf(w, "m.date %s ?", n->field == MQ_BEFORE ? "<" : ">=");
		binds_int(b, n->number);
		return;
	case MQ_CONTACT:
	case MQ_COMPANY:
	case MQ_DEAL:
		buf_printf(
		    w,
		    "EXISTS (SELECT 1 FROM activities lt JOIN links ll ON ll.entity = "
		    "'activities' AND ll.record_id = lt.id WHERE lt.source_entity = 'message' "
		    "AND lt.source_id = m.id AND ll.field = '%s' AND ",
		    link_fields[n->field].field);
		if (n->number) { /* an id */
			buf_puts(w, "ll.target_id = ?)");
			binds_int(b, n->number);
		} else { /* a name */
			buf_printf(w, "ll.target_id IN (%s))", link_fields[n->field].by_name);
			binds_text(b, like(a, v));
		}
		return;
	}
}

static void compile(struct store *st, struct buf *w, struct sql_binds *b, const struct mq_node *n,
		    const struct mail_viewer *vw, struct arena *a)
{
	switch (n->kind) {
	case MQ_AND:
	case MQ_OR:
		buf_putc(w, '(');
		compile(st, w, b, n->left, vw, a);
		buf_puts(w, n->kind == MQ_AND ? " AND " : " OR ");
		compile(st, w, b, n->right, vw, a);
		buf_putc(w, ')');
		return;
	case MQ_NOT:
		buf_puts(w, "NOT (");
		compile(st, w, b, n->left, vw, a);
		buf_putc(w, ')');
		return;
	case MQ_TERM:
		term_sql(st, w, b, n, vw, a);
		return;
	}
}

/* The summary's columns, each over the messages m of thread t the viewer sees
   (%s: the visibility rule), so that nothing hidden is counted or shown. */
static const char summary_sql[] =
    "SELECT (SELECT m.subject FROM messages m WHERE m.thread_id = t.id AND %s ORDER BY m.date, "
    "m.id LIMIT 1), (SELECT MAX(m.date) FROM messages m WHERE m.thread_id = t.id AND %s), "
    "(SELECT COUNT(*) FROM messages m WHERE m.thread_id = t.id AND %s), (SELECT COUNT(*) FROM "
    "messages m WHERE m.thread_id = t.id AND %s AND " STORE_MSG_SHARED(
	"m.id") "), (SELECT m.snippet FROM messages m WHERE m.thread_id = t.id AND %s ORDER BY "
		"m.date DESC LIMIT 1), (SELECT COUNT(*) FROM messages m WHERE m.thread_id = t.id "
		"AND %s AND EXISTS (SELECT 1 FROM message_locations fl WHERE fl.message_ref = m.id "
		"AND (fl.flags & 1) = 0 AND " STORE_LOC_VISIBLE(
		    "fl.folder_id") ")), (SELECT COUNT(*) FROM messages m WHERE m.thread_id = "
				    "t.id AND %s AND m.has_attachments = 1) FROM threads t WHERE "
				    "t.id = ?";
#define SUMMARY_VIS    7 /* the times summary_sql uses the rule */
#define SUMMARY_UNREAD 5 /* the one that also looks at the viewer's flags */

/* Fills one thread's summary for the viewer. */
static int thread_summary(struct store *st, int64_t thread, const char *vis, int64_t uid,
			  struct arena *a, json_t **out_r, struct err *err)
{
	struct stmt *s;
	const char *sql = arena_printf(a, summary_sql, vis, vis, vis, vis, vis, vis, vis);
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	int idx = 1;
	for (int i = 0; i < SUMMARY_VIS; i++) {
		if (strchr(vis, '?'))
			stmt_bind_int(s, idx++, uid);
		if (i == SUMMARY_UNREAD) { /* unread in the viewer's mailboxes */
			stmt_bind_int(s, idx++, !strchr(vis, '?'));
			stmt_bind_int(s, idx++, uid);
		}
	}
	stmt_bind_int(s, idx, thread);
	int r = stmt_step(s, err);
	if (r == 1) {
		char t[TIME_ISO_MAX];
		time_format_iso(stmt_int(s, 1), t);
		*out_r =
		    json_pack("{s:Is:ss:ss:Is:bs:s?s:Is:b}", "id", (json_int_t)thread, "subject",
			      stmt_text(s, 0) ? stmt_text(s, 0) : "", "last_date", t,
			      "message_count", (json_int_t)stmt_int(s, 2), "shared",
			      stmt_int(s, 3) != 0, "snippet", stmt_text(s, 4), "unread",
			      (json_int_t)stmt_int(s, 5), "has_attachments", stmt_int(s, 6) > 0);
	}
	stmt_free(&s);
	if (r == 0)
		return err_set(err, ERR_INTERNAL, "thread %" PRId64 " vanished", thread);
	return r < 0 ? -1 : 0;
}

/* The senders of the messages of the thread the viewer sees. */
static int participants(struct store *st, int64_t thread, const char *vis, int64_t uid,
			struct arena *a, json_t *out, struct err *err)
{
	struct stmt *s;
	const char *sql = arena_printf(a,
				       "SELECT DISTINCT m.from_name, m.from_addr FROM messages m "
				       "WHERE m.thread_id = ? AND m.from_addr IS NOT NULL AND %s "
				       "ORDER BY m.from_addr LIMIT 10",
				       vis);
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, thread);
	if (strchr(vis, '?'))
		stmt_bind_int(s, 2, uid);
	json_t *list = json_array();
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(list, json_pack("{s:s?s:s}", "name", stmt_text(s, 0),
						      "address", stmt_text(s, 1)));
	stmt_free(&s);
	json_object_set_new(out, "participants", list);
	return r < 0 ? -1 : 0;
}

int store_thread_search(struct store *st, const struct mq_node *root,
			const struct mail_viewer *viewer, size_t limit, const char *cursor,
			struct arena *a, json_t **items_r, char **next_r, struct err *err)
{
	struct buf w, having;
	struct sql_binds b = {0};
	buf_init(&w, a, SQL_MAX);
	buf_init(&having, a, 1024);
	if (limit < 1 || limit > MAIL_LIST_MAX_LIMIT)
		return err_set_field(err, ERR_INVALID, "limit", "'limit' must be from 1 to %d",
				     MAIL_LIST_MAX_LIMIT);
	const char *vis = viewer->admin ? "1 = 1" : visible_sql;
	buf_printf(&w, "m.thread_id IS NOT NULL AND %s", vis);
	if (!viewer->admin)
		binds_int(&b, viewer->user_id);
	if (root) {
		buf_puts(&w, " AND ");
		compile(st, &w, &b, root, viewer, a);
	}
	if (cursor) {
		const char *dot = strchr(cursor, '.');
		int64_t t, id;
		if (!dot || str_to_int64(dot + 1, &id) < 0 ||
		    str_to_int64(arena_strndup(a, cursor, (size_t)(dot - cursor)), &t) < 0)
			return err_set_field(err, ERR_INVALID, "cursor", "'cursor' is not valid");
		buf_puts(&having,
			 " HAVING MAX(m.date) < ? OR (MAX(m.date) = ? AND m.thread_id < ?)");
		binds_int(&b, t);
		binds_int(&b, t);
		binds_int(&b, id);
	}
	const char *sql =
	    arena_printf(a,
			 "SELECT m.thread_id, MAX(m.date) FROM messages m WHERE %s "
			 "GROUP BY m.thread_id%s ORDER BY MAX(m.date) DESC, m.thread_id "
			 "DESC LIMIT %zu",
			 w.data, having.data, limit + 1);
	struct stmt *s;
	if (store_prepare(st, sql, &s, err) < 0)
		return -1;
	if (binds_apply(&b, s, err) < 0) {
		stmt_free(&s);
		return -1;
	}
	int64_t ids[MAIL_LIST_MAX_LIMIT + 1], dates[MAIL_LIST_MAX_LIMIT + 1];
	size_t n = 0;
	int r;
	while (n <= limit && (r = stmt_step(s, err)) == 1) {
		ids[n] = stmt_int(s, 0);
		dates[n++] = stmt_int(s, 1);
	}
	stmt_free(&s);
	if (r < 0)
		return -1;
	*next_r = n > limit
		      ? arena_printf(a, "%" PRId64 ".%" PRId64, dates[limit - 1], ids[limit - 1])
		      : NULL;
	json_t *items = json_in_arena(a, json_array());
	for (size_t i = 0; i < n && i < limit; i++) {
		json_t *t = NULL;
		if (thread_summary(st, ids[i], vis, viewer->user_id, a, &t, err) < 0)
			return -1;
		json_array_append_new(items, t);
		if (participants(st, ids[i], vis, viewer->user_id, a, t, err) < 0)
			return -1;
	}
	*items_r = items;
	return 0;
}
