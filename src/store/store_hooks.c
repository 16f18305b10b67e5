/* What a write to one entity does to the rest of the store, in the same
 * transaction: timeline activities, deal stage history, completion times.
 * One table, hooks[], maps an entity to its hook. */
#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "base/id.h"
#include "core/entity.h"
#include "core/meeting.h"
#include "store/store_int.h"
#include "base/banned.h"

#define SUMMARY_MAX 200

/* The id of the activity made for (entity, id), or 0. */
static int find_source_activity(struct store *st, const char *entity, int64_t id, int64_t *act_r,
				struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT id FROM activities WHERE source_entity = ? AND source_id = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, entity);
	stmt_bind_int(s, 2, id);
	int r = stmt_step(s, err);
	*act_r = r == 1 ? stmt_int(s, 0) : 0;
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

/* Sets source columns on a new activity (read-only fields, not in input). */
static int mark_source(struct store *st, int64_t act, const char *entity, int64_t id,
		       struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "UPDATE activities SET source_entity = ?, source_id = ? WHERE id = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, entity);
	stmt_bind_int(s, 2, id);
	stmt_bind_int(s, 3, act);
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static json_t *id_list(const json_t *rec, const char *key)
{
	const json_t *v = json_object_get(rec, key);
	return json_is_integer(v) ? json_pack("[I]", json_integer_value(v)) : json_array();
}

/* Creates, updates or (act == NULL) deletes the activity that mirrors a record. */
static int mirror_activity(struct store *st, const struct record_change *ch, json_t *act,
			   struct err *err)
{
	int64_t id;
	if (find_source_activity(st, ch->def->name, ch->id, &id, err) < 0)
		return -1;
	json_t *out;
	if (!act)
		return id ? (store_record_delete(st, &activity_def, id, ch->actor_id, ch->a, err) <
				     0
				 ? -1
				 : 0)
			  : 0;
	if (id)
		return store_record_update(st, &activity_def, id, act, ch->actor_id, ch->a, &out,
					   err) < 0
			   ? -1
			   : 0;
	if (store_record_create(st, &activity_def, act, ch->actor_id, ch->a, &out, err) < 0)
		return -1;
	return mark_source(st, json_integer_value(json_object_get(out, "id")), ch->def->name,
			   ch->id, err);
}

/* A new activity record (validated shape) with the usual links of rec. */
static json_t *activity_for(const struct record_change *ch, const char *kind, const char *summary,
			    int64_t occurred_at)
{
	const json_t *r = ch->now;
	json_t *contacts = id_list(r, "contact_id"), *companies = id_list(r, "company_id"),
	       *deals = id_list(r, "deal_id");
	json_t *self = json_pack("[I]", (json_int_t)ch->id);
	if (strcmp(ch->def->name, "contact") == 0)
		json_array_extend(contacts, self);
	else if (strcmp(ch->def->name, "company") == 0)
		json_array_extend(companies, self);
	else if (strcmp(ch->def->name, "deal") == 0)
		json_array_extend(deals, self);
	json_decref(self);
	json_t *a = json_pack("{sssssIsssoso so}", "kind", kind, "direction", "internal",
			      "occurred_at", (json_int_t)occurred_at, "summary", summary,
			      "contact_ids", contacts, "company_ids", companies, "deal_ids", deals);
	if (ch->actor_id > 0)
		json_object_set_new(a, "actor_id", json_integer(ch->actor_id));
	json_object_set_new(a, "payload", json_object());
	return json_in_arena(ch->a, a);
}

/* At most SUMMARY_MAX bytes of s, cut at a UTF-8 character boundary. */
static const char *summary_of(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	if (n <= SUMMARY_MAX)
		return s;
	n = SUMMARY_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return arena_printf(a, "%.*s…", (int)n, s);
}

static const char *str_field(const json_t *r, const char *k)
{
	const char *s = json_get_str(r, k);
	return s ? s : "";
}

static int contact_hook(struct store *st, const struct record_change *ch, struct err *err)
{
	if (store_mail_backfill(st, ch, err) < 0)
		return -1;
	if (ch->old || !ch->now)
		return 0;
	const char *name = arena_printf(ch->a, "%s %s", str_field(ch->now, "first_name"),
					str_field(ch->now, "last_name"));
	json_t *act = activity_for(ch, "system",
				   arena_printf(ch->a, "Contact %s created", str_trim(ch->a, name)),
				   time_now());
	json_object_set_new(act, "payload", json_pack("{ss}", "event", "contact.created"));
	return mirror_activity(st, ch, act, err);
}

static const char *money(struct arena *a, const json_t *amount, const char *currency)
{
	long long v = json_integer_value(amount);
	return arena_printf(a, "%s%lld.%02lld %s", v < 0 ? "-" : "", (v < 0 ? -v : v) / 100,
			    (v < 0 ? -v : v) % 100, currency);
}

static int deal_stage_change(struct store *st, const struct record_change *ch, const char *from,
			     const char *to, struct err *err)
{
	struct stmt *s;
	if (store_prepare(
		st,
		"INSERT INTO deal_stage_history (deal_id, from_stage, to_stage, changed_at, "
		"changed_by) VALUES (?, ?, ?, ?, ?)",
		&s, err) < 0)
		return -1;
	int64_t now = time_now();
	stmt_bind_int(s, 1, ch->id);
	stmt_bind_text(s, 2, from);
	stmt_bind_text(s, 3, to);
	stmt_bind_int(s, 4, now);
	if (ch->actor_id > 0)
		stmt_bind_int(s, 5, ch->actor_id);
	else
		stmt_bind_null(s, 5);
	int r = stmt_step(s, err);
	stmt_free(&s);
	if (r < 0)
		return -1;
	bool closed = strcmp(to, "won") == 0 || strcmp(to, "lost") == 0;
	if ((closed ? store_exec_ints(st, "UPDATE deals SET closed_at = ? WHERE id = ?", err, 2,
				      now, ch->id)
		    : store_exec_ints(st, "UPDATE deals SET closed_at = NULL WHERE id = ?", err, 1,
				      ch->id)) < 0)
		return -1;
	const char *title = str_field(ch->now, "title");
	const char *summary =
	    from ? arena_printf(ch->a, "Deal '%s' moved from %s to %s", title, from, to)
		 : arena_printf(ch->a, "Deal '%s' created in %s (%s)", title, to,
				money(ch->a, json_object_get(ch->now, "amount"),
				      str_field(ch->now, "currency")));
	json_t *act = activity_for(ch, "system", summary, now);
	json_object_set_new(act, "payload",
			    json_pack("{s:ss:s?s:s}", "event",
				      from ? "deal.stage_changed" : "deal.created", "from", from,
				      "to", to));
	json_t *out;
	if (store_record_create(st, &activity_def, act, ch->actor_id, ch->a, &out, err) < 0)
		return -1;
	if (!from)
		return 0;
	json_t *payload = json_in_arena(
	    ch->a, json_pack("{sIssss}", "id", (json_int_t)ch->id, "from", from, "to", to));
	return store_event_add(st, "deal.stage_changed", "deal", ch->id, ch->actor_id, payload,
			       err);
}

static int deal_hook(struct store *st, const struct record_change *ch, struct err *err)
{
	if (!ch->now)
		return 0;
	const char *to = str_field(ch->now, "stage");
	const char *from = ch->old ? str_field(ch->old, "stage") : NULL;
	if (from && strcmp(from, to) == 0)
		return 0;
	return deal_stage_change(st, ch, from, to, err);
}

static int order_hook(struct store *st, const struct record_change *ch, struct err *err)
{
	if (!ch->now)
		return mirror_activity(st, ch, NULL, err);
	const json_t *r = ch->now;
	size_t n = json_array_size(json_object_get(r, "items"));
	const char *summary =
	    arena_printf(ch->a, "Order #%" PRId64 ": %zu item%s, %s", ch->id, n, n == 1 ? "" : "s",
			 money(ch->a, json_object_get(r, "total"), str_field(r, "currency")));
	int64_t placed;
	if (time_parse_iso(str_field(r, "placed_at"), &placed) < 0)
		placed = time_now();
	json_t *act = activity_for(ch, "order", summary, placed);
	json_object_set_new(act, "direction", json_string("inbound"));
	json_object_set_new(
	    act, "payload",
	    json_pack("{sIsOsOsOsO}", "order_id", (json_int_t)ch->id, "items",
		      json_object_get(r, "items"), "total", json_object_get(r, "total"), "currency",
		      json_object_get(r, "currency"), "status", json_object_get(r, "status")));
	if (ch->old)
		json_object_del(act, "occurred_at");
	return mirror_activity(st, ch, act, err);
}

static int note_hook(struct store *st, const struct record_change *ch, struct err *err)
{
	if (!ch->now)
		return mirror_activity(st, ch, NULL, err);
	const char *body = str_field(ch->now, "body");
	json_t *act = activity_for(ch, "note", summary_of(ch->a, body), time_now());
	json_object_set_new(act, "payload",
			    json_pack("{sIss}", "note_id", (json_int_t)ch->id, "body", body));
	if (ch->old)
		json_object_del(act, "occurred_at");
	return mirror_activity(st, ch, act, err);
}

static int task_hook(struct store *st, const struct record_change *ch, struct err *err)
{
	if (!ch->now)
		return mirror_activity(st, ch, NULL, err);
	const char *status = str_field(ch->now, "status");
	const char *was = ch->old ? str_field(ch->old, "status") : "";
	if (strcmp(status, was) != 0) {
		bool done = strcmp(status, "done") == 0;
		if ((done ? store_exec_ints(st, "UPDATE tasks SET completed_at = ? WHERE id = ?",
					    err, 2, time_now(), ch->id)
			  : store_exec_ints(st, "UPDATE tasks SET completed_at = NULL WHERE id = ?",
					    err, 1, ch->id)) < 0)
			return -1;
		json_t *p = json_in_arena(ch->a, json_pack("{sI}", "id", (json_int_t)ch->id));
		if (done &&
		    store_event_add(st, "task.completed", "task", ch->id, ch->actor_id, p, err) < 0)
			return -1;
	}
	json_t *act = activity_for(ch, "task", str_field(ch->now, "title"), time_now());
	json_object_set_new(act, "payload",
			    json_pack("{sIsssOsO}", "task_id", (json_int_t)ch->id, "status", status,
				      "due_at", json_object_get(ch->now, "due_at"), "assignee_id",
				      json_object_get(ch->now, "assignee_id")));
	if (ch->old)
		json_object_del(act, "occurred_at");
	return mirror_activity(st, ch, act, err);
}

/* A meeting: its timeline entry (at its start), a UID for iCalendar on
   creation, and meeting.scheduled whenever it is set for a (new) time, which
   the meeting.upcoming trigger and reminders wait on. */
static int meeting_hook(struct store *st, const struct record_change *ch, struct err *err)
{
	if (!ch->now)
		return mirror_activity(st, ch, NULL, err);
	const json_t *r = ch->now;
	if (!ch->old) {
		char rnd[33];
		id_random_hex(rnd, 16);
		struct stmt *s;
		if (store_prepare(st, "UPDATE meetings SET uid = ?, sequence = 0 WHERE id = ?", &s,
				  err) < 0)
			return -1;
		stmt_bind_text(s, 1, arena_printf(ch->a, "%s@parley", rnd));
		stmt_bind_int(s, 2, ch->id);
		int rc = stmt_step(s, err);
		stmt_free(&s);
		if (rc < 0)
			return -1;
	}
	int64_t starts = meeting_time(json_object_get(r, "starts_at"));
	const char *status = str_field(r, "status"), *kind = str_field(r, "kind");
	bool cancelled = strcmp(status, "cancelled") == 0;
	char when[MEETING_TIME_TEXT_MAX];
	meeting_time_text(starts, str_field(r, "timezone"), when);
	const json_t *contacts = json_object_get(r, "contact_ids");
	json_t *act =
	    activity_for(ch, kind,
			 arena_printf(ch->a, "%s%s: %s, %s", cancelled ? "Cancelled " : "",
				      strcmp(kind, "call") == 0 ? "Call" : "Meeting",
				      str_field(r, "title"), when),
			 starts);
	json_object_set(act, "contact_ids", (json_t *)contacts);
	json_object_set_new(act, "direction",
			    json_string(json_array_size(contacts) ? "outbound" : "internal"));
	json_object_set_new(act, "payload",
			    json_pack("{s:I, s:s, s:s}", "meeting_id", (json_int_t)ch->id, "status",
				      status, "starts_at_text", when));
	if (mirror_activity(st, ch, act, err) < 0)
		return -1;
	bool moved =
	    !ch->old ||
	    !json_equal(json_object_get(ch->old, "starts_at"), json_object_get(r, "starts_at")) ||
	    strcmp(str_field(ch->old, "status"), status) != 0;
	if (cancelled || !moved)
		return 0;
	json_t *p = json_in_arena(
	    ch->a, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s?, s:s?, s:O, s:O, s:O}", "id",
			     (json_int_t)ch->id, "title", str_field(r, "title"), "kind", kind,
			     "starts_at", (json_int_t)starts, "starts_at_text", when, "location",
			     json_get_str(r, "location"), "url", json_get_str(r, "url"),
			     "contact_ids", contacts, "deal_id", json_object_get(r, "deal_id"),
			     "owner_id", json_object_get(r, "owner_id")));
	if (json_array_size(contacts))
		json_object_set(p, "contact_id", json_array_get(contacts, 0));
	return store_event_add(st, "meeting.scheduled", "meeting", ch->id, ch->actor_id, p, err);
}

/* An activity about a deal is also about the deal's contact and company, and
   one about a contact also about the contact's company: add those links. */
static const char *const expand_sql[] = {
    "INSERT INTO links (entity, record_id, field, target_id) SELECT DISTINCT 'activities', "
    "l.record_id, 'contact_ids', d.contact_id FROM links l JOIN deals d ON d.id = l.target_id "
    "WHERE l.entity = 'activities' AND l.record_id = ? AND l.field = 'deal_ids' AND "
    "d.contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM links x WHERE x.entity = "
    "'activities' AND x.record_id = ? AND x.field = 'contact_ids' AND x.target_id = "
    "d.contact_id)",
    "INSERT INTO links (entity, record_id, field, target_id) SELECT DISTINCT 'activities', "
    "l.record_id, 'company_ids', d.company_id FROM links l JOIN deals d ON d.id = l.target_id "
    "WHERE l.entity = 'activities' AND l.record_id = ? AND l.field = 'deal_ids' AND "
    "d.company_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM links x WHERE x.entity = "
    "'activities' AND x.record_id = ? AND x.field = 'company_ids' AND x.target_id = "
    "d.company_id)",
    "INSERT INTO links (entity, record_id, field, target_id) SELECT DISTINCT 'activities', "
    "l.record_id, 'company_ids', c.company_id FROM links l JOIN contacts c ON c.id = "
    "l.target_id WHERE l.entity = 'activities' AND l.record_id = ? AND l.field = "
    "'contact_ids' AND c.company_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM links x WHERE "
    "x.entity = 'activities' AND x.record_id = ? AND x.field = 'company_ids' AND x.target_id "
    "= c.company_id)",
};

static int activity_hook(struct store *st, const struct record_change *ch, struct err *err)
{
	if (!ch->now)
		return 0;
	for (size_t i = 0; i < sizeof(expand_sql) / sizeof(expand_sql[0]); i++)
		if (store_exec_ints(st, expand_sql[i], err, 2, ch->id, ch->id) < 0)
			return -1;
	return 0;
}

/*
 * The hook of each entity that has one. To add one: write <entity>_hook()
 * above (it runs after create and update with ch->now set, and before delete
 * with ch->now NULL) and add a line here.
 */
static const struct {
	const char *entity;
	int (*fn)(struct store *st, const struct record_change *ch, struct err *err);
} hooks[] = {
    {"contact", contact_hook}, {"deal", deal_hook},
    {"order", order_hook},     {"note", note_hook},
    {"task", task_hook},       {"activity", activity_hook},
    {"meeting", meeting_hook}, {"company", store_mail_backfill},
};

int store_hooks_after_write(struct store *st, const struct record_change *ch, struct err *err)
{
	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		if (strcmp(hooks[i].entity, ch->def->name) == 0)
			return hooks[i].fn(st, ch, err);
	return 0;
}

int store_deal_history(struct store *st, int64_t deal_id, struct arena *a, json_t **items_r,
		       struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT from_stage, to_stage, changed_at, changed_by FROM "
			  "deal_stage_history WHERE deal_id = ? ORDER BY id",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, deal_id);
	json_t *items = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1) {
		char t[TIME_ISO_MAX];
		time_format_iso(stmt_int(s, 2), t);
		json_array_append_new(
		    items,
		    json_pack("{s:s?s:ss:ss:o}", "from", stmt_text(s, 0), "to", stmt_text(s, 1),
			      "at", t, "by",
			      stmt_is_null(s, 3) ? json_null() : json_integer(stmt_int(s, 3))));
	}
	stmt_free(&s);
	if (r < 0)
		return -1;
	*items_r = items;
	return 0;
}
